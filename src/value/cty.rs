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
    /// Not known until apply: `None` for a plain unknown, else its
    /// refinements (build it with [`Value::refined_unknown`], which keeps
    /// empty ones out). Boxed: inline, refinements made every value, even a
    /// null, 128 bytes, and a message may carry millions of one-byte values.
    Unknown(Option<Box<Refinements>>),
    /// A string.
    String(String),
    /// A number of arbitrary precision.
    Number(Number),
    /// A boolean.
    Bool(bool),
    /// Elements in order.
    List(Vec<Value>),
    /// Elements in wire order (sets are unordered; Terraform never sends duplicates).
    Set(Vec<Value>),
    /// Elements by key.
    Map(BTreeMap<String, Value>),
    /// Attributes by name.
    Object(BTreeMap<String, Value>),
    /// Elements in order, each of its own type.
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
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Typed(_, inner) => inner.as_bool(),
            _ => None,
        }
    }

    /// The number, if this is a known number.
    pub(crate) fn as_number(&self) -> Option<&Number> {
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
        Value::Unknown(None)
    }

    /// An unknown with `refinements`; a plain one when they say nothing.
    pub fn refined_unknown(refinements: Refinements) -> Value {
        if refinements.is_empty() {
            Value::Unknown(None)
        } else {
            Value::Unknown(Some(Box::new(refinements)))
        }
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
    pub(crate) fn kind_name(&self) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Terraform may send a message of up to 256 MiB made of one-byte
    /// values (nil, ext 0 unknowns): each decodes into a `Value`, so its
    /// size bounds the provider's memory for such a message. Five words:
    /// the largest variant is a typed value (its type and a box).
    #[test]
    fn a_value_takes_five_words_whatever_its_variant() {
        assert!(
            std::mem::size_of::<Value>() <= 5 * std::mem::size_of::<usize>(),
            "a Value is {} bytes",
            std::mem::size_of::<Value>()
        );
    }

    #[test]
    fn an_unknown_refined_by_nothing_is_a_plain_unknown() {
        assert_eq!(
            Value::refined_unknown(Refinements::default()),
            Value::unknown()
        );
        let refined = Value::refined_unknown(Refinements {
            not_null: true,
            ..Refinements::default()
        });
        assert_ne!(refined, Value::unknown());
        assert!(matches!(refined, Value::Unknown(Some(_))));
    }
}
