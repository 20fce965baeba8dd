//! Runs `identitycenter-emulator` for a test: an ephemeral port, seeded
//! applications and issuers, and the test-only inspection endpoints.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// Demo credentials the emulator accepts by default.
pub const ACCESS_KEY: &str = "AKIAIDCEMULATORDEMO1";
pub const SECRET_KEY: &str = "identitycenter-emulator-demo-secret";

/// A running emulator process, killed on drop.
pub struct Emulator {
    child: Child,
    pub port: u16,
    pub endpoint: String,
    /// ARN of the emulated Identity Center instance.
    pub instance: String,
    /// Opens the inspection endpoints.
    inspection_token: String,
    /// name → ARN
    pub applications: BTreeMap<String, String>,
    /// name → ARN
    pub issuers: BTreeMap<String, String>,
}

impl Emulator {
    /// Starts the emulator with `applications` and `issuers` seeded and any
    /// extra flags (faults, delays).
    pub fn start(applications: &[&str], issuers: &[&str], extra: &[&str]) -> Emulator {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_identitycenter-emulator"));
        cmd.args(["--port", "0"]);
        for a in applications {
            cmd.args(["--application", a]);
        }
        for i in issuers {
            cmd.args(["--trusted-token-issuer", i]);
        }
        cmd.args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().expect("start emulator");
        let mut out = BufReader::new(child.stdout.take().expect("emulator stdout"));
        let mut first = String::new();
        out.read_line(&mut first).expect("emulator listening line");
        let endpoint = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        let port = endpoint
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port");
        let mut emulator = Emulator {
            child,
            port,
            endpoint,
            instance: String::new(),
            inspection_token: String::new(),
            applications: BTreeMap::new(),
            issuers: BTreeMap::new(),
        };
        // The token comes last, after the seeded resources.
        while emulator.inspection_token.is_empty() {
            let mut line = String::new();
            if out.read_line(&mut line).expect("emulator seed line") == 0 {
                panic!("emulator stopped before printing its seeded resources");
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["instance", arn] => emulator.instance = arn.to_string(),
                ["inspection-token", token] => emulator.inspection_token = token.to_string(),
                ["application", name, arn] => {
                    emulator
                        .applications
                        .insert(name.to_string(), arn.to_string());
                }
                ["trusted-token-issuer", name, arn] => {
                    emulator.issuers.insert(name.to_string(), arn.to_string());
                }
                _ => {}
            }
        }
        // Keep draining stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = out.read_to_end(&mut sink);
        });
        emulator
    }

    pub fn app(&self, name: &str) -> &str {
        &self.applications[name]
    }

    pub fn issuer(&self, name: &str) -> &str {
        &self.issuers[name]
    }

    fn http(&self, method: &str, path: &str) -> Value {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect emulator");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port, self.inspection_token
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        let (head, body) = response.split_once("\r\n\r\n").expect("HTTP response");
        assert!(head.starts_with("HTTP/1.1 200"), "{method} {path}: {head}");
        serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {body}"))
    }

    /// Everything the emulator holds, as `GET /_state` shows it.
    pub fn state(&self) -> Value {
        self.http("GET", "/_state")
    }

    /// Call and fault counters.
    pub fn stats(&self) -> Value {
        self.http("GET", "/_stats")
    }

    /// Clears grants and counters (seeded applications stay).
    pub fn reset(&self) {
        self.http("POST", "/_reset");
    }

    /// Number of AWS calls served so far (any operation, any outcome).
    pub fn aws_calls(&self) -> u64 {
        let stats = self.stats();
        stats["requests"]
            .as_u64()
            .unwrap_or_else(|| panic!("/_stats has no request count: {stats}"))
    }

    /// Number of calls to `operation` served so far (any outcome). `/_stats`
    /// lists every operation the emulator serves, zero or not, so a name it
    /// does not list is a mistake in the test (a misspelt name would
    /// otherwise read as "never called" and pass a "no call" check).
    pub fn calls(&self, operation: &str) -> u64 {
        let stats = self.stats();
        let calls = stats["calls"]
            .as_object()
            .unwrap_or_else(|| panic!("/_stats has no call counters: {stats}"));
        let n = calls.get(operation).unwrap_or_else(|| {
            panic!(
                "/_stats counts no operation named {operation:?}; it counts {:?}",
                calls.keys().collect::<Vec<_>>()
            )
        });
        n.as_u64()
            .unwrap_or_else(|| panic!("/_stats: {operation} is not a count: {n}"))
    }

    /// A top-level count of `/_stats`, e.g. `stale_reads` (Get or List
    /// answered with what a write had not yet replaced) or
    /// `stale_reads_of_deleted` (those that still showed a deleted grant).
    pub fn counter(&self, name: &str) -> u64 {
        let stats = self.stats();
        stats[name]
            .as_u64()
            .unwrap_or_else(|| panic!("/_stats has no count named {name:?}: {stats}"))
    }

    /// Every application `/_state` shows, with its ARN. Panics when
    /// `/_state` does not have the shape this reads, so that a changed
    /// inspection endpoint cannot pass off as "nothing there".
    fn applications(&self) -> Vec<(String, Value)> {
        let state = self.state();
        let applications = state["Applications"]
            .as_array()
            .unwrap_or_else(|| panic!("/_state has no Applications array: {state}"));
        applications
            .iter()
            .map(|app| {
                let arn = app["ApplicationArn"]
                    .as_str()
                    .unwrap_or_else(|| panic!("/_state: an application without an ARN: {app}"));
                (arn.to_string(), app.clone())
            })
            .collect()
    }

    /// Grants as `(application ARN, grant type) → Grant JSON`. Panics when
    /// `/_state` does not have the shape this reads, so that a changed
    /// inspection endpoint cannot pass off as "no grants".
    pub fn grants(&self) -> BTreeMap<(String, String), Value> {
        let mut out = BTreeMap::new();
        for (arn, app) in self.applications() {
            let grants = app["Grants"]
                .as_object()
                .unwrap_or_else(|| panic!("/_state: application {arn} has no Grants map: {app}"));
            for (grant_type, grant) in grants {
                out.insert((arn.to_string(), grant_type.clone()), grant.clone());
            }
        }
        out
    }

    /// An SDK client for out-of-band changes, as another tool would make them.
    /// Each attempt is bounded, and retried as the SDK retries: a test's own
    /// call that a scripted `NoAnswer` fault swallows is tried again instead
    /// of waiting forever.
    pub fn sdk_client(&self) -> aws_sdk_ssoadmin::Client {
        let conf = aws_sdk_ssoadmin::Config::builder()
            .behavior_version(aws_sdk_ssoadmin::config::BehaviorVersion::latest())
            .timeout_config(
                aws_sdk_ssoadmin::config::timeout::TimeoutConfig::builder()
                    .operation_attempt_timeout(super::waiting::DEADLINE / 6)
                    .build(),
            )
            .region(aws_sdk_ssoadmin::config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_ssoadmin::config::Credentials::new(
                ACCESS_KEY, SECRET_KEY, None, None, "test",
            ))
            .build();
        aws_sdk_ssoadmin::Client::from_conf(conf)
    }

    /// Writes an (empty) `refresh_token` grant behind Terraform's back.
    pub fn put_refresh_token_out_of_band(&self, application_arn: &str) {
        self.put_grant_out_of_band(
            application_arn,
            aws_sdk_ssoadmin::types::GrantType::RefreshToken,
            aws_sdk_ssoadmin::types::Grant::RefreshToken(
                aws_sdk_ssoadmin::types::RefreshTokenGrant::builder().build(),
            ),
        );
    }

    /// Writes a grant behind Terraform's back, as another tool would.
    pub fn put_grant_out_of_band(
        &self,
        application_arn: &str,
        grant_type: aws_sdk_ssoadmin::types::GrantType,
        grant: aws_sdk_ssoadmin::types::Grant,
    ) {
        let call = self
            .sdk_client()
            .put_application_grant()
            .application_arn(application_arn)
            .grant_type(grant_type)
            .grant(grant)
            .send();
        block_on(call).expect("out-of-band PutApplicationGrant");
    }

    /// Whether a GetApplicationGrant (as any client would send) finds the grant.
    pub fn grant_readable(
        &self,
        application_arn: &str,
        grant_type: aws_sdk_ssoadmin::types::GrantType,
    ) -> bool {
        let call = self
            .sdk_client()
            .get_application_grant()
            .application_arn(application_arn)
            .grant_type(grant_type)
            .send();
        block_on(call).is_ok()
    }

    /// Deletes a grant behind Terraform's back.
    pub fn delete_grant_out_of_band(
        &self,
        application_arn: &str,
        grant_type: aws_sdk_ssoadmin::types::GrantType,
    ) {
        let call = self
            .sdk_client()
            .delete_application_grant()
            .application_arn(application_arn)
            .grant_type(grant_type)
            .send();
        block_on(call).expect("out-of-band DeleteApplicationGrant");
    }

    /// Authentication methods as `application ARN → actor policy` (IAM is
    /// the only type), as `/_state` shows them; panics on another shape.
    pub fn actor_policies(&self) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for (arn, app) in self.applications() {
            let methods = app["AuthenticationMethods"].as_object().unwrap_or_else(|| {
                panic!("/_state: application {arn} has no AuthenticationMethods map: {app}")
            });
            for (method_type, method) in methods {
                assert_eq!(method_type, "IAM", "{app}");
                let policy = &method["Iam"]["ActorPolicy"];
                assert!(policy.is_object(), "an IAM method with a policy: {method}");
                out.insert(arn.to_string(), policy.clone());
            }
        }
        out
    }

    /// Sets an application's IAM authentication method behind Terraform's back.
    pub fn put_actor_policy_out_of_band(&self, application_arn: &str, policy: &Value) {
        use aws_sdk_ssoadmin::types::{
            AuthenticationMethod, AuthenticationMethodType, IamAuthenticationMethod,
        };
        let method = IamAuthenticationMethod::builder()
            .actor_policy(super::documents::document(policy))
            .build()
            .expect("a policy");
        let call = self
            .sdk_client()
            .put_application_authentication_method()
            .application_arn(application_arn)
            .authentication_method_type(AuthenticationMethodType::Iam)
            .authentication_method(AuthenticationMethod::Iam(method))
            .send();
        block_on(call).expect("out-of-band PutApplicationAuthenticationMethod");
    }

    /// The provider block pointing at this emulator.
    pub fn provider_block(&self) -> String {
        format!(
            "provider \"identitycenter\" {{\n  region     = \"us-east-1\"\n  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{SECRET_KEY}\"\n  endpoints {{\n    ssoadmin = \"{}\"\n  }}\n}}\n",
            self.endpoint
        )
    }
}

/// Runs an SDK call from synchronous test code.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
