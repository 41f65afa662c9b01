//! Drafts the user is typing, kept by Rust in the data folder and written crash-safe (a closed
//! window or a crash loses nothing); a draft goes once what it was for is queued.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorCode};

pub struct Drafts {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct InformationDraft {
    reference: String,
    text: String,
}

impl Drafts {
    pub fn new(data_dir: &Path) -> Drafts {
        Drafts {
            dir: data_dir.join("drafts"),
        }
    }

    fn information_path(&self, reference: &str) -> PathBuf {
        // References are central's (letters, digits, `-`); anything else cannot name a file.
        let name: String = reference
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("information-{name}.json"))
    }

    /// The text being added to the sent ticket `reference` ('' when none).
    pub fn information(&self, reference: &str) -> Result<String, AppError> {
        Ok(read::<InformationDraft>(&self.information_path(reference))?
            .filter(|d| d.reference == reference)
            .map(|d| d.text)
            .unwrap_or_default())
    }

    /// Keeps `text` for `reference`; an empty text removes the draft.
    pub fn save_information(&self, reference: &str, text: &str) -> Result<(), AppError> {
        let path = self.information_path(reference);
        if text.is_empty() {
            return remove(&path);
        }
        let draft = InformationDraft {
            reference: reference.to_owned(),
            text: text.to_owned(),
        };
        write(&path, &draft)
    }
}

/// A JSON file of the data folder: a missing one is none; a damaged one is set aside (renamed
/// `.damaged`) and read as none, never a reason to lose the screen.
pub(crate) fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, AppError> {
    match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                tracing::warn!(file = %path.display(), "unreadable, set aside: {e}");
                let _ = std::fs::rename(path, path.with_extension("json.damaged"));
                Ok(None)
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(storage(path, e)),
    }
}

/// Written crash-safe: the old file or the new one, never half of one.
pub(crate) fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), AppError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| storage(dir, e))?;
    }
    let bytes = serde_json::to_vec_pretty(value).expect("plain data serializes");
    chamado_client::atomic::write(path, &bytes).map_err(|e| storage(path, e))
}

pub(crate) fn remove(path: &Path) -> Result<(), AppError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(storage(path, e)),
        _ => Ok(()),
    }
}

fn storage(path: &Path, e: std::io::Error) -> AppError {
    AppError::new(ErrorCode::Storage, format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_a_new_process_and_goes_when_emptied() {
        let tmp = tempfile::tempdir().unwrap();
        Drafts::new(tmp.path())
            .save_information("R-1", "O erro voltou às 10h")
            .unwrap();
        let again = Drafts::new(tmp.path());
        assert_eq!(again.information("R-1").unwrap(), "O erro voltou às 10h");
        assert_eq!(again.information("R-2").unwrap(), "");
        again.save_information("R-1", "").unwrap();
        assert_eq!(again.information("R-1").unwrap(), "");
        std::fs::write(again.information_path("R-3"), b"{").unwrap();
        assert_eq!(
            again.information("R-3").unwrap(),
            "",
            "a damaged draft reads as none"
        );
    }
}
