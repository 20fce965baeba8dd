//! CallFunction.

use super::handle::FunctionHandle;
use crate::framework::function::{CallRequest, FunctionError};
use crate::value::Value;

impl FunctionHandle<'_> {
    /// Calls the function with arguments already decoded against its
    /// signature.
    pub fn call(&self, arguments: Vec<Value>) -> Result<Value, FunctionError> {
        let signature = &self.entry.signature;
        let fixed = signature.parameters.len();
        let count_ok = if signature.variadic.is_some() {
            arguments.len() >= fixed
        } else {
            arguments.len() == fixed
        };
        if !count_ok {
            return Err(FunctionError::call(format!(
                "{} takes {fixed} argument(s) ({}), but {} were given.",
                self.entry.function.name(),
                signature
                    .parameters
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                arguments.len()
            )));
        }
        for (index, argument) in arguments.iter().enumerate() {
            let Some(parameter) = signature.parameter(index) else {
                continue;
            };
            if argument.is_null() && !parameter.allow_null {
                return Err(FunctionError::argument(
                    index,
                    format!("{} must not be null.", parameter.name),
                ));
            }
            if !argument.is_wholly_known() && !parameter.allow_unknown {
                return Ok(Value::unknown());
            }
        }
        self.entry.function.call(CallRequest::new(arguments)).result
    }
}
