//! StopProvider cancels work in flight without stopping the server, and a
//! panic in a handler becomes an error diagnostic instead of a dead provider.

mod support;

use std::sync::Arc;

use identitycenter::framework::{
    Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ReadRequest,
    ReadResponse, Resource, Schema, UpdateRequest, UpdateResponse,
};
use identitycenter::proto::tfplugin6::provider_client::ProviderClient;
use identitycenter::proto::tfplugin6::provider_server::Provider as _;
use identitycenter::proto::tfplugin6::{
    apply_resource_change, diagnostic, get_provider_schema, read_resource, stop_provider,
};
use identitycenter::provider::grant::resource as application_grant;
use identitycenter::server::ProviderService;
use identitycenter::value::{Type, Value};
use support::configured::{
    configured_provider, configured_provider_with_env, dynamic, refresh_token_grant,
};
use support::emulator::Emulator;
use support::in_process::OneResource;
use support::waiting::until_async;
use tonic::transport::Channel;

/// Starts the create of a refresh_token grant of `app` in the background.
fn spawn_create(
    client: &ProviderClient<Channel>,
    app: &str,
) -> tokio::task::JoinHandle<Result<tonic::Response<apply_resource_change::Response>, tonic::Status>>
{
    let ty = application_grant::schema().implied_type();
    let planned = refresh_token_grant(app, Value::unknown());
    let request = apply_resource_change::Request {
        type_name: application_grant::TYPE_NAME.into(),
        prior_state: dynamic(&Value::Null, &ty),
        planned_state: dynamic(&planned, &ty),
        config: dynamic(&planned, &ty),
        ..Default::default()
    };
    let mut client = client.clone();
    tokio::spawn(async move { client.apply_resource_change(request).await })
}

/// Sends StopProvider and waits (briefly) for the create to answer.
async fn stop_and_collect(
    client: &mut ProviderClient<Channel>,
    apply: tokio::task::JoinHandle<
        Result<tonic::Response<apply_resource_change::Response>, tonic::Status>,
    >,
) -> apply_resource_change::Response {
    client
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider");
    // Uncancelled, the apply would end with the emulator's answers and no
    // "Operation cancelled": the deadline only keeps a hang from lasting.
    tokio::time::timeout(support::waiting::DEADLINE, apply)
        .await
        .expect("apply returned after StopProvider")
        .expect("task")
        .expect("ApplyResourceChange")
        .into_inner()
}

#[tokio::test]
async fn stop_provider_cancels_an_apply_in_flight_and_keeps_serving() {
    // Every AWS call takes 3 s: once the create's first call has reached
    // the emulator, the apply is in flight.
    let emulator = Emulator::start(&["app"], &[], &["--latency-ms", "3000"]);
    let (_launched, mut client) = configured_provider(&emulator).await;
    let before = emulator.aws_calls();
    let apply = spawn_create(&client, emulator.app("app"));
    until_async("the create's first AWS call arrives", || {
        emulator.aws_calls() > before
    })
    .await;
    let response = stop_and_collect(&mut client, apply).await;
    let summaries: Vec<_> = response
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Operation cancelled"]);
    assert_eq!(
        response.diagnostics[0].severity,
        diagnostic::Severity::Error as i32
    );

    // Still serving, and later calls run to the end: a read after the stop
    // (of a grant that does not exist) waits out its AWS call and reports
    // the grant gone, where a stop token left fired would cancel it at once.
    let ty = application_grant::schema().implied_type();
    let read = client
        .read_resource(read_resource::Request {
            type_name: application_grant::TYPE_NAME.into(),
            current_state: dynamic(
                &refresh_token_grant(
                    emulator.app("app"),
                    Value::string(format!("{},refresh_token", emulator.app("app"))),
                ),
                &ty,
            ),
            ..Default::default()
        })
        .await
        .expect("still serving")
        .into_inner();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let state =
        identitycenter::value::decode_msgpack(&read.new_state.expect("a state").msgpack, &ty)
            .expect("decode");
    assert_eq!(state, Value::Null, "the grant does not exist");
}

/// The first error diagnostic's summary and detail.
fn first_error(diagnostics: &[identitycenter::proto::tfplugin6::Diagnostic]) -> (String, String) {
    let d = diagnostics
        .iter()
        .find(|d| d.severity == diagnostic::Severity::Error as i32)
        .unwrap_or_else(|| panic!("an error diagnostic in {diagnostics:?}"));
    (d.summary.clone(), d.detail.clone())
}

