//! Following a List operation's pages to the end, or failing.
//!
//! A listing is only worth something when it is complete: a refresh that
//! trusted half a listing would read the grants on the pages it never saw as
//! gone. So a page token that the listing already used (which would go round
//! in circles), a token AWS could never have issued, or pages that list the
//! same item twice (a cursor that restarted) end the listing with an error,
//! never with the pages read so far taken as the whole.

use std::collections::HashMap;

/// The longest `NextToken` AWS's model allows.
const MAX_TOKEN_LEN: usize = 2048;

/// Why a listing cannot be completed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BrokenPaging {
    /// A page handed back a token the listing had already requested a page
    /// with.
    #[error(
        "page {page} returned the NextToken {token:?}, which page {first_sent_by} was already \
         requested with: following it would list the same pages again, forever"
    )]
    RepeatedToken {
        /// 1-based number of the page that returned it.
        page: usize,
        /// 1-based number of the page first requested with it.
        first_sent_by: usize,
        /// The token, shortened for the message.
        token: String,
    },
    /// A token outside the form AWS's model gives `NextToken`.
    #[error(
        "page {page} returned a NextToken that AWS could not have issued ({why}): the listing \
         cannot be followed"
    )]
    ImpossibleToken {
        /// 1-based number of the page that returned it.
        page: usize,
        /// What is wrong with it.
        why: String,
    },
    /// An item showed up on two pages: the pages overlap.
    #[error(
        "page {page} listed {item} again, already listed on page {first_page}: the pages \
         overlap, so the listing cannot be trusted to be complete"
    )]
    RepeatedItem {
        /// 1-based number of the page that listed it again.
        page: usize,
        /// 1-based number of the page that listed it first.
        first_page: usize,
        /// What was listed twice.
        item: String,
    },
}

/// The pages of one listing so far: which tokens were requested, which
/// items were seen, and on which page.
#[derive(Debug, Default)]
pub struct Pages {
    page: usize,
    tokens: HashMap<String, usize>,
    items: HashMap<String, usize>,
}

impl Pages {
    /// A listing that has read no page yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that a page has been received (before its items and its
    /// token are looked at).
    pub fn received(&mut self) {
        self.page += 1;
    }

    /// Records an item of the page just received; an item already listed
    /// on an earlier page (or this one) is an error.
    pub(crate) fn item(&mut self, item: &str) -> Result<(), BrokenPaging> {
        if let Some(first_page) = self.items.get(item) {
            return Err(BrokenPaging::RepeatedItem {
                page: self.page,
                first_page: *first_page,
                item: item.to_string(),
            });
        }
        self.items.insert(item.to_string(), self.page);
        Ok(())
    }

    /// The token to request the next page with, given the one the page
    /// just received carries: `None` at the end (no token, or an empty one,
    /// as AWS ends a listing). The token is recorded as sent.
    pub(crate) fn next_token(
        &mut self,
        returned: Option<&str>,
    ) -> Result<Option<String>, BrokenPaging> {
        let token = match returned {
            None | Some("") => return Ok(None),
            Some(token) => token,
        };
        if token.len() > MAX_TOKEN_LEN {
            return Err(BrokenPaging::ImpossibleToken {
                page: self.page,
                why: format!(
                    "{} characters, where at most {MAX_TOKEN_LEN} are allowed",
                    token.len()
                ),
            });
        }
        if let Some(bad) = token
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-+=/_".contains(*c)))
        {
            return Err(BrokenPaging::ImpossibleToken {
                page: self.page,
                why: format!("it holds the character {bad:?}"),
            });
        }
        // The page requested with this token is the next one.
        if let Some(first) = self.tokens.get(token) {
            return Err(BrokenPaging::RepeatedToken {
                page: self.page,
                first_sent_by: *first,
                token: shorten(token),
            });
        }
        self.tokens.insert(token.to_string(), self.page + 1);
        Ok(Some(token.to_string()))
    }
}

/// A token for a message: tokens can be 2 KiB long.
fn shorten(token: &str) -> String {
    const KEEP: usize = 40;
    match token.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}…", &token[..cut]),
        None => token.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_ends_without_a_token_or_with_an_empty_one() {
        let mut pages = Pages::new();
        pages.received();
        assert_eq!(pages.next_token(None), Ok(None));
        pages.received();
        assert_eq!(pages.next_token(Some("")), Ok(None));
    }

    #[test]
    fn fresh_tokens_are_followed() {
        let mut pages = Pages::new();
        for (n, token) in ["a", "b", "c"].into_iter().enumerate() {
            pages.received();
            pages.item(&format!("item{n}")).expect("new item");
            assert_eq!(pages.next_token(Some(token)), Ok(Some(token.to_string())));
        }
    }

    #[test]
    fn a_token_sent_before_is_an_error_naming_both_pages() {
        let mut pages = Pages::new();
        pages.received();
        pages.next_token(Some("T1")).expect("first token");
        pages.received();
        pages.next_token(Some("T2")).expect("second token");
        pages.received();
        let err = pages.next_token(Some("T1")).expect_err("repeated");
        assert_eq!(
            err,
            BrokenPaging::RepeatedToken {
                page: 3,
                first_sent_by: 2,
                token: "T1".into()
            }
        );
        assert!(err
            .to_string()
            .contains("page 3 returned the NextToken \"T1\""));
    }

    #[test]
    fn a_page_returning_the_token_it_was_requested_with_is_an_error() {
        let mut pages = Pages::new();
        pages.received();
        pages.next_token(Some("T1")).expect("first token");
        pages.received();
        assert!(matches!(
            pages.next_token(Some("T1")),
            Err(BrokenPaging::RepeatedToken {
                page: 2,
                first_sent_by: 2,
                ..
            })
        ));
    }

    #[test]
    fn tokens_outside_the_model_are_impossible() {
        let mut pages = Pages::new();
        pages.received();
        assert!(matches!(
            pages.next_token(Some("has space")),
            Err(BrokenPaging::ImpossibleToken { .. })
        ));
        assert!(matches!(
            pages.next_token(Some(&"a".repeat(MAX_TOKEN_LEN + 1))),
            Err(BrokenPaging::ImpossibleToken { .. })
        ));
        assert!(pages.next_token(Some(&"a".repeat(MAX_TOKEN_LEN))).is_ok());
    }

    #[test]
    fn an_item_on_two_pages_is_an_error() {
        let mut pages = Pages::new();
        pages.received();
        pages.item("x").expect("first");
        pages.next_token(Some("T")).expect("token");
        pages.received();
        assert_eq!(
            pages.item("x"),
            Err(BrokenPaging::RepeatedItem {
                page: 2,
                first_page: 1,
                item: "x".into()
            })
        );
    }

    #[test]
    fn long_tokens_are_shortened_in_messages() {
        let long = "b".repeat(100);
        assert_eq!(shorten(&long).chars().count(), 41);
        assert_eq!(shorten("short"), "short");
    }
}
