//! The four grant operations: happy paths, upsert, not-found rules, paging, cascade delete.

use aws_sdk_ssoadmin::types::{Grant, GrantType};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn all_four_grant_types_round_trip_through_put_get_list_delete() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = app(&emu, "web");
    let tti = issuer(&emu);
    let grants = [
        (
            GrantType::AuthorizationCode,
            authorization_code(&["https://a.example/cb"]),
        ),
        (GrantType::RefreshToken, refresh_token()),
        (GrantType::JwtBearer, jwt_bearer(&tti, &["aud-1", "aud-2"])),
        (GrantType::TokenExchange, token_exchange()),
    ];
    for (t, g) in &grants {
        c.put_application_grant()
            .application_arn(&app)
            .grant_type(t.clone())
            .grant(g.clone())
            .send()
            .await
            .expect("put");
    }
    for (t, g) in &grants {
        let out = c
            .get_application_grant()
            .application_arn(&app)
            .grant_type(t.clone())
            .send()
            .await
            .expect("get");
        assert_eq!(out.grant(), Some(g));
    }
    let listed: Vec<_> = c
        .list_application_grants()
        .application_arn(&app)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("list");
    let types: Vec<&str> = listed.iter().map(|i| i.grant_type().as_str()).collect();
    assert_eq!(
        types,
        [
            "authorization_code",
            "refresh_token",
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "urn:ietf:params:oauth:grant-type:token-exchange"
        ]
    );
    for (t, _) in &grants {
        c.delete_application_grant()
            .application_arn(&app)
            .grant_type(t.clone())
            .send()
            .await
            .expect("delete");
        let gone = c
            .get_application_grant()
            .application_arn(&app)
            .grant_type(t.clone())
            .send()
            .await;
        assert_eq!(code_of(gone), "ResourceNotFoundException");
    }
    let empty = c
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .expect("list");
    assert!(empty.grants().is_empty());
    assert!(empty.next_token().is_none());
}

#[tokio::test]
async fn put_replaces_the_grant_of_the_same_type() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = app(&emu, "web");
    for uris in [&["https://a/1"][..], &["https://a/1", "https://a/2"][..]] {
        c.put_application_grant()
            .application_arn(&app)
            .grant_type(GrantType::AuthorizationCode)
            .grant(authorization_code(uris))
            .send()
            .await
            .expect("put");
    }
    let out = c
        .get_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::AuthorizationCode)
        .send()
        .await
        .expect("get");
    let Some(Grant::AuthorizationCode(g)) = out.grant() else {
        panic!("wrong grant {out:?}");
    };
    assert_eq!(g.redirect_uris(), ["https://a/1", "https://a/2"]);
    let state = emu.state();
    assert_eq!(
        state["Applications"][0]["Grants"]
            .as_object()
            .map(|o| o.len()),
        Some(1)
    );
}

#[tokio::test]
async fn grant_is_stored_and_returned_exactly_as_received() {
    let emu = emulator().await;
    let app = app(&emu, "web");
    let grant = json!({"JwtBearer": {"AuthorizedTokenIssuers": [
        {"TrustedTokenIssuerArn": TTI_ARN, "AuthorizedAudiences": ["z", "a", "z"]},
        {"AuthorizedAudiences": ["only-audience"]}
    ]}});
    let body = json!({"ApplicationArn": app, "GrantType": "urn:ietf:params:oauth:grant-type:jwt-bearer", "Grant": grant});
    let put = call(&emu.endpoint(), "PutApplicationGrant", &body.to_string()).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body, "", "Put has no output shape");
    let get = call(
        &emu.endpoint(),
        "GetApplicationGrant",
        &json!({"ApplicationArn": app, "GrantType": "urn:ietf:params:oauth:grant-type:jwt-bearer"})
            .to_string(),
    )
    .await;
    assert_eq!(get.json(), json!({ "Grant": grant }));
    assert_eq!(
        emu.state()["Applications"][0]["Grants"]["urn:ietf:params:oauth:grant-type:jwt-bearer"],
        grant
    );
}

async fn put_then_get(body: serde_json::Value) -> (serde_json::Value, serde_json::Value) {
    let emu = emulator().await;
    let app = app(&emu, "web");
    let grant_type = body["GrantType"].clone();
    let mut body = body;
    body["ApplicationArn"] = json!(app);
    let put = call(&emu.endpoint(), "PutApplicationGrant", &body.to_string()).await;
    assert_eq!(put.status, 200, "{}", put.body);
    let get = call(
        &emu.endpoint(),
        "GetApplicationGrant",
        &json!({"ApplicationArn": app, "GrantType": grant_type}).to_string(),
    )
    .await;
    assert_eq!(get.status, 200, "{}", get.body);
    let list = call(
        &emu.endpoint(),
        "ListApplicationGrants",
        &json!({"ApplicationArn": app}).to_string(),
    )
    .await;
    assert_eq!(list.json()["Grants"][0]["Grant"], get.json()["Grant"]);
    (get.json(), emu.state())
}

