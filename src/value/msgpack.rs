//! The msgpack form of values (`DynamicValue.msgpack`), as cty's
//! `msgpack.Marshal`/`Unmarshal` define it.
//!
//! Decoding is strict about what Terraform never sends (unknown object
//! attributes, wrong tuple lengths, trailing bytes) with one leniency: an
//! object attribute missing from the map decodes as null. Every malformed
//! input is a [`ValueError`] carrying the attribute path where it failed.

use std::collections::BTreeMap;

use super::cty::{Value, MAX_DEPTH};
use super::error::ValueError;
use super::msgpack_number::{mismatch, read_number, wire_error, write_number};
use super::msgpack_wire::{write, Head, Reader};
use super::path::{AttributePath, PathStep};
use super::refinements::{Refinements, REFINED_UNKNOWN_EXT};
use super::types::Type;

/// Decodes msgpack bytes holding a value of type `ty`.
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
    let mut reader = Reader::new(bytes);
    let mut path = AttributePath::root();
    let value = decode_value(&mut reader, ty, &mut path, 0)?;
    if !reader.is_at_end() {
        return Err(ValueError::Malformed {
            path,
            reason: format!("{} trailing bytes after the value", reader.remaining()),
        });
    }
    Ok(value)
}

/// Encodes `value` as msgpack for a position of type `ty`.
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, ValueError> {
    let mut out = Vec::new();
    let mut path = AttributePath::root();
    encode_value(&mut out, value, ty, &mut path)?;
    Ok(out)
}

fn decode_value(
    r: &mut Reader<'_>,
    ty: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    // Kept to a thin dispatcher so each level of recursion costs little stack.
    if depth > MAX_DEPTH {
        return Err(ValueError::TooDeep { path: path.clone() });
    }
    let head = r.head().map_err(|e| wire_error(path, e))?;
    match (head, ty) {
        (Head::Ext { code, len }, _) => decode_unknown(r, code, len, ty, path),
        (Head::Nil, _) => Ok(Value::Null),
        (_, Type::Dynamic) => decode_dynamic(r, head, path, depth),
        (Head::Str(len), Type::String) => r
            .str_body(len)
            .map(|s| Value::String(s.to_owned()))
            .map_err(|e| wire_error(path, e)),
        (_, Type::Number) => read_number(r, head, path).map(Value::Number),
        (Head::Bool(b), Type::Bool) => Ok(Value::Bool(b)),
        (Head::Array(n), Type::List(elem)) => decode_list(r, n, elem, path, depth).map(Value::List),
        (Head::Array(n), Type::Set(elem)) => decode_set(r, n, elem, path, depth).map(Value::Set),
        (Head::Array(n), Type::Tuple(elems)) => decode_tuple(r, n, elems, path, depth),
        (Head::Map(n), Type::Map(elem)) => decode_map(r, n, elem, path, depth),
        (Head::Map(n), Type::Object(attrs)) => decode_object(r, n, attrs, path, depth),
        (other, _) => Err(mismatch(path, ty, other.describe())),
    }
}

fn decode_unknown(
    r: &mut Reader<'_>,
    code: i8,
    len: usize,
    ty: &Type,
    path: &AttributePath,
) -> Result<Value, ValueError> {
    let payload = r.take(len).map_err(|e| wire_error(path, e))?;
    let refinements = if code == REFINED_UNKNOWN_EXT && len > 1 {
        Refinements::decode_payload(payload, ty)
    } else {
        Refinements::default()
    };
    Ok(Value::refined_unknown(refinements))
}

/// Most elements reserved before any is decoded. A header can claim four
/// billion elements; each element takes at least one byte of input but many
/// bytes of memory, so beyond this the vector grows only as elements
/// actually decode.
const MAX_RESERVED_ELEMENTS: usize = 1024;

fn initial_capacity(claimed: usize, r: &Reader<'_>) -> usize {
    claimed.min(r.remaining()).min(MAX_RESERVED_ELEMENTS)
}

