//! Importing a grant by its identity (Terraform >= 1.12): `{ application_arn,
//! grant_type }` checked like the resource's arguments, each problem named
//! by its field.

use super::arn::check_application_arn;
use super::domain::{GrantKey, GrantType};
use super::error::GrantError;
use super::model::GrantIdentityModel;
use super::validation::grant_type_detail;
use crate::framework::model::from_root;
use crate::framework::{Diagnostic, Diagnostics};
use crate::value::{AttributePath, Value};

/// The grant an import identity names, or errors naming each field that is
/// missing or malformed.
pub fn key_from_identity(value: &Value) -> Result<GrantKey, Diagnostics> {
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
