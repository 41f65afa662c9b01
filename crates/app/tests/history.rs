//! Meus chamados refreshed from a real central: many tickets within central's default rate limit,
//! the numbers and links as central gives them, and central down said as such.
//!
//! Not on Windows: chamado-central is a Linux service and does not open its SQLite database under
//! Wine; the sender's own logic runs there in `sender.rs`'s unit tests.
#![cfg(not(windows))]

use chamado_app::{ErrorCode, Sender};
use chamado_client::{Outbox, TicketStatus};
use chamado_wire::MessageAuthor;

mod common;

use common::{enrolled, ticket, Central};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_of_120_tickets_refreshes_within_centrals_rate_limit() {
    let (_dir, home, data, central) = enrolled().await;
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

/// The vendor's reply (`chamado-central admin reply`) and a closed status reach Meus chamados;
/// the replies are kept on disk (offline, a restart); a thread is read again only when central's
/// list says the ticket changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supports_reply_and_the_closed_status_reach_the_history_and_stay_on_disk() {
    let (_dir, home, _, central) = enrolled().await;
    let outbox = Outbox::open(&home).unwrap();
    outbox.enqueue(ticket("Nota fiscal não sai"), None).unwrap();
    Sender::new(home.clone(), None).drain(false).await.unwrap();
    let reference = outbox.history().unwrap()[0].reference.clone();

    let before = chamado_app::history::refresh(&home, None).await.unwrap();
    assert!(before.tickets[0].replies.is_empty(), "no reply yet");

    let text = "Olá, Ana.\nReinstale o driver em C:\\Users\\<nome> & tente de novo 🙂";
    central.reply(&reference, text).await;
    // A second later: central's list no longer in the second of the change (see replies_of).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = chamado_app::history::refresh(&home, None).await.unwrap();
    let t = &after.tickets[0];
    assert_eq!(t.status, TicketStatus::Answered);
    assert_eq!(t.replies.len(), 1, "{:?}", t.replies);
    assert_eq!(t.replies[0].author, MessageAuthor::Staff);
    assert_eq!(t.replies[0].body, text, "as typed, line breaks and all");
    assert_eq!(t.seen_reply, None, "new to the user");
    let id = t.replies[0].id;

    // Nothing changed on central: the thread is not read again (a change made here stays).
    let path = home.join("history.json");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Reinstale", "REINSTALE");
    std::fs::write(&path, edited).unwrap();
    let same = chamado_app::history::refresh(&home, None).await.unwrap();
    assert!(same.tickets[0].replies[0]
        .body
        .starts_with("Olá, Ana.\nREINSTALE"));

    // Seen in Meus chamados; then central closes it: read again, with the reply.
    chamado_app::history::mark_seen(&home, &reference, id).unwrap();
    central.set_status(&reference, TicketStatus::Closed).await;
    let closed = chamado_app::history::refresh(&home, None).await.unwrap();
    let t = &closed.tickets[0];
    assert_eq!(t.status, TicketStatus::Closed);
    assert_eq!(t.replies.len(), 1);
    assert_eq!(
        t.replies[0].body, text,
        "read again once central's list changed"
    );
    assert_eq!(t.seen_reply, Some(id));

    // Offline and after a restart: the history still has the reply.
    central.stop().await;
    let down = chamado_app::history::refresh(&home, None)
        .await
        .unwrap_err();
    assert_eq!(down.code, ErrorCode::Offline);
    let kept = Outbox::open(&home).unwrap().history().unwrap();
    assert_eq!(kept[0].replies[0].body, text);
    assert_eq!(kept[0].status, TicketStatus::Closed);
    assert_eq!(
        chamado_app::history::mark_seen(&home, "no-such", 1)
            .unwrap_err()
            .code,
        ErrorCode::NoSuchTicket
    );
}
