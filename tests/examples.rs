//! Every example under `examples/` (except the quick start, which `make
//! demo` runs), used verbatim as a user would: the provider configured from
//! the environment, the emulator seeded with `examples/emulator-seed.json`.

mod support;

use aws_sdk_ssoadmin::types::{
    AuthorizationCodeGrant, AuthorizedTokenIssuer, Grant, GrantType, JwtBearerGrant,
    TokenExchangeGrant,
};
use serde_json::json;
use support::emulator::Emulator;
use support::examples::*;
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, terraform_versions, Workspace};

const PROVIDER: &str = "provider/provider.tf";
const RESOURCE: &str = "resources/identitycenter_application_grant/resource.tf";

/// The provider example followed by the resource example (and `more`).
fn provider_and_resources(more: &[&str]) -> String {
    let mut parts = vec![readme_example(PROVIDER), example(RESOURCE)];
    parts.extend(more.iter().map(|p| example(p)));
    parts.join("\n")
}

fn put_token_exchange(emulator: &Emulator, app: &str) {
    emulator.put_grant_out_of_band(
        app,
        GrantType::TokenExchange,
        Grant::TokenExchange(TokenExchangeGrant::builder().build()),
    );
}

/// The authorization_code grant exactly as the resource example writes it.
fn put_authorization_code_as_in_the_example(emulator: &Emulator) {
    emulator.put_grant_out_of_band(
        PORTAL,
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(
            AuthorizationCodeGrant::builder()
                .redirect_uris("http://localhost:8080/oauth/callback")
                .redirect_uris("https://portal.example.com/oauth/callback")
                .build(),
        ),
    );
}

/// The four grants of the resource example.
const RESOURCE_ADDRESSES: [&str; 4] = [
    "identitycenter_application_grant.authorization_code",
    "identitycenter_application_grant.refresh_token",
    "identitycenter_application_grant.jwt_bearer",
    "identitycenter_application_grant.token_exchange",
];

/// Planned actions of the resource example's grants: those named in
/// `adopted` imported without changes, the others created.
fn resource_example_actions(adopted: &[&str]) -> Vec<(&'static str, Vec<&'static str>)> {
    RESOURCE_ADDRESSES
        .into_iter()
        .map(|address| {
            let name = address.rsplit('.').next().unwrap_or_default();
            let action = if adopted.contains(&name) {
                "no-op"
            } else {
                "create"
            };
            (address, vec![action])
        })
        .collect()
}

#[test]
fn the_provider_and_resource_examples_create_every_grant_type_and_destroy_them() {
    for terraform in terraform_versions() {
        let h = harness(&terraform, seeded_emulator(&[]));
        let config = provider_and_resources(&[]);
        h.run(vec![
            Step::apply(config.clone())
                .actions(resource_example_actions(&[]))
                .check(|emulator, show| {
                    assert_eq!(state_grants(show).len(), 4);
                    let jwt = &emulator.grants()[&(
                        PORTAL.to_string(),
                        "urn:ietf:params:oauth:grant-type:jwt-bearer".to_string(),
                    )];
                    assert_eq!(
                        jwt["JwtBearer"]["AuthorizedTokenIssuers"][0]["TrustedTokenIssuerArn"],
                        json!(CORP_IDP)
                    );
                }),
            Step::destroy(config),
        ]);
    }
}

#[test]
fn the_import_script_adopts_an_existing_grant() {
    let h = harness(&latest_terraform(), seeded_emulator(&[]));
    h.emulator.put_refresh_token_out_of_band(PORTAL);
    let config = provider_and_resources(&[]);
    h.write(&config);
    h.ws.init();
    let writes = h.emulator.calls("PutApplicationGrant");

    let script = example_path("resources/identitycenter_application_grant/import.sh");
    let out = h.ws.run_script(&script);
    assert!(
        out.status.success(),
        "import.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        h.emulator.calls("PutApplicationGrant"),
        writes,
        "import writes nothing"
    );
    assert_eq!(
        state_grants(&h.show()).keys().cloned().collect::<Vec<_>>(),
        vec![RESOURCE_ADDRESSES[1].to_string()]
    );

    h.run(vec![Step::apply(config)
        .actions(resource_example_actions(&["refresh_token"]))
        .check(move |emulator, _| {
            assert_eq!(emulator.calls("PutApplicationGrant"), writes + 3);
        })]);
}

