//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ssoadmin::Client;

use super::arn::check_application_arn;
use super::aws::{self, WaitEnd, VISIBILITY_TIMEOUT};
use super::domain::GrantType;
use super::domain::{GrantKey, GrantSettings};
use super::error::GrantError;
use super::model::{GrantIdentityModel, GrantResourceModel};
use super::validation::{grant_type_detail, validate_resource};
use crate::framework::model::from_root;
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics,
    ImportRequest, ImportResponse, IntoValue, ModifyPlanRequest, ModifyPlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, StateResponse, StopSignal, UpdateRequest, UpdateResponse,
    ValidateRequest, ValidateResponse,
};
use crate::provider::configured::SharedClient;
use crate::value::{AttributePath, Value};

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_grant";

/// How long create re-reads a grant that seems to exist before refusing.
const RECHECK_PATIENCE: Duration = Duration::from_secs(5);

/// The resource schema (version 0).
pub fn schema() -> Schema {
    Schema::new(0, GrantResourceModel::schema_block())
}

/// The resource.
pub struct ApplicationGrantResource {
    client: Arc<SharedClient>,
}

impl ApplicationGrantResource {
    /// A resource using the provider's (eventually configured) client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self { client }
    }
}

/// The key of a stored or planned grant, which validation guarantees.
fn key_of(value: &Value) -> Result<(GrantResourceModel, GrantKey), GrantError> {
    let model: GrantResourceModel = from_root(value)?;
    let key = model.key().ok_or(GrantError::Incomplete(
        "application_arn and grant_type must be known, valid values here.",
    ))?;
    Ok((model, key))
}

/// A state value for a grant.
fn state(key: &GrantKey, settings: Option<&GrantSettings>) -> Value {
    GrantResourceModel::state(key, settings).into_value()
}

/// The identity of the grant `key`.
fn identity(key: &GrantKey) -> Value {
    GrantIdentityModel::of(key).into_value()
}

impl ApplicationGrantResource {
    /// Writes the planned grant with PutApplicationGrant, then waits until
    /// reads return it. `creating` adds a check that the grant does not
    /// exist yet: Put is an upsert and would silently take over a grant that
    /// something else manages (or that `create_before_destroy` is about to
    /// delete, since old and new share the same key).
    async fn write(&self, planned: &Value, stop: &StopSignal, creating: bool) -> StateResponse {
        let prepared =
            key_of(planned).and_then(|(model, key)| {
                let settings = model.grant.known().and_then(|g| g.settings()).ok_or(
                    GrantError::Incomplete(
                        "The planned grant block does not hold exactly one known sub-block.",
                    ),
                )?;
                Ok((key, settings, self.client.get()?))
            });
        let (key, settings, client) = match prepared {
            Ok(p) => p,
            Err(e) => return StateResponse::failed(e),
        };
        if creating {
            if let Err(e) = ensure_absent(&client, &key, stop).await {
                return StateResponse::failed(e);
            }
        }
        let written = state(&key, Some(&settings));
        tracing::debug!(application_arn = %key.application_arn, grant_type = %key.grant_type, "PutApplicationGrant");
        let put = tokio::select! {
            r = aws::put_grant(&client, &key, &settings) => r,
            _ = stop.stopped() => {
                // AWS may or may not have applied the Put. Report the planned
                // object with an error: Terraform keeps it (tainted if new)
                // and the next refresh reconciles it with what AWS holds.
                let identity = identity(&key);
                return StateResponse::partial(written, GrantError::Cancelled {
                    when: "while PutApplicationGrant was in flight; it may have been applied. \
                           Terraform keeps the grant in state and the next plan reconciles it with AWS",
                    key,
                })
                .with_identity(identity);
            }
        };
        if let Err(failure) = put {
            // When AWS may have applied it, keep the object (tainted if new)
            // so that nothing exists remotely that state does not know of;
            // the next refresh reconciles.
            return if failure.maybe_applied {
                StateResponse::partial(written, failure.error).with_identity(identity(&key))
            } else {
                StateResponse::failed(failure.error)
            };
        }
        let mut response = StateResponse::ok(written).with_identity(identity(&key));
        if let Err(end) =
            aws::wait_for(&client, &key, Some(&settings), VISIBILITY_TIMEOUT, stop).await
        {
            response.diagnostics.add(Diagnostic::warning(
                "Grant written but not yet visible",
                format!(
                    "PutApplicationGrant succeeded for the {}, but reads did not return the new \
                     settings ({end}). Terraform recorded the settings it wrote; the next plan \
                     shows a difference only if AWS really stored something else.",
                    key.describe()
                ),
            ));
        }
        response
    }
}

/// Create refuses a grant that already exists. A grant deleted moments ago
/// (replacement, destroy then apply) may still show on some AWS hosts, so a
/// grant that seems to exist is re-read for a few seconds before it is
/// called someone else's. Nothing is written yet, so stopping here is clean.
async fn ensure_absent(
    client: &Client,
    key: &GrantKey,
    stop: &StopSignal,
) -> Result<(), GrantError> {
    let cancelled = || GrantError::Cancelled {
        when: "before anything was written",
        key: key.clone(),
    };
    let existing = tokio::select! {
        r = aws::get_grant(client, key) => r?,
        _ = stop.stopped() => return Err(cancelled()),
    };
    if existing.is_none() {
        return Ok(());
    }
    match aws::wait_for(client, key, None, RECHECK_PATIENCE, stop).await {
        Ok(()) => Ok(()),
        Err(WaitEnd::Stopped) => Err(cancelled()),
        Err(WaitEnd::ReadFailed(e)) => Err(e),
        Err(WaitEnd::TimedOut(_)) => Err(GrantError::AlreadyExists { key: key.clone() }),
    }
}

