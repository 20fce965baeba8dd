//! The tonic implementation of `tfplugin6.Provider`. Every RPC has the same
//! short shape: look the type up, decode, call the framework, encode. The
//! behaviour lives in [`crate::framework::engine`]; problems are reported as
//! diagnostics, never as gRPC status codes.

use std::sync::Arc;

use tonic::{Request, Response, Status, Streaming};

use super::convert::{
    capabilities_to_proto, decode_dynamic as decode, decode_identity, diagnostics_to_proto,
    encode_dynamic as encode, encode_identity, identity_schema_to_proto, path_to_proto,
    schema_to_proto, signature_to_proto,
};
use super::function_call::call_function;
use super::list_stream::list_events;
use super::response::{run, run_plain, single, BoxStream, RpcResult, WithDiagnostics};
use crate::framework::engine::{ApplyInput, Engine, PlanInput, ReadInput};
use crate::framework::{Diagnostics, Kind, Provider};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderRpc;
use crate::value::Value;

/// This provider declares no `provider_meta` schema, so Terraform never
/// sends one.
const NO_PROVIDER_META: Value = Value::Null;

/// Serves one [`Provider`] over tfplugin6.
pub struct ProviderService {
    engine: Engine,
    schema_response: pb::get_provider_schema::Response,
    metadata_response: pb::get_metadata::Response,
    identity_response: pb::get_resource_identity_schemas::Response,
}

