//! The release artifacts (`scripts/release.py`, what `make release` runs):
//! Terraform takes them from a filesystem mirror in the packed layout (the
//! zip as is) and in the unpacked layout (the zip extracted), records the
//! zip's `zh:` hash in the lock file, and the hashes it records in one
//! layout verify the other. (Signing and merging: release_signing.rs; the
//! same commit released from two checkout folders: release_reproducible.rs.)
//!
//! The debug build is packaged here, to spare the test suite a release
//! build; the script is the same.

mod support;

use std::path::Path;

use support::examples::{point_at, seeded_emulator, PORTAL};
use support::release::{expected_sums, package_provider, sha256_hex, succeeded, unpack, Artifacts};
use support::terraform::{
    go_platform, required_providers, terraform_versions, Workspace, PROVIDER_SOURCE,
    PROVIDER_VERSION,
};

/// Runs the release script on the built provider into `out`, unsigned.
fn build_artifacts(out: &Path) -> Artifacts {
    package_provider(out, &[]).0
}

#[test]
fn the_manifest_and_checksums_are_what_the_registry_reads() {
    let out = tempfile::tempdir().expect("dist dir");
    let artifacts = build_artifacts(out.path());

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&artifacts.manifest).expect("manifest"))
            .expect("manifest JSON");
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );

    let sums = std::fs::read_to_string(&artifacts.sums).expect("SHA256SUMS");
    assert_eq!(
        sums,
        expected_sums(&[&artifacts.zip, &artifacts.manifest]),
        "one `<sha256>  <file>` line per artifact"
    );

    // The same binary always packs to the same bytes, hence the same zh: hash.
    let again = tempfile::tempdir().expect("second dist dir");
    let second = build_artifacts(again.path());
    assert_eq!(sha256_hex(&artifacts.zip), sha256_hex(&second.zip));
}

const CONFIG: &str = r#"
resource "identitycenter_application_grant" "renewal" {
  application_arn = "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
  grant_type      = "refresh_token"
  grant {
    refresh_token {}
  }
}
"#;

/// `terraform init` in `ws`, after writing `lock` as the lock file when
/// given; returns the init output and the lock file after it.
fn init(ws: &Workspace, lock: Option<&str>) -> (std::process::Output, String) {
    ws.write_config(&format!("{}{CONFIG}", required_providers()));
    if let Some(lock) = lock {
        std::fs::write(ws.path().join(".terraform.lock.hcl"), lock).expect("write lock");
    }
    let out = ws.run(&["init", "-no-color", "-input=false"]);
    let lock = std::fs::read_to_string(ws.path().join(".terraform.lock.hcl")).unwrap_or_default();
    (out, lock)
}

/// apply, an empty plan, and destroy in an initialised `ws`.
fn apply_and_destroy(ws: &Workspace) {
    ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    let plan = ws.run(&["plan", "-detailed-exitcode", "-no-color", "-input=false"]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plan.stdout)
    );
    ws.run_ok(&["destroy", "-auto-approve", "-no-color", "-input=false"]);
}

/// A lock file as `terraform init` writes it after installing from the
/// Registry, which records the `zh:` hashes of the SHA256SUMS it serves.
fn lock_with(hashes: &[&str]) -> String {
    let lines: String = hashes.iter().map(|h| format!("    \"{h}\",\n")).collect();
    format!(
        "provider \"registry.terraform.io/{PROVIDER_SOURCE}\" {{\n  version     = \"{PROVIDER_VERSION}\"\n  constraints = \"{PROVIDER_VERSION}\"\n  hashes = [\n{lines}  ]\n}}\n"
    )
}

