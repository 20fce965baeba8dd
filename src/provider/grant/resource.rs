//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::attempts::Attempts;
use super::calls::{delete_grant, get_grant, put_grant};
use super::consistency::{read_grant, recheck_absent, RecheckEnd};
use super::deadline::within;
use super::domain::{GrantKey, GrantSettings};
use super::error::GrantError;
use super::identity::key_from_identity;
use super::model::{GrantIdentityModel, GrantResourceModel};
use super::shared_reads::SharedReads;
use super::written::{self, UnconfirmedWrite};
use crate::framework::conversion::from_root;
use crate::framework::timeouts::{Deadline, Operation, Timeouts};
use crate::framework::{
    CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostics, ImportRequest,
    ImportResponse, IntoValue, ModifyPlanRequest, ModifyPlanResponse, ObjectResponse, ReadRequest,
    ReadResponse, Resource, Schema, StopSignal, UpdateRequest, UpdateResponse,
};
use crate::provider::provider_block::ProviderConfig;
use crate::provider::shared_client::{AwsClient, SharedClient};
use crate::value::Value;

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_grant";

/// The resource schema (version 0) as Terraform sees it, with the
/// `timeouts` block the framework adds.
pub fn schema() -> Schema {
    timeouts().added_to(declared_schema())
}

/// The resource schema as declared.
fn declared_schema() -> Schema {
    Schema::new(0, GrantResourceModel::schema_block())
}

/// The resource.
pub(crate) struct ApplicationGrantResource {
    client: Arc<SharedClient>,
    /// The grant listings this process shares between refreshes; every
    /// write to an application drops what is held for it.
    listings: SharedReads,
}

impl ApplicationGrantResource {
    /// A resource using the provider's (eventually configured) client.
    pub fn new(client: Arc<SharedClient>) -> Self {
        Self {
            client,
            listings: SharedReads::from_env(),
        }
    }
}

/// The key of a stored or planned grant, which validation guarantees.
fn key_of(value: &Value) -> Result<(GrantResourceModel, GrantKey), GrantError> {
    let model: GrantResourceModel = from_root(value)?;
    let key = model.key().ok_or_else(|| {
        GrantError::Incomplete(format!(
            "{} and {} must be known, valid values here.",
            GrantResourceModel::APPLICATION_ARN,
            GrantResourceModel::GRANT_TYPE
        ))
    })?;
    Ok((model, key))
}

/// A grant's state, with its identity, as any answer that carries it.
fn found<R: ObjectResponse>(key: &GrantKey, settings: Option<&GrantSettings>) -> R {
    R::object(GrantResourceModel::state(key, settings).into_value())
        .with_identity(GrantIdentityModel::of(key).into_value())
}

/// The deadlines a grant takes, and how they behave.
fn timeouts() -> Timeouts {
    Timeouts {
        operations: &[
            Operation::Create,
            Operation::Read,
            Operation::Update,
            Operation::Delete,
        ],
        noun: "grant",
        description: format!(
            "How long each operation on the grant may take, written like `30s`, `5m` or `1h30m`.\n\
             An operation that passes its deadline stops retrying and fails, naming the operation,\n\
             the grant, the deadline and the last AWS error. Without a deadline, an operation retries\n\
             throttling, conflicts and server errors up to the provider's `{}`.",
            ProviderConfig::MAX_RETRIES
        ),
    }
}

/// What a write is about to do.
struct Write {
    key: GrantKey,
    settings: GrantSettings,
    /// The grant's settings before the write, as state holds them (`None`
    /// for a create).
    before: Option<GrantSettings>,
    client: AwsClient,
}

impl ApplicationGrantResource {
    fn prepare(&self, prior: Option<&Value>, planned: &Value) -> Result<Write, GrantError> {
        let before = match prior {
            Some(prior) => from_root::<GrantResourceModel>(prior)?
                .grant
                .known()
                .and_then(|g| g.settings()),
            None => None,
        };
        let (model, key) = key_of(planned)?;
        let settings = model
            .grant
            .known()
            .and_then(|g| g.settings())
            .ok_or_else(|| {
                GrantError::Incomplete(format!(
                    "The planned {} block does not hold exactly one known sub-block.",
                    GrantResourceModel::GRANT
                ))
            })?;
        Ok(Write {
            key,
            settings,
            before,
            client: self.client.get()?,
        })
    }

    /// Writes the planned grant within its deadline. Past the deadline, a
    /// Put that may have reached AWS keeps the object (tainted if new).
    async fn write<R: ObjectResponse>(
        &self,
        prior: Option<&Value>,
        planned: &Value,
        stop: &StopSignal,
        deadline: &Deadline,
    ) -> R {
        let operation = deadline.operation();
        let write = match self.prepare(prior, planned) {
            Ok(w) => w,
            Err(e) => return R::failed(e),
        };
        let attempts = Attempts::default();
        let done = within(
            deadline,
            &write.key,
            &attempts,
            self.put(&write, stop, &attempts, operation),
        )
        .await;
        done.unwrap_or_else(|e| {
            if attempts.write_may_have_applied() {
                found::<R>(&write.key, Some(&write.settings)).with_diagnostics(e)
            } else {
                R::failed(e)
            }
        })
    }

