//! The go-plugin handshake and transport, exercised on the real binary:
//! cookie, protocol negotiation, socket, AutoMTLS with a pinned client
//! certificate, the side services, Shutdown and debug mode.

mod support;

use std::io::{BufRead, Read};
use std::process::{Command, Stdio};

use identitycenter::proto::plugin::grpc_controller_client::GrpcControllerClient;
use identitycenter::proto::tfplugin6::provider_client::ProviderClient;
use identitycenter::proto::tfplugin6::{get_provider_schema, stop_provider};
use support::plugin_client::{
    connect, connect_offering, launch, provider_binary, terraform_like_client_cert, COOKIE,
};

#[test]
fn refuses_to_run_without_the_magic_cookie() {
    let out = Command::new(provider_binary())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdin(Stdio::null())
        .output()
        .expect("run provider");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("This binary is a plugin. These are not meant to be executed directly."),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing may reach stdout");
}

#[test]
fn refuses_clients_that_do_not_offer_protocol_6() {
    for offered in [Some("5"), Some("4,5"), None] {
        let mut cmd = Command::new(provider_binary());
        cmd.env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
            .stdin(Stdio::null());
        match offered {
            Some(v) => cmd.env("PLUGIN_PROTOCOL_VERSIONS", v),
            None => cmd.env_remove("PLUGIN_PROTOCOL_VERSIONS"),
        };
        let out = cmd.output().expect("run provider");
        assert_eq!(out.status.code(), Some(1), "offered {offered:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("plugin protocol 6"),
            "offered {offered:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[tokio::test]
async fn mutual_tls_accepts_the_pinned_certificate_and_serves_grpc() {
    let client = terraform_like_client_cert();
    let launched = launch(Some(&client.cert_pem), &[]);
    eprintln!("exec to handshake line: {:?}", launched.startup);
    let fields = launched.fields();
    assert_eq!(fields.len(), 6, "handshake: {}", launched.handshake);
    assert_eq!(&fields[..3], ["1", "6", "unix"]);
    assert_eq!(fields[4], "grpc");
    assert!(
        !fields[5].contains('='),
        "certificate must be unpadded base64"
    );
    assert!(launched.socket().exists());

    let (channel, alpn) = connect(&launched, Some(&client))
        .await
        .expect("connect with pinned cert");
    assert_eq!(
        alpn.as_deref(),
        Some(&b"h2"[..]),
        "server must negotiate ALPN h2"
    );
    let mut provider = ProviderClient::new(channel.clone());
    let schema = provider
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(schema
        .resource_schemas
        .contains_key("identitycenter_application_grant"));
    let caps = schema.server_capabilities.expect("capabilities");
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);

    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .expect("health check")
        .into_inner();
    assert_eq!(
        status.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}

/// Connects presenting `client` (or no certificate) and asks for the schema.
async fn schema_call(
    launched: &support::plugin_client::Launched,
    client: Option<&support::plugin_client::ClientIdentity>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (channel, _) = connect(launched, client).await?;
    ProviderClient::new(channel)
        .get_provider_schema(get_provider_schema::Request {})
        .await?;
    Ok(())
}

#[tokio::test]
async fn mutual_tls_refuses_another_certificate() {
    let expected = terraform_like_client_cert();
    let intruder = terraform_like_client_cert();
    let launched = launch(Some(&expected.cert_pem), &[]);
    assert!(
        schema_call(&launched, Some(&intruder)).await.is_err(),
        "a client with a different certificate must be refused"
    );
}

#[tokio::test]
async fn mutual_tls_refuses_the_pinned_certificate_presented_with_another_key() {
    // The intruder copies Terraform's certificate (it is no secret: it is
    // in the environment) but cannot sign with its key.
    let expected = terraform_like_client_cert();
    let launched = launch(Some(&expected.cert_pem), &[]);
    let other_key = terraform_like_client_cert().key_der;
    let impostor = support::plugin_client::ClientIdentity {
        cert_der: expected.cert_der.clone(),
        cert_pem: expected.cert_pem.clone(),
        key_der: other_key,
    };
    assert!(
        schema_call(&launched, Some(&impostor)).await.is_err(),
        "the pinned certificate without its key must be refused"
    );
    // The real holder still gets in.
    schema_call(&launched, Some(&expected))
        .await
        .expect("the pinned certificate with its key is accepted");
}

#[tokio::test]
async fn a_stalled_tls_handshake_is_closed() {
    use tokio::io::AsyncReadExt;
    let expected = terraform_like_client_cert();
    let launched = launch(Some(&expected.cert_pem), &[]);
    // Connects and never says anything.
    let mut stalled = tokio::net::UnixStream::connect(launched.socket())
        .await
        .expect("connect");
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(support::waiting::DEADLINE, stalled.read(&mut buf))
        .await
        .expect("the plugin closes a connection whose handshake never comes");
    assert_eq!(read.expect("read"), 0, "closed without a word");
    support::waiting::until_async("the plugin logs why it closed the connection", || {
        launched.logged("did not finish within")
    })
    .await;
    // And it keeps serving.
    schema_call(&launched, Some(&expected))
        .await
        .expect("still serving");
}

#[tokio::test]
async fn the_plugin_socket_speaks_tls_1_3_only() {
    let terraform = terraform_like_client_cert();
    let launched = launch(Some(&terraform.cert_pem), &[]);
    let tls12 = connect_offering(&launched, Some(&terraform), &[&rustls::version::TLS12]).await;
    assert!(
        tls12.is_err(),
        "a client offering only TLS 1.2 must be refused"
    );
    let (channel, _) = connect_offering(&launched, Some(&terraform), &[&rustls::version::TLS13])
        .await
        .expect("TLS 1.3, as Terraform's client speaks it");
    ProviderClient::new(channel)
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("serves over TLS 1.3");
}

#[tokio::test]
async fn mutual_tls_refuses_a_client_without_certificate() {
    let expected = terraform_like_client_cert();
    let launched = launch(Some(&expected.cert_pem), &[]);
    assert!(
        schema_call(&launched, None).await.is_err(),
        "a client without a certificate must be refused"
    );
}

#[tokio::test]
async fn plaintext_only_without_client_cert_and_socket_dir_is_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir_str = dir.path().to_str().expect("utf8 path").to_string();
    let launched = launch(None, &[("PLUGIN_UNIX_SOCKET_DIR", &dir_str)]);
    assert!(
        launched.fields()[5].is_empty(),
        "no certificate without PLUGIN_CLIENT_CERT"
    );
    assert!(
        launched.socket().starts_with(dir.path()),
        "socket {:?}",
        launched.socket()
    );
    let (channel, _) = connect(&launched, None).await.expect("plaintext connect");
    ProviderClient::new(channel)
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema over h2c");
}

#[tokio::test]
async fn shutdown_ends_the_process_and_removes_the_socket() {
    let client = terraform_like_client_cert();
    let mut launched = launch(Some(&client.cert_pem), &[]);
    let socket = launched.socket();
    let (channel, _) = connect(&launched, Some(&client)).await.expect("connect");
    // StopProvider is advisory: the server must keep serving afterwards.
    let mut provider = ProviderClient::new(channel.clone());
    provider
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider");
    provider
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("still serving after StopProvider");

    GrpcControllerClient::new(channel)
        .shutdown(identitycenter::proto::plugin::Empty {})
        .await
        .expect("Shutdown");
    let status = launched
        .wait_exit(support::waiting::DEADLINE)
        .expect("exited after Shutdown");
    assert!(status.success(), "exit status {status:?}");
    assert!(!socket.exists(), "socket removed");
    assert!(
        !socket.parent().expect("dir").exists(),
        "socket directory removed"
    );
    let mut rest = String::new();
    launched
        .stdout
        .read_to_string(&mut rest)
        .expect("drain stdout");
    assert!(
        rest.is_empty(),
        "the handshake must be the only stdout output, got {rest:?}"
    );
}

#[test]
fn the_socket_and_its_directory_are_private_to_their_user() {
    use std::os::unix::fs::PermissionsExt;
    let launched = launch(Some(&terraform_like_client_cert().cert_pem), &[]);
    let socket = launched.socket();
    let dir = socket.parent().expect("socket directory");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(dir) & 0o077, 0, "directory mode {:o}", mode(dir));
    assert_eq!(mode(&socket) & 0o077, 0, "socket mode {:o}", mode(&socket));
    // Another user cannot even reach the socket's path. Only root can act
    // as another user; elsewhere the modes above are the check.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: the socket is not tried as another user");
        return;
    }
    use std::os::unix::process::CommandExt;
    let as_nobody = std::process::Command::new("stat")
        .arg(&socket)
        .env("LC_ALL", "C")
        .uid(65534)
        .gid(65534)
        .output()
        .expect("run stat as nobody");
    assert!(
        !as_nobody.status.success()
            && String::from_utf8_lossy(&as_nobody.stderr).contains("Permission denied"),
        "another user reaches the socket: {as_nobody:?}"
    );
}

