//! Uploaded files kept in the database (PostgreSQL mode, see `crate::blobs`): one row per file
//! and its content in chunks, written and read one chunk at a time so memory never holds a file.
//! Also the secrets every central on the database shares.

use std::path::Path;

use tokio::io::AsyncReadExt;

use super::{detached, now, Db, DbError};

/// Bytes per stored chunk: big enough that a 100 MiB bundle is 400 rows, small enough that a
/// few concurrent readers and writers hold little memory.
pub const CHUNK: usize = 256 * 1024;

impl Db {
    /// Stores the file at `path` (`size` bytes, named by its SHA-256) unless already stored;
    /// returns whether it was new. Two centrals storing the same content run one after the other
    /// (the write lock is scoped to the digest), so the second finds the first's.
    pub async fn store_file(&self, sha256: &str, size: u64, path: &Path) -> Result<bool, DbError> {
        let db = self.clone();
        let sha256 = sha256.to_owned();
        let path = path.to_owned();
        detached(async move {
            let mut tx = db.begin_write(&format!("file {sha256}")).await?;
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT size FROM stored_files WHERE sha256 = $1")
                    .bind(&sha256)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() {
                // Made young again, so the sweep does not take it before this request's row
                // names it.
                sqlx::query("UPDATE stored_files SET created_at = $1 WHERE sha256 = $2")
                    .bind(now())
                    .bind(&sha256)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                return Ok(false);
            }
            sqlx::query("INSERT INTO stored_files (sha256, size, created_at) VALUES ($1, $2, $3)")
                .bind(&sha256)
                .bind(size as i64)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            let mut file = tokio::fs::File::open(&path)
                .await
                .map_err(|e| DbError::Task(format!("reading the upload: {e}")))?;
            let mut seq: i64 = 0;
            loop {
                let mut chunk = Vec::with_capacity(CHUNK);
                (&mut file)
                    .take(CHUNK as u64)
                    .read_to_end(&mut chunk)
                    .await
                    .map_err(|e| DbError::Task(format!("reading the upload: {e}")))?;
                if chunk.is_empty() && seq > 0 {
                    break;
                }
                let last = chunk.len() < CHUNK;
                sqlx::query(
                    "INSERT INTO stored_file_chunks (sha256, seq, data) VALUES ($1, $2, $3)",
                )
                .bind(&sha256)
                .bind(seq)
                .bind(chunk)
                .execute(&mut *tx)
                .await?;
                seq += 1;
                if last {
                    break;
                }
            }
            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// A stored file's size, `None` when it is not stored.
    pub async fn stored_file_size(&self, sha256: &str) -> Result<Option<u64>, DbError> {
        let size: Option<i64> =
            sqlx::query_scalar("SELECT size FROM stored_files WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(&self.read)
                .await?;
        Ok(size.map(|s| s as u64))
    }

    /// Chunk `seq` of a stored file; `None` past its end.
    pub async fn stored_file_chunk(
        &self,
        sha256: &str,
        seq: i64,
    ) -> Result<Option<Vec<u8>>, DbError> {
        Ok(
            sqlx::query_scalar(
                "SELECT data FROM stored_file_chunks WHERE sha256 = $1 AND seq = $2",
            )
            .bind(sha256)
            .bind(seq)
            .fetch_optional(&self.read)
            .await?,
        )
    }

    /// Removes stored files no attachment names that were stored by `before` (RFC 3339);
    /// returns how many.
    pub async fn remove_unreferenced_files(&self, before: &str) -> Result<u64, DbError> {
        let done = sqlx::query(
            "DELETE FROM stored_files WHERE created_at <= $1 \
             AND sha256 NOT IN (SELECT sha256 FROM attachments)",
        )
        .bind(before)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected())
    }

    /// The secret named `name` every central on this database shares; the first to ask stores
    /// `fresh`, the others read it.
    pub async fn shared_secret(&self, name: &str, fresh: &str) -> Result<String, DbError> {
        let mut tx = self.begin_write(&format!("secret {name}")).await?;
        let found: Option<String> =
            sqlx::query_scalar("SELECT value FROM shared_secrets WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let value = match found {
            Some(v) => v,
            None => {
                sqlx::query("INSERT INTO shared_secrets (name, value) VALUES ($1, $2)")
                    .bind(name)
                    .bind(fresh)
                    .execute(&mut *tx)
                    .await?;
                fresh.to_owned()
            }
        };
        tx.commit().await?;
        Ok(value)
    }
}
