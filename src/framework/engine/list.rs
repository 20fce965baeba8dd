//! ListResource and ValidateListResourceConfig (`terraform query`). Results
//! stream back as the list resource finds them; the stream ends at the
//! limit, and dropping it (Terraform closed it) or StopProvider stops the
//! listing at once.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::sync::mpsc;
use tracing::Instrument;

use super::handle::ListHandle;
use super::validate::validate_config;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::guard::{catch_panic, panic_diagnostic};
use crate::framework::list_resource::{ListRequest, ListResult, ListResults};
use crate::value::{AttributePath, Value};

/// The block of a `list` block that holds the list resource's configuration.
const LIST_CONFIG_BLOCK: &str = "config";

/// Results buffered between the list resource and Terraform.
const BUFFERED_RESULTS: usize = 16;

impl ListHandle<'_> {
    /// Checks a `config` block; unknown values are skipped. Terraform
    /// resolves attribute paths against the whole `list` block, so findings
    /// are placed under its `config` block.
    pub fn validate(&self, config: Value) -> Diagnostics {
        validate_config(&self.entry.schema.schema.block, config, |r| {
            self.entry.list.validate(r)
        })
        .under(&AttributePath::root().attribute(LIST_CONFIG_BLOCK))
    }

    /// Starts listing. At most `limit` objects are streamed; each carries an
    /// identity, and a resource object only when `include_resource`.
    pub fn list(&self, config: Value, include_resource: bool, limit: u64) -> ListStream {
        let (sender, receiver) = mpsc::channel(BUFFERED_RESULTS);
        let list = self.entry.list.clone();
        let stop = self.engine.stop_signal();
        let request = ListRequest {
            config,
            include_resource,
            limit,
            stop: stop.clone(),
        };
        let work = {
            let sender = sender.clone();
            async move {
                let results = ListResults::new(sender.clone());
                tokio::select! {
                    _ = list.list(request, results) => {}
                    _ = stop.stopped() => {
                        let cancelled = Diagnostic::error(
                            "Operation cancelled",
                            "Terraform asked the provider to stop (StopProvider) while listing.",
                        );
                        let _ = sender.send(ListResult::failed(cancelled)).await;
                    }
                }
            }
        };
        // The listing runs in its own task, in the span of the RPC that
        // started it; a panic there ends the stream with an error instead
        // of silently cutting it short.
        let producer = tokio::spawn(
            async move {
                if let Err(message) = catch_panic(work).await {
                    let failed = ListResult::failed(panic_diagnostic("ListResource", &message));
                    let _ = sender.send(failed).await;
                }
            }
            .instrument(tracing::Span::current()),
        );
        ListStream {
            receiver,
            producer,
            include_resource,
            remaining: limit,
            type_name: self.entry.list.type_name(),
        }
    }
}

/// The results of one listing.
pub struct ListStream {
    receiver: mpsc::Receiver<ListResult>,
    producer: tokio::task::JoinHandle<()>,
    include_resource: bool,
    remaining: u64,
    type_name: &'static str,
}

impl ListStream {
    /// A result as Terraform may see it: found objects carry a known
    /// identity, and the object only when it was asked for.
    fn checked(&self, mut result: ListResult) -> ListResult {
        if !self.include_resource {
            result.resource_object = None;
        }
        if result.diagnostics.has_errors() {
            return result;
        }
        let complete = result
            .identity
            .as_ref()
            .is_some_and(|i| !i.is_null() && i.is_wholly_known());
        if !complete {
            return ListResult::failed(Diagnostic::error(
                "Incomplete list result",
                format!(
                    "The {} list returned {:?} without a complete identity. This is a bug in the \
                     provider.",
                    self.type_name, result.display_name
                ),
            ));
        }
        result
    }
}

impl Stream for ListStream {
    type Item = ListResult;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ListResult>> {
        if self.remaining == 0 {
            self.producer.abort();
            return Poll::Ready(None);
        }
        match self.receiver.poll_recv(cx) {
            Poll::Ready(Some(result)) => {
                let result = self.checked(result);
                if result.identity.is_some() {
                    self.remaining -= 1;
                }
                Poll::Ready(Some(result))
            }
            other => other,
        }
    }
}

impl Drop for ListStream {
    fn drop(&mut self) {
        // Terraform closed the stream or has enough: stop listing.
        self.producer.abort();
    }
}
