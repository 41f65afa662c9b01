//! The real binary: `serve` in one process, the admin commands in others, at the same time.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_chamado-central");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `chamado-central serve` on a free loopback port; returns it and its base URL.
fn serve_with(data: &Path, extra: &[&str]) -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(extra)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("the server logs its address").unwrap();
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), format!("http://{addr}"))
}

fn admin(data: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("admin")
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_commands_work_while_the_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    admin_commands_work_while_the_server_runs_on(&dir.path().join("data"), &[]).await;
}

/// The same on PostgreSQL: the server and the admin processes write to one database.
#[tokio::test(flavor = "multi_thread")]
async fn admin_commands_work_while_the_server_runs_on_postgresql() {
    let Some(server) = common::postgres_url() else {
        return;
    };
    use sqlx::{Connection, Executor};
    let name = format!("chamado_cli_{}", std::process::id());
    let mut conn = sqlx::postgres::PgConnection::connect(&server)
        .await
        .unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let url = format!("{}/{name}?{query}", base.rsplit_once('/').unwrap().0);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("central.toml");
    std::fs::write(&config, format!("[database]\nurl = \"{url}\"\n")).unwrap();
    let config = config.to_str().unwrap();
    admin_commands_work_while_the_server_runs_on(&dir.path().join("data"), &["--config", config])
        .await;
}

