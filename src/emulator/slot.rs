//! One slot of an application (the grant of one grant type, or the authentication method of
//! one authentication method type) with read-after-write invisibility.
//!
//! Every write appends a version that becomes visible to readers only after a delay, and after
//! a number of reads have still been answered without it. Readers see the newest version
//! already visible at the moment they read at (a lagging List reads at an earlier moment than
//! Get); writers and the inspection endpoint see the newest version of all. With no delay, no
//! read count and no lag, the slot holds exactly one version.
//!
//! The delay is how AWS behaves; the read count is a test device that does not depend on how
//! fast the machine is: "the next two reads still see the grant that was just deleted".
//!
//! Grants and authentication methods share this one mechanism, so every consistency device
//! (`--invisible-ms`, `--stale-reads`, `--list-lag-ms`) behaves the same for both.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::authentication_method::AuthenticationMethodType;
use super::grant::GrantType;

/// Which of an application's slots: the grant of one grant type, or the authentication method
/// of one authentication method type. The derived order (grants first, each family in its
/// types' list order) is the order the List operations answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SlotKey {
    /// The grant of this type (PutApplicationGrant and friends).
    Grant(GrantType),
    /// The authentication method of this type (PutApplicationAuthenticationMethod and friends).
    AuthenticationMethod(AuthenticationMethodType),
}

impl SlotKey {
    /// The family the slot belongs to.
    pub fn family(self) -> SlotFamily {
        match self {
            SlotKey::Grant(_) => SlotFamily::Grants,
            SlotKey::AuthenticationMethod(_) => SlotFamily::AuthenticationMethods,
        }
    }

    /// The wire string of the slot's type (`refresh_token`, `IAM`, …).
    pub fn type_name(self) -> &'static str {
        match self {
            SlotKey::Grant(t) => t.as_str(),
            SlotKey::AuthenticationMethod(t) => t.as_str(),
        }
    }
}

/// The slots one List operation reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotFamily {
    /// Every grant of the application (ListApplicationGrants).
    Grants,
    /// Every authentication method of the application (ListApplicationAuthenticationMethods).
    AuthenticationMethods,
}

/// What a read saw of writes not yet visible to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Staleness {
    /// It saw something other than the last writes.
    pub stale: bool,
    /// It still saw a value that has been deleted.
    pub shows_deleted: bool,
}

/// The slots a read looks at: one (a Get), or a whole family (a List).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotsRead {
    /// One slot.
    One(SlotKey),
    /// Every slot of a family.
    Family(SlotFamily),
}

impl SlotsRead {
    /// Whether the read looks at `key`.
    pub fn covers(self, key: SlotKey) -> bool {
        match self {
            SlotsRead::One(one) => one == key,
            SlotsRead::Family(family) => key.family() == family,
        }
    }
}

#[derive(Debug, Clone)]
struct Version {
    visible_from: Instant,
    /// Reads still to be answered without this version.
    hidden_reads: u32,
    value: Option<Value>,
    /// The operation that wrote it (the SDK's invocation id), if known.
    writer: Option<String>,
}

impl Version {
    fn shown_at(&self, at: Instant) -> bool {
        self.visible_from <= at && self.hidden_reads == 0
    }
}

/// How long a write stays hidden from readers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hiding {
    /// For this long after the write.
    pub delay: Duration,
    /// And from this many reads (once the delay has passed).
    pub reads: u32,
}

/// The versions of one slot, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Slot {
    versions: Vec<Version>,
}

impl Slot {
    /// The value as last written (`None` when deleted or never written).
    pub fn current(&self) -> Option<&Value> {
        self.versions.last().and_then(|v| v.value.as_ref())
    }

    /// Whether a write by the operation `writer` would replace a value that
    /// exists and that another operation (or the seed) wrote.
    pub fn would_overwrite(&self, writer: Option<&str>) -> bool {
        self.versions.last().is_some_and(|v| {
            v.value.is_some() && (writer.is_none() || v.writer.as_deref() != writer)
        })
    }

