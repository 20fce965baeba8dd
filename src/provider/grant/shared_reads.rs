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
//! When the listing fails (for example, ListApplicationGrants is denied
//! while GetApplicationGrant is allowed), reads of that application fall back
//! to one GetApplicationGrant per grant. `IDENTITYCENTER_SHARED_READS=off`
//! turns sharing off altogether.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::attempts::Attempts;
use super::domain::{GrantKey, GrantSettings, GrantType};

/// Environment variable that turns sharing off (`off`, `0` or `false`).
pub const SHARED_READS_ENV: &str = "IDENTITYCENTER_SHARED_READS";

/// An application's grants as one listing saw them: `None` for a grant of
/// a kind this provider does not know how to read.
pub type Listing = BTreeMap<GrantType, Option<GrantSettings>>;

/// One application's listing: in flight, done, or failed (then `None`:
/// read grant by grant), and the record of its calls, which every read
/// waiting on it reports as its own.
#[derive(Debug, Default)]
struct Shared {
    listing: OnceCell<Option<Arc<Listing>>>,
    attempts: Attempts,
}

type Slot = Arc<Shared>;

/// The listings this process holds, by application ARN.
#[derive(Debug)]
pub struct SharedReads {
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

    /// The grant `key` as AWS has it (`None`: it does not exist), from the
    /// listing of its application, which `list` makes (recording its calls
    /// in the attempts it is given) when nobody has yet; with sharing off,
    /// or when listing failed, from `get` alone. `reader` follows the
    /// listing's record, so a read cut short while waiting on another's
    /// listing reports what that listing saw. `unrecognised` is the error
    /// for a grant of a kind this provider cannot read.
    pub async fn read<E, L, LF, G, GF>(
        &self,
        key: &GrantKey,
        reader: &Attempts,
        list: L,
        get: G,
        unrecognised: impl FnOnce() -> E,
    ) -> Result<Option<GrantSettings>, E>
    where
        E: std::fmt::Display,
        L: FnOnce(Attempts) -> LF,
        LF: Future<Output = Result<Listing, E>>,
        G: FnOnce() -> GF,
        GF: Future<Output = Result<Option<GrantSettings>, E>>,
    {
        if !self.enabled {
            return get().await;
        }
        let slot = self.slot(&key.application_arn);
        reader.follow(&slot.attempts);
        let listing = slot
            .listing
            .get_or_init(|| async {
                match list(slot.attempts.clone()).await {
                    Ok(listing) => Some(Arc::new(listing)),
                    Err(e) => {
                        tracing::warn!(
                            application_arn = %key.application_arn,
                            error = %e,
                            "listing the application's grants failed; reading them one by one"
                        );
                        None
                    }
                }
            })
            .await;
        match listing {
            Some(listing) => match listing.get(&key.grant_type) {
                None => Ok(None),
                Some(Some(settings)) => Ok(Some(settings.clone())),
                Some(None) => Err(unrecognised()),
            },
            None => get().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    const APP: &str =
        "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";

    fn key(grant_type: GrantType) -> GrantKey {
        GrantKey {
            application_arn: APP.to_string(),
            grant_type,
        }
    }

    /// Calls made through the closures a read is given.
    #[derive(Default)]
    struct Calls {
        lists: AtomicUsize,
        gets: AtomicUsize,
    }

    impl Calls {
        async fn read(
            &self,
            reads: &SharedReads,
            grant_type: GrantType,
            list_answer: Result<Listing, String>,
        ) -> Result<Option<GrantSettings>, String> {
            reads
                .read(
                    &key(grant_type),
                    &Attempts::default(),
                    |_| async {
                        self.lists.fetch_add(1, Ordering::SeqCst);
                        // Give the other reads time to arrive while in flight.
                        tokio::task::yield_now().await;
                        list_answer
                    },
                    || async {
                        self.gets.fetch_add(1, Ordering::SeqCst);
                        Ok(Some(GrantSettings::TokenExchange))
                    },
                    || "unrecognised".to_string(),
                )
                .await
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

    #[tokio::test]
    async fn reads_of_one_application_share_one_listing() {
        let reads = SharedReads::new(true);
        let calls = Calls::default();
        let (a, b, c, d) = tokio::join!(
            calls.read(&reads, GrantType::RefreshToken, Ok(listing())),
            calls.read(&reads, GrantType::AuthorizationCode, Ok(listing())),
            calls.read(&reads, GrantType::JwtBearer, Ok(listing())),
            calls.read(&reads, GrantType::RefreshToken, Ok(listing())),
        );
        assert_eq!(a, Ok(Some(GrantSettings::RefreshToken)));
        assert_eq!(b, Ok(None), "absent from the listing: gone");
        assert_eq!(c, Err("unrecognised".to_string()));
        assert_eq!(d, a);
        assert_eq!(calls.counts(), (1, 0), "one listing, no single reads");
        // Later reads in the same process answer from it too.
        calls
            .read(&reads, GrantType::TokenExchange, Ok(listing()))
            .await
            .expect("read");
        assert_eq!(calls.counts(), (1, 0));
    }

    #[tokio::test]
    async fn a_write_makes_the_next_read_list_again() {
        let reads = SharedReads::new(true);
        let calls = Calls::default();
        calls
            .read(&reads, GrantType::RefreshToken, Ok(listing()))
            .await
            .expect("read");
        reads.forget(APP);
        calls
            .read(&reads, GrantType::RefreshToken, Ok(Listing::new()))
            .await
            .map(|seen| assert_eq!(seen, None, "the new listing answers"))
            .expect("read");
        assert_eq!(calls.counts(), (2, 0));
    }

    #[tokio::test]
    async fn a_failed_listing_falls_back_to_single_reads_without_listing_again() {
        let reads = SharedReads::new(true);
        let calls = Calls::default();
        let (a, b) = tokio::join!(
            calls.read(&reads, GrantType::RefreshToken, Err("denied".into())),
            calls.read(&reads, GrantType::TokenExchange, Err("denied".into())),
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
    async fn sharing_off_reads_each_grant() {
        let reads = SharedReads::new(false);
        let calls = Calls::default();
        for _ in 0..3 {
            calls
                .read(&reads, GrantType::RefreshToken, Ok(listing()))
                .await
                .expect("read");
        }
        assert_eq!(calls.counts(), (0, 3));
    }
}
