//! The go-plugin handshake: magic cookie, protocol negotiation and the single
//! line the plugin prints on stdout to tell Terraform where to connect.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;

/// Environment variable carrying Terraform's magic cookie.
pub(crate) const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The cookie value Terraform sets for every provider it launches.
pub(crate) const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's core protocol version; the first handshake field.
pub(crate) const CORE_PROTOCOL_VERSION: u32 = 1;
/// The only Terraform plugin protocol this provider speaks.
pub(crate) const PROTOCOL_VERSION: u32 = 6;

/// What go-plugin servers print when started by hand instead of by Terraform.
pub(crate) const NOT_A_PLUGIN_MESSAGE: &str =
    "This binary is a plugin. These are not meant to be executed directly.\n\
Please execute the program that consumes these plugins, which will\n\
load any plugins automatically\n";

/// Why the process refused to start as a plugin.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum HandshakeError {
    /// Started without Terraform's magic cookie (e.g. run by hand).
    #[error("{NOT_A_PLUGIN_MESSAGE}")]
    MissingCookie,
    /// Terraform did not offer plugin protocol 6.
    #[error(
        "this provider speaks Terraform plugin protocol 6 only, but the client offered \
         protocol versions [{offered}]; use Terraform 1.0 or later"
    )]
    UnsupportedProtocol {
        /// The raw `PLUGIN_PROTOCOL_VERSIONS` value.
        offered: String,
    },
}

/// Checks the magic cookie Terraform puts in the environment.
pub(crate) fn check_cookie(value: Option<&str>) -> Result<(), HandshakeError> {
    match value {
        Some(v) if v == MAGIC_COOKIE_VALUE => Ok(()),
        _ => Err(HandshakeError::MissingCookie),
    }
}

/// Picks protocol 6 from the comma-separated `PLUGIN_PROTOCOL_VERSIONS` list.
///
/// go-plugin would print its lowest version and let the client fail; a clear
/// error here is kinder, since 6 is the only version we could ever speak.
pub(crate) fn negotiate_protocol(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let raw = offered.unwrap_or("");
    let has_six = raw
        .split(',')
        .any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
    if has_six {
        Ok(PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::UnsupportedProtocol {
            offered: raw.to_string(),
        })
    }
}

/// Formats the handshake line `1|6|unix|PATH|grpc|CERT` (without newline).
///
/// The certificate is the server leaf in DER, base64 with the standard
/// alphabet and no padding: go-plugin decodes it with `RawStdEncoding`.
pub(crate) fn handshake_line(
    network: &str,
    address: &str,
    server_cert_der: Option<&[u8]>,
) -> String {
    let cert = server_cert_der
        .map(|der| STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|{network}|{address}|grpc|{cert}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert!(check_cookie(Some(MAGIC_COOKIE_VALUE)).is_ok());
        assert_eq!(check_cookie(None), Err(HandshakeError::MissingCookie));
        assert_eq!(check_cookie(Some("x")), Err(HandshakeError::MissingCookie));
    }

    #[test]
    fn protocol_six_is_found_in_any_order() {
        assert_eq!(negotiate_protocol(Some("5,6")), Ok(6));
        assert_eq!(negotiate_protocol(Some("6,5")), Ok(6));
        assert_eq!(negotiate_protocol(Some(" 6 ")), Ok(6));
    }

    #[test]
    fn protocol_without_six_is_refused() {
        assert!(negotiate_protocol(Some("5")).is_err());
        assert!(negotiate_protocol(Some("56")).is_err());
        assert!(negotiate_protocol(None).is_err());
    }

    #[test]
    fn handshake_line_has_unpadded_cert() {
        let line = handshake_line("unix", "/tmp/p/plugin.sock", Some(&[1, 2, 3, 4]));
        assert_eq!(line, "1|6|unix|/tmp/p/plugin.sock|grpc|AQIDBA");
        let plain = handshake_line("unix", "/s", None);
        assert_eq!(plain, "1|6|unix|/s|grpc|");
    }
}
