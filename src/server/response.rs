//! Shaping responses: every response type that carries diagnostics, the
//! panic guard around RPC bodies, and small helpers for capabilities this
//! provider does not offer.

use std::pin::Pin;

use futures_util::Stream;
use tonic::{Response, Status};

use super::convert::diagnostics_to_proto;
use super::guard::catch_panic;
use crate::framework::Diagnostics;
use crate::proto::tfplugin6 as pb;

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
);

/// Runs one RPC body; a panic becomes an error diagnostic on its response.
pub(super) async fn guarded<R: WithDiagnostics>(
    rpc: &'static str,
    body: impl std::future::Future<Output = R> + Send,
) -> Result<Response<R>, Status> {
    guarded_or(rpc, R::from_diagnostics, body).await
}

/// Like [`guarded`], with a custom response for the panic case: reads and
/// applies hand back the state they were given, so a bug can never make
/// Terraform forget an object.
pub(super) async fn guarded_or<R: WithDiagnostics>(
    rpc: &'static str,
    on_panic: impl FnOnce(Diagnostics) -> R,
    body: impl std::future::Future<Output = R> + Send,
) -> Result<Response<R>, Status> {
    match catch_panic(body).await {
        Ok(r) => Ok(Response::new(r)),
        Err(message) => {
            tracing::error!(rpc, panic = %message, "recovered from a panic in an RPC handler");
            let mut d = Diagnostics::new();
            d.error(
                "Provider internal error",
                format!(
                    "The provider panicked while handling {rpc}: {message}. The provider kept \
                     running; please report this as a bug."
                ),
            );
            Ok(Response::new(on_panic(d)))
        }
    }
}

/// An error diagnostic for capabilities this provider does not offer.
pub(super) fn unsupported(what: &str, name: &str) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error(
        format!("Unsupported {what}"),
        format!("The identitycenter provider does not offer a {what} named {name:?}."),
    );
    d
}

pub(super) type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A one-message stream, for streaming RPCs we can only answer with an error.
pub(super) fn single<T: Send + 'static>(item: T) -> BoxStream<T> {
    Box::pin(futures_util::stream::iter([Ok(item)]))
}
