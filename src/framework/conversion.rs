//! Typed models: one Rust type per schema, converted to and from [`Value`]
//! in one place, so provider code never reads a value by a string key.
//!
//! A model is declared once with [`object_model!`](crate::object_model):
//! its field names are the attribute names, its doc comments the
//! descriptions, its field types the value types, and the same declaration
//! yields the schema block, the [`FromValue`] / [`IntoValue`] pair and a
//! constant per attribute name for diagnostics paths.
//!
//! Configuration may hold nulls and unknowns anywhere; [`Field`] carries
//! them, and `Option` carries null where unknown cannot occur (state).

use std::collections::{BTreeMap, BTreeSet};

use super::schema::Block;
use crate::value::{AttributePath, Number, Type, Value};

/// A value that does not fit its model: the framework decodes values
/// against the schema the model produced, so this is a bug in the provider
/// (e.g. a model that says "never null" for an optional attribute).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path_label}: expected {expected}, found {found}")]
pub struct ModelError {
    /// Where in the value.
    pub path: AttributePath,
    path_label: String,
    expected: &'static str,
    found: &'static str,
}

impl ModelError {
    /// A mismatch at `path`.
    pub fn new(path: &AttributePath, expected: &'static str, found: &Value) -> Self {
        Self {
            path: path.clone(),
            path_label: path.label(),
            expected,
            found: found.kind_name(),
        }
    }
}

/// Reads a Rust value out of a Terraform value.
pub trait FromValue: Sized {
    /// Converts `value`, found at `path`, or says why it does not fit.
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError>;
}

/// Turns a Rust value into a Terraform value.
pub trait IntoValue {
    /// The Terraform value.
    fn into_value(self) -> Value;
}

/// The Terraform type a Rust type stands for, and, for models, the block
/// they describe.
pub trait ValueType {
    /// The cty type.
    fn value_type() -> Type;
    /// The schema block, for model types (used by block fields).
    fn nested_block() -> Option<Block> {
        None
    }
}

/// Converts a whole value to a model at the root path.
pub(crate) fn from_root<T: FromValue>(value: &Value) -> Result<T, ModelError> {
    T::from_value(value, &AttributePath::root())
}

/// A configuration or plan value that may be null or not known yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field<T> {
    /// Not set.
    #[default]
    Null,
    /// Known only after apply.
    Unknown,
    /// Set and known.
    Known(T),
}

impl<T> Field<T> {
    /// The value when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Field::Known(v) => Some(v),
            _ => None,
        }
    }

    /// True when not known yet.
    pub(crate) fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    /// True when null.
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Field::Null, Field::Known)
    }
}

impl<T: FromValue> FromValue for Field<T> {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        match value {
            Value::Null => Ok(Field::Null),
            Value::Unknown(_) => Ok(Field::Unknown),
            Value::Typed(_, inner) => Self::from_value(inner, path),
            known => T::from_value(known, path).map(Field::Known),
        }
    }
}

impl<T: IntoValue> IntoValue for Field<T> {
    fn into_value(self) -> Value {
        match self {
            Field::Null => Value::Null,
            Field::Unknown => Value::unknown(),
            Field::Known(v) => v.into_value(),
        }
    }
}

impl<T: ValueType> ValueType for Field<T> {
    fn value_type() -> Type {
        T::value_type()
    }
    fn nested_block() -> Option<Block> {
        T::nested_block()
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        match value {
            Value::Null => Ok(None),
            Value::Unknown(_) => Err(ModelError::new(path, "a known value or null", value)),
            known => T::from_value(known, path).map(Some),
        }
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, IntoValue::into_value)
    }
}

impl<T: ValueType> ValueType for Option<T> {
    fn value_type() -> Type {
        T::value_type()
    }
    fn nested_block() -> Option<Block> {
        T::nested_block()
    }
}

impl FromValue for String {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ModelError::new(path, "a string", value))
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::String(self)
    }
}

impl ValueType for String {
    fn value_type() -> Type {
        Type::String
    }
}

