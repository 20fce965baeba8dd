//! [`Value`], the cty value as the codecs decode and encode it.

use std::collections::BTreeMap;

use super::number::Number;
use super::refinements::Refinements;
use super::types::Type;

/// Maximum nesting the decoders follow before giving up with
/// [`ValueError::TooDeep`](super::error::ValueError::TooDeep).
/// Schema types are shallow (Terraform schemas nest well under 20 levels); only
/// hostile `dynamic` wrappers nest this far. Bounded so that a debug build on a
/// 2 MiB worker-thread stack cannot overflow.
pub(crate) const MAX_DEPTH: usize = 64;

/// A cty value, interpreted against the [`Type`] at its position.
///
/// The variants do not repeat the type: `Null` is a null of whatever type the
/// schema says is there. Only at `dynamic` positions, where the schema does not
/// say, a known value (or a typed null/unknown) is wrapped in `Typed`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Null of the type at this position (an untyped null at a dynamic position).
    Null,
    /// Not known until apply; `Refinements::default()` is a plain unknown.
    Unknown(Refinements),
    String(String),
    Number(Number),
    Bool(bool),
    /// Elements in order.
    List(Vec<Value>),
    /// Elements in wire order (sets are unordered; Terraform never sends duplicates).
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A value of a known type at a `dynamic` position (including a typed null or unknown).
    Typed(Type, Box<Value>),
}

impl Value {
    /// True for null, including a typed null.
    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Typed(_, inner) => inner.is_null(),
            _ => false,
        }
    }

    /// False for an unknown (including a typed unknown); the value's parts may still be unknown.
    pub fn is_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::Typed(_, inner) => inner.is_known(),
            _ => true,
        }
    }

    /// True if no unknown appears anywhere in the value.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Typed(_, inner) => inner.is_wholly_known(),
        }
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::Typed(_, inner) => inner.as_str(),
            _ => None,
        }
    }

    /// The bool, if this is a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Typed(_, inner) => inner.as_bool(),
            _ => None,
        }
    }

    /// The number, if this is a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            Value::Typed(_, inner) => inner.as_number(),
            _ => None,
        }
    }

    /// An attribute of a known object.
    pub fn get_attr(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(attrs) => attrs.get(name),
            Value::Typed(_, inner) => inner.get_attr(name),
            _ => None,
        }
    }

    /// A known string.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A plain unknown, without refinements.
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }

    /// A known number.
    pub fn number(n: impl Into<Number>) -> Value {
        Value::Number(n.into())
    }

    /// A known object from `(name, value)` pairs.
    pub fn object<N: Into<String>>(attrs: impl IntoIterator<Item = (N, Value)>) -> Value {
        Value::Object(attrs.into_iter().map(|(n, v)| (n.into(), v)).collect())
    }

    /// What kind of value this is, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown(_) => "unknown",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Tuple(_) => "tuple",
            Value::Typed(..) => "typed value",
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}