#[tokio::test]
async fn sigint_is_ignored_while_serving() {
    let mut launched = launch(None, &[("TF_LOG_PROVIDER", "DEBUG")]);
    let pid = launched.child.id() as i32;
    // The signal watcher is installed after the handshake line but before
    // the server starts: once a call is answered, a SIGINT reaches it.
    let (channel, _) = connect(&launched, None).await.expect("connect");
    let mut client = ProviderClient::new(channel);
    client
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("serving");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
    // The plugin says when it has received (and ignored) the signal.
    support::waiting::until("the plugin receives SIGINT", || {
        launched.logged("ignoring SIGINT")
    });
    assert!(
        launched.child.try_wait().expect("status").is_none(),
        "SIGINT must not stop the plugin"
    );
    client
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("still serving after SIGINT");
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    assert!(
        launched.wait_exit(support::waiting::DEADLINE).is_some(),
        "SIGTERM stops it"
    );
}

#[tokio::test]
async fn sigterm_and_sighup_end_the_plugin_cleanly_and_remove_its_socket() {
    // SIGHUP: the terminal Terraform ran in went away, or a supervisor
    // asks the process to stop. Either way it must not leave its socket
    // directory behind, as the default action (death) would.
    for (name, signal) in [("SIGTERM", libc::SIGTERM), ("SIGHUP", libc::SIGHUP)] {
        let client = terraform_like_client_cert();
        let mut launched = launch(Some(&client.cert_pem), &[]);
        let socket = launched.socket();
        // Once a call is answered, the signal watcher is installed.
        let (channel, _) = connect(&launched, Some(&client)).await.expect("connect");
        ProviderClient::new(channel)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .expect("serving");
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(launched.child.id() as i32, signal) };
        let status = launched
            .wait_exit(support::waiting::DEADLINE)
            .unwrap_or_else(|| panic!("{name} stops the plugin"));
        assert!(status.success(), "{name}: exit status {status:?}");
        assert!(
            !socket.parent().expect("dir").exists(),
            "{name}: the socket directory is left behind"
        );
    }
}