#[tokio::test]
async fn stop_provider_while_the_put_is_on_the_wire_keeps_the_grant() {
    // The Put takes effect and is never answered: StopProvider arrives
    // while it is on the wire.
    let emulator = tokio::task::spawn_blocking(|| {
        Emulator::start(
            &["app"],
            &[],
            &["--fail", "PutApplicationGrant:1:NoAnswer:applied"],
        )
    })
    .await
    .expect("emulator");
    let (_launched, mut client) = configured_provider(&emulator).await;
    let apply = spawn_create(&client, emulator.app("app"));
    until_async("the Put reaches the emulator", || {
        emulator.calls("PutApplicationGrant") >= 1
    })
    .await;
    let response = stop_and_collect(&mut client, apply).await;
    let (summary, detail) = first_error(&response.diagnostics);
    assert_eq!(summary, "Operation cancelled");
    assert!(
        detail.contains("while PutApplicationGrant was in flight; it may have been applied"),
        "{detail}"
    );
    let ty = application_grant::schema().implied_type();
    let state =
        identitycenter::value::decode_msgpack(&response.new_state.expect("new state").msgpack, &ty)
            .expect("decode");
    assert_eq!(
        state.get_attr("id").and_then(Value::as_str),
        Some(format!("{},refresh_token", emulator.app("app")).as_str()),
        "kept: Terraform records it (tainted) and the next refresh reconciles"
    );
}

/// The state of an existing refresh_token grant of `app`, as Terraform
/// sends it.
fn stored_grant(app: &str) -> Option<identitycenter::proto::tfplugin6::DynamicValue> {
    let ty = application_grant::schema().implied_type();
    dynamic(
        &refresh_token_grant(app, Value::string(format!("{app},refresh_token"))),
        &ty,
    )
}

fn read_request(app: &str) -> read_resource::Request {
    read_resource::Request {
        type_name: application_grant::TYPE_NAME.into(),
        current_state: stored_grant(app),
        private: b"keep me".to_vec(),
        ..Default::default()
    }
}

fn delete_request(app: &str) -> apply_resource_change::Request {
    let ty = application_grant::schema().implied_type();
    apply_resource_change::Request {
        type_name: application_grant::TYPE_NAME.into(),
        prior_state: stored_grant(app),
        planned_state: dynamic(&Value::Null, &ty),
        config: dynamic(&Value::Null, &ty),
        ..Default::default()
    }
}

/// An emulator whose calls named in `failing` fail as `how` (an error
/// code, or NoAnswer), with a refresh_token grant of its application.
async fn emulator_failing(failing: &'static [&'static str], how: &'static str) -> Emulator {
    tokio::task::spawn_blocking(move || {
        let flags: Vec<String> = failing
            .iter()
            .flat_map(|op| ["--fail".to_string(), format!("{op}:1-100000:{how}")])
            .collect();
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let emulator = Emulator::start(&["app"], &[], &flags);
        emulator.put_refresh_token_out_of_band(emulator.app("app"));
        emulator
    })
    .await
    .expect("emulator")
}

const READS: &[&str] = &["ListApplicationGrants", "GetApplicationGrant"];

#[tokio::test]
async fn a_failed_read_hands_back_the_object_it_was_given() {
    let emulator = emulator_failing(READS, "AccessDeniedException").await;
    let (_launched, mut client) = configured_provider(&emulator).await;
    let request = read_request(emulator.app("app"));
    let sent = request.current_state.clone();
    let response = client
        .read_resource(request)
        .await
        .expect("ReadResource")
        .into_inner();
    let (_, detail) = first_error(&response.diagnostics);
    assert!(detail.contains("AccessDeniedException"), "{detail}");
    assert_eq!(response.new_state, sent, "never 'gone'");
    assert_eq!(response.private, b"keep me");
}

#[tokio::test]
async fn a_cancelled_read_hands_back_the_object_it_was_given() {
    let emulator = emulator_failing(READS, "NoAnswer").await;
    let (_launched, mut client) = configured_provider(&emulator).await;
    let request = read_request(emulator.app("app"));
    let sent = request.current_state.clone();
    let mut reader = client.clone();
    let read = tokio::spawn(async move { reader.read_resource(request).await });
    until_async("the read reaches the emulator", || {
        emulator.calls("ListApplicationGrants") >= 1
    })
    .await;
    client
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider");
    let response = tokio::time::timeout(support::waiting::DEADLINE, read)
        .await
        .expect("the read answers after StopProvider")
        .expect("task")
        .expect("ReadResource")
        .into_inner();
    assert_eq!(first_error(&response.diagnostics).0, "Operation cancelled");
    assert_eq!(response.new_state, sent);
}

#[tokio::test]
async fn a_failed_delete_keeps_the_object() {
    let emulator = emulator_failing(&["DeleteApplicationGrant"], "AccessDeniedException").await;
    let (_launched, mut client) = configured_provider(&emulator).await;
    let request = delete_request(emulator.app("app"));
    let prior = request.prior_state.clone();
    let response = client
        .apply_resource_change(request)
        .await
        .expect("ApplyResourceChange")
        .into_inner();
    let (_, detail) = first_error(&response.diagnostics);
    assert!(detail.contains("AccessDeniedException"), "{detail}");
    assert_eq!(response.new_state, prior);
    assert_eq!(emulator.grants().len(), 1);
}

#[tokio::test]
async fn a_cancelled_delete_keeps_the_object() {
    let emulator = emulator_failing(&["DeleteApplicationGrant"], "NoAnswer").await;
    let (_launched, mut client) = configured_provider(&emulator).await;
    let request = delete_request(emulator.app("app"));
    let prior = request.prior_state.clone();
    let mut deleter = client.clone();
    let delete = tokio::spawn(async move { deleter.apply_resource_change(request).await });
    until_async("the delete reaches the emulator", || {
        emulator.calls("DeleteApplicationGrant") >= 1
    })
    .await;
    let response = stop_and_collect(&mut client, delete).await;
    assert_eq!(first_error(&response.diagnostics).0, "Operation cancelled");
    assert_eq!(response.new_state, prior);
}

