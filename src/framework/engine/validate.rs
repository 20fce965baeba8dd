//! ValidateResourceConfig and ValidateDataResourceConfig: the schema's
//! read-only rule, then the type's own checks.

use super::handle::{DataSourceHandle, ResourceHandle};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::resource::{ValidateRequest, ValidateResponse};
use crate::framework::schema::Block;
use crate::value::{AttributePath, Value};

/// Every Validate*Config call: attributes only the provider may set (which
/// Terraform itself accepts in configuration), then the type's own rules.
pub(super) fn validate_config(
    block: &Block,
    config: Value,
    own_rules: impl FnOnce(ValidateRequest) -> ValidateResponse,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    block.check_read_only(&config, &AttributePath::root(), &mut diags);
    diags.extend(own_rules(ValidateRequest::new(config)).diagnostics);
    diags
}

impl ResourceHandle<'_> {
    /// Checks a resource configuration; unknown values are skipped.
    pub fn validate(&self, config: Value) -> Diagnostics {
        validate_config(&self.schema().block, config, |r| {
            self.resource().validate(r)
        })
    }
}

impl DataSourceHandle<'_> {
    /// Checks a data source configuration; unknown values are skipped.
    pub fn validate(&self, config: Value) -> Diagnostics {
        validate_config(&self.entry.schema.schema.block, config, |r| {
            self.entry.data_source.validate(r)
        })
    }
}
