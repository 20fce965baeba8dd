//! Provider configuration with real Terraform: every way users give
//! credentials, region and endpoint, the diagnostics when something is
//! missing, values unknown at plan time, and how unrecoverable AWS errors
//! are reported.

mod support;

use identitycenter::emulator::{EmulatorConfig, Seed};
use identitycenter::provider::client::build_client;
use identitycenter::provider::client_settings::ProviderSettings;
use identitycenter::provider::provider_block::RetryMode;
use serde_json::Value;
use support::emulator::{Emulator, ACCESS_KEY, SECRET_KEY};
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, required_providers};

fn refresh_grant(app: &str) -> String {
    grant_hcl("g", app, "refresh_token", REFRESH_TOKEN)
}

#[test]
fn configured_entirely_from_the_environment() {
    // The emulator only accepts signatures for its own region, so this also
    // proves the provider signs for the region it was given.
    let emulator = Emulator::start(&["app"], &[], &["--region", "eu-west-1"]);
    let app = emulator.app("app").to_string();
    let endpoint = emulator.endpoint.clone();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = String::new();
    h.ws.env("AWS_REGION", "eu-west-1");
    h.ws.env("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    h.ws.env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    h.ws.env("AWS_ENDPOINT_URL_SSO_ADMIN", &endpoint);
    h.run(vec![Step::apply(refresh_grant(&app))]);
}

#[test]
fn profile_from_shared_config_and_credentials_files() {
    let emulator = Emulator::start(&["app"], &[], &["--region", "us-west-2"]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    let dir = h.ws.path().to_path_buf();
    std::fs::write(
        dir.join("config"),
        format!(
            "[profile emu]\nregion = us-west-2\nendpoint_url = {}\n",
            h.emulator.endpoint
        ),
    )
    .expect("config file");
    std::fs::write(
        dir.join("credentials"),
        format!("[emu]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"),
    )
    .expect("credentials file");
    h.provider_block = format!(
        "provider \"identitycenter\" {{\n  profile                  = \"emu\"\n  shared_config_files      = [\"{}\"]\n  shared_credentials_files = [\"{}\"]\n}}\n",
        dir.join("config").display(),
        dir.join("credentials").display()
    );
    h.run(vec![Step::apply(refresh_grant(&app))]);
}

#[test]
fn missing_region_and_missing_credentials_say_how_to_fix_them() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let endpoint = emulator.endpoint.clone();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = format!(
        "provider \"identitycenter\" {{\n  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{SECRET_KEY}\"\n  endpoints {{\n    ssoadmin = \"{endpoint}\"\n  }}\n}}\n"
    );
    let no_credentials = format!(
        "provider \"identitycenter\" {{\n  region = \"us-east-1\"\n  endpoints {{\n    ssoadmin = \"{endpoint}\"\n  }}\n}}\n"
    );
    h.run(vec![
        Step::plan(refresh_grant(&app)).expect_error("No AWS region")
    ]);
    h.provider_block = no_credentials;
    h.run(vec![
        Step::plan(refresh_grant(&app)).expect_error("AWS_ACCESS_KEY_ID")
    ]);
    h.provider_block = format!(
        "provider \"identitycenter\" {{\n  region     = \"us-east-1\"\n  access_key = \"{ACCESS_KEY}\"\n}}\n"
    );
    h.run(vec![
        Step::plan(refresh_grant(&app)).expect_error("Incomplete static credentials")
    ]);
    assert_eq!(h.emulator.aws_calls(), 0);
}

#[test]
fn provider_configuration_unknown_at_plan_time() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    // The region comes from a resource, so it is unknown while planning the
    // first apply: planning a create needs no AWS call and must work.
    h.provider_block = h.emulator.provider_block().replace(
        "region     = \"us-east-1\"",
        "region     = terraform_data.region.output",
    );
    let config = format!(
        "resource \"terraform_data\" \"region\" {{\n  input = \"us-east-1\"\n}}\n{}",
        refresh_grant(&app)
    );
    h.run(vec![Step::apply(config).actions(vec![
        ("terraform_data.region", vec!["create"]),
        ("identitycenter_application_grant.g", vec!["create"]),
    ])]);
}

