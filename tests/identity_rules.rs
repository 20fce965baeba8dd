//! The identity rules the framework enforces, through the real protocol
//! server in-process: identities are announced, carried, upgraded, and never
//! change for an existing object.

mod support;

use std::sync::Arc;

use identitycenter::framework::{
    Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, ObjectResponse,
    ReadRequest, ReadResponse, Resource, Schema, UpdateRequest, UpdateResponse,
};
use identitycenter::proto::tfplugin6::provider_server::Provider as _;
use identitycenter::proto::tfplugin6::{
    get_resource_identity_schemas, read_resource, upgrade_resource_identity, DynamicValue,
    RawState, ResourceIdentityData,
};
use identitycenter::provider::IdentityCenterProvider;
use identitycenter::server::ProviderService;
use identitycenter::value::{decode_msgpack, encode_msgpack, Type, Value};
use support::in_process::OneResource;
use tonic::Request;

fn identity_ty() -> Type {
    Type::Object([("name".to_string(), Type::String)].into())
}

fn identity_data(value: &Value) -> Option<ResourceIdentityData> {
    Some(ResourceIdentityData {
        identity_data: Some(DynamicValue {
            msgpack: encode_msgpack(value, &identity_ty()).expect("encode"),
            json: Vec::new(),
        }),
    })
}

/// A resource whose reads report the identity `read_as`.
struct Renamed {
    read_as: &'static str,
}

#[async_trait::async_trait]
impl Resource for Renamed {
    fn type_name(&self) -> &'static str {
        "test_renamed"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("").attribute(Attribute::required("name", Type::String)),
        )
    }
    fn identity_schema(&self) -> Option<Schema> {
        Some(Schema::new(
            0,
            Block::new("").attribute(Attribute::required("name", Type::String)),
        ))
    }
    async fn read(&self, request: ReadRequest) -> ReadResponse {
        ReadResponse::found(request.state)
            .with_identity(Value::object([("name", Value::string(self.read_as))]))
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

async fn read(service: &ProviderService, held: Option<&str>) -> read_resource::Response {
    let state = Value::object([("name", Value::string("a"))]);
    let ty = Type::Object([("name".to_string(), Type::String)].into());
    service
        .read_resource(Request::new(read_resource::Request {
            type_name: "test_renamed".into(),
            current_state: Some(DynamicValue {
                msgpack: encode_msgpack(&state, &ty).expect("encode"),
                json: Vec::new(),
            }),
            current_identity: held
                .and_then(|name| identity_data(&Value::object([("name", Value::string(name))]))),
            ..Default::default()
        }))
        .await
        .expect("ReadResource")
        .into_inner()
}

fn identity_name(response: &read_resource::Response) -> Option<String> {
    let data = response.new_identity.as_ref()?.identity_data.as_ref()?;
    let value = decode_msgpack(&data.msgpack, &identity_ty()).expect("decode identity");
    value
        .get_attr("name")
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[tokio::test]
async fn an_identity_never_changes_for_an_existing_object() {
    let service = ProviderService::new(Arc::new(OneResource(Arc::new(Renamed { read_as: "b" }))));
    // Terraform holds "a"; the resource claims "b": refused, "a" kept.
    let changed = read(&service, Some("a")).await;
    let summaries: Vec<_> = changed
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Unexpected identity change"]);
    assert_eq!(identity_name(&changed).as_deref(), Some("a"));
    // State written before identities existed has none: the first read sets it.
    let first = read(&service, None).await;
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    assert_eq!(identity_name(&first).as_deref(), Some("b"));
    // The same identity is simply carried.
    let same = read(&service, Some("b")).await;
    assert!(same.diagnostics.is_empty(), "{:?}", same.diagnostics);
    assert_eq!(identity_name(&same).as_deref(), Some("b"));
}

#[tokio::test]
async fn the_grant_identity_is_announced_and_version_0_passes_through_upgrade() {
    let service = ProviderService::new(Arc::new(IdentityCenterProvider::new()));
    let schemas = service
        .get_resource_identity_schemas(Request::new(get_resource_identity_schemas::Request {}))
        .await
        .expect("GetResourceIdentitySchemas")
        .into_inner();
    let schema = &schemas.identity_schemas["identitycenter_application_grant"];
    assert_eq!(schema.version, 0);
    let attributes: Vec<(&str, bool)> = schema
        .identity_attributes
        .iter()
        .map(|a| (a.name.as_str(), a.required_for_import))
        .collect();
    assert_eq!(
        attributes,
        [("application_arn", true), ("grant_type", true)]
    );

    let raw = br#"{"application_arn":"arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444","grant_type":"refresh_token"}"#;
    let upgrade = |version: i64| {
        service.upgrade_resource_identity(Request::new(upgrade_resource_identity::Request {
            type_name: "identitycenter_application_grant".into(),
            version,
            raw_identity: Some(RawState {
                json: raw.to_vec(),
                flatmap: Default::default(),
            }),
        }))
    };
    let same = upgrade(0)
        .await
        .expect("UpgradeResourceIdentity")
        .into_inner();
    assert!(same.diagnostics.is_empty(), "{:?}", same.diagnostics);
    let ty = Type::Object(
        [
            ("application_arn".to_string(), Type::String),
            ("grant_type".to_string(), Type::String),
        ]
        .into(),
    );
    let upgraded = decode_msgpack(
        &same
            .upgraded_identity
            .and_then(|d| d.identity_data)
            .expect("an identity")
            .msgpack,
        &ty,
    )
    .expect("decode");
    assert_eq!(
        upgraded.get_attr("grant_type").and_then(Value::as_str),
        Some("refresh_token")
    );
    let newer = upgrade(1)
        .await
        .expect("UpgradeResourceIdentity")
        .into_inner();
    assert_eq!(
        newer.diagnostics.first().map(|d| d.summary.as_str()),
        Some("Resource instance managed by a newer provider version")
    );
}
