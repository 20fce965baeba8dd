//! Command line of the `identitycenter-emulator` binary.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser};

use super::config::{
    AssumableRole, Credential, EmulatorConfig, FaultConfig, AWS_COLLECTIVE_TPS, DEFAULT_ACCOUNT_ID,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_PAGE_SIZE, DEFAULT_REGION,
};
use super::scripted::ScriptedFault;
use super::secret::Secret;
use super::seed::{Seed, SeedApplication, SeedTrustedTokenIssuer};
use super::server::{start, RunningEmulator};

/// Local emulator of the AWS IAM Identity Center (SSO Admin) application-grant and
/// application-authentication-method APIs.
///
/// Serves AWS JSON 1.1 on 127.0.0.1, checks SigV4 signatures, validates every request
/// against the service model and keeps state in memory. The first line on stdout is
/// `listening on http://127.0.0.1:PORT`; then one line per seeded resource:
/// `instance ARN`, `application NAME ARN`, `trusted-token-issuer NAME ARN`; and last
/// `inspection-token TOKEN`.
///
/// Without credentials, requests must be signed with the demo key pair
/// AKIAIDCEMULATORDEMO1 / identitycenter-emulator-demo-secret. Signatures must be scoped to
/// the --region the emulator runs in (default us-east-1), as AWS requires; a signature for
/// another region gets 403 InvalidSignatureException unless --any-region is given.
///
/// Test-only endpoints (no signature, no faults): GET /_state, GET /_stats, POST /_reset,
/// with the header `Authorization: Bearer TOKEN` (the inspection-token line).
///
/// Only requests addressed to 127.0.0.1 or localhost and without a browser's Origin header
/// are answered; HTTP/1.1 only; a request's headers (the first one's included) must arrive
/// within 5 s of the connection or of the previous answer, and its body within 5 s of its
/// headers; at most --max-connections (256) connections are served at once.
#[derive(Debug, Parser)]
#[command(name = "identitycenter-emulator", version, verbatim_doc_comment)]
pub struct EmulatorArgs {
    /// TCP port on 127.0.0.1; 0 picks a free port (printed on the first stdout line).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Items per page of ListApplicationGrants and ListApplicationAuthenticationMethods
    /// (which have no MaxResults), and of the other List calls when the request gives no
    /// MaxResults. Small by default so clients exercise paging.
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

    /// JSON seed file with applications, trusted token issuers, grants and authentication
    /// methods to create at start
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
    /// x-amz-security-token exactly when the key has one, and it must match. Repeatable,
    /// or comma-separated. Default: the demo pair, without a session token.
    /// Secrets on a command line are visible to every user of the machine (ps); the
    /// environment variable and --credentials-file are not.
    #[arg(long = "credentials", value_name = "AKID:SECRET", value_parser = Credential::parse,
          value_delimiter = ',', env = CREDENTIALS_ENV, hide_env_values = true)]
    pub credentials: Vec<Credential>,

    /// Accept the credentials in FILE too: one AKID:SECRET[:SESSION_TOKEN] per line; blank
    /// lines and lines starting with # are skipped.
    #[arg(long, value_name = "FILE")]
    pub credentials_file: Option<PathBuf>,

    /// Let STS AssumeRole (form-encoded POST / signed for `sts`, as the SDKs send it) assume
    /// this role: ROLE_ARN, or ROLE_ARN#EXTERNAL_ID when its trust policy requires an external
    /// id. The temporary credentials it returns are accepted until they expire. Other roles
    /// get AccessDenied. Repeatable.
    #[arg(long = "assumable-role", value_name = "ROLE_ARN[#EXTERNAL_ID]", value_parser = AssumableRole::parse)]
    pub assumable_roles: Vec<AssumableRole>,

    /// Answer DeleteApplicationGrant of a grant that does not exist (and
    /// DeleteApplicationAuthenticationMethod of an absent method) with 200 instead of
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
    /// valid writes that model it (Put/DeleteApplicationGrant,
    /// Put/DeleteApplicationAuthenticationMethod, Create/Delete of applications
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
    /// and List still show the grant (or authentication method) as it was before.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub invisible_ms: u64,

    /// Read-after-write invisibility counted in reads, not time: after each grant write, the
    /// next N reads of that grant (GetApplicationGrant or ListApplicationGrants, whoever makes
    /// them) still see it as it was before; likewise for authentication methods. A test device whose outcome does not depend on the
    /// machine's speed.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub stale_reads: u32,

    /// Eventually consistent listings: ListApplicationGrants,
    /// ListApplicationAuthenticationMethods and ListApplications are answered from a replica
    /// this many milliseconds behind the writes (seeded resources included only as far as they
    /// existed before start), while the Get and Describe calls see every write at once.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub list_lag_ms: u64,

    /// Fail exact calls: OPERATION:N[-M]:ERROR[:applied], e.g.
    /// PutApplicationGrant:1:InternalServerException:applied (the first Put takes effect,
    /// then answers 500) or GetApplicationGrant:2-9:AccessDeniedException. ERROR is one of
    /// ThrottlingException, InternalServerException, AccessDeniedException, ConflictException,
    /// NoAnswer (the call is accepted and never answered), or, for List operations,
    /// RepeatToken (the page comes back with the NextToken it was requested with, as from a
    /// broken service; e.g. ListApplicationGrants:2-1000:RepeatToken).
    /// Calls are counted per operation, among those no random fault answered. Repeatable.
    #[arg(long = "fail", value_name = "SCRIPT", value_parser = ScriptedFault::parse)]
    pub fail: Vec<ScriptedFault>,

    /// Seed of the fault RNG, for reproducible fault sequences (random when not given;
    /// the seed in use is shown by GET /_stats).
    #[arg(long)]
    pub fault_seed: Option<u64>,

    /// Bearer token for the inspection endpoints (/_state, /_stats, /_reset); random and
    /// printed at start when not given (here, in the environment variable or in
    /// --inspection-token-file).
    #[arg(long, value_name = "TOKEN", env = INSPECTION_TOKEN_ENV, hide_env_values = true)]
    pub inspection_token: Option<Secret>,

    /// Read the inspection token from the first line of FILE.
    #[arg(long, value_name = "FILE")]
    pub inspection_token_file: Option<PathBuf>,

    /// Connections served at once; further ones wait to be accepted until one closes.
    #[arg(long, default_value_t = DEFAULT_MAX_CONNECTIONS as u16, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_connections: u16,

    /// Log each request to stderr.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Environment variable holding credentials (comma-separated), as --credentials.
