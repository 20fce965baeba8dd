//! The shared core of a running emulator: configuration, state, faults and stats.

use std::ops::Deref;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::config::{Credential, EmulatorConfig};
use super::error::ApiError;
use super::faults::{Arrival, Fault, FaultInjector};
use super::operation::Operation;
use super::scripted::ScriptedOutcome;
use super::secret::Secret;
use super::slot::Hiding;
use super::state::ServiceState;
use super::stats::Stats;
use super::sts::Session;

/// Shared by every connection. Each mutex is held only for short, non-blocking work and
/// never across an `.await`.
#[derive(Debug)]
pub struct Backend {
    config: EmulatorConfig,
    inspection_token: Secret,
    credentials: Vec<Credential>,
    seeded: ServiceState,
    state: Mutex<ServiceState>,
    faults: Mutex<FaultInjector>,
    stats: Mutex<Stats>,
    /// Temporary credentials AssumeRole handed out.
    sessions: Mutex<Vec<Session>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave these plain-data structures half-updated
    // in a way that matters more than losing the emulator, so keep serving.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Backend {
    /// The bearer token the inspection endpoints require.
    pub fn inspection_token(&self) -> &str {
        self.inspection_token.expose()
    }

    /// A backend whose state starts (and resets to) `seeded`.
    pub fn new(config: EmulatorConfig, seeded: ServiceState) -> Self {
        let credentials = config.accepted_credentials();
        let faults = FaultInjector::new(config.faults.clone());
        let inspection_token = config
            .inspection_token
            .clone()
            .unwrap_or_else(|| Secret::new(super::ids::random_token()));
        Self {
            inspection_token,
            credentials,
            state: Mutex::new(seeded.clone()),
            seeded,
            faults: Mutex::new(faults),
            stats: Mutex::new(Stats::default()),
            sessions: Mutex::new(Vec::new()),
            config,
        }
    }

    /// The configuration the emulator runs with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.config
    }

    /// Credentials signatures are checked against at `now`: the configured
    /// ones, and the temporary ones AssumeRole handed out that have not
    /// expired.
    pub fn credentials_at(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<Credential> {
        let sessions = lock(&self.sessions);
        self.credentials
            .iter()
            .cloned()
            .chain(
                sessions
                    .iter()
                    .filter(|s| s.expires > now)
                    .map(|s| s.credential.clone()),
            )
            .collect()
    }

    /// Remembers the session AssumeRole handed out.
    pub fn remember_session(&self, session: Session) {
        self.stats().assumed_role(&session);
        lock(&self.sessions).push(session);
    }

    /// Whether `access_key_id` belongs to a session AssumeRole handed out.
    pub fn is_session_key(&self, access_key_id: &str) -> bool {
        lock(&self.sessions)
            .iter()
            .any(|s| s.credential.access_key_id == access_key_id)
    }

    /// Exclusive access to the state (keep it short; never hold it across an await).
    pub fn state(&self) -> MutexGuard<'_, ServiceState> {
        lock(&self.state)
    }

    /// Exclusive access to the counters.
    pub fn stats(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    /// Latency to add to the current call.
    pub fn draw_latency(&self) -> Duration {
        let latency = lock(&self.faults).latency();
        if !latency.is_zero() {
            self.stats().fault(Fault::Latency);
        }
        latency
    }

    /// Draw the faults of one call of `op`: the error of a fault hitting it on arrival, or
    /// the call's view of the backend, which remembers whether a write gets a conflict.
    /// `invocation` is the SDK's id for the operation, the same on each of
    /// its retries (`amz-sdk-invocation-id`).
    pub fn arrive(&self, op: Operation, invocation: Option<String>) -> Result<Call<'_>, ApiError> {
        let arrival = lock(&self.faults).on_arrival(Instant::now());
        if let Some((f, err)) = arrival.fault.and_then(|f| f.error(op).map(|e| (f, e))) {
            self.stats().fault(f);
            return Err(err);
        }
        Ok(Call {
            backend: self,
            arrival,
            invocation,
        })
    }

    /// The scripted fault hitting this call of `op`, if any (counted as a
    /// fault).
    pub fn scripted(&self, op: Operation) -> Option<ScriptedOutcome> {
        let outcome = lock(&self.faults).scripted(op);
        if outcome.is_some() {
            self.stats().fault(Fault::Scripted);
        }
        outcome
    }

    /// How long (and from how many reads) a grant or authentication method write stays hidden.
    pub fn hiding(&self) -> Hiding {
        let faults = lock(&self.faults);
        Hiding {
            delay: faults.invisible_for(),
            reads: faults.stale_reads(),
        }
    }

    /// Back to the seeded state with zeroed stats and a replayed fault sequence.
    pub fn reset(&self) {
        *self.state() = self.seeded.clone();
        *self.stats() = Stats::default();
        lock(&self.faults).reset();
    }

    /// `GET /_state` body.
    pub fn state_json(&self) -> Value {
        self.state().snapshot()
    }

    /// `GET /_stats` body.
    pub fn stats_json(&self) -> Value {
        let seed = lock(&self.faults).seed();
        self.stats().to_json(seed)
    }
}

/// The backend as one call sees it, with the faults drawn for that call.
#[derive(Debug)]
pub struct Call<'a> {
    backend: &'a Backend,
    arrival: Arrival,
    invocation: Option<String>,
}

impl Deref for Call<'_> {
    type Target = Backend;

    fn deref(&self) -> &Backend {
        self.backend
    }
}

impl Call<'_> {
    /// The SDK's id of the operation this call is an attempt of.
    pub fn invocation(&self) -> Option<&str> {
        self.invocation.as_deref()
    }

    /// A ConflictException for a valid write of `op`, if this call drew one.
    pub fn conflict_fault(&self, op: Operation) -> Result<(), ApiError> {
        if self.arrival.conflicts(op) {
            self.backend.stats().fault(Fault::Conflict);
            return Err(Fault::Conflict
                .error(op)
                .unwrap_or_else(|| ApiError::conflict("Conflict")));
        }
        Ok(())
    }
}
