//! The provider block as the typed settings the AWS client is built from.
//! Each argument's own rules are declared with it (see
//! [`super::provider_block`]) and run by the framework before these are
//! read; what is checked here is what arguments mean together.

use std::time::Duration;

use super::endpoint::endpoint_for_display;
use super::provider_block::{
    session_length, AssumeRoleBlock, EndpointsBlock, ProviderConfig, RetryMode, MAX_RETRIES_LIMIT,
};
use crate::framework::{Diagnostic, Diagnostics, Field, ModelError};
use crate::value::AttributePath;

/// `assume_role { … }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRole {
    /// Role to assume.
    pub role_arn: String,
    /// Session name recorded in CloudTrail.
    pub session_name: Option<String>,
    /// External id required by the role's trust policy.
    pub external_id: Option<String>,
    /// Session length.
    pub duration: Option<Duration>,
}

/// Everything the provider block can say. `Debug` hides secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProviderSettings {
    /// AWS region.
    pub region: Option<String>,
    /// Named profile.
    pub profile: Option<String>,
    /// Shared config files replacing `~/.aws/config`.
    pub shared_config_files: Vec<String>,
    /// Shared credentials files replacing `~/.aws/credentials`.
    pub shared_credentials_files: Vec<String>,
    /// Static access key id.
    pub access_key: Option<String>,
    /// Static secret key.
    pub secret_key: Option<String>,
    /// Session token for static credentials.
    pub token: Option<String>,
    /// Role to assume on top of the base credentials.
    pub assume_role: Option<AssumeRole>,
    /// SSO Admin endpoint override.
    pub ssoadmin_endpoint: Option<String>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// Retry strategy.
    pub retry_mode: Option<RetryMode>,
}

impl std::fmt::Debug for ProviderSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderSettings")
            .field("region", &self.region)
            .field("profile", &self.profile)
            .field("static_credentials", &self.access_key.is_some())
            .field(
                "assume_role",
                &self.assume_role.as_ref().map(|r| &r.role_arn),
            )
            .field(
                "ssoadmin_endpoint",
                &self.ssoadmin_endpoint.as_deref().map(endpoint_for_display),
            )
            .field("max_retries", &self.max_retries)
            .field("retry_mode", &self.retry_mode)
            .finish()
    }
}

/// Why settings could not be read.
pub(crate) enum SettingsError {
    /// Some values are not known yet (plan time); the paths say which.
    Unknown(Vec<AttributePath>),
    /// Invalid values.
    Invalid(Diagnostics),
}

/// A configuration that does not fit the provider block's model (the
/// framework decoded it with the schema the model produced).
impl From<ModelError> for SettingsError {
    fn from(e: ModelError) -> Self {
        SettingsError::Invalid(
            Diagnostic::error(
                "Invalid provider configuration",
                format!("{e}. This is a bug in the provider."),
            )
            .into(),
        )
    }
}

impl ProviderSettings {
    /// Reads the provider configuration.
    pub(crate) fn from_config(config: &ProviderConfig) -> Result<Self, SettingsError> {
        let root = AttributePath::root();
        let mut r = Reader::default();
        let mut settings = ProviderSettings {
            region: r.string(
                &config.region,
                root.clone().attribute(ProviderConfig::REGION),
            ),
            profile: r.string(
                &config.profile,
                root.clone().attribute(ProviderConfig::PROFILE),
            ),
            shared_config_files: r.strings(
                &config.shared_config_files,
                root.clone().attribute(ProviderConfig::SHARED_CONFIG_FILES),
            ),
            shared_credentials_files: r.strings(
                &config.shared_credentials_files,
                root.clone()
                    .attribute(ProviderConfig::SHARED_CREDENTIALS_FILES),
            ),
            access_key: r.string(
                &config.access_key,
                root.clone().attribute(ProviderConfig::ACCESS_KEY),
            ),
            secret_key: r.string(
                &config.secret_key,
                root.clone().attribute(ProviderConfig::SECRET_KEY),
            ),
            token: r.string(&config.token, root.clone().attribute(ProviderConfig::TOKEN)),
            ..Default::default()
        };
        if let Field::Known(endpoints) = &config.endpoints {
            let path = root.clone().attribute(ProviderConfig::ENDPOINTS);
            settings.ssoadmin_endpoint = r.string(
                &endpoints.ssoadmin,
                path.attribute(EndpointsBlock::SSOADMIN),
            );
        }
        if let Field::Known(role) = &config.assume_role {
            let base = root.clone().attribute(ProviderConfig::ASSUME_ROLE);
            let duration_path = base.clone().attribute(AssumeRoleBlock::DURATION);
            let duration = r
                .string(&role.duration, duration_path.clone())
                .and_then(|text| r.checked(session_length(&text), duration_path));
            let role_arn_path = base.clone().attribute(AssumeRoleBlock::ROLE_ARN);
            let role_arn = match r.string(&role.role_arn, role_arn_path.clone()) {
                Some(arn) => Some(arn),
                None if role.role_arn.is_unknown() => None,
                None => r.checked(None, role_arn_path),
            };
            settings.assume_role = role_arn.map(|role_arn| AssumeRole {
                role_arn,
                session_name: r.string(
                    &role.session_name,
                    base.clone().attribute(AssumeRoleBlock::SESSION_NAME),
                ),
                external_id: r.string(
                    &role.external_id,
                    base.attribute(AssumeRoleBlock::EXTERNAL_ID),
                ),
                duration,
            });
        }
        let retries_path = root.clone().attribute(ProviderConfig::MAX_RETRIES);
        match &config.max_retries {
            Field::Known(n) => {
                let retries = n
                    .as_i64()
                    .filter(|v| *v <= MAX_RETRIES_LIMIT)
                    .and_then(|v| u32::try_from(v).ok());
                settings.max_retries = r.checked(retries, retries_path);
            }
            Field::Unknown => r.unknown.push(retries_path),
            Field::Null => {}
        }
        let mode_path = root.clone().attribute(ProviderConfig::RETRY_MODE);
        match &config.retry_mode {
            Field::Known(m) => settings.retry_mode = r.checked(RetryMode::parse(m), mode_path),
            Field::Unknown => r.unknown.push(mode_path),
            Field::Null => {}
        }
        // A key whose value is not known yet may well complete the pair.
        let keys_pending = config.access_key.is_unknown() || config.secret_key.is_unknown();
        if !keys_pending && settings.access_key.is_some() != settings.secret_key.is_some() {
            let missing = if settings.access_key.is_some() {
                ProviderConfig::SECRET_KEY
            } else {
                ProviderConfig::ACCESS_KEY
            };
            r.invalid(
                Diagnostic::error(
                    "Incomplete static credentials",
                    format!(
                        "{} and {} must be set together ({} is optional).",
                        ProviderConfig::ACCESS_KEY,
                        ProviderConfig::SECRET_KEY,
                        ProviderConfig::TOKEN
                    ),
                )
                .at(root.clone().attribute(missing)),
            );
        }
        if !keys_pending && settings.token.is_some() && settings.access_key.is_none() {
            r.invalid(
                Diagnostic::error(
                    "Session token without keys",
                    format!(
                        "{} is only used together with {} and {}.",
                        ProviderConfig::TOKEN,
                        ProviderConfig::ACCESS_KEY,
                        ProviderConfig::SECRET_KEY
                    ),
                )
                .at(root.attribute(ProviderConfig::TOKEN)),
            );
        }
        if r.diags.has_errors() {
            Err(SettingsError::Invalid(r.diags))
        } else if !r.unknown.is_empty() {
            Err(SettingsError::Unknown(r.unknown))
        } else {
            Ok(settings)
        }
    }
}

