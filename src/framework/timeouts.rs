//! Deadlines as a framework feature: a resource says which of its
//! operations take one; the engine adds the `timeouts` block to its schema,
//! checks what is written there, keeps it in state across every operation,
//! and hands each operation its [`Deadline`]. Resources never see the block.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::diagnostics::{shown, Diagnostics};
use super::duration::parse_duration;
use super::rules::{Checked, Validator};
use super::schema::{Attribute, Block, NestedBlock, NestingMode, Schema};
use crate::value::{Type, Value};

/// The block's name, as users write it.
pub(crate) const TIMEOUTS: &str = "timeouts";

/// A lifecycle operation a deadline can bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Create.
    Create,
    /// Read (refresh).
    Read,
    /// Update in place.
    Update,
    /// Delete.
    Delete,
}

impl Operation {
    /// Its name: also its attribute in `timeouts`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Operation::Create => "creating",
            Operation::Read => "reading (refreshing)",
            Operation::Update => "updating",
            Operation::Delete => "deleting",
        }
    }
}

/// What a resource says of its deadlines.
#[derive(Clone, Debug)]
pub struct Timeouts {
    /// The operations that take one.
    pub operations: &'static [Operation],
    /// What the resource manages, for the attributes' descriptions
    /// ("Deadline for creating the grant.").
    pub noun: &'static str,
    /// The block's description: how a deadline behaves.
    pub description: String,
}

impl Timeouts {
    /// `schema` as Terraform sees it: with the `timeouts` block.
    pub(crate) fn added_to(&self, mut schema: Schema) -> Schema {
        schema.block = schema.block.block(self.block());
        schema
    }

    /// The `timeouts` block the engine adds to the resource's schema.
    fn block(&self) -> NestedBlock {
        let mut body = Block::new(&self.description);
        for op in self.operations {
            let what = match op {
                Operation::Update => {
                    format!("Deadline for {} the {} in place.", op.what(), self.noun)
                }
                _ => format!("Deadline for {} the {}.", op.what(), self.noun),
            };
            let mut attribute = Attribute::optional(op.name(), Type::String).description(&what);
            attribute.validators.push(Arc::new(ValidDeadline(*op)));
            body = body.attribute(attribute);
        }
        NestedBlock::new(TIMEOUTS, NestingMode::Single, body)
    }
}

/// A deadline must be a positive duration.
struct ValidDeadline(Operation);

impl Validator for ValidDeadline {
    fn validate(&self, value: &Value, at: &Checked<'_>, diags: &mut Diagnostics) {
        let Some(text) = value.as_str() else {
            return;
        };
        let problem = match parse_duration(text) {
            Ok(d) if d.is_zero() => "a deadline must be longer than zero".to_string(),
            Ok(_) => return,
            Err(why) => why,
        };
        diags.error_at(
            at.path.clone(),
            "Invalid timeout",
            format!(
                "{} = {} is not a duration like \"30s\", \"5m\" or \"1h30m\": {problem}.",
                self.0.name(),
                shown(text)
            ),
        );
    }
}

/// `value` (an object the resource returned) with the `timeouts` of `from`
/// (the planned or stored object), when `from`'s schema has the block: the
/// engine keeps the configured deadlines in state whatever the resource
/// returned.
pub(crate) fn carried(mut value: Value, from: &Value) -> Value {
    if let (Value::Object(attrs), Some(timeouts)) = (&mut value, from.get_attr(TIMEOUTS)) {
        attrs.insert(TIMEOUTS.to_string(), timeouts.clone());
    }
    value
}

/// `value` (an object the resource returned) with no deadlines set, when
/// `declared`: the start of an imported object.
pub(crate) fn unset(mut value: Value, declared: bool) -> Value {
    if let (Value::Object(attrs), true) = (&mut value, declared) {
        attrs.insert(TIMEOUTS.to_string(), Value::Null);
    }
    value
}

