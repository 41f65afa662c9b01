//! The outbox on disk and its sender against HTTP servers on loopback that fail the ways
//! networks and servers do. (The exactly-once proof against a real chamado-central is in
//! tests/central.rs.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use chamado_client::backoff::{next_delay, FIRST, MAX};
use chamado_client::{
    Attempt, Central, Contact, EntryState, NewMessage, NewTicket, Outbox, Payload, SendError,
    TechnicianTarget,
};

fn ticket() -> NewTicket {
    NewTicket {
        topic: "erro".into(),
        summary: "Sistema não abre".into(),
        description: "Desde ontem aparece erro de conexão.".into(),
        contact: Contact {
            name: "Ana".into(),
            email: "ana@cliente.com.br".into(),
            phone: None,
        },
        ..NewTicket::default()
    }
}

/// An HTTP server that answers every request with `status`, `headers` and a JSON `body`.
fn server(status: &'static str, headers: &'static str, body: &'static str) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body_in = vec![0u8; length];
            let _ = reader.read_exact(&mut body_in);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

fn central(addr: SocketAddr) -> Central {
    Central::new(&format!("http://{addr}"), Some("token".into())).unwrap()
}

#[test]
fn a_queued_ticket_is_on_disk_with_its_bundle_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("b.zip");
    std::fs::write(&bundle, b"PK\x03\x04zip").unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let entry = outbox.enqueue(ticket(), Some(&bundle)).unwrap();
    assert_eq!(entry.idempotency_key.len(), 32);
    // Another process (the app after a restart) sees the same entry.
    let again = Outbox::open(dir.path()).unwrap();
    let listed = again.list().unwrap();
    assert_eq!(listed, std::slice::from_ref(&entry));
    let copy = again.bundle_path(&listed[0]).unwrap();
    assert_eq!(std::fs::read(copy).unwrap(), b"PK\x03\x04zip");
    // A folder left by a crash while queueing is not a ticket.
    std::fs::create_dir(dir.path().join("outbox/.20261125-000000-abcdef.partial")).unwrap();
    assert_eq!(again.list().unwrap().len(), 1);
    again.delete(&entry.id).unwrap();
    assert!(again.list().unwrap().is_empty());
    assert_eq!(again.delete(&entry.id).unwrap_err().code(), "not_found");
}

#[test]
fn a_missing_bundle_queues_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let err = outbox
        .enqueue(ticket(), Some(&dir.path().join("sumiu.zip")))
        .unwrap_err();
    assert_eq!(err.code(), "unreadable_file");
    assert!(err.to_string().contains("sumiu.zip"), "{err}");
    assert!(outbox.list().unwrap().is_empty());
    let leftovers = std::fs::read_dir(dir.path().join("outbox"))
        .unwrap()
        .count();
    assert_eq!(leftovers, 0, "no partial folder left");
}

#[test]
fn backoff_doubles_up_to_a_cap_with_jitter_and_honours_retry_after() {
    assert_eq!(next_delay(1, None, 1.0), FIRST);
    assert_eq!(next_delay(2, None, 1.0), FIRST * 2);
    assert_eq!(next_delay(4, None, 1.0), FIRST * 8);
    assert_eq!(next_delay(40, None, 1.0), MAX);
    assert_eq!(next_delay(3, None, 0.5), FIRST * 2);
    assert_eq!(
        next_delay(1, Some(Duration::from_secs(120)), 1.0),
        Duration::from_secs(120)
    );
    for _ in 0..100 {
        let j = chamado_client::backoff::jitter();
        assert!((0.5..1.0).contains(&j), "{j}");
    }
}

