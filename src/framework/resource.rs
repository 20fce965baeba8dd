//! What a managed resource type implements. Every call takes a request
//! struct and returns a response struct, so a field added later (identity,
//! deferral, …) breaks no implementation; optional capabilities are trait
//! methods with defaults.

use async_trait::async_trait;

use super::diagnostics::{Diagnostic, Diagnostics};
use super::schema::Schema;
use super::stop::StopSignal;
use super::timeouts::{Deadline, Timeouts};
use crate::value::{AttributePath, Value};

/// A configuration to check. Values may be unknown (e.g. variables during
/// `terraform validate`); unknown values must be skipped, never rejected.
#[derive(Debug)]
#[non_exhaustive]
pub struct ValidateRequest {
    /// The configuration as written.
    pub config: Value,
}

impl ValidateRequest {
    /// A request for `config`.
    pub fn new(config: Value) -> Self {
        Self { config }
    }
}

/// What a validation found.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ValidateResponse {
    /// Findings, each pinned to the attribute it concerns where possible.
    pub diagnostics: Diagnostics,
}

impl From<Diagnostics> for ValidateResponse {
    fn from(diagnostics: Diagnostics) -> Self {
        Self { diagnostics }
    }
}

/// What the responses that carry an object (read, create, update, import)
/// share, so that code producing any of them (e.g. a write that serves
/// both create and update) can be written once.
pub trait ObjectResponse: Sized {
    /// A successful answer with `state`.
    fn object(state: Value) -> Self;

    /// A failure with no object (see each response for what that means).
    fn failed(diagnostics: impl Into<Diagnostics>) -> Self;

    /// The same answer, with the object's identity (resources that declare
    /// one).
    fn with_identity(self, identity: Value) -> Self;

    /// The same answer, with the private bytes to store with the object.
    fn with_private(self, private: Vec<u8>) -> Self;

    /// The same answer with `diagnostics` added. With an error, an answer
    /// that has an object is a failure that still reports it (e.g. one that
    /// may exist remotely after an interrupted write: Terraform keeps it,
    /// tainted if new, and the next refresh reconciles).
    fn with_diagnostics(self, diagnostics: impl Into<Diagnostics>) -> Self;

    /// The answer's parts, for the engine.
    fn into_parts(self) -> ObjectParts;
}

