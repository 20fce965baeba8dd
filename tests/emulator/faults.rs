//! Injected faults, and that the SDK's standard retries recover from the retryable ones.

use std::time::{Duration, Instant};

use aws_sdk_ssoadmin::types::GrantType;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn throttle_rate_one_answers_every_call_with_throttling() {
    let emu = emulator_with(|c| c.faults.throttle_rate = 1.0).await;
    let response = call(&emu.endpoint(), "ListInstances", "{}").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type(), "ThrottlingException");
    assert_eq!(
        code_of(client(&emu).list_instances().send().await),
        "ThrottlingException"
    );
    assert_eq!(emu.stats()["faults"]["throttle"], 2);
}

#[tokio::test]
async fn sdk_retries_recover_from_throttling() {
    let emu = emulator_with(|c| {
        c.faults.throttle_rate = 0.5;
        c.faults.seed = Some(42);
    })
    .await;
    let c = retrying_client(&emu, 10);
    let app = app(&emu, "web");
    for _ in 0..5 {
        c.put_application_grant()
            .application_arn(&app)
            .grant_type(GrantType::RefreshToken)
            .grant(refresh_token())
            .send()
            .await
            .expect("retried until it got through");
    }
    let stats = emu.stats();
    assert!(
        stats["faults"]["throttle"].as_u64().unwrap_or(0) > 0,
        "{stats}"
    );
    assert_eq!(stats["successes"], 5);
}

#[tokio::test]
async fn internal_errors_are_http_500_and_retried_by_the_sdk() {
    let always = emulator_with(|c| c.faults.internal_error_rate = 1.0).await;
    let response = call(&always.endpoint(), "ListInstances", "{}").await;
    assert_eq!(response.status, 500);
    assert_eq!(response.error_type(), "InternalServerException");

    let sometimes = emulator_with(|c| {
        c.faults.internal_error_rate = 0.5;
        c.faults.seed = Some(7);
    })
    .await;
    let c = retrying_client(&sometimes, 10);
    for _ in 0..5 {
        c.list_applications()
            .instance_arn(sometimes.instance_arn())
            .send()
            .await
            .expect("retried until it got through");
    }
    assert!(
        sometimes.stats()["faults"]["internal_error"]
            .as_u64()
            .unwrap_or(0)
            > 0
    );
}

#[tokio::test]
async fn conflicts_hit_valid_writes_only_and_change_nothing() {
    let emu = emulator_with(|c| c.faults.conflict_rate = 1.0).await;
    let c = retrying_client(&emu, 3);
    let app = app(&emu, "web");
    let put = c
        .put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .grant(refresh_token())
        .send()
        .await;
    assert_eq!(code_of(put), "ConflictException");
    assert_eq!(
        emu.stats()["calls"]["PutApplicationGrant"],
        1,
        "the SDK does not retry conflicts"
    );
    let delete = c
        .delete_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(code_of(delete), "ConflictException");
    let get = c
        .get_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(
        code_of(get),
        "ResourceNotFoundException",
        "reads never conflict; the put was not applied"
    );
    let invalid = c
        .put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::RefreshToken)
        .send()
        .await;
    assert_eq!(
        code_of(invalid),
        "ValidationException",
        "validation comes before conflicts"
    );
}

#[tokio::test]
async fn each_fault_rate_is_its_own_share_of_all_calls() {
    // 0.5 + 0.5 covers every call: with one draw per call nothing gets through. (Drawn one
    // after the other, the second rate would only apply to the half the first let through.)
    let emu = emulator_with(|c| {
        c.faults.throttle_rate = 0.5;
        c.faults.internal_error_rate = 0.5;
        c.faults.seed = Some(11);
    })
    .await;
    let mut throttled = 0;
    let mut internal = 0;
    for _ in 0..100 {
        match call(&emu.endpoint(), "ListInstances", "{}").await.status {
            400 => throttled += 1,
            500 => internal += 1,
            other => panic!("a call got through with {other}"),
        }
    }
    assert!((30..=70).contains(&throttled), "{throttled} throttled");
    assert!((30..=70).contains(&internal), "{internal} internal errors");

    let emu = emulator_with(|c| {
        c.faults.throttle_rate = 0.5;
        c.faults.conflict_rate = 0.5;
        c.faults.seed = Some(12);
    })
    .await;
    let c = client(&emu);
    let app = app(&emu, "web");
    for _ in 0..60 {
        let put = c
            .put_application_grant()
            .application_arn(&app)
            .grant_type(GrantType::RefreshToken)
            .grant(refresh_token())
            .send()
            .await;
        let code = code_of(put);
        assert!(
            code == "ThrottlingException" || code == "ConflictException",
            "{code}"
        );
    }
    let stats = emu.stats();
    let conflicts = stats["faults"]["conflict"].as_u64().unwrap_or(0);
    assert!((18..=42).contains(&conflicts), "{stats}");
}

#[tokio::test]
async fn fault_rates_summing_over_one_are_refused() {
    let config = identitycenter::emulator::EmulatorConfig {
        faults: identitycenter::emulator::FaultConfig {
            throttle_rate: 0.6,
            access_denied_rate: 0.5,
            ..Default::default()
        },
        ..Default::default()
    };
    let err = identitycenter::emulator::start(config)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("sum to at most 1.0"), "{err}");
}

