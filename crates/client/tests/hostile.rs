//! The outbox and its sender against a broken or hostile central (one that hangs, answers
//! without end, redirects a POST, gives links to programs) and against a damaged data folder
//! (a truncated entry, a folder without one, a stray file, a truncated history): each time the
//! app stops in bounded time, keeps what is queued, and never uploads a delivered ticket twice.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chamado_client::{
    web_link, Attempt, Central, Contact, EntryState, NewTicket, Outbox, SendError,
};

fn ticket(summary: &str) -> NewTicket {
    NewTicket {
        topic: "erro".into(),
        summary: summary.into(),
        description: "Desde ontem aparece erro de conexão.".into(),
        contact: Contact {
            name: "Ana".into(),
            email: "ana@cliente.com.br".into(),
            phone: None,
        },
        ..NewTicket::default()
    }
}

/// What a test server heard: each request's method and path.
type Heard = Arc<Mutex<Vec<String>>>;

/// An HTTP server answering each request with what `answer(method, path)` gives (status line
/// and headers, then a JSON body), recording every request it heard.
fn server(answer: fn(&str, &str) -> (&'static str, String)) -> (SocketAddr, Heard) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let heard: Heard = Arc::default();
    let log = heard.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
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
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let mut parts = request.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            log.lock().unwrap().push(format!("{method} {path}"));
            let (head, body) = answer(method, path);
            let _ = write!(
                stream,
                "HTTP/1.1 {head}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (addr, heard)
}

fn taken(_: &str, _: &str) -> (&'static str, String) {
    (
        "201 Created",
        r#"{"reference":"R-1","number":"100","link":"https://central/t/R-1","status":"open"}"#
            .into(),
    )
}

fn central(addr: SocketAddr) -> Central {
    Central::new(&format!("http://{addr}"), Some("token".into())).unwrap()
}

fn queued_with_bundle(dir: &std::path::Path, kib: usize) -> (Outbox, String) {
    let bundle = dir.join("b.zip");
    std::fs::write(&bundle, vec![b'z'; kib * 1024]).unwrap();
    let outbox = Outbox::open(dir).unwrap();
    let id = outbox
        .enqueue(ticket("Sistema lento"), Some(&bundle))
        .unwrap()
        .id;
    (outbox, id)
}

fn assert_still_queued(outbox: &Outbox, id: &str) {
    let listed = outbox.list().unwrap();
    assert_eq!(listed.len(), 1, "kept: {listed:?}");
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].state, EntryState::Queued);
    assert!(
        listed[0].next_attempt_at.is_some(),
        "waits for a later attempt"
    );
    assert!(outbox.history().unwrap().is_empty(), "not delivered");
}

#[tokio::test]
async fn a_central_that_accepts_and_never_answers_fails_in_bounded_time_and_the_ticket_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (outbox, id) = queued_with_bundle(dir.path(), 4);
    let silent =
        central(chamado_testkit::silent_server()).with_idle_timeout(Duration::from_secs(1));

    let started = Instant::now();
    let attempt = tokio::time::timeout(
        Duration::from_secs(20),
        outbox.deliver(&id, &silent, Arc::new(AtomicU64::new(0))),
    )
    .await
    .expect("the attempt ends on its own")
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let Attempt::Later(SendError::Retry { reason, .. }) = attempt else {
        panic!("for later: {attempt:?}");
    };
    assert!(reason.contains("stopped answering"), "{reason}");
    assert_still_queued(&outbox, &id);

    // Reading the history's statuses ends too.
    let listed = tokio::time::timeout(Duration::from_secs(20), silent.tickets()).await;
    assert!(
        matches!(listed, Ok(Err(SendError::Retry { .. }))),
        "{listed:?}"
    );
}

/// A server that takes the upload slowly (a slow link) and then answers: the idle timeout
/// never cuts an upload that moves.
#[tokio::test]
async fn a_slow_upload_that_moves_is_not_cut() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
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
        // 16 KiB every 100 ms: about 3 s for the whole, three times the idle timeout.
        let mut left = length;
        let mut buf = vec![0u8; 16 * 1024];
        while left > 0 {
            let n = reader.read(&mut buf[..left.min(16 * 1024)]).unwrap();
            assert!(n > 0);
            left -= n;
            std::thread::sleep(Duration::from_millis(100));
        }
        let (_, body) = taken("POST", "/v1/tickets");
        let _ = write!(
            stream,
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let dir = tempfile::tempdir().unwrap();
    let (outbox, id) = queued_with_bundle(dir.path(), 480);
    let slow = central(addr).with_idle_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let attempt = outbox
        .deliver(&id, &slow, Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert!(matches!(attempt, Attempt::Delivered(_)), "{attempt:?}");
    assert!(started.elapsed() > Duration::from_secs(2), "it was slow");
}

#[tokio::test]
async fn an_answer_without_end_is_not_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (outbox, id) = queued_with_bundle(dir.path(), 4);
    let endless = central(chamado_testkit::endless_server());
    let attempt = tokio::time::timeout(
        Duration::from_secs(30),
        outbox.deliver(&id, &endless, Arc::new(AtomicU64::new(0))),
    )
    .await
    .expect("reading stops at the limit")
    .unwrap();
    let Attempt::Later(SendError::Retry { reason, .. }) = attempt else {
        panic!("for later: {attempt:?}");
    };
    assert!(reason.contains("longer than"), "{reason}");
    assert_still_queued(&outbox, &id);
    let notices = tokio::time::timeout(
        Duration::from_secs(30),
        endless.notices(Duration::from_secs(60)),
    )
    .await
    .expect("reading stops at the limit");
    assert!(notices.is_err());
}

