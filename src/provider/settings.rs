//! The provider block as typed settings, read from a configuration value.

use std::time::Duration;

use crate::framework::Diagnostics;
use crate::value::{AttributePath, PathStep, Value};

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

impl ProviderSettings {
    /// Reads the provider configuration.
    pub fn from_config(config: &Value) -> Result<Self, SettingsError> {
        let mut unknown = Vec::new();
        let root = AttributePath::root();
        let mut reader = Reader {
            unknown: &mut unknown,
        };
        let s = |r: &mut Reader<'_>, v: &Value, path: AttributePath| r.string(v, path);
        let mut settings = ProviderSettings {
            region: s(&mut reader, config, root.clone().attribute("region")),
            profile: s(&mut reader, config, root.clone().attribute("profile")),
            shared_config_files: reader
                .strings(config, root.clone().attribute("shared_config_files")),
            shared_credentials_files: reader
                .strings(config, root.clone().attribute("shared_credentials_files")),
            access_key: s(&mut reader, config, root.clone().attribute("access_key")),
            secret_key: s(&mut reader, config, root.clone().attribute("secret_key")),
            token: s(&mut reader, config, root.clone().attribute("token")),
            ..Default::default()
        };
        let mut diags = Diagnostics::new();
        if let Some(endpoints) = config.get_attr("endpoints").filter(|v| !v.is_null()) {
            settings.ssoadmin_endpoint = reader.string(
                endpoints,
                root.clone().attribute("endpoints").attribute("ssoadmin"),
            );
        }
        if let Some(role) = config.get_attr("assume_role").filter(|v| !v.is_null()) {
            let base = root.clone().attribute("assume_role");
            let role_arn = reader.string(role, base.clone().attribute("role_arn"));
            let duration_text = reader.string(role, base.clone().attribute("duration"));
            let duration = match duration_text.as_deref().map(parse_duration) {
                Some(Ok(d)) if (900..=43_200).contains(&d.as_secs()) => Some(d),
                Some(_) => {
                    diags.error_at(
                        base.clone().attribute("duration"),
                        "Invalid assume_role duration",
                        format!(
                            "duration must be between 15m and 12h, written like \"1h\", \"45m\" or \
                             \"1h30m\"; got {:?}.",
                            duration_text.unwrap_or_default()
                        ),
                    );
                    None
                }
                None => None,
            };
            settings.assume_role = Some(AssumeRole {
                role_arn: role_arn.unwrap_or_default(),
                session_name: reader.string(role, base.clone().attribute("session_name")),
                external_id: reader.string(role, base.attribute("external_id")),
                duration,
            });
        }
        match config.get_attr("max_retries") {
            Some(Value::Number(n)) => match n.as_i64().and_then(|v| u32::try_from(v).ok()) {
                Some(v) if v <= 100 => settings.max_retries = Some(v),
                _ => diags.error_at(
                    root.clone().attribute("max_retries"),
                    "Invalid max_retries",
                    format!("max_retries must be a whole number from 0 to 100, not {n}."),
                ),
            },
            Some(Value::Unknown(_)) => unknown.push(root.clone().attribute("max_retries")),
            _ => {}
        }
        match config.get_attr("retry_mode") {
            Some(Value::String(m)) => match m.as_str() {
                "standard" => settings.retry_mode = Some(RetryMode::Standard),
                "adaptive" => settings.retry_mode = Some(RetryMode::Adaptive),
                other => diags.error_at(
                    root.clone().attribute("retry_mode"),
                    "Invalid retry mode",
                    format!("retry_mode must be \"standard\" or \"adaptive\", not {other:?}."),
                ),
            },
            Some(Value::Unknown(_)) => unknown.push(root.clone().attribute("retry_mode")),
            _ => {}
        }
        // A key whose value is not known yet may well complete the pair.
        let pending = |name: &str| {
            unknown.iter().any(|p| {
                p.steps().last() == Some(&PathStep::Attribute(name.to_string()))
                    && p.steps().len() == 1
            })
        };
        let keys_pending = pending("access_key") || pending("secret_key");
        if !keys_pending && settings.access_key.is_some() != settings.secret_key.is_some() {
            diags.error_at(
                root.clone().attribute(if settings.access_key.is_some() {
                    "secret_key"
                } else {
                    "access_key"
                }),
                "Incomplete static credentials",
                "access_key and secret_key must be set together (token is optional).",
            );
        }
        if !keys_pending && settings.token.is_some() && settings.access_key.is_none() {
            diags.error_at(
                root.attribute("token"),
                "Session token without keys",
                "token is only used together with access_key and secret_key.",
            );
        }
        if diags.has_errors() {
            Err(SettingsError::Invalid(diags))
        } else if !unknown.is_empty() {
            Err(SettingsError::Unknown(unknown))
        } else {
            Ok(settings)
        }
    }
}

