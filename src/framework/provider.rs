//! What a provider implements: its own configuration, and the types it
//! offers, one registry per kind.

use std::sync::Arc;

use async_trait::async_trait;

use super::data_source::DataSource;
use super::diagnostics::Diagnostics;
use super::function::Function;
use super::list_resource::ListResource;
use super::resource::{Resource, ValidateRequest, ValidateResponse};
use super::schema::Schema;
use crate::value::Value;

/// Set the provider up from its `provider` block. Its `Debug` leaves the
/// configuration out: it holds credentials (keys, tokens, endpoint URLs).
#[non_exhaustive]
pub struct ConfigureRequest {
    /// The provider configuration; may contain unknowns during plan.
    pub config: Value,
    /// Terraform's version, e.g. `1.15.5`.
    pub terraform_version: String,
}

impl std::fmt::Debug for ConfigureRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigureRequest")
            .field("config", &format_args!("<redacted>"))
            .field("terraform_version", &self.terraform_version)
            .finish()
    }
}

impl ConfigureRequest {
    /// A request for `config`.
    pub fn new(config: Value, terraform_version: String) -> Self {
        Self {
            config,
            terraform_version,
        }
    }
}

/// What ConfigureProvider reports.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ConfigureResponse {
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl From<Diagnostics> for ConfigureResponse {
    fn from(diagnostics: Diagnostics) -> Self {
        Self { diagnostics }
    }
}

/// A provider: its configuration schema and the types it offers.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider's local name (the prefix of its type names, and the
    /// `<name>` in `provider::<name>::<function>`).
    fn type_name(&self) -> &'static str;

    /// Schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// Checks the provider block beyond what the schema can say.
    fn validate_config(&self, _request: ValidateRequest) -> ValidateResponse {
        ValidateResponse::default()
    }

    /// Sets the provider up (clients, credentials) from its configuration.
    async fn configure(&self, request: ConfigureRequest) -> ConfigureResponse;

    /// The managed resource types.
    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    /// The data source types.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }

    /// The provider functions.
    fn functions(&self) -> Vec<Arc<dyn Function>> {
        Vec::new()
    }

    /// The list resources (`terraform query`).
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_leaves_the_configuration_out() {
        let config = Value::object([
            ("access_key", Value::string("AKIDFROMCONFIG")),
            ("secret_key", Value::string("the-secret-key")),
        ]);
        let request = ConfigureRequest::new(config, "1.15.5".into());
        let shown = format!("{request:?}");
        assert!(shown.contains("1.15.5"), "{shown}");
        for secret in ["AKIDFROMCONFIG", "the-secret-key"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}