#[tokio::test]
async fn central_down_keeps_the_ticket_for_later() {
    let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let entry = outbox.enqueue(ticket(), None).unwrap();
    let attempt = outbox
        .deliver(&entry.id, &central(closed), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert!(
        matches!(attempt, Attempt::Later(SendError::Retry { .. })),
        "{attempt:?}"
    );
    let kept = outbox.get(&entry.id).unwrap();
    assert_eq!(kept.attempts, 1);
    assert_eq!(kept.state, EntryState::Queued);
    assert!(kept.next_attempt_at.is_some() && kept.last_error.is_some());
    assert_eq!(
        kept.idempotency_key, entry.idempotency_key,
        "same key next time"
    );
    // Not due yet (a sender leaves it); tried again on demand, it counts a second attempt.
    assert!(!kept.is_due(jiff::Timestamp::now()));
    outbox
        .deliver(&entry.id, &central(closed), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert_eq!(outbox.get(&entry.id).unwrap().attempts, 2);
}

#[tokio::test]
async fn busy_and_failing_servers_mean_later_and_retry_after_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let busy = server(
        "429 Too Many Requests",
        "Retry-After: 600\r\n",
        r#"{"error":"rate_limited","message":"slow down"}"#,
    );
    let entry = outbox.enqueue(ticket(), None).unwrap();
    let attempt = outbox
        .deliver(&entry.id, &central(busy), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert!(
        matches!(&attempt, Attempt::Later(SendError::Retry { after: Some(d), .. }) if d.as_secs() == 600),
        "{attempt:?}"
    );
    let next: jiff::Timestamp = outbox
        .get(&entry.id)
        .unwrap()
        .next_attempt_at
        .unwrap()
        .parse()
        .unwrap();
    assert!(next >= jiff::Timestamp::now() + jiff::SignedDuration::from_secs(590));
    let failing = server(
        "500 Internal Server Error",
        "",
        r#"{"error":"internal","message":"boom"}"#,
    );
    let attempt = outbox
        .deliver(&entry.id, &central(failing), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert!(matches!(attempt, Attempt::Later(_)), "{attempt:?}");
    assert_eq!(outbox.get(&entry.id).unwrap().attempts, 2);
}

#[tokio::test]
async fn a_refused_ticket_is_kept_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let bad = server(
        "400 Bad Request",
        "",
        r#"{"error":"invalid","message":"must be an e-mail address","field":"contact.email"}"#,
    );
    let entry = outbox.enqueue(ticket(), None).unwrap();
    let attempt = outbox
        .deliver(&entry.id, &central(bad), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert!(matches!(attempt, Attempt::Refused(_)), "{attempt:?}");
    let kept = outbox.get(&entry.id).unwrap();
    assert_eq!(
        kept.state,
        EntryState::Refused {
            status: 400,
            reason: "contact.email: must be an e-mail address".into()
        }
    );
    assert_eq!(
        kept.payload,
        Payload::Ticket(ticket()),
        "the user's text is kept"
    );
    // Refused tickets are never due: they wait for the user.
    assert!(!kept.is_due(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24)));
}

/// An entry queued before entries had kinds (every one a ticket) still reads, lists and is sent
/// as the ticket it is; its file is written back in the same shape.
#[test]
fn an_entry_queued_by_an_older_version_is_still_a_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let old = dir.path().join("outbox/20261120-101010-a1b2c3");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(
        old.join("entry.json"),
        r#"{
  "id": "20261120-101010-a1b2c3",
  "idempotency_key": "00112233445566778899aabbccddeeff",
  "created_at": "2026-11-20T10:10:10Z",
  "ticket": {"topic": "erro", "summary": "Sistema não abre", "description": "Desde ontem aparece erro de conexão.",
             "contact": {"name": "Ana", "email": "ana@cliente.com.br", "phone": null}, "module": null, "fields": {}},
  "has_bundle": false,
  "state": {"state": "queued"},
  "attempts": 2,
  "next_attempt_at": null,
  "last_error": "central could not be reached"
}"#,
    )
    .unwrap();
    let listed = outbox.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].payload, Payload::Ticket(ticket()));
    assert_eq!(listed[0].payload.kind(), "ticket");
    let json: serde_json::Value = serde_json::to_value(&listed[0]).unwrap();
    assert_eq!(json["ticket"]["summary"], "Sistema não abre");
    assert!(json.get("payload").is_none(), "{json}");
}