#[tokio::test]
async fn access_denied_can_be_injected() {
    let emu = emulator_with(|c| c.faults.access_denied_rate = 1.0).await;
    assert_eq!(
        code_of(client(&emu).list_instances().send().await),
        "AccessDeniedException"
    );
}

#[tokio::test]
async fn latency_delays_calls_without_serialising_them() {
    let emu = emulator_with(|c| c.faults.latency = Duration::from_millis(300)).await;
    let started = Instant::now();
    client(&emu).list_instances().send().await.expect("call");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(emu.stats()["faults"]["latency"], 1);

    // Ten calls in a latency far longer than the test: they can only all be
    // waiting at once if the emulator holds no lock across the wait, however
    // slowly the machine sends them. Nothing waits for the latency to end.
    let emu = emulator_with(|c| c.faults.latency = Duration::from_secs(3600)).await;
    let c = client(&emu);
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.list_instances().send().await })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while emu.stats()["most_delayed_at_once"] != 10 {
        assert!(
            Instant::now() < deadline,
            "10 concurrent calls must wait out their delay together; a lock is held across it: {}",
            emu.stats()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for call in calls {
        call.abort();
    }
}

#[tokio::test]
async fn the_rate_limit_throttles_bursts_over_the_limit() {
    const TPS: f64 = 5.0;
    let emu = emulator_with(|c| c.faults.rate_limit_tps = Some(TPS)).await;
    let c = client(&emu);
    let mut throttled = 0;
    let mut ok = 0;
    let started = Instant::now();
    for _ in 0..20 {
        match c.list_instances().send().await {
            Ok(_) => ok += 1,
            Err(e) => {
                assert_eq!(code_of::<(), _>(Err(e)), "ThrottlingException");
                throttled += 1;
            }
        }
    }
    // The bucket starts full (a burst of TPS calls) and refills at TPS per
    // second while the calls run, so how many may pass depends on how long
    // they took: the bound comes from the time measured here (plus one for
    // rounding), not from an assumed speed. On any machine that sends the
    // 20 calls in under 2.8 s, some must be throttled.
    let elapsed = started.elapsed().as_secs_f64();
    let most = TPS + TPS * elapsed + 1.0;
    assert!(
        f64::from(ok) >= TPS,
        "the burst passes: {ok} ok, {throttled} throttled"
    );
    assert!(
        f64::from(ok) <= most,
        "at most {most:.1} may pass in {elapsed:.2} s: {ok} ok, {throttled} throttled"
    );
    assert_eq!(emu.stats()["faults"]["rate_limit"], throttled);
    // The bucket refills: calls succeed again once they are spaced out.
    eventually("a call gets through again", || async {
        c.list_instances().send().await.is_ok()
    })
    .await;
}

#[tokio::test]
async fn writes_stay_invisible_to_readers_for_the_configured_time() {
    // Whether a read fell inside a write's window is the emulator's own
    // verdict, read from its stale-read counters: each read must return
    // what that verdict implies. And a read that ended within WINDOW of the
    // moment before its write was sent cannot have been past the window, so
    // there the verdict must be "stale". Only a machine slow enough to let
    // the window close before the read skips that last check.
    const WINDOW: Duration = Duration::from_millis(2000);
    let emu = emulator_with(|c| c.faults.invisible_for = WINDOW).await;
    let c = client(&emu);
    let app = app(&emu, "web");
    let get = || {
        c.get_application_grant()
            .application_arn(&app)
            .grant_type(GrantType::AuthorizationCode)
            .send()
    };
    let put = |uri: &'static str| {
        c.put_application_grant()
            .application_arn(&app)
            .grant_type(GrantType::AuthorizationCode)
            .grant(authorization_code(&[uri]))
            .send()
    };
    let count = |name: &str| {
        let stats = emu.stats();
        stats[name]
            .as_u64()
            .unwrap_or_else(|| panic!("no {name} in /_stats: {stats}"))
    };
    // Whether the read between `before` and now was served stale.
    let served_stale = |before: u64, written_at: Instant, what: &str| {
        let stale = count("stale_reads") - before;
        assert!(stale <= 1, "{what}: one read, {stale} stale reads");
        assert!(
            stale == 1 || written_at.elapsed() >= WINDOW,
            "{what}: answered fresh within {WINDOW:?} of the write"
        );
        stale == 1
    };

    let written_at = Instant::now();
    put("https://a/v1").await.expect("put v1");
    let before = count("stale_reads");
    let read = get().await;
    if served_stale(before, written_at, "get after put v1") {
        assert_eq!(
            code_of(read),
            "ResourceNotFoundException",
            "not visible yet"
        );
    } else {
        assert_eq!(
            read.expect("visible").grant(),
            Some(&authorization_code(&["https://a/v1"]))
        );
    }
    let before = count("stale_reads");
    let listed = c
        .list_application_grants()
        .application_arn(&app)
        .send()
        .await
        .expect("list");
    let expected_listed = if served_stale(before, written_at, "list after put v1") {
        0
    } else {
        1
    };
    assert_eq!(listed.grants().len(), expected_listed, "{listed:?}");
    assert_eq!(
        emu.state()["Applications"][0]["Grants"]["authorization_code"],
        json!({"AuthorizationCode": {"RedirectUris": ["https://a/v1"]}}),
        "/_state shows the truth"
    );
    eventually("v1 becomes visible", || async { get().await.is_ok() }).await;
    assert_eq!(
        get().await.expect("visible").grant(),
        Some(&authorization_code(&["https://a/v1"]))
    );

    let written_at = Instant::now();
    put("https://a/v2").await.expect("put v2");
    let before = count("stale_reads");
    let seen = get().await.expect("a grant either way").grant().cloned();
    let expected = if served_stale(before, written_at, "get after put v2") {
        "https://a/v1"
    } else {
        "https://a/v2"
    };
    assert_eq!(
        seen,
        Some(authorization_code(&[expected])),
        "readers see the previous version until the window closes"
    );
    eventually("v2 becomes visible", || async {
        get().await.ok().and_then(|g| g.grant().cloned())
            == Some(authorization_code(&["https://a/v2"]))
    })
    .await;

    let written_at = Instant::now();
    c.delete_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::AuthorizationCode)
        .send()
        .await
        .expect("delete");
    let (before, deleted_before) = (count("stale_reads"), count("stale_reads_of_deleted"));
    let read = get().await;
    let stale = served_stale(before, written_at, "get after the delete");
    assert_eq!(
        read.is_ok(),
        stale,
        "a delete also propagates late: {read:?}"
    );
    assert_eq!(
        count("stale_reads_of_deleted") - deleted_before,
        u64::from(stale),
        "a stale read of a deleted grant is counted as such"
    );
    eventually("the delete becomes visible", || async {
        get().await.is_err()
    })
    .await;
    assert_eq!(code_of(get().await), "ResourceNotFoundException");
}

