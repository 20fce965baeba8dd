//! ImportResourceState: `terraform import` and `import {}` blocks.

use super::handle::ResourceHandle;
use super::outcome::{ImportOutcome, ImportedObject};
use crate::framework::resource::ImportRequest;

impl ResourceHandle<'_> {
    /// Turns `id` into a (possibly sparse) object that Terraform completes
    /// with a read; abandoned on StopProvider.
    pub async fn import(&self, id: String) -> ImportOutcome {
        let request = ImportRequest { id };
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
        let imported = response
            .state
            .filter(|_| !response.diagnostics.has_errors())
            .map(|state| ImportedObject {
                type_name: self.resource().type_name().to_string(),
                state,
                private: response.private.unwrap_or_default(),
            })
            .into_iter()
            .collect();
        ImportOutcome {
            imported,
            diagnostics: response.diagnostics,
        }
    }
}
