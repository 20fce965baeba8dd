//! The shape every RPC shares: a DEBUG span naming the RPC and type, the
//! panic guard, and turning diagnostics into the response Terraform waits
//! for.

use std::future::Future;
use std::pin::Pin;

use futures_util::Stream;
use tonic::{Response, Status};
use tracing::Instrument;

use super::convert::diagnostics_to_proto;
use crate::framework::guard::{catch_panic, panic_diagnostic};
use crate::framework::Diagnostics;
use crate::proto::tfplugin6 as pb;

/// What every RPC method returns.
pub(super) type RpcResult<R> = Result<Response<R>, Status>;

/// A server stream of `T`.
pub(super) type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Responses that carry diagnostics, so a failure anywhere can be reported
/// on the response Terraform is waiting for.
pub(super) trait WithDiagnostics: Default {
    fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic>;

    fn from_diagnostics(diags: Diagnostics) -> Self {
        let mut r = Self::default();
        r.diagnostics_mut().extend(diagnostics_to_proto(diags));
        r
    }
}

macro_rules! with_diagnostics {
    ($($ty:ty),* $(,)?) => {$(
        impl WithDiagnostics for $ty {
            fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic> { &mut self.diagnostics }
        }
    )*};
}

with_diagnostics!(
    pb::get_metadata::Response,
    pb::get_provider_schema::Response,
    pb::validate_provider_config::Response,
    pb::validate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::upgrade_resource_state::Response,
    pb::get_resource_identity_schemas::Response,
    pb::upgrade_resource_identity::Response,
    pb::configure_provider::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::move_resource_state::Response,
    pb::read_data_source::Response,
    pb::generate_resource_config::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::validate_list_resource_config::Response,
    pb::get_functions::Response,
    pb::validate_state_store::Response,
    pb::configure_state_store::Response,
    pb::write_state_bytes::Response,
    pb::lock_state::Response,
    pb::unlock_state::Response,
    pb::get_states::Response,
    pb::delete_state::Response,
    pb::plan_action::Response,
    pb::validate_action_config::Response,
    pb::read_state_bytes::Response,
);

/// Runs one RPC body inside a DEBUG span naming the RPC and type. An error
/// returned by the body, or a panic inside it, becomes `on_error`'s
/// response: reads and applies hand back the state they were given, so
/// neither a bad request nor a bug can make Terraform forget an object.
pub(super) async fn run<R>(
    rpc: &'static str,
    type_name: &str,
    on_error: impl FnOnce(Diagnostics) -> R,
    body: impl Future<Output = Result<R, Diagnostics>> + Send,
) -> RpcResult<R> {
    let span = tracing::debug_span!("rpc", tf_rpc = rpc, tf_type_name = type_name);
    async move {
        tracing::debug!("received request");
        let outcome = match catch_panic(body).await {
            Ok(Ok(response)) => response,
            Ok(Err(diags)) => on_error(diags),
            Err(message) => on_error(panic_diagnostic(rpc, &message).into()),
        };
        tracing::debug!("served request");
        Ok(Response::new(outcome))
    }
    .instrument(span)
    .await
}

/// [`run`] for RPCs whose failure answer is just the diagnostics.
pub(super) async fn run_plain<R: WithDiagnostics>(
    rpc: &'static str,
    type_name: &str,
    body: impl Future<Output = Result<R, Diagnostics>> + Send,
) -> RpcResult<R> {
    run(rpc, type_name, R::from_diagnostics, body).await
}

/// A one-message stream, for streaming RPCs answered with one message.
pub(super) fn single<T: Send + 'static>(item: T) -> BoxStream<T> {
    Box::pin(futures_util::stream::iter([Ok(item)]))
}
