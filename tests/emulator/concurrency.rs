//! Many clients at once: no lost updates, no deadlocks.

use std::collections::HashSet;

use aws_sdk_ssoadmin::types::{Grant, GrantType};
use identitycenter::emulator::CUSTOM_APPLICATION_PROVIDER_ARN;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_puts_across_ten_applications_lose_nothing() {
    let emu = emulator().await;
    let setup = client(&emu);
    let mut apps = Vec::new();
    for i in 0..10 {
        let out = setup
            .create_application()
            .instance_arn(emu.instance_arn())
            .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
            .name(format!("app-{i}"))
            .send()
            .await
            .expect("create");
        apps.push(out.application_arn().expect("arn").to_string());
    }
    let tti = issuer(&emu);
    // Per application: the four grant types, plus a second authorization_code write racing the first.
    let mut jobs = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        jobs.push((
            app.clone(),
            GrantType::AuthorizationCode,
            authorization_code(&[&format!("https://a/{i}/first")]),
        ));
        jobs.push((
            app.clone(),
            GrantType::AuthorizationCode,
            authorization_code(&[&format!("https://a/{i}/second")]),
        ));
        jobs.push((app.clone(), GrantType::RefreshToken, refresh_token()));
        jobs.push((
            app.clone(),
            GrantType::JwtBearer,
            jwt_bearer(&tti, &[&format!("aud-{i}")]),
        ));
        jobs.push((app.clone(), GrantType::TokenExchange, token_exchange()));
    }
    assert_eq!(jobs.len(), 50);
    let tasks: Vec<_> = jobs
        .into_iter()
        .map(|(app, t, g)| {
            let c = client(&emu);
            tokio::spawn(async move {
                c.put_application_grant()
                    .application_arn(app)
                    .grant_type(t)
                    .grant(g)
                    .send()
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("put");
    }
    let c = client(&emu);
    for (i, app) in apps.iter().enumerate() {
        let items: Vec<_> = c
            .list_application_grants()
            .application_arn(app)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .expect("list");
        let types: HashSet<_> = items.iter().map(|g| g.grant_type().clone()).collect();
        assert_eq!(types.len(), 4, "{app}");
        let Some(Grant::AuthorizationCode(code)) = items[0].grant() else {
            panic!("first grant is authorization_code");
        };
        let uri = &code.redirect_uris()[0];
        assert!(
            uri == &format!("https://a/{i}/first") || uri == &format!("https://a/{i}/second"),
            "{uri}"
        );
        let Some(Grant::JwtBearer(jwt)) = items
            .iter()
            .find(|g| g.grant_type() == &GrantType::JwtBearer)
            .and_then(|g| g.grant())
        else {
            panic!("jwt bearer grant");
        };
        assert_eq!(
            jwt.authorized_token_issuers()[0].authorized_audiences(),
            [format!("aud-{i}")]
        );
    }
    assert_eq!(emu.stats()["calls"]["PutApplicationGrant"], 50);
}
