//! Command line of the `identitycenter-emulator` binary.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};

use super::config::{
    Credential, EmulatorConfig, FaultConfig, AWS_COLLECTIVE_TPS, DEFAULT_ACCOUNT_ID,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_PAGE_SIZE, DEFAULT_REGION,
};
use super::scripted::ScriptedFault;
use super::seed::{Seed, SeedApplication, SeedTrustedTokenIssuer};
use super::server::{start, RunningEmulator};

/// Local emulator of the AWS IAM Identity Center (SSO Admin) application-grant APIs.
///
/// Serves AWS JSON 1.1 on 127.0.0.1, checks SigV4 signatures, validates every request
/// against the service model and keeps state in memory. The first line on stdout is
/// `listening on http://127.0.0.1:PORT`; then one line per seeded resource:
/// `instance ARN`, `application NAME ARN`, `trusted-token-issuer NAME ARN`; and last
/// `inspection-token TOKEN`.
///
/// Without --credentials, requests must be signed with the demo key pair
/// AKIAIDCEMULATORDEMO1 / identitycenter-emulator-demo-secret. Signatures must be scoped to
/// the --region the emulator runs in (default us-east-1), as AWS requires; a signature for
/// another region gets 403 InvalidSignatureException unless --any-region is given.
///
/// Test-only endpoints (no signature, no faults): GET /_state, GET /_stats, POST /_reset,
/// with the header `Authorization: Bearer TOKEN` (the inspection-token line).
///
/// Only requests addressed to 127.0.0.1 or localhost and without a browser's Origin header
/// are answered; HTTP/1.1 only; a request's headers (the first one's included) must arrive
/// within 5 s of the connection or of the previous answer; at most --max-connections (256)
/// connections are served at once.
#[derive(Debug, Parser)]
#[command(name = "identitycenter-emulator", version, verbatim_doc_comment)]
pub struct EmulatorArgs {
    /// TCP port on 127.0.0.1; 0 picks a free port (printed on the first stdout line).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Items per page of ListApplicationGrants (and of the other List calls when the
    /// request gives no MaxResults). Small by default so clients exercise paging.
    #[arg(long, default_value_t = DEFAULT_PAGE_SIZE as u16, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub page_size: u16,

    /// Region the emulator serves: the instance's home region, and the region every
    /// signature's credential scope must name (others get InvalidSignatureException).
    #[arg(long, default_value = DEFAULT_REGION)]
    pub region: String,

    /// Accept signatures scoped to any region, not only --region (unlike AWS).
    #[arg(long)]
    pub any_region: bool,

    /// AWS account id (12 digits) that owns the instance and its resources.
    #[arg(long, default_value = DEFAULT_ACCOUNT_ID)]
    pub account_id: String,

    /// Instance id (`ssoins-` + 16 characters); random when not given here or in the seed.
    #[arg(long)]
    pub instance_id: Option<String>,

    /// JSON seed file with applications, trusted token issuers and grants to create at start
    /// (and to restore on POST /_reset). See the module docs of `identitycenter::emulator::seed`.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,

    /// Create an application (custom OAuth provider) with this name at start. Repeatable.
    #[arg(long = "application", value_name = "NAME")]
    pub applications: Vec<String>,

    /// Create an OIDC trusted token issuer with this name at start. Repeatable.
    #[arg(long = "trusted-token-issuer", value_name = "NAME")]
    pub trusted_token_issuers: Vec<String>,

    /// Accept signatures made with this key pair (AKID:SECRET), or with this key pair and
    /// session token (AKID:SECRET:SESSION_TOKEN). As on AWS, a request must carry
    /// x-amz-security-token exactly when the key has one, and it must match. Repeatable.
    /// Default: the demo pair, without a session token.
    #[arg(long = "credentials", value_name = "AKID:SECRET", value_parser = Credential::parse)]
    pub credentials: Vec<Credential>,

    /// Answer DeleteApplicationGrant of a grant that does not exist with 200 instead of
    /// ResourceNotFoundException.
    #[arg(long)]
    pub delete_missing_ok: bool,

    /// Share of calls (0.0–1.0) answered with ThrottlingException (HTTP 400). The four
    /// rate flags split the calls between them (one random draw per call), so each is its
    /// own share of all calls and together they must sum to at most 1.0.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub throttle_rate: f64,

    /// Share of calls (0.0–1.0) answered with InternalServerException (HTTP 500).
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub internal_error_rate: f64,

    /// Share of calls (0.0–1.0) answered with ConflictException (HTTP 400) when they are
    /// valid writes that model it (Put/DeleteApplicationGrant, Create/Delete of applications
    /// and issuers); other calls in this share succeed.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub conflict_rate: f64,

    /// Share of calls (0.0–1.0) answered with AccessDeniedException (HTTP 400).
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    pub access_denied_rate: f64,

    /// Milliseconds of latency added to every AWS call.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,

    /// Up to this many extra milliseconds of random latency per call.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_jitter_ms: u64,

    /// Limit all AWS calls together to AWS's collective 20 requests per second
    /// (token bucket; excess calls get ThrottlingException).
    #[arg(long)]
    pub rate_limit: bool,

    /// Limit all AWS calls together to this many requests per second (implies --rate-limit).
    #[arg(long, value_name = "TPS", value_parser = parse_tps)]
    pub rate_limit_tps: Option<f64>,

    /// Read-after-write invisibility: for this many milliseconds after a Put or Delete, Get
    /// and List still show the grant as it was before.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub invisible_ms: u64,

