//! ReadResource: refresh one object. A failed read must never look like
//! "gone", so on any error the object (and identity) Terraform sent is
//! handed back.

use super::handle::ResourceHandle;
use super::outcome::ObjectOutcome;
use crate::framework::diagnostics::Diagnostics;
use crate::framework::resource::ReadRequest;
use crate::framework::timeouts::{carried, Deadline, Operation};
use crate::value::Value;

/// What Terraform holds for the object being read.
pub struct ReadInput {
    /// The stored object (null: none).
    pub current: Value,
    /// Its private bytes.
    pub private: Vec<u8>,
    /// Its stored identity (null: none yet).
    pub identity: Value,
    /// The module's `provider_meta` block.
    pub(crate) provider_meta: Value,
}

impl ResourceHandle<'_> {
    /// Refreshes the object; the read is abandoned on StopProvider.
    pub async fn read(&self, input: ReadInput) -> ObjectOutcome {
        let ReadInput {
            current,
            private,
            identity,
            provider_meta,
        } = input;
        let keep = |diagnostics: Diagnostics| ObjectOutcome {
            state: current.clone(),
            private: private.clone(),
            identity: identity.clone(),
            diagnostics,
        };
        if current.is_null() {
            return keep(Diagnostics::new());
        }
        let request = ReadRequest {
            state: current.clone(),
            private: private.clone(),
            provider_meta,
            identity: identity.clone(),
            deadline: Deadline::of(Operation::Read, &current),
        };
        let response = match self.engine.cancellable(self.resource().read(request)).await {
            Ok(response) => response,
            Err(diagnostics) => return keep(diagnostics),
        };
        let mut diagnostics = response.diagnostics;
        let state = match response.state {
            Some(state) => carried(state, &current),
            None if diagnostics.has_errors() => return keep(diagnostics),
            None => Value::Null,
        };
        let identity = if state.is_null() {
            Value::Null
        } else {
            self.settle_identity(&identity, response.identity, &mut diagnostics)
        };
        ObjectOutcome {
            state,
            private: response.private.unwrap_or(private),
            identity,
            diagnostics,
        }
    }
}
