//! The source layout's own rules, checked on the source parsed as Rust: no
//! import cycle between files in src/, and the generic layers (plugin,
//! server, framework, value) never reach into the provider or the emulator,
//! nor name the provider (they learn its name from the `Provider`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

type ModulePath = Vec<String>;

/// One source file: its text and whether it is a `mod.rs`/`lib.rs` (whose
/// child modules it may name directly).
struct Source {
    text: String,
    is_mod_file: bool,
}

/// Every library source file under `src/` by its module path (`src/lib.rs`
/// is the root; the binaries are left out).
fn library_sources() -> BTreeMap<ModulePath, (PathBuf, Source)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .filter(|f| !f.starts_with(src.join("bin")))
        .map(|f| {
            let relative = f.strip_prefix(&src).expect("under src/").with_extension("");
            let mut parts: ModulePath = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            let is_mod_file = matches!(parts.last().map(String::as_str), Some("mod" | "lib"));
            if is_mod_file {
                parts.pop();
            }
            let text = std::fs::read_to_string(&f).expect("read source");
            (parts, (f, Source { text, is_mod_file }))
        })
        .collect()
}

/// The attributes of an item of a kind that may be test-only.
fn item_attributes(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether `attrs` hold `#[cfg(test)]`.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// What a file's code holds outside its test-only items: the paths it
/// names (every `use` tree expanded, and every path of two or more segments)
/// and its words (identifiers, string literals, macro input).
#[derive(Default)]
struct FileFacts {
    paths: Vec<ModulePath>,
    words: Vec<String>,
}

impl FileFacts {
    fn of(source: &Source) -> Self {
        let file = syn::parse_file(&source.text).expect("the source parses");
        let mut facts = FileFacts::default();
        facts.visit_file(&file);
        facts
    }

    fn expand(&mut self, tree: &syn::UseTree, prefix: &mut ModulePath) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.expand(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.push(prefix, &n.ident),
            syn::UseTree::Rename(r) => self.push(prefix, &r.ident),
            syn::UseTree::Glob(_) => self.paths.push(prefix.clone()),
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.expand(item, prefix);
                }
            }
        }
    }

    fn push(&mut self, prefix: &ModulePath, last: &syn::Ident) {
        let mut path = prefix.clone();
        path.push(last.to_string());
        self.paths.push(path);
    }
}

