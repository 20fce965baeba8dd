//! What the attempts of AWS calls did, recorded between the SDK's retry
//! loop and the wire. The SDK reports only the last attempt's error; whether
//! a write may have taken effect depends on every attempt (an earlier one
//! that timed out may have been applied even if the last one was refused),
//! and a deadline that cuts an operation short reports the last AWS error.

use std::sync::{Arc, Mutex, MutexGuard};

use aws_sdk_ssoadmin::error::DisplayErrorContext;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::provider::endpoint::endpoint_for_display;

#[derive(Debug, Default)]
struct Log {
    /// A write attempt is on the wire (sent, no answer yet).
    write_in_flight: bool,
    /// A write attempt ended in a way that leaves its effect unknown.
    write_may_have_applied: bool,
    /// What the last failed attempt of any call said.
    last_error: Option<String>,
    /// The call whose attempt has started (connecting, sending or waiting for
    /// the answer), and where it goes, e.g. "PutApplicationGrant to
    /// https://sso.us-east-1.amazonaws.com".
    in_flight: Option<String>,
    /// Calls made on this operation's behalf by another, e.g. a listing
    /// shared between reads: what they saw counts when this one saw nothing.
    followed: Vec<Attempts>,
}

/// The record of one operation's AWS calls (shared by the calls' recorders).
#[derive(Clone, Debug, Default)]
pub struct Attempts(Arc<Mutex<Log>>);

impl Attempts {
    fn log(&self) -> MutexGuard<'_, Log> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A recorder for one call; `write` marks calls that change AWS.
    pub(crate) fn recorder(&self, write: bool) -> AttemptRecorder {
        AttemptRecorder {
            attempts: self.clone(),
            write,
        }
    }

    /// Whether a write may have taken effect: an attempt that reached AWS
    /// and got no clear refusal, or one still on the wire.
    pub(crate) fn write_may_have_applied(&self) -> bool {
        let log = self.log();
        log.write_may_have_applied || log.write_in_flight
    }

    /// Also reports what `other` records (reads only: whether a write may
    /// have applied is this operation's own record).
    pub fn follow(&self, other: &Attempts) {
        if !Arc::ptr_eq(&self.0, &other.0) {
            self.log().followed.push(other.clone());
        }
    }

    /// The last failed attempt, described.
    pub(crate) fn last_error(&self) -> Option<String> {
        self.own_or_followed(|log| log.last_error.clone())
    }

    /// The call whose attempt had not ended, and the endpoint it goes to
    /// (what a deadline cut short).
    pub fn in_flight(&self) -> Option<String> {
        self.own_or_followed(|log| log.in_flight.clone())
    }

    fn own_or_followed(&self, read: impl Fn(&Log) -> Option<String> + Copy) -> Option<String> {
        let (own, followed) = {
            let log = self.log();
            (read(&log), log.followed.clone())
        };
        own.or_else(|| followed.iter().find_map(|a| a.own_or_followed(read)))
    }
}

/// Records each attempt of one call into its [`Attempts`].
#[derive(Debug)]
pub(crate) struct AttemptRecorder {
    attempts: Attempts,
    write: bool,
}

impl Intercept for AttemptRecorder {
    fn name(&self) -> &'static str {
        "identitycenter::AttemptRecorder"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg.load::<Metadata>().map_or("AWS call", |m| m.name());
        let target = endpoint_for_display(destination(context.request().uri()));
        let mut log = self.attempts.log();
        log.in_flight = Some(format!("{operation} to {target}"));
        if self.write {
            log.write_in_flight = true;
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let mut log = self.attempts.log();
        log.in_flight = None;
        let transmitted = std::mem::take(&mut log.write_in_flight);
        let Some(Err(error)) = context.output_or_error() else {
            return Ok(());
        };
        log.last_error = Some(match context.response() {
            Some(response) => format!(
                "HTTP {}: {}",
                response.status().as_u16(),
                DisplayErrorContext(error)
            ),
            None => DisplayErrorContext(error).to_string(),
        });
        if !self.write {
            return Ok(());
        }
        let unknown = match context.response() {
            // AWS answered: a 4xx refused the write; a 5xx leaves the outcome
            // open, and so does a success whose body could not be read.
            Some(response) => !response.status().is_client_error(),
            // No answer: open if the request may have left this machine.
            None => {
                transmitted
                    && !error
                        .as_connector_error()
                        .is_some_and(|c| c.is_user() || connection_refused(c))
            }
        };
        log.write_may_have_applied |= unknown;
        Ok(())
    }
}

/// The scheme and authority of a request URI: where the call went, without
/// the path or query.
fn destination(uri: &str) -> &str {
    let authority_start = uri.find("://").map_or(0, |i| i + 3);
    match uri[authority_start..].find(['/', '?']) {
        Some(end) => &uri[..authority_start + end],
        None => uri,
    }
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

#[cfg(test)]
mod tests {
    use super::destination;

    #[test]
    fn the_destination_is_scheme_and_authority() {
        assert_eq!(
            destination("https://sso.us-east-1.amazonaws.com/?x=1"),
            "https://sso.us-east-1.amazonaws.com"
        );
        assert_eq!(
            destination("http://127.0.0.1:4566/path"),
            "http://127.0.0.1:4566"
        );
        assert_eq!(
            destination("http://127.0.0.1:4566"),
            "http://127.0.0.1:4566"
        );
    }
}
