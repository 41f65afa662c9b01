//! Storage: SQLite in WAL mode through sqlx, migrations embedded in the binary.
//!
//! One writer connection per process (writers queue on the pool, not on SQLite's busy handler,
//! which sleeps) and a few readers. Other processes (the admin commands) write through SQLite's
//! busy timeout. Every write transaction starts with `BEGIN IMMEDIATE`, so it holds the write
//! lock from its first statement: a check-then-insert (idempotency) cannot interleave with another.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::secret;

mod forwarding;
pub use forwarding::{Forward, ForwardState};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database task stopped: {0}")]
    Task(String),
}

/// Runs a write transaction on its own task, so that a client going away mid-request (its
/// handler dropped) cannot leave a transaction open on a pooled connection: the transaction
/// commits or rolls back either way, and a retry finds its outcome.
async fn detached<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T, DbError>> + Send + 'static,
) -> Result<T, DbError> {
    tokio::spawn(work)
        .await
        .unwrap_or_else(|e| Err(DbError::Task(e.to_string())))
}

fn migrator() -> Migrator {
    let m = |version, description: &'static str, sql: &'static str| {
        Migration::new(
            version,
            description.into(),
            MigrationType::Simple,
            sql.into(),
            false,
        )
    };
    Migrator {
        migrations: Cow::Owned(vec![
            m(1, "init", include_str!("../migrations/0001_init.sql")),
            m(2, "outbox", include_str!("../migrations/0002_outbox.sql")),
            m(
                3,
                "forwarding",
                include_str!("../migrations/0003_forwarding.sql"),
            ),
        ]),
        ..Migrator::DEFAULT
    }
}

/// Now, as stored.
pub fn now() -> String {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond")
        .format(&Rfc3339)
        .expect("UTC formats")
}

fn in_days(days: u32) -> String {
    (OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("valid")
        + time::Duration::days(days.into()))
    .format(&Rfc3339)
    .expect("UTC formats")
}

/// Now plus `secs`, as stored.
fn in_secs(secs: i64) -> String {
    (OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("valid")
        + time::Duration::seconds(secs))
    .format(&Rfc3339)
    .expect("UTC formats")
}

/// Ticket status. `Open`: waiting for the vendor; `Answered`: the vendor replied; `Closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Answered,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "open" => Ok(Status::Open),
            "answered" => Ok(Status::Answered),
            "closed" => Ok(Status::Closed),
            _ => Err(format!("`{s}` is not a status (open, answered, closed)")),
        }
    }
}

#[derive(Clone)]
pub struct Db {
    write: SqlitePool,
    read: SqlitePool,
}

/// An installation a token was issued to.
#[derive(Debug, Clone, Serialize)]
pub struct Installation {
    pub id: i64,
    pub company: String,
    pub machine: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A ticket as received, validated.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub topic: String,
    pub summary: String,
    pub description: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub module: Option<String>,
    /// JSON object text.
    pub fields: String,
}

/// A file stored on disk by content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRef {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TicketSummary {
    #[serde(skip)]
    pub id: i64,
    pub reference: String,
    pub number: Option<String>,
    pub status: String,
    pub topic: String,
    pub summary: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub access_key: String,
    #[serde(skip)]
    pub installation_id: i64,
    #[serde(skip)]
    pub company: String,
    #[serde(skip)]
    pub contact_email: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub attachments: Vec<AttachmentInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentInfo {
    pub kind: String,
    pub name: String,
    pub size: i64,
    #[serde(skip)]
    pub sha256: String,
}

/// What a new ticket or message sets going, queued in the same transaction.
#[derive(Debug, Clone, Copy, Default)]
pub struct Queue {
    /// An e-mail to the customer (standalone mode with `[smtp]`).
    pub mail: bool,
    /// Forwarding to osTicket (with `[osticket]`); a new ticket then waits for osTicket's number.
    pub osticket: bool,
}

/// What an intake produced: the ticket, and whether it existed already (a retried request).
#[derive(Debug, Clone)]
pub enum Intake {
    Created(TicketSummary),
    Existing(TicketSummary),
    /// The key was used before for a different request.
    KeyReused,
}

/// The number a standalone central gives a ticket: year and sequence, e.g. `2026-000042`.
pub fn standalone_number(created_at: &str, id: i64) -> String {
    format!("{}-{id:06}", &created_at[..4])
}

const SUMMARY_COLUMNS: &str = "t.id, t.reference, t.number, t.status, t.topic, t.summary, \
     t.created_at, t.updated_at, t.access_key, t.installation_id, i.company, t.contact_email";

