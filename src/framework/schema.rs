//! The schema model: attributes and nested blocks as Terraform sees them,
//! independent of the wire format. The protocol layer converts it to proto.

use std::collections::BTreeMap;

use super::diagnostics::Diagnostics;
use super::rules::Validators;
use crate::value::{AttributePath, Type, Value};

/// A resource, data source or provider configuration schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// Stored in state as `schema_version`; bump it when the shape changes
    /// incompatibly and teach the resource to upgrade older state.
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

/// A block body: attributes and nested blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    /// Attributes, in the order they are documented.
    pub attributes: Vec<Attribute>,
    /// Nested block types.
    pub blocks: Vec<NestedBlock>,
    /// Markdown description.
    pub description: String,
    /// Whether the whole block is deprecated.
    pub deprecated: bool,
}

/// Who sets an attribute: the user, the provider, or either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeMode {
    /// Must be set in configuration.
    Required,
    /// May be set in configuration; null otherwise.
    Optional,
    /// Set by the provider only.
    Computed,
    /// Set in configuration, or filled in by the provider when not.
    OptionalComputed,
}

/// One attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// Name as written in HCL.
    pub name: String,
    /// Value type.
    pub ty: Type,
    /// Who sets it.
    pub mode: AttributeMode,
    /// Markdown description.
    pub description: String,
    /// Hidden in plan output.
    pub sensitive: bool,
    /// Deprecated; Terraform warns when it is set.
    pub deprecated: bool,
    /// A change to it replaces the object rather than updating it in place
    /// (a plan rule, not sent to Terraform as part of the schema).
    pub(crate) requires_replace: bool,
    /// When a plan leaves it unknown, it keeps its prior value (a plan
    /// rule for computed attributes that never change once set).
    pub(crate) use_state_for_unknown: bool,
    /// Checks of its configured value (not sent to Terraform).
    pub(crate) validators: Validators,
}

/// How a nested block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestingMode {
    /// At most one; absent means null.
    Single,
    /// Exactly one, synthesised with nulls when absent.
    Group,
    /// Ordered repetition.
    List,
    /// Unordered repetition.
    Set,
    /// Repetition keyed by a label.
    Map,
}

/// A nested block type.
#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    /// Block type name as written in HCL.
    pub type_name: String,
    /// Its body.
    pub block: Block,
    /// How it repeats.
    pub nesting: NestingMode,
    /// Minimum count (0 = no minimum).
    pub min_items: i64,
    /// Maximum count (0 = no maximum).
    pub max_items: i64,
    /// Checks of the whole configured block (not sent to Terraform).
    pub(crate) validators: Validators,
}

impl Attribute {
    /// An attribute with no description or flags.
    pub fn new(name: &str, ty: Type, mode: AttributeMode) -> Self {
        Self {
            name: name.to_string(),
            ty,
            mode,
            description: String::new(),
            sensitive: false,
            deprecated: false,
            requires_replace: false,
            use_state_for_unknown: false,
            validators: Validators::default(),
        }
    }

    /// A required attribute.
    pub fn required(name: &str, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::Required)
    }

    /// An optional attribute.
    pub fn optional(name: &str, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::Optional)
    }

    /// A computed attribute.
    pub fn computed(name: &str, ty: Type) -> Self {
        Self::new(name, ty, AttributeMode::Computed)
    }

    /// Sets the description.
    pub fn description(mut self, text: &str) -> Self {
        self.description = text.to_string();
        self
    }

    /// Marks the attribute sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// True for `Required`.
    pub(crate) fn is_required(&self) -> bool {
        self.mode == AttributeMode::Required
    }

    /// True for `Optional` and `OptionalComputed`.
    pub(crate) fn is_optional(&self) -> bool {
        matches!(
            self.mode,
            AttributeMode::Optional | AttributeMode::OptionalComputed
        )
    }

    /// True for `Computed` and `OptionalComputed`.
    pub(crate) fn is_computed(&self) -> bool {
        matches!(
            self.mode,
            AttributeMode::Computed | AttributeMode::OptionalComputed
        )
    }
}

impl Block {
    /// An empty block with a description.
    pub fn new(description: &str) -> Self {
        Self {
            description: description.to_string(),
            ..Self::default()
        }
    }

