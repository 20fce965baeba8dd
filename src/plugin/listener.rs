//! Where Terraform connects: as go-plugin does, a unix socket in a private
//! directory that is removed when the plugin exits, or on Windows a
//! loopback TCP port; and the stream of accepted connections (TLS-wrapped
//! when AutoMTLS is on).

use std::io;
use std::ops::RangeInclusive;
#[cfg(unix)]
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

#[cfg(unix)]
use rand::RngCore;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
#[cfg(unix)]
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;

/// A plugin's listener, its network (`unix` or `tcp`) and address, as the
/// handshake line announces them.
pub(crate) trait PluginEndpoint {
    /// The listening socket.
    type Listener: Accept;
    /// `unix` or `tcp`.
    fn network(&self) -> &'static str;
    /// The socket path, or `127.0.0.1:PORT`.
    fn address(&self) -> String;
    /// Starts listening.
    fn bind(&self) -> io::Result<Self::Listener>;
}

/// Where the plugin listens on this platform: a unix socket on unix, a
/// loopback TCP port on Windows (go-plugin's choice there too).
#[cfg(unix)]
pub(crate) type PlatformEndpoint = SocketDir;
/// Where the plugin listens on this platform.
#[cfg(windows)]
pub(crate) type PlatformEndpoint = LoopbackPort;

#[cfg(unix)]
impl PlatformEndpoint {
    /// The endpoint for a plugin started by Terraform: in
    /// `PLUGIN_UNIX_SOCKET_DIR` when set.
    pub(crate) fn from_env() -> io::Result<Self> {
        let parent = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        SocketDir::create(parent.as_deref())
    }
}

#[cfg(windows)]
impl PlatformEndpoint {
    /// The endpoint for a plugin started by Terraform: a port in
    /// `PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT` when given.
    pub fn from_env() -> io::Result<Self> {
        LoopbackPort::create(port_range(
            std::env::var("PLUGIN_MIN_PORT").ok().as_deref(),
            std::env::var("PLUGIN_MAX_PORT").ok().as_deref(),
        ))
    }
}

/// A listener that hands out connections.
pub(crate) trait Accept: Send + 'static {
    /// One accepted connection.
    fn accept_stream(&self) -> impl std::future::Future<Output = io::Result<PluginStream>> + Send;
}

/// A connection from Terraform, before TLS.
pub(crate) enum PluginStream {
    /// Over a unix socket.
    #[cfg(unix)]
    Unix(UnixStream),
    /// Over loopback TCP.
    Tcp(TcpStream),
}

#[cfg(unix)]
impl Accept for UnixListener {
    async fn accept_stream(&self) -> io::Result<PluginStream> {
        Ok(PluginStream::Unix(self.accept().await?.0))
    }
}

impl Accept for TcpListener {
    async fn accept_stream(&self) -> io::Result<PluginStream> {
        let (stream, _) = self.accept().await?;
        let _ = stream.set_nodelay(true);
        Ok(PluginStream::Tcp(stream))
    }
}

/// The ports go-plugin's client allows when it says nothing
/// (`PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT`).
#[cfg_attr(not(windows), allow(dead_code))] // Windows' endpoint; tested everywhere
pub(crate) const DEFAULT_PORTS: RangeInclusive<u16> = 10000..=25000;

/// The port range Terraform gave, or go-plugin's default.
#[cfg_attr(not(windows), allow(dead_code))] // Windows' endpoint; tested everywhere
pub(crate) fn port_range(min: Option<&str>, max: Option<&str>) -> RangeInclusive<u16> {
    let parse = |v: Option<&str>, default: u16| {
        v.and_then(|v| v.trim().parse::<u16>().ok())
            .filter(|p| *p > 0)
            .unwrap_or(default)
    };
    let min = parse(min, *DEFAULT_PORTS.start());
    let max = parse(max, *DEFAULT_PORTS.end());
    if min <= max {
        min..=max
    } else {
        DEFAULT_PORTS
    }
}

/// A TCP port on 127.0.0.1, the first free one of a range: how go-plugin
/// serves on Windows, which has no unix sockets in its API. Other local
/// users can connect to it; AutoMTLS with the pinned client certificate is
/// what keeps them out.
#[cfg_attr(not(windows), allow(dead_code))] // Windows' endpoint; tested everywhere
pub(crate) struct LoopbackPort {
    listener: std::sync::Mutex<Option<std::net::TcpListener>>,
    address: std::net::SocketAddr,
}

#[cfg_attr(not(windows), allow(dead_code))] // Windows' endpoint; tested everywhere
impl LoopbackPort {
    /// Binds the first free port of `ports` on 127.0.0.1.
    pub(crate) fn create(ports: RangeInclusive<u16>) -> io::Result<Self> {
        let (first, last) = (*ports.start(), *ports.end());
        for port in ports {
            match std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)) {
                Ok(listener) => {
                    let address = listener.local_addr()?;
                    listener.set_nonblocking(true)?;
                    return Ok(Self {
                        listener: std::sync::Mutex::new(Some(listener)),
                        address,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!("no free port on 127.0.0.1 between {first} and {last}"),
        ))
    }
}

impl PluginEndpoint for LoopbackPort {
    type Listener = TcpListener;

    fn network(&self) -> &'static str {
        "tcp"
    }

