//! Where users get hurt: writes whose outcome is unknown, reads that fail
//! while create double-checks, deadlines, endpoints that are down or hang,
//! and a hundred grants under every kind of fault. Real Terraform against
//! the emulator; nothing may be lost, and state must end up matching AWS.

mod support;

use std::time::Instant;

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

/// What a failing `terraform` run printed on stderr, as one line.
fn stderr_line(out: &std::process::Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    String::from_utf8_lossy(&out.stderr).replace('\n', " ")
}

/// Applies the configuration again, expecting it to fail: what it printed
/// on stderr, as one line.
fn failing_apply(h: &Harness) -> String {
    stderr_line(
        &h.ws
            .run(&["apply", "-auto-approve", "-no-color", "-input=false"]),
    )
}

/// Asserts that `text` mentions every one of `wanted`.
fn assert_mentions(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "{w:?} not in {text}");
    }
}

/// A deadline of a few seconds must end the apply long before retries
/// would: a minute is more than ten times what the apply takes unloaded,
/// and less than half what it takes without the deadline.
fn assert_well_within_a_minute(started: Instant, what: &str) {
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(60),
        "{what} took {took:?}: the deadline did not stop it"
    );
}

fn with_timeouts(hcl: &str, timeouts: &str) -> String {
    hcl.replacen(
        "  grant {",
        &format!("  timeouts {{\n    {timeouts}\n  }}\n  grant {{"),
        1,
    )
}

#[test]
fn a_put_that_may_have_applied_before_a_refused_retry_is_kept_in_state() {
    // The first Put takes effect but its answer is a 500; the retry is
    // throttled and retries run out. AWS holds the grant: state must too.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &[
            "--fail",
            "PutApplicationGrant:1:InternalServerException:applied",
            "--fail",
            "PutApplicationGrant:2:ThrottlingException",
        ],
    );
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 1");
    h.run(vec![
        Step::apply(refresh(&app)).expect_error("ThrottlingException"),
        // Kept, tainted: the next apply replaces it and converges.
        Step::apply(refresh(&app)).actions(vec![(
            "identitycenter_application_grant.g",
            vec!["delete", "create"],
        )]),
    ]);
}

#[test]
fn a_failed_recheck_during_create_is_reported_as_itself() {
    // The grant exists; create's first read sees it and re-reads to be sure,
    // and those re-reads are refused. That is an access problem, not proof
    // the grant is someone else's.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &["--fail", "GetApplicationGrant:2-50:AccessDeniedException"],
    );
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 0");
    h.write(&refresh(&app));
    h.ws.init();
    let errors = h.plan_errors();
    assert!(errors.is_empty(), "{errors:#?}");
    let text = failing_apply(&h);
    assert!(text.contains("AccessDeniedException"), "{text}");
    assert!(!text.contains("already exists"), "{text}");
}

