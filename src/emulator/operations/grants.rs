//! PutApplicationGrant, GetApplicationGrant, DeleteApplicationGrant, ListApplicationGrants.

use serde_json::{json, Value};

use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::grant::{check_grant, read_grant_type, GrantType};
use super::super::model;
use super::super::operation::Operation;
use super::super::shapes::{Members, Violations};
use super::super::slot::{SlotFamily, SlotKey};
use super::members::{present, read_string};
use super::slots;

fn read_key(
    input: &Members<'_>,
    v: &mut Violations,
) -> Result<(Option<String>, Option<GrantType>), ApiError> {
    let arn = read_string(input, "ApplicationArn", &model::APPLICATION_ARN, true, v)?;
    let grant_type = read_grant_type(input, v)?;
    Ok((arn.map(str::to_string), grant_type))
}

/// Validate a PutApplicationGrant body; on success, the application ARN, grant type and the
/// `Grant` to store (its one set member, with only the modelled members inside).
pub fn check_put_application_grant(
    input: &Members<'_>,
) -> Result<(String, GrantType, Value), ApiError> {
    let mut v = Violations::new();
    let (arn, grant_type) = read_key(input, &mut v)?;
    let grant = check_grant(input, grant_type, &mut v)?;
    v.into_result()?;
    Ok((present(arn)?, present(grant_type)?, present(grant)?))
}

/// Create or replace the grant of one type (an upsert).
pub fn put(backend: &Call<'_>, input: &Members<'_>) -> Result<(), ApiError> {
    let (arn, grant_type, grant) = check_put_application_grant(input)?;
    slots::write(
        backend,
        Operation::PutApplicationGrant,
        &arn,
        SlotKey::Grant(grant_type),
        grant,
    )
}

fn grant_not_found(application_arn: &str, grant_type: GrantType) -> ApiError {
    ApiError::not_found(format!(
        "Grant {} does not exist for application {application_arn}.",
        grant_type.as_str()
    ))
}

/// Read the grant of one type.
pub fn get(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let (arn, grant_type) = read_key(input, &mut v)?;
    v.into_result()?;
    let (arn, grant_type) = (present(arn)?, present(grant_type)?);
    let grant = slots::read(backend, &arn, SlotKey::Grant(grant_type))?
        .ok_or_else(|| grant_not_found(&arn, grant_type))?;
    Ok(json!({ "Grant": grant }))
}

/// Remove the grant of one type.
pub fn delete(backend: &Call<'_>, input: &Members<'_>) -> Result<(), ApiError> {
    let mut v = Violations::new();
    let (arn, grant_type) = read_key(input, &mut v)?;
    v.into_result()?;
    let (arn, grant_type) = (present(arn)?, present(grant_type)?);
    slots::empty(
        backend,
        Operation::DeleteApplicationGrant,
        &arn,
        SlotKey::Grant(grant_type),
        || grant_not_found(&arn, grant_type),
    )
}

/// One page of an application's grants, ordered by grant type.
pub fn list(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    slots::list(
        backend,
        input,
        &slots::Listing {
            family: SlotFamily::Grants,
            items_key: "Grants",
            item: |key, grant| json!({ "GrantType": key.type_name(), "Grant": grant }),
        },
    )
}
