//! Every branch where the provider decides what to keep after something went
//! wrong, reached through the real Terraform: a write whose outcome is
//! unknown, writes and deletes reads do not agree with yet, reads that fail,
//! a configuration not known yet, and sharing turned off.

mod support;

use serde_json::Value;
use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::latest_terraform;

/// The emulator's provider block with extra provider arguments.
fn provider_with(emulator: &Emulator, extra: &str) -> String {
    emulator.provider_block().replace(
        "region     = \"us-east-1\"",
        &format!("region     = \"us-east-1\"\n  {extra}"),
    )
}

fn refresh(app: &str) -> String {
    grant_hcl("g", app, "refresh_token", REFRESH_TOKEN)
}

fn code(app: &str, uri: &str) -> String {
    grant_hcl("g", app, "authorization_code", &authorization_code(&[uri]))
}

/// What a Terraform run printed, stdout then stderr, as one line.
fn printed(out: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ")
}

/// The one grant resource in state, with `tainted` when it is.
fn the_grant(show: &Value) -> Value {
    let resources = state_grant_resources(show);
    assert_eq!(resources.len(), 1, "{show}");
    resources.into_values().next().expect("one")
}

#[test]
fn a_deadline_that_fires_while_the_put_is_on_the_wire_keeps_the_grant_tainted() {
    // The first Put takes effect and is never answered: the create's
    // deadline fires while it is on the wire.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &["--fail", "PutApplicationGrant:1:NoAnswer:applied"],
    );
    let app = emulator.app("app").to_string();
    let endpoint = emulator.endpoint.clone();
    let config = refresh(&app).replacen(
        "  grant {",
        "  timeouts {\n    create = \"3s\"\n  }\n  grant {",
        1,
    );
    let h = Harness::new(&latest_terraform(), emulator);
    let in_flight =
        format!("PutApplicationGrant to {endpoint} was still waiting to connect or for its answer");
    h.run(vec![
        Step::apply(config.clone())
            .expect_error(&in_flight)
            .check(|emu, show| {
                assert_eq!(emu.grants().len(), 1, "AWS applied the Put");
                assert_eq!(the_grant(show)["tainted"], true, "kept, tainted");
            }),
        // The next apply replaces the tainted grant (its Put answers now).
        Step::apply(config).actions(vec![(
            "identitycenter_application_grant.g",
            vec!["delete", "create"],
        )]),
    ]);
}

#[test]
fn an_update_whose_put_may_have_applied_keeps_the_new_settings() {
    // The update's Put takes effect, then answers 500; no retries.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &[
            "--fail",
            "PutApplicationGrant:2:InternalServerException:applied",
        ],
    );
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 0");
    h.run(vec![
        Step::apply(code(&app, "https://a.example.com/cb")),
        // State must hold what AWS may now hold: the new URI.
        Step::apply(code(&app, "https://b.example.com/cb"))
            .expect_error("InternalServerException")
            .check(|emu, show| {
                assert_state_matches_emulator(emu, show);
                assert_ne!(the_grant(show)["tainted"], true, "an update is not tainted");
            }),
        Step::plan(code(&app, "https://b.example.com/cb")),
    ]);
}

#[test]
fn a_write_reads_do_not_show_yet_is_kept_until_the_visibility_window_passes() {
    // Writes stay invisible to every read for ten minutes; the provider
    // believes reads again 3 s after its last write.
    let emulator = Emulator::start(&["app"], &[], &["--invisible-ms", "600000"]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "3s");
    h.write(&refresh(&app));
    h.ws.init();
    h.ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let written = std::time::Instant::now();
    // Right after the apply, no read shows the grant: state keeps it.
    let refresh_only = [
        "apply",
        "-refresh-only",
        "-auto-approve",
        "-no-color",
        "-input=false",
    ];
    h.ws.run_ok(&refresh_only);
    let kept = written.elapsed();
    assert_state_matches_emulator(&h.emulator, &h.show());
    assert!(
        kept < std::time::Duration::from_secs(3),
        "the refresh ran {kept:?} after the write: too late to test the window"
    );
    // The window is a length of time, so this waits for time itself to pass.
    std::thread::sleep(std::time::Duration::from_secs(3).saturating_sub(written.elapsed()));
    // Past it, a Get that says "not found" is believed.
    h.ws.run_ok(&refresh_only);
    assert!(
        state_grants(&h.show()).is_empty(),
        "past the window, reads are believed"
    );
}

#[test]
fn a_replacement_and_a_destroy_then_apply_converge_without_refusal() {
    // After each write the next two reads (whoever makes them) still see the
    // grant as it was: each create below meets the grant just deleted, since
    // deletes are not waited out. (A grant deleted outside Terraform a
    // moment before a create: acceptance_grant.rs,
    // a_grant_deleted_moments_ago_is_not_mistaken_for_an_existing_one.)
    let emulator = Emulator::start(&["app"], &[], &["--stale-reads", "2"]);
    let app = emulator.app("app").to_string();
    let config = refresh(&app);
    let h = Harness::new(&latest_terraform(), emulator);
    let deleted_reads = std::cell::Cell::new(0);
    let record = |emu: &Emulator| deleted_reads.set(emu.counter("stale_reads_of_deleted"));
    let met_the_deleted_grant = |emu: &Emulator, _: &Value| {
        assert!(
            emu.counter("stale_reads_of_deleted") > deleted_reads.get(),
            "the create must have met the grant just deleted"
        );
    };
    h.run(vec![
        Step::apply(config.clone()),
        // A replacement: delete, then create of the same key, at once.
        Step::apply(config.clone())
            .plan_args(&["-replace=identitycenter_application_grant.g"])
            .actions(vec![(
                "identitycenter_application_grant.g",
                vec!["delete", "create"],
            )])
            .before(record)
            .check(met_the_deleted_grant),
        // A destroy, then an apply at once.
        Step::destroy(config.clone()),
        Step::apply(config).before(record).check(|emu, show| {
            met_the_deleted_grant(emu, show);
            assert_eq!(emu.counter("overwrites"), 0, "nothing written over");
        }),
    ]);
}

