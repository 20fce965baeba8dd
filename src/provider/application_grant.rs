//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_ssoadmin::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use futures_util::future::BoxFuture;

use super::grant::{grant_id, GrantSettings, GrantType};
use super::grant_validation::{self, check_application_arn};
use super::Shared;
use crate::framework::{
    Attribute, Block, Diagnostics, NestedBlock, NestingMode, Resource, Schema, StateResult,
};
use crate::value::{AttributePath, Type, Value};

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_grant";

/// How long a write may take to become visible to reads before we stop
/// waiting (AWS documents eventual consistency between hosts).
pub const VISIBILITY_TIMEOUT: Duration = Duration::from_secs(30);

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

    fn describe(&self) -> String {
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

/// A failed AWS call as a diagnostic naming the operation, the grant, and
/// AWS's error code and message.
fn aws_failure<E, R>(operation: &str, key: &GrantKey, err: SdkError<E, R>) -> Diagnostics
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let reason = match err.as_service_error() {
        Some(service) => format!(
            "{}: {}",
            service.code().unwrap_or("UnknownError"),
            service.message().unwrap_or("no message")
        ),
        None => DisplayErrorContext(&err).to_string(),
    };
    let mut d = Diagnostics::new();
    d.error(
        format!("{operation} failed"),
        format!("{operation} for the {} failed: {reason}", key.describe()),
    );
    d
}

/// GetApplicationGrant; `Ok(None)` when the grant (or its application) does
/// not exist.
async fn get_grant(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
) -> Result<Option<GrantSettings>, Diagnostics> {
    let result = client
        .get_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(key.grant_type.to_sdk())
        .send()
        .await;
    match result {
        Ok(out) => match out.grant().and_then(GrantSettings::from_sdk) {
            Some(settings) => Ok(Some(settings)),
            None => {
                let mut d = Diagnostics::new();
                d.error(
                    "Unrecognised grant from AWS",
                    format!(
                        "GetApplicationGrant returned settings for the {} that this provider \
                         version does not understand. Upgrade the provider.",
                        key.describe()
                    ),
                );
                Err(d)
            }
        },
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws_failure("GetApplicationGrant", key, e)),
    }
}

async fn put_grant(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
    settings: &GrantSettings,
) -> Result<(), Diagnostics> {
    client
        .put_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(key.grant_type.to_sdk())
        .grant(settings.to_sdk())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| aws_failure("PutApplicationGrant", key, e))
}

/// Reads until the grant reads back as written: writes propagate between
/// AWS hosts with a delay, and a state that claims what a read cannot yet
/// see would show up as drift on the next plan.
async fn wait_until_visible(
    client: &aws_sdk_ssoadmin::Client,
    key: &GrantKey,
    want: &GrantSettings,
) -> Result<(), String> {
    let deadline = Instant::now() + VISIBILITY_TIMEOUT;
    let mut delay = Duration::from_millis(100);
    loop {
        let last = match get_grant(client, key).await {
            Ok(Some(seen)) if &seen == want => return Ok(()),
            Ok(Some(_)) => "it still reads as before".to_string(),
            Ok(None) => "it is not visible yet".to_string(),
            Err(d) => d
                .iter()
                .map(|x| x.detail.clone())
                .collect::<Vec<_>>()
                .join("; "),
        };
        if Instant::now() + delay > deadline {
            return Err(last);
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

impl ApplicationGrantResource {
    /// Put, then wait for the write to be readable. A write that succeeded is
    /// never reported as failed: if it stays invisible, the caller gets a
    /// warning and keeps the state.
    async fn write(&self, planned: &Value) -> StateResult {
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
        tracing::debug!(application_arn = %key.application_arn, grant_type = %key.grant_type, "PutApplicationGrant");
        if let Err(d) = put_grant(&client, &key, &settings).await {
            return StateResult::failed(d);
        }
        let mut result = StateResult::ok(state_value(&key, Some(&settings)));
        if let Err(last) = wait_until_visible(&client, &key, &settings).await {
            result.diagnostics.warning(
                "Grant written but not yet visible",
                format!(
                    "PutApplicationGrant succeeded for the {}, but reads did not return the new \
                     settings within {} s ({last}). Terraform recorded the settings it wrote; the \
                     next plan will show a difference if AWS really stored something else.",
                    key.describe(),
                    VISIBILITY_TIMEOUT.as_secs()
                ),
            );
        }
        result
    }
}

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
            match get_grant(&client, &key).await {
                Ok(Some(settings)) => StateResult::ok(state_value(&key, Some(&settings))),
                Ok(None) => {
                    tracing::info!(application_arn = %key.application_arn, grant_type = %key.grant_type, "grant no longer exists");
                    StateResult::gone()
                }
                Err(d) => StateResult::failed(d),
            }
        })
    }

    fn create<'a>(&'a self, planned: &'a Value) -> BoxFuture<'a, StateResult> {
        Box::pin(async move {
            // Put is an upsert: refuse to silently take over a grant that
            // something else created, unless it already is exactly this one.
            if let (Ok(key), Ok(client)) = (GrantKey::from_value(planned), self.shared.client()) {
                let wanted = planned
                    .get_attr("grant")
                    .and_then(GrantSettings::from_block);
                match get_grant(&client, &key).await {
                    Ok(Some(existing)) if Some(&existing) != wanted.as_ref() => {
                        let mut d = Diagnostics::new();
                        d.error(
                            "Grant already exists",
                            format!(
                                "The {} already exists with other settings. Import it to manage it \
                                 with Terraform:\n  terraform import <resource address> '{}'",
                                key.describe(),
                                grant_id(&key.application_arn, key.grant_type)
                            ),
                        );
                        return StateResult::failed(d);
                    }
                    Err(d) => return StateResult::failed(d),
                    _ => {}
                }
            }
            self.write(planned).await
        })
    }

    fn update<'a>(&'a self, _prior: &'a Value, planned: &'a Value) -> BoxFuture<'a, StateResult> {
        Box::pin(self.write(planned))
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
            let result = client
                .delete_application_grant()
                .application_arn(&key.application_arn)
                .grant_type(key.grant_type.to_sdk())
                .send()
                .await;
            match result {
                Ok(_) => Diagnostics::new(),
                // Already gone is what we wanted.
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_resource_not_found_exception()) =>
                {
                    Diagnostics::new()
                }
                Err(e) => aws_failure("DeleteApplicationGrant", &key, e),
            }
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
