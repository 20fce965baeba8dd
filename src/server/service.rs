//! The tonic implementation of `tfplugin6.Provider`: decode the request,
//! dispatch by type name, encode the response. One small function per RPC.
//! Problems are reported as diagnostics, never as gRPC status codes.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use futures_util::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::convert::{decode_dynamic, diagnostics_to_proto, encode_dynamic, schema_to_proto};
use super::guard::catch_panic;
use super::plan::plan_resource_change;
use crate::framework::{ConfigureInput, Diagnostics, Provider, Resource, Schema};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderRpc;
use crate::value::{self, Value};

/// A resource type with its schema computed once.
struct ResourceEntry {
    resource: Arc<dyn Resource>,
    schema: Schema,
}

/// Serves one [`Provider`] over tfplugin6.
pub struct ProviderService {
    provider: Arc<dyn Provider>,
    provider_schema: Schema,
    resources: BTreeMap<&'static str, ResourceEntry>,
    schema_response: pb::get_provider_schema::Response,
    /// Cancelled by StopProvider; replaced afterwards so later calls run.
    stop: Mutex<CancellationToken>,
}

impl ProviderService {
    /// Wraps a provider; its schemas are computed once, here.
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        let provider_schema = provider.schema();
        let resources: BTreeMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|resource| {
                let schema = resource.schema();
                (resource.type_name(), ResourceEntry { resource, schema })
            })
            .collect();
        let schema_response = pb::get_provider_schema::Response {
            provider: Some(schema_to_proto(&provider_schema)),
            resource_schemas: resources
                .iter()
                .map(|(name, e)| (name.to_string(), schema_to_proto(&e.schema)))
                .collect(),
            server_capabilities: Some(server_capabilities()),
            ..Default::default()
        };
        Self {
            provider,
            provider_schema,
            resources,
            schema_response,
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    fn resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostics> {
        self.resources.get(type_name).ok_or_else(|| {
            let mut d = Diagnostics::new();
            d.error(
                "Unknown resource type",
                format!(
                    "The provider {} has no resource type named {type_name:?}.",
                    self.provider.type_name()
                ),
            );
            d
        })
    }

    fn stop_token(&self) -> CancellationToken {
        match self.stop.lock() {
            Ok(token) => token.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Runs remote work unless StopProvider cancels it first.
    async fn cancellable<T>(
        &self,
        work: impl std::future::Future<Output = T>,
    ) -> Result<T, Diagnostics> {
        let token = self.stop_token();
        tokio::select! {
            out = work => Ok(out),
            _ = token.cancelled() => {
                let mut d = Diagnostics::new();
                d.error(
                    "Operation cancelled",
                    "Terraform asked the provider to stop (StopProvider) before this operation finished.",
                );
                Err(d)
            }
        }
    }
}

/// What this provider tells Terraform it supports.
fn server_capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

/// Responses that carry diagnostics, so a failure anywhere can be reported
/// on the response Terraform is waiting for.
trait WithDiagnostics: Default {
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
async fn guarded<R: WithDiagnostics>(
    rpc: &'static str,
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
            Ok(Response::new(R::from_diagnostics(d)))
        }
    }
}

/// An error diagnostic for capabilities this provider does not offer.
fn unsupported(what: &str, name: &str) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error(
        format!("Unsupported {what}"),
        format!("The identitycenter provider does not offer a {what} named {name:?}."),
    );
    d
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A one-message stream, for streaming RPCs we can only answer with an error.
fn single<T: Send + 'static>(item: T) -> BoxStream<T> {
    Box::pin(futures_util::stream::iter([Ok(item)]))
}

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        guarded("GetMetadata", async {
            pb::get_metadata::Response {
                server_capabilities: Some(server_capabilities()),
                resources: self
                    .resources
                    .keys()
                    .map(|name| pb::get_metadata::ResourceMetadata {
                        type_name: name.to_string(),
                    })
                    .collect(),
                ..Default::default()
            }
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        guarded("GetProviderSchema", async { self.schema_response.clone() }).await
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateProviderConfig", async {
            let ty = self.provider_schema.implied_type();
            let diags = match decode_dynamic(req.config.as_ref(), &ty, "provider configuration") {
                Ok(config) => self.provider.validate_config(&config),
                Err(d) => d,
            };
            pb::validate_provider_config::Response::from_diagnostics(diags)
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateResourceConfig", async {
            let diags = (|| {
                let entry = self.resource(&req.type_name)?;
                let config = decode_dynamic(
                    req.config.as_ref(),
                    &entry.schema.implied_type(),
                    "configuration",
                )?;
                let mut diags = Diagnostics::new();
                let root = crate::value::AttributePath::root();
                entry
                    .schema
                    .block
                    .check_read_only(&config, &root, &mut diags);
                diags.extend(entry.resource.validate(&config));
                Ok::<_, Diagnostics>(diags)
            })()
            .unwrap_or_else(|d| d);
            pb::validate_resource_config::Response::from_diagnostics(diags)
        })
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateDataResourceConfig", async {
            pb::validate_data_resource_config::Response::from_diagnostics(unsupported(
                "data source",
                &req.type_name,
            ))
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = request.into_inner();
        guarded("UpgradeResourceState", async {
            match self.upgrade_state(req) {
                Ok(upgraded_state) => pb::upgrade_resource_state::Response {
                    upgraded_state: Some(upgraded_state),
                    diagnostics: Vec::new(),
                },
                Err(d) => pb::upgrade_resource_state::Response::from_diagnostics(d),
            }
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        // No resource declares an identity yet: an empty map, which Terraform
        // treats the same as a provider without identity support.
        guarded("GetResourceIdentitySchemas", async {
            pb::get_resource_identity_schemas::Response::default()
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let req = request.into_inner();
        guarded("UpgradeResourceIdentity", async {
            pb::upgrade_resource_identity::Response::from_diagnostics(unsupported(
                "resource identity",
                &req.type_name,
            ))
        })
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let req = request.into_inner();
        guarded("ConfigureProvider", async {
            let ty = self.provider_schema.implied_type();
            let diags = match decode_dynamic(req.config.as_ref(), &ty, "provider configuration") {
                Ok(config) => {
                    let input = ConfigureInput {
                        config: &config,
                        terraform_version: &req.terraform_version,
                    };
                    self.cancellable(self.provider.configure(input))
                        .await
                        .unwrap_or_else(|d| d)
                }
                Err(d) => d,
            };
            pb::configure_provider::Response::from_diagnostics(diags)
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = request.into_inner();
        guarded("ReadResource", async { self.read(req).await }).await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = request.into_inner();
        guarded("PlanResourceChange", async { self.plan(req) }).await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = request.into_inner();
        guarded("ApplyResourceChange", async { self.apply(req).await }).await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = request.into_inner();
        guarded("ImportResourceState", async { self.import(req).await }).await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = request.into_inner();
        guarded("MoveResourceState", async {
            let mut d = Diagnostics::new();
            d.error(
                "Resource move not supported",
                format!(
                    "The identitycenter provider cannot move {} state into {}; use terraform \
                     import instead.",
                    req.source_type_name, req.target_type_name
                ),
            );
            pb::move_resource_state::Response::from_diagnostics(d)
        })
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = request.into_inner();
        guarded("ReadDataSource", async {
            pb::read_data_source::Response::from_diagnostics(unsupported(
                "data source",
                &req.type_name,
            ))
        })
        .await
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        let req = request.into_inner();
        guarded("GenerateResourceConfig", async {
            // Not advertised: Terraform derives configuration from state itself.
            pb::generate_resource_config::Response::from_diagnostics(unsupported(
                "configuration generator",
                &req.type_name,
            ))
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateEphemeralResourceConfig", async {
            pb::validate_ephemeral_resource_config::Response::from_diagnostics(unsupported(
                "ephemeral resource",
                &req.type_name,
            ))
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        guarded("OpenEphemeralResource", async {
            pb::open_ephemeral_resource::Response::from_diagnostics(unsupported(
                "ephemeral resource",
                &req.type_name,
            ))
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        guarded("RenewEphemeralResource", async {
            pb::renew_ephemeral_resource::Response::from_diagnostics(unsupported(
                "ephemeral resource",
                &req.type_name,
            ))
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        guarded("CloseEphemeralResource", async {
            pb::close_ephemeral_resource::Response::from_diagnostics(unsupported(
                "ephemeral resource",
                &req.type_name,
            ))
        })
        .await
    }

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let req = request.into_inner();
        let event = pb::list_resource::Event {
            diagnostic: diagnostics_to_proto(unsupported("list resource", &req.type_name)),
            ..Default::default()
        };
        Ok(Response::new(single(event)))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateListResourceConfig", async {
            pb::validate_list_resource_config::Response::from_diagnostics(unsupported(
                "list resource",
                &req.type_name,
            ))
        })
        .await
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        guarded("GetFunctions", async {
            pb::get_functions::Response::default()
        })
        .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let req = request.into_inner();
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!(
                    "The identitycenter provider has no function named {:?}.",
                    req.name
                ),
                function_argument: None,
            }),
        }))
    }

    async fn validate_state_store_config(
        &self,
        request: Request<pb::validate_state_store::Request>,
    ) -> Result<Response<pb::validate_state_store::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateStateStoreConfig", async {
            pb::validate_state_store::Response::from_diagnostics(unsupported(
                "state store",
                &req.type_name,
            ))
        })
        .await
    }

    async fn configure_state_store(
        &self,
        request: Request<pb::configure_state_store::Request>,
    ) -> Result<Response<pb::configure_state_store::Response>, Status> {
        let req = request.into_inner();
        guarded("ConfigureStateStore", async {
            pb::configure_state_store::Response::from_diagnostics(unsupported(
                "state store",
                &req.type_name,
            ))
        })
        .await
    }

    type ReadStateBytesStream = BoxStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        request: Request<pb::read_state_bytes::Request>,
    ) -> Result<Response<Self::ReadStateBytesStream>, Status> {
        let req = request.into_inner();
        let response = pb::read_state_bytes::Response {
            diagnostics: diagnostics_to_proto(unsupported("state store", &req.type_name)),
            ..Default::default()
        };
        Ok(Response::new(single(response)))
    }

    async fn write_state_bytes(
        &self,
        request: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Result<Response<pb::write_state_bytes::Response>, Status> {
        let mut chunks = request.into_inner();
        let mut type_name = String::new();
        while let Ok(Some(chunk)) = chunks.message().await {
            if let Some(meta) = chunk.meta {
                type_name = meta.type_name;
            }
        }
        guarded("WriteStateBytes", async {
            pb::write_state_bytes::Response::from_diagnostics(unsupported(
                "state store",
                &type_name,
            ))
        })
        .await
    }

    async fn lock_state(
        &self,
        request: Request<pb::lock_state::Request>,
    ) -> Result<Response<pb::lock_state::Response>, Status> {
        let req = request.into_inner();
        guarded("LockState", async {
            pb::lock_state::Response::from_diagnostics(unsupported("state store", &req.type_name))
        })
        .await
    }

    async fn unlock_state(
        &self,
        request: Request<pb::unlock_state::Request>,
    ) -> Result<Response<pb::unlock_state::Response>, Status> {
        let req = request.into_inner();
        guarded("UnlockState", async {
            pb::unlock_state::Response::from_diagnostics(unsupported("state store", &req.type_name))
        })
        .await
    }

    async fn get_states(
        &self,
        request: Request<pb::get_states::Request>,
    ) -> Result<Response<pb::get_states::Response>, Status> {
        let req = request.into_inner();
        guarded("GetStates", async {
            pb::get_states::Response::from_diagnostics(unsupported("state store", &req.type_name))
        })
        .await
    }

    async fn delete_state(
        &self,
        request: Request<pb::delete_state::Request>,
    ) -> Result<Response<pb::delete_state::Response>, Status> {
        let req = request.into_inner();
        guarded("DeleteState", async {
            pb::delete_state::Response::from_diagnostics(unsupported("state store", &req.type_name))
        })
        .await
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        let req = request.into_inner();
        guarded("PlanAction", async {
            pb::plan_action::Response::from_diagnostics(unsupported("action", &req.action_type))
        })
        .await
    }

    type InvokeActionStream = BoxStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        let req = request.into_inner();
        let event = pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Completed(
                pb::invoke_action::event::Completed {
                    diagnostics: diagnostics_to_proto(unsupported("action", &req.action_type)),
                },
            )),
        };
        Ok(Response::new(single(event)))
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        let req = request.into_inner();
        guarded("ValidateActionConfig", async {
            pb::validate_action_config::Response::from_diagnostics(unsupported(
                "action",
                &req.type_name,
            ))
        })
        .await
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        // Cancel everything in flight, then arm a fresh token so the server
        // keeps serving: StopProvider is advisory, not a shutdown.
        tracing::info!("StopProvider: cancelling operations in flight");
        let mut guard = match self.stop.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.cancel();
        *guard = CancellationToken::new();
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

