//! The application grant as typed Rust values, and its two mappings: to and
//! from Terraform values (the `grant` block), and to and from the SDK's
//! `Grant` union.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ssoadmin::types as sdk;

use crate::value::Value;

/// The four grant types AWS knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
    /// All grant types.
    pub const ALL: [GrantType; 4] = [
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

    /// Name of the `grant` sub-block that configures this type.
    pub fn block_name(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::JwtBearer => "jwt_bearer",
            GrantType::TokenExchange => "token_exchange",
        }
    }

    /// The grant type configured by a sub-block name.
    pub fn from_block_name(name: &str) -> Option<GrantType> {
        GrantType::ALL.into_iter().find(|g| g.block_name() == name)
    }

    /// The SDK enum value.
    pub fn to_sdk(self) -> sdk::GrantType {
        match self {
            GrantType::AuthorizationCode => sdk::GrantType::AuthorizationCode,
            GrantType::RefreshToken => sdk::GrantType::RefreshToken,
            GrantType::JwtBearer => sdk::GrantType::JwtBearer,
            GrantType::TokenExchange => sdk::GrantType::TokenExchange,
        }
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

    /// Reads the `grant` block. Returns `None` unless exactly one sub-block is
    /// set and every value inside is known (validation reports the rest).
    pub fn from_block(grant: &Value) -> Option<GrantSettings> {
        let mut set = GrantType::ALL.into_iter().filter_map(|t| {
            grant
                .get_attr(t.block_name())
                .filter(|v| !v.is_null())
                .map(|v| (t, v))
        });
        let (grant_type, body) = set.next()?;
        if set.next().is_some() {
            return None;
        }
        Some(match grant_type {
            GrantType::AuthorizationCode => GrantSettings::AuthorizationCode {
                redirect_uris: known_strings(body.get_attr("redirect_uris")?)?,
            },
            GrantType::JwtBearer => {
                let Value::Set(items) = body.get_attr("authorized_token_issuers")? else {
                    return None;
                };
                let mut issuers = BTreeSet::new();
                for item in items {
                    issuers.insert(TokenIssuer {
                        trusted_token_issuer_arn: item
                            .get_attr("trusted_token_issuer_arn")?
                            .as_str()?
                            .to_string(),
                        authorized_audiences: known_strings(
                            item.get_attr("authorized_audiences")?,
                        )?,
                    });
                }
                GrantSettings::JwtBearer { issuers }
            }
            GrantType::RefreshToken => GrantSettings::RefreshToken,
            GrantType::TokenExchange => GrantSettings::TokenExchange,
        })
    }

    /// The `grant` block value, with the other sub-blocks null.
    pub fn to_block(&self) -> Value {
        let mut block: BTreeMap<String, Value> = GrantType::ALL
            .into_iter()
            .map(|t| (t.block_name().to_string(), Value::Null))
            .collect();
        let body = match self {
            GrantSettings::AuthorizationCode { redirect_uris } => {
                Value::object([("redirect_uris", string_set(redirect_uris))])
            }
            GrantSettings::JwtBearer { issuers } => Value::object([(
                "authorized_token_issuers",
                Value::Set(
                    issuers
                        .iter()
                        .map(|i| {
                            Value::object([
                                (
                                    "trusted_token_issuer_arn",
                                    Value::string(i.trusted_token_issuer_arn.clone()),
                                ),
                                ("authorized_audiences", string_set(&i.authorized_audiences)),
                            ])
                        })
                        .collect(),
                ),
            )]),
            GrantSettings::RefreshToken | GrantSettings::TokenExchange => {
                Value::Object(BTreeMap::new())
            }
        };
        block.insert(self.grant_type().block_name().to_string(), body);
        Value::Object(block)
    }

    /// The SDK union member to send.
    pub fn to_sdk(&self) -> sdk::Grant {
        match self {
            GrantSettings::AuthorizationCode { redirect_uris } => sdk::Grant::AuthorizationCode(
                sdk::AuthorizationCodeGrant::builder()
                    .set_redirect_uris(Some(redirect_uris.iter().cloned().collect()))
                    .build(),
            ),
            GrantSettings::JwtBearer { issuers } => sdk::Grant::JwtBearer(
                sdk::JwtBearerGrant::builder()
                    .set_authorized_token_issuers(Some(
                        issuers
                            .iter()
                            .map(|i| {
                                sdk::AuthorizedTokenIssuer::builder()
                                    .trusted_token_issuer_arn(i.trusted_token_issuer_arn.clone())
                                    .set_authorized_audiences(Some(
                                        i.authorized_audiences.iter().cloned().collect(),
                                    ))
                                    .build()
                            })
                            .collect(),
                    ))
                    .build(),
            ),
            GrantSettings::RefreshToken => {
                sdk::Grant::RefreshToken(sdk::RefreshTokenGrant::builder().build())
            }
            GrantSettings::TokenExchange => {
                sdk::Grant::TokenExchange(sdk::TokenExchangeGrant::builder().build())
            }
        }
    }

    /// Reads what AWS returned; `None` for a union member this provider does
    /// not know (a newer AWS feature).
    pub fn from_sdk(grant: &sdk::Grant) -> Option<GrantSettings> {
        Some(match grant {
            sdk::Grant::AuthorizationCode(g) => GrantSettings::AuthorizationCode {
                redirect_uris: g.redirect_uris().iter().cloned().collect(),
            },
            sdk::Grant::JwtBearer(g) => GrantSettings::JwtBearer {
                issuers: g
                    .authorized_token_issuers()
                    .iter()
                    .map(|i| TokenIssuer {
                        trusted_token_issuer_arn: i
                            .trusted_token_issuer_arn()
                            .unwrap_or_default()
                            .to_string(),
                        authorized_audiences: i.authorized_audiences().iter().cloned().collect(),
                    })
                    .collect(),
            },
            sdk::Grant::RefreshToken(_) => GrantSettings::RefreshToken,
            sdk::Grant::TokenExchange(_) => GrantSettings::TokenExchange,
            _ => return None,
        })
    }
}

