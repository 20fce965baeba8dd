//! An endpoint URL as messages and logs show it. An endpoint may carry
//! credentials in its authority (`https://user:password@host/`, as some
//! proxies and test setups are written); an error message, a log line or a
//! `Debug` dump is no place for them, so they are dropped there. The SDK
//! itself keeps the URL as configured.

use std::borrow::Cow;

/// `url` without the `user:password@` part of its authority, if any.
pub(crate) fn endpoint_for_display(url: &str) -> Cow<'_, str> {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |end| authority_start + end);
    // The user information ends at the authority's last `@` (a password
    // may hold more of them, percent-encoded or not).
    match url[authority_start..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!(
            "{}{}",
            &url[..authority_start],
            &url[authority_start + at + 1..]
        )),
        None => Cow::Borrowed(url),
    }
}

#[cfg(test)]
mod tests {
    use super::endpoint_for_display;

    #[test]
    fn user_and_password_are_dropped_from_the_authority_only() {
        for (given, shown) in [
            ("http://127.0.0.1:4566", "http://127.0.0.1:4566"),
            ("http://user:secret@127.0.0.1:4566", "http://127.0.0.1:4566"),
            (
                "https://user:p@ss@sso.example.com/prefix?q=a@b#frag@x",
                "https://sso.example.com/prefix?q=a@b#frag@x",
            ),
            ("https://token@sso.example.com", "https://sso.example.com"),
            ("user:secret@localhost:8080/x", "localhost:8080/x"),
            (
                "https://sso.us-east-1.amazonaws.com/a@b",
                "https://sso.us-east-1.amazonaws.com/a@b",
            ),
            ("", ""),
        ] {
            assert_eq!(endpoint_for_display(given), shown, "{given}");
        }
    }
}
