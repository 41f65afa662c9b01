//! Drafts the user is typing, kept by Rust in the data folder and written crash-safe (a closed
//! window or a crash loses nothing); a draft goes once what it was for is queued.

use std::path::{Path, PathBuf};

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
        let path = self.information_path(reference);
        match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<InformationDraft>(&bytes) {
                Ok(d) if d.reference == reference => Ok(d.text),
                Ok(_) => Ok(String::new()),
                Err(e) => {
                    // A damaged draft is set aside, never a reason to lose the screen.
                    tracing::warn!(file = %path.display(), "draft unreadable: {e}");
                    Ok(String::new())
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(storage(&path, e)),
        }
    }

    /// Keeps `text` for `reference`; an empty text removes the draft.
    pub fn save_information(&self, reference: &str, text: &str) -> Result<(), AppError> {
        let path = self.information_path(reference);
        if text.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(storage(&path, e)),
                _ => Ok(()),
            };
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| storage(&self.dir, e))?;
        let draft = InformationDraft {
            reference: reference.to_owned(),
            text: text.to_owned(),
        };
        let bytes = serde_json::to_vec(&draft).map_err(|e| storage(&path, e.into()))?;
        chamado_client::atomic::write(&path, &bytes).map_err(|e| storage(&path, e))
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
