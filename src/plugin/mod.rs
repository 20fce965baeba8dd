//! The plugin host: everything go-plugin expects of a plugin process.
//!
//! Start-up order: magic cookie, protocol negotiation, logging, SIGINT
//! handling, a unix socket in a private directory, AutoMTLS when Terraform
//! passes `PLUGIN_CLIENT_CERT`, the gRPC services, and only then the handshake
//! line on stdout. The process serves until `GRPCController.Shutdown` (or
//! SIGTERM, or SIGHUP), then removes its socket and exits.

pub(crate) mod controller;
pub mod handshake;
pub(crate) mod listener;
pub mod logging;
pub mod tls;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use controller::{Broker, Controller, ShutdownSignal, Stdio};
use listener::{PlatformEndpoint, PluginEndpoint};

use crate::framework::Provider;
use crate::proto::plugin::{
    grpc_broker_server::GrpcBrokerServer, grpc_controller_server::GrpcControllerServer,
    grpc_stdio_server::GrpcStdioServer,
};
use crate::proto::tfplugin6::provider_server::ProviderServer;
use crate::server::ProviderService;

/// gRPC message size limit in both directions, as terraform-plugin-go uses;
/// tonic's 4 MiB default is too small for large states.
pub(crate) const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// How the plugin was asked to run.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Full provider source address, used in the debug reattach line.
    pub provider_address: String,
    /// `--debug`: plaintext, print `TF_REATTACH_PROVIDERS`, run until SIGINT.
    pub debug: bool,
}

/// Runs the plugin process to completion and returns its exit status.
pub fn serve(provider: Arc<dyn Provider>, options: ServeOptions) -> u8 {
    if !options.debug {
        if let Err(e) =
            handshake::check_cookie(std::env::var(handshake::MAGIC_COOKIE_KEY).ok().as_deref())
        {
            eprint!("{e}");
            return 1;
        }
        if let Err(e) =
            handshake::negotiate_protocol(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())
        {
            eprintln!("{e}");
            return 1;
        }
    }
    let binary = binary_name(provider.as_ref());
    logging::init(
        logging::level_from_env(
            std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
            std::env::var("TF_LOG").ok().as_deref(),
        ),
        &binary,
    );
    install_panic_hook();

    // One thread serves everything: each RPC needs microseconds of CPU and
    // AWS calls are asynchronous, so worker threads would only add start-up
    // time (spawning them, sizing the pool from cgroups) and memory (a stack
    // and a malloc arena each). Blocking work (DNS) still gets tokio's
    // blocking pool, on demand.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("failed to start the async runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(run(provider, options)) {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!(error = %e, "plugin failed");
            if matches!(e, HostError::ServerCrashed(_)) {
                // Terraform recognises this prefix and reports a crash.
                eprintln!("panic: {e}");
            } else {
                eprintln!("{binary}: {e}");
            }
            1
        }
    }
}

/// The executable's conventional name, `terraform-provider-<name>`: the
/// prefix of error lines, the log `@module` and the certificate subject.
fn binary_name(provider: &dyn Provider) -> String {
    format!("terraform-provider-{}", provider.type_name())
}

