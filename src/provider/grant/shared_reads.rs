//! Refreshing grants with one ListApplicationGrants per application instead
//! of one GetApplicationGrant per grant.
//!
//! Within one provider process (Terraform starts one per command phase),
//! the first read of a grant lists its application; every other read of a
//! grant of that application waits for that listing (one call in flight
//! per application, every page followed) and answers from it. An
//! application with four grants costs one call instead of four, and large
//! estates hit AWS's rate limits less. Every write this process makes to an
//! application drops what is held for it, before the write is sent and
//! again once it has returned, so a read after a write lists afresh.
//!
//! Listings lag writes (a grant written seconds ago may be missing from
//! them, or show its old settings), so a listing only ever proves presence:
//! it answers a read when it shows the grant as state holds it (or, for an
//! import, when it shows the grant at all). A grant the listing does not
//! show, or shows differently, is read with GetApplicationGrant, and only
//! that Get answering ResourceNotFoundException means gone. When nothing
//! changed, that costs no call beyond the listing.
//!
//! When the listing call fails (for example, ListApplicationGrants is denied
//! while GetApplicationGrant is allowed), reads of that application fall back
//! to one GetApplicationGrant per grant. A listing whose pages cannot be
//! followed to the end (a repeated page token) fails every read waiting on
//! it: it is a fault to report, not a listing to take as whole.
//! `IDENTITYCENTER_SHARED_READS=off` turns sharing off altogether.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::attempts::Attempts;
use super::domain::{GrantKey, GrantSettings, GrantType};
use super::error::GrantError;

/// Environment variable that turns sharing off (`off`, `0` or `false`).
pub const SHARED_READS_ENV: &str = "IDENTITYCENTER_SHARED_READS";

/// An application's grants as one listing saw them: `None` for a grant of
/// a kind this provider does not know how to read.
pub(crate) type Listing = BTreeMap<GrantType, Option<GrantSettings>>;

/// What became of one application's listing.
#[derive(Debug)]
enum Held {
    /// Every page was read.
    Listing(Arc<Listing>),
    /// The call failed: read grant by grant.
    Unavailable,
    /// Its pages could not be followed to the end: every read fails.
    Broken(GrantError),
}

/// One application's listing: in flight or done, and the record of its
/// calls, which every read waiting on it reports as its own.
#[derive(Debug, Default)]
struct Shared {
    listing: OnceCell<Held>,
    attempts: Attempts,
}

type Slot = Arc<Shared>;

/// The listings this process holds, by application ARN.
#[derive(Debug)]
pub(crate) struct SharedReads {
    enabled: bool,
    applications: Mutex<HashMap<String, Slot>>,
}

impl Default for SharedReads {
    fn default() -> Self {
        Self::new(true)
    }
}

