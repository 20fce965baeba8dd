//! ValidateResourceConfig and ValidateDataResourceConfig: the schema's
//! read-only rule, the validators declared with each attribute and block,
//! then the type's own (cross-attribute) checks.

use super::handle::{DataSourceHandle, ResourceHandle};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::resource::{ValidateRequest, ValidateResponse};
use crate::framework::rules::Checked;
use crate::framework::schema::{Block, NestingMode};
use crate::value::{AttributePath, Value};

/// Every Validate*Config call: attributes only the provider may set (which
/// Terraform itself accepts in configuration), the declared validators,
/// then the type's own rules.
pub(super) fn validate_config(
    block: &Block,
    config: Value,
    own_rules: impl FnOnce(ValidateRequest) -> ValidateResponse,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let root = AttributePath::root();
    block.check_read_only(&config, &root, &mut diags);
    run_declared(block, &config, &root, &config, &mut diags);
    diags.extend(own_rules(ValidateRequest::new(config)).diagnostics);
    diags
}

impl ResourceHandle<'_> {
    /// Checks a resource configuration; unknown values are skipped.
    pub fn validate(&self, config: Value) -> Diagnostics {
        validate_config(&self.schema().block, config, |r| {
            self.resource().validate(r)
        })
    }
}

impl DataSourceHandle<'_> {
    /// Checks a data source configuration; unknown values are skipped.
    pub fn validate(&self, config: Value) -> Diagnostics {
        validate_config(&self.entry.schema.schema.block, config, |r| {
            self.entry.data_source.validate(r)
        })
    }
}

/// Runs the declared validators of `block`'s attributes and nested blocks
/// over `value`, a known object at `path` (the whole configuration is
/// `root`), and everything nested in it.
pub(crate) fn run_declared(
    block: &Block,
    value: &Value,
    path: &AttributePath,
    root: &Value,
    diags: &mut Diagnostics,
) {
    walk(block, value, path, true, root, diags);
}

/// [`run_declared`]; inside a set element (`addressable` false) nothing has
/// a path of its own, so every finding goes on the set at `path`.
fn walk(
    block: &Block,
    value: &Value,
    path: &AttributePath,
    addressable: bool,
    root: &Value,
    diags: &mut Diagnostics,
) {
    let value = match value {
        Value::Typed(_, inner) => inner,
        other => other,
    };
    if !matches!(value, Value::Object(_)) {
        return;
    }
    let step = |name: &str| {
        if addressable {
            path.clone().attribute(name)
        } else {
            path.clone()
        }
    };
    for attribute in &block.attributes {
        let Some(v) = value.get_attr(&attribute.name) else {
            continue;
        };
        let here = step(&attribute.name);
        let at = Checked {
            path: &here,
            parent: value,
            root,
        };
        attribute.validators.run(v, &at, diags);
    }
    for nested in &block.blocks {
        let Some(v) = value.get_attr(&nested.type_name) else {
            continue;
        };
        let here = step(&nested.type_name);
        let at = Checked {
            path: &here,
            parent: value,
            root,
        };
        nested.validators.run(v, &at, diags);
        match (nested.nesting, v) {
            (NestingMode::Single | NestingMode::Group, item) => {
                walk(&nested.block, item, &here, addressable, root, diags)
            }
            (NestingMode::List, Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let index = i64::try_from(i).unwrap_or(i64::MAX);
                    let at_item = if addressable {
                        here.clone().key_int(index)
                    } else {
                        here.clone()
                    };
                    walk(&nested.block, item, &at_item, addressable, root, diags);
                }
            }
            (NestingMode::Set, Value::Set(items)) => {
                for item in items {
                    walk(&nested.block, item, &here, false, root, diags);
                }
            }
            (NestingMode::Map, Value::Map(items)) => {
                for (k, item) in items {
                    let at_item = if addressable {
                        here.clone().key_string(k)
                    } else {
                        here.clone()
                    };
                    walk(&nested.block, item, &at_item, addressable, root, diags);
                }
            }
            _ => {}
        }
    }
}
