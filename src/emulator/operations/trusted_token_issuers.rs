//! CreateTrustedTokenIssuer, DescribeTrustedTokenIssuer, ListTrustedTokenIssuers,
//! DeleteTrustedTokenIssuer.

use serde_json::{json, Value};

use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::ids;
use super::super::model;
use super::super::operation::Operation;
use super::super::paging::ListScope;
use super::super::shapes::{Members, Violations};
use super::super::state::NewTrustedTokenIssuer;
use super::listing::{answer_page, seq_key};
use super::members::{present, read_max_results, read_next_token, read_string, read_tags};

/// Check the `TrustedTokenIssuerConfiguration` union (its one member is
/// `OidcJwtConfiguration`) and return it as received.
pub fn check_configuration(
    input: &Members<'_>,
    v: &mut Violations,
) -> Result<Option<Value>, ApiError> {
    let path = input.path("TrustedTokenIssuerConfiguration");
    let Some(config) = input.object("TrustedTokenIssuerConfiguration")? else {
        v.missing(&path);
        return Ok(None);
    };
    let set: Vec<&String> = config
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(k, _)| k)
        .collect();
    if set.len() != 1 || set[0] != "OidcJwtConfiguration" {
        v.add_rule(format!(
            "Value at '{path}' failed to satisfy constraint: Exactly one member of the union must be set, and it must be OidcJwtConfiguration"
        ));
        return Ok(Some(Value::Object(config.clone())));
    }
    let config_members = Members::new(config, &path);
    if let Some(oidc) = config_members.object("OidcJwtConfiguration")? {
        let oidc_path = config_members.path("OidcJwtConfiguration");
        let oidc = Members::new(oidc, &oidc_path);
        read_string(&oidc, "IssuerUrl", &model::ISSUER_URL, true, v)?;
        read_string(
            &oidc,
            "ClaimAttributePath",
            &model::CLAIM_ATTRIBUTE_PATH,
            true,
            v,
        )?;
        read_string(
            &oidc,
            "IdentityStoreAttributePath",
            &model::IDENTITY_STORE_ATTRIBUTE_PATH,
            true,
            v,
        )?;
        read_string(
            &oidc,
            "JwksRetrievalOption",
            &model::JWKS_RETRIEVAL_OPTION,
            true,
            v,
        )?;
    }
    Ok(Some(Value::Object(config.clone())))
}

/// Create a trusted token issuer.
pub fn create(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let instance = read_string(input, "InstanceArn", &model::INSTANCE_ARN, true, &mut v)?;
    let name = read_string(
        input,
        "Name",
        &model::TRUSTED_TOKEN_ISSUER_NAME,
        true,
        &mut v,
    )?;
    let issuer_type = read_string(
        input,
        "TrustedTokenIssuerType",
        &model::TRUSTED_TOKEN_ISSUER_TYPE,
        true,
        &mut v,
    )?;
    let configuration = check_configuration(input, &mut v)?;
    let client_token = read_string(input, "ClientToken", &model::CLIENT_TOKEN, false, &mut v)?;
    let tags = read_tags(input, &mut v)?;
    v.into_result()?;
    let (instance, name, issuer_type, configuration) = (
        present(instance)?,
        present(name)?,
        present(issuer_type)?,
        present(configuration)?,
    );
    backend.conflict_fault(Operation::CreateTrustedTokenIssuer)?;

    let operation = Operation::CreateTrustedTokenIssuer.name();
    backend
        .state()
        .create_once(operation, client_token, input.as_value(), |state| {
            if !state.is_instance(instance) {
                return Err(ApiError::validation(format!(
                    "Instance {instance} does not exist in this account."
                )));
            }
            let arn = state.create_trusted_token_issuer(NewTrustedTokenIssuer {
                id: ids::trusted_token_issuer_id(),
                name: name.to_string(),
                issuer_type: issuer_type.to_string(),
                configuration,
                tags,
            })?;
            Ok(json!({ "TrustedTokenIssuerArn": arn }))
        })
}

fn read_issuer_arn(input: &Members<'_>) -> Result<String, ApiError> {
    let mut v = Violations::new();
    let arn = read_string(
        input,
        "TrustedTokenIssuerArn",
        &model::TRUSTED_TOKEN_ISSUER_ARN,
        true,
        &mut v,
    )?;
    v.into_result()?;
    Ok(present(arn)?.to_string())
}

/// Describe one trusted token issuer.
pub fn describe(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let arn = read_issuer_arn(input)?;
    Ok(backend.state().trusted_token_issuer(&arn)?.describe())
}

/// One page of the instance's trusted token issuers, in creation order.
pub fn list(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let instance = read_string(input, "InstanceArn", &model::INSTANCE_ARN, true, &mut v)?;
    let max = read_max_results(input, &mut v)?;
    let token = read_next_token(input, &mut v)?;
    v.into_result()?;
    let instance = present(instance)?;
    let page_size = max.unwrap_or(backend.config().page_size);
    let mut state = backend.state();
    if !state.is_instance(instance) {
        return Err(ApiError::validation(format!(
            "Instance {instance} does not exist in this account."
        )));
    }
    let items: Vec<(String, Value)> = state
        .trusted_token_issuers()
        .into_iter()
        .map(|i| (seq_key(i.seq), i.metadata()))
        .collect();
    let scope = ListScope::TrustedTokenIssuers(instance.to_string());
    answer_page(
        &mut state,
        scope,
        token,
        items,
        page_size,
        "TrustedTokenIssuers",
    )
}

/// Delete a trusted token issuer.
pub fn delete(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let arn = read_issuer_arn(input)?;
    backend.conflict_fault(Operation::DeleteTrustedTokenIssuer)?;
    backend.state().delete_trusted_token_issuer(&arn)?;
    Ok(json!({}))
}
