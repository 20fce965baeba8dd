//! The examples under `examples/`, run as users run them: verbatim, with the
//! provider configured from the environment and pointed at an emulator
//! seeded with `examples/emulator-seed.json`, which holds the applications
//! and the trusted token issuer the examples name.

use std::path::{Path, PathBuf};

use super::emulator::{Emulator, ACCESS_KEY, SECRET_KEY};
use super::steps::Harness;
use super::terraform::{TerraformCli, Workspace};

/// The application most examples grant to (`portal` in the seed).
pub const PORTAL: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444";
/// A second seeded application (`analytics`).
pub const ANALYTICS: &str =
    "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-5555666677778888";
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

/// The text of `examples/<path>`, after checking the README quotes it whole.
pub fn readme_example(path: &str) -> String {
    let text = example(path);
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(
        readme.contains(text.trim_end()),
        "README.md does not show examples/{path} as it is"
    );
    text
}

/// An emulator holding what `examples/emulator-seed.json` seeds, plus
/// `extra` flags.
pub fn seeded_emulator(extra: &[&str]) -> Emulator {
    let seed = example_path("emulator-seed.json");
    let mut args = vec!["--seed", seed.to_str().expect("UTF-8 path")];
    args.extend_from_slice(extra);
    let emulator = Emulator::start(&[], &[], &args);
    assert_eq!(
        (emulator.app("portal"), emulator.issuer("corp-idp")),
        (PORTAL, CORP_IDP),
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

/// A step harness whose configuration brings its own provider block (or
/// none): the provider is configured through the environment.
pub fn harness(terraform: &TerraformCli, emulator: Emulator) -> Harness {
    let mut h = Harness::new(terraform, emulator);
    h.provider_block = String::new();
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