#[test]
fn errors_that_outlast_retries_name_the_operation_grant_and_aws_error() {
    let emulator = Emulator::start(&["app"], &[], &["--throttle-rate", "1.0"]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = h.emulator.provider_block().replace(
        "region     = \"us-east-1\"",
        "region      = \"us-east-1\"\n  max_retries = 1",
    );
    // Each apply makes one AWS call, create's existence check, and it is
    // throttled every time: with max_retries = 1 it is tried exactly twice,
    // and nothing is written.
    let attempts = |emu: &Emulator| {
        (
            emu.calls("GetApplicationGrant"),
            emu.calls("PutApplicationGrant"),
        )
    };
    h.run(vec![
        Step::apply(refresh_grant(&app)).expect_error("ThrottlingException")
    ]);
    assert_eq!(
        attempts(&h.emulator),
        (2, 0),
        "first apply: max_retries + 1 attempts"
    );
    let out =
        h.ws.run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert_eq!(
        attempts(&h.emulator),
        (4, 0),
        "second apply: two more attempts"
    );
    // Terraform wraps long lines: compare the words.
    let text = String::from_utf8_lossy(&out.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("checking whether the grant exists (GetApplicationGrant) failed"),
        "{text}"
    );
    assert!(
        text.contains("refresh_token grant of application"),
        "{text}"
    );
    assert!(text.contains(&app), "{text}");
    // Nothing was created, so nothing is in state.
    let show: Value = serde_json::from_str(&h.ws.run_ok(&["show", "-json"])).expect("show");
    assert!(state_grants(&show).is_empty());
}

#[test]
fn adaptive_retry_mode_rides_out_throttling() {
    let emulator = Emulator::start(
        &["app"],
        &[],
        &["--throttle-rate", "0.15", "--fault-seed", "5"],
    );
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = h.emulator.provider_block().replace(
        "region     = \"us-east-1\"",
        "region     = \"us-east-1\"\n  retry_mode = \"adaptive\"",
    );
    h.ws.env("TF_LOG_PROVIDER", "DEBUG");
    h.run(vec![Step::apply(refresh_grant(&app)).check(|emu, show| {
        assert_state_matches_emulator(emu, show);
        assert!(emu.stats()["faults"]["throttle"].as_u64().unwrap_or(0) > 0);
    })]);
    // The mode reached the provider's settings; standard mode would pass
    // the apply above too. What those settings do is the next test's.
    let out = h.ws.run(&["plan", "-no-color", "-input=false"]);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("retry_mode: Some(Adaptive)"), "{log}");
}

/// How many of 30 back-to-back ListApplicationGrants calls, made through
/// the client the provider builds with `retry_mode`, an emulator admitting
/// 5 calls per second throttled.
async fn throttled_of_thirty_calls(retry_mode: RetryMode) -> u64 {
    let mut config = EmulatorConfig {
        seed: serde_json::from_value::<Seed>(serde_json::json!({
            "applications": [{"name": "web"}]
        }))
        .expect("seed"),
        ..EmulatorConfig::default()
    };
    config.faults.rate_limit_tps = Some(5.0);
    let emulator = identitycenter::emulator::start(config)
        .await
        .expect("emulator");
    let app = emulator.applications()[0].arn.clone();
    let settings = ProviderSettings {
        region: Some("us-east-1".into()),
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some(SECRET_KEY.into()),
        ssoadmin_endpoint: Some(emulator.endpoint()),
        retry_mode: Some(retry_mode),
        ..Default::default()
    };
    let client = build_client(&settings).await.expect("client");
    for _ in 0..30 {
        client
            .list_application_grants()
            .application_arn(&app)
            .send()
            .await
            .expect("retried until it got through");
    }
    emulator.stats()["faults"]["rate_limit"]
        .as_u64()
        .expect("a count")
}

#[tokio::test]
async fn adaptive_mode_throttles_itself_where_standard_mode_keeps_being_throttled() {
    // Standard retries go back to full speed after each throttle and meet
    // the limit again and again (9 to 11 throttles here); adaptive mode's
    // client-side limiter slows down after the first (3 here, every run).
    let (standard, adaptive) = tokio::join!(
        throttled_of_thirty_calls(RetryMode::Standard),
        throttled_of_thirty_calls(RetryMode::Adaptive)
    );
    assert!(standard > 0, "the rate limit must bite");
    assert!(
        adaptive * 2 < standard,
        "adaptive mode was throttled {adaptive} times, standard mode {standard}"
    );
}

