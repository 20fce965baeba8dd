//! Plan-time checks of grant configurations: every rule AWS enforces on
//! PutApplicationGrant that can be known before calling AWS, each reported
//! on the attribute it concerns. Unknown values are skipped, never rejected.
//! The resource, both data sources and the functions share these rules.

use std::collections::BTreeSet;

use super::arn::{check_application_arn, check_issuer_arn, shown};
use super::domain::GrantType;
use super::model::{
    AuthorizationCodeBlock, GrantBlock, GrantResourceModel, IssuerBlock, JwtBearerBlock,
    TimeoutsBlock,
};
use crate::framework::{Diagnostic, Diagnostics, Field};
use crate::provider::duration::parse_duration;
use crate::value::{AttributePath, Value};

/// At most this many redirect URIs, issuers, or audiences per issuer.
pub const MAX_ITEMS: usize = 10;
/// Longest accepted audience.
pub const MAX_AUDIENCE_CHARS: usize = 512;

/// Checks a whole resource configuration.
pub fn validate_resource(config: &GrantResourceModel) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let grant_type = check_key(&config.application_arn, &config.grant_type, &mut diags);
    if let Field::Known(grant) = &config.grant {
        let path = AttributePath::root().attribute(GrantResourceModel::GRANT);
        check_grant(grant, grant_type, &path, &mut diags);
    }
    if let Field::Known(timeouts) = &config.timeouts {
        check_timeouts(timeouts, &mut diags);
    }
    diags
}

/// Each deadline must be a positive duration such as `30s`, `5m` or `1h30m`.
fn check_timeouts(timeouts: &TimeoutsBlock, diags: &mut Diagnostics) {
    let path = AttributePath::root().attribute(GrantResourceModel::TIMEOUTS);
    for (name, value) in [
        (TimeoutsBlock::CREATE, &timeouts.create),
        (TimeoutsBlock::READ, &timeouts.read),
        (TimeoutsBlock::UPDATE, &timeouts.update),
        (TimeoutsBlock::DELETE, &timeouts.delete),
    ] {
        let Some(text) = value.known() else {
            continue;
        };
        let problem = match parse_duration(text) {
            Ok(d) if d.is_zero() => Some("a deadline must be longer than zero".to_string()),
            Ok(_) => None,
            Err(why) => Some(why),
        };
        if let Some(why) = problem {
            diags.add(
                Diagnostic::error(
                    "Invalid timeout",
                    format!(
                        "{name} = {} is not a duration like \"30s\", \"5m\" or \"1h30m\": {why}.",
                        shown(text)
                    ),
                )
                .at(path.clone().attribute(name)),
            );
        }
    }
}

/// Checks the `application_arn` and `grant_type` arguments at the root of a
/// configuration; returns the grant type when it is known and valid.
pub fn check_key(
    application_arn: &Field<String>,
    grant_type: &Field<String>,
    diags: &mut Diagnostics,
) -> Option<GrantType> {
    check_application_arn_field(application_arn, diags);
    let text = grant_type.known()?;
    let parsed = GrantType::parse(text);
    if parsed.is_none() {
        diags.add(
            Diagnostic::error("Invalid grant type", grant_type_detail(text))
                .at(AttributePath::root().attribute(GrantResourceModel::GRANT_TYPE)),
        );
    }
    parsed
}

/// Checks an `application_arn` argument at the root of a configuration.
pub fn check_application_arn_field(application_arn: &Field<String>, diags: &mut Diagnostics) {
    if let Some(Err(detail)) = application_arn
        .known()
        .map(|arn| check_application_arn(arn))
    {
        diags.add(
            Diagnostic::error("Invalid application ARN", detail)
                .at(AttributePath::root().attribute(GrantResourceModel::APPLICATION_ARN)),
        );
    }
}

/// Why `text` is not a grant type, with a hint for the usual mistakes.
pub fn grant_type_detail(text: &str) -> String {
    let normalised = text.trim().to_ascii_lowercase().replace('-', "_");
    let hint = GrantType::ALL
        .into_iter()
        .find(|t| GrantBlock::member_name(*t) == normalised || t.as_str() == text.trim())
        .map(|t| {
            if t.as_str() == text.trim() {
                " Remove the surrounding whitespace.".to_string()
            } else {
                format!(
                    " {} is the name of the grant sub-block; grant_type takes the full \
                     value {:?}.",
                    shown(text),
                    t.as_str()
                )
            }
        })
        .unwrap_or_default();
    format!(
        "grant_type must be one of {}; got {}.{hint}",
        GrantType::valid_values(),
        shown(text)
    )
}

