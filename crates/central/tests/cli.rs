//! The real binary: `serve` in one process, the admin commands in others, at the same time.

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
fn serve(data: &Path) -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
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
    let data = dir.path().join("data");
    let (_server, url) = serve(&data);
    let http = reqwest::Client::new();

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