#[tokio::test]
async fn unknown_members_inside_a_grant_are_dropped() {
    let (get, state) = put_then_get(
        json!({"GrantType": "refresh_token", "Grant": {"RefreshToken": {"Junk": [1, 2]}}}),
    )
    .await;
    assert_eq!(get, json!({"Grant": {"RefreshToken": {}}}));
    assert_eq!(
        state["Applications"][0]["Grants"]["refresh_token"],
        json!({"RefreshToken": {}})
    );

    let (get, _) = put_then_get(json!({
        "GrantType": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "Grant": {"JwtBearer": {
            "AuthorizedTokenIssuers": [{"TrustedTokenIssuerArn": TTI_ARN, "AuthorizedAudiences": ["a"], "Extra": "x"}],
            "Other": {"k": 1}
        }}
    }))
    .await;
    assert_eq!(
        get,
        json!({"Grant": {"JwtBearer": {"AuthorizedTokenIssuers": [
            {"TrustedTokenIssuerArn": TTI_ARN, "AuthorizedAudiences": ["a"]}
        ]}}})
    );
}

#[tokio::test]
async fn null_members_of_a_grant_are_not_stored() {
    let (get, _) = put_then_get(json!({
        "GrantType": "authorization_code",
        "Grant": {"AuthorizationCode": {"RedirectUris": ["https://a/cb"], "Nope": null}, "JwtBearer": null}
    }))
    .await;
    assert_eq!(
        get,
        json!({"Grant": {"AuthorizationCode": {"RedirectUris": ["https://a/cb"]}}})
    );

    let (get, _) = put_then_get(json!({
        "GrantType": "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "Grant": {"JwtBearer": {"AuthorizedTokenIssuers": [{"TrustedTokenIssuerArn": null, "AuthorizedAudiences": ["a"]}]}, "RefreshToken": null}
    }))
    .await;
    assert_eq!(
        get,
        json!({"Grant": {"JwtBearer": {"AuthorizedTokenIssuers": [{"AuthorizedAudiences": ["a"]}]}}})
    );
}

