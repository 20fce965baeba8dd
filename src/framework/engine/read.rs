//! ReadResource: refresh one object. A failed read must never look like
//! "gone", so on any error the object Terraform sent is handed back.

use super::handle::ResourceHandle;
use super::outcome::ObjectOutcome;
use crate::framework::resource::ReadRequest;
use crate::value::Value;

impl ResourceHandle<'_> {
    /// Refreshes `current`; the read is abandoned on StopProvider.
    pub async fn read(
        &self,
        current: Value,
        private: Vec<u8>,
        provider_meta: Value,
    ) -> ObjectOutcome {
        if current.is_null() {
            return ObjectOutcome {
                state: Value::Null,
                private,
                diagnostics: Default::default(),
            };
        }
        let request = ReadRequest::new(current.clone(), private.clone(), provider_meta);
        let response = match self.engine.cancellable(self.resource().read(request)).await {
            Ok(response) => response,
            Err(diagnostics) => {
                return ObjectOutcome {
                    state: current,
                    private,
                    diagnostics,
                }
            }
        };
        let state = match response.state {
            Some(state) => state,
            None if response.diagnostics.has_errors() => current,
            None => Value::Null,
        };
        ObjectOutcome {
            state,
            private: response.private.unwrap_or(private),
            diagnostics: response.diagnostics,
        }
    }
}
