//! ImportResourceState: `terraform import` and `import {}` blocks.

use super::handle::ResourceHandle;
use super::outcome::{ImportOutcome, ImportedObject};
use crate::framework::resource::ImportRequest;
use crate::framework::timeouts::unset;
use crate::value::Value;

impl ResourceHandle<'_> {
    /// Turns an import ID, or an identity (Terraform ≥ 1.12), into a
    /// (possibly sparse) object that Terraform completes with a read;
    /// abandoned on StopProvider.
    pub async fn import(&self, id: String, identity: Value) -> ImportOutcome {
        let request = ImportRequest {
            id,
            identity: identity.clone(),
        };
        let response = match self
            .engine
            .cancellable(self.resource().import(request))
            .await
        {
            Ok(response) => response,
            Err(diagnostics) => {
                return ImportOutcome {
                    imported: Vec::new(),
                    diagnostics,
                }
            }
        };
        let mut diagnostics = response.diagnostics;
        if diagnostics.has_errors() {
            return ImportOutcome {
                imported: Vec::new(),
                diagnostics,
            };
        }
        let identity = self.settle_identity(&identity, response.identity, &mut diagnostics);
        let imported = response
            .state
            .filter(|_| !diagnostics.has_errors())
            .map(|state| ImportedObject {
                type_name: self.resource().type_name().to_string(),
                state: unset(state, self.resource().timeouts().is_some()),
                private: response.private.unwrap_or_default(),
                identity,
            })
            .into_iter()
            .collect();
        ImportOutcome {
            imported,
            diagnostics,
        }
    }
}
