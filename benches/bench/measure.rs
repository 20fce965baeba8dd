//! How things are measured: the tools in use, provider mirrors (plain and
//! wrapped for rusage), wall-clock timing and start-up timing.

use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::support::plugin_client::terraform_like_client_cert;
use crate::support::terraform::{go_platform, TerraformCli, Workspace};

/// Set in the environment of Terraform: run this binary as the provider,
/// with the real provider at this path as its child.
pub const WRAP_ENV: &str = "IDC_BENCH_WRAP";
/// File the wrapper appends one `max_rss_kib cpu_seconds` line to.
pub const RUSAGE_ENV: &str = "IDC_BENCH_RUSAGE";

pub const OUR_SOURCE: &str = "idc-labs/identitycenter";
pub const OUR_VERSION: &str = "0.2.0";
pub const NULL_SOURCE: &str = "hashicorp/null";
pub const NULL_VERSION: &str = "2.1.2";

/// Everything a run needs.
pub struct Setup {
    pub terraform: TerraformCli,
    pub provider: PathBuf,
    pub null_provider: PathBuf,
    /// The provider linked position-dependent (`-no-pie`), as releases
    /// before 0.1.0 were: what PIE costs in start-up and memory. `make
    /// bench` builds it; without it those comparisons are left out.
    pub no_pie_provider: Option<PathBuf>,
    pub scratch: tempfile::TempDir,
}

impl Setup {
    pub fn from_env() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = |var: &str, default: &str| {
            let p = std::env::var_os(var)
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join(default));
            assert!(
                p.exists(),
                "{var}: nothing at {} (run `make bench`, which installs it)",
                p.display()
            );
            p
        };
        let terraform = TerraformCli {
            path: path("IDC_BENCH_TERRAFORM", ".tools/bin/terraform-1.15.5"),
            version: "1.15.5".into(),
        };
        Setup {
            terraform,
            provider: PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-identitycenter")),
            null_provider: path(
                "IDC_BENCH_NULL_PROVIDER",
                ".tools/bin/terraform-provider-null_v2.1.2_x4",
            ),
            no_pie_provider: std::env::var_os("IDC_BENCH_NO_PIE_PROVIDER")
                .filter(|p| !p.is_empty())
                .map(|_| path("IDC_BENCH_NO_PIE_PROVIDER", "")),
            scratch: tempfile::tempdir().expect("scratch dir"),
        }
    }

    /// A filesystem mirror holding `binary` as provider `source`@`version`,
    /// under the file name Terraform expects.
    pub fn mirror(&self, name: &str, source: &str, version: &str, binary: &Path) -> PathBuf {
        let (os, arch) = go_platform();
        let root = self.scratch.path().join(name);
        let dir = root
            .join("registry.terraform.io")
            .join(source)
            .join(version)
            .join(format!("{os}_{arch}"));
        std::fs::create_dir_all(&dir).expect("mirror dir");
        let file = if source == NULL_SOURCE {
            format!("terraform-provider-null_v{version}_x4")
        } else {
            format!("terraform-provider-identitycenter_v{version}")
        };
        std::fs::copy(binary, dir.join(file)).expect("copy provider into mirror");
        root
    }

    /// A workspace installing `source` from `mirror`.
    pub fn workspace(&self, mirror: &Path, source: &str) -> Workspace {
        Workspace::with_mirror_for(&self.terraform, mirror, &[source])
    }
}

/// Set to make this binary print a handshake-like line at once and wait to
/// be killed: the cost of exec and a pipe, with no plugin work at all.
pub const FLOOR_ENV: &str = "IDC_BENCH_FLOOR";

/// The floor process. Never returns.
pub fn run_floor() -> ! {
    println!("1|6|unix|/nonexistent|grpc|");
    loop {
        // SAFETY: pause has no preconditions; SIGTERM ends the process.
        unsafe { libc::pause() };
    }
}

/// Runs the real provider as a child, then records its peak RSS and CPU.
/// Never returns.
pub fn run_wrapped(target: PathBuf) -> ! {
    let mut child = match Command::new(&target)
        .args(std::env::args_os().skip(1))
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("bench wrapper: cannot run {}: {e}", target.display());
            std::process::exit(1)
        }
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child; status and usage are valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited == pid {
        if let Some(log) = std::env::var_os(RUSAGE_ENV) {
            let cpu = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            let line = format!(
                "{} {:.6}\n",
                usage.ru_maxrss,
                cpu(usage.ru_utime) + cpu(usage.ru_stime)
            );
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
            {
                let _ = f.write_all(line.as_bytes());
            }
        }
    } else {
        let _ = child.wait();
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        1
    };
    std::process::exit(code)
}

