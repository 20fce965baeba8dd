//! Absence is never deletion: with the real Terraform against an emulator whose listings lag
//! the writes, or repeat their page tokens, no grant is dropped from state and no listing is
//! taken as whole when it is not.

mod support;

use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::latest_terraform;

/// Far longer than any test runs: the listings never catch up, so nothing
/// here depends on how fast the machine is.
const LIST_LAG_MS: &str = "600000";

/// Three grants (authorization_code, refresh_token, token-exchange) of each
/// of `apps`, named `<kind>_<app name>`, with `uri` as the redirect URI.
fn three_grants_each(emulator: &Emulator, apps: &[&str], uri: &str) -> String {
    apps.iter()
        .map(|name| {
            let app = emulator.app(name);
            [
                grant_hcl(
                    &format!("code_{name}"),
                    app,
                    "authorization_code",
                    &authorization_code(&[uri]),
                ),
                grant_hcl(
                    &format!("refresh_{name}"),
                    app,
                    "refresh_token",
                    REFRESH_TOKEN,
                ),
                grant_hcl(
                    &format!("exchange_{name}"),
                    app,
                    TOKEN_EXCHANGE_TYPE,
                    TOKEN_EXCHANGE,
                ),
            ]
            .concat()
        })
        .collect()
}

/// The emulator's count of listings that showed less (or older) than a Get
/// would have, since `before`.
fn lagging_lists_since(emulator: &Emulator, before: u64) -> u64 {
    emulator.counter("lagging_lists") - before
}

#[test]
fn a_refresh_right_after_apply_keeps_every_grant_while_listings_lag() {
    const APPS: [&str; 4] = ["a", "b", "c", "d"];
    let emulator = Emulator::start(&APPS, &[], &["--list-lag-ms", LIST_LAG_MS]);
    let created = three_grants_each(&emulator, &APPS, "https://one.example.com/cb");
    let mut h = Harness::new(&latest_terraform(), emulator);
    // The shortest visibility window, waited out before the refresh: within
    // it, a write recorded moments ago would explain a grant missing from a
    // read and hide a refresh that took a listing's silence for absence.
    // After it, only the Get can keep the grants.
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "1s");
    let applied = std::cell::Cell::new(std::time::Instant::now());
    let lagged = std::cell::Cell::new(0);
    h.run(vec![
        // 12 grants; the empty plan after it refreshes them all.
        Step::apply(created.clone()).check(|_, _| applied.set(std::time::Instant::now())),
        // apply -refresh-only, then an empty plan: every grant kept.
        Step::refresh_only(created)
            .before(|emu| {
                // The writes all happened before the apply step ended.
                let window_end = applied.get() + std::time::Duration::from_secs(1);
                std::thread::sleep(window_end.saturating_duration_since(std::time::Instant::now()));
                lagged.set(emu.counter("lagging_lists"))
            })
            .check(|emu, show| {
                assert!(
                    lagging_lists_since(emu, lagged.get()) > 0,
                    "the listings must really have lagged for this step to prove anything"
                );
                assert_eq!(state_grants(show).len(), 12, "no grant dropped");
            }),
    ]);
}

#[test]
fn a_refresh_right_after_an_update_keeps_the_new_settings_while_listings_show_the_old() {
    // The grant exists before the emulator starts, so the lagging listing
    // shows it, with the settings it had then.
    let seed = tempfile::tempdir().expect("temp dir");
    let seed_file = seed.path().join("seed.json");
    std::fs::write(
        &seed_file,
        r#"{"applications": [{"name": "app"}],
            "grants": [{"application": "app", "grant_type": "authorization_code",
                        "grant": {"AuthorizationCode": {"RedirectUris": ["https://one.example.com/cb"]}}}]}"#,
    )
    .expect("write seed");
    let emulator = Emulator::start(
        &[],
        &[],
        &[
            "--seed",
            seed_file.to_str().expect("path"),
            "--list-lag-ms",
            LIST_LAG_MS,
        ],
    );
    let app = emulator.app("app").to_string();
    let with_uri = |uri: &str| {
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&[uri]),
        )
    };
    let h = Harness::new(&latest_terraform(), emulator);
    let lagged = std::cell::Cell::new(0);
    h.run(vec![
        Step::import(
            with_uri("https://one.example.com/cb"),
            "identitycenter_application_grant.code",
            &format!("{app},authorization_code"),
        ),
        Step::apply(with_uri("https://two.example.com/cb")).actions(vec![(
            "identitycenter_application_grant.code",
            vec!["update"],
        )]),
        Step::refresh_only(with_uri("https://two.example.com/cb"))
            .before(|emu| lagged.set(emu.counter("lagging_lists")))
            .check(|emu, _| {
                assert!(
                    lagging_lists_since(emu, lagged.get()) > 0,
                    "the listing showed the old settings"
                );
            }),
    ]);
}

