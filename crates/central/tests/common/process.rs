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
