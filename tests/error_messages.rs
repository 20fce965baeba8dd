//! The errors a user meets first, as Terraform shows them: each says what
//! went wrong in the user's terms and what to do, and none dumps the SDK's
//! internals (Rust debug forms, AWS's canonical request).

mod support;

use serde_json::Value;
use support::emulator::{Emulator, ACCESS_KEY};
use support::examples::copy_example_dir;
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, Workspace};

/// Runs `terraform apply -auto-approve -json` and returns its error
/// diagnostics.
fn apply_errors(ws: &Workspace) -> Vec<Value> {
    let out = ws.run(&["apply", "-auto-approve", "-json", "-input=false"]);
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    errors(&lines)
}

/// The one error among `diagnostics`.
fn only(diagnostics: Vec<Value>) -> Value {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    diagnostics.into_iter().next().expect("one diagnostic")
}

fn detail(d: &Value) -> &str {
    d["detail"].as_str().unwrap_or_default()
}

/// Text that belongs in a log, never in a diagnostic.
const INTERNALS: [&str; 7] = [
    "CredentialsNotLoaded",
    "ProviderChainError",
    "ProviderAttempt",
    "ServiceError",
    "DispatchFailure",
    "{ source",
    "Some(",
];

fn assert_no_internals(text: &str) {
    for internal in INTERNALS {
        assert!(!text.contains(internal), "{internal:?} in:\n{text}");
    }
}

#[test]
fn missing_credentials_list_every_source_tried_and_why_in_words() {
    // The workspace clears every AWS variable and turns instance metadata
    // off, so the default chain tries every source and finds nothing.
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = format!(
        "provider \"identitycenter\" {{\n  region = \"us-east-1\"\n  endpoints {{\n    ssoadmin = \"{}\"\n  }}\n}}\n",
        h.emulator.endpoint
    );
    h.write(&grant_hcl("g", &app, "refresh_token", REFRESH_TOKEN));
    h.ws.init();
    let d = only(h.plan_errors());
    assert_eq!(d["summary"], "No valid AWS credentials");
    let text = detail(&d);
    // Each source, in the order the provider looks, with its reason.
    let sources = [
        "access_key and secret_key in the provider block: not set",
        "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: environment variable \
         not set",
        "shared config and credentials files, profile \"default\": ",
        "web identity (AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE): ",
        "container credentials endpoint (ECS, EKS Pod Identity): ",
        "EC2 instance metadata (IMDS): IMDS disabled by AWS_EC2_METADATA_DISABLED",
    ];
    let mut from = 0;
    for source in sources {
        let at = text[from..]
            .find(&format!("  - {source}"))
            .unwrap_or_else(|| panic!("{source:?} not listed in order in:\n{text}"));
        from += at + source.len();
    }
    assert!(text.contains("Set access_key and secret_key"), "{text}");
    assert_no_internals(text);
    assert!(
        !text.contains("the credential provider was not enabled"),
        "{text}"
    );
    assert_eq!(h.emulator.aws_calls(), 0);
}

#[test]
fn a_wrong_secret_key_shows_awss_code_and_advice_not_the_canonical_request() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = h.emulator.provider_block().replace(
        support::emulator::SECRET_KEY,
        "not-the-secret-of-this-access-key",
    );
    assert!(h.provider_block.contains(ACCESS_KEY));
    h.write(&grant_hcl("g", &app, "refresh_token", REFRESH_TOKEN));
    h.ws.init();
    let d = only(apply_errors(&h.ws));
    // Create's first call checks that the grant does not exist yet.
    assert_eq!(
        d["summary"],
        "checking whether the grant exists (GetApplicationGrant) failed"
    );
    let text = detail(&d);
    for wanted in [
        "for the refresh_token grant of application",
        &app,
        "InvalidSignatureException: The request signature we calculated does not match the \
         signature you provided.",
        "AWS_SECRET_ACCESS_KEY",
        "signed for region us-east-1",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
    }
    for internal in [
        "Canonical String",
        "String-to-Sign",
        "AWS4-HMAC-SHA256",
        "x-amz-",
    ] {
        assert!(!text.contains(internal), "{internal:?} in:\n{text}");
    }
    assert_no_internals(text);

    // The whole of AWS's answer is still there for whoever asks for TRACE.
    let mut traced = Workspace::new(&latest_terraform());
    std::fs::copy(h.ws.path().join("main.tf"), traced.path().join("main.tf")).expect("copy");
    traced.env("TF_LOG_PROVIDER", "TRACE");
    traced.init();
    let out = traced.run(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(!out.status.success());
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("AWS error, in full") && log.contains("The Canonical String for this request"),
        "the TRACE log keeps AWS's whole message:\n{log}"
    );
}

#[test]
fn an_application_that_does_not_exist_says_to_check_the_arn_region_and_account() {
    // A well-formed ARN passes plan; only AWS can say the application is
    // not there (or not in this region and account).
    let emulator = Emulator::start(&["app"], &[], &[]);
    let absent =
        "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-0000000000000000";
    let h = Harness::new(&latest_terraform(), emulator);
    h.write(&grant_hcl("g", absent, "refresh_token", REFRESH_TOKEN));
    h.ws.init();
    h.ws.run_ok(&["plan", "-no-color", "-input=false"]);
    let d = only(apply_errors(&h.ws));
    assert_eq!(
        d["summary"],
        "writing the grant (PutApplicationGrant) failed"
    );
    let text = detail(&d);
    for wanted in [
        "ResourceNotFoundException",
        absent,
        "Check that application_arn is right",
        "the provider calls us-east-1, at http://127.0.0.1:",
        "the account of the credentials",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
    }
    assert_no_internals(text);
}

#[test]
fn a_grant_that_exists_inside_a_module_is_adopted_by_following_the_message() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let mut h = Harness::new(&latest_terraform(), emulator);
    // A refusal comes after the visibility window: keep it short here.
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "2s");
    copy_example_dir(&h.ws, "modules", "modules");
    h.write(&format!(
        "module \"sign_in\" {{\n  source          = \"./modules/oauth_application\"\n  application_arn = \"{app}\"\n  redirect_uris   = [\"https://app.example.com/callback\"]\n}}\n"
    ));
    let ws = &h.ws;
    ws.init();

    let d = only(apply_errors(ws));
    assert_eq!(d["summary"], "Grant already exists");
    // Terraform shows the address above the message and points at the
    // module's file; the message sends the import block to the root.
    let address = d["address"].as_str().expect("the resource's address");
    assert_eq!(
        address,
        "module.sign_in.identitycenter_application_grant.refresh_token[0]"
    );
    let text = detail(&d);
    for wanted in [
        "Put this block in the root module",
        "also when the resource is declared inside a module",
        "as Terraform shows it above after \"with\"",
        "module.MODULE.identitycenter_application_grant.NAME",
        "terraform import",
    ] {
        assert!(text.contains(wanted), "{wanted:?} not in:\n{text}");
    }

    // Doing what it says: the block, with the address Terraform showed, in
    // a file of the root module.
    let block = text
        .split("\n\n")
        .find(|paragraph| paragraph.starts_with("import {"))
        .unwrap_or_else(|| panic!("no import block in:\n{text}"));
    std::fs::write(
        ws.path().join("imports.tf"),
        block.replace("ADDRESS", address),
    )
    .expect("write imports.tf");
    let out = ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert!(
        out.contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed."),
        "{out}"
    );
    assert_eq!(h.emulator.grants().len(), 2);
    h.assert_empty_plan("after the import");
}
