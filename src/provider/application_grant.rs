//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::grant::{grant_id, GrantSettings, GrantType};
use super::grant_validation::{self, check_application_arn};
use super::{grant_api as api, Shared};
use crate::framework::{
    Attribute, Block, Diagnostics, NestedBlock, NestingMode, Resource, Schema, StateResult,
    StopSignal,
};
use crate::value::{AttributePath, Type, Value};

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_grant";

/// The resource.
pub struct ApplicationGrantResource {
    shared: Arc<Shared>,
}

impl ApplicationGrantResource {
    /// A resource using the provider's (eventually configured) client.
    pub fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

/// What identifies a grant remotely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantKey {
    /// Application ARN.
    pub application_arn: String,
    /// Grant type.
    pub grant_type: GrantType,
}

impl GrantKey {
    /// Reads the key from a state or planned value.
    fn from_value(value: &Value) -> Result<GrantKey, Diagnostics> {
        let arn = value.get_attr("application_arn").and_then(Value::as_str);
        let grant_type = value
            .get_attr("grant_type")
            .and_then(Value::as_str)
            .and_then(GrantType::parse);
        match (arn, grant_type) {
            (Some(arn), Some(grant_type)) => Ok(GrantKey {
                application_arn: arn.to_string(),
                grant_type,
            }),
            _ => {
                let mut d = Diagnostics::new();
                d.error(
                    "Incomplete grant",
                    "application_arn and grant_type must be known, valid values here. This is a bug \
                     in the provider.",
                );
                Err(d)
            }
        }
    }

    /// Parses an import ID `<application_arn>,<grant_type>`.
    pub fn from_import_id(id: &str) -> Result<GrantKey, String> {
        let form = format!(
            "Expected \"<application_arn>,<grant_type>\", e.g. \
             \"arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444,authorization_code\"; \
             grant_type is one of {}.",
            GrantType::ALL.map(GrantType::as_str).join(", ")
        );
        let Some((arn, grant_type)) = id.trim().split_once(',') else {
            return Err(format!("The import ID {id:?} has no comma. {form}"));
        };
        if let Err(detail) = check_application_arn(arn) {
            return Err(format!("{detail} {form}"));
        }
        let Some(grant_type) = GrantType::parse(grant_type) else {
            return Err(format!(
                "{grant_type:?} in the import ID is not a grant type. {form}"
            ));
        };
        Ok(GrantKey {
            application_arn: arn.to_string(),
            grant_type,
        })
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "{} grant of application {}",
            self.grant_type, self.application_arn
        )
    }
}

/// A state object for a grant.
fn state_value(key: &GrantKey, settings: Option<&GrantSettings>) -> Value {
    Value::object([
        (
            "id",
            Value::string(grant_id(&key.application_arn, key.grant_type)),
        ),
        (
            "application_arn",
            Value::string(key.application_arn.clone()),
        ),
        ("grant_type", Value::string(key.grant_type.as_str())),
        (
            "grant",
            settings.map(GrantSettings::to_block).unwrap_or(Value::Null),
        ),
    ])
}

