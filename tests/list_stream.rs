//! The ListResource stream at the protocol level, where each event can be
//! watched: StopProvider ends a listing in flight, and a failure part-way is
//! a diagnostic after results that stay valid.

mod support;

use identitycenter::framework::IntoValue;
use identitycenter::proto::tfplugin6::provider_client::ProviderClient;
use identitycenter::proto::tfplugin6::{list_resource, stop_provider};
use identitycenter::provider::grant::model::GrantListConfig;
use identitycenter::provider::grant::resource::TYPE_NAME;
use identitycenter::value::{decode_msgpack, Type, Value};
use support::configured::{configured_provider, dynamic};
use support::emulator::Emulator;
use support::waiting::DEADLINE;
use tonic::transport::Channel;

/// An emulator with `count` applications, each with a refresh_token grant,
/// seeded at start (so that fault injection cannot disturb the set-up).
fn instance_with_grants(count: usize, extra: &[&str]) -> (Emulator, tempfile::TempDir) {
    let names: Vec<String> = (0..count).map(|i| format!("app{i:02}")).collect();
    let seed = serde_json::json!({
        "applications": names.iter().map(|n| serde_json::json!({"name": n})).collect::<Vec<_>>(),
        "grants": names
            .iter()
            .map(|n| serde_json::json!({
                "application": n,
                "grant_type": "refresh_token",
                "grant": {"RefreshToken": {}}
            }))
            .collect::<Vec<_>>(),
    });
    let dir = tempfile::tempdir().expect("seed dir");
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_string()).expect("write seed");
    let mut args = vec!["--seed", path.to_str().expect("UTF-8 path")];
    args.extend(extra);
    (Emulator::start(&[], &[], &args), dir)
}

fn list_request(instance: &str) -> list_resource::Request {
    let config = GrantListConfig {
        application_arn: Default::default(),
        instance_arn: identitycenter::framework::Field::Known(instance.to_string()),
    };
    let ty: Type = GrantListConfig::schema_block().implied_type();
    list_resource::Request {
        type_name: TYPE_NAME.into(),
        config: dynamic(&config.into_value(), &ty),
        include_resource_object: false,
        limit: 100,
    }
}

/// The identity an event carries, if any.
fn identity_of(event: &list_resource::Event) -> Option<Value> {
    let data = event.identity.as_ref()?.identity_data.as_ref()?;
    let ty = Type::Object(
        [
            ("application_arn".to_string(), Type::String),
            ("grant_type".to_string(), Type::String),
        ]
        .into(),
    );
    decode_msgpack(&data.msgpack, &ty).ok()
}

#[tokio::test]
async fn stop_provider_ends_a_listing_in_flight() {
    // Every call takes 300 ms: listing all 24 applications takes 30 calls
    // (6 pages of applications, 24 grant lists), about nine seconds. The
    // stop comes right after the first result, so a listing that honours it
    // ends long before that; one that ignores it lists everything.
    const APPLICATIONS: u64 = 24;
    let (emulator, _seed) = instance_with_grants(
        APPLICATIONS as usize,
        &["--latency-ms", "300", "--page-size", "4"],
    );
    let (_launched, mut client) = configured_provider(&emulator).await;
    let mut stream = open(&mut client, list_request(&emulator.instance)).await;
    let first = stream
        .message()
        .await
        .expect("stream")
        .expect("a first result");
    assert!(identity_of(&first).is_some(), "{first:?}");
    client
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider");
    // The deadline only keeps a hung stream from hanging the suite; how far
    // the listing got is judged by what it sent and what it asked AWS.
    let rest = tokio::time::timeout(DEADLINE, async {
        let mut rest = Vec::new();
        while let Some(event) = stream.message().await.expect("stream") {
            rest.push(event);
        }
        rest
    })
    .await
    .expect("the stream ends after StopProvider");
    let results = 1 + rest.iter().filter(|e| identity_of(e).is_some()).count() as u64;
    let grant_lists = grant_lists(&emulator);
    assert!(
        results < APPLICATIONS && grant_lists < APPLICATIONS,
        "the listing stopped part-way: {results} results from {grant_lists} grant lists, \
         where the whole listing has {APPLICATIONS} from {APPLICATIONS}"
    );
    let last = rest.last().expect("a closing event");
    assert_eq!(
        last.diagnostic.first().map(|d| d.summary.as_str()),
        Some("Operation cancelled"),
        "{last:?}"
    );
}

