//! What an emulator instance is started with.

use std::time::Duration;

pub use super::scripted::ScriptedFault;

use super::secret::Secret;
use super::seed::Seed;

/// Access key id of the demo credentials the emulator accepts when none are configured.
pub const DEMO_ACCESS_KEY_ID: &str = "AKIAIDCEMULATORDEMO1";
/// Secret access key of the demo credentials.
pub const DEMO_SECRET_ACCESS_KEY: &str = "identitycenter-emulator-demo-secret";
/// AWS account that owns the emulated instance unless configured otherwise.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// Region reported as the instance's home and as `CreatedFrom`.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Grants, authentication methods (and other items) per List page unless configured
/// otherwise; small so that
/// clients exercise paging.
pub const DEFAULT_PAGE_SIZE: usize = 2;
/// AWS's documented collective limit for Identity Center APIs, in requests per second.
pub const AWS_COLLECTIVE_TPS: f64 = 20.0;

/// A key pair (and optional session token) whose signatures the emulator accepts.
/// `Debug` shows the access key id only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The access key id named in the signature's credential scope.
    pub access_key_id: String,
    /// The secret that signatures are checked against.
    pub secret_access_key: Secret,
    /// When set, requests with this key must carry exactly this `x-amz-security-token`;
    /// when `None`, they must carry none (AWS rejects a token on a long-term key).
    pub session_token: Option<Secret>,
}

impl Credential {
    /// A key pair without a required session token.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: None,
        }
    }

    /// The documented demo pair.
    pub fn demo() -> Self {
        Self::new(DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY)
    }

    /// Parse `AKID:SECRET` or `AKID:SECRET:SESSION_TOKEN`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.splitn(3, ':');
        let akid = parts.next().unwrap_or_default();
        let secret = parts.next().unwrap_or_default();
        if akid.is_empty() || secret.is_empty() {
            // The text may hold a secret: name its shape, not its content.
            return Err(format!(
                "credentials must look like AKID:SECRET or AKID:SECRET:SESSION_TOKEN; got {} \
                 characters with {} colon(s)",
                text.chars().count(),
                text.matches(':').count()
            ));
        }
        Ok(Self {
            access_key_id: akid.to_string(),
            secret_access_key: Secret::new(secret),
            session_token: parts.next().filter(|t| !t.is_empty()).map(Secret::new),
        })
    }
}

/// A role the emulator lets callers assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumableRole {
    /// `arn:aws:iam::ACCOUNT:role/NAME`.
    pub arn: String,
    /// The external id its trust policy requires, if any.
    pub external_id: Option<String>,
}

impl AssumableRole {
    /// Parses `ROLE_ARN` or `ROLE_ARN#EXTERNAL_ID` (`#` cannot occur in a role ARN).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (arn, external_id) = match text.split_once('#') {
            Some((arn, id)) if !id.is_empty() => (arn, Some(id.to_string())),
            Some(_) => return Err(format!("{text:?}: nothing follows '#'")),
            None => (text, None),
        };
        if !is_role_arn(arn) {
            return Err(format!(
                "{text:?}: expected arn:aws:iam::<12-digit account>:role/<name>[#<external id>]"
            ));
        }
        Ok(Self {
            arn: arn.to_string(),
            external_id,
        })
    }
}

pub(super) fn is_role_arn(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
        return false;
    };
    let Some((account, name)) = rest.split_once(":role/") else {
        return false;
    };
    account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
}

/// Faults injected into AWS operations (never into the inspection endpoints).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    /// Share of calls answered with `ThrottlingException` (0.0–1.0).
    pub throttle_rate: f64,
    /// Share of calls answered with `InternalServerException` (0.0–1.0).
    pub internal_error_rate: f64,
    /// Share of valid write calls that model it answered with `ConflictException` (0.0–1.0).
    pub conflict_rate: f64,
    /// Share of calls answered with `AccessDeniedException` (0.0–1.0).
    pub access_denied_rate: f64,
    /// Latency added to every call.
    pub latency: Duration,
    /// Extra random latency, uniform in `0..=latency_jitter`.
    pub latency_jitter: Duration,
    /// Token-bucket limit in requests per second; `None` for unlimited.
    pub rate_limit_tps: Option<f64>,
    /// How long a grant or authentication method write stays invisible to Get and List.
    pub invisible_for: Duration,
    /// How many Get or List reads of a grant (or authentication method) still see it as it
    /// was before a write.
    pub stale_reads: u32,
    /// How far behind the writes ListApplicationGrants, ListApplicationAuthenticationMethods
    /// and ListApplications read (Get and
    /// Describe see writes at once).
    pub list_lag: Duration,
    /// Seed of the fault RNG; random when `None`.
    pub seed: Option<u64>,
    /// Exact calls that fail, whatever the rates draw.
    pub scripted: Vec<ScriptedFault>,
}

impl FaultConfig {
    /// The four per-call fault shares must fit into one call: each is drawn from the same
    /// uniform number, so together they may cover at most all calls.
    pub fn check_shares(&self) -> Result<(), String> {
        let sum = self.throttle_rate
            + self.internal_error_rate
            + self.access_denied_rate
            + self.conflict_rate;
        // Allow for rounding in sums such as 0.1 + 0.2 + 0.7.
        if sum > 1.0 + 1e-9 {
            return Err(format!(
                "the fault rates are shares of the same calls and must sum to at most 1.0, but --throttle-rate {} + --internal-error-rate {} + --access-denied-rate {} + --conflict-rate {} = {sum}",
                self.throttle_rate,
                self.internal_error_rate,
                self.access_denied_rate,
                self.conflict_rate
            ));
        }
        Ok(())
    }
}

