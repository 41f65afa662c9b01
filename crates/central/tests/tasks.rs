//! Central's background tasks against bad rows, hangs and other centrals: a real central (HTTP,
//! SQLite or PostgreSQL) forwarding to the osTicket double of `common/osticket.rs`.

#[macro_use]
mod common;

use std::time::Duration;

use chamado_central::config::CreateVia;
use chamado_central::tasks::Tuning;
use common::osticket;
use common::*;
use serde_json::Value;

async fn metrics(c: &Central) -> String {
    c.http
        .get(format!("{}/metrics", c.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// osTicket tickets whose message names `reference` (central writes it in the message).
fn copies_of(desk: &osticket::OsTicket, reference: &str) -> usize {
    desk.tickets()
        .iter()
        .filter(|t| t.thread.first().is_some_and(|e| e.body.contains(reference)))
        .count()
}

/// The reproduction in forwarding mode: a line break in the first ticket's contact name
/// made building the e-mail to osTicket panic, the forwarder died and, the row being first in
/// line, nothing was forwarded again.
#[tokio::test]
async fn a_line_break_in_a_contact_name_stops_no_forwarding() {
    let desk = osticket::start().await;
    let c = start_with(|cfg| cfg.osticket = Some(osticket_config(&desk.url))).await;
    let token = c.enrol("ACME").await;
    let mut bad = ticket_json();
    bad["contact"]["name"] = Value::from("Ana\nSilva");
    let (status, first) = c.ticket(&token, "k1", form(&bad)).await;
    assert_eq!(status, 201, "{first}");
    let (status, second) = c.ticket(&token, "k2", form(&ticket_json())).await;
    assert_eq!(status, 201, "{second}");
    eventually("both tickets in osTicket", async || {
        (desk.tickets().len() == 2).then_some(())
    })
    .await;
    let tickets = desk.tickets();
    let first_ref = first["reference"].as_str().unwrap();
    let t = tickets
        .iter()
        .find(|t| t.thread[0].body.contains(first_ref))
        .unwrap();
    assert_eq!(t.name, "Ana Silva");
    let ready = c
        .http
        .get(format!("{}/readyz", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
}

/// A message central cannot build (its stored bundle is gone) fails for good with its reason:
/// listed by `admin tickets`, counted in /metrics, not retried, not first in line.
#[tokio::test]
async fn a_message_that_cannot_be_built_fails_for_good_and_the_others_go() {
    let desk = osticket::start().await;
    let c = start_without_tasks(Db::Sqlite, |cfg| {
        cfg.osticket = Some(osticket_config(&desk.url))
    })
    .await;
    let token = c.enrol("ACME").await;
    let bundle = real_bundle(1000);
    let (status, broken) = c
        .ticket(
            &token,
            "k1",
            form_with_bundle(&ticket_json(), bundle.clone(), "pacote.zip"),
        )
        .await;
    assert_eq!(status, 201, "{broken}");
    // The stored file disappears (a disk restored without it).
    let files = c.state.db.referenced_blobs().await.unwrap();
    assert_eq!(files.len(), 1);
    let sha = files.into_iter().next().unwrap();
    std::fs::remove_file(c.state.blobs.path(&sha).unwrap()).unwrap();
    let (status, fine) = c.ticket(&token, "k2", form(&ticket_json())).await;
    assert_eq!(status, 201);
    // A central with its tasks takes the queue over.
    let db_url = c.state.config.database_url();
    let data = c.state.config.data.clone();
    let d = start_with(|cfg| {
        cfg.osticket = Some(osticket_config(&desk.url));
        cfg.database_url = Some(db_url);
        cfg.data = data;
    })
    .await;
    let fine_ref = fine["reference"].as_str().unwrap();
    eventually("the second ticket in osTicket", async || {
        (copies_of(&desk, fine_ref) == 1).then_some(())
    })
    .await;
    let m = eventually("the failure counted", async || {
        let m = metrics(&d).await;
        m.contains("chamado_forward_failed 1").then_some(m)
    })
    .await;
    assert!(
        m.contains("chamado_forward_failing{cause=\"central\"} 1"),
        "{m}"
    );
    let listing = chamado_central::admin::tickets(&d.state.db, None)
        .await
        .unwrap();
    let reference = broken["reference"].as_str().unwrap();
    let line = listing
        .lines()
        .find(|l| l.starts_with(reference) && l.contains("FAILED"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        line.contains("pacote.zip"),
        "the reason names the file: {line}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(copies_of(&desk, reference), 0);
    let attempts = d.state.db.forward_problems().await.unwrap();
    assert_eq!(attempts[attempts.len() - 1].attempts, 1, "not retried");

    // The file restored, the vendor puts it back in line: it goes.
    std::fs::write(d.state.blobs.path(&sha).unwrap(), &bundle).unwrap();
    let n = chamado_central::admin::retry(&d.state.db, reference)
        .await
        .unwrap();
    assert_eq!(n, 1);
    d.state.forward_wake.notify_one();
    eventually("the restored ticket in osTicket", async || {
        (copies_of(&desk, reference) == 1).then_some(())
    })
    .await;
    let m = metrics(&d).await;
    assert!(m.contains("chamado_forward_failed 0"), "{m}");
}

/// An osTicket that accepts the connection and never answers: the forwarder is stuck on that
/// row, and /readyz says so, naming the task.
#[tokio::test]
async fn readyz_names_a_stuck_task() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let c = start_with(|cfg| {
        cfg.osticket = Some(osticket_config(&url));
        cfg.tasks = Tuning {
            stuck_after: Duration::from_secs(1),
            ..Tuning::default()
        };
    })
    .await;
    let ready = c
        .http
        .get(format!("{}/readyz", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let token = c.enrol("ACME").await;
    let (status, _) = c.ticket(&token, "k1", form(&ticket_json())).await;
    assert_eq!(status, 201);
    let body: Value = eventually("readyz to report the stuck forwarder", async || {
        let res = c
            .http
            .get(format!("{}/readyz", c.url))
            .send()
            .await
            .unwrap();
        if res.status() == 503 {
            Some(res.json().await.unwrap())
        } else {
            None
        }
    })
    .await;
    assert_eq!(body["tasks"][0]["task"], "forwarder", "{body}");
    assert_eq!(body["tasks"][0]["state"], "stuck", "{body}");
    assert!(body["message"].as_str().unwrap().contains("forwarder"));
}

/// Two centrals on one database, each with its forwarder, osTicket's JSON endpoint (which does
/// not deduplicate): tickets taken by either are each forwarded exactly once.
async fn two_centrals_forward_each_ticket_once(db: Db) {
    let desk = osticket::start().await;
    let json = |cfg: &mut chamado_central::config::Config| {
        let mut o = osticket_config(&desk.url);
        o.create = CreateVia::Json;
        cfg.osticket = Some(o);
    };
    let a = start_on_with(db, json).await;
    let url = a.state.config.database_url();
    let b = start_with(|cfg| {
        json(cfg);
        cfg.database_url = Some(url);
    })
    .await;
    let token = a.enrol("ACME").await;
    let mut references = Vec::new();
    let n = 40;
    // Taken by each in turn: both forwarders are woken and race for the queue.
    for i in 0..n {
        let central = if i % 2 == 0 { &a } else { &b };
        let (status, t) = central
            .ticket(&token, &format!("k{i}"), form(&ticket_json()))
            .await;
        assert_eq!(status, 201, "{t}");
        references.push(t["reference"].as_str().unwrap().to_owned());
    }
    eventually("every ticket in osTicket", async || {
        (desk.tickets().len() >= n).then_some(())
    })
    .await;
    // Time for a second copy to show, were one coming.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(desk.tickets().len(), n, "no ticket twice");
    for r in &references {
        assert_eq!(copies_of(&desk, r), 1, "{r}");
    }
}

/// A central that claimed rows and crashed (its leases stand): another central leaves them
/// until the lease runs out, then forwards each once.
async fn a_crashed_centrals_rows_wait_out_their_lease(db: Db) {
    let desk = osticket::start().await;
    let with_osticket =
        |cfg: &mut chamado_central::config::Config| cfg.osticket = Some(osticket_config(&desk.url));
    let a = start_without_tasks(db, with_osticket).await;
    let token = a.enrol("ACME").await;
    for i in 0..3 {
        let (status, _) = a
            .ticket(&token, &format!("k{i}"), form(&ticket_json()))
            .await;
        assert_eq!(status, 201);
    }
    // The crashed central's claim: 4 s.
    let claimed = a.state.db.claim_forwards("crashed", 4, 100).await.unwrap();
    assert_eq!(claimed.len(), 3);
    let claimed_at = std::time::Instant::now();
    let url = a.state.config.database_url();
    let b = start_with(|cfg| {
        with_osticket(cfg);
        cfg.database_url = Some(url);
    })
    .await;
    b.state.forward_wake.notify_one();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(desk.tickets().is_empty(), "taken while leased");
    eventually("the rows taken after the lease", async || {
        (desk.tickets().len() == 3).then_some(())
    })
    .await;
    assert!(claimed_at.elapsed() >= Duration::from_secs(3));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(desk.tickets().len(), 3);
}

on_both_databases!(
    two_centrals_forward_each_ticket_once,
    a_crashed_centrals_rows_wait_out_their_lease
);

/// A task that dies is restarted after a short pause; while it is down, /readyz answers 503
/// naming it, and ready again once it runs.
#[tokio::test]
async fn a_dead_task_is_restarted_and_readyz_names_it_meanwhile() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let c = start_with(|cfg| {
        cfg.tasks = Tuning {
            restart_backoff: Duration::from_millis(1500),
            ..Tuning::default()
        }
    })
    .await;
    let starts = Arc::new(AtomicU32::new(0));
    let s = Arc::clone(&starts);
    let state = c.state.clone();
    let _task = chamado_central::tasks::supervise(c.state.clone(), "cleaner", move || {
        let n = s.fetch_add(1, Ordering::SeqCst);
        let state = state.clone();
        async move {
            if n == 0 {
                panic!("a bug in the task's own loop");
            }
            loop {
                state.tasks.beat("cleaner", false);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    });
    let body: Value = eventually("readyz to report the dead task", async || {
        let res = c
            .http
            .get(format!("{}/readyz", c.url))
            .send()
            .await
            .unwrap();
        (res.status() == 503).then_some(res.json().await.unwrap())
    })
    .await;
    assert_eq!(body["tasks"][0]["task"], "cleaner", "{body}");
    assert_eq!(body["tasks"][0]["state"], "dead", "{body}");
    eventually("the task restarted and ready", async || {
        let res = c
            .http
            .get(format!("{}/readyz", c.url))
            .send()
            .await
            .unwrap();
        (res.status() == 200 && starts.load(Ordering::SeqCst) == 2).then_some(())
    })
    .await;
    let m = metrics(&c).await;
    assert!(m.contains("chamado_task_up{task=\"cleaner\"} 1"), "{m}");
    assert!(
        m.contains("chamado_task_restarts_total{task=\"cleaner\"} 1"),
        "{m}"
    );
}

/// Tickets arriving together are committed together (group commit on SQLite): each is
/// answered with its own ticket and number, and each is stored once.
#[tokio::test]
async fn tickets_arriving_together_are_each_stored_once() {
    let c = start().await;
    let token = c.enrol("ACME").await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let (http, url, token) = (c.http.clone(), c.url.clone(), token.clone());
        // Each key sent twice at once: a retry racing the first request.
        let key = format!("k{}", i / 2);
        tasks.spawn(async move {
            let res = http
                .post(format!("{url}/v1/tickets"))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .multipart(form(&ticket_json()))
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap();
            (status, body["reference"].as_str().unwrap().to_owned())
        });
    }
    let mut references = std::collections::BTreeSet::new();
    while let Some(r) = tasks.join_next().await {
        let (status, reference) = r.unwrap();
        assert!(status == 201 || status == 200, "{status}");
        references.insert(reference);
    }
    assert_eq!(references.len(), 30, "one ticket per key");
    let stored = c.state.db.tickets(None, None).await.unwrap();
    assert_eq!(stored.len(), 30);
    let numbers: std::collections::BTreeSet<_> =
        stored.iter().map(|t| t.number.clone().unwrap()).collect();
    assert_eq!(numbers.len(), 30, "each its own number");
}
