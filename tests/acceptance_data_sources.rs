//! The data sources `identitycenter_application_grant` and
//! `identitycenter_application_grants`, driven by real Terraform against the
//! emulator: reads deferred to apply, reads at plan time, paging, missing
//! grants and argument validation.

mod support;

use aws_sdk_ssoadmin::types::{AuthorizationCodeGrant, Grant, GrantType, TokenExchangeGrant};
use serde_json::{json, Value};
use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::latest_terraform;

/// Grant JSON as the data sources return it, in the resource's block shape.
fn refresh_token_grant() -> Value {
    json!({"authorization_code": null, "jwt_bearer": null, "refresh_token": {}, "token_exchange": null})
}

#[test]
fn data_sources_read_grants_created_in_the_same_configuration() {
    let emulator = Emulator::start(&["app"], &["idp"], &[]);
    let app = emulator.app("app").to_string();
    let idp = emulator.issuer("idp").to_string();
    let config = [
        grant_hcl(
            "code",
            &app,
            "authorization_code",
            &authorization_code(&["https://b.example.com/cb", "https://a.example.com/cb"]),
        ),
        grant_hcl("refresh", &app, "refresh_token", REFRESH_TOKEN),
        grant_hcl("jwt", &app, JWT_BEARER_TYPE, &jwt_bearer(&[(&idp, &["aud-1"])])),
        // Its application ARN comes from the resource's computed id, unknown
        // until apply: Terraform must defer the read to apply.
        r#"
data "identitycenter_application_grant" "code" {
  application_arn = split(",", identitycenter_application_grant.code.id)[0]
  grant_type      = "authorization_code"
}

# Known arguments, but it depends on resources with changes pending: also
# read during apply.
data "identitycenter_application_grants" "all" {
  application_arn = identitycenter_application_grant.code.application_arn
  depends_on      = [identitycenter_application_grant.code, identitycenter_application_grant.refresh, identitycenter_application_grant.jwt]
}

output "code_id" { value = data.identitycenter_application_grant.code.id }
output "code_grant" { value = data.identitycenter_application_grant.code.grant }
output "all" { value = data.identitycenter_application_grants.all.grants }
"#
        .to_string(),
    ]
    .concat();
    let h = Harness::new(&latest_terraform(), emulator);
    let app_for_checks = app.clone();
    h.run(vec![Step::apply(config.clone())
        .actions(vec![
            ("identitycenter_application_grant.code", vec!["create"]),
            ("identitycenter_application_grant.refresh", vec!["create"]),
            ("identitycenter_application_grant.jwt", vec!["create"]),
            ("data.identitycenter_application_grant.code", vec!["read"]),
            ("data.identitycenter_application_grants.all", vec!["read"]),
        ])
        .check(move |emu, show| {
            assert_state_matches_emulator(emu, show);
            assert_eq!(
                output(show, "code_id"),
                json!(format!("{app_for_checks},authorization_code"))
            );
            let code = output(show, "code_grant");
            assert_eq!(
                normalise(&code["authorization_code"]["redirect_uris"]),
                json!(["https://a.example.com/cb", "https://b.example.com/cb"])
            );
            for other in ["jwt_bearer", "refresh_token", "token_exchange"] {
                assert_eq!(code[other], Value::Null, "{other} is null: {code}");
            }
            let all = output(show, "all");
            let types: Vec<&str> = all
                .as_array()
                .expect("a list of grants")
                .iter()
                .map(|g| g["grant_type"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(
                types,
                ["authorization_code", "refresh_token", JWT_BEARER_TYPE],
                "ordered by grant type"
            );
            assert_eq!(all[1]["grant"], refresh_token_grant());
            assert_eq!(
                all[2]["grant"]["jwt_bearer"]["authorized_token_issuers"],
                json!([{"trusted_token_issuer_arn": idp, "authorized_audiences": ["aud-1"]}])
            );
        })]);

    // Nothing pending now: both are read at plan time, and a grant added out
    // of band shows up in that plan's outputs, known before apply.
    h.emulator.put_grant_out_of_band(
        &app,
        GrantType::TokenExchange,
        Grant::TokenExchange(TokenExchangeGrant::builder().build()),
    );
    h.write(&config);
    let plan = h.plan_json();
    let changes = plan["resource_changes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        changes
            .iter()
            .all(|c| c["change"]["actions"] == json!(["no-op"])),
        "nothing to do and no deferred read: {changes:#?}"
    );
    let all = &plan["output_changes"]["all"];
    assert_eq!(all["after_unknown"], false, "read at plan time: {all}");
    let types: Vec<&str> = all["after"]
        .as_array()
        .expect("known grants")
        .iter()
        .map(|g| g["grant_type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(types, GRANT_TYPES);
}

#[test]
fn listing_follows_every_page() {
    // One grant per page: four grants take four ListApplicationGrants pages.
    let emulator = Emulator::start(&["app"], &[], &["--page-size", "1"]);
    let app = emulator.app("app").to_string();
    emulator.put_grant_out_of_band(
        &app,
        GrantType::TokenExchange,
        Grant::TokenExchange(TokenExchangeGrant::builder().build()),
    );
    emulator.put_refresh_token_out_of_band(&app);
    emulator.put_grant_out_of_band(
        &app,
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(
            AuthorizationCodeGrant::builder()
                .redirect_uris("https://a.example.com/cb")
                .build(),
        ),
    );
    let config = format!(
        r#"
data "identitycenter_application_grants" "all" {{
  application_arn = "{app}"
}}
output "types" {{ value = data.identitycenter_application_grants.all.grants[*].grant_type }}
"#
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.write(&config);
    h.ws.init();
    let pages = |emu: &Emulator| emu.calls("ListApplicationGrants");
    let before = pages(&h.emulator);
    let plan = h.plan_json();
    assert_eq!(
        plan["output_changes"]["types"]["after"],
        json!(["authorization_code", "refresh_token", TOKEN_EXCHANGE_TYPE])
    );
    assert_eq!(
        pages(&h.emulator) - before,
        3,
        "one read of three grants at one per page is three List calls"
    );
}

#[test]
fn a_missing_grant_or_application_is_an_error_that_names_it() {
    let emulator = Emulator::start(&["app", "empty"], &[], &[]);
    let app = emulator.app("app").to_string();
    let empty = emulator.app("empty").to_string();
    // A well-formed ARN of an application the emulator does not have.
    let gone = format!(
        "{}apl-0000000000000000",
        &app[..app.rfind("apl-").expect("an app ARN")]
    );
    assert_ne!(gone, app);
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();

    h.write(&format!(
        r#"
data "identitycenter_application_grant" "missing" {{
  application_arn = "{app}"
  grant_type      = "refresh_token"
}}
"#
    ));
    let errors = h.plan_errors();
    let text = format!("{errors:?}");
    assert!(text.contains("Grant not found"), "{text}");
    assert!(
        text.contains(&format!("The application {app} has no refresh_token grant")),
        "{text}"
    );

    h.write(&format!(
        r#"
data "identitycenter_application_grants" "none" {{
  application_arn = "{empty}"
}}
data "identitycenter_application_grants" "gone" {{
  application_arn = "{gone}"
}}
"#
    ));
    let errors = h.plan_errors();
    assert_eq!(
        errors.len(),
        1,
        "only the missing application fails: {errors:#?}"
    );
    let detail = errors[0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!(
            "(ListApplicationGrants) for the grants of application {gone} failed"
        )) && detail.contains("ResourceNotFoundException"),
        "{detail}"
    );
}

#[test]
fn data_source_arguments_are_validated_on_their_attribute_without_calling_aws() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();
    let cases = [
        (
            format!(
                "data \"identitycenter_application_grant\" \"x\" {{\n  application_arn = \"{app}\"\n  grant_type      = \"jwt_bearer\"\n}}\n"
            ),
            "Invalid grant type",
            "\"jwt_bearer\"",
        ),
        (
            "data \"identitycenter_application_grant\" \"x\" {\n  application_arn = \"arn:aws:sso::1:application/x\"\n  grant_type      = \"refresh_token\"\n}\n".to_string(),
            "Invalid application ARN",
            "\"arn:aws:sso::1:application/x\"",
        ),
        (
            "data \"identitycenter_application_grants\" \"x\" {\n  application_arn = \"apl-1111222233334444\"\n}\n".to_string(),
            "Invalid application ARN",
            "\"apl-1111222233334444\"",
        ),
    ];
    for (hcl, summary, value) in cases {
        h.write(&hcl);
        let errors = h.plan_errors();
        let d = errors
            .iter()
            .find(|d| d["summary"] == summary)
            .unwrap_or_else(|| panic!("no {summary:?} in {errors:#?}"));
        assert_eq!(
            diagnostic_range(d),
            locate(&h.config_text(&hcl), value),
            "{summary} points at the value {value}"
        );
        assert_eq!(h.emulator.aws_calls(), 0, "{summary}: no AWS call");
    }
}