/// Connections an emulator serves at once unless told otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// Everything an emulator instance is started with.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Items per List page when the request gives no `MaxResults` (and always for grants and
    /// authentication methods, whose List operations have none).
    pub page_size: usize,
    /// Home region of the instance, and the region signatures must be scoped to.
    pub region: String,
    /// Accept signatures scoped to any region instead of only `region`.
    pub any_region: bool,
    /// Account that owns the instance and its resources.
    pub account_id: String,
    /// Instance id (`ssoins-` + 16 characters); random when `None` and not in the seed.
    pub instance_id: Option<String>,
    /// Accepted credentials; the demo pair when empty.
    pub credentials: Vec<Credential>,
    /// Answer DeleteApplicationGrant of an absent grant (and
    /// DeleteApplicationAuthenticationMethod of an absent method) with 200 instead of
    /// ResourceNotFound.
    pub delete_missing_ok: bool,
    /// Injected faults.
    pub faults: FaultConfig,
    /// Resources present at start and after every reset.
    pub seed: Seed,
    /// Bearer token the inspection endpoints require; random when `None`.
    pub inspection_token: Option<Secret>,
    /// Connections served at once; further ones wait in the listen queue.
    pub max_connections: usize,
    /// Roles STS AssumeRole lets callers assume.
    pub assumable_roles: Vec<AssumableRole>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            port: 0,
            page_size: DEFAULT_PAGE_SIZE,
            region: DEFAULT_REGION.to_string(),
            any_region: false,
            account_id: DEFAULT_ACCOUNT_ID.to_string(),
            instance_id: None,
            credentials: Vec::new(),
            delete_missing_ok: false,
            faults: FaultConfig::default(),
            seed: Seed::default(),
            inspection_token: None,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            assumable_roles: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// The credentials signatures are checked against.
    pub fn accepted_credentials(&self) -> Vec<Credential> {
        if self.credentials.is_empty() {
            vec![Credential::demo()]
        } else {
            self.credentials.clone()
        }
    }

    /// Reject settings that cannot work (rates out of range, zero page size, bad ids).
    pub fn check(&self) -> Result<(), String> {
        let rates = [
            ("throttle rate", self.faults.throttle_rate),
            ("internal error rate", self.faults.internal_error_rate),
            ("conflict rate", self.faults.conflict_rate),
            ("access denied rate", self.faults.access_denied_rate),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0.0 and 1.0, got {rate}"));
            }
        }
        self.faults.check_shares()?;
        if let Some(tps) = self.faults.rate_limit_tps {
            if !(tps.is_finite() && tps > 0.0) {
                return Err(format!("rate limit must be a positive number, got {tps}"));
            }
        }
        if self.max_connections == 0 {
            return Err("at least one connection must be served".to_string());
        }
        if self.page_size == 0 || self.page_size > 100 {
            return Err(format!(
                "page size must be between 1 and 100, got {}",
                self.page_size
            ));
        }
        if self.account_id.len() != 12 || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "account id must be 12 digits, got {:?}",
                self.account_id
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_parse_with_and_without_session_token() {
        assert_eq!(Credential::parse("A:B").unwrap(), Credential::new("A", "B"));
        assert_eq!(
            Credential::parse("A:B:C")
                .unwrap()
                .session_token
                .as_ref()
                .map(Secret::expose),
            Some("C")
        );
        assert!(Credential::parse("A").is_err());
        assert!(Credential::parse(":B").is_err());
    }

    #[test]
    fn debug_output_shows_no_secret_key_session_token_or_inspection_token() {
        let config = EmulatorConfig {
            credentials: vec![
                Credential::parse("AKIDSHOWN:the-secret-key:the-session-token")
                    .expect("credential"),
            ],
            inspection_token: Some(Secret::new("the-inspection-token")),
            ..EmulatorConfig::default()
        };
        let shown = format!("{config:?}");
        assert!(shown.contains("AKIDSHOWN"), "{shown}");
        for secret in [
            "the-secret-key",
            "the-session-token",
            "the-inspection-token",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        let refused = Credential::parse("the-secret-key-without-a-colon").unwrap_err();
        assert!(!refused.contains("the-secret-key"), "{refused}");
    }

    #[test]
    fn out_of_range_rates_are_rejected() {
        let mut c = EmulatorConfig::default();
        assert!(c.check().is_ok());
        c.faults.throttle_rate = 1.5;
        assert!(c.check().is_err());
    }

    #[test]
    fn fault_shares_must_sum_to_at_most_one() {
        let mut c = EmulatorConfig::default();
        c.faults.throttle_rate = 0.1;
        c.faults.internal_error_rate = 0.2;
        c.faults.access_denied_rate = 0.7;
        assert!(c.check().is_ok());
        c.faults.conflict_rate = 0.01;
        assert!(c.check().unwrap_err().contains("sum to at most 1.0"));
    }
}
