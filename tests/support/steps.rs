//! A declarative step harness in the spirit of terraform-plugin-testing:
//! each step writes a configuration, optionally changes the world out of
//! band, runs a real Terraform command, and checks the plan, the state
//! (`terraform show -json`) and the emulator.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::emulator::Emulator;
use super::grants::{
    assert_state_accounts_for_emulator, assert_state_matches_emulator, state_grant_keys,
    state_grants,
};
use super::terraform::{required_providers, TerraformCli, Workspace};

/// What a step asks Terraform to do.
pub enum Action {
    /// plan (checked against `expect_actions`), then apply that saved plan,
    /// then require an empty plan.
    Apply,
    /// plan only.
    Plan,
    /// `terraform import ADDRESS ID`, then require an empty plan.
    ImportCommand { address: String, id: String },
    /// `terraform destroy`.
    Destroy,
    /// `terraform apply -refresh-only`, then require an empty plan.
    RefreshOnly,
}

/// An out-of-band change made before a step runs.
pub type BeforeHook<'a> = Box<dyn FnOnce(&Emulator) + 'a>;
/// A check run after a step, given `terraform show -json`.
pub type StateCheck<'a> = Box<dyn Fn(&Emulator, &Value) + 'a>;

/// One step.
pub struct Step<'a> {
    /// Resource blocks (the provider header and block are added).
    pub config: String,
    pub action: Action,
    /// Out-of-band change before Terraform runs.
    pub before: Option<BeforeHook<'a>>,
    /// The step must fail and its diagnostics must contain this text. The
    /// state comparison and `check` still run after it.
    pub expect_error: Option<&'a str>,
    /// Planned actions per resource address (e.g. `["create"]`,
    /// `["delete", "create"]`, `["update"]`); when given, addresses not
    /// listed must be no-ops. Empty: not checked.
    pub expect_actions: Vec<(&'a str, Vec<&'a str>)>,
    /// Runs after the step with `terraform show -json`.
    pub check: Option<StateCheck<'a>>,
    /// Extra `terraform plan` arguments, e.g. `-replace=ADDRESS`.
    pub plan_args: Vec<String>,
    /// After an Apply, Import or refresh (or any failed step), state and the
    /// emulator must hold exactly the same grants; after a Destroy, neither
    /// holds the grants state held. Off only for steps where the emulator
    /// also holds grants Terraform does not manage.
    pub compare_with_emulator: bool,
}

impl<'a> Step<'a> {
    pub fn apply(config: String) -> Self {
        Step {
            config,
            action: Action::Apply,
            before: None,
            expect_error: None,
            expect_actions: Vec::new(),
            check: None,
            plan_args: Vec::new(),
            compare_with_emulator: true,
        }
    }

    pub fn plan(config: String) -> Self {
        Step {
            action: Action::Plan,
            ..Step::apply(config)
        }
    }

    pub fn destroy(config: String) -> Self {
        Step {
            action: Action::Destroy,
            ..Step::apply(config)
        }
    }

    pub fn refresh_only(config: String) -> Self {
        Step {
            action: Action::RefreshOnly,
            ..Step::apply(config)
        }
    }

    pub fn import(config: String, address: &str, id: &str) -> Self {
        Step {
            action: Action::ImportCommand {
                address: address.to_string(),
                id: id.to_string(),
            },
            ..Step::apply(config)
        }
    }

    pub fn actions(mut self, expected: Vec<(&'a str, Vec<&'a str>)>) -> Self {
        self.expect_actions = expected;
        self
    }

    pub fn before(mut self, f: impl FnOnce(&Emulator) + 'a) -> Self {
        self.before = Some(Box::new(f));
        self
    }

    pub fn check(mut self, f: impl Fn(&Emulator, &Value) + 'a) -> Self {
        self.check = Some(Box::new(f));
        self
    }

