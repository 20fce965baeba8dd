//! The per-request pipeline of the AWS endpoint.
//!
//! Order of checks, as an AWS front end applies them: path and method, body size, SigV4
//! signature, `X-Amz-Target`, content type, JSON syntax; then added latency, arrival faults
//! (rate limit, throttling, server errors), and finally the operation itself, which validates
//! its input before it touches state.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Map, Value};

use super::backend::Backend;
use super::error::ApiError;
use super::ids;
use super::inspect;
use super::operation::Operation;
use super::operations;
use super::scripted::ScriptedEffect;
use super::sigv4::{self, SignedRequest};
use super::sts;
use super::wire::{self, Body, AWS_JSON_1_1};

/// Largest request body accepted.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long a request's body may take to arrive once its headers have (the
/// headers have their own limit, in server.rs). A client that stops sending
/// mid-body would otherwise hold its connection, and one of the limited
/// connection slots, for ever. Over loopback a full 1 MiB body takes
/// milliseconds.
pub const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Serve one HTTP request.
pub async fn handle(
    backend: Arc<Backend>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let request_id = ids::uuid_v4();
    if let Err(why) = from_this_machine(&req) {
        return Ok(wire::error(&ApiError::forbidden(why), &request_id));
    }
    if inspect::is_inspection_path(req.uri().path()) {
        let path = req.uri().path().to_string();
        return Ok(inspect::handle(
            &backend,
            req.method(),
            &path,
            req.headers(),
            &request_id,
        ));
    }
    backend.stats().request();
    if is_query_protocol(&req) {
        return Ok(sts_call(&backend, req, &request_id).await);
    }
    let outcome = aws_call(&backend, req).await;
    let response = match outcome {
        Ok(output) => {
            backend.stats().success();
            wire::success(output.as_ref(), &request_id)
        }
        Err(err) => {
            backend.stats().error(err.code);
            tracing::debug!(request_id, code = err.code, message = %err.message, "request failed");
            let mut response = wire::error(&err, &request_id);
            if err.status == hyper::StatusCode::REQUEST_TIMEOUT {
                // The rest of the body may still come: this connection can
                // carry no further request.
                response.headers_mut().insert(
                    hyper::header::CONNECTION,
                    hyper::header::HeaderValue::from_static("close"),
                );
            }
            response
        }
    };
    Ok(response)
}

/// Refuses what a web page could send: a request addressed to another host
/// name (a DNS-rebinding page reaches 127.0.0.1 under its own name) or
/// carrying a browser's `Origin`. SDKs and curl send neither.
fn from_this_machine(req: &Request<Incoming>) -> Result<(), String> {
    if req.headers().contains_key(hyper::header::ORIGIN) {
        return Err("Requests from web pages (with an Origin header) are refused.".into());
    }
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host.as_str(), |(name, _)| name);
    match name {
        "127.0.0.1" | "localhost" => Ok(()),
        other => Err(format!(
            "The emulator only answers requests addressed to 127.0.0.1 or localhost, not {other:?}."
        )),
    }
}

async fn aws_call(backend: &Backend, req: Request<Incoming>) -> Result<Option<Value>, ApiError> {
    let (parts, body) = req.into_parts();
    if parts.uri.path() != "/" {
        return Err(ApiError::path_not_found(format!(
            "No operation is served at path {}; AWS JSON requests are POSTed to /",
            parts.uri.path()
        )));
    }
    if parts.method != Method::POST {
        return Err(ApiError::method_not_allowed(format!(
            "Method {} is not allowed; AWS JSON requests use POST",
            parts.method
        )));
    }
    let bytes = tokio::time::timeout(BODY_READ_TIMEOUT, read_body(body))
        .await
        .map_err(|_| {
            ApiError::request_timeout(format!(
                "The request body did not arrive within {} s of its headers",
                BODY_READ_TIMEOUT.as_secs()
            ))
        })??;
    let signer = authenticate(backend, &parts, &bytes, sigv4::SERVICE)?;
    let op = target(&parts)?;
    check_content_type(&parts)?;
    let input = parse_json_object(&bytes)?;
    backend.stats().call(op);
    if backend.is_session_key(&signer) {
        backend.stats().call_as_assumed_role();
    }
    tracing::debug!(operation = op.name(), "call");

    let latency = backend.draw_latency();
    if !latency.is_zero() {
        let _delayed = Delayed::start(backend);
        tokio::time::sleep(latency).await;
    }
    let invocation = parts
        .headers
        .get("amz-sdk-invocation-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let call = backend.arrive(op, invocation)?;
    match backend.scripted(op) {
        None => {
            let result = operations::dispatch(op, &call, &input);
            if result.is_ok() {
                backend.stats().succeeded(op);
            }
            result
        }
        Some(scripted) => match scripted.effect {
            ScriptedEffect::RepeatToken => {
                let mut output = operations::dispatch(op, &call, &input)?;
                let sent = input.get("NextToken").and_then(Value::as_str);
                if let (Some(Value::Object(out)), Some(sent)) = (&mut output, sent) {
                    out.insert("NextToken".into(), Value::String(sent.to_string()));
                }
                Ok(output)
            }
            effect => {
                if scripted.after_applying {
                    // The call takes effect; its answer is the scripted error.
                    let _ = operations::dispatch(op, &call, &input);
                }
                match effect {
                    ScriptedEffect::Error(error) => Err(error),
                    // Accepted and never answered: the client gives up first.
                    _ => std::future::pending().await,
                }
            }
        },
    }
}

/// Counts a call as delayed while it waits out its injected latency, also
/// when the client gives up mid-way.
struct Delayed<'b>(&'b Backend);

