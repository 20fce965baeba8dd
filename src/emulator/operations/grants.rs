//! PutApplicationGrant, GetApplicationGrant, DeleteApplicationGrant, ListApplicationGrants.

use std::time::Instant;

use serde_json::{json, Value};

use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::grant::{check_grant, read_grant_type, GrantType};
use super::super::model;
use super::super::operation::Operation;
use super::super::paging::ListScope;
use super::super::shapes::{Members, Violations};
use super::listing::{list_output, list_page, resume_after};
use super::members::{present, read_next_token, read_string};

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
    backend.conflict_fault(Operation::PutApplicationGrant)?;
    let delay = backend.invisible_for();
    backend
        .state()
        .put_grant(&arn, grant_type, grant, Instant::now(), delay)
}

/// Read the grant of one type.
pub fn get(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let (arn, grant_type) = read_key(input, &mut v)?;
    v.into_result()?;
    let (arn, grant_type) = (present(arn)?, present(grant_type)?);
    let now = Instant::now();
    let (grant, stale, deleted) = {
        let state = backend.state();
        (
            state.get_grant(&arn, grant_type, now),
            state.reads_stale(&arn, Some(grant_type), now),
            state.reads_deleted(&arn, Some(grant_type), now),
        )
    };
    if stale {
        backend.stats().stale_read();
    }
    if deleted {
        backend.stats().stale_read_of_deleted();
    }
    Ok(json!({ "Grant": grant? }))
}

/// Remove the grant of one type.
pub fn delete(backend: &Call<'_>, input: &Members<'_>) -> Result<(), ApiError> {
    let mut v = Violations::new();
    let (arn, grant_type) = read_key(input, &mut v)?;
    v.into_result()?;
    let (arn, grant_type) = (present(arn)?, present(grant_type)?);
    backend.conflict_fault(Operation::DeleteApplicationGrant)?;
    let delay = backend.invisible_for();
    let missing_ok = backend.config().delete_missing_ok;
    backend
        .state()
        .delete_grant(&arn, grant_type, Instant::now(), delay, missing_ok)
}

/// One page of an application's grants, ordered by grant type.
pub fn list(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let arn = read_string(
        input,
        "ApplicationArn",
        &model::APPLICATION_ARN,
        true,
        &mut v,
    )?;
    let token = read_next_token(input, &mut v)?;
    v.into_result()?;
    let arn = present(arn)?.to_string();
    let page_size = backend.config().page_size;
    let now = Instant::now();
    let (stale, deleted) = {
        let state = backend.state();
        (
            state.reads_stale(&arn, None, now),
            state.reads_deleted(&arn, None, now),
        )
    };
    if stale {
        backend.stats().stale_read();
    }
    if deleted {
        backend.stats().stale_read_of_deleted();
    }
    let mut state = backend.state();
    let items: Vec<(String, Value)> = state
        .visible_grants(&arn, now)?
        .into_iter()
        .map(|(t, grant)| {
            (
                t.as_str().to_string(),
                json!({ "GrantType": t.as_str(), "Grant": grant }),
            )
        })
        .collect();
    let scope = ListScope::Grants(arn);
    let after = resume_after(&state, token, &scope)?;
    let (page, next) = list_page(&mut state, scope, items, after.as_deref(), page_size);
    Ok(list_output("Grants", page, next))
}
