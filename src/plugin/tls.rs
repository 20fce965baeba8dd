//! AutoMTLS: the server certificate we generate per launch, and a client
//! certificate verifier pinned to the exact certificate Terraform passed in
//! `PLUGIN_CLIENT_CERT`.
//!
//! Terraform's client certificate is a self-signed, CA-flagged P-521 cert used
//! as an end entity. Stock WebPKI verification rejects it (CA used as end
//! entity), so we compare DER bytes instead: only the one certificate this
//! Terraform process generated is accepted, and the client must present it.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

/// Failures while setting up TLS; each ends the plugin before the handshake.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TlsSetupError {
    /// `PLUGIN_CLIENT_CERT` held no parseable PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not contain a PEM certificate: {0}")]
    ClientCertPem(String),
    /// Generating our own certificate failed.
    #[error("generating the server certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("building the TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A freshly generated server identity.
pub(crate) struct ServerIdentity {
    /// Leaf certificate, DER; printed in the handshake line.
    pub cert_der: CertificateDer<'static>,
    key_der: PrivateKeyDer<'static>,
}

/// Generates a self-signed server certificate the way go-plugin does: SAN and
/// CN `localhost`, usable for server and client auth, valid from 30 s ago.
///
/// Terraform trusts exactly this certificate (it becomes the only root), so it
/// is marked as a CA like go-plugin's own. P-256 keeps generation fast.
/// `organization` names the plugin in the certificate's subject.
pub(crate) fn generate_server_identity(
    organization: &str,
) -> Result<ServerIdentity, TlsSetupError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName as Dn, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    };
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
    let mut dn = Dn::new();
    dn.push(DnType::CommonName, "localhost");
    dn.push(DnType::OrganizationName, organization);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = std::time::SystemTime::now();
    params.not_before = (now - std::time::Duration::from_secs(30)).into();
    params.not_after = (now + std::time::Duration::from_secs(60 * 60 * 24 * 365 * 30)).into();
    let cert = params.self_signed(&key)?;
    Ok(ServerIdentity {
        cert_der: cert.der().clone(),
        key_der: PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    })
}

/// Parses the PEM certificate Terraform passes in `PLUGIN_CLIENT_CERT`.
pub(crate) fn parse_client_cert(pem: &str) -> Result<CertificateDer<'static>, TlsSetupError> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| TlsSetupError::ClientCertPem(e.to_string()))
}

/// Accepts exactly one client certificate, byte for byte.
#[derive(Debug)]
pub(crate) struct PinnedClientCert {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCert {
    /// Pins `expected`; signatures are checked with aws-lc-rs, which covers
    /// ECDSA P-521/SHA-512 as used by Terraform.
    pub(crate) fn new(expected: CertificateDer<'static>) -> Self {
        Self {
            expected,
            algorithms: rustls::crypto::aws_lc_rs::default_provider()
                .signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for PinnedClientCert {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    // No CA names: Go's TLS client would otherwise withhold a certificate whose
    // issuer is not listed.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Builds the rustls server configuration: TLS 1.3 only, ALPN `h2`
/// (Terraform's grpc-go refuses servers that do not negotiate it), mandatory
/// pinned client certificate. Every Terraform speaks TLS 1.3 to its plugins
/// (Go's client has offered it since 1.13, before Terraform 1.0), so TLS 1.2,
/// with its weaker handshake, would only serve a client that is not
/// Terraform.
pub(crate) fn server_config(
    identity: &ServerIdentity,
    client_cert: CertificateDer<'static>,
) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    // Key exchange: X25519, or P-256 for clients without it. The default
    // list leads with the post-quantum hybrid X25519MLKEM768, which costs an
    // ML-KEM encapsulation on every provider start and protects nothing
    // here: the connection is a unix socket between two processes of one
    // user, and keys live only as long as the process.
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider.kx_groups = vec![
        rustls::crypto::aws_lc_rs::kx_group::X25519,
        rustls::crypto::aws_lc_rs::kx_group::SECP256R1,
    ];
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(Arc::new(PinnedClientCert::new(client_cert)))
        .with_single_cert(
            vec![identity.cert_der.clone()],
            identity.key_der.clone_key(),
        )?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_verifier_accepts_only_the_pinned_der() {
        let a = generate_server_identity("test-plugin").expect("identity a");
        let b = generate_server_identity("test-plugin").expect("identity b");
        let v = PinnedClientCert::new(a.cert_der.clone());
        let now = UnixTime::now();
        assert!(v.verify_client_cert(&a.cert_der, &[], now).is_ok());
        assert!(v.verify_client_cert(&b.cert_der, &[], now).is_err());
        assert!(v.client_auth_mandatory());
        assert!(v.root_hint_subjects().is_empty());
    }

    #[test]
    fn verifier_offers_p521_signatures() {
        let v = PinnedClientCert::new(CertificateDer::from(vec![0u8]));
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn client_cert_pem_round_trips() {
        let id = generate_server_identity("test-plugin").expect("identity");
        let pem = pem_encode(&id.cert_der);
        let parsed = parse_client_cert(&pem).expect("parse");
        assert_eq!(parsed.as_ref(), id.cert_der.as_ref());
        assert!(parse_client_cert("not a pem").is_err());
    }

    fn pem_encode(der: &[u8]) -> String {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for chunk in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }
}