impl FromValue for bool {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        value
            .as_bool()
            .ok_or_else(|| ModelError::new(path, "a bool", value))
    }
}

impl IntoValue for bool {
    fn into_value(self) -> Value {
        Value::Bool(self)
    }
}

impl ValueType for bool {
    fn value_type() -> Type {
        Type::Bool
    }
}

impl FromValue for Number {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        value
            .as_number()
            .cloned()
            .ok_or_else(|| ModelError::new(path, "a number", value))
    }
}

impl IntoValue for Number {
    fn into_value(self) -> Value {
        Value::Number(self)
    }
}

impl ValueType for Number {
    fn value_type() -> Type {
        Type::Number
    }
}

/// The elements of a known list or set, each converted with its index.
fn elements<T: FromValue>(
    value: &Value,
    path: &AttributePath,
    expected: &'static str,
) -> Result<Vec<T>, ModelError> {
    match value {
        Value::List(items) | Value::Set(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                // Set elements have no address of their own: their findings
                // point at the set.
                let here = match value {
                    Value::List(_) => path.clone().key_int(i64::try_from(i).unwrap_or(i64::MAX)),
                    _ => path.clone(),
                };
                T::from_value(item, &here)
            })
            .collect(),
        Value::Typed(_, inner) => elements(inner, path, expected),
        other => Err(ModelError::new(path, expected, other)),
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        elements(value, path, "a list")
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self) -> Value {
        Value::List(self.into_iter().map(IntoValue::into_value).collect())
    }
}

impl<T: ValueType> ValueType for Vec<T> {
    fn value_type() -> Type {
        Type::List(Box::new(T::value_type()))
    }
    fn nested_block() -> Option<Block> {
        T::nested_block()
    }
}

impl<T: FromValue + Ord> FromValue for BTreeSet<T> {
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, ModelError> {
        Ok(elements::<T>(value, path, "a set")?.into_iter().collect())
    }
}

impl<T: IntoValue> IntoValue for BTreeSet<T> {
    fn into_value(self) -> Value {
        Value::Set(self.into_iter().map(IntoValue::into_value).collect())
    }
}

impl<T: ValueType> ValueType for BTreeSet<T> {
    fn value_type() -> Type {
        Type::Set(Box::new(T::value_type()))
    }
    fn nested_block() -> Option<Block> {
        T::nested_block()
    }
}

/// Reads the attributes of a known object, for generated [`FromValue`]
/// implementations.
pub(crate) struct ObjectView<'v> {
    attrs: &'v BTreeMap<String, Value>,
    path: &'v AttributePath,
}

impl<'v> ObjectView<'v> {
    /// Views `value` as an object.
    pub(crate) fn new(value: &'v Value, path: &'v AttributePath) -> Result<Self, ModelError> {
        match value {
            Value::Object(attrs) => Ok(Self { attrs, path }),
            Value::Typed(_, inner) => Self::new(inner, path),
            other => Err(ModelError::new(path, "an object", other)),
        }
    }

    /// The attribute `name`, converted; a missing attribute reads as null.
    pub(crate) fn get<T: FromValue>(&self, name: &str) -> Result<T, ModelError> {
        let here = self.path.clone().attribute(name);
        T::from_value(self.attrs.get(name).unwrap_or(&Value::Null), &here)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_carry_null_unknown_and_known() {
        let path = AttributePath::root();
        let read = |v: &Value| Field::<String>::from_value(v, &path).expect("a string field");
        assert_eq!(read(&Value::Null), Field::Null);
        assert_eq!(read(&Value::unknown()), Field::Unknown);
        assert_eq!(read(&Value::string("x")), Field::Known("x".to_string()));
        assert!(Field::<String>::from_value(&Value::Bool(true), &path).is_err());
        assert_eq!(
            Field::Known("x".to_string()).into_value(),
            Value::string("x")
        );
        assert_eq!(Field::<String>::Unknown.into_value(), Value::unknown());
        assert!(Option::<String>::from_value(&Value::unknown(), &path).is_err());
    }
}
