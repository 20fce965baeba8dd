//! Grant fixtures: HCL for grant resources, and checks that Terraform's
//! state and the emulator agree.

use std::collections::BTreeMap;

use serde_json::Value;

use super::emulator::Emulator;

/// The managed grants in a `terraform show -json` state, keyed by address.
pub fn state_grants(show: &Value) -> BTreeMap<String, Value> {
    state_grant_resources(show)
        .into_iter()
        .map(|(address, r)| (address, r["values"].clone()))
        .collect()
}

/// The managed grant resources (address → the resource object of `show
/// -json`, with `values` and, when tainted, `"tainted": true`), in every
/// module.
pub fn state_grant_resources(show: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut modules = vec![show["values"]["root_module"].clone()];
    while let Some(module) = modules.pop() {
        for r in module["resources"].as_array().cloned().unwrap_or_default() {
            if r["type"] == "identitycenter_application_grant" && r["mode"] == "managed" {
                out.insert(r["address"].as_str().unwrap_or_default().to_string(), r);
            }
        }
        modules.extend(
            module["child_modules"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
    }
    out
}

/// `(application ARN, grant type)` of every managed grant in state.
pub fn state_grant_keys(show: &Value) -> std::collections::BTreeSet<(String, String)> {
    state_grants(show)
        .values()
        .map(|v| {
            (
                v["application_arn"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                v["grant_type"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `(application ARN, grant type)` → (the grant's AWS JSON from state,
/// whether it is tainted), checking each `id` on the way.
fn state_grant_map(show: &Value) -> BTreeMap<(String, String), (Value, bool)> {
    let mut from_state = BTreeMap::new();
    for (address, resource) in state_grant_resources(show) {
        let values = &resource["values"];
        let key = (
            values["application_arn"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            values["grant_type"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        assert_eq!(
            values["id"].as_str().unwrap_or_default(),
            format!("{},{}", key.0, key.1),
            "{address}: id"
        );
        let tainted = resource["tainted"] == true;
        from_state.insert(key, (grant_json_from_state(&values["grant"]), tainted));
    }
    from_state
}

/// Asserts that Terraform's state and the emulator hold exactly the same
/// grants with the same settings.
pub fn assert_state_matches_emulator(emulator: &Emulator, show: &Value) {
    let remote = emulator.grants();
    let from_state = state_grant_map(show);
    let remote_keys: Vec<_> = remote.keys().collect();
    let state_keys: Vec<_> = from_state.keys().collect();
    assert_eq!(
        state_keys, remote_keys,
        "grants in state vs. in the emulator"
    );
    for (key, remote_grant) in &remote {
        assert_eq!(
            normalise(remote_grant),
            normalise(&from_state[key].0),
            "settings of {key:?}: emulator vs. state"
        );
    }
}

/// Asserts what must hold after any failure: every grant AWS holds is in
/// state with the same settings (nothing orphaned), and a grant state holds
/// that AWS does not is tainted (a write that may or may not have landed,
/// which the next apply replaces).
pub fn assert_state_accounts_for_emulator(emulator: &Emulator, show: &Value) {
    let remote = emulator.grants();
    let from_state = state_grant_map(show);
    for (key, remote_grant) in &remote {
        let (held, _) = from_state
            .get(key)
            .unwrap_or_else(|| panic!("{key:?} is in AWS but not in state: orphaned"));
        assert_eq!(
            normalise(remote_grant),
            normalise(held),
            "settings of {key:?}: emulator vs. state"
        );
    }
    for (key, (_, tainted)) in &from_state {
        assert!(
            remote.contains_key(key) || *tainted,
            "{key:?} is in state, untainted, but not in AWS"
        );
    }
}

/// The AWS JSON form of a `grant` block from state. A state with other
/// than exactly one sub-block is a failure, not something to pick from.
pub fn grant_json_from_state(grant: &Value) -> Value {
    let grant = &match grant {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    let set: Vec<&str> = [
        "authorization_code",
        "jwt_bearer",
        "refresh_token",
        "token_exchange",
    ]
    .into_iter()
    .filter(|name| block(grant, name).is_some())
    .collect();
    assert_eq!(
        set.len(),
        1,
        "a grant holds exactly one sub-block, not {set:?}: {grant}"
    );
    if let Some(ac) = block(grant, "authorization_code") {
        return serde_json::json!({"AuthorizationCode": {"RedirectUris": ac["redirect_uris"]}});
    }
    if let Some(jwt) = block(grant, "jwt_bearer") {
        let issuers: Vec<Value> = jwt["authorized_token_issuers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                serde_json::json!({
                    "TrustedTokenIssuerArn": i["trusted_token_issuer_arn"],
                    "AuthorizedAudiences": i["authorized_audiences"],
                })
            })
            .collect();
        return serde_json::json!({"JwtBearer": {"AuthorizedTokenIssuers": issuers}});
    }
    if block(grant, "refresh_token").is_some() {
        return serde_json::json!({"RefreshToken": {}});
    }
    if block(grant, "token_exchange").is_some() {
        return serde_json::json!({"TokenExchange": {}});
    }
    Value::Null
}

/// A single-nesting block in `show -json` output (an object, or a
/// one-element list in some Terraform versions); `None` when absent.
fn block<'v>(parent: &'v Value, name: &str) -> Option<&'v Value> {
    match &parent[name] {
        Value::Null => None,
        Value::Array(items) => items.first(),
        other => Some(other),
    }
}

/// Sorts every array so that set order does not matter.
pub fn normalise(v: &Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(normalise).collect();
            items.sort_by_key(|x| x.to_string());
            Value::Array(items)
        }
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        other => other.clone(),
    }
}

/// HCL for one grant resource.
pub fn grant_hcl(name: &str, application_arn: &str, grant_type: &str, grant_body: &str) -> String {
    format!(
        "resource \"identitycenter_application_grant\" \"{name}\" {{\n  application_arn = \"{application_arn}\"\n  grant_type      = \"{grant_type}\"\n  grant {{\n{grant_body}\n  }}\n}}\n"
    )
}

pub fn authorization_code(uris: &[&str]) -> String {
    let list: Vec<String> = uris.iter().map(|u| format!("\"{u}\"")).collect();
    format!(
        "    authorization_code {{\n      redirect_uris = [{}]\n    }}",
        list.join(", ")
    )
}

pub fn jwt_bearer(issuers: &[(&str, &[&str])]) -> String {
    let mut body = String::from("    jwt_bearer {\n");
    for (arn, audiences) in issuers {
        let list: Vec<String> = audiences.iter().map(|a| format!("\"{a}\"")).collect();
        body.push_str(&format!(
            "      authorized_token_issuers {{\n        trusted_token_issuer_arn = \"{arn}\"\n        authorized_audiences     = [{}]\n      }}\n",
            list.join(", ")
        ));
    }
    body.push_str("    }");
    body
}

pub const REFRESH_TOKEN: &str = "    refresh_token {}";
pub const TOKEN_EXCHANGE: &str = "    token_exchange {}";
pub const JWT_BEARER_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
pub const TOKEN_EXCHANGE_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// Every `grant_type`, in the order AWS documents them.
pub const GRANT_TYPES: [&str; 4] = [
    "authorization_code",
    "refresh_token",
    JWT_BEARER_TYPE,
    TOKEN_EXCHANGE_TYPE,
];