/// Checks the `grant` block at `path` against the grant type.
pub fn check_grant(
    grant: &GrantBlock,
    grant_type: Option<GrantType>,
    path: &AttributePath,
    diags: &mut Diagnostics,
) {
    // A `dynamic` sub-block whose for_each is not known yet (e.g. during
    // `terraform validate`, or inside for_each before each.value is known)
    // reaches us as a placeholder: present, with every attribute unknown,
    // and indistinguishable from a real block when its body is empty. Only
    // blocks that are certainly there take part in the structural checks;
    // Terraform validates again at plan time with the values known.
    let mut present = Vec::new();
    let mut any_unknown = false;
    for (t, body) in grant.members() {
        match body {
            Field::Unknown => any_unknown = true,
            Field::Known(v) => present.push((t, certainly_present(&v, grant_type.is_some()))),
            Field::Null => {}
        }
    }
    let blocks_hint = GrantType::ALL
        .map(|t| format!("{} (for {:?})", GrantBlock::member_name(t), t.as_str()))
        .join(", ");
    if present.is_empty() && !any_unknown {
        let wanted = grant_type
            .map(|t| {
                format!(
                    " For grant_type {:?} write `{} {{ … }}` inside grant.",
                    t.as_str(),
                    GrantBlock::member_name(t)
                )
            })
            .unwrap_or_default();
        diags.add(
            Diagnostic::error(
                "Missing grant settings",
                format!("grant must contain exactly one of {blocks_hint}.{wanted}"),
            )
            .at(path.clone()),
        );
        return;
    }
    let certain: Vec<GrantType> = present
        .iter()
        .filter(|(_, c)| *c)
        .map(|(t, _)| *t)
        .collect();
    if certain.len() > 1 {
        let names: Vec<_> = certain
            .iter()
            .map(|t| GrantBlock::member_name(*t))
            .collect();
        // Point at the blocks that do not belong: those not matching a
        // known grant_type, else every one after the first.
        let keep = grant_type
            .filter(|t| certain.contains(t))
            .unwrap_or(certain[0]);
        for extra in certain.iter().filter(|t| **t != keep) {
            diags.add(
                Diagnostic::error(
                    "Conflicting grant settings",
                    format!(
                        "grant contains {}; it must contain exactly one sub-block, the one matching \
                         grant_type. Remove `{}`.",
                        names.join(" and "),
                        GrantBlock::member_name(*extra)
                    ),
                )
                .at(path.clone().attribute(GrantBlock::member_name(*extra))),
            );
        }
    } else if let (Some(expected), [found]) = (grant_type, certain.as_slice()) {
        if expected != *found {
            diags.add(
                Diagnostic::error(
                    "Grant settings do not match grant_type",
                    format!(
                        "grant_type is {:?}, which is configured with a `{}` block, but this grant \
                         contains `{}` (the block for {:?}). AWS requires the grant to match the \
                         grant type.",
                        expected.as_str(),
                        GrantBlock::member_name(expected),
                        GrantBlock::member_name(*found),
                        found.as_str()
                    ),
                )
                .at(path.clone().attribute(GrantBlock::member_name(*found))),
            );
        }
    }
    if let Field::Known(body) = &grant.authorization_code {
        check_authorization_code(
            body,
            &path.clone().attribute(GrantBlock::AUTHORIZATION_CODE),
            diags,
        );
    }
    if let Field::Known(body) = &grant.jwt_bearer {
        check_jwt_bearer(body, &path.clone().attribute(GrantBlock::JWT_BEARER), diags);
    }
}

/// Whether a sub-block is really in the configuration rather than the
/// placeholder of a `dynamic` block with an unknown for_each: it has a known
/// value somewhere, or (when the grant type is known, so a mismatch can be
/// judged) it has no values at all.
fn certainly_present(body: &Value, grant_type_known: bool) -> bool {
    let (known, unknown) = count_leaves(body);
    known > 0 || (unknown == 0 && grant_type_known)
}

