//! What the end-to-end delivery tests share: a real chamado-central (SQLite, HTTP on loopback)
//! in the test process, and the real `chamado` command.
#![allow(dead_code)] // each test file uses its part

use std::path::Path;
use std::process::{Command, Output};

pub use chamado_testkit::central::Central;

pub fn chamado(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chamado"))
        .args(args)
        .env("CHAMADO_HOME", home)
        .output()
        .unwrap()
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub async fn enrol(central: &Central, home: &Path) {
    let code = central.code().await;
    let out = chamado(home, &["enrol", &code, "--central", &central.url]);
    assert!(out.status.success(), "{}", text(&out));
}

pub fn send_args(summary: &str) -> Vec<String> {
    [
        "send",
        "--topic",
        "erro",
        "--summary",
        summary,
        "--description",
        "O sistema fecha ao emitir nota.",
        "--contact-email",
        "ana@cliente.com.br",
        "--contact-name",
        "Ana",
        "--field",
        "versao=8.4.1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