impl ProviderService {
    /// Wraps a provider; its schemas are computed and converted once, here.
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        let engine = Engine::new(provider);
        let capabilities = capabilities_to_proto(engine.capabilities());
        let schema_response = pb::get_provider_schema::Response {
            provider: Some(schema_to_proto(&engine.provider_schema().schema)),
            resource_schemas: engine
                .resource_schemas()
                .map(|(n, s)| (n.to_string(), schema_to_proto(s)))
                .collect(),
            data_source_schemas: engine
                .data_source_schemas()
                .map(|(n, s)| (n.to_string(), schema_to_proto(s)))
                .collect(),
            functions: engine
                .function_signatures()
                .map(|(n, s)| (n.to_string(), signature_to_proto(s)))
                .collect(),
            list_resource_schemas: engine
                .list_resource_schemas()
                .map(|(n, s)| (n.to_string(), schema_to_proto(s)))
                .collect(),
            server_capabilities: Some(capabilities),
            ..Default::default()
        };
        let metadata_response = pb::get_metadata::Response {
            server_capabilities: Some(capabilities),
            resources: engine
                .resource_schemas()
                .map(|(n, _)| pb::get_metadata::ResourceMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            data_sources: engine
                .data_source_schemas()
                .map(|(n, _)| pb::get_metadata::DataSourceMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            functions: engine
                .function_signatures()
                .map(|(n, _)| pb::get_metadata::FunctionMetadata {
                    name: n.to_string(),
                })
                .collect(),
            list_resources: engine
                .list_resource_schemas()
                .map(|(n, _)| pb::get_metadata::ListResourceMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            ..Default::default()
        };
        let identity_response = pb::get_resource_identity_schemas::Response {
            identity_schemas: engine
                .identity_schemas()
                .map(|(n, s)| (n.to_string(), identity_schema_to_proto(s)))
                .collect(),
            diagnostics: Vec::new(),
        };
        Self {
            engine,
            schema_response,
            metadata_response,
            identity_response,
        }
    }

    /// The diagnostics for a kind of thing this provider does not offer.
    fn unoffered(&self, rpc: &'static str, kind: Kind, name: &str) -> Diagnostics {
        let _span = tracing::debug_span!("rpc", tf_rpc = rpc, tf_type_name = name).entered();
        tracing::debug!("not offered");
        self.engine.not_offered(kind, name)
    }

    /// Answers a request for a kind of thing this provider does not offer.
    fn not_offered<R: WithDiagnostics>(
        &self,
        rpc: &'static str,
        kind: Kind,
        name: &str,
    ) -> RpcResult<R> {
        Ok(Response::new(R::from_diagnostics(
            self.unoffered(rpc, kind, name),
        )))
    }
}

#[tonic::async_trait]
impl ProviderRpc for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> RpcResult<pb::get_metadata::Response> {
        run_plain("GetMetadata", "", async {
            Ok(self.metadata_response.clone())
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> RpcResult<pb::get_provider_schema::Response> {
        run_plain("GetProviderSchema", "", async {
            Ok(self.schema_response.clone())
        })
        .await
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> RpcResult<pb::validate_provider_config::Response> {
        let req = request.into_inner();
        run_plain("ValidateProviderConfig", "", async move {
            let config = decode(
                req.config.as_ref(),
                &self.engine.provider_schema().ty,
                "provider configuration",
            )?;
            let diags = self.engine.validate_provider_config(config);
            Ok(WithDiagnostics::from_diagnostics(diags))
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> RpcResult<pb::validate_resource_config::Response> {
        let req = request.into_inner();
        run_plain(
            "ValidateResourceConfig",
            &req.type_name.clone(),
            async move {
                let resource = self.engine.resource(&req.type_name)?;
                let config = decode(req.config.as_ref(), resource.ty(), "configuration")?;
                Ok(WithDiagnostics::from_diagnostics(resource.validate(config)))
            },
        )
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> RpcResult<pb::validate_data_resource_config::Response> {
        let req = request.into_inner();
        run_plain(
            "ValidateDataResourceConfig",
            &req.type_name.clone(),
            async move {
                let data_source = self.engine.data_source(&req.type_name)?;
                let config = decode(req.config.as_ref(), data_source.ty(), "configuration")?;
                Ok(WithDiagnostics::from_diagnostics(
                    data_source.validate(config),
                ))
            },
        )
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> RpcResult<pb::upgrade_resource_state::Response> {
        let req = request.into_inner();
        run_plain("UpgradeResourceState", &req.type_name.clone(), async move {
            let resource = self.engine.resource(&req.type_name)?;
            let raw = req.raw_state.unwrap_or_default();
            let json = (!raw.json.is_empty()).then_some(raw.json.as_slice());
            let state = resource.upgrade_state(req.version, json)?;
            Ok(pb::upgrade_resource_state::Response {
                upgraded_state: Some(encode(&state, resource.ty(), "upgraded state")?),
                diagnostics: Vec::new(),
            })
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> RpcResult<pb::get_resource_identity_schemas::Response> {
        run_plain("GetResourceIdentitySchemas", "", async {
            Ok(self.identity_response.clone())
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> RpcResult<pb::upgrade_resource_identity::Response> {
        let req = request.into_inner();
        run_plain(
            "UpgradeResourceIdentity",
            &req.type_name.clone(),
            async move {
                let resource = self.engine.resource(&req.type_name)?;
                let raw = req.raw_identity.unwrap_or_default();
                let identity = resource.upgrade_identity(req.version, &raw.json)?;
                Ok(pb::upgrade_resource_identity::Response {
                    upgraded_identity: encode_identity(&identity, resource.identity_ty())?,
                    diagnostics: Vec::new(),
                })
            },
        )
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> RpcResult<pb::configure_provider::Response> {
        let req = request.into_inner();
        run_plain("ConfigureProvider", "", async move {
            let config = decode(
                req.config.as_ref(),
                &self.engine.provider_schema().ty,
                "provider configuration",
            )?;
            let diags = self
                .engine
                .configure_provider(config, req.terraform_version)
                .await;
            Ok(WithDiagnostics::from_diagnostics(diags))
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> RpcResult<pb::read_resource::Response> {
        let req = request.into_inner();
        let (current, private) = (req.current_state.clone(), req.private.clone());
        let identity = req.current_identity.clone();
        let keep = |d| pb::read_resource::Response {
            new_state: current,
            private,
            new_identity: identity,
            diagnostics: diagnostics_to_proto(d),
            ..Default::default()
        };
        run("ReadResource", &req.type_name.clone(), keep, async move {
            let resource = self.engine.resource(&req.type_name)?;
            let input = ReadInput {
                current: decode(req.current_state.as_ref(), resource.ty(), "current state")?,
                private: req.private,
                identity: decode_identity(req.current_identity.as_ref(), resource.identity_ty())?,
                provider_meta: NO_PROVIDER_META,
            };
            let out = resource.read(input).await;
            Ok(pb::read_resource::Response {
                new_state: Some(encode(&out.state, resource.ty(), "state")?),
                private: out.private,
                new_identity: encode_identity(&out.identity, resource.identity_ty())?,
                diagnostics: diagnostics_to_proto(out.diagnostics),
                ..Default::default()
            })
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> RpcResult<pb::plan_resource_change::Response> {
        let req = request.into_inner();
        run_plain("PlanResourceChange", &req.type_name.clone(), async move {
            let resource = self.engine.resource(&req.type_name)?;
            let ty = resource.ty();
            let plan = resource.plan(PlanInput {
                prior: decode(req.prior_state.as_ref(), ty, "prior state")?,
                config: decode(req.config.as_ref(), ty, "configuration")?,
                proposed: decode(req.proposed_new_state.as_ref(), ty, "proposed new state")?,
                prior_private: req.prior_private,
                prior_identity: decode_identity(
                    req.prior_identity.as_ref(),
                    resource.identity_ty(),
                )?,
            });
            Ok(pb::plan_resource_change::Response {
                planned_state: Some(encode(&plan.planned, ty, "planned state")?),
                requires_replace: plan.requires_replace.iter().map(path_to_proto).collect(),
                planned_private: plan.private,
                planned_identity: encode_identity(&plan.identity, resource.identity_ty())?,
                diagnostics: diagnostics_to_proto(plan.diagnostics),
                ..Default::default()
            })
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> RpcResult<pb::apply_resource_change::Response> {
        let req = request.into_inner();
        let (prior, private) = (req.prior_state.clone(), req.planned_private.clone());
        let identity = req.planned_identity.clone();
        let keep = |d| pb::apply_resource_change::Response {
            new_state: prior,
            private,
            new_identity: identity,
            diagnostics: diagnostics_to_proto(d),
            ..Default::default()
        };
        run(
            "ApplyResourceChange",
            &req.type_name.clone(),
            keep,
            async move {
                let resource = self.engine.resource(&req.type_name)?;
                let ty = resource.ty();
                let input = ApplyInput {
                    prior: decode(req.prior_state.as_ref(), ty, "prior state")?,
                    planned: decode(req.planned_state.as_ref(), ty, "planned state")?,
                    config: decode(req.config.as_ref(), ty, "configuration")?,
                    planned_private: req.planned_private,
                    planned_identity: decode_identity(
                        req.planned_identity.as_ref(),
                        resource.identity_ty(),
                    )?,
                    provider_meta: NO_PROVIDER_META,
                };
                let out = resource.apply(input).await;
                Ok(pb::apply_resource_change::Response {
                    new_state: Some(encode(&out.state, ty, "new state")?),
                    private: out.private,
                    new_identity: encode_identity(&out.identity, resource.identity_ty())?,
                    diagnostics: diagnostics_to_proto(out.diagnostics),
                    ..Default::default()
                })
            },
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> RpcResult<pb::import_resource_state::Response> {
        let req = request.into_inner();
        run_plain("ImportResourceState", &req.type_name.clone(), async move {
            let resource = self.engine.resource(&req.type_name)?;
            let identity = decode_identity(req.identity.as_ref(), resource.identity_ty())?;
            let out = resource.import(req.id, identity).await;
            let mut imported = Vec::new();
            for object in out.imported {
                let target = self.engine.resource(&object.type_name)?;
                imported.push(pb::import_resource_state::ImportedResource {
                    state: Some(encode(&object.state, target.ty(), "imported state")?),
                    identity: encode_identity(&object.identity, target.identity_ty())?,
                    type_name: object.type_name,
                    private: object.private,
                });
            }
            Ok(pb::import_resource_state::Response {
                imported_resources: imported,
                diagnostics: diagnostics_to_proto(out.diagnostics),
                ..Default::default()
            })
        })
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> RpcResult<pb::move_resource_state::Response> {
        let req = request.into_inner();
        run_plain(
            "MoveResourceState",
            &req.target_type_name.clone(),
            async move {
                let target = self.engine.resource(&req.target_type_name)?;
                Err(target.move_state_from(&req.source_type_name))
            },
        )
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> RpcResult<pb::read_data_source::Response> {
        let req = request.into_inner();
        run_plain("ReadDataSource", &req.type_name.clone(), async move {
            let data_source = self.engine.data_source(&req.type_name)?;
            let config = decode(req.config.as_ref(), data_source.ty(), "configuration")?;
            let (state, diags) = data_source.read(config, NO_PROVIDER_META).await;
            Ok(pb::read_data_source::Response {
                state: Some(encode(&state, data_source.ty(), "data source result")?),
                diagnostics: diagnostics_to_proto(diags),
                ..Default::default()
            })
        })
        .await
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> RpcResult<pb::generate_resource_config::Response> {
        let req = request.into_inner();
        run_plain(
            "GenerateResourceConfig",
            &req.type_name.clone(),
            async move {
                let resource = self.engine.resource(&req.type_name)?;
                let state = decode(req.state.as_ref(), resource.ty(), "state")?;
                let config = resource.generate_config(state);
                Ok(pb::generate_resource_config::Response {
                    config: Some(encode(&config, resource.ty(), "generated configuration")?),
                    diagnostics: Vec::new(),
                })
            },
        )
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> RpcResult<pb::validate_ephemeral_resource_config::Response> {
        let name = request.into_inner().type_name;
        self.not_offered(
            "ValidateEphemeralResourceConfig",
            Kind::EphemeralResource,
            &name,
        )
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> RpcResult<pb::open_ephemeral_resource::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("OpenEphemeralResource", Kind::EphemeralResource, &name)
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> RpcResult<pb::renew_ephemeral_resource::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("RenewEphemeralResource", Kind::EphemeralResource, &name)
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> RpcResult<pb::close_ephemeral_resource::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("CloseEphemeralResource", Kind::EphemeralResource, &name)
    }

    type ListResourceStream = BoxStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> RpcResult<Self::ListResourceStream> {
        let req = request.into_inner();
        let span =
            tracing::debug_span!("rpc", tf_rpc = "ListResource", tf_type_name = %req.type_name);
        let _entered = span.enter();
        tracing::debug!("received request");
        Ok(Response::new(list_events(&self.engine, req)))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> RpcResult<pb::validate_list_resource_config::Response> {
        let req = request.into_inner();
        run_plain(
            "ValidateListResourceConfig",
            &req.type_name.clone(),
            async move {
                let list = self.engine.list_resource(&req.type_name)?;
                let config = decode(req.config.as_ref(), list.config_ty(), "list configuration")?;
                Ok(WithDiagnostics::from_diagnostics(list.validate(config)))
            },
        )
        .await
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> RpcResult<pb::get_functions::Response> {
        run_plain("GetFunctions", "", async {
            Ok(pb::get_functions::Response {
                functions: self.schema_response.functions.clone(),
                diagnostics: Vec::new(),
            })
        })
        .await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> RpcResult<pb::call_function::Response> {
        Ok(Response::new(
            call_function(&self.engine, request.into_inner()).await,
        ))
    }

    async fn validate_state_store_config(
        &self,
        request: Request<pb::validate_state_store::Request>,
    ) -> RpcResult<pb::validate_state_store::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("ValidateStateStoreConfig", Kind::StateStore, &name)
    }

    async fn configure_state_store(
        &self,
        request: Request<pb::configure_state_store::Request>,
    ) -> RpcResult<pb::configure_state_store::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("ConfigureStateStore", Kind::StateStore, &name)
    }

    type ReadStateBytesStream = BoxStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        request: Request<pb::read_state_bytes::Request>,
    ) -> RpcResult<Self::ReadStateBytesStream> {
        let name = request.into_inner().type_name;
        let response = self.not_offered("ReadStateBytes", Kind::StateStore, &name)?;
        Ok(Response::new(single(response.into_inner())))
    }

    async fn write_state_bytes(
        &self,
        request: Request<Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> RpcResult<pb::write_state_bytes::Response> {
        // The type name comes with the chunks; drain them to learn it.
        let mut chunks = request.into_inner();
        let mut name = String::new();
        while let Ok(Some(chunk)) = chunks.message().await {
            if let Some(meta) = chunk.meta {
                name = meta.type_name;
            }
        }
        self.not_offered("WriteStateBytes", Kind::StateStore, &name)
    }

    async fn lock_state(
        &self,
        request: Request<pb::lock_state::Request>,
    ) -> RpcResult<pb::lock_state::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("LockState", Kind::StateStore, &name)
    }

    async fn unlock_state(
        &self,
        request: Request<pb::unlock_state::Request>,
    ) -> RpcResult<pb::unlock_state::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("UnlockState", Kind::StateStore, &name)
    }

    async fn get_states(
        &self,
        request: Request<pb::get_states::Request>,
    ) -> RpcResult<pb::get_states::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("GetStates", Kind::StateStore, &name)
    }

    async fn delete_state(
        &self,
        request: Request<pb::delete_state::Request>,
    ) -> RpcResult<pb::delete_state::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("DeleteState", Kind::StateStore, &name)
    }

    async fn plan_action(
        &self,
        request: Request<pb::plan_action::Request>,
    ) -> RpcResult<pb::plan_action::Response> {
        let name = request.into_inner().action_type;
        self.not_offered("PlanAction", Kind::Action, &name)
    }

    type InvokeActionStream = BoxStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        request: Request<pb::invoke_action::Request>,
    ) -> RpcResult<Self::InvokeActionStream> {
        let name = request.into_inner().action_type;
        let completed = pb::invoke_action::event::Completed {
            diagnostics: diagnostics_to_proto(self.unoffered("InvokeAction", Kind::Action, &name)),
        };
        let event = pb::invoke_action::Event {
            r#type: Some(pb::invoke_action::event::Type::Completed(completed)),
        };
        Ok(Response::new(single(event)))
    }

    async fn validate_action_config(
        &self,
        request: Request<pb::validate_action_config::Request>,
    ) -> RpcResult<pb::validate_action_config::Response> {
        let name = request.into_inner().type_name;
        self.not_offered("ValidateActionConfig", Kind::Action, &name)
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        // Advisory: cancel what is in flight and keep serving.
        let span = tracing::debug_span!("rpc", tf_rpc = "StopProvider");
        let _entered = span.enter();
        self.engine.stop_all();
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::IdentityCenterProvider;

    fn summaries(diagnostics: &[pb::Diagnostic]) -> Vec<(String, String)> {
        diagnostics
            .iter()
            .map(|d| (d.summary.clone(), d.detail.clone()))
            .collect()
    }

    #[tokio::test]
    async fn unknown_names_and_kinds_not_offered_are_diagnostics() {
        use crate::framework::Provider;
        let provider = Arc::new(IdentityCenterProvider::new());
        // Offered names are listed in order.
        let mut resources: Vec<&str> = provider.resources().iter().map(|r| r.type_name()).collect();
        let mut data_sources: Vec<&str> = provider
            .data_sources()
            .iter()
            .map(|d| d.type_name())
            .collect();
        resources.sort_unstable();
        data_sources.sort_unstable();
        let service = ProviderService::new(provider);
        let read = service
            .read_resource(Request::new(pb::read_resource::Request {
                type_name: "identitycenter_nope".into(),
                ..Default::default()
            }))
            .await
            .expect("a response")
            .into_inner();
        assert_eq!(
            summaries(&read.diagnostics),
            [(
                "Unknown resource type".to_string(),
                format!(
                    "The identitycenter provider has no resource type named \
                     \"identitycenter_nope\". It offers: {}.",
                    resources.join(", ")
                )
            )]
        );
        let data = service
            .read_data_source(Request::new(pb::read_data_source::Request {
                type_name: "identitycenter_nope".into(),
                ..Default::default()
            }))
            .await
            .expect("a response")
            .into_inner();
        let (summary, detail) = &summaries(&data.diagnostics)[0];
        assert_eq!(summary, "Unknown data source");
        assert!(
            detail.ends_with(&format!("It offers: {}.", data_sources.join(", "))),
            "{detail}"
        );
        let ephemeral = service
            .open_ephemeral_resource(Request::new(pb::open_ephemeral_resource::Request {
                type_name: "identitycenter_token".into(),
                ..Default::default()
            }))
            .await
            .expect("a response")
            .into_inner();
        assert_eq!(
            summaries(&ephemeral.diagnostics),
            [(
                "Unsupported ephemeral resource type".to_string(),
                "The identitycenter provider offers no ephemeral resource types, so it has \
                 none named \"identitycenter_token\"."
                    .to_string()
            )]
        );
    }
}
