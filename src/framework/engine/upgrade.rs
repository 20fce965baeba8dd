//! UpgradeResourceState: Terraform calls it for every stored object, even at
//! the current version, before anything else touches it.

use super::handle::ResourceHandle;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::registry::Kind;
use crate::framework::resource::{UpgradeIdentityRequest, UpgradeStateRequest};
use crate::value::{self, Type, Value};

impl ResourceHandle<'_> {
    /// Reads stored state written at schema `version`. `raw_json` is `None`
    /// for the legacy flatmap format of Terraform 0.11 and earlier.
    pub(crate) fn upgrade_state(
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
        read_stored(
            ("state", "schema"),
            version,
            current,
            raw_json,
            self.ty(),
            || {
                let response = self.resource().upgrade_state(UpgradeStateRequest {
                    version,
                    raw_json: raw_json.to_vec(),
                });
                (response.diagnostics, response.state)
            },
        )
    }

    /// Reads a stored identity written at identity schema `version`.
    /// Identities are only stored as JSON.
    pub(crate) fn upgrade_identity(
        &self,
        version: i64,
        raw_json: &[u8],
    ) -> Result<Value, Diagnostics> {
        let Some(identity) = &self.entry.identity else {
            return Err(self
                .engine
                .not_offered(Kind::ResourceIdentity, self.resource().type_name()));
        };
        let current = identity.schema.version;
        read_stored(
            ("identity", "identity schema"),
            version,
            current,
            raw_json,
            &identity.ty,
            || {
                let response = self.resource().upgrade_identity(UpgradeIdentityRequest {
                    version,
                    raw_json: raw_json.to_vec(),
                });
                (response.diagnostics, response.identity)
            },
        )
    }
}

/// A stored value (`noun`: state or identity) written at `version` of its
/// schema (`schema`, for messages), read at the `current` version: refused
/// when newer, decoded as it is when current, handed to the resource's
/// `upgrade` when older.
fn read_stored(
    (noun, schema): (&str, &str),
    version: i64,
    current: i64,
    raw_json: &[u8],
    ty: &Type,
    upgrade: impl FnOnce() -> (Diagnostics, Option<Value>),
) -> Result<Value, Diagnostics> {
    if version > current {
        return Err(Diagnostic::error(
            "Resource instance managed by a newer provider version",
            format!(
                "The {noun} was written with {schema} version {version} but this provider \
                 only knows version {current}. Upgrade the provider."
            ),
        )
        .into());
    }
    if version == current {
        return value::decode_json(raw_json, ty).map_err(|e| {
            Diagnostic::error(
                format!("Invalid stored {noun}"),
                format!("The stored {noun} could not be read: {e}."),
            )
            .into()
        });
    }
    let (diagnostics, upgraded) = upgrade();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(upgraded.unwrap_or(Value::Null))
}
