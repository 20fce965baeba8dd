//! Resource identity, `terraform query` with the grant list resource, and
//! configuration generation, with real Terraform 1.15.5 against the
//! emulator.

mod support;

use std::collections::BTreeSet;

use aws_sdk_ssoadmin::types::{
    AuthorizationCodeGrant, AuthorizedTokenIssuer, Grant, GrantType, JwtBearerGrant,
    TokenExchangeGrant,
};
use serde_json::{json, Value};
use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, terraform_versions, Workspace};

fn identity(app: &str, grant_type: &str) -> Value {
    json!({"application_arn": app, "grant_type": grant_type})
}

/// Puts all four grant types on `app`, the jwt-bearer one trusting `issuer`.
fn put_all_four(emulator: &Emulator, app: &str, issuer: &str) {
    emulator.put_grant_out_of_band(
        app,
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(
            AuthorizationCodeGrant::builder()
                .redirect_uris("https://a.example.com/cb")
                .build(),
        ),
    );
    emulator.put_refresh_token_out_of_band(app);
    emulator.put_grant_out_of_band(
        app,
        GrantType::JwtBearer,
        Grant::JwtBearer(
            JwtBearerGrant::builder()
                .authorized_token_issuers(
                    AuthorizedTokenIssuer::builder()
                        .trusted_token_issuer_arn(issuer)
                        .authorized_audiences("aud-1")
                        .build(),
                )
                .build(),
        ),
    );
    emulator.put_grant_out_of_band(
        app,
        GrantType::TokenExchange,
        Grant::TokenExchange(TokenExchangeGrant::builder().build()),
    );
}

#[test]
fn import_by_identity_then_the_plan_is_empty_and_state_holds_the_identity() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let adopted = format!(
        "import {{\n  to       = identitycenter_application_grant.adopted\n  identity = {{\n    application_arn = \"{app}\"\n    grant_type      = \"refresh_token\"\n  }}\n}}\n{}",
        grant_hcl("adopted", &app, "refresh_token", REFRESH_TOKEN)
    );
    let created = grant_hcl(
        "created",
        &app,
        "authorization_code",
        &authorization_code(&["https://a.example.com/cb"]),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    let app_for_checks = app.clone();
    h.run(vec![Step::apply(format!("{adopted}{created}"))
        .actions(vec![
            ("identitycenter_application_grant.adopted", vec!["no-op"]),
            ("identitycenter_application_grant.created", vec!["create"]),
        ])
        .check(move |emu, show| {
            assert_state_matches_emulator(emu, show);
            let resources = show["values"]["root_module"]["resources"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for (name, grant_type) in [
                ("adopted", "refresh_token"),
                ("created", "authorization_code"),
            ] {
                let r = resources
                    .iter()
                    .find(|r| r["name"] == name)
                    .unwrap_or_else(|| panic!("{name} in state"));
                assert_eq!(
                    r["identity"],
                    identity(&app_for_checks, grant_type),
                    "{name}"
                );
                assert_eq!(r["identity_schema_version"], 0, "{name}");
            }
        })]);
}

#[test]
fn a_grant_from_terraform_1_0_gains_its_identity_on_a_newer_terraform_and_keeps_it() {
    let versions = terraform_versions();
    let (Some(newer), Some(older)) = (
        versions.iter().find(|t| t.version == "1.15.5"),
        versions.iter().find(|t| t.version == "1.0.3"),
    ) else {
        eprintln!("needs the pinned Terraform 1.0.3 and 1.15.5; TF_ACC_TERRAFORM_PATH gives one");
        return;
    };
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = grant_hcl("g", &app, "refresh_token", REFRESH_TOKEN);
    // Terraform 1.0.3 never asks for identities: its state has none.
    let mut h = Harness::new(older, emulator);
    h.run(vec![Step::apply(config.clone())]);
    let old_state = h.ws.path().join("terraform.tfstate");
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(&old_state).expect("state")).expect("json");
    assert!(
        state["resources"][0]["instances"][0]
            .get("identity")
            .is_none(),
        "{state:#}"
    );
    // The same state under Terraform 1.15.5: the first refresh records the
    // identity, and nothing changes in AWS or in later plans.
    let ws = Workspace::new(newer);
    std::fs::copy(&old_state, ws.path().join("terraform.tfstate")).expect("copy state");
    h.ws = ws;
    let puts = h.emulator.calls("PutApplicationGrant");
    let expected = identity(&app, "refresh_token");
    h.run(vec![
        Step::apply(config.clone()).check(|emu, show| {
            let r = &show["values"]["root_module"]["resources"][0];
            assert_eq!(r["identity"], expected, "{r:#}");
            assert_eq!(emu.calls("PutApplicationGrant"), puts, "nothing written");
        }),
        Step::plan(config),
    ]);
    assert_eq!(
        h.show()["values"]["root_module"]["resources"][0]["identity"],
        expected
    );
}

