//! The SSO Admin calls grants need, one request each (the SDK retries
//! within its policy), every attempt recorded, each failure worded for the
//! user. What a refresh or a create makes of their answers, given that
//! reads lag writes, is in [`super::consistency`].

use aws_sdk_ssoadmin::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ssoadmin::operation::list_applications::ListApplicationsOutput;

use super::attempts::Attempts;
use super::aws_error;
use super::domain::{GrantKey, GrantSettings, GrantType};
use super::error::GrantError;
use super::pages::Pages;
use super::sdk_shapes::{from_sdk, sdk_grant_type, to_sdk};
use super::shared_reads::Listing;
use crate::provider::shared_client::AwsClient;

/// A failed call as an error naming what the provider was doing, what it
/// was about, and AWS's answer worded for the user (see [`aws_error`]).
pub(crate) fn aws_failure<E, R>(
    client: &AwsClient,
    operation: &'static str,
    subject: String,
    err: SdkError<E, R>,
) -> GrantError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let failure = aws_error::describe_failure(client, operation, &err);
    GrantError::Aws {
        operation: failure.operation,
        subject,
        reason: failure.reason,
    }
}

/// The call's output, or `None` when AWS answered ResourceNotFoundException:
/// the one answer that proves something absent (a grant, an application, an
/// authentication method). Every other failure stays an error.
pub(crate) fn unless_not_found<O, E, R>(
    result: Result<O, SdkError<E, R>>,
) -> Result<Option<O>, SdkError<E, R>>
where
    E: ProvideErrorMetadata,
{
    match result {
        Ok(out) => Ok(Some(out)),
        Err(e)
            if e.as_service_error().and_then(ProvideErrorMetadata::code)
                == Some("ResourceNotFoundException") =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// GetApplicationGrant; `Ok(None)` when the grant (or its application) does
/// not exist.
pub(crate) async fn get_grant(
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
    match unless_not_found(result) {
        Ok(Some(out)) => match out.grant().and_then(from_sdk) {
            Some(settings) => Ok(Some(settings)),
            None => Err(GrantError::Unrecognised { key: key.clone() }),
        },
        Ok(None) => Ok(None),
        Err(e) => Err(aws_failure(
            client,
            "GetApplicationGrant",
            key.describe(),
            e,
        )),
    }
}

/// Every grant of an application by grant type, following
/// ListApplicationGrants' pages to the end; `None` for a grant whose
/// settings are of a kind this provider does not know. A listing whose pages
/// cannot be followed to the end is an error, never a partial answer. Each
/// attempt is recorded in `attempts` (so pages are requested one by one: the
/// SDK's paginator takes no per-call interceptor, and it quietly stops at a
/// repeated token).
pub(crate) async fn list_grant_map(
    client: &AwsClient,
    application_arn: &str,
    attempts: &Attempts,
) -> Result<Listing, GrantError> {
    const OPERATION: &str = "ListApplicationGrants";
    let subject = || format!("grants of application {application_arn}");
    let broken = |problem| GrantError::BrokenListing {
        operation: OPERATION,
        subject: subject(),
        problem,
    };
    let mut grants = Listing::new();
    let mut pages = Pages::new();
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
            .map_err(|e| aws_failure(client, OPERATION, subject(), e))?;
        pages.received();
        for item in page.grants() {
            pages.item(item.grant_type().as_str()).map_err(broken)?;
            let settings = item.grant().and_then(from_sdk);
            let grant_type = settings
                .as_ref()
                .map(GrantSettings::grant_type)
                .or_else(|| GrantType::parse(item.grant_type().as_str()));
            if let Some(grant_type) = grant_type {
                grants.insert(grant_type, settings);
            }
        }
        match pages.next_token(page.next_token()).map_err(broken)? {
            Some(token) => next_token = Some(token),
            None => return Ok(grants),
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
pub(crate) async fn describe_application(
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

/// Whether the application exists: DescribeApplication, where only
/// ResourceNotFoundException says it does not.
pub(crate) async fn application_exists(
    client: &AwsClient,
    application_arn: &str,
    attempts: &Attempts,
) -> Result<bool, GrantError> {
    let result = client
        .describe_application()
        .application_arn(application_arn)
        .customize()
        .interceptor(attempts.recorder(false))
        .send()
        .await;
    unless_not_found(result)
        .map(|out| out.is_some())
        .map_err(|e| {
            aws_failure(
                client,
                "DescribeApplication",
                format!("application {application_arn}"),
                e,
            )
        })
}

/// The applications of an Identity Center instance, one ListApplications
/// page at a time, so a listing can stop between pages. Pages are followed
/// by hand, as for grants: the SDK's paginator quietly ends a listing at a
/// repeated token, where this one fails.
pub(crate) struct ApplicationPages {
    instance_arn: String,
    client: AwsClient,
    pages: Pages,
    /// The token of the next page; `None` once the listing has ended.
    next: Option<Option<String>>,
}

impl ApplicationPages {
    const OPERATION: &'static str = "ListApplications";

    /// Pages of `instance_arn`'s applications.
    pub fn new(client: &AwsClient, instance_arn: &str) -> Self {
        Self {
            instance_arn: instance_arn.to_string(),
            client: client.clone(),
            pages: Pages::new(),
            next: Some(None),
        }
    }

    fn subject(&self) -> String {
        format!("applications of instance {}", self.instance_arn)
    }

    /// The next page; `None` after the last (or after a failed one).
    pub async fn next(&mut self) -> Option<Result<Vec<Application>, GrantError>> {
        let token = self.next.take()?;
        let page = match self
            .client
            .list_applications()
            .instance_arn(&self.instance_arn)
            .set_next_token(token)
            .send()
            .await
        {
            Ok(page) => page,
            Err(e) => {
                return Some(Err(aws_failure(
                    &self.client,
                    Self::OPERATION,
                    self.subject(),
                    e,
                )))
            }
        };
        Some(self.read_page(&page))
    }

    fn read_page(&mut self, page: &ListApplicationsOutput) -> Result<Vec<Application>, GrantError> {
        let subject = self.subject();
        let broken = |problem| GrantError::BrokenListing {
            operation: Self::OPERATION,
            subject: subject.clone(),
            problem,
        };
        self.pages.received();
        let mut applications = Vec::new();
        for a in page.applications() {
            let Some(arn) = a.application_arn() else {
                continue;
            };
            self.pages.item(arn).map_err(broken)?;
            applications.push(Application {
                arn: arn.to_string(),
                name: a.name().unwrap_or(arn).to_string(),
            });
        }
        self.next = self
            .pages
            .next_token(page.next_token())
            .map_err(broken)?
            .map(Some);
        Ok(applications)
    }
}

/// Why a PutApplicationGrant failed, and whether AWS may have applied it.
pub(crate) struct PutFailure {
    /// The error for the user.
    pub error: GrantError,
    /// True when the outcome is unknown: the request may have reached AWS
    /// (timeout, connection lost, unreadable response, server error).
    pub(crate) maybe_applied: bool,
}

/// PutApplicationGrant, the upsert behind create and update.
pub(crate) async fn put_grant(
    client: &AwsClient,
    key: &GrantKey,
    settings: &GrantSettings,
    attempts: &Attempts,
) -> Result<(), PutFailure> {
    let result = client
        .put_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(sdk_grant_type(key.grant_type))
        .grant(to_sdk(settings))
        .customize()
        .interceptor(attempts.recorder(true))
        .send()
        .await;
    result.map(|_| ()).map_err(|e| PutFailure {
        error: aws_failure(client, "PutApplicationGrant", key.describe(), e),
        // Judged from every attempt, not only the last: an earlier one that
        // timed out or got a 5xx may have been applied even if the last
        // one was refused.
        maybe_applied: attempts.write_may_have_applied(),
    })
}

/// DeleteApplicationGrant; a grant that is already gone counts as deleted.
pub(crate) async fn delete_grant(
    client: &AwsClient,
    key: &GrantKey,
    attempts: &Attempts,
) -> Result<(), GrantError> {
    let result = client
        .delete_application_grant()
        .application_arn(&key.application_arn)
        .grant_type(sdk_grant_type(key.grant_type))
        .customize()
        .interceptor(attempts.recorder(true))
        .send()
        .await;
    // A grant that is already gone counts as deleted.
    unless_not_found(result)
        .map(|_| ())
        .map_err(|e| aws_failure(client, "DeleteApplicationGrant", key.describe(), e))
}

#[cfg(test)]
mod tests {
    use super::super::fake_endpoint::{self, a_key, client_of, Answer, UNKNOWN_MEMBER};
    use super::*;

    #[tokio::test]
    async fn a_put_sent_without_answer_may_have_applied_though_the_retry_was_refused() {
        let endpoint =
            fake_endpoint::serve(vec![Answer::HangUp, Answer::Refused("ThrottlingException")])
                .await;
        let client = client_of(&endpoint).await;
        let attempts = Attempts::default();
        let failure = put_grant(&client, &a_key(), &GrantSettings::RefreshToken, &attempts)
            .await
            .expect_err("no answer, then refused");
        let last = attempts.last_error().expect("a failed attempt");
        assert!(last.contains("HTTP 400"), "{last}");
        assert!(failure.maybe_applied, "{}", failure.error);
    }

    #[tokio::test]
    async fn a_put_whose_connections_were_all_refused_has_not_applied() {
        // Bound and never listened on: refused, and held for the test.
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
            .expect("socket");
        socket
            .bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .expect("bind");
        let closed = socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .expect("address");
        let client = client_of(&format!("http://{closed}")).await;
        let attempts = Attempts::default();
        let failure = put_grant(&client, &a_key(), &GrantSettings::RefreshToken, &attempts)
            .await
            .expect_err("refused");
        let last = attempts.last_error().expect("a failed attempt");
        assert!(last.to_lowercase().contains("refused"), "{last}");
        assert!(!failure.maybe_applied, "{}", failure.error);
    }

    #[tokio::test]
    async fn get_of_a_grant_in_a_shape_this_provider_does_not_know_is_an_error() {
        let client = client_of(&fake_endpoint::serve(vec![Answer::Ok(UNKNOWN_MEMBER)]).await).await;
        let read = get_grant(&client, &a_key(), &Attempts::default()).await;
        assert!(
            matches!(read, Err(GrantError::Unrecognised { .. })),
            "{read:?}"
        );
    }
}
