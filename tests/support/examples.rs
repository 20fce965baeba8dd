//! The examples the README shows: read from `examples/`, and checked to
//! appear in the README exactly as in the file, so what users copy is what
//! the tests run.

use std::path::Path;

/// The text of `examples/<path>`, after checking the README quotes it whole.
pub fn readme_example(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples").join(path))
        .unwrap_or_else(|e| panic!("examples/{path}: {e}"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(
        readme.contains(text.trim_end()),
        "README.md does not show examples/{path} as it is"
    );
    text
}