fn decode_list(
    r: &mut Reader<'_>,
    n: usize,
    elem: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Vec<Value>, ValueError> {
    let mut items = Vec::with_capacity(initial_capacity(n, r));
    for i in 0..n {
        path.push(PathStep::ElementKeyInt(i as i64));
        items.push(decode_value(r, elem, path, depth + 1)?);
        path.pop();
    }
    Ok(items)
}

fn decode_set(
    r: &mut Reader<'_>,
    n: usize,
    elem: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Vec<Value>, ValueError> {
    // Set elements have no address; errors point at the set itself.
    let mut items = Vec::with_capacity(initial_capacity(n, r));
    for _ in 0..n {
        items.push(decode_value(r, elem, path, depth + 1)?);
    }
    Ok(items)
}

fn decode_tuple(
    r: &mut Reader<'_>,
    n: usize,
    elems: &[Type],
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    if n != elems.len() {
        return Err(ValueError::TupleLength {
            path: path.clone(),
            expected: elems.len(),
            found: n,
        });
    }
    let mut items = Vec::with_capacity(n);
    for (i, elem) in elems.iter().enumerate() {
        path.push(PathStep::ElementKeyInt(i as i64));
        items.push(decode_value(r, elem, path, depth + 1)?);
        path.pop();
    }
    Ok(Value::Tuple(items))
}

fn decode_map(
    r: &mut Reader<'_>,
    n: usize,
    elem: &Type,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    let mut entries = BTreeMap::new();
    for _ in 0..n {
        let key = read_key(r, path)?;
        path.push(PathStep::ElementKeyString(key.clone()));
        let value = decode_value(r, elem, path, depth + 1)?;
        path.pop();
        if entries.insert(key.clone(), value).is_some() {
            return Err(ValueError::DuplicateKey {
                path: path.clone(),
                key,
            });
        }
    }
    Ok(Value::Map(entries))
}

fn decode_object(
    r: &mut Reader<'_>,
    n: usize,
    attrs: &BTreeMap<String, Type>,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    let mut values = BTreeMap::new();
    for _ in 0..n {
        let name = read_key(r, path)?;
        let Some(attr_ty) = attrs.get(&name) else {
            return Err(ValueError::UnsupportedAttribute {
                path: path.clone(),
                name,
            });
        };
        path.push(PathStep::Attribute(name.clone()));
        let value = decode_value(r, attr_ty, path, depth + 1)?;
        path.pop();
        if values.insert(name.clone(), value).is_some() {
            return Err(ValueError::DuplicateKey {
                path: path.clone(),
                key: name,
            });
        }
    }
    // Lenient: Terraform always sends every attribute; a missing one is null.
    for name in attrs.keys() {
        values.entry(name.clone()).or_insert(Value::Null);
    }
    Ok(Value::Object(values))
}

/// A `dynamic` position holding a known (or typed) value: `[type JSON, value]`.
fn decode_dynamic(
    r: &mut Reader<'_>,
    head: Head,
    path: &mut AttributePath,
    depth: usize,
) -> Result<Value, ValueError> {
    if head != Head::Array(2) {
        return Err(ValueError::TypeMismatch {
            path: path.clone(),
            expected: "dynamic value [type JSON, value]".to_owned(),
            found: head.describe().to_owned(),
        });
    }
    let ty = read_wrapper_type(r, path)?;
    let inner = decode_value(r, &ty, path, depth + 1)?;
    if ty == Type::Dynamic {
        // cty never writes a "dynamic" wrapper; if one arrives, it adds nothing.
        return Ok(inner);
    }
    Ok(Value::Typed(ty, Box::new(inner)))
}

fn read_wrapper_type(r: &mut Reader<'_>, path: &AttributePath) -> Result<Type, ValueError> {
    let type_json = match r.head().map_err(|e| wire_error(path, e))? {
        Head::Bin(len) | Head::Str(len) => r.take(len).map_err(|e| wire_error(path, e))?,
        other => {
            return Err(ValueError::TypeMismatch {
                path: path.clone(),
                expected: "type JSON as binary or string".to_owned(),
                found: other.describe().to_owned(),
            })
        }
    };
    Type::from_json(type_json).map_err(|e| e.at(path))
}

fn read_key(r: &mut Reader<'_>, path: &AttributePath) -> Result<String, ValueError> {
    match r.head().map_err(|e| wire_error(path, e))? {
        Head::Str(len) => r
            .str_body(len)
            .map(str::to_owned)
            .map_err(|e| wire_error(path, e)),
        other => Err(ValueError::TypeMismatch {
            path: path.clone(),
            expected: "string map key".to_owned(),
            found: other.describe().to_owned(),
        }),
    }
}

fn encode_value(
    out: &mut Vec<u8>,
    value: &Value,
    ty: &Type,
    path: &mut AttributePath,
) -> Result<(), ValueError> {
    match (value, ty) {
        (Value::Typed(inner_ty, inner), Type::Dynamic) => {
            if *inner_ty == Type::Dynamic {
                return encode_value(out, inner, ty, path);
            }
            write::array_len(out, 2);
            write::bin(out, inner_ty.to_json().as_bytes());
            encode_value(out, inner, inner_ty, path)
        }
        (Value::Typed(inner_ty, inner), _) if inner_ty == ty => encode_value(out, inner, ty, path),
        (Value::Null, _) => {
            write::nil(out);
            Ok(())
        }
        (Value::Unknown(refinements), _) => {
            match refinements.as_deref().and_then(|r| r.encode_payload(ty)) {
                Some(payload) => write::ext(out, REFINED_UNKNOWN_EXT, &payload),
                None => write::ext(out, 0, &[0]),
            }
            Ok(())
        }
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
            write::array_len(out, 2);
            write::bin(out, inferred.to_json().as_bytes());
            encode_value(out, value, &inferred, path)
        }
        (Value::String(s), Type::String) => {
            write::str(out, s);
            Ok(())
        }
        (Value::Number(n), Type::Number) => {
            write_number(out, n);
            Ok(())
        }
        (Value::Bool(b), Type::Bool) => {
            write::bool(out, *b);
            Ok(())
        }
        (Value::List(items), Type::List(elem)) => {
            write::array_len(out, items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                encode_value(out, item, elem, path)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Set(items), Type::Set(elem)) => {
            write::array_len(out, items.len());
            for item in items {
                encode_value(out, item, elem, path)?;
            }
            Ok(())
        }
        (Value::Tuple(items), Type::Tuple(elems)) => {
            if items.len() != elems.len() {
                return Err(ValueError::TupleLength {
                    path: path.clone(),
                    expected: elems.len(),
                    found: items.len(),
                });
            }
            write::array_len(out, items.len());
            for (i, (item, elem)) in items.iter().zip(elems).enumerate() {
                path.push(PathStep::ElementKeyInt(i as i64));
                encode_value(out, item, elem, path)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Map(entries), Type::Map(elem)) => {
            write::map_len(out, entries.len());
            for (key, item) in entries {
                write::str(out, key);
                path.push(PathStep::ElementKeyString(key.clone()));
                encode_value(out, item, elem, path)?;
                path.pop();
            }
            Ok(())
        }
        (Value::Object(values), Type::Object(attrs)) => {
            if let Some(extra) = values.keys().find(|name| !attrs.contains_key(*name)) {
                return Err(ValueError::UnsupportedAttribute {
                    path: path.clone(),
                    name: extra.clone(),
                });
            }
            // Every attribute, in sorted order; absent ones are null.
            write::map_len(out, attrs.len());
            for (name, attr_ty) in attrs {
                write::str(out, name);
                path.push(PathStep::Attribute(name.clone()));
                encode_value(out, values.get(name).unwrap_or(&Value::Null), attr_ty, path)?;
                path.pop();
            }
            Ok(())
        }
        (other, _) => Err(mismatch(path, ty, other.kind_name())),
    }
}
