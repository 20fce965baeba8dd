//! Registry documentation rendered from the provider's real schema.
//!
//! `terraform providers schema -json` is the single source of truth for
//! names, types, required/optional/computed, limits and descriptions; the
//! prose around it lives in `templates/` (one template per page) and the
//! examples come from `examples/`. A template is Markdown in which a line
//! holding only a directive is replaced:
//!
//! | directive | becomes |
//! |---|---|
//! | `{{ description }}` | the schema's description (a function's description) |
//! | `{{ schema }}` | the `## Schema` section: every argument, block and read-only attribute |
//! | `{{ identity }}` | the resource identity's attributes |
//! | `{{ signature }}` / `{{ arguments }}` | a function's signature / its parameters |
//! | `{{ tffile "PATH" }}` | the file at PATH as a `terraform` code block |
//! | `{{ codefile "LANG" "PATH" }}` | the file at PATH as a LANG code block |
//!
//! and `{{ name }}` anywhere in a line becomes the page's type or function name.
//! Every page starts with the front matter the Registry reads.
//!
//! Guides (`templates/guides/NAME.md.tmpl` → `docs/guides/NAME.md`, as the
//! Registry lays them out) document no schema: their templates carry their own
//! front matter and take only the file directives, so the configuration a guide
//! shows is the one under `examples/` that the tests run.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The provider's local name, the prefix of every resource type.
pub const PROVIDER: &str = "identitycenter";

/// One kind of page, with the schema section it reads and the directories
/// its template and output live in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Resource,
    DataSource,
    ListResource,
    Function,
}

impl Kind {
    fn schema_key(self) -> &'static str {
        match self {
            Kind::Resource => "resource_schemas",
            Kind::DataSource => "data_source_schemas",
            Kind::ListResource => "list_resource_schemas",
            Kind::Function => "functions",
        }
    }

    fn dir(self) -> &'static str {
        match self {
            Kind::Resource => "resources",
            Kind::DataSource => "data-sources",
            Kind::ListResource => "list-resources",
            Kind::Function => "functions",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Resource => "Resource",
            Kind::DataSource => "Data Source",
            Kind::ListResource => "List Resource",
            Kind::Function => "function",
        }
    }
}

/// What a template is rendered for.
struct Page<'a> {
    /// Full type name (`identitycenter_application_grant`) or function name.
    name: String,
    kind: Option<Kind>,
    /// The schema block (provider, resource, data source, list config), or
    /// the function signature.
    schema: &'a Value,
    /// The resource identity schema, for resources that have one.
    identity: Option<&'a Value>,
}

/// Every page under `docs/`, keyed by its path relative to `docs/`, rendered
/// from `provider` (one entry of `provider_schemas`) and the templates and
/// examples under `root`. Panics naming what is missing when a type has no
/// template or a template names a file that does not exist.
pub fn render_all(provider: &Value, root: &Path) -> BTreeMap<PathBuf, String> {
    let mut pages = BTreeMap::new();
    let index = Page {
        name: PROVIDER.to_string(),
        kind: None,
        schema: &provider["provider"]["block"],
        identity: None,
    };
    pages.insert(
        PathBuf::from("index.md"),
        render(&index, &root.join("templates/index.md.tmpl"), root),
    );
    for kind in [
        Kind::Resource,
        Kind::DataSource,
        Kind::ListResource,
        Kind::Function,
    ] {
        let Some(entries) = provider[kind.schema_key()].as_object() else {
            continue;
        };
        for (name, schema) in entries {
            let short = name
                .strip_prefix(&format!("{PROVIDER}_"))
                .unwrap_or(name)
                .to_string();
            let page = Page {
                name: name.clone(),
                kind: Some(kind),
                schema: if kind == Kind::Function {
                    schema
                } else {
                    &schema["block"]
                },
                identity: match kind {
                    Kind::Resource => provider["resource_identity_schemas"].get(name),
                    _ => None,
                },
            };
            let template = root
                .join("templates")
                .join(kind.dir())
                .join(format!("{short}.md.tmpl"));
            pages.insert(
                Path::new(kind.dir()).join(format!("{short}.md")),
                render(&page, &template, root),
            );
        }
    }
    let guides = root.join("templates/guides");
    for template in files_under(&guides) {
        let page = template.with_extension("");
        pages.insert(
            Path::new("guides").join(&page),
            render_guide(&guides.join(&template), root),
        );
    }
    pages
}

