//! Keeps a panic inside provider code (an RPC handler, or a listing's
//! producer task) from killing the provider: the panic is caught, logged,
//! and reported to Terraform as an error.

use std::cell::Cell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::FutureExt;

use super::diagnostics::Diagnostic;

thread_local! {
    static INSIDE_RPC: Cell<bool> = const { Cell::new(false) };
}

/// True while the current thread is polling a guarded RPC handler. The panic
/// hook uses it to log a recovered panic instead of announcing a crash.
pub(crate) fn inside_rpc() -> bool {
    INSIDE_RPC.with(Cell::get)
}

/// Marks the thread as inside an RPC for the duration of each poll.
struct Marked<F>(F);

impl<F: Future + Unpin> Future for Marked<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let was = INSIDE_RPC.with(|c| c.replace(true));
        let out = Pin::new(&mut self.0).poll(cx);
        INSIDE_RPC.with(|c| c.set(was));
        out
    }
}

/// Runs `fut`, turning a panic into `Err(message)`.
pub(crate) async fn catch_panic<T>(fut: impl Future<Output = T> + Send) -> Result<T, String> {
    let boxed = Box::pin(fut);
    match AssertUnwindSafe(Marked(boxed)).catch_unwind().await {
        Ok(v) => Ok(v),
        Err(payload) => {
            INSIDE_RPC.with(|c| c.set(false));
            Err(panic_message(payload.as_ref()))
        }
    }
}

/// What a panic said, from its payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// The error Terraform is shown for a panic caught while serving `rpc`.
/// The panic itself is logged once, where it happened, by the process's
/// panic hook (with its location); this is what Terraform shows the user.
pub(crate) fn panic_diagnostic(rpc: &str, message: &str) -> Diagnostic {
    Diagnostic::error(
        "Provider internal error",
        format!(
            "The provider panicked while handling {rpc}: {message}. The provider kept running; \
             please report this as a bug."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn panics_become_errors_and_flag_resets() {
        let r: Result<(), String> = catch_panic(async { panic!("boom {}", 1) }).await;
        assert_eq!(r, Err("boom 1".to_string()));
        assert!(!inside_rpc());
        let ok = catch_panic(async { inside_rpc() }).await;
        assert_eq!(ok, Ok(true));
    }
}
