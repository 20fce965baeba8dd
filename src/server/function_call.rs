//! CallFunction: its response carries a function error rather than
//! diagnostics, so it has its own small adapter. A bad argument is reported
//! on that argument; a panic becomes an error on the call.

use tracing::Instrument;

use super::convert::{decode_dynamic, encode_dynamic};
use crate::framework::engine::Engine;
use crate::framework::guard::catch_panic;
use crate::framework::{Diagnostics, FunctionError};
use crate::proto::tfplugin6 as pb;

/// Runs one CallFunction request.
pub(super) async fn call_function(
    engine: &Engine,
    req: pb::call_function::Request,
) -> pb::call_function::Response {
    let span = tracing::debug_span!("rpc", tf_rpc = "CallFunction", tf_type_name = %req.name);
    let name = req.name.clone();
    let outcome = catch_panic(async { call(engine, req) })
        .instrument(span)
        .await
        .unwrap_or_else(|panic| {
            tracing::error!(panic = %panic, "recovered from a panic in CallFunction");
            Err(FunctionError::call(format!(
                "The provider panicked while running {name}: {panic}. Please report this as a bug."
            )))
        });
    match outcome {
        Ok(result) => pb::call_function::Response {
            result: Some(result),
            error: None,
        },
        Err(e) => pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: e.text,
                function_argument: e.argument.and_then(|i| i64::try_from(i).ok()),
            }),
        },
    }
}

fn call(
    engine: &Engine,
    req: pb::call_function::Request,
) -> Result<pb::DynamicValue, FunctionError> {
    let function = engine
        .function(&req.name)
        .map_err(|d| FunctionError::call(text_of(&d)))?;
    let signature = function.signature();
    let mut arguments = Vec::with_capacity(req.arguments.len());
    for (index, argument) in req.arguments.iter().enumerate() {
        let Some(parameter) = signature.parameter(index) else {
            return Err(FunctionError::call(format!(
                "{} takes {} argument(s), but {} were given.",
                req.name,
                signature.parameters.len(),
                req.arguments.len()
            )));
        };
        let what = format!("argument {}", parameter.name);
        let value = decode_dynamic(Some(argument), &parameter.ty, &what)
            .map_err(|d| FunctionError::argument(index, text_of(&d)))?;
        arguments.push(value);
    }
    let result = function.call(arguments)?;
    encode_dynamic(&result, &signature.return_type, "function result")
        .map_err(|d| FunctionError::call(text_of(&d)))
}

/// Diagnostics as one line of text, for a function error.
fn text_of(diags: &Diagnostics) -> String {
    diags
        .iter()
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect::<Vec<_>>()
        .join(" ")
}