#[test]
fn the_import_block_examples_adopt_grants_by_id_and_by_identity() {
    let h = harness(&latest_terraform(), seeded_emulator(&[]));
    h.emulator.put_refresh_token_out_of_band(PORTAL);
    put_authorization_code_as_in_the_example(&h.emulator);
    let writes = h.emulator.calls("PutApplicationGrant");
    // The README quotes the identity example whole: loaded through
    // readme_example, so the two cannot drift apart.
    let config = [
        provider_and_resources(&[
            "resources/identitycenter_application_grant/import-by-string-id.tf",
        ]),
        readme_example("resources/identitycenter_application_grant/import-by-identity.tf"),
    ]
    .join("\n");
    h.run(vec![Step::apply(config)
        .actions(resource_example_actions(&[
            "refresh_token",
            "authorization_code",
        ]))
        .check(move |emulator, show| {
            assert_eq!(state_grants(show).len(), 4);
            assert_eq!(emulator.calls("PutApplicationGrant"), writes + 2);
        })]);
}

#[test]
fn the_data_source_examples_read_one_grant_and_every_grant() {
    let h = harness(&latest_terraform(), seeded_emulator(&[]));
    h.emulator.put_refresh_token_out_of_band(PORTAL);
    put_authorization_code_as_in_the_example(&h.emulator);
    let config = [
        example(PROVIDER),
        readme_example("data-sources/identitycenter_application_grant/data-source.tf"),
        readme_example("data-sources/identitycenter_application_grants/data-source.tf"),
    ]
    .join("\n");
    h.run(vec![Step::apply(config)
        .emulator_holds_unmanaged_grants()
        .check(|_, show| {
            assert_eq!(
                output(show, "redirect_uris"),
                json!([
                    "http://localhost:8080/oauth/callback",
                    "https://portal.example.com/oauth/callback"
                ])
            );
            assert_eq!(
                output(show, "grant_types"),
                json!(["authorization_code", "refresh_token"])
            );
        })]);
}

#[test]
fn the_function_examples_build_ids_that_adopt_grants_and_take_ids_apart() {
    let h = harness(&latest_terraform(), seeded_emulator(&[]));
    h.emulator.put_refresh_token_out_of_band(PORTAL);
    put_token_exchange(&h.emulator, PORTAL);
    let writes = h.emulator.calls("PutApplicationGrant");
    let config = [
        example(PROVIDER),
        readme_example("functions/grant_id/function.tf"),
        readme_example("functions/parse_grant_id/function.tf"),
    ]
    .join("\n");
    h.run(vec![Step::apply(config).check(move |emulator, show| {
        assert_eq!(state_grants(show).len(), 2);
        assert_eq!(
            emulator.calls("PutApplicationGrant"),
            writes,
            "adopted, not written"
        );
        assert_eq!(
            output(show, "refresh_token_grant_id"),
            json!(format!("{PORTAL},refresh_token"))
        );
        assert_eq!(
            output(show, "grant_parts"),
            json!({"application_arn": PORTAL, "grant_type": "refresh_token"})
        );
    })]);
}

#[test]
fn the_list_resource_example_finds_grants_and_generates_their_configuration() {
    let h = harness(&latest_terraform(), seeded_emulator(&[]));
    h.emulator.put_refresh_token_out_of_band(PORTAL);
    put_token_exchange(&h.emulator, PORTAL);
    put_authorization_code_as_in_the_example(&h.emulator);
    h.emulator.put_grant_out_of_band(
        PORTAL,
        GrantType::JwtBearer,
        Grant::JwtBearer(
            JwtBearerGrant::builder()
                .authorized_token_issuers(
                    AuthorizedTokenIssuer::builder()
                        .trusted_token_issuer_arn(CORP_IDP)
                        .authorized_audiences("portal-api")
                        .build(),
                )
                .build(),
        ),
    );
    h.emulator.put_refresh_token_out_of_band(ANALYTICS);
    let provider = example(PROVIDER);
    h.write(&provider);
    h.ws.init();
    h.write_query(&readme_example(
        "list-resources/identitycenter_application_grant/list-resource.tfquery.hcl",
    ));
    let (ok, lines) = h.query(&[]);
    assert!(ok, "{:#?}", errors(&lines));
    let found = messages(&lines, "list_resource_found");
    let count = |address: &str| found.iter().filter(|f| f["address"] == address).count();
    assert_eq!(count("list.identitycenter_application_grant.portal"), 4);
    assert_eq!(count("list.identitycenter_application_grant.instance"), 5);

    let (ok, lines) = h.query(&["-generate-config-out=generated.tf"]);
    assert!(ok, "{:#?}", errors(&lines));
    std::fs::remove_file(h.ws.path().join("main.tfquery.hcl")).expect("remove query");
    // Both list blocks found the portal's grants: keep one import of each.
    let generated = std::fs::read_to_string(h.ws.path().join("generated.tf")).expect("generated");
    let kept: String = generated
        .split("\n\n")
        .filter(|chunk| !chunk.contains("instance_") || chunk.contains(ANALYTICS))
        .collect::<Vec<_>>()
        .join("\n\n");
    std::fs::write(h.ws.path().join("generated.tf"), kept).expect("rewrite generated");
    let writes = h.emulator.calls("PutApplicationGrant");
    h.run(vec![Step::apply(provider).check(move |emulator, show| {
        assert_eq!(state_grants(show).len(), 5);
        assert_eq!(
            emulator.calls("PutApplicationGrant"),
            writes,
            "imported, not written"
        );
    })]);
}

