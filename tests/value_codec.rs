//! Wire-format tests for the cty value codec: golden bytes taken from
//! Terraform's own encodings, malformed inputs, and round-trip properties.

mod support;

use std::collections::BTreeMap;

use identitycenter::value::{
    decode_json, decode_msgpack, encode_json, encode_msgpack, AttributePath, Number, Refinements,
    Type, Value, ValueError,
};
use proptest::prelude::*;

fn num(text: &str) -> Number {
    Number::parse(text).expect("test number")
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_golden(value: &Value, ty: &Type, bytes: &[u8]) {
    let encoded = encode_msgpack(value, ty).expect("encode");
    assert_eq!(hex(&encoded), hex(bytes), "encoding of {value:?}");
    let decoded = decode_msgpack(bytes, ty).expect("decode");
    assert_eq!(&decoded, value, "decoding of {}", hex(bytes));
}

// ---- golden bytes -------------------------------------------------------

#[test]
fn plain_unknown_is_fixext1_zero() {
    assert_golden(&Value::unknown(), &Type::String, &[0xD4, 0x00, 0x00]);
    assert_golden(
        &Value::unknown(),
        &Type::list(Type::Bool),
        &[0xD4, 0x00, 0x00],
    );
}

#[test]
fn refined_not_null_string_prefix_round_trips_byte_for_byte() {
    let bytes = [0xC7, 0x07, 0x0C, 0x82, 0x01, 0xC2, 0x02, 0xA2, 0x61, 0x62];
    let value = Value::refined_unknown(Refinements {
        not_null: true,
        string_prefix: Some("ab".into()),
        ..Default::default()
    });
    assert_golden(&value, &Type::String, &bytes);
}

#[test]
fn object_writes_every_attribute_sorted_with_nil_for_null() {
    let ty = Type::object([("n", Type::String), ("id", Type::String)]);
    let value = Value::object([("id", Value::string("x")), ("n", Value::Null)]);
    assert_golden(
        &value,
        &ty,
        &[0x82, 0xA2, 0x69, 0x64, 0xA1, 0x78, 0xA1, 0x6E, 0xC0],
    );
    // An attribute absent from the Value is still written, as nil.
    let sparse = Value::object([("id", Value::string("x"))]);
    assert_eq!(
        encode_msgpack(&sparse, &ty).ok(),
        Some(vec![0x82, 0xA2, 0x69, 0x64, 0xA1, 0x78, 0xA1, 0x6E, 0xC0])
    );
}

#[test]
fn dynamic_string_is_wrapped_with_bin_type_json() {
    let bytes = [
        0x92, 0xC4, 0x08, 0x22, 0x73, 0x74, 0x72, 0x69, 0x6E, 0x67, 0x22, 0xA2, 0x68, 0x69,
    ];
    let typed = Value::Typed(Type::String, Box::new(Value::string("hi")));
    assert_golden(&typed, &Type::Dynamic, &bytes);
    // A bare string at a dynamic position has an obvious type.
    assert_eq!(
        encode_msgpack(&Value::string("hi"), &Type::Dynamic).ok(),
        Some(bytes.to_vec())
    );
    // The type JSON may also arrive as str.
    let mut as_str = bytes.to_vec();
    as_str[1] = 0xA8;
    as_str.remove(2);
    assert_eq!(decode_msgpack(&as_str, &Type::Dynamic).ok(), Some(typed));
}

#[test]
fn dynamic_accepts_bare_nil_and_bare_ext() {
    assert_eq!(
        decode_msgpack(&[0xC0], &Type::Dynamic).ok(),
        Some(Value::Null)
    );
    assert_eq!(
        decode_msgpack(&[0xD4, 0x00, 0x00], &Type::Dynamic).ok(),
        Some(Value::unknown())
    );
    // Refinements on a dynamic unknown are ignored.
    let refined = [0xC7, 0x03, 0x0C, 0x81, 0x01, 0xC2];
    assert_eq!(
        decode_msgpack(&refined, &Type::Dynamic).ok(),
        Some(Value::unknown())
    );
    assert_eq!(
        encode_msgpack(&Value::Null, &Type::Dynamic).ok(),
        Some(vec![0xC0])
    );
    // A typed null keeps its type in a wrapper.
    let typed_null = Value::Typed(Type::list(Type::String), Box::new(Value::Null));
    let bytes = encode_msgpack(&typed_null, &Type::Dynamic).expect("encode");
    assert_eq!(&bytes[..3], &[0x92, 0xC4, 0x11]);
    assert_eq!(
        decode_msgpack(&bytes, &Type::Dynamic).ok(),
        Some(typed_null)
    );
}

#[test]
fn dynamic_without_a_type_cannot_be_encoded() {
    let list = Value::List(vec![Value::string("a")]);
    let err = encode_msgpack(&list, &Type::Dynamic).expect_err("needs a type");
    assert!(
        matches!(err, ValueError::DynamicTypeRequired { .. }),
        "{err}"
    );
}

#[test]
fn numbers_arrive_as_strings_ints_and_floats() {
    // "0.1" as str, which is how Terraform sends config decimals.
    assert_golden(
        &Value::Number(num("0.1")),
        &Type::Number,
        &[0xA3, b'0', b'.', b'1'],
    );
    // 2^64 + 1 fits neither int64 nor a float64 exactly: text.
    let big = "18446744073709551617";
    let mut bytes = vec![0xB4];
    bytes.extend_from_slice(big.as_bytes());
    assert_golden(&Value::Number(num(big)), &Type::Number, &bytes);
    // i64 extremes go as int64.
    let mut bytes = vec![0xD3];
    bytes.extend_from_slice(&i64::MIN.to_be_bytes());
    assert_golden(&Value::number(i64::MIN), &Type::Number, &bytes);
    let mut bytes = vec![0xCF];
    bytes.extend_from_slice(&(i64::MAX as u64).to_be_bytes());
    assert_eq!(
        decode_msgpack(&bytes, &Type::Number).ok(),
        Some(Value::number(i64::MAX))
    );
    assert_eq!(
        encode_msgpack(&Value::number(i64::MAX), &Type::Number)
            .ok()
            .map(|b| b[0]),
        Some(0xCF)
    );
    // 1.5 is exactly a float64.
    let mut bytes = vec![0xCB];
    bytes.extend_from_slice(&1.5f64.to_bits().to_be_bytes());
    assert_golden(&Value::Number(num("1.5")), &Type::Number, &bytes);
    // float32 and small ints decode too.
    let mut f32_bytes = vec![0xCA];
    f32_bytes.extend_from_slice(&0.25f32.to_bits().to_be_bytes());
    assert_eq!(
        decode_msgpack(&f32_bytes, &Type::Number).ok(),
        Some(Value::Number(num("0.25")))
    );
    assert_eq!(
        decode_msgpack(&[0xFF], &Type::Number).ok(),
        Some(Value::number(-1i64))
    );
    assert_eq!(
        decode_msgpack(&[0xD0, 0x80], &Type::Number).ok(),
        Some(Value::number(-128i64))
    );
    // Infinity travels as float64.
    let inf = Value::Number(Number::infinity(true));
    let bytes = encode_msgpack(&inf, &Type::Number).expect("encode");
    assert_eq!(bytes[0], 0xCB);
    assert_eq!(decode_msgpack(&bytes, &Type::Number).ok(), Some(inf));
}

/// msgpack text holding `text`, as cty writes numbers it cannot send as
/// int64 or an exact float64.
fn msgpack_str(text: &str) -> Vec<u8> {
    assert!(text.len() < 32, "a fixstr");
    let mut bytes = vec![0xA0 | text.len() as u8];
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

fn msgpack_f64(f: f64) -> Vec<u8> {
    let mut bytes = vec![0xCB];
    bytes.extend_from_slice(&f.to_bits().to_be_bytes());
    bytes
}

#[test]
fn numbers_beyond_int64_follow_ctys_marshalling_rule() {
    // cty/msgpack marshal.go: int64 if the number is an integer that fits,
    // else float64 if a float64 holds it exactly, else its decimal text.
    // 2^64 and 1e20 are integers beyond int64 that float64 holds exactly.
    let two_to_64 = "18446744073709551616";
    assert_eq!(2f64.powi(64), 18446744073709551616.0);
    assert_golden(
        &Value::Number(num(two_to_64)),
        &Type::Number,
        &msgpack_f64(2f64.powi(64)),
    );
    assert_golden(
        &Value::Number(num("1e20")),
        &Type::Number,
        &msgpack_f64(1e20),
    );
    // u64::MAX is 2^64 - 1, which a float64 cannot hold: text. It still
    // reads back from uint64, which other encoders send.
    assert_golden(
        &Value::number(u64::MAX),
        &Type::Number,
        &msgpack_str(&u64::MAX.to_string()),
    );
    let mut uint64 = vec![0xCF];
    uint64.extend_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(
        decode_msgpack(&uint64, &Type::Number).ok(),
        Some(Value::number(u64::MAX))
    );
    // A decimal no float64 holds exactly: text.
    assert_golden(
        &Value::Number(num("-12345.678")),
        &Type::Number,
        &msgpack_str("-12345.678"),
    );
    // Reading accepts either form for every one of them.
    for text in [two_to_64, "100000000000000000000"] {
        assert_eq!(
            decode_msgpack(&msgpack_str(text), &Type::Number).ok(),
            Some(Value::Number(num(text))),
            "{text} as text"
        );
    }
    assert_eq!(
        decode_msgpack(&msgpack_f64(-12345.678), &Type::Number).ok(),
        Some(Value::Number(
            Number::from_f64_exact(-12345.678).expect("finite")
        )),
        "a float64 is read at its exact binary value"
    );
}

#[test]
fn refined_unknown_with_garbage_payload_is_still_unknown() {
    for bytes in [
        &[0xC7, 0x03, 0x0C, 0xC1, 0xFF, 0x00][..],
        &[0xC7, 0x02, 0x0C, 0x85, 0x01],
        &[0xC7, 0x04, 0x0C, 0x81, 0x03, 0x92, 0xC3],
        &[0xC7, 0x03, 0x0C, 0x81, 0x02, 0x07],
    ] {
        let decoded = decode_msgpack(bytes, &Type::Number);
        assert!(
            matches!(decoded, Ok(Value::Unknown(_))),
            "{}: {decoded:?}",
            hex(bytes)
        );
    }
    // Other extension codes are plain unknowns.
    let other = [0xC7, 0x03, 0x05, 0x81, 0x01, 0xC2];
    assert_eq!(
        decode_msgpack(&other, &Type::String).ok(),
        Some(Value::unknown())
    );
}

#[test]
fn collections_decode_against_their_schema_type() {
    let ty = Type::object([
        ("tags", Type::map(Type::String)),
        ("ids", Type::set(Type::Number)),
        ("pair", Type::Tuple(vec![Type::Bool, Type::String])),
    ]);
    let value = Value::object([
        (
            "tags",
            Value::Map(BTreeMap::from([("k".to_owned(), Value::string("v"))])),
        ),
        (
            "ids",
            Value::Set(vec![Value::number(1i64), Value::number(2i64)]),
        ),
        (
            "pair",
            Value::Tuple(vec![Value::Bool(true), Value::unknown()]),
        ),
    ]);
    let bytes = encode_msgpack(&value, &ty).expect("encode");
    assert_eq!(decode_msgpack(&bytes, &ty).ok(), Some(value));
}

// ---- malformed input ----------------------------------------------------

fn decode_err(bytes: &[u8], ty: &Type) -> ValueError {
    decode_msgpack(bytes, ty).expect_err("should fail")
}

#[test]
fn truncated_input_is_an_error() {
    let ty = Type::object([("id", Type::String)]);
    let full = [0x81, 0xA2, 0x69, 0x64, 0xA1, 0x78];
    for cut in 0..full.len() {
        let err = decode_err(&full[..cut], &ty);
        assert!(
            matches!(err, ValueError::Malformed { .. }),
            "cut {cut}: {err}"
        );
    }
    assert!(decode_msgpack(&full, &ty).is_ok());
}

#[test]
fn trailing_bytes_are_an_error() {
    assert!(matches!(
        decode_err(&[0xC0, 0xC0], &Type::String),
        ValueError::Malformed { .. }
    ));
}

#[test]
fn wrong_kind_for_type_names_the_path() {
    let ty = Type::object([("grant", Type::object([("name", Type::String)]))]);
    let bytes = [
        0x81, 0xA5, b'g', b'r', b'a', b'n', b't', 0x81, 0xA4, b'n', b'a', b'm', b'e', 0xC3,
    ];
    let err = decode_err(&bytes, &ty);
    assert_eq!(
        err.path(),
        &AttributePath::root().attribute("grant").attribute("name")
    );
    assert_eq!(
        err.to_string(),
        "at grant.name: expected string, found bool"
    );
    let err = decode_err(&[0xA1, b'x'], &Type::Number);
    assert!(matches!(err, ValueError::InvalidNumber { .. }), "{err}");
    let err = decode_err(&[0x90], &Type::map(Type::String));
    assert!(matches!(err, ValueError::TypeMismatch { .. }), "{err}");
}

#[test]
fn tuple_length_must_match() {
    let ty = Type::Tuple(vec![Type::String, Type::String]);
    let err = decode_err(&[0x91, 0xA1, b'a'], &ty);
    assert!(
        matches!(
            err,
            ValueError::TupleLength {
                expected: 2,
                found: 1,
                ..
            }
        ),
        "{err}"
    );
    let err = encode_msgpack(&Value::Tuple(vec![]), &ty).expect_err("length");
    assert!(matches!(err, ValueError::TupleLength { .. }));
}

#[test]
fn unknown_object_attribute_is_rejected_and_missing_one_is_null() {
    let ty = Type::object([("id", Type::String)]);
    let err = decode_err(&[0x81, 0xA1, b'z', 0xC0], &ty);
    assert!(
        matches!(err, ValueError::UnsupportedAttribute { ref name, .. } if name == "z"),
        "{err}"
    );
    assert_eq!(
        decode_msgpack(&[0x80], &ty).ok(),
        Some(Value::object([("id", Value::Null)]))
    );
    let extra = Value::object([("id", Value::Null), ("z", Value::Null)]);
    assert!(matches!(
        encode_msgpack(&extra, &ty),
        Err(ValueError::UnsupportedAttribute { .. })
    ));
}

#[test]
fn malformed_dynamic_wrappers_are_errors() {
    for bytes in [
        &[0x91, 0xC4, 0x00][..],                     // one element
        &[0x92, 0xC0, 0xC0],                         // type is nil
        &[0x92, 0xC4, 0x03, b'"', b'x', b'"', 0xC0], // unknown type name
        &[0x92, 0xC4, 0x02, b'[', b']', 0xC0],       // malformed type
        &[0xA1, b'x'],                               // not a wrapper
    ] {
        assert!(
            decode_msgpack(bytes, &Type::Dynamic).is_err(),
            "{}",
            hex(bytes)
        );
    }
}

#[test]
fn deeply_nested_dynamic_wrappers_fail_cleanly() {
    let layer = [&[0x92, 0xC4, 0x09][..], b"\"dynamic\""].concat();
    let bytes: Vec<u8> = std::iter::repeat_n(layer, 5000)
        .flatten()
        .chain([0xC0])
        .collect();
    let err = decode_err(&bytes, &Type::Dynamic);
    assert!(matches!(err, ValueError::TooDeep { .. }), "{err}");
}

#[test]
fn oversized_length_prefixes_do_not_allocate_or_panic() {
    let bytes = [0xDD, 0xFF, 0xFF, 0xFF, 0xFF, 0xC0];
    assert!(decode_msgpack(&bytes, &Type::list(Type::String)).is_err());
    let bytes = [0xDB, 0xFF, 0xFF, 0xFF, 0xFF, b'a'];
    assert!(decode_msgpack(&bytes, &Type::String).is_err());
}

// ---- JSON ---------------------------------------------------------------

#[test]
fn json_raw_state_keeps_precision_and_fills_missing_attributes() {
    let ty = Type::object([
        ("big", Type::Number),
        ("frac", Type::Number),
        ("name", Type::String),
        ("any", Type::Dynamic),
    ]);
    let raw = br#"{"big":18446744073709551617,"frac":0.10000000000000000001,"any":{"value":["a"],"type":["list","string"]}}"#;
    let value = decode_json(raw, &ty).expect("decode");
    assert_eq!(
        value.get_attr("big"),
        Some(&Value::Number(num("18446744073709551617")))
    );
    assert_eq!(
        value.get_attr("frac"),
        Some(&Value::Number(num("0.10000000000000000001")))
    );
    assert_eq!(value.get_attr("name"), Some(&Value::Null));
    assert_eq!(
        value.get_attr("any"),
        Some(&Value::Typed(
            Type::list(Type::String),
            Box::new(Value::List(vec![Value::string("a")]))
        ))
    );
    let encoded = encode_json(&value, &ty).expect("encode");
    assert_eq!(
        String::from_utf8_lossy(&encoded),
        r#"{"any":{"value":["a"],"type":["list","string"]},"big":18446744073709551617,"frac":0.10000000000000000001,"name":null}"#
    );
}

#[test]
fn json_rejects_unknown_attributes_and_unknown_values() {
    let ty = Type::object([("id", Type::String)]);
    let err = decode_json(br#"{"id":"x","zz":1}"#, &ty).expect_err("unknown attr");
    assert!(
        matches!(err, ValueError::UnsupportedAttribute { .. }),
        "{err}"
    );
    let err = encode_json(&Value::object([("id", Value::unknown())]), &ty).expect_err("unknown");
    assert_eq!(err.path(), &AttributePath::root().attribute("id"));
    assert!(decode_json(b"{\"id\":", &ty).is_err());
    assert!(encode_json(&Value::Number(Number::infinity(false)), &Type::Number).is_err());
}

#[test]
fn json_primitives_convert_leniently_like_cty() {
    assert_eq!(
        decode_json(b"12", &Type::String).ok(),
        Some(Value::string("12"))
    );
    assert_eq!(
        decode_json(b"\"1e2\"", &Type::Number).ok(),
        Some(Value::number(100i64))
    );
    assert_eq!(
        decode_json(b"\"true\"", &Type::Bool).ok(),
        Some(Value::Bool(true))
    );
    assert!(decode_json(b"\"yes\"", &Type::Bool).is_err());
}

// ---- properties ---------------------------------------------------------

fn type_strategy() -> impl Strategy<Value = Type> {
    support::strategies::cty_types("[a-z_]{1,6}", 4)
}

fn number_strategy() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Number::try_from(f).expect("finite")),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Number::from_f64_exact(f).expect("finite")),
        "-?[0-9]{1,30}(\\.[0-9]{1,25})?(e-?[0-9]{1,2})?".prop_map(|s| num(&s)),
    ]
}

