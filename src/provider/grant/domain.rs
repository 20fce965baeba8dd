//! The application grant as AWS defines it, in typed Rust values: the four
//! grant types, the settings of each, and the key that names a grant.

use std::collections::BTreeSet;

use super::arn::{check_application_arn, APPLICATION_ARN_EXAMPLE};

/// The four grant types AWS knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantType {
    /// `authorization_code`
    AuthorizationCode,
    /// `refresh_token`
    RefreshToken,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`
    JwtBearer,
    /// `urn:ietf:params:oauth:grant-type:token-exchange`
    TokenExchange,
}

impl GrantType {
    /// All grant types, in the order results are listed.
    pub(crate) const ALL: [GrantType; 4] = [
        GrantType::AuthorizationCode,
        GrantType::RefreshToken,
        GrantType::JwtBearer,
        GrantType::TokenExchange,
    ];

    /// The `grant_type` string, as AWS spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
            GrantType::TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
        }
    }

    /// Parses an exact `grant_type` string.
    pub fn parse(text: &str) -> Option<GrantType> {
        GrantType::ALL.into_iter().find(|g| g.as_str() == text)
    }

    /// The valid values, quoted, for messages.
    pub(crate) fn valid_values() -> String {
        GrantType::ALL
            .map(|t| format!("{:?}", t.as_str()))
            .join(", ")
    }
}

impl std::fmt::Display for GrantType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One authorized token issuer of a JWT bearer grant.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TokenIssuer {
    /// Trusted token issuer ARN.
    pub trusted_token_issuer_arn: String,
    /// Accepted `aud` values.
    pub authorized_audiences: BTreeSet<String>,
}

/// The settings of a grant: which member of AWS's `Grant` union, with its
/// contents. Sets are ordered collections so that comparisons ignore order,
/// as AWS does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantSettings {
    /// Authorization code with its redirect URIs.
    AuthorizationCode {
        /// Redirect URIs.
        redirect_uris: BTreeSet<String>,
    },
    /// JWT bearer with its issuers.
    JwtBearer {
        /// Issuers.
        issuers: BTreeSet<TokenIssuer>,
    },
    /// Refresh token (no settings).
    RefreshToken,
    /// Token exchange (no settings).
    TokenExchange,
}

impl GrantSettings {
    /// The grant type these settings belong to.
    pub fn grant_type(&self) -> GrantType {
        match self {
            GrantSettings::AuthorizationCode { .. } => GrantType::AuthorizationCode,
            GrantSettings::JwtBearer { .. } => GrantType::JwtBearer,
            GrantSettings::RefreshToken => GrantType::RefreshToken,
            GrantSettings::TokenExchange => GrantType::TokenExchange,
        }
    }
}

/// What names a grant: at most one grant of each type per application.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrantKey {
    /// Application ARN.
    pub application_arn: String,
    /// Grant type.
    pub grant_type: GrantType,
}

/// Why a string is not a grant ID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub(crate) struct GrantIdError {
    /// What is wrong with it.
    pub problem: String,
}

impl GrantKey {
    /// The resource ID (and import ID): `<application_arn>,<grant_type>`.
    pub fn id(&self) -> String {
        format!("{},{}", self.application_arn, self.grant_type.as_str())
    }

    /// Parses a grant ID `<application_arn>,<grant_type>`.
    pub(crate) fn parse_id(id: &str) -> Result<GrantKey, GrantIdError> {
        let fail = |problem: String| Err(GrantIdError { problem });
        let Some((arn, grant_type)) = id.trim().split_once(',') else {
            return fail(format!("The ID {id:?} has no comma."));
        };
        if let Err(detail) = check_application_arn(arn) {
            return fail(detail);
        }
        let Some(grant_type) = GrantType::parse(grant_type) else {
            return fail(format!("{grant_type:?} in the ID is not a grant type."));
        };
        Ok(GrantKey {
            application_arn: arn.to_string(),
            grant_type,
        })
    }

    /// "`<type>` grant of application `<arn>`", for messages.
    pub fn describe(&self) -> String {
        format!(
            "{} grant of application {}",
            self.grant_type, self.application_arn
        )
    }
}

/// An example of a valid ID, for documentation.
pub(crate) fn example_id() -> String {
    format!(
        "{APPLICATION_ARN_EXAMPLE},{}",
        GrantType::AuthorizationCode.as_str()
    )
}

#[cfg(test)]
impl GrantSettings {
    /// Settings of every grant type, for round-trip tests.
    pub(crate) fn one_of_each() -> [GrantSettings; 4] {
        [
            GrantSettings::JwtBearer {
                issuers: [TokenIssuer {
                    trusted_token_issuer_arn: "arn:x".into(),
                    authorized_audiences: ["a".to_string(), "b".to_string()].into(),
                }]
                .into(),
            },
            GrantSettings::AuthorizationCode {
                redirect_uris: ["https://b/cb".to_string(), "https://a/cb".to_string()].into(),
            },
            GrantSettings::RefreshToken,
            GrantSettings::TokenExchange,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_types_round_trip_their_names() {
        for t in GrantType::ALL {
            assert_eq!(GrantType::parse(t.as_str()), Some(t));
        }
        assert_eq!(GrantType::parse("jwt_bearer"), None);
    }

    #[test]
    fn ids_round_trip_and_explain_their_form() {
        let key = GrantKey::parse_id(&example_id()).expect("valid");
        assert_eq!(key.grant_type, GrantType::AuthorizationCode);
        assert_eq!(key.id(), example_id());
        let help = crate::provider::grant::model::id_form_help();
        for t in GrantType::ALL {
            assert!(help.contains(t.as_str()), "{help} lacks {t}");
        }
        assert!(
            help.starts_with("Expected \"<application_arn>,<grant_type>\", e.g. "),
            "{help}"
        );
        let err = GrantKey::parse_id("nope").expect_err("no comma");
        assert_eq!(err.to_string(), "The ID \"nope\" has no comma.");
        let err =
            GrantKey::parse_id(&format!("{APPLICATION_ARN_EXAMPLE},implicit")).expect_err("type");
        assert!(
            err.to_string()
                .contains("\"implicit\" in the ID is not a grant type"),
            "{err}"
        );
    }
}
