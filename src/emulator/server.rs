//! Starting, addressing and stopping an emulator.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use super::backend::Backend;
use super::bootstrap::{seeded_state, Seeded, SeededResource};
use super::config::EmulatorConfig;
use super::service;

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The configuration or seed is unusable.
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// The listening socket could not be opened.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// Requested port.
        port: u16,
        /// Underlying error.
        source: std::io::Error,
    },
}

/// A running emulator. Dropping it stops the server (open connections are closed).
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    backend: Arc<Backend>,
    seeded: Seeded,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Start an emulator on 127.0.0.1 with `config`. Must be called within a Tokio runtime.
pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
    config.check().map_err(EmulatorError::Config)?;
    let (state, seeded) = seeded_state(&config).map_err(EmulatorError::Config)?;
    let port = config.port;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|source| EmulatorError::Bind { port, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| EmulatorError::Bind { port, source })?;
    let backend = Arc::new(Backend::new(config, state));
    let (shutdown, stop) = oneshot::channel();
    let task = tokio::spawn(accept_loop(listener, backend.clone(), stop));
    Ok(RunningEmulator {
        addr,
        backend,
        seeded,
        shutdown: Some(shutdown),
        task: Some(task),
    })
}

/// How long a client may take to send a request's headers, counted from
/// the connection (or the previous answer), so a client that connects and
/// sends nothing is dropped too.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

async fn accept_loop(
    listener: TcpListener,
    backend: Arc<Backend>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(
        backend.config().max_connections,
    ));
    loop {
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = slots.clone().acquire_owned() => slot,
        };
        let Ok(slot) = slot else {
            break;
        };
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    let backend = backend.clone();
                    connections.spawn(async move {
                        let _slot = slot;
                        let service = service_fn(move |req| service::handle(backend.clone(), req));
                        // HTTP/1.1 only, as the SDK speaks to a plain-http
                        // endpoint: a protocol-sniffing server would wait for
                        // a silent client's first bytes with no time limit.
                        let served = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(HEADER_READ_TIMEOUT)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                        if let Err(e) = served {
                            tracing::debug!(error = %e, "connection ended with an error");
                        }
                    });
                }
                Err(e) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            },
        }
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

impl RunningEmulator {
    /// Base URL for SDK clients, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The TCP port listened on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The socket address listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bearer token the inspection endpoints require.
    pub fn inspection_token(&self) -> &str {
        self.backend.inspection_token()
    }

    /// ARN of the emulated instance.
    pub fn instance_arn(&self) -> &str {
        &self.seeded.instance_arn
    }

    /// Applications created from the seed, in seed order.
    pub fn applications(&self) -> &[SeededResource] {
        &self.seeded.applications
    }

    /// ARN of the seeded application called `name`.
    pub fn application_arn(&self, name: &str) -> Option<&str> {
        self.seeded
            .applications
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.arn.as_str())
    }

    /// Trusted token issuers created from the seed, in seed order.
    pub fn trusted_token_issuers(&self) -> &[SeededResource] {
        &self.seeded.trusted_token_issuers
    }

    /// What `GET /_state` returns.
    pub fn state(&self) -> Value {
        self.backend.state_json()
    }

    /// What `GET /_stats` returns.
    pub fn stats(&self) -> Value {
        self.backend.stats_json()
    }

    /// What `POST /_reset` does.
    pub fn reset(&self) {
        self.backend.reset();
    }

    /// Stop accepting connections, close open ones, and wait until the server task ends.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
