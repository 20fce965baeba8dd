//! STS `AssumeRole`, so that a provider configured with `assume_role` can be tested end to
//! end: the base credentials sign the AssumeRole call, and the temporary credentials it
//! returns (with their session token) sign everything after.
//!
//! STS speaks the AWS Query protocol: a form-encoded `POST /` signed for the `sts` service,
//! answered in XML. Only the roles the emulator is told about can be assumed, each with the
//! external id its trust policy requires, if any; anything else is `AccessDenied`, as AWS
//! answers a role whose trust policy does not name the caller.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use hyper::StatusCode;

use super::config::{is_role_arn, AssumableRole, Credential};
use super::ids;
use super::secret::Secret;

/// The STS API version clients send.
pub const VERSION: &str = "2011-06-15";
/// The signing name of STS.
pub const SERVICE: &str = "sts";
/// Media type of a Query protocol request.
pub const FORM: &str = "application/x-www-form-urlencoded";

/// A session AssumeRole handed out.
#[derive(Debug, Clone)]
pub struct Session {
    /// The temporary key pair and its session token.
    pub credential: Credential,
    /// The role assumed.
    pub role_arn: String,
    /// `RoleSessionName` as asked for.
    pub session_name: String,
    /// `ExternalId` as sent, if any.
    pub external_id: Option<String>,
    /// `DurationSeconds` as granted.
    pub duration_seconds: u32,
    /// When the credentials stop working.
    pub expires: DateTime<Utc>,
}

/// An STS error, as the Query protocol puts it in XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsError {
    /// `AccessDenied`, `ValidationError`, `InvalidAction`, …
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// The HTTP status.
    pub status: StatusCode,
}

impl StsError {
    /// An error with `code` and `message`, answered with 400.
    pub fn from_code(code: &'static str, message: &str) -> Self {
        Self {
            code,
            message: message.to_string(),
            status: StatusCode::BAD_REQUEST,
        }
    }

    fn validation(message: impl Into<String>) -> Self {
        Self {
            code: "ValidationError",
            message: message.into(),
            status: StatusCode::BAD_REQUEST,
        }
    }

    fn access_denied(role_arn: &str) -> Self {
        Self {
            code: "AccessDenied",
            message: format!(
                "User is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
            ),
            status: StatusCode::FORBIDDEN,
        }
    }

    /// The XML body.
    pub fn to_xml(&self, request_id: &str) -> String {
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/{VERSION}/\"><Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
            self.code,
            escape(&self.message)
        )
    }
}

