//! Answering List calls: where a page starts, the page itself with its next
//! token, and the response shape.

use serde_json::{Map, Value};

use super::super::error::ApiError;
use super::super::paging::{self, ListScope};
use super::super::state::ServiceState;

/// Where a List call starts: after the key its `NextToken` was issued for.
pub(super) fn resume_after(
    state: &ServiceState,
    token: Option<&str>,
    scope: &ListScope,
) -> Result<Option<String>, ApiError> {
    token.map(|t| state.tokens.resolve(t, scope)).transpose()
}

/// One page of `items` (sorted by key), plus a fresh token when more remain.
pub(super) fn list_page(
    state: &mut ServiceState,
    scope: ListScope,
    items: Vec<(String, Value)>,
    after: Option<&str>,
    page_size: usize,
) -> (Vec<Value>, Option<String>) {
    let (page, last_key) = paging::page(items, after, page_size);
    let token = last_key.map(|key| state.tokens.issue(scope, key));
    (page, token)
}

/// Sort key of a creation sequence number (zero-padded so string order is numeric order).
pub(super) fn seq_key(seq: u64) -> String {
    format!("{seq:020}")
}

/// A list response: `{"<items_key>": [...], "NextToken": "..."}` (token left out on the last page).
pub(super) fn list_output(items_key: &str, items: Vec<Value>, token: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(items_key.to_string(), Value::Array(items));
    if let Some(token) = token {
        out.insert("NextToken".into(), Value::String(token));
    }
    Value::Object(out)
}
