//! What a custom application needs besides its grants, driven by the real
//! Terraform CLI against the real provider binary and the emulator:
//! `identitycenter_application_grants_exclusive` (the allow-list) and
//! `identitycenter_application_authentication_method` (the IAM actor policy).

mod support;

use aws_sdk_ssoadmin::types::{Grant, GrantType, RefreshTokenGrant, TokenExchangeGrant};
use serde_json::{json, Value};
use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, terraform_versions};

const EXCLUSIVE: &str = "identitycenter_application_grants_exclusive";
const METHOD: &str = "identitycenter_application_authentication_method";

fn exclusive_hcl(name: &str, application_arn: &str, types: &[&str]) -> String {
    let types: Vec<String> = types.iter().map(|t| format!("{t:?}")).collect();
    format!(
        "resource \"{EXCLUSIVE}\" \"{name}\" {{\n  application_arn = \"{application_arn}\"\n  grant_types     = [{}]\n}}\n",
        types.join(", ")
    )
}

fn method_hcl(name: &str, application_arn: &str, actor_policy: &str) -> String {
    format!(
        "resource \"{METHOD}\" \"{name}\" {{\n  application_arn            = \"{application_arn}\"\n  authentication_method_type = \"IAM\"\n  authentication_method {{\n    iam {{\n      actor_policy = {actor_policy}\n    }}\n  }}\n}}\n"
    )
}

/// A policy written as a configuration would: `jsonencode`, one action and
/// one resource as plain strings.
fn jsonencoded_policy(role: &str, action: &str) -> String {
    format!(
        "jsonencode({{\n        Version = \"2012-10-17\"\n        Statement = [{{\n          Effect    = \"Allow\"\n          Principal = {{ AWS = \"arn:aws:iam::123456789012:role/{role}\" }}\n          Action    = \"{action}\"\n          Resource  = \"*\"\n        }}]\n      }})"
    )
}

/// The resource's values in `terraform show -json`.
fn values<'v>(show: &'v Value, address: &str) -> &'v Value {
    let found = show["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["address"] == address));
    &found.unwrap_or_else(|| panic!("{address} not in state: {show}"))["values"]
}

fn state_types(show: &Value, address: &str) -> Vec<String> {
    let mut types: Vec<String> = values(show, address)["grant_types"]
        .as_array()
        .unwrap_or_else(|| panic!("{address} has no grant_types: {show}"))
        .iter()
        .map(|t| t.as_str().expect("a string").to_string())
        .collect();
    types.sort();
    types
}

fn remote_types(emu: &Emulator, app: &str) -> Vec<String> {
    emu.grants()
        .into_keys()
        .filter(|(a, _)| a == app)
        .map(|(_, t)| t)
        .collect()
}

fn exchange() -> Grant {
    Grant::TokenExchange(TokenExchangeGrant::builder().build())
}

#[test]
fn an_out_of_band_grant_is_drift_and_apply_deletes_exactly_it() {
    let emulator = Emulator::start(&["app", "other"], &[], &[]);
    let app = emulator.app("app").to_string();
    let other = emulator.app("other").to_string();
    // The allow-list names a type the application does not have (jwt-bearer):
    // that is no drift.
    let config = [
        grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN),
        exclusive_hcl("app", &app, &["refresh_token", JWT_BEARER_TYPE]),
    ]
    .concat();
    let address = format!("{EXCLUSIVE}.app");
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::apply(config.clone()).check(|emu, show| {
            assert_eq!(
                state_types(show, &address),
                ["refresh_token", JWT_BEARER_TYPE]
            );
            assert_eq!(values(show, &address)["id"], app.as_str());
            assert_eq!(remote_types(emu, &app), ["refresh_token"]);
        }),
        // A token-exchange grant appears on the application, and one on
        // another application that this allow-list does not govern.
        Step::plan(config.clone())
            .before(|emu| {
                emu.put_grant_out_of_band(&app, GrantType::TokenExchange, exchange());
                emu.put_grant_out_of_band(&other, GrantType::TokenExchange, exchange());
            })
            .actions(vec![(address.as_str(), vec!["update"])])
            .emulator_holds_unmanaged_grants(),
        Step::apply(config.clone())
            .actions(vec![(address.as_str(), vec!["update"])])
            .emulator_holds_unmanaged_grants()
            .check(|emu, show| {
                assert_eq!(remote_types(emu, &app), ["refresh_token"]);
                assert_eq!(
                    remote_types(emu, &other),
                    [TOKEN_EXCHANGE_TYPE],
                    "another application's grant is not touched"
                );
                assert_eq!(
                    state_types(show, &address),
                    ["refresh_token", JWT_BEARER_TYPE]
                );
            }),
    ]);
    // The plan named the type to remove: checked on the saved plan of a
    // fresh drift.
    h.emulator
        .put_grant_out_of_band(&app, GrantType::TokenExchange, exchange());
    let plan = h.plan_json();
    let change = plan["resource_changes"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["address"] == address))
        .unwrap_or_else(|| panic!("no change for {address}: {plan}"));
    let before: Vec<&str> = change["change"]["before"]["grant_types"]
        .as_array()
        .expect("before")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let after: Vec<&str> = change["change"]["after"]["grant_types"]
        .as_array()
        .expect("after")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(before.contains(&TOKEN_EXCHANGE_TYPE), "{change}");
    assert!(!after.contains(&TOKEN_EXCHANGE_TYPE), "{change}");
}

