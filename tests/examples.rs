//! Every example under `examples/`, run as the README's "Running the
//! examples" tells a user to: its own shell commands, each example copied
//! alone into a scratch directory, the provider installed with
//! `dev_overrides`, against the emulator started with
//! `examples/emulator-seed.json`. Nothing is added to an example.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use aws_sdk_ssoadmin::types::GrantType;
use serde_json::json;
use support::emulator::Emulator;
use support::examples::*;
use support::grants::*;
use support::steps::*;
use support::terraform::{latest_terraform, terraform_versions, Workspace};

/// A grant the seed makes: (application name, grant type).
type SeedGrant = (&'static str, &'static str);

/// What running one example must show and leave behind.
struct Expected {
    /// The directory under `examples/`.
    dir: &'static str,
    /// Terraform's summary of the apply.
    applied: &'static str,
    /// Grants the apply writes.
    creates: u64,
    /// Grants of the seed it adopts, which its destroy then deletes.
    adopts: &'static [SeedGrant],
    /// Grants of the seed it reads and leaves alone.
    reads: &'static [SeedGrant],
    /// What its outputs show.
    shows: &'static [&'static str],
}

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

const EXAMPLES: [Expected; 11] = [
    Expected {
        dir: "quickstart",
        applied: "Resources: 4 added, 0 changed, 0 destroyed.",
        creates: 4,
        adopts: &[],
        reads: &[],
        shows: &["apl-1111222233334444,urn:ietf:params:oauth:grant-type:jwt-bearer"],
    },
    Expected {
        dir: "provider",
        applied: "Resources: 0 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[],
        shows: &[],
    },
    Expected {
        dir: "resources/identitycenter_application_grant",
        applied: "Resources: 2 imported, 2 added, 0 changed, 0 destroyed.",
        creates: 2,
        adopts: &[
            ("intranet", "authorization_code"),
            ("intranet", "refresh_token"),
        ],
        reads: &[],
        shows: &[],
    },
    Expected {
        dir: "resources/identitycenter_application_grants_exclusive",
        applied: "Resources: 2 imported, 1 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[("crm", "authorization_code"), ("crm", "refresh_token")],
        shows: &[],
    },
    Expected {
        dir: "resources/identitycenter_application_authentication_method",
        applied: "Resources: 1 imported, 1 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[],
        shows: &[],
    },
    Expected {
        dir: "data-sources/identitycenter_application_grant",
        applied: "Resources: 0 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[("crm", "authorization_code")],
        shows: &["redirect_uris = toset([\n  \"https://crm.example.com/sso/callback\",\n])"],
    },
    Expected {
        dir: "data-sources/identitycenter_application_grants",
        applied: "Resources: 0 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[("crm", "authorization_code"), ("crm", "refresh_token")],
        shows: &["grant_types = tolist([\n  \"authorization_code\",\n  \"refresh_token\",\n])"],
    },
    Expected {
        dir: "functions/grant_id",
        applied: "Resources: 2 imported, 0 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[("wiki", "refresh_token"), ("wiki", TOKEN_EXCHANGE)],
        reads: &[],
        shows: &["refresh_token_grant_id = \"arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-6666777788889999,refresh_token\""],
    },
    Expected {
        dir: "functions/parse_grant_id",
        applied: "Resources: 0 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[],
        shows: &["\"grant_type\" = \"refresh_token\""],
    },
    Expected {
        dir: "list-resources/identitycenter_application_grant",
        applied: "Resources: 0 added, 0 changed, 0 destroyed.",
        creates: 0,
        adopts: &[],
        reads: &[],
        shows: &[],
    },
    Expected {
        dir: "composition",
        applied: "Resources: 12 added, 0 changed, 0 destroyed.",
        creates: 8,
        adopts: &[],
        reads: &[],
        shows: &[],
    },
];

/// The README's "Running the examples": its setup block, its block for
/// one example, and its `terraform query` walk-through.
fn readme_commands() -> [String; 3] {
    let section = readme_section("## Running the examples");
    let blocks = shell_blocks(&section);
    assert_eq!(
        blocks.len(),
        3,
        "Running the examples has a setup, a per-example and a query block"
    );
    [blocks[0].clone(), blocks[1].clone(), blocks[2].clone()]
}