fn render(page: &Page<'_>, template: &Path, root: &Path) -> String {
    let text = std::fs::read_to_string(template).unwrap_or_else(|e| {
        panic!(
            "{} has no documentation template: {} ({e})",
            page.name,
            template.display()
        )
    });
    render_body(page, front_matter(page), &text, template, root)
}

/// A guide: its template's own front matter, and its file directives expanded.
fn render_guide(template: &Path, root: &Path) -> String {
    let text = std::fs::read_to_string(template)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", template.display()));
    assert!(
        text.starts_with("---\npage_title: ") && text.contains("\ndescription: "),
        "{}: a guide template starts with its front matter (page_title, subcategory, description)",
        template.display()
    );
    let guide = Page {
        name: String::new(),
        kind: None,
        schema: &Value::Null,
        identity: None,
    };
    render_body(&guide, String::new(), &text, template, root)
}

fn render_body(
    page: &Page<'_>,
    mut out: String,
    text: &str,
    template: &Path,
    root: &Path,
) -> String {
    for (n, line) in text.lines().enumerate() {
        let at = || format!("{}:{}", template.display(), n + 1);
        let trimmed = line.trim();
        match directive(trimmed) {
            Some(words) => out.push_str(&expand(page, &words, root, &at)),
            None => {
                out.push_str(&line.replace("{{ name }}", &page.name));
                out.push('\n');
            }
        }
    }
    // One trailing newline, whatever the template ends with.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// The words of a line that is a whole `{{ … }}` directive (quotes
/// removed), other than the inline `{{ name }}`.
fn directive(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix("{{")?.strip_suffix("}}")?.trim();
    if inner == "name" || inner.contains("}}") {
        return None;
    }
    let mut words = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"')?;
            words.push(quoted[..end].to_string());
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    Some(words)
}

fn expand(page: &Page<'_>, words: &[String], root: &Path, at: &dyn Fn() -> String) -> String {
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    if page.schema.is_null() && !matches!(args.first(), Some(&"tffile" | &"codefile")) {
        panic!(
            "{}: a guide takes only tffile and codefile, not {words:?}",
            at()
        );
    }
    match args.as_slice() {
        ["description"] => format!("{}\n", description(page)),
        ["schema"] => schema_section(page.schema),
        ["identity"] => {
            let identity = page
                .identity
                .unwrap_or_else(|| panic!("{}: {} has no identity schema", at(), page.name));
            identity_section(identity)
        }
        ["signature"] => signature(&page.name, page.schema),
        ["arguments"] => arguments(page.schema),
        ["tffile", path] => code_block("terraform", root, path, at),
        ["codefile", lang, path] => code_block(lang, root, path, at),
        _ => panic!("{}: unknown template directive {words:?}", at()),
    }
}

fn front_matter(page: &Page<'_>) -> String {
    let (title, summary) = match page.kind {
        None => (
            format!("{PROVIDER} Provider"),
            first_paragraph(&description(page)),
        ),
        Some(Kind::Function) => (
            format!("{} function - {PROVIDER}", page.name),
            page.schema["summary"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ),
        Some(kind) => (
            format!("{} {} - {PROVIDER}", page.name, kind.title()),
            first_paragraph(&description(page)),
        ),
    };
    let mut out = String::from("---\n");
    let _ = writeln!(out, "page_title: \"{title}\"");
    out.push_str("subcategory: \"\"\n");
    out.push_str("description: |-\n");
    for line in summary.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out.push_str("---\n\n");
    out
}

fn description(page: &Page<'_>) -> String {
    page.schema["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn first_paragraph(text: &str) -> String {
    text.split("\n\n").next().unwrap_or_default().to_string()
}

fn code_block(lang: &str, root: &Path, path: &str, at: &dyn Fn() -> String) -> String {
    let text = std::fs::read_to_string(root.join(path))
        .unwrap_or_else(|e| panic!("{}: cannot read {path}: {e}", at()));
    format!("```{lang}\n{}\n```\n", text.trim_end())
}

/// A description as one Markdown line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Terraform's JSON type as the docs name it: `String`, `Set of String`,
/// `List of Object`, …
fn type_name(ty: &Value) -> String {
    match ty {
        Value::String(s) => match s.as_str() {
            "string" => "String".into(),
            "number" => "Number".into(),
            "bool" => "Boolean".into(),
            "dynamic" => "Dynamic".into(),
            other => other.to_string(),
        },
        Value::Array(parts) => match parts.first().and_then(Value::as_str) {
            Some("list") => format!("List of {}", type_name(&parts[1])),
            Some("set") => format!("Set of {}", type_name(&parts[1])),
            Some("map") => format!("Map of {}", type_name(&parts[1])),
            Some("object") => "Object".into(),
            Some("tuple") => "Tuple".into(),
            _ => ty.to_string(),
        },
        _ => ty.to_string(),
    }
}

/// The object type inside `ty` (itself, or its element type), if any.
fn object_attributes(ty: &Value) -> Option<&serde_json::Map<String, Value>> {
    let parts = ty.as_array()?;
    match parts.first()?.as_str()? {
        "object" => parts.get(1)?.as_object(),
        "list" | "set" | "map" => object_attributes(parts.get(1)?),
        _ => None,
    }
}

/// Where an item of a schema section goes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    fn heading(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }
}

/// A nested schema still to be written after the current one.
enum Nested<'a> {
    Block {
        anchor: String,
        path: String,
        block: &'a Value,
    },
    Object {
        anchor: String,
        path: String,
        attributes: &'a serde_json::Map<String, Value>,
    },
}

fn schema_section(block: &Value) -> String {
    let mut out = String::from("## Schema\n");
    let mut queue = VecDeque::new();
    write_block(&mut out, block, "", "###", &mut queue);
    // Depth first, in name order: each nested schema follows its parent's.
    let mut sections = Vec::new();
    while let Some(nested) = queue.pop_front() {
        let mut text = String::new();
        let path = nested_path(&nested).to_string();
        match nested {
            Nested::Block {
                anchor,
                path,
                block,
            } => {
                let _ = write!(
                    text,
                    "\n<a id=\"{anchor}\"></a>\n### Nested Schema for `{path}`\n"
                );
                let before = text.len();
                write_block(&mut text, block, &path, "", &mut queue);
                if text.len() == before {
                    text.push_str("\nThis block has no arguments: write it empty, `{}`.\n");
                }
            }
            Nested::Object {
                anchor,
                path,
                attributes,
            } => {
                let _ = write!(
                    text,
                    "\n<a id=\"{anchor}\"></a>\n### Nested Schema for `{path}`\n"
                );
                if attributes.is_empty() {
                    text.push_str("\nAn object without attributes.\n");
                } else {
                    text.push_str("\nRead-Only:\n\n");
                }
                for (name, ty) in attributes {
                    let _ = write!(text, "- `{name}` ({})", type_name(ty));
                    if let Some(inner) = object_attributes(ty) {
                        let child = format!("{path}.{name}");
                        let anchor = anchor_for("nestedobjatt", &child);
                        let _ = write!(text, " (see [below for nested schema](#{anchor}))");
                        queue.push_back(Nested::Object {
                            anchor,
                            path: child,
                            attributes: inner,
                        });
                    }
                    text.push('\n');
                }
            }
        }
        sections.push((path, text));
    }
    sections.sort();
    for (_, text) in sections {
        out.push_str(&text);
    }
    out
}

fn nested_path<'n>(nested: &'n Nested<'_>) -> &'n str {
    match nested {
        Nested::Block { path, .. } | Nested::Object { path, .. } => path,
    }
}

fn anchor_for(prefix: &str, path: &str) -> String {
    format!("{prefix}--{}", path.replace('.', "--"))
}

/// Writes the attributes and blocks of `block`, grouped; `heading` is the
/// Markdown heading level of the groups, or empty for `Group:` labels.
fn write_block<'a>(
    out: &mut String,
    block: &'a Value,
    path: &str,
    heading: &str,
    queue: &mut VecDeque<Nested<'a>>,
) {
    let mut items: Vec<(Group, String, String)> = Vec::new();
    let child_path = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(attributes) = block["attributes"].as_object() {
        for (name, attribute) in attributes {
            let group = if attribute["required"] == true {
                Group::Required
            } else if attribute["optional"] == true {
                Group::Optional
            } else {
                Group::ReadOnly
            };
            let mut kinds = vec![type_name(&attribute["type"])];
            if attribute["sensitive"] == true {
                kinds.push("Sensitive".into());
            }
            if attribute["deprecated"] == true {
                kinds.push("Deprecated".into());
            }
            let mut line = format!("- `{name}` ({})", kinds.join(", "));
            let text = one_line(attribute["description"].as_str().unwrap_or_default());
            if !text.is_empty() {
                let _ = write!(line, " {text}");
            }
            if let Some(inner) = object_attributes(&attribute["type"]) {
                let child = child_path(name);
                let anchor = anchor_for("nestedatt", &child);
                let _ = write!(line, " (see [below for nested schema](#{anchor}))");
                queue.push_back(Nested::Object {
                    anchor,
                    path: child,
                    attributes: inner,
                });
            }
            items.push((group, name.clone(), line));
        }
    }
    if let Some(blocks) = block["block_types"].as_object() {
        for (name, nested) in blocks {
            let min = nested["min_items"].as_u64().unwrap_or(0);
            let max = nested["max_items"].as_u64().unwrap_or(0);
            let group = if min > 0 {
                Group::Required
            } else {
                Group::Optional
            };
            let shape = match nested["nesting_mode"].as_str().unwrap_or_default() {
                "list" => "Block List",
                "set" => "Block Set",
                "map" => "Block Map",
                _ => "Block",
            };
            let mut facts = vec![shape.to_string()];
            facts.push(group.heading().to_string());
            if shape != "Block" {
                if min > 0 {
                    facts.push(format!("Min: {min}"));
                }
                if max > 0 {
                    facts.push(format!("Max: {max}"));
                }
            }
            let child = child_path(name);
            let anchor = anchor_for("nestedblock", &child);
            let mut line = format!("- `{name}` ({})", facts.join(", "));
            let text = one_line(nested["block"]["description"].as_str().unwrap_or_default());
            if !text.is_empty() {
                let _ = write!(line, " {text}");
            }
            let _ = write!(line, " (see [below for nested schema](#{anchor}))");
            queue.push_back(Nested::Block {
                anchor,
                path: child,
                block: &nested["block"],
            });
            items.push((group, name.clone(), line));
        }
    }
    items.sort();
    let mut current = None;
    for (group, _, line) in items {
        if current != Some(group) {
            if heading.is_empty() {
                let _ = write!(out, "\n{}:\n\n", group.heading());
            } else {
                let _ = write!(out, "\n{heading} {}\n\n", group.heading());
            }
            current = Some(group);
        }
        out.push_str(&line);
        out.push('\n');
    }
}

