//! `[osticket] create = "plugin"` against the REAL osTicket 1.18.1 with the Chamado plugin
//! (`chamado_testkit::osticket`): tickets and follow-ups land once, also when a row is sent
//! again; analysts' replies and the status come back through the signed events, and through the
//! poll alone when the events go elsewhere; forged or stale events change nothing. One osTicket
//! for the whole file (each start costs a few seconds).

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use chamado_central::config::CreateVia;
use chamado_testkit::osticket::OsTicket;
use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

/// What a customer types that osTicket's own API loses (`<…>` decoded into tags, symbols).
const TYPED: &str = "João & <Maria> não conecta\nC:\\Users\\<nome>\\AppData ação 🎉 ©";

const SECRET: &str = "segredo-do-plugin-para-testes";

/// A central in plugin mode on the real osTicket: its key, the Chamado topic for
/// `sem-conexao`, polling every `poll_secs`.
async fn central_for(desk: &OsTicket, secret: &str, poll_secs: u64) -> Central {
    let o = plugin_config(desk, secret, poll_secs);
    start_with(|c| c.osticket = Some(o)).await
}

fn plugin_config(
    desk: &OsTicket,
    secret: &str,
    poll_secs: u64,
) -> chamado_central::config::Osticket {
    let mut o = osticket_config(desk.url());
    o.api_key = desk.api_key().to_owned();
    o.topics = [("sem-conexao".to_owned(), desk.topic_id())].into();
    o.create = CreateVia::Plugin;
    o.events_secret = Some(chamado_central::config::Password(secret.to_owned()));
    o.poll_secs = poll_secs;
    o
}

/// Central's own database (SQLite in its data folder), to put a delivered row back in line as
/// a central that crashed before recording osTicket's answer would find it.
async fn central_db(c: &Central) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let path = c.dir.path().join("data/central.sqlite3");
    sqlx::AnyPool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

/// Sends the message's forward row again, as after a crash between osTicket's answer and
/// central's commit; waits until it is done a second time.
async fn send_again(c: &Central, message_id: i64) {
    let db = central_db(c).await;
    sqlx::query(
        "UPDATE forwards SET done_at = NULL, next_attempt_at = '2000-01-01T00:00:00Z' \
         WHERE message_id = $1",
    )
    .bind(message_id)
    .execute(&db)
    .await
    .unwrap();
    c.state.forward_wake.notify_one();
    eventually("the row sent again", async || {
        let (attempts, done): (i64, Option<String>) =
            sqlx::query_as("SELECT attempts, done_at FROM forwards WHERE message_id = $1")
                .bind(message_id)
                .fetch_one(&db)
                .await
                .unwrap();
        (attempts >= 2 && done.is_some()).then_some(())
    })
    .await;
}

/// Central's id of the latest message of `reference`.
async fn last_message_id(c: &Central, reference: &str) -> i64 {
    let db = central_db(c).await;
    sqlx::query_scalar(
        "SELECT MAX(m.id) FROM messages m JOIN tickets t ON t.id = m.ticket_id \
         WHERE t.reference = $1",
    )
    .bind(reference)
    .fetch_one(&db)
    .await
    .unwrap()
}

/// osTicket's ticket id for its number.
fn ticket_id(desk: &OsTicket, number: &str) -> String {
    let rows = desk.sql(&format!(
        "SELECT ticket_id FROM ost_ticket WHERE number = '{number}'"
    ));
    assert_eq!(
        rows.len(),
        1,
        "one osTicket ticket numbered {number}: {rows:?}"
    );
    rows[0][0].clone()
}

/// The files (name, size) on an osTicket ticket's thread.
fn files(desk: &OsTicket, tid: &str) -> Vec<Vec<String>> {
    desk.sql(&format!(
        "SELECT fi.name, fi.size FROM ost_attachment a JOIN ost_file fi ON fi.id = a.file_id \
         JOIN ost_thread_entry e ON e.id = a.object_id AND a.type = 'H' \
         JOIN ost_thread t ON t.id = e.thread_id \
         WHERE t.object_type = 'T' AND t.object_id = {tid} ORDER BY fi.name"
    ))
}

