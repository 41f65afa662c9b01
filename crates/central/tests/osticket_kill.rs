//! Exactly once in the REAL osTicket across crashes: the real `chamado-central` binary forwards
//! to a real osTicket 1.18.1 (`chamado_testkit::osticket`) and is SIGKILLed at random moments
//! while it forwards (a random 0–300 ms after a request went out), then restarted at once (0–20 ms, while osTicket may still be working on
//! the request the dead central made) or after a pause. Tickets (some with the bundle, some with a
//! follow-up carrying a file) are sent over HTTP meanwhile, retried with their Idempotency-Key as
//! the app does. At the end osTicket's database must hold every ticket exactly once, each
//! follow-up once in its thread, and central must show each ticket's osTicket number. Both modes
//! that promise exactly once: by e-mail (the reference is in each message's Message-ID) and by
//! the Chamado plugin (its `chamado_ticket` table maps the reference to the ticket).
//!
//! The delays come from a seeded RNG; the seed is printed (`CHAMADO_KILL_SEED=N` replays the
//! delays; osTicket's timing varies). `forward_kill.rs` kills at precise points against the
//! osTicket double; this one meets what the double cannot show: osTicket checks then inserts
//! without a lock, so a request still running there when the restarted central sends the same
//! message again makes a second ticket (by e-mail, 2 runs of 3 failed so before central held such
//! a message `in_flight_s`), and two first tickets of one customer at once create the customer
//! twice (so each ticket's owner is checked too).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chamado_testkit::osticket::OsTicket;
use common::process::{Server, Setup};
use common::{form, form_with_bundle, real_bundle, ticket_json};
use serde_json::{json, Value};
use sqlx::Connection;

/// Tickets sent; every third has the bundle, every fourth a follow-up with a file.
const TICKETS: usize = 20;
/// Most kills in a run (fewer when all is forwarded before).
const KILLS: usize = 8;
/// Longest a run may take to forward everything after the last kill.
const SETTLE: Duration = Duration::from_secs(40);

/// splitmix64: small, seeded, the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn seeded() -> (Rng, u64) {
        let seed = std::env::var("CHAMADO_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let mut b = [0u8; 8];
                getrandom::fill(&mut b).unwrap();
                u64::from_le_bytes(b) % 1_000_000
            });
        (Rng(seed), seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }
}

/// central.toml forwarding to `desk`; `extra` lines go in `[osticket]`.
fn setup(desk: &OsTicket, extra: &str) -> Setup {
    Setup::new(&format!(
            "[limits]\nrate_per_minute = 100000\nrate_burst = 10000\n\n\
             [osticket]\nurl = \"{}\"\napi_key = \"{}\"\nmailbox = \"{}\"\nretry_first_s = 1\nin_flight_s = 1\n{extra}\n\
             [osticket.topics]\nsem-conexao = {}\n",
            desk.url(),
            desk.api_key(),
            desk.mailbox(),
            desk.topic_id(),
        ))
}

/// What the test sent and central accepted: the reference, and the follow-up's text if any.
#[derive(Debug, Clone)]
struct Sent {
    reference: String,
    email: String,
    follow_up: Option<String>,
    bundle: bool,
}

/// Posts until central takes it (201, or 200 when a retry finds it already stored; central may
/// be dead or restarting): the same request, with the same Idempotency-Key, as the app's sender
/// retries it.
async fn post_until(
    url: &Mutex<String>,
    request: impl Fn(&str) -> reqwest::RequestBuilder,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let base = url.lock().unwrap().clone();
        if let Ok(res) = request(&base).send().await {
            let status = res.status().as_u16();
            if status == 200 || status == 201 {
                return res.json().await.unwrap();
            }
            assert!(
                status >= 500,
                "central answered {status}: {:?}",
                res.text().await
            );
        }
        assert!(Instant::now() < deadline, "central never took the request");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// The customer of ticket `i`.
fn contact(i: usize) -> String {
    format!("cliente{}@exemplo.com.br", i / 2)
}

/// Sends the tickets and follow-ups over HTTP to whichever central is up.
async fn intake(url: Arc<Mutex<String>>, token: String) -> Vec<Sent> {
    let http = common::http();
    let mut sent = Vec::new();
    for i in 0..TICKETS {
        let mut t = ticket_json();
        t["summary"] = json!(format!("Chamado {i}: o sistema não conecta"));
        // A new customer every other ticket: osTicket creates each on their first ticket.
        t["contact"]["email"] = json!(contact(i));
        let bundle = i % 3 == 0;
        // The same bytes on every attempt: a retry with other content is another ticket.
        let zip = real_bundle(2000 + i);
        let res = post_until(&url, |base| {
            let body = if bundle {
                form_with_bundle(&t, zip.clone(), "chamado.zip")
            } else {
                form(&t)
            };
            http.post(format!("{base}/v1/tickets"))
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("ticket-{i}"))
                .multipart(body)
        })
        .await;
        let reference = res["reference"].as_str().unwrap().to_owned();
        let follow_up =
            (i % 4 == 1).then(|| format!("Seguimento do chamado {i}: ainda sem conexão."));
        if let Some(text) = &follow_up {
            post_until(&url, |base| {
                let message = reqwest::multipart::Form::new()
                    .part(
                        "message",
                        reqwest::multipart::Part::text(json!({ "body": text }).to_string()),
                    )
                    .part(
                        "attachment",
                        reqwest::multipart::Part::bytes(format!("log {i}\n").into_bytes())
                            .file_name(format!("log-{i}.txt")),
                    );
                http.post(format!("{base}/v1/tickets/{reference}/messages"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("follow-up-{i}"))
                    .multipart(message)
            })
            .await;
        }
        sent.push(Sent {
            reference,
            email: contact(i),
            follow_up,
            bundle,
        });
    }
    sent
}

/// The log lines central wrote so far.
fn drain(server: &mut Server) -> Vec<String> {
    std::iter::from_fn(|| server.log.try_recv().ok()).collect()
}

/// Messages central has sent to osTicket and not heard back about (a row held since an earlier
/// kill has no owner: not counted).
async fn on_the_wire(db: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM forwards WHERE sending_since IS NOT NULL AND done_at IS NULL \
         AND lease_owner IS NOT NULL",
    )
    .fetch_one(db)
    .await
    .unwrap()
}