/// `extra`: arguments given to the server and every admin command.
async fn admin_commands_work_while_the_server_runs_on(data: &Path, extra: &[&str]) {
    let data = data.to_owned();
    let (_server, url) = serve_with(&data, extra);
    let admin = |data: &Path, args: &[&str]| admin(data, &[extra, args].concat());
    let http = common::http();

    let (ok, code, err) = admin(&data, &["enrol-code", "--company", "Mercado Bom Preço"]);
    assert!(ok, "{err}");
    let code = code.trim();
    let res = http
        .post(format!("{url}/v1/enrolments"))
        .json(&json!({"code": code, "machine": "CAIXA-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let ticket = json!({"topic": "sem-conexao", "summary": "Caixa sem rede", "description": "Não conecta.",
        "contact": {"name": "João", "email": "joao@mercado.com.br"}});
    let form = reqwest::multipart::Form::new().text("ticket", ticket.to_string());
    let res = http
        .post(format!("{url}/v1/tickets"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "1")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let t: Value = res.json().await.unwrap();
    let number = t["number"].as_str().unwrap().to_owned();
    let reference = t["reference"].as_str().unwrap().to_owned();

    let (ok, list, _) = admin(&data, &["tickets"]);
    assert!(ok);
    assert!(
        list.contains(&number)
            && list.contains("Mercado Bom Preço")
            && list.contains("Caixa sem rede"),
        "{list}"
    );
    let (_, open, _) = admin(&data, &["tickets", "--status", "closed"]);
    assert!(!open.contains(&number));

    let (ok, _, err) = admin(
        &data,
        &[
            "reply",
            &number,
            "--message",
            "Reinicie o roteador, por favor.",
        ],
    );
    assert!(ok, "{err}");
    let t: Value = http
        .get(format!("{url}/v1/tickets/{reference}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["status"], "answered");
    assert_eq!(t["thread"][1]["author"], "staff");
    assert_eq!(t["thread"][1]["body"], "Reinicie o roteador, por favor.");

    let (ok, _, err) = admin(&data, &["status", &reference, "closed"]);
    assert!(ok, "{err}");
    let form =
        reqwest::multipart::Form::new().text("message", json!({"body": "Obrigado"}).to_string());
    let res = http
        .post(format!("{url}/v1/tickets/{reference}/messages"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);

    let (ok, _, err) = admin(&data, &["status", "2026-999999", "closed"]);
    assert!(!ok && err.contains("no ticket"), "{err}");

    let (ok, installations, _) = admin(&data, &["installations"]);
    assert!(ok && installations.contains("CAIXA-1"), "{installations}");
    let (ok, _, err) = admin(&data, &["revoke", "1"]);
    assert!(ok, "{err}");
    let res = http
        .get(format!("{url}/v1/tickets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let (ok, _, _) = admin(&data, &["revoke", "1"]);
    assert!(!ok, "revoking twice says so");
    let (ok, _, _) = admin(&data, &["revoke", "--code", code]);
    assert!(ok);
}

#[test]
fn a_broken_config_is_reported_with_its_position_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("central.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:0\"\n[limits]\nupload_max_mib = -1\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("serve")
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim(),
        format!(
            "{}:3:18: limits.upload_max_mib: -1 is out of range (1 to 4096)",
            file.display()
        )
    );
}

/// Central killed (SIGKILL) in the middle of a burst of tickets, restarted on the same data, and
/// every request retried with its key: each key has exactly one ticket, and a ticket answered
/// before the crash is the one the retry gets.
#[tokio::test(flavor = "multi_thread")]
async fn killed_mid_burst_then_retried_every_key_has_exactly_one_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("central.toml");
    std::fs::write(
        &config,
        "[limits]\nrate_per_minute = 100000\nrate_burst = 10000\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let (mut server, url) = serve_with(&data, &["--config", config]);
    let (_, code, _) = admin(&data, &["enrol-code", "--company", "ACME"]);
    let http = common::http();
    let res = http
        .post(format!("{url}/v1/enrolments"))
        .json(&json!({"code": code.trim(), "machine": "PC"}))
        .send()
        .await
        .unwrap();
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ticket =
        json!({"topic": "sem-conexao", "summary": "Sem rede", "description": "Não conecta.",
        "contact": {"name": "João", "email": "joao@mercado.com.br"}})
        .to_string();
    let send = |url: String, key: usize| {
        let (http, token, ticket) = (http.clone(), token.clone(), ticket.clone());
        async move {
            let mut zip = b"PK\x05\x06".to_vec();
            zip.resize(64 * 1024, (key % 251) as u8);
            let form = reqwest::multipart::Form::new().text("ticket", ticket).part(
                "bundle",
                reqwest::multipart::Part::bytes(zip).file_name("b.zip"),
            );
            let res = http
                .post(format!("{url}/v1/tickets"))
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("key-{key}"))
                .multipart(form)
                .send()
                .await
                .ok()?;
            let status = res.status().as_u16();
            let body: Value = res.json().await.ok()?;
            match body["reference"].as_str() {
                Some(r) => Some((status, r.to_owned())),
                None => panic!("{status} {body}"),
            }
        }
    };

    let n = 300;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..n)
        .map(|k| {
            let (request, done) = (send(url.clone(), k), done.clone());
            tokio::spawn(async move {
                let r = request.await;
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                r
            })
        })
        .collect();
    // Kill the server once a quarter are answered, with the rest in flight.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while done.load(std::sync::atomic::Ordering::SeqCst) < n / 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the server took too long"
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    let mut before = Vec::new();
    for t in tasks {
        before.push(t.await.unwrap());
    }
    let answered = before.iter().filter(|r| r.is_some()).count();
    eprintln!("{answered} of {n} answered before the kill");
    assert!(
        answered < n,
        "the kill came too late to cut anything ({answered} answered)"
    );

    let (_server, url) = serve_with(&data, &["--config", config]);
    let mut references = std::collections::BTreeSet::new();
    for (k, earlier) in before.iter().enumerate() {
        let (status, reference) = send(url.clone(), k).await.expect("the retry is answered");
        assert!(status == 200 || status == 201, "{status}");
        if let Some((_, first)) = earlier {
            assert_eq!(
                &reference, first,
                "key {k}: a retry returns the ticket answered before the crash"
            );
            assert_eq!(status, 200);
        }
        references.insert(reference);
    }
    assert_eq!(references.len(), n);
    // Uploads cut by the kill left nothing behind once the server started again.
    assert_eq!(std::fs::read_dir(data.join("tmp")).unwrap().count(), 0);
    let (_, list, _) = admin(&data, &["tickets"]);
    assert_eq!(list.lines().count() - 1, n, "one ticket per key, no more");
}

#[tokio::test(flavor = "multi_thread")]
async fn json_logs_have_one_parseable_line_per_request_and_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--data",
        ])
        .arg(&data)
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let next = || {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("a log line");
        let v: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
        (line, v)
    };
    let (_, listening) = next();
    assert_eq!(listening["message"], "chamado-central listening");
    assert_eq!(listening["level"], "INFO");
    let url = format!("http://{}", listening["addr"].as_str().unwrap());

    let (_, code, _) = admin(&data, &["enrol-code", "--company", "Padaria Pão Quente"]);
    let http = common::http();
    let res = http
        .post(format!("{url}/v1/enrolments"))
        .json(&json!({"code": code.trim(), "machine": "CAIXA-1"}))
        .send()
        .await
        .unwrap();
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ticket = json!({"topic": "sem-conexao", "summary": "Sem rede", "description": "Não conecta.",
        "contact": {"name": "Joana Prado", "email": "joana@padaria.com.br"}});
    let res = http
        .post(format!("{url}/v1/tickets"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "k1")
        .multipart(reqwest::multipart::Form::new().text("ticket", ticket.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let reference = res.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = http
        .get(format!("{url}/v1/tickets/{reference}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let mut lines = Vec::new();
    let request = loop {
        let (line, v) = next();
        lines.push(line);
        if v["message"] == "request" && v["method"] == "GET" {
            break v;
        }
    };
    assert_eq!(request["path"], "/v1/tickets/{reference}");
    assert_eq!(request["status"], 200);
    assert!(request["latency_ms"].as_f64().unwrap() >= 0.0, "{request}");
    assert!(request["timestamp"].is_string(), "{request}");
    let enrolment: Value = serde_json::from_str(
        lines
            .iter()
            .find(|l| l.contains("/v1/enrolments"))
            .expect("the enrolment's request line"),
    )
    .unwrap();
    assert_eq!(enrolment["method"], "POST");
    assert_eq!(enrolment["status"], 201);
    let all = lines.join("\n");
    for secret in [&token, code.trim(), "joana@", "Joana Prado", "Padaria"] {
        assert!(!all.contains(secret), "`{secret}` in the log:\n{all}");
    }
}