#[test]
fn a_deadline_stops_retries_and_names_operation_grant_deadline_and_last_error() {
    // Every call is throttled: without a deadline the create would retry
    // for minutes (25 retries with backoff).
    let emulator = Emulator::start(&["app"], &[], &["--throttle-rate", "1.0"]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    let started = Instant::now();
    h.run(vec![Step::apply(with_timeouts(
        &refresh(&app),
        "create = \"2s\"",
    ))
    .expect_error("did not finish within 2s (timeouts.create)")]);
    let apply_started = Instant::now();
    let text = failing_apply(&h);
    // Without the deadline: 26 attempts with backoff up to 20 s, minutes.
    assert_well_within_a_minute(apply_started, "an apply with a 2 s create deadline");
    assert_mentions(
        &text,
        &[
            "Operation timed out",
            "create of the refresh_token grant of application",
            &app,
            "the last AWS error was: HTTP 400",
            "ThrottlingException",
        ],
    );
    eprintln!(
        "two applies with a 2 s create deadline took {:?}",
        started.elapsed()
    );
    let show: Value = serde_json::from_str(&h.ws.run_ok(&["show", "-json"])).expect("show");
    assert!(state_grants(&show).is_empty(), "nothing was written");
}

#[test]
fn an_endpoint_that_never_answers_fails_within_the_deadline() {
    // Calls are accepted and never answered (an hour of latency): without
    // the deadline this apply would wait (max_retries + 1) x 60 s.
    let emulator = Emulator::start(&["app"], &[], &["--latency-ms", "3600000"]);
    let app = emulator.app("app").to_string();
    let endpoint = emulator.endpoint.clone();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 2");
    let started = Instant::now();
    h.run(vec![Step::apply(with_timeouts(
        &refresh(&app),
        "create = \"3s\"",
    ))
    .expect_error("no AWS call had failed before the deadline")]);
    let apply_started = Instant::now();
    let text = failing_apply(&h);
    // Without the deadline: three attempts of 60 s each.
    assert_well_within_a_minute(apply_started, "an apply with a 3 s create deadline");
    // The operation, the grant, the deadline, and the call that hung with
    // the endpoint it was sent to (create reads before it writes).
    assert_mentions(
        &text,
        &[
            "Operation timed out",
            "create of the refresh_token grant of application",
            &app,
            "within 3s (timeouts.create)",
            &format!(
                "GetApplicationGrant to {endpoint} was still waiting to connect or for its answer"
            ),
        ],
    );
    eprintln!(
        "two applies against a silent endpoint with a 3 s create deadline took {:?}",
        started.elapsed()
    );
}

#[test]
fn an_endpoint_that_is_down_is_named_in_the_error() {
    // A port nothing listens on, held so that nothing else can take it.
    let closed = support::ports::RefusingPort::new();
    let endpoint = format!("http://{}", closed.address);
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block =
        provider_with(&h.emulator, "max_retries = 2").replace(&h.emulator.endpoint, &endpoint);
    let config = with_timeouts(&refresh(&app), "create = \"30s\"");
    let started = Instant::now();
    h.run(vec![
        Step::apply(config).expect_error("(GetApplicationGrant) failed")
    ]);
    let text = failing_apply(&h);
    // The operation, the grant and the endpoint.
    assert_mentions(
        &text,
        &[
            "(GetApplicationGrant) for the refresh_token grant of application",
            &app,
            &format!("endpoint {endpoint}"),
        ],
    );
    assert!(text.to_lowercase().contains("connection refused"), "{text}");
    eprintln!(
        "two applies against a closed port with max_retries = 2 took {:?}",
        started.elapsed()
    );
}

/// After a failed step, state and AWS still agree.
fn assert_state_still_matches(h: &Harness) {
    assert_state_matches_emulator(&h.emulator, &h.show());
}

#[test]
fn update_read_and_delete_stop_at_their_own_deadlines() {
    // Update: the create's Put goes through, every later one is throttled.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &["--fail", "PutApplicationGrant:2-100000:ThrottlingException"],
    );
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    let uris = |uri: &str| {
        with_timeouts(
            &grant_hcl("g", &app, "authorization_code", &authorization_code(&[uri])),
            "update = \"2s\"",
        )
    };
    h.run(vec![
        Step::apply(uris("https://a.example.com/callback")),
        Step::apply(uris("https://b.example.com/callback"))
            .expect_error("update of the authorization_code grant of application"),
    ]);
    let text = failing_apply(&h);
    assert!(text.contains("within 2s (timeouts.update)"), "{text}");
    assert!(text.contains("ThrottlingException"), "{text}");
    // The refused update changed nothing: state keeps the first URI.
    assert_state_still_matches(&h);

    // Read: a refresh lists the application's grants once for both of its
    // grants here, and falls back to GetApplicationGrant; after the two
    // creates' four Gets (is it there yet, is it visible now) every listing
    // and every Get is throttled. The read that waits on the other's
    // listing must report what that listing saw too.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &[
            "--fail",
            "ListApplicationGrants:1-100000:ThrottlingException",
            "--fail",
            "GetApplicationGrant:5-100000:ThrottlingException",
        ],
    );
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    let two = format!(
        "{}{}",
        with_timeouts(&refresh(&app), "read = \"2s\""),
        with_timeouts(
            &grant_hcl("x", &app, TOKEN_EXCHANGE_TYPE, TOKEN_EXCHANGE),
            "read = \"2s\""
        )
    );
    h.write(&two);
    h.ws.init();
    h.ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    // A refresh-only apply writes state when its reads succeed: a read cut
    // short that answered "gone" would drop both grants here.
    let out = h.ws.run(&[
        "apply",
        "-refresh-only",
        "-auto-approve",
        "-no-color",
        "-input=false",
    ]);
    let text = stderr_line(&out);
    assert_mentions(
        &text,
        &[
            "read of the refresh_token grant of application",
            "read of the urn:ietf:params:oauth:grant-type:token-exchange grant of application",
        ],
    );
    assert_eq!(
        text.matches("within 2s (timeouts.read); the last AWS error was: HTTP 400")
            .count(),
        2,
        "both reads report the throttled listing: {text}"
    );
    assert_state_still_matches(&h);

    // Delete: every DeleteApplicationGrant is throttled.
    let emulator = Emulator::start(
        &["app"],
        &[],
        &[
            "--fail",
            "DeleteApplicationGrant:1-100000:ThrottlingException",
        ],
    );
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    let config = with_timeouts(&refresh(&app), "delete = \"2s\"");
    h.run(vec![
        Step::apply(config.clone()),
        Step::destroy(config).expect_error("delete of the refresh_token grant of application"),
    ]);
    // The grant is still in AWS, and still in state.
    assert_state_still_matches(&h);
    assert_eq!(h.emulator.grants().len(), 1);
}

#[test]
fn invalid_timeouts_are_errors_on_the_attribute() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    // A grant in state: a plan that got past validation would refresh it.
    h.write(&refresh(&app));
    h.ws.init();
    h.ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let calls_after_apply = h.emulator.aws_calls();
    for (timeouts, value) in [
        ("create = \"5 minutes\"", "\"5 minutes\""),
        ("delete = \"0s\"", "\"0s\""),
        ("read = \"90\"", "\"90\""),
    ] {
        let hcl = with_timeouts(&refresh(&app), timeouts);
        h.write(&hcl);
        let errors = h.plan_errors();
        let d = errors
            .iter()
            .find(|d| d["summary"] == "Invalid timeout")
            .unwrap_or_else(|| panic!("{timeouts}: {errors:#?}"));
        assert_eq!(diagnostic_range(d).0, locate(&h.config_text(&hcl), value).0);
    }
    assert_eq!(
        h.emulator.aws_calls(),
        calls_after_apply,
        "validation must stop the plans before they call AWS"
    );
}

