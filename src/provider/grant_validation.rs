//! Plan-time checks of an `identitycenter_application_grant` configuration:
//! every rule AWS enforces on PutApplicationGrant that can be known before
//! calling AWS, each reported on the attribute it concerns. Unknown values
//! are skipped, never rejected.

use std::sync::OnceLock;

use regex::Regex;

use super::grant::GrantType;
use crate::framework::Diagnostics;
use crate::value::{AttributePath, Value};

/// At most this many redirect URIs, issuers, or audiences per issuer.
pub const MAX_ITEMS: usize = 10;
/// Longest accepted audience.
pub const MAX_AUDIENCE_CHARS: usize = 512;

/// The form of an application ARN, as the AWS model defines it.
pub fn application_arn_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9\-.]{16}/apl-[a-zA-Z0-9]{16}$",
        )
        .unwrap_or_else(|e| unreachable!("static pattern: {e}"))
    })
}

/// The form of a trusted token issuer ARN, as the AWS model defines it.
pub fn trusted_token_issuer_arn_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:trustedTokenIssuer/(sso)?ins-[a-zA-Z0-9\-.]{16}/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$",
        )
        .unwrap_or_else(|e| unreachable!("static pattern: {e}"))
    })
}

/// The expected application ARN form, for messages.
pub const APPLICATION_ARN_FORM: &str =
    "arn:aws:sso::<12-digit account id>:application/ssoins-<16 characters>/apl-<16 letters or digits>";
const ISSUER_ARN_FORM: &str =
    "arn:aws:sso::<12-digit account id>:trustedTokenIssuer/ssoins-<16 characters>/tti-<UUID>";

/// A configured value quoted for a message, shortened when long: the
/// message must stay readable whatever was written.
fn shown(value: &str) -> String {
    const MAX_CHARS: usize = 120;
    if value.chars().count() <= MAX_CHARS {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX_CHARS).collect();
        format!("{head:?}… ({} characters)", value.chars().count())
    }
}

/// Checks a whole resource configuration.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let root = AttributePath::root();

    if let Some(Value::String(arn)) = config.get_attr("application_arn") {
        if let Err(detail) = check_application_arn(arn) {
            diags.error_at(
                root.clone().attribute("application_arn"),
                "Invalid application ARN",
                detail,
            );
        }
    }

    let grant_type = match config.get_attr("grant_type") {
        Some(Value::String(text)) => match GrantType::parse(text) {
            Some(t) => Some(t),
            None => {
                diags.error_at(
                    root.clone().attribute("grant_type"),
                    "Invalid grant type",
                    grant_type_detail(text),
                );
                None
            }
        },
        _ => None,
    };

    if let Some(grant) = config.get_attr("grant").filter(|v| !v.is_null()) {
        check_grant(grant, grant_type, &root.attribute("grant"), &mut diags);
    }
    diags
}

/// Checks an application ARN, returning a message that shows the expected form.
pub fn check_application_arn(arn: &str) -> Result<(), String> {
    if application_arn_pattern().is_match(arn) && arn.len() <= 1224 {
        Ok(())
    } else {
        Err(format!(
            "{} is not an Identity Center application ARN. Expected the form \
             {APPLICATION_ARN_FORM}, e.g. \
             arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444.",
            shown(arn)
        ))
    }
}

fn grant_type_detail(text: &str) -> String {
    let valid = GrantType::ALL
        .map(|t| format!("{:?}", t.as_str()))
        .join(", ");
    let normalised = text.trim().to_ascii_lowercase().replace('-', "_");
    let hint = GrantType::ALL
        .into_iter()
        .find(|t| t.block_name() == normalised || t.as_str() == text.trim())
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
        "grant_type must be one of {valid}; got {}.{hint}",
        shown(text)
    )
}

