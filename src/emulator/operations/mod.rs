//! Request handlers, one file per resource family.
//!
//! Each handler validates its input completely before touching state (so a rejected request
//! never changes anything), lets the fault injector answer a valid write with a conflict, and
//! then applies the request under the state lock.

mod applications;
mod grants;
mod instances;
mod trusted_token_issuers;

use serde_json::{Map, Value};

use super::backend::Call;
use super::error::ApiError;
use super::model;
use super::operation::Operation;
use super::paging::ListScope;
use super::shapes::{check_member, check_range, Members, StringRule, Violations};
use super::state::ServiceState;

pub use grants::check_put_application_grant;
pub use trusted_token_issuers::check_configuration as check_trusted_token_issuer_configuration;

/// Run `op` on a parsed JSON body. `Ok(None)` means a 200 with an empty body.
pub fn dispatch(
    op: Operation,
    backend: &Call<'_>,
    body: &Map<String, Value>,
) -> Result<Option<Value>, ApiError> {
    let input = Members::new(body, "");
    match op {
        Operation::PutApplicationGrant => grants::put(backend, &input).map(|()| None),
        Operation::GetApplicationGrant => grants::get(backend, &input).map(Some),
        Operation::DeleteApplicationGrant => grants::delete(backend, &input).map(|()| None),
        Operation::ListApplicationGrants => grants::list(backend, &input).map(Some),
        Operation::ListInstances => instances::list(backend, &input).map(Some),
        Operation::CreateApplication => applications::create(backend, &input).map(Some),
        Operation::DescribeApplication => applications::describe(backend, &input).map(Some),
        Operation::ListApplications => applications::list(backend, &input).map(Some),
        Operation::DeleteApplication => applications::delete(backend, &input).map(Some),
        Operation::CreateTrustedTokenIssuer => {
            trusted_token_issuers::create(backend, &input).map(Some)
        }
        Operation::DescribeTrustedTokenIssuer => {
            trusted_token_issuers::describe(backend, &input).map(Some)
        }
        Operation::ListTrustedTokenIssuers => {
            trusted_token_issuers::list(backend, &input).map(Some)
        }
        Operation::DeleteTrustedTokenIssuer => {
            trusted_token_issuers::delete(backend, &input).map(Some)
        }
    }
}

/// Read a string member and check it against `rule`.
fn read_string<'a>(
    input: &Members<'a>,
    key: &str,
    rule: &StringRule,
    required: bool,
    v: &mut Violations,
) -> Result<Option<&'a str>, ApiError> {
    let value = input.string(key)?;
    check_member(v, &input.path(key), value, rule, required);
    Ok(value)
}

/// A member that validation has already proven present.
fn present<T>(value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::internal("validated member unexpectedly absent"))
}

/// Read `NextToken` (an empty token counts as none).
fn read_next_token<'a>(
    input: &Members<'a>,
    v: &mut Violations,
) -> Result<Option<&'a str>, ApiError> {
    let token = read_string(input, "NextToken", &model::NEXT_TOKEN, false, v)?;
    Ok(token.filter(|t| !t.is_empty()))
}

/// Read `MaxResults` (1–100).
fn read_max_results(input: &Members<'_>, v: &mut Violations) -> Result<Option<usize>, ApiError> {
    let Some(n) = input.integer("MaxResults")? else {
        return Ok(None);
    };
    let (min, max) = model::MAX_RESULTS;
    check_range(v, &input.path("MaxResults"), n, min, max);
    Ok(usize::try_from(n).ok())
}

/// Read and check `Tags` (0–75 `{Key, Value}` pairs); returns them as received.
fn read_tags(input: &Members<'_>, v: &mut Violations) -> Result<Vec<Value>, ApiError> {
    let Some(tags) = input.array("Tags")? else {
        return Ok(Vec::new());
    };
    let path = input.path("Tags");
    let (min, max) = model::TAG_LIST_LEN;
    super::shapes::check_list_len(v, &path, tags.len(), min, max);
    for (i, tag) in tags.iter().enumerate() {
        let item_path = format!("{path}.{}.member", i + 1);
        let Value::Object(tag) = tag else {
            return Err(ApiError::serialization(format!(
                "Expected an object for '{item_path}'"
            )));
        };
        let tag = Members::new(tag, &item_path);
        read_string(&tag, "Key", &model::TAG_KEY, true, v)?;
        read_string(&tag, "Value", &model::TAG_VALUE, true, v)?;
    }
    Ok(tags.to_vec())
}

/// Where a List call starts: after the key its `NextToken` was issued for.
fn resume_after(
    state: &ServiceState,
    token: Option<&str>,
    scope: &ListScope,
) -> Result<Option<String>, ApiError> {
    token.map(|t| state.tokens.resolve(t, scope)).transpose()
}

/// One page of `items` (sorted by key), plus a fresh token when more remain.
fn list_page(
    state: &mut ServiceState,
    scope: ListScope,
    items: Vec<(String, Value)>,
    after: Option<&str>,
    page_size: usize,
) -> (Vec<Value>, Option<String>) {
    let (page, last_key) = super::paging::page(items, after, page_size);
    let token = last_key.map(|key| state.tokens.issue(scope, key));
    (page, token)
}

/// Sort key of a creation sequence number (zero-padded so string order is numeric order).
fn seq_key(seq: u64) -> String {
    format!("{seq:020}")
}

/// A list response: `{"<items_key>": [...], "NextToken": "..."}` (token left out on the last page).
fn list_output(items_key: &str, items: Vec<Value>, token: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(items_key.to_string(), Value::Array(items));
    if let Some(token) = token {
        out.insert("NextToken".into(), Value::String(token));
    }
    Value::Object(out)
}
