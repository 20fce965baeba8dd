//! The SSO Admin calls an authentication method needs, each attempt
//! recorded, each failure worded for the user, and the actor policy carried
//! between JSON text and the SDK's document type.

use aws_sdk_ssoadmin::types::{
    AuthenticationMethod, AuthenticationMethodType, IamAuthenticationMethod,
};
use aws_smithy_types::{Document, Number as DocumentNumber};
use serde_json::{Map, Number, Value as Json};

use super::model::MethodKey;
use crate::provider::grant::attempts::Attempts;
use crate::provider::grant::calls::{aws_failure, unless_not_found};
use crate::provider::grant::error::GrantError;
use crate::provider::shared_client::AwsClient;

/// What AWS holds for an authentication method.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Held {
    /// An IAM method with this actor policy.
    Iam(Json),
    /// A method in a form this provider version does not know.
    Unrecognised,
}

/// GetApplicationAuthenticationMethod; `Ok(None)` only when AWS says the
/// method (or its application) does not exist.
pub(crate) async fn get_method(
    client: &AwsClient,
    key: &MethodKey,
    attempts: &Attempts,
) -> Result<Option<Held>, GrantError> {
    let result = client
        .get_application_authentication_method()
        .application_arn(&key.application_arn)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .customize()
        .interceptor(attempts.recorder(false))
        .send()
        .await;
    let found = unless_not_found(result).map_err(|e| {
        aws_failure(
            client,
            "GetApplicationAuthenticationMethod",
            key.describe(),
            e,
        )
    })?;
    Ok(found.map(
        |out| match out.authentication_method().and_then(|m| m.as_iam().ok()) {
            Some(iam) => Held::Iam(json_of(iam.actor_policy())),
            None => Held::Unrecognised,
        },
    ))
}

/// PutApplicationAuthenticationMethod (an upsert). On failure, the error
/// and whether AWS may have applied it.
pub(crate) async fn put_method(
    client: &AwsClient,
    key: &MethodKey,
    policy: &Json,
    attempts: &Attempts,
) -> Result<(), (GrantError, bool)> {
    let method = IamAuthenticationMethod::builder()
        .actor_policy(document_of(policy))
        .build()
        .map_err(|e| (GrantError::Incomplete(e.to_string()), false))?;
    let result = client
        .put_application_authentication_method()
        .application_arn(&key.application_arn)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .authentication_method(AuthenticationMethod::Iam(method))
        .customize()
        .interceptor(attempts.recorder(true))
        .send()
        .await;
    result.map(|_| ()).map_err(|e| {
        (
            aws_failure(
                client,
                "PutApplicationAuthenticationMethod",
                key.describe(),
                e,
            ),
            // Judged from every attempt, as for grants.
            attempts.write_may_have_applied(),
        )
    })
}

/// DeleteApplicationAuthenticationMethod; one already gone counts as
/// deleted.
pub(crate) async fn delete_method(
    client: &AwsClient,
    key: &MethodKey,
    attempts: &Attempts,
) -> Result<(), GrantError> {
    let result = client
        .delete_application_authentication_method()
        .application_arn(&key.application_arn)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .customize()
        .interceptor(attempts.recorder(true))
        .send()
        .await;
    unless_not_found(result).map(|_| ()).map_err(|e| {
        aws_failure(
            client,
            "DeleteApplicationAuthenticationMethod",
            key.describe(),
            e,
        )
    })
}

/// A JSON value as the SDK's document.
fn document_of(value: &Json) -> Document {
    match value {
        Json::Null => Document::Null,
        Json::Bool(b) => Document::Bool(*b),
        Json::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
            DocumentNumber::PosInt(u)
        } else if let Some(i) = n.as_i64() {
            DocumentNumber::NegInt(i)
        } else {
            DocumentNumber::Float(n.as_f64().unwrap_or(f64::NAN))
        }),
        Json::String(s) => Document::String(s.clone()),
        Json::Array(items) => Document::Array(items.iter().map(document_of).collect()),
        Json::Object(members) => Document::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), document_of(v)))
                .collect(),
        ),
    }
}

/// The SDK's document as JSON (a number JSON cannot hold, such as NaN,
/// becomes null).
fn json_of(document: &Document) -> Json {
    match document {
        Document::Null => Json::Null,
        Document::Bool(b) => Json::Bool(*b),
        Document::Number(DocumentNumber::PosInt(u)) => Json::Number(Number::from(*u)),
        Document::Number(DocumentNumber::NegInt(i)) => Json::Number(Number::from(*i)),
        Document::Number(DocumentNumber::Float(f)) => {
            Number::from_f64(*f).map_or(Json::Null, Json::Number)
        }
        Document::String(s) => Json::String(s.clone()),
        Document::Array(items) => Json::Array(items.iter().map(json_of).collect()),
        Document::Object(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), json_of(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_carry_json_both_ways() {
        let policy = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Condition": {"NumericLessThan": {"n": [1, -2, 2.5]}}}],
            "Flag": true,
            "None": null
        });
        assert_eq!(json_of(&document_of(&policy)), policy);
    }
}
