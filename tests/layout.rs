//! The source layout's own rules, checked on the source text: no import
//! cycle between files in src/, and the provider's name only in the
//! provider (the generic layers learn it from the `Provider`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModulePath = Vec<String>;

/// Every library source file under `src/` by its module path (`src/lib.rs`
/// is the root; the binaries are left out).
fn modules() -> BTreeMap<ModulePath, PathBuf> {
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
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            (parts, f)
        })
        .collect()
}

/// A file without its test module (kept last in every file here).
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The code of a file without its test module, comments and string
/// contents (none of which make a dependency between files).
fn code(text: &str) -> String {
    let text = without_tests(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push_str("\"\"");
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            // A char literal such as '"' or '{' (lifetimes pass through).
            '\'' if matches!(chars.clone().nth(1), Some('\'')) => {
                chars.next();
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// The paths a `use` tree names, e.g. `a::{b, c::{d, e}}` gives `a::b`,
/// `a::c::d` and `a::c::e`.
fn expand(tree: &str, prefix: &[String], out: &mut Vec<ModulePath>) {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    match tree.find('{') {
        None => {
            let mut path = prefix.to_vec();
            path.extend(
                tree.split("::")
                    .filter(|s| !s.is_empty())
                    .map(|s| s.split("as").next().unwrap_or(s).to_string()),
            );
            out.push(path);
        }
        Some(open) => {
            let mut path = prefix.to_vec();
            path.extend(
                tree[..open]
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&inner[start..i], &path, out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if start < inner.len() {
                expand(&inner[start..], &path, out);
            }
        }
    }
}

/// Every path a file's code names: its `use` trees, and `crate::…`,
/// `super::…` and `self::…` paths written inline.
fn named_paths(code: &str) -> Vec<ModulePath> {
    let mut paths = Vec::new();
    let mut rest = String::new();
    let mut remaining = code;
    while let Some(at) = remaining.find("use ") {
        let before = remaining[..at].trim_end();
        // `pub use`, `pub(crate) use` and the like are use statements too.
        let before = match before.strip_suffix(')') {
            Some(b) if b.contains("pub(") => b[..b.rfind("pub(").unwrap_or(0)].trim_end(),
            _ => before.strip_suffix("pub").unwrap_or(before).trim_end(),
        };
        let starts_statement = (at == 0
            || !remaining[..at]
                .chars()
                .last()
                .is_some_and(char::is_alphanumeric))
            && before
                .chars()
                .last()
                .is_none_or(|c| matches!(c, ';' | '}' | '{' | ']'));
        rest.push_str(&remaining[..at]);
        let after = &remaining[at + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if starts_statement {
            expand(&after[..end], &[], &mut paths);
            remaining = &after[end..];
        } else {
            rest.push_str("use ");
            remaining = after;
        }
    }
    rest.push_str(remaining);
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in rest.match_indices(start) {
            if rest[..at].chars().last().is_some_and(is_ident) {
                continue;
            }
            let text: String = rest[at..]
                .chars()
                .take_while(|&c| is_ident(c) || c == ':')
                .collect();
            paths.push(
                text.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    paths
}

/// The file a path named in module `from` leads to: the deepest module on
/// the path (the item may be defined there or re-exported by it).
fn target(
    path: &[String],
    from: &[String],
    from_is_mod_file: bool,
    modules: &BTreeMap<ModulePath, PathBuf>,
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
            if !from_is_mod_file || !modules.contains_key(&child) {
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
    let mut found = modules.contains_key(&base).then(|| base.clone());
    for s in segments {
        base.push(s.clone());
        if modules.contains_key(&base) {
            found = Some(base.clone());
        } else {
            break;
        }
    }
    found
}

/// Which files each file depends on.
fn dependencies() -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let modules = modules();
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).expect("read source");
        let is_mod_file = file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let mut deps = BTreeSet::new();
        for path in named_paths(&code(&text)) {
            if let Some(to) = target(&path, module, is_mod_file, &modules) {
                if &to != module && !to.is_empty() {
                    deps.insert(to);
                }
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
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

#[test]
fn no_file_in_src_takes_part_in_an_import_cycle() {
    let graph = dependencies();
    // The resolver sees real dependencies (or this test could never fail).
    let engine_plan = graph
        .get(&vec!["framework".into(), "engine".into(), "plan".into()])
        .expect("framework/engine/plan.rs");
    assert!(
        engine_plan
            .iter()
            .any(|d| d.first().is_some_and(|s| s == "value")),
        "the plan engine uses crate::value: {engine_plan:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        let files: Vec<String> = cycle.iter().map(|m| m.join("/")).collect();
        panic!("import cycle: {}", files.join(" -> "));
    }
}

#[test]
fn the_generic_layers_never_name_the_provider() {
    for (module, file) in modules() {
        let layer = module.first().map(String::as_str);
        if !matches!(layer, Some("plugin" | "server" | "framework" | "value")) {
            continue;
        }
        // Tests may drive these layers with the real provider.
        let text = std::fs::read_to_string(&file).expect("read source");
        assert!(
            !without_tests(&text).contains("identitycenter"),
            "{} names the provider; take the name from the Provider",
            file.display()
        );
    }
}
