//! The in-memory store behind every operation.
//!
//! Plain data guarded by one mutex in the backend; nothing here sleeps or awaits, so the
//! lock is only ever held for the few microseconds a read or write takes.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::grant::GrantType;
use super::grant_slot::GrantSlot;
use super::model;
use super::paging::PageTokens;
use super::resources::{Application, Instance, TrustedTokenIssuer};

/// An application as CreateApplication asks for it.
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// `apl-…` id to use.
    pub id: String,
    /// Name.
    pub name: String,
    /// Provider ARN.
    pub provider_arn: String,
    /// Description.
    pub description: Option<String>,
    /// `ENABLED` / `DISABLED`.
    pub status: String,
    /// `PortalOptions` as received.
    pub portal_options: Option<Value>,
    /// Tags as received.
    pub tags: Vec<Value>,
    /// Creation time in epoch seconds.
    pub created: f64,
}

/// A trusted token issuer as CreateTrustedTokenIssuer asks for it.
#[derive(Debug, Clone)]
pub struct NewTrustedTokenIssuer {
    /// `tti-…` id to use.
    pub id: String,
    /// Name.
    pub name: String,
    /// `OIDC_JWT`.
    pub issuer_type: String,
    /// Configuration union as received.
    pub configuration: Value,
    /// Tags as received.
    pub tags: Vec<Value>,
}

/// Everything the emulated account holds.
#[derive(Debug, Clone)]
pub struct ServiceState {
    /// The instance.
    pub instance: Instance,
    applications: BTreeMap<String, Application>,
    issuers: BTreeMap<String, TrustedTokenIssuer>,
    next_seq: u64,
    client_tokens: HashMap<String, (Value, Value)>,
    /// Page tokens issued by the List operations.
    pub tokens: PageTokens,
}

fn application_not_found(arn: &str) -> ApiError {
    ApiError::not_found(format!("Application {arn} does not exist."))
}

impl ServiceState {
    /// An instance with nothing in it.
    pub fn new(instance: Instance) -> Self {
        Self {
            instance,
            applications: BTreeMap::new(),
            issuers: BTreeMap::new(),
            next_seq: 0,
            client_tokens: HashMap::new(),
            tokens: PageTokens::default(),
        }
    }

    /// True when `arn` is this instance's ARN.
    pub fn is_instance(&self, arn: &str) -> bool {
        self.instance.arn() == arn
    }

    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// The response remembered for an idempotency `key`: `Some(Ok)` when `request` repeats the
    /// first one, `Some(Err(Conflict))` when the key was used for a different request.
    pub fn recall_client_token(
        &self,
        key: &str,
        request: &Value,
    ) -> Option<Result<Value, ApiError>> {
        let (first, response) = self.client_tokens.get(key)?;
        if first == request {
            Some(Ok(response.clone()))
        } else {
            Some(Err(ApiError::conflict(
                "The client token was already used for a different request.",
            )))
        }
    }

    /// Remember the response to an idempotent request.
    pub fn remember_client_token(&mut self, key: String, request: Value, response: Value) {
        self.client_tokens.insert(key, (request, response));
    }

    /// Create an application; fails with ServiceQuotaExceeded past the quota.
    pub fn create_application(&mut self, new: NewApplication) -> Result<String, ApiError> {
        if self.applications.len() >= model::MAX_APPLICATIONS {
            return Err(ApiError::quota_exceeded(format!(
                "The instance already has the maximum of {} applications.",
                model::MAX_APPLICATIONS
            )));
        }
        let arn = self.instance.application_arn(&new.id);
        if self.applications.contains_key(&arn) {
            return Err(ApiError::conflict(format!(
                "Application {arn} already exists."
            )));
        }
        let seq = self.seq();
        self.applications.insert(
            arn.clone(),
            Application {
                arn: arn.clone(),
                seq,
                name: new.name,
                provider_arn: new.provider_arn,
                description: new.description,
                status: new.status,
                portal_options: new.portal_options,
                tags: new.tags,
                created: new.created,
                grants: BTreeMap::new(),
            },
        );
        Ok(arn)
    }

