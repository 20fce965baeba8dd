//! Reading request members and checking them against model constraints.
//!
//! Type mismatches (a number where a string belongs) are protocol errors and fail at once with
//! `SerializationException`. Constraint breaches (length, pattern, enum, required) are collected
//! into [`Violations`] and reported together, the way AWS reports "N validation errors detected".

use std::fmt::Write as _;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::error::ApiError;

/// A model `@pattern`, matched against the whole value (anchored at both ends).
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

/// Respell an ECMA-262 pattern (the dialect of Smithy/AWS model patterns) for the `regex`
/// crate. In ECMA-262 without the `u` flag, `\d` and `\w` (and their negations) are ASCII
/// only, while in `regex` they are Unicode-aware (`\d` would accept Arabic-Indic digits and
/// `\w` letters such as `ï` or `名`). They are replaced by ASCII classes, inside and outside
/// brackets. Explicit Unicode classes such as `\p{L}`, which the model uses on purpose, are kept.
fn ecma_to_rust(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut in_class = false;
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let ascii = match (next, in_class) {
                    ('d', false) => Some("[0-9]"),
                    ('d', true) => Some("0-9"),
                    ('D', false) => Some("[^0-9]"),
                    ('D', true) => Some("[:^digit:]"),
                    ('w', false) => Some("[0-9A-Za-z_]"),
                    ('w', true) => Some("0-9A-Za-z_"),
                    ('W', false) => Some("[^0-9A-Za-z_]"),
                    ('W', true) => Some("[:^word:]"),
                    _ => None,
                };
                match ascii {
                    Some(text) => out.push_str(text),
                    None => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A leading `^` negates the class; it is not a member.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn compile(source: &str) -> Option<Regex> {
    Regex::new(&format!("^(?:{})$", ecma_to_rust(source))).ok()
}

impl Pattern {
    /// A pattern from the model's source text (unanchored; anchoring is added here).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The model's text of the pattern, quoted in validation messages.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// True when the whole of `value` matches. A pattern that fails to compile matches nothing,
    /// which unit tests rule out for every pattern in the model.
    pub fn full_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| compile(self.source))
            .as_ref()
            .is_some_and(|re| re.is_match(value))
    }

    /// True when the pattern compiles (used by tests of the model tables).
    #[cfg(test)]
    pub fn compiles(&self) -> bool {
        compile(self.source).is_some()
    }
}

/// The constraints a string shape carries in the model.
pub struct StringRule {
    /// Minimum length in characters.
    pub min: usize,
    /// Maximum length in characters.
    pub max: usize,
    /// Pattern the whole value must match, if any.
    pub pattern: Option<&'static Pattern>,
    /// Allowed values for an enum shape; empty for free strings.
    pub one_of: &'static [&'static str],
}

/// The constraint breaches found in one request.
#[derive(Debug, Default)]
pub struct Violations {
    items: Vec<String>,
}

/// Longest value echoed back in a validation message.
const ECHO_LIMIT: usize = 256;

