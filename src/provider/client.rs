//! Provider settings → an `aws-sdk-ssoadmin` client: aws-config's loader for
//! region, profiles and the default credential chain, static keys or an
//! assumed role on top, endpoint override, and a retry policy that also
//! retries ConflictException (AWS documents it as "retry with backoff").

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use aws_sdk_ssoadmin::config::retry::{ClassifyRetry, RetryAction, RetryConfig};
use aws_sdk_ssoadmin::config::timeout::TimeoutConfig;
use aws_sdk_ssoadmin::error::ProvideErrorMetadata;
use aws_sdk_ssoadmin::operation::delete_application_grant::DeleteApplicationGrantError;
use aws_sdk_ssoadmin::operation::put_application_grant::PutApplicationGrantError;
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::RetryReason;
use aws_smithy_types::retry::ErrorKind;

use super::client_settings::ProviderSettings;
use super::credential_sources::explain_missing_credentials;
use super::endpoint::endpoint_for_display;
use super::provider_block::ProviderConfig;
use super::provider_block::RetryMode;
use super::shared_client::AwsClient;
use crate::framework::duration::parse_duration;
use crate::framework::Diagnostics;
use crate::value::AttributePath;

/// Retries when none are configured, as in the AWS provider.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 25;

/// The longest one attempt of an AWS call may take.
pub(crate) const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// How long writes are given to show in reads unless
/// [`VISIBILITY_TIMEOUT_ENV`] says otherwise.
pub(crate) const DEFAULT_VISIBILITY_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variable that sets how long the provider waits for its
/// writes to show in reads, as a duration such as `30s` or `2m`.
pub(crate) const VISIBILITY_TIMEOUT_ENV: &str = "IDENTITYCENTER_VISIBILITY_TIMEOUT";

/// Why no SSO Admin client could be built from the settings.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Neither the provider block, the environment nor a profile names a region.
    #[error(
        "The provider could not find an AWS region. Set region in the provider block, or \
         AWS_REGION / AWS_DEFAULT_REGION in the environment, or region in your AWS profile."
    )]
    NoRegion,
    /// Nothing offers credentials at all.
    #[error(
        "The provider found no way to get AWS credentials. Set access_key and secret_key, \
         AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile."
    )]
    NoCredentials,
    /// The credential chain failed, e.g. a profile without keys or a role
    /// that cannot be assumed. The text says where the provider looked and
    /// what each place lacked.
    #[error(
        "{0}\n\nSet access_key and secret_key in the provider block, AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY in the environment, or a profile (profile / AWS_PROFILE) with \
         credentials; assume_role needs base credentials too."
    )]
    Credentials(String),
    /// A setting from the environment that is not what it must be.
    #[error(
        "{VISIBILITY_TIMEOUT_ENV} = {value:?} is not a duration like \"30s\" or \"2m\": {why}."
    )]
    VisibilityTimeout {
        /// What the variable holds.
        value: String,
        /// What is wrong with it.
        why: String,
    },
}

impl From<BuildError> for Diagnostics {
    fn from(e: BuildError) -> Self {
        let summary = match e {
            BuildError::NoRegion => "No AWS region",
            BuildError::NoCredentials => "No AWS credentials",
            BuildError::Credentials(_) => "No valid AWS credentials",
            BuildError::VisibilityTimeout { .. } => "Invalid environment setting",
        };
        let mut diags = Diagnostics::new();
        match e {
            BuildError::NoRegion => diags.error_at(
                AttributePath::root().attribute(ProviderConfig::REGION),
                summary,
                e.to_string(),
            ),
            _ => diags.error(summary, e.to_string()),
        }
        diags
    }
}

/// How long writes are given to show in reads: [`VISIBILITY_TIMEOUT_ENV`]
/// when set, else [`DEFAULT_VISIBILITY_TIMEOUT`].
fn visibility_timeout() -> Result<Duration, BuildError> {
    let Ok(value) = std::env::var(VISIBILITY_TIMEOUT_ENV) else {
        return Ok(DEFAULT_VISIBILITY_TIMEOUT);
    };
    match parse_duration(&value) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err(BuildError::VisibilityTimeout {
            value,
            why: "it must be longer than zero".into(),
        }),
        Err(why) => Err(BuildError::VisibilityTimeout { value, why }),
    }
}

