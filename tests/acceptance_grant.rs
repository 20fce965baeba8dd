//! The identitycenter_application_grant lifecycle, driven by the real
//! Terraform CLI against the real provider binary, with the project's
//! emulator (through aws-sdk-ssoadmin, SigV4 checked) as AWS.

mod support;

use std::cell::Cell;

use aws_sdk_ssoadmin::types::{AuthorizationCodeGrant, Grant, GrantType};
use serde_json::Value;
use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, terraform_versions};

fn grant_values<'v>(show: &'v Value, address: &str) -> &'v Value {
    let grants = state_grants(show);
    assert!(
        grants.contains_key(address),
        "{address} not in state: {show}"
    );
    let found = show["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["address"] == address));
    &found.expect("resource")["values"]
}

#[test]
fn creates_each_grant_type_and_destroy_leaves_nothing() {
    let emulator = Emulator::start(&["app"], &["idp"], &[]);
    let app = emulator.app("app").to_string();
    let idp = emulator.issuer("idp").to_string();
    let config = [
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb", "https://b.example.com/cb"]),
        ),
        grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN),
        grant_hcl(
            "jwt",
            &app,
            JWT_BEARER_TYPE,
            &jwt_bearer(&[(&idp, &["client-1", "client-2"])]),
        ),
        grant_hcl("exchange", &app, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE),
    ]
    .concat();
    let h = support::steps::Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::apply(config.clone())
            .actions(vec![
                ("identitycenter_application_grant.code", vec!["create"]),
                ("identitycenter_application_grant.refresh", vec!["create"]),
                ("identitycenter_application_grant.jwt", vec!["create"]),
                ("identitycenter_application_grant.exchange", vec!["create"]),
            ])
            .check(|emu, show| {
                assert_eq!(emu.grants().len(), 4);
                assert_state_matches_emulator(emu, show);
                let code = grant_values(show, "identitycenter_application_grant.code");
                assert_eq!(code["id"], format!("{},authorization_code", emu.app("app")));
            }),
        Step::destroy(config).check(|emu, show| {
            assert!(
                emu.grants().is_empty(),
                "emulator still holds {:?}",
                emu.grants()
            );
            assert!(state_grants(show).is_empty());
        }),
    ]);
}

#[test]
fn updates_redirect_uris_and_issuers_in_place() {
    let emulator = Emulator::start(&["app"], &["idp1", "idp2"], &[]);
    let app = emulator.app("app").to_string();
    let (idp1, idp2) = (
        emulator.issuer("idp1").to_string(),
        emulator.issuer("idp2").to_string(),
    );
    let v1 = [
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb"]),
        ),
        grant_hcl(
            "jwt",
            &app,
            JWT_BEARER_TYPE,
            &jwt_bearer(&[(&idp1, &["aud-1"])]),
        ),
    ]
    .concat();
    // Reordered and extended: order must not matter, additions are updates.
    let v2 = [
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://b.example.com/cb", "https://a.example.com/cb"]),
        ),
        grant_hcl(
            "jwt",
            &app,
            JWT_BEARER_TYPE,
            &jwt_bearer(&[(&idp2, &["aud-2", "aud-3"]), (&idp1, &["aud-1"])]),
        ),
    ]
    .concat();
    let v2_reordered = [
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb", "https://b.example.com/cb"]),
        ),
        grant_hcl(
            "jwt",
            &app,
            JWT_BEARER_TYPE,
            &jwt_bearer(&[(&idp1, &["aud-1"]), (&idp2, &["aud-3", "aud-2"])]),
        ),
    ]
    .concat();
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::apply(v1),
        Step::apply(v2)
            .actions(vec![
                ("identitycenter_application_grant.code", vec!["update"]),
                ("identitycenter_application_grant.jwt", vec!["update"]),
            ])
            .check(|emu, show| {
                assert_state_matches_emulator(emu, show);
                let code =
                    &emu.grants()[&(emu.app("app").to_string(), "authorization_code".to_string())];
                assert_eq!(
                    code["AuthorizationCode"]["RedirectUris"]
                        .as_array()
                        .map(Vec::len),
                    Some(2)
                );
            }),
        // Same sets written in another order: nothing to do.
        Step::plan(v2_reordered),
    ]);
}

