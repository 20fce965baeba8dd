//! The AWS JSON 1.1 transport: routing, content type, JSON syntax, response headers, and the
//! test-only inspection endpoints.

use identitycenter::emulator::{Credential, DEMO_ACCESS_KEY_ID};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn an_unknown_target_is_an_unknown_operation() {
    let emu = emulator().await;
    let response = call(&emu.endpoint(), "CreatePermissionSet", "{}").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type(), "UnknownOperationException");
}

#[tokio::test]
async fn a_missing_target_is_an_unknown_operation() {
    let emu = emulator().await;
    let signing = Signing {
        omit_target: true,
        ..Signing::default()
    };
    let headers = signed_headers(&emu.endpoint(), "", b"{}", &signing);
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type(), "UnknownOperationException");
}

#[tokio::test]
async fn only_post_to_the_root_path_reaches_operations() {
    let emu = emulator().await;
    let get = raw(&emu.endpoint(), "GET", "/", &[], b"").await;
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));
    let elsewhere = raw(&emu.endpoint(), "POST", "/v1/grants", &[], b"{}").await;
    assert_eq!(elsewhere.status, 404);
    assert!(elsewhere.header("x-amzn-RequestId").is_some());
}

#[tokio::test]
async fn malformed_json_is_a_serialization_error() {
    let emu = emulator().await;
    let response = call(&emu.endpoint(), "ListInstances", "{\"MaxResults\": ").await;
    assert_eq!(response.status, 400);
    assert_eq!(response.error_type(), "SerializationException");
}

