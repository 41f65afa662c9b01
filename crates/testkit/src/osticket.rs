//! A real osTicket 1.18.1 on loopback for a test (`tools/osticket start`, a few seconds from its
//! cache): MariaDB, php-fpm and nginx in a folder of its own, stopped and removed when the value
//! is dropped. Several run side by side (each on its own port and socket).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;

/// `tools/osticket` of this repository.
fn tool() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/osticket")
}

/// The Chamado plugin's folder (`osticket-plugin/chamado`).
pub fn plugin_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osticket-plugin/chamado")
}

/// A running osTicket; `info` is `tools/osticket start`'s JSON (url, api_key, topic_id, form_id,
/// form_fields, mailbox, mysql, admin, mail_dir, dir).
pub struct OsTicket {
    pub info: Value,
    dir: PathBuf,
}

impl OsTicket {
    /// Starts one, or `None` after [`crate::skip_or_fail`] when this machine cannot (not root,
    /// the packages or `../shared/osticket` missing): fails in CI.
    pub fn start(what: &str) -> Option<OsTicket> {
        static N: AtomicU32 = AtomicU32::new(0);
        // A short path under /tmp: MariaDB's and php-fpm's socket paths have a length limit.
        let dir = PathBuf::from(format!(
            "/tmp/ost{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        match run(&["start".as_ref(), dir.as_os_str()]) {
            Ok(info) => Some(OsTicket { info, dir }),
            Err(e) => {
                let _ = run(&["stop".as_ref(), dir.as_os_str()]);
                let _ = std::fs::remove_dir_all(&dir);
                crate::skip_or_fail(what, &format!("the real osTicket did not start: {e}"));
                None
            }
        }
    }

    pub fn url(&self) -> &str {
        self.info["url"].as_str().expect("start gives the url")
    }

    pub fn api_key(&self) -> &str {
        self.info["api_key"].as_str().expect("start gives the key")
    }

    pub fn topic_id(&self) -> i64 {
        self.info["topic_id"]
            .as_i64()
            .expect("start gives the topic")
    }

    pub fn mailbox(&self) -> &str {
        self.info["mailbox"]
            .as_str()
            .expect("start gives the mailbox")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Installs and enables the Chamado plugin with `config` (`KEY=VALUE`, e.g.
    /// `central_url=…`, `secret=…`; see osticket-plugin/README.md); its JSON answer.
    pub fn install_plugin(&self, config: &[&str]) -> Value {
        let folder = plugin_folder();
        let mut args = vec!["plugin".as_ref(), self.dir.as_os_str(), folder.as_os_str()];
        for c in config {
            args.push("--config".as_ref());
            args.push(c.as_ref());
        }
        run(&args).unwrap_or_else(|e| panic!("installing the Chamado plugin: {e}"))
    }

    /// Rows of `query` on osTicket's database, each split on tabs.
    pub fn sql(&self, query: &str) -> Vec<Vec<String>> {
        let out = output(&["sql".as_ref(), self.dir.as_os_str(), query.as_ref()])
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        out.lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    }

    /// An analyst's reply (or, with `note`, an internal note) on ticket `number`, posted in the
    /// staff panel over HTTP, with a new status (`Closed`, `Resolved`, `Open`) if given.
    pub fn reply(&self, number: &str, text: &str, status: Option<&str>, note: bool) -> Value {
        let mut args = vec![
            "reply".as_ref(),
            self.dir.as_os_str(),
            number.as_ref(),
            text.as_ref(),
        ];
        if let Some(s) = status {
            args.push("--status".as_ref());
            args.push(s.as_ref());
        }
        if note {
            args.push("--note".as_ref());
        }
        run(&args).unwrap_or_else(|e| panic!("replying on {number}: {e}"))
    }

    /// What an analyst reads on ticket `number`'s page in the staff panel, as text:
    /// `{"subject", "fields": {label: value}, "entries": [{"title", "body"}]}` (`tools/osticket
    /// view`).
    pub fn view(&self, number: &str) -> Value {
        run(&["view".as_ref(), self.dir.as_os_str(), number.as_ref()])
            .unwrap_or_else(|e| panic!("viewing {number}: {e}"))
    }

    /// Stops its daemons; a later [`OsTicket::resume`] brings it back with what it held.
    pub fn stop(&self) {
        let _ = run(&["stop".as_ref(), self.dir.as_os_str()]);
    }

    /// Starts it again after [`OsTicket::stop`], on the same port.
    pub fn resume(&self) {
        run(&["start".as_ref(), self.dir.as_os_str()])
            .unwrap_or_else(|e| panic!("restarting osTicket: {e}"));
    }
}

impl Drop for OsTicket {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn output(args: &[&std::ffi::OsStr]) -> Result<String, String> {
    let out = Command::new("python3")
        .arg(tool())
        .args(args)
        .output()
        .map_err(|e| format!("running tools/osticket: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail = &err[err.len().saturating_sub(2000)..];
        return Err(format!("tools/osticket failed ({}): {tail}", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The last line of `tools/osticket`'s output, as JSON.
fn run(args: &[&std::ffi::OsStr]) -> Result<Value, String> {
    let out = output(args)?;
    let last = out
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    if last.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(last).map_err(|e| format!("tools/osticket's answer `{last}`: {e}"))
}
