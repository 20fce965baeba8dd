//! The identity rules the framework enforces for resources that declare an
//! identity: every result carries one, it is wholly known, and it never
//! changes for an existing object.

use super::handle::ResourceHandle;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::value::Value;

impl ResourceHandle<'_> {
    /// The identity to hand Terraform: what the resource returned, else what
    /// Terraform holds. `held` is the identity already stored (or planned)
    /// for the same object; a different non-null one is refused and `held`
    /// is kept. Null for resources without an identity schema.
    pub(super) fn settle_identity(
        &self,
        held: &Value,
        returned: Option<Value>,
        diagnostics: &mut Diagnostics,
    ) -> Value {
        if self.identity_ty().is_none() {
            return Value::Null;
        }
        let identity = returned.unwrap_or_else(|| held.clone());
        if !held.is_null() && held.is_wholly_known() && identity != *held {
            diagnostics.add(Diagnostic::error(
                "Unexpected identity change",
                format!(
                    "The provider returned a different identity for an existing {}: an object's \
                     identity never changes. This is a bug in the provider.",
                    self.resource().type_name()
                ),
            ));
            return held.clone();
        }
        if !identity.is_wholly_known() {
            diagnostics.add(Diagnostic::error(
                "Provider produced an incomplete identity",
                format!(
                    "The identity of this {} still holds unknown values. This is a bug in the \
                     provider.",
                    self.resource().type_name()
                ),
            ));
            return held.clone();
        }
        identity
    }
}