impl ProviderService {
    fn upgrade_state(
        &self,
        req: pb::upgrade_resource_state::Request,
    ) -> Result<pb::DynamicValue, Diagnostics> {
        let entry = self.resource(&req.type_name)?;
        let ty = entry.schema.implied_type();
        let raw = req.raw_state.unwrap_or_default();
        if raw.json.is_empty() {
            let mut d = Diagnostics::new();
            d.error(
                "Unsupported state format",
                "This state is in the legacy flatmap format from Terraform 0.11 or earlier, which \
                 this provider cannot read. Remove the resource from state and import it again.",
            );
            return Err(d);
        }
        let current = entry.schema.version;
        let state = if req.version == current {
            value::decode_json(&raw.json, &ty).map_err(|e| {
                let mut d = Diagnostics::new();
                d.error(
                    "Invalid stored state",
                    format!("The stored state could not be read: {e}."),
                );
                d
            })?
        } else if req.version > current {
            let mut d = Diagnostics::new();
            d.error(
                "Resource instance managed by a newer provider version",
                format!(
                    "The state was written with schema version {} but this provider only knows \
                     version {current}. Upgrade the provider.",
                    req.version
                ),
            );
            return Err(d);
        } else {
            entry
                .resource
                .upgrade_state(req.version, &raw.json)?
                .unwrap_or(Value::Null)
        };
        encode_dynamic(&state, &ty, "upgraded state")
    }

