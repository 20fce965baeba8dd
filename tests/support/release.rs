//! Running `scripts/release.py` as a publisher does, a throwaway GnuPG home
//! to sign with, and the executable headers of platforms this machine
//! cannot build for.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

use super::plugin_client::provider_binary;
use super::terraform::{go_platform, PROVIDER_VERSION};

pub const NAME: &str = "terraform-provider-identitycenter";

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `python3 scripts/release.py ARGS` with `env` added and, unless `env`
/// sets it, no GPG_FINGERPRINT from the machine; its output whatever the
/// exit code.
pub fn release_py(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("scripts/release.py"))
        .args(args)
        .env_remove("GPG_FINGERPRINT")
        .env_remove("GPG_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run scripts/release.py")
}

/// Fails the test with both streams unless `out` succeeded.
pub fn succeeded(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Fails the test unless `out` failed with `expected` in its stderr.
pub fn refused(what: &str, out: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "{what} succeeded, but should have been refused:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains(expected),
        "{what}: the error should say {expected:?}; it says:\n{stderr}"
    );
}

/// Extracts the zip as `unzip` would, keeping the file modes it records.
pub fn unpack(zip: &Path, into: &Path) {
    let script = "import os, sys, zipfile\n\
                  with zipfile.ZipFile(sys.argv[1]) as z:\n\
                  \x20   for info in z.infolist():\n\
                  \x20       path = z.extract(info, sys.argv[2])\n\
                  \x20       os.chmod(path, (info.external_attr >> 16) & 0o777)\n";
    let status = Command::new("python3")
        .args(["-c", script])
        .arg(zip)
        .arg(into)
        .status()
        .expect("python3");
    assert!(status.success(), "unzip {}", zip.display());
}

/// One platform's artifacts.
pub struct Artifacts {
    pub zip: PathBuf,
    pub manifest: PathBuf,
    pub sums: PathBuf,
}

impl Artifacts {
    pub fn sig(&self) -> PathBuf {
        sig_of(&self.sums)
    }
}

/// `<file>.sig`.
pub fn sig_of(sums: &Path) -> PathBuf {
    let mut name = sums.file_name().expect("file name").to_os_string();
    name.push(".sig");
    sums.with_file_name(name)
}

/// The artifact paths `package` writes into `out` for `os`_`arch`.
pub fn artifacts_in(out: &Path, os: &str, arch: &str) -> Artifacts {
    Artifacts {
        zip: out.join(format!("{NAME}_{PROVIDER_VERSION}_{os}_{arch}.zip")),
        manifest: out.join(format!("{NAME}_{PROVIDER_VERSION}_manifest.json")),
        sums: out.join(format!("{NAME}_{PROVIDER_VERSION}_SHA256SUMS")),
    }
}

/// `release.py package` of the built provider (the debug build: the script
/// is the same for any build) for this platform, into `out`.
pub fn package_provider(out: &Path, env: &[(&str, &str)]) -> (Artifacts, Output) {
    let (os, arch) = go_platform();
    let binary = provider_binary();
    let result = release_py(
        &[
            "package",
            "--binary",
            &binary.display().to_string(),
            "--version",
            PROVIDER_VERSION,
            "--out",
            &out.display().to_string(),
        ],
        env,
    );
    succeeded("release.py package", &result);
    let artifacts = artifacts_in(out, os, arch);
    let listed = String::from_utf8_lossy(&result.stdout).into_owned();
    for path in [&artifacts.zip, &artifacts.manifest, &artifacts.sums] {
        assert!(path.is_file(), "{} was not written", path.display());
        assert!(
            listed.contains(&path.display().to_string()),
            "release.py does not list {}: {listed}",
            path.display()
        );
    }
    (artifacts, result)
}

pub fn sha256_hex(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).expect("read artifact")))
}

/// What SHA256SUMS must say for `files`: one `<sha256>  <name>` line each,
/// by name.
pub fn expected_sums(files: &[&Path]) -> String {
    let mut lines: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name.clone(), format!("{}  {name}\n", sha256_hex(p)))
        })
        .collect();
    lines.sort();
    lines.into_iter().map(|(_, line)| line).collect()
}

/// A GnuPG home of its own (GNUPGHOME), so the test neither reads nor
/// changes the user's keys; its gpg-agent is stopped when dropped.
pub struct GnuPgHome {
    pub dir: tempfile::TempDir,
}

