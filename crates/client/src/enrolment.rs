//! This installation's enrolment: the central it talks to and its token, in the data folder,
//! readable by the user only. (Windows' Credential Manager is the better home for the token
//! there; until then the file lives in the user's own profile folder.)

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::atomic;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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

const FILE: &str = "enrolment.json";

impl Enrolment {
    pub fn load(data_dir: &Path) -> std::io::Result<Option<Enrolment>> {
        match std::fs::read(data_dir.join(FILE)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(FILE);
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        atomic::write(&path, &bytes)
    }
}