#[test]
fn changing_only_the_timeouts_writes_nothing_to_aws() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    let puts_after_create = std::cell::Cell::new(0);
    h.run(vec![
        Step::apply(with_timeouts(&refresh(&app), "create = \"5m\"")).check(|emu, _| {
            puts_after_create.set(emu.calls("PutApplicationGrant"));
        }),
        Step::apply(with_timeouts(
            &refresh(&app),
            "create = \"10m\"\n    delete = \"1m\"",
        ))
        .actions(vec![("identitycenter_application_grant.g", vec!["update"])])
        .check(|emu, show| {
            assert_eq!(emu.calls("PutApplicationGrant"), puts_after_create.get());
            let g = &state_grants(show)["identitycenter_application_grant.g"];
            assert_eq!(g["timeouts"]["create"], "10m");
        }),
    ]);
}

#[test]
fn a_hundred_grants_under_every_kind_of_fault_are_written_once_each() {
    let names: Vec<String> = (0..25).map(|i| format!("app{i:02}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let emulator = Emulator::start(
        &name_refs,
        &["idp"],
        &[
            "--throttle-rate",
            "0.3",
            "--internal-error-rate",
            "0.1",
            "--conflict-rate",
            "0.05",
            "--latency-ms",
            "5",
            "--latency-jitter-ms",
            "40",
            "--fault-seed",
            "11",
        ],
    );
    let issuer = emulator.issuer("idp").to_string();
    let types = GRANT_TYPES;
    let mut config = String::new();
    let mut n = 0;
    for name in &names {
        let app = emulator.app(name);
        for t in types {
            let body = match t {
                "authorization_code" => {
                    authorization_code(&[&format!("https://{name}.example.com/cb")])
                }
                "refresh_token" => REFRESH_TOKEN.to_string(),
                JWT_BEARER_TYPE => jwt_bearer(&[(&issuer, &[name.as_str()])]),
                _ => TOKEN_EXCHANGE.to_string(),
            };
            config.push_str(&grant_hcl(&format!("g{n:03}"), app, t, &body));
            n += 1;
        }
    }
    assert_eq!(n, 100);
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![Step::apply(config).check(|emu, show| {
        assert_eq!(state_grants(show).len(), 100);
        let stats = emu.stats();
        // Each grant written exactly once: faults were answered before the
        // write took effect, so every retry re-sent a write that had not
        // happened, and nothing was written twice.
        assert_eq!(stats["succeeded"]["PutApplicationGrant"], 100, "{stats}");
        let faults = &stats["faults"];
        for kind in ["throttle", "internal_error", "conflict"] {
            assert!(
                faults[kind].as_u64().unwrap_or(0) > 0,
                "no {kind} faults: {faults}"
            );
        }
        // Every call waits out its latency: calls overlapped in it, so the
        // provider kept several in flight rather than one at a time.
        assert!(
            stats["most_delayed_at_once"].as_u64().unwrap_or(0) > 1,
            "{stats}"
        );
        eprintln!("100 grants under faults: {stats}");
    })]);
}

#[test]
fn a_user_and_password_in_the_endpoint_url_never_reach_error_messages() {
    const PASSWORD: &str = "hunter2-endpoint-password";
    // A port nothing listens on (held so nothing else takes it): the error
    // names the endpoint it tried.
    let refusing = support::ports::RefusingPort::new();
    let closed = refusing.address;
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 1").replace(
        &h.emulator.endpoint,
        &format!("http://operator:{PASSWORD}@{closed}"),
    );
    h.run(vec![Step::apply(with_timeouts(
        &refresh(&app),
        "create = \"30s\"",
    ))
    .expect_error("(GetApplicationGrant) failed")]);
    let text = failing_apply(&h);
    assert_mentions(&text, &[&format!("endpoint http://{closed}")]);
    assert!(!text.contains(PASSWORD), "{text}");

    // An endpoint that never answers (a socket nobody accepts on: the
    // kernel queues the connection, nobody reads the request): the
    // deadline's error names the call still in flight and where it went.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a listening socket");
    let address = silent.local_addr().expect("its address");
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.provider_block = provider_with(&h.emulator, "max_retries = 1").replace(
        &h.emulator.endpoint,
        &format!("http://operator:{PASSWORD}@{address}"),
    );
    h.run(vec![Step::apply(with_timeouts(
        &refresh(&app),
        "create = \"3s\"",
    ))
    .expect_error("no AWS call had failed before the deadline")]);
    let text = failing_apply(&h);
    assert_mentions(
        &text,
        &[&format!("GetApplicationGrant to http://{address} was")],
    );
    assert!(!text.contains(PASSWORD), "{text}");
}
