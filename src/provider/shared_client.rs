//! What ConfigureProvider leaves for the resources and data sources: the
//! AWS client, or the reason there is none.

use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use crate::framework::{Diagnostic, Diagnostics};
use crate::value::AttributePath;

/// Why there is no client to call AWS with.
#[derive(Clone, Debug, thiserror::Error)]
pub(crate) enum ClientError {
    /// ConfigureProvider has not run.
    #[error(
        "The provider was asked to call AWS before it was configured. This is a bug in the \
         provider or in Terraform."
    )]
    NotConfigured,
    /// The configuration depends on values only known after apply.
    #[error(
        "The provider configuration depends on values that are only known after apply ({}), but \
         this operation needs to call AWS now. Apply the resources those values come from first \
         (terraform apply -target=…), or use values known at plan time.",
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    Unknown(Vec<AttributePath>),
}

impl ClientError {
    /// One-line summary for a diagnostic.
    pub fn summary(&self) -> &'static str {
        match self {
            ClientError::NotConfigured => "Provider not configured",
            ClientError::Unknown(_) => "Provider configuration not known yet",
        }
    }
}

impl From<ClientError> for Diagnostics {
    fn from(e: ClientError) -> Self {
        Diagnostic::error(e.summary(), e.to_string()).into()
    }
}

/// The SDK client with the endpoint it calls (for messages: the SDK does
/// not say where a call that got no answer was going), and the grant
/// listings this process shares between reads.
///
/// The SDK client itself is built on first use: building it loads the
/// system's CA certificates for HTTPS (hundreds of files), which a process
/// that never calls AWS, such as a plan without refresh, should not pay for.
#[derive(Clone)]
pub struct AwsClient {
    sdk: Arc<LazyClient>,
    endpoint: String,
    visibility_timeout: Duration,
}

struct LazyClient {
    config: aws_sdk_ssoadmin::Config,
    client: OnceLock<aws_sdk_ssoadmin::Client>,
}

impl std::fmt::Debug for AwsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsClient")
            .field("endpoint", &self.endpoint)
            .field("built", &self.sdk.client.get().is_some())
            .finish()
    }
}

impl AwsClient {
    /// A client for `config`, calling `endpoint`, that waits up to
    /// `visibility_timeout` for its writes to show in reads.
    pub fn new(
        config: aws_sdk_ssoadmin::Config,
        endpoint: String,
        visibility_timeout: Duration,
    ) -> Self {
        Self {
            sdk: Arc::new(LazyClient {
                config,
                client: OnceLock::new(),
            }),
            endpoint,
            visibility_timeout,
        }
    }

    /// How long a write may take to show in reads before the provider stops
    /// waiting and warns (AWS documents eventual consistency between hosts).
    pub(crate) fn visibility_timeout(&self) -> Duration {
        self.visibility_timeout
    }

    /// The SSO Admin endpoint it calls.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl std::ops::Deref for AwsClient {
    type Target = aws_sdk_ssoadmin::Client;
    fn deref(&self) -> &Self::Target {
        let lazy = &*self.sdk;
        lazy.client
            .get_or_init(|| aws_sdk_ssoadmin::Client::from_conf(lazy.config.clone()))
    }
}

/// The provider's AWS client once configured, shared with every resource
/// and data source.
pub(crate) struct SharedClient(RwLock<Result<AwsClient, ClientError>>);

impl Default for SharedClient {
    fn default() -> Self {
        Self(RwLock::new(Err(ClientError::NotConfigured)))
    }
}

impl SharedClient {
    /// The configured client, or why there is none.
    pub fn get(&self) -> Result<AwsClient, ClientError> {
        match self.0.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records what ConfigureProvider produced.
    pub fn set(&self, state: Result<AwsClient, ClientError>) {
        match self.0.write() {
            Ok(mut s) => *s = state,
            Err(poisoned) => *poisoned.into_inner() = state,
        }
    }
}
