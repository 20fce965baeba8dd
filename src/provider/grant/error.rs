//! Everything that can go wrong with a grant outside validation, and its
//! one conversion to diagnostics.

use super::domain::{GrantIdError, GrantKey};
use super::model::id_form_help;
use super::pages::BrokenPaging;
use crate::framework::{Diagnostic, Diagnostics, ModelError};
use crate::provider::shared_client::ClientError;

/// A grant operation that did not succeed.
#[derive(Clone, Debug, thiserror::Error)]
pub(crate) enum GrantError {
    /// The provider has no usable AWS client.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// An AWS call failed (after the SDK's retries).
    #[error("{operation} for the {subject} failed: {reason}")]
    Aws {
        /// What the provider was doing, in the user's terms, with the SSO
        /// Admin operation's name.
        operation: &'static str,
        /// What it was about, e.g. "refresh_token grant of application …".
        subject: String,
        /// AWS's error code and message, or the transport failure.
        reason: String,
    },
    /// A listing whose pages cannot be followed to the end: nothing may be
    /// concluded from it.
    #[error(
        "{operation} for the {subject} cannot be completed: {problem}. Nothing was concluded \
         from the pages already read. The service (or this provider's reading of it) is at \
         fault; retry later, and report it if it persists."
    )]
    BrokenListing {
        /// The List operation.
        operation: &'static str,
        /// What was listed, e.g. "grants of application …".
        subject: String,
        /// What was wrong with its pages.
        problem: BrokenPaging,
    },
    /// AWS returned a grant kind this provider does not know.
    #[error(
        "AWS returned settings for the {} in a form this provider version does not \
         understand, so it can neither show nor safely change them (nor treat the grant as \
         gone). Upgrade the provider.",
        key.describe()
    )]
    Unrecognised {
        /// The grant.
        key: GrantKey,
    },
    /// Create found the grant already there.
    ///
    /// Terraform never tells a provider the address of the resource it is
    /// applying, so the message cannot print it; Terraform shows it just
    /// above, on the diagnostic's "with" line.
    #[error(
        "The {} already exists in AWS, but Terraform's state does not hold it: something else \
         created it, or an earlier apply wrote it and was cut off before recording it.\n\n\
         To manage it with Terraform, import it. Put this block in the root module (a .tf file \
         in the directory where you run terraform, also when the resource is declared inside a \
         module), then apply again:\n\n\
         import {{\n  to = ADDRESS\n  id = \"{}\"\n}}\n\n\
         ADDRESS is this resource's full address, as Terraform shows it above after \"with\": \
         identitycenter_application_grant.NAME, or \
         module.MODULE.identitycenter_application_grant.NAME for a resource declared in a \
         module, with any [index] or [\"key\"] it shows. Or, with any Terraform version (the \
         only way before 1.5), run in the root module: terraform import 'ADDRESS' '{}'\n\n\
         A grant is identified by its application and grant type, so replacing one with \
         create_before_destroy cannot work: the new grant would be the old one.",
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
    Incomplete(String),
    /// A value that does not fit its model (the framework decoded it with
    /// the schema the model produced).
    #[error("{0}. This is a bug in the provider.")]
    Model(#[from] ModelError),
    /// An import ID that is not a grant ID.
    #[error("{} {}", .0, id_form_help())]
    InvalidId(#[from] GrantIdError),
}

impl GrantError {
    fn summary(&self) -> String {
        match self {
            GrantError::Client(e) => e.summary().to_string(),
            GrantError::Aws { operation, .. } => format!("{operation} failed"),
            GrantError::BrokenListing { operation, .. } => {
                format!("{operation} returned an incomplete listing")
            }
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