/// The README's per-example commands for `dir`: its first line names the
/// example to run, the rest is left as written.
fn commands_for(per_example: &str, dir: &str) -> String {
    let (first, rest) = per_example.split_once('\n').expect("several lines");
    assert!(
        first.starts_with("example=examples/"),
        "the block starts by naming the example: {first}"
    );
    format!("example=examples/{dir}\n{rest}")
}

/// Directories under `examples/` holding a root configuration (the module
/// is run by its own `terraform test` suite, below; a guide's half by the
/// guide's own test, as its page tells).
fn example_directories() -> BTreeSet<String> {
    fn walk(dir: &Path, found: &mut BTreeSet<String>) {
        let mut has_tf = false;
        for entry in std::fs::read_dir(dir).expect("read examples").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "tf") {
                has_tf = true;
            }
        }
        let relative = dir.strip_prefix(example_path("")).expect("under examples/");
        if has_tf && !relative.starts_with("modules") && !relative.starts_with("guides") {
            found.insert(relative.to_string_lossy().into_owned());
        }
    }
    let mut found = BTreeSet::new();
    walk(&example_path(""), &mut found);
    found
}

/// The seed's grants, by application name.
fn seed_grants() -> BTreeSet<(String, String)> {
    let seed: serde_json::Value =
        serde_json::from_str(&example("emulator-seed.json")).expect("seed JSON");
    seed["grants"]
        .as_array()
        .expect("the seed has grants")
        .iter()
        .map(|g| {
            (
                g["application"].as_str().expect("name").to_string(),
                g["grant_type"].as_str().expect("type").to_string(),
            )
        })
        .collect()
}

/// The grants the emulator holds, by application name.
fn grants_by_name(emulator: &Emulator) -> BTreeSet<(String, String)> {
    let names: std::collections::BTreeMap<&String, &String> = emulator
        .applications
        .iter()
        .map(|(name, arn)| (arn, name))
        .collect();
    emulator
        .grants()
        .into_keys()
        .map(|(arn, grant_type)| (names[&arn].clone(), grant_type))
        .collect()
}

/// Runs one example as the README says; `Err` says what went wrong.
fn run_example(expected: &Expected, setup: &str, per_example: &str) -> Result<(), String> {
    let run = ReadmeRun::new(&latest_terraform(), setup);
    let seeded = grants_by_name(&run.emulator);
    let (ok, output) = run.run(&commands_for(per_example, expected.dir));
    let fail = |why: String| Err(format!("examples/{}: {why}\n{output}", expected.dir));
    if !ok {
        return fail("the README's commands failed".into());
    }
    let applied = format!("Apply complete! {}", expected.applied);
    if !output.contains(&applied) {
        return fail(format!("no {applied:?}"));
    }
    for shown in expected.shows {
        if !output.contains(shown) {
            return fail(format!("its outputs do not show {shown:?}"));
        }
    }
    let puts = run.emulator.calls("PutApplicationGrant");
    if puts != expected.creates {
        return fail(format!(
            "{puts} grants written, expected {}",
            expected.creates
        ));
    }
    // Destroy removed what it made and what it adopted, nothing else.
    let adopted: BTreeSet<(String, String)> = expected
        .adopts
        .iter()
        .map(|(a, t)| (a.to_string(), t.to_string()))
        .collect();
    let left = grants_by_name(&run.emulator);
    let want: BTreeSet<_> = seeded.difference(&adopted).cloned().collect();
    if left != want {
        return fail(format!(
            "after destroy the emulator holds {left:?}, expected {want:?}"
        ));
    }
    Ok(())
}

