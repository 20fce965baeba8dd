//! The JSON form of values: raw state (`RawState.json`) and `DynamicValue.json`.
//!
//! Follows cty's `json.Marshal`/`Unmarshal`: numbers are JSON numbers of
//! arbitrary precision, objects may omit attributes (they decode as null) but
//! not add unknown ones, and a `dynamic` position holds
//! `{"value": ..., "type": ...}`. Like cty, primitives are converted leniently
//! on decode (a number or bool where a string is expected becomes its text;
//! `"true"`/`"false"` and numeric strings are accepted for bool and number),
//! because old state files were written by many provider versions.
//! JSON cannot represent unknown values.

use std::collections::BTreeMap;

use serde_json::{Map as JsonMap, Value as Json};

use super::cty::{Value, MAX_DEPTH};
use super::error::ValueError;
use super::number::Number;
use super::path::{AttributePath, PathStep};
use super::types::Type;

/// Decodes JSON bytes holding a value of type `ty`.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    let json: Json = serde_json::from_slice(bytes).map_err(|e| ValueError::Malformed {
        path: AttributePath::root(),
        reason: format!("invalid JSON: {e}"),
    })?;
    let mut path = AttributePath::root();
    from_json(&json, ty, &mut path, 0)
}

/// Encodes a wholly known `value` as JSON for a position of type `ty`.
pub fn encode_json(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mut path = AttributePath::root();
    let json = to_json(value, ty, &mut path)?;
    serde_json::to_vec(&json).map_err(|e| ValueError::Malformed {
        path: AttributePath::root(),
        reason: format!("cannot serialise JSON: {e}"),
    })
}

fn json_kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn mismatch(path: &AttributePath, expected: &Type, found: &str) -> ValueError {
    ValueError::TypeMismatch {
        path: path.clone(),
        expected: expected.to_string(),
        found: found.to_owned(),
    }
}

fn from_json(
    json: &Json,
    ty: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    if depth > MAX_DEPTH {
        return Err(ValueError::TooDeep { path: path.clone() });
    }
    let invalid_number = |path: &AttributePath, source| ValueError::InvalidNumber {
        path: path.clone(),
        source,
    };
    match (json, ty) {
        (Json::Null, _) => Ok(Value::Null),
        (_, Type::Dynamic) => from_json_dynamic(json, path, depth),
        (Json::String(s), Type::String) => Ok(Value::String(s.clone())),
        (Json::Number(n), Type::String) => Ok(Value::String(n.to_string())),
        (Json::Bool(b), Type::String) => Ok(Value::String(b.to_string())),
        (Json::Number(n), Type::Number) => Number::parse(&n.to_string())
            .map(Value::Number)
            .map_err(|e| invalid_number(path, e)),
        (Json::String(s), Type::Number) => Number::parse(s)
            .map(Value::Number)
            .map_err(|e| invalid_number(path, e)),
        (Json::Bool(b), Type::Bool) => Ok(Value::Bool(*b)),
        (Json::String(s), Type::Bool) if s == "true" || s == "false" => {
            Ok(Value::Bool(s == "true"))
        }
        (Json::Array(items), Type::List(elem)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                out.push(from_json(item, elem, path, depth + 1)?);
                path.pop();
            }
            Ok(Value::List(out))
        }
        (Json::Array(items), Type::Set(elem)) => items
            .iter()
            .map(|item| from_json(item, elem, path, depth + 1))
            .collect::<Result<_, _>>()
            .map(Value::Set),
        (Json::Array(items), Type::Tuple(elems)) => {
            if items.len() != elems.len() {
                return Err(ValueError::TupleLength {
                    path: path.clone(),
                    expected: elems.len(),
                    found: items.len(),
                });
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, elem)) in items.iter().zip(elems).enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                out.push(from_json(item, elem, path, depth + 1)?);
                path.pop();
            }
            Ok(Value::Tuple(out))
        }
        (Json::Object(entries), Type::Map(elem)) => {
            let mut out = BTreeMap::new();
            for (key, item) in entries {
                path.push(PathStep::ElementKeyString(key.clone()));
                out.insert(key.clone(), from_json(item, elem, path, depth + 1)?);
                path.pop();
            }
            Ok(Value::Map(out))
        }
        (Json::Object(entries), Type::Object(attrs)) => {
            let mut out = BTreeMap::new();
            for (name, item) in entries {
                let Some(attr_ty) = attrs.get(name) else {
                    return Err(ValueError::UnsupportedAttribute {
                        path: path.clone(),
                        name: name.clone(),
                    });
                };
                path.push(PathStep::Attribute(name.clone()));
                out.insert(name.clone(), from_json(item, attr_ty, path, depth + 1)?);
                path.pop();
            }
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(out))
        }
        (other, _) => Err(mismatch(path, ty, json_kind(other))),
    }
}

