//! The vendor's admin commands. They open the same database as the server (SQLite in WAL mode,
//! with a busy timeout), so they work while it runs.

use std::fmt::Write;

use crate::db::{Db, Queue, Status};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("no ticket with reference or number `{0}`")]
    NoTicket(String),
    #[error("no installation {0}, or its token was revoked already")]
    NoInstallation(i64),
    #[error("no enrolment code `{0}` in force")]
    NoCode(String),
    #[error("{0}")]
    Invalid(String),
}

pub async fn enrol_code(db: &Db, company: &str, days: u32) -> Result<String, AdminError> {
    let company = company.trim();
    if company.is_empty() {
        return Err(AdminError::Invalid("--company must not be empty".into()));
    }
    Ok(db.create_enrolment_code(company, days).await?)
}

/// Tickets as a table, newest first.
pub async fn tickets(db: &Db, status: Option<Status>) -> Result<String, AdminError> {
    let list = db.tickets(None, status).await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<13} {:<15} {:<9} {:<20} {:<20} {:<16} SUMMARY",
        "NUMBER", "REFERENCE", "STATUS", "CREATED", "COMPANY", "TOPIC"
    );
    for t in list {
        let _ = writeln!(
            out,
            "{:<13} {:<15} {:<9} {:<20} {:<20} {:<16} {}",
            t.number.as_deref().unwrap_or("-"),
            t.reference,
            t.status,
            t.created_at,
            t.company,
            t.topic,
            t.summary
        );
    }
    let problems = db.forward_problems().await?;
    if !problems.is_empty() {
        let _ = writeln!(out, "\nForwarding to osTicket:");
        for p in problems {
            let state = match (p.done, p.error_kind.as_deref()) {
                (true, _) => "forwarded".to_owned(),
                (false, None) => "waiting".to_owned(),
                (false, Some("config")) => "waiting: CONFIGURATION ERROR".to_owned(),
                (false, Some(kind)) => format!("waiting: {kind}"),
            };
            let _ = write!(
                out,
                "{:<15} {state}, {} attempt(s)",
                p.reference, p.attempts
            );
            if p.in_doubt {
                let _ = write!(
                    out,
                    "; POSSIBLY TWICE in osTicket (a JSON create's answer was lost)"
                );
            }
            if let (false, Some(e)) = (p.done, &p.last_error) {
                let _ = write!(out, "; last error: {e}");
            }
            let _ = writeln!(out);
        }
    }
    Ok(out)
}

pub async fn installations(db: &Db) -> Result<String, AdminError> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6} {:<24} {:<24} {:<20} REVOKED",
        "ID", "COMPANY", "MACHINE", "ENROLLED"
    );
    for i in db.installations().await? {
        let _ = writeln!(
            out,
            "{:<6} {:<24} {:<24} {:<20} {}",
            i.id,
            i.company,
            i.machine,
            i.created_at,
            i.revoked_at.as_deref().unwrap_or("-")
        );
    }
    Ok(out)
}

/// Adds the vendor's reply; with `notify`, the customer is e-mailed (by the server's mailer).
pub async fn reply(db: &Db, ticket: &str, message: &str, notify: bool) -> Result<(), AdminError> {
    let t = db
        .ticket(ticket, None)
        .await?
        .ok_or_else(|| AdminError::NoTicket(ticket.to_owned()))?;
    if message.trim().is_empty() {
        return Err(AdminError::Invalid("the reply must not be empty".into()));
    }
    // Forwarding, the vendor answers in osTicket; what is added here stays on central.
    let queue = Queue {
        mail: notify,
        osticket: false,
    };
    db.add_message(t.id, "staff", message.trim(), None, &[], queue)
        .await?;
    Ok(())
}

pub async fn status(db: &Db, ticket: &str, status: Status) -> Result<(), AdminError> {
    let t = db
        .ticket(ticket, None)
        .await?
        .ok_or_else(|| AdminError::NoTicket(ticket.to_owned()))?;
    db.set_status(t.id, status).await?;
    Ok(())
}

pub async fn revoke_installation(db: &Db, id: i64) -> Result<(), AdminError> {
    if db.revoke_installation(id).await? {
        Ok(())
    } else {
        Err(AdminError::NoInstallation(id))
    }
}

pub async fn revoke_code(db: &Db, code: &str) -> Result<(), AdminError> {
    if db.revoke_code(code).await? {
        Ok(())
    } else {
        Err(AdminError::NoCode(code.to_owned()))
    }
}