#[test]
fn every_example_runs_alone_with_the_readmes_commands() {
    let [setup, per_example, _] = readme_commands();
    let directories = example_directories();
    let listed: BTreeSet<String> = EXAMPLES.iter().map(|e| e.dir.to_string()).collect();
    assert_eq!(
        directories, listed,
        "every example directory is run here, and only those"
    );
    let table = readme_section("## Running the examples");
    for dir in &directories {
        assert!(
            table.contains(&format!("[`examples/{dir}`](examples/{dir})")),
            "the README's table lists examples/{dir}"
        );
    }

    // One emulator can serve a whole pass over the examples (destroying
    // each before the next): a seeded grant is adopted (and so deleted) by
    // at most one example, and no example reads one that another adopts.
    let seed = seed_grants();
    let mut adopted_by = std::collections::BTreeMap::new();
    for e in &EXAMPLES {
        for (app, grant_type) in e.adopts {
            let grant = (app.to_string(), grant_type.to_string());
            assert!(seed.contains(&grant), "{}: {grant:?} is not seeded", e.dir);
            if let Some(other) = adopted_by.insert(grant.clone(), e.dir) {
                panic!("{} and {other} both adopt {grant:?}", e.dir);
            }
        }
    }
    for e in &EXAMPLES {
        for (app, grant_type) in e.reads {
            let grant = (app.to_string(), grant_type.to_string());
            assert!(seed.contains(&grant), "{}: {grant:?} is not seeded", e.dir);
            if let Some(other) = adopted_by.get(&grant) {
                panic!("{} reads {grant:?}, which {other} adopts", e.dir);
            }
        }
    }

    // Independent runs, a few at a time: each has its own emulator and
    // scratch directory.
    let queue = std::sync::Mutex::new(EXAMPLES.iter().collect::<Vec<_>>());
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let Some(next) = queue.lock().expect("queue").pop() else {
                    return;
                };
                if let Err(e) = run_example(next, &setup, &per_example) {
                    failures.lock().expect("failures").push(e);
                }
            });
        }
    });
    let failures = failures.into_inner().expect("failures");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_query_walk_through_imports_each_grant_exactly_once() {
    let [setup, _, query] = readme_commands();
    let run = ReadmeRun::new(&latest_terraform(), &setup);
    let seeded = grants_by_name(&run.emulator);
    assert_eq!(seeded, seed_grants());
    let (ok, output) = run.run(&query);
    assert!(ok, "the README's query commands failed:\n{output}");

    // The generated configuration: one import block per grant the seed
    // made, each by identity, none twice.
    let generated = find_file(&run.scratch(), "generated.tf")
        .unwrap_or_else(|| panic!("no generated.tf:\n{output}"));
    let text = std::fs::read_to_string(generated).expect("read generated.tf");
    let imports: Vec<&str> = text
        .split("\nimport {")
        .skip(1)
        .map(|block| block.split("\n}\n").next().unwrap_or(block))
        .collect();
    let names: std::collections::BTreeMap<String, String> = run
        .emulator
        .applications
        .iter()
        .map(|(name, arn)| (arn.clone(), name.clone()))
        .collect();
    let mut identities = BTreeSet::new();
    for block in &imports {
        let value = |key: &str| {
            let pattern = regex::Regex::new(&format!(r#"{key}\s*=\s*"([^"]*)""#)).expect("regex");
            pattern
                .captures(block)
                .map(|c| c[1].to_string())
                .unwrap_or_else(|| panic!("no {key} in import block:{block}"))
        };
        assert!(
            identities.insert((
                names[&value("application_arn")].clone(),
                value("grant_type")
            )),
            "imported twice: {block}"
        );
    }
    assert_eq!(imports.len(), seeded.len(), "{text}");
    assert_eq!(identities, seeded, "{text}");

    assert!(
        output.contains("Apply complete! Resources: 6 imported, 0 added, 0 changed, 0 destroyed."),
        "{output}"
    );
    assert_eq!(
        run.emulator.calls("PutApplicationGrant"),
        0,
        "imported, not written"
    );
    assert!(
        output.contains("Destroy complete! Resources: 6 destroyed."),
        "{output}"
    );
    assert!(run.emulator.grants().is_empty());
}

/// The first file called `name` under `dir`.
fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

#[test]
fn the_readmes_first_configuration_applies_with_the_readmes_setup_alone() {
    let [setup, _, _] = readme_commands();
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let hcl = readme
        .split("```hcl\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the README opens with a configuration");
    let run = ReadmeRun::new(&latest_terraform(), &setup);
    let dir = run.ws.path().join("opening");
    std::fs::create_dir(&dir).expect("dir");
    std::fs::write(dir.join("main.tf"), hcl).expect("write main.tf");
    let (ok, output) = run.run(
        "cd opening\nterraform init\nterraform apply -auto-approve\nterraform plan -detailed-exitcode\nterraform destroy -auto-approve",
    );
    assert!(ok, "{output}");
    assert!(
        output.contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
        "{output}"
    );
    assert_eq!(run.emulator.calls("PutApplicationGrant"), 1);
}

/// The provider example followed by the resource example.
fn provider_and_resources() -> String {
    [
        example("provider/provider.tf"),
        example("resources/identitycenter_application_grant/resource.tf"),
    ]
    .join("\n")
}

/// The four grants of the resource example.
const RESOURCE_ADDRESSES: [&str; 4] = [
    "identitycenter_application_grant.authorization_code",
    "identitycenter_application_grant.refresh_token",
    "identitycenter_application_grant.jwt_bearer",
    "identitycenter_application_grant.token_exchange",
];

/// Planned actions of the resource example's grants: those named in
/// `adopted` imported without changes, the others created.
fn resource_example_actions(adopted: &[&str]) -> Vec<(&'static str, Vec<&'static str>)> {
    RESOURCE_ADDRESSES
        .into_iter()
        .map(|address| {
            let name = address.rsplit('.').next().unwrap_or_default();
            let action = if adopted.contains(&name) {
                "no-op"
            } else {
                "create"
            };
            (address, vec![action])
        })
        .collect()
}

#[test]
fn the_resource_example_creates_every_grant_type_on_every_terraform() {
    // Without its import blocks (Terraform 1.0 has none): every grant is
    // created, on an emulator without the seed's grants.
    for terraform in terraform_versions() {
        let h = harness(&terraform, seeded_emulator(&[]));
        let config = provider_and_resources();
        h.run(vec![
            Step::apply(config.clone())
                .actions(resource_example_actions(&[]))
                .check(|emulator, show| {
                    assert_eq!(state_grants(show).len(), 4);
                    let jwt = &emulator.grants()[&(
                        INTRANET.to_string(),
                        "urn:ietf:params:oauth:grant-type:jwt-bearer".to_string(),
                    )];
                    assert_eq!(
                        jwt["JwtBearer"]["AuthorizedTokenIssuers"][0]["TrustedTokenIssuerArn"],
                        json!(CORP_IDP)
                    );
                }),
            Step::destroy(config),
        ]);
    }
}

#[test]
fn the_import_script_adopts_an_existing_grant() {
    let h = harness(&latest_terraform(), seeded_emulator(&[]));
    h.emulator.put_refresh_token_out_of_band(INTRANET);
    let config = provider_and_resources();
    h.write(&config);
    h.ws.init();
    let writes = h.emulator.calls("PutApplicationGrant");

    let script = example_path("resources/identitycenter_application_grant/import.sh");
    let out = h.ws.run_script(&script);
    assert!(
        out.status.success(),
        "import.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        h.emulator.calls("PutApplicationGrant"),
        writes,
        "import writes nothing"
    );
    assert_eq!(
        state_grants(&h.show()).keys().cloned().collect::<Vec<_>>(),
        vec![RESOURCE_ADDRESSES[1].to_string()]
    );
    assert!(h.emulator.grant_readable(INTRANET, GrantType::RefreshToken));

    h.run(vec![Step::apply(config)
        .actions(resource_example_actions(&["refresh_token"]))
        .check(move |emulator, _| {
            assert_eq!(emulator.calls("PutApplicationGrant"), writes + 3);
        })]);
}

/// Runs `terraform test` for one file of the module's suite in `ws`.
fn module_test(ws: &Workspace, file: &str) -> String {
    ws.init();
    let out = ws.run(&["test", "-no-color", &format!("-filter=tests/{file}")]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "terraform test {file} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_module_passes_its_own_terraform_test_suite_against_the_emulator() {
    let emulator = seeded_emulator(&[]);
    let mut ws = Workspace::new(&latest_terraform());
    point_at(&mut ws, &emulator);
    copy_example_dir(&ws, "modules/oauth_application", ".");
    let out = module_test(&ws, "emulator.tftest.hcl");
    assert!(out.contains("5 passed, 0 failed"), "{out}");
    assert!(
        emulator.calls("PutApplicationGrant") >= 5,
        "the runs wrote grants"
    );
    assert!(
        emulator.grants().is_empty(),
        "terraform test destroys what it created: {:?}",
        emulator.grants().keys()
    );
}

#[test]
fn the_modules_mocked_tests_need_no_aws() {
    // No endpoint, no credentials, no region: any call to AWS would fail.
    let ws = Workspace::new(&latest_terraform());
    copy_example_dir(&ws, "modules/oauth_application", ".");
    let out = module_test(&ws, "mocked.tftest.hcl");
    assert!(out.contains("2 passed, 0 failed"), "{out}");
}

/// `terraform plan -detailed-exitcode` in `dir` of `ws` finds no changes.
fn assert_no_changes_in(ws: &Workspace, dir: &str) {
    let plan = ws.run(&[
        &format!("-chdir={dir}"),
        "plan",
        "-detailed-exitcode",
        "-no-color",
        "-input=false",
    ]);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "no changes after apply in {dir}:\n{}",
        String::from_utf8_lossy(&plan.stdout)
    );
}

#[test]
fn the_composition_example_grants_to_every_application_through_the_module() {
    for terraform in terraform_versions() {
        let emulator = seeded_emulator(&[]);
        let mut ws = Workspace::new(&terraform);
        point_at(&mut ws, &emulator);
        copy_example_dir(&ws, "composition", "composition");
        copy_example_dir(&ws, "modules", "modules");
        let tf = |args: &[&str]| {
            let mut all = vec!["-chdir=composition"];
            all.extend_from_slice(args);
            ws.run_ok(&all)
        };
        tf(&["init", "-no-color", "-input=false"]);
        tf(&["apply", "-no-color", "-input=false", "-auto-approve"]);
        let show: serde_json::Value =
            serde_json::from_str(&tf(&["show", "-json"])).expect("show JSON");
        assert_state_matches_emulator(&emulator, &show);
        // portal and helpdesk trust the issuer (3 grants each), analytics does not (2).
        assert_eq!(
            emulator.grants().len(),
            8,
            "Terraform {}",
            terraform.version
        );
        // Every application's allow-list, and the portal's actor policy.
        let kinds: Vec<&str> = show["values"]["root_module"]["child_modules"]
            .as_array()
            .expect("modules")
            .iter()
            .flat_map(|m| m["resources"].as_array().cloned().unwrap_or_default())
            .filter_map(|r| r["type"].as_str().map(str::to_string))
            .filter(|t| !t.ends_with("_grant"))
            .map(|t| {
                if t.ends_with("exclusive") {
                    "allow-list"
                } else {
                    "method"
                }
            })
            .collect();
        assert_eq!(
            (
                kinds.iter().filter(|k| **k == "allow-list").count(),
                kinds.iter().filter(|k| **k == "method").count()
            ),
            (3, 1),
            "Terraform {}: {kinds:?}",
            terraform.version
        );
        assert!(
            emulator.actor_policies().contains_key(PORTAL),
            "{:?}",
            emulator.actor_policies()
        );
        let ids = output(&show, "grant_ids");
        assert_eq!(
            ids["analytics"],
            json!({
                "authorization_code": format!("{ANALYTICS},authorization_code"),
                "refresh_token": format!("{ANALYTICS},refresh_token"),
            })
        );
        assert_no_changes_in(&ws, "composition");
        tf(&["destroy", "-no-color", "-input=false", "-auto-approve"]);
        assert!(emulator.grants().is_empty());
    }
}

#[test]
fn every_example_declares_the_provider_as_the_provider_example_does() {
    // Each example directory carries its own copy of the provider example,
    // or declares the provider itself (quick start, composition).
    let provider = example("provider/provider.tf");
    for dir in example_directories() {
        let own = example_path(&dir).join("provider.tf");
        if own.exists() {
            assert_eq!(
                std::fs::read_to_string(&own).expect("read"),
                provider,
                "examples/{dir}/provider.tf differs from examples/provider/provider.tf"
            );
        } else {
            let text: String = std::fs::read_dir(example_path(&dir))
                .expect("read dir")
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "tf"))
                .map(|e| std::fs::read_to_string(e.path()).expect("read"))
                .collect();
            assert!(
                text.contains("source  = \"idc-labs/identitycenter\"")
                    && text.contains("provider \"identitycenter\""),
                "examples/{dir} declares and configures the provider"
            );
        }
    }
}

