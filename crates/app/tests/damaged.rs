//! A damaged data folder against a real central: a damaged outbox entry is set aside and shown in
//! the Fila while the others go; a damaged history is kept aside and rebuilt from what could be
//! read and central's list, and no ticket is uploaded twice.
//!
//! Not on Windows: chamado-central does not open its SQLite database under Wine.
#![cfg(not(windows))]

use chamado_app::{App, ErrorCode, Sender};
use chamado_client::Outbox;

mod common;

use common::{ticket, Central};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_history_is_rebuilt_from_central_and_nothing_is_sent_twice() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    let code = central.code().await;
    chamado_app::enrol::enrol(&home, &central.url, &code)
        .await
        .unwrap();
    let outbox = Outbox::open(&home).unwrap();
    for summary in ["Primeiro", "Segundo", "Terceiro"] {
        outbox.enqueue(ticket(summary), None).unwrap();
    }
    let sender = Sender::new(home.clone(), None);
    sender.drain(false).await.unwrap();
    assert_eq!(outbox.history().unwrap().len(), 3);

    // The history is damaged (a sync tool, a crash of an older version): nothing readable.
    std::fs::write(home.join("history.json"), b"\0\0\0\0 {\"reference").unwrap();
    outbox.enqueue(ticket("Quarto"), None).unwrap();
    sender.drain(false).await.unwrap();
    assert!(
        outbox.list().unwrap().is_empty(),
        "delivered: {:?}",
        outbox.list()
    );
    let mut summaries = central.summaries().await;
    summaries.sort();
    assert_eq!(
        summaries,
        ["Primeiro", "Quarto", "Segundo", "Terceiro"],
        "each once"
    );

    // Meus chamados: rebuilt from central's list, with what central says of each.
    let refreshed = chamado_app::history::refresh(&home, None).await.unwrap();
    let mut rebuilt: Vec<&str> = refreshed
        .tickets
        .iter()
        .map(|t| t.summary.as_str())
        .collect();
    rebuilt.sort();
    assert_eq!(rebuilt, ["Primeiro", "Quarto", "Segundo", "Terceiro"]);
    assert!(refreshed.tickets.iter().all(|t| t.number.is_some()));
    assert!(!outbox.history_needs_rebuild());
    let kept = std::fs::read_dir(&home)
        .unwrap()
        .flatten()
        .filter(|d| {
            d.file_name()
                .to_string_lossy()
                .starts_with("history.damaged-")
        })
        .count();
    assert_eq!(kept, 1, "the damaged file is kept aside");

    // Sending again what the history now holds uploads nothing more.
    sender.drain(false).await.unwrap();
    assert_eq!(central.summaries().await.len(), 4);
    central.stop().await;
}

#[tokio::test]
async fn the_fila_shows_a_damaged_entry_apart_and_lists_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let outbox = Outbox::open(&home).unwrap();
    let good = outbox.enqueue(ticket("Inteiro"), None).unwrap().id;
    let bad = outbox.enqueue(ticket("Cortado"), None).unwrap().id;
    std::fs::write(
        home.join("outbox").join(&bad).join("entry.json"),
        b"{\"id\": \"20",
    )
    .unwrap();
    std::fs::write(home.join("outbox/desktop.ini"), b"[.ShellClassInfo]").unwrap();

    let app = App::new(None, home.clone());
    let queue = app.queue().unwrap();
    let items: Vec<&str> = queue.items.iter().map(|i| i.entry.id.as_str()).collect();
    assert_eq!(items, [good.as_str()]);
    assert_eq!(queue.damaged.len(), 1);
    assert_eq!(queue.damaged[0].id, bad);
    assert!(queue.damaged[0].reason.contains("entry.json"));
    let json = serde_json::to_value(&queue).unwrap();
    assert_eq!(json["damaged"][0]["id"], bad.as_str());

    // Named by its id, it is a damaged entry, not a full disk.
    std::fs::create_dir(home.join("outbox/20261201-000000-cccccc")).unwrap();
    std::fs::write(home.join("outbox/20261201-000000-cccccc/entry.json"), b"[").unwrap();
    let err = app.send_now("20261201-000000-cccccc").unwrap_err();
    assert_eq!(err.code, ErrorCode::DamagedEntry, "{err:?}");
}
