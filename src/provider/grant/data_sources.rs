//! Data sources: `identitycenter_application_grant` (one grant) and
//! `identitycenter_application_grants` (every grant of an application).
//! Their arguments are checked with the resource's rules.

use std::sync::Arc;

use async_trait::async_trait;

use super::attempts::Attempts;
use super::domain::{GrantKey, GrantType};
use super::error::GrantError;
use super::model::{GrantBlock, GrantDataModel, GrantItem, GrantsDataModel};
use super::resource::TYPE_NAME;
use super::{calls, consistency};
use crate::framework::conversion::from_root;
use crate::framework::{DataSource, Field, IntoValue, ReadDataRequest, ReadDataResponse, Schema};
use crate::provider::shared_client::SharedClient;

/// Type name of the one-grant data source: the resource's.
pub(crate) const GRANT_TYPE_NAME: &str = TYPE_NAME;
/// Type name of the all-grants data source.
pub(crate) const GRANTS_TYPE_NAME: &str = "identitycenter_application_grants";

/// Reads one grant.
pub(crate) struct GrantDataSource {
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

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let read = async {
            let mut model: GrantDataModel = from_root(&request.config)?;
            let key = GrantKey {
                application_arn: known_arn(&model.application_arn)?,
                grant_type: model
                    .grant_type
                    .known()
                    .and_then(|t| GrantType::parse(t))
                    .ok_or_else(|| {
                        GrantError::Incomplete(format!(
                            "{} must be a known, valid value here.",
                            GrantDataModel::GRANT_TYPE
                        ))
                    })?,
            };
            let client = self.client.get()?;
            let settings = calls::get_grant(&client, &key, &Attempts::default())
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

/// The configured application ARN. Terraform reads a data source only once
/// its configuration is known, and the schema requires the ARN, so a null or
/// unknown one is a bug to report, never a request for `""`.
fn known_arn(arn: &Field<String>) -> Result<String, GrantError> {
    arn.known().cloned().ok_or_else(|| {
        GrantError::Incomplete(format!(
            "{} must be a known value here.",
            GrantsDataModel::APPLICATION_ARN
        ))
    })
}

/// Reads every grant of an application.
pub(crate) struct GrantsDataSource {
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

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let read = async {
            let mut model: GrantsDataModel = from_root(&request.config)?;
            let application_arn = known_arn(&model.application_arn)?;
            let client = self.client.get()?;
            let grants = consistency::list_grants(&client, &application_arn).await?;
            model.grants = Field::Known(grants.iter().map(GrantItem::new).collect());
            Ok::<_, GrantError>(model.into_value())
        };
        match read.await {
            Ok(state) => ReadDataResponse::ok(state),
            Err(e) => ReadDataResponse::failed(e),
        }
    }
}