/// Anything that stops the plugin before or while serving.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HostError {
    /// Socket directory or socket.
    #[error("setting up the plugin socket: {0}")]
    Socket(#[from] std::io::Error),
    /// AutoMTLS.
    #[error(transparent)]
    Tls(#[from] tls::TlsSetupError),
    /// tonic.
    #[error("gRPC server: {0}")]
    Transport(#[from] tonic::transport::Error),
    /// The server task ended on its own.
    #[error("the gRPC server stopped unexpectedly")]
    ServerStopped,
    /// The server task panicked.
    #[error("the gRPC server crashed: {0}")]
    ServerCrashed(String),
}

async fn run(provider: Arc<dyn Provider>, options: ServeOptions) -> Result<(), HostError> {
    let shutdown = ShutdownSignal::new();
    #[cfg(unix)]
    if !options.debug {
        // Ctrl-C reaches the whole process group, possibly while we start:
        // ignore SIGINT from the first instant, and watch signals properly
        // once the handshake is out.
        // SAFETY: setting a signal's disposition to SIG_IGN is always sound.
        unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
    }

    let endpoint = PlatformEndpoint::from_env()?;
    let listener = endpoint.bind()?;

    let client_cert = std::env::var("PLUGIN_CLIENT_CERT")
        .ok()
        .filter(|v| !v.trim().is_empty() && !options.debug);
    let tls = match client_cert {
        Some(pem) => {
            let identity = tls::generate_server_identity(&binary_name(provider.as_ref()))?;
            let client = tls::parse_client_cert(&pem)?;
            Some((identity, client))
        }
        None => None,
    };

    // Terraform waits for the handshake line, then connects; the socket is
    // already listening, so connections queue until the server below
    // accepts them. Announce first and build the rest meanwhile.
    announce(
        &options,
        endpoint.network(),
        &endpoint.address(),
        tls.as_ref().map(|(identity, _)| identity.cert_der.as_ref()),
    );
    watch_signals(shutdown.clone(), options.debug)?;
    #[cfg(unix)]
    if !options.debug {
        watch_parent(shutdown.clone());
    }
    let tls_config = match tls {
        Some((identity, client)) => Some(tls::server_config(&identity, client)?),
        None => None,
    };

    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let provider_service = ProviderServer::new(ProviderService::new(provider))
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let router = tonic::transport::Server::builder()
        .add_service(provider_service)
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcStdioServer::new(Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcBrokerServer::new(Broker {
            shutdown: shutdown.clone(),
        }))
        .add_service(health_service);
    let incoming = listener::incoming(listener, tls_config);
    let stop = shutdown.clone();
    let mut server = tokio::spawn(
        router.serve_with_incoming_shutdown(incoming, async move { stop.fired().await }),
    );

    tokio::select! {
        // A requested shutdown also ends the server: that is not a failure.
        biased;
        _ = shutdown.fired() => {}
        // The server ended without being asked to: nothing can reach us any
        // more, so this is fatal, not something to log and carry on from.
        ended = &mut server => {
            return Err(match ended {
                Ok(Ok(())) => HostError::ServerStopped,
                Ok(Err(e)) => e.into(),
                Err(join) => HostError::ServerCrashed(join.to_string()),
            });
        }
    }
    tracing::debug!("shutting down");
    // Terraform waits two seconds for the process to exit before killing it;
    // give in-flight calls a moment, then go regardless.
    if let Ok(Ok(Err(e))) = tokio::time::timeout(Duration::from_millis(500), server).await {
        return Err(e.into());
    }
    drop(endpoint);
    Ok(())
}

/// Prints the handshake line (or, in debug mode, the reattach instructions).
fn announce(options: &ServeOptions, network: &str, address: &str, server_cert: Option<&[u8]>) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if options.debug {
        let reattach = reattach_json(&options.provider_address, network, address);
        let _ = writeln!(
            out,
            "Provider started. To attach Terraform, set TF_REATTACH_PROVIDERS in the shell \
             running terraform:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n\nPress Ctrl-C to stop."
        );
    } else {
        let _ = writeln!(
            out,
            "{}",
            handshake::handshake_line(network, address, server_cert)
        );
    }
    let _ = out.flush();
}

/// The `TF_REATTACH_PROVIDERS` JSON for this process. `ProtocolVersion` 6
/// and `Test: true` are both needed for Terraform to treat it as protocol 6.
pub(crate) fn reattach_json(provider_address: &str, network: &str, address: &str) -> String {
    let mut entry = serde_json::Map::new();
    entry.insert("Protocol".into(), "grpc".into());
    entry.insert("ProtocolVersion".into(), 6.into());
    entry.insert("Pid".into(), std::process::id().into());
    entry.insert("Test".into(), true.into());
    entry.insert(
        "Addr".into(),
        serde_json::json!({ "Network": network, "String": address }),
    );
    let mut root = serde_json::Map::new();
    root.insert(
        provider_address.to_string(),
        serde_json::Value::Object(entry),
    );
    serde_json::Value::Object(root).to_string()
}

/// SIGINT is ignored when run by Terraform (Ctrl-C reaches the whole process
/// group; Terraform stops us with StopProvider and Shutdown instead). In
/// debug mode SIGINT is the way to stop. SIGTERM and SIGHUP (the terminal
/// went away, or a supervisor asks) always shut down cleanly, removing the
/// socket; SIGHUP's default action would kill the process and leave it.
#[cfg(unix)]
fn watch_signals(shutdown: ShutdownSignal, debug: bool) -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = interrupt.recv() => {
                    if debug {
                        shutdown.trigger();
                        return;
                    }
                    tracing::debug!("ignoring SIGINT; Terraform stops providers itself");
                }
                _ = terminate.recv() => {
                    shutdown.trigger();
                    return;
                }
                _ = hangup.recv() => {
                    tracing::debug!("SIGHUP: shutting down");
                    shutdown.trigger();
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Windows: Ctrl-C (the console's, sent to every process attached to it)
/// is ignored unless in debug mode, as SIGINT is on unix; closing the
/// console shuts down cleanly.
#[cfg(windows)]
fn watch_signals(shutdown: ShutdownSignal, debug: bool) -> std::io::Result<()> {
    let mut interrupt = tokio::signal::windows::ctrl_c()?;
    let mut close = tokio::signal::windows::ctrl_close()?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = interrupt.recv() => {
                    if debug {
                        shutdown.trigger();
                        return;
                    }
                    tracing::debug!("ignoring Ctrl-C; Terraform stops providers itself");
                }
                _ = close.recv() => {
                    shutdown.trigger();
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Terraform normally ends us with `GRPCController.Shutdown`, but a client
/// that dies first (killed, or an embedding that skips plugin cleanup) would
/// leave us orphaned and listening forever. When the parent process changes,
/// nobody can talk to us any more: shut down.
#[cfg(unix)]
fn watch_parent(shutdown: ShutdownSignal) {
    // SAFETY: getppid has no preconditions and cannot fail.
    let original = unsafe { libc::getppid() };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tick.tick().await;
            // SAFETY: as above.
            if unsafe { libc::getppid() } != original {
                tracing::warn!("parent process exited without shutting the plugin down; exiting");
                shutdown.trigger();
                return;
            }
        }
    });
}

/// Panics inside RPC handlers are recovered by the server and become error
/// diagnostics, and panics in other tasks end only that task, so both are
/// logged as errors. A panic on the main thread is a crash:
/// print it with the `panic: ` prefix Terraform recognises, so the user sees
/// Terraform's "plugin crashed" report with our message.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Only a panic on the main thread ends the process; one in a tokio
        // task (an RPC handler, a connection) is survived, and the `panic: `
        // prefix would make Terraform report a crash that did not happen.
        // Tasks run on the main thread too (one-thread runtime); only code
        // outside every task, such as start-up, is fatal.
        let fatal = tokio::task::try_id().is_none();
        if crate::framework::guard::inside_rpc() || !fatal {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            logging::write_line(
                "error",
                &format!(
                    "{}: {}",
                    if crate::framework::guard::inside_rpc() {
                        "recovered from a panic in an RPC handler"
                    } else {
                        "panic in a background task"
                    },
                    panic_message(info)
                ),
                &[("location", location)],
            );
        } else {
            eprintln!("panic: {}", panic_message(info));
            default(info);
        }
    }));
}

fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    crate::framework::guard::panic_message(info.payload())
}
