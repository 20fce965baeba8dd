//! Every figure of the table, each against its baseline from the same run.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use identitycenter::proto::tfplugin6::provider_client::ProviderClient;
use identitycenter::proto::tfplugin6::{
    get_provider_schema, plan_resource_change, read_resource, validate_resource_config,
};
use identitycenter::provider::grant::resource as grant_resource;
use identitycenter::value::Value;
use tonic::transport::Channel;

use crate::measure::{
    median, percentile, startup_pair, timed, timed_with_cpu, usage, wrap, Setup, NULL_SOURCE,
    NULL_VERSION, OUR_SOURCE, OUR_VERSION,
};
use crate::support::configured::{configured_provider, dynamic, refresh_token_grant};
use crate::support::emulator::Emulator;
use crate::support::terraform::Workspace;
use crate::table::{Figure, Table, Target};
use crate::workloads;

/// Repetitions of each timed Terraform command (medians are reported).
const ROUNDS: usize = 3;
/// Grants (and null resources) in the plan figures.
const PLAN_SIZE: usize = 500;
/// Grants created and destroyed at 50 ms per AWS call.
const APPLY_SIZE: usize = 200;
const LATENCY_MS: f64 = 50.0;
const PARALLELISM: usize = 10;
/// Applications in the shared-refresh figure (four grants each).
const SHARED_APPS: usize = 125;
/// Environment switch turning off shared reads, for the baseline.
const SHARED_READS_ENV: &str = "IDENTITYCENTER_SHARED_READS";

/// Groups of figures, by the name that selects them
/// (`cargo bench --bench bench -- startup plans`; all when none is named).
/// Runs one group of figures.
type Group = fn(&Setup, &mut Table);

const GROUPS: &[(&str, &str, Group)] = &[
    ("startup", "start-up and size", |s, t| {
        startup(s, t);
        binary_size(s, t);
    }),
    ("plans", "500-grant plans", plans),
    (
        "apply",
        "apply and destroy at 50 ms per call",
        apply_and_destroy,
    ),
    (
        "shared",
        "refresh of 500 grants over 125 applications",
        shared_refresh,
    ),
    ("rpc", "RPC latency from an in-process client", |_, t| {
        rpc_latency(t)
    }),
];

pub fn run_all(setup: &Setup, table: &mut Table) {
    let chosen: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for (name, title, run) in GROUPS {
        if chosen.is_empty() || chosen.iter().any(|c| c == name) {
            println!("{title}");
            run(setup, table);
        }
    }
}

fn startup(setup: &Setup, table: &mut Table) {
    let (ours, go) = startup_pair(&setup.provider, &setup.null_provider, 4);
    let this = std::env::current_exe().expect("bench binary");
    let (floor, _) = startup_pair(&this, &this, 2);
    table.add(
        Figure::new("exec → handshake line", ours, "ms")
            .baseline("Go null provider 2.1.2", go)
            .target(Target::AtMost(2.0))
            .target(Target::RatioAtMost(0.3))
            .note(format!(
                "median of 40 launches each, in alternating blocks of 10, with AutoMTLS on \
                 (PLUGIN_CLIENT_CERT set) as Terraform runs providers; a binary that only \
                 prints the line takes {floor:.2} ms here"
            )),
    );
    if let Some(no_pie) = &setup.no_pie_provider {
        let (pie, fixed) = startup_pair(&setup.provider, no_pie, 4);
        table.add(
            Figure::new("exec → handshake line, PIE as shipped", pie, "ms")
                .baseline("the same code linked -no-pie", fixed)
                .note(
                    "diagnostic, no target: what address-space randomisation of the \
                     provider's own code costs at start-up (the loader applies the PIE's \
                     relative relocations), same method as above",
                ),
        );
    }
}

fn file_mib(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0)
}

/// Size after `strip`, and after `strip` and `gzip -9`, when those tools exist.
fn stripped_sizes(binary: &Path, scratch: &Path) -> Option<(f64, f64)> {
    let stripped = scratch.join("stripped");
    let ok = std::process::Command::new("strip")
        .arg("-o")
        .arg(&stripped)
        .arg(binary)
        .status()
        .ok()?
        .success();
    if !ok {
        return None;
    }
    let gz = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(&stripped)
        .output()
        .ok()?;
    Some((
        file_mib(&stripped),
        gz.stdout.len() as f64 / (1024.0 * 1024.0),
    ))
}

