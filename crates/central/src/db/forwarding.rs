//! The forwarding queue (`forwards`, migration 0003): what the forwarder sends to osTicket, and
//! what it learnt. Portable SQL (numbered placeholders, no SQLite-only functions).

use super::{claim_token, detached, in_secs, now, skip_locked, AttachmentInfo, Db, DbError};
use sqlx::Row;

/// A message due to go to osTicket, with its ticket.
#[derive(Debug, Clone)]
pub struct Forward {
    pub message_id: i64,
    pub ticket_id: i64,
    /// `create` (the ticket's first message) or `follow_up`.
    pub kind: String,
    pub attempts: i64,
    /// A previous attempt was on the wire when central stopped.
    pub interrupted: bool,
    pub in_doubt: bool,
    pub reference: String,
    /// osTicket's number; always set for a follow-up (it waits for the create).
    pub number: Option<String>,
    pub topic: String,
    pub summary: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub module: Option<String>,
    /// JSON object text.
    pub fields: String,
    /// `low`, `normal`, `high` or `urgent`, when the app said.
    pub priority: Option<String>,
    pub company: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub files: Vec<AttachmentInfo>,
}

/// Where a ticket's forwarding stands (admin listing).
#[derive(Debug, Clone)]
pub struct ForwardState {
    pub reference: String,
    pub attempts: i64,
    pub done: bool,
    /// Failed for good (a panic, or an error retrying cannot mend): no more attempts.
    pub failed: bool,
    pub in_doubt: bool,
    pub error_kind: Option<String>,
    pub last_error: Option<String>,
}

impl Db {
    /// Claims up to `limit` messages due to be forwarded for `owner`, for `lease_secs`, oldest
    /// first: none another central holds under an unexpired lease. A ticket's messages go in
    /// order: none is due while an earlier one of the same ticket is not done (so follow-ups
    /// wait for the number).
    pub async fn claim_forwards(
        &self,
        owner: &str,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<Forward>, DbError> {
        let token = claim_token(owner);
        let at = now();
        sqlx::query(&format!(
            "UPDATE forwards SET lease_until = $1, lease_owner = $2 WHERE message_id IN (\
             SELECT f.message_id FROM forwards f WHERE f.done_at IS NULL AND f.failed_at IS NULL \
             AND f.next_attempt_at <= $3 AND (f.lease_until IS NULL OR f.lease_until <= $3) \
             AND NOT EXISTS (SELECT 1 FROM forwards e WHERE e.ticket_id = f.ticket_id \
             AND e.done_at IS NULL AND e.message_id < f.message_id) \
             ORDER BY f.message_id LIMIT $4{})",
            skip_locked(self.backend)
        ))
        .bind(in_secs(lease_secs))
        .bind(&token)
        .bind(&at)
        .bind(limit)
        .execute(&self.write)
        .await?;
        let rows = sqlx::query(
            "SELECT f.message_id, f.ticket_id, f.kind, f.attempts, f.sending_since, f.in_doubt, \
             t.reference, t.number, t.topic, t.summary, t.contact_name, t.contact_email, \
             t.contact_phone, t.module, t.fields, i.company, m.author, m.body, m.created_at, t.priority \
             FROM forwards f JOIN tickets t ON t.id = f.ticket_id \
             JOIN installations i ON i.id = t.installation_id JOIN messages m ON m.id = f.message_id \
             WHERE f.lease_owner = $1 ORDER BY f.message_id",
        )
        .bind(&token)
        .fetch_all(&self.write)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let since: Option<String> = r.get(4);
            let in_doubt: i64 = r.get(5);
            let message_id: i64 = r.get(0);
            let files = sqlx::query(
                "SELECT kind, name, size, sha256 FROM attachments WHERE message_id = $1 ORDER BY id",
            )
            .bind(message_id)
            .fetch_all(&self.write)
            .await?
            .iter()
            .map(|a| AttachmentInfo {
                kind: a.get(0),
                name: a.get(1),
                size: a.get(2),
                sha256: a.get(3),
            })
            .collect();
            out.push(Forward {
                message_id,
                ticket_id: r.get(1),
                kind: r.get(2),
                attempts: r.get(3),
                interrupted: since.is_some(),
                in_doubt: in_doubt != 0,
                reference: r.get(6),
                number: r.get(7),
                topic: r.get(8),
                summary: r.get(9),
                contact_name: r.get(10),
                contact_email: r.get(11),
                contact_phone: r.get(12),
                module: r.get(13),
                fields: r.get(14),
                priority: r.get(19),
                company: r.get(15),
                author: r.get(16),
                body: r.get(17),
                created_at: r.get(18),
                files,
            });
        }
        Ok(out)
    }