    fn address(&self) -> String {
        self.address.to_string()
    }

    fn bind(&self) -> io::Result<TcpListener> {
        let listener = self
            .listener
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| io::Error::other("the loopback port is already listening"))?;
        TcpListener::from_std(listener)
    }
}

/// A unix socket inside a freshly created 0700 directory. Dropping it removes
/// both the socket and the directory.
#[cfg(unix)]
pub(crate) struct SocketDir {
    dir: PathBuf,
    socket: PathBuf,
}

#[cfg(unix)]
impl SocketDir {
    /// Creates the private directory under `PLUGIN_UNIX_SOCKET_DIR` (when set
    /// and non-empty), else `TMPDIR`, else `/dev/shm` when it is a
    /// directory (memory-backed: creating the directory and the socket there
    /// costs a tenth of what it does on a disk-backed `/tmp`, and this is on
    /// every provider start), else `/tmp`.
    pub(crate) fn create(parent: Option<&Path>) -> io::Result<Self> {
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
}

#[cfg(unix)]
impl PluginEndpoint for SocketDir {
    type Listener = UnixListener;

    fn network(&self) -> &'static str {
        "unix"
    }

    fn address(&self) -> String {
        self.socket.display().to_string()
    }

    fn bind(&self) -> io::Result<UnixListener> {
        use std::os::unix::fs::PermissionsExt;
        let listener = UnixListener::bind(&self.socket)?;
        // The private directory already keeps others out; the socket itself
        // is owner-only too, whatever the umask.
        std::fs::set_permissions(&self.socket, std::fs::Permissions::from_mode(0o600))?;
        Ok(listener)
    }
}

/// Where the socket directory goes when Terraform does not say.
#[cfg(unix)]
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

#[cfg(unix)]
impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.socket);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// One accepted connection, plaintext (debug mode / AutoMTLS off) or TLS.
pub(crate) enum PluginConnection {
    /// h2c.
    Plain(PluginStream),
    /// TLS with the pinned client certificate.
    Tls(Box<TlsStream<PluginStream>>),
}

/// Forwards to whichever socket it is.
macro_rules! either_stream {
    ($self:expr, $s:ident => $body:expr) => {
        match $self.get_mut() {
            #[cfg(unix)]
            PluginStream::Unix($s) => $body,
            PluginStream::Tcp($s) => $body,
        }
    };
}

impl AsyncRead for PluginStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        either_stream!(self, s => Pin::new(s).poll_read(cx, buf))
    }
}

impl AsyncWrite for PluginStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        either_stream!(self, s => Pin::new(s).poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        either_stream!(self, s => Pin::new(s).poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        either_stream!(self, s => Pin::new(s).poll_shutdown(cx))
    }
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
pub(crate) const TLS_HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Turns the listener into a stream of ready connections. TLS handshakes run
/// in their own tasks so a slow or hostile peer cannot stall other accepts; a
/// handshake that fails (wrong or missing client certificate) is logged and
/// the connection dropped.
pub(crate) fn incoming(
    listener: impl Accept,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> ReceiverStream<io::Result<PluginConnection>> {
    let (tx, rx) = mpsc::channel(16);
    let acceptor = tls.map(TlsAcceptor::from);
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                accepted = listener.accept_stream() => match accepted {
                    Ok(stream) => stream,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_range_is_terraforms_or_go_plugins_default() {
        assert_eq!(port_range(Some("20000"), Some("20010")), 20000..=20010);
        assert_eq!(port_range(None, None), DEFAULT_PORTS);
        assert_eq!(port_range(Some("x"), Some("0")), DEFAULT_PORTS);
        assert_eq!(port_range(Some("30000"), Some("20000")), DEFAULT_PORTS);
    }

    /// The Windows endpoint, which works on every platform: a free port of
    /// the range, skipping one in use, announced as `tcp` `127.0.0.1:PORT`,
    /// and serving the connections made to it.
    #[tokio::test]
    async fn a_loopback_port_takes_the_first_free_port_of_its_range_and_serves() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = taken.local_addr().expect("address").port();
        let Some(next) = port.checked_add(1) else {
            return;
        };
        let endpoint = match LoopbackPort::create(port..=next) {
            Ok(endpoint) => endpoint,
            // Someone else holds the next port too: nothing to check here.
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => return,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(endpoint.network(), "tcp");
        assert_eq!(endpoint.address(), format!("127.0.0.1:{next}"));
        let listener = endpoint.bind().expect("listen");
        assert!(endpoint.bind().is_err(), "a port listens once");
        let mut connections = incoming(listener, None);
        let mut client = TcpStream::connect(("127.0.0.1", next))
            .await
            .expect("connect");
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        use tokio_stream::StreamExt;
        let mut server = match connections.next().await {
            Some(Ok(PluginConnection::Plain(stream))) => stream,
            _ => panic!("no plaintext connection accepted"),
        };
        client.write_all(b"ping").await.expect("write");
        let mut got = [0u8; 4];
        server.read_exact(&mut got).await.expect("read");
        assert_eq!(&got, b"ping");

        let full = LoopbackPort::create(port..=port);
        assert_eq!(
            full.err().map(|e| e.kind()),
            Some(io::ErrorKind::AddrInUse),
            "a range with no free port is an error"
        );
        drop(taken);
    }
}
