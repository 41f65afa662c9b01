//! chamado-central: the service the vendor runs next to its help desk. The desktop apps talk
//! only to it: they enrol with a code, download the vendor's profile, send tickets (exactly once,
//! with their bundle) and follow them. See ARCHITECTURE.md for the map and the invariants.

pub mod admin;
pub mod api;
pub mod blobs;
pub mod config;
pub mod db;
pub mod error;
pub mod forward;
pub mod mail;
pub mod metrics;
pub mod page;
pub mod ratelimit;
pub mod secret;
pub mod tasks;

use std::future::Future;

pub use api::{router, AppState, Shared};
pub use config::{Config, ConfigError};

/// Most a connection reads ahead of its handler (hyper's default grows to about 400 KiB, which
/// times the concurrent uploads is the server's memory).
pub const READ_BUFFER: usize = 64 * 1024;

/// Serves the API on `listener` until `shutdown` completes; then lets the requests in flight
/// finish (up to 30 s).
pub async fn serve(
    state: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = router(state.clone());
    let mailer = mail::spawn(&state);
    let forwarder = forward::spawn(&state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = hyper::server::conn::http1::Builder::new()
            .max_buf_size(READ_BUFFER)
            .timer(TokioTimer::new())
            .header_read_timeout(std::time::Duration::from_secs(30))
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), graceful.shutdown()).await;
    for task in [mailer, forwarder].into_iter().flatten() {
        task.abort();
    }
    state.db.close().await;
    Ok(())
}
