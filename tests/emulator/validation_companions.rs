//! Model constraints of the companion operations (applications, issuers, instances).

use aws_sdk_ssoadmin::types::{
    JwksRetrievalOption, OidcJwtConfiguration, TrustedTokenIssuerConfiguration,
    TrustedTokenIssuerType,
};
use aws_sdk_ssoadmin::Client;
use identitycenter::emulator::{RunningEmulator, CUSTOM_APPLICATION_PROVIDER_ARN};

use crate::support::*;

async fn setup() -> (RunningEmulator, Client, String) {
    let emu = emulator().await;
    let c = client(&emu);
    let app = app(&emu, "web");
    (emu, c, app)
}

#[tokio::test]
async fn create_application_requires_a_name_of_1_to_100_characters() {
    let (emu, c, _) = setup().await;
    let base = || {
        c.create_application()
            .instance_arn(emu.instance_arn())
            .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
    };
    assert_validation(base().send().await);
    assert_validation(base().name("").send().await);
    assert_validation(base().name("n".repeat(101)).send().await);
}

#[tokio::test]
async fn create_application_checks_instance_and_provider_arns_and_description() {
    let (emu, c, _) = setup().await;
    assert_validation(
        c.create_application()
            .instance_arn("arn:aws:sso:::instance/bad")
            .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
            .name("a")
            .send()
            .await,
    );
    assert_validation(
        c.create_application()
            .instance_arn(emu.instance_arn())
            .application_provider_arn("arn:aws:sso::aws:applicationProvider/")
            .name("a")
            .send()
            .await,
    );
    assert_validation(
        c.create_application()
            .instance_arn(emu.instance_arn())
            .application_provider_arn(CUSTOM_APPLICATION_PROVIDER_ARN)
            .name("a")
            .description("d".repeat(129))
            .send()
            .await,
    );
}

#[tokio::test]
async fn max_results_must_be_between_1_and_100() {
    let (emu, c, _) = setup().await;
    assert_validation(
        c.list_applications()
            .instance_arn(emu.instance_arn())
            .max_results(0)
            .send()
            .await,
    );
    assert_validation(
        c.list_applications()
            .instance_arn(emu.instance_arn())
            .max_results(101)
            .send()
            .await,
    );
    assert_validation(c.list_instances().max_results(101).send().await);
    assert_validation(
        c.list_trusted_token_issuers()
            .instance_arn(emu.instance_arn())
            .max_results(0)
            .send()
            .await,
    );
}

#[tokio::test]
async fn list_applications_requires_an_instance_arn() {
    let (_emu, c, _) = setup().await;
    assert_validation(c.list_applications().send().await);
}

#[tokio::test]
async fn describe_and_delete_check_their_arns() {
    let (_emu, c, _) = setup().await;
    assert_validation(
        c.describe_application()
            .application_arn("apl-1")
            .send()
            .await,
    );
    assert_validation(c.delete_application().send().await);
    assert_validation(
        c.describe_trusted_token_issuer()
            .trusted_token_issuer_arn("tti-1")
            .send()
            .await,
    );
    assert_validation(
        c.delete_trusted_token_issuer()
            .trusted_token_issuer_arn(TTI_ARN.to_uppercase())
            .send()
            .await,
    );
}

fn oidc(url: &str, claim: &str) -> TrustedTokenIssuerConfiguration {
    TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
        OidcJwtConfiguration::builder()
            .issuer_url(url)
            .claim_attribute_path(claim)
            .identity_store_attribute_path("emails.value")
            .jwks_retrieval_option(JwksRetrievalOption::OpenIdDiscovery)
            .build()
            .expect("oidc config"),
    )
}

#[tokio::test]
async fn create_trusted_token_issuer_checks_name_url_and_claim() {
    let (emu, c, _) = setup().await;
    let base = || {
        c.create_trusted_token_issuer()
            .instance_arn(emu.instance_arn())
            .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
    };
    assert_validation(
        base()
            .name("has space")
            .trusted_token_issuer_configuration(oidc("https://idp.example.com", "email"))
            .send()
            .await,
    );
    assert_validation(
        base()
            .name("ok")
            .trusted_token_issuer_configuration(oidc("ftp://idp.example.com", "email"))
            .send()
            .await,
    );
    assert_validation(
        base()
            .name("ok")
            .trusted_token_issuer_configuration(oidc("https://idp.example.com", "a.b.c.d"))
            .send()
            .await,
    );
    assert_validation(base().name("ok").send().await);
    assert_validation(
        c.create_trusted_token_issuer()
            .instance_arn(emu.instance_arn())
            .name("ok")
            .trusted_token_issuer_configuration(oidc("https://idp.example.com", "email"))
            .send()
            .await,
    );
}

#[tokio::test]
async fn trusted_token_issuer_names_are_ascii_word_characters() {
    let (emu, c, _) = setup().await;
    let create = |name: &str| {
        c.create_trusted_token_issuer()
            .instance_arn(emu.instance_arn())
            .name(name)
            .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(oidc("https://idp.example.com", "email"))
            .send()
    };
    // `\w` in the model's `[\w+=,.@-]+` is ECMA-262, so ASCII letters, digits and `_` only.
    assert_validation(create("naïve-名前").await);
    assert_validation(create("issuer١").await);
    create("Corp_Issuer-1+=,.@").await.expect("ASCII name");
}
