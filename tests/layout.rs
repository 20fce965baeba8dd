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
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            _ => &[],
        };
        if !is_test_only(attrs) {
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
