//! chamado-central: the service the vendor runs next to its help desk. The desktop apps talk
//! only to it: they enrol with a code, download the vendor's profile, send tickets (exactly once,
//! with their bundle) and follow them. See ARCHITECTURE.md for the map and the invariants.

pub mod admin;
pub mod api;
pub mod blobs;
pub mod config;
pub mod db;
pub mod error;
pub mod metrics;
pub mod page;
pub mod ratelimit;
pub mod secret;

use std::future::Future;

pub use api::{router, AppState, Shared};
pub use config::{Config, ConfigError};

/// Serves the API on `listener` until `shutdown` completes.
pub async fn serve(
    state: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    let res = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    state.db.close().await;
    res
}
