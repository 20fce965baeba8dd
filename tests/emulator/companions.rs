//! Instances, applications and trusted token issuers.

use aws_sdk_ssoadmin::types::{
    ApplicationStatus, InstanceStatus, JwksRetrievalOption, ListApplicationsFilter,
    OidcJwtConfiguration, TrustedTokenIssuerConfiguration, TrustedTokenIssuerType,
};
use identitycenter::emulator::CUSTOM_APPLICATION_PROVIDER_ARN;

use crate::support::*;

#[tokio::test]
async fn list_instances_returns_the_one_instance() {
    let emu = emulator().await;
    let out = client(&emu).list_instances().send().await.expect("list");
    assert_eq!(out.instances().len(), 1);
    let instance = &out.instances()[0];
    assert_eq!(instance.instance_arn(), Some(emu.instance_arn()));
    assert_eq!(instance.owner_account_id(), Some("123456789012"));
    assert_eq!(instance.status(), Some(&InstanceStatus::Active));
    assert!(instance
        .identity_store_id()
        .is_some_and(|id| id.starts_with("d-")));
    assert!(out.next_token().is_none());
}

#[tokio::test]
async fn applications_are_created_described_listed_and_deleted() {
    let emu = emulator().await;
    let c = client(&emu);
    let created = c
        .create_application()
        .instance_arn(emu.instance_arn())
        .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
        .name("portal")
        .description("the portal")
        .send()
        .await
        .expect("create");
    let arn = created.application_arn().expect("arn").to_string();
    let instance_id = emu.instance_arn().rsplit('/').next().unwrap_or_default();
    let prefix = format!("arn:aws:sso::123456789012:application/{instance_id}/apl-");
    assert!(arn.starts_with(&prefix), "{arn}");
    let id = &arn[prefix.len()..];
    assert_eq!(id.len(), 16);
    assert!(id.chars().all(|ch| ch.is_ascii_alphanumeric()));

    let described = c
        .describe_application()
        .application_arn(&arn)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.name(), Some("portal"));
    assert_eq!(described.description(), Some("the portal"));
    assert_eq!(
        described.application_provider_arn(),
        Some(CUSTOM_APPLICATION_PROVIDER_ARN)
    );
    assert_eq!(described.instance_arn(), Some(emu.instance_arn()));
    assert_eq!(described.status(), Some(&ApplicationStatus::Enabled));
    assert_eq!(described.application_account(), Some("123456789012"));
    assert!(described.created_date().is_some());

    let all: Vec<_> = c
        .list_applications()
        .instance_arn(emu.instance_arn())
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("list");
    let names: Vec<_> = all.iter().filter_map(|a| a.name()).collect();
    assert_eq!(
        names,
        ["web", "api", "portal"],
        "creation order across pages"
    );

    c.delete_application()
        .application_arn(&arn)
        .send()
        .await
        .expect("delete");
    assert_eq!(
        code_of(c.describe_application().application_arn(&arn).send().await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code_of(c.delete_application().application_arn(&arn).send().await),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn list_applications_honours_max_results_and_filters() {
    let emu = emulator().await;
    let c = client(&emu);
    let page = c
        .list_applications()
        .instance_arn(emu.instance_arn())
        .max_results(1)
        .send()
        .await
        .expect("list");
    assert_eq!(page.applications().len(), 1);
    assert!(page.next_token().is_some());
    let other = c
        .list_applications()
        .instance_arn(emu.instance_arn())
        .filter(
            ListApplicationsFilter::builder()
                .application_provider("arn:aws:sso::aws:applicationProvider/catalog/other")
                .build(),
        )
        .send()
        .await
        .expect("list");
    assert!(other.applications().is_empty());
}

#[tokio::test]
async fn create_application_in_an_unknown_instance_is_not_found() {
    let emu = emulator().await;
    let result = client(&emu)
        .create_application()
        .instance_arn("arn:aws:sso:::instance/ssoins-0000000000000000")
        .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
        .name("x")
        .send()
        .await;
    assert_eq!(code_of(result), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_repeated_client_token_returns_the_first_result() {
    let emu = emulator().await;
    let c = client(&emu);
    let create = |name: &str| {
        c.create_application()
            .instance_arn(emu.instance_arn())
            .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
            .name(name)
            .client_token("token-1")
            .send()
    };
    let first = create("same").await.expect("first");
    let again = create("same").await.expect("again");
    assert_eq!(first.application_arn(), again.application_arn());
    assert_eq!(code_of(create("different").await), "ConflictException");
    assert_eq!(
        emu.state()["Applications"].as_array().map(Vec::len),
        Some(3)
    );
}

fn oidc() -> TrustedTokenIssuerConfiguration {
    TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
        OidcJwtConfiguration::builder()
            .issuer_url("https://idp.example.com")
            .claim_attribute_path("email")
            .identity_store_attribute_path("emails.value")
            .jwks_retrieval_option(JwksRetrievalOption::OpenIdDiscovery)
            .build()
            .expect("config"),
    )
}

#[tokio::test]
async fn trusted_token_issuers_are_created_described_listed_and_deleted() {
    let emu = emulator().await;
    let c = client(&emu);
    let out = c
        .create_trusted_token_issuer()
        .instance_arn(emu.instance_arn())
        .name("okta")
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(oidc())
        .send()
        .await
        .expect("create");
    let arn = out.trusted_token_issuer_arn().expect("arn").to_string();
    let described = c
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.name(), Some("okta"));
    assert_eq!(
        described.trusted_token_issuer_configuration(),
        Some(&oidc())
    );
    let names: Vec<String> = c
        .list_trusted_token_issuers()
        .instance_arn(emu.instance_arn())
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("list")
        .iter()
        .filter_map(|i| i.name().map(str::to_string))
        .collect();
    assert_eq!(names, ["corp", "okta"]);
    c.delete_trusted_token_issuer()
        .trusted_token_issuer_arn(&arn)
        .send()
        .await
        .expect("delete");
    assert_eq!(
        code_of(
            c.describe_trusted_token_issuer()
                .trusted_token_issuer_arn(&arn)
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn the_eleventh_trusted_token_issuer_exceeds_the_quota() {
    let emu = emulator().await; // one issuer is seeded
    let c = client(&emu);
    let create = |i: usize| {
        c.create_trusted_token_issuer()
            .instance_arn(emu.instance_arn())
            .name(format!("issuer-{i}"))
            .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(oidc())
            .send()
    };
    for i in 0..9 {
        create(i).await.expect("within quota");
    }
    assert_eq!(code_of(create(9).await), "ServiceQuotaExceededException");
}
