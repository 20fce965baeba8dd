//! Validators declared with an attribute or a nested block, and run by the
//! engine on every Validate*Config call: each sees only a known, non-null
//! value (unknown values are checked again once Terraform knows them), and
//! each reports on the path of what it checks. Elements of a set have no
//! path of their own, so what is found in one is reported on the set.
//!
//! The checks themselves are generic (a matcher, a count, a length, a set of
//! allowed values, one block chosen by an attribute); the words come from
//! the provider where a message needs its domain.

use std::fmt;
use std::sync::{Arc, OnceLock};

use super::diagnostics::{Diagnostic, Diagnostics};
use crate::value::{AttributePath, Value};

/// A provider's matcher: why a value is not allowed, if it is not.
type TextCheck = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;
/// A provider's sentence about a value that is not allowed.
type TextDetail = Box<dyn Fn(&str) -> String + Send + Sync>;
/// A provider's sentence about a size that is not allowed (a count or a
/// length), which may name what the checked value belongs to.
type SizeDetail = Box<dyn Fn(usize, &Checked<'_>) -> String + Send + Sync>;

/// What a validator is looking at besides the value itself.
pub struct Checked<'a> {
    /// Where its findings go.
    pub path: &'a AttributePath,
    /// The object holding the checked attribute or block (for messages that
    /// name a sibling).
    pub parent: &'a Value,
    /// The whole configuration (for rules that depend on another attribute).
    pub root: &'a Value,
}

impl Checked<'_> {
    fn error(&self, summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic::error(summary, detail).at(self.path.clone())
    }

    /// A known string attribute of the root object, by name.
    pub(crate) fn root_string(&self, name: &str) -> Option<&str> {
        known_string(self.root.get_attr(name)?)
    }

    /// A known string attribute of the parent object, by name.
    pub(crate) fn sibling_string(&self, name: &str) -> Option<&str> {
        known_string(self.parent.get_attr(name)?)
    }
}

fn known_string(value: &Value) -> Option<&str> {
    match value {
        Value::Typed(_, inner) => known_string(inner),
        other => other.as_str(),
    }
}

/// One check of a known, non-null value.
pub trait Validator: Send + Sync {
    /// Adds to `diags` whatever is wrong with `value`.
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics);
}

/// The validators of one attribute or block, in the order they run.
#[derive(Clone, Default)]
pub(crate) struct Validators(Vec<Arc<dyn Validator>>);

impl Validators {
    /// Adds one.
    pub(crate) fn push(&mut self, validator: Arc<dyn Validator>) {
        self.0.push(validator);
    }

    /// Runs each on `value` (skipped when null or unknown).
    pub(crate) fn run(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        if self.0.is_empty() || value.is_null() || matches!(value, Value::Unknown(_)) {
            return;
        }
        for validator in &self.0 {
            validator.validate(value, at, diags);
        }
    }
}

impl fmt::Debug for Validators {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} validator(s)", self.0.len())
    }
}

/// Validators are behaviour, not data: two schemas are equal when they
/// describe the same shape.
impl PartialEq for Validators {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

/// The known string inside `value`, if it is one.
fn string_of(value: &Value) -> Option<&str> {
    known_string(value)
}

/// The elements of a known list or set.
fn elements_of(value: &Value) -> Option<&[Value]> {
    match value {
        Value::Typed(_, inner) => elements_of(inner),
        Value::List(items) | Value::Set(items) => Some(items),
        _ => None,
    }
}

/// A string a provider-supplied matcher accepts (an ARN of some shape, an
/// absolute URI …): `check` says why not, in a sentence for the user.
pub fn matches(
    summary: impl Into<String>,
    check: impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
) -> Arc<dyn Validator> {
    Arc::new(Matches {
        summary: summary.into(),
        check: Box::new(check),
    })
}

struct Matches {
    summary: String,
    check: TextCheck,
}

impl Validator for Matches {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        if let Some(Err(detail)) = string_of(value).map(&self.check) {
            diags.add(at.error(&self.summary, detail));
        }
    }
}

/// One of `allowed`; `detail` explains a value that is not.
pub(crate) fn one_of(
    summary: impl Into<String>,
    allowed: fn() -> Vec<&'static str>,
    detail: impl Fn(&str) -> String + Send + Sync + 'static,
) -> Arc<dyn Validator> {
    Arc::new(OneOf {
        summary: summary.into(),
        allowed,
        detail: Box::new(detail),
    })
}

