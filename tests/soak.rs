//! The soak: randomised schedules of AWS faults (throttling, server errors,
//! conflicts, calls never answered, latency, lagging listings, reads that
//! miss recent writes) and one interruption (the provider killed with
//! SIGKILL, or Terraform sent Ctrl-C) at a random moment of an apply, a
//! refresh or a destroy, each followed by the recovery a user would make
//! from what the provider's errors say: apply again, pasting the import
//! blocks the "Grant already exists" errors print, at the address Terraform
//! shows with them.
//!
//! After each schedule: state and AWS agree, no grant was written over by
//! another operation (nothing taken over, nothing written twice), nothing
//! was imported that the provider did not ask for, and destroy leaves AWS
//! empty.
//!
//! `make test` runs a few schedules from a fixed seed; `make soak` runs
//! many (`SOAK_SCHEDULES`, default 200) from a random one, `SOAK_JOBS` at a
//! time. Every schedule prints its seed; `SOAK_SEED=<seed>
//! SOAK_SCHEDULES=1 make soak` runs that schedule again.

mod support;

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use support::emulator::Emulator;
use support::grants::*;
use support::processes::providers_under;
use support::terraform::{latest_terraform, required_providers, TerraformCli, Workspace};

/// Schedules `make test` runs, and the seed it starts from.
const TEST_SCHEDULES: u64 = 2;
const TEST_SEED: u64 = 20261205;

/// Attempts a recovery may take before the schedule counts as stuck.
const RECOVERY_ATTEMPTS: usize = 8;

type Key = (String, String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Apply,
    Refresh,
    Destroy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    KillProvider,
    CtrlC,
}

#[derive(Clone, Copy, Debug)]
struct Interruption {
    phase: Phase,
    how: How,
    /// The interruption lands once this many AWS calls of the phase have
    /// reached the emulator.
    after_calls: u64,
}

/// One schedule, all drawn from its seed.
#[derive(Debug)]
struct Schedule {
    seed: u64,
    applications: Vec<String>,
    /// (application index, grant type) of each grant to manage.
    grants: Vec<(usize, &'static str)>,
    /// Emulator flags: the faults.
    faults: Vec<String>,
    interruption: Option<Interruption>,
}

fn pick<'a, T>(rng: &mut StdRng, choices: &'a [T]) -> &'a T {
    &choices[rng.gen_range(0..choices.len())]
}