    pub fn plan_args(mut self, args: &[&str]) -> Self {
        self.plan_args = args.iter().map(|a| a.to_string()).collect();
        self
    }

    /// The emulator also holds grants this configuration does not manage:
    /// do not require state and the emulator to match.
    pub fn emulator_holds_unmanaged_grants(mut self) -> Self {
        self.compare_with_emulator = false;
        self
    }

    pub fn expect_error(mut self, text: &'a str) -> Self {
        self.expect_error = Some(text);
        self
    }
}

/// A Terraform working directory wired to one emulator.
pub struct Harness {
    pub ws: Workspace,
    pub emulator: Emulator,
    /// The provider block; the emulator's own unless replaced.
    pub provider_block: String,
    /// The `terraform { required_providers … }` header; empty for
    /// configurations that bring their own.
    pub header: String,
}

impl Harness {
    pub fn new(terraform: &TerraformCli, emulator: Emulator) -> Self {
        Harness {
            ws: Workspace::new(terraform),
            provider_block: emulator.provider_block(),
            header: required_providers(),
            emulator,
        }
    }

    /// The whole `main.tf` for `resources`: header, provider block, then
    /// the resources (so line numbers of diagnostics can be computed).
    pub fn config_text(&self, resources: &str) -> String {
        format!("{}{}{resources}", self.header, self.provider_block)
    }

    /// Writes `main.tf` for `resources`.
    pub fn write(&self, resources: &str) {
        self.ws.write_config(&self.config_text(resources));
    }

    /// Runs every step in order; the first failure fails the test with the
    /// step number and Terraform's output.
    pub fn run(&self, steps: Vec<Step<'_>>) {
        let mut initialised = false;
        for (n, step) in steps.into_iter().enumerate() {
            let label = format!("step {} (Terraform {})", n + 1, self.ws.terraform.version);
            self.write(&step.config);
            if !initialised {
                self.ws.init();
                initialised = true;
            }
            if let Some(before) = step.before {
                before(&self.emulator);
            }
            let managed_before = match step.action {
                Action::Destroy => state_grant_keys(&self.show()),
                _ => BTreeSet::new(),
            };
            let outcome = match &step.action {
                Action::Apply => self.plan_and_apply(
                    &label,
                    &step.plan_args,
                    &step.expect_actions,
                    step.expect_error.is_some(),
                ),
                // No expectation: the plan must have no changes at all.
                Action::Plan if step.expect_actions.is_empty() && step.expect_error.is_none() => {
                    self.assert_no_changes(&label, &step.plan_args);
                    Ok(())
                }
                Action::Plan => self.plan_only(
                    &label,
                    &step.plan_args,
                    &step.expect_actions,
                    step.expect_error.is_some(),
                ),
                Action::ImportCommand { address, id } => {
                    self.outcome(&["import", "-no-color", "-input=false", address, id])
                }
                Action::Destroy => {
                    self.outcome(&["destroy", "-auto-approve", "-no-color", "-input=false"])
                }
                Action::RefreshOnly => self.outcome(&[
                    "apply",
                    "-refresh-only",
                    "-auto-approve",
                    "-no-color",
                    "-input=false",
                ]),
            };
            let failed = match (step.expect_error, outcome) {
                (Some(text), Err(output)) => {
                    // Terraform wraps long details: compare as one line.
                    let unwrapped = output.split_whitespace().collect::<Vec<_>>().join(" ");
                    assert!(
                        unwrapped.contains(text),
                        "{label}: expected an error containing {text:?}, got:\n{output}"
                    );
                    true
                }
                (Some(text), Ok(())) => {
                    panic!("{label}: expected an error containing {text:?}, but it succeeded")
                }
                (None, Err(output)) => panic!("{label} failed:\n{output}"),
                (None, Ok(())) => false,
            };
            // After a failure the next plan may rightly want changes (a
            // tainted grant to replace); state and AWS must still agree.
            if !failed
                && matches!(
                    step.action,
                    Action::Apply | Action::ImportCommand { .. } | Action::RefreshOnly
                )
            {
                self.assert_empty_plan(&label);
            }
            let show = self.show();
            if step.compare_with_emulator {
                match step.action {
                    // Whatever failed: nothing orphaned, nothing held that AWS
                    // lacks unless tainted.
                    _ if failed => assert_state_accounts_for_emulator(&self.emulator, &show),
                    Action::Apply | Action::ImportCommand { .. } | Action::RefreshOnly => {
                        assert_state_matches_emulator(&self.emulator, &show)
                    }
                    Action::Destroy => {
                        assert!(
                            state_grants(&show).is_empty(),
                            "{label}: grants left in state"
                        );
                        let remote: BTreeSet<_> = self.emulator.grants().into_keys().collect();
                        let left: Vec<_> = managed_before.intersection(&remote).collect();
                        assert!(
                            left.is_empty(),
                            "{label}: destroyed grants still in AWS: {left:?}"
                        );
                    }
                    Action::Plan => {}
                }
            }
            if let Some(check) = &step.check {
                check(&self.emulator, &show);
            }
        }
    }

