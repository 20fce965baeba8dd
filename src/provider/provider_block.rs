//! The `provider "identitycenter"` block as a typed model, with the rules
//! each argument declares. Argument names follow the AWS provider so users
//! already know them. What the arguments mean together (a key pair, a token
//! with its keys) is read in [`super::client_settings`].

use std::sync::Arc;
use std::time::Duration;

use crate::framework::duration::parse_duration;
use crate::framework::rules::{self, Validator};
use crate::framework::{Field, Schema};
use crate::object_model;
use crate::value::Number;

object_model! {
    /// Manages the application grants of IAM Identity Center: which OAuth 2.0 grant types
    /// (authorization code, refresh token, JWT bearer, token exchange) a customer managed
    /// application may use, and with which settings.
    #[derive(Clone, Default, PartialEq)]
    pub(crate) struct ProviderConfig {
        /// AWS region of the Identity Center instance. Defaults to `AWS_REGION`,
        /// `AWS_DEFAULT_REGION` or the profile's region.
        [optional] pub region: Field<String> = REGION,
        /// Named profile from the shared config and credentials files (`AWS_PROFILE`).
        [optional] pub profile: Field<String> = PROFILE,
        /// Paths of shared config files, instead of `~/.aws/config`.
        [optional] pub shared_config_files: Field<Vec<Field<String>>> = SHARED_CONFIG_FILES,
        /// Paths of shared credentials files, instead of `~/.aws/credentials`.
        [optional] pub shared_credentials_files: Field<Vec<Field<String>>> = SHARED_CREDENTIALS_FILES,
        /// Static access key id. Prefer the default credential chain.
        [optional, sensitive] pub access_key: Field<String> = ACCESS_KEY,
        /// Static secret access key, used with `access_key`.
        [optional, sensitive] pub secret_key: Field<String> = SECRET_KEY,
        /// Session token for temporary static credentials.
        [optional, sensitive] pub token: Field<String> = TOKEN,
        /// How many times an AWS call is retried after throttling, a conflict or a
        /// server error. Default 25.
        [optional, validate(max_retries(Self::MAX_RETRIES))]
        pub max_retries: Field<Number> = MAX_RETRIES,
        /// `standard` (default) or `adaptive` (client-side rate limiting).
        [optional, validate(retry_mode(Self::RETRY_MODE))]
        pub retry_mode: Field<String> = RETRY_MODE,
        /// Assume an IAM role on top of the base credentials.
        [block_single(0, 0)] pub assume_role: Field<AssumeRoleBlock> = ASSUME_ROLE,
        /// Custom service endpoints, e.g. a local emulator.
        [block_single(0, 0)] pub endpoints: Field<EndpointsBlock> = ENDPOINTS,
    }
}

object_model! {
    #[derive(Clone, Default, PartialEq)]
    pub(crate) struct AssumeRoleBlock {
        /// ARN of the role to assume, `arn:aws:iam::<account>:role/<name>`.
        [required, validate(role_arn(ProviderConfig::ASSUME_ROLE, Self::ROLE_ARN))]
        pub role_arn: Field<String> = ROLE_ARN,
        /// Session name recorded in CloudTrail.
        [optional] pub session_name: Field<String> = SESSION_NAME,
        /// External id the role's trust policy requires.
        [optional] pub external_id: Field<String> = EXTERNAL_ID,
        /// Session duration, e.g. `1h` or `15m` (15 minutes to 12 hours).
        [optional, validate(session_duration(ProviderConfig::ASSUME_ROLE, Self::DURATION))]
        pub duration: Field<String> = DURATION,
    }
}

object_model! {
    #[derive(Clone, Default, PartialEq)]
    pub(crate) struct EndpointsBlock {
        /// SSO Admin endpoint URL. `AWS_ENDPOINT_URL_SSO_ADMIN` and
        /// `AWS_ENDPOINT_URL` work too.
        [optional] pub ssoadmin: Field<String> = SSOADMIN,
    }
}

/// Schema of the provider block.
pub fn schema() -> Schema {
    Schema::new(0, ProviderConfig::schema_block())
}

/// Retry strategy for AWS calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryMode {
    /// Exponential backoff with jitter.
    Standard,
    /// Standard plus a client-side rate limiter that adapts to throttling.
    Adaptive,
}

impl RetryMode {
    /// Every mode, in the order messages list them.
    pub(crate) const ALL: [RetryMode; 2] = [RetryMode::Standard, RetryMode::Adaptive];

    /// As `retry_mode` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }

    /// The mode `text` names.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// The most retries `max_retries` may ask for.
pub(crate) const MAX_RETRIES_LIMIT: i64 = 100;

/// `max_retries` (named `name`): a whole number from 0 to 100.
fn max_retries(name: &'static str) -> Arc<dyn Validator> {
    rules::whole_number(0, MAX_RETRIES_LIMIT, format!("Invalid {name}"), move |n| {
        format!("{name} must be a whole number from 0 to {MAX_RETRIES_LIMIT}, not {n}.")
    })
}

/// `retry_mode` (named `name`): one of the modes.
fn retry_mode(name: &'static str) -> Arc<dyn Validator> {
    rules::one_of(
        "Invalid retry mode",
        || RetryMode::ALL.map(RetryMode::as_str).to_vec(),
        move |other| {
            let [standard, adaptive] = RetryMode::ALL.map(RetryMode::as_str);
            format!("{name} must be {standard:?} or {adaptive:?}, not {other:?}.")
        },
    )
}

/// Shortest and longest assumed-role session AWS allows.
const ROLE_SESSION: std::ops::RangeInclusive<Duration> =
    Duration::from_secs(900)..=Duration::from_secs(43_200);

/// An assumed-role session length, when `text` is a valid one.
pub(crate) fn session_length(text: &str) -> Option<Duration> {
    parse_duration(text)
        .ok()
        .filter(|d| ROLE_SESSION.contains(d))
}

/// `assume_role.duration` (`block.name`): 15 minutes to 12 hours.
fn session_duration(block: &'static str, name: &'static str) -> Arc<dyn Validator> {
    rules::matches(format!("Invalid {block} {name}"), move |text| {
        session_length(text).map(|_| ()).ok_or_else(|| {
            format!(
                "{name} must be between 15m and 12h, written like \"1h\", \"45m\" or \"1h30m\"; \
                 got {text:?}."
            )
        })
    })
}

/// `assume_role.role_arn` (`block.name`): an IAM role ARN,
/// `arn:<partition>:iam::<account>:role/<path and name>`.
fn role_arn(block: &'static str, name: &'static str) -> Arc<dyn Validator> {
    rules::matches(format!("Invalid {block} {name}"), move |text| {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let is_role = matches!(
            parts.as_slice(),
            ["arn", partition, "iam", "", account, resource]
                if !partition.is_empty()
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit())
                    && resource.strip_prefix("role/").is_some_and(|r| !r.is_empty())
        );
        if is_role {
            Ok(())
        } else {
            Err(format!(
                "{name} must be an IAM role ARN, arn:aws:iam::<account>:role/<name>; got {text:?}."
            ))
        }
    })
}
