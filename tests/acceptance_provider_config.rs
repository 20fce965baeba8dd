//! Provider configuration with real Terraform: every way users give
//! credentials, region and endpoint, the diagnostics when something is
//! missing, values unknown at plan time, and how unrecoverable AWS errors
//! are reported.

mod support;

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
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("GetApplicationGrant failed"), "{text}");
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
    // The mode reached the provider's settings (client.rs's unit test pins
    // that the settings make an adaptive SDK client); standard mode would
    // pass the apply above too.
    let out = h.ws.run(&["plan", "-no-color", "-input=false"]);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("retry_mode: Some(Adaptive)"), "{log}");
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