/// The customer's entries (`M`) in an osTicket ticket's thread.
fn customer_entries(desk: &OsTicket, tid: &str) -> usize {
    desk.sql(&format!(
        "SELECT e.id FROM ost_thread_entry e JOIN ost_thread t ON t.id = e.thread_id \
         WHERE t.object_type = 'T' AND t.object_id = {tid} AND e.type = 'M'"
    ))
    .len()
}

/// Waits until central's ticket satisfies `done`; the time it took.
async fn until(
    c: &Central,
    token: &str,
    reference: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Duration {
    let started = Instant::now();
    eventually(what, async || {
        let t = ticket(c, token, reference).await;
        done(&t).then_some(())
    })
    .await;
    started.elapsed()
}

fn staff_says(t: &Value, text: &str) -> bool {
    t["thread"].as_array().is_some_and(|th| {
        th.iter()
            .any(|m| m["author"] == "staff" && m["body"].as_str().unwrap_or("").contains(text))
    })
}

/// An event as the plugin signs it.
async fn post_event(c: &Central, secret: &str, timestamp: i64, body: &Value) -> reqwest::Response {
    let bytes = serde_json::to_vec(body).unwrap();
    let ts = timestamp.to_string();
    c.http
        .post(format!("{}/v1/osticket/events", c.url))
        .header("Content-Type", "application/json")
        .header("X-Chamado-Timestamp", &ts)
        .header(
            "X-Chamado-Signature",
            chamado_central::osticket::sign(secret, &ts, &bytes),
        )
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugin_mode_both_ways_on_the_real_osticket() {
    let Some(desk) = OsTicket::start("plugin mode both ways") else {
        return;
    };
    // Central 1 hears the events (its poll is an hour away); central 2, on the same osTicket,
    // never does (the plugin calls central 1, which does not know its tickets): the poll alone.
    let c = central_for(&desk, SECRET, 3600).await;
    let c2 = central_for(&desk, "um-segredo-que-o-plugin-nao-tem", 2).await;
    desk.install_plugin(&[
        &format!("central_url={}", c.url),
        &format!("secret={SECRET}"),
    ]);
    let token = c.enrol("Padaria Pão Quente").await;

    // A ticket with topic, fields and its bundle lands once.
    let bundle = real_bundle(20_000);
    let mut typed = ticket_json();
    typed["description"] = TYPED.into();
    let with_bundle = form_with_bundle(&typed, bundle.clone(), "pacote.zip");
    let (status, t) = c.ticket(&token, "k1", with_bundle).await;
    assert_eq!(status, 201, "{t}");
    let reference = t["reference"].as_str().unwrap().to_owned();
    let n = number(&c, &token, &reference).await;
    let tid = ticket_id(&desk, &n);
    assert_eq!(
        desk.sql(&format!(
            "SELECT topic_id FROM ost_ticket WHERE ticket_id = {tid}"
        )),
        [[desk.topic_id().to_string()]],
        "the help topic"
    );
    assert_eq!(
        desk.sql(&format!(
            "SELECT f.name, v.value FROM ost_form_entry e JOIN ost_form_entry_values v \
             ON v.entry_id = e.id JOIN ost_form_field f ON f.id = v.field_id \
             WHERE e.object_type = 'T' AND e.object_id = {tid} \
             AND f.name IN ('module', 'program_version') ORDER BY f.name"
        )),
        [["module", "faturamento"], ["program_version", "8.4.1.120"]],
        "module and the program's version (from the bundle) in the topic's form"
    );
    assert_eq!(
        files(&desk, &tid),
        [["pacote.zip".to_owned(), bundle.len().to_string()]],
        "the bundle inside the ticket"
    );
    assert_eq!(customer_entries(&desk, &tid), 1);
    // The customer's text as typed, as osTicket shows it (the plugin's plain-text view).
    let shown_by_plugin: Value = c
        .http
        .get(format!(
            "{}/api/tickets/chamado/ticket.json?reference={reference}",
            desk.url()
        ))
        .header("X-API-Key", desk.api_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first_text = shown_by_plugin["thread"][0]["text"].as_str().unwrap_or("");
    for line in TYPED.lines() {
        assert!(
            first_text.contains(line),
            "`{line}` as typed in osTicket: {first_text}"
        );
    }

    // The same row sent again (a crash before central recorded the answer): the same ticket.
    let tickets_before = desk.sql("SELECT COUNT(*) FROM ost_ticket");
    send_again(&c, last_message_id(&c, &reference).await).await;
    assert_eq!(desk.sql("SELECT COUNT(*) FROM ost_ticket"), tickets_before);
    assert_eq!(ticket(&c, &token, &reference).await["number"], n.as_str());
    assert_eq!(customer_entries(&desk, &tid), 1, "the message once");

    // A follow-up with a file lands once, sent twice too.
    let res = c
        .post(&token, &format!("/v1/tickets/{reference}/messages"))
        .header("Idempotency-Key", "m1")
        .multipart(
            Form::new()
                .text(
                    "message",
                    json!({"body": "Reiniciei o servidor e continua."}).to_string(),
                )
                .part(
                    "attachment",
                    Part::bytes(b"linha 1\nlinha 2\n".to_vec())
                        .file_name("erro.txt")
                        .mime_str("text/plain")
                        .unwrap(),
                ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let follow_up = last_message_id(&c, &reference).await;
    eventually("the follow-up in osTicket", async || {
        (customer_entries(&desk, &tid) == 2).then_some(())
    })
    .await;
    send_again(&c, follow_up).await;
    assert_eq!(customer_entries(&desk, &tid), 2, "the follow-up once");
    assert_eq!(
        files(&desk, &tid),
        [
            ["erro.txt".to_owned(), "16".to_owned()],
            ["pacote.zip".to_owned(), bundle.len().to_string()]
        ],
        "the follow-up's file once"
    );

    // An analyst's reply, posted in the staff panel, reaches the app's view through the event.
    let posted = Instant::now();
    desk.reply(&n, "Olá Maria, atualize para a versão 8.5.", None, false);
    let took = until(&c, &token, &reference, "the reply on central", |t| {
        staff_says(t, "atualize para a versão 8.5") && t["status"] == "answered"
    })
    .await;
    println!(
        "event path: reply shown by central {:.2} s after the analyst started (staff panel login included; {:.2} s after the post returned)",
        posted.elapsed().as_secs_f64(),
        took.as_secs_f64()
    );

    // An internal note never reaches central; closing does.
    desk.reply(&n, "Nota interna: cliente difícil.", None, true);
    let posted = Instant::now();
    desk.reply(&n, "Resolvido, obrigado.", Some("Closed"), false);
    let took = until(&c, &token, &reference, "the close on central", |t| {
        t["status"] == "closed" && staff_says(t, "Resolvido, obrigado.")
    })
    .await;
    println!(
        "event path: close shown by central {:.2} s after the analyst started (staff panel login included; {:.2} s after the post returned)",
        posted.elapsed().as_secs_f64(),
        took.as_secs_f64()
    );
    let shown = ticket(&c, &token, &reference).await;
    let staff: Vec<&Value> = shown["thread"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["author"] == "staff")
        .collect();
    assert_eq!(staff.len(), 2, "each reply once, no note: {shown}");
    assert!(!shown.to_string().contains("Nota interna"), "{shown}");

    // Forged and stale events are refused and change nothing; a good one is taken once. To see
    // what an event would do, osTicket reopens the ticket behind central's back (SQL: no event).
    desk.sql(&format!(
        "UPDATE ost_ticket SET status_id = 1, closed = NULL WHERE ticket_id = {tid}"
    ));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let event = json!({"event_id": 999_001, "reference": reference, "number": n, "event": "status",
        "status": {"state": "open", "name": "Open"}, "at": "2026-12-07T00:00:00Z"});
    let forged = post_event(&c, "nao-e-o-segredo-do-plugin", now, &event).await;
    assert_eq!(forged.status(), 401);
    let body: Value = forged.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized", "JSON: {body}");
    let stale = post_event(&c, SECRET, now - 600, &event).await;
    assert_eq!(stale.status(), 401);
    let unsigned = c
        .http
        .post(format!("{}/v1/osticket/events", c.url))
        .json(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        ticket(&c, &token, &reference).await,
        shown,
        "nothing changed"
    );
    let good = post_event(&c, SECRET, now, &event).await;
    assert_eq!(
        good.status(),
        202,
        "the same event id, signed: not taken before"
    );
    until(
        &c,
        &token,
        &reference,
        "the reopening read after the event",
        |t| t["status"] == "answered",
    )
    .await;
    let again = post_event(&c, SECRET, now, &event).await;
    assert_eq!(again.status(), 200, "the same event id: taken once");
    let unknown = post_event(
        &c,
        SECRET,
        now,
        &json!({"event_id": 999_002, "reference": "CH-NAOEXISTE", "event": "status"}),
    )
    .await;
    assert_eq!(unknown.status(), 404, "a reference central does not know");

    // Central 2 hears no event: its poll brings the reply and the close.
    let token2 = c2.enrol("Mercado Bom Preço").await;
    let (status, t2) = c2.ticket(&token2, "k1", form(&ticket_json())).await;
    assert_eq!(status, 201, "{t2}");
    let reference2 = t2["reference"].as_str().unwrap().to_owned();
    let n2 = number(&c2, &token2, &reference2).await;
    let posted = Instant::now();
    desk.reply(&n2, "Pelo poll: verifique o cabo de rede.", None, false);
    until(
        &c2,
        &token2,
        &reference2,
        "the reply through the poll",
        |t| staff_says(t, "verifique o cabo de rede") && t["status"] == "answered",
    )
    .await;
    println!(
        "poll path (every 2 s): reply shown by central {:.2} s after the analyst started (login included)",
        posted.elapsed().as_secs_f64()
    );
    desk.reply(&n2, "Fechando.", Some("Closed"), false);
    until(
        &c2,
        &token2,
        &reference2,
        "the close through the poll",
        |t| t["status"] == "closed",
    )
    .await;
    // Central 1 never took central 2's ticket.
    assert!(ticket_exists(&c, &reference2).await.is_none());

    // Overlapping requests for one ticket (a retry while the first is still running, or a
    // central back at once after a crash): one osTicket ticket, the same number for each.
    let o = plugin_config(&desk, SECRET, 3600);
    let c3 = start_without_tasks(Db::Sqlite, |c| c.osticket = Some(o.clone())).await;
    let token3 = c3.enrol("Oficina Boa Vista").await;
    let (status, t3) = c3.ticket(&token3, "k1", form(&ticket_json())).await;
    assert_eq!(status, 201, "{t3}");
    let reference3 = t3["reference"].as_str().unwrap().to_owned();
    let count = || {
        desk.sql("SELECT COUNT(*) FROM ost_ticket")[0][0]
            .parse::<u32>()
            .unwrap()
    };
    let before = count();
    let row = c3.state.db.claim_forwards("test", 60, 10).await.unwrap();
    assert_eq!(row.len(), 1);
    let fw = std::sync::Arc::new(chamado_central::forward::Forwarder::new());
    let sends = (0..4).map(|_| {
        let (fw, state, o, f) = (fw.clone(), c3.state.clone(), o.clone(), row[0].clone());
        tokio::spawn(async move { fw.send(&state, &o, &f).await.unwrap() })
    });
    let mut numbers = Vec::new();
    for s in sends {
        numbers.push(s.await.unwrap());
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "the same number for each: {numbers:?}");
    assert_eq!(count(), before + 1, "one new osTicket ticket");
    assert_eq!(
        desk.sql(&format!(
            "SELECT COUNT(*) FROM ost_chamado_ticket WHERE reference = '{reference3}'"
        )),
        [["1"]],
        "one osTicket ticket for the reference"
    );
}

async fn ticket_exists(c: &Central, reference: &str) -> Option<()> {
    c.state
        .db
        .ticket(reference, None)
        .await
        .unwrap()
        .map(|_| ())
}

on_both_databases!(replies_status_and_polls_are_kept_once);

/// The way back's storage on SQLite and PostgreSQL (no osTicket: the rows as the plugin's answers
/// would make them): each reply once by entry id, the status held while a customer's message is
/// on its way, one central polling a ticket at a time, each event id once.
async fn replies_status_and_polls_are_kept_once(db: Db) {
    let c = start_without_tasks(db, |config| {
        let mut o = osticket_config("http://127.0.0.1:9");
        o.create = CreateVia::Plugin;
        config.osticket = Some(o);
    })
    .await;
    let token = c.enrol("Padaria").await;
    let (_, t) = c.ticket(&token, "k1", form(&ticket_json())).await;
    let reference = t["reference"].as_str().unwrap().to_owned();
    let db = &c.state.db;
    let id = db.ticket(&reference, None).await.unwrap().unwrap().id;
    let first = db.thread(id).await.unwrap()[0].id;
    // Not in osTicket yet: nothing to poll.
    assert!(db.claim_polls("a", 60, 10).await.unwrap().is_empty());
    db.forward_done(first, id, Some("246041")).await.unwrap();

    let claimed = db.claim_polls("a", 60, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].reference, reference);
    assert!(
        db.claim_polls("b", 60, 10).await.unwrap().is_empty(),
        "another central waits out the lease"
    );
    db.polled(id, 300).await.unwrap();
    assert!(
        db.claim_polls("b", 60, 10).await.unwrap().is_empty(),
        "not due again yet"
    );

    let reply = |entry_id, text: &str| chamado_central::db::Reply {
        entry_id,
        text: text.to_owned(),
    };
    use chamado_central::db::Status;
    let added = db
        .osticket_apply(
            id,
            vec![reply(31, "Primeira"), reply(35, "Segunda")],
            Status::Answered,
        )
        .await
        .unwrap();
    assert_eq!(added, 2);
    let again = db
        .osticket_apply(
            id,
            vec![reply(31, "Primeira"), reply(35, "Segunda")],
            Status::Answered,
        )
        .await
        .unwrap();
    assert_eq!(again, 0, "each entry once");
    let shown = ticket(&c, &token, &reference).await;
    assert_eq!(shown["status"], "answered");
    let staff = shown["thread"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["author"] == "staff")
        .count();
    assert_eq!(staff, 2);

    // A customer's message not yet in osTicket: osTicket's "answered" is old news.
    let res = c
        .post(&token, &format!("/v1/tickets/{reference}/messages"))
        .header("Idempotency-Key", "m1")
        .multipart(Form::new().text("message", json!({"body": "Mais um detalhe."}).to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    db.osticket_apply(id, vec![], Status::Answered)
        .await
        .unwrap();
    assert_eq!(ticket(&c, &token, &reference).await["status"], "open");
    let follow_up = db.thread(id).await.unwrap().last().unwrap().id;
    // A reply meanwhile is news for the app, which reads the threads of changed tickets only.
    let before = ticket(&c, &token, &reference).await["updated_at"].clone();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    db.osticket_apply(id, vec![reply(40, "Terceira")], Status::Answered)
        .await
        .unwrap();
    let shown = ticket(&c, &token, &reference).await;
    assert_eq!(shown["status"], "open");
    assert_ne!(shown["updated_at"], before, "the ticket changed");
    db.forward_done(follow_up, id, None).await.unwrap();
    db.osticket_apply(id, vec![], Status::Closed).await.unwrap();
    assert_eq!(ticket(&c, &token, &reference).await["status"], "closed");
    db.polled(id, -1).await.unwrap();
    let claimed = db.claim_polls("a", 60, 10).await.unwrap();
    assert_eq!(claimed.len(), 1, "closed lately: osTicket may reopen it");
    assert!(claimed[0].closed, "polled less often");

    assert!(db.osticket_event_taken(12).await.unwrap());
    assert!(!db.osticket_event_taken(12).await.unwrap(), "once");
    assert!(db.osticket_event_taken(13).await.unwrap());
}