impl Violations {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record that the member at `path` (showing `shown`, already quoted or `null`) breaks `constraint`.
    pub fn add(&mut self, path: &str, shown: &str, constraint: &str) {
        self.items.push(format!(
            "Value {shown} at '{path}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// Record a rule that has no member value to echo (union and cross-member rules).
    pub fn add_rule(&mut self, text: String) {
        self.items.push(text);
    }

    /// Record a missing required member.
    pub fn missing(&mut self, path: &str) {
        self.add(path, "null", "Member must not be null");
    }

    /// `Ok` when nothing was recorded, else one `ValidationException` listing everything.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.items.is_empty() {
            return Ok(());
        }
        let count = self.items.len();
        let noun = if count == 1 { "error" } else { "errors" };
        Err(ApiError::validation(format!(
            "{count} validation {noun} detected: {}",
            self.items.join("; ")
        )))
    }
}

/// `'value'` as validation messages echo it, shortened if very long.
pub fn quoted(value: &str) -> String {
    let mut out = String::from("'");
    if value.chars().count() > ECHO_LIMIT {
        out.extend(value.chars().take(ECHO_LIMIT));
        out.push_str("...");
    } else {
        out.push_str(value);
    }
    out.push('\'');
    out
}

/// Check one present string value against its rule.
pub fn check_string(v: &mut Violations, path: &str, value: &str, rule: &StringRule) {
    let shown = quoted(value);
    if !rule.one_of.is_empty() {
        if !rule.one_of.contains(&value) {
            let mut set = String::from("[");
            for (i, allowed) in rule.one_of.iter().enumerate() {
                if i > 0 {
                    set.push_str(", ");
                }
                let _ = write!(set, "{allowed}");
            }
            set.push(']');
            v.add(
                path,
                &shown,
                &format!("Member must satisfy enum value set: {set}"),
            );
        }
        return;
    }
    let len = value.chars().count();
    if len < rule.min {
        v.add(
            path,
            &shown,
            &format!(
                "Member must have length greater than or equal to {}",
                rule.min
            ),
        );
    }
    if len > rule.max {
        v.add(
            path,
            &shown,
            &format!("Member must have length less than or equal to {}", rule.max),
        );
    }
    if let Some(pattern) = rule.pattern {
        if !pattern.full_match(value) {
            v.add(
                path,
                &shown,
                &format!(
                    "Member must satisfy regular expression pattern: {}",
                    pattern.source()
                ),
            );
        }
    }
}

/// Check a string member that may be absent; records `missing` when it is required and absent.
pub fn check_member(
    v: &mut Violations,
    path: &str,
    value: Option<&str>,
    rule: &StringRule,
    required: bool,
) {
    match value {
        Some(s) => check_string(v, path, s, rule),
        None if required => v.missing(path),
        None => {}
    }
}

/// Check a list's length against the model's `min`/`max` (lists report "length" like strings).
pub fn check_list_len(v: &mut Violations, path: &str, len: usize, min: usize, max: usize) {
    let shown = format!("'[... {len} items]'");
    if len < min {
        v.add(
            path,
            &shown,
            &format!("Member must have length greater than or equal to {min}"),
        );
    }
    if len > max {
        v.add(
            path,
            &shown,
            &format!("Member must have length less than or equal to {max}"),
        );
    }
}

/// The one member set in the union `union` at `path` (members whose value is JSON `null`
/// count as unset), when it is exactly one of `known`; otherwise `None`, with the reason
/// recorded (an unknown member, or not exactly one member set).
pub fn union_member<'u>(
    v: &mut Violations,
    path: &str,
    union: &'u Map<String, Value>,
    known: &[&str],
) -> Option<&'u str> {
    let set: Vec<&str> = union
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, _)| key.as_str())
        .collect();
    if let Some(unknown) = set.iter().find(|k| !known.contains(k)) {
        v.add_rule(format!(
            "Value at '{path}' failed to satisfy constraint: '{unknown}' is not a member of the union; expected one of {}",
            known.join(", ")
        ));
        return None;
    }
    if set.len() != 1 {
        v.add_rule(format!(
            "Value at '{path}' failed to satisfy constraint: Exactly one member of the union must be set, found {}",
            set.len()
        ));
        return None;
    }
    Some(set[0])
}

/// Check an integer against an inclusive range.
pub fn check_range(v: &mut Violations, path: &str, value: i64, min: i64, max: i64) {
    let shown = format!("'{value}'");
    if value < min {
        v.add(
            path,
            &shown,
            &format!("Member must have value greater than or equal to {min}"),
        );
    }
    if value > max {
        v.add(
            path,
            &shown,
            &format!("Member must have value less than or equal to {max}"),
        );
    }
}

/// The members of one JSON object in a request, with the dotted path used in messages.
#[derive(Clone)]
pub struct Members<'a> {
    object: &'a Map<String, Value>,
    prefix: String,
}

fn member_path(prefix: &str, key: &str) -> String {
    let mut chars = key.chars();
    let camel: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    if prefix.is_empty() {
        camel
    } else {
        format!("{prefix}.{camel}")
    }
}

