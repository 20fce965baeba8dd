//! An operation's deadline (handed over by the framework from the `timeouts`
//! block) at work on a grant: past it, the work stops, retries with it, and
//! the error names the operation, the grant, the deadline and what the AWS
//! calls last saw.

use std::future::Future;

use super::attempts::Attempts;
use super::domain::GrantKey;
use super::error::GrantError;
use crate::framework::timeouts::Deadline;

/// Runs `work` for the grant `key` within `deadline`; past it, the error
/// says what `attempts` last saw.
pub(crate) async fn within<T>(
    deadline: &Deadline,
    key: &GrantKey,
    attempts: &Attempts,
    work: impl Future<Output = T>,
) -> Result<T, GrantError> {
    deadline
        .run(work)
        .await
        .map_err(|expired| GrantError::DeadlineExceeded {
            operation: expired.operation.name(),
            key: key.clone(),
            deadline: expired.written,
            last_error: attempts.last_error(),
            in_flight: attempts.in_flight(),
        })
}
