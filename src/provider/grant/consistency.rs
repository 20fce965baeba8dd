//! What reads mean when AWS is eventually consistent: a refresh takes a
//! grant from a shared listing only when the listing shows it as state holds
//! it, and otherwise asks GetApplicationGrant; a listing of every grant asks
//! Get about each type it does not show; and a create that finds the grant
//! re-reads it for the visibility window before calling it someone else's.
//! Only a Get proves a grant absent.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::attempts::Attempts;
use super::calls::{get_grant, list_grant_map};
use super::domain::{GrantKey, GrantSettings, GrantType};
use super::error::GrantError;
use super::shared_reads::{Listing, SharedReads};
use crate::framework::StopSignal;
use crate::provider::shared_client::AwsClient;

/// The grant `key` as a refresh reads it: from the listing of its
/// application that this process shares between reads when that listing
/// shows it as `held` (state's settings; `None` after an import), else with
/// GetApplicationGrant (see [`super::shared_reads`]); `Ok(None)` only when
/// GetApplicationGrant says it does not exist.
pub(crate) async fn read_grant(
    client: &AwsClient,
    listings: &SharedReads,
    key: &GrantKey,
    held: Option<&GrantSettings>,
    attempts: &Attempts,
) -> Result<Option<GrantSettings>, GrantError> {
    listings
        .read(
            key,
            held,
            attempts,
            |listing| async move { list_grant_map(client, &key.application_arn, &listing).await },
            || get_grant(client, key, attempts),
        )
        .await
}

/// Every grant of an application, in the order of [`GrantType::ALL`]: the
/// listing (every page followed), with each grant type it does not show
/// asked of GetApplicationGrant, since listings lag writes and only a Get
/// proves a grant absent. Grants of a type this provider does not know are
/// left out; a grant of a known type whose settings it cannot read is an
/// error (leaving it out would report it absent).
pub(crate) async fn list_grants(
    client: &AwsClient,
    application_arn: &str,
) -> Result<Vec<GrantSettings>, GrantError> {
    let attempts = Attempts::default();
    let mut listing = list_grant_map(client, application_arn, &attempts).await?;
    if let Some((&grant_type, _)) = listing.iter().find(|(_, settings)| settings.is_none()) {
        return Err(GrantError::Unrecognised {
            key: GrantKey {
                application_arn: application_arn.to_string(),
                grant_type,
            },
        });
    }
    add_unlisted(client, application_arn, &mut listing, &attempts).await?;
    Ok(listing.into_values().flatten().collect())
}

/// The types of the grants an application has, proven as [`list_grants`]
/// proves them (the settings of each are not needed, so a grant whose
/// settings this provider cannot read still counts).
pub(crate) async fn grant_types_of(
    client: &AwsClient,
    application_arn: &str,
    attempts: &Attempts,
) -> Result<BTreeSet<GrantType>, GrantError> {
    let mut listing = list_grant_map(client, application_arn, attempts).await?;
    add_unlisted(client, application_arn, &mut listing, attempts).await?;
    Ok(listing.into_keys().collect())
}

/// Asks GetApplicationGrant about every type the application's `listing`
/// does not show, and adds each the Get finds.
async fn add_unlisted(
    client: &AwsClient,
    application_arn: &str,
    listing: &mut Listing,
    attempts: &Attempts,
) -> Result<(), GrantError> {
    let unlisted: Vec<GrantKey> = GrantType::ALL
        .into_iter()
        .filter(|t| !listing.contains_key(t))
        .map(|grant_type| GrantKey {
            application_arn: application_arn.to_string(),
            grant_type,
        })
        .collect();
    let found =
        futures_util::future::try_join_all(unlisted.iter().map(|k| get_grant(client, k, attempts)))
            .await?;
    for (key, settings) in unlisted.into_iter().zip(found) {
        if settings.is_some() {
            listing.insert(key.grant_type, settings);
        }
    }
    Ok(())
}

/// Why [`recheck_absent`] stopped re-reading before a read showed the grant
/// gone.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RecheckEnd {
    /// Re-reads kept answering, and kept finding the grant.
    #[error("it was still there")]
    StillThere,
    /// No re-read answered before the patience ran out.
    #[error("no read answered within {} s", .0.as_secs())]
    Unanswered(Duration),
    /// A read failed (after the SDK's retries).
    #[error("{0}")]
    ReadFailed(GrantError),
    /// StopProvider arrived.
    #[error("Terraform asked the provider to stop")]
    Stopped,
}

