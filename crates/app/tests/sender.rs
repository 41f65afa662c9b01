//! The sender against a real chamado-central in this test process: it resumes the outbox at
//! start, waits for a ticket's due time without polling, goes at once when the network comes
//! back, never delivers while another sender holds the lock, enrols with the installer's code,
//! and reports progress (over every file an entry uploads) and the number.
//!
//! Not on Windows: chamado-central is a Linux service and does not open its SQLite database under
//! Wine; the sender's own logic runs there in `sender.rs`'s unit tests.
#![cfg(not(windows))]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chamado_app::profile::InstallerCode;
use chamado_app::{Delivery, DeliveryEvent, Sender};
use chamado_client::{Contact, Enrolment, NewTicket, Outbox};

mod common;

use common::Central;

async fn enrol(central: &Central, home: &Path) {
    let code = central.code().await;
    chamado_app::enrol::enrol(home, &central.url, &code)
        .await
        .unwrap();
}

/// Queues a ticket with a 300 KiB bundle (a real zip: central checks), as the app does.
fn queue(home: &Path, summary: &str) -> String {
    let bundle = home.join("pacote.zip");
    std::fs::create_dir_all(home).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bundle).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("screenshots/1.webp", stored).unwrap();
    std::io::Write::write_all(&mut zip, &vec![7u8; 300 * 1024]).unwrap();
    zip.finish().unwrap();
    let ticket = NewTicket {
        topic: "erro".into(),
        summary: summary.into(),
        description: "O sistema fecha ao emitir nota.".into(),
        contact: Contact {
            name: "Ana".into(),
            email: "ana@cliente.com.br".into(),
            phone: None,
        },
        ..NewTicket::default()
    };
    let outbox = Outbox::open(home).unwrap();
    outbox.enqueue(ticket, Some(&bundle)).unwrap().id
}

/// An enrolled app folder under `dir` with one ticket queued while central was down, and central
/// started again on the same address (nothing sent yet: only a sender would send it).
async fn queued_while_down(dir: &Path, summary: &str) -> (PathBuf, Central, String) {
    let home = dir.join("app");
    let data = dir.join("central");
    let central = Central::start(&data, None).await;
    enrol(&central, &home).await;
    let addr: std::net::SocketAddr = central.url.trim_start_matches("http://").parse().unwrap();
    central.stop().await;
    let id = queue(&home, summary);
    // Tried once while central was down: it waits, with a backoff.
    let sender = Sender::new(home.clone(), None);
    let tried = sender.deliver_now(&id).await.unwrap();
    assert!(matches!(tried, Some(Delivery::Waiting { .. })), "{tried:?}");
    (home, Central::start(&data, Some(addr)).await, id)
}

/// Moves a queued ticket's next attempt an hour away, as after many failures.
fn postpone(home: &Path, id: &str) {
    let path = home.join("outbox").join(id).join("entry.json");
    let mut entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    entry["next_attempt_at"] = later.to_string().into();
    std::fs::write(&path, serde_json::to_vec(&entry).unwrap()).unwrap();
}

fn collect(sender: &Sender) -> Arc<Mutex<Vec<DeliveryEvent>>> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    sender.subscribe(move |e| sink.lock().unwrap().push(e));
    events
}

async fn until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < end {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    done()
}

fn delivered_number(events: &Mutex<Vec<DeliveryEvent>>) -> Option<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .find_map(|e| match &e.delivery {
            Delivery::Delivered { number, .. } => number.clone(),
            _ => None,
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_event_sends_at_once_whatever_the_backoff_and_progress_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (home, central, id) = queued_while_down(dir.path(), "Nota não transmite").await;
    postpone(&home, &id);
    let sender = Sender::new(home.clone(), None);
    let events = collect(&sender);
    let task = tokio::spawn(sender.clone().run());
    // Not due for an hour: the sender sleeps and central sees nothing.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(central.summaries().await.is_empty());
    assert!(events.lock().unwrap().is_empty());

    // The network comes back: it goes after the settling delay, not in an hour.
    sender.network_changed();
    assert!(
        until(Duration::from_secs(15), || delivered_number(&events)
            .is_some())
        .await,
        "not delivered: {:?}",
        events.lock().unwrap()
    );
    assert_eq!(central.summaries().await, ["Nota não transmite"]);
    let events = events.lock().unwrap().clone();
    assert!(events.iter().all(|e| e.id == id));
    let Some(Delivery::Sending { total, .. }) = events.first().map(|e| e.delivery.clone()) else {
        panic!("first event: {events:?}");
    };
    let size = std::fs::metadata(home.join("pacote.zip")).unwrap().len();
    assert_eq!(total, size, "the bundle's size");
    assert!(events
        .iter()
        .all(|e| e.kind == chamado_app::EntryKind::Ticket));
    assert!(Outbox::open(&home).unwrap().list().unwrap().is_empty());
    let history = Outbox::open(&home).unwrap().history().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].number, delivered_number(&Mutex::new(events)));
    task.abort();
    central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_start_it_resumes_the_outbox_but_never_while_the_command_line_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let (home, central, _) = queued_while_down(dir.path(), "Sistema lento").await;

    // The command line is delivering (it holds the lock): the window's sender waits for it.
    let outbox = Outbox::open(&home).unwrap();
    let held = outbox.try_sender_lock().unwrap().expect("free");
    let sender = Sender::new(home.clone(), None);
    let events = collect(&sender);
    let task = tokio::spawn(sender.clone().run());
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(
        central.summaries().await.is_empty(),
        "sent while the lock was held"
    );
    drop(held);

    // Then it goes, once, with nobody asking.
    assert!(
        until(Duration::from_secs(15), || delivered_number(&events)
            .is_some())
        .await
    );
    assert_eq!(central.summaries().await, ["Sistema lento"]);
    task.abort();
    central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_enrolled_it_enrols_with_the_installers_code_then_sends() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    // Typed before the installation was ever enrolled: kept, as refused for want of enrolment.
    let id = queue(&home, "Primeiro chamado");
    let tried = Sender::new(home.clone(), None)
        .deliver_now(&id)
        .await
        .unwrap();
    assert!(matches!(tried, Some(Delivery::Refused { .. })), "{tried:?}");
    let with_code = |code: String| {
        Sender::new(
            home.clone(),
            Some(InstallerCode {
                central: central.url.clone(),
                code,
            }),
        )
    };

    // A code central does not know: no enrolment, nothing sent, the ticket stays queued.
    let refused = with_code("AAAAA-BBBBB-CCCCC".into());
    let task = tokio::spawn(refused.clone().run());
    tokio::time::sleep(Duration::from_secs(2)).await;
    task.abort();
    assert!(Enrolment::load(&home).unwrap().is_none());
    assert!(central.summaries().await.is_empty());
    assert_eq!(Outbox::open(&home).unwrap().list().unwrap().len(), 1);

    // The installer's real code: enrolled at first start, then the ticket goes by itself.
    let sender = with_code(central.code().await);
    let events = collect(&sender);
    let task = tokio::spawn(sender.clone().run());
    assert!(
        until(Duration::from_secs(20), || delivered_number(&events)
            .is_some())
        .await,
        "not delivered: {:?}",
        events.lock().unwrap()
    );
    assert_eq!(central.summaries().await, ["Primeiro chamado"]);
    assert_eq!(
        Enrolment::load(&home).unwrap().expect("enrolled").central,
        central.url
    );
    task.abort();
    central.stop().await;
}
