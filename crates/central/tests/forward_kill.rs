//! Exactly once in osTicket across a crash: the real `chamado-central` binary forwards to the
//! osTicket double and is killed (SIGKILL) at the worst points, then restarted on the same data.
//!
//! "Answered, not committed": when the double has made the ticket, the test takes SQLite's
//! write lock on central's database, lets the double answer, waits for central's log line saying
//! osTicket answered (its commit is now blocked on the lock) and kills it. "Made, not answered":
//! the double holds its answer and the test kills central before it comes. Either way osTicket
//! knows the ticket and central does not know its number; after the restart there must still be
//! exactly one ticket, and central must show its number.
//!
//! osTicket goes on with a request whose caller is gone (the double too, as PHP does): nothing
//! may go there while such a request may still run, after a crash or a request central gave up on.

mod common;

use std::time::Duration;

use common::osticket::{self, Event, OsTicket};
use common::process::{wait_line, Server, Setup};
use common::{form, ticket_json};
use serde_json::{json, Value};
use sqlx::Connection;

fn setup(desk: &OsTicket) -> Setup {
    setup_with(desk, "")
}

/// `extra` lines go in `[osticket]`.
fn setup_with(desk: &OsTicket, extra: &str) -> Setup {
    Setup::new(&format!(
        "[osticket]\nurl = \"{}\"\napi_key = \"{}\"\nretry_first_s = 1\nin_flight_s = 1\n{extra}\n\
             [osticket.topics]\nsem-conexao = 2\n",
        desk.url,
        osticket::KEY
    ))
}

