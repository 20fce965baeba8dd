//! A failed SSO Admin call, worded for the person running Terraform: what
//! the provider was doing in their terms (with the API's name, for logs and
//! IAM policies), AWS's error code with the first paragraph of its message,
//! and, for the codes that have a usual cause, what to check.
//!
//! AWS's own messages can be long: a signature error carries the canonical
//! request and the string to sign, which help someone writing a signer and
//! no one running Terraform. The whole message goes to the log at TRACE;
//! the diagnostic keeps its first paragraph.

use std::error::Error;

use aws_sdk_ssoadmin::error::{ProvideErrorMetadata, SdkError};

use super::model::{GrantListConfig, GrantResourceModel};
use crate::provider::provider_block::{ProviderConfig, RetryMode};
use crate::provider::shared_client::AwsClient;

/// A failed call, described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CallFailure {
    /// What the call was for, e.g. "checking whether the grant exists
    /// (GetApplicationGrant)".
    pub operation: &'static str,
    /// AWS's answer (or why none came) and what to check.
    pub reason: String,
}

/// Where the provider's calls went, for advice that names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CallTarget {
    /// The SSO Admin endpoint.
    pub endpoint: String,
    /// The region requests are signed for.
    pub region: Option<String>,
}

impl CallTarget {
    /// Where `client` sends its calls.
    pub fn of(client: &AwsClient) -> Self {
        Self {
            endpoint: client.endpoint().to_string(),
            region: client.config().region().map(ToString::to_string),
        }
    }

    fn region(&self) -> &str {
        self.region.as_deref().unwrap_or("(none)")
    }
}

/// Describes `error`, the failure of the SSO Admin API `api` called through
/// `client`.
pub(crate) fn describe_failure<E, R>(
    client: &AwsClient,
    api: &'static str,
    error: &SdkError<E, R>,
) -> CallFailure
where
    E: ProvideErrorMetadata + Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let target = CallTarget::of(client);
    let reason = match error.as_service_error() {
        Some(service) => {
            let code = service.code().unwrap_or("UnknownError");
            let message = service.message().unwrap_or("");
            tracing::trace!(api, code, aws_message = message, "AWS error, in full");
            service_error_reason(api, code, message, &target)
        }
        // No answer from AWS: what went wrong on the way, and where the
        // provider was trying to reach.
        None => format!("{} (endpoint {})", causes_in_words(error), target.endpoint),
    };
    CallFailure {
        operation: operation_in_words(api),
        reason,
    }
}