#[test]
fn terraform_installs_the_zip_from_packed_and_unpacked_mirrors() {
    let dist = tempfile::tempdir().expect("dist dir");
    let artifacts = build_artifacts(dist.path());
    let sums = std::fs::read_to_string(&artifacts.sums).expect("SHA256SUMS");
    let zip_name = artifacts
        .zip
        .file_name()
        .expect("zip name")
        .to_string_lossy()
        .into_owned();
    // The zh: hash is the zip's SHA-256 as SHA256SUMS lists it.
    let zh = format!(
        "zh:{}",
        sums.lines()
            .find_map(|l| l.strip_suffix(&format!("  {zip_name}")))
            .expect("SHA256SUMS lists the zip")
    );
    assert_eq!(zh, format!("zh:{}", sha256_hex(&artifacts.zip)));
    let (os, arch) = go_platform();

    let packed = tempfile::tempdir().expect("packed mirror");
    let packed_dir = packed
        .path()
        .join("registry.terraform.io")
        .join(PROVIDER_SOURCE);
    std::fs::create_dir_all(&packed_dir).expect("packed layout");
    std::fs::copy(&artifacts.zip, packed_dir.join(&zip_name)).expect("place zip");

    let unpacked = tempfile::tempdir().expect("unpacked mirror");
    let unpacked_dir = unpacked
        .path()
        .join("registry.terraform.io")
        .join(PROVIDER_SOURCE)
        .join(PROVIDER_VERSION)
        .join(format!("{os}_{arch}"));
    std::fs::create_dir_all(&unpacked_dir).expect("unpacked layout");
    unpack(&artifacts.zip, &unpacked_dir);

    for terraform in terraform_versions() {
        let version = &terraform.version;
        let emulator = seeded_emulator(&[]);
        let workspace = |mirror: &Path| {
            let mut ws = Workspace::with_mirror(&terraform, mirror);
            point_at(&mut ws, &emulator);
            ws
        };

        // The zip as it is, no lock file yet: Terraform installs it and
        // records the h1: hash of its contents (a mirror's own zh: hashes
        // are not trusted, only those of signed Registry releases).
        let fresh = workspace(packed.path());
        let (out, lock) = init(&fresh, None);
        succeeded(
            &format!("Terraform {version}: init from the packed mirror"),
            &out,
        );
        apply_and_destroy(&fresh);
        assert_eq!(
            emulator.calls("PutApplicationGrant"),
            1,
            "the grant of {PORTAL}"
        );
        let h1 = lock
            .lines()
            .find_map(|l| l.trim().strip_prefix("\"h1:"))
            .map(|h| format!("h1:{}", h.trim_end_matches(['"', ','])))
            .unwrap_or_else(|| panic!("Terraform {version}: no h1: hash in\n{lock}"));

        // A lock file from the Registry holds the zh: hash of SHA256SUMS:
        // Terraform checks the zip against it, and keeps it.
        let registry_lock = workspace(packed.path());
        let (out, lock) = init(&registry_lock, Some(&lock_with(&[&zh])));
        succeeded(
            &format!("Terraform {version}: init with the zh: lock"),
            &out,
        );
        assert!(
            lock.contains(&zh) && lock.contains(&h1),
            "Terraform {version}: the lock file should record {zh} and {h1}:\n{lock}"
        );

        // ...and refuses the zip when the recorded zh: hash is another one.
        let tampered = workspace(packed.path());
        let wrong = format!("zh:{}", "0".repeat(64));
        let (out, _) = init(&tampered, Some(&lock_with(&[&wrong])));
        assert!(
            !out.status.success(),
            "Terraform {version} accepted a zip that does not match the lock file"
        );

        // The unpacked layout satisfies the same lock file (through h1:).
        let from_dir = workspace(unpacked.path());
        let (out, after) = init(&from_dir, Some(&lock));
        succeeded(
            &format!("Terraform {version}: init from the unpacked mirror"),
            &out,
        );
        assert_eq!(after, lock, "Terraform {version}: the lock file changed");
        apply_and_destroy(&from_dir);
        assert!(emulator.grants().is_empty());
        assert_eq!(emulator.calls("PutApplicationGrant"), 2);
    }
}