#[tokio::test]
async fn debug_mode_prints_reattach_configuration_and_serves_plaintext() {
    let mut child = Command::new(provider_binary())
        .arg("--debug")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env("PLUGIN_CLIENT_CERT", "ignored in debug mode")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut reader = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut json = None;
    for _ in 0..10 {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("read") == 0 {
            break;
        }
        if let Some(rest) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            json = Some(rest.trim_end_matches('\'').to_string());
            break;
        }
    }
    let json = json.expect("a TF_REATTACH_PROVIDERS line");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("reattach JSON");
    let entry = &parsed["registry.terraform.io/idc-labs/identitycenter"];
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Protocol"], "grpc");
    assert_eq!(entry["Pid"], child.id());
    assert_eq!(entry["Addr"]["Network"], "unix");
    let socket = entry["Addr"]["String"]
        .as_str()
        .expect("socket")
        .to_string();

    let channel = tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_: tonic::transport::Uri| {
            let socket = socket.clone();
            async move {
                let s = tokio::net::UnixStream::connect(socket).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(s))
            }
        }))
        .await
        .expect("connect plaintext");
    ProviderClient::new(channel)
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema in debug mode");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    support::waiting::until("SIGINT stops the debug server", || {
        matches!(child.try_wait(), Ok(Some(_)))
    });
}

#[tokio::test]
async fn messages_far_above_tonics_4_mib_default_are_accepted() {
    use identitycenter::proto::tfplugin6::{validate_resource_config, DynamicValue};
    use identitycenter::provider::grant::resource as application_grant;
    use identitycenter::value::{encode_msgpack, Value};

    let client_cert = terraform_like_client_cert();
    let launched = launch(Some(&client_cert.cert_pem), &[]);
    let (channel, _) = connect(&launched, Some(&client_cert))
        .await
        .expect("connect");
    let ty = application_grant::schema().implied_type();
    // A 12 MiB configuration: an absurd ARN, which validation must reject
    // with a diagnostic rather than the transport refusing the message.
    let huge = "x".repeat(12 << 20);
    let config = Value::object([
        ("id", Value::Null),
        ("application_arn", Value::string(huge)),
        ("grant_type", Value::string("refresh_token")),
        ("grant", Value::Null),
    ]);
    let request = validate_resource_config::Request {
        type_name: application_grant::TYPE_NAME.into(),
        config: Some(DynamicValue {
            msgpack: encode_msgpack(&config, &ty).expect("encode"),
            json: Vec::new(),
        }),
        client_capabilities: None,
    };
    let response = ProviderClient::new(channel)
        .max_encoding_message_size(64 << 20)
        .validate_resource_config(request)
        .await
        .expect("a 12 MiB request must get through")
        .into_inner();
    assert!(
        response
            .diagnostics
            .iter()
            .any(|d| d.summary == "Invalid application ARN"),
        "{:?}",
        response
            .diagnostics
            .iter()
            .map(|d| &d.summary)
            .collect::<Vec<_>>()
    );
}