/// Whether two objects differ only in their `timeouts`.
pub(crate) fn only_timeouts_differ(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| match v {
        Value::Object(attrs) => {
            let mut attrs = attrs.clone();
            attrs.remove(TIMEOUTS);
            Value::Object(attrs)
        }
        other => other.clone(),
    };
    a != b && strip(a) == strip(b)
}

/// One operation's deadline, as the object's `timeouts` block gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    operation: Operation,
    limit: Option<(Duration, String)>,
}

/// An operation that passed its deadline.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} did not finish within {written} (timeouts.{})", operation.name(), operation.name())]
pub(crate) struct Expired {
    /// The operation.
    pub operation: Operation,
    /// The deadline as written, e.g. `5m`.
    pub written: String,
}

impl Deadline {
    /// No deadline for `operation`.
    pub fn none(operation: Operation) -> Self {
        Self {
            operation,
            limit: None,
        }
    }

    /// The deadline `object`'s `timeouts` block gives `operation`
    /// (validated at plan time; anything else means none).
    pub(crate) fn of(operation: Operation, object: &Value) -> Self {
        let limit = object
            .get_attr(TIMEOUTS)
            .and_then(|t| t.get_attr(operation.name()))
            .and_then(Value::as_str)
            .and_then(|text| Some((parse_duration(text).ok()?, text.to_string())));
        Self { operation, limit }
    }

    /// The operation it bounds.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// Runs `work`; past the deadline it is dropped (with whatever it was
    /// waiting for).
    pub(crate) async fn run<T>(&self, work: impl Future<Output = T>) -> Result<T, Expired> {
        let Some((limit, written)) = &self.limit else {
            return Ok(work.await);
        };
        tokio::time::timeout(*limit, work)
            .await
            .map_err(|_| Expired {
                operation: self.operation,
                written: written.clone(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::engine::run_declared;
    use crate::value::AttributePath;

    fn object(timeouts: Value) -> Value {
        Value::object([("name", Value::string("x")), (TIMEOUTS, timeouts)])
    }

    #[test]
    fn deadlines_come_from_the_block_and_expire() {
        let value = object(Value::object([("create", Value::string("1s"))]));
        let create = Deadline::of(Operation::Create, &value);
        assert_eq!(
            create.limit,
            Some((Duration::from_secs(1), "1s".to_string()))
        );
        assert_eq!(Deadline::of(Operation::Delete, &value).limit, None);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let expired = create
                .run(std::future::pending::<()>())
                .await
                .expect_err("past the deadline");
            assert_eq!(
                expired.to_string(),
                "create did not finish within 1s (timeouts.create)"
            );
        });
    }

    #[test]
    fn invalid_deadlines_are_errors_on_their_attribute() {
        let block = Block::new("")
            .attribute(Attribute::required("name", Type::String))
            .block(
                Timeouts {
                    operations: &[Operation::Create, Operation::Delete],
                    noun: "thing",
                    description: String::new(),
                }
                .block(),
            );
        let config = object(Value::object([
            ("create", Value::string("5 minutes")),
            ("delete", Value::string("0s")),
        ]));
        let mut diags = Diagnostics::new();
        run_declared(&block, &config, &AttributePath::root(), &config, &mut diags);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.summary.clone(), d.attribute.clone()))
            .collect();
        let at = |name: &str| Some(AttributePath::root().attribute(TIMEOUTS).attribute(name));
        assert_eq!(
            found,
            [
                ("Invalid timeout".to_string(), at("create")),
                ("Invalid timeout".to_string(), at("delete")),
            ]
        );
    }

    #[test]
    fn timeouts_are_carried_and_compared_apart() {
        let before = object(Value::Null);
        let after = object(Value::object([("create", Value::string("5m"))]));
        assert!(only_timeouts_differ(&before, &after));
        assert!(!only_timeouts_differ(&before, &before));
        let renamed = Value::object([("name", Value::string("y")), (TIMEOUTS, Value::Null)]);
        assert!(!only_timeouts_differ(&before, &renamed));
        assert_eq!(
            carried(renamed.clone(), &after).get_attr(TIMEOUTS),
            after.get_attr(TIMEOUTS)
        );
    }
}
