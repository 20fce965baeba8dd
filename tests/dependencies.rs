//! The dependency graph carries one TLS and crypto stack: rustls 0.23 on
//! aws-lc-rs and hyper 1, shared by the plugin host, the AWS SDK and the
//! emulator. The SDK's default features add a second, legacy one (hyper
//! 0.14, rustls 0.21, ring): dead code in every provider process and an
//! unmaintained TLS implementation in the supply chain.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Every package in `cargo tree` (all dependency kinds, this platform),
/// by name, with the versions present.
fn packages() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["tree", "--locked", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut words = line.split_whitespace();
        if let (Some(name), Some(version)) = (words.next(), words.next()) {
            found
                .entry(name.to_string())
                .or_default()
                .insert(version.to_string());
        }
    }
    assert!(
        found.contains_key("terraform-provider-identitycenter"),
        "cargo tree listed nothing recognisable"
    );
    found
}

#[test]
fn one_tls_stack_no_ring_one_rustls_one_hyper_major() {
    let packages = packages();
    for absent in ["ring", "sct"] {
        assert!(
            !packages.contains_key(absent),
            "{absent} {:?} is in the dependency graph: `cargo tree -i {absent}` says who pulls it in",
            packages[absent]
        );
    }
    for single in [
        "rustls",
        "rustls-webpki",
        "tokio-rustls",
        "hyper-rustls",
        "h2",
        "http",
    ] {
        let versions = packages.get(single).cloned().unwrap_or_default();
        assert!(
            versions.len() <= 1,
            "{single} comes in several versions: {versions:?}"
        );
    }
    let hyper_majors: BTreeSet<&str> = packages
        .get("hyper")
        .map(|v| v.iter().map(|v| major(v)).collect())
        .unwrap_or_default();
    assert_eq!(
        hyper_majors,
        BTreeSet::from(["v1"]),
        "hyper majors in the graph"
    );
    assert_eq!(
        packages
            .get("rustls")
            .map(|v| v.iter().map(|v| major_minor(v)).collect()),
        Some(vec!["v0.23".to_string()]),
        "rustls 0.23 is the TLS stack the plugin host is written against"
    );
}

/// `v1` of `v1.12.0`.
fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// `v0.23` of `v0.23.46`.
fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}
