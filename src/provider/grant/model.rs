//! The typed models of every grant schema (the resource, its `grant` block,
//! both data sources), and their mapping to and from the domain types.
//! Each attribute name is written once, as a field name.

use std::collections::BTreeSet;

use super::domain::{example_id, GrantKey, GrantSettings, GrantType, TokenIssuer};
use super::validation::{self as rules, GrantWords};
use crate::framework::{Field, IntoValue};
use crate::object_model;
use crate::value::Value;

object_model! {
    /// A grant that lets an IAM Identity Center application obtain tokens.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantResourceModel {
        /// `<application_arn>,<grant_type>`; also the import ID.
        [computed, use_state_for_unknown] pub id: Field<String> = ID,
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required, requires_replace, validate(rules::application_arn())]
        pub application_arn: Field<String> = APPLICATION_ARN,
        /// `authorization_code`, `refresh_token`,
        /// `urn:ietf:params:oauth:grant-type:jwt-bearer` or
        /// `urn:ietf:params:oauth:grant-type:token-exchange`.
        [required, requires_replace, validate(rules::grant_type(GRANT_WORDS))]
        pub grant_type: Field<String> = GRANT_TYPE,
        /// The grant's settings.
        [block_single(1, 1), validate(rules::one_sub_block(GRANT_WORDS)), validate(rules::the_sub_block_for_grant_type(GRANT_WORDS))]
        pub grant: Field<GrantBlock> = GRANT,
    }
}

object_model! {
    /// The grant's settings: exactly one sub-block, the one matching `grant_type`.
    #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
    pub struct GrantBlock {
        /// Settings for `grant_type = "authorization_code"`.
        [block_single(0, 0)] pub authorization_code: Field<AuthorizationCodeBlock> = AUTHORIZATION_CODE,
        /// Settings for `grant_type = "urn:ietf:params:oauth:grant-type:jwt-bearer"`.
        [block_single(0, 0)] pub jwt_bearer: Field<JwtBearerBlock> = JWT_BEARER,
        /// Marks a `refresh_token` grant; it has no settings.
        [block_single(0, 0)] pub refresh_token: Field<NoSettings> = REFRESH_TOKEN,
        /// Marks a `urn:ietf:params:oauth:grant-type:token-exchange` grant; it has no settings.
        [block_single(0, 0)] pub token_exchange: Field<NoSettings> = TOKEN_EXCHANGE,
    }
}

object_model! {
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub struct AuthorizationCodeBlock {
        /// Absolute redirect URIs: 1 to 10.
        [required, validate(rules::redirect_uri_count()), validate(rules::redirect_uris())]
        pub redirect_uris: Field<BTreeSet<Field<String>>> = REDIRECT_URIS,
    }
}

object_model! {
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub struct JwtBearerBlock {
        /// Trusted token issuers whose JWTs the application may exchange: 1 to 10.
        [block_set(1, 10), validate(rules::issuer_count())]
        pub authorized_token_issuers: Field<BTreeSet<IssuerBlock>> = AUTHORIZED_TOKEN_ISSUERS,
    }
}

object_model! {
    /// A trusted token issuer whose JWTs the application may exchange.
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub struct IssuerBlock {
        /// ARN of the trusted token issuer,
        /// `arn:aws:sso::<account>:trustedTokenIssuer/ssoins-<16>/tti-<UUID>`.
        [required, validate(rules::issuer_arn(Self::TRUSTED_TOKEN_ISSUER_ARN))]
        pub trusted_token_issuer_arn: Field<String> = TRUSTED_TOKEN_ISSUER_ARN,
        /// Accepted `aud` claim values: 1 to 10 strings of 1 to 512 characters.
        [required, validate(rules::audience_count(Self::AUTHORIZED_AUDIENCES, Self::TRUSTED_TOKEN_ISSUER_ARN)),
         validate(rules::audiences(Self::TRUSTED_TOKEN_ISSUER_ARN))]
        pub authorized_audiences: Field<BTreeSet<Field<String>>> = AUTHORIZED_AUDIENCES,
    }
}

object_model! {
    #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
    pub struct NoSettings {}
}

object_model! {
    /// Reads one grant of an application.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantDataModel {
        /// `<application_arn>,<grant_type>`, the ID the resource would have.
        [computed] pub id: Field<String> = ID,
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required, validate(rules::application_arn())] pub application_arn: Field<String> = APPLICATION_ARN,
        /// The grant type to read (see the resource's `grant_type`).
        [required, validate(rules::grant_type(GRANT_WORDS))] pub grant_type: Field<String> = GRANT_TYPE,
        /// The grant's settings, in the shape of the resource's `grant` block:
        /// the member matching `grant_type` is set, the others are null.
        [computed] pub grant: Field<GrantBlock> = GRANT,
    }
}

object_model! {
    /// Reads every grant of an application.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantsDataModel {
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required, validate(rules::application_arn())] pub application_arn: Field<String> = APPLICATION_ARN,
        /// The application's grants, ordered by grant type (`authorization_code`,
        /// `refresh_token`, jwt-bearer, token-exchange).
        [computed] pub grants: Field<Vec<GrantItem>> = GRANTS,
    }
}