    /// PutApplicationGrant. A create first checks that the grant does not
    /// exist yet: Put is an upsert and would silently take over a grant that
    /// something else manages (or that `create_before_destroy` is about to
    /// delete, since old and new share the same key). The write is not read
    /// back here: it is recorded as unconfirmed in private state, and the
    /// next refresh confirms it (see [`super::written`]).
    async fn put<R: ObjectResponse>(
        &self,
        write: &Write,
        stop: &StopSignal,
        attempts: &Attempts,
        operation: Operation,
    ) -> R {
        let Write {
            key,
            settings,
            before,
            client,
        } = write;
        if operation == Operation::Create {
            if let Err(e) = ensure_absent(client, key, stop, attempts).await {
                return R::failed(e);
            }
        }
        let keep_written = |e: GrantError| found::<R>(key, Some(settings)).with_diagnostics(e);
        tracing::debug!(application_arn = %key.application_arn, grant_type = %key.grant_type, "PutApplicationGrant");
        // The application's grants change: a read after this lists afresh
        // (also if the write is abandoned, since it may have landed).
        self.listings.forget(&key.application_arn);
        let put = tokio::select! {
            r = put_grant(client, key, settings, attempts) => r,
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
        self.listings.forget(&key.application_arn);
        match put {
            Ok(()) => found::<R>(key, Some(settings))
                .with_private(UnconfirmedWrite::now(before.as_ref()).to_private()),
            // When AWS may have applied it, keep the object (tainted if new)
            // so that nothing exists remotely that state does not know of;
            // the next refresh reconciles (no unconfirmed write is recorded:
            // what AWS holds is not known, so reads are believed).
            Err(failure) if failure.maybe_applied => keep_written(failure.error),
            Err(failure) => R::failed(failure.error),
        }
    }

    /// What a refresh reports for the grant `key` that state holds as
    /// `held`, given what AWS reads `seen` and the write `unconfirmed` no
    /// read has shown yet: within the visibility window, a read that
    /// disagrees with the write is AWS catching up.
    fn refreshed(
        key: &GrantKey,
        held: Option<&GrantSettings>,
        seen: Option<GrantSettings>,
        unconfirmed: Option<UnconfirmedWrite>,
        window: Duration,
    ) -> ReadResponse {
        let catching_up = held.is_some()
            && seen.as_ref() != held
            && unconfirmed.is_some_and(|w| w.explains(seen.as_ref(), window));
        if catching_up {
            tracing::info!(
                application_arn = %key.application_arn,
                grant_type = %key.grant_type,
                "reads do not show the last write yet; state keeps what was written"
            );
            return found(key, held);
        }
        match seen {
            Some(settings) => {
                found::<ReadResponse>(key, Some(&settings)).with_private(written::confirmed())
            }
            None => {
                tracing::info!(application_arn = %key.application_arn, grant_type = %key.grant_type, "grant no longer exists");
                ReadResponse::gone()
            }
        }
    }
}

/// Create refuses a grant that already exists. A grant deleted moments ago
/// (a replacement, or a destroy then an apply: deletes do not wait to be
/// seen) may still show on some AWS hosts, so a grant that seems to exist is
/// re-read for the visibility window before it is called someone else's. Only a grant reads keep showing is reported as
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
        r = get_grant(client, key, attempts) => r?,
        _ = stop.stopped() => return Err(cancelled()),
    };
    if existing.is_none() {
        return Ok(());
    }
    let patience = client.visibility_timeout();
    match recheck_absent(client, key, patience, stop, attempts).await {
        Ok(()) => Ok(()),
        Err(RecheckEnd::Stopped) => Err(cancelled()),
        Err(RecheckEnd::ReadFailed(e)) => Err(e),
        Err(RecheckEnd::Unanswered(waited)) => Err(GrantError::NoAnswer {
            operation: "GetApplicationGrant",
            key: key.clone(),
            waited,
        }),
        Err(RecheckEnd::StillThere) => Err(GrantError::AlreadyExists { key: key.clone() }),
    }
}

#[async_trait]
impl Resource for ApplicationGrantResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        declared_schema()
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

    fn timeouts(&self) -> Option<Timeouts> {
        Some(timeouts())
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let read = async {
            let (model, key) = key_of(&request.state)?;
            let client = self.client.get()?;
            let attempts = Attempts::default();
            // What state holds; nothing after an import, which is sparse.
            let held = model.grant.known().and_then(|g| g.settings());
            let seen = within(
                &request.deadline,
                &key,
                &attempts,
                read_grant(&client, &self.listings, &key, held.as_ref(), &attempts),
            )
            .await??;
            Ok::<_, GrantError>(Self::refreshed(
                &key,
                held.as_ref(),
                seen,
                UnconfirmedWrite::from_private(&request.private),
                client.visibility_timeout(),
            ))
        };
        read.await.unwrap_or_else(ReadResponse::failed)
    }

    async fn create(&self, request: CreateRequest) -> CreateResponse {
        self.write(None, &request.planned, &request.stop, &request.deadline)
            .await
    }

    async fn update(&self, request: UpdateRequest) -> UpdateResponse {
        // The framework answers a change of the deadlines alone; anything
        // else is a new Put.
        self.write(
            Some(&request.prior),
            &request.planned,
            &request.stop,
            &request.deadline,
        )
        .await
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        // The delete is not waited out: a create of the same key that
        // follows (a replacement, a later apply) re-reads a grant that
        // still shows for the visibility window before refusing it.
        let deleted = async {
            let (_, key) = key_of(&request.prior)?;
            let client = self.client.get()?;
            let attempts = Attempts::default();
            self.listings.forget(&key.application_arn);
            let deleted = within(
                &request.deadline,
                &key,
                &attempts,
                delete_grant(&client, &key, &attempts),
            )
            .await;
            self.listings.forget(&key.application_arn);
            deleted?
        };
        match deleted.await {
            Ok(()) => DeleteResponse::default(),
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
            Ok(key) => found(&key, None),
            Err(d) => ImportResponse::failed(d),
        }
    }
}
