//! Answering List calls: where a page starts, the page itself with its next
//! token, and the response shape, written once for every List operation.

use serde_json::{Map, Value};

use super::super::error::ApiError;
use super::super::paging::{self, ListScope};
use super::super::state::ServiceState;

/// The page of `items` (sorted by key) that a List call asked for with
/// `token`, as the response `{"<items_key>": [...], "NextToken": "..."}`
/// (a fresh token when more remain, none on the last page).
pub(super) fn answer_page(
    state: &mut ServiceState,
    scope: ListScope,
    token: Option<&str>,
    items: Vec<(String, Value)>,
    page_size: usize,
    items_key: &str,
) -> Result<Value, ApiError> {
    let after = token.map(|t| state.tokens.resolve(t, &scope)).transpose()?;
    let (page, last_key) = paging::page(items, after.as_deref(), page_size);
    let next = last_key.map(|key| state.tokens.issue(scope, key));
    Ok(list_output(items_key, page, next))
}

/// Sort key of a creation sequence number (zero-padded so string order is numeric order).
pub(super) fn seq_key(seq: u64) -> String {
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
