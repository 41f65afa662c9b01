//! The real `chamado-central` binary as a child process, for the tests that kill it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tokio::sync::mpsc;

pub const BIN: &str = env!("CARGO_BIN_EXE_chamado-central");

pub struct Server {
    pub child: Child,
    pub url: String,
    pub log: mpsc::UnboundedReceiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `chamado-central serve --config FILE` on a free port; its log lines go to `log`.
    pub async fn start(config: &Path) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(config)
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, mut log) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let line = wait_line(&mut log, "addr=").await;
        let addr = line
            .split("addr=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        Server {
            child,
            url: format!("http://{addr}"),
            log,
        }
    }

    /// SIGKILL: no shutdown, no chance to commit.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

pub async fn wait_line(log: &mut mpsc::UnboundedReceiver<String>, needle: &str) -> String {
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let line = log.recv().await.expect("central is running");
            if line.contains(needle) {
                return line;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("central never logged `{needle}`"))
}

/// A central's configuration file (`central.toml`) in a folder of its own, its SQLite database in
/// `data/` beside it: what a killed central is restarted on.
pub struct Setup {
    _dir: tempfile::TempDir,
    pub config: std::path::PathBuf,
    pub database: String,
}

impl Setup {
    /// `toml`: the configuration after `data = "data"`.
    pub fn new(toml: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("central.toml");
        std::fs::write(&config, format!("data = \"data\"\n\n{toml}")).unwrap();
        let database = format!(
            "sqlite://{}",
            dir.path().join("data/central.sqlite3").display()
        );
        Setup {
            _dir: dir,
            config,
            database,
        }
    }

    /// `chamado-central admin ARGS` on this configuration: its output.
    pub fn admin(&self, args: &[&str]) -> String {
        let out = Command::new(BIN)
            .args(["admin", "--config"])
            .arg(&self.config)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// An enrolment code made with `admin`, taken by `server`: the app's token.
    pub async fn enrol(&self, server: &Server) -> String {
        let code = self.admin(&["enrol-code", "--company", "Padaria"]);
        let res: serde_json::Value = super::http()
            .post(format!("{}/v1/enrolments", server.url))
            .json(&serde_json::json!({"code": code.trim(), "machine": "PC-CAIXA"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        res["token"].as_str().unwrap().to_owned()
    }
}