/// Whether central has forwarded everything it holds (`admin tickets` lists nothing pending).
fn all_forwarded(s: &Setup, expected: usize) -> bool {
    let listing = s.admin(&["tickets"]);
    let numbered = listing
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.starts_with('-') && !l.starts_with(' '))
        .count();
    numbered == expected && !listing.contains("Forwarding to osTicket")
}

/// A customer's message in an osTicket thread: the Chamado reference it belongs to, its
/// ticket's number, its files.
#[derive(Debug)]
struct Entry {
    reference: String,
    number: String,
    files: usize,
}

/// How a mode tells a ticket's reference in osTicket's tables.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// `tickets.email`: each message's Message-ID (`ost_thread_entry_email.mid`) begins with
    /// the reference (`forward::message_id`).
    Email,
    /// The Chamado plugin: its own table maps the reference to the ticket (`chamado_ticket`,
    /// reference UNIQUE).
    Plugin,
}

/// The customers' messages in osTicket, oldest first.
fn entries(desk: &OsTicket, mode: Mode) -> Vec<Entry> {
    const FILES: &str =
        "(SELECT COUNT(*) FROM ost_attachment a WHERE a.type = 'H' AND a.object_id = te.id)";
    let rows = match mode {
        Mode::Email => desk.sql(&format!(
            "SELECT e.mid, t.number, {FILES} \
             FROM ost_thread_entry_email e JOIN ost_thread_entry te ON te.id = e.thread_entry_id \
             JOIN ost_thread th ON th.id = te.thread_id \
             JOIN ost_ticket t ON t.ticket_id = th.object_id AND th.object_type = 'T' ORDER BY te.id"
        )),
        Mode::Plugin => desk.sql(&format!(
            "SELECT c.reference, t.number, {FILES} \
             FROM ost_chamado_ticket c JOIN ost_ticket t ON t.ticket_id = c.ticket_id \
             JOIN ost_thread th ON th.object_id = t.ticket_id AND th.object_type = 'T' \
             JOIN ost_thread_entry te ON te.thread_id = th.id AND te.type = 'M' ORDER BY te.id"
        )),
    };
    rows.into_iter()
        .map(|r| Entry {
            reference: match mode {
                Mode::Email => r[0]
                    .trim_start_matches('<')
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                Mode::Plugin => r[0].clone(),
            },
            number: r[1].clone(),
            files: r[2].parse().unwrap(),
        })
        .collect()
}

