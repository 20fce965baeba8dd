//! Authentication method types and the `AuthenticationMethod` union, validated the way the
//! service model describes them, and the form AWS gives an actor policy back in.
//!
//! The model's facts: `AuthenticationMethodType` is an enum with the one value `IAM`;
//! `AuthenticationMethod` is a union whose one member `Iam` is an `IamAuthenticationMethod`,
//! a structure with the one required member `ActorPolicy`, a Smithy document (any JSON value on
//! the wire). What the service checks inside the document is not in the model: see
//! [`check_actor_policy`].

use serde_json::{Map, Value};

use super::error::ApiError;
use super::model;
use super::shapes::{check_member, union_member, Members, Violations};

/// The ways an application's callers can authenticate; AWS models only IAM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthenticationMethodType {
    /// `IAM`: callers sign with IAM credentials, and the actor policy says which may.
    Iam,
}

impl AuthenticationMethodType {
    /// Every type, in list order.
    pub const ALL: [AuthenticationMethodType; 1] = [AuthenticationMethodType::Iam];

    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthenticationMethodType::Iam => "IAM",
        }
    }

    /// The `AuthenticationMethod` union member that must accompany this type.
    pub fn union_member(self) -> &'static str {
        match self {
            AuthenticationMethodType::Iam => "Iam",
        }
    }

    /// The type for a wire string, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Read and check an `AuthenticationMethodType` member; `None` when it is absent or not in
/// the enum (both already recorded as violations).
pub fn read_authentication_method_type(
    members: &Members<'_>,
    v: &mut Violations,
) -> Result<Option<AuthenticationMethodType>, ApiError> {
    let key = "AuthenticationMethodType";
    let raw = members.string(key)?;
    check_member(
        v,
        &members.path(key),
        raw,
        &model::AUTHENTICATION_METHOD_TYPE,
        true,
    );
    Ok(raw.and_then(AuthenticationMethodType::parse))
}

const UNION_MEMBERS: [&str; 1] = ["Iam"];

/// Check the `AuthenticationMethod` member of a PutApplicationAuthenticationMethod request
/// against `method_type`.
///
/// Exactly one union member must be non-null, it must be the one `method_type` calls for, and
/// its `ActorPolicy` must be present and a policy document. Returns the method to store:
/// `{"Iam": {"ActorPolicy": …}}` with unknown members dropped (as an AWS JSON 1.1 service
/// ignores unknown structure members) and the policy in the form AWS answers with
/// ([`reserialised`]).
pub fn check_authentication_method(
    members: &Members<'_>,
    method_type: Option<AuthenticationMethodType>,
    v: &mut Violations,
) -> Result<Option<Value>, ApiError> {
    let path = members.path("AuthenticationMethod");
    let Some(method) = members.object("AuthenticationMethod")? else {
        v.missing(&path);
        return Ok(None);
    };
    let Some(member) = union_member(v, &path, method, &UNION_MEMBERS) else {
        return Ok(None);
    };
    if let Some(method_type) = method_type {
        if method_type.union_member() != member {
            v.add_rule(format!(
                "Value at '{path}' failed to satisfy constraint: AuthenticationMethod member '{member}' does not match authentication method type '{}' (expected '{}')",
                method_type.as_str(),
                method_type.union_member()
            ));
        }
    }
    let method_members = Members::new(method, &path);
    let iam_path = method_members.path(member);
    let Some(iam) = method_members.object(member)? else {
        return Ok(None);
    };
    let iam_members = Members::new(iam, &iam_path);
    let policy_path = iam_members.path("ActorPolicy");
    let Some(policy) = iam_members.raw("ActorPolicy") else {
        v.missing(&policy_path);
        return Ok(None);
    };
    if let Err(why) = check_actor_policy(policy) {
        v.add_rule(format!(
            "Value at '{policy_path}' failed to satisfy constraint: {why}"
        ));
        return Ok(None);
    }
    let mut stored_iam = Map::new();
    stored_iam.insert("ActorPolicy".to_string(), reserialised(policy));
    let mut out = Map::new();
    out.insert(member.to_string(), Value::Object(stored_iam));
    Ok(Some(Value::Object(out)))
}

