//! Signing and merging a release (`scripts/release.py`, what `make release`
//! and `make release-merge` run): SHA256SUMS is signed with the key
//! GPG_FINGERPRINT names and verifies with its public key alone, as the
//! Registry checks it; a key the Registry would refuse is refused here; the
//! merge writes one SHA256SUMS over every platform's zip after checking
//! that each holds an executable of its OS and architecture.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::plugin_client::provider_binary;
use support::release::{
    artifacts_in, expected_sums, foreign_executable, package_provider, refused, release_py, sig_of,
    succeeded, verify_with_public_key, GnuPgHome, NAME,
};
use support::terraform::{go_platform, PROVIDER_VERSION};

#[test]
fn an_unsigned_release_says_so_and_keeps_no_stale_signature() {
    let out = tempfile::tempdir().expect("dist dir");
    let (os, arch) = go_platform();
    // A signature from an earlier release in the same folder cannot match
    // the new SHA256SUMS.
    let stale = sig_of(&artifacts_in(out.path(), os, arch).sums);
    std::fs::write(&stale, b"an old signature").expect("stale signature");

    let (artifacts, result) = package_provider(out.path(), &[]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("GPG_FINGERPRINT is not set") && stderr.contains("UNSIGNED"),
        "release.py should say the release is unsigned: {stderr}"
    );
    assert!(
        !artifacts.sig().exists(),
        "an unsigned release must not keep {}",
        artifacts.sig().display()
    );
}

#[test]
fn sha256sums_is_signed_with_the_gpg_fingerprint_key_and_verifies_with_its_public_key() {
    let gnupg = GnuPgHome::new();
    let passphrase = "correct horse battery staple";
    let fingerprint = gnupg.generate_key(
        "Release Signing <release@example.invalid>",
        "rsa2048",
        passphrase,
    );
    let out = tempfile::tempdir().expect("dist dir");

    let (artifacts, result) = package_provider(out.path(), &gnupg.env(&fingerprint, passphrase));
    let sig = artifacts.sig();
    assert!(sig.is_file(), "no {}", sig.display());
    assert!(
        String::from_utf8_lossy(&result.stdout).contains(&sig.display().to_string()),
        "release.py should list the signature"
    );
    // The Registry wants a binary detached signature: an OpenPGP signature
    // packet, not ASCII armour.
    let bytes = std::fs::read(&sig).expect("signature");
    assert!(
        bytes[0] & 0x80 != 0 && !bytes.starts_with(b"-----BEGIN"),
        "the signature is not a binary OpenPGP packet: {:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
    );

    let public = gnupg.export_public(&fingerprint);
    let verified = verify_with_public_key(&public, &sig, &artifacts.sums);
    succeeded("gpg --verify with the public key alone", &verified);
    let status = String::from_utf8_lossy(&verified.stdout);
    assert!(
        status.contains(&format!("VALIDSIG {fingerprint}")),
        "signed by another key: {status}"
    );

    // A changed SHA256SUMS no longer verifies.
    let mut sums = std::fs::read_to_string(&artifacts.sums).expect("SHA256SUMS");
    sums.replace_range(0..1, if sums.starts_with('0') { "1" } else { "0" });
    let tampered = out.path().join("tampered_SHA256SUMS");
    std::fs::write(&tampered, sums).expect("tampered copy");
    let rejected = verify_with_public_key(&public, &sig, &tampered);
    assert!(!rejected.status.success(), "a changed SHA256SUMS verified");
}

#[test]
fn signing_fails_with_a_wrong_passphrase_or_a_key_the_registry_refuses() {
    let gnupg = GnuPgHome::new();
    let rsa = gnupg.generate_key("RSA <rsa@example.invalid>", "rsa2048", "the passphrase");
    let out = tempfile::tempdir().expect("dist dir");
    let binary = provider_binary();
    let package = |env: &[(&str, &str)]| {
        release_py(
            &[
                "package",
                "--binary",
                &binary.display().to_string(),
                "--out",
                &out.path().display().to_string(),
            ],
            env,
        )
    };
    let (os, arch) = go_platform();
    let sig = sig_of(&artifacts_in(out.path(), os, arch).sums);

    refused(
        "signing with a wrong passphrase",
        &package(&gnupg.env(&rsa, "not the passphrase")),
        &format!("gpg could not sign with {rsa}"),
    );
    assert!(!sig.exists(), "a failed signing left {}", sig.display());

    // The Registry takes RSA and DSA keys only: an Ed25519 signature would
    // be refused at publication, so it is refused here, before.
    let ed25519 = gnupg.generate_key("EdDSA <eddsa@example.invalid>", "ed25519", "");
    refused(
        "signing with an Ed25519 key",
        &package(&gnupg.env(&ed25519, "")),
        "accepts only RSA and DSA signing keys",
    );
    assert!(
        !sig.exists(),
        "a refused signature was left at {}",
        sig.display()
    );
}

