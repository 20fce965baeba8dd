//! The same commit released from two checkout folders gives byte-identical
//! zips, and no absolute path of the build (checkout, target directory,
//! cargo home) is left in the binary.
//!
//! Ignored in a plain `cargo test`: `make test` runs it beside the rest of
//! the suite (`make test-reproducible`), because its first run compiles
//! every dependency once more (with the release's path remapping) and most
//! of the suite's time is spent waiting on Terraform and its plugins.

mod support;

use std::path::Path;
use std::process::Command;

use sha2::Digest;
use support::release::{artifacts_in, root, succeeded, unpack, NAME};
use support::terraform::{go_platform, PROVIDER_VERSION};

/// Copies the files git tracks (as they are in the working tree) from the
/// repository into `to`: a checkout of this commit in another folder.
fn checkout_into(to: &Path) {
    let listed = Command::new("git")
        .current_dir(root())
        .args(["ls-files", "-z"])
        .output()
        .expect("git ls-files");
    succeeded("git ls-files", &listed);
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let relative = Path::new(std::str::from_utf8(name).expect("UTF-8 file name"));
        let from = root().join(relative);
        if !from.exists() {
            continue; // deleted in the working tree
        }
        let dest = to.join(relative);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &dest).expect("copy tracked file");
    }
}

/// `make release` in `checkout`, building in `target`; the zip and the
/// build's log.
fn release_from(checkout: &Path, target: &Path) -> (Vec<u8>, Vec<u8>, String) {
    let dist = checkout.join("dist");
    let out = Command::new("make")
        .arg("-C")
        .arg(checkout)
        .args(["release", "RELEASE_PROFILE=dev"])
        .arg(format!("DIST={}", dist.display()))
        .env("CARGO_TARGET_DIR", target)
        // The release profile writes no debug information; the dev
        // profile's line tables would, and they record the folder rustc ran
        // in. Optimisation, which takes minutes, writes no paths.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env_remove("MAKEFLAGS")
        .env_remove("MAKELEVEL")
        .env_remove("MFLAGS")
        .env_remove("GPG_FINGERPRINT")
        .output()
        .expect("make release");
    succeeded(&format!("make release in {}", checkout.display()), &out);
    let (os, arch) = go_platform();
    let artifacts = artifacts_in(&dist, os, arch);
    (
        std::fs::read(&artifacts.zip).expect("zip"),
        std::fs::read(&artifacts.sums).expect("SHA256SUMS"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The executable inside a release zip.
fn zipped_binary(zip: &[u8], scratch: &Path) -> Vec<u8> {
    let file = scratch.join("inspected.zip");
    std::fs::write(&file, zip).expect("write zip");
    let into = scratch.join("inspected");
    unpack(&file, &into);
    std::fs::read(into.join(format!("{NAME}_v{PROVIDER_VERSION}"))).expect("zipped binary")
}

#[test]
#[ignore = "run by `make test` beside the suite (make test-reproducible): its first build takes minutes"]
fn the_same_commit_released_from_two_checkout_folders_is_byte_identical() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    // Both checkouts build in one target directory, kept between runs, so
    // that the dependencies are compiled once (the first run takes minutes);
    // each checkout still compiles the provider itself, as the logs show.
    let target = scratch.join("release-reproducibility-target");
    let folders = tempfile::tempdir_in(scratch).expect("checkout folders");
    let first_checkout = folders.path().join("one/terraform-provider-identitycenter");
    let second_checkout = folders.path().join("two/a-longer-folder-name/checkout");

    checkout_into(&first_checkout);
    let (first_zip, first_sums, first_log) = release_from(&first_checkout, &target);
    // Copied only now, so that its files are newer than the first build and
    // cargo cannot take the first checkout's build for this one's.
    checkout_into(&second_checkout);
    let (second_zip, second_sums, second_log) = release_from(&second_checkout, &target);
    for (log, checkout) in [
        (&first_log, &first_checkout),
        (&second_log, &second_checkout),
    ] {
        assert!(
            log.contains(&format!("Compiling {NAME}")),
            "the provider was not compiled in {}:\n{log}",
            checkout.display()
        );
    }

    assert!(
        first_zip == second_zip,
        "the zips differ: {} bytes (sha256 {}) from {} and {} bytes (sha256 {}) from {}",
        first_zip.len(),
        hex::encode(sha2::Sha256::digest(&first_zip)),
        first_checkout.display(),
        second_zip.len(),
        hex::encode(sha2::Sha256::digest(&second_zip)),
        second_checkout.display()
    );
    assert_eq!(
        String::from_utf8_lossy(&first_sums),
        String::from_utf8_lossy(&second_sums)
    );

    // No absolute path of the build is left in the executable: not the
    // checkouts, not the target directory, not the cargo home.
    let binary = zipped_binary(&first_zip, folders.path());
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(&std::env::var("HOME").expect("HOME")).join(".cargo"));
    for path in [root(), scratch, folders.path(), &target, &cargo_home] {
        let needle = path.display().to_string();
        assert!(
            !binary.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "the released binary contains the build path {needle}"
        );
    }
}
