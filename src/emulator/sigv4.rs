//! AWS Signature Version 4 verification for the `sso` signing name (and `sts`, for
//! AssumeRole).
//!
//! The emulator recomputes the signature from the request exactly as AWS does (canonical
//! request, string to sign, derived signing key) and compares it with the one sent, so a
//! client that signs wrongly fails here as it would against AWS.

use chrono::{DateTime, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use hyper::HeaderMap;
use sha2::{Digest, Sha256};

use super::config::Credential;
use super::error::ApiError;
use super::secret::Secret;

type HmacSha256 = Hmac<Sha256>;

/// The only algorithm the service accepts.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The signing name of SSO Admin.
pub const SERVICE: &str = "sso";
/// How far the signing time may be from the emulator's clock.
pub const MAX_CLOCK_SKEW_MINUTES: i64 = 15;

/// The parts of an HTTP request a signature covers.
pub struct SignedRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path as sent.
    pub path: &'a str,
    /// Raw query string (without `?`), empty when there is none.
    pub query: &'a str,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// Authority from the request line, used when no `Host` header exists (HTTP/2).
    pub authority: Option<&'a str>,
    /// Body bytes.
    pub body: &'a [u8],
}

/// The fields of an `Authorization` header.
#[derive(Debug, PartialEq, Eq)]
struct AuthorizationHeader {
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    terminator: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Result<AuthorizationHeader, ApiError> {
    let (algorithm, params) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if algorithm != ALGORITHM {
        return Err(ApiError::incomplete_signature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in params.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(ApiError::incomplete_signature(format!(
                "'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'."
            )));
        };
        match key.trim() {
            "Credential" => credential = Some(value.trim()),
            "SignedHeaders" => signed_headers = Some(value.trim()),
            "Signature" => signature = Some(value.trim()),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (name, present) in [
        ("Credential", credential.is_some()),
        ("Signature", signature.is_some()),
        ("SignedHeaders", signed_headers.is_some()),
    ] {
        if !present {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(ApiError::incomplete_signature(missing.join(" ")));
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope.as_slice() else {
        return Err(ApiError::incomplete_signature(format!(
            "Credential '{credential}' must have the form <access key>/<date>/<region>/<service>/aws4_request."
        )));
    };
    if access_key_id.is_empty() || region.is_empty() {
        return Err(ApiError::incomplete_signature(format!(
            "Credential '{credential}' is missing its access key or region."
        )));
    }
    let signed: Vec<String> = signed_headers.split(';').map(str::to_string).collect();
    if signed
        .iter()
        .any(|h| h.is_empty() || h.chars().any(|c| c.is_ascii_uppercase()))
    {
        return Err(ApiError::incomplete_signature(format!(
            "SignedHeaders '{signed_headers}' must be a ';'-separated list of lower-case header names."
        )));
    }
    // SigV4 defines SignedHeaders as the header names sorted and joined by ';', each once.
    // A list that is not in that canonical form is a malformed Authorization header, found
    // before any signature is computed, so it is the same 400 IncompleteSignature as the other
    // syntax faults above, not a signature mismatch.
    if signed.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(ApiError::incomplete_signature(format!(
            "SignedHeaders '{signed_headers}' must list each header name once, sorted in ascending order."
        )));
    }
    if signature.len() != 64
        || !signature
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(ApiError::incomplete_signature(
            "Signature must be 64 lower-case hexadecimal characters.",
        ));
    }
    Ok(AuthorizationHeader {
        access_key_id: access_key_id.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        terminator: terminator.to_string(),
        signed_headers: signed,
        signature: signature.to_string(),
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| collapse_spaces(&String::from_utf8_lossy(v.as_bytes())))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn uri_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn uri_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let digits = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(digits, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (uri_encode(&uri_decode(k)), uri_encode(&uri_decode(v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn canonical_request(req: &SignedRequest<'_>, signed_headers: &[String]) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let value = header_text(req.headers, name)
            .or_else(|| (name == "host").then(|| req.authority.unwrap_or_default().to_string()))
            .unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        req.path,
        canonical_query(req.query),
        canonical_headers,
        signed_headers.join(";"),
        hex::encode(Sha256::digest(req.body))
    )
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    // HMAC accepts keys of any length, so construction cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The SigV4 signing key for one day, region and service.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    hmac(&k_service, "aws4_request")
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn parse_amz_date(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc())
}

/// Which credential scopes the emulator accepts.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The region signatures must be scoped to; `None` accepts any region.
    pub region: Option<&'a str>,
    /// The signing name: [`SERVICE`], or `sts` for AssumeRole.
    pub service: &'a str,
}

/// Reject a signing time more than [`MAX_CLOCK_SKEW_MINUTES`] away from `now`, with AWS's
/// wording for each side: too old is "Signature expired", too new is "Signature not yet
/// current". AWS answers both with the same `RequestExpired` code.
fn check_clock_skew(
    amz_date: &str,
    signed_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let fmt = "%Y%m%dT%H%M%SZ";
    let window = chrono::Duration::minutes(MAX_CLOCK_SKEW_MINUTES);
    if signed_at < now - window {
        return Err(ApiError::request_expired(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - {MAX_CLOCK_SKEW_MINUTES} min.)",
            (now - window).format(fmt),
            now.format(fmt)
        )));
    }
    if signed_at > now + window {
        return Err(ApiError::request_expired(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + {MAX_CLOCK_SKEW_MINUTES} min.)",
            (now + window).format(fmt),
            now.format(fmt)
        )));
    }
    Ok(())
}

/// Check a request's signature against `credentials` at time `now`; the
/// credential that signed it.
pub fn verify<'c>(
    req: &SignedRequest<'_>,
    credentials: &'c [Credential],
    scope: Scope<'_>,
    now: DateTime<Utc>,
) -> Result<&'c Credential, ApiError> {
    let Some(raw) = req.headers.get(hyper::header::AUTHORIZATION) else {
        return Err(ApiError::missing_authentication());
    };
    let raw = raw
        .to_str()
        .map_err(|_| ApiError::incomplete_signature("Authorization header is not ASCII."))?;
    let auth = parse_authorization(raw)?;
    let Some(amz_date) = header_text(req.headers, "x-amz-date") else {
        return Err(ApiError::incomplete_signature(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let Some(signed_at) = parse_amz_date(&amz_date) else {
        return Err(ApiError::incomplete_signature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    for required in ["host", "x-amz-date"] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(ApiError::incomplete_signature(format!(
                "'{required}' must be a 'SignedHeader' in the AWS Authorization."
            )));
        }
    }
    if let Some(region) = scope.region {
        if auth.region != region {
            return Err(ApiError::invalid_signature(format!(
                "Credential should be scoped to a valid region, not '{}'.",
                auth.region
            )));
        }
    }
    if auth.service != scope.service {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{}'.",
            scope.service
        )));
    }
    if auth.terminator != "aws4_request" {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            auth.terminator
        )));
    }
    if !amz_date.starts_with(&auth.date) || auth.date.len() != 8 {
        return Err(ApiError::invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from 'X-Amz-Date'.",
            auth.date,
            amz_date.get(..8).unwrap_or(&amz_date)
        )));
    }
    check_clock_skew(&amz_date, signed_at, now)?;
    let Some(credential) = credentials
        .iter()
        .find(|c| c.access_key_id == auth.access_key_id)
    else {
        return Err(ApiError::unrecognized_client());
    };
    // A session token must be exactly the one issued with the key, and a key issued without
    // one (a long-term key) must not carry one: AWS rejects both as an unknown token.
    let session_token = header_text(req.headers, "x-amz-security-token");
    if session_token.as_deref() != credential.session_token.as_ref().map(Secret::expose) {
        return Err(ApiError::unrecognized_client());
    }
    if session_token.is_some()
        && !auth
            .signed_headers
            .iter()
            .any(|h| h == "x-amz-security-token")
    {
        return Err(ApiError::incomplete_signature(
            "'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization when present.",
        ));
    }
    // A header named in SignedHeaders but absent from the request cannot have been signed as
    // sent: AWS canonicalises what arrived, the signatures differ, and it answers 403
    // InvalidSignatureException (the header list itself is well-formed, so this is not an
    // IncompleteSignature).
    if let Some(absent) = auth.signed_headers.iter().find(|name| {
        req.headers.get(name.as_str()).is_none() && !(*name == "host" && req.authority.is_some())
    }) {
        return Err(ApiError::invalid_signature(format!(
            "The request signature we calculated does not match the signature you provided. Header '{absent}' is listed in SignedHeaders but is not present in the request."
        )));
    }
    let canonical = canonical_request(req, &auth.signed_headers);
    let scope = format!(
        "{}/{}/{}/{}",
        auth.date, auth.region, auth.service, auth.terminator
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = signing_key(
        credential.secret_access_key.expose(),
        &auth.date,
        &auth.region,
        &auth.service,
    );
    let expected = hex::encode(hmac(&key, &string_to_sign));
    if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        // The canonical string carries the session token: it goes to the
        // client and into logs, so the token's value is left out.
        let canonical = redact_security_token(&canonical);
        return Err(ApiError::invalid_signature(format!(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
        )));
    }
    Ok(credential)
}

