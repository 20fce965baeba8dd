//! The `timeouts` block at work: an operation that passes its deadline stops
//! (its retries with it) and fails, naming the operation, the grant, the
//! deadline and the last AWS error.

use std::future::Future;
use std::time::Duration;

use super::attempts::Attempts;
use super::domain::GrantKey;
use super::error::GrantError;
use super::model::TimeoutsBlock;
use crate::framework::Field;
use crate::provider::duration::parse_duration;

/// The lifecycle operations a deadline can bound.
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
    /// The operation's name, also its attribute in `timeouts`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => TimeoutsBlock::CREATE,
            Operation::Read => TimeoutsBlock::READ,
            Operation::Update => TimeoutsBlock::UPDATE,
            Operation::Delete => TimeoutsBlock::DELETE,
        }
    }

    fn configured(self, timeouts: &TimeoutsBlock) -> &Field<String> {
        match self {
            Operation::Create => &timeouts.create,
            Operation::Read => &timeouts.read,
            Operation::Update => &timeouts.update,
            Operation::Delete => &timeouts.delete,
        }
    }
}

/// One operation's deadline, if the configuration gives one.
pub struct Deadline {
    operation: Operation,
    limit: Option<(Duration, String)>,
}

impl Deadline {
    /// The deadline `timeouts` gives `operation` (validated at plan time).
    pub fn of(operation: Operation, timeouts: &Field<TimeoutsBlock>) -> Self {
        let limit = timeouts
            .known()
            .and_then(|t| operation.configured(t).known())
            .and_then(|text| Some((parse_duration(text).ok()?, text.clone())));
        Self { operation, limit }
    }

    /// Runs `work` for the grant `key`; past the deadline, it is dropped
    /// (with any AWS call in flight) and the error says what `attempts`
    /// last saw.
    pub async fn run<T>(
        &self,
        key: &GrantKey,
        attempts: &Attempts,
        work: impl Future<Output = T>,
    ) -> Result<T, GrantError> {
        let Some((limit, written)) = &self.limit else {
            return Ok(work.await);
        };
        tokio::time::timeout(*limit, work)
            .await
            .map_err(|_| GrantError::DeadlineExceeded {
                operation: self.operation.name(),
                key: key.clone(),
                deadline: written.clone(),
                last_error: attempts.last_error(),
                in_flight: attempts.in_flight(),
            })
    }
}
