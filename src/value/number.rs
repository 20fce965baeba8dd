//! Arbitrary-precision cty numbers.
//!
//! Terraform parses configuration numbers at 512-bit precision and sends values
//! that do not fit an int64 or an exact float64 as decimal text. Routing such
//! values through `f64` silently changes IDs above 2^53 and decimals such as
//! `0.1`, which Terraform then reports as plan/apply inconsistencies. So a
//! [`Number`] keeps the exact decimal text, normalised so that equal numbers
//! have equal text.

use std::fmt;

/// Upper bound on the magnitude of the decimal exponent after normalisation.
/// Keeps `1e999999999` from expanding into a gigabyte of zeros.
const MAX_EXPONENT: i64 = 10_000;

/// Canonical text of positive infinity (what Go's `big.Float.Text('f', -1)` prints).
const POS_INF: &str = "+Inf";
/// Canonical text of negative infinity.
const NEG_INF: &str = "-Inf";

/// An exact decimal number (or ±infinity, which cty can carry in msgpack).
///
/// The canonical text has no exponent, no leading `+`, no redundant leading
/// zeros, no trailing fractional zeros and no negative zero, so the derived
/// equality is numeric equality: `"1e3" == "1000"`, `"1.50" == "1.5"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(String);

/// A text that is not a decimal number.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("invalid number {text:?}: {reason}")]
pub struct NumberError {
    text: String,
    reason: &'static str,
}

impl NumberError {
    fn new(text: &str, reason: &'static str) -> Self {
        let mut shown: String = text.chars().take(64).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        NumberError {
            text: shown,
            reason,
        }
    }
}

impl Number {
    /// Parses decimal text such as `12`, `-0.5`, `1e3`, `1.50`, `.5`, or `Inf`.
    pub fn parse(text: &str) -> Result<Number, NumberError> {
        let (negative, unsigned) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
            return Ok(Number(if negative { NEG_INF } else { POS_INF }.to_owned()));
        }
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
            None => (unsigned, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || !all_digits(frac_part) {
            return Err(NumberError::new(text, "expected decimal digits"));
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(NumberError::new(text, "no digits"));
        }
        let exponent = match exponent {
            None => 0,
            Some(e) => parse_exponent(e).ok_or_else(|| NumberError::new(text, "bad exponent"))?,
        };

        // value = 0.<digits> * 10^point
        let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
        let leading_zeros = digits.iter().take_while(|&&d| d == b'0').count();
        digits.drain(..leading_zeros);
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            return Ok(Number("0".to_owned()));
        }
        let point = (int_part.len() as i64)
            .saturating_sub(leading_zeros as i64)
            .saturating_add(exponent);
        if !(-MAX_EXPONENT..=MAX_EXPONENT).contains(&point) {
            return Err(NumberError::new(text, "exponent out of range"));
        }

        let mut out = String::with_capacity(digits.len() + point.unsigned_abs() as usize + 3);
        if negative {
            out.push('-');
        }
        let len = digits.len() as i64;
        let digits = String::from_utf8_lossy(&digits);
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-point) as usize));
            out.push_str(&digits);
        } else if point >= len {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (point - len) as usize));
        } else {
            let (whole, frac) = digits.split_at(point as usize);
            out.push_str(whole);
            out.push('.');
            out.push_str(frac);
        }
        Ok(Number(out))
    }

    /// The exact value of a binary float (every digit of its expansion), as
    /// cty's msgpack decoder does with `NumberFloatVal`.
    pub fn from_f64_exact(value: f64) -> Result<Number, NumberError> {
        if value.is_nan() {
            return Err(NumberError::new("NaN", "not a number"));
        }
        if value.is_infinite() {
            return Ok(Self::infinity(value < 0.0));
        }
        // 1074 fractional digits cover the smallest subnormal exactly.
        Number::parse(&format!("{value:.1074}"))
    }

    /// Positive or negative infinity.
    pub fn infinity(negative: bool) -> Number {
        Number(if negative { NEG_INF } else { POS_INF }.to_owned())
    }

    /// The canonical decimal text (`+Inf`/`-Inf` for infinities).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for ±infinity.
    pub(crate) fn is_infinite(&self) -> bool {
        self.0 == POS_INF || self.0 == NEG_INF
    }

    /// True for finite numbers without a fractional part.
    pub(crate) fn is_integer(&self) -> bool {
        !self.is_infinite() && !self.0.contains('.')
    }

    /// The value as an `i64`, if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The value as a `u64`, if it is a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        if self.is_integer() {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The nearest `f64` (lossy for most decimals; never use it for IDs).
    pub fn as_f64(&self) -> f64 {
        match self.0.as_str() {
            POS_INF => f64::INFINITY,
            NEG_INF => f64::NEG_INFINITY,
            text => text.parse().unwrap_or(f64::NAN),
        }
    }

    /// The `f64` that equals this number exactly, if there is one.
    pub(crate) fn exact_f64(&self) -> Option<f64> {
        if self.is_infinite() {
            return Some(self.as_f64());
        }
        let fraction_digits = self.0.find('.').map_or(0, |at| self.0.len() - at - 1);
        if fraction_digits > 1074 {
            return None;
        }
        let candidate = self.as_f64();
        if !candidate.is_finite() {
            return None;
        }
        match Number::from_f64_exact(candidate) {
            Ok(exact) if exact == *self => Some(candidate),
            _ => None,
        }
    }
}

fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 12 {
        // Far beyond MAX_EXPONENT either way; report as out of range below.
        return Some(if negative { i64::MIN / 2 } else { i64::MAX / 2 });
    }
    let magnitude: i64 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Number(value.to_string())
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number(value.to_string())
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Self {
        Number(value.to_string())
    }
}

impl From<u32> for Number {
    fn from(value: u32) -> Self {
        Number(value.to_string())
    }
}

/// The shortest decimal that round-trips through the float (`0.1` stays `0.1`).
/// NaN is rejected; infinities are kept.
impl TryFrom<f64> for Number {
    type Error = NumberError;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if value.is_nan() {
            return Err(NumberError::new("NaN", "not a number"));
        }
        if value.is_infinite() {
            return Ok(Self::infinity(value < 0.0));
        }
        // Rust's Display for f64 is the shortest round-trip text, never exponential.
        Number::parse(&value.to_string())
    }
}

impl std::str::FromStr for Number {
    type Err = NumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Number::parse(s)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        Number::parse(text).expect(text).as_str().to_owned()
    }

    #[test]
    fn parse_normalises_to_plain_decimal_text() {
        assert_eq!(canon("12"), "12");
        assert_eq!(canon("-0.5"), "-0.5");
        assert_eq!(canon("1e3"), "1000");
        assert_eq!(canon("1.50"), "1.5");
        assert_eq!(canon("+7"), "7");
        assert_eq!(canon("-0"), "0");
        assert_eq!(canon("-0.000"), "0");
        assert_eq!(canon("007.2500"), "7.25");
        assert_eq!(canon(".5"), "0.5");
        assert_eq!(canon("5."), "5");
        assert_eq!(canon("1.5E-3"), "0.0015");
        assert_eq!(canon("12345e-2"), "123.45");
        assert_eq!(canon("0.00e5"), "0");
        assert_eq!(canon("18446744073709551617"), "18446744073709551617");
        assert_eq!(canon("inf"), "+Inf");
        assert_eq!(canon("-Infinity"), "-Inf");
    }

    #[test]
    fn equal_numbers_compare_equal_whatever_their_spelling() {
        assert_eq!(Number::parse("1e3").ok(), Number::parse("1000.000").ok());
        assert_eq!(Number::parse("-0").ok(), Some(Number::from(0i64)));
        assert_ne!(Number::parse("0.1").ok(), Number::parse("0.10000001").ok());
    }

    #[test]
    fn parse_rejects_garbage() {
        for bad in [
            "", "-", ".", "1.2.3", "abc", "1e", "1e+", "0x10", " 1", "1 ", "NaN", "1e99999",
        ] {
            assert!(Number::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn integer_accessors_respect_range() {
        assert_eq!(Number::from(i64::MIN).as_i64(), Some(i64::MIN));
        assert_eq!(Number::from(u64::MAX).as_i64(), None);
        assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::from(-1i64).as_u64(), None);
        assert_eq!(Number::parse("1.5").ok().and_then(|n| n.as_i64()), None);
        assert_eq!(Number::parse("2.50").map(|n| n.as_f64()), Ok(2.5));
    }

    #[test]
    fn floats_convert_shortest_or_exact() {
        assert_eq!(
            Number::try_from(0.1).map(|n| n.to_string()),
            Ok("0.1".into())
        );
        assert_eq!(
            Number::try_from(-0.0).map(|n| n.to_string()),
            Ok("0".into())
        );
        assert_eq!(
            Number::try_from(1e21).map(|n| n.to_string()),
            Ok("1000000000000000000000".into())
        );
        assert!(Number::try_from(f64::NAN).is_err());
        assert_eq!(
            Number::from_f64_exact(0.1).map(|n| n.to_string()),
            Ok("0.1000000000000000055511151231257827021181583404541015625".into())
        );
        assert_eq!(
            Number::try_from(f64::INFINITY).map(|n| n.is_infinite()),
            Ok(true)
        );
    }

    #[test]
    fn exact_f64_only_for_exactly_representable_values() {
        assert_eq!(
            Number::parse("1.5").ok().and_then(|n| n.exact_f64()),
            Some(1.5)
        );
        assert_eq!(Number::parse("0.1").ok().and_then(|n| n.exact_f64()), None);
        let tiny = Number::from_f64_exact(5e-324).ok();
        assert_eq!(tiny.and_then(|n| n.exact_f64()), Some(5e-324));
    }
}
