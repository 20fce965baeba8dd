//! Real Terraform (1.15.5 and 1.0.3) installs the provider from a filesystem
//! mirror, validates configurations with it and reads its schema.

mod support;

use serde_json::{json, Value};
use support::steps::{diagnostic_range, locate};
use support::terraform::{required_providers, terraform_versions, Workspace};

const VALID_CONFIG: &str = r#"
provider "identitycenter" {
  region = "us-east-1"
}

resource "identitycenter_application_grant" "web" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "authorization_code"
  grant {
    authorization_code {
      redirect_uris = ["https://app.example.com/callback"]
    }
  }
}

resource "identitycenter_application_grant" "jwt" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "urn:ietf:params:oauth:grant-type:jwt-bearer"
  grant {
    jwt_bearer {
      authorized_token_issuers {
        trusted_token_issuer_arn = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-12345678-1234-1234-1234-123456789012"
        authorized_audiences     = ["my-client-id"]
      }
    }
  }
}

resource "identitycenter_application_grant" "refresh" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "refresh_token"
  grant {
    refresh_token {}
  }
}
"#;

/// Drops documentation so the comparison is about structure.
fn strip_docs(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "description_kind"))
                .map(|(k, v)| (k.clone(), strip_docs(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn expected_resource_schema() -> Value {
    json!({
        "version": 0,
        "block": {
            "attributes": {
                "application_arn": {"type": "string", "required": true},
                "grant_type": {"type": "string", "required": true},
                "id": {"type": "string", "computed": true}
            },
            "block_types": {
                "grant": {
                    "nesting_mode": "single",
                    "min_items": 1,
                    "max_items": 1,
                    "block": {
                        "block_types": {
                            "authorization_code": {
                                "nesting_mode": "single",
                                "block": {
                                    "attributes": {
                                        "redirect_uris": {"type": ["set", "string"], "required": true}
                                    }
                                }
                            },
                            "jwt_bearer": {
                                "nesting_mode": "single",
                                "block": {
                                    "block_types": {
                                        "authorized_token_issuers": {
                                            "nesting_mode": "set",
                                            "min_items": 1,
                                            "max_items": 10,
                                            "block": {
                                                "attributes": {
                                                    "authorized_audiences": {"type": ["set", "string"], "required": true},
                                                    "trusted_token_issuer_arn": {"type": "string", "required": true}
                                                }
                                            }
                                        }
                                    }
                                }
                            },
                            "refresh_token": {"nesting_mode": "single", "block": {}},
                            "token_exchange": {"nesting_mode": "single", "block": {}}
                        }
                    }
                },
                "timeouts": {
                    "nesting_mode": "single",
                    "block": {
                        "attributes": {
                            "create": {"type": "string", "optional": true},
                            "delete": {"type": "string", "optional": true},
                            "read": {"type": "string", "optional": true},
                            "update": {"type": "string", "optional": true}
                        }
                    }
                }
            }
        }
    })
}

fn expected_provider_schema() -> Value {
    json!({
        "version": 0,
        "block": {
            "attributes": {
                "access_key": {"type": "string", "optional": true, "sensitive": true},
                "max_retries": {"type": "number", "optional": true},
                "profile": {"type": "string", "optional": true},
                "region": {"type": "string", "optional": true},
                "retry_mode": {"type": "string", "optional": true},
                "secret_key": {"type": "string", "optional": true, "sensitive": true},
                "shared_config_files": {"type": ["list", "string"], "optional": true},
                "shared_credentials_files": {"type": ["list", "string"], "optional": true},
                "token": {"type": "string", "optional": true, "sensitive": true}
            },
            "block_types": {
                "assume_role": {
                    "nesting_mode": "single",
                    "block": {
                        "attributes": {
                            "duration": {"type": "string", "optional": true},
                            "external_id": {"type": "string", "optional": true},
                            "role_arn": {"type": "string", "required": true},
                            "session_name": {"type": "string", "optional": true}
                        }
                    }
                },
                "endpoints": {
                    "nesting_mode": "single",
                    "block": {
                        "attributes": {"ssoadmin": {"type": "string", "optional": true}}
                    }
                }
            }
        }
    })
}

/// The `grant` block's shape as a value type, which the data sources return.
fn grant_object_type() -> Value {
    json!(["object", {
        "authorization_code": ["object", {"redirect_uris": ["set", "string"]}],
        "jwt_bearer": ["object", {"authorized_token_issuers": ["set", ["object", {
            "authorized_audiences": ["set", "string"],
            "trusted_token_issuer_arn": "string"
        }]]}],
        "refresh_token": ["object", {}],
        "token_exchange": ["object", {}]
    }])
}

fn expected_data_source_schemas() -> Value {
    json!({
        "identitycenter_application_grant": {
            "version": 0,
            "block": {
                "attributes": {
                    "application_arn": {"type": "string", "required": true},
                    "grant": {"type": grant_object_type(), "computed": true},
                    "grant_type": {"type": "string", "required": true},
                    "id": {"type": "string", "computed": true}
                }
            }
        },
        "identitycenter_application_grants": {
            "version": 0,
            "block": {
                "attributes": {
                    "application_arn": {"type": "string", "required": true},
                    "grants": {
                        "type": ["list", ["object", {"grant": grant_object_type(), "grant_type": "string"}]],
                        "computed": true
                    }
                }
            }
        }
    })
}

/// The resource identity: both attributes needed to import by identity.
fn expected_identity_schemas() -> Value {
    json!({
        "identitycenter_application_grant": {
            "version": 0,
            "attributes": {
                "application_arn": {"type": "string", "required_for_import": true},
                "grant_type": {"type": "string", "required_for_import": true}
            }
        },
        "identitycenter_application_grants_exclusive": {
            "version": 0,
            "attributes": {
                "application_arn": {"type": "string", "required_for_import": true}
            }
        },
        "identitycenter_application_authentication_method": {
            "version": 0,
            "attributes": {
                "application_arn": {"type": "string", "required_for_import": true},
                "authentication_method_type": {"type": "string", "required_for_import": true}
            }
        }
    })
}

/// The allow-list: an application and the grant types it may have.
fn expected_exclusive_schema() -> Value {
    json!({
        "version": 0,
        "block": {
            "attributes": {
                "application_arn": {"type": "string", "required": true},
                "grant_types": {"type": ["set", "string"], "required": true},
                "id": {"type": "string", "computed": true}
            }
        }
    })
}

/// The authentication method: one `iam` block holding the actor policy.
fn expected_authentication_method_schema() -> Value {
    json!({
        "version": 0,
        "block": {
            "attributes": {
                "application_arn": {"type": "string", "required": true},
                "authentication_method_type": {"type": "string", "required": true},
                "id": {"type": "string", "computed": true}
            },
            "block_types": {
                "authentication_method": {
                    "nesting_mode": "single",
                    "min_items": 1,
                    "max_items": 1,
                    "block": {
                        "block_types": {
                            "iam": {
                                "nesting_mode": "single",
                                "min_items": 1,
                                "max_items": 1,
                                "block": {
                                    "attributes": {
                                        "actor_policy": {"type": "string", "required": true}
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The list resource: what a `list` block's `config` takes.
fn expected_list_resource_schemas() -> Value {
    json!({
        "identitycenter_application_grant": {
            "version": 0,
            "block": {
                "attributes": {
                    "application_arn": {"type": "string", "optional": true},
                    "instance_arn": {"type": "string", "optional": true}
                }
            }
        }
    })
}

/// True for Terraform `1.<minor>` or later (versions read as `1.x.y`).
fn at_least_1(version: &str, minor: u64) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, found) = (parts.next(), parts.next().unwrap_or(0));
    major.is_some_and(|m| m > 1) || (major == Some(1) && found >= minor)
}

#[test]
fn terraform_reads_the_designed_schemas() {
    for tf in terraform_versions() {
        let ws = Workspace::new(&tf);
        ws.write_config(&format!("{}{VALID_CONFIG}", required_providers()));
        ws.init();
        let out = ws.run_ok(&["providers", "schema", "-json"]);
        let schemas: Value = serde_json::from_str(&out).expect("schema JSON");
        let ours = &schemas["provider_schemas"]["registry.terraform.io/idc-labs/identitycenter"];
        assert!(
            ours.is_object(),
            "Terraform {}: provider missing in {out}",
            tf.version
        );
        let resources = ours["resource_schemas"]
            .as_object()
            .expect("resource_schemas");
        assert_eq!(
            resources.keys().collect::<Vec<_>>(),
            [
                "identitycenter_application_authentication_method",
                "identitycenter_application_grant",
                "identitycenter_application_grants_exclusive"
            ],
            "Terraform {}",
            tf.version
        );
        assert_eq!(
            strip_docs(&resources["identitycenter_application_grants_exclusive"]),
            expected_exclusive_schema(),
            "Terraform {}: allow-list schema",
            tf.version
        );
        assert_eq!(
            strip_docs(&resources["identitycenter_application_authentication_method"]),
            expected_authentication_method_schema(),
            "Terraform {}: authentication method schema",
            tf.version
        );
        assert_eq!(
            strip_docs(&resources["identitycenter_application_grant"]),
            expected_resource_schema(),
            "Terraform {}: resource schema",
            tf.version
        );
        assert_eq!(
            strip_docs(&ours["provider"]),
            expected_provider_schema(),
            "Terraform {}: provider schema",
            tf.version
        );
        assert_eq!(
            strip_docs(&ours["data_source_schemas"]),
            expected_data_source_schemas(),
            "Terraform {}: data source schemas",
            tf.version
        );
        // Terraform 1.12 shows resource identities, 1.14 list resources
        // (1.0.3 knows neither): both, from 1.14 on.
        let mut sections: Vec<&str> = ours
            .as_object()
            .expect("provider schema")
            .keys()
            .map(String::as_str)
            .collect();
        sections.sort_unstable();
        if at_least_1(&tf.version, 14) {
            assert_eq!(
                sections,
                [
                    "data_source_schemas",
                    "functions",
                    "list_resource_schemas",
                    "provider",
                    "resource_identity_schemas",
                    "resource_schemas"
                ],
                "Terraform {}",
                tf.version
            );
            assert_eq!(
                strip_docs(&ours["resource_identity_schemas"]),
                expected_identity_schemas(),
                "Terraform {}: resource identity schemas",
                tf.version
            );
            assert_eq!(
                strip_docs(&ours["list_resource_schemas"]),
                expected_list_resource_schemas(),
                "Terraform {}: list resource schemas",
                tf.version
            );
        } else if tf.version == "1.0.3" {
            assert_eq!(
                sections,
                ["data_source_schemas", "provider", "resource_schemas"],
                "Terraform 1.0.3"
            );
        }
        // Terraform 1.8 and later show the functions; 1.0.3 ignores them.
        if tf.version != "1.0.3" {
            let functions = &ours["functions"];
            assert_eq!(
                functions["grant_id"]["parameters"],
                json!([
                    {"name": "application_arn", "type": "string", "description": functions["grant_id"]["parameters"][0]["description"]},
                    {"name": "grant_type", "type": "string", "description": functions["grant_id"]["parameters"][1]["description"]}
                ]),
                "Terraform {}: {functions}",
                tf.version
            );
            assert_eq!(functions["grant_id"]["return_type"], "string");
            assert_eq!(functions["parse_grant_id"]["parameters"][0]["name"], "id");
            assert_eq!(
                functions["parse_grant_id"]["return_type"],
                json!(["object", {"application_arn": "string", "grant_type": "string"}])
            );
            assert_eq!(functions.as_object().map(|f| f.len()), Some(2));
        }
        // Descriptions are there for users and documentation tools.
        let desc = ours["resource_schemas"]["identitycenter_application_grant"]["block"]
            ["attributes"]["grant_type"]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            desc.contains("authorization_code"),
            "Terraform {}: {desc}",
            tf.version
        );
    }
}

#[test]
fn terraform_validate_accepts_a_valid_configuration() {
    for tf in terraform_versions() {
        let ws = Workspace::new(&tf);
        ws.write_config(&format!("{}{VALID_CONFIG}", required_providers()));
        ws.init();
        let out = ws.run_ok(&["validate", "-json"]);
        let report: Value = serde_json::from_str(&out).expect("validate JSON");
        assert_eq!(report["valid"], true, "Terraform {}: {out}", tf.version);
        assert_eq!(report["error_count"], 0, "Terraform {}: {out}", tf.version);
    }
}

#[test]
fn terraform_validate_enforces_the_schema() {
    // Each case breaks one schema rule that Terraform checks from our schema.
    let cases = [
        (
            "missing grant block",
            r#"resource "identitycenter_application_grant" "x" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "refresh_token"
}"#,
            ("Missing grant block", "{\n  application_arn"),
        ),
        (
            "missing required attribute",
            r#"resource "identitycenter_application_grant" "x" {
  grant_type = "refresh_token"
  grant {
    refresh_token {}
  }
}"#,
            ("Missing required argument", "{\n  grant_type"),
        ),
        (
            "computed id set in config",
            r#"resource "identitycenter_application_grant" "x" {
  id              = "nope"
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "refresh_token"
  grant {
    refresh_token {}
  }
}"#,
            ("Invalid configuration for read-only attribute", "\"nope\""),
        ),
        (
            "unknown provider argument",
            r#"provider "identitycenter" {
  regionn = "us-east-1"
}
resource "identitycenter_application_grant" "x" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "refresh_token"
  grant {
    refresh_token {}
  }
}"#,
            ("Unsupported argument", "regionn"),
        ),
        (
            "invalid retry mode (checked by the provider)",
            r#"provider "identitycenter" {
  retry_mode = "bogus"
}
resource "identitycenter_application_grant" "x" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "refresh_token"
  grant {
    refresh_token {}
  }
}"#,
            ("Invalid retry mode", "\"bogus\""),
        ),
    ];
    for tf in terraform_versions() {
        let ws = Workspace::new(&tf);
        ws.write_config(&format!("{}{VALID_CONFIG}", required_providers()));
        ws.init();
        for (name, hcl, (summary, needle)) in cases {
            let text = format!("{}{hcl}", required_providers());
            ws.write_config(&text);
            let out = ws.run(&["validate", "-json"]);
            assert!(
                !out.status.success(),
                "Terraform {}: {name} must fail",
                tf.version
            );
            let report: Value =
                serde_json::from_slice(&out.stdout).expect("validate JSON on failure");
            assert_eq!(report["valid"], false, "Terraform {}: {name}", tf.version);
            let diagnostics = report["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let d = diagnostics
                .iter()
                .find(|d| d["summary"] == summary)
                .unwrap_or_else(|| {
                    panic!(
                        "Terraform {}: {name}: no {summary:?} in {diagnostics:#?}",
                        tf.version
                    )
                });
            // Placed on the offending text, by line and column.
            assert_eq!(
                diagnostic_range(d).0,
                locate(&text, needle).0,
                "Terraform {}: {name}: {d:#}",
                tf.version
            );
        }
    }
}
