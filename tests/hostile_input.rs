//! Hostile input: crafted and arbitrary bytes and values fed to the decoders
//! and to every RPC of the real protocol server, in-process. Nothing may
//! panic, hang, or ask for memory out of proportion to the input; the
//! global allocator below records, per thread, the largest single request,
//! so that tests running side by side neither reset nor inflate each
//! other's figure.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

use identitycenter::value::{decode_json, decode_msgpack, Type, Value};
use proptest::prelude::*;

/// The system allocator, remembering each thread's largest single
/// allocation.
struct Recording;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    // A thread being torn down has no slot left: nothing to record.
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
}

unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `work` and returns what it returned with the largest single
/// allocation this thread made meanwhile.
fn largest_allocation_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|largest| largest.set(0));
    let out = work();
    (out, LARGEST.with(Cell::get))
}

#[global_allocator]
static ALLOCATOR: Recording = Recording;

/// Input this large with an element that fails at once must not make the
/// decoder reserve more than this.
const INPUT: usize = 16 << 20;
const ALLOWED: usize = 4 << 20;

#[test]
fn a_huge_array_header_reserves_little_before_its_elements_decode() {
    // array32 claiming 2^32 - 1 strings, then 16 MiB whose first element
    // is a bool: the decode fails at element 0.
    let mut bytes = vec![0xdd, 0xff, 0xff, 0xff, 0xff];
    bytes.resize(5 + INPUT, 0xc3);
    for ty in [
        Type::List(Box::new(Type::String)),
        Type::Set(Box::new(Type::String)),
    ] {
        let (result, largest) = largest_allocation_of(|| decode_msgpack(&bytes, &ty));
        assert!(result.is_err(), "{ty:?}");
        assert!(
            largest < ALLOWED,
            "{ty:?}: one allocation of {largest} bytes for an element that failed at once"
        );
    }
}

/// Few, one-letter attribute names, so that arbitrary bytes now and then
/// spell one and reach deeper into the decoders.
fn some_types() -> impl Strategy<Value = Type> {
    support::strategies::cty_types("[a-c]", 3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_the_decoders(ty in some_types(), bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let ((), largest) = largest_allocation_of(|| {
            let _ = decode_msgpack(&bytes, &ty);
            let _ = decode_json(&bytes, &ty);
        });
        prop_assert!(largest < ALLOWED, "{largest}");
    }
}

// ---- every RPC, in-process -------------------------------------------------

use identitycenter::proto::tfplugin6 as pb;
use identitycenter::proto::tfplugin6::provider_server::Provider as _;
use identitycenter::provider::IdentityCenterProvider;
use identitycenter::server::ProviderService;
use tokio_stream::StreamExt as _;
use tonic::Request;

fn dv(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes.to_vec(),
        json: Vec::new(),
    })
}

fn dv_json(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: Vec::new(),
        json: bytes.to_vec(),
    })
}

fn identity(bytes: &[u8]) -> Option<pb::ResourceIdentityData> {
    Some(pb::ResourceIdentityData {
        identity_data: dv(bytes),
    })
}

/// No handler may reach the panic guard: its diagnostic is the sign.
fn no_panic(diagnostics: &[pb::Diagnostic]) -> Result<(), TestCaseError> {
    for d in diagnostics {
        prop_assert!(d.summary != "Provider internal error", "{d:?}");
    }
    Ok(())
}

const GRANT: &str = "identitycenter_application_grant";
const GRANTS: &str = "identitycenter_application_grants";

fn type_names() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(GRANT.to_string()),
        Just(GRANTS.to_string()),
        "[a-z_]{0,12}",
    ]
}

/// The types the provider's own schemas give its values.
fn schema_types() -> Vec<Type> {
    use identitycenter::framework::conversion::ValueType;
    use identitycenter::provider::grant::model::{
        GrantDataModel, GrantIdentityModel, GrantListConfig, GrantsDataModel,
    };
    vec![
        identitycenter::provider::grant::resource::schema().implied_type(),
        identitycenter::provider::provider_block::schema().implied_type(),
        GrantDataModel::value_type(),
        GrantsDataModel::value_type(),
        GrantListConfig::value_type(),
        GrantIdentityModel::value_type(),
        Type::String,
    ]
}

