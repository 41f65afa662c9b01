//! Where there is no credential store the app uses: one file per central in the data folder
//! (`token-<host>`), mode 0600, written atomically.

use std::path::{Path, PathBuf};

use crate::atomic;

fn path(data_dir: &Path, target: &str) -> PathBuf {
    let name: String = target
        .trim_start_matches("Chamado/")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join(format!("token-{name}"))
}

pub fn load(data_dir: &Path, target: &str) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path(data_dir, target)) {
        Ok(t) => Ok(Some(t.trim().to_owned()).filter(|t| !t.is_empty())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn save(data_dir: &Path, target: &str, token: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    atomic::write(&path(data_dir, target), token.as_bytes())
}

pub fn delete(data_dir: &Path, target: &str) -> std::io::Result<()> {
    match std::fs::remove_file(path(data_dir, target)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