/// Re-reads a grant that a read has just found, until a read says it is
/// gone: one deleted moments ago may still show on some AWS hosts for up to
/// `patience`. Only a read *sent* after that window may call it still there:
/// a read sent inside the window proves nothing once the window has passed,
/// even if its answer (slowed by the SDK's retries) arrives after it. The
/// read that decides gets `patience` again to answer; a read that fails (the
/// SDK has already retried it), no answer by then, or StopProvider ends the
/// wait without a verdict.
pub(crate) async fn recheck_absent(
    client: &AwsClient,
    key: &GrantKey,
    patience: Duration,
    stop: &StopSignal,
    attempts: &Attempts,
) -> Result<(), RecheckEnd> {
    let start = Instant::now();
    let window_end = start + patience;
    let give_up = window_end + patience;
    let mut delay = Duration::from_millis(100);
    loop {
        // Inside the window, re-read with growing pauses (never past its
        // end); after it, at once.
        let pause = window_end
            .saturating_duration_since(Instant::now())
            .min(delay);
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stop.stopped() => return Err(RecheckEnd::Stopped),
        }
        let sent = Instant::now();
        let remaining = give_up.saturating_duration_since(sent);
        let unanswered = RecheckEnd::Unanswered(give_up - start);
        if remaining.is_zero() {
            return Err(unanswered);
        }
        let seen = tokio::select! {
            read = tokio::time::timeout(remaining, get_grant(client, key, attempts)) => match read {
                Err(_) => return Err(unanswered),
                Ok(Err(e)) => return Err(RecheckEnd::ReadFailed(e)),
                Ok(Ok(seen)) => seen,
            },
            _ = stop.stopped() => return Err(RecheckEnd::Stopped),
        };
        if seen.is_none() {
            return Ok(());
        }
        if sent >= window_end {
            return Err(RecheckEnd::StillThere);
        }
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake_endpoint::{self, a_key, client_of, Answer, UNKNOWN_MEMBER};
    use super::*;

    #[tokio::test]
    async fn a_refresh_of_a_grant_listed_in_an_unknown_shape_is_an_error() {
        // The listing shows the grant type with an unknown member; the Get
        // that follows does too.
        let endpoint = fake_endpoint::serve(vec![
            Answer::Ok(r#"{"Grants":[{"GrantType":"refresh_token","Grant":{"DeviceCode":{}}}]}"#),
            Answer::Ok(UNKNOWN_MEMBER),
        ])
        .await;
        let client = client_of(&endpoint).await;
        let held = GrantSettings::RefreshToken;
        let read = read_grant(
            &client,
            &SharedReads::new(true),
            &a_key(),
            Some(&held),
            &Attempts::default(),
        )
        .await;
        assert!(
            matches!(read, Err(GrantError::Unrecognised { .. })),
            "{read:?}"
        );
    }

    /// Runs a recheck of `patience` against an endpoint answering each Get
    /// as `answer` says (given the request's number, from 1).
    async fn recheck_with(
        patience: Duration,
        mut answer: impl FnMut(usize) -> Answer + Send + 'static,
    ) -> Result<(), RecheckEnd> {
        let mut n = 0;
        let endpoint = fake_endpoint::serve_with(move |_| {
            n += 1;
            Some(answer(n))
        })
        .await;
        let client = client_of(&endpoint).await;
        recheck_absent(
            &client,
            &a_key(),
            patience,
            &StopSignal::default(),
            &Attempts::default(),
        )
        .await
    }

    const FOUND: &str = r#"{"Grant":{"RefreshToken":{}}}"#;

    #[tokio::test]
    async fn a_read_sent_inside_the_window_that_answers_after_it_decides_nothing() {
        // The first re-read finds the grant; the second, sent inside the
        // window, answers "found" only once the window has passed (timed
        // from the first request, which comes after the recheck started);
        // the read sent after the window says it is gone. A 4 s window
        // leaves room for a loaded machine between the first two reads.
        let patience = Duration::from_secs(4);
        let mut first = None;
        let ended = recheck_with(patience, move |n| {
            let first = *first.get_or_insert_with(Instant::now);
            match n {
                1 => Answer::Ok(FOUND),
                2 => Answer::Later(
                    (first + patience + Duration::from_millis(300))
                        .saturating_duration_since(Instant::now()),
                    FOUND,
                ),
                _ => Answer::Refused("ResourceNotFoundException"),
            }
        })
        .await;
        assert!(ended.is_ok(), "{ended:?}");
    }

    #[tokio::test]
    async fn only_a_read_sent_after_the_window_calls_the_grant_still_there() {
        let patience = Duration::from_millis(300);
        let ended = recheck_with(patience, |_| Answer::Ok(FOUND)).await;
        assert!(matches!(ended, Err(RecheckEnd::StillThere)), "{ended:?}");
        // No answer at all: no verdict either way.
        let ended = recheck_with(patience, |_| Answer::Later(Duration::from_secs(30), FOUND)).await;
        assert!(matches!(ended, Err(RecheckEnd::Unanswered(_))), "{ended:?}");
    }

    #[tokio::test]
    async fn listing_every_grant_fails_on_a_grant_in_an_unknown_shape() {
        let endpoint = fake_endpoint::serve(vec![Answer::Ok(
            r#"{"Grants":[{"GrantType":"refresh_token","Grant":{"DeviceCode":{}}}]}"#,
        )])
        .await;
        let client = client_of(&endpoint).await;
        let listed = list_grants(&client, &a_key().application_arn).await;
        assert!(
            matches!(listed, Err(GrantError::Unrecognised { .. })),
            "{listed:?}"
        );
    }

    #[tokio::test]
    async fn every_grant_of_an_application_reads_unlisted_types_with_get() {
        // The listing (lagging) shows one grant; Get finds a second, and
        // proves the other two absent.
        let endpoint = fake_endpoint::serve_with(|request| {
            Some(if request.contains("ListApplicationGrants") {
                Answer::Ok(
                    r#"{"Grants":[{"GrantType":"refresh_token","Grant":{"RefreshToken":{}}}]}"#,
                )
            } else if request.contains("token-exchange") {
                Answer::Ok(r#"{"Grant":{"TokenExchange":{}}}"#)
            } else {
                Answer::Refused("ResourceNotFoundException")
            })
        })
        .await;
        let client = client_of(&endpoint).await;
        let grants = list_grants(&client, &a_key().application_arn)
            .await
            .expect("listed");
        let types: Vec<GrantType> = grants.iter().map(GrantSettings::grant_type).collect();
        assert_eq!(types, [GrantType::RefreshToken, GrantType::TokenExchange]);
    }
}