/// The five platforms of a Registry release in `dir`: this machine's zip
/// from the real provider, the others packaged from headers of their format
/// (no cross-compiler here); each `package` run checks the header against
/// `--os` / `--arch`.
fn every_platform_in(dir: &Path) -> Vec<PathBuf> {
    let (host_os, host_arch) = go_platform();
    let fixtures = tempfile::tempdir().expect("fixtures");
    let mut zips = Vec::new();
    for (os, arch) in [
        ("darwin", "amd64"),
        ("darwin", "arm64"),
        ("linux", "amd64"),
        ("linux", "arm64"),
        ("windows", "amd64"),
    ] {
        if (os, arch) == (host_os, host_arch) {
            package_provider(dir, &[]);
        } else {
            let fixture = fixtures.path().join(format!("{os}_{arch}"));
            std::fs::write(&fixture, foreign_executable(os, arch)).expect("fixture");
            let out = release_py(
                &[
                    "package",
                    "--binary",
                    &fixture.display().to_string(),
                    "--os",
                    os,
                    "--arch",
                    arch,
                    "--out",
                    &dir.display().to_string(),
                ],
                &[],
            );
            succeeded(&format!("release.py package --os {os} --arch {arch}"), &out);
        }
        zips.push(artifacts_in(dir, os, arch).zip);
    }
    zips
}

fn merge(dir: &Path, env: &[(&str, &str)]) -> std::process::Output {
    release_py(&["merge", "--dir", &dir.display().to_string()], env)
}

#[test]
fn merge_writes_one_signed_sha256sums_over_every_platform() {
    let dist = tempfile::tempdir().expect("dist dir");
    let zips = every_platform_in(dist.path());
    let windows = zipfile_names(&zips[4]);
    assert_eq!(
        windows,
        vec![format!("{NAME}_v{PROVIDER_VERSION}.exe")],
        "the Windows zip holds the .exe"
    );

    let gnupg = GnuPgHome::new();
    let fingerprint = gnupg.generate_key("Merge <merge@example.invalid>", "rsa2048", "");
    let merged = merge(dist.path(), &gnupg.env(&fingerprint, ""));
    succeeded("release.py merge", &merged);

    let (os, arch) = go_platform();
    let artifacts = artifacts_in(dist.path(), os, arch);
    let mut files: Vec<&Path> = zips.iter().map(|z| z.as_path()).collect();
    files.push(&artifacts.manifest);
    let sums = std::fs::read_to_string(&artifacts.sums).expect("SHA256SUMS");
    assert_eq!(
        sums,
        expected_sums(&files),
        "one line per zip and the manifest"
    );
    let verified = verify_with_public_key(
        &gnupg.export_public(&fingerprint),
        &artifacts.sig(),
        &artifacts.sums,
    );
    succeeded("gpg --verify of the merged SHA256SUMS", &verified);
}

/// The names inside a zip, through Python's zipfile (as in `unpack`).
fn zipfile_names(zip: &Path) -> Vec<String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(zip)
        .output()
        .expect("python3");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn merge_refuses_a_zip_for_another_platform_a_missing_platform_and_stray_files() {
    let dist = tempfile::tempdir().expect("dist dir");
    every_platform_in(dist.path());
    let (os, arch) = go_platform();
    let ours = artifacts_in(dist.path(), os, arch).zip;

    // This machine's zip, renamed as if it were the macOS arm64 one.
    let darwin_arm64 = artifacts_in(dist.path(), "darwin", "arm64").zip;
    std::fs::copy(&ours, &darwin_arm64).expect("mislabel the zip");
    refused(
        "merge with a mislabelled zip",
        &merge(dist.path(), &[]),
        &format!("is a {os}_{arch} executable, not darwin_arm64"),
    );
    std::fs::remove_file(&darwin_arm64).expect("remove mislabelled zip");

    refused(
        "merge without the macOS arm64 zip",
        &merge(dist.path(), &[]),
        "missing: ['darwin_arm64']",
    );

    let again = tempfile::tempdir().expect("second dist dir");
    every_platform_in(again.path());
    std::fs::write(again.path().join("notes.txt"), "not a release file").expect("stray file");
    refused(
        "merge with a stray file",
        &merge(again.path(), &[]),
        "is not part of release",
    );
}

#[test]
fn package_refuses_a_binary_built_for_another_platform() {
    let out = tempfile::tempdir().expect("dist dir");
    let binary = provider_binary();
    let (os, arch) = go_platform();
    for (claimed_os, claimed_arch) in [("darwin", arch), (os, "arm64"), ("windows", "amd64")] {
        let result = release_py(
            &[
                "package",
                "--binary",
                &binary.display().to_string(),
                "--os",
                claimed_os,
                "--arch",
                claimed_arch,
                "--out",
                &out.path().display().to_string(),
            ],
            &[],
        );
        refused(
            &format!("package --os {claimed_os} --arch {claimed_arch}"),
            &result,
            &format!("is a {os}_{arch} executable, not {claimed_os}_{claimed_arch}"),
        );
    }
    assert!(
        std::fs::read_dir(out.path())
            .expect("dist")
            .next()
            .is_none(),
        "a refused package wrote files"
    );
}
