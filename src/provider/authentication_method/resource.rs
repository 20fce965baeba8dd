//! The resource: create refuses to adopt a method that exists, a write that
//! may have reached AWS is kept in state, only a Get that says "not found"
//! makes the method gone, and a policy AWS gives back in another spelling
//! (keys reordered, one value for a one-element list, …) keeps the text the
//! configuration wrote.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value as Json;

use super::calls::{delete_method, get_method, put_method, Held};
use super::model::{
    AuthenticationMethodIdentityModel, AuthenticationMethodModel, IamBlock, MethodKey, IAM,
};
use crate::framework::conversion::from_root;
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics, Field,
    ImportRequest, ImportResponse, IntoValue, ModifyPlanRequest, ModifyPlanResponse,
    ObjectResponse, ReadRequest, ReadResponse, Resource, Schema, StopSignal, UpdateRequest,
    UpdateResponse,
};
use crate::provider::grant::arn::check_application_arn;
use crate::provider::grant::attempts::Attempts;
use crate::provider::grant::error::GrantError;
use crate::provider::policy::PolicyDocument;
use crate::provider::shared_client::SharedClient;
use crate::value::{AttributePath, Value};

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_authentication_method";

/// The resource schema (version 0).
pub fn schema() -> Schema {
    Schema::new(0, AuthenticationMethodModel::schema_block())
}

/// The resource.
pub(crate) struct AuthenticationMethodResource {
    client: Arc<SharedClient>,
}

impl AuthenticationMethodResource {
    /// A resource using the provider's (eventually configured) client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self { client }
    }
}

/// The key and actor policy text of a stored or planned method, which
/// validation guarantees.
fn parts_of(value: &Value) -> Result<(MethodKey, Option<String>), GrantError> {
    let model: AuthenticationMethodModel = from_root(value)?;
    let key = model.key().ok_or_else(|| {
        GrantError::Incomplete(format!(
            "{} and {} must be known, valid values here.",
            AuthenticationMethodModel::APPLICATION_ARN,
            AuthenticationMethodModel::AUTHENTICATION_METHOD_TYPE
        ))
    })?;
    let policy = model.actor_policy().cloned();
    Ok((key, policy))
}

/// A method's state with its identity, as any answer that carries it.
fn found<R: ObjectResponse>(key: &MethodKey, policy: Option<String>) -> R {
    R::object(AuthenticationMethodModel::state(key, policy).into_value())
        .with_identity(AuthenticationMethodIdentityModel::of(key).into_value())
}

/// The text state holds for what AWS holds: `held` (state's text) when it
/// says the same as AWS's copy, else AWS's copy written as `jsonencode`
/// writes it (compact, keys in ascending order), so that after an import a
/// configuration that writes the same document with `jsonencode` plans no
/// change.
fn policy_text(held: Option<&str>, remote: Json) -> String {
    let same = held
        .and_then(|text| PolicyDocument::parse(text).ok())
        .zip(PolicyDocument::from_value(remote.clone()).ok())
        .is_some_and(|(held, remote)| held.is_equivalent_to(&remote));
    match held {
        Some(text) if same => text.to_string(),
        _ => keys_ascending(remote).to_string(),
    }
}

/// `value` with every object's keys in ascending order.
fn keys_ascending(value: Json) -> Json {
    match value {
        Json::Object(members) => {
            let mut members: Vec<(String, Json)> = members.into_iter().collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k, keys_ascending(v)))
                    .collect(),
            )
        }
        Json::Array(items) => Json::Array(items.into_iter().map(keys_ascending).collect()),
        other => other,
    }
}

/// A method AWS holds in a form this provider does not know: it can
/// neither show nor safely change it, nor call it gone.
fn unrecognised(key: &MethodKey) -> Diagnostic {
    Diagnostic::error(
        "Unrecognised authentication method from AWS",
        format!(
            "AWS returned the {} in a form this provider version does not understand, so it \
             can neither show nor safely change it (nor treat it as gone). Upgrade the provider.",
            key.describe()
        ),
    )
}

