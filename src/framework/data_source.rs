//! What a data source implements.

use async_trait::async_trait;

use super::diagnostics::Diagnostics;
use super::resource::{ValidateRequest, ValidateResponse};
use super::schema::Schema;
use crate::value::Value;

/// Read the data a configuration asks for. Terraform only reads once every
/// argument is known: at plan time when it can, otherwise during apply.
#[derive(Debug)]
#[non_exhaustive]
pub struct ReadDataRequest {
    /// The configuration, wholly known.
    pub config: Value,
    /// The module's `provider_meta` block (null: none).
    pub provider_meta: Value,
}

impl ReadDataRequest {
    /// A request for `config`.
    pub fn new(config: Value, provider_meta: Value) -> Self {
        Self {
            config,
            provider_meta,
        }
    }
}

/// What a data source read produced.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ReadDataResponse {
    /// The configuration with every computed attribute filled in; `None`
    /// only together with an error.
    pub state: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl ReadDataResponse {
    /// A successful read.
    pub fn ok(state: Value) -> Self {
        Self {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }

    /// A failed read.
    pub fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
        Self {
            state: None,
            diagnostics: diagnostics.into(),
        }
    }
}

/// A data source type.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    /// Type name as used in HCL, e.g. `example_widgets`.
    fn type_name(&self) -> &'static str;

    /// The schema. Must be the same on every call.
    fn schema(&self) -> Schema;

    /// Checks configuration beyond what the schema says; values may be
    /// unknown and must then be skipped.
    fn validate(&self, _request: ValidateRequest) -> ValidateResponse {
        ValidateResponse::default()
    }

    /// Reads the data.
    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse;
}
