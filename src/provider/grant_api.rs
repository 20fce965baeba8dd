//! The four SSO Admin calls the grant resource makes, with AWS errors turned
//! into diagnostics that name the operation, the grant and AWS's error, and
//! the wait for eventual consistency after a write.

use std::time::{Duration, Instant};

use aws_sdk_ssoadmin::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::application_grant::GrantKey;
use super::grant::GrantSettings;
use crate::framework::Diagnostics;

/// How long a write may take to become visible to reads before we stop
/// waiting (AWS documents eventual consistency between hosts).
pub const VISIBILITY_TIMEOUT: Duration = Duration::from_secs(30);

/// A failed AWS call as a diagnostic naming the operation, the grant, and
/// AWS's error code and message.
pub fn aws_failure<E, R>(operation: &str, key: &GrantKey, err: SdkError<E, R>) -> Diagnostics
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let reason = match err.as_service_error() {
        Some(service) => format!(
            "{}: {}",
            service.code().unwrap_or("UnknownError"),
            service.message().unwrap_or("no message")
        ),
        None => DisplayErrorContext(&err).to_string(),
    };
    let mut d = Diagnostics::new();
    d.error(
        format!("{operation} failed"),
        format!("{operation} for the {} failed: {reason}", key.describe()),
    );
    d
}

/// GetApplicationGrant; `Ok(None)` when the grant (or its application) does
/// not exist.
pub async fn get_grant(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
) -> Result<Option<GrantSettings>, Diagnostics> {
    let result = client
        .get_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(key.grant_type.to_sdk())
        .send()
        .await;
    match result {
        Ok(out) => match out.grant().and_then(GrantSettings::from_sdk) {
            Some(settings) => Ok(Some(settings)),
            None => {
                let mut d = Diagnostics::new();
                d.error(
                    "Unrecognised grant from AWS",
                    format!(
                        "GetApplicationGrant returned settings for the {} that this provider \
                         version does not understand. Upgrade the provider.",
                        key.describe()
                    ),
                );
                Err(d)
            }
        },
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws_failure("GetApplicationGrant", key, e)),
    }
}

/// Why a PutApplicationGrant failed, and whether AWS may have applied it.
pub struct PutFailure {
    /// The error for the user.
    pub diagnostics: Diagnostics,
    /// True when the outcome is unknown: the request may have reached AWS
    /// (timeout, connection lost, unreadable response, server error).
    pub maybe_applied: bool,
}

/// PutApplicationGrant, the upsert behind create and update.
pub async fn put_grant(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
    settings: &GrantSettings,
) -> Result<(), PutFailure> {
    client
        .put_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(key.grant_type.to_sdk())
        .grant(settings.to_sdk())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            let maybe_applied = match &e {
                // Refused before sending, or answered with a client error:
                // nothing changed.
                SdkError::ConstructionFailure(_) => false,
                SdkError::ServiceError(s) => s.raw().status().is_server_error(),
                // Connection refused means it never got there; anything else
                // during dispatch may have happened after the request left.
                SdkError::DispatchFailure(d) => !d
                    .as_connector_error()
                    .is_some_and(|c| c.is_user() || connection_refused(c)),
                _ => true,
            };
            PutFailure {
                diagnostics: aws_failure("PutApplicationGrant", key, e),
                maybe_applied,
            }
        })
}

/// Whether an error was caused by the connection being refused, i.e. the
/// request never left this machine.
fn connection_refused(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return true;
            }
        }
        current = e.source();
    }
    false
}

/// DeleteApplicationGrant; a grant that is already gone counts as deleted.
pub async fn delete_grant(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
) -> Result<(), Diagnostics> {
    let result = client
        .delete_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(key.grant_type.to_sdk())
        .send()
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(aws_failure("DeleteApplicationGrant", key, e)),
    }
}

/// Reads until the grant reads back as `want` (`None`: absent). AWS writes
/// propagate between hosts with a delay, and a state that claims what a
/// read cannot see yet would show up as drift on the next plan. Gives up
/// after `patience` (normally [`VISIBILITY_TIMEOUT`]), or at once when a
/// read fails (the SDK has already retried it), returning what the last
/// read saw.
pub async fn wait_for(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
    want: Option<&GrantSettings>,
    patience: Duration,
) -> Result<(), String> {
    let deadline = Instant::now() + patience;
    let mut delay = Duration::from_millis(100);
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let seen = match tokio::time::timeout(remaining, get_grant(client, key)).await {
            Err(_) => {
                return Err(format!(
                    "still waiting after {} s",
                    VISIBILITY_TIMEOUT.as_secs()
                ))
            }
            Ok(Err(d)) => {
                let reasons: Vec<String> = d.iter().map(|x| x.detail.clone()).collect();
                return Err(reasons.join("; "));
            }
            Ok(Ok(seen)) => seen,
        };
        if seen.as_ref() == want {
            return Ok(());
        }
        if Instant::now() + delay >= deadline {
            return Err(match (seen, want) {
                (None, Some(_)) => "it was not visible yet".to_string(),
                (Some(_), None) => "it was still visible".to_string(),
                _ => "it still read as before".to_string(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}