#[test]
fn a_bad_identity_names_the_field() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();
    let resource = grant_hcl("x", &app, "refresh_token", REFRESH_TOKEN);
    let bad_arn = app.replace("arn:aws:sso::", "arn:aws:sso::9");
    // The provider's own findings. Terraform 1.15.5 reports ImportResourceState
    // diagnostics without a source range (it drops their attribute path), so
    // the provider names the field at the start of the detail; the attribute
    // path itself is pinned by the unit tests in src/provider/grant/identity.rs.
    let cases = [
        (
            format!("application_arn = \"{bad_arn}\"\n    grant_type = \"refresh_token\""),
            "identity.application_arn: ",
            "is not an Identity Center application ARN",
        ),
        (
            format!("application_arn = \"{app}\"\n    grant_type = \"jwt_bearer\""),
            "identity.grant_type: ",
            "grant_type takes the full value \"urn:ietf:params:oauth:grant-type:jwt-bearer\"",
        ),
        (
            // Not a grant type at all: just the choices (the detail ends
            // there; no sub-block hint).
            format!("application_arn = \"{app}\"\n    grant_type = \"password\""),
            "identity.grant_type: ",
            "grant_type must be one of \"authorization_code\", \"refresh_token\", \
             \"urn:ietf:params:oauth:grant-type:jwt-bearer\", \
             \"urn:ietf:params:oauth:grant-type:token-exchange\"; got \"password\".",
        ),
    ];
    let import = |fields: &str| {
        format!(
            "import {{\n  to = identitycenter_application_grant.x\n  identity = {{\n    {fields}\n  }}\n}}\n{resource}"
        )
    };
    for (fields, prefix, wanted) in cases {
        h.write(&import(&fields));
        let errors = h.plan_errors();
        assert_eq!(errors.len(), 1, "{fields}: one error: {errors:#?}");
        let d = &errors[0];
        assert_eq!(d["summary"], "Invalid import identity", "{d:#}");
        let detail = d["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with(prefix) && detail.contains(wanted),
            "{fields}: expected {prefix}…{wanted}, got {detail:?}"
        );
        if fields.contains("password") {
            assert!(detail.ends_with(wanted), "no hint: {detail:?}");
        }
        assert!(
            d["range"].is_null(),
            "Terraform now places identity errors: assert the range here: {d:#}"
        );
    }

    // A missing field: Terraform's required_for_import check answers before
    // the provider is asked, on the identity object.
    let fields = format!("application_arn = \"{app}\"");
    let text = h.config_text(&import(&fields));
    h.write(&import(&fields));
    let errors = h.plan_errors();
    assert_eq!(errors.len(), 1, "one error: {errors:#?}");
    let d = &errors[0];
    assert!(
        d["detail"]
            .as_str()
            .is_some_and(|t| t.contains("attribute \"grant_type\" is required")),
        "{d:#}"
    );
    let open = text.find("identity = {").expect("identity") + "identity = ".len();
    let close = open + text[open..].find("\n  }").expect("end of identity") + "\n  ".len();
    assert_eq!(
        diagnostic_range(d),
        (line_column(&text, open), line_column(&text, close + 1)),
        "on the identity object: {d:#}"
    );
    assert_eq!(h.emulator.aws_calls(), 0, "a bad identity calls nothing");
}

