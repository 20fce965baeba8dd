//! Building the starting state from the configuration and seed.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Map, Value};

use super::config::EmulatorConfig;
use super::ids;
use super::model;
use super::operations::check_trusted_token_issuer_configuration;
use super::operations::{check_put_application_authentication_method, check_put_application_grant};
use super::resources::{epoch_seconds_now, Instance};
use super::shapes::{check_string, Members, StringRule, Violations};
use super::slot::Hiding;
use super::slot::SlotKey;
use super::state::{NewApplication, NewTrustedTokenIssuer, ServiceState};

/// A resource created at start, by name and ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededResource {
    /// Name given in the seed or on the command line.
    pub name: String,
    /// ARN the emulator assigned.
    pub arn: String,
}

/// What the seed created, for printing and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seeded {
    /// ARN of the instance.
    pub instance_arn: String,
    /// Seeded applications in seed order.
    pub applications: Vec<SeededResource>,
    /// Seeded trusted token issuers in seed order.
    pub trusted_token_issuers: Vec<SeededResource>,
}

fn check(what: &str, value: &str, rule: &StringRule) -> Result<(), String> {
    let mut v = Violations::new();
    check_string(&mut v, what, value, rule);
    v.into_result()
        .map_err(|e| format!("seed {what}: {}", e.message))
}

/// The ARN of the seeded application called `name`, which a seeded `what` names.
fn seeded_application<'a>(
    by_name: &'a HashMap<String, String>,
    what: &str,
    name: &str,
) -> Result<&'a str, String> {
    by_name.get(name).map(String::as_str).ok_or_else(|| {
        format!("seed {what} names application {name:?}, which the seed does not create")
    })
}

/// The body of the request a seeded item stands for.
fn request_body(members: [(&str, Value); 3]) -> Map<String, Value> {
    members
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect()
}

