//! Injected failures: throttling, server errors, access denials, conflicts, latency and a
//! token-bucket rate limit, all drawn from one seedable RNG so a run can be replayed.

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::config::FaultConfig;
use super::error::ApiError;
use super::operation::Operation;

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
            Fault::Latency => None,
        }
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
}

impl FaultInjector {
    /// An injector for `config`; the RNG seed is `config.seed` or a random one.
    pub fn new(config: FaultConfig) -> Self {
        let seed = config.seed.unwrap_or_else(|| rand::thread_rng().gen());
        let bucket = config
            .rate_limit_tps
            .map(|tps| TokenBucket::new(tps, Instant::now()));
        Self {
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
        self.bucket = self
            .config
            .rate_limit_tps
            .map(|tps| TokenBucket::new(tps, Instant::now()));
    }

    fn roll(&mut self, rate: f64) -> bool {
        rate > 0.0 && self.rng.gen_bool(rate.clamp(0.0, 1.0))
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

    /// The fault (if any) that hits a call before its input is even looked at.
    pub fn on_arrival(&mut self, now: Instant) -> Option<Fault> {
        if let Some(bucket) = &mut self.bucket {
            if !bucket.try_take(now) {
                return Some(Fault::RateLimited);
            }
        }
        if self.roll(self.config.throttle_rate) {
            return Some(Fault::Throttled);
        }
        if self.roll(self.config.internal_error_rate) {
            return Some(Fault::InternalError);
        }
        if self.roll(self.config.access_denied_rate) {
            return Some(Fault::AccessDenied);
        }
        None
    }

    /// Whether a valid write of `op` is answered with a conflict.
    pub fn conflicts(&mut self, op: Operation) -> bool {
        op.models_conflict() && self.roll(self.config.conflict_rate)
    }

    /// How long a grant write stays invisible to readers.
    pub fn invisible_for(&self) -> Duration {
        self.config.invisible_for
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
        let run_a: Vec<_> = (0..50).map(|_| a.on_arrival(now)).collect();
        let run_b: Vec<_> = (0..50).map(|_| b.on_arrival(now)).collect();
        assert_eq!(run_a, run_b);
        assert!(run_a.contains(&Some(Fault::Throttled)));
        assert!(run_a.contains(&None));
        a.reset();
        let replay: Vec<_> = (0..50).map(|_| a.on_arrival(now)).collect();
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
        assert!(f.conflicts(Operation::PutApplicationGrant));
        assert!(!f.conflicts(Operation::GetApplicationGrant));
    }
}
