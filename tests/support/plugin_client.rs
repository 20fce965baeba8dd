//! A go-plugin style client for tests: launches the provider binary the way
//! Terraform does, reads the handshake, and connects over the unix socket
//! with (optionally) mutual TLS.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tonic::transport::{Channel, Endpoint};

pub const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-identitycenter"))
}

/// A client certificate like the one Terraform generates: self-signed,
/// CA-flagged, ECDSA P-521 with SHA-512.
pub struct ClientIdentity {
    pub cert_der: CertificateDer<'static>,
    pub cert_pem: String,
    pub key_der: Vec<u8>,
}

pub fn terraform_like_client_cert() -> ClientIdentity {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose, PKCS_ECDSA_P521_SHA512,
    };
    let key = KeyPair::generate_for(&PKCS_ECDSA_P521_SHA512).expect("p521 key");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "HashiCorp");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).expect("self-signed");
    ClientIdentity {
        cert_der: cert.der().clone(),
        cert_pem: cert.pem(),
        key_der: key.serialize_der(),
    }
}

/// A launched provider process.
pub struct Launched {
    pub child: Child,
    pub stdout: BufReader<ChildStdout>,
    pub handshake: String,
    pub startup: Duration,
    /// Everything the process wrote to stderr so far (its log).
    pub stderr: Arc<std::sync::Mutex<String>>,
}

impl Launched {
    pub fn fields(&self) -> Vec<&str> {
        self.handshake.trim_end().split('|').collect()
    }

    pub fn socket(&self) -> PathBuf {
        PathBuf::from(self.fields()[3])
    }

    pub fn server_cert(&self) -> Option<CertificateDer<'static>> {
        let field = self.fields()[5];
        if field.is_empty() {
            return None;
        }
        let der = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(field)
            .expect("handshake cert must be unpadded base64");
        Some(CertificateDer::from(der))
    }

    /// Whether the process has logged `text` to stderr.
    pub fn logged(&self, text: &str) -> bool {
        self.stderr.lock().is_ok_and(|all| all.contains(text))
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the provider with Terraform's environment plus `extra_env`.
pub fn launch(client_cert_pem: Option<&str>, extra_env: &[(&str, &str)]) -> Launched {
    let mut cmd = Command::new(provider_binary());
    cmd.env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(pem) = client_cert_pem {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn provider");
    let stderr = Arc::new(std::sync::Mutex::new(String::new()));
    let mut pipe = BufReader::new(child.stderr.take().expect("stderr"));
    let sink = stderr.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while pipe.read_line(&mut line).is_ok_and(|n| n > 0) {
            if let Ok(mut all) = sink.lock() {
                all.push_str(&line);
            }
            line.clear();
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut handshake = String::new();
    stdout.read_line(&mut handshake).expect("read handshake");
    let startup = start.elapsed();
    Launched {
        child,
        stdout,
        handshake,
        startup,
        stderr,
    }
}

/// Trusts exactly one server certificate, as go-plugin's client does (it
/// makes the handshake certificate its only root).
#[derive(Debug)]
struct PinnedServer(CertificateDer<'static>);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("server certificate mismatch".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        algorithms().supported_schemes()
    }
}

/// Presents one certificate and key, whatever the server asks for.
#[derive(Debug)]
struct Presenting(Arc<rustls::sign::CertifiedKey>);

impl rustls::client::ResolvesClientCert for Presenting {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

fn algorithms() -> rustls::crypto::WebPkiSupportedAlgorithms {
    rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms
}

/// Connects to the launched provider. `client` = the certificate to present
/// (None = present none). Returns the channel and the negotiated ALPN.
pub async fn connect(
    launched: &Launched,
    client: Option<&ClientIdentity>,
) -> Result<(Channel, Option<Vec<u8>>), Box<dyn std::error::Error + Send + Sync>> {
    connect_offering(launched, client, rustls::DEFAULT_VERSIONS).await
}

/// [`connect`], offering only the TLS `versions` given.
pub async fn connect_offering(
    launched: &Launched,
    client: Option<&ClientIdentity>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<(Channel, Option<Vec<u8>>), Box<dyn std::error::Error + Send + Sync>> {
    let socket = launched.socket();
    let server_cert = launched.server_cert();
    let alpn = Arc::new(std::sync::Mutex::new(None));
    let alpn_out = alpn.clone();
    let tls = server_cert.map(|cert| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .expect("versions")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedServer(cert)));
        // The certificate and key are presented as given, even when they
        // do not belong together (rustls' own setter would refuse that).
        let mut config = match client {
            Some(id) => {
                let key = rustls::crypto::aws_lc_rs::default_provider()
                    .key_provider
                    .load_private_key(PrivateKeyDer::Pkcs8(id.key_der.clone().into()))
                    .expect("client key");
                let certified = rustls::sign::CertifiedKey::new(vec![id.cert_der.clone()], key);
                builder.with_client_cert_resolver(Arc::new(Presenting(Arc::new(certified))))
            }
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        tokio_rustls::TlsConnector::from(Arc::new(config))
    });
    let channel = Endpoint::from_static("http://localhost")
        .connect_timeout(Duration::from_secs(5))
        .connect_with_connector(tower::service_fn(move |_: tonic::transport::Uri| {
            let socket = socket.clone();
            let tls = tls.clone();
            let alpn = alpn.clone();
            async move {
                let unix = tokio::net::UnixStream::connect(&socket).await?;
                match tls {
                    None => {
                        Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(Conn::Plain(unix)))
                    }
                    Some(connector) => {
                        let name = ServerName::try_from("localhost").expect("name");
                        let stream = connector.connect(name, unix).await?;
                        *alpn.lock().expect("alpn") =
                            stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
                        Ok(hyper_util::rt::TokioIo::new(Conn::Tls(Box::new(stream))))
                    }
                }
            }
        }))
        .await?;
    let negotiated = alpn_out.lock().expect("alpn").clone();
    Ok((channel, negotiated))
}

/// Plain or TLS client stream.
enum Conn {
    Plain(tokio::net::UnixStream),
    Tls(Box<tokio_rustls::client::TlsStream<tokio::net::UnixStream>>),
}

impl tokio::io::AsyncRead for Conn {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => std::pin::Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl tokio::io::AsyncWrite for Conn {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => std::pin::Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => std::pin::Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => std::pin::Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => std::pin::Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
