//! This installation's enrolment: the central it talks to (`enrolment.json` in the data folder)
//! and its token, kept in the OS's credential store through [`TokenStore`]. Enrolments saved
//! before the store existed had the token in that file: it moves to the store when first read.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::central::{Central, SendError};
use crate::outbox::Outbox;
use crate::token::TokenStore;

/// Why enrolling failed.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// Central refused the code, or could not be reached.
    #[error(transparent)]
    Central(#[from] SendError),
    #[error("saving the enrolment: {0}")]
    Save(#[source] std::io::Error),
}

/// This computer's name, as the vendor's admin sees it in the list of installations.
pub fn machine_name() -> String {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "chamado".to_owned())
}

#[derive(Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub central: String,
    pub token: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolment")
            .field("central", &self.central)
            .field("token", &"…")
            .finish()
    }
}

/// `enrolment.json`: the token only in files written before the credential store.
#[derive(Serialize, Deserialize)]
struct OnDisk {
    central: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

const FILE: &str = "enrolment.json";

impl Enrolment {
    /// The enrolment, `None` when there is none (or its token is gone from the store).
    pub fn load(data_dir: &Path) -> std::io::Result<Option<Enrolment>> {
        let disk: OnDisk = match std::fs::read(data_dir.join(FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let store = TokenStore::new(data_dir, &disk.central);
        if let Some(token) = disk.token {
            let enrolment = Enrolment {
                central: disk.central,
                token,
            };
            // Moved to the store; if that cannot be done now (a read-only folder), next time.
            let _ = enrolment.save(data_dir);
            return Ok(Some(enrolment));
        }
        Ok(store.load()?.map(|token| Enrolment {
            central: disk.central,
            token,
        }))
    }

    /// Exchanges `code` for a token at `central` and saves the enrolment. The tickets the outbox
    /// kept for want of one are then due again.
    pub async fn enrol(
        data_dir: &Path,
        central: &str,
        code: &str,
    ) -> Result<Enrolment, EnrolError> {
        let token = Central::new(central, None)?
            .enrol(code, &machine_name())
            .await?;
        let enrolment = Enrolment {
            central: central.to_owned(),
            token,
        };
        enrolment.save(data_dir).map_err(EnrolError::Save)?;
        // The enrolment stands even if this fails now: those tickets stay in the Fila, where
        // "Enviar agora" (or `chamado outbox send`) sends them.
        let _ = Outbox::open(data_dir).and_then(|o| o.requeue_unauthorized());
        Ok(enrolment)
    }

    /// The token into the store first, then the file naming the central: a crash between
    /// leaves the previous enrolment whole, or the new one.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(data_dir)?;
        TokenStore::new(data_dir, &self.central).save(&self.token)?;
        let disk = OnDisk {
            central: self.central.clone(),
            token: None,
        };
        let bytes = serde_json::to_vec_pretty(&disk).map_err(std::io::Error::other)?;
        atomic::write(&data_dir.join(FILE), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrolment_round_trips_and_the_file_holds_no_token() {
        let dir = tempfile::tempdir().unwrap();
        let central = format!("http://enrol-{}.invalid", std::process::id());
        let e = Enrolment {
            central: central.clone(),
            token: "tok-123".into(),
        };
        e.save(dir.path()).unwrap();
        assert_eq!(Enrolment::load(dir.path()).unwrap(), Some(e));
        let file = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!file.contains("tok-123"), "{file}");
        TokenStore::new(dir.path(), &central).delete().unwrap();
    }

    #[test]
    fn a_token_in_an_old_enrolment_file_moves_to_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let central = format!("http://old-{}.invalid", std::process::id());
        std::fs::write(
            dir.path().join(FILE),
            format!(r#"{{"central": "{central}", "token": "antigo"}}"#),
        )
        .unwrap();
        let loaded = Enrolment::load(dir.path()).unwrap().unwrap();
        assert_eq!(loaded.token, "antigo");
        let file = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!file.contains("antigo"), "{file}");
        let store = TokenStore::new(dir.path(), &central);
        assert_eq!(store.load().unwrap().as_deref(), Some("antigo"));
        assert_eq!(Enrolment::load(dir.path()).unwrap(), Some(loaded));
        store.delete().unwrap();
    }
}