#[test]
fn query_lists_every_grant_of_an_application_across_pages() {
    // One grant per ListApplicationGrants page.
    let emulator = Emulator::start(&["app", "other"], &["idp"], &["--page-size", "1"]);
    let app = emulator.app("app").to_string();
    let idp = emulator.issuer("idp").to_string();
    put_all_four(&emulator, &app, &idp);
    // A grant of another application must not show up.
    emulator.put_refresh_token_out_of_band(emulator.app("other"));
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();
    h.write_query(&format!(
        r#"
list "identitycenter_application_grant" "app" {{
  provider         = identitycenter
  include_resource = true
  config {{
    application_arn = "{app}"
  }}
}}

list "identitycenter_application_grant" "first_two" {{
  provider = identitycenter
  limit    = 2
  config {{
    application_arn = "{app}"
  }}
}}
"#
    ));
    let pages_before = h.emulator.calls("ListApplicationGrants");
    let (ok, lines) = h.query(&[]);
    assert!(ok, "{lines:#?}");
    let found = messages(&lines, "list_resource_found");
    let of = |address: &str| -> Vec<Value> {
        found
            .iter()
            .filter(|f| f["address"] == address)
            .cloned()
            .collect()
    };
    let all = of("list.identitycenter_application_grant.app");
    let types = GRANT_TYPES;
    assert_eq!(all.len(), 4, "{all:#?}");
    for (result, grant_type) in all.iter().zip(types) {
        assert_eq!(result["identity"], identity(&app, grant_type));
        assert_eq!(result["display_name"], format!("app: {grant_type}"));
        let object = &result["resource_object"];
        assert_eq!(object["id"], format!("{app},{grant_type}"));
        assert_eq!(object["application_arn"], app);
        assert_eq!(object["grant_type"], grant_type);
        assert_eq!(
            normalise(&grant_json_from_state(&object["grant"])),
            normalise(&h.emulator.grants()[&(app.clone(), grant_type.to_string())]),
            "{grant_type}: the listed object is what AWS holds"
        );
    }
    let first_two = of("list.identitycenter_application_grant.first_two");
    assert_eq!(first_two.len(), 2, "limit = 2: {first_two:#?}");
    assert!(
        first_two.iter().all(|r| r["resource_object"].is_null()),
        "no resource objects unless include_resource: {first_two:#?}"
    );
    let completes = messages(&lines, "list_complete");
    let totals: BTreeSet<(String, u64)> = completes
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap_or_default().to_string(),
                c["total"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        totals.contains(&("list.identitycenter_application_grant.app".into(), 4)),
        "{completes:#?}"
    );
    let pages = h.emulator.calls("ListApplicationGrants") - pages_before;
    assert!(
        pages >= 4 + 2,
        "four grants at one per page take four pages, the limited list at least two: {pages}"
    );
}