#[test]
fn assume_role_signs_every_call_with_the_session_it_assumed() {
    const ROLE: &str = "arn:aws:iam::123456789012:role/terraform";
    let emulator = Emulator::start(
        &["app"],
        &[],
        &["--assumable-role", &format!("{ROLE}#ci-external-id")],
    );
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    // STS is found where the SDKs look for a service's endpoint override.
    h.ws.env("AWS_ENDPOINT_URL_STS", &h.emulator.endpoint.clone());
    let assume = |external_id: &str| {
        h.emulator.provider_block().replace(
            "region     = \"us-east-1\"",
            &format!(
                "region     = \"us-east-1\"\n  assume_role {{\n    role_arn     = \"{ROLE}\"\n    session_name = \"ci\"\n    external_id  = \"{external_id}\"\n    duration     = \"2h\"\n  }}"
            ),
        )
    };
    h.provider_block = assume("ci-external-id");
    h.run(vec![Step::apply(refresh_grant(&app)).check(|emu, _| {
        let stats = emu.stats();
        let assumed = stats["assumed_roles"].as_array().expect("a list");
        assert!(!assumed.is_empty(), "{stats}");
        for session in assumed {
            assert_eq!(
                session,
                &serde_json::json!({
                    "RoleArn": ROLE,
                    "RoleSessionName": "ci",
                    "ExternalId": "ci-external-id",
                    "DurationSeconds": 7200
                })
            );
        }
        let sso_calls: u64 = stats["calls"]
            .as_object()
            .expect("calls")
            .values()
            .filter_map(Value::as_u64)
            .sum();
        assert!(sso_calls > 0);
        assert_eq!(
            stats["calls_as_assumed_role"], sso_calls,
            "every SSO Admin call signed by the assumed role: {stats}"
        );
    })]);
    // A trust policy the configuration does not meet: refused when the
    // provider is configured, with STS's reason.
    h.provider_block = assume("someone-else");
    h.write(&refresh_grant(&app));
    let out = h.ws.run(&["plan", "-no-color", "-input=false"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr).replace('\n', " ");
    for expected in [
        "No valid AWS credentials",
        "AccessDenied",
        &format!("not authorized to perform: sts:AssumeRole on resource: {ROLE}"),
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
}

#[test]
fn provider_block_values_are_validated_on_their_attribute() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    // Each setting, the error it must raise, and the value it must point at
    // (line and column from `-json`, as Terraform shows them), found as the
    // last part of a unique line of the setting.
    let cases = [
        (
            "retry_mode = \"sometimes\"",
            "Invalid retry mode",
            "retry_mode = \"sometimes\"",
            "\"sometimes\"",
        ),
        (
            "max_retries = -1",
            "Invalid max_retries",
            "max_retries = -1",
            "-1",
        ),
        (
            "assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/x\"\n    duration = \"2d\"\n  }",
            "Invalid assume_role duration",
            "duration = \"2d\"",
            "\"2d\"",
        ),
        (
            "assume_role {\n    role_arn = \"arn:aws:iam::123456789012:user/x\"\n  }",
            "Invalid assume_role role_arn",
            "role_arn = \"arn:aws:iam::123456789012:user/x\"",
            "\"arn:aws:iam::123456789012:user/x\"",
        ),
    ];
    h.ws.write_config(&format!("{}{}", required_providers(), refresh_grant(&app)));
    h.ws.init();
    for (setting, summary, line, value) in cases {
        let config = format!(
            "{}provider \"identitycenter\" {{\n  region = \"us-east-1\"\n  {setting}\n}}\n{}",
            required_providers(),
            refresh_grant(&app)
        );
        h.ws.write_config(&config);
        let out = h.ws.run(&["validate", "-json"]);
        assert!(!out.status.success(), "{setting} must be rejected");
        let report: Value = serde_json::from_slice(&out.stdout).expect("validate JSON");
        let diag = report["diagnostics"]
            .as_array()
            .and_then(|ds| ds.iter().find(|d| d["summary"] == summary))
            .unwrap_or_else(|| panic!("{setting}: no {summary:?} in {report}"));
        let ((row, column), (_, end)) = locate(&config, line);
        let value_column = end - value.len() as u64;
        assert!(line.ends_with(value) && value_column > column);
        assert_eq!(
            diagnostic_range(diag),
            ((row, value_column), (row, end)),
            "{setting}: {summary} points at {value}: {diag:#}"
        );
    }
}

#[test]
fn secrets_never_reach_the_logs() {
    // Temporary credentials: the emulator accepts this key only with this
    // session token, so a completed apply proves both were used.
    const TOKEN: &str = "session-token-that-must-stay-secret";
    const KEY: &str = "secret-key-that-must-stay-secret";
    let credentials = format!("AKIATEMPORARYKEY0001:{KEY}:{TOKEN}");
    let emulator = Emulator::start(&["app"], &[], &["--credentials", &credentials]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = format!(
        "provider \"identitycenter\" {{\n  region     = \"us-east-1\"\n  access_key = \"AKIATEMPORARYKEY0001\"\n  secret_key = \"{KEY}\"\n  token      = \"{TOKEN}\"\n  endpoints {{\n    ssoadmin = \"{}\"\n  }}\n}}\n",
        h.emulator.endpoint
    );
    h.ws.env("TF_LOG", "TRACE");
    h.ws.env("TF_LOG_PROVIDER", "TRACE");
    h.write(&refresh_grant(&app));
    h.ws.init();
    let out =
        h.ws.run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let everything = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the apply completes: {everything}");
    assert_eq!(h.emulator.grants().len(), 1);
    assert!(
        everything.contains("provider.terraform-provider-identitycenter"),
        "no provider log lines captured"
    );
    // Anywhere in Terraform's and the provider's output, including hclog's
    // multi-line values.
    // Nor a request signature, which would let a reader replay the call.
    for secret in [KEY, TOKEN, "Signature="] {
        let leaks: Vec<&str> = everything.lines().filter(|l| l.contains(secret)).collect();
        assert!(leaks.is_empty(), "{secret:?} in the output: {leaks:#?}");
    }
}

#[test]
fn a_write_that_may_have_happened_is_kept_in_state_as_tainted() {
    // With this seed the create's existence check passes and its Put gets a
    // 500: AWS may or may not have stored the grant, so state must keep it
    // (tainted) rather than forget something that might exist.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &["--internal-error-rate", "0.5", "--fault-seed", "9"],
    );
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = h.emulator.provider_block().replace(
        "region     = \"us-east-1\"",
        "region      = \"us-east-1\"\n  max_retries = 0",
    );
    h.run(vec![
        Step::apply(refresh_grant(&app)).expect_error("InternalServerException")
    ]);
    let show: Value = serde_json::from_str(&h.ws.run_ok(&["show", "-json"])).expect("show");
    let resources = show["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(resources.len(), 1, "the grant must stay in state: {show}");
    assert_eq!(resources[0]["tainted"], true, "{show}");
}

#[tokio::test]
async fn configure_checks_the_declared_rules_itself() {
    // Terraform validates the block before configuring, but a value that
    // was unknown then is known only now: ConfigureProvider runs the
    // argument rules itself, so the settings never hold a guessed value.
    use identitycenter::proto::tfplugin6::{configure_provider, provider_client::ProviderClient};
    use support::configured::{dynamic, provider_config};
    use support::plugin_client::{connect, launch};

    let emulator = Emulator::start(&["app"], &[], &[]);
    let launched = launch(None, &[]);
    let (channel, _) = connect(&launched, None).await.expect("connect");
    let mut client = ProviderClient::new(channel);
    let ty = identitycenter::provider::provider_block::schema().implied_type();
    let mut config = provider_config(&emulator.endpoint);
    if let identitycenter::value::Value::Object(attrs) = &mut config {
        attrs.insert(
            "retry_mode".into(),
            identitycenter::value::Value::string("sometimes"),
        );
    }
    let configured = client
        .configure_provider(configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: dynamic(&config, &ty),
            client_capabilities: None,
        })
        .await
        .expect("ConfigureProvider")
        .into_inner();
    let summaries: Vec<&str> = configured
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Invalid retry mode"], "{configured:?}");
    let detail = &configured.diagnostics[0].detail;
    assert_eq!(
        detail,
        "retry_mode must be \"standard\" or \"adaptive\", not \"sometimes\"."
    );
    assert!(
        configured.diagnostics[0].attribute.is_some(),
        "the error is on retry_mode"
    );
}
