//! [`object_model!`](crate::object_model): one declaration per schema
//! block, from which the struct, its schema, its conversions and its
//! attribute-name constants all come.

use std::sync::Arc;

use super::rules::{Validator, Validators};
use super::schema::{Attribute, AttributeMode, Block, NestedBlock, NestingMode};
use crate::value::Type;

/// Appended to the description of every attribute whose change replaces
/// the object.
pub(crate) const REPLACEMENT_NOTE: &str = "Changing it forces replacement.";

/// How a model field appears in the schema; built by [`object_model!`]
/// from the field's options (`[required, requires_replace]`,
/// `[block_single(1, 1)]`, …).
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldSpec {
    mode: Option<AttributeMode>,
    sensitive: bool,
    requires_replace: bool,
    use_state_for_unknown: bool,
    validators: Validators,
    block: Option<(NestingMode, i64, i64)>,
}

impl FieldSpec {
    /// No options yet.
    pub(crate) fn new() -> Self {
        Self::default()
    }
    /// A required attribute.
    pub(crate) fn required(mut self) -> Self {
        self.mode = Some(AttributeMode::Required);
        self
    }
    /// An optional attribute.
    pub(crate) fn optional(mut self) -> Self {
        self.mode = Some(AttributeMode::Optional);
        self
    }
    /// A computed attribute.
    pub(crate) fn computed(mut self) -> Self {
        self.mode = Some(AttributeMode::Computed);
        self
    }
    /// Hidden in plan output.
    pub(crate) fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// A change replaces the object instead of updating it.
    pub(crate) fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }
    /// A computed value that, once set, a plan never makes unknown again.
    pub(crate) fn use_state_for_unknown(mut self) -> Self {
        self.use_state_for_unknown = true;
        self
    }
    /// A check of the configured value (see [`super::rules`]).
    pub(crate) fn validate(mut self, validator: Arc<dyn Validator>) -> Self {
        self.validators.push(validator);
        self
    }
    /// A single-nesting block with its count limits.
    pub(crate) fn block_single(mut self, min: i64, max: i64) -> Self {
        self.block = Some((NestingMode::Single, min, max));
        self
    }
    /// A set of blocks with its count limits (0 = none).
    pub(crate) fn block_set(mut self, min: i64, max: i64) -> Self {
        self.block = Some((NestingMode::Set, min, max));
        self
    }

    /// Adds the field to `block` as an attribute of type `ty`, or as a
    /// nested block whose body is `nested` (each computed only if needed).
    pub(crate) fn add_to(
        self,
        block: Block,
        name: &str,
        description: String,
        ty: impl FnOnce() -> Type,
        nested: impl FnOnce() -> Option<Block>,
    ) -> Block {
        match self.block {
            Some((nesting, min, max)) => {
                // A block field whose type is no model cannot describe its
                // body: that declaration is a bug, and no schema is made.
                let Some(mut body) = nested() else {
                    panic!("block field {name} needs a model type for its body");
                };
                if body.description.is_empty() {
                    body.description = description;
                }
                let mut nested = NestedBlock::new(name, nesting, body).items(min, max);
                nested.validators = self.validators;
                block.block(nested)
            }
            None => {
                // The schema carries no replacement flag, so say it in the
                // description: docs and editors then show it too.
                let description = match (self.requires_replace, description.is_empty()) {
                    (false, _) => description,
                    (true, true) => REPLACEMENT_NOTE.to_string(),
                    (true, false) => format!("{description} {REPLACEMENT_NOTE}"),
                };
                let mut attribute =
                    Attribute::new(name, ty(), self.mode.unwrap_or(AttributeMode::Optional))
                        .description(&description);
                attribute.sensitive = self.sensitive;
                attribute.requires_replace = self.requires_replace;
                attribute.use_state_for_unknown = self.use_state_for_unknown;
                attribute.validators = self.validators;
                block.attribute(attribute)
            }
        }
    }
}

