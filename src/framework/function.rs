//! Provider functions (Terraform ≥ 1.8): `provider::<name>::<function>(…)`.
//! Functions are pure: the same arguments give the same result in every
//! phase, and they run on an unconfigured provider.

use crate::value::{Type, Value};

/// One parameter of a function.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Name, shown in documentation and errors.
    pub name: String,
    /// Argument type.
    pub ty: Type,
    /// Markdown description.
    pub description: String,
    /// Whether a null argument reaches the function (else Terraform rejects it).
    pub(crate) allow_null: bool,
    /// Whether an unknown argument reaches the function (else Terraform
    /// returns unknown without calling it).
    pub(crate) allow_unknown: bool,
}

impl Parameter {
    /// A parameter that takes only known, non-null values.
    pub fn new(name: &str, ty: Type, description: &str) -> Self {
        Self {
            name: name.to_string(),
            ty,
            description: description.to_string(),
            allow_null: false,
            allow_unknown: false,
        }
    }
}

/// A function's signature and documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    /// Positional parameters.
    pub parameters: Vec<Parameter>,
    /// A trailing parameter taking any number of arguments.
    pub(crate) variadic: Option<Parameter>,
    /// Result type.
    pub return_type: Type,
    /// One-line summary.
    pub summary: String,
    /// Markdown description.
    pub description: String,
}

impl Signature {
    /// The parameter an argument at `index` is passed to.
    pub(crate) fn parameter(&self, index: usize) -> Option<&Parameter> {
        self.parameters.get(index).or(self.variadic.as_ref())
    }
}

/// Why a call failed: Terraform shows `text`, pointing at the argument when
/// one is named.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text}")]
pub struct FunctionError {
    /// What is wrong and what was expected.
    pub text: String,
    /// Zero-based index of the offending argument.
    pub argument: Option<usize>,
}

impl FunctionError {
    /// An error about the argument at `index`.
    pub fn argument(index: usize, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            argument: Some(index),
        }
    }

    /// An error about the call as a whole.
    pub fn call(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            argument: None,
        }
    }
}

/// A call: one value per argument, each of its parameter's type.
#[derive(Debug)]
#[non_exhaustive]
pub struct CallRequest {
    /// The arguments in order.
    pub arguments: Vec<Value>,
}

impl CallRequest {
    /// A call with `arguments`.
    pub fn new(arguments: Vec<Value>) -> Self {
        Self { arguments }
    }
}

/// A call's outcome.
#[derive(Debug)]
#[non_exhaustive]
pub struct CallResponse {
    /// The result, of the signature's return type, or the error.
    pub result: Result<Value, FunctionError>,
}

impl From<Result<Value, FunctionError>> for CallResponse {
    fn from(result: Result<Value, FunctionError>) -> Self {
        Self { result }
    }
}

/// A provider function.
pub trait Function: Send + Sync + 'static {
    /// Name as called in HCL (after `provider::<provider>::`).
    fn name(&self) -> &'static str;

    /// Parameters, result type and documentation. Must be the same on every
    /// call.
    fn signature(&self) -> Signature;

    /// Computes the result.
    fn call(&self, request: CallRequest) -> CallResponse;
}
