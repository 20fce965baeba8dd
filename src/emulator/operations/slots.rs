//! What the grant and the authentication method operations share. Both keep one value per
//! (application, type) in a [`Slot`](super::super::slot::Slot): Put writes it, Get reads it,
//! Delete empties it and List pages through the application's slots of one family, under the
//! same faults and consistency devices (conflicts, `--invisible-ms`, `--stale-reads`,
//! `--list-lag-ms`, overwrite counting). Only the shapes and the messages differ, and those
//! stay with each family's operations.

use std::time::Instant;

use serde_json::Value;

use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::model;
use super::super::operation::Operation;
use super::super::paging::ListScope;
use super::super::shapes::{Members, Violations};
use super::super::slot::{SlotFamily, SlotKey, SlotsRead};
use super::listing::answer_page;
use super::members::{present, read_next_token, read_string};

/// Write `value` into slot `key` of the application, as the valid write `op` (which may draw
/// a conflict instead).
pub(super) fn write(
    backend: &Call<'_>,
    op: Operation,
    application_arn: &str,
    key: SlotKey,
    value: Value,
) -> Result<(), ApiError> {
    backend.conflict_fault(op)?;
    let hiding = backend.hiding();
    let overwrote = backend.state().put_slot(
        application_arn,
        key,
        value,
        backend.invocation(),
        Instant::now(),
        hiding,
    )?;
    if overwrote {
        backend.stats().overwrite();
    }
    Ok(())
}

/// The value of slot `key` as a Get sees it now (`None`: nothing there for this reader).
pub(super) fn read(
    backend: &Call<'_>,
    application_arn: &str,
    key: SlotKey,
) -> Result<Option<Value>, ApiError> {
    let now = Instant::now();
    let (staleness, value) = {
        let mut state = backend.state();
        (
            state.staleness(application_arn, SlotsRead::One(key), now),
            state.get_slot(application_arn, key, now),
        )
    };
    backend.stats().read_with(staleness);
    value
}

/// Empty slot `key`, as the valid write `op`. An empty slot is `not_found` unless the
/// emulator runs with `--delete-missing-ok`.
pub(super) fn empty(
    backend: &Call<'_>,
    op: Operation,
    application_arn: &str,
    key: SlotKey,
    not_found: impl FnOnce() -> ApiError,
) -> Result<(), ApiError> {
    backend.conflict_fault(op)?;
    let hiding = backend.hiding();
    let existed = backend
        .state()
        .delete_slot(application_arn, key, Instant::now(), hiding)?;
    if existed || backend.config().delete_missing_ok {
        Ok(())
    } else {
        Err(not_found())
    }
}

/// How one family's List answers.
pub(super) struct Listing {
    /// The family listed.
    pub family: SlotFamily,
    /// The output member holding the items (`Grants`, `AuthenticationMethods`).
    pub items_key: &'static str,
    /// One item of the output list, from a slot and its value.
    pub item: fn(SlotKey, Value) -> Value,
}

/// One page of the application's slots of `listing.family`, in type order, `--page-size`
/// items at a time (these List operations have no MaxResults). The listing reads from a
/// replica `--list-lag-ms` behind the writes.
pub(super) fn list(
    backend: &Call<'_>,
    input: &Members<'_>,
    listing: &Listing,
) -> Result<Value, ApiError> {
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
    let family = listing.family;
    let page_size = backend.config().page_size;
    let now = Instant::now();
    let mut state = backend.state();
    let at = state.replica_now(now);
    let staleness = state.staleness(&arn, SlotsRead::Family(family), at);
    let listed = state.visible_slots(&arn, family, at)?;
    let lagging = listed != state.visible_slots(&arn, family, now)?;
    state.count_list_read(&arn, family, at);
    let mut items: Vec<(String, Value)> = listed
        .into_iter()
        .map(|(key, value)| (key.type_name().to_string(), (listing.item)(key, value)))
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let scope = match family {
        SlotFamily::Grants => ListScope::Grants(arn),
        SlotFamily::AuthenticationMethods => ListScope::AuthenticationMethods(arn),
    };
    let answer = answer_page(
        &mut state,
        scope,
        token,
        items,
        page_size,
        listing.items_key,
    );
    drop(state);
    let mut stats = backend.stats();
    stats.read_with(staleness);
    if lagging {
        stats.lagging_list();
    }
    answer
}
