//! What the framework tells Terraform it supports, and the answers to the
//! resource capabilities it does not announce.

use super::handle::{Engine, ResourceHandle};
use crate::framework::diagnostics::{Diagnostic, Diagnostics};

/// What the server tells Terraform it supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// PlanResourceChange is called for destroys too.
    pub plan_destroy: bool,
    /// Terraform may reuse a cached schema instead of asking every process.
    pub get_provider_schema_optional: bool,
    /// MoveResourceState is implemented.
    pub move_resource_state: bool,
    /// GenerateResourceConfig is implemented.
    pub generate_resource_config: bool,
}

impl Engine {
    /// What this server supports.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: false,
            generate_resource_config: false,
        }
    }
}

impl ResourceHandle<'_> {
    /// MoveResourceState is not announced; if Terraform asks anyway, say
    /// what to do instead.
    pub fn move_state_from(&self, source_type: &str) -> Diagnostics {
        Diagnostic::error(
            "Resource move not supported",
            format!(
                "The {} provider cannot move {source_type} state into {}; use terraform import \
                 instead.",
                self.engine.provider_name(),
                self.resource().type_name()
            ),
        )
        .into()
    }

    /// GenerateResourceConfig is not announced, so Terraform writes
    /// generated configuration from state itself.
    pub fn config_generation_unsupported(&self) -> Diagnostics {
        Diagnostic::error(
            "Configuration generation not supported",
            format!(
                "The {} provider does not generate configuration for {}; Terraform derives it \
                 from state.",
                self.engine.provider_name(),
                self.resource().type_name()
            ),
        )
        .into()
    }
}
