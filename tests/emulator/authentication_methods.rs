//! The four authentication method operations: round trips through the SDK, re-serialised
//! policies, upsert, not-found rules, paging, deletion with the application, the seed, and the
//! fault and consistency devices the grant operations have.

use std::time::Duration;

use aws_sdk_ssoadmin::types::{AuthenticationMethodType, GrantType};
use aws_sdk_ssoadmin::Client;
use identitycenter::emulator::{ScriptedFault, Seed, CUSTOM_APPLICATION_PROVIDER_ARN};
use serde_json::{json, Value};

use crate::support::*;

async fn try_put(c: &Client, app: &str, policy: &Value) -> Result<(), String> {
    c.put_application_authentication_method()
        .application_arn(app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .authentication_method(iam_method(policy))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| code_of::<(), _>(Err(e)))
}

async fn put(c: &Client, app: &str, policy: &Value) {
    try_put(c, app, policy).await.expect("put");
}

async fn get(c: &Client, app: &str) -> Result<Value, String> {
    c.get_application_authentication_method()
        .application_arn(app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await
        .map(|out| actor_policy_of(out.authentication_method()))
        .map_err(|e| code_of::<(), _>(Err(e)))
}

async fn delete(c: &Client, app: &str) -> Result<(), String> {
    c.delete_application_authentication_method()
        .application_arn(app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| code_of::<(), _>(Err(e)))
}

/// The methods a single List call returns: (type, actor policy).
async fn listed(c: &Client, app: &str) -> Vec<(String, Value)> {
    let page = c
        .list_application_authentication_methods()
        .application_arn(app)
        .send()
        .await
        .expect("list");
    assert!(page.next_token().is_none(), "one type, one page");
    page.authentication_methods()
        .iter()
        .map(|item| {
            (
                item.authentication_method_type()
                    .expect("a type")
                    .as_str()
                    .to_string(),
                actor_policy_of(item.authentication_method()),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_method_round_trips_through_put_get_list_delete() {
    let emu = emulator().await;
    let c = client(&emu);
    let web = app(&emu, "web");
    let policy = actor_policy("portal-backend");
    put(&c, &web, &policy).await;
    assert_eq!(get(&c, &web).await, Ok(policy.clone()));
    assert_eq!(listed(&c, &web).await, [("IAM".to_string(), policy)]);
    assert_eq!(
        listed(&c, &app(&emu, "api")).await,
        [],
        "other applications hold none"
    );
    delete(&c, &web).await.expect("delete");
    assert_eq!(get(&c, &web).await, Err("ResourceNotFoundException".into()));
    assert_eq!(listed(&c, &web).await, []);
    let stats = emu.stats();
    for op in [
        "PutApplicationAuthenticationMethod",
        "GetApplicationAuthenticationMethod",
        "DeleteApplicationAuthenticationMethod",
        "ListApplicationAuthenticationMethods",
    ] {
        assert!(stats["calls"][op].as_u64() > Some(0), "{op}: {stats}");
    }
}

/// A policy written the way a person writes one: keys in no particular order, indented.
const SENT_POLICY: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        { "Sid": "Workload", "Effect": "Allow",
          "Principal": { "AWS": ["arn:aws:iam::123456789012:role/b", "arn:aws:iam::123456789012:role/a"] },
          "Action": "sso-oauth:CreateTokenWithIAM", "Resource": "*",
          "Condition": { "StringEquals": { "aws:PrincipalTag/team": "portal" } } }
    ]
}"#;

/// The same policy as the emulator gives it back: keys in descending order, no whitespace,
/// lists in their order.
const RETURNED_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Workload","Resource":"*","Principal":{"AWS":["arn:aws:iam::123456789012:role/b","arn:aws:iam::123456789012:role/a"]},"Effect":"Allow","Condition":{"StringEquals":{"aws:PrincipalTag/team":"portal"}},"Action":"sso-oauth:CreateTokenWithIAM"}]}"#;

#[tokio::test]
async fn the_policy_comes_back_reserialised_not_as_sent() {
    let emu = emulator().await;
    let web = app(&emu, "web");
    let body = format!(
        r#"{{"ApplicationArn":"{web}","AuthenticationMethodType":"IAM","AuthenticationMethod":{{"Iam":{{"ActorPolicy":{SENT_POLICY}}}}}}}"#
    );
    let put = call(&emu.endpoint(), "PutApplicationAuthenticationMethod", &body).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body, "", "Put has no output shape");

    let get = call(
        &emu.endpoint(),
        "GetApplicationAuthenticationMethod",
        &json!({"ApplicationArn": web, "AuthenticationMethodType": "IAM"}).to_string(),
    )
    .await;
    assert_eq!(
        get.body,
        format!(r#"{{"AuthenticationMethod":{{"Iam":{{"ActorPolicy":{RETURNED_POLICY}}}}}}}"#)
    );
    let sent: Value = serde_json::from_str(SENT_POLICY).expect("JSON");
    assert_eq!(
        get.json()["AuthenticationMethod"]["Iam"]["ActorPolicy"],
        sent,
        "the same JSON value"
    );
    let list = call(
        &emu.endpoint(),
        "ListApplicationAuthenticationMethods",
        &json!({"ApplicationArn": web}).to_string(),
    )
    .await;
    assert_eq!(
        list.body,
        format!(
            r#"{{"AuthenticationMethods":[{{"AuthenticationMethodType":"IAM","AuthenticationMethod":{{"Iam":{{"ActorPolicy":{RETURNED_POLICY}}}}}}}]}}"#
        )
    );
    assert_eq!(
        emu.state()["Applications"][0]["AuthenticationMethods"]["IAM"]["Iam"]["ActorPolicy"]
            .to_string(),
        RETURNED_POLICY,
        "/_state shows what the service holds"
    );
}

#[tokio::test]
async fn a_policy_terraform_would_encode_does_not_come_back_byte_for_byte() {
    // jsonencode writes keys in ascending order without whitespace: the answer must differ,
    // or a client storing the answer instead of its configuration would never be caught.
    let emu = emulator().await;
    let web = app(&emu, "web");
    let encoded = r#"{"Statement":[{"Action":"sso-oauth:CreateTokenWithIAM","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/a"},"Resource":"*"}],"Version":"2012-10-17"}"#;
    let body = format!(
        r#"{{"ApplicationArn":"{web}","AuthenticationMethodType":"IAM","AuthenticationMethod":{{"Iam":{{"ActorPolicy":{encoded}}}}}}}"#
    );
    let put = call(&emu.endpoint(), "PutApplicationAuthenticationMethod", &body).await;
    assert_eq!(put.status, 200, "{}", put.body);
    let got = emu.state()["Applications"][0]["AuthenticationMethods"]["IAM"]["Iam"]["ActorPolicy"]
        .to_string();
    assert_ne!(got, encoded);
    assert_eq!(
        serde_json::from_str::<Value>(&got).expect("JSON"),
        serde_json::from_str::<Value>(encoded).expect("JSON")
    );
}

#[tokio::test]
async fn put_replaces_the_method_of_the_same_type() {
    let emu = emulator().await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put(&c, &web, &actor_policy("first")).await;
    put(&c, &web, &actor_policy("second")).await;
    assert_eq!(get(&c, &web).await, Ok(actor_policy("second")));
    assert_eq!(
        listed(&c, &web).await,
        [("IAM".to_string(), actor_policy("second"))]
    );
    assert_eq!(
        emu.stats()["overwrites"],
        1,
        "the second Put replaced what the first wrote"
    );
}

#[tokio::test]
async fn delete_answers_with_an_empty_body() {
    let emu = emulator().await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put(&c, &web, &actor_policy("a")).await;
    let response = call(
        &emu.endpoint(),
        "DeleteApplicationAuthenticationMethod",
        &json!({"ApplicationArn": web, "AuthenticationMethodType": "IAM"}).to_string(),
    )
    .await;
    assert_eq!((response.status, response.body.as_str()), (200, ""));
    assert_eq!(
        emu.state()["Applications"][0]["AuthenticationMethods"],
        json!({})
    );
}

#[tokio::test]
async fn get_of_an_absent_method_is_resource_not_found() {
    let emu = emulator().await;
    let result = client(&emu)
        .get_application_authentication_method()
        .application_arn(app(&emu, "web"))
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await;
    assert!(
        result
            .as_ref()
            .err()
            .and_then(|e| e.as_service_error())
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "{result:?}"
    );
}

#[tokio::test]
async fn delete_of_an_absent_method_is_resource_not_found_unless_told_otherwise() {
    let emu = emulator().await;
    assert_eq!(
        delete(&client(&emu), &app(&emu, "web")).await,
        Err("ResourceNotFoundException".into())
    );
    let lenient = emulator_with(|c| c.delete_missing_ok = true).await;
    delete(&client(&lenient), &app(&lenient, "web"))
        .await
        .expect("200 for a missing method");
}

#[tokio::test]
async fn operations_on_an_unknown_application_are_resource_not_found() {
    let emu = emulator().await;
    let c = client(&emu);
    let unknown =
        "arn:aws:sso::123456789012:application/ssoins-0000000000000000/apl-0000000000000000";
    assert_eq!(
        try_put(&c, unknown, &actor_policy("a")).await,
        Err("ResourceNotFoundException".into())
    );
    assert_eq!(
        get(&c, unknown).await,
        Err("ResourceNotFoundException".into())
    );
    assert_eq!(
        delete(&c, unknown).await,
        Err("ResourceNotFoundException".into())
    );
    let list = c
        .list_application_authentication_methods()
        .application_arn(unknown)
        .send()
        .await;
    assert_eq!(code_of(list), "ResourceNotFoundException");
}

#[tokio::test]
async fn deleting_an_application_deletes_its_authentication_methods() {
    let emu = emulator().await;
    let c = client(&emu);
    let app = c
        .create_application()
        .instance_arn(emu.instance_arn())
        .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
        .name("short-lived")
        .send()
        .await
        .expect("create application")
        .application_arn()
        .expect("arn")
        .to_string();
    put(&c, &app, &actor_policy("a")).await;
    c.delete_application()
        .application_arn(&app)
        .send()
        .await
        .expect("delete application");
    assert_eq!(get(&c, &app).await, Err("ResourceNotFoundException".into()));
    let list = c
        .list_application_authentication_methods()
        .application_arn(&app)
        .send()
        .await;
    assert_eq!(code_of(list), "ResourceNotFoundException");
    assert_eq!(
        try_put(&c, &app, &actor_policy("a")).await,
        Err("ResourceNotFoundException".into()),
        "a Put does not bring the application back"
    );
    assert!(emu.state()["Applications"]
        .as_array()
        .expect("applications")
        .iter()
        .all(|a| a["ApplicationArn"] != app.as_str()));
}

#[tokio::test]
async fn the_paginator_reads_the_one_method_in_one_page() {
    let emu = emulator_with(|c| c.page_size = 1).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put(&c, &web, &actor_policy("a")).await;
    let pages: Vec<_> = c
        .list_application_authentication_methods()
        .application_arn(&web)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].authentication_methods().len(), 1);
    assert!(pages[0].next_token().is_none());
}

#[tokio::test]
async fn a_forged_next_token_is_a_validation_error() {
    let emu = emulator().await;
    let result = client(&emu)
        .list_application_authentication_methods()
        .application_arn(app(&emu, "web"))
        .next_token("AAAAAAAAAAEforgedTokenThatLooksRight")
        .send()
        .await;
    assert_validation(result);
}

#[tokio::test]
async fn a_grant_listing_token_cannot_continue_an_authentication_method_listing() {
    let emu = emulator_with(|c| c.page_size = 1).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    for (t, g) in [
        (GrantType::RefreshToken, refresh_token()),
        (GrantType::TokenExchange, token_exchange()),
    ] {
        c.put_application_grant()
            .application_arn(&web)
            .grant_type(t)
            .grant(g)
            .send()
            .await
            .expect("put grant");
    }
    let token = c
        .list_application_grants()
        .application_arn(&web)
        .send()
        .await
        .expect("list grants")
        .next_token()
        .expect("a second page")
        .to_string();
    let result = c
        .list_application_authentication_methods()
        .application_arn(&web)
        .next_token(token)
        .send()
        .await;
    assert_validation(result);
}

fn seed_with_method(policy: Value) -> Seed {
    serde_json::from_value(json!({
        "applications": [{"name": "web"}, {"name": "api"}],
        "trusted_token_issuers": [{"name": "corp"}],
        "authentication_methods": [{
            "application": "web",
            "authentication_method_type": "IAM",
            "authentication_method": {"Iam": {"ActorPolicy": policy}}
        }]
    }))
    .expect("seed")
}

#[tokio::test]
async fn seeded_methods_are_served_and_restored_by_a_reset() {
    let policy = actor_policy("seeded");
    let emu = emulator_with(|c| c.seed = seed_with_method(policy.clone())).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    assert_eq!(get(&c, &web).await, Ok(policy.clone()));
    assert_eq!(
        emu.state()["Applications"][0]["AuthenticationMethods"]["IAM"]["Iam"]["ActorPolicy"]
            .to_string(),
        r#"{"Version":"2012-10-17","Statement":[{"Resource":"*","Principal":{"AWS":"arn:aws:iam::123456789012:role/seeded"},"Effect":"Allow","Action":"sso-oauth:CreateTokenWithIAM"}]}"#,
        "stored re-serialised, as a Put would"
    );
    delete(&c, &web).await.expect("delete");
    let reset = raw(&emu.endpoint(), "POST", "/_reset", &bearer(), b"").await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(get(&c, &web).await, Ok(policy));
}

#[tokio::test]
async fn a_seeded_method_is_checked_like_a_put() {
    let config = identitycenter::emulator::EmulatorConfig {
        seed: seed_with_method(json!("not a policy document")),
        ..Default::default()
    };
    let err = identitycenter::emulator::start(config)
        .await
        .expect_err("refused");
    let err = err.to_string();
    assert!(
        err.contains("seed authentication method for \"web\"") && err.contains("ActorPolicy"),
        "{err}"
    );
}

#[tokio::test]
async fn conflicts_hit_put_and_delete_only_and_change_nothing() {
    let emu = emulator_with(|c| c.faults.conflict_rate = 1.0).await;
    let c = retrying_client(&emu, 3);
    let web = app(&emu, "web");
    assert_eq!(
        try_put(&c, &web, &actor_policy("a")).await,
        Err("ConflictException".into())
    );
    assert_eq!(
        delete(&c, &web).await,
        Err("ConflictException".into()),
        "a conflict comes before the absence is noticed"
    );
    assert_eq!(
        get(&c, &web).await,
        Err("ResourceNotFoundException".into()),
        "reads never conflict; the Put was not applied"
    );
    let list = c
        .list_application_authentication_methods()
        .application_arn(&web)
        .send()
        .await;
    assert!(list.is_ok(), "{list:?}");
    assert_eq!(emu.stats()["faults"]["conflict"], 2);
}

#[tokio::test]
async fn arrival_faults_hit_authentication_method_calls_too() {
    let emu = emulator_with(|c| c.faults.throttle_rate = 1.0).await;
    assert_eq!(
        get(&client(&emu), &app(&emu, "web")).await,
        Err("ThrottlingException".into())
    );
}

#[tokio::test]
async fn a_scripted_fault_may_take_effect_before_its_error() {
    let emu = emulator_with(|c| {
        c.faults.scripted = vec![ScriptedFault::parse(
            "PutApplicationAuthenticationMethod:1:InternalServerException:applied",
        )
        .expect("script")]
    })
    .await;
    let c = client(&emu);
    let web = app(&emu, "web");
    assert_eq!(
        try_put(&c, &web, &actor_policy("a")).await,
        Err("InternalServerException".into())
    );
    assert_eq!(
        get(&c, &web).await,
        Ok(actor_policy("a")),
        "the Put took effect"
    );
}

#[tokio::test]
async fn stale_reads_hide_a_write_from_the_next_reads_whoever_makes_them() {
    let emu = emulator_with(|c| c.faults.stale_reads = 2).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put(&c, &web, &actor_policy("a")).await;
    // Reads of the application's grants are not reads of its authentication method.
    for _ in 0..2 {
        c.list_application_grants()
            .application_arn(&web)
            .send()
            .await
            .expect("list grants");
    }
    assert_eq!(listed(&c, &web).await, [], "read 1, a listing: not yet");
    assert_eq!(
        get(&c, &web).await,
        Err("ResourceNotFoundException".into()),
        "read 2"
    );
    assert_eq!(get(&c, &web).await, Ok(actor_policy("a")), "read 3");
    delete(&c, &web).await.expect("delete");
    assert_eq!(get(&c, &web).await, Ok(actor_policy("a")), "still there");
    assert_eq!(
        listed(&c, &web).await,
        [("IAM".to_string(), actor_policy("a"))],
        "a listing too"
    );
    assert_eq!(get(&c, &web).await, Err("ResourceNotFoundException".into()));
    let stats = emu.stats();
    assert_eq!(stats["stale_reads"], 4, "{stats}");
    assert_eq!(stats["stale_reads_of_deleted"], 2, "{stats}");
}

#[tokio::test]
async fn a_repeat_token_script_leaves_a_listing_sent_without_a_token_alone() {
    // At most one method per application (one type), so a listing never has a second page
    // and never sends a token to repeat: the script hits the call and changes nothing.
    let emu = emulator_with(|c| {
        c.page_size = 1;
        c.faults.scripted =
            vec![
                ScriptedFault::parse("ListApplicationAuthenticationMethods:1:RepeatToken")
                    .expect("RepeatToken applies to this List operation"),
            ];
    })
    .await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put(&c, &web, &actor_policy("a")).await;
    assert_eq!(
        listed(&c, &web).await,
        [("IAM".to_string(), actor_policy("a"))]
    );
    assert_eq!(emu.stats()["faults"]["scripted"], 1);
}

/// Longer than any test here runs: nothing waits for it to pass.
const LONG: Duration = Duration::from_secs(600);

#[tokio::test]
async fn a_write_stays_invisible_for_the_configured_time() {
    let emu = emulator_with(|c| c.faults.invisible_for = LONG).await;
    let c = client(&emu);
    let web = app(&emu, "web");
    put(&c, &web, &actor_policy("a")).await;
    assert_eq!(get(&c, &web).await, Err("ResourceNotFoundException".into()));
    assert_eq!(listed(&c, &web).await, []);
    assert_eq!(
        emu.state()["Applications"][0]["AuthenticationMethods"]["IAM"]["Iam"]["ActorPolicy"],
        actor_policy("a"),
        "/_state shows the truth"
    );
}

#[tokio::test]
async fn a_lagging_listing_misses_a_new_method_that_get_already_sees() {
    let policy = actor_policy("seeded");
    let emu = emulator_with(|c| {
        c.faults.list_lag = LONG;
        c.seed = seed_with_method(policy.clone());
    })
    .await;
    let c = client(&emu);
    let (web, api) = (app(&emu, "web"), app(&emu, "api"));
    assert_eq!(
        listed(&c, &web).await,
        [("IAM".to_string(), policy.clone())],
        "the seed existed before the emulator started"
    );
    put(&c, &api, &actor_policy("new")).await;
    delete(&c, &web).await.expect("delete");
    assert_eq!(get(&c, &api).await, Ok(actor_policy("new")), "Get sees it");
    assert_eq!(listed(&c, &api).await, [], "the listing does not");
    assert_eq!(
        listed(&c, &web).await,
        [("IAM".to_string(), policy)],
        "nor the delete"
    );
    assert_eq!(emu.stats()["lagging_lists"], 2);
}
