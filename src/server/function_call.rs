//! CallFunction: its response carries a function error rather than
//! diagnostics, so it has its own small adapter. A bad argument is reported
//! on that argument; a panic becomes an error on the call.

use tracing::Instrument;

use super::convert::{decode_dynamic, encode_dynamic};
use crate::framework::engine::Engine;
use crate::framework::guard::{catch_panic, panic_diagnostic};
use crate::framework::{Diagnostics, FunctionError};
use crate::proto::tfplugin6 as pb;
use crate::value::Value;

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
            let diagnostic = panic_diagnostic(&format!("CallFunction {name}"), &panic);
            Err(FunctionError::call(diagnostic.detail))
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
        // An argument beyond the signature has no type to decode it with;
        // it only counts, and the framework refuses the count.
        let Some(parameter) = signature.parameter(index) else {
            arguments.push(Value::Null);
            continue;
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::provider::IdentityCenterProvider;
    use crate::value::{encode_msgpack, Type};

    fn string_argument(s: &str) -> pb::DynamicValue {
        pb::DynamicValue {
            msgpack: encode_msgpack(&Value::string(s), &Type::String).expect("encode"),
            json: Vec::new(),
        }
    }

    #[test]
    fn a_wrong_number_of_arguments_is_refused_with_the_parameters() {
        let engine = Engine::new(Arc::new(IdentityCenterProvider::new()));
        let id = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/\
                  apl-1111222233334444,refresh_token";
        for count in [0, 2, 3] {
            let error = call(
                &engine,
                pb::call_function::Request {
                    name: "parse_grant_id".into(),
                    arguments: vec![string_argument(id); count],
                },
            )
            .expect_err("a wrong count");
            assert_eq!(
                error.text,
                format!("parse_grant_id takes 1 argument(s) (id), but {count} were given.")
            );
            assert_eq!(error.argument, None);
        }
        assert!(call(
            &engine,
            pb::call_function::Request {
                name: "parse_grant_id".into(),
                arguments: vec![string_argument(id)],
            },
        )
        .is_ok());
    }
}
