//! The GitHub workflows (.github/workflows) cannot run here; what can be
//! checked is checked: actionlint (with shellcheck on every `run:` script)
//! finds nothing, and the workflows call the local pieces the other tests
//! prove (`make test`, `scripts/release.py build`, `make release-merge`)
//! for every platform the merge requires.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A linter `make tools` installs under .tools/bin.
fn tool(name: &str) -> PathBuf {
    let path = root().join(".tools/bin").join(name);
    assert!(
        path.exists(),
        "{name} is not installed at {}: run `make tools` (or `make test`)",
        path.display()
    );
    path
}

fn workflow(name: &str) -> String {
    let path = root().join(".github/workflows").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_workflows_pass_actionlint_and_shellcheck() {
    let out = Command::new(tool("actionlint"))
        .current_dir(root())
        .arg("-shellcheck")
        .arg(tool("shellcheck"))
        // pyflakes is not installed: there is no Python in `run:` steps.
        .args(["-pyflakes", "", "-no-color", "-oneline"])
        .output()
        .expect("run actionlint");
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ci_runs_make_test() {
    let test = workflow("test.yml");
    assert!(test.contains("run: make test"), "{test}");
}

#[test]
fn the_release_workflow_builds_every_registry_platform_with_the_tested_commands() {
    let release = workflow("release.yml");
    for wanted in [
        "tags: [\"v*\"]",
        "run: python scripts/release.py build --out dist",
        "run: make release-merge",
        "GPG_PRIVATE_KEY: ${{ secrets.GPG_PRIVATE_KEY }}",
        "GPG_PASSPHRASE: ${{ secrets.GPG_PASSPHRASE }}",
        "--draft",
    ] {
        assert!(release.contains(wanted), "release.yml lacks {wanted:?}");
    }
    // The platforms `release.py merge` requires by default, each built by
    // one job of the matrix.
    let script = std::fs::read_to_string(root().join("scripts/release.py")).expect("release.py");
    let list = script
        .split("REGISTRY_PLATFORMS = (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("REGISTRY_PLATFORMS in release.py");
    let platforms: Vec<&str> = list
        .split(',')
        .map(|p| p.trim().trim_matches('"'))
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(platforms.len(), 5, "{platforms:?}");
    for platform in platforms {
        let (os, arch) = platform.split_once('_').expect("os_arch");
        assert!(
            release.contains(&format!("{{ os: {os}, arch: {arch}, runner: ")),
            "release.yml builds no {platform} zip"
        );
    }
}
