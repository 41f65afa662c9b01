//! Uploaded files on disk, by content: `blobs/ab/abcdef…` named by their SHA-256. An upload is
//! streamed to `tmp/` while it is hashed and counted (memory holds one chunk at a time), then
//! renamed into place; the same file uploaded twice is stored once.

use std::path::{Path, PathBuf};

use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::db::FileRef;

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("reading the upload: {0}")]
    Multipart(#[from] axum::extract::multipart::MultipartError),
    #[error("storing the upload: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
    tmp: PathBuf,
}

/// Removes a temporary file unless it was moved into place.
struct TmpGuard(Option<PathBuf>);

impl Drop for TmpGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl Blobs {
    pub fn open(data: &Path) -> std::io::Result<Blobs> {
        let root = data.join("blobs");
        let tmp = data.join("tmp");
        std::fs::create_dir_all(&root)?;
        std::fs::create_dir_all(&tmp)?;
        // Leftovers of uploads cut short by a crash.
        for e in std::fs::read_dir(&tmp)?.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
        Ok(Blobs { root, tmp })
    }

    /// Removes stored files no attachment names (a bundle stored for a request then refused)
    /// once older than `min_age`; run at start, before anything is served. Returns how many.
    pub fn collect_garbage(
        &self,
        referenced: &std::collections::HashSet<String>,
        min_age: std::time::Duration,
    ) -> std::io::Result<usize> {
        let mut removed = 0;
        for dir in std::fs::read_dir(&self.root)?.flatten() {
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                let old = f
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age >= min_age);
                if old && !referenced.contains(&name) && std::fs::remove_file(f.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// Streams a multipart field to disk; fails with `TooLarge` past `limit` bytes.
    pub async fn receive(
        &self,
        field: &mut Field<'_>,
        name: String,
        limit: u64,
    ) -> Result<FileRef, UploadError> {
        let tmp_path = self.tmp.join(crate::secret::new_access_key());
        let guard = TmpGuard(Some(tmp_path.clone()));
        let mut file = tokio::fs::File::create(&tmp_path).await?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        while let Some(chunk) = field.chunk().await? {
            size += chunk.len() as u64;
            if size > limit {
                return Err(UploadError::TooLarge { limit });
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        file.sync_all().await?;
        drop(file);
        let sha256 = hex::encode(hasher.finalize());
        let dest = self.path(&sha256);
        if tokio::fs::try_exists(&dest).await? {
            // Same content already stored; the guard removes the copy.
        } else {
            tokio::fs::create_dir_all(dest.parent().expect("has a parent")).await?;
            tokio::fs::rename(&tmp_path, &dest).await?;
        }
        drop(guard);
        Ok(FileRef { name, sha256, size })
    }
}

/// A file name as the client sent it, made safe to store and show: the last path component only,
/// no control characters, no characters Windows refuses, no leading dots, at most 120 characters.
pub fn sanitize_name(raw: &str, fallback: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let short: String = trimmed.chars().take(120).collect();
    if short.is_empty() {
        fallback.to_owned()
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_name;

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitize_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(sanitize_name("..\\..\\boot.ini", "x"), "boot.ini");
        assert_eq!(sanitize_name("a\u{0}b\r\nc.zip", "x"), "abc.zip");
        assert_eq!(sanitize_name("..", "anexo"), "anexo");
        assert_eq!(sanitize_name(".bashrc", "x"), "bashrc");
        assert_eq!(sanitize_name("what?.txt", "x"), "what_.txt");
        assert_eq!(sanitize_name("relatório.zip", "x"), "relatório.zip");
        assert_eq!(sanitize_name(&"a".repeat(300), "x").len(), 120);
    }
}
