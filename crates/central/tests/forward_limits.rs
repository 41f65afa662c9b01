//! What central sends osTicket stays within bounds: no redirect takes the API key to another
//! host, and the message has a size cap whatever the bundle holds.

mod common;

use std::sync::{Arc, Mutex};

use axum::http::{header, HeaderMap, StatusCode};
use common::*;

/// An "osTicket" whose API answers every request with a 307 to `to` (POST and body kept).
async fn redirecting_to(to: String) -> String {
    let app = axum::Router::new().fallback(move || {
        let to = to.clone();
        async move { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]) }
    });
    serve(app).await
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The osTicket URL redirects to another host (here another port on loopback, and `localhost`
/// for 127.0.0.1): nothing reaches it, the API key least of all, and the queue says why.
#[tokio::test]
async fn the_api_key_never_follows_a_redirect_to_another_host() {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let elsewhere = {
        let seen = Arc::clone(&seen);
        serve(axum::Router::new().fallback(move |headers: HeaderMap| {
            let seen = Arc::clone(&seen);
            async move {
                seen.lock().unwrap().push(headers);
                "123456"
            }
        }))
        .await
    };
    let other_port = redirecting_to(format!("{elsewhere}/api/tickets.email")).await;
    let port = other_port.rsplit(':').next().unwrap().to_owned();
    let other_name = redirecting_to(format!("http://localhost:{port}/api/tickets.email")).await;
    for url in [other_port, other_name] {
        let c = start_with(|cfg| cfg.osticket = Some(osticket_config(&url))).await;
        let token = c.enrol("ACME").await;
        let (status, t) = c.ticket(&token, "k", form(&ticket_json())).await;
        assert_eq!(status, 201, "{t}");
        let reference = t["reference"].as_str().unwrap().to_owned();
        let problem = eventually("the attempt recorded", async || {
            c.state
                .db
                .forward_problems()
                .await
                .unwrap()
                .into_iter()
                .find(|p| p.reference == reference && p.last_error.is_some())
        })
        .await;
        assert_eq!(problem.error_kind.as_deref(), Some("config"));
        let error = problem.last_error.unwrap();
        assert!(error.contains("redirects to"), "{error}");
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "the other host got a request"
    );
}

/// Peak resident memory of this process, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A bundle built to blow the message up: a few MiB of findings and contents made of characters
/// HTML escapes five-fold (`&`), deflated to a few dozen KB.
fn hostile_bundle() -> Vec<u8> {
    use std::io::Write;
    let amp = |n: usize| "&".repeat(n);
    let finding = serde_json::json!({
        "rule": "x", "severity": "problem",
        "title": {"pt_br": amp(500), "en": amp(500)},
        "action": {"pt_br": amp(500), "en": amp(500)},
        "evidence": vec![amp(200); 100],
    });
    let diagnostics = serde_json::json!({"findings": vec![finding; 170]});
    let items: Vec<_> = (0..30_000)
        .map(|_| serde_json::json!({"id": "i", "kind": "log", "path": amp(60), "size": 1, "sha256": ""}))
        .collect();
    let manifest = serde_json::json!({"format": 1, "generator": "x", "ticket": {}, "items": items,
        "left_out": [], "redacted": {}});
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, v) in [
        ("diagnostics.json", diagnostics),
        ("manifest.json", manifest),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(&serde_json::to_vec(&v).unwrap()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The message forwarded to osTicket has a size cap whatever the bundle holds: long parts are
/// cut with a note, the bundle still goes (attached), and central's memory stays sane.
#[tokio::test]
async fn a_hostile_bundle_makes_a_capped_message() {
    let desk = common::osticket::start().await;
    let c = start_with(|cfg| cfg.osticket = Some(osticket_config(&desk.url))).await;
    let token = c.enrol("ACME").await;
    let bundle = hostile_bundle();
    let bundle_len = bundle.len();
    assert!(bundle_len < 100_000, "{bundle_len} bytes");
    let before = peak_kib();
    let (status, t) = c
        .ticket(
            &token,
            "k",
            form_with_bundle(&ticket_json(), bundle, "pacote.zip"),
        )
        .await;
    assert_eq!(status, 201, "{t}");
    eventually("the ticket in osTicket", async || {
        (desk.tickets().len() == 1).then_some(())
    })
    .await;
    let grew_mib = (peak_kib() - before) / 1024;
    let ticket = &desk.tickets()[0];
    let body = &ticket.thread[0].body;
    eprintln!(
        "hostile bundle: {bundle_len} bytes; message {} bytes; peak memory +{grew_mib} MiB",
        body.len()
    );
    assert!(
        body.len() <= chamado_central::message::HTML_MAX && body.len() <= 300 * 1024,
        "message of {} bytes",
        body.len()
    );
    assert!(body.contains("Mensagem cortada"), "the note says so");
    assert!(body.contains("itens, cortados"), "the lists say so");
    assert!(body.contains("Maria Souza"), "the ticket's data are there");
    assert!(body.contains("pacote.zip"), "the files are listed");
    assert_eq!(
        ticket.thread[0].attachments.len(),
        1,
        "the bundle goes along"
    );
    assert!(grew_mib < 100, "central's memory grew by {grew_mib} MiB");
}