#[tokio::test]
async fn a_failure_part_way_is_a_diagnostic_after_valid_results() {
    // AccessDenied is not retried: with a share of calls refused, a listing
    // fails at some call. Over a range of fault seeds, every run must be
    // valid results, then (if a call failed) one error, then the end; and
    // some runs must fail part-way, after results.
    let mut failed_part_way = 0;
    for seed in 1..=12 {
        let seed = seed.to_string();
        let (emulator, _seed) = instance_with_grants(
            6,
            &[
                "--access-denied-rate",
                "0.15",
                "--fault-seed",
                &seed,
                "--page-size",
                "2",
            ],
        );
        let granted: Vec<String> = emulator.grants().keys().map(|(a, _)| a.clone()).collect();
        assert_eq!(granted.len(), 6);
        let (_launched, mut client) = configured_provider(&emulator).await;
        let mut stream = open(&mut client, list_request(&emulator.instance)).await;
        let mut results = 0;
        let mut error = None;
        while let Some(event) = stream.message().await.expect("stream") {
            assert!(
                error.is_none(),
                "seed {seed}: nothing follows the error: {event:?}"
            );
            match identity_of(&event) {
                Some(identity) => {
                    let arn = identity.get_attr("application_arn").and_then(Value::as_str);
                    assert!(
                        arn.is_some_and(|a| granted.iter().any(|g| g == a)),
                        "seed {seed}: a real grant: {identity:?}"
                    );
                    assert!(event.diagnostic.is_empty(), "{event:?}");
                    results += 1;
                }
                None => error = Some(event.diagnostic),
            }
        }
        match error {
            Some(diagnostics) => {
                let text = format!("{diagnostics:?}");
                assert!(
                    text.contains("AccessDeniedException"),
                    "seed {seed}: {text}"
                );
                if results > 0 {
                    failed_part_way += 1;
                }
            }
            None => assert_eq!(results, 6, "seed {seed}: without a failure, everything"),
        }
    }
    assert!(
        failed_part_way > 0,
        "no seed failed part-way through a listing"
    );
}

/// Starts a listing; its events follow on the returned stream.
async fn open(
    client: &mut ProviderClient<Channel>,
    request: list_resource::Request,
) -> tonic::Streaming<list_resource::Event> {
    client
        .list_resource(request)
        .await
        .expect("ListResource")
        .into_inner()
}

/// ListApplicationGrants calls the emulator has served.
fn grant_lists(emulator: &Emulator) -> u64 {
    emulator.calls("ListApplicationGrants")
}

/// Reads a stream to its end; returns the results (events with identities).
async fn results_of(stream: &mut tonic::Streaming<list_resource::Event>) -> usize {
    let mut results = 0;
    while let Some(event) = stream.message().await.expect("stream") {
        assert!(event.diagnostic.is_empty(), "{event:?}");
        results += usize::from(identity_of(&event).is_some());
    }
    results
}

#[tokio::test]
async fn a_listing_stops_at_its_limit_without_reading_further() {
    let (emulator, _seed) = instance_with_grants(12, &["--page-size", "4"]);
    let (_launched, mut client) = configured_provider(&emulator).await;
    let mut request = list_request(&emulator.instance);
    request.limit = 3;
    let mut stream = open(&mut client, request).await;
    assert_eq!(results_of(&mut stream).await, 3);
    assert_eq!(
        grant_lists(&emulator),
        3,
        "three results need three applications' grants, no more"
    );
}

#[tokio::test]
async fn closing_the_stream_stops_the_listing() {
    // Calls take a while, so a listing left running would still be busy
    // while the second, full listing runs.
    let (emulator, _seed) = instance_with_grants(30, &["--latency-ms", "40", "--page-size", "10"]);
    let (_launched, mut client) = configured_provider(&emulator).await;
    let mut abandoned = open(&mut client, list_request(&emulator.instance)).await;
    let first = abandoned
        .message()
        .await
        .expect("stream")
        .expect("a result");
    assert!(identity_of(&first).is_some());
    drop(abandoned);
    let before = grant_lists(&emulator);
    let mut full = open(&mut client, list_request(&emulator.instance)).await;
    assert_eq!(results_of(&mut full).await, 30);
    let during = grant_lists(&emulator) - before;
    assert!(
        during <= 30 + 1,
        "the closed listing went on: {during} grant lists while one full listing needs 30"
    );
}
