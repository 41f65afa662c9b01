//! Central against strangers and careless clients, over real sockets: bodies that are too large
//! or come too slowly, too many connections, guessed or reused enrolment codes, errors that are
//! not JSON, framing, file names, control characters in the admin's listings, and the bundles of
//! refused requests.

#[macro_use]
mod common;

on_both_databases!(
    an_enrolment_code_enrols_as_many_installations_as_it_may,
    the_admin_listings_escape_the_customers_control_characters,
    a_refused_requests_bundle_goes_without_a_restart,
    attachment_names_lose_bidi_controls_and_device_names,
);

use std::time::{Duration, Instant};

use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `head` (and `body`) on a new connection and reads what comes back until the server
/// closes or `wait` passes: the answer, and how long it took.
async fn raw(
    addr: std::net::SocketAddr,
    head: &str,
    body: &[u8],
    wait: Duration,
) -> (String, Duration) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    s.write_all(head.as_bytes()).await.unwrap();
    let _ = s.write_all(body).await;
    let mut got = Vec::new();
    let _ = tokio::time::timeout(wait, s.read_to_end(&mut got)).await;
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn json_of(answer: &str) -> Value {
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_oversized_enrolment_is_refused_after_a_few_kib_without_waiting_for_the_rest() {
    let c = start().await;
    // 100 MiB announced, 16 KiB sent and the rest never: answered at once, not held.
    let head = format!(
        "POST /v1/enrolments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        100 * 1024 * 1024
    );
    let (answer, took) = raw(c.addr, &head, &[b'{'; 16 * 1024], Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 413, "{answer}");
    assert_eq!(json_of(&answer)["error"], "too_large");
    assert!(took < Duration::from_secs(2), "answered in {took:?}");
    // Chunked, with no length announced: the same.
    let head = "POST /v1/enrolments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let chunk = format!("4000\r\n{}\r\n", "a".repeat(0x4000));
    let (answer, _) = raw(c.addr, head, chunk.as_bytes(), Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 413, "{answer}");
    // A JSON route other than the uploads takes 64 KiB at most.
    let big = json!({"topic": "x".repeat(100 * 1024), "how": "guide"});
    let token = c.enrol("ACME").await;
    let res = c
        .post(&token, "/v1/resolved")
        .json(&big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "too_large");
}

#[tokio::test]
async fn a_body_that_comes_too_slowly_is_cut_with_408() {
    let c = start_with(|cfg| {
        cfg.limits.body_idle_secs = 1;
        cfg.limits.body_timeout_secs = 3;
        cfg.limits.upload_timeout_secs = 3;
    })
    .await;
    // Ten bytes of a hundred, then silence.
    let head = "POST /v1/enrolments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
    let (answer, took) = raw(c.addr, head, b"{\"code\":\"A", Duration::from_secs(10)).await;
    assert_eq!(status_of(&answer), 408, "{answer}");
    assert_eq!(json_of(&answer)["error"], "timeout");
    assert!(took < Duration::from_secs(4), "cut after {took:?}");

    // An upload that trickles (a byte every 300 ms, never idle) is cut at its total time.
    let token = c.enrol("ACME").await;
    let mut s = TcpStream::connect(c.addr).await.unwrap();
    let head = format!(
        "POST /v1/tickets HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\nidempotency-key: k1\r\n\
         content-type: multipart/form-data; boundary=XX\r\ncontent-length: 100000\r\n\r\n\
         --XX\r\ncontent-disposition: form-data; name=\"bundle\"; filename=\"b.zip\"\r\n\r\nPK"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut got = Vec::new();
    loop {
        let mut buf = [0u8; 4096];
        tokio::select! {
            n = s.read(&mut buf) => match n {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            },
            _ = tokio::time::sleep(Duration::from_millis(300)) => {
                if s.write_all(b"x").await.is_err() { break; }
            }
        }
        assert!(started.elapsed() < Duration::from_secs(10), "never cut");
    }
    let answer = String::from_utf8_lossy(&got);
    assert_eq!(status_of(&answer), 408, "{answer}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    let metrics = c
        .http
        .get(format!("{}/metrics", c.url))
        .send()
        .await
        .unwrap();
    assert!(metrics
        .text()
        .await
        .unwrap()
        .contains("chamado_slow_bodies_total 2"));
}

#[tokio::test]
async fn over_the_connection_cap_others_are_refused_at_once_and_the_served_go_on() {
    let c = start_with(|cfg| cfg.limits.max_connections = 8).await;
    // Seven slow clients hold seven connections: the eighth still gets answers.
    let mut slow = Vec::new();
    for _ in 0..7 {
        let mut s = TcpStream::connect(c.addr).await.unwrap();
        s.write_all(b"POST /v1/enrolments HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
            .await
            .unwrap();
        slow.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let healthz = "GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";
    let (answer, took) = raw(c.addr, healthz, b"", Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert!(took < Duration::from_secs(1));
    // An eighth holds the last place: a ninth is told at once, not left hanging.
    let mut eighth = TcpStream::connect(c.addr).await.unwrap();
    eighth
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (answer, took) = raw(c.addr, healthz, b"", Duration::from_secs(5)).await;
    assert_eq!(status_of(&answer), 503, "{answer}");
    assert_eq!(json_of(&answer)["error"], "unavailable");
    assert!(answer.to_ascii_lowercase().contains("retry-after: 5"));
    assert!(took < Duration::from_secs(1), "refused after {took:?}");
    // The slow ones go: places are free again.
    drop(slow);
    drop(eighth);
    let res = eventually("a place after the slow clients left", async || {
        let (answer, _) = raw(c.addr, healthz, b"", Duration::from_secs(5)).await;
        (status_of(&answer) == 200).then_some(())
    })
    .await;
    let () = res;
    let metrics = c
        .http
        .get(format!("{}/metrics", c.url))
        .send()
        .await
        .unwrap();
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains("chamado_connections_refused_total "),
        "{text}"
    );
    assert!(
        !text.contains("chamado_connections_refused_total 0"),
        "{text}"
    );
}

async fn an_enrolment_code_enrols_as_many_installations_as_it_may(db: Db) {
    let c = start_on(db).await;
    let url = format!("{}/v1/enrolments", c.url);
    let enrol = async |code: &str| {
        let res = c
            .http
            .post(&url)
            .json(&json!({"code": code, "machine": "PC"}))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json::<Value>().await.unwrap())
    };
    // One use by default: the second installation is told the code is used up.
    let code = c.state.db.create_enrolment_code("ACME", 30).await.unwrap();
    assert_eq!(enrol(&code).await.0, 201);
    let (status, body) = enrol(&code).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "code_used_up", "{body}");
    // A mass deployment's code: three machines, then no more.
    let code = chamado_central::admin::enrol_code(&c.state.db, "Rede de Lojas", 30, 3)
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(enrol(&code).await.0, 201);
    }
    assert_eq!(enrol(&code).await.1["error"], "code_used_up");
    // The admin cannot make a code for no one.
    assert!(chamado_central::admin::enrol_code(&c.state.db, "X", 30, 0)
        .await
        .is_err());
    // An unknown code is still just unknown.
    assert_eq!(enrol("AAAA-BBBB-CCCC").await.1["error"], "unauthorized");
}

#[tokio::test]
async fn enrolment_attempts_are_rate_limited_per_address() {
    let c = start_with(|cfg| {
        cfg.limits.enrol_per_minute = 2;
        cfg.limits.enrol_burst = 3;
    })
    .await;
    let url = format!("{}/v1/enrolments", c.url);
    for i in 0..3 {
        let res = c
            .http
            .post(&url)
            .json(&json!({"code": format!("GUESS-{i}"), "machine": "PC"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    // Even the right code waits: guessing cannot go faster than the rate.
    let code = c.state.db.create_enrolment_code("ACME", 30).await.unwrap();
    let res = c
        .http
        .post(&url)
        .json(&json!({"code": code, "machine": "PC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "rate_limited");
}

#[tokio::test]
async fn behind_a_proxy_enrolment_is_limited_per_forwarded_address() {
    let c = start_with(|cfg| {
        cfg.limits.enrol_per_minute = 1;
        cfg.limits.enrol_burst = 2;
        cfg.limits.forwarded_for = true;
    })
    .await;
    let url = format!("{}/v1/enrolments", c.url);
    let attempt = async |forwarded: &str| {
        c.http
            .post(&url)
            .header("x-forwarded-for", forwarded)
            .json(&json!({"code": "GUESS", "machine": "PC"}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    // The proxy appends the client's address; what the client wrote before it does not count.
    assert_eq!(attempt("1.1.1.1, 203.0.113.5").await, 401);
    assert_eq!(attempt("2.2.2.2, 203.0.113.5").await, 401);
    assert_eq!(attempt("3.3.3.3, 203.0.113.5").await, 429);
    // Another customer behind the same proxy is not held up.
    assert_eq!(attempt("198.51.100.7").await, 401);
}

#[tokio::test]
async fn metrics_can_require_a_token() {
    let c = start_with(|cfg| {
        cfg.metrics_token = Some(chamado_central::config::Password(
            "segredo-das-metricas".into(),
        ))
    })
    .await;
    let url = format!("{}/metrics", c.url);
    let res = c.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "unauthorized");
    let res = c.http.get(&url).bearer_auth("outro").send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = c
        .http
        .get(&url)
        .bearer_auth("segredo-das-metricas")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("chamado_tickets_taken_total"));
}

#[tokio::test]
async fn every_error_is_json_with_a_code() {
    let c = start().await;
    let token = c.enrol("ACME").await;
    let check = async |res: reqwest::Response, status: u16, code: &str| {
        assert_eq!(res.status().as_u16(), status);
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with("application/json"), "{ct}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], code, "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    };
    // Method not allowed, with the methods there are.
    let res = c
        .http
        .delete(format!("{}/v1/tickets", c.url))
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("allow"));
    check(res, 405, "method_not_allowed").await;
    // Unknown route.
    check(
        c.http.get(format!("{}/nada", c.url)).send().await.unwrap(),
        404,
        "not_found",
    )
    .await;
    // A query that does not parse.
    let res = c
        .http
        .get(format!(
            "{}/v1/files/{}?expires=amanha&signature=x",
            c.url,
            "a".repeat(64)
        ))
        .send()
        .await
        .unwrap();
    check(res, 400, "invalid").await;
    // Not JSON, and the wrong type for a ticket.
    let res = c
        .http
        .post(format!("{}/v1/enrolments", c.url))
        .body("code=1")
        .send()
        .await
        .unwrap();
    check(res, 400, "invalid").await;
    let res = c
        .post(&token, "/v1/tickets")
        .header("idempotency-key", "k")
        .header("content-type", "text/plain")
        .body("oi")
        .send()
        .await
        .unwrap();
    check(res, 400, "invalid").await;
    // Too large.
    let res = c
        .http
        .post(format!("{}/v1/enrolments", c.url))
        .body(vec![b' '; 10_000])
        .send()
        .await
        .unwrap();
    check(res, 413, "too_large").await;
}

#[tokio::test]
async fn the_quick_access_page_cannot_be_framed() {
    let c = start().await;
    let token = c.enrol("ACME").await;
    let (status, body) = c.ticket(&token, "k1", form(&ticket_json())).await;
    assert_eq!(status, 201);
    let t = c
        .state
        .db
        .ticket(body["reference"].as_str().unwrap(), None)
        .await
        .unwrap()
        .unwrap();
    for (path, status) in [
        (format!("/t/{}/{}", t.reference, t.access_key), 200),
        (format!("/t/{}/errada", t.reference), 404),
    ] {
        let res = c.http.get(format!("{}{path}", c.url)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), status);
        let h = res.headers();
        assert_eq!(h["x-frame-options"], "DENY");
        assert!(h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
}

async fn attachment_names_lose_bidi_controls_and_device_names(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let (_, body) = c.ticket(&token, "k1", form(&ticket_json())).await;
    let reference = body["reference"].as_str().unwrap().to_owned();
    let mut form = Form::new().part("message", Part::text(json!({"body": "anexos"}).to_string()));
    for name in [
        "fatura\u{202E}fdp.exe",
        "NUL.txt",
        "com1.log",
        "nota. . ",
        "a\u{2066}b\u{2069}.txt",
    ] {
        form = form.part(
            "attachment",
            Part::bytes(name.as_bytes().to_vec()).file_name(name.to_owned()),
        );
    }
    let res = c
        .post(&token, &format!("/v1/tickets/{reference}/messages"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let thread = c
        .state
        .db
        .thread(
            c.state
                .db
                .ticket(&reference, None)
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let names: Vec<String> = thread
        .last()
        .unwrap()
        .attachments
        .iter()
        .map(|a| a.name.clone())
        .collect();
    assert_eq!(
        names,
        ["faturafdp.exe", "_NUL.txt", "_com1.log", "nota", "ab.txt"]
    );
}

async fn the_admin_listings_escape_the_customers_control_characters(db: Db) {
    let c = start_on(db).await;
    let code = c
        .state
        .db
        .create_enrolment_code("ACME\u{1b}[2J", 30)
        .await
        .unwrap();
    let res = c
        .http
        .post(format!("{}/v1/enrolments", c.url))
        .json(&json!({"code": code, "machine": "PC\u{1b}[31m\nfalso\u{202E}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut t = ticket_json();
    t["summary"] = json!("Erro\u{7}\u{1b}]0;titulo\u{7} no caixa");
    assert_eq!(c.ticket(&token, "k1", form(&t)).await.0, 201);
    let db = &c.state.db;
    let listings = [
        chamado_central::admin::installations(db).await.unwrap(),
        chamado_central::admin::tickets(db, None).await.unwrap(),
    ];
    for out in &listings {
        assert!(
            !out.chars()
                .any(|ch| (ch.is_control() && ch != '\n') || chamado_wire::names::is_invisible(ch)),
            "{out:?}"
        );
        assert_eq!(out.lines().count(), 2, "a header and one row: {out}");
    }
    assert!(
        listings[0].contains(r"PC\u{1b}[31m\nfalso\u{202e}"),
        "{}",
        listings[0]
    );
    assert!(
        listings[1].contains(r"Erro\u{7}\u{1b}]0;titulo\u{7} no caixa"),
        "{}",
        listings[1]
    );
}

async fn a_refused_requests_bundle_goes_without_a_restart(db: Db) {
    let c = start_on_with(db, |cfg| cfg.limits.orphan_sweep_secs = 1).await;
    let token = c.enrol("ACME").await;
    let kept = zip_bytes(100);
    let (status, _) = c
        .ticket(
            &token,
            "ok",
            form_with_bundle(&ticket_json(), kept.clone(), "a.zip"),
        )
        .await;
    assert_eq!(status, 201);
    let mut bad = ticket_json();
    bad["summary"] = json!("");
    let orphan_bytes = zip_bytes(200);
    let (status, _) = c
        .ticket(
            &token,
            "bad",
            form_with_bundle(&bad, orphan_bytes.clone(), "b.zip"),
        )
        .await;
    assert_eq!(status, 400);
    use sha2::Digest;
    let sha = |b: &[u8]| hex::encode(sha2::Sha256::digest(b));
    let (kept, orphan) = (sha(&kept), sha(&orphan_bytes));
    let blobs = &c.state.blobs;
    assert!(blobs.exists(&orphan).await, "stored while streamed");
    // An hour later (past the age a request in flight could have).
    for f in [&kept, &orphan] {
        age_stored_file(&c, f, Duration::from_secs(7200)).await;
    }
    eventually("the refused request's bundle removed", async || {
        (!blobs.exists(&orphan).await).then_some(())
    })
    .await;
    assert!(blobs.exists(&kept).await, "a bundle a ticket names stays");
    // The same content sent again is stored again and kept: its ticket names it.
    let (status, _) = c
        .ticket(
            &token,
            "again",
            form_with_bundle(&ticket_json(), orphan_bytes.clone(), "b.zip"),
        )
        .await;
    assert_eq!(status, 201);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(blobs.exists(&orphan).await);
}

/// Makes a stored file look `by` older: its time on disk (SQLite mode) or its row (PostgreSQL).
async fn age_stored_file(c: &Central, sha256: &str, by: Duration) {
    if let Some(path) = c.state.blobs.path(sha256) {
        let old = std::time::SystemTime::now() - by;
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(old).unwrap();
        return;
    }
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&c.state.config.database_url())
        .await
        .unwrap();
    let old = time::OffsetDateTime::now_utc() - by;
    let old = old
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    sqlx::query("UPDATE stored_files SET created_at = $1 WHERE sha256 = $2")
        .bind(old)
        .bind(sha256)
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_connection_that_sends_no_request_is_closed_after_the_header_timeout() {
    let c = start_with(|cfg| cfg.limits.header_timeout_secs = 1).await;
    let closed_within = async |s: &mut TcpStream, wait: Duration| {
        let mut got = Vec::new();
        tokio::time::timeout(wait, s.read_to_end(&mut got))
            .await
            .is_ok()
    };
    // Connected, nothing sent.
    let mut idle = TcpStream::connect(c.addr).await.unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(4)).await);
    // Half a request line.
    let mut half = TcpStream::connect(c.addr).await.unwrap();
    half.write_all(b"GET /heal").await.unwrap();
    assert!(closed_within(&mut half, Duration::from_secs(4)).await);
    // Kept alive after an answer, then silent.
    let mut kept = TcpStream::connect(c.addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut kept, Duration::from_secs(4)).await);
}
