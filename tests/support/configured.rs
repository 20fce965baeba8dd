//! A provider process configured against an emulator, driven over gRPC the
//! way Terraform drives it, for tests that need to control each call.

use std::collections::BTreeMap;

use identitycenter::proto::tfplugin6::provider_client::ProviderClient;
use identitycenter::proto::tfplugin6::{configure_provider, DynamicValue};
use identitycenter::provider::provider_block;
use identitycenter::value::{encode_msgpack, Type, Value};
use tonic::transport::Channel;

use super::emulator::{Emulator, ACCESS_KEY, SECRET_KEY};
use super::plugin_client::{connect, launch, Launched};

/// `value` as msgpack of `ty`, as Terraform sends values.
pub fn dynamic(value: &Value, ty: &Type) -> Option<DynamicValue> {
    Some(DynamicValue {
        msgpack: encode_msgpack(value, ty).expect("encode"),
        json: Vec::new(),
    })
}

/// A `refresh_token` grant of `app` as the resource's object: with an
/// unknown `id` as a plan, with `app,refresh_token` as state.
pub fn refresh_token_grant(app: &str, id: Value) -> Value {
    Value::object([
        ("id", id),
        ("application_arn", Value::string(app)),
        ("grant_type", Value::string("refresh_token")),
        (
            "grant",
            Value::object([
                ("authorization_code", Value::Null),
                ("jwt_bearer", Value::Null),
                ("refresh_token", Value::Object(BTreeMap::new())),
                ("token_exchange", Value::Null),
            ]),
        ),
        ("timeouts", Value::Null),
    ])
}

pub fn provider_config(endpoint: &str) -> Value {
    let Type::Object(attrs) = provider_block::schema().implied_type() else {
        panic!("provider schema is an object");
    };
    let mut obj: BTreeMap<String, Value> = attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    obj.insert("region".into(), Value::string("us-east-1"));
    obj.insert("access_key".into(), Value::string(ACCESS_KEY));
    obj.insert("secret_key".into(), Value::string(SECRET_KEY));
    obj.insert("max_retries".into(), Value::number(0i64));
    obj.insert(
        "endpoints".into(),
        Value::object([("ssoadmin", Value::string(endpoint))]),
    );
    Value::Object(obj)
}

/// A provider process configured against `emulator`, as Terraform leaves it
/// after ConfigureProvider.
pub async fn configured_provider(emulator: &Emulator) -> (Launched, ProviderClient<Channel>) {
    configured_provider_with_env(emulator, &[]).await
}

/// [`configured_provider`], the process started with `env` added to its
/// environment.
pub async fn configured_provider_with_env(
    emulator: &Emulator,
    env: &[(&str, &str)],
) -> (Launched, ProviderClient<Channel>) {
    let launched = launch(None, env);
    let (channel, _) = connect(&launched, None).await.expect("connect");
    let mut client = ProviderClient::new(channel);
    let provider_ty = provider_block::schema().implied_type();
    let configured = client
        .configure_provider(configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: dynamic(&provider_config(&emulator.endpoint), &provider_ty),
            client_capabilities: None,
        })
        .await
        .expect("ConfigureProvider")
        .into_inner();
    assert!(
        configured.diagnostics.is_empty(),
        "{:?}",
        configured.diagnostics
    );
    (launched, client)
}
