//! Shared helpers: emulators, SDK clients, grants, and a raw HTTP client with its own signer.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_sdk_ssoadmin::config::retry::{RetryConfig, RetryPartition};
use aws_sdk_ssoadmin::config::timeout::TimeoutConfig;
use aws_sdk_ssoadmin::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ssoadmin::error::ProvideErrorMetadata;
use aws_sdk_ssoadmin::types::{
    AuthenticationMethod, AuthorizationCodeGrant, AuthorizedTokenIssuer, Grant,
    IamAuthenticationMethod, JwtBearerGrant, RefreshTokenGrant, TokenExchangeGrant,
};
use aws_sdk_ssoadmin::Client;
use hmac::{Hmac, Mac};

#[path = "../support/documents.rs"]
mod documents;
pub use documents::{document, json_of};
use identitycenter::emulator::{
    self, EmulatorConfig, RunningEmulator, Seed, DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const TARGET_PREFIX: &str = "SWBExternalService.";
/// The inspection token the tests' emulators are given.
pub const INSPECTION_TOKEN: &str = "test-inspection-token";
pub const TTI_ARN: &str = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab";

/// An emulator with two seeded applications, `web` and `api`, and one issuer, `corp`.
pub async fn emulator() -> RunningEmulator {
    emulator_with(|_| {}).await
}

/// Like [`emulator`], after `adjust` changes the configuration.
pub async fn emulator_with(adjust: impl FnOnce(&mut EmulatorConfig)) -> RunningEmulator {
    let mut config = EmulatorConfig {
        seed: serde_json::from_value::<Seed>(serde_json::json!({
            "applications": [{"name": "web"}, {"name": "api"}],
            "trusted_token_issuers": [{"name": "corp"}],
        }))
        .expect("seed"),
        inspection_token: Some(emulator::Secret::new(INSPECTION_TOKEN)),
        ..EmulatorConfig::default()
    };
    adjust(&mut config);
    emulator::start(config).await.expect("emulator starts")
}

pub fn demo_credentials() -> Credentials {
    Credentials::new(
        DEMO_ACCESS_KEY_ID,
        DEMO_SECRET_ACCESS_KEY,
        None,
        None,
        "test",
    )
}

static PARTITION: AtomicUsize = AtomicUsize::new(0);

/// A client for `endpoint` with its own retry partition and tiny backoffs.
pub fn client_for(endpoint: &str, credentials: Credentials, max_attempts: u32) -> Client {
    client_in_region(endpoint, credentials, max_attempts, "us-east-1")
}

/// Like [`client_for`], signing for `region`.
pub fn client_in_region(
    endpoint: &str,
    credentials: Credentials,
    max_attempts: u32,
    region: &'static str,
) -> Client {
    let partition = PARTITION.fetch_add(1, Ordering::SeqCst);
    let config = aws_sdk_ssoadmin::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(max_attempts)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .retry_partition(RetryPartition::new(format!("emulator-test-{partition}")))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .build();
    Client::from_conf(config)
}

/// A demo-credential client that never retries, so every error surfaces as sent.
pub fn client(emu: &RunningEmulator) -> Client {
    client_for(&emu.endpoint(), demo_credentials(), 1)
}

/// A demo-credential client that retries up to `attempts` times in all.
pub fn retrying_client(emu: &RunningEmulator, attempts: u32) -> Client {
    client_for(&emu.endpoint(), demo_credentials(), attempts)
}

pub fn app(emu: &RunningEmulator, name: &str) -> String {
    emu.application_arn(name)
        .expect("seeded application")
        .to_string()
}

pub fn issuer(emu: &RunningEmulator) -> String {
    emu.trusted_token_issuers()[0].arn.clone()
}

/// The error code of a failed SDK call (panics on success).
pub fn code_of<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) -> String {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .unwrap_or_else(|| panic!("error without code: {e:?}"))
            .to_string(),
    }
}

/// Assert the call failed with ValidationException.
#[track_caller]
pub fn assert_validation<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) {
    assert_eq!(code_of(result), "ValidationException");
}

pub fn authorization_code(uris: &[&str]) -> Grant {
    Grant::AuthorizationCode(
        AuthorizationCodeGrant::builder()
            .set_redirect_uris(Some(uris.iter().map(|u| u.to_string()).collect()))
            .build(),
    )
}

pub fn jwt_bearer(issuer_arn: &str, audiences: &[&str]) -> Grant {
    Grant::JwtBearer(
        JwtBearerGrant::builder()
            .authorized_token_issuers(
                AuthorizedTokenIssuer::builder()
                    .trusted_token_issuer_arn(issuer_arn)
                    .set_authorized_audiences(Some(
                        audiences.iter().map(|a| a.to_string()).collect(),
                    ))
                    .build(),
            )
            .build(),
    )
}

pub fn refresh_token() -> Grant {
    Grant::RefreshToken(RefreshTokenGrant::builder().build())
}

pub fn token_exchange() -> Grant {
    Grant::TokenExchange(TokenExchangeGrant::builder().build())
}

/// An IAM authentication method whose actor policy is `policy`.
pub fn iam_method(policy: &Value) -> AuthenticationMethod {
    AuthenticationMethod::Iam(
        IamAuthenticationMethod::builder()
            .actor_policy(document(policy))
            .build()
            .expect("the actor policy is set"),
    )
}

