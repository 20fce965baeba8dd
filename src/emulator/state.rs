//! The in-memory store behind every operation.
//!
//! Plain data guarded by one mutex in the backend; nothing here sleeps or awaits, so the
//! lock is only ever held for the few microseconds a read or write takes.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::model;
use super::paging::PageTokens;
use super::resources::{Application, Instance, TrustedTokenIssuer};
use super::slot::{Hiding, Slot, SlotFamily, SlotKey, SlotsRead, Staleness};

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
    /// The moment of creation, from which a lagging listing sees it.
    pub written_at: Instant,
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

/// An application deleted recently enough for a lagging listing to still show it.
#[derive(Debug, Clone)]
struct Removed {
    application: Application,
    removed_at: Instant,
}

/// Everything the emulated account holds.
#[derive(Debug, Clone)]
pub struct ServiceState {
    /// The instance.
    pub instance: Instance,
    /// How far behind the writes the List operations read.
    list_lag: Duration,
    applications: BTreeMap<String, Application>,
    removed_applications: Vec<Removed>,
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
    /// An instance with nothing in it, whose listings read `list_lag` behind the writes.
    pub fn new(instance: Instance, list_lag: Duration) -> Self {
        Self {
            instance,
            list_lag,
            applications: BTreeMap::new(),
            removed_applications: Vec::new(),
            issuers: BTreeMap::new(),
            next_seq: 0,
            client_tokens: HashMap::new(),
            tokens: PageTokens::default(),
        }
    }

    /// The moment a List answered at `now` reads at: `list_lag` earlier. (On a machine up for
    /// less than the lag, the earliest moment the clock can name.)
    pub fn replica_now(&self, now: Instant) -> Instant {
        now.checked_sub(self.list_lag).unwrap_or(now)
    }