fn known_strings(value: &Value) -> Option<BTreeSet<String>> {
    match value {
        Value::Set(items) | Value::List(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

fn string_set(items: &BTreeSet<String>) -> Value {
    Value::Set(items.iter().cloned().map(Value::string).collect())
}

/// The resource ID: `<application_arn>,<grant_type>`.
pub fn grant_id(application_arn: &str, grant_type: GrantType) -> String {
    format!("{application_arn},{}", grant_type.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_types_round_trip_their_names() {
        for t in GrantType::ALL {
            assert_eq!(GrantType::parse(t.as_str()), Some(t));
            assert_eq!(GrantType::from_block_name(t.block_name()), Some(t));
        }
        assert_eq!(GrantType::parse("jwt_bearer"), None);
    }

    #[test]
    fn settings_round_trip_through_blocks_and_sdk() {
        let jwt = GrantSettings::JwtBearer {
            issuers: [TokenIssuer {
                trusted_token_issuer_arn: "arn:x".into(),
                authorized_audiences: ["a".to_string(), "b".to_string()].into(),
            }]
            .into(),
        };
        let code = GrantSettings::AuthorizationCode {
            redirect_uris: ["https://b/cb".to_string(), "https://a/cb".to_string()].into(),
        };
        for s in [
            jwt,
            code,
            GrantSettings::RefreshToken,
            GrantSettings::TokenExchange,
        ] {
            assert_eq!(GrantSettings::from_block(&s.to_block()).as_ref(), Some(&s));
            assert_eq!(GrantSettings::from_sdk(&s.to_sdk()).as_ref(), Some(&s));
        }
    }

    #[test]
    fn two_sub_blocks_are_not_settings() {
        let mut block = GrantSettings::RefreshToken.to_block();
        if let Value::Object(m) = &mut block {
            m.insert("token_exchange".into(), Value::Object(BTreeMap::new()));
        }
        assert_eq!(GrantSettings::from_block(&block), None);
    }
}
