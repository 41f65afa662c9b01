//! Uploaded files, by content, named by their SHA-256. An upload is streamed to `tmp/` while it is
//! hashed and counted (memory holds one chunk at a time), then stored; the same file uploaded
//! twice is stored once. Where they are stored follows the database: with SQLite on disk,
//! `blobs/ab/abcdef…`; with PostgreSQL in the database (`db/files.rs`), so that any number of
//! centrals share them and a central's own disk holds only uploads in progress.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::db::{Backend, Db, DbError, FileRef};

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("reading the upload: {0}")]
    Multipart(#[from] axum::extract::multipart::MultipartError),
    #[error("storing the upload: {0}")]
    Io(#[from] std::io::Error),
    #[error("storing the upload: {0}")]
    Db(#[from] DbError),
}

#[derive(Clone)]
pub struct Blobs {
    tmp: PathBuf,
    store: Store,
}

#[derive(Clone)]
enum Store {
    Disk(PathBuf),
    Database(Db),
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

/// A stored file as a file on this machine, for what needs one (reading a zip): the stored file
/// itself on disk, or a temporary copy of the database's, removed when this is dropped.
pub struct LocalFile {
    path: PathBuf,
    _copy: Option<TmpGuard>,
}

impl LocalFile {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Blobs {
    /// The store beside `db`: the database itself when it is PostgreSQL, else `data/blobs`.
    pub fn open(data: &Path, db: &Db) -> std::io::Result<Blobs> {
        let tmp = data.join("tmp");
        std::fs::create_dir_all(&tmp)?;
        // Leftovers of uploads cut short by a crash.
        for e in std::fs::read_dir(&tmp)?.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
        let store = match db.backend() {
            Backend::Postgres => Store::Database(db.clone()),
            Backend::Sqlite => {
                let root = data.join("blobs");
                std::fs::create_dir_all(&root)?;
                Store::Disk(root)
            }
        };
        Ok(Blobs { tmp, store })
    }

    /// Removes stored files no attachment names (a bundle stored for a request then refused)
    /// once older than `min_age`; run at start and then every `limits.orphan_sweep_secs`
    /// ([`spawn_sweeper`]). Returns how many.
    pub async fn collect_garbage(
        &self,
        db: &Db,
        min_age: std::time::Duration,
    ) -> Result<u64, UploadError> {
        match &self.store {
            Store::Database(db) => {
                let before = time::OffsetDateTime::now_utc() - min_age;
                let before = before
                    .replace_nanosecond(0)
                    .expect("0 is a valid nanosecond")
                    .format(&time::format_description::well_known::Rfc3339)
                    .expect("UTC formats");
                Ok(db.remove_unreferenced_files(&before).await?)
            }
            Store::Disk(root) => {
                let referenced = db.referenced_blobs().await?;
                let root = root.clone();
                tokio::task::spawn_blocking(move || collect_on_disk(&root, &referenced, min_age))
                    .await
                    .map_err(|e| std::io::Error::other(e.to_string()))?
                    .map_err(UploadError::Io)
            }
        }
    }

    fn disk_path(root: &Path, sha256: &str) -> PathBuf {
        root.join(&sha256[..2]).join(sha256)
    }

    /// Where the file is on disk (SQLite mode); `None` when files live in the database.
    pub fn path(&self, sha256: &str) -> Option<PathBuf> {
        match &self.store {
            Store::Disk(root) => Some(Self::disk_path(root, sha256)),
            Store::Database(_) => None,
        }
    }

    /// Streams a multipart field to the store; fails with `TooLarge` past `limit` bytes.
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
        drop(file);
        let sha256 = hex::encode(hasher.finalize());
        match &self.store {
            Store::Database(db) => {
                // The database's commit makes it durable; the guard removes the upload.
                db.store_file(&sha256, size, &tmp_path).await?;
            }
            Store::Disk(root) => {
                tokio::fs::File::open(&tmp_path).await?.sync_all().await?;
                let dest = Self::disk_path(root, &sha256);
                if tokio::fs::try_exists(&dest).await? {
                    // Same content already stored; the guard removes the copy. The stored file is
                    // made young again, so the sweep does not take it before this request's row
                    // names it.
                    if let Ok(f) = std::fs::File::options().write(true).open(&dest) {
                        let _ = f.set_modified(std::time::SystemTime::now());
                    }
                } else {
                    tokio::fs::create_dir_all(dest.parent().expect("has a parent")).await?;
                    tokio::fs::rename(&tmp_path, &dest).await?;
                }
            }
        }
        drop(guard);
        Ok(FileRef { name, sha256, size })
    }

    /// The stored file's first bytes are a zip's.
    pub async fn is_zip(&self, sha256: &str) -> bool {
        let magic = match &self.store {
            Store::Disk(root) => {
                use tokio::io::AsyncReadExt;
                let mut magic = [0u8; 4];
                let Ok(mut f) = tokio::fs::File::open(Self::disk_path(root, sha256)).await else {
                    return false;
                };
                if f.read_exact(&mut magic).await.is_err() {
                    return false;
                }
                magic.to_vec()
            }
            Store::Database(db) => match db.stored_file_chunk(sha256, 0).await {
                Ok(Some(mut chunk)) => {
                    chunk.truncate(4);
                    chunk
                }
                _ => return false,
            },
        };
        magic == b"PK\x03\x04" || magic == b"PK\x05\x06"
    }

    /// The stored file as a file on this machine; `NotFound` when it is not stored.
    pub async fn local(&self, sha256: &str) -> std::io::Result<LocalFile> {
        match &self.store {
            Store::Disk(root) => {
                let path = Self::disk_path(root, sha256);
                tokio::fs::metadata(&path).await?;
                Ok(LocalFile { path, _copy: None })
            }
            Store::Database(db) => {
                let path = self.tmp.join(crate::secret::new_access_key());
                let guard = TmpGuard(Some(path.clone()));
                let mut file = tokio::fs::File::create(&path).await?;
                let mut seq = 0;
                loop {
                    match db.stored_file_chunk(sha256, seq).await {
                        Ok(Some(chunk)) => file.write_all(&chunk).await?,
                        Ok(None) if seq > 0 => break,
                        Ok(None) => return Err(std::io::ErrorKind::NotFound.into()),
                        Err(e) => return Err(std::io::Error::other(e.to_string())),
                    }
                    seq += 1;
                }
                file.flush().await?;
                Ok(LocalFile {
                    path,
                    _copy: Some(guard),
                })
            }
        }
    }

    /// The stored file's size and its content as a streamed body (memory holds a chunk at a
    /// time); `None` when it is not stored.
    pub async fn stream(&self, sha256: &str) -> std::io::Result<Option<(u64, Body)>> {
        match &self.store {
            Store::Disk(root) => {
                let file = match tokio::fs::File::open(Self::disk_path(root, sha256)).await {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(e),
                };
                let len = file.metadata().await?.len();
                let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
                Ok(Some((len, body)))
            }
            Store::Database(db) => {
                let Some(size) = db
                    .stored_file_size(sha256)
                    .await
                    .map_err(|e| std::io::Error::other(e.to_string()))?
                else {
                    return Ok(None);
                };
                // A task writes the chunks into a pipe the body reads: one chunk in memory.
                let (mut tx, rx) = tokio::io::duplex(64 * 1024);
                let (db, sha256) = (db.clone(), sha256.to_owned());
                tokio::spawn(async move {
                    let mut seq = 0;
                    while let Ok(Some(chunk)) = db.stored_file_chunk(&sha256, seq).await {
                        if tx.write_all(&chunk).await.is_err() {
                            return;
                        }
                        seq += 1;
                    }
                });
                let body = Body::from_stream(tokio_util::io::ReaderStream::new(rx));
                Ok(Some((size, body)))
            }
        }
    }

    /// The stored file's whole content (tests and small files).
    pub async fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.local(sha256).await?.path()).await
    }

    /// Whether the file is stored.
    pub async fn exists(&self, sha256: &str) -> bool {
        match &self.store {
            Store::Disk(root) => tokio::fs::try_exists(Self::disk_path(root, sha256))
                .await
                .unwrap_or(false),
            Store::Database(db) => matches!(db.stored_file_size(sha256).await, Ok(Some(_))),
        }
    }
}

fn collect_on_disk(
    root: &Path,
    referenced: &std::collections::HashSet<String>,
    min_age: std::time::Duration,
) -> std::io::Result<u64> {
    let mut removed = 0;
    for dir in std::fs::read_dir(root)?.flatten() {
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
            match state
                .blobs
                .collect_garbage(&state.db, crate::api::ORPHAN_AGE)
                .await
            {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "unreferenced stored files removed"),
                Err(e) => tracing::warn!(error = %e, "sweeping the stored files"),
            }
        }
    }))
}