#[test]
fn destroying_the_allow_list_deletes_no_grant_and_import_reads_what_exists() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = exclusive_hcl("app", &app, &["refresh_token", TOKEN_EXCHANGE_TYPE]);
    let address = format!("{EXCLUSIVE}.app");
    let h = Harness::new(&latest_terraform(), emulator);
    h.emulator.put_grant_out_of_band(
        &app,
        GrantType::RefreshToken,
        Grant::RefreshToken(RefreshTokenGrant::builder().build()),
    );
    h.emulator
        .put_grant_out_of_band(&app, GrantType::TokenExchange, exchange());
    h.run(vec![
        // Import by the application's ARN: the types found, then an empty plan.
        Step::import(config.clone(), &address, &app)
            .emulator_holds_unmanaged_grants()
            .check(|_, show| {
                assert_eq!(
                    state_types(show, &address),
                    ["refresh_token", TOKEN_EXCHANGE_TYPE]
                );
            }),
        Step::destroy(config)
            .emulator_holds_unmanaged_grants()
            .check(|emu, _| {
                assert_eq!(
                    remote_types(emu, &app),
                    ["refresh_token", TOKEN_EXCHANGE_TYPE],
                    "destroy deleted a grant"
                );
            }),
    ]);
    // Importing by identity (Terraform >= 1.12) finds the same.
    let by_identity = format!(
        "{}import {{\n  to = {address}\n  identity = {{\n    application_arn = \"{app}\"\n  }}\n}}\n",
        exclusive_hcl("app", &app, &["refresh_token", TOKEN_EXCHANGE_TYPE])
    );
    h.run(vec![Step::apply(by_identity)
        .actions(vec![(address.as_str(), vec!["no-op"])])
        .emulator_holds_unmanaged_grants()
        .check(|emu, show| {
            assert_eq!(
                state_types(show, &address),
                ["refresh_token", TOKEN_EXCHANGE_TYPE]
            );
            assert_eq!(remote_types(emu, &app).len(), 2);
        })]);
}

#[test]
fn a_value_that_is_no_grant_type_is_a_plan_time_warning() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    h.write(&exclusive_hcl(
        "app",
        &app,
        &["refresh_token", "jwt_bearer"],
    ));
    h.ws.init();
    let out = h.ws.run(&["validate", "-no-color"]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(out.status.success(), "a warning, not an error: {text}");
    assert!(flat.contains("Warning: Not a grant type"), "{text}");
    assert!(
        flat.contains(&format!(
            "grant_types takes the full value \"{JWT_BEARER_TYPE}\""
        )),
        "{text}"
    );
    assert!(flat.contains("grant_types"), "on the attribute: {text}");
}

#[test]
fn authentication_method_lifecycle_keeps_the_configured_text() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let v1 = method_hcl(
        "portal",
        &app,
        &jsonencoded_policy("portal-backend", "sso-oauth:CreateTokenWithIAM"),
    );
    let v2 = method_hcl(
        "portal",
        &app,
        &jsonencoded_policy("portal-backend", "sso-oauth:*"),
    );
    let address = format!("{METHOD}.portal");
    let configured_text = std::cell::RefCell::new(String::new());
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::apply(v1.clone())
            .actions(vec![(address.as_str(), vec!["create"])])
            .check(|emu, show| {
                let v = values(show, &address);
                assert_eq!(v["id"], format!("{app},IAM"));
                let text = v["authentication_method"]["iam"]["actor_policy"]
                    .as_str()
                    .expect("actor_policy")
                    .to_string();
                let policies = emu.actor_policies();
                let remote = &policies[&app];
                assert_eq!(
                    serde_json::from_str::<Value>(&text).expect("json"),
                    *remote,
                    "AWS holds what was written"
                );
                *configured_text.borrow_mut() = text;
            }),
        // AWS (or another tool) writes the same policy another way: lists
        // for single values, keys and list members in another order.
        Step::plan(v1.clone()).before(|emu| {
            emu.put_actor_policy_out_of_band(
                &app,
                &json!({
                    "Statement": {
                        "Resource": ["*"],
                        "Principal": {"AWS": ["arn:aws:iam::123456789012:role/portal-backend"]},
                        "Effect": "Allow",
                        "Action": ["sso-oauth:CreateTokenWithIAM", "sso-oauth:CreateTokenWithIAM"]
                    },
                    "Version": "2012-10-17"
                }),
            );
        }),
        Step::refresh_only(v1.clone()).check(|_, show| {
            let v = values(show, &address);
            assert_eq!(
                v["authentication_method"]["iam"]["actor_policy"],
                configured_text.borrow().as_str(),
                "state keeps the configuration's text"
            );
        }),
        Step::apply(v2.clone())
            .actions(vec![(address.as_str(), vec!["update"])])
            .check(|emu, _| {
                let policies = emu.actor_policies();
                assert_eq!(policies[&app]["Statement"][0]["Action"], "sso-oauth:*");
            }),
        // Changed behind Terraform's back: a real difference is a diff.
        Step::plan(v2.clone())
            .before(|emu| {
                let mut changed = emu.actor_policies()[&app].clone();
                changed["Statement"][0]["Action"] = json!("sso-oauth:CreateTokenWithIAM");
                emu.put_actor_policy_out_of_band(&app, &changed);
            })
            .actions(vec![(address.as_str(), vec!["update"])]),
        Step::destroy(v2).check(|emu, _| {
            assert!(
                emu.actor_policies().is_empty(),
                "{:?}",
                emu.actor_policies()
            );
        }),
    ]);
}