/// Known and unknown leaf values inside a block body.
fn count_leaves(value: &Value) -> (usize, usize) {
    match value {
        Value::Unknown(_) => (0, 1),
        Value::Null => (0, 0),
        Value::Object(attrs) => attrs
            .values()
            .map(count_leaves)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        Value::Set(items) | Value::List(items)
            if items.iter().any(|i| matches!(i, Value::Object(_))) =>
        {
            items
                .iter()
                .map(count_leaves)
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        }
        _ => (1, 0),
    }
}

fn check_authorization_code(
    body: &AuthorizationCodeBlock,
    path: &AttributePath,
    diags: &mut Diagnostics,
) {
    let uris_path = path
        .clone()
        .attribute(AuthorizationCodeBlock::REDIRECT_URIS);
    if let Field::Known(uris) = &body.redirect_uris {
        check_count(uris.len(), "redirect URI", &uris_path, diags);
        for uri in uris.iter().filter_map(Field::known) {
            if let Err(why) = check_absolute_uri(uri) {
                diags.add(
                    Diagnostic::error(
                        "Invalid redirect URI",
                        format!("{} is not an absolute URI: {why}.", shown(uri)),
                    )
                    .at(uris_path.clone()),
                );
            }
        }
    }
}

fn check_jwt_bearer(body: &JwtBearerBlock, path: &AttributePath, diags: &mut Diagnostics) {
    let issuers_path = path
        .clone()
        .attribute(JwtBearerBlock::AUTHORIZED_TOKEN_ISSUERS);
    if let Field::Known(issuers) = &body.authorized_token_issuers {
        check_count(
            issuers.len(),
            "authorized token issuer",
            &issuers_path,
            diags,
        );
        for issuer in issuers {
            check_issuer(issuer, &issuers_path, diags);
        }
    }
}

fn check_issuer(issuer: &IssuerBlock, path: &AttributePath, diags: &mut Diagnostics) {
    // Set elements cannot be addressed, so findings point at the issuers
    // block and name the issuer in the message.
    let arn = issuer.trusted_token_issuer_arn.known();
    if let Some(Err(detail)) = arn.map(|a| check_issuer_arn(a)) {
        diags.add(Diagnostic::error("Invalid trusted token issuer ARN", detail).at(path.clone()));
    }
    let who = arn.map(|a| format!(" of issuer {a}")).unwrap_or_default();
    if let Field::Known(audiences) = &issuer.authorized_audiences {
        check_audiences(audiences, &who, path, diags);
    }
}

fn check_audiences(
    audiences: &BTreeSet<Field<String>>,
    who: &str,
    path: &AttributePath,
    diags: &mut Diagnostics,
) {
    if audiences.is_empty() || audiences.len() > MAX_ITEMS {
        diags.add(
            Diagnostic::error(
                "Invalid number of authorized audiences",
                format!(
                    "authorized_audiences{who} must list 1 to {MAX_ITEMS} audiences; it lists {}.",
                    audiences.len()
                ),
            )
            .at(path.clone()),
        );
    }
    for audience in audiences.iter().filter_map(Field::known) {
        let chars = audience.chars().count();
        if chars == 0 || chars > MAX_AUDIENCE_CHARS {
            diags.add(
                Diagnostic::error(
                    "Invalid authorized audience",
                    format!(
                        "Each audience{who} must be 1 to {MAX_AUDIENCE_CHARS} characters long; \
                         one is {chars}."
                    ),
                )
                .at(path.clone()),
            );
        }
    }
}

fn check_count(count: usize, what: &str, path: &AttributePath, diags: &mut Diagnostics) {
    if count == 0 || count > MAX_ITEMS {
        diags.add(
            Diagnostic::error(
                format!("Invalid number of {what}s"),
                format!("Between 1 and {MAX_ITEMS} {what}s are allowed; {count} given."),
            )
            .at(path.clone()),
        );
    }
}