async fn killed_while_forwarding(mode: Mode, extra: &str) {
    let Some(desk) = OsTicket::start(&format!("osticket_kill ({mode:?})")) else {
        return;
    };
    if mode == Mode::Plugin {
        // Events are for analysts' replies, which this test does not make.
        desk.install_plugin(&[
            "central_url=http://127.0.0.1:9",
            "secret=segredo-do-plugin-kill",
        ]);
    }
    let (mut rng, seed) = Rng::seeded();
    println!("{mode:?}: seed {seed} (CHAMADO_KILL_SEED={seed} replays the kills)");
    let s = setup(&desk, extra);
    let started = Instant::now();
    let mut server = Server::start(&s.config).await;
    let token = s.enrol(&server).await;
    let url = Arc::new(Mutex::new(server.url.clone()));
    let sending = tokio::spawn(intake(Arc::clone(&url), token.clone()));

    // Central's database, to tell whether a kill hit a message on its way to osTicket.
    let mut db = sqlx::SqliteConnection::connect(&s.database).await.unwrap();
    let mut kills = 0;
    let mut mid_request = 0;
    let mut dead = Vec::new();
    while kills < KILLS && !(sending.is_finished() && all_forwarded(&s, TICKETS)) {
        // While it forwards: once a request is on its way (or 3 s without one), a random moment
        // later, often before osTicket answered.
        let waiting = Instant::now();
        while on_the_wire(&mut db).await == 0 && waiting.elapsed() < Duration::from_secs(3) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let up = rng.between(0, 300);
        tokio::time::sleep(Duration::from_millis(up)).await;
        // SIGKILL; its log is read at the end (its last lines are still in the pipe).
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        kills += 1;
        let hit = on_the_wire(&mut db).await > 0;
        mid_request += usize::from(hit);
        let immediately = rng.between(0, 3) > 0;
        let down = if immediately {
            rng.between(0, 21)
        } else {
            rng.between(200, 1500)
        };
        println!(
            "{mode:?}: kill {kills} at +{up} ms{}; back in {down} ms",
            if hit { ", a request on the wire" } else { "" }
        );
        tokio::time::sleep(Duration::from_millis(down)).await;
        dead.push(std::mem::replace(
            &mut server,
            Server::start(&s.config).await,
        ));
        *url.lock().unwrap() = server.url.clone();
    }
    let sent = sending.await.unwrap();
    let deadline = Instant::now() + SETTLE;
    while !all_forwarded(&s, TICKETS) {
        assert!(
            Instant::now() < deadline,
            "not all forwarded {SETTLE:?} after the last kill:\n{}",
            s.admin(&["tickets"])
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "{mode:?}: {kills} kills ({mid_request} with a request on the wire), all forwarded in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let entries = entries(&desk, mode);
    let tickets = desk.sql("SELECT number FROM ost_ticket ORDER BY number");
    let mut problems = Vec::new();
    // Each ticket's owner by the e-mail address osTicket knows them by (none: the customer was
    // created twice at once and this copy lost its address).
    let owners: std::collections::BTreeMap<String, String> = desk
        .sql(
            "SELECT t.number, COALESCE(e.address, '-') FROM ost_ticket t \
             LEFT JOIN ost_user_email e ON e.user_id = t.user_id",
        )
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    for t in &sent {
        let mine: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.reference == t.reference)
            .collect();
        let mut numbers: Vec<&str> = mine.iter().map(|e| e.number.as_str()).collect();
        numbers.sort();
        numbers.dedup();
        let expected = 1 + usize::from(t.follow_up.is_some());
        if numbers.len() != 1 || mine.len() != expected {
            problems.push(format!(
                "{}: {} ticket(s) {numbers:?}, {} message(s) (expected 1 ticket, {expected} messages)",
                t.reference,
                numbers.len(),
                mine.len()
            ));
            continue;
        }
        let shown: Value = common::http()
            .get(format!("{}/v1/tickets/{}", server.url, t.reference))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if shown["number"] != numbers[0] {
            problems.push(format!(
                "{}: central shows {} for osTicket's {}",
                t.reference, shown["number"], numbers[0]
            ));
        }
        if owners.get(numbers[0]) != Some(&t.email) {
            problems.push(format!(
                "{}: osTicket's ticket {} belongs to {:?}, not {}",
                t.reference,
                numbers[0],
                owners.get(numbers[0]),
                t.email
            ));
        }
        if t.bundle && mine[0].files == 0 {
            problems.push(format!("{}: the bundle is not in osTicket", t.reference));
        }
        if t.follow_up.is_some() && mine[1].files != 1 {
            problems.push(format!(
                "{}: the follow-up's file is not in osTicket",
                t.reference
            ));
        }
    }
    for e in &entries {
        if !sent.iter().any(|t| t.reference == e.reference) {
            problems.push(format!(
                "{}: in osTicket ({}), not sent by the test",
                e.reference, e.number
            ));
        }
    }
    if !problems.is_empty() {
        // Every central's log, in order, for the tickets that went wrong.
        let mut logs = Vec::new();
        for (n, d) in dead.iter_mut().chain([&mut server]).enumerate() {
            logs.push(format!("--- central {n}"));
            logs.extend(drain(d));
        }
        for line in &logs {
            let about = |p: &String| line.contains(p.split(':').next().unwrap_or_default());
            if line.starts_with("---")
                || line.contains("on their way")
                || problems.iter().any(about)
            {
                println!("{line}");
            }
        }
    }
    assert!(
        problems.is_empty() && tickets.len() == TICKETS,
        "{mode:?}, seed {seed}: {} tickets in osTicket for {TICKETS} sent:\n{}",
        tickets.len(),
        problems.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_email_every_ticket_is_in_osticket_once_across_kills() {
    killed_while_forwarding(Mode::Email, "create = \"email\"").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_the_plugin_every_ticket_is_in_osticket_once_across_kills() {
    killed_while_forwarding(Mode::Plugin, "create = \"plugin\"").await;
}