    async fn read(&self, req: pb::read_resource::Request) -> pb::read_resource::Response {
        let private = req.private.clone();
        let result = async {
            let entry = self.resource(&req.type_name)?;
            let ty = entry.schema.implied_type();
            let current = decode_dynamic(req.current_state.as_ref(), &ty, "current state")?;
            if current.is_null() {
                return Ok((None, Diagnostics::new(), ty));
            }
            let out = self.cancellable(entry.resource.read(&current)).await?;
            Ok::<_, Diagnostics>((out.state, out.diagnostics, ty))
        }
        .await;
        match result {
            // A failed read must not look like "gone": keep the current state.
            Ok((None, diags, _)) if diags.has_errors() => pb::read_resource::Response {
                new_state: req.current_state,
                diagnostics: diagnostics_to_proto(diags),
                private,
                ..Default::default()
            },
            Ok((state, mut diags, ty)) => {
                let new_state = match encode_dynamic(&state.unwrap_or(Value::Null), &ty, "state") {
                    Ok(v) => Some(v),
                    Err(d) => {
                        diags.extend(d);
                        req.current_state.clone()
                    }
                };
                pb::read_resource::Response {
                    new_state,
                    diagnostics: diagnostics_to_proto(diags),
                    private,
                    ..Default::default()
                }
            }
            Err(d) => pb::read_resource::Response {
                new_state: req.current_state,
                diagnostics: diagnostics_to_proto(d),
                private,
                ..Default::default()
            },
        }
    }

