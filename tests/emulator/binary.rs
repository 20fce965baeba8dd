//! The `identitycenter-emulator` binary: startup lines, flags, seed file, and a real session.

use std::process::Stdio;

use aws_sdk_ssoadmin::config::Credentials;
use aws_sdk_ssoadmin::types::GrantType;
use identitycenter::emulator::cli::{CREDENTIALS_ENV, INSPECTION_TOKEN_ENV};
use identitycenter::emulator::DEMO_ACCESS_KEY_ID;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_identitycenter-emulator");

struct Running {
    _child: Child,
    endpoint: String,
    lines: Vec<String>,
}

async fn read_line(lines: &mut Lines<BufReader<ChildStdout>>) -> String {
    tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("emulator printed in time")
        .expect("stdout readable")
        .expect("a line")
}

/// Start the binary and read the listening line plus `extra_lines` more.
async fn spawn(args: &[&str], extra_lines: usize) -> Running {
    let mut all = vec!["--inspection-token", INSPECTION_TOKEN];
    all.extend_from_slice(args);
    spawn_with(&all, &[], extra_lines).await
}

/// Start the binary with exactly `args` (and a free port) and `env` added
/// to an environment without the emulator's own variables.
async fn spawn_with(args: &[&str], env: &[(&str, &str)], extra_lines: usize) -> Running {
    let mut child = Command::new(BIN)
        .args(["--port", "0"])
        .args(args)
        .env_remove(CREDENTIALS_ENV)
        .env_remove(INSPECTION_TOKEN_ENV)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn emulator");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = read_line(&mut lines).await;
    let endpoint = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    let port: u16 = endpoint
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("bad endpoint {endpoint}"));
    assert_ne!(port, 0);
    let mut rest = Vec::new();
    for _ in 0..extra_lines {
        rest.push(read_line(&mut lines).await);
    }
    Running {
        _child: child,
        endpoint,
        lines: rest,
    }
}

