//! The grant schemas' rules: each attribute's and block's validators,
//! declared with it in [`super::model`] and run by the framework, are built
//! here from the framework's generic checks with this provider's words. The
//! schema names a message uses come from the declaration, so each is still
//! written once.

use std::sync::Arc;

use super::arn::{check_application_arn, check_instance_arn, check_issuer_arn};
use super::domain::GrantType;
use super::uri::check_absolute_uri;
use crate::framework::diagnostics::shown;
use crate::framework::rules::{self, BlockChoice, Checked, Validator};
use crate::framework::{Diagnostic, Diagnostics};
use crate::value::Value;

/// At most this many redirect URIs, issuers, or audiences per issuer.
pub(crate) const MAX_ITEMS: usize = 10;
/// Longest accepted audience.
pub(crate) const MAX_AUDIENCE_CHARS: usize = 512;

/// `application_arn`: an Identity Center application ARN.
pub fn application_arn() -> Arc<dyn Validator> {
    rules::matches("Invalid application ARN", check_application_arn)
}

/// `instance_arn`: an Identity Center instance ARN.
pub fn instance_arn() -> Arc<dyn Validator> {
    rules::matches("Invalid instance ARN", check_instance_arn)
}

/// The schema's words for a grant's type and settings, as the model
/// declares them.
#[derive(Clone, Copy)]
pub(crate) struct GrantWords {
    /// The attribute holding the grant type.
    pub grant_type: &'static str,
    /// The block holding the settings.
    pub grant: &'static str,
    /// The settings block's sub-block for each grant type.
    pub(crate) member_name: fn(GrantType) -> &'static str,
}

/// `grant_type`: one of the four, with a hint for the usual mistakes.
pub(crate) fn grant_type(words: GrantWords) -> Arc<dyn Validator> {
    rules::one_of(
        "Invalid grant type",
        || GrantType::ALL.map(GrantType::as_str).to_vec(),
        move |text| grant_type_detail(text, words),
    )
}

/// The `grant` block's sub-blocks, each with the grant type it configures.
fn grant_choice(words: GrantWords) -> Arc<BlockChoice> {
    Arc::new(BlockChoice {
        container: words.grant,
        selector: words.grant_type,
        options: GrantType::ALL
            .map(|t| ((words.member_name)(t), t.as_str().to_string()))
            .to_vec(),
    })
}

/// `grant` holds exactly one sub-block.
pub(crate) fn one_sub_block(words: GrantWords) -> Arc<dyn Validator> {
    rules::exactly_one_block(grant_choice(words))
}

/// `grant`'s sub-block is the one `grant_type` names.
pub(crate) fn the_sub_block_for_grant_type(words: GrantWords) -> Arc<dyn Validator> {
    rules::block_named_by(grant_choice(words))
}

/// `redirect_uris`: 1 to 10.
pub(crate) fn redirect_uri_count() -> Arc<dyn Validator> {
    rules::count_of("redirect URI", 1, MAX_ITEMS)
}

/// Each redirect URI is absolute.
pub fn redirect_uris() -> Arc<dyn Validator> {
    rules::each(rules::matches("Invalid redirect URI", |uri| {
        check_absolute_uri(uri)
            .map_err(|why| format!("{} is not an absolute URI: {why}.", shown(uri)))
    }))
}

/// `authorized_token_issuers`: 1 to 10.
pub(crate) fn issuer_count() -> Arc<dyn Validator> {
    rules::count_of("authorized token issuer", 1, MAX_ITEMS)
}

/// `trusted_token_issuer_arn` (named `name`): a trusted token issuer ARN.
pub(crate) fn issuer_arn(name: &'static str) -> Arc<dyn Validator> {
    rules::matches("Invalid trusted token issuer ARN", move |arn| {
        check_issuer_arn(arn).map_err(|why| format!("{name} {why}"))
    })
}

/// " of issuer <arn>" when the issuer of the checked audiences is known
/// (`issuer` names the sibling holding its ARN): set elements have no
/// path, so the message names the issuer.
fn of_issuer(at: &Checked<'_>, issuer: &str) -> String {
    at.sibling_string(issuer)
        .map(|arn| format!(" of issuer {arn}"))
        .unwrap_or_default()
}

/// `authorized_audiences` (named `attribute`, beside the issuer ARN
/// `issuer`): 1 to 10.
pub(crate) fn audience_count(attribute: &'static str, issuer: &'static str) -> Arc<dyn Validator> {
    rules::count_with(
        1,
        MAX_ITEMS,
        "Invalid number of authorized audiences",
        move |n, at| {
            format!(
                "{attribute}{} must list 1 to {MAX_ITEMS} audiences; it lists {n}.",
                of_issuer(at, issuer)
            )
        },
    )
}

/// Each audience (beside the issuer ARN `issuer`): 1 to 512 characters.
pub fn audiences(issuer: &'static str) -> Arc<dyn Validator> {
    rules::each(rules::length(
        1,
        MAX_AUDIENCE_CHARS,
        "Invalid authorized audience",
        move |chars, at| {
            format!(
                "Each audience{} must be 1 to {MAX_AUDIENCE_CHARS} characters long; one is {chars}.",
                of_issuer(at, issuer)
            )
        },
    ))
}

/// Why `text` is not a grant type, with a hint for the usual mistakes.
pub(crate) fn grant_type_detail(text: &str, words: GrantWords) -> String {
    format!(
        "{} must be one of {}; got {}.{}",
        words.grant_type,
        GrantType::valid_values(),
        shown(text),
        grant_type_hint(text, words)
    )
}

/// A sentence on the usual mistakes in writing a grant type (a sub-block's
/// name for the type, stray whitespace), or nothing.
fn grant_type_hint(text: &str, words: GrantWords) -> String {
    let (attribute, block) = (words.grant_type, words.grant);
    let normalised = text.trim().to_ascii_lowercase().replace('-', "_");
    match GrantType::ALL
        .into_iter()
        .find(|t| (words.member_name)(*t) == normalised || t.as_str() == text.trim())
    {
        Some(t) if t.as_str() == text.trim() => " Remove the surrounding whitespace.".to_string(),
        Some(t) => format!(
            " {} is the name of the {block} sub-block; {attribute} takes the full value {:?}.",
            shown(text),
            t.as_str()
        ),
        None => String::new(),
    }
}

/// A set of allowed grant types (the attribute `words.grant_type`): a value
/// that is no grant type allows nothing, which is worth a warning but not an
/// error (a type AWS adds later must not make the configuration invalid).
pub(crate) fn allowed_grant_types(words: GrantWords) -> Arc<dyn Validator> {
    Arc::new(AllowedGrantTypes { words })
}

struct AllowedGrantTypes {
    words: GrantWords,
}

impl Validator for AllowedGrantTypes {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let items = match value {
            Value::Set(items) | Value::List(items) => items,
            _ => return,
        };
        for text in items.iter().filter_map(Value::as_str) {
            if GrantType::parse(text).is_none() {
                diags.add(
                    Diagnostic::warning(
                        "Not a grant type",
                        format!(
                            "{} lists {}, which is not a grant type, so it allows nothing; \
                             grant types are {}.{}",
                            self.words.grant_type,
                            shown(text),
                            GrantType::valid_values(),
                            grant_type_hint(text, self.words)
                        ),
                    )
                    .at(at.path.clone()),
                );
            }
        }
    }
}
