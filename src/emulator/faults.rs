//! Injected failures: throttling, server errors, access denials, conflicts, latency and a
//! token-bucket rate limit, all drawn from one seedable RNG so a run can be replayed.

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::FaultConfig;
use super::error::ApiError;
use super::operation::Operation;
use super::scripted::{Script, ScriptedOutcome};

/// A kind of injected fault, as counted in `/_stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// Over the configured requests-per-second limit.
    RateLimited,
    /// Random ThrottlingException.
    Throttled,
    /// Random InternalServerException.
    InternalError,
    /// Random AccessDeniedException.
    AccessDenied,
    /// Random ConflictException on a write.
    Conflict,
    /// Added latency.
    Latency,
    /// A scripted fault (`--fail`).
    Scripted,
}

impl Fault {
    /// Name used in `/_stats`.
    pub fn name(self) -> &'static str {
        match self {
            Fault::RateLimited => "rate_limit",
            Fault::Throttled => "throttle",
            Fault::InternalError => "internal_error",
            Fault::AccessDenied => "access_denied",
            Fault::Conflict => "conflict",
            Fault::Latency => "latency",
            Fault::Scripted => "scripted",
        }
    }

    /// The error the fault answers with (`None` for latency, which only delays).
    pub fn error(self, op: Operation) -> Option<ApiError> {
        match self {
            Fault::RateLimited => Some(ApiError::throttling("Rate exceeded")),
            Fault::Throttled => Some(ApiError::throttling("Rate exceeded")),
            Fault::InternalError => Some(ApiError::internal(
                "An internal error occurred. Retry the request.",
            )),
            Fault::AccessDenied => Some(ApiError::access_denied(format!(
                "User is not authorized to perform: sso:{}",
                op.name()
            ))),
            Fault::Conflict => Some(ApiError::conflict(
                "Operation conflicts with a previous write that has not propagated yet. Retry with backoff.",
            )),
            Fault::Latency | Fault::Scripted => None,
        }
    }
}

/// What the fault injector decided for one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Arrival {
    /// The fault that answers the call before its input is read, if any.
    pub fault: Option<Fault>,
    /// Whether the call, should it be a valid write that models conflicts, gets one.
    conflict: bool,
}

impl Arrival {
    fn fault(fault: Fault) -> Self {
        Self {
            fault: Some(fault),
            conflict: false,
        }
    }

    /// Whether a valid write of `op` is answered with a conflict.
    pub fn conflicts(self, op: Operation) -> bool {
        self.conflict && op.models_conflict()
    }
}

#[derive(Debug, Clone)]
struct TokenBucket {
    per_second: f64,
    capacity: f64,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    fn new(per_second: f64, now: Instant) -> Self {
        let capacity = per_second.max(1.0);
        Self {
            per_second,
            capacity,
            tokens: capacity,
            refilled_at: now,
        }
    }

