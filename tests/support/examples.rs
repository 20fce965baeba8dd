//! The examples under `examples/` and the README's instructions for running
//! them: the seed the examples name, and the README's own shell commands,
//! made runnable in a test's scratch directory.

use std::path::{Path, PathBuf};

use super::emulator::{Emulator, ACCESS_KEY, SECRET_KEY};
use super::plugin_client::provider_binary;
use super::steps::Harness;
use super::terraform::{TerraformCli, Workspace};

/// The application most examples grant to (`portal` in the seed).
pub const PORTAL: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";
/// A second seeded application (`analytics`).
pub const ANALYTICS: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888";
/// The seeded application whose grants the resource example adopts (`intranet`).
pub const INTRANET: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-2222333344445555";
/// The seeded trusted token issuer (`corp-idp`).
pub const CORP_IDP: &str = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-1111222233334444/tti-0123abcd-0123-4abc-8def-0123456789ab";

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `examples/<path>`.
pub fn example_path(path: &str) -> PathBuf {
    root().join("examples").join(path)
}

/// The text of `examples/<path>`.
pub fn example(path: &str) -> String {
    std::fs::read_to_string(example_path(path)).unwrap_or_else(|e| panic!("examples/{path}: {e}"))
}

/// An emulator holding the applications and the trusted token issuer of
/// `examples/emulator-seed.json`, but none of the grants the seed makes for
/// the examples to adopt or read, plus `extra` flags.
pub fn seeded_emulator(extra: &[&str]) -> Emulator {
    let mut without_grants: serde_json::Value =
        serde_json::from_str(&example("emulator-seed.json"))
            .expect("examples/emulator-seed.json is JSON");
    without_grants
        .as_object_mut()
        .expect("the seed is an object")
        .remove("grants");
    // Under cargo's scratch space for integration tests, not /tmp; the
    // emulator reads it once, at start.
    let file = tempfile::Builder::new()
        .prefix("seed-without-grants-")
        .suffix(".json")
        .tempfile_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("seed file");
    std::fs::write(file.path(), without_grants.to_string()).expect("write seed");
    let path = file.path().to_str().expect("UTF-8 path").to_string();
    let mut args = vec!["--seed", path.as_str()];
    args.extend_from_slice(extra);
    let emulator = Emulator::start(&[], &[], &args);
    assert_eq!(
        (
            emulator.app("portal"),
            emulator.app("intranet"),
            emulator.issuer("corp-idp")
        ),
        (PORTAL, INTRANET, CORP_IDP),
        "examples/emulator-seed.json no longer seeds what the examples name"
    );
    emulator
}

/// Configures the provider of every command in `ws` through the
/// environment, as the docs show for the emulator.
pub fn point_at(ws: &mut Workspace, emulator: &Emulator) {
    ws.env("AWS_ENDPOINT_URL_SSO_ADMIN", &emulator.endpoint);
    ws.env("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    ws.env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    ws.env("AWS_REGION", "us-east-1");
}

/// A step harness for configurations that bring their own
/// `required_providers` and provider block (an example's provider.tf); the
/// provider is pointed at the emulator through the environment.
pub fn harness(terraform: &TerraformCli, emulator: Emulator) -> Harness {
    let mut h = Harness::new(terraform, emulator);
    h.provider_block = String::new();
    h.header = String::new();
    point_at(&mut h.ws, &h.emulator);
    h
}

/// Copies `examples/<from>` (a directory, recursively) to `<to>` under the
/// workspace.
pub fn copy_example_dir(ws: &Workspace, from: &str, to: &str) {
    copy_dir(&example_path(from), &ws.path().join(to));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read example directory") {
        let entry = entry.expect("directory entry");
        // What a local `terraform init` in examples/ leaves behind.
        let name = entry.file_name();
        if name == ".terraform" || name == ".terraform.lock.hcl" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy example file");
        }
    }
}

/// The section of README.md under `heading` (a whole `## …` line), up to
/// the next section of the same level.
pub fn readme_section(heading: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README.md has no section {heading:?}"));
    let body = &readme[start + heading.len() + 2..];
    let end = body.find("\n## ").unwrap_or(body.len());
    body[..end].to_string()
}

/// The ```` ```sh ```` code blocks of `markdown`, in order.
pub fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("```sh\n") {
        let body = &rest[start + 6..];
        let end = body.find("\n```").expect("a closed code block");
        blocks.push(body[..end].to_string());
        rest = &body[end + 4..];
    }
    blocks
}

