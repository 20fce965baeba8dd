//! CreateApplication, DescribeApplication, ListApplications, DeleteApplication.

use std::time::Instant;

use serde_json::{json, Value};

use super::super::backend::Call;
use super::super::error::ApiError;
use super::super::ids;
use super::super::model;
use super::super::operation::Operation;
use super::super::paging::ListScope;
use super::super::resources::epoch_seconds_now;
use super::super::shapes::{Members, Violations};
use super::super::state::NewApplication;
use super::listing::{answer_page, seq_key};
use super::members::{present, read_max_results, read_next_token, read_string, read_tags};

/// Check `PortalOptions` and return it as received.
fn read_portal_options(input: &Members<'_>, v: &mut Violations) -> Result<Option<Value>, ApiError> {
    let Some(portal) = input.object("PortalOptions")? else {
        return Ok(None);
    };
    let path = input.path("PortalOptions");
    let portal_members = Members::new(portal, &path);
    read_string(
        &portal_members,
        "Visibility",
        &model::ENABLED_OR_DISABLED,
        false,
        v,
    )?;
    if let Some(sign_in) = portal_members.object("SignInOptions")? {
        let sign_in_path = portal_members.path("SignInOptions");
        let sign_in = Members::new(sign_in, &sign_in_path);
        read_string(&sign_in, "Origin", &model::SIGN_IN_ORIGIN, true, v)?;
        read_string(
            &sign_in,
            "ApplicationUrl",
            &model::APPLICATION_URL,
            false,
            v,
        )?;
    }
    Ok(Some(Value::Object(portal.clone())))
}

/// Create an application in the instance.
pub fn create(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let instance = read_string(input, "InstanceArn", &model::INSTANCE_ARN, true, &mut v)?;
    let provider = read_string(
        input,
        "ApplicationProviderArn",
        &model::APPLICATION_PROVIDER_ARN,
        true,
        &mut v,
    )?;
    let name = read_string(input, "Name", &model::APPLICATION_NAME, true, &mut v)?;
    let description = read_string(input, "Description", &model::DESCRIPTION, false, &mut v)?;
    let status = read_string(input, "Status", &model::ENABLED_OR_DISABLED, false, &mut v)?;
    let client_token = read_string(input, "ClientToken", &model::CLIENT_TOKEN, false, &mut v)?;
    let portal_options = read_portal_options(input, &mut v)?;
    let tags = read_tags(input, &mut v)?;
    v.into_result()?;
    let (instance, provider, name) = (present(instance)?, present(provider)?, present(name)?);
    backend.conflict_fault(Operation::CreateApplication)?;

    let operation = Operation::CreateApplication.name();
    backend
        .state()
        .create_once(operation, client_token, input.as_value(), |state| {
            if !state.is_instance(instance) {
                return Err(ApiError::not_found(format!(
                    "Instance {instance} does not exist."
                )));
            }
            let arn = state.create_application(NewApplication {
                id: ids::application_id(),
                name: name.to_string(),
                provider_arn: provider.to_string(),
                description: description.map(str::to_string),
                status: status.unwrap_or("ENABLED").to_string(),
                portal_options,
                tags,
                created: epoch_seconds_now(),
                written_at: Instant::now(),
            })?;
            Ok(json!({
                "ApplicationArn": arn,
                "InstanceArn": state.instance.arn(),
                "IdentityStoreArn": state.instance.identity_store_arn(),
            }))
        })
}

fn read_application_arn(input: &Members<'_>) -> Result<String, ApiError> {
    let mut v = Violations::new();
    let arn = read_string(
        input,
        "ApplicationArn",
        &model::APPLICATION_ARN,
        true,
        &mut v,
    )?;
    v.into_result()?;
    Ok(present(arn)?.to_string())
}

/// Describe one application.
pub fn describe(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let arn = read_application_arn(input)?;
    let state = backend.state();
    let app = state.application(&arn)?;
    Ok(app.describe(&state.instance))
}

/// One page of the instance's applications, in creation order.
pub fn list(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let mut v = Violations::new();
    let instance = read_string(input, "InstanceArn", &model::INSTANCE_ARN, true, &mut v)?;
    let max = read_max_results(input, &mut v)?;
    let token = read_next_token(input, &mut v)?;
    let mut account_filter = None;
    let mut provider_filter = None;
    if let Some(filter) = input.object("Filter")? {
        let path = input.path("Filter");
        let filter = Members::new(filter, &path);
        account_filter = read_string(
            &filter,
            "ApplicationAccount",
            &model::ACCOUNT_ID,
            false,
            &mut v,
        )?;
        provider_filter = read_string(
            &filter,
            "ApplicationProvider",
            &model::APPLICATION_PROVIDER_ARN,
            false,
            &mut v,
        )?;
    }
    v.into_result()?;
    let instance = present(instance)?;
    let page_size = max
        .unwrap_or(backend.config().page_size)
        .min(model::MAX_APPLICATIONS_PAGE);

    let mut state = backend.state();
    if !state.is_instance(instance) {
        return Err(ApiError::validation(format!(
            "Instance {instance} does not exist in this account."
        )));
    }
    let account = state.instance.account_id.clone();
    let now = Instant::now();
    let listed = state.listed_applications(now);
    let lagging = listed
        .iter()
        .map(|a| &a.arn)
        .ne(state.applications().into_iter().map(|a| &a.arn));
    let items: Vec<(String, Value)> = listed
        .into_iter()
        .filter(|_| account_filter.is_none_or(|a| a == account))
        .filter(|app| provider_filter.is_none_or(|p| p == app.provider_arn))
        .map(|app| (seq_key(app.seq), app.describe(&state.instance)))
        .collect();
    let scope = ListScope::Applications(instance.to_string());
    let answer = answer_page(&mut state, scope, token, items, page_size, "Applications");
    drop(state);
    if lagging {
        backend.stats().lagging_list();
    }
    answer
}

/// Delete an application and, with it, all of its grants.
pub fn delete(backend: &Call<'_>, input: &Members<'_>) -> Result<Value, ApiError> {
    let arn = read_application_arn(input)?;
    backend.conflict_fault(Operation::DeleteApplication)?;
    backend.state().delete_application(&arn, Instant::now())?;
    Ok(json!({}))
}
