//! What the Chamado plugin for osTicket tells of a forwarded ticket (migration 0009): each
//! analyst reply once (by osTicket's entry id), the status, the plugin's events already taken, and
//! the fallback poll's schedule with its lease. Portable SQL.

use super::{claim_token, detached, in_secs, now, skip_locked, Db, DbError, Status};
use sqlx::Row;

/// An analyst's reply as the plugin reads it from osTicket's thread.
#[derive(Debug, Clone)]
pub struct Reply {
    /// osTicket's thread entry id: the reply's key.
    pub entry_id: i64,
    /// The reply as plain text.
    pub text: String,
}

/// A ticket due to be read back from the plugin.
#[derive(Debug, Clone)]
pub struct Polled {
    pub ticket_id: i64,
    pub reference: String,
    /// Closed on central when claimed (polled less often).
    pub closed: bool,
}

/// How long after its last change a closed ticket is still read back (osTicket may reopen it: an
/// analyst, or the customer's message; a lost event would leave it closed on central).
pub const CLOSED_POLLED_DAYS: i64 = 7;

/// How long the plugin's event ids are kept (it sends an event again only shortly after).
const EVENT_DAYS: i64 = 30;

impl Db {
    /// Records one of the plugin's events; `false` when it was taken before.
    pub async fn osticket_event_taken(&self, event_id: i64) -> Result<bool, DbError> {
        let old = (time::OffsetDateTime::now_utc() - time::Duration::days(EVENT_DAYS))
            .format(&time::format_description::well_known::Rfc3339)
            .expect("UTC formats");
        sqlx::query("DELETE FROM osticket_events WHERE received_at < $1")
            .bind(old)
            .execute(&self.write)
            .await?;
        let n = sqlx::query(
            "INSERT INTO osticket_events (event_id, received_at) VALUES ($1, $2) \
             ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(now())
        .execute(&self.write)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Brings a ticket up to date with osTicket, in one transaction: each reply not stored yet
    /// becomes a thread message by `staff` (never queued to osTicket, nor e-mailed), and the
    /// status becomes `status`, unless one of the customer's messages is still on its way to
    /// osTicket (osTicket's status does not know it yet). How many replies were new.
    pub async fn osticket_apply(
        &self,
        ticket_id: i64,
        replies: Vec<Reply>,
        status: Status,
    ) -> Result<usize, DbError> {
        let db = self.clone();
        detached(async move {
            let at = now();
            let mut tx = db.begin_write(&format!("osticket {ticket_id}")).await?;
            let mut added = 0;
            for r in replies {
                let known: Option<i64> =
                    sqlx::query_scalar("SELECT ticket_id FROM osticket_entries WHERE entry_id = $1")
                        .bind(r.entry_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if known.is_some() {
                    continue;
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO messages (ticket_id, author, body, idempotency_key, created_at) \
                     VALUES ($1, 'staff', $2, NULL, $3) RETURNING id",
                )
                .bind(ticket_id)
                .bind(&r.text)
                .bind(&at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO osticket_entries (entry_id, ticket_id, message_id) VALUES ($1, $2, $3)",
                )
                .bind(r.entry_id)
                .bind(ticket_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                added += 1;
            }
            sqlx::query(
                "UPDATE tickets SET status = $1, updated_at = $2 WHERE id = $3 \
                 AND (status <> $1 OR $4) AND NOT EXISTS (SELECT 1 FROM forwards f \
                 WHERE f.ticket_id = $3 AND f.done_at IS NULL AND f.failed_at IS NULL)",
            )
            .bind(status.as_str())
            .bind(&at)
            .bind(ticket_id)
            .bind(added > 0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(added)
        })
        .await
    }

    /// Claims up to `limit` tickets due to be read back from the plugin, for `lease_secs`: in
    /// osTicket (numbered), open or closed less than [`CLOSED_POLLED_DAYS`] ago (osTicket may
    /// reopen it), their time come, and none another central holds. Each with its status.
    pub async fn claim_polls(
        &self,
        owner: &str,
        lease_secs: i64,
        limit: i64,
    ) -> Result<Vec<Polled>, DbError> {
        let token = claim_token(owner);
        let at = now();
        sqlx::query(&format!(
            "UPDATE tickets SET poll_lease_until = $1, poll_lease_owner = $2 WHERE id IN (\
             SELECT t.id FROM tickets t WHERE (t.status <> 'closed' OR t.updated_at > $5) \
             AND t.number IS NOT NULL \
             AND (t.osticket_poll_at IS NULL OR t.osticket_poll_at <= $3) \
             AND (t.poll_lease_until IS NULL OR t.poll_lease_until <= $3) \
             ORDER BY t.id LIMIT $4{})",
            skip_locked(self.backend)
        ))
        .bind(in_secs(lease_secs))
        .bind(&token)
        .bind(&at)
        .bind(limit)
        .bind(in_secs(-CLOSED_POLLED_DAYS * 86_400))
        .execute(&self.write)
        .await?;
        let rows = sqlx::query(
            "SELECT id, reference, status FROM tickets WHERE poll_lease_owner = $1 ORDER BY id",
        )
        .bind(&token)
        .fetch_all(&self.write)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Polled {
                ticket_id: r.get(0),
                reference: r.get(1),
                closed: r.get::<String, _>(2) == "closed",
            })
            .collect())
    }

    /// A ticket was read back (or tried): next time in `next_in_secs`, its lease freed.
    pub async fn polled(&self, ticket_id: i64, next_in_secs: i64) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE tickets SET osticket_poll_at = $1, poll_lease_until = NULL, \
             poll_lease_owner = NULL WHERE id = $2",
        )
        .bind(in_secs(next_in_secs))
        .bind(ticket_id)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