/// Doc-comment text as a description: the one space rustdoc keeps after
/// `///` is dropped from each line, and the whole is trimmed.
pub(crate) fn doc_text(raw: &str) -> String {
    raw.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Declares a model: a struct whose fields are the attributes and blocks of
/// one schema block. Each field is written once:
///
/// ```ignore
/// object_model! {
///     /// Settings for `authorization_code`.
///     #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
///     pub struct AuthorizationCode {
///         /// Absolute redirect URIs: 1 to 10.
///         [required] pub redirect_uris: Field<BTreeSet<Field<String>>> = REDIRECT_URIS,
///     }
/// }
/// ```
///
/// The options in brackets are [`FieldSpec`] methods; the name after `=` is
/// an associated constant holding the attribute name, for diagnostics paths.
#[macro_export]
macro_rules! object_model {
    (
        $(#[doc = $doc:literal])*
        #[derive($($derive:path),* $(,)?)]
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                [$($opt:ident $(($($arg:expr),*))?),* $(,)?]
                $fvis:vis $field:ident : $fty:ty = $const_name:ident
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive($($derive),*)]
        $vis struct $name {
            $(
                $(#[doc = $fdoc])*
                $fvis $field: $fty,
            )*
        }

        #[allow(dead_code)]
        impl $name {
            $(
                #[doc = concat!("Attribute name of `", stringify!($field), "`.")]
                $vis const $const_name: &'static str = stringify!($field);
            )*

            /// The schema block this model describes.
            $vis fn schema_block() -> $crate::framework::Block {
                let block = $crate::framework::Block::new(
                    &$crate::framework::model_declaration::doc_text(concat!($($doc, "\n"),*)),
                );
                $(
                    let block = $crate::framework::model_declaration::FieldSpec::new()
                        $(.$opt($($($arg),*)?))*
                        .add_to(
                            block,
                            Self::$const_name,
                            $crate::framework::model_declaration::doc_text(concat!($($fdoc, "\n"),*)),
                            <$fty as $crate::framework::conversion::ValueType>::value_type,
                            <$fty as $crate::framework::conversion::ValueType>::nested_block,
                        );
                )*
                block
            }
        }

        impl $crate::framework::conversion::FromValue for $name {
            fn from_value(
                value: &$crate::value::Value,
                path: &$crate::value::AttributePath,
            ) -> Result<Self, $crate::framework::conversion::ModelError> {
                let _object = $crate::framework::conversion::ObjectView::new(value, path)?;
                Ok(Self {
                    $($field: _object.get(Self::$const_name)?,)*
                })
            }
        }

        impl $crate::framework::conversion::IntoValue for $name {
            fn into_value(self) -> $crate::value::Value {
                $crate::value::Value::Object(
                    [
                        $((
                            Self::$const_name.to_string(),
                            $crate::framework::conversion::IntoValue::into_value(self.$field),
                        ),)*
                    ]
                    .into_iter()
                    .collect(),
                )
            }
        }

        impl $crate::framework::conversion::ValueType for $name {
            fn value_type() -> $crate::value::Type {
                Self::schema_block().implied_type()
            }
            fn nested_block() -> Option<$crate::framework::Block> {
                Some(Self::schema_block())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::framework::conversion::{from_root, Field, IntoValue, ValueType};
    use crate::value::{AttributePath, Value};

    crate::object_model! {
        /// An item.
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
        struct Item {
            /// Its name.
            [required] name: Field<String> = NAME,
            /// Its tags.
            [optional] tags: Field<BTreeSet<Field<String>>> = TAGS,
        }
    }

    crate::object_model! {
        /// A thing with items.
        ///
        /// Second paragraph.
        #[derive(Clone, Debug, PartialEq)]
        struct Thing {
            /// Identifier.
            [computed] id: Field<String> = ID,
            /// Where it lives.
            [required, requires_replace] place: Field<String> = PLACE,
            /// Secret.
            [optional, sensitive] secret: Option<String> = SECRET,
            /// The items.
            [block_set(1, 3)] items: Field<BTreeSet<Item>> = ITEMS,
        }
    }

    #[test]
    fn one_declaration_gives_names_schema_and_conversions() {
        assert_eq!(Thing::PLACE, "place");
        let block = Thing::schema_block();
        assert_eq!(
            block.description,
            "A thing with items.\n\nSecond paragraph."
        );
        let place = block.find_attribute("place").expect("place");
        assert!(place.is_required() && place.requires_replace);
        assert_eq!(
            place.description,
            "Where it lives. Changing it forces replacement."
        );
        assert!(block.find_attribute("secret").expect("secret").sensitive);
        assert!(block.find_attribute("id").expect("id").is_computed());
        let items = block.find_block("items").expect("items");
        assert_eq!(
            (items.nesting, items.min_items, items.max_items),
            (NestingMode::Set, 1, 3)
        );
        assert_eq!(items.block.description, "An item.");
        assert_eq!(
            items.block.find_attribute("tags").expect("tags").ty,
            Type::Set(Box::new(Type::String))
        );

        let value = Value::object([
            ("id", Value::unknown()),
            ("place", Value::string("here")),
            ("secret", Value::Null),
            (
                "items",
                Value::Set(vec![Value::object([
                    ("name", Value::string("a")),
                    ("tags", Value::Set(vec![Value::unknown()])),
                ])]),
            ),
        ]);
        let thing: Thing = from_root(&value).expect("fits");
        assert_eq!(thing.id, Field::Unknown);
        assert_eq!(thing.place.known().map(String::as_str), Some("here"));
        assert_eq!(thing.secret, None);
        let items = thing.items.known().expect("items");
        let item = items.iter().next().expect("one item");
        assert_eq!(item.tags, Field::Known([Field::Unknown].into()));
        assert_eq!(thing.into_value(), value);
        assert_eq!(Thing::value_type(), Thing::schema_block().implied_type());
    }

    #[test]
    fn values_that_do_not_fit_name_their_path() {
        let value = Value::object([
            ("id", Value::Null),
            ("place", Value::Bool(true)),
            ("secret", Value::Null),
            ("items", Value::Set(vec![])),
        ]);
        let err = from_root::<Thing>(&value).expect_err("bool is not a string");
        assert_eq!(err.path, AttributePath::root().attribute("place"));
        assert_eq!(err.to_string(), "place: expected a string, found bool");
        let unknown_secret = Value::object([("secret", Value::unknown())]);
        let err = from_root::<Thing>(&unknown_secret).expect_err("Option is never unknown");
        assert_eq!(err.path, AttributePath::root().attribute("secret"));
    }
}