fn identity_section(identity: &Value) -> String {
    let mut out = String::from("### Identity Schema\n");
    let mut required = Vec::new();
    let mut optional = Vec::new();
    if let Some(attributes) = identity["attributes"].as_object() {
        for (name, attribute) in attributes {
            let line = format!(
                "- `{name}` ({}) {}\n",
                type_name(&attribute["type"]),
                one_line(attribute["description"].as_str().unwrap_or_default())
            );
            if attribute["required_for_import"] == true {
                required.push(line);
            } else {
                optional.push(line);
            }
        }
    }
    for (heading, lines) in [("Required", required), ("Optional", optional)] {
        if !lines.is_empty() {
            let _ = write!(out, "\n#### {heading}\n\n{}", lines.concat());
        }
    }
    out
}

fn lower_type(ty: &Value) -> String {
    match ty {
        Value::String(s) => s.clone(),
        Value::Array(parts) => match parts.first().and_then(Value::as_str) {
            Some(kind @ ("list" | "set" | "map")) => format!("{kind}({})", lower_type(&parts[1])),
            Some("object") => {
                let fields: Vec<String> = parts
                    .get(1)
                    .and_then(Value::as_object)
                    .map(|o| {
                        o.iter()
                            .map(|(k, t)| format!("{k} = {}", lower_type(t)))
                            .collect()
                    })
                    .unwrap_or_default();
                format!("object({{{}}})", fields.join(", "))
            }
            _ => ty.to_string(),
        },
        _ => ty.to_string(),
    }
}

