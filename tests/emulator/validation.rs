//! Every model constraint rejects a violating request with ValidationException, because the
//! SDK validates nothing itself.

use aws_sdk_ssoadmin::types::{
    AuthorizationCodeGrant, AuthorizedTokenIssuer, Grant, GrantType, JwtBearerGrant,
};
use aws_sdk_ssoadmin::Client;
use identitycenter::emulator::RunningEmulator;
use serde_json::json;

use crate::support::*;

async fn setup() -> (RunningEmulator, Client, String) {
    let emu = emulator().await;
    let c = client(&emu);
    let app = app(&emu, "web");
    (emu, c, app)
}

async fn put(c: &Client, app: &str, t: GrantType, g: Grant) -> Result<(), String> {
    c.put_application_grant()
        .application_arn(app)
        .grant_type(t)
        .grant(g)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| code_of::<(), _>(Err(e)))
}

async fn expect_put_validation(t: GrantType, g: Grant) {
    let (emu, c, app) = setup().await;
    assert_eq!(
        put(&c, &app, t, g).await,
        Err("ValidationException".to_string())
    );
    assert_eq!(
        emu.state()["Applications"][0]["Grants"],
        json!({}),
        "nothing stored"
    );
}

fn issuers(items: Vec<AuthorizedTokenIssuer>) -> Grant {
    Grant::JwtBearer(
        JwtBearerGrant::builder()
            .set_authorized_token_issuers(Some(items))
            .build(),
    )
}

fn issuer_with(arn: Option<&str>, audiences: Option<Vec<String>>) -> AuthorizedTokenIssuer {
    AuthorizedTokenIssuer::builder()
        .set_trusted_token_issuer_arn(arn.map(str::to_string))
        .set_authorized_audiences(audiences)
        .build()
}

#[tokio::test]
async fn put_without_application_arn() {
    let (_emu, c, _) = setup().await;
    assert_validation(
        c.put_application_grant()
            .grant_type(GrantType::RefreshToken)
            .grant(refresh_token())
            .send()
            .await,
    );
}

#[tokio::test]
async fn put_without_grant_type() {
    let (_emu, c, app) = setup().await;
    assert_validation(
        c.put_application_grant()
            .application_arn(app)
            .grant(refresh_token())
            .send()
            .await,
    );
}

#[tokio::test]
async fn put_without_grant() {
    let (_emu, c, app) = setup().await;
    assert_validation(
        c.put_application_grant()
            .application_arn(app)
            .grant_type(GrantType::RefreshToken)
            .send()
            .await,
    );
}

