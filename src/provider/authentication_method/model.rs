//! The typed models of the authentication method schema and its identity,
//! and what names one method.

use std::sync::Arc;

use crate::framework::rules::{self, Validator};
use crate::framework::Field;
use crate::object_model;
use crate::provider::grant::arn::check_application_arn;
use crate::provider::grant::validation::application_arn;
use crate::provider::policy::PolicyDocument;

/// The one authentication method type AWS has.
pub(crate) const IAM: &str = "IAM";

object_model! {
    /// How an IAM Identity Center application authenticates the AWS principals (IAM roles and
    /// users) that ask it for tokens with `sso-oauth:CreateTokenWithIAM`: with the `IAM` method,
    /// an actor policy names who may. This is what lets a workload on AWS use the
    /// application's `urn:ietf:params:oauth:grant-type:jwt-bearer` or token-exchange grant.
    #[derive(Clone, Debug, PartialEq)]
    pub struct AuthenticationMethodModel {
        /// `<application_arn>,<authentication_method_type>`; also the import ID.
        [computed, use_state_for_unknown] pub id: Field<String> = ID,
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required, requires_replace, validate(application_arn())]
        pub application_arn: Field<String> = APPLICATION_ARN,
        /// The method's type: `IAM`, the only one AWS has.
        [required, requires_replace, validate(method_type())]
        pub authentication_method_type: Field<String> = AUTHENTICATION_METHOD_TYPE,
        /// The method's settings.
        [block_single(1, 1)]
        pub authentication_method: Field<MethodBlock> = AUTHENTICATION_METHOD,
    }
}

object_model! {
    /// The method's settings: the `iam` block.
    #[derive(Clone, Debug, PartialEq)]
    pub struct MethodBlock {
        /// Settings of the `IAM` method.
        [block_single(1, 1)] pub iam: Field<IamBlock> = IAM_BLOCK,
    }
}

object_model! {
    /// Settings of the `IAM` method.
    #[derive(Clone, Debug, PartialEq)]
    pub struct IamBlock {
        /// The IAM policy document (JSON, best written with `jsonencode`) that says which AWS
        /// principals may call `sso-oauth:CreateTokenWithIAM` for the application. Policies
        /// that differ only in key order, whitespace, one value against a list holding it,
        /// or the order of a list of actions, resources, principals or condition values are
        /// the same policy: AWS's re-serialised copy never shows as a change, and state keeps
        /// the text the configuration wrote.
        [required, validate(actor_policy())]
        pub actor_policy: Field<String> = ACTOR_POLICY,
    }
}

object_model! {
    /// What identifies an authentication method: its application and its type.
    #[derive(Clone, Debug, PartialEq)]
    pub struct AuthenticationMethodIdentityModel {
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required] pub application_arn: Field<String> = APPLICATION_ARN,
        /// The method's type, `IAM`.
        [required] pub authentication_method_type: Field<String> = AUTHENTICATION_METHOD_TYPE,
    }
}

/// `authentication_method_type`: `IAM`.
fn method_type() -> Arc<dyn Validator> {
    rules::one_of(
        "Invalid authentication method type",
        || vec![IAM],
        |text| {
            format!(
                "{} must be {IAM:?}, the only type AWS has; got {text:?}.",
                AuthenticationMethodModel::AUTHENTICATION_METHOD_TYPE
            )
        },
    )
}

/// `actor_policy`: a JSON policy document with a `Statement`.
fn actor_policy() -> Arc<dyn Validator> {
    rules::matches("Invalid actor policy", |text| {
        PolicyDocument::parse(text)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}

/// What names an application's authentication method. AWS has one type,
/// so it is the application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MethodKey {
    /// The application's ARN.
    pub application_arn: String,
}

impl MethodKey {
    /// The resource ID (and import ID): `<application_arn>,IAM`.
    pub(crate) fn id(&self) -> String {
        format!("{},{IAM}", self.application_arn)
    }

    /// Parses an ID `<application_arn>,IAM`, or says what is wrong with it.
    pub(crate) fn parse_id(id: &str) -> Result<MethodKey, String> {
        let form = format!(
            "Expected \"<{}>,{IAM}\".",
            AuthenticationMethodModel::APPLICATION_ARN
        );
        let Some((arn, method_type)) = id.trim().split_once(',') else {
            return Err(format!("The ID {id:?} has no comma. {form}"));
        };
        check_application_arn(arn).map_err(|detail| format!("{detail} {form}"))?;
        if method_type != IAM {
            return Err(format!(
                "{method_type:?} in the ID is not an authentication method type. {form}"
            ));
        }
        Ok(MethodKey {
            application_arn: arn.to_string(),
        })
    }

    /// "IAM authentication method of application `<arn>`", for messages.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{IAM} authentication method of application {}",
            self.application_arn
        )
    }
}

impl AuthenticationMethodModel {
    /// The state of the method `key` with the actor policy `policy` (none
    /// after an import, which a read completes).
    pub(crate) fn state(key: &MethodKey, policy: Option<String>) -> Self {
        Self {
            id: Field::Known(key.id()),
            application_arn: Field::Known(key.application_arn.clone()),
            authentication_method_type: Field::Known(IAM.to_string()),
            authentication_method: policy
                .map(|p| MethodBlock {
                    iam: Field::Known(IamBlock {
                        actor_policy: Field::Known(p),
                    }),
                })
                .into(),
        }
    }

    /// The method's key, when its parts are known and valid.
    pub(crate) fn key(&self) -> Option<MethodKey> {
        if self.authentication_method_type.known()? != IAM {
            return None;
        }
        Some(MethodKey {
            application_arn: self.application_arn.known()?.clone(),
        })
    }

    /// The actor policy's text, when known.
    pub(crate) fn actor_policy(&self) -> Option<&String> {
        self.authentication_method
            .known()?
            .iam
            .known()?
            .actor_policy
            .known()
    }
}

impl AuthenticationMethodIdentityModel {
    /// The identity of the method `key`.
    pub(crate) fn of(key: &MethodKey) -> Self {
        Self {
            application_arn: Field::Known(key.application_arn.clone()),
            authentication_method_type: Field::Known(IAM.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str =
        "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";

    #[test]
    fn ids_round_trip_and_bad_ones_say_why() {
        let key = MethodKey::parse_id(&format!("{APP},IAM")).expect("valid");
        assert_eq!(key.id(), format!("{APP},IAM"));
        let no_comma = MethodKey::parse_id(APP).unwrap_err();
        assert!(no_comma.contains("has no comma"), "{no_comma}");
        let other = MethodKey::parse_id(&format!("{APP},OIDC")).unwrap_err();
        assert!(other.starts_with("\"OIDC\" in the ID"), "{other}");
        assert!(MethodKey::parse_id("arn:aws:sso::1:application/x,IAM").is_err());
    }
}
