//! Refinements: what is already known about an unknown value.
//!
//! Terraform ≥ 1.6 sends refined unknowns as msgpack extension 12 whose payload
//! is a map with small integer keys. Refinements in a plan are promises the
//! apply result must keep; incoming refinements can always be ignored, so the
//! decoder never fails on a malformed payload: it keeps whatever entries parse.

use super::msgpack_number::{read_number, write_number};
use super::msgpack_wire::{write, Head, Reader};
use super::number::Number;
use super::path::AttributePath;
use super::types::Type;

/// Extension code of a refined unknown.
pub(crate) const REFINED_UNKNOWN_EXT: i8 = 0x0c;

const KEY_NULLNESS: i64 = 1;
const KEY_STRING_PREFIX: i64 = 2;
const KEY_NUMBER_LOWER: i64 = 3;
const KEY_NUMBER_UPPER: i64 = 4;
const KEY_LENGTH_LOWER: i64 = 5;
const KEY_LENGTH_UPPER: i64 = 6;

/// Terraform truncates string prefixes to this many bytes; so do we.
const MAX_PREFIX_BYTES: usize = 256;

/// Terraform rejects refinement payloads larger than this.
const MAX_PAYLOAD_BYTES: usize = 1024;

/// Facts about an unknown value. Each refinement only applies to some types
/// (prefix: string; number bounds: number; length bounds: list/set/map);
/// inapplicable ones are dropped on the wire because Terraform rejects them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Refinements {
    /// The value will definitely not be null.
    pub not_null: bool,
    /// The string will start with this prefix.
    pub string_prefix: Option<String>,
    /// Lower bound of the number and whether it is inclusive.
    pub number_lower: Option<(Number, bool)>,
    /// Upper bound of the number and whether it is inclusive.
    pub number_upper: Option<(Number, bool)>,
    /// Minimum collection length (inclusive).
    pub length_lower: Option<u64>,
    /// Maximum collection length (inclusive).
    pub length_upper: Option<u64>,
}

impl Refinements {
    /// True when nothing is refined (a plain unknown).
    pub fn is_empty(&self) -> bool {
        *self == Refinements::default()
    }

    /// Only the refinements that can apply to a value of `ty`.
    pub fn applicable_to(&self, ty: &Type) -> Refinements {
        if *ty == Type::Dynamic {
            return Refinements::default();
        }
        Refinements {
            not_null: self.not_null,
            string_prefix: match ty {
                Type::String => self.string_prefix.clone().filter(|p| !p.is_empty()),
                _ => None,
            },
            number_lower: self.number_lower.clone().filter(|_| *ty == Type::Number),
            number_upper: self.number_upper.clone().filter(|_| *ty == Type::Number),
            length_lower: self.length_lower.filter(|_| ty.is_collection()),
            length_upper: self.length_upper.filter(|_| ty.is_collection()),
        }
    }

    /// The ext-12 payload for these refinements at type `ty`, or `None` when
    /// nothing applicable is set (then a plain ext-0 unknown is written).
    pub(crate) fn encode_payload(&self, ty: &Type) -> Option<Vec<u8>> {
        let r = self.applicable_to(ty);
        let mut body = Vec::new();
        let mut entries = 0;
        if r.not_null {
            entries += 1;
            write::int(&mut body, KEY_NULLNESS);
            write::bool(&mut body, false);
        }
        if let Some(prefix) = &r.string_prefix {
            entries += 1;
            write::int(&mut body, KEY_STRING_PREFIX);
            write::str(
                &mut body,
                truncate_at_char_boundary(prefix, MAX_PREFIX_BYTES),
            );
        }
        for (key, bound) in [
            (KEY_NUMBER_LOWER, &r.number_lower),
            (KEY_NUMBER_UPPER, &r.number_upper),
        ] {
            if let Some((n, inclusive)) = bound {
                entries += 1;
                write::int(&mut body, key);
                write::array_len(&mut body, 2);
                write_number(&mut body, n);
                write::bool(&mut body, *inclusive);
            }
        }
        for (key, bound) in [
            (KEY_LENGTH_LOWER, r.length_lower),
            (KEY_LENGTH_UPPER, r.length_upper),
        ] {
            if let Some(n) = bound {
                entries += 1;
                write::int(&mut body, key);
                write::uint(&mut body, n);
            }
        }
        if entries == 0 {
            return None;
        }
        let mut payload = Vec::with_capacity(body.len() + 1);
        write::map_len(&mut payload, entries);
        payload.extend_from_slice(&body);
        Some(payload)
    }

    /// Reads an ext-12 payload leniently: unknown keys, inapplicable or
    /// malformed entries are skipped, and a payload that stops parsing keeps
    /// the entries read so far.
    pub(crate) fn decode_payload(payload: &[u8], ty: &Type) -> Refinements {
        let mut out = Refinements::default();
        if *ty == Type::Dynamic || payload.len() > MAX_PAYLOAD_BYTES {
            return out;
        }
        let mut r = Reader::new(payload);
        let Ok(Head::Map(entries)) = r.head() else {
            return out;
        };
        for _ in 0..entries {
            let key = match r.head() {
                Ok(Head::Int(k)) => k,
                Ok(Head::Uint(k)) => i64::try_from(k).unwrap_or(i64::MAX),
                Ok(other) => {
                    if !skip_rest_of(&mut r, other) || r.skip_item().is_err() {
                        break;
                    }
                    continue;
                }
                Err(_) => break,
            };
            if !read_entry(&mut r, key, ty, &mut out) {
                break;
            }
        }
        out.applicable_to(ty)
    }
}

