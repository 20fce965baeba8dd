//! A write AWS accepted but no read has shown yet, remembered in the
//! resource's private state.
//!
//! Identity Center's reads lag its writes. Rather than read every write back
//! before returning (a third sequential call per create, and per update),
//! a successful Put records when it happened and what the grant was before
//! it; the next refresh confirms it from the application's shared listing,
//! which costs nothing extra. Until the visibility window has passed, a read
//! that still shows the grant as it was before the write (absent, for a
//! create) is taken for AWS catching up, not for a change: state keeps what
//! was written. Any other difference is believed at once, and once a read
//! agrees, or the window has passed, every read is believed again.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::domain::GrantSettings;

/// The private bytes' shape. Unknown keys are ignored, so later versions
/// can add their own.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Private {
    /// Milliseconds since the Unix epoch of the last accepted write that no
    /// read has confirmed yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unconfirmed_write_ms: Option<u64>,
    /// What the grant was before that write: a digest of its settings, or
    /// nothing when it did not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<String>,
}

/// When the last write of a grant was accepted, and what the grant was
/// before it, if no read has shown the write since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UnconfirmedWrite {
    at: SystemTime,
    before: Option<String>,
}

/// A short, stable fingerprint of settings (the private bytes need not hold
/// the settings themselves).
fn digest(settings: &GrantSettings) -> String {
    hex::encode(&Sha256::digest(format!("{settings:?}").as_bytes())[..16])
}

impl UnconfirmedWrite {
    /// A write accepted now, over a grant that was `before` (`None`: it did
    /// not exist).
    pub fn now(before: Option<&GrantSettings>) -> Self {
        Self {
            at: SystemTime::now(),
            before: before.map(digest),
        }
    }

    /// The write recorded in `private`, if any (nothing when the bytes are
    /// empty or written by something else).
    pub(crate) fn from_private(private: &[u8]) -> Option<Self> {
        let recorded: Private = serde_json::from_slice(private).ok()?;
        let ms = recorded.unconfirmed_write_ms?;
        Some(Self {
            at: UNIX_EPOCH.checked_add(Duration::from_millis(ms))?,
            before: recorded.before,
        })
    }

    /// Whether a read that saw `seen` may just be AWS not showing this
    /// write yet: it is less than `window` old, and `seen` is the grant as
    /// it was before the write.
    pub(crate) fn explains(&self, seen: Option<&GrantSettings>, window: Duration) -> bool {
        self.within(window) && seen.map(digest) == self.before
    }

    /// The private bytes that record this write.
    pub(crate) fn to_private(&self) -> Vec<u8> {
        let ms = self
            .at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        serde_json::to_vec(&Private {
            unconfirmed_write_ms: Some(ms),
            before: self.before.clone(),
        })
        .unwrap_or_default()
    }

    /// Whether reads may still miss this write: less than `window` ago (a
    /// clock that went backwards counts as no time passed).
    fn within(&self, window: Duration) -> bool {
        SystemTime::now()
            .duration_since(self.at)
            .map_or(true, |age| age < window)
    }
}

/// Private bytes recording no unconfirmed write.
pub fn confirmed() -> Vec<u8> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_round_trips_through_private_bytes_to_the_millisecond() {
        let written = UnconfirmedWrite::now(Some(&GrantSettings::RefreshToken));
        let read = UnconfirmedWrite::from_private(&written.to_private()).expect("recorded");
        assert_eq!(read.before, written.before);
        let gap = written
            .at
            .duration_since(read.at)
            .unwrap_or_else(|e| e.duration());
        assert!(gap < Duration::from_millis(1), "{gap:?}");
    }

    #[test]
    fn nothing_recorded_reads_as_nothing() {
        assert_eq!(UnconfirmedWrite::from_private(&confirmed()), None);
        assert_eq!(UnconfirmedWrite::from_private(b"{}"), None);
        assert_eq!(UnconfirmedWrite::from_private(b"not json"), None);
        assert!(
            UnconfirmedWrite::from_private(br#"{"unconfirmed_write_ms": 5, "other": 1}"#).is_some()
        );
    }

    const WINDOW: Duration = Duration::from_secs(30);

    #[test]
    fn a_write_is_within_its_window_until_it_passes() {
        let now = UnconfirmedWrite::now(None);
        assert!(now.within(WINDOW));
        let old = UnconfirmedWrite {
            at: SystemTime::now() - Duration::from_secs(60),
            before: None,
        };
        assert!(!old.within(WINDOW));
        let future = UnconfirmedWrite {
            at: SystemTime::now() + Duration::from_secs(60),
            before: None,
        };
        assert!(future.within(WINDOW));
    }

    #[test]
    fn only_the_grant_as_it_was_before_the_write_is_taken_for_lag() {
        let old = GrantSettings::AuthorizationCode {
            redirect_uris: ["https://old/cb".to_string()].into(),
        };
        let other = GrantSettings::AuthorizationCode {
            redirect_uris: ["https://evil/cb".to_string()].into(),
        };
        let created = UnconfirmedWrite::now(None);
        assert!(created.explains(None, WINDOW), "not visible yet");
        assert!(!created.explains(Some(&other), WINDOW), "changed: believed");
        let updated = UnconfirmedWrite::now(Some(&old));
        assert!(
            updated.explains(Some(&old), WINDOW),
            "the old settings still"
        );
        assert!(!updated.explains(Some(&other), WINDOW));
        assert!(!updated.explains(None, WINDOW), "deleted: believed");
        let expired = UnconfirmedWrite {
            at: SystemTime::now() - Duration::from_secs(60),
            before: None,
        };
        assert!(!expired.explains(None, WINDOW));
    }
}
