//! Notices, releases and "resolveu" counts (migration 0004). Times are RFC 3339 UTC text of one
//! shape (`now()`'s), so comparing them as text compares the times.

use std::collections::BTreeMap;

use chamado_wire::{Notice, ResolvedHow};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{now, Db, DbError};

fn notice_from(r: &AnyRow) -> Notice {
    Notice {
        id: r.get(0),
        text: r.get(1),
        topic: r.get(2),
        created_at: r.get(3),
        until: r.get(4),
    }
}

const NOTICE_COLUMNS: &str = "id, body, topic, created_at, until";

impl Db {
    /// Publishes a notice (already validated); its id.
    pub async fn add_notice(
        &self,
        text: &str,
        topic: Option<&str>,
        until: Option<&str>,
    ) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO notices (body, topic, created_at, until) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(text)
        .bind(topic)
        .bind(now())
        .bind(until)
        .fetch_one(&self.write)
        .await?)
    }

    /// Every notice, newest first: `current` only those not past their end.
    pub async fn notices(&self, current: bool) -> Result<Vec<Notice>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notices \
             WHERE $1 = 0 OR until IS NULL OR until > $2 ORDER BY id DESC"
        ))
        .bind(i64::from(current))
        .bind(now())
        .fetch_all(&self.read)
        .await?;
        Ok(rows.iter().map(notice_from).collect())
    }

    /// Removes a notice; false when there is none with that id.
    pub async fn remove_notice(&self, id: i64) -> Result<bool, DbError> {
        let done = sqlx::query("DELETE FROM notices WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records the latest version of the vendor's program.
    pub async fn add_release(&self, version: &str) -> Result<(), DbError> {
        sqlx::query("INSERT INTO releases (version, created_at) VALUES ($1, $2)")
            .bind(version)
            .bind(now())
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// The version recorded last.
    pub async fn latest_release(&self) -> Result<Option<String>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT version FROM releases ORDER BY id DESC LIMIT 1")
                .fetch_optional(&self.read)
                .await?,
        )
    }

    /// Counts one "resolveu" for `topic`.
    pub async fn count_resolved(&self, topic: &str, how: ResolvedHow) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO resolved_counts (topic, how, count) VALUES ($1, $2, 1) \
             ON CONFLICT (topic, how) DO UPDATE SET count = resolved_counts.count + 1",
        )
        .bind(topic)
        .bind(how.as_str())
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The counts: topic → how (`guide`, `checks`) → count.
    pub async fn resolved_counts(
        &self,
    ) -> Result<BTreeMap<String, BTreeMap<String, i64>>, DbError> {
        let rows = sqlx::query("SELECT topic, how, count FROM resolved_counts")
            .fetch_all(&self.read)
            .await?;
        let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for r in rows {
            out.entry(r.get(0)).or_default().insert(r.get(1), r.get(2));
        }
        Ok(out)
    }
}