    fn plan(&self, req: pb::plan_resource_change::Request) -> pb::plan_resource_change::Response {
        let result = (|| {
            let entry = self.resource(&req.type_name)?;
            let ty = entry.schema.implied_type();
            let prior = decode_dynamic(req.prior_state.as_ref(), &ty, "prior state")?;
            let config = decode_dynamic(req.config.as_ref(), &ty, "configuration")?;
            let proposed =
                decode_dynamic(req.proposed_new_state.as_ref(), &ty, "proposed new state")?;
            let plan = plan_resource_change(
                entry.resource.as_ref(),
                &entry.schema,
                &prior,
                &config,
                &proposed,
            );
            let planned_state = encode_dynamic(&plan.planned, &ty, "planned state")?;
            Ok::<_, Diagnostics>(pb::plan_resource_change::Response {
                planned_state: Some(planned_state),
                requires_replace: plan
                    .requires_replace
                    .iter()
                    .map(super::convert::path_to_proto)
                    .collect(),
                planned_private: req.prior_private.clone(),
                diagnostics: diagnostics_to_proto(plan.diagnostics),
                ..Default::default()
            })
        })();
        result.unwrap_or_else(pb::plan_resource_change::Response::from_diagnostics)
    }

    async fn apply(
        &self,
        req: pb::apply_resource_change::Request,
    ) -> pb::apply_resource_change::Response {
        let private = req.planned_private.clone();
        let result = async {
            let entry = self.resource(&req.type_name)?;
            let ty = entry.schema.implied_type();
            let prior = decode_dynamic(req.prior_state.as_ref(), &ty, "prior state")?;
            let planned = decode_dynamic(req.planned_state.as_ref(), &ty, "planned state")?;
            let resource = entry.resource.as_ref();
            let (state, diags) = if planned.is_null() {
                let diags = self.cancellable(resource.delete(&prior)).await?;
                // On failure keep the prior object so nothing is lost from state.
                let state = if diags.has_errors() {
                    Some(prior)
                } else {
                    None
                };
                (state, diags)
            } else if prior.is_null() {
                let out = self.cancellable(resource.create(&planned)).await?;
                (out.state, out.diagnostics)
            } else {
                let out = self.cancellable(resource.update(&prior, &planned)).await?;
                let state = if out.state.is_none() && out.diagnostics.has_errors() {
                    Some(prior)
                } else {
                    out.state
                };
                (state, out.diagnostics)
            };
            let mut diags = diags;
            let new_state = match encode_dynamic(&state.unwrap_or(Value::Null), &ty, "new state") {
                Ok(v) => Some(v),
                Err(d) => {
                    diags.extend(d);
                    req.prior_state.clone()
                }
            };
            Ok::<_, Diagnostics>(pb::apply_resource_change::Response {
                new_state,
                private: private.clone(),
                diagnostics: diagnostics_to_proto(diags),
                ..Default::default()
            })
        }
        .await;
        result.unwrap_or_else(|d| pb::apply_resource_change::Response {
            new_state: req.prior_state,
            private: req.planned_private,
            diagnostics: diagnostics_to_proto(d),
            ..Default::default()
        })
    }

    async fn import(
        &self,
        req: pb::import_resource_state::Request,
    ) -> pb::import_resource_state::Response {
        let result = async {
            let entry = self.resource(&req.type_name)?;
            let ty = entry.schema.implied_type();
            let out = self.cancellable(entry.resource.import(&req.id)).await?;
            let mut imported = Vec::new();
            if let Some(state) = out.state {
                imported.push(pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: Some(encode_dynamic(&state, &ty, "imported state")?),
                    ..Default::default()
                });
            }
            Ok::<_, Diagnostics>(pb::import_resource_state::Response {
                imported_resources: imported,
                diagnostics: diagnostics_to_proto(out.diagnostics),
                ..Default::default()
            })
        }
        .await;
        result.unwrap_or_else(pb::import_resource_state::Response::from_diagnostics)
    }
}
