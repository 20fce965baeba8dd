//! The SSO Admin calls grants need, the mapping between the domain types and
//! the SDK's, and the wait for eventual consistency after a write.

use std::time::{Duration, Instant};

use aws_sdk_ssoadmin::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_ssoadmin::operation::list_applications::{
    ListApplicationsError, ListApplicationsOutput,
};
use aws_sdk_ssoadmin::types as sdk;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::attempts::Attempts;
use super::domain::{GrantKey, GrantSettings, GrantType, TokenIssuer};
use super::error::GrantError;
use super::shared_reads::Listing;
use crate::framework::StopSignal;
use crate::provider::configured::AwsClient;

/// How long a write may take to become visible to reads before we stop
/// waiting (AWS documents eventual consistency between hosts).
pub const VISIBILITY_TIMEOUT: Duration = Duration::from_secs(30);

fn sdk_grant_type(t: GrantType) -> sdk::GrantType {
    match t {
        GrantType::AuthorizationCode => sdk::GrantType::AuthorizationCode,
        GrantType::RefreshToken => sdk::GrantType::RefreshToken,
        GrantType::JwtBearer => sdk::GrantType::JwtBearer,
        GrantType::TokenExchange => sdk::GrantType::TokenExchange,
    }
}

/// The SDK union member to send.
pub fn to_sdk(settings: &GrantSettings) -> sdk::Grant {
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
pub fn from_sdk(grant: &sdk::Grant) -> Option<GrantSettings> {
    Some(match grant {
        sdk::Grant::AuthorizationCode(g) => GrantSettings::AuthorizationCode {
            redirect_uris: g.redirect_uris().iter().cloned().collect(),
        },
        sdk::Grant::JwtBearer(g) => GrantSettings::JwtBearer {
            issuers: g
                .authorized_token_issuers()
                .iter()
                .map(|i| TokenIssuer {
                    trusted_token_issuer_arn: i
                        .trusted_token_issuer_arn()
                        .unwrap_or_default()
                        .to_string(),
                    authorized_audiences: i.authorized_audiences().iter().cloned().collect(),
                })
                .collect(),
        },
        sdk::Grant::RefreshToken(_) => GrantSettings::RefreshToken,
        sdk::Grant::TokenExchange(_) => GrantSettings::TokenExchange,
        _ => return None,
    })
}

/// A failed call as an error naming the operation, what it was about, and
/// AWS's error code and message.
fn aws_failure<E, R>(
    client: &AwsClient,
    operation: &'static str,
    subject: String,
    err: SdkError<E, R>,
) -> GrantError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let reason = match err.as_service_error() {
        Some(service) => format!(
            "{}: {}",
            service.code().unwrap_or("UnknownError"),
            service.message().unwrap_or("no message")
        ),
        // No answer from AWS: say where the provider was trying to reach.
        None => format!(
            "{} (endpoint {})",
            DisplayErrorContext(&err),
            client.endpoint()
        ),
    };
    GrantError::Aws {
        operation,
        subject,
        reason,
    }
}

/// GetApplicationGrant; `Ok(None)` when the grant (or its application) does
/// not exist.
pub async fn get_grant(
    client: &AwsClient,
    key: &GrantKey,
    attempts: &Attempts,
) -> Result<Option<GrantSettings>, GrantError> {
    let result = client
        .get_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(sdk_grant_type(key.grant_type))
        .customize()
        .interceptor(attempts.recorder(false))
        .send()
        .await;
    match result {
        Ok(out) => match out.grant().and_then(from_sdk) {
            Some(settings) => Ok(Some(settings)),
            None => Err(GrantError::Unrecognised { key: key.clone() }),
        },
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws_failure(
            client,
            "GetApplicationGrant",
            key.describe(),
            e,
        )),
    }
}

/// The grant `key` as a refresh reads it: from the listing of its
/// application that this process shares between reads (see
/// [`super::shared_reads`]); `Ok(None)` when it does not exist.
pub async fn read_grant(
    client: &AwsClient,
    key: &GrantKey,
    attempts: &Attempts,
) -> Result<Option<GrantSettings>, GrantError> {
    client
        .shared_reads()
        .read(
            key,
            attempts,
            |listing| async move { list_grant_map(client, &key.application_arn, &listing).await },
            || get_grant(client, key, attempts),
            || GrantError::Unrecognised { key: key.clone() },
        )
        .await
}

/// Every grant of an application, in the order of [`GrantType::ALL`],
/// following ListApplicationGrants' pages to the end. Grants of a kind this
/// provider does not know are left out.
pub async fn list_grants(
    client: &AwsClient,
    application_arn: &str,
) -> Result<Vec<GrantSettings>, GrantError> {
    Ok(
        list_grant_map(client, application_arn, &Attempts::default())
            .await?
            .into_values()
            .flatten()
            .collect(),
    )
}