/// An absolute URI (RFC 3986): a scheme, a colon, and something after it,
/// with no spaces or control characters.
pub fn check_absolute_uri(uri: &str) -> Result<(), String> {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err("it has no scheme (such as https:)".into());
    };
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err("it has no valid scheme (such as https:)".into());
    }
    if rest.is_empty() {
        return Err("nothing follows the scheme".into());
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains whitespace or control characters".into());
    }
    if uri.contains('#') {
        return Err("an absolute URI has no fragment (#…)".into());
    }
    let lower = scheme.to_ascii_lowercase();
    if (lower == "http" || lower == "https") && !rest.starts_with("//") {
        return Err("an http(s) URI needs // and a host after the scheme".into());
    }
    if (lower == "http" || lower == "https") && rest.trim_start_matches('/').is_empty() {
        return Err("it has no host".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::model::from_root;
    use crate::framework::IntoValue;
    use crate::value::Value;

    #[test]
    fn absolute_uris() {
        for ok in [
            "https://app.example.com/cb",
            "http://localhost:8080/cb",
            "myapp:/callback",
            "com.example.app:/oauth",
        ] {
            assert!(check_absolute_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "/callback",
            "app.example.com/cb",
            "https:/x",
            "https://",
            "https://a b",
            "1https://x",
            "https://a/cb#frag",
        ] {
            assert!(check_absolute_uri(bad).is_err(), "{bad}");
        }
    }

    /// A grant block value with the given sub-blocks, the rest null.
    fn grant(blocks: Vec<(&str, Value)>) -> GrantBlock {
        let mut all = GrantBlock::default().into_value();
        if let Value::Object(m) = &mut all {
            for (k, v) in blocks {
                m.insert(k.to_string(), v);
            }
        }
        from_root(&all).expect("a grant block")
    }

    fn summaries(g: &GrantBlock, grant_type: Option<GrantType>) -> Vec<String> {
        let mut d = Diagnostics::new();
        check_grant(
            g,
            grant_type,
            &AttributePath::root().attribute("grant"),
            &mut d,
        );
        d.iter().map(|x| x.summary.clone()).collect()
    }

    fn empty() -> Value {
        Value::object(Vec::<(&str, Value)>::new())
    }

    #[test]
    fn dynamic_placeholders_do_not_count_as_blocks() {
        // What Terraform sends while the dynamic blocks' for_each is unknown.
        let placeholder = grant(vec![
            (
                "authorization_code",
                Value::object([("redirect_uris", Value::unknown())]),
            ),
            ("refresh_token", empty()),
            ("token_exchange", empty()),
        ]);
        assert!(summaries(&placeholder, None).is_empty());
    }

    #[test]
    fn literal_blocks_are_checked_against_a_known_grant_type() {
        let two = grant(vec![
            ("refresh_token", empty()),
            ("token_exchange", empty()),
        ]);
        assert_eq!(
            summaries(&two, Some(GrantType::RefreshToken)),
            ["Conflicting grant settings"]
        );
        let wrong = grant(vec![("refresh_token", empty())]);
        assert_eq!(
            summaries(&wrong, Some(GrantType::AuthorizationCode)),
            ["Grant settings do not match grant_type"]
        );
        assert_eq!(summaries(&grant(vec![]), None), ["Missing grant settings"]);
        let uris = Value::Set(vec![Value::string("https://a/cb")]);
        let code = grant(vec![
            (
                "authorization_code",
                Value::object([("redirect_uris", uris)]),
            ),
            ("refresh_token", empty()),
        ]);
        assert_eq!(
            summaries(&code, None),
            Vec::<String>::new(),
            "empty block is uncertain without a grant type"
        );
        assert_eq!(
            summaries(&code, Some(GrantType::AuthorizationCode)),
            ["Conflicting grant settings"]
        );
    }

    #[test]
    fn grant_type_hint_for_block_names() {
        // The hint's own sentence: the valid values are listed anyway.
        let d = grant_type_detail("jwt_bearer");
        assert!(
            d.ends_with(
                "\"jwt_bearer\" is the name of the grant sub-block; grant_type takes the full \
                 value \"urn:ietf:params:oauth:grant-type:jwt-bearer\"."
            ),
            "{d}"
        );
        let d = grant_type_detail("token-exchange");
        assert!(
            d.ends_with(
                "grant_type takes the full value \"urn:ietf:params:oauth:grant-type:token-exchange\"."
            ),
            "{d}"
        );
        let d = grant_type_detail(" refresh_token");
        assert!(d.ends_with(" Remove the surrounding whitespace."), "{d}");
        let d = grant_type_detail("client_credentials");
        assert!(d.ends_with("got \"client_credentials\"."), "no hint: {d}");
    }
}
