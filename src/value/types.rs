//! cty types and their JSON form.
//!
//! Terraform describes attribute types (schema `type` bytes) and the concrete
//! type inside `dynamic` wrappers with cty's type JSON, e.g. `"string"` (with
//! the quotes), `["list","string"]`, `["object",{"a":"number"}]`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value as Json;

use super::error::ValueError;

/// A cty type. `Dynamic` is cty's `DynamicPseudoType` ("any type").
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `bool`.
    Bool,
    /// `dynamic`: any type, named by the value itself.
    Dynamic,
    /// `list(element)`.
    List(Box<Type>),
    /// `set(element)`.
    Set(Box<Type>),
    /// `map(element)`.
    Map(Box<Type>),
    /// `object({name = type, …})`.
    Object(BTreeMap<String, Type>),
    /// `tuple([type, …])`.
    Tuple(Vec<Type>),
}

impl Type {
    /// Compact type JSON with object attributes sorted, e.g. `["list","string"]`.
    pub fn to_json(&self) -> String {
        self.to_json_value().to_string()
    }

    /// Parses type JSON. A third element of an object type (the list of
    /// optional attributes in type constraints) is accepted and ignored.
    pub fn from_json(bytes: &[u8]) -> Result<Type, ValueError> {
        let json: Json =
            serde_json::from_slice(bytes).map_err(|e| invalid_type(format!("not JSON: {e}")))?;
        Type::from_json_value(&json)
    }

    /// The type JSON as a `serde_json` value (used inside JSON-encoded dynamic values).
    pub(crate) fn to_json_value(&self) -> Json {
        let tagged =
            |tag: &str, inner: Json| Json::Array(vec![Json::String(tag.to_owned()), inner]);
        match self {
            Type::String => Json::String("string".to_owned()),
            Type::Number => Json::String("number".to_owned()),
            Type::Bool => Json::String("bool".to_owned()),
            Type::Dynamic => Json::String("dynamic".to_owned()),
            Type::List(t) => tagged("list", t.to_json_value()),
            Type::Set(t) => tagged("set", t.to_json_value()),
            Type::Map(t) => tagged("map", t.to_json_value()),
            Type::Object(attrs) => tagged(
                "object",
                Json::Object(
                    attrs
                        .iter()
                        .map(|(name, t)| (name.clone(), t.to_json_value()))
                        .collect(),
                ),
            ),
            Type::Tuple(elems) => tagged(
                "tuple",
                Json::Array(elems.iter().map(Type::to_json_value).collect()),
            ),
        }
    }

    /// Reads type JSON already parsed into a `serde_json` value.
    pub(crate) fn from_json_value(json: &Json) -> Result<Type, ValueError> {
        match json {
            Json::String(name) => match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(invalid_type(format!("unknown primitive type {other:?}"))),
            },
            Json::Array(items) => {
                let tag = items.first().and_then(Json::as_str).ok_or_else(|| {
                    invalid_type("a complex type must start with its kind".to_owned())
                })?;
                let arity_ok = match tag {
                    "object" => items.len() == 2 || items.len() == 3,
                    _ => items.len() == 2,
                };
                if !arity_ok {
                    return Err(invalid_type(format!("wrong number of elements for {tag}")));
                }
                let inner = &items[1];
                match tag {
                    "list" => Ok(Type::List(Box::new(Type::from_json_value(inner)?))),
                    "set" => Ok(Type::Set(Box::new(Type::from_json_value(inner)?))),
                    "map" => Ok(Type::Map(Box::new(Type::from_json_value(inner)?))),
                    "object" => {
                        let attrs = inner.as_object().ok_or_else(|| {
                            invalid_type("object attributes must be a JSON object".to_owned())
                        })?;
                        attrs
                            .iter()
                            .map(|(name, t)| Ok((name.clone(), Type::from_json_value(t)?)))
                            .collect::<Result<BTreeMap<_, _>, ValueError>>()
                            .map(Type::Object)
                    }
                    "tuple" => {
                        let elems = inner.as_array().ok_or_else(|| {
                            invalid_type("tuple elements must be a JSON array".to_owned())
                        })?;
                        elems
                            .iter()
                            .map(Type::from_json_value)
                            .collect::<Result<Vec<_>, _>>()
                            .map(Type::Tuple)
                    }
                    other => Err(invalid_type(format!("unknown type kind {other:?}"))),
                }
            }
            _ => Err(invalid_type(
                "a type must be a JSON string or array".to_owned(),
            )),
        }
    }

    /// Shorthand for `Type::List(Box::new(element))`.
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// Shorthand for `Type::Set(Box::new(element))`.
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    /// Shorthand for `Type::Map(Box::new(element))`.
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// An object type from `(name, type)` pairs.
    pub fn object<N: Into<String>>(attrs: impl IntoIterator<Item = (N, Type)>) -> Type {
        Type::Object(attrs.into_iter().map(|(n, t)| (n.into(), t)).collect())
    }

    /// True for list, set and map: the types that carry length refinements.
    pub(crate) fn is_collection(&self) -> bool {
        matches!(self, Type::List(_) | Type::Set(_) | Type::Map(_))
    }
}

fn invalid_type(reason: String) -> ValueError {
    ValueError::InvalidTypeJson {
        path: super::path::AttributePath::root(),
        reason,
    }
}

/// Short human name, as in cty's `FriendlyName`: `list of string`, `object`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("dynamic"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Set(t) => write!(f, "set of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Object(_) => f.write_str("object"),
            Type::Tuple(_) => f.write_str("tuple"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_json_is_compact_with_quotes_and_sorted_keys() {
        assert_eq!(Type::String.to_json(), "\"string\"");
        assert_eq!(Type::list(Type::String).to_json(), r#"["list","string"]"#);
        let obj = Type::object([("b", Type::Bool), ("a", Type::String)]);
        assert_eq!(obj.to_json(), r#"["object",{"a":"string","b":"bool"}]"#);
        let tuple = Type::Tuple(vec![Type::Number, Type::map(Type::Dynamic)]);
        assert_eq!(tuple.to_json(), r#"["tuple",["number",["map","dynamic"]]]"#);
    }

    #[test]
    fn type_json_round_trips_and_accepts_optional_attribute_marker() {
        let obj = Type::object([("a", Type::set(Type::Number))]);
        assert_eq!(
            Type::from_json(obj.to_json().as_bytes()).ok(),
            Some(obj.clone())
        );
        let with_optional = br#"["object",{"a":["set","number"]},["a"]]"#;
        assert_eq!(Type::from_json(with_optional).ok(), Some(obj));
    }

    #[test]
    fn invalid_type_json_is_an_error() {
        for bad in [
            &b"strin"[..],
            b"\"str\"",
            b"[\"list\"]",
            b"[\"list\",\"string\",1]",
            b"{}",
            b"[1,2]",
            b"[\"object\",[]]",
        ] {
            assert!(
                Type::from_json(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
