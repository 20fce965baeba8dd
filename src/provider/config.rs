//! The `provider "identitycenter"` block. Argument names follow the AWS
//! provider so users already know them.

use crate::framework::{Attribute, Block, Diagnostics, NestedBlock, NestingMode, Schema};
use crate::value::{Type, Value};

/// Schema of the provider block.
pub fn schema() -> Schema {
    let strings = Type::List(Box::new(Type::String));
    Schema::new(
        0,
        Block::new("Manages IAM Identity Center application grants.")
            .attribute(Attribute::optional("region", Type::String).description(
                "AWS region of the Identity Center instance. Defaults to `AWS_REGION`, \
                 `AWS_DEFAULT_REGION` or the profile's region.",
            ))
            .attribute(Attribute::optional("profile", Type::String).description(
                "Named profile from the shared config and credentials files (`AWS_PROFILE`).",
            ))
            .attribute(
                Attribute::optional("shared_config_files", strings.clone())
                    .description("Paths of shared config files, instead of `~/.aws/config`."),
            )
            .attribute(
                Attribute::optional("shared_credentials_files", strings).description(
                    "Paths of shared credentials files, instead of `~/.aws/credentials`.",
                ),
            )
            .attribute(
                Attribute::optional("access_key", Type::String)
                    .sensitive()
                    .description("Static access key id. Prefer the default credential chain."),
            )
            .attribute(
                Attribute::optional("secret_key", Type::String)
                    .sensitive()
                    .description("Static secret access key, used with `access_key`."),
            )
            .attribute(
                Attribute::optional("token", Type::String)
                    .sensitive()
                    .description("Session token for temporary static credentials."),
            )
            .attribute(
                Attribute::optional("max_retries", Type::Number).description(
                    "How many times an AWS call is retried after throttling, a conflict or a \
                 server error. Default 25.",
                ),
            )
            .attribute(
                Attribute::optional("retry_mode", Type::String)
                    .description("`standard` (default) or `adaptive` (client-side rate limiting)."),
            )
            .block(
                NestedBlock::new(
                    "assume_role",
                    NestingMode::Single,
                    Block::new("Assume an IAM role on top of the base credentials.")
                        .attribute(
                            Attribute::required("role_arn", Type::String)
                                .description("ARN of the role to assume."),
                        )
                        .attribute(
                            Attribute::optional("session_name", Type::String)
                                .description("Session name recorded in CloudTrail."),
                        )
                        .attribute(
                            Attribute::optional("external_id", Type::String)
                                .description("External id the role's trust policy requires."),
                        )
                        .attribute(Attribute::optional("duration", Type::String).description(
                            "Session duration, e.g. `1h` or `15m` (15 minutes to 12 hours).",
                        )),
                )
                .items(0, 0),
            )
            .block(
                NestedBlock::new(
                    "endpoints",
                    NestingMode::Single,
                    Block::new("Custom service endpoints, e.g. a local emulator.").attribute(
                        Attribute::optional("ssoadmin", Type::String).description(
                            "SSO Admin endpoint URL. `AWS_ENDPOINT_URL_SSO_ADMIN` and \
                             `AWS_ENDPOINT_URL` work too.",
                        ),
                    ),
                )
                .items(0, 0),
            ),
    )
}

/// Checks what the schema cannot (retry settings, static key pairs,
/// durations). Unknown values are left for ConfigureProvider.
pub fn validate(config: &Value) -> Diagnostics {
    match super::settings::ProviderSettings::from_config(config) {
        Err(super::settings::SettingsError::Invalid(d)) => d,
        _ => Diagnostics::new(),
    }
}