    /// At start-up, before `release_leases`: the messages `owner` had on the wire when it
    /// stopped stay held `in_flight_secs` more, as the request may still be running in osTicket
    /// (PHP goes on when the caller is gone), and a second one overlapping it makes a second
    /// ticket (`forward`'s module doc). No owner: `release_leases` leaves them be. How many.
    pub async fn hold_in_flight(&self, owner: &str, in_flight_secs: i64) -> Result<u64, DbError> {
        let held = sqlx::query(
            "UPDATE forwards SET lease_until = $1, lease_owner = NULL \
             WHERE lease_owner LIKE $2 AND sending_since IS NOT NULL",
        )
        // Whole seconds are stored: one more, so the wait is never shorter.
        .bind(in_secs(in_flight_secs + 1))
        .bind(format!("{owner} %"))
        .execute(&self.write)
        .await?
        .rows_affected();
        Ok(held)
    }

    /// How long until the last message `hold_in_flight` holds may go (`None`: none is held):
    /// until then no request goes to osTicket at all, since the one left running there may be
    /// the same customer's (see `forward::run`).
    pub async fn in_flight_wait(&self) -> Result<Option<std::time::Duration>, DbError> {
        let at = now();
        // Held rows are the only ones with a lease and no owner (a claim always names one).
        let until: Option<String> = sqlx::query_scalar(
            "SELECT MAX(lease_until) FROM forwards WHERE lease_owner IS NULL AND lease_until > $1 \
             AND done_at IS NULL",
        )
        .bind(&at)
        .fetch_one(&self.write)
        .await?;
        let parse = |s: &str| {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
        };
        Ok(match (until.as_deref().and_then(parse), parse(&at)) {
            (Some(until), Some(at)) => std::time::Duration::try_from(until - at).ok(),
            _ => None,
        })
    }