/// This provider's half of the custom application guide: the page shows the
/// directory's files as they are (the docs test renders them in), and the
/// directory stands alone as the page says, with the provider example's
/// provider block and defaults that name what the emulator's seed holds.
#[test]
fn the_custom_application_guide_half_stands_alone() {
    let dir = "guides/custom-application";
    assert_eq!(
        example(&format!("{dir}/provider.tf")),
        example("provider/provider.tf"),
        "examples/{dir}/provider.tf differs from examples/provider/provider.tf"
    );
    let variables = example(&format!("{dir}/variables.tf"));
    for (name, seeded) in [
        ("application_arn", PORTAL),
        ("trusted_token_issuer_arn", CORP_IDP),
    ] {
        let block = variables
            .split(&format!("variable \"{name}\" {{"))
            .nth(1)
            .and_then(|rest| rest.split("\n}").next())
            .unwrap_or_else(|| panic!("no variable {name} in examples/{dir}/variables.tf"));
        assert!(
            block.contains(&format!("default     = \"{seeded}\"")),
            "variable {name} defaults to the seed's {seeded}:{block}"
        );
    }
    let main = example(&format!("{dir}/main.tf"));
    for reference in [
        "aws_ssoadmin_application.portal.application_arn",
        "aws_ssoadmin_trusted_token_issuer.corp_idp.arn",
        "aws_iam_role.portal_backend.arn",
    ] {
        assert!(
            main.contains(&format!("# {reference}")),
            "main.tf names {reference}, the reference its local stands in for"
        );
    }
    // Every configuration on the page, the AWS half's included (which
    // nothing can apply here), is well-formed HCL as terraform fmt writes it.
    let ws = Workspace::new(&latest_terraform());
    copy_example_dir(&ws, dir, "guide");
    let page = std::fs::read_to_string(root().join("docs/guides/custom-application.md"))
        .expect("docs/guides/custom-application.md");
    let blocks: Vec<&str> = page
        .split("```terraform\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().unwrap_or(rest))
        .collect();
    assert!(blocks.len() >= 4, "the page shows both halves: {blocks:?}");
    std::fs::create_dir(ws.path().join("page")).expect("dir");
    for (n, block) in blocks.iter().enumerate() {
        std::fs::write(
            ws.path().join(format!("page/block{n}.tf")),
            format!("{block}\n"),
        )
        .expect("write block");
    }
    for checked in ["guide", "page"] {
        let fmt = ws.run(&["fmt", "-check", "-diff", "-no-color", checked]);
        assert!(
            fmt.status.success(),
            "terraform fmt would change {checked}:\n{}{}",
            String::from_utf8_lossy(&fmt.stdout),
            String::from_utf8_lossy(&fmt.stderr)
        );
    }

    // The half runs verbatim against the seeded emulator: apply, a plan
    // with no changes, a grant added out of band that the allow-list
    // deletes, and a destroy that leaves the portal as it found it.
    let emulator = seeded_emulator(&[]);
    let mut run = Workspace::new(&latest_terraform());
    point_at(&mut run, &emulator);
    copy_example_dir(&run, dir, "guide");
    let tf = |args: &[&str]| {
        let mut all = vec!["-chdir=guide"];
        all.extend_from_slice(args);
        run.run_ok(&all)
    };
    tf(&["init", "-no-color", "-input=false"]);
    tf(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    let portal_grants = |emu: &Emulator| -> Vec<String> {
        emu.grants()
            .into_keys()
            .filter(|(app, _)| app == PORTAL)
            .map(|(_, t)| t)
            .collect()
    };
    assert_eq!(
        portal_grants(&emulator),
        ["authorization_code", "refresh_token", JWT_BEARER_TYPE]
    );
    assert!(emulator.actor_policies().contains_key(PORTAL));
    emulator.put_grant_out_of_band(
        PORTAL,
        GrantType::TokenExchange,
        aws_sdk_ssoadmin::types::Grant::TokenExchange(
            aws_sdk_ssoadmin::types::TokenExchangeGrant::builder().build(),
        ),
    );
    tf(&["apply", "-no-color", "-input=false", "-auto-approve"]);
    assert_eq!(
        portal_grants(&emulator),
        ["authorization_code", "refresh_token", JWT_BEARER_TYPE],
        "the allow-list deleted the out-of-band grant"
    );
    assert_no_changes_in(&run, "guide");
    tf(&["destroy", "-no-color", "-input=false", "-auto-approve"]);
    assert!(portal_grants(&emulator).is_empty());
    assert!(!emulator.actor_policies().contains_key(PORTAL));
}