pub const CREDENTIALS_ENV: &str = "IDENTITYCENTER_EMULATOR_CREDENTIALS";
/// Environment variable holding the inspection token, as --inspection-token.
pub const INSPECTION_TOKEN_ENV: &str = "IDENTITYCENTER_EMULATOR_INSPECTION_TOKEN";

/// The credentials listed in `path`, one per line.
fn read_credentials_file(path: &std::path::Path) -> Result<Vec<Credential>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read --credentials-file {}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .map(|(n, line)| (n, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(n, line)| {
            Credential::parse(line)
                .map_err(|e| format!("--credentials-file {} line {}: {e}", path.display(), n + 1))
        })
        .collect()
}

/// The token on the first line of `path`.
fn read_inspection_token_file(path: &std::path::Path) -> Result<Secret, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read --inspection-token-file {}: {e}",
            path.display()
        )
    })?;
    match text.lines().next().map(str::trim) {
        Some(token) if !token.is_empty() => Ok(Secret::new(token)),
        _ => Err(format!(
            "--inspection-token-file {} holds no token on its first line",
            path.display()
        )),
    }
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
            stale_reads: self.stale_reads,
            list_lag: Duration::from_millis(self.list_lag_ms),
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
    pub fn into_config(mut self) -> Result<EmulatorConfig, String> {
        let faults = self.fault_config();
        if let Some(path) = &self.credentials_file {
            self.credentials.extend(read_credentials_file(path)?);
        }
        let inspection_token = match (self.inspection_token, &self.inspection_token_file) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "the inspection token is given twice: by --inspection-token or \
                     {INSPECTION_TOKEN_ENV}, and by --inspection-token-file"
                ))
            }
            (token, None) => token,
            (None, Some(path)) => Some(read_inspection_token_file(path)?),
        };
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
            inspection_token,
            max_connections: usize::from(self.max_connections),
            assumable_roles: self.assumable_roles,
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
    fn parsed_arguments_show_no_secret_in_debug_output() {
        let args = EmulatorArgs::try_parse_from([
            "x",
            "--credentials",
            "AKIDONE:first-secret,AKIDTWO:second-secret:a-session-token",
            "--inspection-token",
            "an-inspection-token",
        ])
        .expect("arguments");
        assert_eq!(args.credentials.len(), 2, "comma-separated credentials");
        let shown = format!("{args:?}");
        for secret in [
            "first-secret",
            "second-secret",
            "a-session-token",
            "an-inspection-token",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        assert!(EmulatorArgs::try_parse_from(["x", "--throttle-rate", "1.5"]).is_err());
        assert!(EmulatorArgs::try_parse_from(["x", "--page-size", "0"]).is_err());
    }
}
