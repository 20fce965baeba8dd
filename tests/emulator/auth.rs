//! SigV4: the emulator recomputes every signature and fails like AWS when it does not match.

use aws_sdk_ssoadmin::config::Credentials;
use identitycenter::emulator::{Credential, DEMO_ACCESS_KEY_ID};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_wrong_secret_is_an_invalid_signature() {
    let emu = emulator().await;
    let c = client_for(
        &emu.endpoint(),
        Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret", None, None, "t"),
        1,
    );
    let err = c.list_instances().send().await.expect_err("rejected");
    assert_eq!(code_of::<(), _>(Err(err)), "InvalidSignatureException");
}

#[tokio::test]
async fn an_unknown_access_key_is_an_unrecognized_client() {
    let emu = emulator().await;
    let c = client_for(
        &emu.endpoint(),
        Credentials::new("AKIAUNKNOWNKEY000000", "x", None, None, "t"),
        1,
    );
    let err = c.list_instances().send().await.expect_err("rejected");
    let message = aws_sdk_ssoadmin::error::ProvideErrorMetadata::message(&err).map(str::to_string);
    assert_eq!(code_of::<(), _>(Err(err)), "UnrecognizedClientException");
    assert_eq!(
        message.as_deref(),
        Some("The security token included in the request is invalid.")
    );
}

#[tokio::test]
async fn a_request_without_authorization_is_missing_authentication_token() {
    let emu = emulator().await;
    let headers = vec![
        (
            "content-type".to_string(),
            "application/x-amz-json-1.1".to_string(),
        ),
        (
            "x-amz-target".to_string(),
            "SWBExternalService.ListInstances".to_string(),
        ),
    ];
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 403);
    assert_eq!(response.error_type(), "MissingAuthenticationToken");
}

#[tokio::test]
async fn a_malformed_authorization_header_is_an_incomplete_signature() {
    let emu = emulator().await;
    let mut headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &Signing::default(),
    );
    for (k, v) in headers.iter_mut() {
        if k == "authorization" {
            *v = v
                .split(", Signature=")
                .next()
                .unwrap_or_default()
                .to_string();
        }
    }
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type(), "IncompleteSignature");
}

#[tokio::test]
async fn a_body_changed_after_signing_is_an_invalid_signature() {
    let emu = emulator().await;
    let headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &Signing::default(),
    );
    let response = raw(
        &emu.endpoint(),
        "POST",
        "/",
        &headers,
        br#"{"MaxResults":5}"#,
    )
    .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn a_signature_older_than_fifteen_minutes_has_expired() {
    let emu = emulator().await;
    let old = (chrono::Utc::now() - chrono::Duration::minutes(20))
        .format("%Y%m%dT%H%M%SZ")
        .to_string();
    let signing = Signing {
        amz_date: old,
        ..Signing::default()
    };
    let headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &signing,
    );
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.error_type(), "RequestExpired");
}

#[tokio::test]
async fn a_signature_scoped_to_another_service_is_rejected() {
    let emu = emulator().await;
    let signing = Signing {
        service: "iam",
        ..Signing::default()
    };
    let headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &signing,
    );
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 403);
    assert_eq!(response.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn a_signature_scoped_to_another_region_is_rejected() {
    let emu = emulator().await;
    let c = client_in_region(&emu.endpoint(), demo_credentials(), 1, "eu-central-1");
    let err = c.list_instances().send().await.expect_err("rejected");
    let message = aws_sdk_ssoadmin::error::ProvideErrorMetadata::message(&err).map(str::to_string);
    assert_eq!(code_of::<(), _>(Err(err)), "InvalidSignatureException");
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.starts_with("Credential should be scoped to a valid region")),
        "{message:?}"
    );

    let signing = Signing {
        region: "eu-central-1",
        ..Signing::default()
    };
    let headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &signing,
    );
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 403, "{}", response.body);
    assert_eq!(response.error_type(), "InvalidSignatureException");
    assert_eq!(emu.stats()["auth_failures"], 2);
}

#[tokio::test]
async fn signatures_must_name_the_configured_region() {
    let emu = emulator_with(|c| c.region = "eu-west-1".to_string()).await;
    let home = client_in_region(&emu.endpoint(), demo_credentials(), 1, "eu-west-1");
    home.list_instances().send().await.expect("own region");
    assert_eq!(
        code_of(client(&emu).list_instances().send().await),
        "InvalidSignatureException"
    );
}

#[tokio::test]
async fn any_region_accepts_every_scope() {
    let emu = emulator_with(|c| c.any_region = true).await;
    let c = client_in_region(&emu.endpoint(), demo_credentials(), 1, "ap-south-2");
    c.list_instances().send().await.expect("any region");
}

