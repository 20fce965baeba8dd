//! The managed-resource RPC bodies: state upgrade, read, plan, apply and
//! import, each turning wire values into framework calls and back.

use super::convert::{decode_dynamic, diagnostics_to_proto, encode_dynamic, path_to_proto};
use super::plan::plan_resource_change;
use super::response::WithDiagnostics;
use super::service::ProviderService;
use crate::framework::Diagnostics;
use crate::proto::tfplugin6 as pb;
use crate::value::{self, Value};

impl ProviderService {
    pub(super) fn upgrade_state(
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

    pub(super) async fn read(
        &self,
        req: pb::read_resource::Request,
    ) -> pb::read_resource::Response {
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

    pub(super) fn plan(
        &self,
        req: pb::plan_resource_change::Request,
    ) -> pb::plan_resource_change::Response {
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
                requires_replace: plan.requires_replace.iter().map(path_to_proto).collect(),
                planned_private: req.prior_private.clone(),
                diagnostics: diagnostics_to_proto(plan.diagnostics),
                ..Default::default()
            })
        })();
        result.unwrap_or_else(pb::plan_resource_change::Response::from_diagnostics)
    }

    pub(super) async fn apply(
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
                let stop = self.stop_signal();
                let out = resource.create(&planned, &stop).await;
                (out.state, out.diagnostics)
            } else {
                let stop = self.stop_signal();
                let out = resource.update(&prior, &planned, &stop).await;
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

    pub(super) async fn import(
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
