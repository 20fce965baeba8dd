//! Importing a grant by its identity (Terraform >= 1.12): `{ application_arn,
//! grant_type }` checked like the resource's arguments, each problem named
//! by its field.

use super::arn::check_application_arn;
use super::domain::{GrantKey, GrantType};
use super::error::GrantError;
use super::model::{grant_type_detail, GrantIdentityModel};
use crate::framework::conversion::from_root;
use crate::framework::{Diagnostic, Diagnostics};
use crate::value::{AttributePath, Value};

/// The grant an import identity names, or errors naming each field that is
/// missing or malformed.
pub(crate) fn key_from_identity(value: &Value) -> Result<GrantKey, Diagnostics> {
    let given: GrantIdentityModel = from_root(value).map_err(GrantError::from)?;
    let mut diags = Diagnostics::new();
    let invalid = |field: &str, detail: String| {
        Diagnostic::error(
            "Invalid import identity",
            format!("identity.{field}: {detail}"),
        )
        .at(AttributePath::root().attribute(field))
    };
    let application_arn = match given.application_arn.known() {
        Some(arn) => match check_application_arn(arn) {
            Ok(()) => Some(arn.clone()),
            Err(detail) => {
                diags.add(invalid(GrantIdentityModel::APPLICATION_ARN, detail));
                None
            }
        },
        None => {
            diags.add(invalid(
                GrantIdentityModel::APPLICATION_ARN,
                "is required, the ARN of the grant's application.".to_string(),
            ));
            None
        }
    };
    let grant_type = match given.grant_type.known() {
        Some(text) => {
            let parsed = GrantType::parse(text);
            if parsed.is_none() {
                diags.add(invalid(
                    GrantIdentityModel::GRANT_TYPE,
                    grant_type_detail(text),
                ));
            }
            parsed
        }
        None => {
            diags.add(invalid(
                GrantIdentityModel::GRANT_TYPE,
                format!("is required, one of {}.", GrantType::valid_values()),
            ));
            None
        }
    };
    match (application_arn, grant_type) {
        (Some(application_arn), Some(grant_type)) if !diags.has_errors() => Ok(GrantKey {
            application_arn,
            grant_type,
        }),
        _ => Err(diags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str =
        "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";

    fn identity(application_arn: Value, grant_type: Value) -> Value {
        Value::object([
            (GrantIdentityModel::APPLICATION_ARN, application_arn),
            (GrantIdentityModel::GRANT_TYPE, grant_type),
        ])
    }

    /// `(field, detail)` of each error, in order; each must sit on its field.
    fn errors(value: &Value) -> Vec<(String, String)> {
        let diags = key_from_identity(value).expect_err("a bad identity");
        diags
            .iter()
            .map(|d| {
                assert_eq!(d.summary, "Invalid import identity");
                let field = d.detail.split(':').next().expect("a prefix");
                let field = field.strip_prefix("identity.").expect("identity.<field>");
                assert_eq!(
                    d.attribute,
                    Some(AttributePath::root().attribute(field)),
                    "{d:?}"
                );
                (field.to_string(), d.detail.clone())
            })
            .collect()
    }

    #[test]
    fn a_complete_identity_names_its_grant() {
        let key = key_from_identity(&identity(
            Value::string(APP),
            Value::string("refresh_token"),
        ))
        .expect("valid");
        assert_eq!(key.application_arn, APP);
        assert_eq!(key.grant_type, GrantType::RefreshToken);
    }

    #[test]
    fn a_null_field_is_required_on_that_field() {
        // Terraform checks required_for_import before it calls the provider;
        // these are the provider's own answers when it does not.
        assert_eq!(
            errors(&identity(Value::string(APP), Value::Null)),
            [(
                "grant_type".to_string(),
                format!(
                    "identity.grant_type: is required, one of {}.",
                    GrantType::valid_values()
                )
            )]
        );
        assert_eq!(
            errors(&identity(Value::Null, Value::string("refresh_token"))),
            [(
                "application_arn".to_string(),
                "identity.application_arn: is required, the ARN of the grant's application."
                    .to_string()
            )]
        );
    }

    #[test]
    fn a_missing_field_reads_as_null_and_every_field_is_reported() {
        let missing = Value::object([(GrantIdentityModel::APPLICATION_ARN, Value::string(APP))]);
        let fields: Vec<String> = errors(&missing).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["grant_type"]);
        let empty = Value::object(Vec::<(String, Value)>::new());
        let fields: Vec<String> = errors(&empty).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["application_arn", "grant_type"]);
    }

    #[test]
    fn malformed_fields_are_reported_on_their_field() {
        let found = errors(&identity(
            Value::string("arn:aws:sso::1:application/x"),
            Value::string("password"),
        ));
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["application_arn", "grant_type"]);
        assert!(
            found[1].1.ends_with("got \"password\"."),
            "no sub-block hint for an unknown type: {}",
            found[1].1
        );
    }
}