fn signature(name: &str, function: &Value) -> String {
    let params: Vec<String> = function["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    format!(
                        "{} {}",
                        p["name"].as_str().unwrap_or_default(),
                        lower_type(&p["type"])
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "## Signature\n\n```text\n{name}({}) {}\n```\n",
        params.join(", "),
        lower_type(&function["return_type"])
    )
}

fn arguments(function: &Value) -> String {
    let mut out = String::from("## Arguments\n\n");
    for (n, p) in function["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let _ = writeln!(
            out,
            "{}. `{}` ({}) {}",
            n + 1,
            p["name"].as_str().unwrap_or_default(),
            type_name(&p["type"]),
            one_line(p["description"].as_str().unwrap_or_default())
        );
    }
    if let Some(returns) = object_attributes(&function["return_type"]) {
        let fields: Vec<String> = returns
            .iter()
            .map(|(k, t)| format!("`{k}` ({})", type_name(t)))
            .collect();
        let _ = writeln!(out, "\nReturns an object with {}.", fields.join(" and "));
    } else {
        let _ = writeln!(
            out,
            "\nReturns a {}.",
            type_name(&function["return_type"]).to_lowercase()
        );
    }
    out
}

/// Every file under `dir`, relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                found.push(rel.to_path_buf());
            }
        }
    }
    found.sort();
    found
}