#[test]
fn changing_grant_type_or_application_replaces_the_grant() {
    let emulator = Emulator::start(&["one", "two"], &[], &[]);
    let (one, two) = (
        emulator.app("one").to_string(),
        emulator.app("two").to_string(),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::apply(grant_hcl("g", &one, "refresh_token", REFRESH_TOKEN)),
        Step::apply(grant_hcl("g", &one, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE))
            .actions(vec![(
                "identitycenter_application_grant.g",
                vec!["delete", "create"],
            )])
            .check(|emu, show| {
                let keys: Vec<_> = emu.grants().into_keys().collect();
                assert_eq!(
                    keys,
                    vec![(emu.app("one").to_string(), TOKEN_EXCHANGE_TYPE.to_string())]
                );
                assert_state_matches_emulator(emu, show);
            }),
        Step::apply(grant_hcl("g", &two, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE))
            .actions(vec![(
                "identitycenter_application_grant.g",
                vec!["delete", "create"],
            )])
            .check(|emu, show| {
                let keys: Vec<_> = emu.grants().into_keys().collect();
                assert_eq!(
                    keys,
                    vec![(emu.app("two").to_string(), TOKEN_EXCHANGE_TYPE.to_string())]
                );
                assert_state_matches_emulator(emu, show);
            }),
    ]);
}

#[test]
fn drift_out_of_band_is_planned_back() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = grant_hcl(
        "code",
        &app,
        "authorization_code",
        &authorization_code(&["https://a.example.com/cb"]),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    let app_for_delete = app.clone();
    let app_for_change = app.clone();
    h.run(vec![
        Step::apply(config.clone()),
        // Reads confirm the write, and a refresh records it: from now on a
        // grant missing from reads is gone, not AWS catching up with the
        // create (which the provider allows for the visibility window).
        Step::refresh_only(config.clone()),
        // Deleted behind Terraform's back: the next plan creates it again.
        Step::plan(config.clone())
            .before(move |emu| {
                emu.delete_grant_out_of_band(&app_for_delete, GrantType::AuthorizationCode)
            })
            .actions(vec![(
                "identitycenter_application_grant.code",
                vec!["create"],
            )]),
        Step::apply(config.clone()),
        // Changed behind Terraform's back: the next plan updates it in place.
        Step::plan(config.clone())
            .before(move |emu| {
                let grant = Grant::AuthorizationCode(
                    AuthorizationCodeGrant::builder()
                        .redirect_uris("https://evil.example.com/cb")
                        .build(),
                );
                emu.put_grant_out_of_band(&app_for_change, GrantType::AuthorizationCode, grant);
            })
            .actions(vec![(
                "identitycenter_application_grant.code",
                vec!["update"],
            )]),
        Step::apply(config),
    ]);
}

#[test]
fn import_by_command_and_by_block_then_plan_is_empty() {
    let emulator = Emulator::start(&["app"], &["idp"], &[]);
    let app = emulator.app("app").to_string();
    let idp = emulator.issuer("idp").to_string();
    // Grants created by someone else.
    emulator.put_grant_out_of_band(
        &app,
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(
            AuthorizationCodeGrant::builder()
                .redirect_uris("https://b.example.com/cb")
                .redirect_uris("https://a.example.com/cb")
                .build(),
        ),
    );
    emulator.put_refresh_token_out_of_band(&app);
    let code = grant_hcl(
        "code",
        &app,
        "authorization_code",
        &authorization_code(&["https://a.example.com/cb", "https://b.example.com/cb"]),
    );
    let refresh = grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN);
    let import_block = format!(
        "import {{\n  to = identitycenter_application_grant.refresh\n  id = \"{app},refresh_token\"\n}}\n"
    );
    let missing = grant_hcl(
        "missing",
        &app,
        JWT_BEARER_TYPE,
        &jwt_bearer(&[(&idp, &["x"])]),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::import(
            code.clone(),
            "identitycenter_application_grant.code",
            &format!("{app},authorization_code"),
        )
        // The refresh grant is adopted by the next step.
        .emulator_holds_unmanaged_grants()
        .check(|emu, show| {
            let v = grant_values(show, "identitycenter_application_grant.code");
            assert_eq!(v["application_arn"], emu.app("app"));
            assert_eq!(v["grant_type"], "authorization_code");
        }),
        Step::apply(format!("{code}{refresh}{import_block}")).actions(vec![(
            "identitycenter_application_grant.refresh",
            vec!["no-op"],
        )]),
        Step::import(
            format!("{code}{refresh}"),
            "identitycenter_application_grant.code",
            "not-an-id",
        )
        .expect_error("<application_arn>,<grant_type>"),
        Step::import(
            format!("{code}{refresh}{missing}"),
            "identitycenter_application_grant.missing",
            &format!("{app},{JWT_BEARER_TYPE}"),
        )
        .expect_error("Cannot import non-existent remote object"),
    ]);
}