#[tokio::test]
async fn faults_never_touch_the_inspection_endpoints() {
    let emu = emulator_with(|c| {
        c.faults.throttle_rate = 0.5;
        c.faults.internal_error_rate = 0.5;
        c.faults.rate_limit_tps = Some(1.0);
        c.faults.latency = Duration::from_millis(2000);
    })
    .await;
    for _ in 0..5 {
        inspect(&emu.endpoint(), "/_state").await;
        inspect(&emu.endpoint(), "/_stats").await;
    }
    // Neither counted as calls nor delayed nor faulted.
    let stats = emu.stats();
    assert_eq!(stats["requests"], 0, "{stats}");
    assert_eq!(stats["faults"]["latency"], 0, "{stats}");
    assert_eq!(stats["faults"]["rate_limit"], 0, "{stats}");
}

#[tokio::test]
async fn the_same_fault_seed_replays_the_same_faults() {
    async fn outcomes(seed: u64) -> Vec<u16> {
        let emu = emulator_with(|c| {
            c.faults.throttle_rate = 0.3;
            c.faults.internal_error_rate = 0.3;
            c.faults.seed = Some(seed);
        })
        .await;
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(call(&emu.endpoint(), "ListInstances", "{}").await.status);
        }
        statuses
    }
    let first = outcomes(99).await;
    assert_eq!(first, outcomes(99).await);
    assert!(
        first.contains(&200) && first.contains(&500) && first.contains(&400),
        "{first:?}"
    );
}

/// Polls `condition` until it holds, failing only after a deadline far
/// beyond what it should take.
async fn eventually<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !condition().await {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn scripted_faults_hit_exact_calls_and_may_take_effect_first() {
    use identitycenter::emulator::ScriptedFault;
    let emu = emulator_with(|c| {
        c.faults.scripted = vec![
            ScriptedFault::parse("PutApplicationGrant:1:InternalServerException:applied")
                .expect("script"),
            ScriptedFault::parse("PutApplicationGrant:2:ThrottlingException").expect("script"),
        ]
    })
    .await;
    let c = client(&emu);
    let app = app(&emu, "web");
    let put = |uri: &'static str| {
        c.put_application_grant()
            .application_arn(&app)
            .grant_type(GrantType::AuthorizationCode)
            .grant(authorization_code(&[uri]))
            .send()
    };
    assert_eq!(
        code_of(put("https://a/v1").await),
        "InternalServerException"
    );
    assert_eq!(
        emu.state()["Applications"][0]["Grants"]["authorization_code"],
        json!({"AuthorizationCode": {"RedirectUris": ["https://a/v1"]}}),
        "the first Put took effect before its 500"
    );
    assert_eq!(code_of(put("https://a/v2").await), "ThrottlingException");
    assert_eq!(
        emu.state()["Applications"][0]["Grants"]["authorization_code"]["AuthorizationCode"]
            ["RedirectUris"],
        json!(["https://a/v1"]),
        "the throttled Put did not"
    );
    put("https://a/v3")
        .await
        .expect("the third Put is not scripted");
    assert_eq!(emu.stats()["faults"]["scripted"], 2);
}
