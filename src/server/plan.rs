//! The plan pipeline for managed resources, following the rules Terraform
//! enforces on PlanResourceChange responses:
//! - configured values are kept as written;
//! - computed attributes that the configuration leaves null keep their prior
//!   value on update and become unknown on create;
//! - attributes listed by the resource as replace-on-change produce
//!   `requires_replace` paths when their planned value differs from prior.

use crate::framework::{Diagnostics, PlanInput, Resource, Schema};
use crate::value::{AttributePath, PathStep, Value};

/// A finished plan.
pub struct Plan {
    /// The planned new state (null for destroy).
    pub planned: Value,
    /// Paths whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
    /// Errors and warnings from the resource.
    pub diagnostics: Diagnostics,
}

/// Plans a change of one resource instance.
pub fn plan_resource_change(
    resource: &dyn Resource,
    schema: &Schema,
    prior: &Value,
    config: &Value,
    proposed: &Value,
) -> Plan {
    let mut diagnostics = Diagnostics::new();
    if proposed.is_null() {
        // Destroy: the only valid plan is null.
        return Plan {
            planned: Value::Null,
            requires_replace: Vec::new(),
            diagnostics,
        };
    }
    let creating = prior.is_null();
    let mut planned = proposed.clone();
    if let Value::Object(attrs) = &mut planned {
        for attribute in schema.block.attributes.iter().filter(|a| a.is_computed()) {
            let configured = config
                .get_attr(&attribute.name)
                .map(|v| !v.is_null())
                .unwrap_or(false);
            if configured {
                continue;
            }
            if creating {
                attrs.insert(attribute.name.clone(), Value::unknown());
            }
        }
    }
    let input = PlanInput {
        prior,
        config,
        proposed,
    };
    resource.modify_plan(&input, &mut planned, &mut diagnostics);

    let requires_replace = if creating {
        Vec::new()
    } else {
        resource
            .replace_on_change()
            .into_iter()
            .filter(|path| {
                let before = value_at(prior, path);
                let after = value_at(&planned, path);
                match (before, after) {
                    (_, Some(a)) if !a.is_wholly_known() => true,
                    (b, a) => b != a,
                }
            })
            .collect()
    };
    Plan {
        planned,
        requires_replace,
        diagnostics,
    }
}

/// Follows attribute steps into nested objects; `None` when the path does
/// not lead anywhere (through a null or a collection).
pub fn value_at<'v>(value: &'v Value, path: &AttributePath) -> Option<&'v Value> {
    let mut current = value;
    for step in path.steps() {
        current = match (step, current) {
            (PathStep::Attribute(name), Value::Object(_)) => current.get_attr(name)?,
            _ => return None,
        };
    }
    Some(current)
}
