//! The identitycenter provider: its configuration, the AWS client it builds,
//! and its resources.

pub mod application_grant;
pub mod client;
pub mod config;
pub mod grant;
pub mod grant_api;
pub mod grant_validation;
pub mod settings;

use std::sync::{Arc, RwLock};

use futures_util::future::BoxFuture;

use crate::framework::{ConfigureInput, Diagnostics, Provider, Resource, Schema};
use crate::value::AttributePath;
use settings::{ProviderSettings, SettingsError};

/// Provider local name; resource types start with `identitycenter_`.
pub const PROVIDER_NAME: &str = "identitycenter";

/// The registry address users put in `required_providers`.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/idc-labs/identitycenter";

/// What ConfigureProvider left for the resources.
#[derive(Clone, Default)]
pub enum ClientState {
    /// ConfigureProvider has not run (e.g. during validate).
    #[default]
    NotConfigured,
    /// The configuration depends on values only known after apply.
    Unknown(Vec<AttributePath>),
    /// Ready to call AWS.
    Ready(aws_sdk_ssoadmin::Client),
}

/// State shared by the provider and its resources.
#[derive(Default)]
pub struct Shared {
    client: RwLock<ClientState>,
}

impl Shared {
    /// The configured client, or a diagnostic explaining why there is none.
    pub fn client(&self) -> Result<aws_sdk_ssoadmin::Client, Diagnostics> {
        let state = match self.client.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let mut d = Diagnostics::new();
        match state {
            ClientState::Ready(c) => return Ok(c),
            ClientState::NotConfigured => d.error(
                "Provider not configured",
                "The identitycenter provider was asked to call AWS before it was configured. \
                 This is a bug in the provider or in Terraform.",
            ),
            ClientState::Unknown(paths) => {
                let names: Vec<String> = paths.iter().map(ToString::to_string).collect();
                d.error(
                    "Provider configuration not known yet",
                    format!(
                        "The identitycenter provider configuration depends on values that are only \
                         known after apply ({}), but this operation needs to call AWS now. Apply \
                         the resources those values come from first (terraform apply -target=…), \
                         or use values known at plan time.",
                        names.join(", ")
                    ),
                );
            }
        }
        Err(d)
    }

    fn set(&self, state: ClientState) {
        match self.client.write() {
            Ok(mut s) => *s = state,
            Err(poisoned) => *poisoned.into_inner() = state,
        }
    }
}

/// The IAM Identity Center provider.
#[derive(Default)]
pub struct IdentityCenterProvider {
    shared: Arc<Shared>,
}

impl IdentityCenterProvider {
    /// A provider ready to be served.
    pub fn new() -> Self {
        Self::default()
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
            match ProviderSettings::from_config(input.config) {
                Err(SettingsError::Invalid(d)) => d,
                Err(SettingsError::Unknown(paths)) => {
                    tracing::info!(?paths, "provider configuration has unknown values");
                    self.shared.set(ClientState::Unknown(paths));
                    Diagnostics::new()
                }
                Ok(settings) => {
                    tracing::debug!(
                        ?settings,
                        terraform = input.terraform_version,
                        "configuring"
                    );
                    match client::build_client(&settings).await {
                        Ok(c) => {
                            self.shared.set(ClientState::Ready(c));
                            Diagnostics::new()
                        }
                        Err(d) => d,
                    }
                }
            }
        })
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(application_grant::ApplicationGrantResource::new(
            self.shared.clone(),
        ))]
    }
}