fn binary_size(setup: &Setup, table: &mut Table) {
    let ours = file_mib(&setup.provider);
    let mut figure = Figure::new("release binary", ours, "MiB")
        .baseline("Go null provider 2.1.2", file_mib(&setup.null_provider));
    if let Some((stripped, gz)) = stripped_sizes(&setup.provider, setup.scratch.path()) {
        figure = figure.note(format!(
            "{stripped:.1} MiB stripped, {gz:.1} MiB stripped and gzipped"
        ));
    }
    table.add(figure);
}

/// A workspace for `config`, initialised and applied.
fn applied(ws: Workspace, config: &str) -> Workspace {
    ws.write_config(config);
    ws.init();
    ws.run_ok(&["apply", "-auto-approve", "-no-color", "-input=false"]);
    ws
}

/// A second workspace on the same configuration and state, installing the
/// provider from `mirror` (the wrapped one).
fn sibling(setup: &Setup, of: &Workspace, mirror: &Path, source: &str) -> Workspace {
    let ws = setup.workspace(mirror, source);
    for file in ["main.tf", "terraform.tfstate"] {
        let from = of.path().join(file);
        if from.exists() {
            std::fs::copy(&from, ws.path().join(file)).expect("copy into sibling");
        }
    }
    ws.init();
    ws
}

const PLAN: &[&str] = &["plan", "-no-color", "-input=false"];
const PLAN_NO_REFRESH: &[&str] = &["plan", "-no-color", "-input=false", "-refresh=false"];

/// Peak RSS (MiB) and total CPU (s) of the provider processes of `args`,
/// medians over the rounds.
fn provider_usage(ws: &mut Workspace, real: &Path, log: &Path, args: &[&str]) -> (f64, f64, usize) {
    let (mut rss, mut cpu, mut processes) = (Vec::new(), Vec::new(), 0);
    for _ in 0..ROUNDS {
        wrap(ws, real, log);
        ws.run_ok(args);
        let u = usage(log);
        processes = u.processes.len();
        rss.push(u.peak_rss_mib());
        cpu.push(u.cpu_seconds());
    }
    (median(rss), median(cpu), processes)
}

