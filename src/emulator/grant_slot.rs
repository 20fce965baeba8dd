//! One (application, grant type) slot with read-after-write invisibility.
//!
//! Every write appends a version that becomes visible to readers only after a delay. Readers
//! see the newest version already visible; writers and the inspection endpoint see the newest
//! version of all. With no delay, the slot holds exactly one version.

use std::time::{Duration, Instant};

use serde_json::Value;

#[derive(Debug, Clone)]
struct Version {
    visible_from: Instant,
    grant: Option<Value>,
}

/// The versions of one grant slot, oldest first.
#[derive(Debug, Clone, Default)]
pub struct GrantSlot {
    versions: Vec<Version>,
}

impl GrantSlot {
    /// The grant as last written (`None` when deleted or never written).
    pub fn current(&self) -> Option<&Value> {
        self.versions.last().and_then(|v| v.grant.as_ref())
    }

    /// The grant a reader sees at `now`.
    pub fn visible(&self, now: Instant) -> Option<&Value> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.visible_from <= now)
            .and_then(|v| v.grant.as_ref())
    }

    /// True when a reader at `now` sees something other than the last write.
    pub fn is_stale(&self, now: Instant) -> bool {
        self.visible(now) != self.current()
    }

    /// True when a reader at `now` still sees a grant whose delete is not
    /// visible yet (a stale read of the kind that makes a deleted grant look
    /// as if it still existed).
    pub fn shows_deleted(&self, now: Instant) -> bool {
        self.current().is_none() && self.visible(now).is_some()
    }

    /// Record a write (`None` deletes) that readers see `delay` after `now`.
    pub fn write(&mut self, grant: Option<Value>, now: Instant, delay: Duration) {
        self.versions.push(Version {
            visible_from: now + delay,
            grant,
        });
        self.forget_hidden(now);
    }

    /// Drop versions that no reader can see any more.
    fn forget_hidden(&mut self, now: Instant) {
        if let Some(newest_visible) = self.versions.iter().rposition(|v| v.visible_from <= now) {
            self.versions.drain(..newest_visible);
        }
    }

    /// True when the slot holds nothing now and nothing pending, so it can be dropped.
    pub fn is_vacant(&self, now: Instant) -> bool {
        // Versions are ordered by visibility, so a visible last version means all are visible.
        self.versions
            .last()
            .is_none_or(|v| v.grant.is_none() && v.visible_from <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_write_is_hidden_until_its_delay_passes() {
        let t0 = Instant::now();
        let delay = Duration::from_millis(100);
        let mut slot = GrantSlot::default();
        slot.write(Some(json!(1)), t0, delay);
        assert_eq!(slot.visible(t0), None);
        assert!(slot.is_stale(t0) && !slot.is_stale(t0 + delay));
        assert_eq!(slot.current(), Some(&json!(1)));
        slot.write(Some(json!(2)), t0 + delay, delay);
        assert_eq!(slot.visible(t0 + delay), Some(&json!(1)));
        assert_eq!(slot.visible(t0 + delay * 2), Some(&json!(2)));
        assert!(!slot.shows_deleted(t0 + delay));
        slot.write(None, t0 + delay * 2, delay);
        assert_eq!(slot.visible(t0 + delay * 2), Some(&json!(2)));
        assert!(slot.shows_deleted(t0 + delay * 2));
        assert_eq!(slot.visible(t0 + delay * 3), None);
        assert!(!slot.shows_deleted(t0 + delay * 3));
        assert!(slot.is_vacant(t0 + delay * 3));
    }

    #[test]
    fn without_delay_one_version_is_kept() {
        let t0 = Instant::now();
        let mut slot = GrantSlot::default();
        for i in 0..5 {
            slot.write(Some(json!(i)), t0, Duration::ZERO);
        }
        assert_eq!(slot.versions.len(), 1);
        assert_eq!(slot.visible(t0), Some(&json!(4)));
    }
}
