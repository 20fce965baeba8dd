//! The Registry documentation under `docs/` is what the real schema, the
//! templates and the examples render to. `make docs` (`UPDATE_DOCS=1`)
//! rewrites it; otherwise any difference fails, naming the page and the
//! first line that differs.

mod support;

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use support::docs::{files_under, render_all};
use support::terraform::{latest_terraform, required_providers, Workspace, PROVIDER_SOURCE};

/// Pages under `docs/` that are the project's own, not the Registry's:
/// neither rendered nor removed by `make docs`.
const NOT_REGISTRY_PAGES: [&str; 1] = ["development.md"];

/// `terraform providers schema -json` for this provider, from the built
/// binary (read once per test process).
fn provider_schema() -> Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(read_provider_schema).clone()
}

fn read_provider_schema() -> Value {
    let ws = Workspace::new(&latest_terraform());
    ws.write_config(&required_providers());
    ws.init();
    let out = ws.run_ok(&["providers", "schema", "-json"]);
    let all: Value = serde_json::from_str(&out).expect("providers schema JSON");
    all["provider_schemas"][format!("registry.terraform.io/{PROVIDER_SOURCE}")].clone()
}

#[test]
fn docs_are_rendered_from_the_schema_templates_and_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = root.join("docs");
    let schema = provider_schema();
    assert!(
        schema["resource_schemas"].is_object(),
        "no schema for {PROVIDER_SOURCE}"
    );
    let pages = render_all(&schema, root);
    let committed: Vec<_> = files_under(&docs)
        .into_iter()
        .filter(|p| !NOT_REGISTRY_PAGES.iter().any(|own| p == Path::new(own)))
        .collect();

    if std::env::var_os("UPDATE_DOCS").is_some() {
        for stale in committed.iter().filter(|p| !pages.contains_key(*p)) {
            std::fs::remove_file(docs.join(stale)).expect("remove stale page");
        }
        for (path, text) in &pages {
            let file = docs.join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("docs dir");
            std::fs::write(&file, text).expect("write page");
        }
        eprintln!("wrote {} pages under docs/", pages.len());
        return;
    }

    let mut problems = Vec::new();
    for stale in committed.iter().filter(|p| !pages.contains_key(*p)) {
        problems.push(format!(
            "docs/{} documents nothing the provider offers",
            stale.display()
        ));
    }
    for (path, want) in &pages {
        let Ok(have) = std::fs::read_to_string(docs.join(path)) else {
            problems.push(format!("docs/{} is missing", path.display()));
            continue;
        };
        if &have != want {
            let line = have
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
            problems.push(format!(
                "docs/{} differs from what the schema renders, from line {}:\n  committed: {:?}\n  rendered:  {:?}",
                path.display(),
                line + 1,
                have.lines().nth(line).unwrap_or("<end of file>"),
                want.lines().nth(line).unwrap_or("<end of file>"),
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nRun `make docs` to regenerate docs/ and commit the result.",
        problems.join("\n")
    );
}

/// Every page has a template and every template renders a page: a
/// template left behind by a renamed type would otherwise go unnoticed.
#[test]
fn every_template_belongs_to_a_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = render_all(&provider_schema(), root);
    for template in files_under(&root.join("templates")) {
        let page = template.with_extension("");
        assert!(
            pages.contains_key(&page),
            "templates/{} renders no page: nothing in the schema is called that",
            template.display()
        );
    }
}

/// Every attribute named `*_arn`, in every schema the provider has (the
/// identity's included), with its description.
fn arn_attributes(schema: &Value) -> Vec<(String, String)> {
    fn walk(path: &str, value: &Value, out: &mut Vec<(String, String)>) {
        if let Some(attributes) = value["attributes"].as_object() {
            for (name, attribute) in attributes {
                if name.ends_with("_arn") {
                    let description = attribute["description"].as_str().unwrap_or_default();
                    out.push((format!("{path}.{name}"), description.to_string()));
                }
            }
        }
        if let Some(blocks) = value["block_types"].as_object() {
            for (name, nested) in blocks {
                walk(&format!("{path}.{name}"), &nested["block"], out);
            }
        }
    }
    let mut out = Vec::new();
    walk("provider", &schema["provider"]["block"], &mut out);
    for kind in [
        "resource_schemas",
        "data_source_schemas",
        "list_resource_schemas",
    ] {
        for (name, s) in schema[kind].as_object().into_iter().flatten() {
            walk(name, &s["block"], &mut out);
        }
    }
    for (name, s) in schema["resource_identity_schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        walk(&format!("{name} identity"), s, &mut out);
    }
    out
}

#[test]
fn every_arn_argument_documents_its_format() {
    let arns = arn_attributes(&provider_schema());
    assert!(arns.len() >= 8, "{arns:#?}");
    for (path, description) in arns {
        assert!(
            description.contains("`arn:aws:"),
            "{path}: the description gives no ARN format: {description:?}"
        );
    }
}

#[test]
fn the_resource_page_gives_each_timeout_its_default_and_import_its_own_section() {
    let schema = provider_schema();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = render_all(&schema, root);
    let page = &pages[Path::new("resources/application_grant.md")];
    let section = |heading: &str| -> &str {
        let start = page
            .find(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("no {heading:?} on the resource page"));
        let body = &page[start + heading.len() + 2..];
        &body[..body.find("\n## ").unwrap_or(body.len())]
    };
    let timeouts = section("## Timeouts");
    let attributes = schema["resource_schemas"]["identitycenter_application_grant"]["block"]
        ["block_types"]["timeouts"]["block"]["attributes"]
        .as_object()
        .expect("the timeouts block's attributes");
    for name in attributes.keys() {
        assert!(
            timeouts.contains(&format!("| `{name}` | none |")),
            "the Timeouts section gives no default for {name}:\n{timeouts}"
        );
    }
    // The identity's attributes close the Import section: the examples
    // and the terraform import command come before its heading.
    let import = section("## Import");
    let identity = import
        .find("### Identity Schema")
        .expect("the identity schema in the Import section");
    assert!(
        import[..identity].contains("terraform import ") && !import[identity..].contains("```"),
        "every import example comes before the identity schema:\n{import}"
    );
}