#[tokio::test]
async fn the_binary_announces_its_port_and_seeded_arns_then_serves_the_sdk() {
    let emu = spawn(
        &["--application", "web", "--trusted-token-issuer", "corp"],
        3,
    )
    .await;
    assert!(
        emu.lines[0].starts_with("instance arn:aws:sso:::instance/ssoins-"),
        "{:?}",
        emu.lines
    );
    let app_line: Vec<&str> = emu.lines[1].split(' ').collect();
    assert_eq!(app_line[..2], ["application", "web"]);
    let tti_line: Vec<&str> = emu.lines[2].split(' ').collect();
    assert_eq!(tti_line[..2], ["trusted-token-issuer", "corp"]);
    let (app, tti) = (app_line[2], tti_line[2]);
    assert!(
        tti.contains(":trustedTokenIssuer/ssoins-") && tti.contains("/tti-"),
        "{tti}"
    );

    let c = client_for(&emu.endpoint, demo_credentials(), 1);
    c.put_application_grant()
        .application_arn(app)
        .grant_type(GrantType::JwtBearer)
        .grant(jwt_bearer(tti, &["client-id"]))
        .send()
        .await
        .expect("put");
    let got = c
        .get_application_grant()
        .application_arn(app)
        .grant_type(GrantType::JwtBearer)
        .send()
        .await
        .expect("get");
    assert_eq!(got.grant(), Some(&jwt_bearer(tti, &["client-id"])));
    assert_eq!(
        inspect(&emu.endpoint, "/_stats").await["calls"]["GetApplicationGrant"],
        1
    );

    assert_eq!(
        raw(&emu.endpoint, "POST", "/_reset", &bearer(), b"")
            .await
            .status,
        200
    );
    let gone = c
        .get_application_grant()
        .application_arn(app)
        .grant_type(GrantType::JwtBearer)
        .send()
        .await;
    assert_eq!(code_of(gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_seed_file_fixes_arns_and_preloads_grants() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("seed.json");
    let seed = json!({
        "instance_id": "ssoins-1111222233334444",
        "applications": [{"name": "web", "id": "apl-aaaabbbbccccdddd"}],
        "grants": [{"application": "web", "grant_type": "refresh_token", "grant": {"RefreshToken": {}}}]
    });
    std::fs::write(&path, seed.to_string()).expect("write seed");
    let emu = spawn(&["--seed", path.to_str().expect("utf-8 path")], 2).await;
    let app = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd";
    assert_eq!(emu.lines[1], format!("application web {app}"));
    let c = client_for(&emu.endpoint, demo_credentials(), 1);
    let got = c
        .get_application_grant()
        .application_arn(app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await
        .expect("seeded grant");
    assert_eq!(got.grant(), Some(&refresh_token()));
}

#[tokio::test]
async fn the_binary_applies_fault_and_credential_flags() {
    let emu = spawn(
        &[
            "--throttle-rate",
            "1",
            "--credentials",
            "AKIDFLAG:flag-secret",
        ],
        1,
    )
    .await;
    let demo = client_for(&emu.endpoint, demo_credentials(), 1);
    assert_eq!(
        code_of(demo.list_instances().send().await),
        "UnrecognizedClientException"
    );
    let c = client_for(
        &emu.endpoint,
        aws_sdk_ssoadmin::config::Credentials::new("AKIDFLAG", "flag-secret", None, None, "t"),
        1,
    );
    assert_eq!(
        code_of(c.list_instances().send().await),
        "ThrottlingException"
    );
}

#[tokio::test]
async fn help_documents_every_flag() {
    let out = Command::new(BIN)
        .arg("--help")
        .output()
        .await
        .expect("run --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--page-size",
        "--region",
        "--account-id",
        "--instance-id",
        "--seed",
        "--application",
        "--trusted-token-issuer",
        "--credentials",
        "--credentials-file",
        "--inspection-token",
        "--inspection-token-file",
        "IDENTITYCENTER_EMULATOR_CREDENTIALS",
        "IDENTITYCENTER_EMULATOR_INSPECTION_TOKEN",
        "--delete-missing-ok",
        "--throttle-rate",
        "--internal-error-rate",
        "--conflict-rate",
        "--access-denied-rate",
        "--latency-ms",
        "--latency-jitter-ms",
        "--rate-limit",
        "--rate-limit-tps",
        "--invisible-ms",
        "--fault-seed",
    ] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
}

#[tokio::test]
async fn fault_rates_over_one_in_total_are_a_usage_error() {
    let out = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--throttle-rate",
            "0.6",
            "--internal-error-rate",
            "0.3",
            "--conflict-rate",
            "0.2",
        ])
        .output()
        .await
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sum to at most 1.0"), "{stderr}");
    assert!(out.stdout.is_empty(), "did not start listening");
}

#[tokio::test]
async fn help_explains_region_scoping_and_fault_shares() {
    let out = Command::new(BIN)
        .arg("--help")
        .output()
        .await
        .expect("run --help");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("any region)"), "{help}");
    assert!(help.contains("--any-region"), "{help}");
    assert!(help.contains("must sum to at most 1.0"), "{help}");
}

#[tokio::test]
async fn invalid_flags_and_seeds_stop_the_binary() {
    let bad_rate = Command::new(BIN)
        .args(["--throttle-rate", "2"])
        .output()
        .await
        .expect("run");
    assert!(!bad_rate.status.success());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("seed.json");
    std::fs::write(
        &path,
        r#"{"applications":[{"name":"web","id":"apl-short"}]}"#,
    )
    .expect("write");
    let bad_seed = Command::new(BIN)
        .args(["--port", "0", "--seed"])
        .arg(&path)
        .output()
        .await
        .expect("run");
    assert!(!bad_seed.status.success());
    assert!(String::from_utf8_lossy(&bad_seed.stderr).contains("application id"));
}

#[tokio::test]
async fn the_verbose_log_leaves_session_tokens_and_secrets_out() {
    const TOKEN: &str = "the-session-token-in-question";
    const SECRET: &str = "the-secret-in-question";
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--verbose", "--credentials"])
        .arg(format!("{DEMO_ACCESS_KEY_ID}:{SECRET}:{TOKEN}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn emulator");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = read_line(&mut lines).await;
    let endpoint = first.strip_prefix("listening on ").expect("endpoint");
    // A call signed with the wrong secret (its error carries the canonical
    // request) and a good one, both with the session token.
    let headers = signed_headers(
        endpoint,
        &format!("{TARGET_PREFIX}ListInstances"),
        b"{}",
        &Signing {
            secret: "not-the-secret",
            session_token: Some(TOKEN),
            ..Signing::default()
        },
    );
    let refused = raw(endpoint, "POST", "/", &headers, b"{}").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let credentials = aws_sdk_ssoadmin::config::Credentials::new(
        DEMO_ACCESS_KEY_ID,
        SECRET,
        Some(TOKEN.to_string()),
        None,
        "test",
    );
    client_for(endpoint, credentials, 1)
        .list_instances()
        .send()
        .await
        .expect("a call with the session token");
    child.start_kill().expect("kill");
    let out = child.wait_with_output().await.expect("emulator output");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("request failed"), "the verbose log: {log}");
    assert!(log.contains("Canonical String"), "the verbose log: {log}");
    for secret in [TOKEN, SECRET] {
        assert!(!log.contains(secret), "{secret} in the verbose log: {log}");
    }
}

