//! ReadDataSource. Terraform requires a non-null, wholly known object.

use super::handle::DataSourceHandle;
use crate::framework::data_source::ReadDataRequest;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::value::Value;

impl DataSourceHandle<'_> {
    /// Reads the data for a wholly known `config`; abandoned on
    /// StopProvider. On error the state is null (Terraform ignores it).
    pub async fn read(&self, config: Value, provider_meta: Value) -> (Value, Diagnostics) {
        let request = ReadDataRequest::new(config, provider_meta);
        let source = self.entry.data_source.as_ref();
        let response = match self.engine.cancellable(source.read(request)).await {
            Ok(response) => response,
            Err(diagnostics) => return (Value::Null, diagnostics),
        };
        let mut diagnostics = response.diagnostics;
        if diagnostics.has_errors() {
            return (Value::Null, diagnostics);
        }
        match response.state {
            Some(state) if state.is_wholly_known() && !state.is_null() => (state, diagnostics),
            _ => {
                diagnostics.add(Diagnostic::error(
                    "Data source returned no complete result",
                    format!(
                        "{} returned no object, or one with values still unknown. This is a bug \
                         in the provider.",
                        source.type_name()
                    ),
                ));
                (Value::Null, diagnostics)
            }
        }
    }
}
