//! Test-only: an SSO Admin endpoint that answers exactly as scripted, for
//! what the emulator is built never to do (hang up after reading a write,
//! return grant shapes AWS has not released yet). Each request, on its own
//! connection, gets the next answer.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::domain::{GrantKey, GrantType};
use crate::provider::shared_client::AwsClient;

/// How one request is answered.
pub(crate) enum Answer {
    /// The whole request is read, then the connection is closed without a
    /// word: a write that may have been applied.
    HangUp,
    /// HTTP 200 with this JSON body.
    Ok(&'static str),
    /// HTTP 400 with this AWS error code.
    Refused(&'static str),
    /// HTTP 200 with this JSON body, after a pause (a read the SDK was
    /// retrying, or a slow host).
    Later(std::time::Duration, &'static str),
}

/// Serves `answers` in order on 127.0.0.1; returns the endpoint URL. Once
/// they are used up, connections are accepted and closed at once.
pub async fn serve(answers: Vec<Answer>) -> String {
    let mut answers = answers.into_iter();
    serve_with(move |_| answers.next()).await
}

/// Serves on 127.0.0.1 what `answer` makes of each request (its headers and
/// body, as text); returns the endpoint URL. `None` closes the connection.
pub(crate) async fn serve_with(
    mut answer: impl FnMut(&str) -> Option<Answer> + Send + 'static,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let request = read_request(&mut stream).await;
            let (status, code, body) = match answer(&request) {
                None | Some(Answer::HangUp) => continue,
                Some(Answer::Ok(body)) => ("200 OK", None, body.to_string()),
                Some(Answer::Later(pause, body)) => {
                    tokio::time::sleep(pause).await;
                    ("200 OK", None, body.to_string())
                }
                Some(Answer::Refused(code)) => (
                    "400 Bad Request",
                    Some(code),
                    format!(r#"{{"__type":"{code}","Message":"scripted"}}"#),
                ),
            };
            let error_header = code
                .map(|c| format!("x-amzn-errortype: {c}\r\n"))
                .unwrap_or_default();
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.1\r\n\
                 x-amzn-requestid: fake\r\n{error_header}content-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    endpoint
}

/// Reads the headers, then as many body bytes as they announce.
async fn read_request(stream: &mut TcpStream) -> String {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&request).into_owned()
}

/// A client of `endpoint` that tries each call twice (max_retries = 1),
/// built the way the provider builds its client.
pub(crate) async fn client_of(endpoint: &str) -> AwsClient {
    let settings = crate::provider::client_settings::ProviderSettings {
        region: Some("us-east-1".into()),
        access_key: Some("AKIDEXAMPLE".into()),
        secret_key: Some("secret".into()),
        ssoadmin_endpoint: Some(endpoint.to_string()),
        max_retries: Some(1),
        ..Default::default()
    };
    crate::provider::client::build_client(&settings)
        .await
        .expect("client")
}

/// The refresh_token grant of an application the tests make up.
pub(crate) fn a_key() -> GrantKey {
    GrantKey {
        application_arn:
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
                .into(),
        grant_type: GrantType::RefreshToken,
    }
}

/// A grant whose union member this provider does not know (AWS added a
/// grant kind): an error, never "gone".
pub(crate) const UNKNOWN_MEMBER: &str = r#"{"Grant":{"DeviceCode":{}}}"#;