impl ApplicationGrantResource {
    /// Writes the planned grant with PutApplicationGrant, then waits until
    /// reads return it. `creating` adds a check that the grant does not
    /// exist yet: Put is an upsert and would silently take over a grant that
    /// something else manages (or that `create_before_destroy` is about to
    /// delete, since old and new share the same key).
    async fn write(&self, planned: &Value, stop: &StopSignal, creating: bool) -> StateResult {
        let key = match GrantKey::from_value(planned) {
            Ok(k) => k,
            Err(d) => return StateResult::failed(d),
        };
        let Some(settings) = planned
            .get_attr("grant")
            .and_then(GrantSettings::from_block)
        else {
            let mut d = Diagnostics::new();
            d.error(
                "Invalid grant settings",
                "The planned grant block does not hold exactly one known sub-block. This is a bug \
                 in the provider.",
            );
            return StateResult::failed(d);
        };
        let client = match self.shared.client() {
            Ok(c) => c,
            Err(d) => return StateResult::failed(d),
        };
        if creating {
            // Nothing is written yet, so stopping here is clean.
            let existing = tokio::select! {
                r = api::get_grant(&client, &key) => r,
                _ = stop.stopped() => return StateResult::failed(cancelled("before anything was written", &key)),
            };
            match existing {
                Ok(None) => {}
                Ok(Some(_)) => {
                    // A grant deleted moments ago (replacement, destroy then
                    // apply) may still show on some AWS hosts: give reads a
                    // few seconds to agree before calling it someone else's.
                    if api::wait_for(&client, &key, None, RECHECK_PATIENCE)
                        .await
                        .is_err()
                    {
                        return StateResult::failed(already_exists(&key));
                    }
                }
                Err(d) => return StateResult::failed(d),
            }
        }
        let state = state_value(&key, Some(&settings));
        tracing::debug!(application_arn = %key.application_arn, grant_type = %key.grant_type, "PutApplicationGrant");
        let put = tokio::select! {
            r = api::put_grant(&client, &key, &settings) => r,
            _ = stop.stopped() => {
                // AWS may or may not have applied the Put. Report the planned
                // object with an error: Terraform keeps it (tainted if new)
                // and the next refresh reconciles it with what AWS holds.
                return StateResult {
                    state: Some(state),
                    diagnostics: cancelled(
                        "while PutApplicationGrant was in flight; it may have been applied. \
                         Terraform keeps the grant in state and the next plan reconciles it with AWS",
                        &key,
                    ),
                };
            }
        };
        if let Err(failure) = put {
            // When AWS may have applied it, keep the object (tainted if new)
            // so that nothing exists remotely that state does not know of;
            // the next refresh reconciles.
            let state = failure.maybe_applied.then_some(state);
            return StateResult {
                state,
                diagnostics: failure.diagnostics,
            };
        }
        let mut result = StateResult::ok(state);
        let waited = tokio::select! {
            r = api::wait_for(&client, &key, Some(&settings), api::VISIBILITY_TIMEOUT) => r,
            _ = stop.stopped() => Err("Terraform asked the provider to stop".to_string()),
        };
        if let Err(last) = waited {
            result.diagnostics.warning(
                "Grant written but not yet visible",
                format!(
                    "PutApplicationGrant succeeded for the {}, but reads did not return the new \
                     settings ({last}). Terraform recorded the settings it wrote; the next plan \
                     shows a difference only if AWS really stored something else.",
                    key.describe()
                ),
            );
        }
        result
    }
}

fn cancelled(when: &str, key: &GrantKey) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error(
        "Operation cancelled",
        format!(
            "Terraform asked the provider to stop {when} (the {}).",
            key.describe()
        ),
    );
    d
}

fn already_exists(key: &GrantKey) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error(
        "Grant already exists",
        format!(
            "The {} already exists. To manage it with Terraform, import it:\n  terraform import \
             <resource address> '{}'\nA grant is identified by its application and grant type, \
             so replacing one with create_before_destroy cannot work: the new grant would be the \
             old one.",
            key.describe(),
            grant_id(&key.application_arn, key.grant_type)
        ),
    );
    d
}

/// How long create re-reads a grant that seems to exist before refusing.
const RECHECK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// The resource schema (version 0).
pub fn schema() -> Schema {
    let string_set = Type::Set(Box::new(Type::String));
    let issuer = Block::new("A trusted token issuer whose JWTs the application may exchange.")
        .attribute(
            Attribute::required("trusted_token_issuer_arn", Type::String)
                .description("ARN of the trusted token issuer."),
        )
        .attribute(
            Attribute::required("authorized_audiences", string_set.clone()).description(
                "Accepted `aud` claim values: 1 to 10 strings of 1 to 512 characters.",
            ),
        );
    let grant = Block::new(
        "The grant's settings: exactly one sub-block, the one matching `grant_type`.",
    )
    .block(
        NestedBlock::new(
            "authorization_code",
            NestingMode::Single,
            Block::new("Settings for `grant_type = \"authorization_code\"`.").attribute(
                Attribute::required("redirect_uris", string_set)
                    .description("Absolute redirect URIs: 1 to 10."),
            ),
        )
        .items(0, 0),
    )
    .block(
        NestedBlock::new(
            "jwt_bearer",
            NestingMode::Single,
            Block::new(
                "Settings for `grant_type = \"urn:ietf:params:oauth:grant-type:jwt-bearer\"`.",
            )
            .block(NestedBlock::new("authorized_token_issuers", NestingMode::Set, issuer).items(1, 10)),
        )
        .items(0, 0),
    )
    .block(
        NestedBlock::new(
            "refresh_token",
            NestingMode::Single,
            Block::new("Marks a `refresh_token` grant; it has no settings."),
        )
        .items(0, 0),
    )
    .block(
        NestedBlock::new(
            "token_exchange",
            NestingMode::Single,
            Block::new(
                "Marks a `urn:ietf:params:oauth:grant-type:token-exchange` grant; it has no settings.",
            ),
        )
        .items(0, 0),
    );
    Schema::new(
        0,
        Block::new("A grant that lets an IAM Identity Center application obtain tokens.")
            .attribute(
                Attribute::computed("id", Type::String)
                    .description("`<application_arn>,<grant_type>`; also the import ID."),
            )
            .attribute(
                Attribute::required("application_arn", Type::String)
                    .description("ARN of the application. Changing it replaces the grant."),
            )
            .attribute(Attribute::required("grant_type", Type::String).description(
                "`authorization_code`, `refresh_token`, \
                 `urn:ietf:params:oauth:grant-type:jwt-bearer` or \
                 `urn:ietf:params:oauth:grant-type:token-exchange`. Changing it replaces the grant.",
            ))
            .block(NestedBlock::new("grant", NestingMode::Single, grant).items(1, 1)),
    )
}