#[test]
fn application_arn_unknown_at_plan_time() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = format!(
        "resource \"terraform_data\" \"app\" {{\n  input = \"{app}\"\n}}\n\
         resource \"identitycenter_application_grant\" \"g\" {{\n  application_arn = terraform_data.app.output\n  grant_type      = \"refresh_token\"\n  grant {{\n    refresh_token {{}}\n  }}\n}}\n"
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![Step::apply(config).actions(vec![
        ("terraform_data.app", vec!["create"]),
        ("identitycenter_application_grant.g", vec!["create"]),
    ])]);
}

/// Each invalid configuration fails at plan time, on the offending
/// attribute, with no AWS call made.
#[test]
fn validation_errors_point_at_the_attribute_and_call_nothing() {
    let emulator = Emulator::start(&["app"], &["idp"], &[]);
    let app = emulator.app("app").to_string();
    let idp = emulator.issuer("idp").to_string();
    let eleven: Vec<String> = (0..11)
        .map(|i| format!("https://x{i}.example.com/cb"))
        .collect();
    let eleven_refs: Vec<&str> = eleven.iter().map(String::as_str).collect();
    let long_audience = "a".repeat(513);
    let audiences: Vec<String> = (0..11).map(|i| format!("aud-{i}")).collect();
    let audience_lists: Vec<[&str; 1]> = audiences.iter().map(|a| [a.as_str()]).collect();
    let eleven_issuers: Vec<(&str, &[&str])> = audience_lists
        .iter()
        .map(|list| (idp.as_str(), &list[..]))
        .collect();
    // Where each diagnostic must start: the first (or last) occurrence of
    // this text in main.tf.
    enum At {
        First(&'static str),
        Last(&'static str),
    }
    use At::{First, Last};
    const ISSUER_BLOCK: &str = "{\n        trusted_token_issuer_arn";
    let cases: Vec<(&str, String, &str, At)> = vec![
        (
            "application ARN form",
            grant_hcl(
                "g",
                "arn:aws:sso::123:application/nope",
                "refresh_token",
                REFRESH_TOKEN,
            ),
            "Invalid application ARN",
            First("\"arn:aws:sso::123:application/nope\""),
        ),
        (
            "grant type enum",
            grant_hcl("g", &app, "client_credentials", REFRESH_TOKEN),
            "Invalid grant type",
            First("\"client_credentials\""),
        ),
        (
            "hint for the URN",
            grant_hcl("g", &app, "jwt_bearer", &jwt_bearer(&[(&idp, &["a"])])),
            "\"jwt_bearer\" is the name of the grant sub-block; grant_type takes the full value \"urn:ietf:params:oauth:grant-type:jwt-bearer\".",
            First("\"jwt_bearer\""),
        ),
        (
            "empty grant",
            grant_hcl("g", &app, "refresh_token", ""),
            "Missing grant settings",
            First("{\n  application_arn"),
        ),
        (
            "two sub-blocks",
            grant_hcl(
                "g",
                &app,
                "refresh_token",
                &format!("{REFRESH_TOKEN}\n{TOKEN_EXCHANGE}"),
            ),
            "Conflicting grant settings",
            Last("{}"),
        ),
        (
            "sub-block not matching grant_type",
            grant_hcl("g", &app, "authorization_code", REFRESH_TOKEN),
            "Grant settings do not match grant_type",
            First("{}"),
        ),
        (
            "no redirect URIs",
            grant_hcl("g", &app, "authorization_code", &authorization_code(&[])),
            "Invalid number of redirect URIs",
            First("[]"),
        ),
        (
            "eleven redirect URIs",
            grant_hcl(
                "g",
                &app,
                "authorization_code",
                &authorization_code(&eleven_refs),
            ),
            "Invalid number of redirect URIs",
            First("[\"https://x0"),
        ),
        (
            "relative redirect URI",
            grant_hcl(
                "g",
                &app,
                "authorization_code",
                &authorization_code(&["/callback"]),
            ),
            "Invalid redirect URI",
            First("[\"/callback\"]"),
        ),
        (
            "issuer ARN form",
            grant_hcl(
                "g",
                &app,
                JWT_BEARER_TYPE,
                &jwt_bearer(&[("arn:aws:sso::123456789012:trustedTokenIssuer/x", &["a"])]),
            ),
            "Invalid trusted token issuer ARN",
            First(ISSUER_BLOCK),
        ),
        (
            "no audiences",
            grant_hcl("g", &app, JWT_BEARER_TYPE, &jwt_bearer(&[(&idp, &[])])),
            "Invalid number of authorized audiences",
            First(ISSUER_BLOCK),
        ),
        (
            "audience too long",
            grant_hcl(
                "g",
                &app,
                JWT_BEARER_TYPE,
                &jwt_bearer(&[(&idp, &[long_audience.as_str()])]),
            ),
            "Invalid authorized audience",
            First(ISSUER_BLOCK),
        ),
        (
            "empty audience",
            grant_hcl("g", &app, JWT_BEARER_TYPE, &jwt_bearer(&[(&idp, &[""])])),
            "Invalid authorized audience",
            First(ISSUER_BLOCK),
        ),
        (
            "no issuers",
            grant_hcl("g", &app, JWT_BEARER_TYPE, &jwt_bearer(&[])),
            "Insufficient authorized_token_issuers blocks",
            First("{\n    }"),
        ),
        (
            "eleven issuers",
            grant_hcl("g", &app, JWT_BEARER_TYPE, &jwt_bearer(&eleven_issuers)),
            "Too many authorized_token_issuers blocks",
            Last(ISSUER_BLOCK),
        ),
    ];
    let h = Harness::new(&latest_terraform(), emulator);
    // A grant in state: a plan that got past validation would refresh it
    // (an AWS call), so "no call" means validation stopped the plan.
    h.write(&grant_hcl("g", &app, "refresh_token", REFRESH_TOKEN));
    h.ws.init();
    h.ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let calls_after_apply = h.emulator.aws_calls();
    for (name, hcl, summary, at) in cases {
        let text = h.config_text(&hcl);
        h.ws.write_config(&text);
        let diags = h.plan_errors();
        let found = diags.iter().find(|d| {
            let said = format!(
                "{} {}",
                d["summary"].as_str().unwrap_or_default(),
                d["detail"].as_str().unwrap_or_default()
            );
            said.contains(summary)
        });
        let d =
            found.unwrap_or_else(|| panic!("{name}: no error saying {summary:?} in {diags:#?}"));
        // Placed on the offending text, by line and column.
        let expected = match at {
            First(needle) => locate(&text, needle),
            Last(needle) => locate_last(&text, needle),
        };
        assert_eq!(
            diagnostic_range(d).0,
            expected.0,
            "{name}: points at {:?}",
            d["snippet"]["code"]
        );
        assert_eq!(
            h.emulator.aws_calls(),
            calls_after_apply,
            "{name}: validation must stop the plan before it calls AWS"
        );
    }
}

#[test]
fn for_each_fifty_grants_survive_throttling_conflicts_and_server_errors() {
    let names: Vec<String> = (0..13).map(|i| format!("app{i:02}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let emulator = Emulator::start(
        &name_refs,
        &["idp"],
        &[
            "--throttle-rate",
            "0.3",
            "--conflict-rate",
            "0.05",
            "--internal-error-rate",
            "0.05",
            "--fault-seed",
            "7",
        ],
    );
    let issuer = emulator.issuer("idp").to_string();
    let types = GRANT_TYPES;
    // Fifty grants, every type among them: 13 applications × 4 types, cut
    // at fifty.
    let grant_map: Vec<String> = names
        .iter()
        .flat_map(|name| types.map(|t| (emulator.app(name).to_string(), t)))
        .take(50)
        .enumerate()
        .map(|(i, (arn, t))| format!("    \"g{i:02}\" = {{ arn = \"{arn}\", type = \"{t}\" }}"))
        .collect();
    let count = grant_map.len();
    assert_eq!(count, 50);
    let config = |suffix: &str| {
        format!(
            "locals {{\n  issuer = \"{issuer}\"\n  grants = {{\n{}\n  }}\n}}\n\
             resource \"identitycenter_application_grant\" \"many\" {{\n  for_each        = local.grants\n  application_arn = each.value.arn\n  grant_type      = each.value.type\n  grant {{\n    dynamic \"authorization_code\" {{\n      for_each = each.value.type == \"authorization_code\" ? [1] : []\n      content {{\n        redirect_uris = [\"https://${{each.key}}.example.com/{suffix}\"]\n      }}\n    }}\n    dynamic \"jwt_bearer\" {{\n      for_each = each.value.type == \"{JWT_BEARER_TYPE}\" ? [1] : []\n      content {{\n        authorized_token_issuers {{\n          trusted_token_issuer_arn = local.issuer\n          authorized_audiences     = [\"${{each.key}}-{suffix}\"]\n        }}\n      }}\n    }}\n    dynamic \"refresh_token\" {{\n      for_each = each.value.type == \"refresh_token\" ? [1] : []\n      content {{}}\n    }}\n    dynamic \"token_exchange\" {{\n      for_each = each.value.type == \"{TOKEN_EXCHANGE_TYPE}\" ? [1] : []\n      content {{}}\n    }}\n  }}\n}}\n",
            grant_map.join("\n")
        )
    };
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![
        Step::apply(config("cb")).check(move |emu, show| {
            assert_eq!(state_grants(show).len(), count);
            let remote = emu.grants();
            assert_eq!(remote.len(), count);
            for t in types {
                assert!(remote.keys().any(|(_, rt)| rt == t), "no {t} grant");
            }
        }),
        Step::apply(config("callback")),
        Step::destroy(config("callback")).check(|emu, show| {
            assert!(
                emu.grants().is_empty(),
                "left behind: {:?}",
                emu.grants().keys()
            );
            assert!(state_grants(show).is_empty());
            // The run must really have been hit by every kind of fault.
            let faults = &emu.stats()["faults"];
            for kind in ["throttle", "conflict", "internal_error"] {
                assert!(
                    faults[kind].as_u64().unwrap_or(0) > 0,
                    "no {kind} faults were injected: {faults}"
                );
            }
        }),
    ]);
}

#[test]
fn read_after_write_delay_causes_no_spurious_drift() {
    // The first two reads after each write still see the grant as it was.
    let emulator = Emulator::start(&["app"], &[], &["--stale-reads", "2"]);
    let app = emulator.app("app").to_string();
    let v1 = grant_hcl(
        "code",
        &app,
        "authorization_code",
        &authorization_code(&["https://a.example.com/cb"]),
    );
    let v2 = grant_hcl(
        "code",
        &app,
        "authorization_code",
        &authorization_code(&["https://b.example.com/cb"]),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    // Apply is followed by an immediate plan -detailed-exitcode inside the
    // harness, whose refresh meets the stale reads: a provider that believed
    // them would see nothing (or the old value) and plan a change. The
    // emulator counts the stale reads it served; each step must add some of
    // its own, so the step's own write is known to have been read stale.
    let (create, update) = (StaleReads::any(), StaleReads::any());
    let (create, update) = (&create, &update);
    h.run(vec![
        Step::apply(v1)
            .before(|emu| create.record_start(emu))
            .check(|emu, _| {
                create.assert_some_during_step(emu, "the refresh after the create");
            }),
        Step::apply(v2)
            .actions(vec![(
                "identitycenter_application_grant.code",
                vec!["update"],
            )])
            .before(|emu| update.record_start(emu))
            .check(|emu, _| {
                update.assert_some_during_step(emu, "the refresh after the update");
            }),
    ]);
}

/// One of the emulator's stale-read counts when a step starts (recorded in
/// the step's `before` hook, after any out-of-band set-up), so that its
/// check counts only the stale reads served during that step.
struct StaleReads {
    /// The `/_stats` counter.
    counter: &'static str,
    at_start: Cell<Option<u64>>,
}

impl StaleReads {
    /// Any read that did not see the last write yet.
    fn any() -> Self {
        Self::of("stale_reads")
    }

    /// Reads that still returned a grant already deleted.
    fn of_deleted_grants() -> Self {
        Self::of("stale_reads_of_deleted")
    }

    fn of(counter: &'static str) -> Self {
        StaleReads {
            counter,
            at_start: Cell::new(None),
        }
    }

    fn record_start(&self, emu: &Emulator) {
        self.at_start.set(Some(emu.counter(self.counter)));
    }

    /// Fails unless the emulator served such a stale read since the start
    /// of the step; `what` names the read that should have met one.
    fn assert_some_during_step(&self, emu: &Emulator, what: &str) {
        let start = self
            .at_start
            .get()
            .expect("the step's before hook records the count");
        let now = emu.counter(self.counter);
        assert!(
            now > start,
            "{what}: no read counted as {} during this step ({start} before it, {now} after)",
            self.counter
        );
    }
}

#[test]
fn basic_lifecycle_on_every_terraform_version() {
    for tf in terraform_versions() {
        let emulator = Emulator::start(&["app"], &[], &[]);
        let app = emulator.app("app").to_string();
        let v1 = grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb"]),
        );
        let v2 = grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb", "https://b.example.com/cb"]),
        );
        let h = Harness::new(&tf, emulator);
        h.run(vec![
            Step::apply(v1.clone()).actions(vec![(
                "identitycenter_application_grant.code",
                vec!["create"],
            )]),
            Step::apply(v2.clone()).actions(vec![(
                "identitycenter_application_grant.code",
                vec!["update"],
            )]),
            Step::destroy(v2).check(|emu, _| assert!(emu.grants().is_empty())),
        ]);
    }
}

#[test]
fn replacing_a_grant_while_its_delete_is_still_visible_converges() {
    // After each write the next two reads still see the grant as it was:
    // the old grant stays readable after its DeleteApplicationGrant, however
    // fast or slow the machine. The replacement's create must not mistake it
    // for a foreign grant. Deletes are not waited out, so the reads that
    // still show the deleted grant are the create's existence check and
    // its re-check.
    let emulator = Emulator::start(&["app"], &[], &["--stale-reads", "2"]);
    let app = emulator.app("app").to_string();
    let config = grant_hcl(
        "code",
        &app,
        "authorization_code",
        &authorization_code(&["https://a.example.com/cb"]),
    );
    let h = Harness::new(&latest_terraform(), emulator);
    let replacement = StaleReads::of_deleted_grants();
    let replacement = &replacement;
    h.run(vec![
        Step::apply(config.clone()),
        Step::apply(config)
            .plan_args(&["-replace=identitycenter_application_grant.code"])
            .actions(vec![(
                "identitycenter_application_grant.code",
                vec!["delete", "create"],
            )])
            .before(|emu| replacement.record_start(emu))
            .check(|emu, _| {
                replacement.assert_some_during_step(
                    emu,
                    "the replacement's create met the deleted grant still visible",
                );
                assert_eq!(
                    emu.calls("DeleteApplicationGrant"),
                    1,
                    "one delete, not waited out"
                );
            }),
    ]);
}

#[test]
fn create_before_destroy_cannot_silently_delete_the_grant() {
    // Old and new grant share their key, so creating first would adopt the
    // old grant and the delete that follows would remove it. The provider
    // must refuse instead, and nothing may be lost.
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = grant_hcl(
        "code",
        &app,
        "authorization_code",
        &authorization_code(&["https://a.example.com/cb"]),
    )
    .replace(
        "  grant {",
        "  lifecycle {\n    create_before_destroy = true\n  }\n  grant {",
    );
    let mut h = Harness::new(&latest_terraform(), emulator);
    // A refusal comes after the visibility window: keep it short here.
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "2s");
    h.run(vec![
        Step::apply(config.clone()),
        Step::apply(config.clone())
            .plan_args(&["-replace=identitycenter_application_grant.code"])
            .expect_error("Grant already exists"),
        Step::plan(config)
            .actions(vec![(
                "identitycenter_application_grant.code",
                vec!["no-op"],
            )])
            .check(|emu, show| {
                assert_eq!(emu.grants().len(), 1, "the grant must survive");
                assert_state_matches_emulator(emu, show);
            }),
    ]);
}

