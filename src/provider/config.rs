//! The `provider "identitycenter"` block as a typed model. Argument names
//! follow the AWS provider so users already know them.

use crate::framework::{Field, Schema};
use crate::object_model;
use crate::value::Number;

object_model! {
    /// Manages the application grants of IAM Identity Center: which OAuth 2.0 grant types
    /// (authorization code, refresh token, JWT bearer, token exchange) a customer managed
    /// application may use, and with which settings.
    #[derive(Clone, Default, PartialEq)]
    pub struct ProviderConfig {
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
        [optional] pub max_retries: Field<Number> = MAX_RETRIES,
        /// `standard` (default) or `adaptive` (client-side rate limiting).
        [optional] pub retry_mode: Field<String> = RETRY_MODE,
        /// Assume an IAM role on top of the base credentials.
        [block_single(0, 0)] pub assume_role: Field<AssumeRoleBlock> = ASSUME_ROLE,
        /// Custom service endpoints, e.g. a local emulator.
        [block_single(0, 0)] pub endpoints: Field<EndpointsBlock> = ENDPOINTS,
    }
}

object_model! {
    #[derive(Clone, Default, PartialEq)]
    pub struct AssumeRoleBlock {
        /// ARN of the role to assume.
        [required] pub role_arn: Field<String> = ROLE_ARN,
        /// Session name recorded in CloudTrail.
        [optional] pub session_name: Field<String> = SESSION_NAME,
        /// External id the role's trust policy requires.
        [optional] pub external_id: Field<String> = EXTERNAL_ID,
        /// Session duration, e.g. `1h` or `15m` (15 minutes to 12 hours).
        [optional] pub duration: Field<String> = DURATION,
    }
}

object_model! {
    #[derive(Clone, Default, PartialEq)]
    pub struct EndpointsBlock {
        /// SSO Admin endpoint URL. `AWS_ENDPOINT_URL_SSO_ADMIN` and
        /// `AWS_ENDPOINT_URL` work too.
        [optional] pub ssoadmin: Field<String> = SSOADMIN,
    }
}

/// Schema of the provider block.
pub fn schema() -> Schema {
    Schema::new(0, ProviderConfig::schema_block())
}
