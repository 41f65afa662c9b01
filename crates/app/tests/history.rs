//! Meus chamados refreshed from a real central: many tickets within central's default rate limit,
//! the numbers and links as central gives them, and central down said as such.
//!
//! Not on Windows: chamado-central is a Linux service and does not open its SQLite database under
//! Wine; the sender's own logic runs there in `sender.rs`'s unit tests.
#![cfg(not(windows))]

use chamado_app::{ErrorCode, Sender};
use chamado_client::Outbox;

mod common;

use common::{ticket, Central};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_of_120_tickets_refreshes_within_centrals_rate_limit() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let data = dir.path().join("central");
    let central = Central::start(&data, None).await;
    let code = central.code().await;
    chamado_app::enrol::enrol(&home, &central.url, &code)
        .await
        .unwrap();
    let outbox = Outbox::open(&home).unwrap();
    for i in 0..120 {
        outbox
            .enqueue(ticket(&format!("Chamado {i}")), None)
            .unwrap();
    }
    Sender::new(home.clone(), None).drain(false).await.unwrap();
    assert_eq!(outbox.history().unwrap().len(), 120);
    assert!(outbox.list().unwrap().is_empty());

    // As a vendor runs it: 120 requests a minute, 30 at once. One list answers for all.
    let addr: std::net::SocketAddr = central.url.trim_start_matches("http://").parse().unwrap();
    central.stop().await;
    let central = Central::start_with(&data, Some(addr), true).await;
    let refreshed = chamado_app::history::refresh(&home, None).await.unwrap();
    assert_eq!(refreshed.tickets.len(), 120);
    assert!(
        refreshed.not_refreshed.is_empty(),
        "{:?}",
        refreshed.not_refreshed.first()
    );
    assert!(refreshed
        .tickets
        .iter()
        .all(|t| t.number.is_some() && t.link.as_deref().is_some_and(|l| l.starts_with("http"))));
    // Again at once: still within the limit.
    let again = chamado_app::history::refresh(&home, Some(refreshed.tickets[5].reference.as_str()))
        .await
        .unwrap();
    assert_eq!(again.tickets.len(), 1);

    central.stop().await;
    let down = chamado_app::history::refresh(&home, None)
        .await
        .unwrap_err();
    assert_eq!(down.code, ErrorCode::Offline);
}