/// Arbitrary bytes, or a value of an arbitrary type or of one of the
/// provider's own schema types written by `encode`: the typed part reaches
/// the handlers past decoding.
fn payloads_written_by(
    encode: fn(&Value, &Type) -> Result<Vec<u8>, identitycenter::value::ValueError>,
) -> impl Strategy<Value = Vec<u8>> {
    let write = move |(ty, seed): (Type, u64)| encode(&sample(&ty, seed), &ty).ok();
    let any_typed = (some_types(), any::<u64>()).prop_filter_map("encodable", write);
    let schema_typed =
        (prop::sample::select(schema_types()), any::<u64>()).prop_filter_map("encodable", write);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        any_typed,
        schema_typed,
    ]
}

/// What DynamicValues carry: msgpack.
fn payloads() -> impl Strategy<Value = Vec<u8>> {
    payloads_written_by(identitycenter::value::encode_msgpack)
}

/// What raw state and identity carry: JSON, so that the upgrade handlers
/// are reached past the JSON decoder.
fn json_payloads() -> impl Strategy<Value = Vec<u8>> {
    payloads_written_by(identitycenter::value::encode_json)
}

/// A value of `ty` chosen by `seed` (null, unknown or a small known value).
fn sample(ty: &Type, seed: u64) -> Value {
    match (seed % 5, ty) {
        (0, _) => Value::Null,
        (1, _) => Value::unknown(),
        (2, Type::String) => Value::string(
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444",
        ),
        (3, Type::String) => {
            Value::string(["refresh_token", "authorization_code", ""][seed as usize % 3])
        }
        (_, Type::String) => Value::string(format!("s{seed}")),
        (_, Type::Number) => Value::number(seed as i64),
        (_, Type::Bool) => Value::Bool(seed.is_multiple_of(2)),
        (_, Type::Dynamic) => Value::Null,
        (_, Type::List(t)) => Value::List(vec![sample(t, seed / 5)]),
        (_, Type::Set(t)) => Value::Set(vec![sample(t, seed / 5)]),
        (_, Type::Map(t)) => Value::Map([("k".to_string(), sample(t, seed / 5))].into()),
        (_, Type::Object(attrs)) => Value::Object(
            attrs
                .iter()
                .map(|(k, t)| (k.clone(), sample(t, seed / 7)))
                .collect(),
        ),
        (_, Type::Tuple(elems)) => {
            Value::Tuple(elems.iter().map(|t| sample(t, seed / 3)).collect())
        }
    }
}

