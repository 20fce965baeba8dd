//! Errors from decoding and encoding values.
//!
//! Every variant that concerns a position inside a value carries the
//! [`AttributePath`] of that position, so the protocol layer can attach it to
//! a diagnostic.

use super::number::NumberError;
use super::path::AttributePath;

/// Why a value could not be decoded or encoded.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum ValueError {
    /// The bytes are not well-formed msgpack/JSON (truncated, bad UTF-8, trailing bytes...).
    #[error("malformed input at {}: {reason}", .path.label())]
    Malformed {
        /// Where in the value.
        path: AttributePath,
        /// What is wrong.
        reason: String,
    },

    /// The input (or the value being encoded) has the wrong kind for the schema type.
    #[error("at {}: expected {expected}, found {found}", .path.label())]
    TypeMismatch {
        /// Where in the value.
        path: AttributePath,
        /// What the type asks for.
        expected: String,
        /// What was there.
        found: String,
    },

    /// An object carries an attribute its type does not declare.
    #[error("at {}: unsupported attribute {name:?}", .path.label())]
    UnsupportedAttribute {
        /// Where in the value.
        path: AttributePath,
        /// The attribute.
        name: String,
    },

    /// The same map key or object attribute appears twice.
    #[error("at {}: duplicate key {key:?}", .path.label())]
    DuplicateKey {
        /// Where in the value.
        path: AttributePath,
        /// The key.
        key: String,
    },

    /// A tuple has the wrong number of elements.
    #[error("at {}: a tuple of length {expected} is required ({found} given)", .path.label())]
    TupleLength {
        /// Where in the value.
        path: AttributePath,
        /// What the type asks for.
        expected: usize,
        /// What was there.
        found: usize,
    },

    /// A number is not valid decimal text (or, in JSON, is infinite).
    #[error("at {}: {source}", .path.label())]
    InvalidNumber {
        /// Where in the value.
        path: AttributePath,
        /// Why the number is invalid.
        source: NumberError,
    },

    /// The type JSON (schema type or dynamic wrapper type) is invalid.
    #[error("invalid type JSON at {}: {reason}", .path.label())]
    InvalidTypeJson {
        /// Where in the value.
        path: AttributePath,
        /// What is wrong.
        reason: String,
    },

    /// JSON has no representation for unknown values.
    #[error("at {}: unknown values cannot be encoded as JSON", .path.label())]
    UnknownInJson {
        /// Where in the value.
        path: AttributePath,
    },

    /// A value at a `dynamic` position whose type cannot be inferred; wrap it in `Value::Typed`.
    #[error("at {}: a {found} at a dynamic position needs Value::Typed to name its type", .path.label())]
    DynamicTypeRequired {
        /// Where in the value.
        path: AttributePath,
        /// What was there.
        found: &'static str,
    },

    /// Nesting deeper than the codec allows (protects the stack from hostile input).
    #[error("at {}: value nested too deeply", .path.label())]
    TooDeep {
        /// Where in the value.
        path: AttributePath,
    },
}

impl ValueError {
    /// Where in the value the problem is.
    pub fn path(&self) -> &AttributePath {
        match self {
            ValueError::Malformed { path, .. }
            | ValueError::TypeMismatch { path, .. }
            | ValueError::UnsupportedAttribute { path, .. }
            | ValueError::DuplicateKey { path, .. }
            | ValueError::TupleLength { path, .. }
            | ValueError::InvalidNumber { path, .. }
            | ValueError::InvalidTypeJson { path, .. }
            | ValueError::UnknownInJson { path }
            | ValueError::DynamicTypeRequired { path, .. }
            | ValueError::TooDeep { path } => path,
        }
    }

    /// The same error re-anchored at `path` (used when a root-relative error,
    /// such as bad type JSON, is found inside a value).
    pub(crate) fn at(mut self, at: &AttributePath) -> Self {
        let slot = match &mut self {
            ValueError::Malformed { path, .. }
            | ValueError::TypeMismatch { path, .. }
            | ValueError::UnsupportedAttribute { path, .. }
            | ValueError::DuplicateKey { path, .. }
            | ValueError::TupleLength { path, .. }
            | ValueError::InvalidNumber { path, .. }
            | ValueError::InvalidTypeJson { path, .. }
            | ValueError::UnknownInJson { path }
            | ValueError::DynamicTypeRequired { path, .. }
            | ValueError::TooDeep { path } => path,
        };
        *slot = at.clone();
        self
    }
}