#[tokio::test]
async fn a_signature_from_the_future_is_not_yet_current() {
    let emu = emulator().await;
    let ahead = (chrono::Utc::now() + chrono::Duration::minutes(20))
        .format("%Y%m%dT%H%M%SZ")
        .to_string();
    let signing = Signing {
        amz_date: ahead.clone(),
        ..Signing::default()
    };
    let headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &signing,
    );
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(response.error_type(), "RequestExpired");
    let message = response.json()["Message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.starts_with(&format!(
            "Signature not yet current: {ahead} is still later than "
        )) && message.ends_with(" + 15 min.)"),
        "{message}"
    );
}

async fn signed_headers_error(signed_names: &[&str]) -> RawResponse {
    let emu = emulator().await;
    let signing = Signing::default();
    let headers = unsigned_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        &signing,
    );
    let headers = sign_as(headers, signed_names, b"{}", &signing);
    raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await
}

#[tokio::test]
async fn signed_headers_out_of_order_are_an_incomplete_signature() {
    let response =
        signed_headers_error(&["x-amz-date", "host", "content-type", "x-amz-target"]).await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(response.error_type(), "IncompleteSignature");
}

#[tokio::test]
async fn duplicate_signed_headers_are_an_incomplete_signature() {
    let response =
        signed_headers_error(&["content-type", "host", "host", "x-amz-date", "x-amz-target"]).await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(response.error_type(), "IncompleteSignature");
}

#[tokio::test]
async fn a_signed_header_missing_from_the_request_is_an_invalid_signature() {
    let response = signed_headers_error(&[
        "content-type",
        "host",
        "x-amz-date",
        "x-amz-meta-absent",
        "x-amz-target",
    ])
    .await;
    assert_eq!(response.status, 403, "{}", response.body);
    assert_eq!(response.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn the_hand_signed_path_and_the_sdk_agree() {
    let emu = emulator().await;
    let response = call(&emu.endpoint(), "ListInstances", "{}").await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.json()["Instances"][0]["InstanceArn"],
        json!(emu.instance_arn())
    );
}

#[tokio::test]
async fn session_tokens_are_accepted_when_signed() {
    let emu = emulator_with(|c| {
        c.credentials = vec![Credential::parse(&format!(
            "{DEMO_ACCESS_KEY_ID}:{}:session-token-1",
            identitycenter::emulator::DEMO_SECRET_ACCESS_KEY
        ))
        .unwrap()]
    })
    .await;
    let c = client_for(
        &emu.endpoint(),
        Credentials::new(
            DEMO_ACCESS_KEY_ID,
            identitycenter::emulator::DEMO_SECRET_ACCESS_KEY,
            Some("session-token-1".into()),
            None,
            "t",
        ),
        1,
    );
    c.list_instances()
        .send()
        .await
        .expect("session credentials work");
}

#[tokio::test]
async fn a_session_token_on_a_key_issued_without_one_is_unrecognized() {
    let emu = emulator().await;
    let c = client_for(
        &emu.endpoint(),
        Credentials::new(
            DEMO_ACCESS_KEY_ID,
            identitycenter::emulator::DEMO_SECRET_ACCESS_KEY,
            Some("made-up-token".into()),
            None,
            "t",
        ),
        1,
    );
    let err = c.list_instances().send().await.expect_err("rejected");
    let message = aws_sdk_ssoadmin::error::ProvideErrorMetadata::message(&err).map(str::to_string);
    assert_eq!(code_of::<(), _>(Err(err)), "UnrecognizedClientException");
    assert_eq!(
        message.as_deref(),
        Some("The security token included in the request is invalid.")
    );
}

#[tokio::test]
async fn a_required_session_token_must_match() {
    let emu = emulator_with(|c| {
        c.credentials = vec![Credential::parse("AKIDSESSION:secret:the-token").unwrap()]
    })
    .await;
    let good = client_for(
        &emu.endpoint(),
        Credentials::new("AKIDSESSION", "secret", Some("the-token".into()), None, "t"),
        1,
    );
    good.list_instances().send().await.expect("matching token");
    let bad = client_for(
        &emu.endpoint(),
        Credentials::new("AKIDSESSION", "secret", Some("other".into()), None, "t"),
        1,
    );
    assert_eq!(
        code_of(bad.list_instances().send().await),
        "UnrecognizedClientException"
    );
}

#[tokio::test]
async fn configured_credentials_replace_the_demo_pair() {
    let emu =
        emulator_with(|c| c.credentials = vec![Credential::new("AKIDCUSTOM", "custom-secret")])
            .await;
    let custom = client_for(
        &emu.endpoint(),
        Credentials::new("AKIDCUSTOM", "custom-secret", None, None, "t"),
        1,
    );
    custom
        .list_instances()
        .send()
        .await
        .expect("custom pair accepted");
    assert_eq!(
        code_of(client(&emu).list_instances().send().await),
        "UnrecognizedClientException"
    );
    assert_eq!(emu.stats()["auth_failures"], 1);
}
