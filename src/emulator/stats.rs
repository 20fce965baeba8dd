//! Counters behind `GET /_stats`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::faults::Fault;
use super::operation::Operation;
use super::slot::Staleness;

/// What the emulator has seen since start or the last reset.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    requests: u64,
    calls: BTreeMap<&'static str, u64>,
    succeeded: BTreeMap<&'static str, u64>,
    faults: BTreeMap<&'static str, u64>,
    errors: BTreeMap<&'static str, u64>,
    validation_errors: u64,
    auth_failures: u64,
    successes: u64,
    stale_reads: u64,
    stale_reads_of_deleted: u64,
    lagging_lists: u64,
    overwrites: u64,
    assumed_roles: Vec<Value>,
    calls_as_assumed_role: u64,
    delayed: u64,
    most_delayed: u64,
}

impl Stats {
    /// A request reached the AWS endpoint (any outcome).
    pub fn request(&mut self) {
        self.requests += 1;
    }

    /// An authenticated call to `op` was dispatched.
    pub fn call(&mut self, op: Operation) {
        *self.calls.entry(op.name()).or_default() += 1;
    }

    /// A call of `op` took effect and was answered with success.
    pub fn succeeded(&mut self, op: Operation) {
        *self.succeeded.entry(op.name()).or_default() += 1;
    }

    /// A fault was injected.
    pub fn fault(&mut self, fault: Fault) {
        *self.faults.entry(fault.name()).or_default() += 1;
    }

    /// An error response with `code` was sent.
    pub fn error(&mut self, code: &'static str) {
        *self.errors.entry(code).or_default() += 1;
        if code == "ValidationException" {
            self.validation_errors += 1;
        }
    }

    /// A signature check failed.
    pub fn auth_failure(&mut self) {
        self.auth_failures += 1;
    }

    /// A Get or List was answered: counted as stale when it showed what a
    /// write had not yet replaced (read-after-write invisibility), and also
    /// as stale of deleted when that was a grant (or authentication method)
    /// already deleted.
    pub fn read_with(&mut self, staleness: Staleness) {
        self.stale_reads += u64::from(staleness.stale);
        self.stale_reads_of_deleted += u64::from(staleness.shows_deleted);
    }

    /// A List answered from a replica behind the writes showed something other than a Get
    /// at the same moment would (`--list-lag-ms`).
    pub fn lagging_list(&mut self) {
        self.lagging_lists += 1;
    }

    /// A PutApplicationGrant replaced a grant another operation had written (an update, or a
    /// grant taken over); or a PutApplicationAuthenticationMethod did the same to a method.
    pub fn overwrite(&mut self) {
        self.overwrites += 1;
    }

    /// AssumeRole handed out `session`.
    pub fn assumed_role(&mut self, session: &super::sts::Session) {
        self.assumed_roles.push(json!({
            "RoleArn": session.role_arn,
            "RoleSessionName": session.session_name,
            "ExternalId": session.external_id,
            "DurationSeconds": session.duration_seconds,
        }));
    }

    /// An SSO Admin call was signed with credentials AssumeRole handed out.
    pub fn call_as_assumed_role(&mut self) {
        self.calls_as_assumed_role += 1;
    }

    /// A call started its injected latency.
    pub fn delay_started(&mut self) {
        self.delayed += 1;
        self.most_delayed = self.most_delayed.max(self.delayed);
    }

    /// A call finished its injected latency.
    pub fn delay_ended(&mut self) {
        self.delayed = self.delayed.saturating_sub(1);
    }

    /// A 2xx response was sent.
    pub fn success(&mut self) {
        self.successes += 1;
    }

    /// The counters as JSON; every operation and fault kind appears, zero or not.
    pub fn to_json(&self, fault_seed: u64) -> Value {
        let calls: BTreeMap<&str, u64> = Operation::ALL
            .iter()
            .map(|op| (op.name(), self.calls.get(op.name()).copied().unwrap_or(0)))
            .collect();
        let succeeded: BTreeMap<&str, u64> = Operation::ALL
            .iter()
            .map(|op| {
                (
                    op.name(),
                    self.succeeded.get(op.name()).copied().unwrap_or(0),
                )
            })
            .collect();
        let faults: BTreeMap<&str, u64> = [
            Fault::RateLimited,
            Fault::Throttled,
            Fault::InternalError,
            Fault::AccessDenied,
            Fault::Conflict,
            Fault::Latency,
            Fault::Scripted,
        ]
        .iter()
        .map(|f| (f.name(), self.faults.get(f.name()).copied().unwrap_or(0)))
        .collect();
        json!({
            "requests": self.requests,
            "successes": self.successes,
            "calls": calls,
            "succeeded": succeeded,
            "faults": faults,
            "errors": self.errors,
            "validation_errors": self.validation_errors,
            "auth_failures": self.auth_failures,
            "stale_reads": self.stale_reads,
            "stale_reads_of_deleted": self.stale_reads_of_deleted,
            "lagging_lists": self.lagging_lists,
            "overwrites": self.overwrites,
            "assumed_roles": self.assumed_roles,
            "calls_as_assumed_role": self.calls_as_assumed_role,
            "most_delayed_at_once": self.most_delayed,
            "fault_seed": fault_seed,
        })
    }
}