fn summary_from(row: &sqlx::sqlite::SqliteRow) -> TicketSummary {
    TicketSummary {
        id: row.get(0),
        reference: row.get(1),
        number: row.get(2),
        status: row.get(3),
        topic: row.get(4),
        summary: row.get(5),
        created_at: row.get(6),
        updated_at: row.get(7),
        access_key: row.get(8),
        installation_id: row.get(9),
        company: row.get(10),
        contact_email: row.get(11),
    }
}

impl Db {
    /// Opens (creating it if needed) and migrates the database at `url` (`sqlite://PATH`).
    pub async fn open(url: &str) -> Result<Db, DbError> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Durable across a crash of the process; a power cut may lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await?;
        migrator().run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts.read_only(true))
            .await?;
        Ok(Db { write, read })
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    // Enrolment

    /// A new enrolment code for `company`, valid for `days`. Only its digest is kept.
    pub async fn create_enrolment_code(&self, company: &str, days: u32) -> Result<String, DbError> {
        let code = secret::new_code();
        sqlx::query(
            "INSERT INTO enrolment_codes (code_hash, company, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(secret::digest(&secret::normalize_code(&code)))
        .bind(company)
        .bind(now())
        .bind(in_days(days))
        .execute(&self.write)
        .await?;
        Ok(code)
    }

    /// Exchanges a code for a new installation token; `None` when the code is unknown, expired
    /// or revoked.
    pub async fn enrol(&self, code: &str, machine: &str) -> Result<Option<String>, DbError> {
        let (db, code, machine) = (self.clone(), code.to_owned(), machine.to_owned());
        detached(async move { db.enrol_now(&code, &machine).await }).await
    }

    async fn enrol_now(&self, code: &str, machine: &str) -> Result<Option<String>, DbError> {
        let hash = secret::digest(&secret::normalize_code(code));
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query(
            "SELECT id, company FROM enrolment_codes WHERE code_hash = ? AND revoked_at IS NULL AND expires_at > ?",
        )
        .bind(&hash)
        .bind(now())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (code_id, company): (i64, String) = (row.get(0), row.get(1));
        let token = secret::new_token();
        sqlx::query(
            "INSERT INTO installations (token_hash, company, machine, code_id, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(secret::digest(&token))
        .bind(&company)
        .bind(machine)
        .bind(code_id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(token))
    }

    /// The installation a token belongs to, unless revoked.
    pub async fn installation_by_token(
        &self,
        token: &str,
    ) -> Result<Option<Installation>, DbError> {
        let row = sqlx::query(
            "SELECT id, company, machine, created_at, revoked_at FROM installations WHERE token_hash = ? AND revoked_at IS NULL",
        )
        .bind(secret::digest(token))
        .fetch_optional(&self.read)
        .await?;
        Ok(row.map(|r| Installation {
            id: r.get(0),
            company: r.get(1),
            machine: r.get(2),
            created_at: r.get(3),
            revoked_at: r.get(4),
        }))
    }

    pub async fn installations(&self) -> Result<Vec<Installation>, DbError> {
        let rows = sqlx::query(
            "SELECT id, company, machine, created_at, revoked_at FROM installations ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Installation {
                id: r.get(0),
                company: r.get(1),
                machine: r.get(2),
                created_at: r.get(3),
                revoked_at: r.get(4),
            })
            .collect())
    }

    /// Revokes an installation's token; false when there is no such installation or it was
    /// revoked already.
    pub async fn revoke_installation(&self, id: i64) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE installations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Revokes an enrolment code (installations already enrolled keep their tokens).
    pub async fn revoke_code(&self, code: &str) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE enrolment_codes SET revoked_at = ? WHERE code_hash = ? AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(secret::digest(&secret::normalize_code(code)))
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    // Tickets

    /// Takes a ticket exactly once per (installation, idempotency key): a retry, however timed,
    /// finds the ticket the first request made.
    pub async fn take_ticket(
        &self,
        installation: i64,
        key: &str,
        request_hash: &str,
        ticket: &NewTicket,
        bundle: Option<&FileRef>,
        queue: Queue,
    ) -> Result<Intake, DbError> {
        let db = self.clone();
        let (key, hash) = (key.to_owned(), request_hash.to_owned());
        let (ticket, bundle) = (ticket.clone(), bundle.cloned());
        detached(async move {
            db.take_ticket_now(installation, &key, &hash, &ticket, bundle.as_ref(), queue)
                .await
        })
        .await
    }

    async fn take_ticket_now(
        &self,
        installation: i64,
        key: &str,
        request_hash: &str,
        ticket: &NewTicket,
        bundle: Option<&FileRef>,
        queue: Queue,
    ) -> Result<Intake, DbError> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let found = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, t.request_hash FROM tickets t JOIN installations i ON i.id = t.installation_id \
             WHERE t.installation_id = ? AND t.idempotency_key = ?"
        ))
        .bind(installation)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = found {
            let hash: String = row.get(12);
            return Ok(if hash == request_hash {
                Intake::Existing(summary_from(&row))
            } else {
                Intake::KeyReused
            });
        }
        let created_at = now();
        let reference = secret::new_reference();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tickets (reference, installation_id, idempotency_key, request_hash, access_key, status, \
             topic, summary, contact_name, contact_email, contact_phone, module, fields, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&reference)
        .bind(installation)
        .bind(key)
        .bind(request_hash)
        .bind(secret::new_access_key())
        .bind(&ticket.topic)
        .bind(&ticket.summary)
        .bind(&ticket.contact_name)
        .bind(&ticket.contact_email)
        .bind(&ticket.contact_phone)
        .bind(&ticket.module)
        .bind(&ticket.fields)
        .bind(&created_at)
        .bind(&created_at)
        .fetch_one(&mut *tx)
        .await?;
        // Forwarded, osTicket gives the number (`forward_done`); standalone, central does.
        if !queue.osticket {
            sqlx::query("UPDATE tickets SET number = ? WHERE id = ?")
                .bind(standalone_number(&created_at, id))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let message_id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (ticket_id, author, body, created_at) VALUES (?, 'customer', ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(&ticket.description)
        .bind(&created_at)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(b) = bundle {
            insert_attachment(&mut tx, message_id, "bundle", b).await?;
        }
        if queue.mail {
            insert_outbox(&mut tx, id, None, "confirmation").await?;
        }
        if queue.osticket {
            insert_forward(&mut tx, message_id, id, "create").await?;
        }
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM tickets t JOIN installations i ON i.id = t.installation_id WHERE t.id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Intake::Created(summary_from(&row)))
    }

    /// Tickets, newest first: one installation's, or all (`None`), optionally of one status.
    pub async fn tickets(
        &self,
        installation: Option<i64>,
        status: Option<Status>,
    ) -> Result<Vec<TicketSummary>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM tickets t JOIN installations i ON i.id = t.installation_id \
             WHERE (?1 IS NULL OR t.installation_id = ?1) AND (?2 IS NULL OR t.status = ?2) ORDER BY t.id DESC LIMIT 500"
        ))
        .bind(installation)
        .bind(status.map(Status::as_str))
        .fetch_all(&self.read)
        .await?;
        Ok(rows.iter().map(summary_from).collect())
    }

    /// A ticket by reference or number; with `installation`, only that installation's.
    pub async fn ticket(
        &self,
        reference_or_number: &str,
        installation: Option<i64>,
    ) -> Result<Option<TicketSummary>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM tickets t JOIN installations i ON i.id = t.installation_id \
             WHERE (t.reference = ?1 OR t.number = ?1) AND (?2 IS NULL OR t.installation_id = ?2)"
        ))
        .bind(reference_or_number)
        .bind(installation)
        .fetch_optional(&self.read)
        .await?;
        Ok(row.as_ref().map(summary_from))
    }

    /// A ticket's thread, oldest first, with each message's files.
    pub async fn thread(&self, ticket_id: i64) -> Result<Vec<Message>, DbError> {
        let rows = sqlx::query(
            "SELECT m.id, m.author, m.body, m.created_at, a.kind, a.name, a.size, a.sha256 \
             FROM messages m LEFT JOIN attachments a ON a.message_id = m.id \
             WHERE m.ticket_id = ? ORDER BY m.id, a.id",
        )
        .bind(ticket_id)
        .fetch_all(&self.read)
        .await?;
        let mut out: Vec<Message> = Vec::new();
        for r in rows {
            let id: i64 = r.get(0);
            if out.last().map(|m| m.id) != Some(id) {
                out.push(Message {
                    id,
                    author: r.get(1),
                    body: r.get(2),
                    created_at: r.get(3),
                    attachments: Vec::new(),
                });
            }
            let kind: Option<String> = r.get(4);
            if let Some(kind) = kind {
                out.last_mut()
                    .expect("pushed above")
                    .attachments
                    .push(AttachmentInfo {
                        kind,
                        name: r.get(5),
                        size: r.get(6),
                        sha256: r.get(7),
                    });
            }
        }
        Ok(out)
    }

    /// Adds a message to a ticket's thread (author `customer`, `staff` or `technician`). A
    /// customer's or technician's message re-opens an answered ticket; the vendor's marks it
    /// answered. With a key, a retried message is added once (returns the
    /// first one's id).
    pub async fn add_message(
        &self,
        ticket_id: i64,
        author: &str,
        body: &str,
        key: Option<&str>,
        files: &[FileRef],
        queue: Queue,
    ) -> Result<i64, DbError> {
        let db = self.clone();
        let (author, body) = (author.to_owned(), body.to_owned());
        let (key, files) = (key.map(str::to_owned), files.to_vec());
        detached(async move {
            db.add_message_now(ticket_id, &author, &body, key.as_deref(), &files, queue)
                .await
        })
        .await
    }

    async fn add_message_now(
        &self,
        ticket_id: i64,
        author: &str,
        body: &str,
        key: Option<&str>,
        files: &[FileRef],
        queue: Queue,
    ) -> Result<i64, DbError> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(key) = key {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM messages WHERE ticket_id = ? AND idempotency_key = ?",
            )
            .bind(ticket_id)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = found {
                return Ok(id);
            }
        }
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (ticket_id, author, body, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(ticket_id)
        .bind(author)
        .bind(body)
        .bind(key)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        for f in files {
            // What a technician sends is a diagnostics bundle.
            let kind = if author == "technician" {
                "bundle"
            } else {
                "attachment"
            };
            insert_attachment(&mut tx, id, kind, f).await?;
        }
        if queue.mail {
            insert_outbox(&mut tx, ticket_id, Some(id), "reply").await?;
        }
        if queue.osticket {
            insert_forward(&mut tx, id, ticket_id, "follow_up").await?;
        }
        let status = if author == "staff" {
            "answered"
        } else {
            "open"
        };
        sqlx::query(
            "UPDATE tickets SET updated_at = ?, status = CASE WHEN status = 'closed' THEN status ELSE ? END WHERE id = ?",
        )
        .bind(&at)
        .bind(status)
        .bind(ticket_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_status(&self, ticket_id: i64, status: Status) -> Result<(), DbError> {
        sqlx::query("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(now())
            .bind(ticket_id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Every stored file's digest that an attachment names.
    pub async fn referenced_blobs(&self) -> Result<std::collections::HashSet<String>, DbError> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT DISTINCT sha256 FROM attachments")
            .fetch_all(&self.read)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Counts of tickets by status (for /metrics).
    pub async fn status_counts(&self) -> Result<Vec<(String, i64)>, DbError> {
        let rows = sqlx::query("SELECT status, COUNT(*) FROM tickets GROUP BY status")
            .fetch_all(&self.read)
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

/// An e-mail waiting in the outbox, with what it needs.
#[derive(Debug, Clone)]
pub struct Mail {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub reference: String,
    pub number: Option<String>,
    pub access_key: String,
    pub summary: String,
    pub contact_name: String,
    pub contact_email: String,
    /// The vendor's reply, for `reply`.
    pub body: Option<String>,
}

impl Db {
    /// E-mails due now, oldest first.
    pub async fn due_mail(&self, limit: i64) -> Result<Vec<Mail>, DbError> {
        let rows = sqlx::query(
            "SELECT o.id, o.kind, o.attempts, t.reference, t.number, t.access_key, t.summary, \
             t.contact_name, t.contact_email, m.body \
             FROM outbox o JOIN tickets t ON t.id = o.ticket_id LEFT JOIN messages m ON m.id = o.message_id \
             WHERE o.sent_at IS NULL AND o.next_attempt_at <= ? ORDER BY o.id LIMIT ?",
        )
        .bind(now())
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Mail {
                id: r.get(0),
                kind: r.get(1),
                attempts: r.get(2),
                reference: r.get(3),
                number: r.get(4),
                access_key: r.get(5),
                summary: r.get(6),
                contact_name: r.get(7),
                contact_email: r.get(8),
                body: r.get(9),
            })
            .collect())
    }

    pub async fn mail_sent(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?")
            .bind(now())
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Records a failed attempt; the next one waits `retry_in_secs`.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_in_secs: i64,
    ) -> Result<(), DbError> {
        let next = in_secs(retry_in_secs);
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
        )
        .bind(error)
        .bind(next)
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// E-mails not sent yet (for /metrics).
    pub async fn mail_waiting(&self) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
                .fetch_one(&self.read)
                .await?,
        )
    }
}

async fn insert_outbox(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    ticket_id: i64,
    message_id: Option<i64>,
    kind: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO outbox (ticket_id, message_id, kind, next_attempt_at) VALUES (?, ?, ?, ?)",
    )
    .bind(ticket_id)
    .bind(message_id)
    .bind(kind)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_attachment(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    message_id: i64,
    kind: &str,
    f: &FileRef,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO attachments (message_id, kind, name, sha256, size) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(message_id)
    .bind(kind)
    .bind(&f.name)
    .bind(&f.sha256)
    .bind(f.size as i64)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_forward(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    message_id: i64,
    ticket_id: i64,
    kind: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO forwards (message_id, ticket_id, kind, next_attempt_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(message_id)
    .bind(ticket_id)
    .bind(kind)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
