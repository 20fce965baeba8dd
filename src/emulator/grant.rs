//! Grant types and the `Grant` union, validated the way the service model describes them.

use serde_json::{Map, Value};

use super::error::ApiError;
use super::model;
use super::shapes::{
    check_list_len, check_member, check_string, union_member, Members, Violations,
};

/// The four OAuth grant types an application can be configured for.
///
/// Variants are declared in the order of their wire strings, so the derived `Ord` is the
/// order `ListApplicationGrants` returns them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantType {
    /// `authorization_code`
    AuthorizationCode,
    /// `refresh_token`
    RefreshToken,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`
    JwtBearer,
    /// `urn:ietf:params:oauth:grant-type:token-exchange`
    TokenExchange,
}

impl GrantType {
    /// Every grant type, in list order.
    pub const ALL: [GrantType; 4] = [
        GrantType::AuthorizationCode,
        GrantType::RefreshToken,
        GrantType::JwtBearer,
        GrantType::TokenExchange,
    ];

    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
            GrantType::TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
        }
    }

    /// The `Grant` union member that must accompany this grant type.
    pub fn union_member(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "AuthorizationCode",
            GrantType::RefreshToken => "RefreshToken",
            GrantType::JwtBearer => "JwtBearer",
            GrantType::TokenExchange => "TokenExchange",
        }
    }

    /// The grant type for a wire string, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Read and check a `GrantType` member; `None` when it is absent or not in the enum
/// (both already recorded as violations).
pub fn read_grant_type(
    members: &Members<'_>,
    v: &mut Violations,
) -> Result<Option<GrantType>, ApiError> {
    let raw = members.string("GrantType")?;
    check_member(v, &members.path("GrantType"), raw, &model::GRANT_TYPE, true);
    Ok(raw.and_then(GrantType::parse))
}

const UNION_MEMBERS: [&str; 4] = [
    "AuthorizationCode",
    "JwtBearer",
    "RefreshToken",
    "TokenExchange",
];

/// Check the `Grant` member of a PutApplicationGrant request against `grant_type`.
///
/// Exactly one member must be non-null, it must be the member `grant_type` calls for, and
/// its own contents must satisfy the model. Returns the grant to store, rebuilt from the
/// modelled members only: `{"<Member>": {...}}` with null members, unknown keys of the inner
/// structures and nulls inside them dropped, the way an AWS JSON 1.1 service deserialises
/// the input (leniently: unknown structure members are ignored, not rejected). A wrongly
/// typed known member is still a `SerializationException`.
pub fn check_grant(
    members: &Members<'_>,
    grant_type: Option<GrantType>,
    v: &mut Violations,
) -> Result<Option<Value>, ApiError> {
    let path = members.path("Grant");
    let Some(grant) = members.object("Grant")? else {
        v.missing(&path);
        return Ok(None);
    };
    let Some(member) = union_member(v, &path, grant, &UNION_MEMBERS) else {
        return Ok(None);
    };
    if let Some(grant_type) = grant_type {
        if grant_type.union_member() != member {
            v.add_rule(format!(
                "Value at '{path}' failed to satisfy constraint: Grant member '{member}' does not match grant type '{}' (expected '{}')",
                grant_type.as_str(),
                grant_type.union_member()
            ));
        }
    }
    let grant_members = Members::new(grant, &path);
    let inner_path = grant_members.path(member);
    let Some(inner) = grant_members.object(member)? else {
        return Ok(None);
    };
    let inner_members = Members::new(inner, &inner_path);
    let stored = match member {
        "AuthorizationCode" => check_authorization_code(&inner_members, v)?,
        "JwtBearer" => check_jwt_bearer(&inner_members, v)?,
        _ => Map::new(),
    };
    let mut out = Map::new();
    out.insert(member.to_string(), Value::Object(stored));
    Ok(Some(Value::Object(out)))
}

fn string_list(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect())
}

/// Check an `AuthorizationCodeGrant`; returns its modelled members.
fn check_authorization_code(
    members: &Members<'_>,
    v: &mut Violations,
) -> Result<Map<String, Value>, ApiError> {
    let path = members.path("RedirectUris");
    let mut stored = Map::new();
    match members.strings("RedirectUris")? {
        None => {
            v.add_rule(format!(
                "Value null at '{path}' failed to satisfy constraint: RedirectUris is required when the grant type is authorization_code"
            ));
        }
        Some(uris) => {
            let (min, max) = model::GRANT_LIST_LEN;
            check_list_len(v, &path, uris.len(), min, max);
            stored.insert("RedirectUris".to_string(), string_list(&uris));
        }
    }
    Ok(stored)
}

/// Check a `JwtBearerGrant`; returns its modelled members.
fn check_jwt_bearer(
    members: &Members<'_>,
    v: &mut Violations,
) -> Result<Map<String, Value>, ApiError> {
    let path = members.path("AuthorizedTokenIssuers");
    let mut stored = Map::new();
    let Some(issuers) = members.array("AuthorizedTokenIssuers")? else {
        v.add_rule(format!(
            "Value null at '{path}' failed to satisfy constraint: AuthorizedTokenIssuers is required when the grant type is JwtBearer"
        ));
        return Ok(stored);
    };
    let (min, max) = model::GRANT_LIST_LEN;
    check_list_len(v, &path, issuers.len(), min, max);
    let mut stored_issuers = Vec::with_capacity(issuers.len());
    for (index, issuer) in issuers.iter().enumerate() {
        let item_path = format!("{path}.{}.member", index + 1);
        let Value::Object(issuer) = issuer else {
            return Err(ApiError::serialization(format!(
                "Expected an object for '{item_path}'"
            )));
        };
        let item = Members::new(issuer, &item_path);
        let mut stored_issuer = Map::new();
        if let Some(arn) = item.string("TrustedTokenIssuerArn")? {
            check_string(
                v,
                &item.path("TrustedTokenIssuerArn"),
                arn,
                &model::TRUSTED_TOKEN_ISSUER_ARN,
            );
            stored_issuer.insert(
                "TrustedTokenIssuerArn".to_string(),
                Value::String(arn.to_string()),
            );
        }
        if let Some(audiences) = item.strings("AuthorizedAudiences")? {
            let audiences_path = item.path("AuthorizedAudiences");
            check_list_len(v, &audiences_path, audiences.len(), min, max);
            for (i, audience) in audiences.iter().enumerate() {
                check_string(
                    v,
                    &format!("{audiences_path}.{}.member", i + 1),
                    audience,
                    &model::TOKEN_ISSUER_AUDIENCE,
                );
            }
            stored_issuer.insert("AuthorizedAudiences".to_string(), string_list(&audiences));
        }
        stored_issuers.push(Value::Object(stored_issuer));
    }
    stored.insert(
        "AuthorizedTokenIssuers".to_string(),
        Value::Array(stored_issuers),
    );
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(body: Value) -> Result<(), ApiError> {
        let obj = body.as_object().cloned().unwrap_or_default();
        let m = Members::new(&obj, "");
        let mut v = Violations::new();
        let t = read_grant_type(&m, &mut v)?;
        check_grant(&m, t, &mut v)?;
        v.into_result()
    }

    #[test]
    fn list_order_is_wire_string_order() {
        let mut by_string = GrantType::ALL;
        by_string.sort_by_key(|t| t.as_str());
        assert_eq!(by_string, GrantType::ALL);
    }

    #[test]
    fn accepts_each_well_formed_grant() {
        assert!(check(json!({"GrantType":"refresh_token","Grant":{"RefreshToken":{}}})).is_ok());
        assert!(check(json!({"GrantType":"authorization_code","Grant":{"AuthorizationCode":{"RedirectUris":["https://a/cb"]},"JwtBearer":null}})).is_ok());
    }

    #[test]
    fn only_modelled_members_are_kept() {
        let stored = |body: Value| {
            let obj = body.as_object().cloned().unwrap_or_default();
            let m = Members::new(&obj, "");
            let mut v = Violations::new();
            let t = read_grant_type(&m, &mut v).unwrap();
            let grant = check_grant(&m, t, &mut v).unwrap();
            v.into_result().unwrap();
            grant.unwrap()
        };
        assert_eq!(
            stored(json!({"GrantType":"refresh_token","Grant":{"RefreshToken":{"Junk":[1,2]}}})),
            json!({"RefreshToken":{}})
        );
        assert_eq!(
            stored(
                json!({"GrantType":"authorization_code","Grant":{"AuthorizationCode":{"RedirectUris":["https://a/cb"],"X":1},"JwtBearer":null}})
            ),
            json!({"AuthorizationCode":{"RedirectUris":["https://a/cb"]}})
        );
        assert_eq!(
            stored(
                json!({"GrantType":"urn:ietf:params:oauth:grant-type:jwt-bearer","Grant":{"JwtBearer":{"AuthorizedTokenIssuers":[{"AuthorizedAudiences":["a"],"TrustedTokenIssuerArn":null,"Y":true}],"Z":{}}}})
            ),
            json!({"JwtBearer":{"AuthorizedTokenIssuers":[{"AuthorizedAudiences":["a"]}]}})
        );
    }

    #[test]
    fn rejects_mismatched_empty_and_mixed_unions() {
        for body in [
            json!({"GrantType":"refresh_token","Grant":{"TokenExchange":{}}}),
            json!({"GrantType":"refresh_token","Grant":{}}),
            json!({"GrantType":"refresh_token","Grant":{"RefreshToken":{},"TokenExchange":{}}}),
            json!({"GrantType":"refresh_token","Grant":{"Other":{}}}),
            json!({"GrantType":"authorization_code","Grant":{"AuthorizationCode":{}}}),
            json!({"GrantType":"urn:ietf:params:oauth:grant-type:jwt-bearer","Grant":{"JwtBearer":{"AuthorizedTokenIssuers":[{"AuthorizedAudiences":[""]}]}}}),
        ] {
            let err = check(body.clone()).unwrap_err();
            assert_eq!(err.code, "ValidationException", "{body}");
        }
    }
}
