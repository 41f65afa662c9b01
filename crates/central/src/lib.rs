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
pub mod limits;
pub mod mail;
pub mod message;
pub mod metrics;
pub mod osticket;
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

/// The address a connection came from, in each request's extensions (enrolment attempts are
/// rate-limited by it).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);

/// What a connection over the cap gets before it is closed: a JSON 503, as every error.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 5\r\nconnection: close\r\ncontent-length: 70\r\n\r\n\
{\"error\":\"unavailable\",\"message\":\"too many connections; retry in 5 s\"}";

/// Connections over the cap being told so at once; more are closed without a word.
const REFUSERS: usize = 32;

/// Answers 503 on a connection over the cap and closes it, within a second whatever the client
/// does.
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let second = std::time::Duration::from_secs(1);
    let _ = tokio::time::timeout(second, async {
        stream.write_all(BUSY).await?;
        stream.shutdown().await?;
        // What the client sent, read and dropped, so that closing does not reset the answer.
        let mut sink = [0u8; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            match stream.read(&mut sink).await? {
                0 => break,
                n => left = left.saturating_sub(n),
            }
        }
        Ok::<_, std::io::Error>(())
    })
    .await;
}

/// Serves the API on `listener` until `shutdown` completes; then lets the requests in flight
/// finish (up to 30 s). At most `limits.max_connections` are served at once: one more is
/// answered 503 and closed, so a flood of slow clients costs file descriptors up to the cap and
/// no more, and the ones already served go on.
pub async fn serve(
    state: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = router(state.clone());
    let mailer = mail::spawn(&state);
    let forwarder = forward::spawn(&state);
    let poller = osticket::spawn_poller(&state);
    let sweeper = blobs::spawn_sweeper(&state);
    let limits = state.config.limits.clone();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let refusers = std::sync::Arc::new(tokio::sync::Semaphore::new(REFUSERS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            state
                .metrics
                .connections_refused
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            // Told so by a few short-lived tasks (closing with its request unread would reset the
            // connection before the client reads the answer); past them, simply closed.
            if let Ok(refuser) = refusers.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(refuser);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let client = ClientAddr(peer.ip());
        let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
            req.extensions_mut().insert(client);
            tower::Service::call(&mut router.clone(), req)
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .max_buf_size(READ_BUFFER)
            .timer(TokioTimer::new())
            .header_read_timeout(std::time::Duration::from_secs(limits.header_timeout_secs))
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), graceful.shutdown()).await;
    for task in [mailer, forwarder, poller, sweeper].into_iter().flatten() {
        task.abort();
    }
    state.db.close().await;
    Ok(())
}