#[tokio::test]
async fn empty_grant_members_come_back_as_empty_objects() {
    let emu = emulator().await;
    let app = app(&emu, "web");
    let put =
        json!({"ApplicationArn": app, "GrantType": "refresh_token", "Grant": {"RefreshToken": {}}});
    assert_eq!(
        call(&emu.endpoint(), "PutApplicationGrant", &put.to_string())
            .await
            .status,
        200
    );
    let get = call(
        &emu.endpoint(),
        "GetApplicationGrant",
        &json!({"ApplicationArn": app, "GrantType": "refresh_token"}).to_string(),
    )
    .await;
    assert_eq!(get.body, r#"{"Grant":{"RefreshToken":{}}}"#);
    let list = call(
        &emu.endpoint(),
        "ListApplicationGrants",
        &json!({"ApplicationArn": app}).to_string(),
    )
    .await;
    assert_eq!(
        list.body,
        r#"{"Grants":[{"GrantType":"refresh_token","Grant":{"RefreshToken":{}}}]}"#
    );
}

#[tokio::test]
async fn get_of_an_absent_grant_is_resource_not_found() {
    let emu = emulator().await;
    let result = client(&emu)
        .get_application_grant()
        .application_arn(app(&emu, "web"))
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert!(result
        .as_ref()
        .err()
        .and_then(|e| e.as_service_error())
        .is_some_and(|e| e.is_resource_not_found_exception()));
}

#[tokio::test]
async fn delete_of_an_absent_grant_is_resource_not_found_by_default() {
    let emu = emulator().await;
    let result = client(&emu)
        .delete_application_grant()
        .application_arn(app(&emu, "web"))
        .grant_type(GrantType::TokenExchange)
        .send()
        .await;
    assert_eq!(code_of(result), "ResourceNotFoundException");
}

#[tokio::test]
async fn delete_missing_ok_makes_deleting_an_absent_grant_succeed() {
    let emu = emulator_with(|c| c.delete_missing_ok = true).await;
    client(&emu)
        .delete_application_grant()
        .application_arn(app(&emu, "web"))
        .grant_type(GrantType::TokenExchange)
        .send()
        .await
        .expect("200 for a missing grant");
}

#[tokio::test]
async fn grant_operations_on_an_unknown_application_are_resource_not_found() {
    let emu = emulator().await;
    let c = client(&emu);
    let unknown =
        "arn:aws:sso::123456789012:application/ssoins-0000000000000000/apl-0000000000000000";
    let put = c
        .put_application_grant()
        .application_arn(unknown)
        .grant_type(GrantType::RefreshToken)
        .grant(refresh_token())
        .send()
        .await;
    assert_eq!(code_of(put), "ResourceNotFoundException");
    let get = c
        .get_application_grant()
        .application_arn(unknown)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(code_of(get), "ResourceNotFoundException");
    let delete = c
        .delete_application_grant()
        .application_arn(unknown)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(code_of(delete), "ResourceNotFoundException");
    let list = c
        .list_application_grants()
        .application_arn(unknown)
        .send()
        .await;
    assert_eq!(code_of(list), "ResourceNotFoundException");
}

#[tokio::test]
async fn deleting_an_application_deletes_its_grants() {
    let emu = emulator().await;
    let c = client(&emu);
    let created = c
        .create_application()
        .instance_arn(emu.instance_arn())
        .application_provider_arn(identitycenter::emulator::CUSTOM_APPLICATION_PROVIDER_ARN)
        .name("short-lived")
        .send()
        .await
        .expect("create application");
    let app = created.application_arn().expect("arn").to_string();
    c.put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .grant(refresh_token())
        .send()
        .await
        .expect("put");
    c.delete_application()
        .application_arn(&app)
        .send()
        .await
        .expect("delete app");
    let get = c
        .get_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(code_of(get), "ResourceNotFoundException");
    // Re-creating nothing: a Put to the deleted application must not resurrect it.
    let put = c
        .put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .grant(refresh_token())
        .send()
        .await;
    assert_eq!(code_of(put), "ResourceNotFoundException");
    let state = emu.state();
    assert!(state["Applications"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["ApplicationArn"] != app.as_str()));
}

async fn put_all_four(c: &aws_sdk_ssoadmin::Client, app: &str, tti: &str) {
    for (t, g) in [
        (
            GrantType::AuthorizationCode,
            authorization_code(&["https://a/cb"]),
        ),
        (GrantType::RefreshToken, refresh_token()),
        (GrantType::JwtBearer, jwt_bearer(tti, &["aud"])),
        (GrantType::TokenExchange, token_exchange()),
    ] {
        c.put_application_grant()
            .application_arn(app)
            .grant_type(t)
            .grant(g)
            .send()
            .await
            .expect("put");
    }
}

#[tokio::test]
async fn the_paginator_walks_four_grants_one_page_at_a_time() {
    let emu = emulator_with(|c| c.page_size = 1).await;
    let c = client(&emu);
    let app = app(&emu, "web");
    put_all_four(&c, &app, &issuer(&emu)).await;
    let pages: Vec<_> = c
        .list_application_grants()
        .application_arn(&app)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 4);
    assert!(pages.iter().all(|p| p.grants().len() == 1));
    assert!(pages[3].next_token().is_none(), "last page has no token");
    let tokens: std::collections::HashSet<_> =
        pages[..3].iter().filter_map(|p| p.next_token()).collect();
    assert_eq!(tokens.len(), 3);
    let types: Vec<_> = pages
        .iter()
        .map(|p| p.grants()[0].grant_type().clone())
        .collect();
    assert_eq!(
        types,
        [
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::JwtBearer,
            GrantType::TokenExchange
        ]
    );
}

#[tokio::test]
async fn the_default_page_size_is_small_enough_to_page() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = app(&emu, "web");
    put_all_four(&c, &app, &issuer(&emu)).await;
    let first = c
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .expect("list");
    assert_eq!(first.grants().len(), 2);
    assert!(first.next_token().is_some());
}

#[tokio::test]
async fn page_tokens_are_never_repeated_and_stay_usable_for_retries() {
    let emu = emulator_with(|c| c.page_size = 1).await;
    let c = client(&emu);
    let app = app(&emu, "web");
    put_all_four(&c, &app, &issuer(&emu)).await;
    let a = c
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .expect("a");
    let b = c
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .expect("b");
    assert_ne!(a.next_token(), b.next_token());
    for token in [a.next_token(), a.next_token(), b.next_token()] {
        let page = c
            .list_application_grants()
            .application_arn(&app)
            .next_token(token.expect("token"))
            .send()
            .await
            .expect("second page");
        assert_eq!(page.grants()[0].grant_type(), &GrantType::RefreshToken);
    }
}

#[tokio::test]
async fn a_forged_next_token_is_a_validation_error() {
    let emu = emulator().await;
    let result = client(&emu)
        .list_application_grants()
        .application_arn(app(&emu, "web"))
        .next_token("AAAAAAAAAAEforgedTokenThatLooksRight")
        .send()
        .await;
    assert_validation(result);
}

#[tokio::test]
async fn a_next_token_from_another_application_is_a_validation_error() {
    let emu = emulator_with(|c| c.page_size = 1).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put_all_four(&c, &web, &issuer(&emu)).await;
    let token = c
        .list_application_grants()
        .application_arn(&web)
        .send()
        .await
        .expect("list")
        .next_token()
        .expect("token")
        .to_string();
    let result = c
        .list_application_grants()
        .application_arn(app(&emu, "api"))
        .next_token(token)
        .send()
        .await;
    assert_validation(result);
}