/// Create found a method already there.
fn already_exists(key: &MethodKey) -> Diagnostic {
    Diagnostic::error(
        "Authentication method already exists",
        format!(
            "The {} already exists in AWS, but Terraform's state does not hold it: something \
             else set it, or an earlier apply wrote it and was cut off before recording it. \
             Creating it would silently replace its actor policy.\n\n\
             To manage it with Terraform, import it: put this block in the root module, with \
             ADDRESS the address Terraform shows above after \"with\", then apply again:\n\n\
             import {{\n  to = ADDRESS\n  id = \"{}\"\n}}\n\n\
             Or run: terraform import 'ADDRESS' '{}'",
            key.describe(),
            key.id(),
            key.id()
        ),
    )
}

impl AuthenticationMethodResource {
    /// Writes the planned method. A create first makes sure none exists
    /// (Put is an upsert and would take one over). A Put that may have
    /// reached AWS keeps the planned object, with the error (tainted if new).
    async fn write<R: ObjectResponse>(
        &self,
        planned: &Value,
        stop: &StopSignal,
        create: bool,
    ) -> R {
        let (key, policy) = match parts_of(planned) {
            Ok(parts) => parts,
            Err(e) => return R::failed(e),
        };
        let Some(text) = policy else {
            return R::failed(GrantError::Incomplete(format!(
                "The planned {} is not known.",
                IamBlock::ACTOR_POLICY
            )));
        };
        let json: Json = match serde_json::from_str(&text) {
            Ok(json) => json,
            // Validation refuses such a text; this one came from elsewhere.
            Err(e) => {
                return R::failed(GrantError::Incomplete(format!(
                    "The actor policy is not JSON: {e}."
                )))
            }
        };
        let client = match self.client.get() {
            Ok(c) => c,
            Err(e) => return R::failed(GrantError::from(e)),
        };
        let attempts = Attempts::default();
        let cancelled = |when: &str| {
            Diagnostic::error(
                "Operation cancelled",
                format!(
                    "Terraform asked the provider to stop {when} (the {}).",
                    key.describe()
                ),
            )
        };
        if create {
            let existing = tokio::select! {
                r = get_method(&client, &key, &attempts) => r,
                _ = stop.stopped() => return R::failed(cancelled("before anything was written")),
            };
            match existing {
                Ok(None) => {}
                Ok(Some(_)) => return R::failed(already_exists(&key)),
                Err(e) => return R::failed(e),
            }
        }
        tracing::debug!(application_arn = %key.application_arn, "PutApplicationAuthenticationMethod");
        let put = tokio::select! {
            r = put_method(&client, &key, &json, &attempts) => r,
            _ = stop.stopped() => {
                return found::<R>(&key, Some(text)).with_diagnostics(cancelled(
                    "while PutApplicationAuthenticationMethod was in flight; it may have been \
                     applied. Terraform keeps the method in state and the next plan reconciles \
                     it with AWS",
                ));
            }
        };
        match put {
            Ok(()) => found(&key, Some(text)),
            Err((error, true)) => found::<R>(&key, Some(text)).with_diagnostics(error),
            Err((error, false)) => R::failed(error),
        }
    }
}

/// What an import names: `<application_arn>,IAM`, or the identity.
fn imported_key(request: &ImportRequest) -> Result<MethodKey, Diagnostics> {
    if request.identity.is_null() {
        return MethodKey::parse_id(&request.id)
            .map_err(|detail| Diagnostic::error("Invalid import ID", detail).into());
    }
    let given: AuthenticationMethodIdentityModel =
        from_root(&request.identity).map_err(GrantError::from)?;
    let invalid = |field: &str, detail: String| {
        Diagnostic::error(
            "Invalid import identity",
            format!("identity.{field}: {detail}"),
        )
        .at(AttributePath::root().attribute(field))
    };
    let mut diags = Diagnostics::new();
    let application_arn = match given.application_arn.known() {
        Some(arn) => match check_application_arn(arn) {
            Ok(()) => Some(arn.clone()),
            Err(detail) => {
                diags.add(invalid(
                    AuthenticationMethodIdentityModel::APPLICATION_ARN,
                    detail,
                ));
                None
            }
        },
        None => {
            diags.add(invalid(
                AuthenticationMethodIdentityModel::APPLICATION_ARN,
                "is required, the ARN of the application.".to_string(),
            ));
            None
        }
    };
    if given.authentication_method_type.known().map(String::as_str) != Some(IAM) {
        diags.add(invalid(
            AuthenticationMethodIdentityModel::AUTHENTICATION_METHOD_TYPE,
            format!("must be {IAM:?}, the only type AWS has."),
        ));
    }
    match application_arn {
        Some(application_arn) if !diags.has_errors() => Ok(MethodKey { application_arn }),
        _ => Err(diags),
    }
}