    fn try_take(&mut self, now: Instant) -> bool {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.refilled_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Decides, call by call, which faults to inject.
#[derive(Debug)]
pub struct FaultInjector {
    config: FaultConfig,
    seed: u64,
    rng: StdRng,
    bucket: Option<TokenBucket>,
    script: Script,
}

impl FaultInjector {
    /// An injector for `config`; the RNG seed is `config.seed` or a random one.
    pub fn new(config: FaultConfig) -> Self {
        let seed = config.seed.unwrap_or_else(|| rand::thread_rng().gen());
        let bucket = config
            .rate_limit_tps
            .map(|tps| TokenBucket::new(tps, Instant::now()));
        Self {
            script: Script::new(config.scripted.clone()),
            config,
            seed,
            rng: StdRng::seed_from_u64(seed),
            bucket,
        }
    }

    /// The seed in use (reported in `/_stats` so a run can be replayed).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Back to the state right after start: same RNG sequence, full bucket.
    pub fn reset(&mut self) {
        self.rng = StdRng::seed_from_u64(self.seed);
        self.script.reset();
        self.bucket = self
            .config
            .rate_limit_tps
            .map(|tps| TokenBucket::new(tps, Instant::now()));
    }

    /// Latency to add to this call (zero when none is configured).
    pub fn latency(&mut self) -> Duration {
        let jitter = self.config.latency_jitter;
        let extra = if jitter.is_zero() {
            Duration::ZERO
        } else {
            let max = u64::try_from(jitter.as_micros()).unwrap_or(u64::MAX);
            Duration::from_micros(self.rng.gen_range(0..=max))
        };
        self.config.latency + extra
    }

    /// The faults drawn for one call: the one (if any) that hits it before its input is even
    /// looked at, and whether a valid write that models it is answered with a conflict.
    ///
    /// Exactly one uniform number in `[0, 1)` is drawn per call and compared against
    /// cumulative thresholds (throttle, then internal error, then access denied, then
    /// conflict), so each rate is its own share of all calls rather than a share of what the
    /// earlier faults let through. The rates must therefore sum to at most 1.0
    /// ([`FaultConfig::check_shares`]). The number is drawn even when the rate limit answers
    /// the call, so a seed replays the same sequence call by call.
    pub fn on_arrival(&mut self, now: Instant) -> Arrival {
        let draw: f64 = self.rng.gen();
        if let Some(bucket) = &mut self.bucket {
            if !bucket.try_take(now) {
                return Arrival::fault(Fault::RateLimited);
            }
        }
        let c = &self.config;
        let bands = [
            (c.throttle_rate, Some(Fault::Throttled)),
            (c.internal_error_rate, Some(Fault::InternalError)),
            (c.access_denied_rate, Some(Fault::AccessDenied)),
            (c.conflict_rate, None),
        ];
        let mut threshold = 0.0;
        for (rate, fault) in bands {
            threshold += rate;
            if rate > 0.0 && draw < threshold {
                return match fault {
                    Some(fault) => Arrival::fault(fault),
                    None => Arrival {
                        fault: None,
                        conflict: true,
                    },
                };
            }
        }
        Arrival::default()
    }

    /// Counts a call of `op` that got past the random faults, and says
    /// whether a scripted fault hits it.
    pub fn scripted(&mut self, op: Operation) -> Option<ScriptedOutcome> {
        self.script.on_call(op)
    }

    /// How long a grant or authentication method write stays invisible to readers.
    pub fn invisible_for(&self) -> Duration {
        self.config.invisible_for
    }

    /// How many reads a grant or authentication method write stays hidden from (after its
    /// delay).
    pub fn stale_reads(&self) -> u32 {
        self.config.stale_reads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_faults() {
        let config = FaultConfig {
            throttle_rate: 0.5,
            seed: Some(7),
            ..FaultConfig::default()
        };
        let now = Instant::now();
        let mut a = FaultInjector::new(config.clone());
        let mut b = FaultInjector::new(config);
        let run_a: Vec<_> = (0..50).map(|_| a.on_arrival(now).fault).collect();
        let run_b: Vec<_> = (0..50).map(|_| b.on_arrival(now).fault).collect();
        assert_eq!(run_a, run_b);
        assert!(run_a.contains(&Some(Fault::Throttled)));
        assert!(run_a.contains(&None));
        a.reset();
        let replay: Vec<_> = (0..50).map(|_| a.on_arrival(now).fault).collect();
        assert_eq!(replay, run_a);
    }

    #[test]
    fn the_bucket_allows_a_burst_then_refills() {
        let now = Instant::now();
        let mut bucket = TokenBucket::new(2.0, now);
        assert!(bucket.try_take(now));
        assert!(bucket.try_take(now));
        assert!(!bucket.try_take(now));
        assert!(bucket.try_take(now + Duration::from_millis(500)));
    }

    #[test]
    fn conflicts_only_hit_writes_that_model_them() {
        let mut f = FaultInjector::new(FaultConfig {
            conflict_rate: 1.0,
            ..FaultConfig::default()
        });
        let arrival = f.on_arrival(Instant::now());
        assert_eq!(arrival.fault, None);
        assert!(arrival.conflicts(Operation::PutApplicationGrant));
        assert!(!arrival.conflicts(Operation::GetApplicationGrant));
    }

    #[test]
    fn each_rate_is_its_own_share_of_all_calls() {
        let mut f = FaultInjector::new(FaultConfig {
            throttle_rate: 0.25,
            internal_error_rate: 0.25,
            access_denied_rate: 0.25,
            conflict_rate: 0.25,
            seed: Some(3),
            ..FaultConfig::default()
        });
        let now = Instant::now();
        let n = 40_000;
        let mut counts = [0usize; 5];
        for _ in 0..n {
            let a = f.on_arrival(now);
            let i = match a.fault {
                Some(Fault::Throttled) => 0,
                Some(Fault::InternalError) => 1,
                Some(Fault::AccessDenied) => 2,
                Some(other) => panic!("unexpected {other:?}"),
                None if a.conflicts(Operation::PutApplicationGrant) => 3,
                None => 4,
            };
            counts[i] += 1;
        }
        for (i, count) in counts.iter().take(4).enumerate() {
            let share = *count as f64 / f64::from(n);
            assert!(
                (share - 0.25).abs() < 0.02,
                "band {i}: {share} ({counts:?})"
            );
        }
        assert_eq!(counts[4], 0, "the shares sum to 1, so every call is hit");
    }
}