    /// Fail exact calls: OPERATION:N[-M]:ERROR[:applied], e.g.
    /// PutApplicationGrant:1:InternalServerException:applied (the first Put takes effect,
    /// then answers 500) or GetApplicationGrant:2-9:AccessDeniedException. ERROR is one of
    /// ThrottlingException, InternalServerException, AccessDeniedException, ConflictException,
    /// or NoAnswer (the call is accepted and never answered).
    /// Calls are counted per operation, among those no random fault answered. Repeatable.
    #[arg(long = "fail", value_name = "SCRIPT", value_parser = ScriptedFault::parse)]
    pub fail: Vec<ScriptedFault>,

    /// Seed of the fault RNG, for reproducible fault sequences (random when not given;
    /// the seed in use is shown by GET /_stats).
    #[arg(long)]
    pub fault_seed: Option<u64>,

    /// Bearer token for the inspection endpoints (/_state, /_stats, /_reset); random and
    /// printed at start when not given.
    #[arg(long, value_name = "TOKEN")]
    pub inspection_token: Option<String>,

    /// Connections served at once; further ones wait to be accepted until one closes.
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS as u16, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_connections: u16,

    /// Log each request to stderr.
    #[arg(long, short)]
    pub verbose: bool,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is not between 0.0 and 1.0"))
    }
}

fn parse_tps(text: &str) -> Result<f64, String> {
    let tps: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if tps.is_finite() && tps > 0.0 {
        Ok(tps)
    } else {
        Err(format!("{tps} is not a positive number"))
    }
}

impl EmulatorArgs {
    fn fault_config(&self) -> FaultConfig {
        let rate_limit_tps = self
            .rate_limit_tps
            .or(self.rate_limit.then_some(AWS_COLLECTIVE_TPS));
        FaultConfig {
            throttle_rate: self.throttle_rate,
            internal_error_rate: self.internal_error_rate,
            conflict_rate: self.conflict_rate,
            access_denied_rate: self.access_denied_rate,
            latency: Duration::from_millis(self.latency_ms),
            latency_jitter: Duration::from_millis(self.latency_jitter_ms),
            rate_limit_tps,
            invisible_for: Duration::from_millis(self.invisible_ms),
            seed: self.fault_seed,
            scripted: self.fail.clone(),
        }
    }

    /// Parse the command line, exiting like clap (usage error, status 2) also when the
    /// fault rates together exceed all calls.
    pub fn parse_checked() -> Self {
        let args = Self::parse();
        if let Err(message) = args.fault_config().check_shares() {
            Self::command()
                .error(clap::error::ErrorKind::ArgumentConflict, message)
                .exit();
        }
        args
    }

    /// The emulator configuration these arguments describe (reads the seed file).
    pub fn into_config(self) -> Result<EmulatorConfig, String> {
        let faults = self.fault_config();
        let mut seed = match &self.seed {
            Some(path) => Seed::load(path)?,
            None => Seed::default(),
        };
        seed.applications
            .extend(self.applications.into_iter().map(|name| SeedApplication {
                name,
                ..SeedApplication::default()
            }));
        seed.trusted_token_issuers
            .extend(
                self.trusted_token_issuers
                    .into_iter()
                    .map(|name| SeedTrustedTokenIssuer {
                        name,
                        ..SeedTrustedTokenIssuer::default()
                    }),
            );
        Ok(EmulatorConfig {
            port: self.port,
            page_size: usize::from(self.page_size),
            region: self.region,
            any_region: self.any_region,
            account_id: self.account_id,
            instance_id: self.instance_id,
            credentials: self.credentials,
            delete_missing_ok: self.delete_missing_ok,
            faults,
            seed,
            inspection_token: self.inspection_token,
            max_connections: usize::from(self.max_connections),
        })
    }
}

fn announce(emulator: &RunningEmulator) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {}", emulator.endpoint())?;
    out.flush()?;
    writeln!(out, "instance {}", emulator.instance_arn())?;
    for app in emulator.applications() {
        writeln!(out, "application {} {}", app.name, app.arn)?;
    }
    for issuer in emulator.trusted_token_issuers() {
        writeln!(out, "trusted-token-issuer {} {}", issuer.name, issuer.arn)?;
    }
    writeln!(out, "inspection-token {}", emulator.inspection_token())?;
    out.flush()
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Run the emulator until SIGINT or SIGTERM.
pub async fn run(args: EmulatorArgs) -> Result<(), String> {
    let config = args.into_config()?;
    let emulator = start(config).await.map_err(|e| e.to_string())?;
    match announce(&emulator) {
        // Whoever started us stopped reading after the lines it wanted:
        // keep serving.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        result => result.map_err(|e| format!("cannot write to stdout: {e}"))?,
    }
    wait_for_shutdown_signal().await;
    emulator.shutdown().await;
    Ok(())
}

/// Entry point of the binary: parse arguments, run, and map failure to exit code 1.
pub fn main() -> ExitCode {
    let args = EmulatorArgs::parse_checked();
    let level = if args.verbose {
        tracing::Level::DEBUG
    } else {
        tracing::Level::WARN
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("identitycenter-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("identitycenter-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_alone_means_aws_collective_limit() {
        let args = EmulatorArgs::parse_from(["x", "--rate-limit", "--application", "web"]);
        let config = args.into_config().unwrap();
        assert_eq!(config.faults.rate_limit_tps, Some(AWS_COLLECTIVE_TPS));
        assert_eq!(config.seed.applications[0].name, "web");
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        assert!(EmulatorArgs::try_parse_from(["x", "--throttle-rate", "1.5"]).is_err());
        assert!(EmulatorArgs::try_parse_from(["x", "--page-size", "0"]).is_err());
    }
}