/// Builds the SSO Admin client, checking that a region and credentials can
/// be found so that a misconfiguration is reported once, clearly, up front.
pub async fn build_client(settings: &ProviderSettings) -> Result<AwsClient, BuildError> {
    let visibility_timeout = visibility_timeout()?;
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &settings.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if !settings.shared_config_files.is_empty() || !settings.shared_credentials_files.is_empty() {
        let mut files = ProfileFiles::builder();
        if settings.shared_config_files.is_empty() {
            files = files.include_default_config_file(true);
        }
        if settings.shared_credentials_files.is_empty() {
            files = files.include_default_credentials_file(true);
        }
        for f in &settings.shared_config_files {
            files = files.with_file(ProfileFileKind::Config, expand_home(f));
        }
        for f in &settings.shared_credentials_files {
            files = files.with_file(ProfileFileKind::Credentials, expand_home(f));
        }
        loader = loader.profile_files(files.build());
    }
    if let (Some(key), Some(secret)) = (&settings.access_key, &settings.secret_key) {
        loader = loader.credentials_provider(aws_credential_types::Credentials::new(
            key.clone(),
            secret.clone(),
            settings.token.clone(),
            None,
            "identitycenter-provider-block",
        ));
    }
    let mut sdk = loader.load().await;

    if sdk.region().is_none() {
        return Err(BuildError::NoRegion);
    }

    if let Some(role) = &settings.assume_role {
        let mut builder = aws_config::sts::AssumeRoleProvider::builder(role.role_arn.clone())
            .session_name(
                role.session_name
                    .clone()
                    .unwrap_or_else(|| "terraform-provider-identitycenter".to_string()),
            )
            .configure(&sdk);
        if let Some(id) = &role.external_id {
            builder = builder.external_id(id.clone());
        }
        if let Some(d) = role.duration {
            builder = builder.session_length(d);
        }
        let provider = builder.build().await;
        sdk = sdk
            .to_builder()
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(provider),
            )
            .build();
    }

    let Some(provider) = sdk.credentials_provider() else {
        return Err(BuildError::NoCredentials);
    };
    let check = tokio::time::timeout(Duration::from_secs(30), provider.provide_credentials()).await;
    match check {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            let profile = settings
                .profile
                .clone()
                .or_else(|| std::env::var("AWS_PROFILE").ok())
                .unwrap_or_else(|| "default".to_string());
            return Err(BuildError::Credentials(explain_missing_credentials(
                &e, &profile,
            )));
        }
        Err(_) => {
            return Err(BuildError::Credentials(
                "Looking for AWS credentials did not finish within 30 s.".into(),
            ))
        }
    }

    let max_attempts = settings.max_retries.unwrap_or(DEFAULT_MAX_RETRIES) + 1;
    let retry = match settings.retry_mode.unwrap_or(RetryMode::Standard) {
        RetryMode::Standard => RetryConfig::standard(),
        RetryMode::Adaptive => RetryConfig::adaptive(),
    }
    .with_max_attempts(max_attempts)
    .with_max_backoff(Duration::from_secs(20));
    let mut config = aws_sdk_ssoadmin::config::Builder::from(&sdk)
        .retry_config(retry)
        // Each attempt is bounded; the number of attempts is max_retries'
        // business alone (an overall timeout would silently cut it short).
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(10))
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .build(),
        )
        // The attempt limit bounds retries; the SDK's shared retry quota
        // would otherwise give up early under sustained throttling, the
        // silent partial apply users hit with other providers.
        .retry_partition(
            RetryPartition::custom("identitycenter")
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
        .retry_classifier(ConflictIsRetryable);
    if let Some(endpoint) = &settings.ssoadmin_endpoint {
        config = config.endpoint_url(endpoint.clone());
    }
    // Where calls go, as the SDK resolves it: the provider block, the
    // service's environment variable, the global one, else the region's;
    // kept to name it in errors, so without any credentials in its URL.
    let endpoint = settings
        .ssoadmin_endpoint
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL_SSO_ADMIN").ok())
        .or_else(|| sdk.endpoint_url().map(str::to_string))
        .unwrap_or_else(|| {
            let region = sdk.region().map(ToString::to_string).unwrap_or_default();
            format!("https://sso.{region}.amazonaws.com")
        });
    Ok(AwsClient::new(
        config.build(),
        endpoint_for_display(&endpoint).into_owned(),
        visibility_timeout,
    ))
}

fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// Marks ConflictException from PutApplicationGrant and
/// DeleteApplicationGrant as retryable. AWS describes it as a previous write
/// not yet propagated, to be retried with backoff; the SDK does not retry it.
#[derive(Debug)]
pub(crate) struct ConflictIsRetryable;

impl ClassifyRetry for ConflictIsRetryable {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(error)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let Some(op) = error.as_operation_error() else {
            return RetryAction::NoActionIndicated;
        };
        let code = op
            .downcast_ref::<PutApplicationGrantError>()
            .and_then(ProvideErrorMetadata::code)
            .or_else(|| {
                op.downcast_ref::<DeleteApplicationGrantError>()
                    .and_then(ProvideErrorMetadata::code)
            });
        if code == Some("ConflictException") {
            RetryAction::RetryIndicated(RetryReason::RetryableError {
                kind: ErrorKind::TransientError,
                retry_after: None,
            })
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "identitycenter::ConflictIsRetryable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(retry_mode: Option<RetryMode>, max_retries: Option<u32>) -> ProviderSettings {
        ProviderSettings {
            region: Some("us-east-1".into()),
            access_key: Some("AKIDEXAMPLE".into()),
            secret_key: Some("secret".into()),
            ssoadmin_endpoint: Some("http://127.0.0.1:9".into()),
            retry_mode,
            max_retries,
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_profile_without_credentials_is_refused_with_the_reason() {
        // A role to assume with nothing to assume it from: the chain stops
        // at the profile (and never asks the network).
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[profile ghost]\nrole_arn = arn:aws:iam::123456789012:role/ghost\n",
        )
        .expect("write");
        let credentials = dir.path().join("credentials");
        std::fs::write(&credentials, "").expect("write");
        let settings = ProviderSettings {
            region: Some("us-east-1".into()),
            profile: Some("ghost".into()),
            shared_config_files: vec![config.to_string_lossy().into_owned()],
            shared_credentials_files: vec![credentials.to_string_lossy().into_owned()],
            ..Default::default()
        };
        let error = build_client(&settings).await.expect_err("no credentials");
        let BuildError::Credentials(problem) = &error else {
            panic!("{error:?}");
        };
        assert!(problem.contains("ghost"), "{problem}");
        let diags = Diagnostics::from(error);
        let d = diags.iter().next().expect("a diagnostic");
        assert_eq!(d.summary, "No valid AWS credentials");
        assert!(
            d.detail.contains("assume_role needs base credentials"),
            "{}",
            d.detail
        );
    }

    #[test]
    fn a_missing_region_is_an_error_on_the_region_argument() {
        let diags = Diagnostics::from(BuildError::NoRegion);
        let d = diags.iter().next().expect("a diagnostic");
        assert_eq!(d.summary, "No AWS region");
        assert_eq!(
            d.attribute,
            Some(AttributePath::root().attribute(ProviderConfig::REGION))
        );
    }

    #[tokio::test]
    async fn the_retry_settings_reach_the_sdk_client() {
        use aws_sdk_ssoadmin::config::retry::RetryMode as SdkMode;
        let adaptive = build_client(&settings(Some(RetryMode::Adaptive), Some(3)))
            .await
            .expect("client");
        let retry = adaptive.config().retry_config().expect("retry config");
        assert_eq!(retry.mode(), SdkMode::Adaptive);
        assert_eq!(retry.max_attempts(), 4);
        let standard = build_client(&settings(None, None)).await.expect("client");
        let retry = standard.config().retry_config().expect("retry config");
        assert_eq!(retry.mode(), SdkMode::Standard);
        assert_eq!(retry.max_attempts(), DEFAULT_MAX_RETRIES + 1);
    }
}
