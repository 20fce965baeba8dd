//! The Terraform version matrix: the README promises behaviour at every
//! language boundary from 1.0 to 1.15, so one Terraform per boundary that
//! can be installed here (1.6.6, 1.8.4, 1.12.2, 1.14.9; `make tools`) runs
//! a lean compatibility suite against the real provider and the emulator:
//! apply, an empty plan, an `import` block, destroy; then the feature its
//! version introduced works, and every newer one is refused by Terraform
//! itself. 1.0.3 and 1.15.5 run the whole suite elsewhere.
//!
//! The versions run in parallel, each with its own emulator and workspace:
//! most of a Terraform command is waiting on its plugins.

mod support;

use serde_json::{json, Value};
use support::emulator::Emulator;
use support::grants::{
    authorization_code, grant_hcl, REFRESH_TOKEN, TOKEN_EXCHANGE, TOKEN_EXCHANGE_TYPE,
};
use support::steps::{messages, Harness, Step};
use support::terraform::{matrix_versions, TerraformCli};

/// A language feature of Terraform that this provider serves, and the
/// version that introduced it.
struct Feature {
    since: (u32, u32),
    name: &'static str,
    /// Proves it works on `terraform`.
    works: fn(&TerraformCli),
    /// Proves an older `terraform` refuses it, when a check can say so.
    refused: Option<fn(&TerraformCli)>,
}

/// The boundaries the README names, oldest first.
const FEATURES: &[Feature] = &[
    Feature {
        since: (1, 6),
        name: "terraform test",
        works: terraform_test_runs_against_the_provider,
        // Before 1.6 `terraform test` was an experiment with other files.
        refused: None,
    },
    Feature {
        since: (1, 7),
        name: "mock_provider in terraform test",
        // No installable Terraform introduces it alone (1.8.4 comes next):
        // only its absence is checked.
        works: |_| {},
        refused: Some(mock_provider_is_refused),
    },
    Feature {
        since: (1, 8),
        name: "provider functions",
        works: provider_functions_build_and_parse_grant_ids,
        refused: Some(provider_functions_are_refused),
    },
    Feature {
        since: (1, 12),
        name: "import by identity",
        works: import_by_identity_adopts_a_grant,
        refused: Some(import_by_identity_is_refused),
    },
    Feature {
        since: (1, 14),
        name: "terraform query",
        works: terraform_query_lists_the_grants,
        refused: Some(terraform_query_is_refused),
    },
];

/// `1.12.2` → `(1, 12)`.
fn minor_version(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn every_terraform_of_the_matrix_passes_its_compatibility_suite() {
    let versions = matrix_versions();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = versions
            .iter()
            .map(|tf| (tf, scope.spawn(move || compatibility_suite(tf))))
            .collect();
        runs.into_iter()
            .filter_map(|(tf, run)| {
                run.join().err().map(|panic| {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    format!("Terraform {}: {message}", tf.version)
                })
            })
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} versions failed:\n\n{}",
        failures.len(),
        versions.len(),
        failures.join("\n\n")
    );
}

/// Everything one Terraform version must do.
fn compatibility_suite(tf: &TerraformCli) {
    let version = minor_version(&tf.version);
    lifecycle_with_an_import_block(tf);
    match FEATURES.iter().rev().find(|f| f.since <= version) {
        Some(newest) => {
            eprintln!("Terraform {}: {} works", tf.version, newest.name);
            (newest.works)(tf);
        }
        None => eprintln!("Terraform {}: predates every feature checked", tf.version),
    }
    for lacking in FEATURES.iter().filter(|f| f.since > version) {
        if let Some(refused) = lacking.refused {
            eprintln!("Terraform {}: {} is refused", tf.version, lacking.name);
            refused(tf);
        }
    }
}

