//! The unix socket Terraform connects to, in a private directory that is
//! removed when the plugin exits, and the stream of accepted connections
//! (TLS-wrapped when AutoMTLS is on).

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rand::RngCore;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;

/// A unix socket inside a freshly created 0700 directory. Dropping it removes
/// both the socket and the directory.
pub struct SocketDir {
    dir: PathBuf,
    socket: PathBuf,
}

impl SocketDir {
    /// Creates the private directory under `PLUGIN_UNIX_SOCKET_DIR` (when set
    /// and non-empty), else `TMPDIR`, else `/dev/shm` when it is a
    /// directory (memory-backed: creating the directory and the socket there
    /// costs a tenth of what it does on a disk-backed `/tmp`, and this is on
    /// every provider start), else `/tmp`.
    pub fn create(parent: Option<&Path>) -> io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        let parent = parent.map(Path::to_path_buf).unwrap_or_else(default_parent);
        for _ in 0..16 {
            // Straight from the OS: seeding a user-space generator would
            // cost more than the one number needed.
            let name = format!("tfpi-{:016x}", rand::rngs::OsRng.next_u64());
            let dir = parent.join(name);
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => {
                    let socket = dir.join("plugin.sock");
                    return Ok(Self { dir, socket });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "could not create a unique socket directory",
        ))
    }

    /// Path of the socket inside the private directory.
    pub fn socket_path(&self) -> &Path {
        &self.socket
    }

    /// Binds the socket.
    pub fn bind(&self) -> io::Result<UnixListener> {
        use std::os::unix::fs::PermissionsExt;
        let listener = UnixListener::bind(&self.socket)?;
        // The private directory already keeps others out; the socket itself
        // is owner-only too, whatever the umask.
        std::fs::set_permissions(&self.socket, std::fs::Permissions::from_mode(0o600))?;
        Ok(listener)
    }
}

/// Where the socket directory goes when Terraform does not say.
fn default_parent() -> PathBuf {
    if std::env::var_os("TMPDIR").is_some_and(|v| !v.is_empty()) {
        return std::env::temp_dir();
    }
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.socket);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// One accepted connection, plaintext (debug mode / AutoMTLS off) or TLS.
pub enum PluginConnection {
    /// h2c over the unix socket.
    Plain(UnixStream),
    /// TLS with the pinned client certificate.
    Tls(Box<TlsStream<UnixStream>>),
}

impl tonic::transport::server::Connected for PluginConnection {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for PluginConnection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            PluginConnection::Plain(s) => Pin::new(s).poll_read(cx, buf),
            PluginConnection::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for PluginConnection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            PluginConnection::Plain(s) => Pin::new(s).poll_write(cx, buf),
            PluginConnection::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            PluginConnection::Plain(s) => Pin::new(s).poll_flush(cx),
            PluginConnection::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            PluginConnection::Plain(s) => Pin::new(s).poll_shutdown(cx),
            PluginConnection::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// How long a peer may take to complete the TLS handshake. Terraform, on the
/// same machine, takes milliseconds; a peer that stalls would otherwise hold
/// its task forever.
pub const TLS_HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Turns the listener into a stream of ready connections. TLS handshakes run
/// in their own tasks so a slow or hostile peer cannot stall other accepts; a
/// handshake that fails (wrong or missing client certificate) is logged and
/// the connection dropped.
pub fn incoming(
    listener: UnixListener,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> ReceiverStream<io::Result<PluginConnection>> {
    let (tx, rx) = mpsc::channel(16);
    let acceptor = tls.map(TlsAcceptor::from);
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // E.g. out of file descriptors: back off instead of spinning.
                        tracing::warn!(error = %e, "accepting a connection failed");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                },
                // The server stopped taking connections (shutdown).
                _ = tx.closed() => break,
            };
            match &acceptor {
                None => {
                    if tx.send(Ok(PluginConnection::Plain(stream))).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                            Ok(Ok(tls)) => {
                                let _ = tx.send(Ok(PluginConnection::Tls(Box::new(tls)))).await;
                            }
                            Ok(Err(e)) => {
                                tracing::warn!(error = %e, "refused a connection: TLS handshake failed");
                            }
                            // Dropping the stream closes the connection.
                            Err(_) => tracing::warn!(
                                "closed a connection whose TLS handshake did not finish within {} s",
                                TLS_HANDSHAKE_TIMEOUT.as_secs()
                            ),
                        }
                    });
                }
            }
        }
    });
    ReceiverStream::new(rx)
}