    fn outcome(&self, args: &[&str]) -> Result<(), String> {
        let out = self.ws.run(args);
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "terraform {}: {}\n{}\n{}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Plans into a file and returns the planned actions per address.
    fn planned_actions(&self, extra: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
        let mut args = vec!["plan", "-no-color", "-input=false", "-out=tfplan"];
        args.extend(extra.iter().map(String::as_str));
        self.outcome(&args)?;
        let out = self.ws.run_ok(&["show", "-json", "tfplan"]);
        let plan: Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
        let mut actions = BTreeMap::new();
        for rc in plan["resource_changes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let address = rc["address"].as_str().unwrap_or_default().to_string();
            let list = rc["change"]["actions"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect();
            actions.insert(address, list);
        }
        Ok(actions)
    }

    fn check_actions(
        &self,
        label: &str,
        got: &BTreeMap<String, Vec<String>>,
        expected: &[(&str, Vec<&str>)],
    ) {
        if expected.is_empty() {
            return;
        }
        for (address, acts) in got {
            let want = expected
                .iter()
                .find(|(a, _)| a == address)
                .map(|(_, w)| w.clone())
                .unwrap_or_else(|| vec!["no-op"]);
            assert_eq!(acts, &want, "{label}: planned actions for {address}");
        }
        for (address, _) in expected {
            assert!(
                got.contains_key(*address),
                "{label}: {address} missing from the plan: {got:?}"
            );
        }
    }

    fn plan_only(
        &self,
        label: &str,
        extra: &[String],
        expected: &[(&str, Vec<&str>)],
        expect_error: bool,
    ) -> Result<(), String> {
        let got = self.planned_actions(extra)?;
        if !expect_error {
            self.check_actions(label, &got, expected);
        }
        Ok(())
    }

    fn plan_and_apply(
        &self,
        label: &str,
        extra: &[String],
        expected: &[(&str, Vec<&str>)],
        expect_error: bool,
    ) -> Result<(), String> {
        self.plan_only(label, extra, expected, expect_error)?;
        self.outcome(&[
            "apply",
            "-no-color",
            "-input=false",
            "-auto-approve",
            "tfplan",
        ])
    }

    /// `plan -detailed-exitcode` must report no changes (exit code 0).
    pub fn assert_empty_plan(&self, label: &str) {
        self.assert_no_changes(label, &[]);
    }

    /// `plan -detailed-exitcode` with `extra` arguments must report no
    /// changes (exit code 0; 2 means changes, 1 an error).
    fn assert_no_changes(&self, label: &str, extra: &[String]) {
        let mut args = vec!["plan", "-detailed-exitcode", "-no-color", "-input=false"];
        args.extend(extra.iter().map(String::as_str));
        let out = self.ws.run(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{label}: the plan after this step is not empty:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `terraform plan -json` on the current configuration and returns
    /// its error diagnostics (the `diagnostic` objects of the JSON lines).
    pub fn plan_errors(&self) -> Vec<Value> {
        let out = self.ws.run(&["plan", "-json", "-input=false"]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["type"] == "diagnostic" && v["diagnostic"]["severity"] == "error")
            .map(|v| v["diagnostic"].clone())
            .collect()
    }

    /// Writes `main.tfquery.hcl`, the `list` blocks `terraform query` runs.
    pub fn write_query(&self, list_blocks: &str) {
        std::fs::write(self.ws.path().join("main.tfquery.hcl"), list_blocks)
            .expect("write main.tfquery.hcl");
    }

    /// Runs `terraform query -json` with `extra` arguments; returns whether
    /// it succeeded and every JSON line it printed.
    pub fn query(&self, extra: &[&str]) -> (bool, Vec<Value>) {
        let mut args = vec!["query", "-json"];
        args.extend(extra);
        let out = self.ws.run(&args);
        let lines = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .collect();
        (out.status.success(), lines)
    }

    /// Plans into a file and returns `terraform show -json` of that plan.
    pub fn plan_json(&self) -> Value {
        self.ws.run_ok(&[
            "plan",
            "-no-color",
            "-input=false",
            "-out=tfplan.json-check",
        ]);
        let out = self.ws.run_ok(&["show", "-json", "tfplan.json-check"]);
        serde_json::from_str(&out).expect("plan JSON")
    }

    /// `terraform show -json` of the current state.
    pub fn show(&self) -> Value {
        serde_json::from_str(&self.ws.run_ok(&["show", "-json"])).expect("show JSON")
    }
}

/// Where a diagnostic points: `(line, column)` of its range's start and end
/// (1-based, as Terraform reports them).
pub fn diagnostic_range(d: &Value) -> ((u64, u64), (u64, u64)) {
    let at = |end: &str| {
        (
            d["range"][end]["line"].as_u64().unwrap_or(0),
            d["range"][end]["column"].as_u64().unwrap_or(0),
        )
    };
    (at("start"), at("end"))
}

/// The 1-based `(line, column)` where `needle` first occurs in `text`, and
/// the column just after it (Terraform's ranges end after the last byte).
pub fn locate(text: &str, needle: &str) -> ((u64, u64), (u64, u64)) {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the configuration"));
    position(text, offset, needle.len())
}

/// Like [`locate`], for the last occurrence of `needle`.
pub fn locate_last(text: &str, needle: &str) -> ((u64, u64), (u64, u64)) {
    let offset = text
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the configuration"));
    position(text, offset, needle.len())
}

fn position(text: &str, offset: usize, len: usize) -> ((u64, u64), (u64, u64)) {
    let (line, column) = line_column(text, offset);
    ((line, column), (line, column + len as u64))
}

/// The 1-based `(line, column)` of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let column = (offset - before.rfind('\n').map_or(0, |i| i + 1)) as u64 + 1;
    (line, column)
}

/// An output's value from `terraform show -json`.
pub fn output(show: &Value, name: &str) -> Value {
    show["values"]["outputs"][name]["value"].clone()
}

/// The payloads of one kind of message among Terraform's `-json` lines.
pub fn messages(lines: &[Value], kind: &str) -> Vec<Value> {
    lines
        .iter()
        .filter(|l| l["type"] == kind)
        .map(|l| l[kind].clone())
        .collect()
}

/// The error diagnostics among Terraform's `-json` lines.
pub fn errors(lines: &[Value]) -> Vec<Value> {
    lines
        .iter()
        .filter(|l| l["type"] == "diagnostic" && l["diagnostic"]["severity"] == "error")
        .map(|l| l["diagnostic"].clone())
        .collect()
}
