//! Provider functions `provider::identitycenter::grant_id` and
//! `provider::identitycenter::parse_grant_id` with real Terraform: in
//! outputs, as the IDs of `import` blocks generated with `for_each`, and
//! with bad arguments.

mod support;

use aws_sdk_ssoadmin::types::{AuthorizationCodeGrant, Grant, GrantType, TokenExchangeGrant};
use serde_json::json;
use support::emulator::Emulator;
use support::grants::*;
use support::steps::*;
use support::terraform::latest_terraform;

#[test]
fn functions_build_and_take_apart_grant_ids_in_outputs() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let config = format!(
        r#"
locals {{
  id = provider::identitycenter::grant_id("{app}", "urn:ietf:params:oauth:grant-type:token-exchange")
}}
output "id" {{ value = local.id }}
output "parts" {{ value = provider::identitycenter::parse_grant_id(local.id) }}
output "round_trip" {{
  value = provider::identitycenter::grant_id(
    provider::identitycenter::parse_grant_id(local.id).application_arn,
    provider::identitycenter::parse_grant_id(local.id).grant_type,
  )
}}
"#
    );
    let expected_id = format!("{app},{TOKEN_EXCHANGE_TYPE}");
    let h = Harness::new(&latest_terraform(), emulator);
    h.run(vec![Step::apply(config).check(move |emu, show| {
        assert_eq!(output(show, "id"), json!(expected_id));
        assert_eq!(
            output(show, "parts"),
            json!({"application_arn": app, "grant_type": TOKEN_EXCHANGE_TYPE})
        );
        assert_eq!(output(show, "round_trip"), json!(expected_id));
        assert_eq!(emu.aws_calls(), 0, "functions never call AWS");
    })]);
}