fn plans(setup: &Setup, table: &mut Table) {
    let scratch = setup.scratch.path();
    let emulator = workloads::emulator(scratch, "plan", PLAN_SIZE, &[]);
    let arns = workloads::application_arns(&emulator);
    let ours_mirror = setup.mirror("ours", OUR_SOURCE, OUR_VERSION, &setup.provider);
    let null_mirror = setup.mirror("null", NULL_SOURCE, NULL_VERSION, &setup.null_provider);
    let this = std::env::current_exe().expect("bench binary");
    let ours_wrapped = setup.mirror("ours-wrapped", OUR_SOURCE, OUR_VERSION, &this);
    let null_wrapped = setup.mirror("null-wrapped", NULL_SOURCE, NULL_VERSION, &this);

    let ours = applied(
        setup.workspace(&ours_mirror, OUR_SOURCE),
        &workloads::static_grants(&emulator, &arns),
    );
    let null = applied(
        setup.workspace(&null_mirror, NULL_SOURCE),
        &workloads::null_resources(PLAN_SIZE),
    );
    let data = applied(
        Workspace::new(&setup.terraform),
        &workloads::terraform_data(PLAN_SIZE),
    );

    let (mut t_ours, mut t_null, mut t_data) = (Vec::new(), Vec::new(), Vec::new());
    let (mut c_ours, mut c_null) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let (t, c) = timed_with_cpu(&ours, PLAN);
        t_ours.push(t);
        c_ours.push(c);
        let (t, c) = timed_with_cpu(&null, PLAN);
        t_null.push(t);
        c_null.push(c);
        t_data.push(timed(&data, PLAN));
    }
    let (ours_plan, null_plan, data_plan) = (median(t_ours), median(t_null), median(t_data));
    let (ours_total_cpu, null_total_cpu) = (median(c_ours), median(c_null));
    table.add(
        Figure::new(
            format!("refresh+plan, {PLAN_SIZE} refresh_token grants"),
            ours_plan,
            "s",
        )
        .baseline(format!("{PLAN_SIZE} null_resource"), null_plan)
        .target(Target::RatioAtMost(1.0))
        .note(format!(
            "`terraform plan` wall time, one grant per application, emulator without latency; \
             {PLAN_SIZE} terraform_data (no plugin at all): {data_plan:.2} s"
        )),
    );
    let refresh_plan_row = table.figures.len() - 1;

    let log = scratch.join("rusage.log");
    let mut ours_w = sibling(setup, &ours, &ours_wrapped, OUR_SOURCE);
    let mut null_w = sibling(setup, &null, &null_wrapped, NULL_SOURCE);
    let (ours_rss, ours_refresh_cpu, ours_procs) =
        provider_usage(&mut ours_w, &setup.provider, &log, PLAN);
    let (null_rss, null_refresh_cpu, _) =
        provider_usage(&mut null_w, &setup.null_provider, &log, PLAN);
    // What the command cost besides the providers: Terraform itself (and
    // the Python shim it runs in), evaluating and diffing each schema.
    let note = &mut table.figures[refresh_plan_row].note;
    note.push_str(&format!(
        "; CPU of the whole command {ours_total_cpu:.2} s vs {null_total_cpu:.2} s, of which \
         providers {ours_refresh_cpu:.2} s vs {null_refresh_cpu:.2} s: Terraform's own share is \
         {:.2} s vs {:.2} s",
        ours_total_cpu - ours_refresh_cpu,
        null_total_cpu - null_refresh_cpu
    ));
    table.add(
        Figure::new(
            format!("provider peak RSS, {PLAN_SIZE}-grant refresh+plan"),
            ours_rss,
            "MiB",
        )
        .baseline(format!("null provider, {PLAN_SIZE} resources"), null_rss)
        .target(Target::AtMost(12.0))
        .target(Target::RatioAtMost(0.5))
        .note(format!(
            "largest ru_maxrss of the {ours_procs} provider processes `terraform plan` starts{}",
            match &setup.no_pie_provider {
                Some(no_pie) => {
                    let (fixed_rss, _, _) = provider_usage(&mut ours_w, no_pie, &log, PLAN);
                    format!(
                        "; the same code linked -no-pie: {fixed_rss:.1} MiB (PIE's relocated \
                         pointers: {:+.1} MiB)",
                        ours_rss - fixed_rss
                    )
                }
                None => String::new(),
            }
        )),
    );
    let (_, ours_cpu, procs) = provider_usage(&mut ours_w, &setup.provider, &log, PLAN_NO_REFRESH);
    let (_, null_cpu, _) = provider_usage(&mut null_w, &setup.null_provider, &log, PLAN_NO_REFRESH);
    let per = |cpu: f64| cpu * 1000.0 / PLAN_SIZE as f64;
    table.add(
        Figure::new(
            "provider CPU per grant, plan without refresh",
            per(ours_cpu),
            "ms",
        )
        .baseline("null provider, per resource", per(null_cpu))
        .target(Target::AtMost(0.1))
        .note(format!(
            "user+sys of all {procs} provider processes of `terraform plan -refresh=false` \
                 ({:.3} s) over {PLAN_SIZE} grants, start-up included",
            ours_cpu
        )),
    );
    drop(ours_w);
    drop(null_w);

    // The same grants written with for_each and dynamic blocks.
    let dyn_emulator = workloads::emulator(scratch, "dynamic", PLAN_SIZE, &[]);
    let dyn_arns = workloads::application_arns(&dyn_emulator);
    let dynamic = applied(
        setup.workspace(&ours_mirror, OUR_SOURCE),
        &workloads::dynamic_grants(&dyn_emulator, &dyn_arns),
    );
    let dyn_plan = median((0..ROUNDS).map(|_| timed(&dynamic, PLAN)).collect());
    let mut dyn_w = sibling(setup, &dynamic, &ours_wrapped, OUR_SOURCE);
    let (_, dyn_cpu, _) = provider_usage(&mut dyn_w, &setup.provider, &log, PLAN);
    table.add(
        Figure::new(
            format!("refresh+plan, {PLAN_SIZE} grants from for_each with dynamic blocks"),
            dyn_plan,
            "s",
        )
        .baseline("the same grants written out", ours_plan)
        .note(format!(
            "provider CPU {dyn_cpu:.3} s: the difference is Terraform evaluating the dynamic blocks"
        )),
    );
}