impl<'ast> Visit<'ast> for FileFacts {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test_only(item_attributes(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if item.leading_colon.is_none() {
            self.expand(&item.tree, &mut Vec::new());
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() && path.segments.len() > 1 {
            self.paths
                .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_ident(&mut self, ident: &'ast syn::Ident) {
        self.words.push(ident.to_string());
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.words.push(lit.value());
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Macro input is not parsed as Rust: take its tokens as words.
        self.words.push(mac.tokens.to_string());
        syn::visit::visit_macro(self, mac);
    }
}

/// The module a path named in module `from` leads to: the deepest module
/// on the path (the item may be defined there or re-exported by it).
/// Paths into other crates lead nowhere.
fn target(
    path: &[String],
    from: &[String],
    from_is_mod_file: bool,
    modules: &BTreeSet<ModulePath>,
) -> Option<ModulePath> {
    let mut segments = path.iter().peekable();
    let mut base: ModulePath = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("super" | "self") => from.to_vec(),
        // A child module of this one, named directly.
        Some(first) => {
            let mut child = from.to_vec();
            child.push(first.to_string());
            if !from_is_mod_file || !modules.contains(&child) {
                return None;
            }
            from.to_vec()
        }
        None => return None,
    };
    while let Some(s) = segments.peek() {
        match s.as_str() {
            "super" => {
                base.pop();
            }
            "self" => {}
            _ => break,
        }
        segments.next();
    }
    let mut found = modules.contains(&base).then(|| base.clone());
    for s in segments {
        base.push(s.clone());
        if !modules.contains(&base) {
            break;
        }
        found = Some(base.clone());
    }
    found
}

/// Which modules (files) each module depends on.
fn dependencies(
    sources: &BTreeMap<ModulePath, &Source>,
) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let modules: BTreeSet<ModulePath> = sources.keys().cloned().collect();
    sources
        .iter()
        .map(|(module, source)| {
            let deps = FileFacts::of(source)
                .paths
                .iter()
                .filter_map(|path| target(path, module, source.is_mod_file, &modules))
                .filter(|to| to != module && !to.is_empty())
                .collect();
            (module.clone(), deps)
        })
        .collect()
}

/// A cycle in `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Option<Vec<ModulePath>> {
    fn visit(
        node: &ModulePath,
        graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        done: &mut BTreeSet<ModulePath>,
        stack: &mut Vec<ModulePath>,
    ) -> Option<Vec<ModulePath>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

fn describe(cycle: &[ModulePath]) -> String {
    let files: Vec<String> = cycle.iter().map(|m| m.join("/")).collect();
    files.join(" -> ")
}

fn module(path: &str) -> ModulePath {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The dependency graph of in-memory sources, `(module path, is mod.rs,
/// text)` each.
fn graph_of(files: &[(&str, bool, &str)]) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let sources: Vec<(ModulePath, Source)> = files
        .iter()
        .map(|(path, is_mod_file, text)| {
            (
                module(path),
                Source {
                    text: text.to_string(),
                    is_mod_file: *is_mod_file,
                },
            )
        })
        .collect();
    dependencies(&sources.iter().map(|(m, s)| (m.clone(), s)).collect())
}

#[test]
fn the_checker_sees_cycles_through_uses_paths_and_child_modules() {
    // A parent that calls into its child, whose file uses the parent.
    let parent_child = graph_of(&[
        ("", true, "mod ops;"),
        ("ops", true, "mod grants; pub fn run() { grants::put(); }"),
        (
            "ops/grants",
            false,
            "use super::read_string; pub fn put() {}",
        ),
    ]);
    assert!(find_cycle(&parent_child).is_some(), "{parent_child:?}");
    // Two files through pub(crate) use, a multi-line group, a rename and a
    // module whose name contains "as"; strings and test modules do not count.
    let siblings = graph_of(&[
        ("", true, "mod aliases; mod a;"),
        (
            "a",
            false,
            "pub(crate) use crate::aliases::{\n    Y as Z,\n};\nconst S: &str = r#\"use crate::b::X;\"#;",
        ),
        ("aliases", false, "pub fn f() { crate::a::g(); }"),
    ]);
    assert!(find_cycle(&siblings).is_some(), "{siblings:?}");
    let not_a_cycle = graph_of(&[
        ("", true, "mod a; mod b;"),
        (
            "a",
            false,
            "use crate::b::X; const S: &str = \"crate::a::Y\";",
        ),
        (
            "b",
            false,
            "pub struct X;\n#[cfg(test)]\nmod tests { use crate::a::*; }",
        ),
    ]);
    assert_eq!(find_cycle(&not_a_cycle), None, "{not_a_cycle:?}");
}

#[test]
fn no_file_in_src_takes_part_in_an_import_cycle() {
    let sources = library_sources();
    let graph = dependencies(&sources.iter().map(|(m, (_, s))| (m.clone(), s)).collect());
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", describe(&cycle));
    }
}

#[test]
fn the_generic_layers_never_reach_into_or_name_the_provider() {
    let sources = library_sources();
    let graph = dependencies(&sources.iter().map(|(m, (_, s))| (m.clone(), s)).collect());
    let generic = |m: &ModulePath| {
        matches!(
            m.first().map(String::as_str),
            Some("plugin" | "server" | "framework" | "value")
        )
    };
    for (module, deps) in graph.iter().filter(|(m, _)| generic(m)) {
        for dep in deps {
            assert!(
                !matches!(
                    dep.first().map(String::as_str),
                    Some("provider" | "emulator")
                ),
                "{} depends on {}",
                module.join("/"),
                dep.join("/")
            );
        }
    }
    for (module, (file, source)) in sources.iter().filter(|(m, _)| generic(m)) {
        // Test-only items may drive these layers with the real provider.
        let words = FileFacts::of(source).words;
        let named = words
            .iter()
            .find(|w| w.to_ascii_lowercase().contains("identitycenter"));
        assert!(
            named.is_none(),
            "{} ({}) names the provider in {named:?}; take the name from the Provider",
            file.display(),
            module.join("/")
        );
    }
}

/// The string literals of a file outside test-only items and doc comments
/// (descriptions are documentation), macro input included.
#[derive(Default)]
struct Literals(Vec<String>);

impl Literals {
    fn of(source: &Source) -> Vec<String> {
        let file = syn::parse_file(&source.text).expect("the source parses");
        let mut literals = Literals::default();
        literals.visit_file(&file);
        literals.0
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match token {
                // `#[doc = "…"]`, as a doc comment inside macro input reads.
                proc_macro2::TokenTree::Punct(p) if p.as_char() == '#' => {
                    if let Some(proc_macro2::TokenTree::Group(g)) = tokens.peek() {
                        if g.stream()
                            .into_iter()
                            .next()
                            .is_some_and(|t| t.to_string() == "doc")
                        {
                            tokens.next();
                        }
                    }
                }
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                proc_macro2::TokenTree::Literal(l) => {
                    if let Ok(lit) = syn::parse_str::<syn::LitStr>(&l.to_string()) {
                        self.0.push(lit.value());
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Literals {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test_only(item_attributes(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_attribute(&mut self, _attribute: &'ast syn::Attribute) {}

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.0.push(lit.value());
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
    }
}

/// Every attribute and block name of every schema the provider serves, and
/// every type and function name.
fn provider_names() -> (BTreeSet<String>, BTreeSet<String>) {
    use identitycenter::framework::{Block, Provider};
    fn walk(block: &Block, out: &mut BTreeSet<String>) {
        for a in &block.attributes {
            out.insert(a.name.clone());
        }
        for b in &block.blocks {
            out.insert(b.type_name.clone());
            walk(&b.block, out);
        }
    }
    let provider = identitycenter::provider::IdentityCenterProvider::new();
    let mut attributes = BTreeSet::new();
    let mut types = BTreeSet::new();
    walk(&provider.schema().block, &mut attributes);
    for r in provider.resources() {
        types.insert(r.type_name().to_string());
        walk(&r.schema().block, &mut attributes);
        if let Some(identity) = r.identity_schema() {
            walk(&identity.block, &mut attributes);
        }
    }
    for d in provider.data_sources() {
        types.insert(d.type_name().to_string());
        walk(&d.schema().block, &mut attributes);
    }
    for l in provider.list_resources() {
        types.insert(l.type_name().to_string());
        walk(&l.schema().block, &mut attributes);
    }
    for f in provider.functions() {
        types.insert(f.name().to_string());
    }
    (attributes, types)
}

/// Where `name` occurs in `text` as a whole word (identifier characters on
/// neither side).
fn occurs_as_word(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// `text` without the `{variable}` / `{variable:?}` placeholders of a
/// format string.
fn placeholders_removed(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '?') =>
            {
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn no_attribute_or_type_name_is_written_twice_in_the_provider() {
    // A name is written once: as a model field (no literal at all), or as
    // one literal holding exactly it (a type name's constant, a grant type
    // value that is also a block name). Messages name attributes and types
    // through those constants. Names without an underscore are also
    // English words ("grant", "region"), so only the others are checked.
    let (attributes, types) = provider_names();
    let names: BTreeSet<&String> = attributes
        .iter()
        .chain(&types)
        .filter(|n| n.contains('_'))
        .collect();
    assert!(names.len() > 10, "{names:?}");
    let mut exact: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut within = Vec::new();
    for (module, (file, source)) in library_sources() {
        if module.first().map(String::as_str) != Some("provider") {
            continue;
        }
        for literal in Literals::of(&source) {
            // `{application_arn}` in a format string is a variable.
            let literal = placeholders_removed(&literal);
            for name in &names {
                if literal == **name {
                    exact
                        .entry(name)
                        .or_default()
                        .push(file.display().to_string());
                } else if occurs_as_word(&literal, name) {
                    within.push(format!("{}: {name} in {literal:?}", file.display()));
                }
            }
        }
    }
    let twice: Vec<String> = exact
        .iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| format!("{name}: {files:?}"))
        .collect();
    assert!(
        twice.is_empty() && within.is_empty(),
        "names written as literals more than once:\n{}\nnames inside literals (use the constant):\n{}",
        twice.join("\n"),
        within.join("\n")
    );
}

#[test]
fn the_name_check_sees_names_inside_messages_and_macros() {
    let source = Source {
        text: r##"
            /// Docs may say `grant_type`.
            fn f() {
                let a = "grant_type";
                let b = format!("{} must be set; grant_type too", X);
                tracing::info!(%x, "application_arn is {}", y);
                object_model! {
                    /// The `redirect_uris` docs.
                    pub struct M { [required] pub g: Field<String> = G, }
                }
            }
            #[cfg(test)]
            mod tests { const T: &str = "grant_type is fine here"; }
        "##
        .to_string(),
        is_mod_file: false,
    };
    let literals = Literals::of(&source);
    assert!(literals.contains(&"grant_type".to_string()), "{literals:?}");
    assert!(literals
        .iter()
        .any(|l| occurs_as_word(l, "grant_type") && l != "grant_type"));
    assert!(literals
        .iter()
        .any(|l| occurs_as_word(l, "application_arn")));
    assert!(!literals
        .iter()
        .any(|l| l.contains("redirect_uris") || l.contains("fine here")));
    assert!(!occurs_as_word("grant_types", "grant_type"));
    assert_eq!(
        placeholders_removed("of {application_arn:?} in {}: {"),
        "of  in : {"
    );
}