#[test]
fn an_import_right_after_an_out_of_band_create_finds_the_grant_while_listings_lag() {
    let emulator = Emulator::start(&["app"], &[], &["--list-lag-ms", LIST_LAG_MS]);
    let app = emulator.app("app").to_string();
    let config = grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN);
    let h = Harness::new(&latest_terraform(), emulator);
    let before = std::cell::Cell::new(0);
    h.run(vec![Step::import(
        config,
        "identitycenter_application_grant.refresh",
        &format!("{app},refresh_token"),
    )
    .before(|emu| {
        emu.put_refresh_token_out_of_band(emu.app("app"));
        before.set(emu.counter("lagging_lists"));
    })
    .check(|emu, show| {
        assert!(
            lagging_lists_since(emu, before.get()) > 0,
            "the listing lagged"
        );
        assert_eq!(state_grants(show).len(), 1, "imported");
    })]);
}

/// What a repeated page token must produce: an error naming the operation,
/// the application and the repetition.
fn assert_repeated_token_error(output: &str, app: &str) {
    let one_line = output.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "ListApplicationGrants returned an incomplete listing".to_string(),
        format!("ListApplicationGrants for the grants of application {app} cannot be completed"),
        "page 2 returned the NextToken".to_string(),
        "which page 2 was already requested with".to_string(),
        "Nothing was concluded from the pages already read".to_string(),
    ] {
        assert!(
            one_line.contains(&expected),
            "expected {expected:?} in:\n{output}"
        );
    }
}

#[test]
fn a_listing_that_repeats_its_token_fails_refresh_data_source_and_query_and_drops_nothing() {
    // One grant per page; every page after the first hands back the token
    // it was requested with. Creating grants lists nothing, so only the
    // reads below meet the fault.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &[
            "--page-size",
            "1",
            "--fail",
            "ListApplicationGrants:2-1000000:RepeatToken",
        ],
    );
    let app = emulator.app("app").to_string();
    let grants = [
        grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN),
        grant_hcl("exchange", &app, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE),
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://a.example.com/cb"]),
        ),
    ]
    .concat();
    let h = Harness::new(&latest_terraform(), emulator);
    // The apply's own empty plan (a refresh) would meet the fault: apply by
    // hand, then check each read.
    h.write(&grants);
    h.ws.init();
    h.ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let held = || {
        let show = h.show();
        assert_state_matches_emulator(&h.emulator, &show);
        assert_eq!(state_grants(&show).len(), 3, "nothing dropped");
    };
    held();

    let failed = |args: &[&str]| {
        let out = h.ws.run(args);
        assert!(!out.status.success(), "terraform {args:?} must fail");
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let refresh = [
        "apply",
        "-refresh-only",
        "-auto-approve",
        "-no-color",
        "-input=false",
    ];
    assert_repeated_token_error(&failed(&refresh), &app);
    held();
    assert_repeated_token_error(&failed(&["plan", "-no-color", "-input=false"]), &app);
    held();

    // The data source is read during plan even without a refresh.
    h.write(&format!(
        "{grants}\ndata \"identitycenter_application_grants\" \"all\" {{\n  application_arn = \"{app}\"\n}}\n"
    ));
    assert_repeated_token_error(
        &failed(&["plan", "-refresh=false", "-no-color", "-input=false"]),
        &app,
    );
    held();

    h.write(&grants);
    h.write_query(&format!(
        "list \"identitycenter_application_grant\" \"all\" {{\n  provider = identitycenter\n  config {{\n    application_arn = \"{app}\"\n  }}\n}}\n"
    ));
    let (ok, lines) = h.query(&[]);
    assert!(!ok, "the query must fail: {lines:#?}");
    let reported: String = errors(&lines)
        .iter()
        .map(|d| format!("{} {}", d["summary"], d["detail"]))
        .collect();
    assert_repeated_token_error(&reported, &app);
    assert!(
        messages(&lines, "list_resource_found").len() < 3,
        "never the whole list: {lines:#?}"
    );
    held();
}