/// Information for an open ticket and a technician's bundle are queued like tickets: their own
/// key, copies of the files (names kept), readable by another process; a missing file is named
/// and nothing is queued.
#[test]
fn information_and_technician_bundles_are_queued_with_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let print = dir.path().join("tela do erro.png");
    std::fs::write(&print, b"\x89PNG...").unwrap();
    let log = dir.path().join("erro.log");
    std::fs::write(&log, b"linha 1\nlinha 2\n").unwrap();
    let bundle = dir.path().join("pacote.zip");
    std::fs::write(&bundle, b"PK\x03\x04zip").unwrap();

    let m = outbox
        .enqueue_message(
            "R-1".into(),
            Some("123456".into()),
            "Aconteceu de novo às 10h.".into(),
            &[print.clone(), log.clone()],
            Some(&bundle),
        )
        .unwrap();
    let t = outbox
        .enqueue_technician(
            TechnicianTarget {
                number: "654321".into(),
                email: "ana@cliente.com.br".into(),
                note: Some("Coleta feita no local".into()),
            },
            &bundle,
        )
        .unwrap();
    assert_ne!(m.idempotency_key, t.idempotency_key);
    let again = Outbox::open(dir.path()).unwrap();
    let listed = again.list().unwrap();
    assert_eq!(listed.len(), 2);
    let message = listed.iter().find(|e| e.id == m.id).unwrap();
    assert_eq!(
        message.payload,
        Payload::Message(NewMessage {
            reference: "R-1".into(),
            number: Some("123456".into()),
            body: "Aconteceu de novo às 10h.".into(),
            attachments: vec!["tela do erro.png".into(), "erro.log".into()],
        })
    );
    let total = std::fs::metadata(&print).unwrap().len()
        + std::fs::metadata(&log).unwrap().len()
        + std::fs::metadata(&bundle).unwrap().len();
    assert_eq!(again.upload_bytes(message), total);
    let tech = listed.iter().find(|e| e.id == t.id).unwrap();
    assert_eq!(tech.payload.kind(), "technician_bundle");
    assert_eq!(
        again.upload_bytes(tech),
        std::fs::metadata(&bundle).unwrap().len()
    );

    let err = again
        .enqueue_message(
            "R-1".into(),
            None,
            "x".into(),
            &[print, dir.path().join("nao-existe.pdf")],
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "unreadable_file");
    assert!(err.to_string().contains("nao-existe.pdf"), "{err}");
    assert_eq!(again.list().unwrap().len(), 2, "nothing more was queued");
}

#[test]
fn the_sender_sleeps_until_the_earliest_due_entry() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    assert_eq!(outbox.next_due_in().unwrap(), None, "nothing to wait for");
    outbox.enqueue(ticket(), None).unwrap();
    assert_eq!(outbox.next_due_in().unwrap(), Some(Duration::ZERO));
}

/// The UI reads entries through generated TypeScript: the kind is one key beside the fields.
#[test]
fn an_entry_s_typescript_has_its_kind_beside_its_fields() {
    use ts_rs::TS;
    let decl = chamado_client::Entry::decl(&ts_rs::Config::new());
    assert!(
        decl.contains("\"ticket\": NewTicket") && decl.contains("\"technician_bundle\""),
        "{decl}"
    );
}

/// The history on disk holds each ticket's status as its code: a history.json written before the
/// status was typed still loads, a status this version does not know is kept, and the app's
/// TypeScript reads it as the UI's `TicketStatus`.
#[test]
fn a_history_written_before_the_status_was_typed_still_loads() {
    use chamado_client::TicketStatus;
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    std::fs::write(
        dir.path().join("history.json"),
        r#"[
  {
    "reference": "CH-2",
    "number": null,
    "link": null,
    "status": "waiting_for_the_moon",
    "topic": "erro",
    "summary": "Outro",
    "sent_at": "2026-11-21T10:00:00Z",
    "updated_at": "2026-11-21T10:00:00Z"
  },
  {
    "reference": "CH-1",
    "number": "2026-000001",
    "link": "https://central.exemplo.com.br/t/CH-1/k",
    "status": "open",
    "topic": "erro",
    "summary": "Sistema não abre",
    "sent_at": "2026-11-20T10:10:10Z",
    "updated_at": "2026-11-20T10:10:10Z"
  }
]
"#,
    )
    .unwrap();
    let history = outbox.history().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].status, TicketStatus::Open);
    assert_eq!(history[1].number.as_deref(), Some("2026-000001"));
    assert_eq!(
        history[0].status,
        TicketStatus::Other("waiting_for_the_moon".into())
    );
    let written = serde_json::to_value(&history[1]).unwrap();
    assert_eq!(written["status"], "open");

    use ts_rs::TS;
    let decl = chamado_client::Sent::decl(&ts_rs::Config::new());
    assert!(decl.contains("status: TicketStatus,"), "{decl}");
}