/// The README's "Running the examples", made to run in a test: its setup
/// commands verbatim, but for two lines. `cargo build --bins` is left out
/// (cargo built the binaries before running the test), and the emulator it
/// starts on port 8080 is started by the test, with the README's arguments,
/// on a free port whose address replaces 8080's. Everything runs in a
/// scratch directory where `examples/` and `target/debug/` lead to the
/// repository's.
pub struct ReadmeRun {
    /// The scratch directory, standing for the repository's root.
    pub ws: Workspace,
    /// The emulator the README's setup starts.
    pub emulator: Emulator,
    setup: String,
}

/// The README's emulator line starts so.
const README_EMULATOR: &str = "target/debug/identitycenter-emulator";
/// The port the README gives the emulator.
const README_PORT: &str = "8080";

impl ReadmeRun {
    /// Prepares the scratch root and starts the emulator as `setup` (the
    /// README's once-per-shell commands) says.
    pub fn new(terraform: &TerraformCli, setup: &str) -> Self {
        let mut kept = Vec::new();
        let mut emulator = None;
        let mut builds = 0;
        for line in setup.lines() {
            if line.starts_with("cargo build --bins") {
                builds += 1;
            } else if let Some(args) = line.strip_prefix(README_EMULATOR) {
                emulator = Some(start_like_the_readme(args));
            } else {
                kept.push(line);
            }
        }
        assert_eq!(
            builds, 1,
            "the README's setup builds with cargo build --bins"
        );
        let emulator = emulator.expect("the README's setup starts the emulator");
        let mut setup = kept.join("\n");
        let readme_endpoint = format!("http://127.0.0.1:{README_PORT}");
        assert_eq!(
            setup.matches(&readme_endpoint).count(),
            1,
            "the README's setup exports the emulator's endpoint once:\n{setup}"
        );
        setup = setup.replace(&readme_endpoint, &emulator.endpoint);

        let mut ws = Workspace::new(terraform);
        std::os::unix::fs::symlink(root().join("examples"), ws.path().join("examples"))
            .expect("link examples");
        let target = ws.path().join("target");
        std::fs::create_dir(&target).expect("target dir");
        let binaries = provider_binary();
        std::os::unix::fs::symlink(
            binaries.parent().expect("the binaries' directory"),
            target.join("debug"),
        )
        .expect("link target/debug");
        // mktemp makes its directories in here, not in /tmp.
        let scratch = ws.path().join("scratch");
        std::fs::create_dir(&scratch).expect("scratch dir");
        ws.env("TMPDIR", scratch.to_str().expect("UTF-8 path"));
        ReadmeRun {
            ws,
            emulator,
            setup,
        }
    }

    /// Runs the setup, then `commands`, in one bash that stops at the first
    /// failing command; returns everything it printed, colours removed, and
    /// whether it succeeded.
    pub fn run(&self, commands: &str) -> (bool, String) {
        let script = self.ws.path().join("readme-commands.sh");
        std::fs::write(&script, format!("set -ex\n{}\n{commands}\n", self.setup))
            .expect("write script");
        let out = self.ws.run_script(&script);
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let colours = regex::Regex::new("\x1b\\[[0-9;]*m").expect("regex");
        (
            out.status.success(),
            colours.replace_all(&text, "").into_owned(),
        )
    }

    /// Where the commands' `mktemp -d` directories are.
    pub fn scratch(&self) -> PathBuf {
        self.ws.path().join("scratch")
    }
}

/// Starts the emulator with the README's arguments (`args`, after the
/// program), on a free port instead of the README's.
fn start_like_the_readme(args: &str) -> Emulator {
    let mut words: Vec<&str> = args.split_whitespace().collect();
    assert_eq!(
        words.pop(),
        Some("&"),
        "the README starts the emulator in the background"
    );
    let port = words
        .iter()
        .position(|w| *w == "--port")
        .expect("the README gives the emulator a port");
    assert_eq!(words.get(port + 1), Some(&README_PORT));
    words.drain(port..port + 2);
    let seed_at = words
        .iter()
        .position(|w| *w == "--seed")
        .expect("the README seeds the emulator");
    let seed = root().join(words[seed_at + 1]);
    let seed = seed.to_str().expect("UTF-8 path").to_string();
    words[seed_at + 1] = seed.as_str();
    Emulator::start(&[], &[], &words)
}
