//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::attempts::Attempts;
use super::aws::{self, WaitEnd, VISIBILITY_TIMEOUT};
use super::deadline::{Deadline, Operation};
use super::domain::{GrantKey, GrantSettings};
use super::error::GrantError;
use super::identity::key_from_identity;
use super::model::{GrantIdentityModel, GrantResourceModel, TimeoutsBlock};
use super::validation::validate_resource;
use crate::framework::model::from_root;
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics, Field,
    ImportRequest, ImportResponse, IntoValue, ModifyPlanRequest, ModifyPlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, StateResponse, StopSignal, UpdateRequest, UpdateResponse,
    ValidateRequest, ValidateResponse,
};
use crate::provider::configured::{AwsClient, SharedClient};
use crate::value::Value;

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

/// A grant's state, with its identity.
fn found(
    key: &GrantKey,
    settings: Option<&GrantSettings>,
    timeouts: Field<TimeoutsBlock>,
) -> StateResponse {
    StateResponse::ok(GrantResourceModel::state(key, settings, timeouts).into_value())
        .with_identity(GrantIdentityModel::of(key).into_value())
}

/// What a write is about to do.
struct Write {
    key: GrantKey,
    settings: GrantSettings,
    timeouts: Field<TimeoutsBlock>,
    client: AwsClient,
}

impl ApplicationGrantResource {
    fn prepare(&self, planned: &Value) -> Result<Write, GrantError> {
        let (model, key) = key_of(planned)?;
        let settings =
            model
                .grant
                .known()
                .and_then(|g| g.settings())
                .ok_or(GrantError::Incomplete(
                    "The planned grant block does not hold exactly one known sub-block.",
                ))?;
        Ok(Write {
            key,
            settings,
            timeouts: model.timeouts,
            client: self.client.get()?,
        })
    }

    /// Writes the planned grant within its deadline. Past the deadline, a
    /// Put that may have reached AWS keeps the object (tainted if new).
    async fn write(
        &self,
        planned: &Value,
        stop: &StopSignal,
        operation: Operation,
    ) -> StateResponse {
        let write = match self.prepare(planned) {
            Ok(w) => w,
            Err(e) => return StateResponse::failed(e),
        };
        let attempts = Attempts::default();
        let deadline = Deadline::of(operation, &write.timeouts);
        let done = deadline
            .run(
                &write.key,
                &attempts,
                self.put(&write, stop, &attempts, operation),
            )
            .await;
        done.unwrap_or_else(|e| {
            if attempts.write_may_have_applied() {
                found(&write.key, Some(&write.settings), write.timeouts.clone()).with_diagnostics(e)
            } else {
                StateResponse::failed(e)
            }
        })
    }

