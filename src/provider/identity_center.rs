//! The IAM Identity Center provider: its configuration, and every type it
//! offers.

use std::sync::Arc;

use async_trait::async_trait;

use super::authentication_method::resource::AuthenticationMethodResource;
use super::client::build_client;
use super::client_settings::{ProviderSettings, SettingsError};
use super::grant::data_sources::{GrantDataSource, GrantsDataSource};
use super::grant::exclusive::GrantsExclusiveResource;
use super::grant::functions::{GrantIdFunction, ParseGrantIdFunction};
use super::grant::list::GrantListResource;
use super::grant::resource::ApplicationGrantResource;
use super::provider_block::{self, ProviderConfig};
use super::shared_client::{ClientError, SharedClient};
use crate::framework::conversion::from_root;
use crate::framework::{
    ConfigureRequest, ConfigureResponse, DataSource, Diagnostics, Function, ListResource, Provider,
    Resource, Schema, ValidateRequest, ValidateResponse,
};

/// Provider local name; type names start with `identitycenter_`.
pub const PROVIDER_NAME: &str = "identitycenter";

/// The registry address users put in `required_providers`.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/idc-labs/identitycenter";

/// The IAM Identity Center provider.
#[derive(Default)]
pub struct IdentityCenterProvider {
    client: Arc<SharedClient>,
}

impl IdentityCenterProvider {
    /// A provider ready to be served.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The provider block's settings, or why they cannot be read.
fn settings(config: &crate::value::Value) -> Result<ProviderSettings, SettingsError> {
    let model: ProviderConfig = from_root(config)?;
    ProviderSettings::from_config(&model)
}

#[async_trait]
impl Provider for IdentityCenterProvider {
    fn type_name(&self) -> &'static str {
        PROVIDER_NAME
    }

    fn schema(&self) -> Schema {
        provider_block::schema()
    }

    fn validate_config(&self, request: ValidateRequest) -> ValidateResponse {
        // Unknown values are left for ConfigureProvider.
        match settings(&request.config) {
            Err(SettingsError::Invalid(d)) => d.into(),
            _ => ValidateResponse::default(),
        }
    }

    async fn configure(&self, request: ConfigureRequest) -> ConfigureResponse {
        match settings(&request.config) {
            Err(SettingsError::Invalid(d)) => d.into(),
            Err(SettingsError::Unknown(paths)) => {
                tracing::info!(?paths, "provider configuration has unknown values");
                self.client.set(Err(ClientError::Unknown(paths)));
                ConfigureResponse::default()
            }
            Ok(settings) => {
                tracing::debug!(
                    ?settings,
                    terraform = request.terraform_version,
                    "configuring"
                );
                match build_client(&settings).await {
                    Ok(c) => {
                        self.client.set(Ok(c));
                        ConfigureResponse::default()
                    }
                    Err(e) => Diagnostics::from(e).into(),
                }
            }
        }
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            Arc::new(ApplicationGrantResource::new(self.client.clone())),
            Arc::new(GrantsExclusiveResource::new(self.client.clone())),
            Arc::new(AuthenticationMethodResource::new(self.client.clone())),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            Arc::new(GrantDataSource::new(self.client.clone())),
            Arc::new(GrantsDataSource::new(self.client.clone())),
        ]
    }

    fn functions(&self) -> Vec<Arc<dyn Function>> {
        vec![Arc::new(GrantIdFunction), Arc::new(ParseGrantIdFunction)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(GrantListResource::new(self.client.clone()))]
    }
}
