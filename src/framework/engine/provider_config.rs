//! ValidateProviderConfig and ConfigureProvider.

use super::handle::Engine;
use super::validate::{run_declared, validate_config};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::provider::ConfigureRequest;
use crate::value::{AttributePath, Value};

impl Engine {
    /// Checks the `provider` block: attributes the provider alone may set,
    /// then the provider's own rules.
    pub fn validate_provider_config(&self, config: Value) -> Diagnostics {
        validate_config(&self.provider_schema.schema.block, config, |r| {
            self.provider.validate_config(r)
        })
    }

    /// Configures the provider, unless StopProvider cancels it first. The
    /// declared rules run again first: values that were unknown when
    /// Terraform validated the block are known now, and the provider reads
    /// only values its rules accept.
    pub async fn configure_provider(
        &self,
        config: Value,
        terraform_version: String,
    ) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let root = AttributePath::root();
        run_declared(
            &self.provider_schema.schema.block,
            &config,
            &root,
            &config,
            &mut diags,
        );
        if diags.has_errors() {
            return diags;
        }
        let request = ConfigureRequest::new(config, terraform_version);
        self.cancellable(self.provider.configure(request))
            .await
            .map(|r| r.diagnostics)
            .unwrap_or_else(|d| d)
    }
}
