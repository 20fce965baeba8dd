//! Numbers in msgpack, the way cty writes and reads them, and the error
//! helpers the msgpack codec shares with the refinement codec.

use super::error::ValueError;
use super::msgpack_wire::{write, Head, Reader, WireError};
use super::number::Number;
use super::path::AttributePath;
use super::types::Type;

pub(super) fn wire_error(path: &AttributePath, e: WireError) -> ValueError {
    ValueError::Malformed {
        path: path.clone(),
        reason: e.to_string(),
    }
}

pub(super) fn mismatch(path: &AttributePath, expected: &Type, found: &str) -> ValueError {
    ValueError::TypeMismatch {
        path: path.clone(),
        expected: expected.to_string(),
        found: found.to_owned(),
    }
}

/// Reads a number whose head was already read: any int, uint, float or
/// numeric string. Floats are taken at their exact binary value, as cty does.
pub(super) fn read_number(
    r: &mut Reader<'_>,
    head: Head,
    path: &AttributePath,
) -> Result<Number, ValueError> {
    let invalid = |source| ValueError::InvalidNumber {
        path: path.clone(),
        source,
    };
    match head {
        Head::Int(n) => Ok(Number::from(n)),
        Head::Uint(n) => Ok(Number::from(n)),
        Head::F32(f) => Number::from_f64_exact(f64::from(f)).map_err(invalid),
        Head::F64(f) => Number::from_f64_exact(f).map_err(invalid),
        Head::Str(len) => {
            let text = r.str_body(len).map_err(|e| wire_error(path, e))?;
            Number::parse(text).map_err(invalid)
        }
        other => Err(mismatch(path, &Type::Number, other.describe())),
    }
}

/// Writes a number the way cty's msgpack marshalling does (cty/msgpack
/// `marshal`): as int64 when it is an integer that fits, else as float64
/// when a float64 holds it exactly (infinities, 1.5, and integers beyond
/// int64 such as 2^64 or 1e20), else as its decimal text (0.1, u64::MAX,
/// 2^64 + 1).
pub(super) fn write_number(out: &mut Vec<u8>, n: &Number) {
    if let Some(i) = n.as_i64() {
        write::int(out, i);
    } else if let Some(f) = n.exact_f64() {
        write::f64(out, f);
    } else {
        write::str(out, n.as_str());
    }
}
