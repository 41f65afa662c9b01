//! A real central for each test: the router on a loopback port, SQLite in a temporary folder or
//! a fresh database on a real PostgreSQL server (`CHAMADO_TEST_POSTGRES_URL`, which
//! tools/with-postgres sets).
#![allow(dead_code)]

pub mod osticket;
pub mod process;

use std::io::Write;
use std::net::SocketAddr;

use chamado_central::config::{Config, Limits};
use chamado_central::{AppState, Shared};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

pub struct Central {
    pub url: String,
    pub addr: SocketAddr,
    pub state: Shared,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Central {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// An HTTP client for the tests' servers on loopback: never through a proxy the machine running
/// the tests may have set (`http_proxy`...), which cannot reach them.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client builds")
}

pub fn test_limits() -> Limits {
    Limits {
        upload_max_bytes: 1024 * 1024,
        ticket_max_bytes: 16 * 1024,
        rate_per_minute: 600_000,
        rate_burst: 10_000,
        enrol_per_minute: 600_000,
        enrol_burst: 10_000,
        ..Limits::default()
    }
}

/// The database a test's central runs on.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite,
    /// The server's URL; each central gets a database of its own on it.
    Postgres(String),
}

/// The PostgreSQL server's URL for the tests; `None` outside CI when none is given (the test says
/// it is skipped). In CI (`CI=true`) a missing server fails the test.
pub fn postgres_url() -> Option<String> {
    match std::env::var("CHAMADO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            chamado_testkit::skip_or_fail(
                "a PostgreSQL test",
                "CHAMADO_TEST_POSTGRES_URL is not set \
                 (tools/with-postgres cargo test -p chamado-central starts a server)",
            );
            None
        }
    }
}

/// The PostgreSQL database for the tests, as [`postgres_url`].
pub fn postgres() -> Option<Db> {
    postgres_url().map(Db::Postgres)
}

/// Each listed `async fn(Db)` test runs twice: `sqlite::NAME` and `postgres::NAME`.
#[allow(unused_macros)] // mail.rs and cli.rs run on SQLite only.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name($crate::common::Db::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                if let Some(db) = $crate::common::postgres() {
                    super::$name(db).await
                }
            })*
        }
    };
}

/// A new empty database on the server at `server`; its URL.
pub async fn new_postgres_database(server: &str) -> String {
    use sqlx::{Connection, Executor};
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "chamado_test_{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut conn = sqlx::postgres::PgConnection::connect(server)
        .await
        .expect("the PostgreSQL server in CHAMADO_TEST_POSTGRES_URL answers");
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    conn.close().await.unwrap();
    // postgres://user@host/DATABASE?params: the same server, the new database.
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let (host, _) = base.rsplit_once('/').expect("a URL with a database");
    if query.is_empty() {
        format!("{host}/{name}")
    } else {
        format!("{host}/{name}?{query}")
    }
}

pub async fn start() -> Central {
    start_with(|_| {}).await
}

pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Central {
    start_on_with(Db::Sqlite, tweak).await
}

pub async fn start_on(db: Db) -> Central {
    start_on_with(db, |_| {}).await
}

pub async fn start_on_with(db: Db, tweak: impl FnOnce(&mut Config)) -> Central {
    start_inner(db, tweak, true).await
}

/// A central that answers the API but runs no background task (no mailer, no forwarder): what
/// it queues stays for another central on the same database.
pub async fn start_without_tasks(db: Db, tweak: impl FnOnce(&mut Config)) -> Central {
    start_inner(db, tweak, false).await
}