impl<'b> Delayed<'b> {
    fn start(backend: &'b Backend) -> Self {
        backend.stats().delay_started();
        Self(backend)
    }
}

impl Drop for Delayed<'_> {
    fn drop(&mut self) {
        self.0.stats().delay_ended();
    }
}

async fn read_body(body: Incoming) -> Result<Bytes, ApiError> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(
            ApiError::payload_too_large(format!("Request body exceeds {MAX_BODY_BYTES} bytes")),
        ),
        Err(e) => Err(ApiError::serialization(format!(
            "Could not read the request body: {e}"
        ))),
    }
}

/// Checks the signature, made for `service`; the access key id that made it.
fn authenticate(
    backend: &Backend,
    parts: &Parts,
    body: &[u8],
    service: &str,
) -> Result<String, ApiError> {
    let request = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &parts.headers,
        authority: parts.uri.authority().map(|a| a.as_str()),
        body,
    };
    let config = backend.config();
    let scope = sigv4::Scope {
        region: (!config.any_region).then_some(config.region.as_str()),
        service,
    };
    let now = chrono::Utc::now();
    let credentials = backend.credentials_at(now);
    match sigv4::verify(&request, &credentials, scope, now) {
        Ok(credential) => Ok(credential.access_key_id.clone()),
        Err(e) => {
            backend.stats().auth_failure();
            Err(e)
        }
    }
}

/// A form-encoded request: the Query protocol STS speaks, not AWS JSON.
fn is_query_protocol(req: &Request<Incoming>) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(sts::FORM))
}

/// An STS call: AssumeRole, answered in XML.
async fn sts_call(backend: &Backend, req: Request<Incoming>, request_id: &str) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let answer = async {
        if parts.uri.path() != "/" || parts.method != Method::POST {
            return Err(sts::StsError::from_code(
                "InvalidAction",
                "STS requests are POSTed to /",
            ));
        }
        let bytes = read_body(body)
            .await
            .map_err(|e| sts::StsError::from_code("MalformedInput", &e.message))?;
        authenticate(backend, &parts, &bytes, sts::SERVICE)
            .map_err(|e| sts::from_signature_error(e.code, e.message))?;
        let (session, xml) = sts::assume_role(
            &bytes,
            &backend.config().assumable_roles,
            chrono::Utc::now(),
        )?;
        backend.remember_session(session);
        Ok(xml)
    };
    match answer.await {
        Ok(xml) => {
            backend.stats().success();
            wire::xml(StatusCode::OK, xml, request_id)
        }
        Err(e) => {
            backend.stats().error(e.code);
            wire::xml(e.status, e.to_xml(request_id), request_id)
        }
    }
}

fn target(parts: &Parts) -> Result<Operation, ApiError> {
    let Some(raw) = parts.headers.get("x-amz-target") else {
        return Err(ApiError::unknown_operation(
            "Missing X-Amz-Target header; it names the operation to call",
        ));
    };
    let text = String::from_utf8_lossy(raw.as_bytes());
    Operation::from_target(text.trim())
        .ok_or_else(|| ApiError::unknown_operation(format!("Operation {text} is not supported.")))
}

fn check_content_type(parts: &Parts) -> Result<(), ApiError> {
    let value = parts
        .headers
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let media_type = value
        .as_deref()
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media_type.as_deref() == Some(AWS_JSON_1_1) {
        Ok(())
    } else {
        Err(ApiError::serialization(format!(
            "Unsupported Content-Type {}; expected {AWS_JSON_1_1}",
            value.as_deref().unwrap_or("(none)")
        )))
    }
}

fn parse_json_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::serialization(
            "The request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::serialization(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_must_be_json_objects() {
        assert!(parse_json_object(b"").unwrap().is_empty());
        assert!(parse_json_object(b" {\"a\":1} ").is_ok());
        assert_eq!(
            parse_json_object(b"[1]").unwrap_err().code,
            "SerializationException"
        );
        assert_eq!(
            parse_json_object(b"{").unwrap_err().code,
            "SerializationException"
        );
    }
}
