//! Applies cut short while writes are in flight: the provider killed with
//! SIGKILL, and Terraform interrupted with SIGINT (Ctrl-C). Nothing may be
//! lost and nothing silently adopted; the next apply converges, or refuses
//! exactly the grants that reached AWS but not the state, each with the
//! import block to paste.

mod support;

use std::collections::BTreeSet;
use std::process::{Child, Stdio};

use serde_json::Value;
use support::emulator::Emulator;
use support::grants::*;
use support::processes::providers_under;
use support::steps::*;
use support::terraform::latest_terraform;
use support::waiting::until;

const GRANTS: usize = 16;

/// Sixteen applications with a refresh_token grant each to create, with
/// every AWS call taking 400 ms so that writes are in flight for a while,
/// and the emulator started with `extra` flags too.
fn slow_sixteen(extra: &[&str]) -> (Harness, String) {
    slow_sixteen_applied_with(extra, &[])
}

/// [`slow_sixteen`], with `apply_args` added to the applies [`start_apply`]
/// starts and a short visibility window (refusals come after it).
fn slow_sixteen_applied_with(extra: &[&str], apply_args: &[&str]) -> (Harness, String) {
    let names: Vec<String> = (0..GRANTS).map(|i| format!("app{i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let flags: Vec<&str> = ["--latency-ms", "400"]
        .iter()
        .chain(extra)
        .copied()
        .collect();
    let emulator = Emulator::start(&refs, &[], &flags);
    let config: String = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            grant_hcl(
                &format!("g{i:02}"),
                emulator.app(name),
                "refresh_token",
                REFRESH_TOKEN,
            )
        })
        .collect();
    let mut h = Harness::new(&latest_terraform(), emulator);
    h.ws.env("IDENTITYCENTER_VISIBILITY_TIMEOUT", "2s");
    h.ws.env("TF_CLI_ARGS_apply", &apply_args.join(" "));
    h.write(&config);
    h.ws.init();
    (h, config)
}