    /// The application with this ARN.
    pub fn application(&self, arn: &str) -> Result<&Application, ApiError> {
        self.applications
            .get(arn)
            .ok_or_else(|| application_not_found(arn))
    }

    fn application_mut(&mut self, arn: &str) -> Result<&mut Application, ApiError> {
        self.applications
            .get_mut(arn)
            .ok_or_else(|| application_not_found(arn))
    }

    /// All applications in creation order.
    pub fn applications(&self) -> Vec<&Application> {
        let mut apps: Vec<&Application> = self.applications.values().collect();
        apps.sort_by_key(|a| a.seq);
        apps
    }

    /// Delete an application together with all of its grants.
    pub fn delete_application(&mut self, arn: &str) -> Result<(), ApiError> {
        self.applications
            .remove(arn)
            .map(|_| ())
            .ok_or_else(|| application_not_found(arn))
    }

    /// Create or replace a grant (visible to readers after `delay`).
    pub fn put_grant(
        &mut self,
        application_arn: &str,
        grant_type: GrantType,
        grant: Value,
        now: Instant,
        delay: Duration,
    ) -> Result<(), ApiError> {
        let app = self.application_mut(application_arn)?;
        app.grants
            .entry(grant_type)
            .or_default()
            .write(Some(grant), now, delay);
        Ok(())
    }