impl GnuPgHome {
    pub fn new() -> Self {
        // Short and private: gpg-agent puts its socket here, and socket
        // paths are limited to ~100 bytes.
        let dir = tempfile::Builder::new()
            .prefix("gpg")
            .tempdir_in("/tmp")
            .expect("GnuPG home");
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("chmod GnuPG home");
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `gpg --batch ARGS` in this home.
    pub fn gpg(&self, args: &[&str]) -> Output {
        Command::new("gpg")
            .arg("--homedir")
            .arg(self.path())
            .arg("--batch")
            .args(args)
            .output()
            .expect("gpg is needed for the release signing tests (apt-get install gnupg)")
    }

    /// Generates a signing key (`algorithm`: `rsa2048`, `ed25519`, …)
    /// protected by `passphrase` (none when empty); returns its fingerprint.
    pub fn generate_key(&self, uid: &str, algorithm: &str, passphrase: &str) -> String {
        let out = self.gpg(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
            "--quick-generate-key",
            uid,
            algorithm,
            "sign",
            "1d",
        ]);
        succeeded("gpg --quick-generate-key", &out);
        let listed = self.gpg(&["--with-colons", "--list-secret-keys", uid]);
        succeeded("gpg --list-secret-keys", &listed);
        String::from_utf8_lossy(&listed.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .map(|rest| rest.trim_matches(':').to_string())
            .expect("the new key's fingerprint")
    }

    /// The public key, ASCII-armoured, as one registers it with the Registry.
    pub fn export_public(&self, fingerprint: &str) -> Vec<u8> {
        let out = self.gpg(&["--armor", "--export", fingerprint]);
        succeeded("gpg --export", &out);
        assert!(
            out.stdout
                .starts_with(b"-----BEGIN PGP PUBLIC KEY BLOCK-----"),
            "no public key exported"
        );
        out.stdout
    }

    /// Environment for release.py: this home as the default one.
    pub fn env<'a>(&'a self, fingerprint: &'a str, passphrase: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("GNUPGHOME", self.path().to_str().expect("UTF-8 path")),
            ("GPG_FINGERPRINT", fingerprint),
            ("GPG_PASSPHRASE", passphrase),
        ]
    }
}

impl Drop for GnuPgHome {
    fn drop(&mut self) {
        // The agent gpg started for this home, and nothing else.
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.path())
            .args(["--kill", "gpg-agent"])
            .output();
    }
}

/// Verifies `sig` over `file` as the Registry does: with nothing but the
/// registered public key. Returns gpg's status lines.
pub fn verify_with_public_key(public_key: &[u8], sig: &Path, file: &Path) -> Output {
    let verifier = GnuPgHome::new();
    let key_file = verifier.path().join("registered.asc");
    std::fs::write(&key_file, public_key).expect("write public key");
    succeeded(
        "gpg --import",
        &verifier.gpg(&["--import", key_file.to_str().expect("UTF-8")]),
    );
    verifier.gpg(&[
        "--status-fd",
        "1",
        "--verify",
        sig.to_str().expect("UTF-8"),
        file.to_str().expect("UTF-8"),
    ])
}

/// The first bytes of an executable for `os`/`arch` that this machine
/// cannot build: just the header fields the release checks read (format,
/// machine, executable type), padded. The merge never runs them.
pub fn foreign_executable(os: &str, arch: &str) -> Vec<u8> {
    let mut bytes = vec![0u8; 4096];
    match os {
        "linux" => {
            bytes[..4].copy_from_slice(b"\x7fELF");
            bytes[4] = 2; // 64-bit
            bytes[5] = 1; // little-endian
            bytes[6] = 1; // ELF version
            bytes[16..18].copy_from_slice(&3u16.to_le_bytes()); // ET_DYN, as a PIE is
            let machine: u16 = match arch {
                "amd64" => 62,
                "arm64" => 183,
                other => panic!("no ELF machine for {other}"),
            };
            bytes[18..20].copy_from_slice(&machine.to_le_bytes());
        }
        "darwin" => {
            bytes[..4].copy_from_slice(&0xFEED_FACFu32.to_le_bytes());
            let cpu: u32 = match arch {
                "amd64" => 0x0100_0007,
                "arm64" => 0x0100_000C,
                other => panic!("no Mach-O CPU type for {other}"),
            };
            bytes[4..8].copy_from_slice(&cpu.to_le_bytes());
            bytes[12..16].copy_from_slice(&2u32.to_le_bytes()); // MH_EXECUTE
        }
        "windows" => {
            bytes[..2].copy_from_slice(b"MZ");
            bytes[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
            bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
            let machine: u16 = match arch {
                "amd64" => 0x8664,
                "arm64" => 0xAA64,
                other => panic!("no PE machine for {other}"),
            };
            bytes[0x84..0x86].copy_from_slice(&machine.to_le_bytes());
            // IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_LARGE_ADDRESS_AWARE
            bytes[0x96..0x98].copy_from_slice(&0x0022u16.to_le_bytes());
        }
        other => panic!("no executable format for {other}"),
    }
    bytes
}