async fn start_inner(db: Db, tweak: impl FnOnce(&mut Config), tasks: bool) -> Central {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = Config::standalone(dir.path().join("data"));
    config.limits = test_limits();
    if let Db::Postgres(server) = &db {
        config.database_url = Some(new_postgres_database(server).await);
    }
    tweak(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    config.public_url = format!("http://{addr}");
    let state = AppState::open(config).await.expect("central opens");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let s = state.clone();
    tokio::spawn(async move {
        let stop = async {
            let _ = rx.await;
        };
        if tasks {
            chamado_central::serve(s, listener, stop).await.unwrap();
        } else {
            axum::serve(listener, chamado_central::router(s))
                .with_graceful_shutdown(stop)
                .await
                .unwrap();
        }
    });
    Central {
        url: format!("http://{addr}"),
        addr,
        state,
        dir,
        http: http(),
        stop: Some(tx),
    }
}

impl Central {
    /// An installation token for `company`, through the real enrolment endpoint.
    pub async fn enrol(&self, company: &str) -> String {
        let code = self
            .state
            .db
            .create_enrolment_code(company, 30)
            .await
            .unwrap();
        let res = self
            .http
            .post(format!("{}/v1/enrolments", self.url))
            .json(&json!({"code": code, "machine": "PC-RECEPCAO"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    pub fn get(&self, token: &str, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
    }

    pub fn post(&self, token: &str, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
    }

    /// Posts a ticket; returns status and JSON body.
    pub async fn ticket(&self, token: &str, key: &str, form: Form) -> (u16, Value) {
        let res = self
            .post(token, "/v1/tickets")
            .header("Idempotency-Key", key)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

pub fn ticket_json() -> Value {
    json!({
        "topic": "sem-conexao",
        "summary": "O sistema não conecta ao servidor",
        "description": "Desde ontem aparece 'servidor indisponível'.",
        "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br", "phone": "+55 11 4000-0000"},
        "module": "faturamento",
        "fields": {"terminal": "Caixa 2", "urgente": true}
    })
}

pub fn form(ticket: &Value) -> Form {
    Form::new().part(
        "ticket",
        Part::text(ticket.to_string())
            .mime_str("application/json")
            .unwrap(),
    )
}

/// A small but real zip (an empty archive's end record).
pub fn zip_bytes(padding: usize) -> Vec<u8> {
    // A stored entry is not needed: the magic of an empty archive is enough for the check, and
    // the padding makes sizes.
    let mut z = b"PK\x05\x06".to_vec();
    z.extend(std::iter::repeat_n(0u8, 18 + padding));
    z
}

pub fn form_with_bundle(ticket: &Value, bundle: Vec<u8>, name: &str) -> Form {
    form(ticket).part(
        "bundle",
        Part::bytes(bundle)
            .file_name(name.to_owned())
            .mime_str("application/zip")
            .unwrap(),
    )
}

/// `[osticket]` pointing at a double: its key, topic `sem-conexao` → 2, the ticket form's and
/// topic 2's fields mapped, retries after a second.
pub fn osticket_config(url: &str) -> chamado_central::config::Osticket {
    use chamado_central::config::{CreateVia, Osticket};
    Osticket {
        url: url.to_owned(),
        api_key: osticket::KEY.to_owned(),
        portal_url: "https://suporte.exemplo.com.br".to_owned(),
        mailbox: "suporte@exemplo.com.br".to_owned(),
        create: CreateVia::Email,
        attachment_max_bytes: 1024 * 1024,
        topics: [("sem-conexao".to_owned(), 2)].into(),
        fields: [
            ("module", "module"),
            ("program_version", "program_version"),
            ("terminal", "terminal"),
            ("urgente", "urgente"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect(),
        link_days: 14,
        retry_first_secs: 1,
        in_flight_secs: 1,
        events_secret: None,
        poll_secs: 180,
    }
}

/// A bundle as the app makes it: `report.html`, `diagnostics.json` (built from the real report
/// types: a finding and what changed), `logs/app.log` of `log_bytes` incompressible bytes, and
/// `manifest.json` last.
pub fn real_bundle(log_bytes: usize) -> Vec<u8> {
    use chamado_profile::Text;
    use chamado_wire::{Change, WhatChanged};
    use chamado_wire::{Finding, Severity};
    let text = |pt: &str, en: &str| Text {
        pt_br: pt.to_owned(),
        en: en.to_owned(),
    };
    let finding = Finding {
        rule: "check.refused".into(),
        severity: Severity::Problem,
        title: text(
            "O servidor <ERP> recusou a conexão na porta 1433",
            "The <ERP> server refused the connection on port 1433",
        ),
        action: text(
            "Verifique se o serviço SQL Server está em execução",
            "Check that SQL Server runs",
        ),
        evidence: vec!["10.0.0.5:1433 → connection refused".into()],
        check: Some("banco".into()),
    };
    let changes = WhatChanged {
        since: "2026-11-20T10:00:00-03:00".into(),
        since_good: true,
        changes: vec![Change::SecurityProductAdded {
            name: "Antivírus Exemplo".into(),
            version: Some("12.1".into()),
        }],
    };
    let diagnostics = json!({
        "format": 1,
        "generator": "chamado 0.1.0",
        "findings": [finding],
        "changes": changes,
        "program": {"data": {"name": "ERP Exemplo", "exe": "C:\\ERP\\erp.exe", "exe_found": true,
            "file_version": {"file": "8.4.1.120", "product": "8.4"}, "installed": [], "running": []},
            "problems": [], "elapsed_ms": 3},
    });
    let mut log = vec![0u8; log_bytes];
    getrandom::fill(&mut log).unwrap();
    let report = b"<html><body><h1>Relatorio</h1></body></html>".to_vec();
    let diag = serde_json::to_vec(&diagnostics).unwrap();
    let manifest = json!({
        "format": 1, "generator": "chamado 0.1.0", "ticket": {},
        "items": [
            {"id": "report", "kind": "report", "path": "report.html", "size": report.len(), "sha256": ""},
            {"id": "diagnostics", "kind": "diagnostics", "path": "diagnostics.json", "size": diag.len(), "sha256": ""},
            {"id": "log", "kind": "log", "path": "logs/app.log", "size": log.len(), "sha256": ""},
        ],
        "left_out": [{"id": "shot", "kind": "screenshot", "label": "Tela 2"}],
        "redacted": {},
    });
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in [
        ("report.html", report),
        ("diagnostics.json", diag),
        ("logs/app.log", log),
        ("manifest.json", serde_json::to_vec(&manifest).unwrap()),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Waits (up to 20 s) until `check` gives something.
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The ticket as the app reads it (`GET /v1/tickets/{reference}`).
pub async fn ticket(c: &Central, token: &str, reference: &str) -> Value {
    let res = c
        .get(token, &format!("/v1/tickets/{reference}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Waits until central shows the ticket's osTicket number.
pub async fn number(c: &Central, token: &str, reference: &str) -> String {
    eventually("central to store osTicket's number", async || {
        ticket(c, token, reference).await["number"]
            .as_str()
            .map(str::to_owned)
    })
    .await
}
