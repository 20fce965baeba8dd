//! ValidateResourceConfig and ValidateDataResourceConfig: the schema's
//! read-only rule, then the type's own checks.

use super::handle::{DataSourceHandle, ResourceHandle};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::resource::ValidateRequest;
use crate::value::{AttributePath, Value};

impl ResourceHandle<'_> {
    /// Checks a resource configuration; unknown values are skipped.
    pub fn validate(&self, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        self.schema()
            .block
            .check_read_only(&config, &AttributePath::root(), &mut diags);
        diags.extend(
            self.resource()
                .validate(ValidateRequest::new(config))
                .diagnostics,
        );
        diags
    }
}

impl DataSourceHandle<'_> {
    /// Checks a data source configuration; unknown values are skipped.
    pub fn validate(&self, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        self.entry
            .schema
            .schema
            .block
            .check_read_only(&config, &AttributePath::root(), &mut diags);
        diags.extend(
            self.entry
                .data_source
                .validate(ValidateRequest::new(config))
                .diagnostics,
        );
        diags
    }
}