/// Collects what reading the settings found: values not known yet, and
/// invalid ones.
#[derive(Default)]
struct Reader {
    unknown: Vec<AttributePath>,
    diags: Diagnostics,
}

impl Reader {
    fn invalid(&mut self, d: Diagnostic) {
        self.diags.add(d);
    }

    /// `value`, which the argument's declared rules guarantee: their
    /// absence here means the framework did not run them, a bug to report
    /// rather than a value to guess.
    fn checked<T>(&mut self, value: Option<T>, path: AttributePath) -> Option<T> {
        if value.is_none() {
            self.invalid(
                Diagnostic::error(
                    "Invalid provider configuration",
                    "This value reached the provider without passing its checks. This is a bug \
                     in the provider.",
                )
                .at(path),
            );
        }
        value
    }

    /// A known, non-empty string.
    fn string(&mut self, field: &Field<String>, path: AttributePath) -> Option<String> {
        match field {
            Field::Known(s) if !s.is_empty() => Some(s.clone()),
            Field::Unknown => {
                self.unknown.push(path);
                None
            }
            _ => None,
        }
    }

    fn strings(&mut self, field: &Field<Vec<Field<String>>>, path: AttributePath) -> Vec<String> {
        match field {
            Field::Known(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Field::Known(s) => out.push(s.clone()),
                        Field::Unknown => self.unknown.push(path.clone()),
                        Field::Null => {}
                    }
                }
                out
            }
            Field::Unknown => {
                self.unknown.push(path);
                Vec::new()
            }
            Field::Null => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_reported_by_path() {
        let c = ProviderConfig {
            region: Field::Unknown,
            ..Default::default()
        };
        match ProviderSettings::from_config(&c) {
            Err(SettingsError::Unknown(paths)) => {
                assert_eq!(paths, vec![AttributePath::root().attribute("region")])
            }
            _ => panic!("expected unknown"),
        }
    }

    #[test]
    fn a_key_pair_completed_by_an_unknown_value_is_not_rejected() {
        let c = ProviderConfig {
            access_key: Field::Known("AKID".into()),
            secret_key: Field::Unknown,
            ..Default::default()
        };
        assert!(matches!(
            ProviderSettings::from_config(&c),
            Err(SettingsError::Unknown(_))
        ));
    }

    #[test]
    fn half_static_credentials_are_rejected() {
        let c = ProviderConfig {
            access_key: Field::Known("AKID".into()),
            ..Default::default()
        };
        assert!(matches!(
            ProviderSettings::from_config(&c),
            Err(SettingsError::Invalid(_))
        ));
    }

    #[test]
    fn debug_output_hides_secrets() {
        let c = ProviderConfig {
            access_key: Field::Known("AKIDSECRETISH".into()),
            secret_key: Field::Known("very-secret".into()),
            token: Field::Known("session-token-secret".into()),
            endpoints: Field::Known(EndpointsBlock {
                ssoadmin: Field::Known("http://user:endpoint-password@127.0.0.1:4566".into()),
            }),
            ..Default::default()
        };
        let s = ProviderSettings::from_config(&c).ok().expect("settings");
        assert_eq!(s.token.as_deref(), Some("session-token-secret"));
        let text = format!("{s:?}");
        assert!(text.contains("http://127.0.0.1:4566"), "{text}");
        for secret in [
            "very-secret",
            "AKIDSECRETISH",
            "session-token-secret",
            "endpoint-password",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