#[test]
fn an_invalid_visibility_timeout_is_refused_when_the_provider_is_configured() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "soon");
    h.run(vec![Step::apply(refresh(&app)).expect_error(
        "IDENTITYCENTER_VISIBILITY_TIMEOUT = \"soon\" is not a duration like \"30s\" or \"2m\"",
    )]);
}

#[test]
fn an_import_whose_read_fails_reports_the_failure_not_a_missing_grant() {
    // The grant exists, but every read of it is refused.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &[
            "--fail",
            "ListApplicationGrants:1-1000:AccessDeniedException",
            "--fail",
            "GetApplicationGrant:1-1000:AccessDeniedException",
        ],
    );
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 0");
    h.write(&refresh(&app));
    h.ws.init();
    let out = h.ws.run(&[
        "import",
        "-no-color",
        "-input=false",
        "identitycenter_application_grant.g",
        &format!("{app},refresh_token"),
    ]);
    assert!(!out.status.success());
    let text = printed(&out);
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert!(!text.contains("non-existent"), "{text}");
    assert!(state_grants(&h.show()).is_empty());
    assert_eq!(h.emulator.grants().len(), 1, "the grant is untouched");
}

#[test]
fn a_refresh_while_the_provider_configuration_is_not_known_keeps_every_grant() {
    // The provider's region comes from a resource; replacing that resource
    // makes the region unknown while the next plan refreshes the grant.
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = h.emulator.provider_block().replace(
        "region     = \"us-east-1\"",
        "region     = terraform_data.region.output",
    );
    let config = |trigger: &str| {
        format!(
            "resource \"terraform_data\" \"region\" {{\n  input            = \"us-east-1\"\n  triggers_replace = \"{trigger}\"\n}}\n{}",
            refresh(&app)
        )
    };
    h.run(vec![
        Step::apply(config("one")),
        Step::plan(config("two")).expect_error("Provider configuration not known yet"),
    ]);
    let out = h.ws.run(&["plan", "-no-color", "-input=false"]);
    let text = printed(&out);
    assert!(
        text.contains(
            "The provider configuration depends on values that are only known after apply (region)"
        ),
        "{text}"
    );
    assert_state_matches_emulator(&h.emulator, &h.show());
}

#[test]
fn with_shared_reads_off_each_grant_is_refreshed_with_its_own_get() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = [
        refresh(&app),
        grant_hcl("x", &app, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE),
    ]
    .concat();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.ws.env("IDENTITYCENTER_SHARED_READS", "off");
    let before = std::cell::Cell::new((0, 0));
    let calls = |emu: &Emulator| {
        (
            emu.calls("GetApplicationGrant"),
            emu.calls("ListApplicationGrants"),
        )
    };
    h.run(vec![
        Step::apply(config.clone()),
        Step::plan(config)
            .before(|emu| before.set(calls(emu)))
            .check(|emu, _| {
                let (gets, lists) = before.get();
                assert_eq!(
                    calls(emu),
                    (gets + 2, lists),
                    "one Get per grant, no listing"
                );
            }),
    ]);
}

#[test]
fn stored_state_this_provider_cannot_read_is_refused_and_left_as_it_is() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![Step::apply(refresh(&app))]);
    let state_file = h.ws.path().join("terraform.tfstate");
    let original = std::fs::read_to_string(&state_file).expect("state file");
    let stored: Value = serde_json::from_str(&original).expect("state JSON");
    // Each way a stored grant can be unreadable: written by a newer
    // provider (Terraform itself refuses it before asking the provider),
    // in Terraform 0.11's flatmap form, or not fitting the schema.
    type Damage = fn(&mut Value);
    let cases: [(&str, Damage); 3] = [
        (
            "Resource instance managed by newer provider version",
            |instance| {
                instance["schema_version"] = 1.into();
            },
        ),
        ("Unsupported state format", |instance| {
            let object = instance.as_object_mut().expect("an instance");
            object.remove("attributes");
            object.insert(
                "attributes_flat".into(),
                serde_json::json!({"id": "x", "grant.#": "1"}),
            );
        }),
        ("Invalid stored state", |instance| {
            instance["attributes"]["grant"] = "not a block".into();
        }),
    ];
    for (summary, damage) in cases {
        let mut edited = stored.clone();
        damage(&mut edited["resources"][0]["instances"][0]);
        let written = serde_json::to_string_pretty(&edited).expect("JSON");
        std::fs::write(&state_file, &written).expect("write state");
        let out = h.ws.run(&["plan", "-no-color", "-input=false"]);
        assert!(!out.status.success(), "{summary}: the plan must fail");
        let text = printed(&out);
        assert!(text.contains(summary), "{summary}: {text}");
        assert_eq!(
            std::fs::read_to_string(&state_file).expect("state file"),
            written,
            "{summary}: the state is left for the user to mend"
        );
    }
    std::fs::write(&state_file, original).expect("restore state");
    h.assert_empty_plan("the restored state");
}