#[test]
fn authentication_method_refuses_to_adopt_and_imports() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = method_hcl(
        "portal",
        &app,
        &jsonencoded_policy("portal-backend", "sso-oauth:CreateTokenWithIAM"),
    );
    let address = format!("{METHOD}.portal");
    // The same document as jsonencode builds it, set by another tool.
    let existing = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:role/portal-backend"},
            "Action": "sso-oauth:CreateTokenWithIAM",
            "Resource": "*"
        }]
    });
    let h = Harness::new(&latest_terraform(), emulator);
    h.emulator.put_actor_policy_out_of_band(&app, &existing);
    h.run(vec![
        Step::apply(config.clone())
            .expect_error("Authentication method already exists")
            .check(|emu, show| {
                assert!(
                    show["values"]["root_module"]["resources"].is_null(),
                    "nothing adopted: {show}"
                );
                assert_eq!(emu.actor_policies().len(), 1, "nothing changed");
            }),
        Step::import(config.clone(), &address, &format!("{app},IAM")).check(|_, show| {
            let v = values(show, &address);
            assert_eq!(v["id"], format!("{app},IAM"));
        }),
    ]);
    // A bad ID says what an ID is.
    let out =
        h.ws.run(&["import", "-no-color", "-input=false", &address, &app]);
    let text = String::from_utf8_lossy(&out.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!out.status.success());
    assert!(text.contains("Invalid import ID"), "{text}");
}

#[test]
fn a_policy_that_is_not_a_policy_document_fails_the_plan_on_actor_policy() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    for (policy, expected) in [
        ("\"{\\\"Statement\\\": [\"", "The policy is not valid JSON"),
        ("jsonencode([\"a\"])", "The policy is a list"),
        (
            "jsonencode({ Version = \"2012-10-17\" })",
            "The policy has no \"Statement\"",
        ),
    ] {
        h.write(&method_hcl("bad", &app, policy));
        h.ws.init();
        let out = h.ws.run(&["plan", "-no-color", "-input=false"]);
        let text = String::from_utf8_lossy(&out.stderr).to_string();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(!out.status.success(), "{policy}: {text}");
        assert!(
            flat.contains("Error: Invalid actor policy"),
            "{policy}: {text}"
        );
        assert!(flat.contains(expected), "{policy}: {text}");
        assert!(
            flat.contains("actor_policy ="),
            "the error points at actor_policy: {text}"
        );
    }
    assert!(h.emulator.actor_policies().is_empty());
}

#[test]
fn both_resources_live_and_die_on_every_terraform_version() {
    for tf in terraform_versions() {
        let emulator = Emulator::start(&["app"], &[], &[]);
        let app = emulator.app("app").to_string();
        let config = [
            grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN),
            exclusive_hcl("app", &app, &["refresh_token"]),
            method_hcl(
                "portal",
                &app,
                &jsonencoded_policy("portal-backend", "sso-oauth:CreateTokenWithIAM"),
            ),
        ]
        .concat();
        let h = Harness::new(&tf, emulator);
        let schema = h.ws.run_ok(&["version"]);
        assert!(schema.contains(&tf.version), "{schema}");
        h.run(vec![
            Step::apply(config.clone()).check(|emu, _| {
                assert_eq!(remote_types(emu, &app), ["refresh_token"]);
                assert_eq!(emu.actor_policies().len(), 1);
            }),
            Step::destroy(config).check(|emu, _| {
                assert!(emu.grants().is_empty());
                assert!(emu.actor_policies().is_empty());
            }),
        ]);
        let schema: Value =
            serde_json::from_str(&h.ws.run_ok(&["providers", "schema", "-json"])).expect("json");
        let schemas = schema["provider_schemas"]
            .as_object()
            .and_then(|p| p.values().next())
            .map(|p| p["resource_schemas"].clone())
            .expect("resource schemas");
        for name in [EXCLUSIVE, METHOD] {
            assert!(
                schemas[name].is_object(),
                "Terraform {}: no {name}",
                tf.version
            );
        }
    }
}
