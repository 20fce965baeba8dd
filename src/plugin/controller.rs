//! go-plugin's side services: `GRPCController` (Shutdown), `GRPCStdio` and
//! `GRPCBroker`. Terraform opens the latter two on connect and tolerates
//! silence, so they stay quiet until shutdown ends them.

use std::pin::Pin;

use futures_util::Stream;
use tokio::sync::watch;
use tonic::{Request, Response, Status, Streaming};

use crate::proto::plugin::{
    grpc_broker_server::GrpcBroker, grpc_controller_server::GrpcController,
    grpc_stdio_server::GrpcStdio, ConnInfo, Empty, StdioData,
};

/// Fires once when the plugin should stop serving.
#[derive(Clone)]
pub(crate) struct ShutdownSignal {
    tx: watch::Sender<bool>,
}

impl ShutdownSignal {
    /// A signal that has not fired yet.
    pub(crate) fn new() -> Self {
        let (tx, _rx) = watch::channel(false);
        Self { tx }
    }

    /// Asks everything watching to stop.
    pub(crate) fn trigger(&self) {
        self.tx.send_replace(true);
    }

    /// Resolves once [`ShutdownSignal::trigger`] has been called.
    pub(crate) async fn fired(&self) {
        let mut rx = self.tx.subscribe();
        // An error means the sender is gone, which also means shutdown.
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

impl Default for ShutdownSignal {
    fn default() -> Self {
        Self::new()
    }
}

/// Serves `plugin.GRPCController`.
pub(crate) struct Controller {
    /// Triggered by `Shutdown`.
    pub shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::debug!("received GRPCController.Shutdown");
        self.shutdown.trigger();
        Ok(Response::new(Empty {}))
    }
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A stream that yields nothing and ends when shutdown fires.
fn quiet_until<T: Send + 'static>(shutdown: ShutdownSignal) -> BoxStream<T> {
    Box::pin(
        futures_util::stream::once(async move {
            shutdown.fired().await;
            None
        })
        .filter_map(futures_util::future::ready),
    )
}

use futures_util::StreamExt;

/// Serves `plugin.GRPCStdio`. The provider never writes to stdout or stderr
/// through this channel (logs go to stderr directly), so the stream is idle.
pub(crate) struct Stdio {
    /// Ends the stream.
    pub shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<StdioData>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(quiet_until(self.shutdown.clone())))
    }
}

/// Serves `plugin.GRPCBroker`. Terraform providers never broker extra
/// connections; incoming messages are drained and ignored.
pub(crate) struct Broker {
    /// Ends the stream.
    pub shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl GrpcBroker for Broker {
    type StartStreamStream = BoxStream<ConnInfo>;

    async fn start_stream(
        &self,
        request: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        let mut inbound = request.into_inner();
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = async { while let Some(Ok(_)) = inbound.next().await {} } => {}
                _ = shutdown.fired() => {}
            }
        });
        Ok(Response::new(quiet_until(self.shutdown.clone())))
    }
}