/// What the provider was doing when it called `api`, in the words of
/// someone managing grants, with the API's name.
pub(crate) fn operation_in_words(api: &'static str) -> &'static str {
    match api {
        "GetApplicationGrant" => "checking whether the grant exists (GetApplicationGrant)",
        "PutApplicationGrant" => "writing the grant (PutApplicationGrant)",
        "DeleteApplicationGrant" => "deleting the grant (DeleteApplicationGrant)",
        "ListApplicationGrants" => "listing the application's grants (ListApplicationGrants)",
        "ListApplications" => "listing the instance's applications (ListApplications)",
        "DescribeApplication" => "reading the application (DescribeApplication)",
        other => other,
    }
}

/// AWS's code and the first paragraph of its message, then what to check.
pub(crate) fn service_error_reason(
    api: &str,
    code: &str,
    message: &str,
    target: &CallTarget,
) -> String {
    let message = first_paragraph(message);
    let answer = if message.is_empty() {
        code.to_string()
    } else {
        format!("{code}: {message}")
    };
    match advice(api, code, target) {
        Some(advice) => format!("{answer}\n\n{advice}"),
        None => answer,
    }
}

/// The message up to its first blank line, trimmed.
fn first_paragraph(message: &str) -> &str {
    let message = message.trim();
    let end = message
        .find("\n\n")
        .or_else(|| message.find("\r\n\r\n"))
        .unwrap_or(message.len());
    message[..end].trim_end()
}

/// What usually causes `code`, and what to check.
fn advice(api: &str, code: &str, target: &CallTarget) -> Option<String> {
    let region = target.region();
    Some(match code {
        "InvalidSignatureException" | "SignatureDoesNotMatch" => format!(
            "AWS could not verify the request's signature. Usually the secret key does not \
             belong to the access key id: check {} in the provider block, \
             AWS_SECRET_ACCESS_KEY, or the profile's aws_secret_access_key. Requests are signed \
             for region {region}; an endpoint of another region refuses them the same way.",
            ProviderConfig::SECRET_KEY
        ),
        "UnrecognizedClientException" | "InvalidClientTokenId" => format!(
            "AWS does not recognise the access key id or the session token: check {} in \
             the provider block, AWS_ACCESS_KEY_ID or the profile, and {} / \
             AWS_SESSION_TOKEN when using temporary credentials.",
            ProviderConfig::ACCESS_KEY,
            ProviderConfig::TOKEN
        ),
        "ExpiredTokenException" | "ExpiredToken" | "RequestExpired" => {
            "The credentials have expired: sign in again (for example `aws sso login`) or get \
             fresh temporary credentials."
                .to_string()
        }
        "AccessDeniedException" => format!(
            "The identity the provider signs in as may not call {api}: its IAM policy needs \
             sso:{api}, and no permissions boundary or service control policy may deny it."
        ),
        "ResourceNotFoundException" if api == "ListApplications" => format!(
            "AWS found no such Identity Center instance. Check that {} is right, and \
             that the region (the provider calls {region}, at {}) and the account of the \
             credentials are the instance's.",
            GrantListConfig::INSTANCE_ARN,
            target.endpoint
        ),
        "ResourceNotFoundException" => format!(
            "AWS found no such application. Check that {} is right, and that the \
             region (the provider calls {region}, at {}) and the account of the credentials \
             match the Identity Center instance the application belongs to: an application of \
             another region or account does not exist for these calls.",
            GrantResourceModel::APPLICATION_ARN,
            target.endpoint
        ),
        "ValidationException" => "AWS refused a value. The provider checks every rule AWS \
             documents at plan time, so this is probably one it does not document: please \
             report it with this message."
            .to_string(),
        "ThrottlingException" | "ConflictException" | "InternalServerException" => format!(
            "AWS still answered this after every retry ({} in the provider block): try \
             again later, lower terraform's -parallelism, or set {} = {:?}.",
            ProviderConfig::MAX_RETRIES,
            ProviderConfig::RETRY_MODE,
            RetryMode::Adaptive.as_str()
        ),
        _ => return None,
    })
}

/// An error and its causes as one line of words: each cause's text once,
/// without the debug form of the SDK's error types.
pub(crate) fn causes_in_words(error: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        let text = text.trim();
        // Wrappers often repeat their cause's text; say each thing once.
        if !text.is_empty() && !parts.iter().any(|p| p.contains(text)) {
            parts.push(text.to_string());
        }
        next = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> CallTarget {
        CallTarget {
            endpoint: "https://sso.eu-west-1.amazonaws.com".into(),
            region: Some("eu-west-1".into()),
        }
    }

    #[test]
    fn a_signature_error_keeps_its_first_paragraph_and_says_what_to_check() {
        let message = "The request signature we calculated does not match the signature you \
                       provided. Check your AWS Secret Access Key and signing method.\n\nThe \
                       Canonical String for this request should have been\n'POST\n/\n\nhost:x'\n\n\
                       The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261205T002043Z'";
        let reason = service_error_reason(
            "GetApplicationGrant",
            "InvalidSignatureException",
            message,
            &target(),
        );
        assert!(
            reason.starts_with(
                "InvalidSignatureException: The request signature we calculated does not match"
            ),
            "{reason}"
        );
        for internal in [
            "Canonical String",
            "String-to-Sign",
            "AWS4-HMAC-SHA256",
            "POST",
        ] {
            assert!(!reason.contains(internal), "{internal} in {reason}");
        }
        assert!(reason.contains("AWS_SECRET_ACCESS_KEY"), "{reason}");
        assert!(reason.contains("region eu-west-1"), "{reason}");
    }

    #[test]
    fn a_missing_application_says_to_check_the_arn_region_and_account() {
        let reason = service_error_reason(
            "PutApplicationGrant",
            "ResourceNotFoundException",
            "Application arn:aws:sso::123456789012:application/ssoins-1/apl-1 does not exist.",
            &target(),
        );
        assert!(reason.contains("does not exist."), "{reason}");
        for wanted in [
            "application_arn",
            "eu-west-1",
            "account",
            "https://sso.eu-west-1.amazonaws.com",
        ] {
            assert!(reason.contains(wanted), "{wanted} not in {reason}");
        }
        let instance = service_error_reason(
            "ListApplications",
            "ResourceNotFoundException",
            "",
            &target(),
        );
        assert!(
            instance.starts_with("ResourceNotFoundException\n\n"),
            "{instance}"
        );
        assert!(instance.contains("instance_arn"), "{instance}");
    }

    #[test]
    fn codes_without_a_usual_cause_are_shown_as_aws_gave_them() {
        assert_eq!(
            service_error_reason("PutApplicationGrant", "SomeNewException", "Odd.", &target()),
            "SomeNewException: Odd."
        );
    }

    #[test]
    fn access_denied_names_the_iam_action() {
        let reason = service_error_reason(
            "DeleteApplicationGrant",
            "AccessDeniedException",
            "User is not authorized",
            &target(),
        );
        assert!(reason.contains("sso:DeleteApplicationGrant"), "{reason}");
    }

    #[test]
    fn every_grant_api_is_named_in_the_users_terms() {
        for api in [
            "GetApplicationGrant",
            "PutApplicationGrant",
            "DeleteApplicationGrant",
            "ListApplicationGrants",
            "ListApplications",
            "DescribeApplication",
        ] {
            let words = operation_in_words(api);
            assert!(
                words.ends_with(&format!(" ({api})")) && words.len() > api.len() + 3,
                "{words}"
            );
        }
    }

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|e| e as &(dyn Error + 'static))
        }
    }

    #[test]
    fn causes_are_joined_once_each_without_debug_forms() {
        let error = Layer(
            "dispatch failure",
            Some(Box::new(Layer(
                "io error",
                Some(Box::new(Layer(
                    "tcp connect error: Connection refused (os error 111)",
                    Some(Box::new(Layer("Connection refused (os error 111)", None))),
                ))),
            ))),
        );
        assert_eq!(
            causes_in_words(&error),
            "dispatch failure: io error: tcp connect error: Connection refused (os error 111)"
        );
    }
}