fn check_grant(
    grant: &Value,
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
    for t in GrantType::ALL {
        match grant.get_attr(t.block_name()) {
            Some(Value::Unknown(_)) => any_unknown = true,
            Some(v) if !v.is_null() => {
                present.push((t, v, certainly_present(v, grant_type.is_some())))
            }
            _ => {}
        }
    }
    let blocks_hint = GrantType::ALL
        .map(|t| format!("{} (for {:?})", t.block_name(), t.as_str()))
        .join(", ");
    if present.is_empty() && !any_unknown {
        let wanted = grant_type
            .map(|t| {
                format!(
                    " For grant_type {:?} write `{} {{ … }}` inside grant.",
                    t.as_str(),
                    t.block_name()
                )
            })
            .unwrap_or_default();
        diags.error_at(
            path.clone(),
            "Missing grant settings",
            format!("grant must contain exactly one of {blocks_hint}.{wanted}"),
        );
        return;
    }
    let certain: Vec<GrantType> = present
        .iter()
        .filter(|(_, _, c)| *c)
        .map(|(t, _, _)| *t)
        .collect();
    if certain.len() > 1 {
        let names: Vec<_> = certain.iter().map(|t| t.block_name()).collect();
        diags.error_at(
            path.clone(),
            "Conflicting grant settings",
            format!(
                "grant contains {}; it must contain exactly one sub-block, the one matching \
                 grant_type.",
                names.join(" and ")
            ),
        );
    } else if let (Some(expected), [found]) = (grant_type, certain.as_slice()) {
        if expected != *found {
            diags.error_at(
                path.clone().attribute(found.block_name()),
                "Grant settings do not match grant_type",
                format!(
                    "grant_type is {:?}, which is configured with a `{}` block, but this grant \
                     contains `{}` (the block for {:?}). AWS requires the grant to match the \
                     grant type.",
                    expected.as_str(),
                    expected.block_name(),
                    found.block_name(),
                    found.as_str()
                ),
            );
        }
    }
    for (t, body, _) in &present {
        check_settings(*t, body, &path.clone().attribute(t.block_name()), diags);
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

fn check_settings(
    grant_type: GrantType,
    body: &Value,
    path: &AttributePath,
    diags: &mut Diagnostics,
) {
    match grant_type {
        GrantType::AuthorizationCode => {
            let uris_path = path.clone().attribute("redirect_uris");
            if let Some(Value::Set(uris)) = body.get_attr("redirect_uris") {
                check_count(uris.len(), "redirect URI", &uris_path, diags);
                for uri in uris.iter().filter_map(Value::as_str) {
                    if let Err(why) = check_absolute_uri(uri) {
                        diags.error_at(
                            uris_path.clone(),
                            "Invalid redirect URI",
                            format!("{} is not an absolute URI: {why}.", shown(uri)),
                        );
                    }
                }
            }
        }
        GrantType::JwtBearer => {
            let issuers_path = path.clone().attribute("authorized_token_issuers");
            if let Some(Value::Set(issuers)) = body.get_attr("authorized_token_issuers") {
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
        GrantType::RefreshToken | GrantType::TokenExchange => {}
    }
}

fn check_issuer(issuer: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    // Set elements cannot be addressed, so findings point at the issuers
    // block and name the issuer in the message.
    let arn = issuer
        .get_attr("trusted_token_issuer_arn")
        .and_then(Value::as_str);
    if let Some(arn) = arn {
        if !trusted_token_issuer_arn_pattern().is_match(arn) || arn.len() > 1224 {
            diags.error_at(
                path.clone(),
                "Invalid trusted token issuer ARN",
                format!(
                    "trusted_token_issuer_arn {} is not a trusted token issuer ARN. Expected \
                     the form {ISSUER_ARN_FORM}.",
                    shown(arn)
                ),
            );
        }
    }
    let who = arn.map(|a| format!(" of issuer {a}")).unwrap_or_default();
    if let Some(Value::Set(audiences)) = issuer.get_attr("authorized_audiences") {
        if audiences.is_empty() || audiences.len() > MAX_ITEMS {
            diags.error_at(
                path.clone(),
                "Invalid number of authorized audiences",
                format!(
                    "authorized_audiences{who} must list 1 to {MAX_ITEMS} audiences; it lists {}.",
                    audiences.len()
                ),
            );
        }
        for audience in audiences.iter().filter_map(Value::as_str) {
            let chars = audience.chars().count();
            if chars == 0 || chars > MAX_AUDIENCE_CHARS {
                diags.error_at(
                    path.clone(),
                    "Invalid authorized audience",
                    format!(
                        "Each audience{who} must be 1 to {MAX_AUDIENCE_CHARS} characters long; \
                         one is {chars}."
                    ),
                );
            }
        }
    }
}

fn check_count(count: usize, what: &str, path: &AttributePath, diags: &mut Diagnostics) {
    if count == 0 || count > MAX_ITEMS {
        diags.error_at(
            path.clone(),
            format!("Invalid number of {what}s"),
            format!("Between 1 and {MAX_ITEMS} {what}s are allowed; {count} given."),
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

    #[test]
    fn application_arns_match_the_aws_model() {
        assert!(check_application_arn(
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444"
        )
        .is_ok());
        assert!(check_application_arn(
            "arn:aws-us-gov:sso::123456789012:application/ins-1111222233334444/apl-aaaabbbbccccdddd"
        )
        .is_ok());
        for bad in [
            "arn:aws:sso::12345678901:application/ssoins-1111222233334444/apl-1111222233334444",
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-111122223333444",
            "xarn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444",
            "arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-1111222233334444/x",
        ] {
            let err = check_application_arn(bad).expect_err(bad);
            assert!(err.contains("apl-<16"), "{err}");
        }
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let detail = check_application_arn(&"x".repeat(10_000)).expect_err("invalid");
        assert!(detail.len() < 600, "{} bytes", detail.len());
        assert!(detail.contains("(10000 characters)"));
    }

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

    fn grant(blocks: Vec<(&str, Value)>) -> Value {
        let mut all: std::collections::BTreeMap<String, Value> = GrantType::ALL
            .iter()
            .map(|t| (t.block_name().to_string(), Value::Null))
            .collect();
        for (k, v) in blocks {
            all.insert(k.to_string(), v);
        }
        Value::Object(all)
    }

    fn summaries(g: &Value, grant_type: Option<GrantType>) -> Vec<String> {
        let mut d = Diagnostics::new();
        check_grant(
            g,
            grant_type,
            &AttributePath::root().attribute("grant"),
            &mut d,
        );
        d.iter().map(|x| x.summary.clone()).collect()
    }

    #[test]
    fn dynamic_placeholders_do_not_count_as_blocks() {
        // What Terraform sends while the dynamic blocks' for_each is unknown.
        let placeholder = grant(vec![
            (
                "authorization_code",
                Value::object([("redirect_uris", Value::unknown())]),
            ),
            ("refresh_token", Value::object(Vec::<(&str, Value)>::new())),
            ("token_exchange", Value::object(Vec::<(&str, Value)>::new())),
        ]);
        assert!(summaries(&placeholder, None).is_empty());
    }

    #[test]
    fn literal_blocks_are_checked_against_a_known_grant_type() {
        let empty = || Value::object(Vec::<(&str, Value)>::new());
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
        let d = grant_type_detail("jwt_bearer");
        assert!(
            d.contains("urn:ietf:params:oauth:grant-type:jwt-bearer"),
            "{d}"
        );
        let d = grant_type_detail("token-exchange");
        assert!(
            d.contains("urn:ietf:params:oauth:grant-type:token-exchange"),
            "{d}"
        );
    }
}
