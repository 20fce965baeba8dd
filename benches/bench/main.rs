//! `make bench`: the provider against baselines started the same way in the
//! same run, on this machine. Every figure is a median (or a percentile) of
//! repeated runs, and every target is a ratio to a baseline measured in the
//! same run or a figure of this run: shared machines are noisy, so absolute
//! numbers from another day mean little.
//!
//! Baselines: the Go null provider 2.1.2 (a provider doing no I/O at all),
//! Terraform's built-in `terraform_data`, and round-trip floors computed
//! from the emulator's configured latency.
//!
//! Provider CPU and peak RSS come from the provider processes themselves:
//! Terraform runs this binary in their place (`IDC_BENCH_WRAP`), which runs
//! the real provider as its child and records the child's rusage when it
//! exits.
//!
//! Run by `make bench` (`cargo bench --bench bench`); under `cargo test` it
//! does nothing.

#[path = "../../tests/support/mod.rs"]
mod support;

mod figures;
mod measure;
mod table;
mod workloads;

use std::path::PathBuf;

fn main() {
    if let Some(target) = std::env::var_os(measure::WRAP_ENV) {
        measure::run_wrapped(PathBuf::from(target));
    }
    if std::env::var_os(measure::FLOOR_ENV).is_some() {
        measure::run_floor();
    }
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("benches/bench.rs measures with `make bench`; nothing to do under `cargo test`");
        return;
    }
    let setup = measure::Setup::from_env();
    let started = std::time::Instant::now();
    let mut table = table::Table::default();
    figures::run_all(&setup, &mut table);
    table.print();
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/results.json");
    table.write_json(&out, started.elapsed());
    println!(
        "\nwrote {} in {:.0} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
}