impl Schedule {
    fn from_seed(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let apps = rng.gen_range(1..=4);
        let applications: Vec<String> = (0..apps).map(|i| format!("app{i}")).collect();
        let mut slots: Vec<(usize, &'static str)> = (0..apps)
            .flat_map(|a| GRANT_TYPES.iter().map(move |t| (a, *t)))
            .collect();
        let count = rng.gen_range(2..=slots.len().min(10));
        let mut grants = Vec::new();
        for _ in 0..count {
            let i = rng.gen_range(0..slots.len());
            grants.push(slots.swap_remove(i));
        }
        grants.sort();
        let mut faults: Vec<String> = Vec::new();
        let mut flag = |name: &str, value: String| {
            faults.push(format!("--{name}"));
            faults.push(value);
        };
        flag("fault-seed", seed.to_string());
        flag(
            "throttle-rate",
            pick(&mut rng, &["0", "0.1", "0.3"]).to_string(),
        );
        flag(
            "internal-error-rate",
            pick(&mut rng, &["0", "0.05", "0.1"]).to_string(),
        );
        flag("conflict-rate", pick(&mut rng, &["0", "0.05"]).to_string());
        flag("latency-ms", rng.gen_range(0..30u32).to_string());
        flag("latency-jitter-ms", rng.gen_range(0..30u32).to_string());
        flag(
            "list-lag-ms",
            pick(&mut rng, &["0", "2000", "600000"]).to_string(),
        );
        // Writes invisible for a while, within the visibility window the
        // provider is given (3 s below): the provider's promises hold inside
        // it. (Count-based stale reads are left out: they never expire, so a
        // read long after a write could still miss it, which no window can
        // tell from a delete.)
        flag(
            "invisible-ms",
            pick(&mut rng, &["0", "0", "500", "1500"]).to_string(),
        );
        if rng.gen_bool(0.4) {
            let operation = pick(
                &mut rng,
                &[
                    "PutApplicationGrant",
                    "GetApplicationGrant",
                    "DeleteApplicationGrant",
                    "ListApplicationGrants",
                ],
            );
            let applied = operation.ends_with("ApplicationGrant")
                && !operation.starts_with("Get")
                && !operation.starts_with("List")
                && rng.gen_bool(0.5);
            let call = rng.gen_range(1..=2 * grants.len());
            flag(
                "fail",
                format!(
                    "{operation}:{call}:NoAnswer{}",
                    if applied { ":applied" } else { "" }
                ),
            );
        }
        let interruption = rng.gen_bool(0.8).then(|| {
            let phase = *pick(
                &mut rng,
                &[Phase::Apply, Phase::Apply, Phase::Refresh, Phase::Destroy],
            );
            let how = *pick(&mut rng, &[How::KillProvider, How::CtrlC]);
            let calls_in_phase = match phase {
                Phase::Apply => 3 * grants.len() as u64,
                Phase::Refresh => apps as u64 + 1,
                Phase::Destroy => 3 * grants.len() as u64,
            };
            Interruption {
                phase,
                how,
                after_calls: rng.gen_range(1..=calls_in_phase),
            }
        });
        Schedule {
            seed,
            applications,
            grants,
            faults,
            interruption,
        }
    }
}

/// What the schedules did, all told.
#[derive(Default)]
struct Tally {
    schedules: u64,
    kills: u64,
    ctrl_cs: u64,
    faults: u64,
    imports: u64,
    violations: Vec<String>,
}

/// One schedule in progress.
struct Run<'a> {
    schedule: &'a Schedule,
    emulator: Emulator,
    ws: Workspace,
    grants_hcl: String,
    imports: String,
    /// Grants the provider refused as already existing, and were imported.
    refused: BTreeSet<Key>,
    violations: Vec<String>,
    kills: u64,
    ctrl_cs: u64,
}

fn grant_body(grant_type: &str, issuer: &str, name: &str) -> String {
    match grant_type {
        "authorization_code" => authorization_code(&[&format!("https://{name}.example.com/cb")]),
        "refresh_token" => REFRESH_TOKEN.to_string(),
        JWT_BEARER_TYPE => jwt_bearer(&[(issuer, &[name])]),
        _ => TOKEN_EXCHANGE.to_string(),
    }
}

/// `terraform show -json` as parsed JSON, or null when it cannot be read.
fn show(ws: &Workspace) -> Value {
    let out = ws.run(&["show", "-json"]);
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn error_diagnostics(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "diagnostic" && v["diagnostic"]["severity"] == "error")
        .map(|v| v["diagnostic"].clone())
        .collect()
}

/// Runs a check written with assertions; a failed one becomes a violation.
fn holds(check: impl FnOnce()) -> Result<(), String> {
    std::panic::catch_unwind(AssertUnwindSafe(check)).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a check failed".into())
    })
}