/// What a signature failure means to STS.
pub fn from_signature_error(code: &str, message: String) -> StsError {
    StsError {
        code: if code == "UnrecognizedClientException" {
            "InvalidClientTokenId"
        } else {
            "SignatureDoesNotMatch"
        },
        message,
        status: StatusCode::FORBIDDEN,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Answers one STS request (its form body) made with credentials that
/// checked out: the session to remember and the XML to send.
pub fn assume_role(
    body: &[u8],
    roles: &[AssumableRole],
    now: DateTime<Utc>,
) -> Result<(Session, String), StsError> {
    let form: HashMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
    match form.get("Action").map(String::as_str) {
        Some("AssumeRole") => {}
        other => {
            return Err(StsError {
                code: "InvalidAction",
                message: format!(
                    "Could not find operation {} for version {VERSION}",
                    other.unwrap_or("(none)")
                ),
                status: StatusCode::BAD_REQUEST,
            })
        }
    }
    if form.get("Version").map(String::as_str) != Some(VERSION) {
        return Err(StsError::validation(format!("Version must be {VERSION}.")));
    }
    let role_arn = form
        .get("RoleArn")
        .filter(|arn| (20..=2048).contains(&arn.len()) && is_role_arn(arn))
        .ok_or_else(|| StsError::validation("RoleArn must be the ARN of an IAM role."))?;
    let session_name = form
        .get("RoleSessionName")
        .filter(|name| {
            (2..=64).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
        })
        .ok_or_else(|| {
            StsError::validation("RoleSessionName must be 2 to 64 characters of [\\w+=,.@-].")
        })?;
    let external_id = form.get("ExternalId").cloned();
    if let Some(id) = &external_id {
        let valid = (2..=1224).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
        if !valid {
            return Err(StsError::validation(
                "ExternalId must be 2 to 1224 characters of [\\w+=,.@:/-].",
            ));
        }
    }
    let duration_seconds = match form.get("DurationSeconds") {
        None => 3600,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|d| (900..=43200).contains(d))
            .ok_or_else(|| {
                StsError::validation("DurationSeconds must be between 900 and 43200.")
            })?,
    };
    let allowed = roles
        .iter()
        .any(|r| &r.arn == role_arn && r.external_id == external_id);
    if !allowed {
        return Err(StsError::access_denied(role_arn));
    }
    let credential = Credential {
        access_key_id: format!("ASIA{}", ids::random_upper_alphanumeric(16)),
        secret_access_key: Secret::new(ids::random_token()),
        session_token: Some(Secret::new(ids::random_token() + &ids::random_token())),
    };
    let expires = now + chrono::Duration::seconds(i64::from(duration_seconds));
    let role_name = role_arn.rsplit('/').next().unwrap_or_default();
    let account = role_arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.split(':').next())
        .unwrap_or_default();
    let xml = format!(
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/{VERSION}/\"><AssumeRoleResult><Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey><SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}</Arn><AssumedRoleId>AROA{}:{session_name}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></AssumeRoleResponse>",
        credential.access_key_id,
        credential.secret_access_key.expose(),
        credential.session_token.as_ref().map_or("", Secret::expose),
        expires.format("%Y-%m-%dT%H:%M:%SZ"),
        ids::random_upper_alphanumeric(17),
        ids::uuid_v4(),
    );
    Ok((
        Session {
            credential,
            role_arn: role_arn.clone(),
            session_name: session_name.clone(),
            external_id,
            duration_seconds,
            expires,
        },
        xml,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/terraform";

    fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
            .into_bytes()
    }

    fn request(extra: &[(&str, &str)]) -> Vec<u8> {
        let mut pairs = vec![
            ("Action", "AssumeRole"),
            ("Version", VERSION),
            ("RoleArn", ROLE),
            ("RoleSessionName", "ci"),
        ];
        pairs.extend_from_slice(extra);
        form(&pairs)
    }

    #[test]
    fn roles_parse_with_and_without_an_external_id() {
        assert_eq!(
            AssumableRole::parse(&format!("{ROLE}#xyz")),
            Ok(AssumableRole {
                arn: ROLE.into(),
                external_id: Some("xyz".into())
            })
        );
        assert_eq!(AssumableRole::parse(ROLE).map(|r| r.external_id), Ok(None));
        for bad in ["arn:aws:iam::1:role/x", "role/x", &format!("{ROLE}#")] {
            assert!(AssumableRole::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_role_is_assumed_only_with_the_external_id_its_trust_policy_names() {
        let roles = [AssumableRole::parse(&format!("{ROLE}#xyz")).expect("role")];
        let now = Utc::now();
        let (session, xml) = assume_role(
            &request(&[("ExternalId", "xyz"), ("DurationSeconds", "900")]),
            &roles,
            now,
        )
        .expect("assumed");
        assert_eq!(session.duration_seconds, 900);
        assert!(session.credential.access_key_id.starts_with("ASIA"));
        assert!(xml.contains(&session.credential.access_key_id));
        assert!(xml.contains("assumed-role/terraform/ci"));
        for wrong in [vec![], vec![("ExternalId", "abc")]] {
            let refused = assume_role(&request(&wrong), &roles, now).expect_err("refused");
            assert_eq!(refused.code, "AccessDenied");
        }
    }

    #[test]
    fn requests_outside_the_model_are_validation_errors() {
        let roles = [AssumableRole::parse(ROLE).expect("role")];
        for extra in [
            vec![("DurationSeconds", "60")],
            vec![("DurationSeconds", "50000")],
            vec![("ExternalId", "x")],
        ] {
            let refused = assume_role(&request(&extra), &roles, Utc::now()).expect_err("refused");
            assert_eq!(refused.code, "ValidationError", "{extra:?}");
        }
        let refused = assume_role(
            &form(&[("Action", "GetCallerIdentity")]),
            &roles,
            Utc::now(),
        )
        .expect_err("refused");
        assert_eq!(refused.code, "InvalidAction");
    }
}