    /// Marks a message as on the wire (committed before it is sent, so a central that
    /// restarts knows a request may still be running in osTicket); `in_doubt` when an earlier
    /// attempt of a JSON create had an unknown outcome, so this one may make a second ticket.
    pub async fn forward_sending(&self, message_id: i64, in_doubt: bool) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE forwards SET sending_since = $1, in_doubt = CASE WHEN $2 THEN 1 ELSE in_doubt END \
             WHERE message_id = $3",
        )
        .bind(now())
        .bind(in_doubt)
        .bind(message_id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Records osTicket's answer: the message is delivered and, for a create, the ticket gets
    /// its number. One transaction, so the number is stored exactly when the row is done.
    pub async fn forward_done(
        &self,
        message_id: i64,
        ticket_id: i64,
        number: Option<&str>,
    ) -> Result<(), DbError> {
        let db = self.clone();
        let number = number.map(str::to_owned);
        detached(async move {
            let at = now();
            let mut tx = db.begin_write("forwarding").await?;
            if let Some(n) = &number {
                sqlx::query(
                    "UPDATE tickets SET number = $1, updated_at = $2 WHERE id = $3 AND number IS NULL",
                )
                .bind(n)
                .bind(&at)
                .bind(ticket_id)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE forwards SET done_at = $1, attempts = attempts + 1, sending_since = NULL, \
                 error_kind = NULL, last_error = NULL, lease_until = NULL, lease_owner = NULL \
                 WHERE message_id = $2",
            )
            .bind(&at)
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Records a failed attempt (`kind`: config, rejected, unavailable, central, panic); the next
    /// one waits `retry_in_secs`, or, `None`, the message failed for good (no more attempts).
    /// `in_doubt`: a JSON create went out and its answer was lost.
    pub async fn forward_failed(
        &self,
        message_id: i64,
        kind: &str,
        error: &str,
        retry_in_secs: Option<i64>,
        in_doubt: bool,
    ) -> Result<(), DbError> {
        let (next, failed) = match retry_in_secs {
            Some(s) => (Some(in_secs(s)), None),
            None => (None, Some(now())),
        };
        sqlx::query(
            "UPDATE forwards SET attempts = attempts + 1, error_kind = $1, last_error = $2, \
             next_attempt_at = COALESCE($3, next_attempt_at), failed_at = $4, sending_since = NULL, \
             lease_until = NULL, lease_owner = NULL, \
             in_doubt = CASE WHEN $5 THEN 1 ELSE in_doubt END WHERE message_id = $6",
        )
        .bind(kind)
        .bind(error)
        .bind(next)
        .bind(failed)
        .bind(in_doubt)
        .bind(message_id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Tickets not yet in osTicket, undelivered messages by the last error's kind, the possibly
    /// duplicated and the messages failed for good (for /metrics):
    /// `(waiting, [(kind, n)], in_doubt, failed)`.
    pub async fn forward_counts(&self) -> Result<(i64, Vec<(String, i64)>, i64, i64), DbError> {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM forwards WHERE kind = 'create' AND done_at IS NULL",
        )
        .fetch_one(&self.read)
        .await?;
        let failing = sqlx::query(
            "SELECT error_kind, COUNT(*) FROM forwards WHERE done_at IS NULL AND error_kind IS NOT NULL \
             GROUP BY error_kind ORDER BY error_kind",
        )
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
        let in_doubt: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM forwards WHERE in_doubt = 1")
            .fetch_one(&self.read)
            .await?;
        let failed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM forwards WHERE done_at IS NULL AND failed_at IS NOT NULL",
        )
        .fetch_one(&self.read)
        .await?;
        Ok((waiting, failing, in_doubt, failed))
    }

    /// Tickets whose forwarding is not plainly done (waiting, failing, or possibly duplicated),
    /// newest first.
    pub async fn forward_problems(&self) -> Result<Vec<ForwardState>, DbError> {
        let rows = sqlx::query(
            "SELECT t.reference, f.attempts, f.done_at, f.in_doubt, f.error_kind, f.last_error, f.failed_at \
             FROM forwards f JOIN tickets t ON t.id = f.ticket_id \
             WHERE f.done_at IS NULL OR f.in_doubt = 1 ORDER BY f.message_id DESC LIMIT 500",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let done: Option<String> = r.get(2);
                let in_doubt: i64 = r.get(3);
                let failed: Option<String> = r.get(6);
                ForwardState {
                    failed: failed.is_some(),
                    reference: r.get(0),
                    attempts: r.get(1),
                    done: done.is_some(),
                    in_doubt: in_doubt != 0,
                    error_kind: r.get(4),
                    last_error: r.get(5),
                }
            })
            .collect())
    }
}

impl Db {
    /// The name a stored file was uploaded under (the first attachment naming it).
    pub async fn file_name(&self, sha256: &str) -> Result<Option<String>, DbError> {
        Ok(
            sqlx::query_scalar(
                "SELECT name FROM attachments WHERE sha256 = $1 ORDER BY id LIMIT 1",
            )
            .bind(sha256)
            .fetch_optional(&self.read)
            .await?,
        )
    }
}