    /// True when `arn` is this instance's ARN.
    pub fn is_instance(&self, arn: &str) -> bool {
        self.instance.arn() == arn
    }

    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Runs `create` for `request` to `operation`, at most once per
    /// `client_token`: a request repeating the first one sent with the token
    /// gets the first one's answer, a different request with the same token
    /// is a conflict. Without a token, every request creates.
    pub fn create_once(
        &mut self,
        operation: &str,
        client_token: Option<&str>,
        request: Value,
        create: impl FnOnce(&mut Self) -> Result<Value, ApiError>,
    ) -> Result<Value, ApiError> {
        let Some(token) = client_token else {
            return create(self);
        };
        let key = format!("{operation}/{token}");
        if let Some((first, response)) = self.client_tokens.get(&key) {
            return if *first == request {
                Ok(response.clone())
            } else {
                Err(ApiError::conflict(
                    "The client token was already used for a different request.",
                ))
            };
        }
        let response = create(self)?;
        self.client_tokens.insert(key, (request, response.clone()));
        Ok(response)
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
                written_at: new.written_at,
                slots: BTreeMap::new(),
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

    /// The applications a List answered at `now` shows, in creation order: those created and
    /// not deleted by the moment it reads at.
    pub fn listed_applications(&self, now: Instant) -> Vec<&Application> {
        let at = self.replica_now(now);
        let mut apps: Vec<&Application> = self
            .applications
            .values()
            .chain(
                self.removed_applications
                    .iter()
                    .filter(|r| r.removed_at > at)
                    .map(|r| &r.application),
            )
            .filter(|a| a.written_at <= at)
            .collect();
        apps.sort_by_key(|a| a.seq);
        apps
    }

    /// Delete an application together with all of its grants and authentication methods (a
    /// lagging listing shows it until it catches up).
    pub fn delete_application(&mut self, arn: &str, now: Instant) -> Result<(), ApiError> {
        let application = self
            .applications
            .remove(arn)
            .ok_or_else(|| application_not_found(arn))?;
        let horizon = self.replica_now(now);
        self.removed_applications.retain(|r| r.removed_at > horizon);
        if !self.list_lag.is_zero() {
            self.removed_applications.push(Removed {
                application,
                removed_at: now,
            });
        }
        Ok(())
    }

    /// Write `value` into the slot `key` of an application (hidden from readers as `hiding`
    /// says), written by the operation `writer`; whether it replaced a value another operation
    /// wrote.
    pub fn put_slot(
        &mut self,
        application_arn: &str,
        key: SlotKey,
        value: Value,
        writer: Option<&str>,
        now: Instant,
        hiding: Hiding,
    ) -> Result<bool, ApiError> {
        let horizon = self.replica_now(now);
        let app = self.application_mut(application_arn)?;
        let slot = app.slots.entry(key).or_default();
        let overwrote = slot.would_overwrite(writer);
        slot.write_by(Some(value), writer, now, hiding, horizon);
        Ok(overwrote)
    }

    /// The value of slot `key` a reader sees at `now`, if any (the read is counted).
    pub fn get_slot(
        &mut self,
        application_arn: &str,
        key: SlotKey,
        now: Instant,
    ) -> Result<Option<Value>, ApiError> {
        let app = self.application_mut(application_arn)?;
        let slot = app.slots.get_mut(&key);
        let seen = slot.as_ref().and_then(|slot| slot.visible(now)).cloned();
        if let Some(slot) = slot {
            slot.count_read(now);
        }
        Ok(seen)
    }

    /// Empty slot `key`; whether it held a value (writers see every write at once, so this
    /// does not depend on what readers still see).
    pub fn delete_slot(
        &mut self,
        application_arn: &str,
        key: SlotKey,
        now: Instant,
        hiding: Hiding,
    ) -> Result<bool, ApiError> {
        let horizon = self.replica_now(now);
        let app = self.application_mut(application_arn)?;
        let Some(slot) = app.slots.get_mut(&key).filter(|s| s.current().is_some()) else {
            return Ok(false);
        };
        slot.write(None, now, hiding, horizon);
        if slot.is_vacant(horizon) {
            app.slots.remove(&key);
        }
        Ok(true)
    }

    /// How far behind the writes a read at `now` of `read` is, for the
    /// statistics.
    pub fn staleness(&self, application_arn: &str, read: SlotsRead, now: Instant) -> Staleness {
        Staleness {
            stale: self.any_slot(application_arn, read, |slot| slot.is_stale(now)),
            shows_deleted: self.any_slot(application_arn, read, |slot| slot.shows_deleted(now)),
        }
    }

    /// Whether `test` holds for any slot of the application that `read` covers.
    fn any_slot(
        &self,
        application_arn: &str,
        read: SlotsRead,
        test: impl Fn(&Slot) -> bool,
    ) -> bool {
        self.application(application_arn).is_ok_and(|app| {
            app.slots
                .iter()
                .filter(|(key, _)| read.covers(**key))
                .any(|(_, slot)| test(slot))
        })
    }

    /// Counts a listing's read, made at `at`, of every slot of `family`.
    pub fn count_list_read(&mut self, application_arn: &str, family: SlotFamily, at: Instant) {
        if let Ok(app) = self.application_mut(application_arn) {
            for (_, slot) in app.slots.iter_mut().filter(|(k, _)| k.family() == family) {
                slot.count_read(at);
            }
        }
    }

    /// The values of `family` a reader reading at `now` sees, in list order (a List reads at
    /// [`ServiceState::replica_now`]).
    pub fn visible_slots(
        &self,
        application_arn: &str,
        family: SlotFamily,
        now: Instant,
    ) -> Result<Vec<(SlotKey, Value)>, ApiError> {
        let app = self.application(application_arn)?;
        Ok(app
            .slots
            .iter()
            .filter(|(key, _)| key.family() == family)
            .filter_map(|(key, slot)| slot.visible(now).map(|v| (*key, v.clone())))
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

    /// Everything as the `/_state` endpoint shows it: grants and authentication methods as
    /// last written, ignoring read-after-write invisibility.
    pub fn snapshot(&self) -> Value {
        let applications: Vec<Value> = self
            .applications()
            .into_iter()
            .map(|app| {
                let mut grants = Map::new();
                let mut authentication_methods = Map::new();
                for (key, slot) in &app.slots {
                    let Some(value) = slot.current() else {
                        continue;
                    };
                    let family = match key.family() {
                        SlotFamily::Grants => &mut grants,
                        SlotFamily::AuthenticationMethods => &mut authentication_methods,
                    };
                    family.insert(key.type_name().to_string(), value.clone());
                }
                let mut out = app.describe(&self.instance);
                if let Value::Object(o) = &mut out {
                    o.insert("Tags".into(), Value::Array(app.tags.clone()));
                    o.insert("Grants".into(), Value::Object(grants));
                    o.insert(
                        "AuthenticationMethods".into(),
                        Value::Object(authentication_methods),
                    );
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
