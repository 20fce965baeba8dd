//! ApplyResourceChange: which lifecycle call to make, and what Terraform
//! keeps when it fails. Nothing may be lost from state: a failed delete or
//! update keeps the prior object; a write that may have reached the remote
//! side reports it (the resource decides), and Terraform keeps it.

use super::handle::ResourceHandle;
use super::outcome::ObjectOutcome;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::resource::{CreateRequest, DeleteRequest, ObjectResponse, UpdateRequest};
use crate::framework::timeouts::{carried, only_timeouts_differ, Deadline, Operation};
use crate::value::Value;

/// What apply was asked to do, from Terraform's values.
pub struct ApplyInput {
    /// The object before the change (null: create).
    pub prior: Value,
    /// The planned object (null: delete).
    pub planned: Value,
    /// The configuration (null on delete).
    pub config: Value,
    /// Private bytes from the plan.
    pub(crate) planned_private: Vec<u8>,
    /// The planned identity (null: none).
    pub planned_identity: Value,
    /// The module's `provider_meta` block.
    pub(crate) provider_meta: Value,
}

impl ResourceHandle<'_> {
    /// Creates, updates or deletes, as the prior and planned values say.
    pub async fn apply(&self, input: ApplyInput) -> ObjectOutcome {
        let ApplyInput {
            prior,
            planned,
            config,
            planned_private: private,
            planned_identity,
            provider_meta,
        } = input;
        if planned.is_null() {
            let request = DeleteRequest {
                deadline: Deadline::of(Operation::Delete, &prior),
                prior: prior.clone(),
                private: private.clone(),
                provider_meta,
                identity: planned_identity.clone(),
            };
            let diagnostics = match self
                .engine
                .cancellable(self.resource().delete(request))
                .await
            {
                Ok(response) => response.diagnostics,
                Err(cancelled) => cancelled,
            };
            let (state, identity) = if diagnostics.has_errors() {
                (prior, planned_identity)
            } else {
                (Value::Null, Value::Null)
            };
            return ObjectOutcome {
                state,
                private,
                identity,
                diagnostics,
            };
        }
        let creating = prior.is_null();
        if !creating && only_timeouts_differ(&prior, &planned) {
            // Only the deadlines changed: nothing to tell the remote side.
            return ObjectOutcome {
                state: planned,
                private,
                identity: planned_identity,
                diagnostics: Diagnostics::new(),
            };
        }
        let stop = self.engine.stop_signal();
        let response = if creating {
            let request = CreateRequest {
                deadline: Deadline::of(Operation::Create, &planned),
                planned: planned.clone(),
                config,
                private: private.clone(),
                provider_meta,
                identity: planned_identity.clone(),
                stop,
            };
            self.resource().create(request).await.into_parts()
        } else {
            let request = UpdateRequest {
                deadline: Deadline::of(Operation::Update, &planned),
                prior: prior.clone(),
                planned: planned.clone(),
                config,
                private: private.clone(),
                provider_meta,
                identity: planned_identity.clone(),
                stop,
            };
            self.resource().update(request).await.into_parts()
        };
        let mut diagnostics = response.diagnostics;
        let (state, identity) = match response.state {
            Some(state) => {
                let state = carried(state, &planned);
                check_wholly_known(&state, &mut diagnostics);
                let identity =
                    self.settle_identity(&planned_identity, response.identity, &mut diagnostics);
                (state, identity)
            }
            // A failed update leaves the object as it was.
            None if !creating && diagnostics.has_errors() => (prior, planned_identity),
            None => (Value::Null, Value::Null),
        };
        ObjectOutcome {
            state,
            private: response.private.unwrap_or(private),
            identity,
            diagnostics,
        }
    }
}

/// Terraform rejects a new state with unknown values; say which resource
/// did it rather than leave a generic error.
fn check_wholly_known(state: &Value, diagnostics: &mut Diagnostics) {
    if !state.is_wholly_known() {
        diagnostics.add(Diagnostic::error(
            "Provider returned an incomplete object",
            "The new state still holds values that are not known. This is a bug in the provider.",
        ));
    }
}
