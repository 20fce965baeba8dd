//! UpgradeResourceState: Terraform calls it for every stored object, even at
//! the current version, before anything else touches it.

use super::handle::ResourceHandle;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::registry::Kind;
use crate::framework::resource::{UpgradeIdentityRequest, UpgradeStateRequest};
use crate::value::{self, Value};

impl ResourceHandle<'_> {
    /// Reads stored state written at schema `version`. `raw_json` is `None`
    /// for the legacy flatmap format of Terraform 0.11 and earlier.
    pub fn upgrade_state(
        &self,
        version: i64,
        raw_json: Option<&[u8]>,
    ) -> Result<Value, Diagnostics> {
        let Some(raw_json) = raw_json else {
            return Err(Diagnostic::error(
                "Unsupported state format",
                "This state is in the legacy flatmap format from Terraform 0.11 or earlier, which \
                 this provider cannot read. Remove the resource from state and import it again.",
            )
            .into());
        };
        let current = self.schema().version;
        if version > current {
            return Err(Diagnostic::error(
                "Resource instance managed by a newer provider version",
                format!(
                    "The state was written with schema version {version} but this provider only \
                     knows version {current}. Upgrade the provider."
                ),
            )
            .into());
        }
        if version == current {
            return value::decode_json(raw_json, self.ty()).map_err(|e| {
                Diagnostic::error(
                    "Invalid stored state",
                    format!("The stored state could not be read: {e}."),
                )
                .into()
            });
        }
        let response = self.resource().upgrade_state(UpgradeStateRequest {
            version,
            raw_json: raw_json.to_vec(),
        });
        if response.diagnostics.has_errors() {
            return Err(response.diagnostics);
        }
        Ok(response.state.unwrap_or(Value::Null))
    }

    /// Reads a stored identity written at identity schema `version`.
    /// Identities are only stored as JSON.
    pub fn upgrade_identity(&self, version: i64, raw_json: &[u8]) -> Result<Value, Diagnostics> {
        let Some(identity) = &self.entry.identity else {
            return Err(self
                .engine
                .not_offered(Kind::ResourceIdentity, self.resource().type_name()));
        };
        let current = identity.schema.version;
        if version > current {
            return Err(Diagnostic::error(
                "Resource instance managed by a newer provider version",
                format!(
                    "The identity was written with identity schema version {version} but this \
                     provider only knows version {current}. Upgrade the provider."
                ),
            )
            .into());
        }
        if version == current {
            return value::decode_json(raw_json, &identity.ty).map_err(|e| {
                Diagnostic::error(
                    "Invalid stored identity",
                    format!("The stored identity could not be read: {e}."),
                )
                .into()
            });
        }
        let response = self.resource().upgrade_identity(UpgradeIdentityRequest {
            version,
            raw_json: raw_json.to_vec(),
        });
        if response.diagnostics.has_errors() {
            return Err(response.diagnostics);
        }
        Ok(response.identity.unwrap_or(Value::Null))
    }
}
