//! PlanResourceChange, following the rules Terraform enforces on plans:
//! - configured values are kept as written;
//! - computed attributes the configuration leaves null keep their prior
//!   value on update and become unknown on create;
//! - attributes the schema marks `requires_replace` force replacement when
//!   their planned value differs from the prior one (or is not known yet);
//! - the resource may then adjust the plan.

use super::handle::ResourceHandle;
use super::outcome::PlanOutcome;
use crate::framework::resource::{ModifyPlanRequest, ModifyPlanResponse};
use crate::framework::schema::{Attribute, Block, NestingMode};
use crate::value::{AttributePath, PathStep, Value};

/// What Terraform proposes for one object.
pub struct PlanInput {
    /// The object before the change (null: create).
    pub prior: Value,
    /// The configuration.
    pub config: Value,
    /// Terraform's proposal (null: destroy).
    pub(crate) proposed: Value,
    /// The prior object's private bytes.
    pub(crate) prior_private: Vec<u8>,
    /// The prior object's identity (null: none).
    pub prior_identity: Value,
}

impl ResourceHandle<'_> {
    /// Plans the change from `prior` to `proposed`.
    pub fn plan(&self, input: PlanInput) -> PlanOutcome {
        let PlanInput {
            prior,
            config,
            proposed,
            prior_private,
            prior_identity,
        } = input;
        if proposed.is_null() {
            // Destroy: the only valid plan is null.
            return PlanOutcome {
                planned: Value::Null,
                requires_replace: Vec::new(),
                private: prior_private,
                identity: prior_identity,
                diagnostics: Default::default(),
            };
        }
        let creating = prior.is_null();
        let mut planned = proposed.clone();
        if creating {
            mark_unset_computed_unknown(&self.schema().block, &config, &mut planned);
        }
        let request = ModifyPlanRequest {
            prior,
            config,
            proposed,
            prior_identity,
        };
        let mut response = ModifyPlanResponse::new(planned);
        self.resource().modify_plan(&request, &mut response);
        if !creating {
            keep_state_for_unknown(&self.schema().block, &request.prior, &mut response.planned);
        }
        let mut requires_replace = Vec::new();
        if !creating {
            requires_replace = replace_paths(&self.schema().block)
                .into_iter()
                .filter(|path| {
                    let before = value_at(&request.prior, path);
                    match value_at(&response.planned, path) {
                        Some(after) if !after.is_wholly_known() => true,
                        after => before != after,
                    }
                })
                .collect();
            for path in std::mem::take(&mut response.requires_replace) {
                if !requires_replace.contains(&path) {
                    requires_replace.push(path);
                }
            }
        }
        let identity = if creating || !requires_replace.is_empty() {
            // A new object: its identity once wholly known, else none until
            // apply (Terraform cannot even show a plan whose identity holds
            // unknown values).
            match response.identity.take() {
                Some(identity) if self.identity_ty().is_some() && identity.is_wholly_known() => {
                    identity
                }
                _ => Value::Null,
            }
        } else {
            self.settle_identity(
                &request.prior_identity,
                response.identity.take(),
                &mut response.diagnostics,
            )
        };
        PlanOutcome {
            planned: response.planned,
            requires_replace,
            private: response.private.unwrap_or(prior_private),
            identity,
            diagnostics: response.diagnostics,
        }
    }
}

/// On create, every computed attribute the configuration leaves null will
/// be set by the provider: plan it unknown.
fn mark_unset_computed_unknown(block: &Block, config: &Value, planned: &mut Value) {
    let Value::Object(attrs) = planned else {
        return;
    };
    for attribute in block.attributes.iter().filter(|a| a.is_computed()) {
        let configured = config
            .get_attr(&attribute.name)
            .is_some_and(|v| !v.is_null());
        if !configured {
            attrs.insert(attribute.name.clone(), Value::unknown());
        }
    }
}

/// Paths of the attributes marked `requires_replace`, through single and
/// group blocks (elements of collections have no stable path to compare).
fn replace_paths(block: &Block) -> Vec<AttributePath> {
    paths_where(block, |a| a.requires_replace)
}