/// Reads one entry's value into `out`. Returns false when the payload can no
/// longer be followed (the caller stops reading).
fn read_entry(r: &mut Reader<'_>, key: i64, ty: &Type, out: &mut Refinements) -> bool {
    let Ok(head) = r.head() else {
        return false;
    };
    match (key, head) {
        (KEY_NULLNESS, Head::Bool(is_null)) => out.not_null = !is_null,
        (KEY_STRING_PREFIX, Head::Str(len)) => match r.str_body(len) {
            Ok(prefix) if *ty == Type::String && !prefix.is_empty() => {
                out.string_prefix = Some(prefix.to_owned())
            }
            Ok(_) => {}
            Err(_) => return false,
        },
        (KEY_NUMBER_LOWER | KEY_NUMBER_UPPER, Head::Array(2)) => {
            let Ok(number_head) = r.head() else {
                return false;
            };
            let Ok(number) = read_number(r, number_head, &AttributePath::root()) else {
                return false;
            };
            let Ok(Head::Bool(inclusive)) = r.head() else {
                return false;
            };
            if key == KEY_NUMBER_LOWER {
                out.number_lower = Some((number, inclusive));
            } else {
                out.number_upper = Some((number, inclusive));
            }
        }
        (KEY_LENGTH_LOWER | KEY_LENGTH_UPPER, Head::Int(_) | Head::Uint(_)) => {
            let n = match head {
                Head::Int(n) => u64::try_from(n).ok(),
                Head::Uint(n) => Some(n),
                _ => None,
            };
            if key == KEY_LENGTH_LOWER {
                out.length_lower = n;
            } else {
                out.length_upper = n;
            }
        }
        (_, other) => return skip_rest_of(r, other),
    }
    true
}

/// Skips the body of an item whose head was already read.
fn skip_rest_of(r: &mut Reader<'_>, head: Head) -> bool {
    match head {
        Head::Str(len) | Head::Bin(len) | Head::Ext { len, .. } => r.take(len).is_ok(),
        Head::Array(n) => (0..n).all(|_| r.skip_item().is_ok()),
        Head::Map(n) => (0..n.saturating_mul(2)).all(|_| r.skip_item().is_ok()),
        _ => true,
    }
}

fn truncate_at_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_null_and_prefix_encode_like_terraform() {
        let r = Refinements {
            not_null: true,
            string_prefix: Some("ab".into()),
            ..Default::default()
        };
        assert_eq!(
            r.encode_payload(&Type::String),
            Some(vec![0x82, 0x01, 0xc2, 0x02, 0xa2, b'a', b'b'])
        );
    }

    #[test]
    fn inapplicable_refinements_are_dropped() {
        let r = Refinements {
            string_prefix: Some("ab".into()),
            length_lower: Some(1),
            ..Default::default()
        };
        assert_eq!(r.encode_payload(&Type::Number), None);
        assert_eq!(r.encode_payload(&Type::Dynamic), None);
        assert!(r.encode_payload(&Type::list(Type::String)).is_some());
    }

    #[test]
    fn payload_decoding_skips_unknown_keys_and_keeps_partial_results() {
        // {1: false, 9: [1, "x"], 2: "ab"}
        let payload = [
            0x83, 0x01, 0xc2, 0x09, 0x92, 0x01, 0xa1, b'x', 0x02, 0xa2, b'a', b'b',
        ];
        let r = Refinements::decode_payload(&payload, &Type::String);
        assert!(r.not_null);
        assert_eq!(r.string_prefix.as_deref(), Some("ab"));
        // truncated after the first entry
        let r = Refinements::decode_payload(&payload[..4], &Type::String);
        assert!(r.not_null);
        assert_eq!(r.string_prefix, None);
        // not a map at all
        assert!(Refinements::decode_payload(&[0xc3], &Type::String).is_empty());
    }

    #[test]
    fn number_bounds_round_trip() {
        let r = Refinements {
            number_lower: Some((Number::from(-3i64), true)),
            number_upper: Number::parse("0.1").ok().map(|n| (n, false)),
            ..Default::default()
        };
        let payload = r.encode_payload(&Type::Number);
        assert_eq!(
            payload.map(|p| Refinements::decode_payload(&p, &Type::Number)),
            Some(r)
        );
    }

    #[test]
    fn prefixes_are_truncated_on_a_char_boundary() {
        let long = "é".repeat(200);
        assert_eq!(truncate_at_char_boundary(&long, 256).len(), 256);
        assert_eq!(truncate_at_char_boundary("aé", 2), "a");
    }
}