impl SharedReads {
    /// Sharing on or off.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            applications: Mutex::new(HashMap::new()),
        }
    }

    /// As `IDENTITYCENTER_SHARED_READS` says (on unless `off`, `0` or `false`).
    pub fn from_env() -> Self {
        let off = std::env::var(SHARED_READS_ENV).is_ok_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "off" | "0" | "false"
            )
        });
        Self::new(!off)
    }

    fn slot(&self, application_arn: &str) -> Slot {
        let mut held = self
            .applications
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        held.entry(application_arn.to_string()).or_default().clone()
    }

    /// Drops what is held for `application_arn`: its grants are about to
    /// change, or just have.
    pub fn forget(&self, application_arn: &str) {
        self.applications
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(application_arn);
    }

    /// The grant `key` as AWS has it (`None`: it does not exist). `held` is
    /// what state holds for it (`None` when state has no settings yet, as
    /// after an import). The listing of its application, which `list` makes
    /// (recording its calls in the attempts it is given) when nobody has
    /// yet, answers when it shows the grant as held (or at all, when nothing
    /// is held); otherwise, with sharing off, or when listing failed, `get`
    /// answers. `reader` follows the listing's record, so a read cut short
    /// while waiting on another's listing reports what that listing saw.
    pub async fn read<L, LF, G, GF>(
        &self,
        key: &GrantKey,
        held: Option<&GrantSettings>,
        reader: &Attempts,
        list: L,
        get: G,
    ) -> Result<Option<GrantSettings>, GrantError>
    where
        L: FnOnce(Attempts) -> LF,
        LF: Future<Output = Result<Listing, GrantError>>,
        G: FnOnce() -> GF,
        GF: Future<Output = Result<Option<GrantSettings>, GrantError>>,
    {
        if !self.enabled {
            return get().await;
        }
        let slot = self.slot(&key.application_arn);
        reader.follow(&slot.attempts);
        let held_listing = slot
            .listing
            .get_or_init(|| async {
                match list(slot.attempts.clone()).await {
                    Ok(listing) => Held::Listing(Arc::new(listing)),
                    Err(e @ GrantError::BrokenListing { .. }) => Held::Broken(e),
                    Err(e) => {
                        tracing::warn!(
                            application_arn = %key.application_arn,
                            error = %e,
                            "listing the application's grants failed; reading them one by one"
                        );
                        Held::Unavailable
                    }
                }
            })
            .await;
        match held_listing {
            Held::Listing(listing) => match listing.get(&key.grant_type) {
                // Presence, as state has it (or as an import finds it).
                Some(Some(seen)) if held.is_none_or(|h| h == seen) => Ok(Some(seen.clone())),
                // Missing, changed or unreadable: the listing may be behind.
                _ => get().await,
            },
            Held::Unavailable => get().await,
            Held::Broken(e) => Err(e.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::super::pages::BrokenPaging;
    use super::*;

    const APP: &str =
        "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";

    fn key(grant_type: GrantType) -> GrantKey {
        GrantKey {
            application_arn: APP.to_string(),
            grant_type,
        }
    }

    fn failed(reason: &str) -> GrantError {
        GrantError::Aws {
            operation: "ListApplicationGrants",
            subject: "grants".into(),
            reason: reason.into(),
        }
    }

    fn broken() -> GrantError {
        GrantError::BrokenListing {
            operation: "ListApplicationGrants",
            subject: "grants".into(),
            problem: BrokenPaging::RepeatedToken {
                page: 2,
                first_sent_by: 2,
                token: "T".into(),
            },
        }
    }

    /// Calls made through the closures a read is given; single reads answer
    /// `get_answer`.
    struct Calls {
        lists: AtomicUsize,
        gets: AtomicUsize,
        get_answer: Option<GrantSettings>,
    }

    impl Calls {
        fn answering(get_answer: Option<GrantSettings>) -> Self {
            Self {
                lists: AtomicUsize::new(0),
                gets: AtomicUsize::new(0),
                get_answer,
            }
        }

        async fn read(
            &self,
            reads: &SharedReads,
            grant_type: GrantType,
            held: Option<&GrantSettings>,
            list_answer: Result<Listing, GrantError>,
        ) -> Result<Option<GrantSettings>, String> {
            reads
                .read(
                    &key(grant_type),
                    held,
                    &Attempts::default(),
                    |_| async {
                        self.lists.fetch_add(1, Ordering::SeqCst);
                        // Give the other reads time to arrive while in flight.
                        tokio::task::yield_now().await;
                        list_answer
                    },
                    || async {
                        self.gets.fetch_add(1, Ordering::SeqCst);
                        Ok(self.get_answer.clone())
                    },
                )
                .await
                .map_err(|e| e.to_string())
        }

        fn counts(&self) -> (usize, usize) {
            (
                self.lists.load(Ordering::SeqCst),
                self.gets.load(Ordering::SeqCst),
            )
        }
    }

    fn listing() -> Listing {
        Listing::from([
            (GrantType::RefreshToken, Some(GrantSettings::RefreshToken)),
            (GrantType::JwtBearer, None),
        ])
    }

    const REFRESH: Option<&GrantSettings> = Some(&GrantSettings::RefreshToken);

    #[tokio::test]
    async fn reads_of_grants_the_listing_shows_as_held_share_one_listing() {
        let reads = SharedReads::new(true);
        let calls = Calls::answering(None);
        let (a, b) = tokio::join!(
            calls.read(&reads, GrantType::RefreshToken, REFRESH, Ok(listing())),
            calls.read(&reads, GrantType::RefreshToken, None, Ok(listing())),
        );
        assert_eq!(a, Ok(Some(GrantSettings::RefreshToken)));
        assert_eq!(b, a, "nothing held (an import): presence is enough");
        assert_eq!(calls.counts(), (1, 0), "one listing, no single reads");
        // Later reads in the same process answer from it too.
        calls
            .read(&reads, GrantType::RefreshToken, REFRESH, Ok(listing()))
            .await
            .expect("read");
        assert_eq!(calls.counts(), (1, 0));
    }

    #[tokio::test]
    async fn a_grant_missing_from_the_listing_is_gone_only_if_get_says_so() {
        let reads = SharedReads::new(true);
        // The listing lags: Get still finds the grant.
        let lagging = Calls::answering(Some(GrantSettings::TokenExchange));
        let seen = lagging
            .read(
                &reads,
                GrantType::TokenExchange,
                Some(&GrantSettings::TokenExchange),
                Ok(listing()),
            )
            .await;
        assert_eq!(seen, Ok(Some(GrantSettings::TokenExchange)));
        assert_eq!(lagging.counts(), (1, 1));
        // Get answers "not found": now it is gone.
        let reads = SharedReads::new(true);
        let deleted = Calls::answering(None);
        let seen = deleted
            .read(
                &reads,
                GrantType::TokenExchange,
                Some(&GrantSettings::TokenExchange),
                Ok(listing()),
            )
            .await;
        assert_eq!(seen, Ok(None));
        assert_eq!(deleted.counts(), (1, 1));
    }

    #[tokio::test]
    async fn settings_that_differ_from_state_or_cannot_be_read_are_asked_of_get() {
        let reads = SharedReads::new(true);
        let calls = Calls::answering(Some(GrantSettings::TokenExchange));
        let other = GrantSettings::AuthorizationCode {
            redirect_uris: ["https://a/cb".to_string()].into(),
        };
        let changed = calls
            .read(&reads, GrantType::RefreshToken, Some(&other), Ok(listing()))
            .await;
        assert_eq!(
            changed,
            Ok(Some(GrantSettings::TokenExchange)),
            "Get decides"
        );
        let unreadable = calls
            .read(&reads, GrantType::JwtBearer, None, Ok(listing()))
            .await;
        assert_eq!(unreadable, Ok(Some(GrantSettings::TokenExchange)));
        assert_eq!(calls.counts(), (1, 2));
    }

    #[tokio::test]
    async fn a_write_makes_the_next_read_list_again() {
        let reads = SharedReads::new(true);
        let calls = Calls::answering(None);
        calls
            .read(&reads, GrantType::RefreshToken, REFRESH, Ok(listing()))
            .await
            .expect("read");
        reads.forget(APP);
        calls
            .read(&reads, GrantType::RefreshToken, REFRESH, Ok(listing()))
            .await
            .expect("read");
        assert_eq!(calls.counts(), (2, 0));
    }

    #[tokio::test]
    async fn a_failed_listing_falls_back_to_single_reads_without_listing_again() {
        let reads = SharedReads::new(true);
        let calls = Calls::answering(Some(GrantSettings::TokenExchange));
        let (a, b) = tokio::join!(
            calls.read(
                &reads,
                GrantType::RefreshToken,
                REFRESH,
                Err(failed("denied"))
            ),
            calls.read(
                &reads,
                GrantType::TokenExchange,
                None,
                Err(failed("denied"))
            ),
        );
        assert_eq!(
            a,
            Ok(Some(GrantSettings::TokenExchange)),
            "from the single read"
        );
        assert_eq!(b, a);
        assert_eq!(calls.counts(), (1, 2));
    }

    #[tokio::test]
    async fn a_listing_that_cannot_be_completed_fails_every_read_waiting_on_it() {
        let reads = SharedReads::new(true);
        let calls = Calls::answering(None);
        let (a, b) = tokio::join!(
            calls.read(&reads, GrantType::RefreshToken, REFRESH, Err(broken())),
            calls.read(&reads, GrantType::TokenExchange, None, Err(broken())),
        );
        let expected = Err(broken().to_string());
        assert_eq!(a, expected);
        assert_eq!(b, expected);
        assert_eq!(calls.counts(), (1, 0), "no read concludes anything");
    }

    #[tokio::test]
    async fn sharing_off_reads_each_grant() {
        let reads = SharedReads::new(false);
        let calls = Calls::answering(None);
        for _ in 0..3 {
            calls
                .read(&reads, GrantType::RefreshToken, REFRESH, Ok(listing()))
                .await
                .expect("read");
        }
        assert_eq!(calls.counts(), (0, 3));
    }
}
