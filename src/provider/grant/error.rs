//! Everything that can go wrong with a grant outside validation, and its
//! one conversion to diagnostics.

use super::domain::{GrantIdError, GrantKey};
use crate::framework::{Diagnostic, Diagnostics, ModelError};
use crate::provider::configured::ClientError;

/// A grant operation that did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    /// The provider has no usable AWS client.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// An AWS call failed (after the SDK's retries).
    #[error("{operation} for the {subject} failed: {reason}")]
    Aws {
        /// The SSO Admin operation.
        operation: &'static str,
        /// What it was about, e.g. "refresh_token grant of application …".
        subject: String,
        /// AWS's error code and message, or the transport failure.
        reason: String,
    },
    /// AWS returned a grant kind this provider does not know.
    #[error(
        "GetApplicationGrant returned settings for the {} that this provider version does not \
         understand. Upgrade the provider.",
        key.describe()
    )]
    Unrecognised {
        /// The grant.
        key: GrantKey,
    },
    /// Create found the grant already there.
    #[error(
        "The {} already exists, but Terraform's state does not hold it: something else \
         created it, or an earlier apply wrote it and was cut off before recording it. To manage \
         it with Terraform, import it: add\n\nimport {{\n  to = <this resource's address, shown \
         above>\n  id = \"{}\"\n}}\n\nto the configuration (or run terraform import <address> \
         '{}'), then apply again. A grant is identified by its application and grant type, so \
         replacing one with create_before_destroy cannot work: the new grant would be the old \
         one.",
        key.describe(),
        key.id(),
        key.id()
    )]
    AlreadyExists {
        /// The grant.
        key: GrantKey,
    },
    /// A grant that a data source was asked to read does not exist.
    #[error(
        "The application {} has no {} grant (or the application does not exist).",
        key.application_arn,
        key.grant_type
    )]
    NotFound {
        /// The grant.
        key: GrantKey,
    },
    /// An operation passed the deadline its `timeouts` block gave it.
    #[error(
        "{operation} of the {} did not finish within {deadline} (timeouts.{operation}); {}{}",
        key.describe(),
        match last_error {
            Some(e) => format!("the last AWS error was: {e}"),
            None => "no AWS call had failed before the deadline".to_string(),
        },
        match in_flight {
            Some(call) => format!("; {call} was still waiting to connect or for its answer"),
            None => String::new(),
        }
    )]
    DeadlineExceeded {
        /// create, read, update or delete.
        operation: &'static str,
        /// The grant.
        key: GrantKey,
        /// The deadline as configured, e.g. `5m`.
        deadline: String,
        /// The last failed AWS attempt, described.
        last_error: Option<String>,
        /// The AWS call that was still waiting for its answer, with its
        /// endpoint.
        in_flight: Option<String>,
    },
    /// A read that had to answer within a bound did not.
    #[error("{operation} for the {} did not answer within {} s.", key.describe(), waited.as_secs())]
    NoAnswer {
        /// The SSO Admin operation.
        operation: &'static str,
        /// The grant.
        key: GrantKey,
        /// How long it was given.
        waited: std::time::Duration,
    },
    /// StopProvider arrived.
    #[error("Terraform asked the provider to stop {when} (the {}).", key.describe())]
    Cancelled {
        /// At which point of the operation.
        when: &'static str,
        /// The grant.
        key: GrantKey,
    },
    /// A plan or state without a known, valid key or settings reached an
    /// operation (validation should have caught it).
    #[error("{0} This is a bug in the provider.")]
    Incomplete(&'static str),
    /// A value that does not fit its model (the framework decoded it with
    /// the schema the model produced).
    #[error("{0}. This is a bug in the provider.")]
    Model(#[from] ModelError),
    /// An import ID that is not a grant ID.
    #[error(transparent)]
    InvalidId(#[from] GrantIdError),
}

impl GrantError {
    fn summary(&self) -> String {
        match self {
            GrantError::Client(e) => e.summary().to_string(),
            GrantError::Aws { operation, .. } => format!("{operation} failed"),
            GrantError::Unrecognised { .. } => "Unrecognised grant from AWS".into(),
            GrantError::AlreadyExists { .. } => "Grant already exists".into(),
            GrantError::NotFound { .. } => "Grant not found".into(),
            GrantError::Cancelled { .. } => "Operation cancelled".into(),
            GrantError::DeadlineExceeded { .. } => "Operation timed out".into(),
            GrantError::NoAnswer { operation, .. } => format!("{operation} did not answer"),
            GrantError::Incomplete(_) | GrantError::Model(_) => "Incomplete grant".into(),
            GrantError::InvalidId(_) => "Invalid import ID".into(),
        }
    }
}

impl From<GrantError> for Diagnostic {
    fn from(e: GrantError) -> Self {
        Diagnostic::error(e.summary(), e.to_string())
    }
}

impl From<GrantError> for Diagnostics {
    fn from(e: GrantError) -> Self {
        Diagnostic::from(e).into()
    }
}
