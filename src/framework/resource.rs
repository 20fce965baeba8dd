//! The traits a provider implements. Optional capabilities have default
//! methods, so a resource states only what it does.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::diagnostics::Diagnostics;
use super::schema::Schema;
use crate::value::{AttributePath, Value};

/// The outcome of a lifecycle call that produces a state object: the new
/// state (`None` = the object does not exist) and any diagnostics.
#[derive(Debug, Default)]
pub struct StateResult {
    /// New state; `None` means "no object" (gone on read, nothing created).
    pub state: Option<Value>,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl StateResult {
    /// A successful result with a state object.
    pub fn ok(state: Value) -> Self {
        Self {
            state: Some(state),
            diagnostics: Diagnostics::new(),
        }
    }

    /// "The object does not exist", without errors.
    pub fn gone() -> Self {
        Self::default()
    }

    /// A failure with no object.
    pub fn failed(diagnostics: Diagnostics) -> Self {
        Self {
            state: None,
            diagnostics,
        }
    }
}

/// Fires when Terraform asks the provider to stop (StopProvider, e.g. on
/// Ctrl-C). Reads, deletes and imports are simply abandoned by the server;
/// writes receive the signal themselves, because a write interrupted after
/// reaching AWS must report what it may have changed.
#[derive(Clone, Debug, Default)]
pub struct StopSignal(tokio_util::sync::CancellationToken);

impl StopSignal {
    /// A signal tied to the server's stop token.
    pub fn new(token: tokio_util::sync::CancellationToken) -> Self {
        Self(token)
    }

    /// Resolves once Terraform has asked to stop.
    pub async fn stopped(&self) {
        self.0.cancelled().await
    }

    /// Whether Terraform has asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// What a plan looks at: the prior state (null on create), the configuration
/// and Terraform's proposed new state.
pub struct PlanInput<'a> {
    /// State before the change; `Value::Null` when creating.
    pub prior: &'a Value,
    /// Configuration as written (may contain unknowns).
    pub config: &'a Value,
    /// Terraform's proposal: config merged with prior computed values.
    pub proposed: &'a Value,
}

/// A managed resource type.
pub trait Resource: Send + Sync + 'static {
    /// Type name as used in HCL, e.g. `identitycenter_application_grant`.
    fn type_name(&self) -> &'static str;

    /// The resource schema. Must be the same on every call.
    fn schema(&self) -> Schema;

    /// Checks configuration that Terraform cannot check from the schema alone.
    /// Values may be unknown; unknown values must be skipped, never rejected.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Attribute paths whose change forces the object to be replaced.
    fn replace_on_change(&self) -> Vec<AttributePath> {
        Vec::new()
    }

    /// Adjusts the plan after the framework filled computed values, e.g. to
    /// keep a prior value the remote side will not change. Default: nothing.
    fn modify_plan(&self, _input: &PlanInput<'_>, _planned: &mut Value, _diags: &mut Diagnostics) {}

    /// Refreshes `state` from the remote side; `None` when it no longer exists.
    fn read<'a>(&'a self, state: &'a Value) -> BoxFuture<'a, StateResult>;

    /// Creates the object described by `planned`. On `stop`, return what may
    /// exist remotely (a state with an error is kept, tainted, by Terraform).
    fn create<'a>(&'a self, planned: &'a Value, stop: &'a StopSignal)
        -> BoxFuture<'a, StateResult>;

    /// Updates the object in place from `prior` to `planned`; `stop` as for
    /// [`Resource::create`].
    fn update<'a>(
        &'a self,
        prior: &'a Value,
        planned: &'a Value,
        stop: &'a StopSignal,
    ) -> BoxFuture<'a, StateResult>;

    /// Deletes the object described by `prior`.
    fn delete<'a>(&'a self, prior: &'a Value) -> BoxFuture<'a, Diagnostics>;

    /// Turns an import ID into a (possibly sparse) state that `read` can
    /// complete. Default: import is not supported.
    fn import<'a>(&'a self, _id: &'a str) -> BoxFuture<'a, StateResult> {
        let mut diags = Diagnostics::new();
        diags.error(
            "Resource import not supported",
            format!("The resource type {} cannot be imported.", self.type_name()),
        );
        Box::pin(async move { StateResult::failed(diags) })
    }

    /// Upgrades state stored by an older schema version. `raw` is the state
    /// JSON as stored. Default: only the current version is understood.
    fn upgrade_state(&self, version: i64, _raw: &[u8]) -> Result<Option<Value>, Diagnostics> {
        let mut diags = Diagnostics::new();
        diags.error(
            "Unsupported state version",
            format!(
                "The state of this {} was written with schema version {version}, which this \
                 provider version cannot upgrade.",
                self.type_name()
            ),
        );
        Err(diags)
    }
}

/// What ConfigureProvider passes on.
pub struct ConfigureInput<'a> {
    /// The provider configuration (may contain unknowns during plan).
    pub config: &'a Value,
    /// Terraform's version, e.g. `1.15.5`.
    pub terraform_version: &'a str,
}

/// A provider: its configuration schema and the types it offers.
pub trait Provider: Send + Sync + 'static {
    /// The provider's local name (`identitycenter`).
    fn type_name(&self) -> &'static str;

    /// Schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// Checks the provider block beyond what the schema can say.
    fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Sets the provider up (clients, credentials) from its configuration.
    fn configure<'a>(&'a self, input: ConfigureInput<'a>) -> BoxFuture<'a, Diagnostics>;

    /// The managed resource types.
    fn resources(&self) -> Vec<Arc<dyn Resource>>;
}