/// Every grant of an application by grant type, following
/// ListApplicationGrants' pages to the end; `None` for a grant whose
/// settings are of a kind this provider does not know. Each attempt is
/// recorded in `attempts` (so pages are requested one by one: the SDK's
/// paginator takes no per-call interceptor).
pub async fn list_grant_map(
    client: &AwsClient,
    application_arn: &str,
    attempts: &Attempts,
) -> Result<Listing, GrantError> {
    let mut grants = Listing::new();
    let mut next_token: Option<String> = None;
    loop {
        let page = client
            .list_application_grants()
            .application_arn(application_arn)
            .set_next_token(next_token.clone())
            .customize()
            .interceptor(attempts.recorder(false))
            .send()
            .await
            .map_err(|e| {
                let subject = format!("grants of application {application_arn}");
                aws_failure(client, "ListApplicationGrants", subject, e)
            })?;
        for item in page.grants() {
            let settings = item.grant().and_then(from_sdk);
            let grant_type = settings
                .as_ref()
                .map(GrantSettings::grant_type)
                .or_else(|| GrantType::parse(item.grant_type().as_str()));
            if let Some(grant_type) = grant_type {
                grants.entry(grant_type).or_insert(settings);
            }
        }
        // The last page has no token; a token repeated would loop forever.
        match page.next_token() {
            Some(token) if !token.is_empty() && next_token.as_deref() != Some(token) => {
                next_token = Some(token.to_string());
            }
            _ => return Ok(grants),
        }
    }
}

/// An application as listing shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    /// Its ARN.
    pub arn: String,
    /// Its name (the ARN when AWS gave none).
    pub name: String,
}

/// The name of an application, from DescribeApplication.
pub async fn describe_application(
    client: &AwsClient,
    application_arn: &str,
) -> Result<Application, GrantError> {
    let out = client
        .describe_application()
        .application_arn(application_arn)
        .send()
        .await
        .map_err(|e| {
            aws_failure(
                client,
                "DescribeApplication",
                format!("application {application_arn}"),
                e,
            )
        })?;
    Ok(Application {
        arn: application_arn.to_string(),
        name: out.name().unwrap_or(application_arn).to_string(),
    })
}

/// The applications of an Identity Center instance, one ListApplications
/// page at a time (the SDK's paginator asks for the next page only when
/// asked), so a listing can stop between pages.
pub struct ApplicationPages {
    instance_arn: String,
    client: AwsClient,
    pages: PaginationStream<
        Result<ListApplicationsOutput, SdkError<ListApplicationsError, HttpResponse>>,
    >,
}

impl ApplicationPages {
    /// Pages of `instance_arn`'s applications.
    pub fn new(client: &AwsClient, instance_arn: &str) -> Self {
        Self {
            instance_arn: instance_arn.to_string(),
            client: client.clone(),
            pages: client
                .list_applications()
                .instance_arn(instance_arn)
                .into_paginator()
                .send(),
        }
    }

    /// The next page; `None` after the last (or after a failed one).
    pub async fn next(&mut self) -> Option<Result<Vec<Application>, GrantError>> {
        let page = match self.pages.next().await? {
            Ok(page) => page,
            Err(e) => {
                let subject = format!("applications of instance {}", self.instance_arn);
                return Some(Err(aws_failure(
                    &self.client,
                    "ListApplications",
                    subject,
                    e,
                )));
            }
        };
        Some(Ok(page
            .applications()
            .iter()
            .filter_map(|a| {
                let arn = a.application_arn()?.to_string();
                let name = a.name().unwrap_or(&arn).to_string();
                Some(Application { arn, name })
            })
            .collect()))
    }
}

/// Why a PutApplicationGrant failed, and whether AWS may have applied it.
pub struct PutFailure {
    /// The error for the user.
    pub error: GrantError,
    /// True when the outcome is unknown: the request may have reached AWS
    /// (timeout, connection lost, unreadable response, server error).
    pub maybe_applied: bool,
}

/// PutApplicationGrant, the upsert behind create and update.
pub async fn put_grant(
    client: &AwsClient,
    key: &GrantKey,
    settings: &GrantSettings,
    attempts: &Attempts,
) -> Result<(), PutFailure> {
    client.shared_reads().forget(&key.application_arn);
    let result = client
        .put_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(sdk_grant_type(key.grant_type))
        .grant(to_sdk(settings))
        .customize()
        .interceptor(attempts.recorder(true))
        .send()
        .await;
    client.shared_reads().forget(&key.application_arn);
    result.map(|_| ()).map_err(|e| PutFailure {
        error: aws_failure(client, "PutApplicationGrant", key.describe(), e),
        // Judged from every attempt, not only the last: an earlier one that
        // timed out or got a 5xx may have been applied even if the last
        // one was refused.
        maybe_applied: attempts.write_may_have_applied(),
    })
}

/// DeleteApplicationGrant; a grant that is already gone counts as deleted.
pub async fn delete_grant(
    client: &AwsClient,
    key: &GrantKey,
    attempts: &Attempts,
) -> Result<(), GrantError> {
    client.shared_reads().forget(&key.application_arn);
    let result = client
        .delete_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(sdk_grant_type(key.grant_type))
        .customize()
        .interceptor(attempts.recorder(true))
        .send()
        .await;
    client.shared_reads().forget(&key.application_arn);
    match result {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(aws_failure(
            client,
            "DeleteApplicationGrant",
            key.describe(),
            e,
        )),
    }
}