#[async_trait]
impl Resource for ApplicationGrantResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<Schema> {
        Some(Schema::new(0, GrantIdentityModel::schema_block()))
    }

    fn modify_plan(&self, _request: &ModifyPlanRequest, plan: &mut ModifyPlanResponse) {
        // The identity follows the planned key (unknown parts stay unknown
        // until apply); the framework keeps it from ever changing.
        if let Ok(planned) = from_root::<GrantResourceModel>(&plan.planned) {
            let identity = GrantIdentityModel {
                application_arn: planned.application_arn,
                grant_type: planned.grant_type,
            };
            plan.identity = Some(identity.into_value());
        }
    }

    fn validate(&self, request: ValidateRequest) -> ValidateResponse {
        match from_root::<GrantResourceModel>(&request.config) {
            Ok(config) => validate_resource(&config).into(),
            Err(e) => Diagnostics::from(GrantError::from(e)).into(),
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let found = async {
            let (_, key) = key_of(&request.state)?;
            let client = self.client.get()?;
            Ok::<_, GrantError>((aws::get_grant(&client, &key).await?, key))
        };
        match found.await {
            Ok((Some(settings), key)) => {
                StateResponse::ok(state(&key, Some(&settings))).with_identity(identity(&key))
            }
            Ok((None, key)) => {
                tracing::info!(application_arn = %key.application_arn, grant_type = %key.grant_type, "grant no longer exists");
                StateResponse::gone()
            }
            Err(e) => StateResponse::failed(e),
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        self.write(&request.planned, &request.stop, true).await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        self.write(&request.planned, &request.stop, false).await
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let deleted = async {
            let (_, key) = key_of(&request.prior)?;
            let client = self.client.get()?;
            aws::delete_grant(&client, &key).await?;
            Ok::<_, GrantError>((client, key))
        };
        let (client, key) = match deleted.await {
            Ok(done) => done,
            Err(e) => return Diagnostics::from(e).into(),
        };
        // Wait until reads agree, so that a create of the same key right
        // after (replacement, destroy then apply) does not see it. The delete
        // itself is abandoned on StopProvider by the framework.
        let mut diags = Diagnostics::new();
        if let Err(end) = aws::wait_for(
            &client,
            &key,
            None,
            VISIBILITY_TIMEOUT,
            &StopSignal::default(),
        )
        .await
        {
            diags.add(Diagnostic::warning(
                "Grant deleted but still visible",
                format!(
                    "DeleteApplicationGrant succeeded for the {}, but reads still returned it \
                     ({end}).",
                    key.describe()
                ),
            ));
        }
        diags.into()
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        // Sparse: Terraform reads the grant right after import, and a grant
        // that does not exist becomes "Cannot import non-existent remote
        // object".
        let key = if request.identity.is_null() {
            GrantKey::parse_id(&request.id).map_err(|e| Diagnostics::from(GrantError::from(e)))
        } else {
            key_from_identity(&request.identity)
        };
        match key {
            Ok(key) => StateResponse::ok(state(&key, None)).with_identity(identity(&key)),
            Err(d) => StateResponse::failed(d),
        }
    }
}

/// The grant an import identity names, or errors naming each field that is
/// missing or malformed.
fn key_from_identity(value: &Value) -> Result<GrantKey, Diagnostics> {
    let given: GrantIdentityModel = from_root(value).map_err(GrantError::from)?;
    let mut diags = Diagnostics::new();
    let invalid = |field: &str, detail: String| {
        Diagnostic::error(
            "Invalid import identity",
            format!("identity.{field}: {detail}"),
        )
        .at(AttributePath::root().attribute(field))
    };
    let application_arn = match given.application_arn.known() {
        Some(arn) => match check_application_arn(arn) {
            Ok(()) => Some(arn.clone()),
            Err(detail) => {
                diags.add(invalid(GrantIdentityModel::APPLICATION_ARN, detail));
                None
            }
        },
        None => {
            diags.add(invalid(
                GrantIdentityModel::APPLICATION_ARN,
                "is required, the ARN of the grant's application.".to_string(),
            ));
            None
        }
    };
    let grant_type = match given.grant_type.known() {
        Some(text) => {
            let parsed = GrantType::parse(text);
            if parsed.is_none() {
                diags.add(invalid(
                    GrantIdentityModel::GRANT_TYPE,
                    grant_type_detail(text),
                ));
            }
            parsed
        }
        None => {
            diags.add(invalid(
                GrantIdentityModel::GRANT_TYPE,
                format!("is required, one of {}.", GrantType::valid_values()),
            ));
            None
        }
    };
    match (application_arn, grant_type) {
        (Some(application_arn), Some(grant_type)) if !diags.has_errors() => Ok(GrantKey {
            application_arn,
            grant_type,
        }),
        _ => Err(diags),
    }
}
