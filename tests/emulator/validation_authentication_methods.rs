//! Every constraint of the authentication method operations rejects a violating request, with
//! ValidationException (or SerializationException for a member of the wrong JSON type), and
//! changes nothing: the SDK checks none of them itself.

use aws_sdk_ssoadmin::types::AuthenticationMethodType;
use aws_sdk_ssoadmin::Client;
use identitycenter::emulator::RunningEmulator;
use serde_json::{json, Value};

use crate::support::*;

async fn setup() -> (RunningEmulator, Client, String) {
    let emu = emulator().await;
    let c = client(&emu);
    let web = app(&emu, "web");
    (emu, c, web)
}

/// Whatever was refused, the application still holds no authentication method.
fn assert_nothing_stored(emu: &RunningEmulator) {
    assert_eq!(
        emu.state()["Applications"][0]["AuthenticationMethods"],
        json!({}),
        "nothing stored"
    );
}

/// The error code of a raw Put whose `AuthenticationMethod` member is `method` (left out
/// when `None`).
async fn raw_put(method: Option<Value>) -> String {
    let emu = emulator().await;
    let mut body = json!({"ApplicationArn": app(&emu, "web"), "AuthenticationMethodType": "IAM"});
    if let Some(method) = method {
        body["AuthenticationMethod"] = method;
    }
    let response = call(
        &emu.endpoint(),
        "PutApplicationAuthenticationMethod",
        &body.to_string(),
    )
    .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_nothing_stored(&emu);
    response.error_type()
}

/// The error code of a raw Put whose actor policy is `policy`.
async fn put_policy(policy: Value) -> String {
    raw_put(Some(json!({"Iam": {"ActorPolicy": policy}}))).await
}

#[tokio::test]
async fn put_requires_each_of_its_three_members() {
    let (emu, c, web) = setup().await;
    let method = iam_method(&actor_policy("a"));
    assert_validation(
        c.put_application_authentication_method()
            .authentication_method_type(AuthenticationMethodType::Iam)
            .authentication_method(method.clone())
            .send()
            .await,
    );
    assert_validation(
        c.put_application_authentication_method()
            .application_arn(&web)
            .authentication_method(method)
            .send()
            .await,
    );
    assert_validation(
        c.put_application_authentication_method()
            .application_arn(&web)
            .authentication_method_type(AuthenticationMethodType::Iam)
            .send()
            .await,
    );
    assert_nothing_stored(&emu);
}

#[tokio::test]
async fn an_empty_put_reports_all_three_in_the_aws_format() {
    let (_emu, c, _) = setup().await;
    let err = c
        .put_application_authentication_method()
        .send()
        .await
        .expect_err("invalid");
    let message = aws_sdk_ssoadmin::error::ProvideErrorMetadata::message(&err)
        .unwrap_or_default()
        .to_string();
    assert!(
        message.starts_with("3 validation errors detected: Value null at 'applicationArn' failed to satisfy constraint: Member must not be null"),
        "{message}"
    );
    assert!(
        message.contains("'authenticationMethodType'")
            && message.contains("'authenticationMethod'"),
        "{message}"
    );
}

#[tokio::test]
async fn the_type_must_be_iam() {
    let (emu, c, web) = setup().await;
    let other = AuthenticationMethodType::from("OIDC");
    assert_validation(
        c.put_application_authentication_method()
            .application_arn(&web)
            .authentication_method_type(other.clone())
            .authentication_method(iam_method(&actor_policy("a")))
            .send()
            .await,
    );
    assert_validation(
        c.get_application_authentication_method()
            .application_arn(&web)
            .authentication_method_type(other.clone())
            .send()
            .await,
    );
    assert_validation(
        c.delete_application_authentication_method()
            .application_arn(&web)
            .authentication_method_type(other)
            .send()
            .await,
    );
    assert_nothing_stored(&emu);
}

#[tokio::test]
async fn the_application_arn_must_match_its_pattern_and_length_in_every_operation() {
    let (emu, c, web) = setup().await;
    for bad in [
        format!("{web}/extra"),
        web.replace("apl-", "app-"),
        web.replace("123456789012", "١٢٣٤٥٦٧٨٩٠١٢"),
        "arn:aws:sso".to_string(),
        format!("{web}{}", "a".repeat(1300)),
    ] {
        assert_validation(
            c.put_application_authentication_method()
                .application_arn(&bad)
                .authentication_method_type(AuthenticationMethodType::Iam)
                .authentication_method(iam_method(&actor_policy("a")))
                .send()
                .await,
        );
        assert_validation(
            c.get_application_authentication_method()
                .application_arn(&bad)
                .authentication_method_type(AuthenticationMethodType::Iam)
                .send()
                .await,
        );
        assert_validation(
            c.delete_application_authentication_method()
                .application_arn(&bad)
                .authentication_method_type(AuthenticationMethodType::Iam)
                .send()
                .await,
        );
        assert_validation(
            c.list_application_authentication_methods()
                .application_arn(&bad)
                .send()
                .await,
        );
    }
    assert_nothing_stored(&emu);
}

