//! The provider block as typed settings, read from a configuration value.

use std::time::Duration;

use super::config::{AssumeRoleBlock, EndpointsBlock, ProviderConfig};
use super::duration::parse_duration;
use crate::framework::{Diagnostic, Diagnostics, Field, ModelError};
use crate::value::AttributePath;

/// Retry strategy for AWS calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryMode {
    /// Exponential backoff with jitter.
    Standard,
    /// Standard plus a client-side rate limiter that adapts to throttling.
    Adaptive,
}

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
            .field("ssoadmin_endpoint", &self.ssoadmin_endpoint)
            .field("max_retries", &self.max_retries)
            .field("retry_mode", &self.retry_mode)
            .finish()
    }
}

/// Why settings could not be read.
pub enum SettingsError {
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

/// Shortest and longest assumed-role session AWS allows, in seconds.
const ROLE_SESSION_SECONDS: std::ops::RangeInclusive<u64> = 900..=43_200;

impl ProviderSettings {
    /// Reads the provider configuration.
    pub fn from_config(config: &ProviderConfig) -> Result<Self, SettingsError> {
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
            let duration = match r.string(&role.duration, duration_path.clone()) {
                None => None,
                Some(text) => match parse_duration(&text) {
                    Ok(d) if ROLE_SESSION_SECONDS.contains(&d.as_secs()) => Some(d),
                    _ => {
                        r.invalid(
                            Diagnostic::error(
                                "Invalid assume_role duration",
                                format!(
                                    "duration must be between 15m and 12h, written like \"1h\", \
                                     \"45m\" or \"1h30m\"; got {text:?}."
                                ),
                            )
                            .at(duration_path),
                        );
                        None
                    }
                },
            };
            settings.assume_role = Some(AssumeRole {
                role_arn: r
                    .string(
                        &role.role_arn,
                        base.clone().attribute(AssumeRoleBlock::ROLE_ARN),
                    )
                    .unwrap_or_default(),
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
            Field::Known(n) => match n.as_i64().and_then(|v| u32::try_from(v).ok()) {
                Some(v) if v <= 100 => settings.max_retries = Some(v),
                _ => r.invalid(
                    Diagnostic::error(
                        "Invalid max_retries",
                        format!("max_retries must be a whole number from 0 to 100, not {n}."),
                    )
                    .at(retries_path),
                ),
            },
            Field::Unknown => r.unknown.push(retries_path),
            Field::Null => {}
        }
        let mode_path = root.clone().attribute(ProviderConfig::RETRY_MODE);
        match &config.retry_mode {
            Field::Known(m) => match m.as_str() {
                "standard" => settings.retry_mode = Some(RetryMode::Standard),
                "adaptive" => settings.retry_mode = Some(RetryMode::Adaptive),
                other => r.invalid(
                    Diagnostic::error(
                        "Invalid retry mode",
                        format!("retry_mode must be \"standard\" or \"adaptive\", not {other:?}."),
                    )
                    .at(mode_path),
                ),
            },
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
                    "access_key and secret_key must be set together (token is optional).",
                )
                .at(root.clone().attribute(missing)),
            );
        }
        if !keys_pending && settings.token.is_some() && settings.access_key.is_none() {
            r.invalid(
                Diagnostic::error(
                    "Session token without keys",
                    "token is only used together with access_key and secret_key.",
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
            ..Default::default()
        };
        let s = ProviderSettings::from_config(&c).ok().expect("settings");
        assert_eq!(s.token.as_deref(), Some("session-token-secret"));
        let text = format!("{s:?}");
        for secret in ["very-secret", "AKIDSECRETISH", "session-token-secret"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