/// What the emulator requires of an actor policy beyond the model.
///
/// The model types `ActorPolicy` as a document, so the wire allows any JSON value; the
/// documentation calls it "an IAM policy document in JSON". The emulator accepts what IAM's
/// policy grammar requires at the top (an object with a `Statement` that is an object or a
/// list of objects) and rejects the rest with ValidationException. Whether AWS checks more, or
/// less, is not documented; rejecting a JSON string here is deliberate: a client that sent the
/// policy's text as a string document instead of the document itself would otherwise go
/// unnoticed.
pub fn check_actor_policy(policy: &Value) -> Result<(), String> {
    let Value::Object(document) = policy else {
        return Err("ActorPolicy must be an IAM policy document, a JSON object".to_string());
    };
    match document.get("Statement") {
        None | Some(Value::Null) => {
            Err("ActorPolicy must be an IAM policy document with a Statement".to_string())
        }
        Some(Value::Object(_)) => Ok(()),
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_object) => {
            Ok(())
        }
        Some(_) => Err(
            "the Statement of an ActorPolicy must be an object or a non-empty list of objects"
                .to_string(),
        ),
    }
}

/// A document as AWS gives it back: the same JSON value, re-serialised rather than echoed.
///
/// Object keys come back in descending order at every level; list order, numbers and strings
/// are kept. AWS promises no key order at all, so the emulator picks one that no configuration
/// produces by accident: Terraform's `jsonencode` writes keys in ascending order, so answering
/// in that order would hide a client that stores AWS's answer in place of what the
/// configuration wrote.
pub fn reserialised(document: &Value) -> Value {
    match document {
        Value::Object(members) => {
            let mut keys: Vec<&String> = members.keys().collect();
            keys.sort_by(|a, b| b.cmp(a));
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), reserialised(&members[key.as_str()]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(reserialised).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(body: Value) -> Result<Option<Value>, ApiError> {
        let obj = body.as_object().cloned().unwrap_or_default();
        let m = Members::new(&obj, "");
        let mut v = Violations::new();
        let t = read_authentication_method_type(&m, &mut v)?;
        let method = check_authentication_method(&m, t, &mut v)?;
        v.into_result()?;
        Ok(method)
    }

    #[test]
    fn the_type_round_trips_its_wire_string() {
        for t in AuthenticationMethodType::ALL {
            assert_eq!(AuthenticationMethodType::parse(t.as_str()), Some(t));
        }
        assert_eq!(AuthenticationMethodType::parse("iam"), None);
    }

    #[test]
    fn keys_come_back_in_descending_order_at_every_level() {
        let sent = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a", "Principal": {"AWS": "x", "Federated": "y"}}]});
        let text = reserialised(&sent).to_string();
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Principal":{"Federated":"y","AWS":"x"},"Effect":"Allow","Action":"a"}]}"#
        );
        assert_eq!(reserialised(&sent), sent, "the same JSON value");
    }

    #[test]
    fn the_stored_method_keeps_only_modelled_members() {
        let stored = check(json!({
            "AuthenticationMethodType": "IAM",
            "AuthenticationMethod": {"Iam": {"ActorPolicy": {"Statement": {"Effect": "Allow"}}, "Extra": 1}, "Other": null}
        }))
        .unwrap();
        assert_eq!(
            stored,
            Some(json!({"Iam": {"ActorPolicy": {"Statement": {"Effect": "Allow"}}}}))
        );
    }

    #[test]
    fn policies_that_are_not_documents_with_statements_are_refused() {
        for policy in [
            json!("{\"Statement\": []}"),
            json!([{"Statement": {}}]),
            json!({"Version": "2012-10-17"}),
            json!({"Statement": "Allow"}),
            json!({"Statement": [1]}),
        ] {
            assert!(check_actor_policy(&policy).is_err(), "{policy}");
        }
        assert!(check_actor_policy(&json!({"Statement": [{}]})).is_ok());
    }
}