/// What an [`ObjectResponse`] holds.
#[derive(Debug, Default)]
pub struct ObjectParts {
    /// The object, if there is one.
    pub state: Option<Value>,
    /// Private bytes to store with it; `None` keeps what Terraform sent.
    pub private: Option<Vec<u8>>,
    /// Its identity; `None` keeps what Terraform sent.
    pub identity: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

/// Declares a response carrying an object, with what its `None` means.
macro_rules! object_response {
    ($(#[$doc:meta])* $name:ident, $(#[$ok_doc:meta])* $ok:ident) => {
        $(#[$doc])*
        #[derive(Debug, Default)]
        pub struct $name {
            /// The object (see the type for what `None` means).
            pub state: Option<Value>,
            /// Private bytes to store with the object; `None` keeps what
            /// Terraform sent.
            pub private: Option<Vec<u8>>,
            /// The object's identity, for resources that declare one;
            /// `None` keeps the identity Terraform sent.
            pub identity: Option<Value>,
            /// Errors and warnings.
            pub diagnostics: Diagnostics,
        }

        impl $name {
            $(#[$ok_doc])*
            pub fn $ok(state: Value) -> Self {
                <Self as ObjectResponse>::object(state)
            }
        }

        impl ObjectResponse for $name {
            fn object(state: Value) -> Self {
                Self {
                    state: Some(state),
                    ..Self::default()
                }
            }

            fn failed(diagnostics: impl Into<Diagnostics>) -> Self {
                Self {
                    diagnostics: diagnostics.into(),
                    ..Self::default()
                }
            }

            fn with_identity(mut self, identity: Value) -> Self {
                self.identity = Some(identity);
                self
            }

            fn with_private(mut self, private: Vec<u8>) -> Self {
                self.private = Some(private);
                self
            }

            fn with_diagnostics(mut self, diagnostics: impl Into<Diagnostics>) -> Self {
                self.diagnostics.extend(diagnostics.into());
                self
            }

            fn into_parts(self) -> ObjectParts {
                ObjectParts {
                    state: self.state,
                    private: self.private,
                    identity: self.identity,
                    diagnostics: self.diagnostics,
                }
            }
        }
    };
}

object_response!(
    /// ReadResource's answer. `state: None` without errors: the object no
    /// longer exists. With an error and no object, the framework keeps the
    /// object Terraform had (a failed read never looks like "gone").
    ReadResponse,
    /// The object as the remote side holds it.
    found
);

impl ReadResponse {
    /// "The object no longer exists", without errors.
    pub fn gone() -> Self {
        Self::default()
    }
}

object_response!(
    /// A create's answer. `state: None`: nothing was created.
    CreateResponse,
    /// The created object.
    created
);

object_response!(
    /// An update's answer. `state: None` with an error: the object is as it
    /// was before the update.
    UpdateResponse,
    /// The updated object.
    updated
);

object_response!(
    /// An import's answer: a possibly sparse object that a read completes.
    /// `state: None`: nothing to import.
    ImportResponse,
    /// The object to import.
    imported
);

/// A state upgrade's answer.
#[derive(Debug, Default)]
pub struct UpgradeStateResponse {
    /// The state in the current schema's shape.
    pub state: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

/// An identity upgrade's answer.
#[derive(Debug, Default)]
pub struct UpgradeIdentityResponse {
    /// The identity in the current identity schema's shape.
    pub identity: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl From<Diagnostics> for UpgradeStateResponse {
    fn from(diagnostics: Diagnostics) -> Self {
        Self {
            state: None,
            diagnostics,
        }
    }
}

impl From<Diagnostics> for UpgradeIdentityResponse {
    fn from(diagnostics: Diagnostics) -> Self {
        Self {
            identity: None,
            diagnostics,
        }
    }
}

/// Refresh an object from the remote side.
#[derive(Debug)]
#[non_exhaustive]
pub struct ReadRequest {
    /// The object as Terraform last stored it.
    pub state: Value,
    /// Private bytes stored with it.
    pub private: Vec<u8>,
    /// The module's `provider_meta` block (null: none).
    pub provider_meta: Value,
    /// The object's identity as stored (null: none stored yet).
    pub identity: Value,
    /// The read's deadline, from the object's `timeouts` block.
    pub deadline: Deadline,
}

/// Create the planned object.
#[derive(Debug)]
#[non_exhaustive]
pub struct CreateRequest {
    /// The planned object (computed values unknown).
    pub planned: Value,
    /// The configuration.
    pub config: Value,
    /// Private bytes from the plan.
    pub private: Vec<u8>,
    /// The module's `provider_meta` block.
    pub provider_meta: Value,
    /// The planned identity (null: none; parts may be unknown).
    pub identity: Value,
    /// Fires on StopProvider. On stop, report what may exist remotely.
    pub stop: StopSignal,
    /// The create's deadline, from the planned `timeouts` block.
    pub deadline: Deadline,
}

/// Update an object in place.
#[derive(Debug)]
#[non_exhaustive]
pub struct UpdateRequest {
    /// The object before the change.
    pub prior: Value,
    /// The planned object.
    pub planned: Value,
    /// The configuration.
    pub config: Value,
    /// Private bytes from the plan.
    pub private: Vec<u8>,
    /// The module's `provider_meta` block.
    pub provider_meta: Value,
    /// The object's identity (null: none stored yet).
    pub identity: Value,
    /// Fires on StopProvider, as for create.
    pub stop: StopSignal,
    /// The update's deadline, from the planned `timeouts` block.
    pub deadline: Deadline,
}

/// Delete an object.
#[derive(Debug)]
#[non_exhaustive]
pub struct DeleteRequest {
    /// The object to delete.
    pub prior: Value,
    /// Private bytes stored with it.
    pub private: Vec<u8>,
    /// The module's `provider_meta` block.
    pub provider_meta: Value,
    /// The object's identity (null: none stored).
    pub identity: Value,
    /// The delete's deadline, from the stored `timeouts` block.
    pub deadline: Deadline,
}

/// A delete's answer.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct DeleteResponse {
    /// Errors keep the object in state.
    pub diagnostics: Diagnostics,
}

impl From<Diagnostics> for DeleteResponse {
    fn from(diagnostics: Diagnostics) -> Self {
        Self { diagnostics }
    }
}

/// Import an object by the ID or the identity the user gave.
#[derive(Debug)]
#[non_exhaustive]
pub struct ImportRequest {
    /// The import ID; empty when importing by identity.
    pub id: String,
    /// The identity to import (null when importing by ID).
    pub identity: Value,
}

/// Upgrade an identity stored with an older identity schema version.
#[derive(Debug)]
#[non_exhaustive]
pub struct UpgradeIdentityRequest {
    /// The stored identity schema version (older than the current one).
    pub version: i64,
    /// The stored identity as JSON, in the old schema's shape.
    pub raw_json: Vec<u8>,
}

/// Upgrade state written by an older schema version.
#[derive(Debug)]
#[non_exhaustive]
pub struct UpgradeStateRequest {
    /// The stored schema version (older than the current one).
    pub version: i64,
    /// The stored state as JSON, in the old schema's shape.
    pub raw_json: Vec<u8>,
}

/// Adjust a plan after the framework applied the schema's rules.
#[derive(Debug)]
#[non_exhaustive]
pub struct ModifyPlanRequest {
    /// State before the change; null when creating.
    pub prior: Value,
    /// The configuration (may contain unknowns).
    pub config: Value,
    /// Terraform's proposal: configuration merged with prior computed values.
    pub proposed: Value,
    /// The identity stored with the prior object (null: none).
    pub prior_identity: Value,
}

/// The plan being built; [`Resource::modify_plan`] may change any of it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ModifyPlanResponse {
    /// The planned new state.
    pub planned: Value,
    /// Paths whose change forces replacement, beyond the schema's own.
    pub(crate) requires_replace: Vec<AttributePath>,
    /// Private bytes to carry to apply; `None` keeps the prior ones.
    pub private: Option<Vec<u8>>,
    /// The planned identity; `None` keeps the prior one (null on create).
    pub identity: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl ModifyPlanResponse {
    /// A plan of `planned` with nothing else to say.
    pub fn new(planned: Value) -> Self {
        Self {
            planned,
            requires_replace: Vec::new(),
            private: None,
            identity: None,
            diagnostics: Diagnostics::new(),
        }
    }
}

/// A managed resource type.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// Type name as used in HCL, e.g. `example_widget`.
    fn type_name(&self) -> &'static str;

    /// The resource schema. Must be the same on every call.
    fn schema(&self) -> Schema;

    /// Which operations take a deadline, if any: the engine then adds the
    /// `timeouts` block, checks it, keeps it in state, hands each operation
    /// its [`Deadline`], and answers a change of the deadlines alone
    /// without calling the resource. The resource's own values never hold
    /// the block.
    fn timeouts(&self) -> Option<Timeouts> {
        None
    }

    /// The identity schema, for resources that have one (Terraform ≥ 1.12
    /// imports by identity, and `terraform query` lists by it). Responses of
    /// such a resource carry the object's identity, which must never change
    /// for an existing object. Must be the same on every call.
    fn identity_schema(&self) -> Option<Schema> {
        None
    }

    /// Checks configuration beyond what the schema says.
    fn validate(&self, _request: ValidateRequest) -> ValidateResponse {
        ValidateResponse::default()
    }

    /// Adjusts the plan after the framework filled in computed values and
    /// the schema's replacement rules. Default: nothing.
    fn modify_plan(&self, _request: &ModifyPlanRequest, _plan: &mut ModifyPlanResponse) {}

    /// Refreshes the object; `state: None` when it no longer exists.
    async fn read(&self, request: ReadRequest) -> ReadResponse;

    /// Creates the planned object.
    async fn create(&self, request: CreateRequest) -> CreateResponse;

    /// Updates the object in place.
    async fn update(&self, request: UpdateRequest) -> UpdateResponse;

    /// Deletes the object.
    async fn delete(&self, request: DeleteRequest) -> DeleteResponse;

    /// Turns an import ID into a (possibly sparse) object that a read can
    /// complete. Default: import is not supported.
    async fn import(&self, _request: ImportRequest) -> ImportResponse {
        ImportResponse::failed(Diagnostic::error(
            "Resource import not supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        ))
    }

    /// Upgrades an identity stored with an older identity schema version.
    /// Default: only the current version is understood.
    fn upgrade_identity(&self, request: UpgradeIdentityRequest) -> UpgradeIdentityResponse {
        Diagnostics::from(Diagnostic::error(
            "Unsupported identity version",
            format!(
                "The identity of this {} was written with identity schema version {}, which \
                 this provider version cannot upgrade.",
                self.type_name(),
                request.version
            ),
        ))
        .into()
    }

    /// Upgrades state stored by an older schema version. Default: only the
    /// current version is understood.
    fn upgrade_state(&self, request: UpgradeStateRequest) -> UpgradeStateResponse {
        Diagnostics::from(Diagnostic::error(
            "Unsupported state version",
            format!(
                "The state of this {} was written with schema version {}, which this provider \
                 version cannot upgrade.",
                self.type_name(),
                request.version
            ),
        ))
        .into()
    }
}