/// The actor policy of an IAM authentication method the SDK read, as JSON.
pub fn actor_policy_of(method: Option<&AuthenticationMethod>) -> Value {
    let method = method.expect("an authentication method");
    let iam = method.as_iam().expect("an IAM authentication method");
    json_of(iam.actor_policy())
}

/// A policy that lets one role call CreateTokenWithIAM for the application.
pub fn actor_policy(role: &str) -> Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::123456789012:role/{role}")},
            "Action": "sso-oauth:CreateTokenWithIAM",
            "Resource": "*"
        }]
    })
}

/// A response read off the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {:?}", self.body))
    }

    /// `__type` of the body, checked against the `x-amzn-ErrorType` header.
    pub fn error_type(&self) -> String {
        let from_body = self.json()["__type"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert_eq!(self.header("x-amzn-ErrorType"), Some(from_body.as_str()));
        from_body
    }
}

fn host_of(endpoint: &str) -> &str {
    endpoint.trim_start_matches("http://")
}

/// Send one HTTP/1.1 request and read the whole response.
pub async fn raw(
    endpoint: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> RawResponse {
    let host = host_of(endpoint);
    let mut stream = TcpStream::connect(host).await.expect("connect");
    let mut request = format!("{method} {path} HTTP/1.1\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("host: {host}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("http response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// What to put into a hand-made signature.
pub struct Signing<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a str,
    pub amz_date: String,
    pub region: &'a str,
    pub service: &'a str,
    pub session_token: Option<&'a str>,
    pub content_type: &'a str,
    /// Leave `x-amz-target` out of the request (and the signature).
    pub omit_target: bool,
}

impl Default for Signing<'_> {
    fn default() -> Self {
        Self {
            access_key_id: DEMO_ACCESS_KEY_ID,
            secret: DEMO_SECRET_ACCESS_KEY,
            amz_date: chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string(),
            region: "us-east-1",
            service: "sso",
            session_token: None,
            content_type: "application/x-amz-json-1.1",
            omit_target: false,
        }
    }
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("hmac key");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Headers of a signed AWS JSON 1.1 call (a test-side SigV4 signer, independent of the emulator).
pub fn signed_headers(
    endpoint: &str,
    target: &str,
    body: &[u8],
    s: &Signing<'_>,
) -> Vec<(String, String)> {
    let headers = unsigned_headers(endpoint, target, s);
    let names: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    sign_as(headers, &names, body, s)
}

/// The headers of an AWS JSON 1.1 call before signing, sorted by name.
pub fn unsigned_headers(endpoint: &str, target: &str, s: &Signing<'_>) -> Vec<(String, String)> {
    let host = host_of(endpoint);
    let mut headers = vec![
        ("content-type".to_string(), s.content_type.to_string()),
        ("host".to_string(), host.to_string()),
        ("x-amz-date".to_string(), s.amz_date.clone()),
    ];
    if let Some(token) = s.session_token {
        headers.push(("x-amz-security-token".to_string(), token.to_string()));
    }
    if !s.omit_target {
        headers.push(("x-amz-target".to_string(), target.to_string()));
    }
    headers
}

/// Sign `headers` listing exactly `signed_names` (in that order, duplicates and all) in
/// SignedHeaders; a listed header that is absent is canonicalised with an empty value. The
/// signature is correct for that list, so only the list's own shape can be at fault.
pub fn sign_as(
    mut headers: Vec<(String, String)>,
    signed_names: &[&str],
    body: &[u8],
    s: &Signing<'_>,
) -> Vec<(String, String)> {
    let signed = signed_names.join(";");
    let canonical_headers: String = signed_names
        .iter()
        .map(|name| {
            let value = headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            format!("{name}:{value}\n")
        })
        .collect();
    let canonical = format!(
        "POST\n/\n\n{canonical_headers}\n{signed}\n{}",
        hex::encode(Sha256::digest(body))
    );
    let date = &s.amz_date[..8];
    let scope = format!("{date}/{}/{}/aws4_request", s.region, s.service);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        s.amz_date,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{}", s.secret).as_bytes(), date);
    for part in [s.region, s.service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex::encode(hmac(&key, &to_sign));
    headers.push((
        "authorization".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
            s.access_key_id
        ),
    ));
    headers
}

/// A correctly signed raw call of `operation` (demo credentials) with `body`.
pub async fn call(endpoint: &str, operation: &str, body: &str) -> RawResponse {
    let target = format!("{TARGET_PREFIX}{operation}");
    let headers = signed_headers(endpoint, &target, body.as_bytes(), &Signing::default());
    raw(endpoint, "POST", "/", &headers, body.as_bytes()).await
}

/// The header that opens the inspection endpoints.
pub fn bearer() -> Vec<(String, String)> {
    vec![(
        "authorization".to_string(),
        format!("Bearer {INSPECTION_TOKEN}"),
    )]
}

/// `GET` an inspection endpoint and parse its JSON.
pub async fn inspect(endpoint: &str, path: &str) -> Value {
    let response = raw(endpoint, "GET", path, &bearer(), b"").await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}
