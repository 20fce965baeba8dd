//! Building HTTP responses the way an AWS JSON 1.1 service sends them.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use super::error::ApiError;

/// Media type of every AWS JSON 1.1 request and response.
pub const AWS_JSON_1_1: &str = "application/x-amz-json-1.1";

/// The response body type of the emulator.
pub type Body = Full<Bytes>;

fn with_headers(
    status: StatusCode,
    content_type: &'static str,
    body: Bytes,
    request_id: &str,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-RequestId", id);
    }
    response
}

/// A 200 response; `None` gives the empty body AWS sends for operations without output.
pub fn success(output: Option<&Value>, request_id: &str) -> Response<Body> {
    let body = output
        .map(|v| Bytes::from(v.to_string()))
        .unwrap_or_default();
    with_headers(StatusCode::OK, AWS_JSON_1_1, body, request_id)
}

/// An error response: `{"__type": code, "Message": ...}` plus the `x-amzn-ErrorType` header.
pub fn error(err: &ApiError, request_id: &str) -> Response<Body> {
    let body = json!({ "__type": err.code, "Message": err.message }).to_string();
    let mut response = with_headers(err.status, AWS_JSON_1_1, Bytes::from(body), request_id);
    let headers = response.headers_mut();
    headers.insert("x-amzn-ErrorType", HeaderValue::from_static(err.code));
    if err.status == StatusCode::METHOD_NOT_ALLOWED {
        headers.insert(ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// An XML response, as STS (the Query protocol) sends them.
pub fn xml(status: StatusCode, body: String, request_id: &str) -> Response<Body> {
    with_headers(status, "text/xml", Bytes::from(body), request_id)
}

/// A plain JSON response for the inspection endpoints.
pub fn inspection(status: StatusCode, body: &Value, request_id: &str) -> Response<Body> {
    with_headers(
        status,
        "application/json",
        Bytes::from(body.to_string()),
        request_id,
    )
}
