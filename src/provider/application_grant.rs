//! `identitycenter_application_grant`: one grant (authorization_code,
//! refresh_token, jwt-bearer or token-exchange) of one Identity Center
//! application, keyed by (application_arn, grant_type).

use futures_util::future::BoxFuture;

use crate::framework::{
    Attribute, Block, Diagnostics, NestedBlock, NestingMode, Resource, Schema, StateResult,
};
use crate::value::{AttributePath, Type, Value};

/// Resource type name.
pub const TYPE_NAME: &str = "identitycenter_application_grant";

/// The resource.
#[derive(Default)]
pub struct ApplicationGrantResource {}

impl ApplicationGrantResource {
    /// A resource handle.
    pub fn new() -> Self {
        Self {}
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
            Attribute::required("authorized_audiences", string_set.clone())
                .description("Accepted `aud` claim values: 1 to 10 strings of 1 to 512 characters."),
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

    fn replace_on_change(&self) -> Vec<AttributePath> {
        vec![
            AttributePath::root().attribute("application_arn"),
            AttributePath::root().attribute("grant_type"),
        ]
    }

    fn read<'a>(&'a self, _state: &'a Value) -> BoxFuture<'a, StateResult> {
        Box::pin(async { StateResult::failed(lifecycle_pending()) })
    }

    fn create<'a>(&'a self, _planned: &'a Value) -> BoxFuture<'a, StateResult> {
        Box::pin(async { StateResult::failed(lifecycle_pending()) })
    }

    fn update<'a>(&'a self, _prior: &'a Value, _planned: &'a Value) -> BoxFuture<'a, StateResult> {
        Box::pin(async { StateResult::failed(lifecycle_pending()) })
    }

    fn delete<'a>(&'a self, _prior: &'a Value) -> BoxFuture<'a, Diagnostics> {
        Box::pin(async { lifecycle_pending() })
    }
}

fn lifecycle_pending() -> Diagnostics {
    let mut d = Diagnostics::new();
    d.error(
        "Not available in this build",
        "This build of the provider loads and validates configurations only; the grant \
         lifecycle (create, read, update, delete, import) is not part of it.",
    );
    d
}