/// How long create re-reads a grant it found before refusing it (the
/// visibility window), shortened for these tests.
const RECHECK: (&str, &str) = ("IDENTITYCENTER_VISIBILITY_TIMEOUT", "5s");

/// An emulator holding a refresh_token grant made out of band, which
/// answers create's first read (the grant is there) and never answers the
/// re-reads create makes before it refuses to take the grant over.
async fn existing_grant_and_silent_rereads() -> Emulator {
    // The out-of-band write blocks on its own runtime: off this one.
    tokio::task::spawn_blocking(|| {
        let emulator = Emulator::start(
            &["app"],
            &[],
            &["--fail", "GetApplicationGrant:2-100000:NoAnswer"],
        );
        emulator.put_refresh_token_out_of_band(emulator.app("app"));
        emulator
    })
    .await
    .expect("emulator set up")
}

fn summaries_and_details(response: &apply_resource_change::Response) -> Vec<(String, String)> {
    response
        .diagnostics
        .iter()
        .map(|d| (d.summary.clone(), d.detail.clone()))
        .collect()
}

#[tokio::test]
async fn create_gives_up_on_a_recheck_that_never_answers_after_its_patience() {
    let emulator = existing_grant_and_silent_rereads().await;
    let (_launched, client) = configured_provider_with_env(&emulator, &[RECHECK]).await;
    let app = emulator.app("app").to_string();
    let response = tokio::time::timeout(support::waiting::DEADLINE, spawn_create(&client, &app))
        .await
        .expect("the create answers")
        .expect("task")
        .expect("ApplyResourceChange")
        .into_inner();
    assert_eq!(
        summaries_and_details(&response),
        [(
            "GetApplicationGrant did not answer".to_string(),
            // The window (5 s), then as long again for the read that
            // decides.
            format!(
                "GetApplicationGrant for the refresh_token grant of application {app} did not \
                 answer within 10 s."
            )
        )]
    );
}

#[tokio::test]
async fn stop_provider_ends_the_recheck_of_a_grant_create_found() {
    let emulator = existing_grant_and_silent_rereads().await;
    let (_launched, mut client) = configured_provider_with_env(&emulator, &[RECHECK]).await;
    let apply = spawn_create(&client, emulator.app("app"));
    until_async("create re-reads the grant it found", || {
        emulator.calls("GetApplicationGrant") >= 2
    })
    .await;
    // Unstopped, the wait would end in 'did not answer within 10 s'.
    let response = stop_and_collect(&mut client, apply).await;
    let found = summaries_and_details(&response);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Operation cancelled");
    assert!(
        found[0]
            .1
            .contains("Terraform asked the provider to stop before anything was written"),
        "{found:?}"
    );
}

/// A resource whose read panics, served in-process through the real server.
struct Exploding;

#[async_trait::async_trait]
impl Resource for Exploding {
    fn type_name(&self) -> &'static str {
        "test_exploding"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("").attribute(Attribute::required("name", Type::String)),
        )
    }
    async fn read(&self, _request: ReadRequest) -> ReadResponse {
        panic!("read exploded on purpose")
    }
    async fn create(&self, _request: CreateRequest) -> CreateResponse {
        CreateResponse::default()
    }
    async fn update(&self, _request: UpdateRequest) -> UpdateResponse {
        UpdateResponse::default()
    }
    async fn delete(&self, _request: DeleteRequest) -> DeleteResponse {
        DeleteResponse::default()
    }
}

#[tokio::test]
async fn a_panicking_handler_reports_an_error_and_the_server_lives_on() {
    let service = ProviderService::new(Arc::new(OneResource(Arc::new(Exploding))));
    let ty = Exploding.schema().implied_type();
    let state = Value::object([("name", Value::string("x"))]);
    let response = service
        .read_resource(tonic::Request::new(read_resource::Request {
            type_name: "test_exploding".into(),
            current_state: dynamic(&state, &ty),
            private: b"keep me".to_vec(),
            ..Default::default()
        }))
        .await
        .expect("a response, not a transport error")
        .into_inner();
    assert_eq!(response.diagnostics.len(), 1);
    let d = &response.diagnostics[0];
    assert_eq!(d.severity, diagnostic::Severity::Error as i32);
    assert!(
        d.detail.contains("read exploded on purpose"),
        "{}",
        d.detail
    );
    // The object is not dropped from state: the current state comes back.
    assert_eq!(response.new_state, dynamic(&state, &ty));
    assert_eq!(response.private, b"keep me");
    // The same service keeps answering.
    let schema = service
        .get_provider_schema(tonic::Request::new(get_provider_schema::Request {}))
        .await
        .expect("schema")
        .into_inner();
    assert!(schema.resource_schemas.contains_key("test_exploding"));
}
