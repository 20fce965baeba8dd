//! Durations as Terraform users write them: `1h`, `45m`, `900s`, `1h30m`.

use std::time::Duration;

/// Parses durations written like Terraform users write them: `1h`, `45m`,
/// `900s`, `1h30m`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = 0u64;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("missing or too large a number before {c:?}"))?;
        digits.clear();
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            other => return Err(format!("unknown unit {other:?}")),
        };
        total = n
            .checked_mul(unit)
            .and_then(|seconds| total.checked_add(seconds))
            .ok_or_else(|| "the duration is too long".to_string())?;
    }
    if !digits.is_empty() {
        return Err("missing unit (h, m or s) after the last number".into());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go_durations() {
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("900s"), Ok(Duration::from_secs(900)));
        assert!(parse_duration("15").is_err());
        assert!(parse_duration("1d").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn durations_that_overflow_are_rejected_not_wrapped() {
        // 1152921504606846977 h × 3600 wraps to 3600 s in u64 arithmetic.
        assert!(parse_duration("1152921504606846977h").is_err());
        assert!(parse_duration("99999999999999999999999s").is_err());
    }
}