struct Reader<'u> {
    unknown: &'u mut Vec<AttributePath>,
}

impl Reader<'_> {
    /// The string at the last step of `path` inside `parent`, if known and set.
    fn string(&mut self, parent: &Value, path: AttributePath) -> Option<String> {
        let name = last_attribute(&path)?;
        match parent.get_attr(name) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Unknown(_)) => {
                self.unknown.push(path);
                None
            }
            _ => None,
        }
    }

    fn strings(&mut self, parent: &Value, path: AttributePath) -> Vec<String> {
        let Some(name) = last_attribute(&path) else {
            return Vec::new();
        };
        match parent.get_attr(name) {
            Some(Value::List(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        Value::Unknown(_) => self.unknown.push(path.clone()),
                        _ => {}
                    }
                }
                out
            }
            Some(Value::Unknown(_)) => {
                self.unknown.push(path);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

fn last_attribute(path: &AttributePath) -> Option<&str> {
    match path.steps().last() {
        Some(PathStep::Attribute(name)) => Some(name),
        _ => None,
    }
}

/// Parses durations written like Terraform users write them: `1h`, `45m`,
/// `900s`, `1h30m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = 0u64;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("missing number before {c:?}"))?;
        digits.clear();
        total += match c {
            'h' => n * 3600,
            'm' => n * 60,
            's' => n,
            other => return Err(format!("unknown unit {other:?}")),
        };
    }
    if !digits.is_empty() {
        return Err("missing unit (h, m or s) after the last number".into());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go_durations() {
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("900s"), Ok(Duration::from_secs(900)));
        assert!(parse_duration("15").is_err());
        assert!(parse_duration("1d").is_err());
        assert!(parse_duration("").is_err());
    }

    fn config(attrs: Vec<(&str, Value)>) -> Value {
        let names = [
            "region",
            "profile",
            "shared_config_files",
            "shared_credentials_files",
            "access_key",
            "secret_key",
            "token",
            "max_retries",
            "retry_mode",
            "assume_role",
            "endpoints",
        ];
        let mut obj: std::collections::BTreeMap<String, Value> =
            names.iter().map(|n| (n.to_string(), Value::Null)).collect();
        for (k, v) in attrs {
            obj.insert(k.to_string(), v);
        }
        Value::Object(obj)
    }

    #[test]
    fn unknown_values_are_reported_by_path() {
        let c = config(vec![("region", Value::unknown())]);
        match ProviderSettings::from_config(&c) {
            Err(SettingsError::Unknown(paths)) => {
                assert_eq!(paths, vec![AttributePath::root().attribute("region")])
            }
            _ => panic!("expected unknown"),
        }
    }

    #[test]
    fn a_key_pair_completed_by_an_unknown_value_is_not_rejected() {
        let c = config(vec![
            ("access_key", Value::string("AKID")),
            ("secret_key", Value::unknown()),
        ]);
        assert!(matches!(
            ProviderSettings::from_config(&c),
            Err(SettingsError::Unknown(_))
        ));
    }

    #[test]
    fn half_static_credentials_are_rejected() {
        let c = config(vec![("access_key", Value::string("AKID"))]);
        assert!(matches!(
            ProviderSettings::from_config(&c),
            Err(SettingsError::Invalid(_))
        ));
    }

    #[test]
    fn debug_output_hides_secrets() {
        let c = config(vec![
            ("access_key", Value::string("AKIDSECRETISH")),
            ("secret_key", Value::string("very-secret")),
        ]);
        let s = ProviderSettings::from_config(&c).ok().expect("settings");
        let text = format!("{s:?}");
        assert!(
            !text.contains("very-secret") && !text.contains("AKIDSECRETISH"),
            "{text}"
        );
    }
}