#[test]
fn creating_a_grant_that_already_exists_is_refused_with_an_import_hint() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let mut h = Harness::new(&latest_terraform(), emulator);
    // A refusal comes after the visibility window: keep it short here.
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "2s");
    h.run(vec![Step::apply(grant_hcl(
        "g",
        &app,
        "refresh_token",
        REFRESH_TOKEN,
    ))
    .expect_error("terraform import")
    .emulator_holds_unmanaged_grants()
    .check(|emu, show| {
        assert!(state_grants(show).is_empty(), "nothing was adopted");
        assert_eq!(emu.grants().len(), 1, "the existing grant is untouched");
    })]);
}

#[test]
fn a_grant_deleted_moments_ago_is_not_mistaken_for_an_existing_one() {
    // Someone deletes a grant just before we create one with the same key;
    // the next two reads (whoever makes them) still return it. The create's
    // existence check meets it and must re-read until reads agree instead
    // of refusing with "already exists". Counted in reads, not seconds, so
    // a slow machine cannot let the window close before the create looks.
    let emulator = Emulator::start(&["app"], &[], &["--stale-reads", "2"]);
    let app = emulator.app("app").to_string();
    let app_for_hook = app.clone();
    let h = Harness::new(&latest_terraform(), emulator);
    // Nothing else reads the grant between the delete and the create: the
    // plan has no state to refresh. So the stale reads counted in this step
    // are the create's.
    let create = StaleReads::of_deleted_grants();
    let create = &create;
    h.run(vec![Step::apply(grant_hcl(
        "g",
        &app,
        "refresh_token",
        REFRESH_TOKEN,
    ))
    .before(move |emu| {
        emu.put_refresh_token_out_of_band(&app_for_hook);
        support::waiting::until("the out-of-band grant becomes readable", || {
            emu.grant_readable(&app_for_hook, GrantType::RefreshToken)
        });
        emu.delete_grant_out_of_band(&app_for_hook, GrantType::RefreshToken);
        create.record_start(emu);
    })
    .check(|emu, _| {
        create.assert_some_during_step(emu, "the create's existence check met the deleted grant");
    })]);
}

