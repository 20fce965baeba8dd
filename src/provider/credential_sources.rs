//! Why no AWS credentials could be had, said source by source in the words
//! of the README's Authentication section rather than the SDK's type names.
//!
//! The SDK's default chain tries the environment, the shared files, web
//! identity, the container endpoint and instance metadata in turn. When
//! every one of them finds nothing, its error carries each attempt with the
//! reason; when one of them fails outright (a profile that is wrong, an
//! instance metadata service that refuses), the search stops there and the
//! error is that source's alone.

use std::error::Error;

use aws_config::meta::ProviderChainError;
use aws_credential_types::provider::error::CredentialsError;

use super::grant::aws_error::causes_in_words;
use super::provider_block::ProviderConfig;

/// What the SDK says of every failure, which tells the user nothing.
const GENERIC_TEXTS: [&str; 4] = [
    "the credential provider was not enabled",
    "an error occurred while loading credentials",
    "the credentials provider was not properly configured",
    "unexpected credentials error",
];

/// Explains `error`, what loading credentials ended with. `profile` is the
/// profile the shared files were read for.
pub(crate) fn explain_missing_credentials(error: &CredentialsError, profile: &str) -> String {
    let attempts = error
        .source()
        .and_then(|s| s.downcast_ref::<ProviderChainError<CredentialsError>>())
        .map(ProviderChainError::attempts)
        .filter(|attempts| !attempts.is_empty());
    match attempts {
        Some(attempts) => {
            let mut text = format!(
                "The provider found no AWS credentials. It looked in these places, in this \
                 order:\n\n  - {} and {} in the provider block: not set",
                ProviderConfig::ACCESS_KEY,
                ProviderConfig::SECRET_KEY
            );
            for attempt in attempts {
                text.push_str(&format!(
                    "\n  - {}: {}",
                    source_in_words(attempt.name(), profile),
                    reason_in_words(attempt.error())
                ));
            }
            text
        }
        None if from_instance_metadata(error) => format!(
            "The provider found no AWS credentials in the provider block, the environment, the \
             shared config and credentials files (profile \"{profile}\"), web identity or the \
             container endpoint; then asking the EC2 instance metadata service (IMDS), the last \
             place it looks, failed: {}. Outside EC2, AWS_EC2_METADATA_DISABLED=true skips it.",
            reason_in_words(error).trim_end_matches('.')
        ),
        None => format!(
            "Looking for AWS credentials stopped at an error: {}",
            reason_in_words(error)
        ),
    }
}

/// The source the SDK's default chain calls `name`, as users know it.
fn source_in_words(name: &str, profile: &str) -> String {
    match name {
        "Environment" => {
            "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_string()
        }
        "Profile" => format!("shared config and credentials files, profile \"{profile}\""),
        "WebIdentityToken" => {
            "web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE)".to_string()
        }
        "EcsContainer" => "container credentials endpoint (ECS, EKS Pod Identity)".to_string(),
        "Ec2InstanceMetadata" => "EC2 instance metadata (IMDS)".to_string(),
        other => other.to_string(),
    }
}

/// Whether a lone error came from the instance metadata service, the last
/// source of the chain (so every other one had nothing).
fn from_instance_metadata(error: &CredentialsError) -> bool {
    let mut next: Option<&(dyn Error + 'static)> = error.source();
    while let Some(e) = next {
        if e.is::<aws_config::imds::client::error::ImdsError>() {
            return true;
        }
        next = e.source();
    }
    false
}

/// An attempt's reason: its causes in words, without the SDK's generic
/// wrapper texts; "nothing found" when it gives no cause.
fn reason_in_words(error: &CredentialsError) -> String {
    let words = causes_in_words(error);
    let specific: Vec<&str> = words
        .split(": ")
        .filter(|part| !GENERIC_TEXTS.contains(part))
        .collect();
    if specific.is_empty() {
        "nothing found".to_string()
    } else {
        specific.join(": ")
    }
}

// The listing of every source is tested with real Terraform and the real
// default chain (tests/error_messages.rs): the SDK offers no way to build its
// chain error here, nor to give its chain an environment of its own.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_that_fails_outright_is_reported_alone_in_words() {
        let error = CredentialsError::invalid_configuration(
            "ProfileFile provider could not be built: profile `ghost` did not contain credential \
             information",
        );
        let text = explain_missing_credentials(&error, "ghost");
        assert_eq!(
            text,
            "Looking for AWS credentials stopped at an error: ProfileFile provider could not be \
             built: profile `ghost` did not contain credential information"
        );
    }
}