struct OneOf {
    summary: String,
    allowed: fn() -> Vec<&'static str>,
    detail: TextDetail,
}

impl Validator for OneOf {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        if let Some(text) = string_of(value) {
            if !(self.allowed)().contains(&text) {
                diags.add(at.error(&self.summary, (self.detail)(text)));
            }
        }
    }
}

/// A string matching the regular expression `pattern` in full; `detail`
/// explains one that does not.
pub fn pattern(
    summary: impl Into<String>,
    pattern: &'static str,
    detail: impl Fn(&str) -> String + Send + Sync + 'static,
) -> Arc<dyn Validator> {
    Arc::new(Pattern {
        summary: summary.into(),
        pattern,
        compiled: OnceLock::new(),
        detail: Box::new(detail),
    })
}

struct Pattern {
    summary: String,
    pattern: &'static str,
    compiled: OnceLock<Option<regex::Regex>>,
    detail: TextDetail,
}

impl Validator for Pattern {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let Some(text) = string_of(value) else {
            return;
        };
        let compiled = self
            .compiled
            .get_or_init(|| regex::Regex::new(&format!("^(?:{})$", self.pattern)).ok());
        // A pattern that does not compile is a bug in the provider; it
        // refuses every value rather than let anything through.
        if !compiled.as_ref().is_some_and(|r| r.is_match(text)) {
            diags.add(at.error(&self.summary, (self.detail)(text)));
        }
    }
}

/// A whole number from `min` to `max`; `detail` explains one that is not
/// (a fraction, or out of range), given the number as written.
pub(crate) fn whole_number(
    min: i64,
    max: i64,
    summary: impl Into<String>,
    detail: impl Fn(&str) -> String + Send + Sync + 'static,
) -> Arc<dyn Validator> {
    Arc::new(WholeNumber {
        min,
        max,
        summary: summary.into(),
        detail: Box::new(detail),
    })
}

struct WholeNumber {
    min: i64,
    max: i64,
    summary: String,
    detail: TextDetail,
}

impl Validator for WholeNumber {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let number = match value {
            Value::Typed(_, inner) => inner.as_number(),
            other => other.as_number(),
        };
        let Some(number) = number else {
            return;
        };
        if !number
            .as_i64()
            .is_some_and(|n| (self.min..=self.max).contains(&n))
        {
            diags.add(at.error(&self.summary, (self.detail)(&number.to_string())));
        }
    }
}

/// The size of a collection: `count_of` says "Between 1 and 10 {noun}s
/// are allowed"; `count_with` lets the provider say it.
pub(crate) fn count_of(noun: &'static str, min: usize, max: usize) -> Arc<dyn Validator> {
    Arc::new(Count {
        min,
        max,
        summary: Summary::Noun(noun),
        detail: None,
    })
}

/// [`count_of`] with the provider's own words.
pub(crate) fn count_with(
    min: usize,
    max: usize,
    summary: impl Into<String>,
    detail: impl Fn(usize, &Checked<'_>) -> String + Send + Sync + 'static,
) -> Arc<dyn Validator> {
    Arc::new(Count {
        min,
        max,
        summary: Summary::Fixed(summary.into()),
        detail: Some(Box::new(detail)),
    })
}

enum Summary {
    Noun(&'static str),
    Fixed(String),
}

struct Count {
    min: usize,
    max: usize,
    summary: Summary,
    detail: Option<SizeDetail>,
}

impl Validator for Count {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let Some(items) = elements_of(value) else {
            return;
        };
        let n = items.len();
        if (self.min..=self.max).contains(&n) {
            return;
        }
        let (summary, detail) = match (&self.summary, &self.detail) {
            (_, Some(detail)) => (self.fixed_summary(), detail(n, at)),
            (Summary::Noun(noun), None) => (
                format!("Invalid number of {noun}s"),
                format!(
                    "Between {} and {} {noun}s are allowed; {n} given.",
                    self.min, self.max
                ),
            ),
            (Summary::Fixed(summary), None) => (summary.to_string(), format!("{n} given.")),
        };
        diags.add(at.error(summary, detail));
    }
}

impl Count {
    fn fixed_summary(&self) -> String {
        match &self.summary {
            Summary::Noun(noun) => format!("Invalid number of {noun}s"),
            Summary::Fixed(summary) => summary.to_string(),
        }
    }
}

/// A string of `min` to `max` characters; `detail` says what is wrong with
/// one that is not.
pub fn length(
    min: usize,
    max: usize,
    summary: impl Into<String>,
    detail: impl Fn(usize, &Checked<'_>) -> String + Send + Sync + 'static,
) -> Arc<dyn Validator> {
    Arc::new(Length {
        min,
        max,
        summary: summary.into(),
        detail: Box::new(detail),
    })
}

struct Length {
    min: usize,
    max: usize,
    summary: String,
    detail: SizeDetail,
}

impl Validator for Length {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        if let Some(text) = string_of(value) {
            let chars = text.chars().count();
            if !(self.min..=self.max).contains(&chars) {
                diags.add(at.error(&self.summary, (self.detail)(chars, at)));
            }
        }
    }
}

/// `validator` applied to each known element of a list or set; findings go
/// on the collection (set elements have no path).
pub fn each(validator: Arc<dyn Validator>) -> Arc<dyn Validator> {
    Arc::new(Each(validator))
}

struct Each(Arc<dyn Validator>);

impl Validator for Each {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        for item in elements_of(value).unwrap_or_default() {
            if !item.is_null() && !matches!(item, Value::Unknown(_)) {
                self.0.validate(item, at, diags);
            }
        }
    }
}