impl<'a> Run<'a> {
    fn start(schedule: &'a Schedule, terraform: &TerraformCli) -> Self {
        let names: Vec<&str> = schedule.applications.iter().map(String::as_str).collect();
        let faults: Vec<&str> = schedule.faults.iter().map(String::as_str).collect();
        let emulator = Emulator::start(&names, &["idp"], &faults);
        let issuer = emulator.issuer("idp").to_string();
        let grants_hcl: String = schedule
            .grants
            .iter()
            .enumerate()
            .map(|(i, (app, grant_type))| {
                let name = format!("g{i:02}");
                let body = grant_body(grant_type, &issuer, &name);
                grant_hcl(&name, emulator.app(&schedule.applications[*app]), grant_type, &body)
                    .replacen(
                        "  grant {",
                        "  timeouts {\n    create = \"10s\"\n    read   = \"10s\"\n    update = \"10s\"\n    delete = \"10s\"\n  }\n  grant {",
                        1,
                    )
            })
            .collect();
        let mut ws = Workspace::new(terraform);
        // Refusals come after the visibility window; the invisibility the
        // schedules draw (up to 1.5 s) is inside 3 s.
        ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "3s");
        let run = Run {
            schedule,
            emulator,
            ws,
            grants_hcl,
            imports: String::new(),
            refused: BTreeSet::new(),
            violations: Vec::new(),
            kills: 0,
            ctrl_cs: 0,
        };
        run.write_config(true);
        run.ws.init();
        run
    }

    /// The configuration: the grants (or none, to destroy) and the import
    /// blocks pasted so far.
    fn write_config(&self, with_grants: bool) {
        let grants = if with_grants {
            self.grants_hcl.as_str()
        } else {
            ""
        };
        self.ws.write_config(&format!(
            "{}{}{grants}{}",
            required_providers(),
            self.emulator.provider_block(),
            if with_grants {
                self.imports.as_str()
            } else {
                ""
            }
        ));
    }

    fn violation(&mut self, what: String) {
        self.violations.push(what);
    }

    fn state_keys(&self) -> BTreeSet<Key> {
        state_grant_keys(&show(&self.ws))
    }

    /// Waits until every grant AWS holds reads back with Get, as it will
    /// once AWS settles: recovery must not race the visibility of writes
    /// the interrupted run made (no provider can see a grant no read shows).
    fn settle(&self) {
        let held: Vec<Key> = self.emulator.grants().into_keys().collect();
        support::waiting::until("every grant AWS holds reads back", || {
            held.iter().all(|(app, grant_type)| {
                self.emulator.grant_readable(
                    app,
                    aws_sdk_ssoadmin::types::GrantType::from(grant_type.as_str()),
                )
            })
        });
    }

    /// Runs `args`, interrupting it as `interruption` says once enough AWS
    /// calls have arrived (unless it ends first).
    fn run_interrupted(&mut self, args: &[&str], interruption: Interruption) {
        let start = self.emulator.aws_calls();
        let mut child: Child = self
            .ws
            .command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start terraform");
        let deadline = Instant::now() + support::waiting::DEADLINE * 5;
        loop {
            if child.try_wait().expect("terraform status").is_some() {
                return;
            }
            assert!(Instant::now() < deadline, "terraform {args:?} never ended");
            if self.emulator.aws_calls() >= start + interruption.after_calls {
                let landed = match interruption.how {
                    How::KillProvider => {
                        let providers = providers_under(child.id());
                        for pid in &providers {
                            // SAFETY: signalling a process this run started (through terraform).
                            unsafe { libc::kill(*pid as i32, libc::SIGKILL) };
                        }
                        !providers.is_empty()
                    }
                    How::CtrlC => {
                        // SAFETY: signalling the terraform process this run started.
                        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
                        true
                    }
                };
                if landed {
                    match interruption.how {
                        How::KillProvider => self.kills += 1,
                        How::CtrlC => self.ctrl_cs += 1,
                    }
                    child.wait().expect("terraform ends");
                    if interruption.how == How::CtrlC {
                        // Terraform saved its state and the provider answered
                        // StopProvider: nothing may be in AWS that state lacks.
                        // (State may hold more: a write or delete cut off is
                        // kept, and the next refresh reconciles it.)
                        let in_state = self.state_keys();
                        let orphans: Vec<Key> = self
                            .emulator
                            .grants()
                            .into_keys()
                            .filter(|k| !in_state.contains(k))
                            .collect();
                        if !orphans.is_empty() {
                            self.violation(format!(
                                "after Ctrl-C during {args:?}: in AWS but not in state: {orphans:?}"
                            ));
                        }
                    }
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Applies until it succeeds, pasting the import blocks the provider's
    /// "Grant already exists" errors print.
    fn converge_apply(&mut self) {
        let mut last = String::new();
        for _ in 0..RECOVERY_ATTEMPTS {
            self.settle();
            self.write_config(true);
            let out = self
                .ws
                .run(&["apply", "-auto-approve", "-json", "-input=false"]);
            if out.status.success() {
                return;
            }
            let errors = error_diagnostics(&out.stdout);
            last = format!("{errors:#?}");
            let in_aws: BTreeSet<Key> = self.emulator.grants().into_keys().collect();
            let in_state = self.state_keys();
            for d in errors
                .iter()
                .filter(|d| d["summary"] == "Grant already exists")
            {
                let detail = d["detail"].as_str().unwrap_or_default();
                let Some(id) = detail
                    .split("id = \"")
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                else {
                    self.violation(format!("an already-exists error without an id: {detail}"));
                    continue;
                };
                let (app, grant_type) = id.split_once(',').unwrap_or((id, ""));
                let key = (app.to_string(), grant_type.to_string());
                if !in_aws.contains(&key) || in_state.contains(&key) {
                    self.violation(format!(
                        "refused {key:?} as existing, but AWS holds it: {}, state holds it: {}",
                        in_aws.contains(&key),
                        in_state.contains(&key)
                    ));
                }
                let Some(address) = d["address"].as_str() else {
                    self.violation(format!("an already-exists error without an address: {d}"));
                    continue;
                };
                if self.refused.insert(key) {
                    self.imports.push_str(&format!(
                        "import {{\n  to = {address}\n  id = \"{id}\"\n}}\n"
                    ));
                }
            }
        }
        self.violation(format!(
            "apply did not converge in {RECOVERY_ATTEMPTS} attempts; last errors: {last}"
        ));
    }

    /// Destroys until it succeeds.
    fn converge_destroy(&mut self) {
        let mut last = String::new();
        for _ in 0..RECOVERY_ATTEMPTS {
            self.settle();
            self.write_config(true);
            let out = self
                .ws
                .run(&["destroy", "-auto-approve", "-json", "-input=false"]);
            if out.status.success() {
                return;
            }
            last = format!("{:#?}", error_diagnostics(&out.stdout));
        }
        self.violation(format!(
            "destroy did not converge in {RECOVERY_ATTEMPTS} attempts; last errors: {last}"
        ));
    }

    fn phase(&mut self, phase: Phase) {
        let args: &[&str] = match phase {
            Phase::Apply => &["apply", "-auto-approve", "-no-color", "-input=false"],
            Phase::Refresh => &[
                "apply",
                "-refresh-only",
                "-auto-approve",
                "-no-color",
                "-input=false",
            ],
            Phase::Destroy => &["destroy", "-auto-approve", "-no-color", "-input=false"],
        };
        let managed_before = self.state_keys();
        match self.schedule.interruption.filter(|i| i.phase == phase) {
            Some(interruption) => self.run_interrupted(args, interruption),
            None => {
                let _ = self.ws.run(args);
            }
        }
        if phase == Phase::Refresh {
            // A refresh, whatever happened to it, drops nothing that AWS holds.
            let after = self.state_keys();
            let held: BTreeSet<Key> = self.emulator.grants().into_keys().collect();
            let dropped: Vec<_> = managed_before
                .difference(&after)
                .filter(|k| held.contains(*k))
                .collect();
            if !dropped.is_empty() {
                self.violation(format!("the refresh dropped grants AWS holds: {dropped:?}"));
            }
        }
        match phase {
            Phase::Apply | Phase::Refresh => self.converge_apply(),
            Phase::Destroy => self.converge_destroy(),
        }
        let show = show(&self.ws);
        match phase {
            Phase::Apply | Phase::Refresh => {
                if let Err(e) = holds(|| assert_state_matches_emulator(&self.emulator, &show)) {
                    self.violation(format!("after {phase:?}: state and AWS differ: {e}"));
                }
                let managed = state_grant_keys(&show).len();
                if managed != self.schedule.grants.len() {
                    self.violation(format!(
                        "after {phase:?}: {managed} grants in state, {} configured",
                        self.schedule.grants.len()
                    ));
                }
            }
            Phase::Destroy => {
                if !state_grants(&show).is_empty() || !self.emulator.grants().is_empty() {
                    self.violation(format!(
                        "after destroy: state holds {:?}, AWS holds {:?}",
                        state_grant_keys(&show),
                        self.emulator.grants().keys().collect::<Vec<_>>()
                    ));
                }
            }
        }
        let overwrites = self.emulator.counter("overwrites");
        if overwrites > 0 {
            self.violation(format!(
                "after {phase:?}: {overwrites} PutApplicationGrant wrote over a grant another operation had written"
            ));
        }
    }

    fn faults_injected(&self) -> u64 {
        let stats = self.emulator.stats();
        let injected: u64 = stats["faults"]
            .as_object()
            .map(|f| {
                f.iter()
                    .filter(|(kind, _)| kind.as_str() != "latency")
                    .filter_map(|(_, n)| n.as_u64())
                    .sum()
            })
            .unwrap_or(0);
        injected
            + stats["lagging_lists"].as_u64().unwrap_or(0)
            + stats["stale_reads"].as_u64().unwrap_or(0)
    }
}

fn run_schedule(schedule: &Schedule, terraform: &TerraformCli, tally: &Mutex<Tally>) {
    let started = Instant::now();
    let mut run = Run::start(schedule, terraform);
    for phase in [Phase::Apply, Phase::Refresh, Phase::Destroy] {
        run.phase(phase);
    }
    let faults = run.faults_injected();
    let verdict = if run.violations.is_empty() {
        "ok".to_string()
    } else {
        format!("VIOLATIONS: {:#?}", run.violations)
    };
    eprintln!(
        "soak schedule seed={} apps={} grants={} faults={:?} interruption={:?} kills={} ctrl-c={} imports={} faults-injected={faults} took {:.1}s: {verdict}",
        schedule.seed,
        schedule.applications.len(),
        schedule.grants.len(),
        schedule.faults,
        schedule.interruption,
        run.kills,
        run.ctrl_cs,
        run.refused.len(),
        started.elapsed().as_secs_f64()
    );
    let mut tally = tally.lock().unwrap_or_else(|p| p.into_inner());
    tally.schedules += 1;
    tally.kills += run.kills;
    tally.ctrl_cs += run.ctrl_cs;
    tally.faults += faults;
    tally.imports += run.refused.len() as u64;
    tally.violations.extend(
        run.violations
            .into_iter()
            .map(|v| format!("seed {}: {v}", schedule.seed)),
    );
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn soak_schedules_of_faults_and_interruptions_lose_nothing_and_adopt_nothing() {
    let schedules = env_number("SOAK_SCHEDULES").unwrap_or(TEST_SCHEDULES);
    let base = env_number("SOAK_SEED").unwrap_or(TEST_SEED);
    let jobs = env_number("SOAK_JOBS").unwrap_or(2).max(1);
    let terraform = latest_terraform();
    let tally = Mutex::new(Tally::default());
    let next = AtomicU64::new(0);
    eprintln!("soak: {schedules} schedules from seed {base}, {jobs} at a time");
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= schedules {
                    return;
                }
                let schedule = Schedule::from_seed(base.wrapping_add(i));
                run_schedule(&schedule, &terraform, &tally);
            });
        }
    });
    let tally = tally.into_inner().unwrap_or_else(|p| p.into_inner());
    eprintln!(
        "soak: {} schedules, {} provider kills, {} Ctrl-C, {} faults injected, {} grants imported as the provider asked, {} violations, {:.0}s",
        tally.schedules,
        tally.kills,
        tally.ctrl_cs,
        tally.faults,
        tally.imports,
        tally.violations.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        tally.violations.is_empty(),
        "violations:\n{}",
        tally.violations.join("\n")
    );
}