/// Peak RSS and CPU of each provider process one command started.
#[derive(Debug, Default)]
pub struct Usage {
    pub processes: Vec<(f64, f64)>,
}

impl Usage {
    pub fn peak_rss_mib(&self) -> f64 {
        self.processes.iter().map(|p| p.0).fold(0.0, f64::max)
    }
    pub fn cpu_seconds(&self) -> f64 {
        self.processes.iter().map(|p| p.1).sum()
    }
}

/// Points `ws` at the wrapper for `real`, logging into a fresh file.
pub fn wrap(ws: &mut Workspace, real: &Path, log: &Path) {
    let _ = std::fs::remove_file(log);
    ws.env(WRAP_ENV, &real.display().to_string());
    ws.env(RUSAGE_ENV, &log.display().to_string());
}

/// What the wrapper logged since `wrap`.
pub fn usage(log: &Path) -> Usage {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    Usage {
        processes: text
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let rss_kib: f64 = parts.next()?.parse().ok()?;
                let cpu: f64 = parts.next()?.parse().ok()?;
                Some((rss_kib / 1024.0, cpu))
            })
            .collect(),
    }
}

/// Wall-clock seconds of `terraform ARGS` in `ws`, which must succeed.
pub fn timed(ws: &Workspace, args: &[&str]) -> f64 {
    timed_with_cpu(ws, args).0
}

/// CPU seconds (user + system) of every finished child process so far,
/// grandchildren reaped by them included.
fn children_cpu() -> f64 {
    // SAFETY: an all-zero rusage is valid for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer to a rusage.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Wall-clock seconds of `terraform ARGS` in `ws`, and the CPU seconds of
/// the whole command: Terraform, its shim and every provider it started.
pub fn timed_with_cpu(ws: &Workspace, args: &[&str]) -> (f64, f64) {
    let cpu_before = children_cpu();
    let start = Instant::now();
    ws.run_ok(args);
    (start.elapsed().as_secs_f64(), children_cpu() - cpu_before)
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// The `p`-th percentile (0–100), nearest rank.
pub fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * xs.len() as f64).ceil() as usize;
    xs[rank.clamp(1, xs.len()) - 1]
}

/// Milliseconds from exec to the handshake line, as Terraform launches a
/// provider: magic cookie, protocol versions and a client certificate for
/// AutoMTLS in the environment.
pub fn startup_ms(binary: &Path, cert_pem: &str) -> f64 {
    let floor = std::env::current_exe().is_ok_and(|me| me == binary);
    let start = Instant::now();
    let mut child = Command::new(binary)
        .env(
            "TF_PLUGIN_MAGIC_COOKIE",
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        )
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", cert_pem)
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PROVIDER")
        .env(
            if floor {
                FLOOR_ENV
            } else {
                "IDC_BENCH_NOT_FLOOR"
            },
            "1",
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("handshake line");
    let elapsed = start.elapsed();
    assert!(line.starts_with("1|"), "not a handshake: {line:?}");
    // SIGTERM lets each provider clean up; then remove what Go leaves.
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let _ = child.wait();
    if let Some(socket) = line.split('|').nth(3) {
        let _ = std::fs::remove_file(socket);
    }
    elapsed.as_secs_f64() * 1000.0
}

/// Median start-up of both binaries: `blocks` alternating blocks of ten
/// launches each, after one unmeasured launch per block. Launching one
/// right after the other measures the other's exit too (a Go process
/// tearing down slows the next launch by most of a millisecond), so each
/// binary runs in blocks.
pub fn startup_pair(ours: &Path, baseline: &Path, blocks: usize) -> (f64, f64) {
    let cert = terraform_like_client_cert().cert_pem;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..blocks {
        for (binary, times) in [(ours, &mut a), (baseline, &mut b)] {
            startup_ms(binary, &cert);
            for _ in 0..10 {
                times.push(startup_ms(binary, &cert));
            }
        }
    }
    (median(a), median(b))
}