object_model! {
    /// One grant of an application.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantItem {
        /// The grant type.
        [computed] pub grant_type: Field<String> = GRANT_TYPE,
        /// The grant's settings, in the shape of the resource's `grant` block.
        [computed] pub grant: Field<GrantBlock> = GRANT,
    }
}

object_model! {
    /// What identifies a grant: its application and its grant type.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantIdentityModel {
        /// ARN of the application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [required] pub application_arn: Field<String> = APPLICATION_ARN,
        /// The grant type (see the resource's `grant_type`).
        [required] pub grant_type: Field<String> = GRANT_TYPE,
    }
}

object_model! {
    /// Lists the grants of one application, or of every application of an Identity Center
    /// instance. The `config` block takes exactly one of `application_arn` or `instance_arn`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct GrantListConfig {
        /// List every grant of this application, `arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>`.
        [optional, validate(rules::application_arn())] pub application_arn: Field<String> = APPLICATION_ARN,
        /// List every grant of every application of this Identity Center instance,
        /// `arn:aws:sso:::instance/ssoins-<16>`.
        [optional, validate(rules::instance_arn())] pub instance_arn: Field<String> = INSTANCE_ARN,
    }
}

/// How the grant schemas name a grant's type and its settings block, for
/// messages about them.
pub(crate) const GRANT_WORDS: GrantWords = GrantWords {
    grant_type: GrantResourceModel::GRANT_TYPE,
    grant: GrantResourceModel::GRANT,
    member_name: GrantBlock::member_name,
};

/// How a grant ID is written: `<application_arn>,<grant_type>`.
pub(crate) fn id_form() -> String {
    format!(
        "<{}>,<{}>",
        GrantIdentityModel::APPLICATION_ARN,
        GrantIdentityModel::GRANT_TYPE
    )
}

/// How a grant ID is written, for messages about one that is not.
pub(crate) fn id_form_help() -> String {
    format!(
        "Expected \"{}\", e.g. {:?}; {} is one of {}.",
        id_form(),
        example_id(),
        GrantIdentityModel::GRANT_TYPE,
        GrantType::valid_values()
    )
}

/// Why `text` is not a grant type, in the schema's words.
pub(crate) fn grant_type_detail(text: &str) -> String {
    rules::grant_type_detail(text, GRANT_WORDS)
}

impl GrantIdentityModel {
    /// The identity of the grant `key`.
    pub(crate) fn of(key: &GrantKey) -> Self {
        Self {
            application_arn: Field::Known(key.application_arn.clone()),
            grant_type: Field::Known(key.grant_type.as_str().to_string()),
        }
    }
}

impl GrantBlock {
    /// Name of the sub-block that configures `grant_type`.
    pub(crate) fn member_name(grant_type: GrantType) -> &'static str {
        match grant_type {
            GrantType::AuthorizationCode => Self::AUTHORIZATION_CODE,
            GrantType::RefreshToken => Self::REFRESH_TOKEN,
            GrantType::JwtBearer => Self::JWT_BEARER,
            GrantType::TokenExchange => Self::TOKEN_EXCHANGE,
        }
    }

    /// Each sub-block with the grant type it configures, its body as a value.
    pub fn members(&self) -> [(GrantType, Field<Value>); 4] {
        fn body<T: Clone + IntoValue>(f: &Field<T>) -> Field<Value> {
            match f {
                Field::Null => Field::Null,
                Field::Unknown => Field::Unknown,
                Field::Known(v) => Field::Known(v.clone().into_value()),
            }
        }
        [
            (GrantType::AuthorizationCode, body(&self.authorization_code)),
            (GrantType::RefreshToken, body(&self.refresh_token)),
            (GrantType::JwtBearer, body(&self.jwt_bearer)),
            (GrantType::TokenExchange, body(&self.token_exchange)),
        ]
    }

    /// The settings, when exactly one sub-block is set and every value in
    /// it is known (validation reports everything else).
    pub fn settings(&self) -> Option<GrantSettings> {
        let mut set = self
            .members()
            .into_iter()
            .filter(|(_, body)| !body.is_null())
            .map(|(t, _)| t);
        let grant_type = set.next()?;
        if set.next().is_some() {
            return None;
        }
        Some(match grant_type {
            GrantType::AuthorizationCode => GrantSettings::AuthorizationCode {
                redirect_uris: known_strings(&self.authorization_code.known()?.redirect_uris)?,
            },
            GrantType::JwtBearer => {
                let issuers = self.jwt_bearer.known()?.authorized_token_issuers.known()?;
                GrantSettings::JwtBearer {
                    issuers: issuers
                        .iter()
                        .map(|i| {
                            Some(TokenIssuer {
                                trusted_token_issuer_arn: i
                                    .trusted_token_issuer_arn
                                    .known()?
                                    .clone(),
                                authorized_audiences: known_strings(&i.authorized_audiences)?,
                            })
                        })
                        .collect::<Option<_>>()?,
                }
            }
            GrantType::RefreshToken => GrantSettings::RefreshToken,
            GrantType::TokenExchange => GrantSettings::TokenExchange,
        })
    }
}

