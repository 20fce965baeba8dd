//! Listings that lag the writes (`--list-lag-ms`) and listings that repeat their page token
//! (`RepeatToken` scripts): the two ways a listing misleads a client that trusts it.

use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_ssoadmin::types::GrantType;
use identitycenter::emulator::{ScriptedFault, CUSTOM_APPLICATION_PROVIDER_ARN};

use crate::support::*;

/// Longer than any test here runs: nothing waits for it to pass.
const LAG: Duration = Duration::from_secs(600);

async fn listed_types(c: &aws_sdk_ssoadmin::Client, app: &str) -> BTreeSet<String> {
    c.list_application_grants()
        .application_arn(app)
        .send()
        .await
        .expect("list")
        .grants()
        .iter()
        .map(|g| g.grant_type().as_str().to_string())
        .collect()
}

#[tokio::test]
async fn a_lagging_listing_misses_new_grants_that_get_already_sees() {
    let emu = emulator_with(|c| {
        c.faults.list_lag = LAG;
        c.page_size = 10;
    })
    .await;
    let c = client(&emu);
    let web = app(&emu, "web");
    c.put_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::RefreshToken)
        .grant(refresh_token())
        .send()
        .await
        .expect("put");
    c.get_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await
        .expect("Get sees the write at once");
    assert!(listed_types(&c, &web).await.is_empty(), "the listing lags");
    assert_eq!(emu.stats()["lagging_lists"], 1);
}

#[tokio::test]
async fn a_lagging_listing_still_shows_deleted_and_old_grants() {
    let emu = emulator_with(|c| {
        c.faults.list_lag = LAG;
        c.page_size = 10;
        c.seed.grants = serde_json::from_value(serde_json::json!([
            {"application": "web", "grant_type": "refresh_token", "grant": {"RefreshToken": {}}},
            {"application": "web", "grant_type": "authorization_code",
             "grant": {"AuthorizationCode": {"RedirectUris": ["https://old/cb"]}}}
        ]))
        .expect("seed grants");
    })
    .await;
    let c = client(&emu);
    let web = app(&emu, "web");
    // The seed existed before the emulator started: listings show it.
    assert_eq!(listed_types(&c, &web).await.len(), 2);
    assert_eq!(emu.stats()["lagging_lists"], 0);
    c.delete_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await
        .expect("delete");
    c.put_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::AuthorizationCode)
        .grant(authorization_code(&["https://new/cb"]))
        .send()
        .await
        .expect("update");
    let page = c
        .list_application_grants()
        .application_arn(&web)
        .send()
        .await
        .expect("list");
    let listed: Vec<_> = page
        .grants()
        .iter()
        .map(|g| {
            let uris = g
                .grant()
                .and_then(|g| g.as_authorization_code().ok())
                .map(|a| a.redirect_uris().to_vec());
            (g.grant_type().as_str().to_string(), uris)
        })
        .collect();
    assert_eq!(
        listed,
        [
            (
                "authorization_code".to_string(),
                Some(vec!["https://old/cb".to_string()])
            ),
            ("refresh_token".to_string(), None),
        ],
        "the replica has seen neither write"
    );
    let get = c
        .get_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(code_of(get), "ResourceNotFoundException", "Get has");
}

#[tokio::test]
async fn a_lagging_application_listing_misses_new_and_keeps_deleted_applications() {
    let emu = emulator_with(|c| c.faults.list_lag = LAG).await;
    let c = client(&emu);
    let instance = emu.instance_arn().to_string();
    let created = c
        .create_application()
        .instance_arn(&instance)
        .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
        .name("fresh")
        .send()
        .await
        .expect("create")
        .application_arn()
        .expect("arn")
        .to_string();
    c.describe_application()
        .application_arn(&created)
        .send()
        .await
        .expect("Describe sees it at once");
    c.delete_application()
        .application_arn(app(&emu, "api"))
        .send()
        .await
        .expect("delete");
    let names: Vec<String> = c
        .list_applications()
        .instance_arn(&instance)
        .max_results(10)
        .send()
        .await
        .expect("list")
        .applications()
        .iter()
        .filter_map(|a| a.name().map(str::to_string))
        .collect();
    assert_eq!(
        names,
        ["web", "api"],
        "seeded ones only, the deleted one too"
    );
    assert_eq!(emu.stats()["lagging_lists"], 1);
}

#[tokio::test]
async fn a_repeat_token_script_answers_a_page_with_the_token_it_was_sent() {
    let emu = emulator_with(|c| {
        c.page_size = 1;
        c.faults.scripted = [
            "ListApplicationGrants:2:RepeatToken",
            "ListApplicationGrants:4:RepeatToken",
        ]
        .iter()
        .map(|s| ScriptedFault::parse(s).expect("script"))
        .collect();
    })
    .await;
    let c = client(&emu);
    let web = app(&emu, "web");
    for (t, g) in [
        (GrantType::RefreshToken, refresh_token()),
        (GrantType::TokenExchange, token_exchange()),
        (
            GrantType::AuthorizationCode,
            authorization_code(&["https://a/cb"]),
        ),
    ] {
        c.put_application_grant()
            .application_arn(&web)
            .grant_type(t)
            .grant(g)
            .send()
            .await
            .expect("put");
    }
    // Calls 1 and 2: the SDK's own paginator stops at the repeated token
    // without a word, two grants of three. The trap a client must not fall in.
    let via_paginator = c
        .list_application_grants()
        .application_arn(&web)
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(via_paginator.len(), 2);
    // Calls 3 and 4, by hand.
    let first = c
        .list_application_grants()
        .application_arn(&web)
        .send()
        .await
        .expect("page 1");
    let sent = first.next_token().expect("more pages").to_string();
    let second = c
        .list_application_grants()
        .application_arn(&web)
        .next_token(&sent)
        .send()
        .await
        .expect("page 2");
    assert_eq!(second.grants().len(), 1, "the page itself is served");
    assert_eq!(
        second.next_token(),
        Some(sent.as_str()),
        "its token repeats"
    );
    assert_eq!(emu.stats()["faults"]["scripted"], 2);
}

#[tokio::test]
async fn stale_reads_hide_a_write_from_the_next_reads_whoever_makes_them() {
    let emu = emulator_with(|c| c.faults.stale_reads = 2).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    let get = || {
        c.get_application_grant()
            .application_arn(&web)
            .grant_type(GrantType::RefreshToken)
            .send()
    };
    c.put_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::RefreshToken)
        .grant(refresh_token())
        .send()
        .await
        .expect("put");
    // A listing counts as a read too.
    assert!(listed_types(&c, &web).await.is_empty(), "read 1: not yet");
    assert_eq!(code_of(get().await), "ResourceNotFoundException", "read 2");
    get().await.expect("read 3 sees the write");
    c.delete_application_grant()
        .application_arn(&web)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await
        .expect("delete");
    get().await.expect("read 1 after the delete still finds it");
    get().await.expect("read 2 too");
    assert_eq!(code_of(get().await), "ResourceNotFoundException");
    let stats = emu.stats();
    assert_eq!(stats["stale_reads"], 4, "{stats}");
    assert_eq!(stats["stale_reads_of_deleted"], 2, "{stats}");
}