    /// Adds an attribute.
    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// Adds a nested block type.
    pub fn block(mut self, block: NestedBlock) -> Self {
        self.blocks.push(block);
        self
    }

    /// Looks up an attribute by name.
    #[cfg(test)]
    pub(crate) fn find_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Looks up a nested block type by name.
    #[cfg(test)]
    pub(crate) fn find_block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == name)
    }

    /// The object type values of this block have on the wire.
    pub fn implied_type(&self) -> Type {
        let mut fields = BTreeMap::new();
        for a in &self.attributes {
            fields.insert(a.name.clone(), a.ty.clone());
        }
        for b in &self.blocks {
            let inner = b.block.implied_type();
            let ty = match b.nesting {
                NestingMode::Single | NestingMode::Group => inner,
                NestingMode::List => Type::List(Box::new(inner)),
                NestingMode::Set => Type::Set(Box::new(inner)),
                NestingMode::Map => Type::Map(Box::new(inner)),
            };
            fields.insert(b.type_name.clone(), ty);
        }
        Type::Object(fields)
    }
}

impl Block {
    /// Reports every computed-only attribute that the configuration sets.
    /// Terraform core accepts such values; providers must reject them.
    pub(crate) fn check_read_only(
        &self,
        config: &Value,
        path: &AttributePath,
        diags: &mut Diagnostics,
    ) {
        for a in self
            .attributes
            .iter()
            .filter(|a| a.mode == AttributeMode::Computed)
        {
            if config.get_attr(&a.name).is_some_and(|v| !v.is_null()) {
                diags.error_at(
                    path.clone().attribute(&a.name),
                    "Invalid configuration for read-only attribute",
                    format!(
                        "{} is set by the provider and cannot be configured. Remove it from the \
                         configuration.",
                        a.name
                    ),
                );
            }
        }
        for b in &self.blocks {
            let Some(nested) = config.get_attr(&b.type_name) else {
                continue;
            };
            let here = path.clone().attribute(&b.type_name);
            match (b.nesting, nested) {
                (NestingMode::Single | NestingMode::Group, v) => {
                    b.block.check_read_only(v, &here, diags)
                }
                (NestingMode::List, Value::List(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let index = i64::try_from(i).unwrap_or(i64::MAX);
                        b.block
                            .check_read_only(item, &here.clone().key_int(index), diags);
                    }
                }
                // Set elements cannot be addressed: point at the set itself.
                (NestingMode::Set, Value::Set(items)) => {
                    for item in items {
                        b.block.check_read_only(item, &here, diags);
                    }
                }
                (NestingMode::Map, Value::Map(items)) => {
                    for (k, item) in items {
                        b.block
                            .check_read_only(item, &here.clone().key_string(k), diags);
                    }
                }
                _ => {}
            }
        }
    }
}

impl NestedBlock {
    /// A nested block type with no count limits.
    pub fn new(type_name: &str, nesting: NestingMode, block: Block) -> Self {
        Self {
            type_name: type_name.to_string(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
            validators: Validators::default(),
        }
    }

    /// Sets the minimum and maximum count.
    pub fn items(mut self, min: i64, max: i64) -> Self {
        self.min_items = min;
        self.max_items = max;
        self
    }
}

impl Schema {
    /// A schema at version `version`.
    pub fn new(version: i64, block: Block) -> Self {
        Self { version, block }
    }

    /// Shorthand for the block's implied type.
    pub fn implied_type(&self) -> Type {
        self.block.implied_type()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_type_covers_attributes_and_blocks() {
        let block = Block::new("")
            .attribute(Attribute::required("name", Type::String))
            .block(NestedBlock::new(
                "rule",
                NestingMode::Set,
                Block::new("").attribute(Attribute::optional("n", Type::Number)),
            ))
            .block(NestedBlock::new("one", NestingMode::Single, Block::new("")));
        let mut rule = BTreeMap::new();
        rule.insert("n".to_string(), Type::Number);
        let mut want = BTreeMap::new();
        want.insert("name".to_string(), Type::String);
        want.insert("rule".to_string(), Type::Set(Box::new(Type::Object(rule))));
        want.insert("one".to_string(), Type::Object(BTreeMap::new()));
        assert_eq!(block.implied_type(), Type::Object(want));
    }
}
