//! The configurations and emulator set-ups the figures run.

use std::fmt::Write as _;
use std::path::Path;

use crate::measure::{NULL_SOURCE, NULL_VERSION};
use crate::support::emulator::Emulator;
use crate::support::terraform::required_providers;

/// An emulator holding `apps` applications (and one trusted token issuer),
/// started with `extra` flags (latency, page size).
pub fn emulator(scratch: &Path, name: &str, apps: usize, extra: &[&str]) -> Emulator {
    let applications: Vec<String> = (0..apps)
        .map(|i| format!(r#"{{"name": "app-{i:04}", "id": "apl-{i:016x}"}}"#))
        .collect();
    let seed = format!(
        r#"{{"instance_id": "ssoins-1111222233334444", "applications": [{}], "trusted_token_issuers": [{{"name": "idp"}}]}}"#,
        applications.join(", ")
    );
    let path = scratch.join(format!("{name}-seed.json"));
    std::fs::write(&path, seed).expect("write seed");
    let mut args = vec!["--seed", path.to_str().expect("UTF-8 path")];
    args.extend_from_slice(extra);
    let emulator = Emulator::start(&[], &[], &args);
    assert_eq!(emulator.applications.len(), apps, "seeded applications");
    emulator
}

/// Application ARNs in name order.
pub fn application_arns(emulator: &Emulator) -> Vec<String> {
    emulator.applications.values().cloned().collect()
}

fn header(emulator: &Emulator) -> String {
    format!("{}{}", required_providers(), emulator.provider_block())
}

/// One `refresh_token` grant per application, each written out.
pub fn static_grants(emulator: &Emulator, arns: &[String]) -> String {
    let mut hcl = header(emulator);
    for (i, arn) in arns.iter().enumerate() {
        let _ = write!(
            hcl,
            "\nresource \"identitycenter_application_grant\" \"g{i}\" {{\n  application_arn = \"{arn}\"\n  grant_type      = \"refresh_token\"\n  grant {{\n    refresh_token {{}}\n  }}\n}}\n"
        );
    }
    hcl
}

/// The same grants from one `for_each` resource with `dynamic` blocks.
pub fn dynamic_grants(emulator: &Emulator, arns: &[String]) -> String {
    let mut hcl = header(emulator);
    hcl.push_str("\nlocals {\n  applications = {\n");
    for (i, arn) in arns.iter().enumerate() {
        let _ = writeln!(hcl, "    g{i} = \"{arn}\"");
    }
    hcl.push_str(
        r#"  }
  grant_type = "refresh_token"
}

resource "identitycenter_application_grant" "g" {
  for_each        = local.applications
  application_arn = each.value
  grant_type      = local.grant_type
  grant {
    dynamic "refresh_token" {
      for_each = local.grant_type == "refresh_token" ? [1] : []
      content {}
    }
    dynamic "token_exchange" {
      for_each = local.grant_type == "urn:ietf:params:oauth:grant-type:token-exchange" ? [1] : []
      content {}
    }
  }
}
"#,
    );
    hcl
}

/// All four grant types on every application.
pub fn four_per_application(emulator: &Emulator, arns: &[String]) -> String {
    let issuer = emulator.issuer("idp");
    let mut hcl = header(emulator);
    for (i, arn) in arns.iter().enumerate() {
        let _ = write!(
            hcl,
            r#"
resource "identitycenter_application_grant" "code{i}" {{
  application_arn = "{arn}"
  grant_type      = "authorization_code"
  grant {{
    authorization_code {{
      redirect_uris = ["https://app{i}.example.com/callback"]
    }}
  }}
}}

resource "identitycenter_application_grant" "refresh{i}" {{
  application_arn = "{arn}"
  grant_type      = "refresh_token"
  grant {{
    refresh_token {{}}
  }}
}}

resource "identitycenter_application_grant" "jwt{i}" {{
  application_arn = "{arn}"
  grant_type      = "urn:ietf:params:oauth:grant-type:jwt-bearer"
  grant {{
    jwt_bearer {{
      authorized_token_issuers {{
        trusted_token_issuer_arn = "{issuer}"
        authorized_audiences     = ["app{i}"]
      }}
    }}
  }}
}}

resource "identitycenter_application_grant" "exchange{i}" {{
  application_arn = "{arn}"
  grant_type      = "urn:ietf:params:oauth:grant-type:token-exchange"
  grant {{
    token_exchange {{}}
  }}
}}
"#
        );
    }
    hcl
}

/// `count` null resources from the Go null provider.
pub fn null_resources(count: usize) -> String {
    let mut hcl = format!(
        "terraform {{\n  required_providers {{\n    null = {{\n      source  = \"{NULL_SOURCE}\"\n      version = \"{NULL_VERSION}\"\n    }}\n  }}\n}}\n"
    );
    for i in 0..count {
        let _ = write!(hcl, "\nresource \"null_resource\" \"r{i}\" {{}}\n");
    }
    hcl
}

/// `count` of Terraform's built-in `terraform_data`, served in-process.
pub fn terraform_data(count: usize) -> String {
    let mut hcl = String::new();
    for i in 0..count {
        let _ = write!(hcl, "\nresource \"terraform_data\" \"r{i}\" {{}}\n");
    }
    hcl
}