#[tokio::test]
async fn a_redirect_answering_a_ticket_s_post_is_not_a_delivery() {
    fn redirect(method: &str, _: &str) -> (&'static str, String) {
        match method {
            "POST" => ("302 Found\r\nLocation: /v1/tickets/R-1", String::new()),
            _ => taken(method, ""),
        }
    }
    let (addr, heard) = server(redirect);
    let dir = tempfile::tempdir().unwrap();
    let (outbox, id) = queued_with_bundle(dir.path(), 4);
    let attempt = outbox
        .deliver(&id, &central(addr), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    let Attempt::Later(SendError::Retry { reason, .. }) = attempt else {
        panic!("for later: {attempt:?}");
    };
    assert!(reason.contains("302"), "{reason}");
    assert_still_queued(&outbox, &id);
    assert_eq!(*heard.lock().unwrap(), ["POST /v1/tickets"], "not followed");
}

#[tokio::test]
async fn only_web_links_from_central_are_kept() {
    fn program_link(_: &str, _: &str) -> (&'static str, String) {
        (
            "201 Created",
            r#"{"reference":"R-1","number":"100","link":"file:///C:/Windows/System32/calc.exe","status":"open"}"#
                .into(),
        )
    }
    let (addr, _) = server(program_link);
    let dir = tempfile::tempdir().unwrap();
    let (outbox, id) = queued_with_bundle(dir.path(), 1);
    let attempt = outbox
        .deliver(&id, &central(addr), Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    let Attempt::Delivered(answer) = attempt else {
        panic!("{attempt:?}")
    };
    assert_eq!(answer.number.as_deref(), Some("100"));
    assert_eq!(answer.link, None, "dropped");
    assert_eq!(outbox.history().unwrap()[0].link, None, "not stored");

    // A history an older version kept: such a link is not handed out either.
    let kept = std::fs::read_to_string(dir.path().join("history.json"))
        .unwrap()
        .replace("\"link\": null", "\"link\": \"javascript:alert(1)\"");
    std::fs::write(dir.path().join("history.json"), kept).unwrap();
    assert_eq!(outbox.history().unwrap()[0].link, None);

    for good in [
        "https://central.exemplo.com.br/t/1",
        "HTTP://10.0.0.1:8080/x",
    ] {
        assert!(web_link(good), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        "file:///C:/x.exe",
        "ms-settings:",
        "\\\\servidor\\c$\\x.exe",
        "C:\\Windows\\calc.exe",
        "data:text/html,<script>",
        "",
    ] {
        assert!(!web_link(bad), "{bad}");
    }
}

#[tokio::test]
async fn a_damaged_entry_is_set_aside_and_the_others_are_listed_and_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let good = outbox.enqueue(ticket("Primeiro"), None).unwrap().id;
    let truncated = outbox.enqueue(ticket("Segundo"), None).unwrap().id;
    let later = outbox.enqueue(ticket("Terceiro"), None).unwrap().id;
    let out = dir.path().join("outbox");
    let entry = out.join(&truncated).join("entry.json");
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::create_dir(out.join("20261201-000000-aaaaaa")).unwrap();
    std::fs::write(out.join("desktop.ini"), "[.ShellClassInfo]\r\n").unwrap();
    std::fs::write(out.join("Thumbs.db"), [0u8; 16]).unwrap();

    let listed: Vec<String> = outbox.list().unwrap().into_iter().map(|e| e.id).collect();
    let mut expected = [good.clone(), later.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    let damaged = outbox.damaged().unwrap();
    assert_eq!(damaged.len(), 2, "{damaged:?}");
    assert_eq!(damaged[0].id, "20261201-000000-aaaaaa");
    assert!(damaged[0].reason.contains("missing"), "{damaged:?}");
    assert_eq!(damaged[1].id, truncated);
    assert!(damaged[1].reason.contains("cannot be read"), "{damaged:?}");
    // Kept, never deleted: the truncated entry is whole where it was set aside.
    let aside = std::path::Path::new(&damaged[1].path);
    assert_eq!(
        std::fs::read(aside.join("entry.json")).unwrap(),
        &bytes[..bytes.len() / 2]
    );
    assert!(
        out.join("desktop.ini").exists(),
        "a stray file is left alone"
    );

    let (addr, heard) = server(taken);
    for id in [&good, &later] {
        let attempt = outbox
            .deliver(id, &central(addr), Arc::new(AtomicU64::new(0)))
            .await
            .unwrap();
        assert!(matches!(attempt, Attempt::Delivered(_)), "{attempt:?}");
    }
    assert_eq!(heard.lock().unwrap().len(), 2);
    assert!(outbox.list().unwrap().is_empty());
    assert_eq!(outbox.damaged().unwrap().len(), 2, "still shown");

    // Asked for by its id, a damaged entry says so, not that the disk is full.
    std::fs::create_dir(out.join("20261202-000000-bbbbbb")).unwrap();
    std::fs::write(out.join("20261202-000000-bbbbbb/entry.json"), "{\"id\":").unwrap();
    let err = outbox.get("20261202-000000-bbbbbb").unwrap_err();
    assert_eq!(err.code(), "damaged", "{err}");
}

/// Counts the uploads of tickets a server took.
fn uploads(heard: &Heard) -> usize {
    heard
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.starts_with("POST"))
        .count()
}

#[tokio::test]
async fn a_damaged_history_is_rebuilt_and_a_delivered_ticket_is_never_uploaded_again() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, heard) = server(taken);
    let (outbox, id) = queued_with_bundle(dir.path(), 4);
    // A history of two tickets, cut in the middle of the second (a crash of an older version,
    // a full disk, a sync tool).
    let history = r#"[
  {"reference":"R-0","number":"99","link":null,"status":"answered","topic":"erro",
   "summary":"Impressora","sent_at":"2026-11-01T10:00:00Z","updated_at":"2026-11-02T10:00:00Z"},
  {"reference":"R-00","number":"98","link":null,"status":"open","topic":"er"#;
    std::fs::write(dir.path().join("history.json"), history).unwrap();

    for _ in 0..3 {
        if outbox.list().unwrap().is_empty() {
            break;
        }
        let _ = outbox
            .deliver(&id, &central(addr), Arc::new(AtomicU64::new(0)))
            .await;
    }
    assert_eq!(uploads(&heard), 1, "uploaded once");
    assert!(outbox.list().unwrap().is_empty(), "delivered");
    let sent = outbox.history().unwrap();
    let refs: Vec<&str> = sent.iter().map(|s| s.reference.as_str()).collect();
    assert_eq!(
        refs,
        ["R-1", "R-0"],
        "the new one and the whole one of the old"
    );
    assert_eq!(sent[1].summary, "Impressora");
    assert!(
        outbox.history_needs_rebuild(),
        "central's list is still to come"
    );
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|d| d.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("history.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&aside[0])).unwrap(),
        history
    );
}

#[tokio::test]
async fn a_ticket_central_took_is_not_uploaded_again_while_the_history_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, heard) = server(taken);
    let (outbox, id) = queued_with_bundle(dir.path(), 4);
    // The history cannot be written (here: a folder in its place).
    let history = dir.path().join("history.json");
    std::fs::create_dir(&history).unwrap();
    let central = central(addr);
    for _ in 0..2 {
        let failed = outbox
            .deliver(&id, &central, Arc::new(AtomicU64::new(0)))
            .await;
        assert!(failed.is_err(), "{failed:?}");
    }
    assert_eq!(uploads(&heard), 1, "central has it: not uploaded again");
    assert_eq!(
        outbox.list().unwrap().len(),
        1,
        "kept until it is in the history"
    );

    std::fs::remove_dir(&history).unwrap();
    let attempt = outbox
        .deliver(&id, &central, Arc::new(AtomicU64::new(0)))
        .await
        .unwrap();
    assert!(
        matches!(attempt, Attempt::Delivered(ref a) if a.reference == "R-1"),
        "{attempt:?}"
    );
    assert_eq!(uploads(&heard), 1);
    assert!(outbox.list().unwrap().is_empty());
    assert_eq!(outbox.history().unwrap()[0].reference, "R-1");
}

#[test]
fn a_damaged_entry_that_cannot_be_moved_aside_is_still_shown_and_the_others_listed() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let good = outbox.enqueue(ticket("Inteiro"), None).unwrap().id;
    let out = dir.path().join("outbox");
    std::fs::create_dir(out.join("20261201-000000-dddddd")).unwrap();
    // Where damaged entries go cannot be made (here: a file in its place; on Windows, a file
    // of the entry held open by another program).
    std::fs::write(out.join(".damaged"), b"").unwrap();

    let listed: Vec<String> = outbox.list().unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(listed, [good]);
    let damaged = outbox.damaged().unwrap();
    assert_eq!(damaged.len(), 1, "{damaged:?}");
    assert_eq!(damaged[0].id, "20261201-000000-dddddd");
    assert!(
        damaged[0].path.ends_with("20261201-000000-dddddd"),
        "{damaged:?}"
    );
    assert!(
        out.join("20261201-000000-dddddd").is_dir(),
        "left where it was"
    );
}