    /// The grant a reader sees at `now`.
    pub fn get_grant(
        &self,
        application_arn: &str,
        grant_type: GrantType,
        now: Instant,
    ) -> Result<Value, ApiError> {
        let app = self.application(application_arn)?;
        app.grants
            .get(&grant_type)
            .and_then(|slot| slot.visible(now))
            .cloned()
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "Grant {} does not exist for application {application_arn}.",
                    grant_type.as_str()
                ))
            })
    }

    /// Delete a grant. An absent grant is ResourceNotFound unless `missing_ok`.
    pub fn delete_grant(
        &mut self,
        application_arn: &str,
        grant_type: GrantType,
        now: Instant,
        delay: Duration,
        missing_ok: bool,
    ) -> Result<(), ApiError> {
        let app = self.application_mut(application_arn)?;
        let exists = app
            .grants
            .get(&grant_type)
            .is_some_and(|slot| slot.current().is_some());
        if !exists {
            return if missing_ok {
                Ok(())
            } else {
                Err(ApiError::not_found(format!(
                    "Grant {} does not exist for application {application_arn}.",
                    grant_type.as_str()
                )))
            };
        }
        if let Some(slot) = app.grants.get_mut(&grant_type) {
            slot.write(None, now, delay);
            if slot.is_vacant(now) {
                app.grants.remove(&grant_type);
            }
        }
        Ok(())
    }

    /// Whether a read at `now` of `grant_type` (or, for `None`, of every
    /// grant of the application) sees anything but the last writes.
    pub fn reads_stale(
        &self,
        application_arn: &str,
        grant_type: Option<GrantType>,
        now: Instant,
    ) -> bool {
        self.any_slot(application_arn, grant_type, |slot| slot.is_stale(now))
    }

    /// Whether a read at `now` of `grant_type` (or, for `None`, of every
    /// grant of the application) still sees a grant that has been deleted.
    pub fn reads_deleted(
        &self,
        application_arn: &str,
        grant_type: Option<GrantType>,
        now: Instant,
    ) -> bool {
        self.any_slot(application_arn, grant_type, |slot| slot.shows_deleted(now))
    }

    /// Whether `test` holds for the slot of `grant_type` (or, for `None`,
    /// for any grant slot of the application).
    fn any_slot(
        &self,
        application_arn: &str,
        grant_type: Option<GrantType>,
        test: impl Fn(&GrantSlot) -> bool,
    ) -> bool {
        self.application(application_arn).is_ok_and(|app| {
            app.grants
                .iter()
                .filter(|(t, _)| grant_type.is_none_or(|wanted| **t == wanted))
                .any(|(_, slot)| test(slot))
        })
    }

    /// The grants a reader sees at `now`, in list order.
    pub fn visible_grants(
        &self,
        application_arn: &str,
        now: Instant,
    ) -> Result<Vec<(GrantType, Value)>, ApiError> {
        let app = self.application(application_arn)?;
        Ok(app
            .grants
            .iter()
            .filter_map(|(t, slot)| slot.visible(now).map(|g| (*t, g.clone())))
            .collect())
    }

    /// Create a trusted token issuer; fails with ServiceQuotaExceeded past the quota.
    pub fn create_trusted_token_issuer(
        &mut self,
        new: NewTrustedTokenIssuer,
    ) -> Result<String, ApiError> {
        if self.issuers.len() >= model::MAX_TRUSTED_TOKEN_ISSUERS {
            return Err(ApiError::quota_exceeded(format!(
                "The instance already has the maximum of {} trusted token issuers.",
                model::MAX_TRUSTED_TOKEN_ISSUERS
            )));
        }
        let arn = self.instance.trusted_token_issuer_arn(&new.id);
        if self.issuers.contains_key(&arn) {
            return Err(ApiError::conflict(format!(
                "Trusted token issuer {arn} already exists."
            )));
        }
        let seq = self.seq();
        self.issuers.insert(
            arn.clone(),
            TrustedTokenIssuer {
                arn: arn.clone(),
                seq,
                name: new.name,
                issuer_type: new.issuer_type,
                configuration: new.configuration,
                tags: new.tags,
            },
        );
        Ok(arn)
    }

    /// The trusted token issuer with this ARN.
    pub fn trusted_token_issuer(&self, arn: &str) -> Result<&TrustedTokenIssuer, ApiError> {
        self.issuers.get(arn).ok_or_else(|| {
            ApiError::not_found(format!("Trusted token issuer {arn} does not exist."))
        })
    }

    /// All trusted token issuers in creation order.
    pub fn trusted_token_issuers(&self) -> Vec<&TrustedTokenIssuer> {
        let mut all: Vec<&TrustedTokenIssuer> = self.issuers.values().collect();
        all.sort_by_key(|i| i.seq);
        all
    }

    /// Delete a trusted token issuer.
    pub fn delete_trusted_token_issuer(&mut self, arn: &str) -> Result<(), ApiError> {
        self.issuers.remove(arn).map(|_| ()).ok_or_else(|| {
            ApiError::not_found(format!("Trusted token issuer {arn} does not exist."))
        })
    }

    /// Everything as the `/_state` endpoint shows it: grants as last written, ignoring
    /// read-after-write invisibility.
    pub fn snapshot(&self) -> Value {
        let applications: Vec<Value> = self
            .applications()
            .into_iter()
            .map(|app| {
                let mut grants = Map::new();
                for (t, slot) in &app.grants {
                    if let Some(g) = slot.current() {
                        grants.insert(t.as_str().to_string(), g.clone());
                    }
                }
                let mut out = app.describe(&self.instance);
                if let Value::Object(o) = &mut out {
                    o.insert("Tags".into(), Value::Array(app.tags.clone()));
                    o.insert("Grants".into(), Value::Object(grants));
                }
                out
            })
            .collect();
        let issuers: Vec<Value> = self
            .trusted_token_issuers()
            .into_iter()
            .map(|i| {
                let mut out = i.describe();
                if let Value::Object(o) = &mut out {
                    o.insert("Tags".into(), Value::Array(i.tags.clone()));
                }
                out
            })
            .collect();
        json!({
            "Instance": self.instance.metadata(),
            "Applications": applications,
            "TrustedTokenIssuers": issuers,
        })
    }
}
