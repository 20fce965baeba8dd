//! UpgradeResourceState of a stored grant, through the real protocol server
//! in-process: what Terraform stops before asking (a newer schema version)
//! is refused by the provider too, and a stored grant it can read comes
//! back unchanged.

use std::sync::Arc;

use identitycenter::proto::tfplugin6::provider_server::Provider as _;
use identitycenter::proto::tfplugin6::{upgrade_resource_state, RawState};
use identitycenter::provider::IdentityCenterProvider;
use identitycenter::server::ProviderService;
use tonic::Request;

const STORED: &str = r#"{"id":"arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444,refresh_token","application_arn":"arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444","grant_type":"refresh_token","grant":{"authorization_code":null,"jwt_bearer":null,"refresh_token":{},"token_exchange":null},"timeouts":null}"#;

async fn upgrade(version: i64, raw: RawState) -> upgrade_resource_state::Response {
    let service = ProviderService::new(Arc::new(IdentityCenterProvider::new()));
    service
        .upgrade_resource_state(Request::new(upgrade_resource_state::Request {
            type_name: "identitycenter_application_grant".into(),
            version,
            raw_state: Some(raw),
        }))
        .await
        .expect("UpgradeResourceState")
        .into_inner()
}

fn json(text: &str) -> RawState {
    RawState {
        json: text.as_bytes().to_vec(),
        flatmap: Default::default(),
    }
}

fn summaries(response: &upgrade_resource_state::Response) -> Vec<&str> {
    response
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect()
}

#[tokio::test]
async fn a_stored_grant_of_the_current_version_comes_back() {
    let same = upgrade(0, json(STORED)).await;
    assert!(same.diagnostics.is_empty(), "{:?}", same.diagnostics);
    assert!(same.upgraded_state.is_some());
}

#[tokio::test]
async fn a_stored_grant_the_provider_cannot_read_is_an_error_without_a_state() {
    let newer = upgrade(1, json(STORED)).await;
    assert_eq!(
        summaries(&newer),
        ["Resource instance managed by a newer provider version"]
    );
    assert!(newer.diagnostics[0]
        .detail
        .contains("written with schema version 1 but this provider only knows version 0"));

    let flatmap = upgrade(
        0,
        RawState {
            json: Vec::new(),
            flatmap: [("id".to_string(), "x".to_string())].into(),
        },
    )
    .await;
    assert_eq!(summaries(&flatmap), ["Unsupported state format"]);

    let invalid = upgrade(0, json(r#"{"id": "x", "grant": "#)).await;
    assert_eq!(summaries(&invalid), ["Invalid stored state"]);

    for refused in [newer, flatmap, invalid] {
        assert!(refused.upgraded_state.is_none(), "nothing made up");
    }
}
