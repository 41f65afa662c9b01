//! The installation's token, in the OS's credential store where there is one: Windows'
//! Credential Manager (a generic credential `Chamado/<central host>`, `windows.rs`); elsewhere a
//! file in the data folder only the user can read (`linux.rs`). One API for enrolment and the
//! sender.

#[cfg(not(windows))]
mod linux;
#[cfg(not(windows))]
use linux as os;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as os;

use std::path::{Path, PathBuf};

/// Where the token for one central is kept.
pub struct TokenStore {
    data_dir: PathBuf,
    target: String,
}

impl TokenStore {
    /// The store for the token this installation uses with `central` (its URL).
    pub fn new(data_dir: &Path, central: &str) -> TokenStore {
        TokenStore {
            data_dir: data_dir.to_owned(),
            target: target_name(central),
        }
    }

    /// The credential's name in the OS's store: `Chamado/<host[:port]>`.
    pub fn target(&self) -> &str {
        &self.target
    }

    pub fn load(&self) -> std::io::Result<Option<String>> {
        os::load(&self.data_dir, &self.target)
    }

    pub fn save(&self, token: &str) -> std::io::Result<()> {
        os::save(&self.data_dir, &self.target, token)
    }

    /// Forgets the token (nothing to do when there is none).
    pub fn delete(&self) -> std::io::Result<()> {
        os::delete(&self.data_dir, &self.target)
    }
}

/// `Chamado/` and the URL's host and port, lower-cased: one credential per central.
fn target_name(central: &str) -> String {
    let rest = central.split_once("://").map_or(central, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    format!("Chamado/{}", host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_credential_per_central_host() {
        assert_eq!(
            target_name("https://Suporte.Exemplo.com.br/base/"),
            "Chamado/suporte.exemplo.com.br"
        );
        assert_eq!(
            target_name("http://127.0.0.1:8080"),
            "Chamado/127.0.0.1:8080"
        );
    }

    #[test]
    fn a_token_is_saved_read_back_replaced_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        // A name of its own, so that runs (and a real installation) do not meet.
        let nanos = std::time::SystemTime::UNIX_EPOCH
            .elapsed()
            .unwrap()
            .subsec_nanos();
        let central = format!("http://test-{}-{nanos}.invalid", std::process::id());
        let store = TokenStore::new(dir.path(), &central);
        assert_eq!(store.load().unwrap(), None);
        store.save("primeiro-token").unwrap();
        assert_eq!(store.load().unwrap().as_deref(), Some("primeiro-token"));
        store.save("segundo-token").unwrap();
        assert_eq!(
            TokenStore::new(dir.path(), &central)
                .load()
                .unwrap()
                .as_deref(),
            Some("segundo-token")
        );
        // Another central has its own.
        assert_eq!(
            TokenStore::new(dir.path(), "http://outra.invalid")
                .load()
                .unwrap(),
            None
        );
        store.delete().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.delete().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn on_linux_the_token_file_is_the_users_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        TokenStore::new(dir.path(), "http://a.invalid")
            .save("segredo")
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(files.len(), 1, "one file, no temporary left");
        let mode = files[0].metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
