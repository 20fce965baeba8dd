//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ssoadmin::Client;

use super::aws::{self, WaitEnd, VISIBILITY_TIMEOUT};
use super::domain::{GrantKey, GrantSettings};
use super::error::GrantError;
use super::model::GrantResourceModel;
use super::validation::validate_resource;
use crate::framework::model::from_root;
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostic, Diagnostics,
    ImportRequest, ImportResponse, IntoValue, ReadRequest, ReadResponse, Resource, Schema,
    StateResponse, StopSignal, UpdateRequest, UpdateResponse, ValidateRequest, ValidateResponse,
};
use crate::provider::configured::SharedClient;
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

/// A state value for a grant.
fn state(key: &GrantKey, settings: Option<&GrantSettings>) -> Value {
    GrantResourceModel::state(key, settings).into_value()
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
                return StateResponse::partial(written, GrantError::Cancelled {
                    when: "while PutApplicationGrant was in flight; it may have been applied. \
                           Terraform keeps the grant in state and the next plan reconciles it with AWS",
                    key,
                });
            }
        };
        if let Err(failure) = put {
            // When AWS may have applied it, keep the object (tainted if new)
            // so that nothing exists remotely that state does not know of;
            // the next refresh reconciles.
            return if failure.maybe_applied {
                StateResponse::partial(written, failure.error)
            } else {
                StateResponse::failed(failure.error)
            };
        }
        let mut response = StateResponse::ok(written);
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
            Ok((Some(settings), key)) => StateResponse::ok(state(&key, Some(&settings))),
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
        match GrantKey::parse_id(&request.id) {
            Ok(key) => StateResponse::ok(state(&key, None)),
            Err(e) => StateResponse::failed(GrantError::from(e)),
        }
    }
}
