//! Data sources: `identitycenter_application_grant` (one grant) and
//! `identitycenter_application_grants` (every grant of an application).
//! Their arguments are checked with the resource's rules.

use std::sync::Arc;

use async_trait::async_trait;

use super::attempts::Attempts;
use super::aws;
use super::domain::{GrantKey, GrantType};
use super::error::GrantError;
use super::model::{GrantBlock, GrantDataModel, GrantItem, GrantsDataModel};
use super::resource::TYPE_NAME;
use super::validation::{check_application_arn_field, check_key};
use crate::framework::model::from_root;
use crate::framework::{
    DataSource, Diagnostics, Field, IntoValue, ReadDataRequest, ReadDataResponse, Schema,
    ValidateRequest, ValidateResponse,
};
use crate::provider::configured::SharedClient;

/// Type name of the one-grant data source: the resource's.
pub const GRANT_TYPE_NAME: &str = TYPE_NAME;
/// Type name of the all-grants data source.
pub const GRANTS_TYPE_NAME: &str = "identitycenter_application_grants";

/// Reads one grant.
pub struct GrantDataSource {
    client: Arc<SharedClient>,
}

impl GrantDataSource {
    /// A data source using the provider's client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for GrantDataSource {
    fn type_name(&self) -> &'static str {
        GRANT_TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(0, GrantDataModel::schema_block())
    }

    fn validate(&self, request: ValidateRequest) -> ValidateResponse {
        let mut diags = Diagnostics::new();
        match from_root::<GrantDataModel>(&request.config) {
            Ok(config) => {
                check_key(&config.application_arn, &config.grant_type, &mut diags);
            }
            Err(e) => diags.extend(GrantError::from(e).into()),
        }
        diags.into()
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let read = async {
            let mut model: GrantDataModel = from_root(&request.config)?;
            let key = GrantKey {
                application_arn: model.application_arn.known().cloned().unwrap_or_default(),
                grant_type: model
                    .grant_type
                    .known()
                    .and_then(|t| GrantType::parse(t))
                    .ok_or(GrantError::Incomplete(
                        "grant_type must be a known, valid value here.",
                    ))?,
            };
            let client = self.client.get()?;
            let settings = aws::get_grant(&client, &key, &Attempts::default())
                .await?
                .ok_or_else(|| GrantError::NotFound { key: key.clone() })?;
            model.id = Field::Known(key.id());
            model.grant = Field::Known(GrantBlock::from(&settings));
            Ok::<_, GrantError>(model.into_value())
        };
        match read.await {
            Ok(state) => ReadDataResponse::ok(state),
            Err(e) => ReadDataResponse::failed(e),
        }
    }
}

/// Reads every grant of an application.
pub struct GrantsDataSource {
    client: Arc<SharedClient>,
}

impl GrantsDataSource {
    /// A data source using the provider's client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for GrantsDataSource {
    fn type_name(&self) -> &'static str {
        GRANTS_TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(0, GrantsDataModel::schema_block())
    }

    fn validate(&self, request: ValidateRequest) -> ValidateResponse {
        let mut diags = Diagnostics::new();
        match from_root::<GrantsDataModel>(&request.config) {
            Ok(config) => check_application_arn_field(&config.application_arn, &mut diags),
            Err(e) => diags.extend(GrantError::from(e).into()),
        }
        diags.into()
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let read = async {
            let mut model: GrantsDataModel = from_root(&request.config)?;
            let application_arn = model.application_arn.known().cloned().unwrap_or_default();
            let client = self.client.get()?;
            let grants = aws::list_grants(&client, &application_arn).await?;
            model.grants = Field::Known(grants.iter().map(GrantItem::new).collect());
            Ok::<_, GrantError>(model.into_value())
        };
        match read.await {
            Ok(state) => ReadDataResponse::ok(state),
            Err(e) => ReadDataResponse::failed(e),
        }
    }
}