/// Apply, an empty plan (the harness checks one after every apply), an
/// existing grant adopted with an `import` block, destroy.
fn lifecycle_with_an_import_block(tf: &TerraformCli) {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let created = grant_hcl(
        "created",
        &app,
        "authorization_code",
        &authorization_code(&["https://app.example.com/callback"]),
    );
    let adopted = format!(
        "import {{\n  to = identitycenter_application_grant.adopted\n  id = \"{app},refresh_token\"\n}}\n{}",
        grant_hcl("adopted", &app, "refresh_token", REFRESH_TOKEN)
    );
    let puts_before = emulator.calls("PutApplicationGrant");
    let h = Harness::new(tf, emulator);
    h.run(vec![
        Step::apply(created.clone())
            .actions(vec![(
                "identitycenter_application_grant.created",
                vec!["create"],
            )])
            .emulator_holds_unmanaged_grants(),
        Step::apply(format!("{created}{adopted}")).actions(vec![(
            "identitycenter_application_grant.adopted",
            vec!["no-op"],
        )]),
        Step::destroy(format!("{created}{adopted}")),
    ]);
    assert!(
        h.emulator.grants().is_empty(),
        "destroy left grants: {:?}",
        h.emulator.grants().keys().collect::<Vec<_>>()
    );
    assert_eq!(
        h.emulator.calls("PutApplicationGrant") - puts_before,
        1,
        "only the created grant is written; the adopted one is read"
    );
}

/// A harness on a fresh emulator with one application, and its ARN.
fn fresh(tf: &TerraformCli) -> (Harness, String) {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    (Harness::new(tf, emulator), app)
}

/// Terraform's words when it refuses what `h` holds: `terraform init`
/// already refuses a configuration it cannot read; what it can read must
/// then fail at `terraform ARGS`.
fn refusal(h: &Harness, args: &[&str], what: &str) -> String {
    let words = |out: &std::process::Output| {
        // Terraform wraps long lines: compare words.
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
    };
    let init = h.ws.run(&["init", "-no-color", "-input=false"]);
    if !init.status.success() {
        return words(&init);
    }
    let out = h.ws.run(args);
    assert!(
        !out.status.success(),
        "{what}: terraform {} succeeded:\n{}",
        args.join(" "),
        words(&out)
    );
    words(&out)
}

fn says(text: &str, expected: &str, what: &str) {
    assert!(
        text.contains(expected),
        "{what}: expected {expected:?} in:\n{text}"
    );
}

/// `terraform test` applies the configuration through the provider,
/// checks its assertion, and destroys what it made.
fn terraform_test_runs_against_the_provider(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.write(&grant_hcl(
        "tested",
        &app,
        TOKEN_EXCHANGE_TYPE,
        TOKEN_EXCHANGE,
    ));
    std::fs::write(
        h.ws.path().join("grant.tftest.hcl"),
        format!(
            "run \"creates_the_grant\" {{\n  assert {{\n    condition     = identitycenter_application_grant.tested.id == \"{app},{TOKEN_EXCHANGE_TYPE}\"\n    error_message = \"the id is not <application_arn>,<grant_type>\"\n  }}\n}}\n"
        ),
    )
    .expect("write grant.tftest.hcl");
    h.ws.init();
    let out = h.ws.run_ok(&["test", "-no-color"]);
    assert!(
        out.contains("1 passed, 0 failed"),
        "terraform test did not run the test:\n{out}"
    );
    assert_eq!(
        h.emulator.calls("PutApplicationGrant"),
        1,
        "terraform test applied through the provider"
    );
    assert!(
        h.emulator.grants().is_empty(),
        "terraform test destroys what it applied"
    );
}

/// Before 1.7, a test file cannot mock the provider.
fn mock_provider_is_refused(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.write(&grant_hcl(
        "tested",
        &app,
        TOKEN_EXCHANGE_TYPE,
        TOKEN_EXCHANGE,
    ));
    std::fs::write(
        h.ws.path().join("mocked.tftest.hcl"),
        "mock_provider \"identitycenter\" {}\n\nrun \"plans\" {\n  command = plan\n}\n",
    )
    .expect("write mocked.tftest.hcl");
    let text = refusal(&h, &["test", "-no-color"], "mock_provider");
    says(
        &text,
        "Blocks of type \"mock_provider\" are not expected here",
        "mock_provider",
    );
    assert_eq!(h.emulator.calls("PutApplicationGrant"), 0);
}

