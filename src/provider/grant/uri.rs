//! Redirect URIs: absolute, as OAuth requires of a client's redirection
//! endpoint.

/// An absolute URI (RFC 3986): a scheme, a colon, and something after it,
/// with no spaces or control characters.
pub(crate) fn check_absolute_uri(uri: &str) -> Result<(), String> {
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
}