impl Resource for ApplicationGrantResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        grant_validation::validate(config)
    }

    fn replace_on_change(&self) -> Vec<AttributePath> {
        vec![
            AttributePath::root().attribute("application_arn"),
            AttributePath::root().attribute("grant_type"),
        ]
    }

    fn read<'a>(&'a self, state: &'a Value) -> BoxFuture<'a, StateResult> {
        Box::pin(async move {
            let key = match GrantKey::from_value(state) {
                Ok(k) => k,
                Err(d) => return StateResult::failed(d),
            };
            let client = match self.shared.client() {
                Ok(c) => c,
                Err(d) => return StateResult::failed(d),
            };
            match api::get_grant(&client, &key).await {
                Ok(Some(settings)) => StateResult::ok(state_value(&key, Some(&settings))),
                Ok(None) => {
                    tracing::info!(application_arn = %key.application_arn, grant_type = %key.grant_type, "grant no longer exists");
                    StateResult::gone()
                }
                Err(d) => StateResult::failed(d),
            }
        })
    }

    fn create<'a>(
        &'a self,
        planned: &'a Value,
        stop: &'a StopSignal,
    ) -> BoxFuture<'a, StateResult> {
        Box::pin(self.write(planned, stop, true))
    }

    fn update<'a>(
        &'a self,
        _prior: &'a Value,
        planned: &'a Value,
        stop: &'a StopSignal,
    ) -> BoxFuture<'a, StateResult> {
        Box::pin(self.write(planned, stop, false))
    }

    fn delete<'a>(&'a self, prior: &'a Value) -> BoxFuture<'a, Diagnostics> {
        Box::pin(async move {
            let key = match GrantKey::from_value(prior) {
                Ok(k) => k,
                Err(d) => return d,
            };
            let client = match self.shared.client() {
                Ok(c) => c,
                Err(d) => return d,
            };
            if let Err(d) = api::delete_grant(&client, &key).await {
                return d;
            }
            // Wait until reads agree, so that a create of the same key right
            // after (replacement, destroy then apply) does not see it.
            let mut diags = Diagnostics::new();
            if let Err(last) = api::wait_for(&client, &key, None, api::VISIBILITY_TIMEOUT).await {
                diags.warning(
                    "Grant deleted but still visible",
                    format!(
                        "DeleteApplicationGrant succeeded for the {}, but reads still returned it \
                         ({last}).",
                        key.describe()
                    ),
                );
            }
            diags
        })
    }

    fn import<'a>(&'a self, id: &'a str) -> BoxFuture<'a, StateResult> {
        Box::pin(async move {
            match GrantKey::from_import_id(id) {
                // Sparse: Terraform reads the grant right after import, and a
                // grant that does not exist becomes "Cannot import
                // non-existent remote object".
                Ok(key) => StateResult::ok(state_value(&key, None)),
                Err(detail) => {
                    let mut d = Diagnostics::new();
                    d.error("Invalid import ID", detail);
                    StateResult::failed(d)
                }
            }
        })
    }
}
