//! Opaque page tokens for the List operations.
//!
//! A token is a random handle into a table of cursors the emulator issued. Nothing about the
//! position can be read from or forged into the token: a token that is not in the table, or
//! that belongs to another list, is a `ValidationException`, as AWS answers a bad `NextToken`.
//! Tokens stay valid after use, because the SDK re-sends the same token when it retries.

use std::collections::{HashMap, VecDeque};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::Rng;

use super::error::ApiError;

/// Which list a token continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListScope {
    /// `ListApplicationGrants` of one application.
    Grants(String),
    /// `ListApplicationAuthenticationMethods` of one application.
    AuthenticationMethods(String),
    /// `ListApplications` of one instance.
    Applications(String),
    /// `ListTrustedTokenIssuers` of one instance.
    TrustedTokenIssuers(String),
    /// `ListInstances`.
    Instances,
}

/// How many tokens are remembered before the oldest are forgotten.
const MAX_REMEMBERED: usize = 10_000;

/// The table of issued tokens.
#[derive(Debug, Clone, Default)]
pub struct PageTokens {
    cursors: HashMap<String, (ListScope, String)>,
    order: VecDeque<String>,
    issued: u64,
}

impl PageTokens {
    /// Issue a fresh token that continues `scope` after the item whose sort key is `after`.
    /// Every call returns a token never returned before.
    pub fn issue(&mut self, scope: ListScope, after: String) -> String {
        self.issued += 1;
        let nonce: [u8; 16] = rand::thread_rng().gen();
        let mut raw = self.issued.to_be_bytes().to_vec();
        raw.extend_from_slice(&nonce);
        let token = URL_SAFE_NO_PAD.encode(raw);
        if self.order.len() >= MAX_REMEMBERED {
            if let Some(oldest) = self.order.pop_front() {
                self.cursors.remove(&oldest);
            }
        }
        self.order.push_back(token.clone());
        self.cursors.insert(token.clone(), (scope, after));
        token
    }

    /// The sort key a token continues after, if the emulator issued it for this `scope`.
    pub fn resolve(&self, token: &str, scope: &ListScope) -> Result<String, ApiError> {
        match self.cursors.get(token) {
            Some((issued_for, after)) if issued_for == scope => Ok(after.clone()),
            Some(_) => Err(ApiError::validation(
                "The NextToken was issued for a different request and cannot be used here.",
            )),
            None => Err(ApiError::validation(
                "The NextToken provided is invalid or has expired.",
            )),
        }
    }
}

/// One page of `items` (already sorted by key) after `after`, and the key to continue from
/// when more items remain.
pub fn page<T>(
    items: Vec<(String, T)>,
    after: Option<&str>,
    page_size: usize,
) -> (Vec<T>, Option<String>) {
    let mut rest = items
        .into_iter()
        .filter(|(key, _)| after.is_none_or(|a| key.as_str() > a))
        .peekable();
    let mut out = Vec::new();
    let mut last_key = None;
    while out.len() < page_size.max(1) {
        match rest.next() {
            Some((key, item)) => {
                last_key = Some(key);
                out.push(item);
            }
            None => break,
        }
    }
    let more = rest.peek().is_some();
    (out, if more { last_key } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_bound_to_their_list() {
        let mut t = PageTokens::default();
        let scope = ListScope::Grants("a".into());
        let one = t.issue(scope.clone(), "k".into());
        let two = t.issue(scope.clone(), "k".into());
        assert_ne!(one, two);
        assert_eq!(t.resolve(&one, &scope).unwrap(), "k");
        assert!(t.resolve(&one, &ListScope::Grants("b".into())).is_err());
        assert!(t.resolve("forged", &scope).is_err());
    }

    #[test]
    fn pages_cover_every_item_once() {
        let items: Vec<(String, u32)> = (0..5).map(|i| (format!("{i:03}"), i)).collect();
        let (first, next) = page(items.clone(), None, 2);
        assert_eq!(first, vec![0, 1]);
        let (second, next) = page(items.clone(), next.as_deref(), 2);
        assert_eq!(second, vec![2, 3]);
        let (third, next) = page(items, next.as_deref(), 2);
        assert_eq!(third, vec![4]);
        assert!(next.is_none());
    }
}