    /// PutApplicationGrant, then a wait until reads return it. A create
    /// first checks that the grant does not exist yet: Put is an upsert and
    /// would silently take over a grant that something else manages (or
    /// that `create_before_destroy` is about to delete, since old and new
    /// share the same key).
    async fn put(
        &self,
        write: &Write,
        stop: &StopSignal,
        attempts: &Attempts,
        operation: Operation,
    ) -> StateResponse {
        let Write {
            key,
            settings,
            timeouts,
            client,
        } = write;
        if operation == Operation::Create {
            if let Err(e) = ensure_absent(client, key, stop, attempts).await {
                return StateResponse::failed(e);
            }
        }
        let written = found(key, Some(settings), timeouts.clone());
        let keep_written =
            |e: GrantError| found(key, Some(settings), timeouts.clone()).with_diagnostics(e);
        tracing::debug!(application_arn = %key.application_arn, grant_type = %key.grant_type, "PutApplicationGrant");
        let put = tokio::select! {
            r = aws::put_grant(client, key, settings, attempts) => r,
            _ = stop.stopped() => {
                // AWS may or may not have applied the Put. Report the planned
                // object with an error: Terraform keeps it (tainted if new)
                // and the next refresh reconciles it with what AWS holds.
                return keep_written(GrantError::Cancelled {
                    when: "while PutApplicationGrant was in flight; it may have been applied. \
                           Terraform keeps the grant in state and the next plan reconciles it with AWS",
                    key: key.clone(),
                });
            }
        };
        if let Err(failure) = put {
            // When AWS may have applied it, keep the object (tainted if new)
            // so that nothing exists remotely that state does not know of;
            // the next refresh reconciles.
            return if failure.maybe_applied {
                keep_written(failure.error)
            } else {
                StateResponse::failed(failure.error)
            };
        }
        let mut response = written;
        let visible = aws::wait_for(
            client,
            key,
            Some(settings),
            VISIBILITY_TIMEOUT,
            stop,
            attempts,
        )
        .await;
        if let Err(end) = visible {
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
/// called someone else's. Only a grant reads keep showing is reported as
/// existing; a read that fails or does not answer is reported as itself.
/// Nothing is written yet, so stopping here is clean.
async fn ensure_absent(
    client: &AwsClient,
    key: &GrantKey,
    stop: &StopSignal,
    attempts: &Attempts,
) -> Result<(), GrantError> {
    let cancelled = || GrantError::Cancelled {
        when: "before anything was written",
        key: key.clone(),
    };
    let existing = tokio::select! {
        r = aws::get_grant(client, key, attempts) => r?,
        _ = stop.stopped() => return Err(cancelled()),
    };
    if existing.is_none() {
        return Ok(());
    }
    match aws::wait_for(client, key, None, RECHECK_PATIENCE, stop, attempts).await {
        Ok(()) => Ok(()),
        Err(WaitEnd::Stopped) => Err(cancelled()),
        Err(WaitEnd::ReadFailed(e)) => Err(e),
        Err(WaitEnd::Unanswered(waited)) => Err(GrantError::NoAnswer {
            operation: "GetApplicationGrant",
            key: key.clone(),
            waited,
        }),
        Err(WaitEnd::Unchanged(_)) => Err(GrantError::AlreadyExists { key: key.clone() }),
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
        let read = async {
            let (model, key) = key_of(&request.state)?;
            let client = self.client.get()?;
            let attempts = Attempts::default();
            let deadline = Deadline::of(Operation::Read, &model.timeouts);
            let seen = deadline
                .run(&key, &attempts, aws::read_grant(&client, &key, &attempts))
                .await??;
            Ok::<_, GrantError>((seen, key, model.timeouts))
        };
        match read.await {
            Ok((Some(settings), key, timeouts)) => found(&key, Some(&settings), timeouts),
            Ok((None, key, _)) => {
                tracing::info!(application_arn = %key.application_arn, grant_type = %key.grant_type, "grant no longer exists");
                StateResponse::gone()
            }
            Err(e) => StateResponse::failed(e),
        }
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        self.write(&request.planned, &request.stop, Operation::Create)
            .await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        // Only the deadlines changed: nothing to tell AWS.
        let unchanged = from_root::<GrantResourceModel>(&request.prior)
            .ok()
            .zip(from_root::<GrantResourceModel>(&request.planned).ok())
            .filter(|(prior, planned)| prior.grant == planned.grant)
            .and_then(|(_, planned)| {
                let key = planned.key()?;
                let settings = planned.grant.known()?.settings()?;
                Some(found(&key, Some(&settings), planned.timeouts))
            });
        match unchanged {
            Some(response) => response,
            None => {
                self.write(&request.planned, &request.stop, Operation::Update)
                    .await
            }
        }
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let deleted = async {
            let (model, key) = key_of(&request.prior)?;
            let client = self.client.get()?;
            let attempts = Attempts::default();
            let deadline = Deadline::of(Operation::Delete, &model.timeouts);
            let gone = async {
                aws::delete_grant(&client, &key, &attempts).await?;
                // Wait until reads agree, so that a create of the same key
                // right after (replacement, destroy then apply) does not see
                // it. The delete itself is abandoned on StopProvider by the
                // framework.
                let visible = aws::wait_for(
                    &client,
                    &key,
                    None,
                    VISIBILITY_TIMEOUT,
                    &StopSignal::default(),
                    &attempts,
                )
                .await;
                Ok::<_, GrantError>(visible.err())
            };
            let still_visible = deadline.run(&key, &attempts, gone).await??;
            Ok::<_, GrantError>((key, still_visible))
        };
        match deleted.await {
            Ok((_, None)) => DeleteResponse::default(),
            Ok((key, Some(end))) => Diagnostics::from(Diagnostic::warning(
                "Grant deleted but still visible",
                format!(
                    "DeleteApplicationGrant succeeded for the {}, but reads still returned it \
                     ({end}).",
                    key.describe()
                ),
            ))
            .into(),
            Err(e) => Diagnostics::from(e).into(),
        }
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
            Ok(key) => found(&key, None, Field::Null),
            Err(d) => StateResponse::failed(d),
        }
    }
}