/// A canonical request with the `x-amz-security-token` header's value
/// replaced.
fn redact_security_token(canonical: &str) -> String {
    canonical
        .lines()
        .map(|line| match line.strip_prefix("x-amz-security-token:") {
            Some(_) => "x-amz-security-token:<redacted>",
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_strings_in_messages_leave_the_session_token_out() {
        let canonical =
            "POST\n/\n\nhost:h\nx-amz-security-token:SECRET\n\nhost;x-amz-security-token\nabc";
        let shown = redact_security_token(canonical);
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            shown.contains("x-amz-security-token:<redacted>\n\nhost;"),
            "{shown}"
        );
    }

    #[test]
    fn signing_key_matches_the_aws_documentation_example() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn authorization_header_fields_are_read() {
        let sig = "a".repeat(64);
        let h = parse_authorization(&format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sso/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}"
        ))
        .unwrap();
        assert_eq!(h.access_key_id, "AKID");
        assert_eq!(h.region, "eu-west-1");
        assert_eq!(h.signed_headers, vec!["host", "x-amz-date"]);
    }

    #[test]
    fn malformed_authorization_headers_are_incomplete_signatures() {
        for bad in [
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sso/aws4_request",
            "Basic dXNlcjpwYXNz",
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/sso/aws4_request, SignedHeaders=host, Signature=00",
        ] {
            assert_eq!(parse_authorization(bad).unwrap_err().code, "IncompleteSignature", "{bad}");
        }
    }

    #[test]
    fn signed_headers_must_be_sorted_and_unique() {
        let sig = "a".repeat(64);
        for list in ["x-amz-date;host", "host;host;x-amz-date"] {
            let err = parse_authorization(&format!(
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sso/aws4_request, SignedHeaders={list}, Signature={sig}"
            ))
            .unwrap_err();
            assert_eq!(err.code, "IncompleteSignature", "{list}");
        }
    }

    #[test]
    fn clock_skew_is_worded_by_its_direction() {
        let now = parse_amz_date("20240101T120000Z").unwrap();
        let past = parse_amz_date("20240101T114400Z").unwrap();
        let future = parse_amz_date("20240101T121600Z").unwrap();
        let err = check_clock_skew("20240101T114400Z", past, now).unwrap_err();
        assert_eq!(err.code, "RequestExpired");
        assert_eq!(
            err.message,
            "Signature expired: 20240101T114400Z is now earlier than 20240101T114500Z (20240101T120000Z - 15 min.)"
        );
        let err = check_clock_skew("20240101T121600Z", future, now).unwrap_err();
        assert_eq!(err.code, "RequestExpired");
        assert_eq!(
            err.message,
            "Signature not yet current: 20240101T121600Z is still later than 20240101T121500Z (20240101T120000Z + 15 min.)"
        );
        assert!(
            check_clock_skew("20240101T121500Z", now + chrono::Duration::minutes(15), now).is_ok()
        );
    }

    #[test]
    fn query_strings_are_canonicalised() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=x%20y"), "a=x%20y&b=2");
    }
}
