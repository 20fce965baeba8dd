//! PutApplicationAuthenticationMethod, GetApplicationAuthenticationMethod,
//! DeleteApplicationAuthenticationMethod, ListApplicationAuthenticationMethods.
//!
//! An application holds at most one authentication method per type (Get and Delete are keyed
//! by the pair), and Put replaces it. Put and Delete have no output shape and answer with an
//! empty body; Get and List give the policy back re-serialised, never as sent.

use serde_json::{json, Value};

use super::super::authentication_method::{
    check_authentication_method, read_authentication_method_type, AuthenticationMethodType,
};
use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::model;
use super::super::operation::Operation;
use super::super::shapes::{Members, Violations};
use super::super::slot::{SlotFamily, SlotKey};
use super::members::{present, read_string};
use super::slots;

fn read_key(
    input: &Members<'_>,
    v: &mut Violations,
) -> Result<(Option<String>, Option<AuthenticationMethodType>), ApiError> {
    let arn = read_string(input, "ApplicationArn", &model::APPLICATION_ARN, true, v)?;
    let method_type = read_authentication_method_type(input, v)?;
    Ok((arn.map(str::to_string), method_type))
}

/// Validate a PutApplicationAuthenticationMethod body; on success, the application ARN, the
/// type, and the `AuthenticationMethod` to store (modelled members only, the policy
/// re-serialised).
pub fn check_put_application_authentication_method(
    input: &Members<'_>,
) -> Result<(String, AuthenticationMethodType, Value), ApiError> {
    let mut v = Violations::new();
    let (arn, method_type) = read_key(input, &mut v)?;
    let method = check_authentication_method(input, method_type, &mut v)?;
    v.into_result()?;
    Ok((present(arn)?, present(method_type)?, present(method)?))
}

fn not_found(application_arn: &str, method_type: AuthenticationMethodType) -> ApiError {
    ApiError::not_found(format!(
        "Authentication method {} does not exist for application {application_arn}.",
        method_type.as_str()
    ))
}

/// Create or replace the authentication method of one type.
pub fn put(backend: &Call<'_>, input: &Members<'_>) -> Result<(), ApiError> {
    let (arn, method_type, method) = check_put_application_authentication_method(input)?;
    slots::write(
        backend,
        Operation::PutApplicationAuthenticationMethod,
        &arn,
        SlotKey::AuthenticationMethod(method_type),
        method,
    )
}

/// Read the authentication method of one type.
pub fn get(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let (arn, method_type) = read_key(input, &mut v)?;
    v.into_result()?;
    let (arn, method_type) = (present(arn)?, present(method_type)?);
    let method = slots::read(backend, &arn, SlotKey::AuthenticationMethod(method_type))?
        .ok_or_else(|| not_found(&arn, method_type))?;
    Ok(json!({ "AuthenticationMethod": method }))
}

/// Remove the authentication method of one type.
pub fn delete(backend: &Call<'_>, input: &Members<'_>) -> Result<(), ApiError> {
    let mut v = Violations::new();
    let (arn, method_type) = read_key(input, &mut v)?;
    v.into_result()?;
    let (arn, method_type) = (present(arn)?, present(method_type)?);
    slots::empty(
        backend,
        Operation::DeleteApplicationAuthenticationMethod,
        &arn,
        SlotKey::AuthenticationMethod(method_type),
        || not_found(&arn, method_type),
    )
}

/// One page of an application's authentication methods, ordered by type.
pub fn list(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    slots::list(
        backend,
        input,
        &slots::Listing {
            family: SlotFamily::AuthenticationMethods,
            items_key: "AuthenticationMethods",
            item: |key, method| json!({ "AuthenticationMethodType": key.type_name(), "AuthenticationMethod": method }),
        },
    )
}
