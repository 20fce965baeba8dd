//! The resources an Identity Center instance holds, and how the service renders them.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::slot::{Slot, SlotKey};

/// Seconds since the Unix epoch, with millisecond fractions, as AWS JSON timestamps are sent.
pub fn epoch_seconds_now() -> f64 {
    chrono::Utc::now().timestamp_millis() as f64 / 1000.0
}

fn timestamp(seconds: f64) -> Value {
    serde_json::Number::from_f64(seconds)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The one Identity Center instance of the emulated account.
#[derive(Debug, Clone)]
pub struct Instance {
    /// `ssoins-…`
    pub id: String,
    /// Owning account.
    pub account_id: String,
    /// `d-…` id of the attached identity store.
    pub identity_store_id: String,
    /// Home region.
    pub region: String,
    /// Creation time in epoch seconds.
    pub created: f64,
}

impl Instance {
    /// `arn:aws:sso:::instance/<id>` (instance ARNs carry no account).
    pub fn arn(&self) -> String {
        format!("arn:aws:sso:::instance/{}", self.id)
    }

    /// ARN of the attached identity store.
    pub fn identity_store_arn(&self) -> String {
        format!(
            "arn:aws:identitystore::{}:identitystore/{}",
            self.account_id, self.identity_store_id
        )
    }

    /// ARN of an application of this instance with the given `apl-…` id.
    pub fn application_arn(&self, application_id: &str) -> String {
        format!(
            "arn:aws:sso::{}:application/{}/{application_id}",
            self.account_id, self.id
        )
    }

    /// ARN of a trusted token issuer of this instance with the given `tti-…` id.
    pub fn trusted_token_issuer_arn(&self, issuer_id: &str) -> String {
        format!(
            "arn:aws:sso::{}:trustedTokenIssuer/{}/{issuer_id}",
            self.account_id, self.id
        )
    }

    /// `InstanceMetadata` as ListInstances returns it.
    pub fn metadata(&self) -> Value {
        json!({
            "InstanceArn": self.arn(),
            "IdentityStoreId": self.identity_store_id,
            "IdentityStoreArn": self.identity_store_arn(),
            "OwnerAccountId": self.account_id,
            "Name": "emulated-instance",
            "CreatedDate": timestamp(self.created),
            "Status": "ACTIVE",
            "PrimaryRegion": self.region,
        })
    }
}

/// An application, its grants and its authentication methods.
#[derive(Debug, Clone)]
pub struct Application {
    /// Full ARN.
    pub arn: String,
    /// Creation order, for deterministic listing.
    pub seq: u64,
    /// Display name.
    pub name: String,
    /// Provider ARN (custom OAuth apps: `…:applicationProvider/custom`).
    pub provider_arn: String,
    /// Optional description.
    pub description: Option<String>,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    /// `PortalOptions` as received.
    pub portal_options: Option<Value>,
    /// Tags as received.
    pub tags: Vec<Value>,
    /// Creation time in epoch seconds.
    pub created: f64,
    /// The moment of creation, from which a lagging listing shows it.
    pub written_at: std::time::Instant,
    /// Its grants and authentication methods, one slot per type (deleted with it).
    pub slots: BTreeMap<SlotKey, Slot>,
}

impl Application {
    /// The `Application` / DescribeApplication output shape.
    pub fn describe(&self, instance: &Instance) -> Value {
        let mut out = Map::new();
        out.insert("ApplicationArn".into(), json!(self.arn));
        out.insert("ApplicationProviderArn".into(), json!(self.provider_arn));
        out.insert("Name".into(), json!(self.name));
        out.insert("ApplicationAccount".into(), json!(instance.account_id));
        out.insert("InstanceArn".into(), json!(instance.arn()));
        out.insert(
            "IdentityStoreArn".into(),
            json!(instance.identity_store_arn()),
        );
        out.insert("Status".into(), json!(self.status));
        if let Some(portal) = &self.portal_options {
            out.insert("PortalOptions".into(), portal.clone());
        }
        if let Some(description) = &self.description {
            out.insert("Description".into(), json!(description));
        }
        out.insert("CreatedDate".into(), timestamp(self.created));
        out.insert("CreatedFrom".into(), json!(instance.region));
        Value::Object(out)
    }
}

/// A trusted token issuer.
#[derive(Debug, Clone)]
pub struct TrustedTokenIssuer {
    /// Full ARN.
    pub arn: String,
    /// Creation order, for deterministic listing.
    pub seq: u64,
    /// Name.
    pub name: String,
    /// `OIDC_JWT`.
    pub issuer_type: String,
    /// `TrustedTokenIssuerConfiguration` as received.
    pub configuration: Value,
    /// Tags as received.
    pub tags: Vec<Value>,
}

impl TrustedTokenIssuer {
    /// `TrustedTokenIssuerMetadata` as ListTrustedTokenIssuers returns it.
    pub fn metadata(&self) -> Value {
        json!({
            "TrustedTokenIssuerArn": self.arn,
            "Name": self.name,
            "TrustedTokenIssuerType": self.issuer_type,
        })
    }

    /// DescribeTrustedTokenIssuer output.
    pub fn describe(&self) -> Value {
        json!({
            "TrustedTokenIssuerArn": self.arn,
            "Name": self.name,
            "TrustedTokenIssuerType": self.issuer_type,
            "TrustedTokenIssuerConfiguration": self.configuration,
        })
    }
}
