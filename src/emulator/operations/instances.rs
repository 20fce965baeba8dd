//! ListInstances: the account has exactly one instance.

use serde_json::Value;

use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::model;
use super::super::paging::ListScope;
use super::super::shapes::{Members, Violations};
use super::listing::answer_page;
use super::members::{read_max_results, read_next_token, read_string};

/// List the instance.
pub fn list(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let max = read_max_results(input, &mut v)?;
    let token = read_next_token(input, &mut v)?;
    read_string(input, "RegionScope", &model::REGION_SCOPE, false, &mut v)?;
    v.into_result()?;
    let page_size = max.unwrap_or(backend.config().page_size);
    let mut state = backend.state();
    let items = vec![(state.instance.arn(), state.instance.metadata())];
    answer_page(
        &mut state,
        ListScope::Instances,
        token,
        items,
        page_size,
        "Instances",
    )
}
