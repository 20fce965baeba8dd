//! A declarative step harness in the spirit of terraform-plugin-testing:
//! each step writes a configuration, optionally changes the world out of
//! band, runs a real Terraform command, and checks the plan, the state
//! (`terraform show -json`) and the emulator.

use std::collections::BTreeMap;

use serde_json::Value;

use super::emulator::Emulator;
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
    /// The step must fail and its diagnostics must contain this text.
    pub expect_error: Option<&'a str>,
    /// Planned actions per resource address (e.g. `["create"]`,
    /// `["delete", "create"]`, `["update"]`); when given, addresses not
    /// listed must be no-ops. Empty: not checked.
    pub expect_actions: Vec<(&'a str, Vec<&'a str>)>,
    /// Runs after the step with `terraform show -json`.
    pub check: Option<StateCheck<'a>>,
    /// Extra `terraform plan` arguments, e.g. `-replace=ADDRESS`.
    pub plan_args: Vec<String>,
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
}

impl Harness {
    pub fn new(terraform: &TerraformCli, emulator: Emulator) -> Self {
        Harness {
            ws: Workspace::new(terraform),
            provider_block: emulator.provider_block(),
            emulator,
        }
    }

    fn write(&self, resources: &str) {
        self.ws.write_config(&format!(
            "{}{}{resources}",
            required_providers(),
            self.provider_block
        ));
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
            let outcome = match &step.action {
                Action::Apply => self.plan_and_apply(
                    &label,
                    &step.plan_args,
                    &step.expect_actions,
                    step.expect_error.is_some(),
                ),
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
            };
            match (step.expect_error, outcome) {
                (Some(text), Err(output)) => {
                    assert!(
                        output.contains(text),
                        "{label}: expected an error containing {text:?}, got:\n{output}"
                    );
                    continue;
                }
                (Some(text), Ok(())) => {
                    panic!("{label}: expected an error containing {text:?}, but it succeeded")
                }
                (None, Err(output)) => panic!("{label} failed:\n{output}"),
                (None, Ok(())) => {}
            }
            if matches!(step.action, Action::Apply | Action::ImportCommand { .. }) {
                self.assert_empty_plan(&label);
            }
            if let Some(check) = &step.check {
                check(&self.emulator, &self.show());
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
        let out = self
            .ws
            .run(&["plan", "-detailed-exitcode", "-no-color", "-input=false"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{label}: the plan after this step is not empty:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `terraform show -json` of the current state.
    pub fn show(&self) -> Value {
        serde_json::from_str(&self.ws.run_ok(&["show", "-json"])).expect("show JSON")
    }
}

/// The managed grants in a `terraform show -json` state, keyed by address.
pub fn state_grants(show: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut modules = vec![show["values"]["root_module"].clone()];
    while let Some(module) = modules.pop() {
        for r in module["resources"].as_array().cloned().unwrap_or_default() {
            if r["type"] == "identitycenter_application_grant" && r["mode"] == "managed" {
                out.insert(
                    r["address"].as_str().unwrap_or_default().to_string(),
                    r["values"].clone(),
                );
            }
        }
        modules.extend(
            module["child_modules"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
    }
    out
}

/// Asserts that Terraform's state and the emulator hold exactly the same
/// grants with the same settings.
pub fn assert_state_matches_emulator(emulator: &Emulator, show: &Value) {
    let remote = emulator.grants();
    let state = state_grants(show);
    let mut from_state = BTreeMap::new();
    for (address, values) in &state {
        let key = (
            values["application_arn"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            values["grant_type"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        assert_eq!(
            values["id"].as_str().unwrap_or_default(),
            format!("{},{}", key.0, key.1),
            "{address}: id"
        );
        from_state.insert(key, grant_json_from_state(&values["grant"]));
    }
    let remote_keys: Vec<_> = remote.keys().collect();
    let state_keys: Vec<_> = from_state.keys().collect();
    assert_eq!(
        state_keys, remote_keys,
        "grants in state vs. in the emulator"
    );
    for (key, remote_grant) in &remote {
        assert_eq!(
            normalise(remote_grant),
            normalise(&from_state[key]),
            "settings of {key:?}: emulator vs. state"
        );
    }
}

/// The AWS JSON form of a `grant` block from state.
pub fn grant_json_from_state(grant: &Value) -> Value {
    let grant = &match grant {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    if let Some(ac) = block(grant, "authorization_code") {
        return serde_json::json!({"AuthorizationCode": {"RedirectUris": ac["redirect_uris"]}});
    }
    if let Some(jwt) = block(grant, "jwt_bearer") {
        let issuers: Vec<Value> = jwt["authorized_token_issuers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                serde_json::json!({
                    "TrustedTokenIssuerArn": i["trusted_token_issuer_arn"],
                    "AuthorizedAudiences": i["authorized_audiences"],
                })
            })
            .collect();
        return serde_json::json!({"JwtBearer": {"AuthorizedTokenIssuers": issuers}});
    }
    if block(grant, "refresh_token").is_some() {
        return serde_json::json!({"RefreshToken": {}});
    }
    if block(grant, "token_exchange").is_some() {
        return serde_json::json!({"TokenExchange": {}});
    }
    Value::Null
}

/// A single-nesting block in `show -json` output (an object, or a
/// one-element list in some Terraform versions); `None` when absent.
fn block<'v>(parent: &'v Value, name: &str) -> Option<&'v Value> {
    match &parent[name] {
        Value::Null => None,
        Value::Array(items) => items.first(),
        other => Some(other),
    }
}

/// Sorts every array so that set order does not matter.
pub fn normalise(v: &Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(normalise).collect();
            items.sort_by_key(|x| x.to_string());
            Value::Array(items)
        }
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        other => other.clone(),
    }
}

/// HCL for one grant resource.
pub fn grant_hcl(name: &str, application_arn: &str, grant_type: &str, grant_body: &str) -> String {
    format!(
        "resource \"identitycenter_application_grant\" \"{name}\" {{\n  application_arn = \"{application_arn}\"\n  grant_type      = \"{grant_type}\"\n  grant {{\n{grant_body}\n  }}\n}}\n"
    )
}

pub fn authorization_code(uris: &[&str]) -> String {
    let list: Vec<String> = uris.iter().map(|u| format!("\"{u}\"")).collect();
    format!(
        "    authorization_code {{\n      redirect_uris = [{}]\n    }}",
        list.join(", ")
    )
}

pub fn jwt_bearer(issuers: &[(&str, &[&str])]) -> String {
    let mut body = String::from("    jwt_bearer {\n");
    for (arn, audiences) in issuers {
        let list: Vec<String> = audiences.iter().map(|a| format!("\"{a}\"")).collect();
        body.push_str(&format!(
            "      authorized_token_issuers {{\n        trusted_token_issuer_arn = \"{arn}\"\n        authorized_audiences     = [{}]\n      }}\n",
            list.join(", ")
        ));
    }
    body.push_str("    }");
    body
}

pub const REFRESH_TOKEN: &str = "    refresh_token {}";
pub const TOKEN_EXCHANGE: &str = "    token_exchange {}";
pub const JWT_BEARER_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
pub const TOKEN_EXCHANGE_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
