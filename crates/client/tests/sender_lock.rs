//! One sender at a time per data folder: the window and `chamado send` never deliver at once.

use chamado_client::{Contact, EntryState, NewTicket, Outbox};

#[test]
fn a_second_sender_waits_until_the_first_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let first = outbox.try_sender_lock().unwrap().expect("free at first");
    // Another open of the lock file, as another process would make.
    let other = Outbox::open(dir.path()).unwrap();
    assert!(
        other.try_sender_lock().unwrap().is_none(),
        "held by the first"
    );
    let waiter = std::thread::spawn(move || {
        let _lock = other.sender_lock().unwrap();
        std::time::Instant::now()
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    let released = std::time::Instant::now();
    drop(first);
    assert!(
        waiter.join().unwrap() >= released,
        "acquired only after release"
    );
    assert!(outbox.try_sender_lock().unwrap().is_some());
    // The lock file is not a ticket.
    assert!(outbox.list().unwrap().is_empty());
}

#[test]
fn send_now_requeues_a_refused_ticket_due_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    let ticket = NewTicket {
        topic: "erro".into(),
        summary: "Não abre".into(),
        description: "Erro ao abrir".into(),
        contact: Contact::default(),
        ..NewTicket::default()
    };
    let entry = outbox.enqueue(ticket, None).unwrap();
    let now = jiff::Timestamp::now();
    assert!(entry.is_due(now));
    // What deliver writes for a refusal.
    let path = dir.path().join("outbox").join(&entry.id).join("entry.json");
    let mut refused = entry.clone();
    refused.state = EntryState::Refused {
        status: 401,
        reason: "not enrolled".into(),
    };
    refused.next_attempt_at = Some(
        now.checked_add(jiff::SignedDuration::from_hours(1))
            .unwrap()
            .to_string(),
    );
    std::fs::write(&path, serde_json::to_vec(&refused).unwrap()).unwrap();
    assert!(!outbox.get(&entry.id).unwrap().is_due(now));
    let again = outbox.requeue(&entry.id).unwrap();
    assert_eq!(again.state, EntryState::Queued);
    assert!(outbox.get(&entry.id).unwrap().is_due(now));
    assert!(outbox.requeue("nope").is_err());
}
