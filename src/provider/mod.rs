//! The identitycenter provider: its configuration schema and resources.

pub mod application_grant;
pub mod config;

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::framework::{ConfigureInput, Diagnostics, Provider, Resource, Schema};

/// Provider local name; resource types start with `identitycenter_`.
pub const PROVIDER_NAME: &str = "identitycenter";

/// The registry address users put in `required_providers`.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/idc-labs/identitycenter";

/// The IAM Identity Center provider.
#[derive(Default)]
pub struct IdentityCenterProvider {}

impl IdentityCenterProvider {
    /// A provider ready to be served.
    pub fn new() -> Self {
        Self {}
    }
}

impl Provider for IdentityCenterProvider {
    fn type_name(&self) -> &'static str {
        PROVIDER_NAME
    }

    fn schema(&self) -> Schema {
        config::schema()
    }

    fn validate_config(&self, config: &crate::value::Value) -> Diagnostics {
        config::validate(config)
    }

    fn configure<'a>(&'a self, input: ConfigureInput<'a>) -> BoxFuture<'a, Diagnostics> {
        Box::pin(async move {
            let _ = input;
            Diagnostics::new()
        })
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(application_grant::ApplicationGrantResource::new())]
    }
}