/// All four grant types on `app`, named `<kind>_<suffix>`.
fn four_grants(suffix: &str, app: &str, issuer: &str) -> String {
    [
        grant_hcl(
            &format!("code_{suffix}"),
            app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb"]),
        ),
        grant_hcl(
            &format!("refresh_{suffix}"),
            app,
            "refresh_token",
            REFRESH_TOKEN,
        ),
        grant_hcl(
            &format!("jwt_{suffix}"),
            app,
            JWT_BEARER_TYPE,
            &jwt_bearer(&[(issuer, &["aud"])]),
        ),
        grant_hcl(
            &format!("exchange_{suffix}"),
            app,
            TOKEN_EXCHANGE_TYPE,
            TOKEN_EXCHANGE,
        ),
    ]
    .concat()
}

#[test]
fn refresh_lists_each_application_once_and_still_finds_every_drift() {
    // Two grants per page: each application's grants take two pages.
    let emulator = Emulator::start(&["web", "api"], &["idp"], &["--page-size", "2"]);
    let (web, api) = (
        emulator.app("web").to_string(),
        emulator.app("api").to_string(),
    );
    let idp = emulator.issuer("idp").to_string();
    let config = four_grants("web", &web, &idp) + &four_grants("api", &api, &idp);
    let h = Harness::new(&latest_terraform(), emulator);
    let counts = std::cell::Cell::new((0, 0));
    let (web2, api2) = (web.clone(), api.clone());
    h.run(vec![
        Step::apply(config.clone()),
        // Reads confirm the creates, and a refresh records it (see
        // drift_out_of_band_is_planned_back).
        Step::refresh_only(config.clone()),
        // Between two commands: one grant changed, two deleted.
        Step::plan(config.clone())
            .before(|emu| {
                emu.put_grant_out_of_band(
                    &web2,
                    GrantType::AuthorizationCode,
                    Grant::AuthorizationCode(
                        AuthorizationCodeGrant::builder()
                            .redirect_uris("https://evil.example.com/cb")
                            .build(),
                    ),
                );
                emu.delete_grant_out_of_band(&web2, GrantType::TokenExchange);
                emu.delete_grant_out_of_band(&api2, GrantType::RefreshToken);
                counts.set((
                    emu.calls("GetApplicationGrant"),
                    emu.calls("ListApplicationGrants"),
                ));
            })
            .actions(vec![
                ("identitycenter_application_grant.code_web", vec!["update"]),
                (
                    "identitycenter_application_grant.exchange_web",
                    vec!["create"],
                ),
                (
                    "identitycenter_application_grant.refresh_api",
                    vec!["create"],
                ),
            ])
            .check(|emu, _| {
                let (gets, lists) = counts.get();
                // Listings prove presence only: the two grants missing from
                // them and the one they show changed are each confirmed
                // with a Get; the five unchanged grants cost no call.
                assert_eq!(
                    emu.calls("GetApplicationGrant"),
                    gets + 3,
                    "a Get for each grant the listings did not show as held"
                );
                // Three grants left on each application: two pages each.
                assert_eq!(emu.calls("ListApplicationGrants"), lists + 4);
            }),
        Step::apply(config),
    ]);
}