/// A block holding exactly one of several sub-blocks, the one an attribute
/// of the root object names: e.g. `grant` holds `authorization_code { … }`
/// when `grant_type = "authorization_code"`.
#[derive(Clone, Debug)]
pub(crate) struct BlockChoice {
    /// The holding block's name, for messages.
    pub container: &'static str,
    /// The root attribute whose value chooses the sub-block.
    pub(crate) selector: &'static str,
    /// Each sub-block with the selector value it goes with.
    pub(crate) options: Vec<(&'static str, String)>,
}

impl BlockChoice {
    fn block_for(&self, selected: &str) -> Option<&'static str> {
        self.options
            .iter()
            .find(|(_, value)| value == selected)
            .map(|(block, _)| *block)
    }

    fn value_for(&self, block: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(b, _)| *b == block)
            .map(|(_, value)| value.as_str())
    }

    /// The selector's value in the configuration, when it is known and one
    /// of the options.
    fn selected<'c>(&self, at: &'c Checked<'_>) -> Option<&'c str> {
        at.root_string(self.selector)
            .filter(|s| self.block_for(s).is_some())
    }

    /// The sub-blocks present, each with whether it is certainly there. A
    /// `dynamic` sub-block whose for_each is not known yet reaches the
    /// provider as a placeholder: present, with every attribute unknown,
    /// indistinguishable from a real block when its body is empty. Only
    /// blocks that are certainly there take part in the count; Terraform
    /// validates again at plan time with the values known.
    fn present(&self, value: &Value, selector_known: bool) -> (Vec<(&'static str, bool)>, bool) {
        let mut present = Vec::new();
        let mut any_unknown = false;
        for (block, _) in &self.options {
            match value.get_attr(block) {
                Some(Value::Unknown(_)) => any_unknown = true,
                Some(v) if !v.is_null() => {
                    let (known, unknown) = count_leaves(v);
                    present.push((*block, known > 0 || (unknown == 0 && selector_known)));
                }
                _ => {}
            }
        }
        (present, any_unknown)
    }
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

/// Exactly one of the choice's sub-blocks is present.
pub(crate) fn exactly_one_block(choice: Arc<BlockChoice>) -> Arc<dyn Validator> {
    Arc::new(ExactlyOneBlock(choice))
}

struct ExactlyOneBlock(Arc<BlockChoice>);

impl Validator for ExactlyOneBlock {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let choice = &self.0;
        let selected = choice.selected(at);
        let (present, any_unknown) = choice.present(value, selected.is_some());
        let container = choice.container;
        let summary = |what: &str| format!("{what} {container} settings");
        if present.is_empty() && !any_unknown {
            let options = choice
                .options
                .iter()
                .map(|(block, value)| format!("{block} (for {value:?})"))
                .collect::<Vec<_>>()
                .join(", ");
            let wanted = selected
                .and_then(|s| choice.block_for(s).map(|b| (s, b)))
                .map(|(s, block)| {
                    format!(
                        " For {} {s:?} write `{block} {{ … }}` inside {container}.",
                        choice.selector
                    )
                })
                .unwrap_or_default();
            diags.add(at.error(
                summary("Missing"),
                format!("{container} must contain exactly one of {options}.{wanted}"),
            ));
            return;
        }
        let certain: Vec<&str> = present
            .iter()
            .filter(|(_, c)| *c)
            .map(|(b, _)| *b)
            .collect();
        if certain.len() < 2 {
            return;
        }
        // Point at the blocks that do not belong: those not matching a known
        // selector, else every one after the first.
        let keep = selected
            .and_then(|s| choice.block_for(s))
            .filter(|b| certain.contains(b))
            .unwrap_or(certain[0]);
        for extra in certain.iter().filter(|b| **b != keep) {
            diags.add(
                Diagnostic::error(
                    summary("Conflicting"),
                    format!(
                        "{container} contains {}; it must contain exactly one sub-block, the one \
                         matching {}. Remove `{extra}`.",
                        certain.join(" and "),
                        choice.selector
                    ),
                )
                .at(at.path.clone().attribute(extra)),
            );
        }
    }
}

