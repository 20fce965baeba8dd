//! List resources (Terraform ≥ 1.14, `terraform query`): discover existing
//! objects of a managed resource type, by identity, so they can be imported.

use async_trait::async_trait;
use tokio::sync::mpsc;

use super::diagnostics::Diagnostics;
use super::resource::{ValidateRequest, ValidateResponse};
use super::schema::Schema;
use super::stop::StopSignal;
use crate::value::Value;

/// List what a `list` block's `config` asks for.
#[derive(Debug)]
#[non_exhaustive]
pub struct ListRequest {
    /// The `config` block (every attribute null when the block is absent).
    pub config: Value,
    /// Whether each result should carry the full resource object.
    pub include_resource: bool,
    /// At most this many results are wanted; stop listing once sent.
    pub limit: u64,
    /// Fires on StopProvider.
    pub stop: StopSignal,
}

/// One result: an object found, or a failure (diagnostics only).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ListResult {
    /// The object's identity, of the resource's identity schema.
    pub identity: Option<Value>,
    /// A short human-readable name for the object.
    pub display_name: String,
    /// The full object, of the resource's schema (only sent when asked).
    pub resource_object: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl ListResult {
    /// An object found.
    pub fn found(identity: Value, display_name: String, resource_object: Option<Value>) -> Self {
        Self {
            identity: Some(identity),
            display_name,
            resource_object,
            diagnostics: Diagnostics::new(),
        }
    }

    /// A failure while listing; what was sent before stays valid.
    pub fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
        Self {
            diagnostics: diagnostics.into(),
            ..Self::default()
        }
    }
}

/// Where a list resource sends its results, in order, as it finds them.
pub struct ListResults(mpsc::Sender<ListResult>);

impl ListResults {
    /// A sink feeding `sender`.
    pub(crate) fn new(sender: mpsc::Sender<ListResult>) -> Self {
        Self(sender)
    }

    /// Sends one result; `false` means nobody is listening any more
    /// (Terraform closed the stream, or has all it asked for): stop.
    pub async fn send(&self, result: ListResult) -> bool {
        self.0.send(result).await.is_ok()
    }
}

/// A list resource. Its type name is that of the managed resource it lists,
/// which must declare an identity schema.
#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    /// Type name: the managed resource type it lists.
    fn type_name(&self) -> &'static str;

    /// Schema of the `list` block's `config` block. Must be the same on every call.
    fn schema(&self) -> Schema;

    /// Checks a `config` block beyond what the schema says; unknown values
    /// must be skipped.
    fn validate(&self, _request: ValidateRequest) -> ValidateResponse {
        ValidateResponse::default()
    }

    /// Lists objects into `results` until done, `limit` is reached, or a
    /// send returns `false`.
    async fn list(&self, request: ListRequest, results: ListResults);
}