fn refinements_strategy(ty: &Type) -> BoxedStrategy<Refinements> {
    let ty = ty.clone();
    (
        any::<bool>(),
        proptest::option::of("\\PC{1,8}"),
        proptest::option::of((number_strategy(), any::<bool>())),
        proptest::option::of((number_strategy(), any::<bool>())),
        proptest::option::of(0u64..1000),
        proptest::option::of(0u64..u64::MAX),
    )
        .prop_map(move |(not_null, prefix, lower, upper, len_lo, len_hi)| {
            Refinements {
                not_null,
                string_prefix: prefix,
                number_lower: lower,
                number_upper: upper,
                length_lower: len_lo,
                length_upper: len_hi,
            }
            .applicable_to(&ty)
        })
        .boxed()
}

fn known_value_strategy(ty: &Type, depth: u32) -> BoxedStrategy<Value> {
    match ty {
        Type::String => "\\PC{0,12}".prop_map(Value::String).boxed(),
        Type::Number => number_strategy().prop_map(Value::Number).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Dynamic => {
            if depth == 0 {
                prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)]
                    .prop_flat_map(|t| typed(t, 0))
                    .boxed()
            } else {
                type_strategy()
                    .prop_filter("concrete outer type", |t| *t != Type::Dynamic)
                    .prop_flat_map(move |t| typed(t, depth - 1))
                    .boxed()
            }
        }
        Type::List(elem) => prop::collection::vec(value_strategy(elem, depth), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(elem) => prop::collection::vec(value_strategy(elem, depth), 0..4)
            .prop_map(Value::Set)
            .boxed(),
        Type::Map(elem) => {
            prop::collection::btree_map("\\PC{0,5}", value_strategy(elem, depth), 0..4)
                .prop_map(Value::Map)
                .boxed()
        }
        Type::Object(attrs) => {
            let parts: Vec<_> = attrs
                .iter()
                .map(|(name, t)| {
                    let name = name.clone();
                    value_strategy(t, depth).prop_map(move |v| (name.clone(), v))
                })
                .collect();
            parts
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
                .boxed()
        }
        Type::Tuple(elems) => {
            let parts: Vec<_> = elems.iter().map(|t| value_strategy(t, depth)).collect();
            parts.prop_map(Value::Tuple).boxed()
        }
    }
}