/// Runs `terraform test` for one file of the module's suite in `ws`.
fn module_test(ws: &Workspace, file: &str) -> String {
    ws.init();
    let out = ws.run(&["test", "-no-color", &format!("-filter=tests/{file}")]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "terraform test {file} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_module_passes_its_own_terraform_test_suite_against_the_emulator() {
    let emulator = seeded_emulator(&[]);
    let mut ws = Workspace::new(&latest_terraform());
    point_at(&mut ws, &emulator);
    copy_example_dir(&ws, "modules/oauth_application", ".");
    let out = module_test(&ws, "emulator.tftest.hcl");
    assert!(out.contains("5 passed, 0 failed"), "{out}");
    assert!(
        emulator.calls("PutApplicationGrant") >= 5,
        "the runs wrote grants"
    );
    assert!(
        emulator.grants().is_empty(),
        "terraform test destroys what it created: {:?}",
        emulator.grants().keys()
    );
}

#[test]
fn the_modules_mocked_tests_need_no_aws() {
    // No endpoint, no credentials, no region: any call to AWS would fail.
    let ws = Workspace::new(&latest_terraform());
    copy_example_dir(&ws, "modules/oauth_application", ".");
    let out = module_test(&ws, "mocked.tftest.hcl");
    assert!(out.contains("2 passed, 0 failed"), "{out}");
}

#[test]
fn the_composition_example_grants_to_every_application_through_the_module() {
    for terraform in terraform_versions() {
        let emulator = seeded_emulator(&[]);
        let mut ws = Workspace::new(&terraform);
        point_at(&mut ws, &emulator);
        copy_example_dir(&ws, "composition", "composition");
        copy_example_dir(&ws, "modules", "modules");
        let tf = |args: &[&str]| {
            let mut all = vec!["-chdir=composition"];
            all.extend_from_slice(args);
            ws.run_ok(&all)
        };
        tf(&["init", "-no-color", "-input=false"]);
        tf(&["apply", "-no-color", "-input=false", "-auto-approve"]);
        let show: serde_json::Value =
            serde_json::from_str(&tf(&["show", "-json"])).expect("show JSON");
        assert_state_matches_emulator(&emulator, &show);
        // portal and helpdesk trust the issuer (3 grants each), analytics does not (2).
        assert_eq!(
            emulator.grants().len(),
            8,
            "Terraform {}",
            terraform.version
        );
        let ids = output(&show, "grant_ids");
        assert_eq!(
            ids["analytics"],
            json!({
                "authorization_code": format!("{ANALYTICS},authorization_code"),
                "refresh_token": format!("{ANALYTICS},refresh_token"),
            })
        );
        let plan = ws.run(&[
            "-chdir=composition",
            "plan",
            "-detailed-exitcode",
            "-no-color",
            "-input=false",
        ]);
        assert_eq!(
            plan.status.code(),
            Some(0),
            "no changes after apply:\n{}",
            String::from_utf8_lossy(&plan.stdout)
        );
        tf(&["destroy", "-no-color", "-input=false", "-auto-approve"]);
        assert!(emulator.grants().is_empty());
    }
}