    /// The value a reader sees at `now`.
    pub fn visible(&self, now: Instant) -> Option<&Value> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.shown_at(now))
            .and_then(|v| v.value.as_ref())
    }

    /// Counts a read made at `at`: each version it did not show only because of its read
    /// count comes one read closer to being shown.
    pub fn count_read(&mut self, at: Instant) {
        for v in &mut self.versions {
            if v.visible_from <= at && v.hidden_reads > 0 {
                v.hidden_reads -= 1;
            }
        }
    }

    /// True when a reader at `now` sees something other than the last write.
    pub fn is_stale(&self, now: Instant) -> bool {
        self.visible(now) != self.current()
    }

    /// True when a reader at `now` still sees a value whose delete is not
    /// visible yet (a stale read of the kind that makes a deleted grant look
    /// as if it still existed).
    pub fn shows_deleted(&self, now: Instant) -> bool {
        self.current().is_none() && self.visible(now).is_some()
    }

    /// Record a write (`None` deletes) that readers see `delay` after `now`. `horizon` is the
    /// earliest moment any reader still reads at (`now`, or earlier when listings lag):
    /// versions hidden behind what is visible there are dropped.
    pub fn write(&mut self, value: Option<Value>, now: Instant, hiding: Hiding, horizon: Instant) {
        self.write_by(value, None, now, hiding, horizon);
    }

    /// [`Slot::write`], remembering which operation wrote it.
    pub fn write_by(
        &mut self,
        value: Option<Value>,
        writer: Option<&str>,
        now: Instant,
        hiding: Hiding,
        horizon: Instant,
    ) {
        self.versions.push(Version {
            visible_from: now + hiding.delay,
            hidden_reads: hiding.reads,
            value,
            writer: writer.map(str::to_string),
        });
        self.forget_hidden(horizon);
    }

    /// Drop versions that no reader reading at `horizon` or later can see any more.
    fn forget_hidden(&mut self, horizon: Instant) {
        if let Some(newest_visible) = self.versions.iter().rposition(|v| v.shown_at(horizon)) {
            self.versions.drain(..newest_visible);
        }
    }

    /// True when the slot holds nothing at `horizon` (the earliest moment any reader reads at)
    /// and nothing pending, so it can be dropped.
    pub fn is_vacant(&self, horizon: Instant) -> bool {
        // Versions are ordered by visibility, so a visible last version means all are visible.
        self.versions
            .last()
            .is_none_or(|v| v.value.is_none() && v.shown_at(horizon))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn after(delay: Duration) -> Hiding {
        Hiding { delay, reads: 0 }
    }

    #[test]
    fn a_write_is_hidden_until_its_delay_passes() {
        let t0 = Instant::now();
        let delay = Duration::from_millis(100);
        let mut slot = Slot::default();
        slot.write(Some(json!(1)), t0, after(delay), t0);
        assert_eq!(slot.visible(t0), None);
        assert!(slot.is_stale(t0) && !slot.is_stale(t0 + delay));
        assert_eq!(slot.current(), Some(&json!(1)));
        slot.write(Some(json!(2)), t0 + delay, after(delay), t0 + delay);
        assert_eq!(slot.visible(t0 + delay), Some(&json!(1)));
        assert_eq!(slot.visible(t0 + delay * 2), Some(&json!(2)));
        assert!(!slot.shows_deleted(t0 + delay));
        slot.write(None, t0 + delay * 2, after(delay), t0 + delay * 2);
        assert_eq!(slot.visible(t0 + delay * 2), Some(&json!(2)));
        assert!(slot.shows_deleted(t0 + delay * 2));
        assert_eq!(slot.visible(t0 + delay * 3), None);
        assert!(!slot.shows_deleted(t0 + delay * 3));
        assert!(slot.is_vacant(t0 + delay * 3));
    }

    #[test]
    fn without_delay_one_version_is_kept() {
        let t0 = Instant::now();
        let mut slot = Slot::default();
        for i in 0..5 {
            slot.write(Some(json!(i)), t0, Hiding::default(), t0);
        }
        assert_eq!(slot.versions.len(), 1);
        assert_eq!(slot.visible(t0), Some(&json!(4)));
    }

    #[test]
    fn a_lagging_reader_keeps_the_versions_it_still_sees() {
        let t0 = Instant::now();
        let lag = Duration::from_secs(10);
        let later = t0 + lag;
        let mut slot = Slot::default();
        slot.write(Some(json!(1)), t0, Hiding::default(), t0);
        // Written at `later`; a reader lagging 10 s reads at t0.
        slot.write(Some(json!(2)), later, Hiding::default(), t0);
        slot.write(None, later, Hiding::default(), t0);
        assert_eq!(slot.visible(later), None, "Get sees the delete at once");
        assert_eq!(
            slot.visible(t0),
            Some(&json!(1)),
            "the lagging reader does not"
        );
        assert!(!slot.is_vacant(t0));
        assert!(slot.is_vacant(later));
    }

    #[test]
    fn a_write_hidden_for_two_reads_shows_on_the_third() {
        let t0 = Instant::now();
        let mut slot = Slot::default();
        slot.write(Some(json!(1)), t0, Hiding::default(), t0);
        let hiding = Hiding {
            delay: Duration::ZERO,
            reads: 2,
        };
        slot.write(None, t0, hiding, t0);
        for _ in 0..2 {
            assert_eq!(
                slot.visible(t0),
                Some(&json!(1)),
                "still shows the deleted grant"
            );
            assert!(slot.shows_deleted(t0));
            slot.count_read(t0);
        }
        assert_eq!(slot.visible(t0), None);
        assert!(slot.is_vacant(t0));
    }
}