/// Paths of the attributes `wanted` picks, through single and group blocks.
fn paths_where(block: &Block, wanted: fn(&Attribute) -> bool) -> Vec<AttributePath> {
    let mut out = Vec::new();
    collect_paths(block, &AttributePath::root(), wanted, &mut out);
    out
}

fn collect_paths(
    block: &Block,
    at: &AttributePath,
    wanted: fn(&Attribute) -> bool,
    out: &mut Vec<AttributePath>,
) {
    for attribute in block.attributes.iter().filter(|a| wanted(a)) {
        out.push(at.clone().attribute(&attribute.name));
    }
    for nested in &block.blocks {
        if matches!(nested.nesting, NestingMode::Single | NestingMode::Group) {
            collect_paths(
                &nested.block,
                &at.clone().attribute(&nested.type_name),
                wanted,
                out,
            );
        }
    }
}

/// On update, an attribute marked `use_state_for_unknown` that the plan
/// left unknown keeps its prior value.
fn keep_state_for_unknown(block: &Block, prior: &Value, planned: &mut Value) {
    for path in paths_where(block, |a| a.use_state_for_unknown) {
        let Some(before) = value_at(prior, &path).filter(|v| !v.is_null()).cloned() else {
            continue;
        };
        if let Some(slot) = value_at_mut(planned, &path) {
            if matches!(slot, Value::Unknown(_)) {
                *slot = before;
            }
        }
    }
}

/// Like [`value_at`], for changing the value found.
fn value_at_mut<'v>(value: &'v mut Value, path: &AttributePath) -> Option<&'v mut Value> {
    let mut current = value;
    for step in path.steps() {
        current = match (step, current) {
            (PathStep::Attribute(name), Value::Object(attrs)) => attrs.get_mut(name.as_str())?,
            _ => return None,
        };
    }
    Some(current)
}

/// Follows attribute steps into nested objects; `None` when the path does
/// not lead anywhere (through a null or a collection).
fn value_at<'v>(value: &'v Value, path: &AttributePath) -> Option<&'v Value> {
    let mut current = value;
    for step in path.steps() {
        current = match (step, current) {
            (PathStep::Attribute(name), Value::Object(_)) => current.get_attr(name)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Attribute, NestedBlock};
    use crate::value::Type;

    #[test]
    fn replace_paths_follow_single_blocks_only() {
        let mut arn = Attribute::required("arn", Type::String);
        arn.requires_replace = true;
        let mut inner = Attribute::required("kind", Type::String);
        inner.requires_replace = true;
        let block = Block::new("")
            .attribute(arn)
            .attribute(Attribute::optional("note", Type::String))
            .block(NestedBlock::new(
                "one",
                NestingMode::Single,
                Block::new("").attribute(inner.clone()),
            ))
            .block(NestedBlock::new(
                "many",
                NestingMode::Set,
                Block::new("").attribute(inner),
            ));
        assert_eq!(
            replace_paths(&block),
            vec![
                AttributePath::root().attribute("arn"),
                AttributePath::root().attribute("one").attribute("kind"),
            ]
        );
    }

    #[test]
    fn an_unknown_planned_for_a_use_state_attribute_keeps_the_prior_value() {
        let mut id = Attribute::computed("id", Type::String);
        id.use_state_for_unknown = true;
        let block = Block::new("")
            .attribute(id)
            .attribute(Attribute::computed("other", Type::String));
        let prior = Value::object([("id", Value::string("a")), ("other", Value::string("b"))]);
        let mut planned = Value::object([("id", Value::unknown()), ("other", Value::unknown())]);
        keep_state_for_unknown(&block, &prior, &mut planned);
        assert_eq!(planned.get_attr("id"), Some(&Value::string("a")));
        assert_eq!(planned.get_attr("other"), Some(&Value::unknown()));
    }

    #[test]
    fn value_at_stops_at_nulls() {
        let v = Value::object([("a", Value::object([("b", Value::string("x"))]))]);
        let path = AttributePath::root().attribute("a").attribute("b");
        assert_eq!(value_at(&v, &path), Some(&Value::string("x")));
        let null = Value::object([("a", Value::Null)]);
        assert_eq!(value_at(&null, &path), None);
    }
}
