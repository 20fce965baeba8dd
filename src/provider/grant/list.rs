//! The `identitycenter_application_grant` list resource (`terraform query`):
//! every grant of one application, or of every application of an Identity
//! Center instance, each with its identity and, when asked, the full object.

use std::sync::Arc;

use crate::provider::shared_client::AwsClient;
use async_trait::async_trait;

use super::calls::{describe_application, Application, ApplicationPages};
use super::consistency::list_grants;
use super::domain::GrantKey;
use super::error::GrantError;
use super::model::{GrantIdentityModel, GrantListConfig, GrantResourceModel};
use super::resource::TYPE_NAME;
use crate::framework::conversion::from_root;
use crate::framework::{
    Diagnostic, Diagnostics, Field, IntoValue, ListRequest, ListResource, ListResult, ListResults,
    Schema, ValidateRequest, ValidateResponse,
};
use crate::provider::shared_client::SharedClient;
use crate::value::AttributePath;

/// Lists grants.
pub(crate) struct GrantListResource {
    client: Arc<SharedClient>,
}

impl GrantListResource {
    /// A list resource using the provider's client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self { client }
    }
}

/// Where to look, from a validated configuration.
enum Scope {
    Application(String),
    Instance(String),
}

/// Checks a `config` block holds exactly one of the two scopes (the form of
/// each is declared with it). Unknown values are skipped.
fn validate_config(config: &GrantListConfig) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let either = format!(
        "Set exactly one of {} (the grants of one application) or {} (the grants of every \
         application of an Identity Center instance).",
        GrantListConfig::APPLICATION_ARN,
        GrantListConfig::INSTANCE_ARN
    );
    match (&config.application_arn, &config.instance_arn) {
        // On the whole configuration: nothing in it can be pointed at.
        (Field::Null, Field::Null) => {
            diags.add(Diagnostic::error("Missing list scope", either).at(AttributePath::root()))
        }
        (Field::Null, _) | (_, Field::Null) => {}
        _ => diags.add(
            Diagnostic::error("Conflicting list scope", either)
                .at(AttributePath::root().attribute(GrantListConfig::INSTANCE_ARN)),
        ),
    }
    diags
}

/// One result for a grant found.
fn result(
    application: &Application,
    key: GrantKey,
    object: Option<GrantResourceModel>,
) -> ListResult {
    let display_name = format!("{}: {}", application.name, key.grant_type);
    ListResult::found(
        GrantIdentityModel::of(&key).into_value(),
        display_name,
        object.map(IntoValue::into_value),
    )
}

impl GrantListResource {
    /// Sends the grants of one application; `false` once nobody wants more.
    async fn send_grants_of(
        &self,
        client: &AwsClient,
        application: &Application,
        request: &ListRequest,
        sent: &mut u64,
        results: &ListResults,
    ) -> Result<bool, GrantError> {
        for settings in list_grants(client, &application.arn).await? {
            if *sent >= request.limit {
                return Ok(false);
            }
            let key = GrantKey {
                application_arn: application.arn.clone(),
                grant_type: settings.grant_type(),
            };
            let object = request
                .include_resource
                .then(|| GrantResourceModel::state(&key, Some(&settings)));
            if !results.send(result(application, key, object)).await {
                return Ok(false);
            }
            *sent += 1;
        }
        Ok(*sent < request.limit)
    }

    async fn list_scope(
        &self,
        request: &ListRequest,
        results: &ListResults,
    ) -> Result<(), GrantError> {
        let config: GrantListConfig = from_root(&request.config)?;
        let scope = match (config.application_arn, config.instance_arn) {
            (Field::Known(arn), _) => Scope::Application(arn),
            (_, Field::Known(arn)) => Scope::Instance(arn),
            _ => {
                return Err(GrantError::Incomplete(format!(
                    "{} or {} must be known here.",
                    GrantListConfig::APPLICATION_ARN,
                    GrantListConfig::INSTANCE_ARN
                )))
            }
        };
        let client = self.client.get()?;
        let mut sent = 0;
        match scope {
            Scope::Application(arn) => {
                let application = describe_application(&client, &arn).await?;
                self.send_grants_of(&client, &application, request, &mut sent, results)
                    .await?;
            }
            Scope::Instance(arn) => {
                let mut pages = ApplicationPages::new(&client, &arn);
                while let Some(page) = pages.next().await {
                    for application in page? {
                        if !self
                            .send_grants_of(&client, &application, request, &mut sent, results)
                            .await?
                        {
                            return Ok(());
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[async_trait]
impl ListResource for GrantListResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        Schema::new(0, GrantListConfig::schema_block())
    }

    fn validate(&self, request: ValidateRequest) -> ValidateResponse {
        match from_root::<GrantListConfig>(&request.config) {
            Ok(config) => validate_config(&config).into(),
            Err(e) => Diagnostics::from(GrantError::from(e)).into(),
        }
    }

    async fn list(&self, request: ListRequest, results: ListResults) {
        if request.limit == 0 {
            return;
        }
        if let Err(e) = self.list_scope(&request, &results).await {
            tracing::warn!(error = %e, "listing grants failed");
            results.send(ListResult::failed(e)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summaries(application_arn: Field<String>, instance_arn: Field<String>) -> Vec<String> {
        validate_config(&GrantListConfig {
            application_arn,
            instance_arn,
        })
        .iter()
        .map(|d| d.summary.clone())
        .collect()
    }

    #[test]
    fn exactly_one_scope_unless_unknown() {
        let app = || Field::Known(super::super::arn::APPLICATION_ARN_EXAMPLE.to_string());
        let instance =
            || Field::Known("arn:aws:sso:::instance/ssoins-1111222233334444".to_string());
        assert!(summaries(app(), Field::Null).is_empty());
        assert!(summaries(Field::Null, instance()).is_empty());
        assert!(summaries(Field::Unknown, Field::Null).is_empty());
        assert_eq!(summaries(Field::Null, Field::Null), ["Missing list scope"]);
        assert_eq!(summaries(app(), instance()), ["Conflicting list scope"]);
    }
}
