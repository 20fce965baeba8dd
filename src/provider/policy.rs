//! IAM policy documents as a configuration writes them (the `actor_policy` of an application's
//! IAM authentication method): why a text is not one, whether two documents say the same
//! thing, and one canonical spelling of a document.
//!
//! AWS does not give a policy back as it was sent (see the emulator's re-serialisation), and
//! people write the same policy many ways. Two documents are *equivalent* when they differ only
//! in what IAM ignores:
//!
//! - object key order and whitespace, anywhere;
//! - `Statement` as one statement object or a list holding just that object;
//! - in a statement's `Action`, `NotAction`, `Resource` and `NotResource`, and in each value of
//!   a `Principal` / `NotPrincipal` map (`{"AWS": "arn…"}` vs `{"AWS": ["arn…"]}`): one value
//!   or a list holding it, and the order and repetition of a list's values (IAM reads them as
//!   a set: any one may match);
//! - in a `Condition`, the values given for one key under one operator: IAM ORs them, for
//!   every operator (set operators such as `ForAllValues:` compare sets), so all condition
//!   value lists are unordered sets, and one value equals a list holding it;
//! - the spelling of a number (`100`, `100.0` and `1e2` are one value): serde_json here keeps
//!   a number's text (`arbitrary_precision`), and AWS answers with numbers in its own spelling.
//!
//! Everything else is compared exactly, as IAM would not treat it as the same policy or this
//! module does not presume to know: `Version`, `Id`, `Sid`, `Effect`, the order of
//! statements, condition operator and key names, the letter case of actions (IAM matches
//! actions case-insensitively, but a changed case is shown as a change), `"Principal": "*"`
//! against `{"AWS": "*"}`, and any member IAM does not define.
//!
//! Nothing here knows Terraform or the AWS SDK: the text comes in as a `&str`, a document that
//! came back from AWS as a [`serde_json::Value`].

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

/// Why a text is not a policy document; the message is written for the user who wrote the
/// `actor_policy` attribute.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not JSON at all.
    #[error(
        "The policy is not valid JSON: {reason} (line {line}, column {column}). Write it with \
         jsonencode({{ Version = \"2012-10-17\", Statement = [...] }}) to have Terraform \
         produce the JSON."
    )]
    InvalidJson {
        /// serde_json's description of the problem.
        reason: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// JSON, but not an object.
    #[error(
        "The policy is {found}, but an IAM policy document is a JSON object, such as \
         {{\"Version\": \"2012-10-17\", \"Statement\": [...]}}."
    )]
    NotAnObject {
        /// What it is instead (`a string`, `a list`, …).
        found: &'static str,
    },
    /// An object without a `Statement` member.
    #[error(
        "The policy has no \"Statement\": an IAM policy document needs one statement object, \
         or a list of them, under \"Statement\"."
    )]
    NoStatement,
    /// A `Statement` that is neither a statement object nor a non-empty list of them.
    #[error(
        "The policy's \"Statement\" is {found}, but it must be one statement object or a \
         non-empty list of statement objects."
    )]
    InvalidStatement {
        /// What it is instead.
        found: &'static str,
    },
}

/// A parsed IAM policy document: a JSON object with a usable `Statement`. It has no `==`: two
/// documents are compared with [`PolicyDocument::is_equivalent_to`], never by spelling.
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    document: Map<String, Value>,
}

impl PolicyDocument {
    /// Parse a policy document from its JSON text.
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let value: Value = serde_json::from_str(text).map_err(|e| PolicyError::InvalidJson {
            reason: json_error_reason(&e),
            line: e.line(),
            column: e.column(),
        })?;
        Self::from_value(value)
    }

    /// A policy document from a JSON value (one AWS gave back, say).
    pub fn from_value(value: Value) -> Result<Self, PolicyError> {
        let Value::Object(document) = value else {
            return Err(PolicyError::NotAnObject {
                found: kind_of(&value),
            });
        };
        match document.get("Statement") {
            None | Some(Value::Null) => return Err(PolicyError::NoStatement),
            Some(Value::Object(_)) => {}
            Some(Value::Array(items)) if items.is_empty() => {
                return Err(PolicyError::InvalidStatement {
                    found: "an empty list",
                })
            }
            Some(Value::Array(items)) => {
                if let Some(item) = items.iter().find(|item| !item.is_object()) {
                    return Err(PolicyError::InvalidStatement {
                        found: list_holding(item),
                    });
                }
            }
            Some(other) => {
                return Err(PolicyError::InvalidStatement {
                    found: kind_of(other),
                })
            }
        }
        Ok(Self { document })
    }

    /// The document as JSON, as written (keys in the order written, nothing normalised).
    pub fn to_value(&self) -> Value {
        Value::Object(self.document.clone())
    }

    /// Whether the two documents say the same thing to IAM (see the module documentation for
    /// what counts as the same).
    pub fn is_equivalent_to(&self, other: &PolicyDocument) -> bool {
        self.canonical_value() == other.canonical_value()
    }

    /// The document in its one canonical spelling: compact JSON, keys in ascending order,
    /// `Statement` always a list, every set-valued member (see the module documentation) a
    /// sorted list without repeats, numbers in their plainest spelling. Two documents are
    /// equivalent exactly when their canonical forms are equal.
    pub fn canonical(&self) -> String {
        self.canonical_value().to_string()
    }

    fn canonical_value(&self) -> Value {
        object_with(&self.document, |key, value| match key {
            "Statement" => match value {
                Value::Array(statements) => {
                    Value::Array(statements.iter().map(canonical_statement).collect())
                }
                one => Value::Array(vec![canonical_statement(one)]),
            },
            _ => exact(value),
        })
    }
}