/// Starts `terraform apply` in the background.
fn start_apply(h: &Harness) -> Child {
    h.ws.command(&["apply", "-auto-approve", "-no-color", "-input=false"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start terraform apply")
}

/// Waits until Puts are in flight and some have taken effect.
fn wait_for_writes_in_flight(h: &Harness) {
    until("several Puts reach AWS and some take effect", || {
        h.emulator.calls("PutApplicationGrant") >= 4 && !h.emulator.grants().is_empty()
    });
}

fn keys(show: &Value) -> BTreeSet<(String, String)> {
    state_grant_keys(show)
}

#[test]
fn a_provider_killed_mid_apply_loses_nothing_and_adopts_nothing() {
    // Four creates at a time, and the first four Puts take effect and are
    // never answered: the kill below lands while exactly those grants are in
    // AWS and not in state, however fast or slow the machine.
    let (h, config) = slow_sixteen_applied_with(
        &["--fail", "PutApplicationGrant:1-4:NoAnswer:applied"],
        &["-parallelism=4"],
    );
    let apply = start_apply(&h);
    wait_for_writes_in_flight(&h);
    let providers = providers_under(apply.id());
    assert!(
        !providers.is_empty(),
        "no provider process found under terraform"
    );
    for pid in &providers {
        // SAFETY: signalling a process this test started (through terraform).
        unsafe { libc::kill(*pid as i32, libc::SIGKILL) };
    }
    let out = apply.wait_with_output().expect("terraform ends");
    assert!(
        !out.status.success(),
        "the apply cannot succeed without its provider"
    );

    // What AWS holds that the state does not: writes that took effect
    // while Terraform never heard back.
    let in_state = keys(&h.show());
    let in_aws: BTreeSet<_> = h.emulator.grants().into_keys().collect();
    assert!(in_state.is_subset(&in_aws), "state claims grants AWS lacks");
    let orphans: BTreeSet<_> = in_aws.difference(&in_state).cloned().collect();
    eprintln!(
        "killed {} provider process(es): {} grants in state, {} in AWS only",
        providers.len(),
        in_state.len(),
        orphans.len()
    );
    assert!(
        !orphans.is_empty(),
        "the kill must land while written grants are not yet in state"
    );
    // Let reads catch up with the writes, so that the next apply's checks
    // see what AWS holds (as they would once AWS settles).
    until("every written grant is readable", || {
        orphans.iter().all(|(app, _)| {
            h.emulator
                .grant_readable(app, aws_sdk_ssoadmin::types::GrantType::RefreshToken)
        })
    });

    // The next apply creates the rest, and refuses exactly the orphans:
    // their creates must not take over grants nobody recorded.
    let written = |emu: &Emulator| {
        emu.stats()["succeeded"]["PutApplicationGrant"]
            .as_u64()
            .expect("count")
    };
    let puts_before = written(&h.emulator);
    let out =
        h.ws.run(&["apply", "-auto-approve", "-json", "-input=false"]);
    let diagnostics: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "diagnostic" && v["diagnostic"]["severity"] == "error")
        .map(|v| v["diagnostic"].clone())
        .collect();
    let mut refused = BTreeSet::new();
    let mut imports = String::new();
    for d in &diagnostics {
        assert_eq!(d["summary"], "Grant already exists", "{d:#}");
        let detail = d["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains("import {"),
            "the import block to paste: {detail}"
        );
        let id = detail
            .split("id = \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("an id in {detail}"));
        let (app, grant_type) = id.split_once(',').expect("an ID");
        refused.insert((app.to_string(), grant_type.to_string()));
        imports.push_str(&format!(
            "import {{\n  to = {}\n  id = \"{id}\"\n}}\n",
            d["address"].as_str().expect("the resource address")
        ));
    }
    assert_eq!(
        refused, orphans,
        "refused exactly the grants in AWS but not in state"
    );
    assert_eq!(
        written(&h.emulator) - puts_before,
        (GRANTS - in_state.len() - orphans.len()) as u64,
        "only the grants missing everywhere were written, once each"
    );

    // After pasting the imports, everything converges.
    h.run(vec![Step::apply(format!("{config}{imports}")).check(
        |emu, show| {
            assert_eq!(state_grants(show).len(), GRANTS);
            assert_eq!(emu.grants().len(), GRANTS);
        },
    )]);
}

#[test]
fn ctrl_c_mid_apply_stops_cleanly_and_a_reapply_converges() {
    let (h, config) = slow_sixteen(&[]);
    let apply = start_apply(&h);
    wait_for_writes_in_flight(&h);
    let providers = providers_under(apply.id());
    assert!(
        !providers.is_empty(),
        "no provider process found under terraform: nothing to see exit"
    );
    // SAFETY: signalling the terraform process this test started.
    unsafe { libc::kill(apply.id() as i32, libc::SIGINT) };
    let out = apply.wait_with_output().expect("terraform ends");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Interrupt received"), "{text}");
    // The provider heard StopProvider: what was in flight stopped (a write
    // before it reached AWS is cancelled, one after it stops waiting for
    // the write to show) and says so.
    let unwrapped = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        unwrapped.contains("Terraform asked the provider to stop"),
        "{text}"
    );
    // The providers answered StopProvider and were shut down normally.
    until("the providers exit", || {
        providers
            .iter()
            .all(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists())
    });

    // Nothing in AWS that state does not know; anything state holds but
    // AWS lacks is a write that was cut off, kept tainted until refreshed.
    let show = h.show();
    let in_state = keys(&show);
    let in_aws: BTreeSet<_> = h.emulator.grants().into_keys().collect();
    assert!(
        in_aws.is_subset(&in_state),
        "grants in AWS but not in state: {:?}",
        in_aws.difference(&in_state).collect::<Vec<_>>()
    );
    let resources = show["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for r in resources {
        let key = (
            r["values"]["application_arn"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            r["values"]["grant_type"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        if !in_aws.contains(&key) {
            assert_eq!(
                r["tainted"], true,
                "{} is not in AWS and not tainted",
                r["address"]
            );
        }
    }
    eprintln!(
        "after Ctrl-C: {} grants in state, {} in AWS",
        in_state.len(),
        in_aws.len()
    );

    h.run(vec![Step::apply(config).check(|emu, show| {
        assert_eq!(state_grants(show).len(), GRANTS);
        assert_eq!(emu.grants().len(), GRANTS);
    })]);
}