/// The emulator accepts `good` and refuses the demo pair, and its
/// inspection endpoints open with `token`, the one it announced.
async fn serves_with(emu: &Running, good: Credentials, token: &str) {
    let c = client_for(&emu.endpoint, good, 1);
    c.list_instances()
        .send()
        .await
        .expect("the configured key pair is accepted");
    let demo = client_for(&emu.endpoint, demo_credentials(), 1);
    let refused = demo.list_instances().send().await;
    assert_eq!(code_of(refused), "UnrecognizedClientException");
    assert_eq!(
        emu.lines.last().map(String::as_str),
        Some(format!("inspection-token {token}").as_str())
    );
    let headers = vec![("authorization".to_string(), format!("Bearer {token}"))];
    let stats = raw(&emu.endpoint, "GET", "/_stats", &headers, b"").await;
    assert_eq!(stats.status, 200, "{}", stats.body);
}

#[tokio::test]
async fn credentials_and_the_inspection_token_can_stay_off_the_command_line() {
    // A command line is readable by every user of the machine; the
    // environment and a private file are not.
    let from_env = spawn_with(
        &[],
        &[
            (
                CREDENTIALS_ENV,
                "AKIDFROMENV:env-secret,AKIDSECOND:second-secret",
            ),
            (INSPECTION_TOKEN_ENV, "token-from-env"),
        ],
        2,
    )
    .await;
    serves_with(
        &from_env,
        Credentials::new("AKIDFROMENV", "env-secret", None, None, "test"),
        "token-from-env",
    )
    .await;
    serves_with(
        &from_env,
        Credentials::new("AKIDSECOND", "second-secret", None, None, "test"),
        "token-from-env",
    )
    .await;

    let dir = tempfile::tempdir().expect("tempdir");
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        "# emulator credentials\n\nAKIDFROMFILE:file-secret:file-session-token\n",
    )
    .expect("credentials file");
    let token = dir.path().join("token");
    std::fs::write(&token, "token-from-file\n").expect("token file");
    let from_files = spawn_with(
        &[
            "--credentials-file",
            credentials.to_str().expect("utf-8"),
            "--inspection-token-file",
            token.to_str().expect("utf-8"),
        ],
        &[],
        2,
    )
    .await;
    serves_with(
        &from_files,
        Credentials::new(
            "AKIDFROMFILE",
            "file-secret",
            Some("file-session-token".to_string()),
            None,
            "test",
        ),
        "token-from-file",
    )
    .await;
}

#[tokio::test]
async fn an_inspection_token_given_twice_or_a_bad_credentials_line_is_refused() {
    // Refused at start: a run that does not end within this serves instead.
    let exits = |mut cmd: Command| async move {
        tokio::time::timeout(
            std::time::Duration::from_secs(30),
            cmd.kill_on_drop(true).output(),
        )
        .await
        .expect("the emulator refuses to start instead of serving")
        .expect("run emulator")
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let token = dir.path().join("token");
    std::fs::write(&token, "from-file\n").expect("token file");
    let mut twice = Command::new(BIN);
    twice
        .args(["--port", "0", "--inspection-token-file"])
        .arg(&token)
        .env(INSPECTION_TOKEN_ENV, "from-env")
        .env_remove(CREDENTIALS_ENV);
    let twice = exits(twice).await;
    assert!(!twice.status.success());
    let stderr = String::from_utf8_lossy(&twice.stderr);
    assert!(
        stderr.contains("the inspection token is given twice"),
        "{stderr}"
    );

    let credentials = dir.path().join("credentials");
    std::fs::write(&credentials, "AKIDGOOD:secret\nno-colon-secret\n").expect("file");
    let mut bad = Command::new(BIN);
    bad.args(["--port", "0", "--credentials-file"])
        .arg(&credentials)
        .env_remove(CREDENTIALS_ENV)
        .env_remove(INSPECTION_TOKEN_ENV);
    let bad = exits(bad).await;
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(
        !stderr.contains("no-colon-secret"),
        "the error shows the secret: {stderr}"
    );
}