/// Why [`wait_for`] stopped waiting before reads agreed.
#[derive(Debug, thiserror::Error)]
pub enum WaitEnd {
    /// Reads kept answering, but never as wanted; the text says what the
    /// last one saw.
    #[error("{0}")]
    Unchanged(String),
    /// A read was still unanswered when the patience ran out.
    #[error("a read was still unanswered after {} s", .0.as_secs())]
    Unanswered(Duration),
    /// A read failed (after the SDK's retries).
    #[error("{0}")]
    ReadFailed(GrantError),
    /// StopProvider arrived.
    #[error("Terraform asked the provider to stop")]
    Stopped,
}

/// Reads until the grant reads back as `want` (`None`: absent). AWS writes
/// propagate between hosts with a delay, and a state that claims what a
/// read cannot see yet would show up as drift on the next plan. Gives up
/// after `patience`, when a read fails (the SDK has already retried it), or
/// on StopProvider.
pub async fn wait_for(
    client: &AwsClient,
    key: &GrantKey,
    want: Option<&GrantSettings>,
    patience: Duration,
    stop: &StopSignal,
    attempts: &Attempts,
) -> Result<(), WaitEnd> {
    let deadline = Instant::now() + patience;
    let mut delay = Duration::from_millis(100);
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let seen = tokio::select! {
            read = tokio::time::timeout(remaining, get_grant(client, key, attempts)) => match read {
                Err(_) => return Err(WaitEnd::Unanswered(patience)),
                Ok(Err(e)) => return Err(WaitEnd::ReadFailed(e)),
                Ok(Ok(seen)) => seen,
            },
            _ = stop.stopped() => return Err(WaitEnd::Stopped),
        };
        if seen.as_ref() == want {
            return Ok(());
        }
        if Instant::now() + delay >= deadline {
            return Err(WaitEnd::Unchanged(
                match (seen, want) {
                    (None, Some(_)) => "it was not visible yet",
                    (Some(_), None) => "it was still visible",
                    _ => "it still read as before",
                }
                .to_string(),
            ));
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stop.stopped() => return Err(WaitEnd::Stopped),
        }
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client of `endpoint` that tries each call twice (max_retries = 1),
    /// built the way the provider builds its client.
    async fn client_of(endpoint: &str) -> AwsClient {
        let settings = crate::provider::settings::ProviderSettings {
            region: Some("us-east-1".into()),
            access_key: Some("AKIDEXAMPLE".into()),
            secret_key: Some("secret".into()),
            ssoadmin_endpoint: Some(endpoint.to_string()),
            max_retries: Some(1),
            ..Default::default()
        };
        crate::provider::client::build_client(&settings)
            .await
            .expect("client")
    }

    fn a_key() -> GrantKey {
        GrantKey {
            application_arn:
                "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
                    .into(),
            grant_type: GrantType::RefreshToken,
        }
    }

    /// An endpoint that takes one whole request, stops listening, and hangs
    /// up without answering: the write may have been applied, and the retry
    /// finds the connection refused.
    async fn swallows_one_request() -> String {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("accept");
            drop(listener);
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // Headers, then as many body bytes as they announce.
            loop {
                let n = stream.read(&mut buffer).await.expect("read");
                request.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length: usize = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length || n == 0 {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
        });
        endpoint
    }

    #[tokio::test]
    async fn a_put_sent_without_answer_may_have_applied_though_the_retry_was_refused() {
        let client = client_of(&swallows_one_request().await).await;
        let attempts = Attempts::default();
        let failure = put_grant(&client, &a_key(), &GrantSettings::RefreshToken, &attempts)
            .await
            .expect_err("no answer");
        let last = attempts.last_error().expect("a failed attempt");
        assert!(last.to_lowercase().contains("refused"), "{last}");
        assert!(failure.maybe_applied, "{}", failure.error);
    }

    #[tokio::test]
    async fn a_put_whose_connections_were_all_refused_has_not_applied() {
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .and_then(|l| l.local_addr())
            .expect("a free port");
        let client = client_of(&format!("http://{closed}")).await;
        let attempts = Attempts::default();
        let failure = put_grant(&client, &a_key(), &GrantSettings::RefreshToken, &attempts)
            .await
            .expect_err("refused");
        assert!(!failure.maybe_applied, "{}", failure.error);
    }

    #[test]
    fn settings_round_trip_through_the_sdk() {
        let jwt = GrantSettings::JwtBearer {
            issuers: [TokenIssuer {
                trusted_token_issuer_arn: "arn:x".into(),
                authorized_audiences: ["a".to_string(), "b".to_string()].into(),
            }]
            .into(),
        };
        let code = GrantSettings::AuthorizationCode {
            redirect_uris: ["https://b/cb".to_string(), "https://a/cb".to_string()].into(),
        };
        for s in [
            jwt,
            code,
            GrantSettings::RefreshToken,
            GrantSettings::TokenExchange,
        ] {
            assert_eq!(from_sdk(&to_sdk(&s)).as_ref(), Some(&s));
        }
    }
}
