//! Provider functions: `grant_id(application_arn, grant_type)` builds the
//! resource's ID, `parse_grant_id(id)` takes one apart. Both check their
//! arguments with the resource's rules.

use super::arn::{check_application_arn, APPLICATION_ARN_EXAMPLE};
use super::domain::{example_id, GrantKey, GrantType};
use super::model::{
    grant_type_detail, id_form, id_form_help, GrantIdentityModel, GrantResourceModel,
};
use super::resource::TYPE_NAME;
use crate::framework::conversion::ValueType;
use crate::framework::{
    CallRequest, CallResponse, Function, FunctionError, IntoValue, Parameter, Signature,
};
use crate::value::{Type, Value};

/// The string argument at `index` (Terraform passes only known, non-null
/// strings to these parameters).
fn string_argument(
    request: &CallRequest,
    index: usize,
    name: &str,
) -> Result<String, FunctionError> {
    request
        .arguments
        .get(index)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| FunctionError::argument(index, format!("{name} must be a string.")))
}

/// `grant_id(application_arn, grant_type)`.
pub(crate) struct GrantIdFunction;

impl Function for GrantIdFunction {
    fn name(&self) -> &'static str {
        "grant_id"
    }

    fn signature(&self) -> Signature {
        Signature {
            parameters: vec![
                Parameter::new(
                    GrantResourceModel::APPLICATION_ARN,
                    Type::String,
                    &format!("ARN of the application, e.g. `{APPLICATION_ARN_EXAMPLE}`."),
                ),
                Parameter::new(
                    GrantResourceModel::GRANT_TYPE,
                    Type::String,
                    &format!("The grant type: one of {}.", GrantType::valid_values()),
                ),
            ],
            variadic: None,
            return_type: Type::String,
            summary: "The ID of an application grant".to_string(),
            description: format!(
                "Returns `{}`, the ID (and import ID) of the `{TYPE_NAME}` resource for that \
                 grant, e.g. `{}`. Fails when the ARN or the grant type is not valid.",
                id_form(),
                example_id()
            ),
        }
    }

    fn call(&self, request: CallRequest) -> CallResponse {
        let id = (|| {
            let arn = string_argument(&request, 0, GrantResourceModel::APPLICATION_ARN)?;
            let grant_type = string_argument(&request, 1, GrantResourceModel::GRANT_TYPE)?;
            check_application_arn(&arn).map_err(|detail| {
                FunctionError::argument(
                    0,
                    format!("Invalid {}: {detail}", GrantResourceModel::APPLICATION_ARN),
                )
            })?;
            let grant_type = GrantType::parse(&grant_type).ok_or_else(|| {
                FunctionError::argument(
                    1,
                    format!(
                        "Invalid {}: {}",
                        GrantResourceModel::GRANT_TYPE,
                        grant_type_detail(&grant_type)
                    ),
                )
            })?;
            Ok(Value::string(
                GrantKey {
                    application_arn: arn,
                    grant_type,
                }
                .id(),
            ))
        })();
        id.into()
    }
}

/// `parse_grant_id(id)`.
pub(crate) struct ParseGrantIdFunction;

/// parse_grant_id's one parameter.
const ID_PARAMETER: &str = "id";

impl Function for ParseGrantIdFunction {
    fn name(&self) -> &'static str {
        "parse_grant_id"
    }

    fn signature(&self) -> Signature {
        Signature {
            parameters: vec![Parameter::new(
                ID_PARAMETER,
                Type::String,
                &format!("A grant ID, e.g. `{}`.", example_id()),
            )],
            variadic: None,
            return_type: GrantIdentityModel::value_type(),
            summary: "The parts of an application grant ID".to_string(),
            description: format!(
                "Takes `{}` apart into an object with `{}` and `{}`. Fails when the ID is not of \
                 that form or either part is not valid.",
                id_form(),
                GrantIdentityModel::APPLICATION_ARN,
                GrantIdentityModel::GRANT_TYPE
            ),
        }
    }

    fn call(&self, request: CallRequest) -> CallResponse {
        let parts = (|| {
            let id = string_argument(&request, 0, ID_PARAMETER)?;
            let key = GrantKey::parse_id(&id).map_err(|e| {
                FunctionError::argument(0, format!("Invalid id: {e} {}", id_form_help()))
            })?;
            Ok(GrantIdentityModel::of(&key).into_value())
        })();
        parts.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: &dyn Function, args: &[&str]) -> Result<Value, FunctionError> {
        f.call(CallRequest::new(
            args.iter().map(|a| Value::string(*a)).collect(),
        ))
        .result
    }

    #[test]
    fn grant_id_and_parse_grant_id_are_inverse() {
        let id = call(
            &GrantIdFunction,
            &[APPLICATION_ARN_EXAMPLE, "refresh_token"],
        )
        .expect("valid");
        let id = id.as_str().expect("a string").to_string();
        assert_eq!(id, format!("{APPLICATION_ARN_EXAMPLE},refresh_token"));
        let parts = call(&ParseGrantIdFunction, &[&id]).expect("valid");
        assert_eq!(
            parts,
            Value::object([
                ("application_arn", Value::string(APPLICATION_ARN_EXAMPLE)),
                ("grant_type", Value::string("refresh_token")),
            ])
        );
    }

    #[test]
    fn bad_arguments_name_the_argument_and_the_form() {
        let e = call(&GrantIdFunction, &["arn:nope", "refresh_token"]).expect_err("bad ARN");
        assert_eq!(e.argument, Some(0));
        assert!(
            e.text.starts_with("Invalid application_arn: \"arn:nope\""),
            "{}",
            e.text
        );
        assert!(e.text.contains("apl-<16"), "{}", e.text);
        let e =
            call(&GrantIdFunction, &[APPLICATION_ARN_EXAMPLE, "jwt_bearer"]).expect_err("bad type");
        assert_eq!(e.argument, Some(1));
        assert!(
            e.text
                .contains("urn:ietf:params:oauth:grant-type:jwt-bearer"),
            "{}",
            e.text
        );
        let e = call(&ParseGrantIdFunction, &["no-comma"]).expect_err("bad id");
        assert_eq!(e.argument, Some(0));
        assert!(
            e.text.contains("<application_arn>,<grant_type>"),
            "{}",
            e.text
        );
    }
}