fn type_error(path: &str, expected: &str, found: &Value) -> ApiError {
    let found = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    ApiError::serialization(format!(
        "Expected {expected} for '{path}' but found {found}"
    ))
}

impl<'a> Members<'a> {
    /// The members of `object`, reported under `prefix` (empty for the top level).
    pub fn new(object: &'a Map<String, Value>, prefix: impl Into<String>) -> Self {
        Self {
            object,
            prefix: prefix.into(),
        }
    }

    /// The whole object as received (for idempotency fingerprints).
    pub fn as_value(&self) -> Value {
        Value::Object(self.object.clone())
    }

    /// The message path of member `key`.
    pub fn path(&self, key: &str) -> String {
        member_path(&self.prefix, key)
    }

    /// The raw value of `key`, with JSON `null` read as absent.
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|v| !v.is_null())
    }

    /// A string member.
    pub fn string(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(type_error(&self.path(key), "a string", other)),
        }
    }

    /// A structure member, as its JSON object.
    pub fn object(&self, key: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => Err(type_error(&self.path(key), "an object", other)),
        }
    }

    /// A list member.
    pub fn array(&self, key: &str) -> Result<Option<&'a [Value]>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(other) => Err(type_error(&self.path(key), "an array", other)),
        }
    }

    /// A list of strings; a non-string element is a protocol error.
    pub fn strings(&self, key: &str) -> Result<Option<Vec<&'a str>>, ApiError> {
        let Some(items) = self.array(key)? else {
            return Ok(None);
        };
        let path = self.path(key);
        items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.as_str()),
                other => Err(type_error(&format!("{path}.member"), "a string", other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// An integer member; fractions and out-of-range numbers are protocol errors.
    pub fn integer(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| {
                type_error(&self.path(key), "an integer", &Value::Number(n.clone()))
            }),
            Some(other) => Err(type_error(&self.path(key), "an integer", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static DIGITS: Pattern = Pattern::new(r"\d{3}");

    #[test]
    fn patterns_match_the_whole_value_only() {
        assert!(DIGITS.full_match("123"));
        assert!(!DIGITS.full_match("x123"));
        assert!(!DIGITS.full_match("1234"));
    }

    #[test]
    fn digit_and_word_classes_are_ascii_as_in_ecma_262() {
        static WORD: Pattern = Pattern::new(r"[\w+=,.@\-]+");
        static NOT_DIGIT: Pattern = Pattern::new(r"\D[^\d]\W");
        assert!(!DIGITS.full_match("١٢٣"));
        assert!(WORD.full_match("Corp_1+=,.@-"));
        assert!(!WORD.full_match("naïve-名前"));
        assert!(NOT_DIGIT.full_match("a٣ "));
        assert!(!NOT_DIGIT.full_match("a3 "));
        assert!(!NOT_DIGIT.full_match("ab_"));
        assert!(NOT_DIGIT.full_match("abé"));
        assert_eq!(ecma_to_rust(r"\p{L}[\d]\\d"), r"\p{L}[0-9]\\d");
    }

    #[test]
    fn violations_are_counted_in_the_message() {
        let mut v = Violations::new();
        v.missing("applicationArn");
        v.missing("grantType");
        let err = v.into_result().unwrap_err();
        assert_eq!(err.code, "ValidationException");
        assert!(err
            .message
            .starts_with("2 validation errors detected: Value null at 'applicationArn'"));
    }

    #[test]
    fn wrong_member_types_are_serialization_errors() {
        let body = json!({"Name": 5, "Items": ["a", 1], "Max": 1.5});
        let obj = body.as_object().unwrap();
        let m = Members::new(obj, "");
        assert_eq!(m.string("Name").unwrap_err().code, "SerializationException");
        assert_eq!(
            m.strings("Items").unwrap_err().code,
            "SerializationException"
        );
        assert_eq!(m.integer("Max").unwrap_err().code, "SerializationException");
        assert_eq!(m.path("Name"), "name");
    }
}