#[tokio::test]
async fn application_arn_must_match_the_whole_pattern() {
    let (_emu, c, app) = setup().await;
    for bad in [
        format!("{app}/extra"),
        format!("x{app}"),
        app.replace("apl-", "app-"),
        "arn:aws:sso".to_string(),
    ] {
        assert_eq!(
            put(&c, &bad, GrantType::RefreshToken, refresh_token()).await,
            Err("ValidationException".into()),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn application_arn_digits_are_ascii_only() {
    let (_emu, c, app) = setup().await;
    // The account id in Arabic-Indic digits: `\d` in the model is ECMA-262, ASCII only.
    let arabic_indic = app.replace("123456789012", "١٢٣٤٥٦٧٨٩٠١٢");
    assert_ne!(arabic_indic, app);
    assert_validation(
        c.get_application_grant()
            .application_arn(&arabic_indic)
            .grant_type(GrantType::RefreshToken)
            .send()
            .await,
    );
    assert_eq!(
        put(&c, &arabic_indic, GrantType::RefreshToken, refresh_token()).await,
        Err("ValidationException".into())
    );
}

#[tokio::test]
async fn application_arn_longer_than_1224_characters() {
    let (_emu, c, app) = setup().await;
    let long = format!("{app}{}", "a".repeat(1300));
    assert_validation(
        c.get_application_grant()
            .application_arn(long)
            .grant_type(GrantType::RefreshToken)
            .send()
            .await,
    );
}

#[tokio::test]
async fn grant_type_outside_the_enum() {
    let (_emu, c, app) = setup().await;
    assert_eq!(
        put(&c, &app, GrantType::from("password"), refresh_token()).await,
        Err("ValidationException".into())
    );
}

#[tokio::test]
async fn grant_member_must_match_grant_type() {
    expect_put_validation(GrantType::RefreshToken, token_exchange()).await;
}

#[tokio::test]
async fn authorization_code_requires_redirect_uris() {
    expect_put_validation(
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(AuthorizationCodeGrant::builder().build()),
    )
    .await;
}

#[tokio::test]
async fn redirect_uris_need_at_least_one_entry() {
    expect_put_validation(GrantType::AuthorizationCode, authorization_code(&[])).await;
}

#[tokio::test]
async fn redirect_uris_hold_at_most_ten_entries() {
    let uris: Vec<String> = (0..11).map(|i| format!("https://a/{i}")).collect();
    let refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    expect_put_validation(GrantType::AuthorizationCode, authorization_code(&refs)).await;
}

#[tokio::test]
async fn ten_redirect_uris_are_accepted() {
    let (_emu, c, app) = setup().await;
    let uris: Vec<String> = (0..10).map(|i| format!("https://a/{i}")).collect();
    let refs: Vec<&str> = uris.iter().map(String::as_str).collect();
    assert_eq!(
        put(
            &c,
            &app,
            GrantType::AuthorizationCode,
            authorization_code(&refs)
        )
        .await,
        Ok(())
    );
}

#[tokio::test]
async fn jwt_bearer_requires_authorized_token_issuers() {
    expect_put_validation(
        GrantType::JwtBearer,
        Grant::JwtBearer(JwtBearerGrant::builder().build()),
    )
    .await;
}

#[tokio::test]
async fn authorized_token_issuers_need_at_least_one_entry() {
    expect_put_validation(GrantType::JwtBearer, issuers(vec![])).await;
}

#[tokio::test]
async fn authorized_token_issuers_hold_at_most_ten_entries() {
    let many = (0..11).map(|_| issuer_with(Some(TTI_ARN), None)).collect();
    expect_put_validation(GrantType::JwtBearer, issuers(many)).await;
}

#[tokio::test]
async fn trusted_token_issuer_arn_must_match_its_pattern() {
    let upper = TTI_ARN.replace("tti-0123abcd", "tti-0123ABCD");
    expect_put_validation(
        GrantType::JwtBearer,
        issuers(vec![issuer_with(Some(&upper), None)]),
    )
    .await;
}

#[tokio::test]
async fn audiences_need_at_least_one_entry() {
    expect_put_validation(
        GrantType::JwtBearer,
        issuers(vec![issuer_with(Some(TTI_ARN), Some(vec![]))]),
    )
    .await;
}

#[tokio::test]
async fn audiences_hold_at_most_ten_entries() {
    let many = (0..11).map(|i| format!("aud-{i}")).collect();
    expect_put_validation(
        GrantType::JwtBearer,
        issuers(vec![issuer_with(Some(TTI_ARN), Some(many))]),
    )
    .await;
}

#[tokio::test]
async fn an_audience_is_not_empty() {
    expect_put_validation(
        GrantType::JwtBearer,
        issuers(vec![issuer_with(Some(TTI_ARN), Some(vec![String::new()]))]),
    )
    .await;
}

#[tokio::test]
async fn an_audience_is_at_most_512_characters() {
    expect_put_validation(
        GrantType::JwtBearer,
        issuers(vec![issuer_with(
            Some(TTI_ARN),
            Some(vec!["a".repeat(513)]),
        )]),
    )
    .await;
}

#[tokio::test]
async fn a_512_character_audience_is_accepted() {
    let (_emu, c, app) = setup().await;
    let g = issuers(vec![issuer_with(
        Some(TTI_ARN),
        Some(vec!["a".repeat(512)]),
    )]);
    assert_eq!(put(&c, &app, GrantType::JwtBearer, g).await, Ok(()));
}

async fn raw_put_error(grant: serde_json::Value, grant_type: &str) -> String {
    let emu = emulator().await;
    let body = json!({"ApplicationArn": app(&emu, "web"), "GrantType": grant_type, "Grant": grant});
    let response = call(&emu.endpoint(), "PutApplicationGrant", &body.to_string()).await;
    assert_eq!(response.status, 400, "{}", response.body);
    response.error_type()
}

#[tokio::test]
async fn a_grant_union_with_two_members() {
    let code = raw_put_error(
        json!({"RefreshToken": {}, "TokenExchange": {}}),
        "refresh_token",
    )
    .await;
    assert_eq!(code, "ValidationException");
}

#[tokio::test]
async fn a_grant_union_with_no_member() {
    assert_eq!(
        raw_put_error(json!({}), "refresh_token").await,
        "ValidationException"
    );
    assert_eq!(
        raw_put_error(json!({"RefreshToken": null}), "refresh_token").await,
        "ValidationException"
    );
}

#[tokio::test]
async fn a_grant_union_with_an_unknown_member() {
    assert_eq!(
        raw_put_error(json!({"Password": {}}), "refresh_token").await,
        "ValidationException"
    );
}

#[tokio::test]
async fn members_of_the_wrong_json_type_are_serialization_errors() {
    assert_eq!(
        raw_put_error(
            json!({"AuthorizationCode": {"RedirectUris": "https://a"}}),
            "authorization_code"
        )
        .await,
        "SerializationException"
    );
    assert_eq!(
        raw_put_error(json!(["RefreshToken"]), "refresh_token").await,
        "SerializationException"
    );
}

#[tokio::test]
async fn get_and_delete_require_both_keys() {
    let (_emu, c, app) = setup().await;
    assert_validation(c.get_application_grant().application_arn(&app).send().await);
    assert_validation(
        c.get_application_grant()
            .grant_type(GrantType::RefreshToken)
            .send()
            .await,
    );
    assert_validation(
        c.delete_application_grant()
            .application_arn(&app)
            .send()
            .await,
    );
    assert_validation(
        c.delete_application_grant()
            .grant_type(GrantType::RefreshToken)
            .send()
            .await,
    );
}

#[tokio::test]
async fn list_requires_application_arn() {
    let (_emu, c, _) = setup().await;
    assert_validation(c.list_application_grants().send().await);
}

#[tokio::test]
async fn next_token_with_characters_outside_its_pattern() {
    let (_emu, c, app) = setup().await;
    assert_validation(
        c.list_application_grants()
            .application_arn(app)
            .next_token("not a token!")
            .send()
            .await,
    );
}

#[tokio::test]
async fn next_token_longer_than_2048_characters() {
    let (_emu, c, app) = setup().await;
    assert_validation(
        c.list_application_grants()
            .application_arn(app)
            .next_token("a".repeat(2049))
            .send()
            .await,
    );
}

#[tokio::test]
async fn validation_errors_are_counted_and_change_nothing() {
    let (emu, c, app) = setup().await;
    let _ = put(
        &c,
        &app,
        GrantType::AuthorizationCode,
        authorization_code(&[]),
    )
    .await;
    assert_eq!(emu.stats()["validation_errors"], 1);
    assert_eq!(emu.state()["Applications"][0]["Grants"], json!({}));
}

#[tokio::test]
async fn validation_messages_follow_the_aws_format() {
    let (_emu, c, _) = setup().await;
    let err = c.put_application_grant().send().await.expect_err("invalid");
    let message = aws_sdk_ssoadmin::error::ProvideErrorMetadata::message(&err)
        .unwrap_or_default()
        .to_string();
    assert!(message.starts_with("3 validation errors detected: Value null at 'applicationArn' failed to satisfy constraint: Member must not be null"), "{message}");
}
