//! StopProvider: Terraform's request (on Ctrl-C) to abandon work in flight.
//! It is advisory: the provider keeps serving, and calls that start after
//! the stop run normally.

use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

/// Fires when Terraform asks the provider to stop. Reads, deletes and
/// imports are simply abandoned by the framework; writes receive the signal
/// themselves, because a write interrupted after reaching AWS must report
/// what it may have changed.
#[derive(Clone, Debug, Default)]
pub struct StopSignal(CancellationToken);

impl StopSignal {
    /// Resolves once Terraform has asked to stop.
    pub async fn stopped(&self) {
        self.0.cancelled().await
    }
}

/// Hands out stop signals and fires them all on StopProvider.
#[derive(Debug, Default)]
pub(crate) struct StopSource(Mutex<CancellationToken>);

impl StopSource {
    /// The signal for a call starting now.
    pub(crate) fn signal(&self) -> StopSignal {
        let token = match self.0.lock() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        StopSignal(token)
    }

    /// Fires every signal handed out so far; later calls get a fresh one.
    pub(crate) fn stop_all(&self) {
        let mut current = match self.0.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        current.cancel();
        *current = CancellationToken::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_fires_earlier_signals_only() {
        let source = StopSource::default();
        let before = source.signal();
        source.stop_all();
        let after = source.signal();
        assert!(before.0.is_cancelled());
        assert!(!after.0.is_cancelled());
    }
}