fn function_outputs(app: &str) -> String {
    format!(
        "output \"id\" {{\n  value = provider::identitycenter::grant_id(\"{app}\", \"refresh_token\")\n}}\n\
         output \"parsed\" {{\n  value = provider::identitycenter::parse_grant_id(\"{app},refresh_token\")\n}}\n"
    )
}

/// `grant_id` and `parse_grant_id` are called by Terraform 1.8 and later.
fn provider_functions_build_and_parse_grant_ids(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.write(&function_outputs(&app));
    h.ws.init();
    h.ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let outputs: Value =
        serde_json::from_str(&h.ws.run_ok(&["output", "-json"])).expect("outputs JSON");
    assert_eq!(outputs["id"]["value"], format!("{app},refresh_token"));
    assert_eq!(
        outputs["parsed"]["value"],
        json!({"application_arn": app, "grant_type": "refresh_token"})
    );
}

fn provider_functions_are_refused(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.write(&function_outputs(&app));
    let text = refusal(&h, &["validate", "-no-color"], "provider functions");
    says(
        &text,
        "provider::identitycenter::grant_id",
        "provider functions",
    );
}

fn import_by_identity(app: &str) -> String {
    format!(
        "import {{\n  to = identitycenter_application_grant.adopted\n  identity = {{\n    application_arn = \"{app}\"\n    grant_type      = \"{TOKEN_EXCHANGE_TYPE}\"\n  }}\n}}\n{}",
        grant_hcl("adopted", app, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE)
    )
}

/// An `import` block naming the grant by its identity adopts it.
fn import_by_identity_adopts_a_grant(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    let puts_before = h.emulator.calls("PutApplicationGrant");
    h.emulator.put_grant_out_of_band(
        &app,
        aws_sdk_ssoadmin::types::GrantType::TokenExchange,
        aws_sdk_ssoadmin::types::Grant::TokenExchange(
            aws_sdk_ssoadmin::types::TokenExchangeGrant::builder().build(),
        ),
    );
    h.run(vec![Step::apply(import_by_identity(&app))
        .actions(vec![(
            "identitycenter_application_grant.adopted",
            vec!["no-op"],
        )])
        .check(|_, show| {
            let adopted = show["values"]["root_module"]["resources"]
                .as_array()
                .and_then(|r| r.first())
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                adopted["address"],
                "identitycenter_application_grant.adopted"
            );
        })]);
    assert_eq!(
        h.emulator.calls("PutApplicationGrant") - puts_before,
        1,
        "only the out-of-band write: the import adopts, it does not write"
    );
}

fn import_by_identity_is_refused(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.write(&import_by_identity(&app));
    let text = refusal(&h, &["validate", "-no-color"], "import by identity");
    says(
        &text,
        "An argument named \"identity\" is not expected here",
        "import by identity",
    );
}

fn list_block(app: &str) -> String {
    format!(
        "list \"identitycenter_application_grant\" \"app\" {{\n  provider = identitycenter\n  config {{\n    application_arn = \"{app}\"\n  }}\n}}\n"
    )
}

/// `terraform query` lists the application's grants with the list resource.
fn terraform_query_lists_the_grants(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.emulator.put_refresh_token_out_of_band(&app);
    h.write("");
    h.write_query(&list_block(&app));
    h.ws.init();
    let (ok, lines) = h.query(&[]);
    assert!(ok, "terraform query failed: {lines:#?}");
    let found = messages(&lines, "list_resource_found");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0]["identity"],
        json!({"application_arn": app, "grant_type": "refresh_token"})
    );
}

fn terraform_query_is_refused(tf: &TerraformCli) {
    let (h, app) = fresh(tf);
    h.write("");
    h.write_query(&list_block(&app));
    let text = refusal(&h, &["query", "-no-color"], "terraform query");
    says(
        &text,
        "Terraform has no command named \"query\"",
        "terraform query",
    );
    assert_eq!(h.emulator.calls("ListApplicationGrants"), 0);
}