#[tokio::test]
async fn a_wrong_content_type_is_rejected() {
    let emu = emulator().await;
    for content_type in ["application/json", "text/plain"] {
        let signing = Signing {
            content_type,
            ..Signing::default()
        };
        let headers = signed_headers(
            &emu.endpoint(),
            "SWBExternalService.ListInstances",
            b"{}",
            &signing,
        );
        let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
        assert_eq!(response.status, 400, "{content_type}");
        assert_eq!(response.error_type(), "SerializationException");
    }
    let signing = Signing {
        content_type: "application/x-amz-json-1.1; charset=utf-8",
        ..Signing::default()
    };
    let headers = signed_headers(
        &emu.endpoint(),
        "SWBExternalService.ListInstances",
        b"{}",
        &signing,
    );
    assert_eq!(
        raw(&emu.endpoint(), "POST", "/", &headers, b"{}")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_the_json_content_type() {
    let emu = emulator().await;
    let ok = call(&emu.endpoint(), "ListInstances", "{}").await;
    let err = call(&emu.endpoint(), "GetApplicationGrant", "{}").await;
    for response in [&ok, &err] {
        let id = response.header("x-amzn-RequestId").expect("request id");
        assert_eq!(id.len(), 36);
        assert_eq!(
            response.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
    }
    assert_ne!(
        ok.header("x-amzn-RequestId"),
        err.header("x-amzn-RequestId")
    );
    assert_eq!(err.status, 400);
    assert!(err.json()["Message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn inspection_endpoints_need_no_signature() {
    let emu = emulator().await;
    let state = inspect(&emu.endpoint(), "/_state").await;
    assert_eq!(state["Applications"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        state["TrustedTokenIssuers"].as_array().map(Vec::len),
        Some(1)
    );
    let stats = inspect(&emu.endpoint(), "/_stats").await;
    assert_eq!(stats["requests"], 0, "inspection calls are not AWS calls");
    assert_eq!(
        raw(&emu.endpoint(), "POST", "/_state", &bearer(), b"")
            .await
            .status,
        405
    );
    assert_eq!(
        raw(&emu.endpoint(), "GET", "/_nothing", &bearer(), b"")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn reset_restores_the_seed_and_zeroes_stats() {
    let emu = emulator().await;
    let app = app(&emu, "web");
    let seeded = inspect(&emu.endpoint(), "/_state").await;
    let put =
        json!({"ApplicationArn": app, "GrantType": "refresh_token", "Grant": {"RefreshToken": {}}});
    assert_eq!(
        call(&emu.endpoint(), "PutApplicationGrant", &put.to_string())
            .await
            .status,
        200
    );
    let delete = json!({"ApplicationArn": crate::support::app(&emu, "api")});
    assert_eq!(
        call(&emu.endpoint(), "DeleteApplication", &delete.to_string())
            .await
            .status,
        200
    );
    assert_ne!(inspect(&emu.endpoint(), "/_state").await, seeded);
    assert_eq!(
        inspect(&emu.endpoint(), "/_stats").await["calls"]["PutApplicationGrant"],
        1
    );

    let reset = raw(&emu.endpoint(), "POST", "/_reset", &bearer(), b"").await;
    assert_eq!(reset.status, 200);
    assert_eq!(inspect(&emu.endpoint(), "/_state").await, seeded);
    let stats = inspect(&emu.endpoint(), "/_stats").await;
    assert_eq!(stats["calls"]["PutApplicationGrant"], 0);
    assert_eq!(stats["requests"], 0);
}

#[tokio::test]
async fn inspection_endpoints_need_the_token() {
    let emu = emulator().await;
    for headers in [
        vec![],
        vec![("authorization".to_string(), "Bearer wrong".to_string())],
    ] {
        for (method, path) in [("GET", "/_state"), ("GET", "/_stats"), ("POST", "/_reset")] {
            let response = raw(&emu.endpoint(), method, path, &headers, b"").await;
            assert_eq!(
                response.status, 401,
                "{method} {path} {headers:?}: {}",
                response.body
            );
        }
    }
    assert_eq!(
        raw(&emu.endpoint(), "GET", "/_state", &bearer(), b"")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn requests_a_web_page_could_send_are_refused() {
    let emu = emulator().await;
    let port = emu.port();
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    let mut foreign_host = bearer();
    foreign_host.push(("host".to_string(), format!("attacker.example:{port}")));
    let mut with_origin = bearer();
    with_origin.push(("origin".to_string(), "http://attacker.example".to_string()));
    for headers in [foreign_host, with_origin] {
        let inspection = raw(&emu.endpoint(), "GET", "/_state", &headers, b"").await;
        assert_eq!(inspection.status, 403, "{headers:?}: {}", inspection.body);
        let mut signed = signed_headers(
            &emu.endpoint(),
            &format!("{TARGET_PREFIX}ListInstances"),
            b"{}",
            &Signing::default(),
        );
        signed.retain(|(k, _)| k != "host");
        signed.extend(
            headers
                .iter()
                .filter(|(k, _)| k != "authorization")
                .cloned(),
        );
        let api = raw(&emu.endpoint(), "POST", "/", &signed, b"{}").await;
        assert_eq!(api.status, 403, "{headers:?}: {}", api.body);
    }
    assert_eq!(inspect(&emu.endpoint(), "/_stats").await["requests"], 0);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    use tokio::io::AsyncWriteExt;
    let emu = emulator().await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", emu.port()))
        .await
        .expect("connect");
    stream
        .write_all(b"GET /_stats HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .expect("partial headers");
    assert_hung_up_on(&mut stream).await;
}

/// Reads until the emulator hangs up; what it sent before, if anything,
/// must be a 408.
async fn assert_hung_up_on(stream: &mut tokio::net::TcpStream) {
    use tokio::io::AsyncReadExt;
    let mut rest = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        stream.read_to_end(&mut rest),
    )
    .await
    .expect("the emulator hangs up on a silent client")
    .expect("read");
    assert!(
        rest.is_empty() || String::from_utf8_lossy(&rest).starts_with("HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&rest)
    );
}

#[tokio::test]
async fn a_request_whose_body_never_finishes_is_answered_408_and_disconnected() {
    use tokio::io::AsyncWriteExt;
    let emu = emulator().await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", emu.port()))
        .await
        .expect("connect");
    // Complete headers announcing 100 bytes, then only the first few.
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/x-amz-json-1.1\r\n\
              X-Amz-Target: SWBExternalService.ListInstances\r\n\
              Content-Length: 100\r\n\r\n{\"Max",
        )
        .await
        .expect("headers and part of the body");
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the emulator hangs up on a body that never finishes")
    .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("RequestTimeoutException"), "{answer}");
    let stats = inspect(&emu.endpoint(), "/_stats").await;
    assert_eq!(stats["requests"], 1, "{stats}");
}

#[tokio::test]
async fn a_client_that_connects_and_sends_nothing_is_disconnected() {
    let emu = emulator().await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", emu.port()))
        .await
        .expect("connect");
    assert_hung_up_on(&mut stream).await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let emu = emulator_with(|c| c.max_connections = 2).await;
    let mut silent = Vec::new();
    for _ in 0..2 {
        silent.push(
            tokio::net::TcpStream::connect(("127.0.0.1", emu.port()))
                .await
                .expect("connect"),
        );
    }
    // Both slots are taken by clients that send nothing: a third request is
    // answered only once the emulator has hung up on one of them.
    let stats = inspect(&emu.endpoint(), "/_stats").await;
    assert_eq!(stats["requests"], 0);
    let mut closed = 0;
    for stream in &silent {
        let mut byte = [0u8; 1];
        match stream.try_read(&mut byte) {
            Ok(0) => closed += 1,
            Ok(_) => {}
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
        }
    }
    assert!(
        closed >= 1,
        "the third request was served while both slots were held"
    );
    for stream in &mut silent {
        assert_hung_up_on(stream).await;
    }
}

#[tokio::test]
async fn signature_errors_leave_the_session_token_out() {
    let emu = emulator_with(|c| {
        c.credentials = vec![Credential::parse(&format!(
            "{DEMO_ACCESS_KEY_ID}:{}:the-session-token",
            identitycenter::emulator::DEMO_SECRET_ACCESS_KEY
        ))
        .expect("credential")]
    })
    .await;
    let headers = signed_headers(
        &emu.endpoint(),
        &format!("{TARGET_PREFIX}ListInstances"),
        b"{}",
        &Signing {
            secret: "not-the-secret",
            session_token: Some("the-session-token"),
            ..Signing::default()
        },
    );
    let response = raw(&emu.endpoint(), "POST", "/", &headers, b"{}").await;
    assert_eq!(response.status, 403, "{}", response.body);
    assert!(
        response.body.contains("Canonical String"),
        "{}",
        response.body
    );
    assert!(
        !response.body.contains("the-session-token"),
        "{}",
        response.body
    );
}