impl From<&GrantSettings> for GrantBlock {
    fn from(settings: &GrantSettings) -> Self {
        let strings = |items: &BTreeSet<String>| {
            Field::Known(items.iter().cloned().map(Field::Known).collect())
        };
        let mut block = GrantBlock::default();
        match settings {
            GrantSettings::AuthorizationCode { redirect_uris } => {
                block.authorization_code = Field::Known(AuthorizationCodeBlock {
                    redirect_uris: strings(redirect_uris),
                });
            }
            GrantSettings::JwtBearer { issuers } => {
                block.jwt_bearer = Field::Known(JwtBearerBlock {
                    authorized_token_issuers: Field::Known(
                        issuers
                            .iter()
                            .map(|i| IssuerBlock {
                                trusted_token_issuer_arn: Field::Known(
                                    i.trusted_token_issuer_arn.clone(),
                                ),
                                authorized_audiences: strings(&i.authorized_audiences),
                            })
                            .collect(),
                    ),
                });
            }
            GrantSettings::RefreshToken => block.refresh_token = Field::Known(NoSettings {}),
            GrantSettings::TokenExchange => block.token_exchange = Field::Known(NoSettings {}),
        }
        block
    }
}

fn known_strings(field: &Field<BTreeSet<Field<String>>>) -> Option<BTreeSet<String>> {
    field.known()?.iter().map(|s| s.known().cloned()).collect()
}

impl GrantResourceModel {
    /// The state of a grant: its key and, when known, its settings (an
    /// import starts with the key alone, and the read fills the rest).
    pub fn state(key: &GrantKey, settings: Option<&GrantSettings>) -> Self {
        Self {
            id: Field::Known(key.id()),
            application_arn: Field::Known(key.application_arn.clone()),
            grant_type: Field::Known(key.grant_type.as_str().to_string()),
            grant: settings.map(GrantBlock::from).into(),
        }
    }

    /// The grant's key, when both parts are known and valid.
    pub fn key(&self) -> Option<GrantKey> {
        Some(GrantKey {
            application_arn: self.application_arn.known()?.clone(),
            grant_type: GrantType::parse(self.grant_type.known()?)?,
        })
    }
}

impl GrantItem {
    /// One listed grant.
    pub fn new(settings: &GrantSettings) -> Self {
        Self {
            grant_type: Field::Known(settings.grant_type().as_str().to_string()),
            grant: Field::Known(GrantBlock::from(settings)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::conversion::from_root;

    #[test]
    fn settings_round_trip_through_blocks() {
        for s in GrantSettings::one_of_each() {
            let block = GrantBlock::from(&s);
            assert_eq!(block.settings().as_ref(), Some(&s));
            let value = block.clone().into_value();
            assert_eq!(from_root::<GrantBlock>(&value).expect("fits"), block);
        }
    }

    #[test]
    fn two_sub_blocks_are_not_settings() {
        let mut block = GrantBlock::from(&GrantSettings::RefreshToken);
        block.token_exchange = Field::Known(NoSettings {});
        assert_eq!(block.settings(), None);
    }

    #[test]
    fn the_resource_schema_has_the_designed_shape() {
        let block = GrantResourceModel::schema_block();
        let names: Vec<_> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["id", "application_arn", "grant_type"]);
        let replaced: Vec<_> = block
            .attributes
            .iter()
            .filter(|a| a.requires_replace)
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(replaced, ["application_arn", "grant_type"]);
        let grant = block.find_block("grant").expect("grant block");
        assert_eq!((grant.min_items, grant.max_items), (1, 1));
        for t in GrantType::ALL {
            let member = grant
                .block
                .find_block(GrantBlock::member_name(t))
                .expect("member");
            assert!(
                !member.block.description.is_empty(),
                "{t} has a description"
            );
        }
    }

    #[test]
    fn grant_type_hint_for_block_names() {
        // The hint's own sentence: the valid values are listed anyway.
        let d = grant_type_detail("jwt_bearer");
        assert!(
            d.ends_with(
                "\"jwt_bearer\" is the name of the grant sub-block; grant_type takes the full \
                 value \"urn:ietf:params:oauth:grant-type:jwt-bearer\"."
            ),
            "{d}"
        );
        let d = grant_type_detail("token-exchange");
        assert!(
            d.ends_with(
                "grant_type takes the full value \"urn:ietf:params:oauth:grant-type:token-exchange\"."
            ),
            "{d}"
        );
        let d = grant_type_detail(" refresh_token");
        assert!(d.ends_with(" Remove the surrounding whitespace."), "{d}");
        let d = grant_type_detail("client_credentials");
        assert!(d.ends_with("got \"client_credentials\"."), "no hint: {d}");
    }
}