#[test]
fn query_over_an_instance_lists_every_application_and_honours_the_limit() {
    let names: Vec<String> = (0..32).map(|i| format!("app{i:02}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    // Small pages, so ListApplications is paged too.
    let emulator = Emulator::start(&name_refs, &[], &["--page-size", "5"]);
    let instance = emulator.instance.clone();
    let mut expected = BTreeSet::new();
    for (i, name) in names.iter().enumerate() {
        let arn = emulator.app(name).to_string();
        emulator.put_refresh_token_out_of_band(&arn);
        expected.insert((arn.clone(), "refresh_token".to_string(), name.clone()));
        if i % 3 == 0 {
            emulator.put_grant_out_of_band(
                &arn,
                GrantType::TokenExchange,
                Grant::TokenExchange(TokenExchangeGrant::builder().build()),
            );
            expected.insert((arn, TOKEN_EXCHANGE_TYPE.to_string(), name.clone()));
        }
    }
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();
    h.write_query(&format!(
        r#"
list "identitycenter_application_grant" "instance" {{
  provider         = identitycenter
  include_resource = true
  config {{
    instance_arn = "{instance}"
  }}
}}
"#
    ));
    let application_pages = h.emulator.calls("ListApplications");
    let (ok, lines) = h.query(&[]);
    assert!(ok, "{:#?}", errors(&lines));
    let application_pages = h.emulator.calls("ListApplications") - application_pages;
    let results = messages(&lines, "list_resource_found");
    // Counted as sent, so that a grant listed twice cannot hide in the set.
    assert_eq!(
        results.len(),
        expected.len(),
        "every grant of every application, once: {results:#?}"
    );
    assert_eq!(expected.len(), 32 + 11);
    let completes = messages(&lines, "list_complete");
    assert_eq!(
        completes
            .iter()
            .map(|c| (c["address"].clone(), c["total"].clone()))
            .collect::<Vec<_>>(),
        vec![(
            json!("list.identitycenter_application_grant.instance"),
            json!(expected.len())
        )],
        "{completes:#?}"
    );
    let remote = h.emulator.grants();
    let found: BTreeSet<(String, String, String)> = results
        .iter()
        .map(|r| {
            let arn = r["identity"]["application_arn"]
                .as_str()
                .unwrap_or_default();
            let grant_type = r["identity"]["grant_type"].as_str().unwrap_or_default();
            let name = expected
                .iter()
                .find(|(a, _, _)| a == arn)
                .map(|(_, _, n)| n.clone())
                .unwrap_or_default();
            assert_eq!(r["display_name"], format!("{name}: {grant_type}"));
            let object = &r["resource_object"];
            assert_eq!(object["id"], format!("{arn},{grant_type}"), "{r:#}");
            assert_eq!(object["application_arn"], arn, "{r:#}");
            assert_eq!(object["grant_type"], grant_type, "{r:#}");
            let held = remote
                .get(&(arn.to_string(), grant_type.to_string()))
                .unwrap_or_else(|| panic!("listed a grant AWS does not hold: {r:#}"));
            assert_eq!(
                normalise(&grant_json_from_state(&object["grant"])),
                normalise(held),
                "{name} {grant_type}: the listed object is what AWS holds"
            );
            (arn.to_string(), grant_type.to_string(), name)
        })
        .collect();
    assert_eq!(found, expected, "every grant of every application");
    // The emulator pages applications five at a time: 32 take 7 pages.
    assert!(
        application_pages >= 32_u64.div_ceil(5),
        "ListApplications must page through all 32 applications: {application_pages} calls"
    );

    // The limit stops the listing early: not every application is asked.
    h.write_query(&format!(
        r#"
list "identitycenter_application_grant" "instance" {{
  provider = identitycenter
  limit    = 7
  config {{
    instance_arn = "{instance}"
  }}
}}
"#
    ));
    let calls = |emu: &Emulator| emu.calls("ListApplicationGrants");
    let before = calls(&h.emulator);
    let (ok, lines) = h.query(&[]);
    assert!(ok, "{:#?}", errors(&lines));
    assert_eq!(messages(&lines, "list_resource_found").len(), 7);
    let asked = calls(&h.emulator) - before;
    assert!(
        asked < 10,
        "seven grants need at most seven applications' lists, not all 32: {asked}"
    );
}

#[test]
fn generated_configuration_imports_and_then_plans_with_no_changes() {
    let emulator = Emulator::start(&["app", "solo"], &["idp"], &[]);
    let app = emulator.app("app").to_string();
    let solo = emulator.app("solo").to_string();
    let idp = emulator.issuer("idp").to_string();
    put_all_four(&emulator, &app, &idp);
    emulator.put_grant_out_of_band(
        &solo,
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(
            AuthorizationCodeGrant::builder()
                .redirect_uris("https://solo.example.com/cb")
                .build(),
        ),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();

    // terraform query -generate-config-out: resource and import blocks.
    h.write_query(&format!(
        "list \"identitycenter_application_grant\" \"found\" {{\n  provider = identitycenter\n  config {{\n    application_arn = \"{app}\"\n  }}\n}}\n"
    ));
    let (ok, lines) = h.query(&["-generate-config-out=generated.tf"]);
    assert!(ok, "{:#?}", errors(&lines));
    let generated =
        std::fs::read_to_string(h.ws.path().join("generated.tf")).expect("generated.tf");
    assert_eq!(
        generated
            .matches("resource \"identitycenter_application_grant\"")
            .count(),
        4
    );
    assert_eq!(generated.matches("import {").count(), 4);
    assert!(!generated.contains(" id "), "no computed id: {generated}");
    for (block, count) in [
        ("authorization_code {", 1),
        ("jwt_bearer {", 1),
        ("refresh_token {", 1),
        ("token_exchange {", 1),
    ] {
        assert_eq!(
            generated.matches(block).count(),
            count,
            "{block}: {generated}"
        );
    }
    std::fs::remove_file(h.ws.path().join("main.tfquery.hcl")).expect("remove query");

    // terraform plan -generate-config-out with an import block.
    let import = format!(
        "import {{\n  to = identitycenter_application_grant.solo\n  id = \"{solo},authorization_code\"\n}}\n"
    );
    h.write(&import);
    let out = h.ws.run(&[
        "plan",
        "-no-color",
        "-input=false",
        "-generate-config-out=solo.tf",
    ]);
    // The file is written even when the plan then rejects it: check what it
    // holds first, which says why such a plan failed.
    let solo_config = std::fs::read_to_string(h.ws.path().join("solo.tf"))
        .unwrap_or_else(|e| panic!("solo.tf ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert!(!solo_config.contains(" id "), "{solo_config}");
    assert!(solo_config.contains("redirect_uris"), "{solo_config}");
    for other in ["jwt_bearer", "refresh_token", "token_exchange"] {
        assert!(
            !solo_config.contains(other),
            "only the matching sub-block, no {other}: {solo_config}"
        );
    }
    assert_eq!(
        solo_config.matches("authorization_code {").count(),
        1,
        "{solo_config}"
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Both generated files import everything without a single write, and
    // the plan after that is empty.
    let writes = |emu: &Emulator| emu.calls("PutApplicationGrant");
    let before = writes(&h.emulator);
    h.run(vec![Step::apply(import).check(move |emu, show| {
        assert_eq!(state_grants(show).len(), 5);
        assert_state_matches_emulator(emu, show);
        assert_eq!(writes(emu), before, "imported, not written");
    })]);
}

#[test]
fn a_bad_list_configuration_is_an_error_on_the_attribute() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let instance = emulator.instance.clone();
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();
    let cases = [
        (
            format!(
                "instance_arn = \"{}\"",
                instance.replace("ssoins-", "ssoins-x")
            ),
            "Invalid instance ARN",
            Some(format!("\"{}\"", instance.replace("ssoins-", "ssoins-x"))),
        ),
        (
            "application_arn = \"arn:aws:sso::1:application/x\"".to_string(),
            "Invalid application ARN",
            Some("\"arn:aws:sso::1:application/x\"".to_string()),
        ),
        (
            format!("application_arn = \"{app}\"\n    instance_arn    = \"{instance}\""),
            "Conflicting list scope",
            Some(format!("\"{instance}\"")),
        ),
        (String::new(), "Missing list scope", None),
    ];
    for (fields, summary, value) in cases {
        let query = format!(
            "list \"identitycenter_application_grant\" \"x\" {{\n  provider = identitycenter\n  config {{\n    {fields}\n  }}\n}}\n"
        );
        h.write_query(&query);
        let (ok, lines) = h.query(&[]);
        assert!(!ok, "{summary}: query must fail");
        let errors = errors(&lines);
        let d = errors
            .iter()
            .find(|d| d["summary"] == summary)
            .unwrap_or_else(|| panic!("no {summary:?} in {errors:#?}"));
        // Nothing in particular to point at: Terraform shows the list block.
        let expected = match &value {
            Some(v) => locate(&query, v),
            None => locate(&query, "{"),
        };
        let ((line, column), _) = diagnostic_range(d);
        assert_eq!(
            (line, column),
            expected.0,
            "{summary} points at {value:?}: {d:#}"
        );
    }
    assert_eq!(h.emulator.aws_calls(), 0, "invalid lists call nothing");
}