/// The one sub-block present is the one the selector names.
pub(crate) fn block_named_by(choice: Arc<BlockChoice>) -> Arc<dyn Validator> {
    Arc::new(BlockNamedBy(choice))
}

struct BlockNamedBy(Arc<BlockChoice>);

impl Validator for BlockNamedBy {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let choice = &self.0;
        let Some(selected) = choice.selected(at) else {
            return;
        };
        let (present, _) = choice.present(value, true);
        let certain: Vec<&str> = present
            .iter()
            .filter(|(_, c)| *c)
            .map(|(b, _)| *b)
            .collect();
        let (Some(expected), [found]) = (choice.block_for(selected), certain.as_slice()) else {
            return;
        };
        if expected == *found {
            return;
        }
        let mut container = choice.container.to_string();
        if let Some(first) = container.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        diags.add(
            Diagnostic::error(
                format!("{container} settings do not match {}", choice.selector),
                format!(
                    "{} is {selected:?}, which is configured with a `{expected}` block, but this \
                     {} contains `{found}` (the block for {:?}). AWS requires the {} to match the \
                     {} type.",
                    choice.selector,
                    choice.container,
                    choice.value_for(found).unwrap_or_default(),
                    choice.container,
                    choice.container,
                ),
            )
            .at(at.path.clone().attribute(found)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::engine::run_declared;
    use crate::framework::schema::{Attribute, Block, NestedBlock, NestingMode};
    use crate::value::Type;

    /// A schema whose `body` block holds exactly one of `one` and `two`,
    /// the one `kind` names ("first" or "second").
    fn schema() -> Block {
        let choice = Arc::new(BlockChoice {
            container: "body",
            selector: "kind",
            options: vec![("one", "first".to_string()), ("two", "second".to_string())],
        });
        let inner = |name| {
            NestedBlock::new(
                name,
                NestingMode::Single,
                Block::new("").attribute(Attribute::optional("x", Type::String)),
            )
        };
        let mut body = NestedBlock::new(
            "body",
            NestingMode::Single,
            Block::new("").block(inner("one")).block(inner("two")),
        );
        body.validators.push(exactly_one_block(choice.clone()));
        body.validators.push(block_named_by(choice));
        Block::new("")
            .attribute(Attribute::required("kind", Type::String))
            .block(body)
    }

    fn summaries(kind: Value, blocks: Vec<(&str, Value)>) -> Vec<String> {
        let mut body = std::collections::BTreeMap::new();
        for name in ["one", "two"] {
            body.insert(name.to_string(), Value::Null);
        }
        for (k, v) in blocks {
            body.insert(k.to_string(), v);
        }
        let config = Value::object([("kind", kind), ("body", Value::Object(body))]);
        let mut diags = Diagnostics::new();
        run_declared(
            &schema(),
            &config,
            &AttributePath::root(),
            &config,
            &mut diags,
        );
        diags.iter().map(|d| d.summary.clone()).collect()
    }

    fn empty() -> Value {
        Value::object([("x", Value::Null)])
    }

    #[test]
    fn dynamic_placeholders_do_not_count_as_blocks() {
        // What Terraform sends while a dynamic block's for_each is unknown.
        let placeholders = vec![
            ("one", Value::object([("x", Value::unknown())])),
            ("two", empty()),
        ];
        assert!(summaries(Value::unknown(), placeholders).is_empty());
    }

    #[test]
    fn literal_blocks_are_checked_against_a_known_selector() {
        let first = || Value::string("first");
        assert_eq!(
            summaries(first(), vec![("one", empty()), ("two", empty())]),
            ["Conflicting body settings"]
        );
        assert_eq!(
            summaries(first(), vec![("two", empty())]),
            ["body settings do not match kind".replacen('b', "B", 1)]
        );
        assert_eq!(
            summaries(Value::unknown(), vec![]),
            ["Missing body settings"]
        );
        let valued = Value::object([("x", Value::string("v"))]);
        assert_eq!(
            summaries(
                Value::unknown(),
                vec![("one", valued.clone()), ("two", empty())]
            ),
            Vec::<String>::new(),
            "an empty block is uncertain while the selector is unknown"
        );
        assert_eq!(
            summaries(first(), vec![("one", valued), ("two", empty())]),
            ["Conflicting body settings"]
        );
    }

    #[test]
    fn findings_inside_a_set_element_go_on_the_set() {
        let mut element = Attribute::required("x", Type::String);
        element
            .validators
            .push(matches("Bad x", |_| Err("no".into())));
        let block = Block::new("").block(NestedBlock::new(
            "items",
            NestingMode::Set,
            Block::new("").attribute(element),
        ));
        let config = Value::object([(
            "items",
            Value::Set(vec![Value::object([("x", Value::string("v"))])]),
        )]);
        let mut diags = Diagnostics::new();
        run_declared(&block, &config, &AttributePath::root(), &config, &mut diags);
        let at: Vec<_> = diags.iter().map(|d| d.attribute.clone()).collect();
        assert_eq!(at, [Some(AttributePath::root().attribute("items"))]);
    }

    #[test]
    fn counts_lengths_and_patterns_skip_unknown_values() {
        let mut list = Attribute::optional("names", Type::List(Box::new(Type::String)));
        list.validators.push(count_of("name", 1, 2));
        list.validators
            .push(each(length(1, 3, "Bad length", |n, _| format!("{n}"))));
        list.validators
            .push(each(pattern("Bad name", "[a-z]+", |t| format!("{t:?}"))));
        let block = Block::new("").attribute(list);
        let check = |names: Value| {
            let config = Value::object([("names", names)]);
            let mut diags = Diagnostics::new();
            run_declared(&block, &config, &AttributePath::root(), &config, &mut diags);
            diags
                .iter()
                .map(|d| format!("{}: {}", d.summary, d.detail))
                .collect::<Vec<_>>()
        };
        assert!(check(Value::unknown()).is_empty());
        assert!(check(Value::List(vec![Value::unknown()])).is_empty());
        assert_eq!(
            check(Value::List(vec![
                Value::string("ab"),
                Value::string("abcd"),
                Value::string("A1")
            ])),
            [
                "Invalid number of names: Between 1 and 2 names are allowed; 3 given.",
                "Bad length: 4",
                "Bad name: \"A1\""
            ]
        );
    }

    #[test]
    fn whole_numbers_outside_the_range_or_with_a_fraction_are_refused() {
        let mut count = Attribute::optional("count", Type::Number);
        count
            .validators
            .push(whole_number(0, 100, "Bad count", |n| format!("got {n}")));
        let block = Block::new("").attribute(count);
        let check = |count: Value| {
            let config = Value::object([("count", count)]);
            let mut diags = Diagnostics::new();
            run_declared(&block, &config, &AttributePath::root(), &config, &mut diags);
            diags
                .iter()
                .map(|d| format!("{}: {}", d.summary, d.detail))
                .collect::<Vec<_>>()
        };
        let number = |text: &str| Value::Number(crate::value::Number::parse(text).expect("number"));
        for fine in ["0", "7", "100"] {
            assert!(check(number(fine)).is_empty(), "{fine}");
        }
        assert!(check(Value::unknown()).is_empty());
        assert_eq!(check(number("-1")), ["Bad count: got -1"]);
        assert_eq!(check(number("101")), ["Bad count: got 101"]);
        assert_eq!(check(number("2.5")), ["Bad count: got 2.5"]);
    }
}
