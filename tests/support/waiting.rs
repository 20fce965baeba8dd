//! Waiting for something to happen, rather than for a fixed time: poll the
//! condition until it holds, with a deadline far beyond what it should take
//! on a busy machine (reaching it fails the test, naming what never came).

use std::time::{Duration, Instant};

/// How long anything a test waits for may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(20);

/// Blocks until `condition` holds.
pub fn until(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < DEADLINE, "never happened: {what}");
        std::thread::sleep(POLL);
    }
}

/// Waits (without blocking the async runtime) until `condition` holds.
pub async fn until_async(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < DEADLINE, "never happened: {what}");
        tokio::time::sleep(POLL).await;
    }
}