/// Whether two policy texts are equivalent; an error names the first that is not a policy.
pub fn texts_are_equivalent(a: &str, b: &str) -> Result<bool, PolicyError> {
    Ok(PolicyDocument::parse(a)?.is_equivalent_to(&PolicyDocument::parse(b)?))
}

/// serde_json's message without its own " at line L column C" suffix (the error carries the
/// position separately).
fn json_error_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What a `Statement` list holding `item` (not a statement) is, for messages.
fn list_holding(item: &Value) -> &'static str {
    match item {
        Value::Null => "a list holding null",
        Value::Bool(_) => "a list holding a boolean",
        Value::Number(_) => "a list holding a number",
        Value::String(_) => "a list holding a string",
        Value::Array(_) => "a list holding a list",
        Value::Object(_) => "a list of statements",
    }
}

/// Members of a statement that hold one value or a list meaning a set of values.
const SET_MEMBERS: [&str; 4] = ["Action", "NotAction", "Resource", "NotResource"];

/// Members of a statement that name principals: `"*"`, or a map from principal kind (`AWS`,
/// `Service`, `Federated`, `CanonicalUser`) to one value or a set of them.
const PRINCIPAL_MEMBERS: [&str; 2] = ["Principal", "NotPrincipal"];

fn canonical_statement(statement: &Value) -> Value {
    let Value::Object(members) = statement else {
        return exact(statement);
    };
    object_with(members, |key, value| {
        if SET_MEMBERS.contains(&key) {
            set_of(value)
        } else if PRINCIPAL_MEMBERS.contains(&key) {
            map_of_sets(value)
        } else if key == "Condition" {
            match value {
                Value::Object(operators) => object_with(operators, |_, keys| map_of_sets(keys)),
                other => exact(other),
            }
        } else {
            exact(value)
        }
    })
}

/// An object whose every member value is one value or a set (principal maps, the keys under
/// one condition operator); anything else (`"*"`) exactly.
fn map_of_sets(value: &Value) -> Value {
    match value {
        Value::Object(members) => object_with(members, |_, v| set_of(v)),
        other => exact(other),
    }
}

/// One value or a list of values, as the set they mean: a sorted list without repeats. An
/// object is not a value IAM takes here and is compared exactly.
fn set_of(value: &Value) -> Value {
    let items: Vec<Value> = match value {
        Value::Array(items) => items.iter().map(exact).collect(),
        Value::Object(_) => return exact(value),
        scalar => vec![exact(scalar)],
    };
    let by_spelling: BTreeMap<String, Value> = items
        .into_iter()
        .map(|item| (item.to_string(), item))
        .collect();
    Value::Array(by_spelling.into_values().collect())
}

/// `members` with keys in ascending order and each value mapped by `canonical`.
fn object_with(members: &Map<String, Value>, canonical: impl Fn(&str, &Value) -> Value) -> Value {
    let sorted: BTreeMap<&String, &Value> = members.iter().collect();
    let mut out = Map::new();
    for (key, value) in sorted {
        out.insert(key.clone(), canonical(key, value));
    }
    Value::Object(out)
}

/// A value compared exactly but for key order and number spelling.
fn exact(value: &Value) -> Value {
    match value {
        Value::Object(members) => object_with(members, |_, v| exact(v)),
        Value::Array(items) => Value::Array(items.iter().map(exact).collect()),
        Value::Number(n) => Value::Number(plainest(n)),
        other => other.clone(),
    }
}

/// Largest integer every `f64` below it represents exactly (2^53).
const EXACT_F64_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// A number's plainest spelling. Integers written as integers keep their digits (however
/// long); other spellings go through `f64`, and come out as integers when they are whole and
/// exact (`100.0`, `1e2` → `100`), else in the shortest form that reads back the same.
fn plainest(n: &Number) -> Number {
    let text = n.to_string();
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return if text == "-0" {
            Number::from(0)
        } else {
            n.clone()
        };
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < EXACT_F64_INTEGERS => Number::from(f as i64),
        Some(f) => Number::from_f64(f).unwrap_or_else(|| n.clone()),
        None => n.clone(),
    }
}

#[cfg(test)]
mod tests;