/// The seeded state and a summary of what it holds.
pub fn seeded_state(config: &EmulatorConfig) -> Result<(ServiceState, Seeded), String> {
    let seed = &config.seed;
    let account_id = seed
        .account_id
        .clone()
        .unwrap_or_else(|| config.account_id.clone());
    check("account_id", &account_id, &model::ACCOUNT_ID)?;
    let instance_id = seed
        .instance_id
        .clone()
        .or_else(|| config.instance_id.clone())
        .unwrap_or_else(ids::instance_id);
    let instance = Instance {
        id: instance_id,
        account_id,
        identity_store_id: ids::identity_store_id(),
        region: config.region.clone(),
        created: epoch_seconds_now(),
    };
    check("instance_id", &instance.arn(), &model::INSTANCE_ARN)?;
    let mut state = ServiceState::new(instance, config.faults.list_lag);
    // What the seed holds existed before the emulator started: lagging listings show it too.
    let now = Instant::now();
    let seeded_at = state.replica_now(now);
    let mut seeded = Seeded {
        instance_arn: state.instance.arn(),
        ..Seeded::default()
    };

    let mut by_name = HashMap::new();
    for app in &seed.applications {
        check("application name", &app.name, &model::APPLICATION_NAME)?;
        if by_name.contains_key(&app.name) {
            return Err(format!(
                "seed application name {:?} is used twice",
                app.name
            ));
        }
        let id = app.id.clone().unwrap_or_else(ids::application_id);
        check(
            "application id",
            &state.instance.application_arn(&id),
            &model::APPLICATION_ARN,
        )?;
        let provider_arn = app
            .provider_arn
            .clone()
            .unwrap_or_else(|| model::CUSTOM_APPLICATION_PROVIDER_ARN.to_string());
        check(
            "application provider_arn",
            &provider_arn,
            &model::APPLICATION_PROVIDER_ARN,
        )?;
        if let Some(d) = &app.description {
            check("application description", d, &model::DESCRIPTION)?;
        }
        let arn = state
            .create_application(NewApplication {
                id,
                name: app.name.clone(),
                provider_arn,
                description: app.description.clone(),
                status: "ENABLED".into(),
                portal_options: None,
                tags: Vec::new(),
                created: epoch_seconds_now(),
                written_at: seeded_at,
            })
            .map_err(|e| format!("seed application {:?}: {}", app.name, e.message))?;
        by_name.insert(app.name.clone(), arn.clone());
        seeded.applications.push(SeededResource {
            name: app.name.clone(),
            arn,
        });
    }

    for issuer in &seed.trusted_token_issuers {
        check(
            "trusted token issuer name",
            &issuer.name,
            &model::TRUSTED_TOKEN_ISSUER_NAME,
        )?;
        let id = issuer
            .id
            .clone()
            .unwrap_or_else(ids::trusted_token_issuer_id);
        check(
            "trusted token issuer id",
            &state.instance.trusted_token_issuer_arn(&id),
            &model::TRUSTED_TOKEN_ISSUER_ARN,
        )?;
        let body = json!({ "TrustedTokenIssuerConfiguration": {
            "OidcJwtConfiguration": {
                "IssuerUrl": issuer.issuer_url.clone()
                    .unwrap_or_else(|| format!("https://{}.idp.example.com", issuer.name.to_lowercase())),
                "ClaimAttributePath": issuer.claim_attribute_path.clone().unwrap_or_else(|| "email".into()),
                "IdentityStoreAttributePath": issuer.identity_store_attribute_path.clone()
                    .unwrap_or_else(|| "emails.value".into()),
                "JwksRetrievalOption": "OPEN_ID_DISCOVERY",
            }
        }});
        let configuration = match &body {
            Value::Object(obj) => {
                let mut v = Violations::new();
                let config =
                    check_trusted_token_issuer_configuration(&Members::new(obj, ""), &mut v)
                        .and_then(|c| v.into_result().map(|()| c))
                        .map_err(|e| {
                            format!("seed trusted token issuer {:?}: {}", issuer.name, e.message)
                        })?;
                config.unwrap_or(Value::Null)
            }
            _ => Value::Null,
        };
        let arn = state
            .create_trusted_token_issuer(NewTrustedTokenIssuer {
                id,
                name: issuer.name.clone(),
                issuer_type: "OIDC_JWT".into(),
                configuration,
                tags: Vec::new(),
            })
            .map_err(|e| format!("seed trusted token issuer {:?}: {}", issuer.name, e.message))?;
        seeded.trusted_token_issuers.push(SeededResource {
            name: issuer.name.clone(),
            arn,
        });
    }

    for grant in &seed.grants {
        let body = request_body([
            (
                "ApplicationArn",
                json!(seeded_application(&by_name, "grant", &grant.application)?),
            ),
            ("GrantType", json!(grant.grant_type)),
            ("Grant", grant.grant.clone()),
        ]);
        let (arn, grant_type, value) = check_put_application_grant(&Members::new(&body, ""))
            .map_err(|e| format!("seed grant for {:?}: {}", grant.application, e.message))?;
        state
            .put_slot(
                &arn,
                SlotKey::Grant(grant_type),
                value,
                None,
                seeded_at,
                Hiding::default(),
            )
            .map_err(|e| e.message)?;
    }

    for method in &seed.authentication_methods {
        let application =
            seeded_application(&by_name, "authentication method", &method.application)?;
        let body = request_body([
            ("ApplicationArn", json!(application)),
            (
                "AuthenticationMethodType",
                json!(method.authentication_method_type),
            ),
            ("AuthenticationMethod", method.authentication_method.clone()),
        ]);
        let (arn, method_type, value) =
            check_put_application_authentication_method(&Members::new(&body, "")).map_err(|e| {
                format!(
                    "seed authentication method for {:?}: {}",
                    method.application, e.message
                )
            })?;
        state
            .put_slot(
                &arn,
                SlotKey::AuthenticationMethod(method_type),
                value,
                None,
                seeded_at,
                Hiding::default(),
            )
            .map_err(|e| e.message)?;
    }
    Ok((state, seeded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::seed::{Seed, SeedApplication, SeedGrant};

    fn config_with(seed: Seed) -> EmulatorConfig {
        EmulatorConfig {
            seed,
            ..EmulatorConfig::default()
        }
    }

    #[test]
    fn seeded_ids_give_fixed_arns() {
        let (state, seeded) = seeded_state(&config_with(Seed {
            instance_id: Some("ssoins-1111222233334444".into()),
            applications: vec![SeedApplication {
                name: "web".into(),
                id: Some("apl-aaaabbbbccccdddd".into()),
                ..SeedApplication::default()
            }],
            grants: vec![SeedGrant {
                application: "web".into(),
                grant_type: "refresh_token".into(),
                grant: json!({"RefreshToken": {}}),
            }],
            ..Seed::default()
        }))
        .unwrap();
        assert_eq!(
            seeded.applications[0].arn,
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-aaaabbbbccccdddd"
        );
        assert_eq!(
            state.snapshot()["Applications"][0]["Grants"]["refresh_token"],
            json!({"RefreshToken": {}})
        );
    }

    #[test]
    fn invalid_seed_grants_are_rejected() {
        let err = seeded_state(&config_with(Seed {
            applications: vec![SeedApplication {
                name: "web".into(),
                ..SeedApplication::default()
            }],
            grants: vec![SeedGrant {
                application: "web".into(),
                grant_type: "authorization_code".into(),
                grant: json!({"RefreshToken": {}}),
            }],
            ..Seed::default()
        }))
        .unwrap_err();
        assert!(err.contains("does not match grant type"), "{err}");
    }
}