#[tokio::test]
async fn the_union_needs_exactly_one_known_member() {
    for method in [
        json!({}),
        json!({"Iam": null}),
        json!({"Saml": {}}),
        json!({"Iam": {"ActorPolicy": {"Statement": {}}}, "Saml": {}}),
    ] {
        assert_eq!(
            raw_put(Some(method.clone())).await,
            "ValidationException",
            "{method}"
        );
    }
}

#[tokio::test]
async fn the_actor_policy_is_required() {
    assert_eq!(
        raw_put(Some(json!({"Iam": {}}))).await,
        "ValidationException"
    );
    assert_eq!(put_policy(Value::Null).await, "ValidationException");
    // The SDK sends a null document as `null` too.
    let (emu, c, web) = setup().await;
    assert_validation(
        c.put_application_authentication_method()
            .application_arn(&web)
            .authentication_method_type(AuthenticationMethodType::Iam)
            .authentication_method(iam_method(&Value::Null))
            .send()
            .await,
    );
    assert_nothing_stored(&emu);
}

#[tokio::test]
async fn the_actor_policy_must_be_a_policy_document() {
    let text = actor_policy("a").to_string();
    for policy in [
        // The policy's text instead of the policy: the mistake this rule exists to catch.
        Value::String(text),
        json!([actor_policy("a")]),
        json!(42),
        json!({"Version": "2012-10-17"}),
        json!({"Version": "2012-10-17", "Statement": "Allow"}),
        json!({"Version": "2012-10-17", "Statement": []}),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}, "Deny"]}),
    ] {
        assert_eq!(
            put_policy(policy.clone()).await,
            "ValidationException",
            "{policy}"
        );
    }
}

#[tokio::test]
async fn a_statement_may_be_one_object_or_a_list_of_objects() {
    let (emu, c, web) = setup().await;
    for policy in [
        json!({"Statement": {"Effect": "Allow"}}),
        json!({"Statement": [{"Effect": "Allow"}, {"Effect": "Deny"}]}),
    ] {
        c.put_application_authentication_method()
            .application_arn(&web)
            .authentication_method_type(AuthenticationMethodType::Iam)
            .authentication_method(iam_method(&policy))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{policy}: {e:?}"));
        assert_eq!(
            emu.state()["Applications"][0]["AuthenticationMethods"]["IAM"]["Iam"]["ActorPolicy"],
            policy
        );
    }
}

#[tokio::test]
async fn members_of_the_wrong_json_type_are_serialization_errors() {
    assert_eq!(
        raw_put(Some(json!([{"Iam": {}}]))).await,
        "SerializationException"
    );
    assert_eq!(
        raw_put(Some(json!({"Iam": "policy"}))).await,
        "SerializationException"
    );
    let emu = emulator().await;
    let response = call(
        &emu.endpoint(),
        "GetApplicationAuthenticationMethod",
        &json!({"ApplicationArn": app(&emu, "web"), "AuthenticationMethodType": 1}).to_string(),
    )
    .await;
    assert_eq!(response.error_type(), "SerializationException");
}

#[tokio::test]
async fn get_and_delete_require_both_keys() {
    let (_emu, c, web) = setup().await;
    assert_validation(
        c.get_application_authentication_method()
            .application_arn(&web)
            .send()
            .await,
    );
    assert_validation(
        c.get_application_authentication_method()
            .authentication_method_type(AuthenticationMethodType::Iam)
            .send()
            .await,
    );
    assert_validation(
        c.delete_application_authentication_method()
            .application_arn(&web)
            .send()
            .await,
    );
    assert_validation(
        c.delete_application_authentication_method()
            .authentication_method_type(AuthenticationMethodType::Iam)
            .send()
            .await,
    );
}

#[tokio::test]
async fn list_requires_an_application_arn_and_a_well_formed_token() {
    let (_emu, c, web) = setup().await;
    assert_validation(c.list_application_authentication_methods().send().await);
    for token in ["not a token!".to_string(), "a".repeat(2049)] {
        assert_validation(
            c.list_application_authentication_methods()
                .application_arn(&web)
                .next_token(token)
                .send()
                .await,
        );
    }
}

#[tokio::test]
async fn validation_comes_before_conflicts_and_is_counted() {
    let emu = emulator_with(|c| c.faults.conflict_rate = 1.0).await;
    let response = call(
        &emu.endpoint(),
        "PutApplicationAuthenticationMethod",
        &json!({"ApplicationArn": app(&emu, "web"), "AuthenticationMethodType": "IAM",
                "AuthenticationMethod": {"Iam": {"ActorPolicy": "{}"}}})
        .to_string(),
    )
    .await;
    assert_eq!(response.error_type(), "ValidationException");
    let stats = emu.stats();
    assert_eq!(stats["validation_errors"], 1, "{stats}");
    assert_eq!(stats["faults"]["conflict"], 0, "{stats}");
    assert_nothing_stored(&emu);
}
