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
    /// once older than `min_age`; run at start and then every `limits.orphan_sweep_secs`
    /// ([`spawn_sweeper`]). Returns how many.
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
            // Same content already stored; the guard removes the copy. The stored file is made
            // young again, so the sweep does not take it before this request's row names it.
            if let Ok(f) = std::fs::File::options().write(true).open(&dest) {
                let _ = f.set_modified(std::time::SystemTime::now());
            }
        } else {
            tokio::fs::create_dir_all(dest.parent().expect("has a parent")).await?;
            tokio::fs::rename(&tmp_path, &dest).await?;
        }
        drop(guard);
        Ok(FileRef { name, sha256, size })
    }
}

/// Runs [`Blobs::collect_garbage`] every `limits.orphan_sweep_secs` while central serves, so
/// the bundles of refused requests do not wait for a restart to go. A file stored for a request
/// in flight is younger than [`crate::api::ORPHAN_AGE`] and stays.
pub fn spawn_sweeper(state: &crate::Shared) -> Option<tokio::task::JoinHandle<()>> {
    let state = std::sync::Arc::clone(state);
    let every = std::time::Duration::from_secs(state.config.limits.orphan_sweep_secs);
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await; // the first tick is now: the start-up already swept
        loop {
            tick.tick().await;
            let referenced = match state.db.referenced_blobs().await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(error = %e, "the stored files' sweep could not read the database");
                    continue;
                }
            };
            let blobs = state.blobs.clone();
            let age = crate::api::ORPHAN_AGE;
            match tokio::task::spawn_blocking(move || blobs.collect_garbage(&referenced, age)).await
            {
                Ok(Ok(0)) => {}
                Ok(Ok(removed)) => tracing::info!(removed, "unreferenced stored files removed"),
                Ok(Err(e)) => tracing::warn!(error = %e, "sweeping the stored files"),
                Err(e) => tracing::warn!(error = %e, "the stored files' sweep failed"),
            }
        }
    }))
}