/// `{"value": ..., "type": ...}` at a dynamic position.
fn from_json_dynamic(
    json: &Json,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    let wrapper_error = |found: &str| ValueError::TypeMismatch {
        path: path.clone(),
        expected: "dynamic value {\"value\": ..., \"type\": ...}".to_owned(),
        found: found.to_owned(),
    };
    let Json::Object(fields) = json else {
        return Err(wrapper_error(json_kind(json)));
    };
    let (Some(type_json), Some(value_json), 2) =
        (fields.get("type"), fields.get("value"), fields.len())
    else {
        return Err(wrapper_error(
            "an object without exactly \"value\" and \"type\"",
        ));
    };
    let ty = Type::from_json_value(type_json).map_err(|e| e.at(path))?;
    let inner = from_json(value_json, &ty, path, depth + 1)?;
    if ty == Type::Dynamic {
        return Ok(inner);
    }
    Ok(Value::Typed(ty, Box::new(inner)))
}

fn to_json(value: &Value, ty: &Type, path: &mut AttributePath) -> Result<Json, ValueError> {
    match (value, ty) {
        (Value::Typed(inner_ty, inner), Type::Dynamic) => {
            if *inner_ty == Type::Dynamic {
                return to_json(inner, ty, path);
            }
            let mut wrapper = JsonMap::new();
            wrapper.insert("value".to_owned(), to_json(inner, inner_ty, path)?);
            wrapper.insert("type".to_owned(), inner_ty.to_json_value());
            Ok(Json::Object(wrapper))
        }
        (Value::Typed(inner_ty, inner), _) if inner_ty == ty => to_json(inner, ty, path),
        (Value::Null, _) => Ok(Json::Null),
        (Value::Unknown(_), _) => Err(ValueError::UnknownInJson { path: path.clone() }),
        (_, Type::Dynamic) => {
            let inferred = match value {
                Value::String(_) => Type::String,
                Value::Number(_) => Type::Number,
                Value::Bool(_) => Type::Bool,
                other => {
                    return Err(ValueError::DynamicTypeRequired {
                        path: path.clone(),
                        found: other.kind_name(),
                    })
                }
            };
            to_json(&Value::Typed(inferred, Box::new(value.clone())), ty, path)
        }
        (Value::String(s), Type::String) => Ok(Json::String(s.clone())),
        (Value::Number(n), Type::Number) => number_to_json(n, path),
        (Value::Bool(b), Type::Bool) => Ok(Json::Bool(*b)),
        (Value::List(items), Type::List(elem)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                out.push(to_json(item, elem, path)?);
                path.pop();
            }
            Ok(Json::Array(out))
        }
        (Value::Set(items), Type::Set(elem)) => items
            .iter()
            .map(|item| to_json(item, elem, path))
            .collect::<Result<_, _>>()
            .map(Json::Array),
        (Value::Tuple(items), Type::Tuple(elems)) => {
            if items.len() != elems.len() {
                return Err(ValueError::TupleLength {
                    path: path.clone(),
                    expected: elems.len(),
                    found: items.len(),
                });
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, elem)) in items.iter().zip(elems).enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                out.push(to_json(item, elem, path)?);
                path.pop();
            }
            Ok(Json::Array(out))
        }
        (Value::Map(entries), Type::Map(elem)) => {
            let mut out = JsonMap::new();
            for (key, item) in entries {
                path.push(PathStep::ElementKeyString(key.clone()));
                out.insert(key.clone(), to_json(item, elem, path)?);
                path.pop();
            }
            Ok(Json::Object(out))
        }
        (Value::Object(values), Type::Object(attrs)) => {
            if let Some(extra) = values.keys().find(|name| !attrs.contains_key(*name)) {
                return Err(ValueError::UnsupportedAttribute {
                    path: path.clone(),
                    name: extra.clone(),
                });
            }
            let mut out = JsonMap::new();
            for (name, attr_ty) in attrs {
                path.push(PathStep::Attribute(name.clone()));
                let item = to_json(values.get(name).unwrap_or(&Value::Null), attr_ty, path)?;
                path.pop();
                out.insert(name.clone(), item);
            }
            Ok(Json::Object(out))
        }
        (other, _) => Err(mismatch(path, ty, other.kind_name())),
    }
}

fn number_to_json(n: &Number, path: &AttributePath) -> Result<Json, ValueError> {
    let invalid = |reason: &str| ValueError::TypeMismatch {
        path: path.clone(),
        expected: "a finite number (JSON cannot hold infinity)".to_owned(),
        found: reason.to_owned(),
    };
    if n.is_infinite() {
        return Err(invalid(n.as_str()));
    }
    n.as_str()
        .parse::<serde_json::Number>()
        .map(Json::Number)
        .map_err(|e| invalid(&e.to_string()))
}