async fn call_every_rpc(
    service: &ProviderService,
    name: String,
    a: Vec<u8>,
    b: Vec<u8>,
    json: Vec<u8>,
    text: String,
) -> Result<(), TestCaseError> {
    macro_rules! diags {
        ($call:expr) => {
            no_panic(
                &$call
                    .await
                    .expect("a response, never a status")
                    .into_inner()
                    .diagnostics,
            )?
        };
    }
    diags!(
        service.validate_provider_config(Request::new(pb::validate_provider_config::Request {
            config: dv(&a),
        }))
    );
    diags!(
        service.validate_resource_config(Request::new(pb::validate_resource_config::Request {
            type_name: name.clone(),
            config: dv(&a),
            ..Default::default()
        }))
    );
    diags!(service.validate_data_resource_config(Request::new(
        pb::validate_data_resource_config::Request {
            type_name: name.clone(),
            config: dv(&a),
        }
    )));
    diags!(service.validate_list_resource_config(Request::new(
        pb::validate_list_resource_config::Request {
            type_name: name.clone(),
            config: dv(&a),
            ..Default::default()
        }
    )));
    diags!(
        service.upgrade_resource_state(Request::new(pb::upgrade_resource_state::Request {
            type_name: name.clone(),
            version: i64::from(a.first().copied().unwrap_or(0)) - 1,
            raw_state: Some(pb::RawState {
                json: json.clone(),
                flatmap: Default::default(),
            }),
        }))
    );
    diags!(service.upgrade_resource_identity(Request::new(
        pb::upgrade_resource_identity::Request {
            type_name: name.clone(),
            version: 0,
            raw_identity: Some(pb::RawState {
                json: json.clone(),
                flatmap: Default::default(),
            }),
        }
    )));
    diags!(
        service.read_resource(Request::new(pb::read_resource::Request {
            type_name: name.clone(),
            current_state: dv(&a),
            current_identity: identity(&b),
            private: b.clone(),
            ..Default::default()
        }))
    );
    diags!(
        service.plan_resource_change(Request::new(pb::plan_resource_change::Request {
            type_name: name.clone(),
            prior_state: dv(&a),
            proposed_new_state: dv(&b),
            config: dv_json(&json),
            prior_identity: identity(&a),
            ..Default::default()
        }))
    );
    diags!(
        service.apply_resource_change(Request::new(pb::apply_resource_change::Request {
            type_name: name.clone(),
            prior_state: dv(&a),
            planned_state: dv(&b),
            config: dv(&b),
            planned_identity: identity(&a),
            ..Default::default()
        }))
    );
    diags!(
        service.import_resource_state(Request::new(pb::import_resource_state::Request {
            type_name: name.clone(),
            id: text.clone(),
            identity: identity(&a),
            ..Default::default()
        }))
    );
    diags!(
        service.read_data_source(Request::new(pb::read_data_source::Request {
            type_name: name.clone(),
            config: dv(&a),
            ..Default::default()
        }))
    );
    diags!(
        service.generate_resource_config(Request::new(pb::generate_resource_config::Request {
            type_name: name.clone(),
            state: dv(&a),
        }))
    );
    // A listing streams its findings; none may be the panic guard's.
    let listing = service
        .list_resource(Request::new(pb::list_resource::Request {
            type_name: name.clone(),
            config: dv(&a),
            include_resource_object: b.first().is_some_and(|x| x % 2 == 0),
            limit: i64::from(b.first().copied().unwrap_or(0)) - 1,
        }))
        .await
        .expect("a stream, never a status")
        .into_inner();
    let events: Vec<_> = listing.collect().await;
    for event in events {
        no_panic(&event.expect("an event, never a status").diagnostic)?;
    }
    diags!(
        service.configure_provider(Request::new(pb::configure_provider::Request {
            config: dv(&b),
            terraform_version: text.clone(),
            ..Default::default()
        }))
    );
    // Each function with one argument (parse_grant_id's arity) and with two
    // (grant_id's), so that both are reached past the argument count.
    let arguments = [a.clone(), b.clone()].map(|msgpack| pb::DynamicValue {
        msgpack,
        json: Vec::new(),
    });
    for (function, count) in ["grant_id", "parse_grant_id", name.as_str()]
        .into_iter()
        .flat_map(|f| [(f, 1), (f, 2)])
    {
        let response = service
            .call_function(Request::new(pb::call_function::Request {
                name: function.to_string(),
                arguments: arguments[..count].to_vec(),
            }))
            .await
            .expect("a response")
            .into_inner();
        if let Some(error) = response.error {
            prop_assert!(!error.text.contains("panicked"), "{error:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_rpc_answers_arbitrary_requests_without_panicking(
        name in type_names(),
        a in payloads(),
        b in payloads(),
        json in json_payloads(),
        text in ".{0,80}",
    ) {
        // Keep ConfigureProvider off the machine's credentials and network
        // should a generated configuration be valid.
        static ISOLATE: std::sync::Once = std::sync::Once::new();
        ISOLATE.call_once(|| {
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
            std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            for var in ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] {
                std::env::remove_var(var);
            }
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let service = ProviderService::new(Arc::new(IdentityCenterProvider::new()));
        // A current-thread runtime: the RPCs' allocations are this thread's.
        let (answered, largest) = largest_allocation_of(|| {
            runtime.block_on(async {
                tokio::time::timeout(
                    std::time::Duration::from_secs(30),
                    call_every_rpc(&service, name, a, b, json, text),
                )
                .await
                .expect("no RPC hangs")
            })
        });
        answered?;
        prop_assert!(largest < ALLOWED, "{largest}");
    }
}