/// Calls of each AWS operation the emulator has answered.
fn calls(emulator: &Emulator) -> BTreeMap<String, u64> {
    let stats = emulator.stats();
    let mut out = BTreeMap::new();
    if let Some(ops) = stats["calls"].as_object() {
        for (op, n) in ops {
            out.insert(op.clone(), n.as_u64().unwrap_or(0));
        }
    }
    out
}

fn delta(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> String {
    listed(&difference(before, after))
}

/// What one apply and one destroy of the figure's grants took, and the AWS
/// calls each made.
struct Run {
    apply: f64,
    destroy: f64,
    apply_calls: BTreeMap<String, u64>,
    destroy_calls: BTreeMap<String, u64>,
}

/// Applies then destroys `APPLY_SIZE` grants, four per application, at
/// `latency_ms` per AWS call: the median times of `ROUNDS` runs, with the
/// AWS calls of the last.
fn apply_destroy_times(setup: &Setup, latency_ms: u64) -> Run {
    let scratch = setup.scratch.path();
    let latency = latency_ms.to_string();
    let emulator = workloads::emulator(
        scratch,
        &format!("apply-{latency_ms}"),
        APPLY_SIZE / 4,
        // One listing page holds an application's four grants (AWS's
        // ListApplicationGrants takes no page size; the emulator's default
        // of 2 is there to exercise paging).
        &["--latency-ms", &latency, "--page-size", "4"],
    );
    let arns = workloads::application_arns(&emulator);
    let mirror = setup.mirror("ours", OUR_SOURCE, OUR_VERSION, &setup.provider);
    let ws = setup.workspace(&mirror, OUR_SOURCE);
    ws.write_config(&workloads::four_per_application(&emulator, &arns));
    ws.init();
    let parallelism = format!("-parallelism={PARALLELISM}");
    let apply = [
        "apply",
        "-auto-approve",
        "-no-color",
        "-input=false",
        &parallelism,
    ];
    let destroy = [
        "destroy",
        "-auto-approve",
        "-no-color",
        "-input=false",
        &parallelism,
    ];
    let (mut applies, mut destroys) = (Vec::new(), Vec::new());
    let (mut apply_calls, mut destroy_calls) = (BTreeMap::new(), BTreeMap::new());
    for _ in 0..ROUNDS {
        let before = calls(&emulator);
        applies.push(timed(&ws, &apply));
        let middle = calls(&emulator);
        destroys.push(timed(&ws, &destroy));
        let after = calls(&emulator);
        apply_calls = difference(&before, &middle);
        destroy_calls = difference(&middle, &after);
        assert_eq!(emulator.grants().len(), 0, "destroy left grants behind");
    }
    Run {
        apply: median(applies),
        destroy: median(destroys),
        apply_calls,
        destroy_calls,
    }
}

/// The calls made between two snapshots, by operation.
fn difference(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(op, n)| (op.clone(), n - before.get(op).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn listed(calls: &BTreeMap<String, u64>) -> String {
    calls
        .iter()
        .map(|(op, n)| format!("{op} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn apply_and_destroy(setup: &Setup, table: &mut Table) {
    let rounds_of_calls = APPLY_SIZE.div_ceil(PARALLELISM) as f64;
    // Three sequential calls per grant each way, as the provider once made
    // them: create = existence check, Put, read-back; destroy = refresh,
    // Delete, check that it is gone.
    let floor = rounds_of_calls * 3.0 * LATENCY_MS / 1000.0;
    let timed = apply_destroy_times(setup, LATENCY_MS as u64);
    let at_zero = apply_destroy_times(setup, 0);
    for (what, t, t0, calls) in [
        ("apply", timed.apply, at_zero.apply, &timed.apply_calls),
        (
            "destroy",
            timed.destroy,
            at_zero.destroy,
            &timed.destroy_calls,
        ),
    ] {
        let per_grant = calls.values().sum::<u64>() as f64 / APPLY_SIZE as f64;
        table.add(
            Figure::new(
                format!(
                    "{what} {APPLY_SIZE} grants (4 per application), {LATENCY_MS} ms per call, -parallelism={PARALLELISM}"
                ),
                t,
                "s",
            )
            .baseline("3-call round-trip floor", floor)
            .target(Target::RatioAtMost(1.0))
            .note(format!(
                "AWS calls: {} ({per_grant:.2} per grant); the same {what} at 0 ms per call \
                 takes {t0:.2} s (Terraform's plan and graph walk, provider starts): that \
                 part does not depend on AWS",
                listed(calls)
            )),
        );
        let (name, limit) = match what {
            "apply" => ("AWS calls per created grant, 4 per application", 2.3),
            _ => ("AWS calls per destroyed grant, 4 per application", 1.3),
        };
        table.add(
            Figure::new(name, per_grant, "calls")
                .target(Target::AtMost(limit))
                .note(format!(
                    "{}, over {APPLY_SIZE} grants at {LATENCY_MS} ms per call",
                    listed(calls)
                )),
        );
        table.add(
            Figure::new(
                format!("{what}: time the {LATENCY_MS} ms per call adds"),
                t - t0,
                "s",
            )
            .baseline("3-call round-trip floor", floor)
            .note(format!(
                "diagnostic, no target: {what} at {LATENCY_MS} ms per call minus the same \
                     at 0 ms, i.e. how close the AWS calls come to {PARALLELISM} in flight \
                     at all times"
            )),
        );
    }
}

fn shared_refresh(setup: &Setup, table: &mut Table) {
    let scratch = setup.scratch.path();
    let latency = format!("{}", LATENCY_MS as u64);
    let emulator = workloads::emulator(
        scratch,
        "shared",
        SHARED_APPS,
        &["--latency-ms", &latency, "--page-size", "4"],
    );
    let arns = workloads::application_arns(&emulator);
    let mirror = setup.mirror("ours", OUR_SOURCE, OUR_VERSION, &setup.provider);
    let mut ws = applied(
        setup.workspace(&mirror, OUR_SOURCE),
        &workloads::four_per_application(&emulator, &arns),
    );
    let (mut shared, mut per_grant, mut plan_only) = (Vec::new(), Vec::new(), Vec::new());
    let (mut shared_calls, mut per_grant_calls) = (String::new(), String::new());
    for _ in 0..ROUNDS {
        ws.env(SHARED_READS_ENV, "on");
        let before = calls(&emulator);
        shared.push(timed(&ws, PLAN));
        let middle = calls(&emulator);
        ws.env(SHARED_READS_ENV, "off");
        per_grant.push(timed(&ws, PLAN));
        let after = calls(&emulator);
        plan_only.push(timed(&ws, PLAN_NO_REFRESH));
        shared_calls = delta(&before, &middle);
        per_grant_calls = delta(&middle, &after);
    }
    let (shared, per_grant, plan_only) = (median(shared), median(per_grant), median(plan_only));
    let grants = SHARED_APPS * 4;
    table.add(
        Figure::new(
            format!("refresh of {grants} grants over {SHARED_APPS} applications, {LATENCY_MS} ms per call"),
            shared - plan_only,
            "s",
        )
        .baseline("one GetApplicationGrant per grant", per_grant - plan_only)
        .target(Target::RatioAtMost(0.35))
        .note(format!(
            "`terraform plan` minus `terraform plan -refresh=false` ({plan_only:.2} s, the same \
             in both modes); whole plan {shared:.2} s vs {per_grant:.2} s; emulator \
             --page-size 4; AWS calls shared: {shared_calls}; per grant: {per_grant_calls}"
        )),
    );
}

/// CPU seconds (user + system) process `pid` has used so far.
fn process_cpu(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which ends with the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) / hz
}

/// Microseconds of each of `n` sequential calls, and the provider's CPU
/// per call in microseconds.
async fn sample<F, Fut>(pid: u32, n: usize, mut call: F) -> (Vec<f64>, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut out = Vec::with_capacity(n);
    let cpu_before = process_cpu(pid);
    for _ in 0..n {
        let start = Instant::now();
        call().await;
        out.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let cpu = (process_cpu(pid) - cpu_before) * 1e6 / n as f64;
    (out, cpu)
}

fn rpc_latency(table: &mut Table) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // Every ReadResource calls AWS, instead of answering from the listing
    // the first one made.
    std::env::set_var(SHARED_READS_ENV, "off");
    let emulator = Emulator::start(&["app"], &[], &[]);
    let app = emulator.app("app").to_string();
    emulator.put_refresh_token_out_of_band(&app);
    let results = runtime.block_on(async {
        let (launched, client) = configured_provider(&emulator).await;
        let ty = grant_resource::schema().implied_type();
        let config = refresh_token_grant(&app, Value::Null);
        let state = refresh_token_grant(&app, Value::string(format!("{app},refresh_token")));
        let n = 2000;
        let pid = launched.child.id();
        let c = |client: &ProviderClient<Channel>| client.clone();
        let schema = sample(pid, n, || {
            let mut client = c(&client);
            async move {
                client
                    .get_provider_schema(get_provider_schema::Request {})
                    .await
                    .expect("GetProviderSchema");
            }
        })
        .await;
        let validate = sample(pid, n, || {
            let mut client = c(&client);
            let request = validate_resource_config::Request {
                type_name: grant_resource::TYPE_NAME.into(),
                config: dynamic(&config, &ty),
                ..Default::default()
            };
            async move {
                let r = client
                    .validate_resource_config(request)
                    .await
                    .expect("ValidateResourceConfig");
                assert!(r.into_inner().diagnostics.is_empty());
            }
        })
        .await;
        let plan = sample(pid, n, || {
            let mut client = c(&client);
            let request = plan_resource_change::Request {
                type_name: grant_resource::TYPE_NAME.into(),
                prior_state: dynamic(&state, &ty),
                proposed_new_state: dynamic(&state, &ty),
                config: dynamic(&config, &ty),
                ..Default::default()
            };
            async move {
                let r = client
                    .plan_resource_change(request)
                    .await
                    .expect("PlanResourceChange");
                assert!(r.into_inner().diagnostics.is_empty());
            }
        })
        .await;
        let read = sample(pid, n, || {
            let mut client = c(&client);
            let request = read_resource::Request {
                type_name: grant_resource::TYPE_NAME.into(),
                current_state: dynamic(&state, &ty),
                ..Default::default()
            };
            async move {
                let r = client.read_resource(request).await.expect("ReadResource");
                assert!(r.into_inner().diagnostics.is_empty());
            }
        })
        .await;
        let memory = memory_breakdown(launched.child.id());
        (schema, validate, plan, read, memory)
    });
    let (schema, validate, plan, read, memory) = results;
    for (name, (xs, cpu), what) in [
        ("GetProviderSchema", schema, ""),
        ("ValidateResourceConfig", validate, ""),
        ("PlanResourceChange", plan, "no change; "),
        (
            "ReadResource",
            read,
            "each with a GetApplicationGrant to the local emulator (shared reads off); ",
        ),
    ] {
        table.add(
            Figure::new(format!("{name} p50"), percentile(xs.clone(), 50.0), "µs").note(format!(
                "{what}provider CPU {cpu:.0} µs per call (2000 sequential calls)"
            )),
        );
        table.add(Figure::new(
            format!("{name} p99"),
            percentile(xs, 99.0),
            "µs",
        ));
    }
    table.add(Figure::new("provider RSS after 4000 RPCs", memory.0, "MiB").note(memory.1));
}

/// Resident memory of `pid` and where it is: file-backed (code and data of
/// the binary and libraries), heap, thread stacks, other anonymous maps.
fn memory_breakdown(pid: u32) -> (f64, String) {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by_kind: BTreeMap<&'static str, f64> = BTreeMap::new();
    let mut kind = "other anonymous";
    for line in smaps.lines() {
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or_default();
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let perms = fields.get(1).copied().unwrap_or("");
            let path = fields.get(5).copied().unwrap_or("");
            kind = if path.ends_with("terraform-provider-identitycenter") {
                match perms {
                    "r-xp" => "binary code",
                    "r--p" => "binary read-only data",
                    _ => "binary writable data",
                }
            } else if path.starts_with('/') {
                "shared libraries"
            } else if path == "[heap]" {
                "heap (brk)"
            } else if path.starts_with("[stack") {
                "main stack"
            } else {
                "anonymous maps (malloc arenas, thread stacks)"
            };
        } else if first == "Rss:" {
            let kib: f64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            *by_kind.entry(kind).or_default() += kib / 1024.0;
        }
    }
    let total: f64 = by_kind.values().sum();
    let detail = by_kind
        .iter()
        .map(|(k, v)| format!("{k} {v:.1} MiB"))
        .collect::<Vec<_>>()
        .join(", ");
    (total, detail)
}