#[async_trait]
impl Resource for AuthenticationMethodResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<Schema> {
        Some(Schema::new(
            0,
            AuthenticationMethodIdentityModel::schema_block(),
        ))
    }

    fn modify_plan(&self, _request: &ModifyPlanRequest, plan: &mut ModifyPlanResponse) {
        // The identity follows the planned key; the ID is known as soon as
        // the key is.
        if let Ok(mut planned) = from_root::<AuthenticationMethodModel>(&plan.planned) {
            plan.identity = Some(
                AuthenticationMethodIdentityModel {
                    application_arn: planned.application_arn.clone(),
                    authentication_method_type: planned.authentication_method_type.clone(),
                }
                .into_value(),
            );
            if let Some(key) = planned.key() {
                planned.id = Field::Known(key.id());
                plan.planned = planned.into_value();
            }
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let read = async {
            let (key, held) = parts_of(&request.state)?;
            let client = self.client.get()?;
            let seen = get_method(&client, &key, &Attempts::default()).await?;
            Ok::<_, GrantError>(match seen {
                Some(Held::Iam(remote)) => found(&key, Some(policy_text(held.as_deref(), remote))),
                Some(Held::Unrecognised) => ReadResponse::failed(unrecognised(&key)),
                None => {
                    tracing::info!(application_arn = %key.application_arn, "authentication method no longer exists");
                    ReadResponse::gone()
                }
            })
        };
        read.await.unwrap_or_else(ReadResponse::failed)
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        self.write(&request.planned, &request.stop, true).await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        self.write(&request.planned, &request.stop, false).await
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let deleted = async {
            let (key, _) = parts_of(&request.prior)?;
            let client = self.client.get()?;
            delete_method(&client, &key, &Attempts::default()).await
        };
        match deleted.await {
            Ok(()) => DeleteResponse::default(),
            Err(e) => Diagnostics::from(e).into(),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        // Sparse: the read that follows fills in the policy, or finds that
        // there is nothing to import.
        match imported_key(&request) {
            Ok(key) => found(&key, None),
            Err(d) => ImportResponse::failed(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_keeps_the_configured_text_when_aws_says_the_same() {
        let written = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso-oauth:CreateTokenWithIAM","Resource":"*"}]}"#;
        let reserialised = serde_json::json!({
            "Statement": [{"Resource": ["*"], "Action": ["sso-oauth:CreateTokenWithIAM"], "Effect": "Allow"}],
            "Version": "2012-10-17"
        });
        assert_eq!(policy_text(Some(written), reserialised.clone()), written);
        let changed = serde_json::json!({
            "Statement": [{"Resource": ["*"], "Action": ["sso-oauth:*"], "Effect": "Allow"}],
            "Version": "2012-10-17"
        });
        let text = policy_text(Some(written), changed.clone());
        assert_eq!(serde_json::from_str::<Json>(&text).expect("json"), changed);
        // With nothing held (an import), AWS's copy as jsonencode writes it.
        assert_eq!(
            policy_text(None, reserialised),
            r#"{"Statement":[{"Action":["sso-oauth:CreateTokenWithIAM"],"Effect":"Allow","Resource":["*"]}],"Version":"2012-10-17"}"#
        );
    }
}
