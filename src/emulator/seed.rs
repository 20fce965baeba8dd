//! Resources the emulator holds from the start (and again after `POST /_reset`).
//!
//! The seed file is JSON; every field is optional:
//!
//! ```json
//! {
//!   "account_id": "123456789012",
//!   "instance_id": "ssoins-1111222233334444",
//!   "applications": [
//!     {"name": "web", "id": "apl-1111222233334444", "description": "demo app"}
//!   ],
//!   "trusted_token_issuers": [
//!     {"name": "corp-idp", "id": "tti-0123abcd-0123-4abc-8def-0123456789ab",
//!      "issuer_url": "https://idp.example.com", "claim_attribute_path": "email",
//!      "identity_store_attribute_path": "emails.value"}
//!   ],
//!   "grants": [
//!     {"application": "web", "grant_type": "refresh_token", "grant": {"RefreshToken": {}}}
//!   ],
//!   "authentication_methods": [
//!     {"application": "web", "authentication_method_type": "IAM",
//!      "authentication_method": {"Iam": {"ActorPolicy": {
//!        "Version": "2012-10-17",
//!        "Statement": [{"Effect": "Allow", "Action": "sso-oauth:CreateTokenWithIAM",
//!                       "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"},
//!                       "Resource": "*"}]}}}}
//!   ]
//! }
//! ```
//!
//! Ids default to random ones; application `provider_arn` defaults to the custom OAuth
//! provider. Grants and authentication methods name their application by `name` and are
//! checked like PutApplicationGrant and PutApplicationAuthenticationMethod (so a seeded
//! policy is stored re-serialised, as one that was put).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The seed as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Account owning the instance (overrides the configured one).
    #[serde(default)]
    pub account_id: Option<String>,
    /// Instance id, `ssoins-` + 16 characters (overrides the configured one).
    #[serde(default)]
    pub instance_id: Option<String>,
    /// Applications to create.
    #[serde(default)]
    pub applications: Vec<SeedApplication>,
    /// Trusted token issuers to create.
    #[serde(default)]
    pub trusted_token_issuers: Vec<SeedTrustedTokenIssuer>,
    /// Grants to put.
    #[serde(default)]
    pub grants: Vec<SeedGrant>,
    /// Authentication methods to put.
    #[serde(default)]
    pub authentication_methods: Vec<SeedAuthenticationMethod>,
}

/// One seeded application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedApplication {
    /// Application name (1–100 characters); also how seeded grants refer to it.
    pub name: String,
    /// Application id, `apl-` + 16 alphanumerics.
    #[serde(default)]
    pub id: Option<String>,
    /// Description (1–128 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// Application provider ARN; the custom OAuth provider when absent.
    #[serde(default)]
    pub provider_arn: Option<String>,
}

/// One seeded trusted token issuer (always of type `OIDC_JWT`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedTrustedTokenIssuer {
    /// Issuer name (`[\w+=,.@-]+`, 1–255 characters).
    pub name: String,
    /// Issuer id, `tti-` + a lowercase UUID.
    #[serde(default)]
    pub id: Option<String>,
    /// OIDC issuer URL; `https://<name>.idp.example.com` when absent.
    #[serde(default)]
    pub issuer_url: Option<String>,
    /// JWT claim that identifies the user; `email` when absent.
    #[serde(default)]
    pub claim_attribute_path: Option<String>,
    /// Identity store attribute the claim maps to; `emails.value` when absent.
    #[serde(default)]
    pub identity_store_attribute_path: Option<String>,
}

/// One seeded grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGrant {
    /// Name of a seeded application.
    pub application: String,
    /// Grant type wire string.
    pub grant_type: String,
    /// The `Grant` union as PutApplicationGrant would receive it.
    pub grant: Value,
}

/// One seeded authentication method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAuthenticationMethod {
    /// Name of a seeded application.
    pub application: String,
    /// Authentication method type wire string (`IAM`).
    pub authentication_method_type: String,
    /// The `AuthenticationMethod` union as PutApplicationAuthenticationMethod would receive it.
    pub authentication_method: Value,
}

impl Seed {
    /// Read a seed file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read seed file {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("seed file {} is not valid: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let text = r#"{"account_id":"123456789012","instance_id":"ssoins-1111222233334444",
          "applications":[{"name":"web","id":"apl-1111222233334444"}],
          "trusted_token_issuers":[{"name":"corp-idp"}],
          "grants":[{"application":"web","grant_type":"refresh_token","grant":{"RefreshToken":{}}}],
          "authentication_methods":[{"application":"web","authentication_method_type":"IAM",
            "authentication_method":{"Iam":{"ActorPolicy":{"Statement":[]}}}}]}"#;
        let seed: Seed = serde_json::from_str(text).unwrap();
        assert_eq!(seed.applications[0].name, "web");
        assert_eq!(seed.grants.len(), 1);
        assert_eq!(
            seed.authentication_methods[0].authentication_method_type,
            "IAM"
        );
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<Seed>(r#"{"apps":[]}"#).is_err());
    }
}