fn typed(t: Type, depth: u32) -> BoxedStrategy<Value> {
    value_strategy(&t, depth)
        .prop_map(move |v| Value::Typed(t.clone(), Box::new(v)))
        .boxed()
}

/// Any value conforming to `ty`: null, (refined) unknown, or known.
fn value_strategy(ty: &Type, depth: u32) -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => refinements_strategy(ty).prop_map(Value::refined_unknown),
        4 => known_value_strategy(ty, depth),
    ]
    .boxed()
}

fn typed_value_strategy() -> impl Strategy<Value = (Type, Value)> {
    type_strategy().prop_flat_map(|ty| {
        let t = ty.clone();
        value_strategy(&ty, 1).prop_map(move |v| (t.clone(), v))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn msgpack_round_trips_every_conforming_value((ty, value) in typed_value_strategy()) {
        let bytes = encode_msgpack(&value, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let decoded = decode_msgpack(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded, value);
    }

    #[test]
    fn json_round_trips_wholly_known_values((ty, value) in typed_value_strategy()) {
        prop_assume!(value.is_wholly_known());
        let bytes = encode_json(&value, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let decoded = decode_json(&bytes, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded, value);
    }

    #[test]
    fn type_json_round_trips(ty in type_strategy()) {
        prop_assert_eq!(Type::from_json(ty.to_json().as_bytes()).ok(), Some(ty));
    }

    #[test]
    fn number_text_normalisation_is_idempotent_and_numeric(n in number_strategy()) {
        let again = Number::parse(n.as_str()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&again, &n);
        if let Some(i) = n.as_i64() {
            prop_assert_eq!(i.to_string(), n.to_string());
        }
    }

    #[test]
    fn random_bytes_never_panic_the_decoders(
        ty in type_strategy(),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let _ = decode_msgpack(&bytes, &ty);
        let _ = decode_json(&bytes, &ty);
        let _ = Type::from_json(&bytes);
    }

    #[test]
    fn mutated_encodings_never_panic_the_decoder(
        (ty, value) in typed_value_strategy(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = encode_msgpack(&value, &ty).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = decode_msgpack(&bytes, &ty);
        let _ = decode_msgpack(&bytes[..cut.index(bytes.len() + 1)], &ty);
    }
}
