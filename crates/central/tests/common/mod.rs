//! A real central for each test: the router on a loopback port, SQLite in a temporary folder or
//! a fresh database on a real PostgreSQL server (`CHAMADO_TEST_POSTGRES_URL`, which
//! tools/with-postgres sets).
#![allow(dead_code)]

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

pub fn test_limits() -> Limits {
    Limits {
        upload_max_bytes: 1024 * 1024,
        ticket_max_bytes: 16 * 1024,
        rate_per_minute: 600_000,
        rate_burst: 10_000,
    }
}

/// The database a test's central runs on.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite,
    /// The server's URL; each central gets a database of its own on it.
    Postgres(String),
}

/// The PostgreSQL server for the tests; `None` outside CI when none is given (the test says it
/// is skipped). In CI (`CI=true`) a missing server fails the test.
pub fn postgres() -> Option<Db> {
    match std::env::var("CHAMADO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(Db::Postgres(url)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "CHAMADO_TEST_POSTGRES_URL is not set; in CI the PostgreSQL tests must run \
             (tools/with-postgres starts a server)"
        ),
        _ => {
            eprintln!(
                "skipped: no PostgreSQL (CHAMADO_TEST_POSTGRES_URL is not set; \
                 run tools/with-postgres cargo test -p chamado-central)"
            );
            None
        }
    }
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
async fn new_postgres_database(server: &str) -> String {
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
        chamado_central::serve(s, listener, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    Central {
        url: format!("http://{addr}"),
        addr,
        state,
        dir,
        http: reqwest::Client::new(),
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
