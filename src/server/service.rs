//! The tonic implementation of `tfplugin6.Provider`: decode the request,
//! dispatch by type name, encode the response. One small function per RPC.
//! Problems are reported as diagnostics, never as gRPC status codes.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::convert::{decode_dynamic, diagnostics_to_proto, schema_to_proto};
use super::response::{guarded, guarded_or, single, unsupported, BoxStream, WithDiagnostics};
use crate::framework::{ConfigureInput, Diagnostics, Provider, Resource, Schema, StopSignal};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderRpc;

/// A resource type with its schema computed once.
pub(super) struct ResourceEntry {
    pub(super) resource: Arc<dyn Resource>,
    pub(super) schema: Schema,
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

    pub(super) fn resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostics> {
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

    /// The stop signal handed to writes.
    pub(super) fn stop_signal(&self) -> StopSignal {
        StopSignal::new(self.stop_token())
    }

    /// Runs remote work unless StopProvider cancels it first.
    pub(super) async fn cancellable<T>(
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
        let (current, private) = (req.current_state.clone(), req.private.clone());
        let on_panic = |d| pb::read_resource::Response {
            new_state: current,
            private,
            diagnostics: diagnostics_to_proto(d),
            ..Default::default()
        };
        guarded_or("ReadResource", on_panic, async { self.read(req).await }).await
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
        let (prior, private) = (req.prior_state.clone(), req.planned_private.clone());
        let on_panic = |d| pb::apply_resource_change::Response {
            new_state: prior,
            private,
            diagnostics: diagnostics_to_proto(d),
            ..Default::default()
        };
        guarded_or("ApplyResourceChange", on_panic, async {
            self.apply(req).await
        })
        .await
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
