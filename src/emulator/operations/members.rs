//! Reading request members shared by several operations: strings checked
//! against their rules, paging parameters and tags.

use serde_json::Value;

use super::super::error::ApiError;
use super::super::model;
use super::super::shapes::{
    check_list_len, check_member, check_range, Members, StringRule, Violations,
};

/// Read a string member and check it against `rule`.
pub(super) fn read_string<'a>(
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
pub(super) fn present<T>(value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::internal("validated member unexpectedly absent"))
}

/// Read `NextToken` (an empty token counts as none).
pub(super) fn read_next_token<'a>(
    input: &Members<'a>,
    v: &mut Violations,
) -> Result<Option<&'a str>, ApiError> {
    let token = read_string(input, "NextToken", &model::NEXT_TOKEN, false, v)?;
    Ok(token.filter(|t| !t.is_empty()))
}

/// Read `MaxResults` (1–100).
pub(super) fn read_max_results(
    input: &Members<'_>,
    v: &mut Violations,
) -> Result<Option<usize>, ApiError> {
    let Some(n) = input.integer("MaxResults")? else {
        return Ok(None);
    };
    let (min, max) = model::MAX_RESULTS;
    check_range(v, &input.path("MaxResults"), n, min, max);
    Ok(usize::try_from(n).ok())
}

/// Read and check `Tags` (0–75 `{Key, Value}` pairs); returns them as received.
pub(super) fn read_tags(input: &Members<'_>, v: &mut Violations) -> Result<Vec<Value>, ApiError> {
    let Some(tags) = input.array("Tags")? else {
        return Ok(Vec::new());
    };
    let path = input.path("Tags");
    let (min, max) = model::TAG_LIST_LEN;
    check_list_len(v, &path, tags.len(), min, max);
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
