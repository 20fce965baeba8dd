//! What the framework tells Terraform it supports, and the answers to the
//! resource capabilities it does not announce.

use super::handle::{Engine, ResourceHandle};
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::schema::{AttributeMode, Block};
use crate::value::Value;

/// What the server tells Terraform it supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// PlanResourceChange is called for destroys too.
    pub plan_destroy: bool,
    /// Terraform may reuse a cached schema instead of asking every process.
    pub get_provider_schema_optional: bool,
    /// MoveResourceState is implemented.
    pub(crate) move_resource_state: bool,
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
            generate_resource_config: true,
        }
    }
}

impl ResourceHandle<'_> {
    /// MoveResourceState is not announced; if Terraform asks anyway, say
    /// what to do instead.
    pub(crate) fn move_state_from(&self, source_type: &str) -> Diagnostics {
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

    /// GenerateResourceConfig: the configuration a person would write for
    /// `state`. Attributes only the provider sets are left out (null);
    /// Terraform writes the rest, and leaves out null blocks.
    pub(crate) fn generate_config(&self, state: Value) -> Value {
        config_from_state(&self.schema().block, state)
    }
}

fn config_from_state(block: &Block, value: Value) -> Value {
    let Value::Object(mut attrs) = value else {
        return value;
    };
    for attribute in &block.attributes {
        if attribute.mode == AttributeMode::Computed {
            attrs.insert(attribute.name.clone(), Value::Null);
        }
    }
    for nested in &block.blocks {
        if let Some(inner) = attrs.remove(&nested.type_name) {
            let inner = match inner {
                Value::List(items) => Value::List(
                    items
                        .into_iter()
                        .map(|i| config_from_state(&nested.block, i))
                        .collect(),
                ),
                Value::Set(items) => Value::Set(
                    items
                        .into_iter()
                        .map(|i| config_from_state(&nested.block, i))
                        .collect(),
                ),
                Value::Map(items) => Value::Map(
                    items
                        .into_iter()
                        .map(|(k, i)| (k, config_from_state(&nested.block, i)))
                        .collect(),
                ),
                other => config_from_state(&nested.block, other),
            };
            attrs.insert(nested.type_name.clone(), inner);
        }
    }
    Value::Object(attrs)
}
