//! The mapping between the grant domain types and the SDK's shapes.

use aws_sdk_ssoadmin::types as sdk;

use super::domain::{GrantSettings, GrantType, TokenIssuer};

/// The SDK's name for a grant type.
pub(crate) fn sdk_grant_type(t: GrantType) -> sdk::GrantType {
    match t {
        GrantType::AuthorizationCode => sdk::GrantType::AuthorizationCode,
        GrantType::RefreshToken => sdk::GrantType::RefreshToken,
        GrantType::JwtBearer => sdk::GrantType::JwtBearer,
        GrantType::TokenExchange => sdk::GrantType::TokenExchange,
    }
}

/// The SDK union member to send.
pub(crate) fn to_sdk(settings: &GrantSettings) -> sdk::Grant {
    match settings {
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
pub(crate) fn from_sdk(grant: &sdk::Grant) -> Option<GrantSettings> {
    Some(match grant {
        sdk::Grant::AuthorizationCode(g) => GrantSettings::AuthorizationCode {
            redirect_uris: g.redirect_uris().iter().cloned().collect(),
        },
        sdk::Grant::JwtBearer(g) => GrantSettings::JwtBearer {
            // An issuer without its ARN is not a shape this provider can
            // hold: the grant is unrecognised rather than read as "".
            issuers: g
                .authorized_token_issuers()
                .iter()
                .map(|i| {
                    Some(TokenIssuer {
                        trusted_token_issuer_arn: i.trusted_token_issuer_arn()?.to_string(),
                        authorized_audiences: i.authorized_audiences().iter().cloned().collect(),
                    })
                })
                .collect::<Option<_>>()?,
        },
        sdk::Grant::RefreshToken(_) => GrantSettings::RefreshToken,
        sdk::Grant::TokenExchange(_) => GrantSettings::TokenExchange,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_sdk() {
        for s in GrantSettings::one_of_each() {
            assert_eq!(from_sdk(&to_sdk(&s)).as_ref(), Some(&s));
        }
    }

    #[test]
    fn an_issuer_without_its_arn_is_not_read_as_an_empty_one() {
        let issuer = sdk::AuthorizedTokenIssuer::builder()
            .set_authorized_audiences(Some(vec!["a".to_string()]))
            .build();
        let grant = sdk::Grant::JwtBearer(
            sdk::JwtBearerGrant::builder()
                .set_authorized_token_issuers(Some(vec![issuer]))
                .build(),
        );
        assert_eq!(from_sdk(&grant), None);
    }
}