/// The resource changes of a plan of the current configuration.
fn planned_changes(h: &Harness) -> Vec<serde_json::Value> {
    h.plan_json()["resource_changes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn import_blocks_generated_with_for_each_take_their_ids_from_grant_id() {
    let emulator = Emulator::start(&["app1", "app2"], &[], &[]);
    let (app1, app2) = (
        emulator.app("app1").to_string(),
        emulator.app("app2").to_string(),
    );
    // Grants made by someone else, to be adopted by Terraform.
    emulator.put_grant_out_of_band(
        &app1,
        GrantType::AuthorizationCode,
        Grant::AuthorizationCode(
            AuthorizationCodeGrant::builder()
                .redirect_uris("https://one.example.com/cb")
                .build(),
        ),
    );
    emulator.put_refresh_token_out_of_band(&app1);
    emulator.put_grant_out_of_band(
        &app2,
        GrantType::TokenExchange,
        Grant::TokenExchange(TokenExchangeGrant::builder().build()),
    );
    let config = format!(
        r#"
locals {{
  grants = {{
    one_code    = {{ app = "{app1}", type = "authorization_code", uris = ["https://one.example.com/cb"] }}
    one_refresh = {{ app = "{app1}", type = "refresh_token", uris = [] }}
    two_tx      = {{ app = "{app2}", type = "{TOKEN_EXCHANGE_TYPE}", uris = [] }}
  }}
}}

import {{
  for_each = local.grants
  to       = identitycenter_application_grant.adopted[each.key]
  id       = provider::identitycenter::grant_id(each.value.app, each.value.type)
}}

resource "identitycenter_application_grant" "adopted" {{
  for_each        = local.grants
  application_arn = each.value.app
  grant_type      = each.value.type
  grant {{
    dynamic "authorization_code" {{
      for_each = each.value.type == "authorization_code" ? [1] : []
      content {{
        redirect_uris = each.value.uris
      }}
    }}
    dynamic "refresh_token" {{
      for_each = each.value.type == "refresh_token" ? [1] : []
      content {{}}
    }}
    dynamic "token_exchange" {{
      for_each = each.value.type == "{TOKEN_EXCHANGE_TYPE}" ? [1] : []
      content {{}}
    }}
  }}
}}
"#
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.write(&config);
    h.ws.init();
    let changes = planned_changes(&h);
    assert_eq!(changes.len(), 3, "{changes:#?}");
    for change in &changes {
        assert_eq!(change["change"]["actions"], json!(["no-op"]), "{change:#}");
        let id = change["change"]["importing"]["id"]
            .as_str()
            .unwrap_or_default();
        let key = change["index"].as_str().unwrap_or_default();
        let (app, grant_type) = match key {
            "one_code" => (&app1, "authorization_code"),
            "one_refresh" => (&app1, "refresh_token"),
            "two_tx" => (&app2, TOKEN_EXCHANGE_TYPE),
            other => panic!("unexpected instance {other}"),
        };
        assert_eq!(id, format!("{app},{grant_type}"), "{key}");
    }
    h.run(vec![Step::apply(config).check(|emu, show| {
        assert_eq!(state_grants(show).len(), 3);
        assert_state_matches_emulator(emu, show);
    })]);
}

#[test]
fn import_blocks_generated_with_for_each_take_their_identities_from_parse_grant_id() {
    // IDs handed over from elsewhere (a spreadsheet, another tool), each
    // taken apart into the identity to import by and the arguments to set.
    let emulator = Emulator::start(&["app1", "app2"], &[], &[]);
    let (app1, app2) = (
        emulator.app("app1").to_string(),
        emulator.app("app2").to_string(),
    );
    emulator.put_refresh_token_out_of_band(&app1);
    emulator.put_refresh_token_out_of_band(&app2);
    let config = format!(
        r#"
locals {{
  ids = toset(["{app1},refresh_token", "{app2},refresh_token"])
}}

import {{
  for_each = local.ids
  to       = identitycenter_application_grant.listed[each.key]
  identity = provider::identitycenter::parse_grant_id(each.value)
}}

resource "identitycenter_application_grant" "listed" {{
  for_each        = local.ids
  application_arn = provider::identitycenter::parse_grant_id(each.key).application_arn
  grant_type      = provider::identitycenter::parse_grant_id(each.key).grant_type
  grant {{
    refresh_token {{}}
  }}
}}
"#
    );
    let h = Harness::new(&latest_terraform(), emulator);
    h.write(&config);
    h.ws.init();
    let changes = planned_changes(&h);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    for change in &changes {
        assert_eq!(change["change"]["actions"], json!(["no-op"]), "{change:#}");
        let key = change["index"].as_str().unwrap_or_default();
        let (app, grant_type) = key.split_once(',').expect("an ID as the key");
        assert_eq!(
            change["change"]["importing"]["identity"],
            json!({"application_arn": app, "grant_type": grant_type}),
            "{change:#}"
        );
    }
    h.run(vec![Step::apply(config).check(|emu, show| {
        assert_eq!(state_grants(show).len(), 2);
        assert_state_matches_emulator(emu, show);
        assert_eq!(
            emu.calls("PutApplicationGrant"),
            2,
            "only the out-of-band writes"
        );
    })]);
}

#[test]
fn bad_arguments_are_errors_on_the_argument_with_the_expected_form() {
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    let h = Harness::new(&latest_terraform(), emulator);
    h.write("");
    h.ws.init();
    let cases = [
        (
            "output \"x\" { value = provider::identitycenter::grant_id(\"arn:aws:sso::1:application/x\", \"refresh_token\") }\n".to_string(),
            "arn:aws:sso::1:application/x",
            vec!["Invalid application_arn", "is not an Identity Center application ARN", "Expected the form"],
        ),
        (
            format!("output \"x\" {{ value = provider::identitycenter::grant_id(\"{app}\", \"jwt_bearer\") }}\n"),
            "jwt_bearer",
            vec!["Invalid grant_type", "grant_type takes the full value \\\"urn:ietf:params:oauth:grant-type:jwt-bearer\\\""],
        ),
        (
            "output \"x\" { value = provider::identitycenter::parse_grant_id(\"refresh_token\") }\n".to_string(),
            "refresh_token",
            vec!["Invalid id", "has no comma", "Expected \\\"<application_arn>,<grant_type>\\\""],
        ),
    ];
    for (hcl, argument, wanted) in cases {
        h.write(&hcl);
        let errors = h.plan_errors();
        assert_eq!(errors.len(), 1, "{hcl}: {errors:#?}");
        let d = &errors[0];
        let text = d.to_string();
        for w in &wanted {
            assert!(text.contains(w), "{hcl}: {w:?} not in {text}");
        }
        // Terraform highlights the argument's text (inside its quotes).
        assert_eq!(
            diagnostic_range(d),
            locate(&h.config_text(&hcl), argument),
            "{hcl}: the error points at the bad argument"
        );
    }
    assert_eq!(h.emulator.aws_calls(), 0);
}
