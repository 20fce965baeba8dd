//! Test-only endpoints: `GET /_state`, `GET /_stats`, `POST /_reset`.
//!
//! They need no signature and never see injected faults, so tests can always look inside;
//! but they show and reset everything, so they require `Authorization: Bearer <token>`
//! with the token the emulator printed at start (or was given): another local process
//! cannot read or wipe a test's state.

use hyper::header::AUTHORIZATION;
use hyper::{HeaderMap, Method, Response, StatusCode};
use serde_json::json;

use super::backend::Backend;
use super::wire::{self, Body};

/// True for paths served here rather than by the AWS protocol handler.
pub fn is_inspection_path(path: &str) -> bool {
    path.starts_with("/_")
}

/// Answer one inspection request.
pub fn handle(
    backend: &Backend,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    request_id: &str,
) -> Response<Body> {
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let authorised = presented.is_some_and(|token| {
        super::sigv4::constant_time_eq(token.as_bytes(), backend.inspection_token().as_bytes())
    });
    if !authorised {
        return wire::inspection(
            StatusCode::UNAUTHORIZED,
            &json!({ "error": "inspection endpoints need Authorization: Bearer <the inspection-token the emulator printed at start>" }),
            request_id,
        );
    }
    match (path, method) {
        ("/_state", &Method::GET) => {
            wire::inspection(StatusCode::OK, &backend.state_json(), request_id)
        }
        ("/_stats", &Method::GET) => {
            wire::inspection(StatusCode::OK, &backend.stats_json(), request_id)
        }
        ("/_reset", &Method::POST) => {
            backend.reset();
            wire::inspection(StatusCode::OK, &json!({ "reset": true }), request_id)
        }
        ("/_state" | "/_stats" | "/_reset", _) => {
            let allowed = if path == "/_reset" { "POST" } else { "GET" };
            let mut response = wire::inspection(
                StatusCode::METHOD_NOT_ALLOWED,
                &json!({ "error": format!("{path} only answers {allowed}") }),
                request_id,
            );
            response.headers_mut().insert(
                hyper::header::ALLOW,
                hyper::header::HeaderValue::from_static(allowed),
            );
            response
        }
        _ => wire::inspection(
            StatusCode::NOT_FOUND,
            &json!({ "error": format!("no inspection endpoint at {path}; try /_state, /_stats or /_reset") }),
            request_id,
        ),
    }
}