/// Sends the test ticket; its reference.
async fn new_ticket(server: &Server, token: &str) -> String {
    let res = common::http()
        .post(format!("{}/v1/tickets", server.url))
        .bearer_auth(token)
        .header("Idempotency-Key", "k1")
        .multipart(form(&ticket_json()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let t: Value = res.json().await.unwrap();
    t["reference"].as_str().unwrap().to_owned()
}

async fn ticket(server: &Server, token: &str, reference: &str) -> Value {
    common::http()
        .get(format!("{}/v1/tickets/{reference}", server.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Holds SQLite's write lock on central's database until dropped (rolled back).
async fn write_lock(database: &str) -> sqlx::SqliteConnection {
    let mut conn = sqlx::SqliteConnection::connect(database).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

async fn release(mut conn: sqlx::SqliteConnection) {
    sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

#[derive(Debug, Clone, Copy)]
enum Point {
    /// osTicket made the ticket and answered; central's commit is blocked.
    AnsweredNotCommitted,
    /// osTicket made the ticket; central dies before the answer arrives.
    MadeNotAnswered,
}

/// Kills central at `point` of the forward the double is holding the answer of.
async fn kill_at(point: Point, desk: &OsTicket, s: &Setup, server: Server) {
    match point {
        Point::AnsweredNotCommitted => {
            let mut server = server;
            let lock = write_lock(&s.database).await;
            while server.log.try_recv().is_ok() {}
            desk.gate.notify_one();
            wait_line(&mut server.log, "osTicket answered").await;
            // Central has the number in hand and waits for the lock to commit it.
            tokio::time::sleep(Duration::from_millis(200)).await;
            server.kill();
            release(lock).await;
        }
        Point::MadeNotAnswered => {
            server.kill();
            desk.gate.notify_one();
        }
    }
}

async fn a_crash_while_creating_leaves_one_ticket(point: Point) {
    let desk = osticket::start().await;
    let s = setup(&desk);
    let server = Server::start(&s.config).await;
    let token = s.enrol(&server).await;
    desk.with(|d| d.hold = true);
    let reference = new_ticket(&server, &token).await;
    let Event::Created(number) = desk.next_event().await else {
        panic!("osTicket made a ticket first")
    };
    kill_at(point, &desk, &s, server).await;
    desk.with(|d| d.hold = false);
    assert!(
        s.admin(&["tickets"])
            .contains(&format!("{reference:<15} waiting")),
        "central did not store the number before it died ({point:?})"
    );

    let server = Server::start(&s.config).await;
    assert_eq!(desk.next_event().await, Event::Duplicate(number.clone()));
    common::eventually("central to show the number", async || {
        (ticket(&server, &token, &reference).await["number"] == number.as_str()).then_some(())
    })
    .await;
    let tickets = desk.tickets();
    assert_eq!(
        tickets.len(),
        1,
        "exactly one ticket in osTicket ({point:?})"
    );
    assert_eq!(tickets[0].thread.len(), 1);
    let listing = s.admin(&["tickets"]);
    assert!(listing.starts_with("NUMBER"), "{listing}");
    assert!(
        listing.contains(&format!("{number:<13} {reference}")),
        "{listing}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_osticket_answered_a_create_before_committing() {
    a_crash_while_creating_leaves_one_ticket(Point::AnsweredNotCommitted).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_osticket_made_the_ticket_before_it_answered() {
    a_crash_while_creating_leaves_one_ticket(Point::MadeNotAnswered).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_osticket_appended_a_follow_up_before_committing() {
    for point in [Point::AnsweredNotCommitted, Point::MadeNotAnswered] {
        let desk = osticket::start().await;
        let s = setup(&desk);
        let server = Server::start(&s.config).await;
        let token = s.enrol(&server).await;
        let client = common::http();
        let reference = new_ticket(&server, &token).await;
        let Event::Created(number) = desk.next_event().await else {
            panic!("created")
        };
        common::eventually("the number", async || {
            (ticket(&server, &token, &reference).await["number"] == number.as_str()).then_some(())
        })
        .await;

        desk.with(|d| d.hold = true);
        let message = reqwest::multipart::Form::new().part(
            "message",
            reqwest::multipart::Part::text(json!({"body": "Ainda sem conexão."}).to_string()),
        );
        let res = client
            .post(format!("{}/v1/tickets/{reference}/messages", server.url))
            .bearer_auth(&token)
            .multipart(message)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        assert_eq!(desk.next_event().await, Event::Appended(number.clone()));
        kill_at(point, &desk, &s, server).await;
        desk.with(|d| d.hold = false);
        assert!(
            s.admin(&["tickets"]).contains("Forwarding to osTicket"),
            "central did not record the follow-up as delivered before it died ({point:?})"
        );

        let _server = Server::start(&s.config).await;
        assert_eq!(desk.next_event().await, Event::Duplicate(number.clone()));
        common::eventually("the follow-up recorded as delivered", async || {
            (!s.admin(&["tickets"]).contains("Forwarding to osTicket")).then_some(())
        })
        .await;
        let tickets = desk.tickets();
        assert_eq!(tickets.len(), 1, "{point:?}");
        assert_eq!(
            tickets[0].thread.len(),
            2,
            "the follow-up is in the thread once ({point:?})"
        );
    }
}

/// The trade-off of `create = "json"` made visible: osTicket's JSON endpoint does not
/// deduplicate, so a create whose answer was lost is sent again and osTicket holds two tickets;
/// central cannot prevent it, and says so (admin listing, metrics) so the analyst can merge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_json_a_lost_answer_is_retried_and_flagged_as_possibly_twice() {
    let desk = osticket::start().await;
    let s = setup_with(&desk, "create = \"json\"");
    let server = Server::start(&s.config).await;
    let token = s.enrol(&server).await;
    desk.with(|d| d.hold = true);
    let reference = new_ticket(&server, &token).await;
    assert!(matches!(desk.next_event().await, Event::Created(_)));
    kill_at(Point::MadeNotAnswered, &desk, &s, server).await;
    desk.with(|d| d.hold = false);

    let server = Server::start(&s.config).await;
    let Event::Created(second) = desk.next_event().await else {
        panic!("JSON is not deduplicated")
    };
    common::eventually("the number", async || {
        (ticket(&server, &token, &reference).await["number"] == second.as_str()).then_some(())
    })
    .await;
    assert_eq!(desk.tickets().len(), 2);
    let listing = s.admin(&["tickets"]);
    assert!(
        listing.contains(&format!(
            "{reference:<15} forwarded, 1 attempt(s); POSSIBLY TWICE"
        )),
        "{listing}"
    );
    let m = common::http()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("chamado_forward_in_doubt 1"), "{m}");
}

/// The duplicate with `create = "email"`: central dies while osTicket is still working
/// on a create (PHP goes on without its caller) and is back at once. Sending the message again
/// then would overlap the first request, and the real osTicket's Message-ID check, without a
/// lock, makes a second ticket; sending the customer's next ticket would too, and osTicket
/// would create the customer twice (the ticket's owner left without an e-mail address, its
/// follow-ups by e-mail made new tickets). Central sends nothing for `in_flight_s`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarted_at_once_it_sends_nothing_while_osticket_still_works_on_a_request() {
    let desk = osticket::start().await;
    // Longer than central takes to start, shorter than `in_flight_s` (1 s).
    desk.with(|d| d.slow = Some(Duration::from_millis(700)));
    let s = setup(&desk);
    let server = Server::start(&s.config).await;
    let token = s.enrol(&server).await;
    let reference = new_ticket(&server, &token).await;
    common::eventually("the create in osTicket's hands", async || {
        desk.with(|d| !d.in_flight.is_empty()).then_some(())
    })
    .await;
    // The same customer's next ticket, queued behind it.
    let res = common::http()
        .post(format!("{}/v1/tickets", server.url))
        .bearer_auth(&token)
        .header("Idempotency-Key", "k2")
        .multipart(form(&ticket_json()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    server.kill();
    let server = Server::start(&s.config).await;
    let Event::Created(number) = desk.next_event().await else {
        panic!("the first request made the ticket")
    };
    common::eventually("the second ticket in osTicket", async || {
        (desk.tickets().len() == 2).then_some(())
    })
    .await;
    common::eventually("central to show the number", async || {
        (ticket(&server, &token, &reference).await["number"] == number.as_str()).then_some(())
    })
    .await;
    let (overlaps, most) = desk.with(|d| (d.overlaps.clone(), d.most_at_once));
    assert!(
        overlaps.is_empty(),
        "the same message sent while osTicket still worked on it: {overlaps:?}"
    );
    assert_eq!(
        most, 1,
        "a request sent while osTicket still worked on another"
    );
    assert_eq!(desk.tickets().len(), 2);
}

/// Without a crash too: a request central gave up waiting for (its row's time limit, a lost
/// connection) may still run in osTicket, so nothing else goes there for `in_flight_s`, neither
/// that message again nor the customer's next ticket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_goes_to_osticket_while_a_request_central_gave_up_on_may_still_run() {
    let desk = osticket::start().await;
    desk.with(|d| d.slow = Some(Duration::from_millis(1500)));
    let c = common::start_with(|cfg| {
        cfg.osticket = Some(common::osticket_config(&desk.url));
        cfg.tasks.row_timeout = Duration::from_millis(500);
    })
    .await;
    let token = c.enrol("Padaria").await;
    let (status, first) = c.ticket(&token, "k1", form(&ticket_json())).await;
    assert_eq!(status, 201, "{first}");
    common::eventually("the create in osTicket's hands", async || {
        desk.with(|d| !d.in_flight.is_empty()).then_some(())
    })
    .await;
    // That request takes 1.5 s in osTicket; the next ones are quick.
    desk.with(|d| d.slow = None);
    let (status, second) = c.ticket(&token, "k2", form(&ticket_json())).await;
    assert_eq!(status, 201, "{second}");
    common::eventually("both tickets in osTicket", async || {
        (desk.tickets().len() == 2).then_some(())
    })
    .await;
    let (overlaps, most) = desk.with(|d| (d.overlaps.clone(), d.most_at_once));
    assert!(
        overlaps.is_empty(),
        "the same message twice at once: {overlaps:?}"
    );
    assert_eq!(
        most, 1,
        "a request sent while osTicket still worked on another"
    );
}
