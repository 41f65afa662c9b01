//! The vendor's admin commands. They open the same database as the server (SQLite in WAL mode,
//! with a busy timeout), so they work while it runs.

use std::fmt::Write;

use crate::db::{Db, Queue, Status};

/// A customer's text as a listing prints it: control and invisible characters escaped
/// (`\n`, `\u{1b}`, `\u{202e}`), so a name can neither move the terminal's cursor, colour it,
/// reorder what follows nor break the table's line.
pub fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || chamado_wire::names::is_invisible(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

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
    #[error("no notice {0}")]
    NoNotice(i64),
    #[error("{0}")]
    Invalid(String),
}

/// Most installations one code may enrol.
pub const CODE_USES_MAX: u32 = 100_000;

pub async fn enrol_code(
    db: &Db,
    company: &str,
    days: u32,
    uses: u32,
) -> Result<String, AdminError> {
    let company = company.trim();
    if company.is_empty() {
        return Err(AdminError::Invalid("--company must not be empty".into()));
    }
    if !(1..=CODE_USES_MAX).contains(&uses) {
        return Err(AdminError::Invalid(format!(
            "--uses {uses} is out of range (1 to {CODE_USES_MAX})"
        )));
    }
    if days == 0 {
        return Err(AdminError::Invalid("--days must be at least 1".into()));
    }
    Ok(db.create_enrolment_code_for(company, days, uses).await?)
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
            shown(t.number.as_deref().unwrap_or("-")),
            shown(&t.reference),
            t.status,
            shown(&t.created_at),
            shown(&t.company),
            shown(&t.topic),
            shown(&t.summary)
        );
    }
    let problems = db.forward_problems().await?;
    if !problems.is_empty() {
        let _ = writeln!(out, "\nForwarding to osTicket:");
        for p in problems {
            let state = match (p.done, p.error_kind.as_deref()) {
                (true, _) => "forwarded".to_owned(),
                (false, kind) if p.failed => {
                    format!("FAILED ({}), not retried", kind.unwrap_or("central"))
                }
                (false, None) => "waiting".to_owned(),
                (false, Some("config")) => "waiting: CONFIGURATION ERROR".to_owned(),
                (false, Some(kind)) => format!("waiting: {kind}"),
            };
            let _ = write!(
                out,
                "{:<15} {state}, {} attempt(s)",
                shown(&p.reference),
                p.attempts
            );
            if p.in_doubt {
                let _ = write!(
                    out,
                    "; POSSIBLY TWICE in osTicket (a JSON create's answer was lost)"
                );
            }
            if let (false, Some(e)) = (p.done, &p.last_error) {
                let _ = write!(out, "; last error: {}", shown(e));
            }
            let _ = writeln!(out);
        }
    }
    let mail = db.mail_problems().await?;
    if !mail.is_empty() {
        let _ = writeln!(out, "\nE-mail to customers:");
        for m in mail {
            let state = if m.failed {
                format!(
                    "FAILED ({}), not retried",
                    m.error_kind.as_deref().unwrap_or("central")
                )
            } else {
                format!("waiting: {}", m.error_kind.as_deref().unwrap_or("retry"))
            };
            let _ = write!(
                out,
                "{:<15} {} {state}, {} attempt(s)",
                m.reference, m.kind, m.attempts
            );
            if let Some(e) = &m.last_error {
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
            shown(&i.company),
            shown(&i.machine),
            shown(&i.created_at),
            shown(i.revoked_at.as_deref().unwrap_or("-"))
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

/// Puts a ticket's e-mails and forwards that failed for good back in line (after the cause was
/// mended: a file restored, central upgraded); how many.
pub async fn retry(db: &Db, ticket: &str) -> Result<u64, AdminError> {
    let t = db
        .ticket(ticket, None)
        .await?
        .ok_or_else(|| AdminError::NoTicket(ticket.to_owned()))?;
    Ok(db.retry_failed(t.id).await?)
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

/// Most characters a notice has: a short line on the app's screen, not an article.
pub const NOTICE_MAX_CHARS: usize = 500;

/// Publishes a notice to the apps: `topic` a profile topic's id, `until` an RFC 3339 time in
/// the future (stored in UTC). Answers its id.
pub async fn notice_add(
    db: &Db,
    text: &str,
    topic: Option<&str>,
    until: Option<&str>,
) -> Result<i64, AdminError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AdminError::Invalid("--text must not be empty".into()));
    }
    let chars = text.chars().count();
    if chars > NOTICE_MAX_CHARS {
        return Err(AdminError::Invalid(format!(
            "--text has {chars} characters; a notice has at most {NOTICE_MAX_CHARS}"
        )));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AdminError::Invalid(
            "--text must not contain control characters (tabs, escapes)".into(),
        ));
    }
    let topic = topic.map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = topic {
        if !chamado_wire::is_topic_id(t) {
            return Err(AdminError::Invalid(format!(
                "--topic `{t}` is not a topic id (lower-case letters, digits and `-`, as in the profile: e.g. sem-conexao)"
            )));
        }
    }
    let until = until.map(parse_until).transpose()?;
    Ok(db.add_notice(text, topic, until.as_deref()).await?)
}

/// An end time as stored: RFC 3339 in, UTC out (`2026-12-07T18:00:00Z`), in the future.
fn parse_until(s: &str) -> Result<String, AdminError> {
    use time::format_description::well_known::Rfc3339;
    let t = time::OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|e| {
        AdminError::Invalid(format!(
            "--until `{s}` is not an RFC 3339 time (e.g. 2026-12-07T18:00:00-03:00): {e}"
        ))
    })?;
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond");
    if t <= time::OffsetDateTime::now_utc() {
        return Err(AdminError::Invalid(format!(
            "--until `{s}` is in the past: the notice would never be shown"
        )));
    }
    Ok(t.format(&Rfc3339).expect("UTC formats"))
}

/// Every notice, newest first, with whether it is still shown.
pub async fn notice_list(db: &Db, json: bool) -> Result<String, AdminError> {
    let all = db.notices(false).await?;
    let now = crate::db::now();
    let current = |n: &chamado_wire::Notice| n.until.as_deref().is_none_or(|u| u > now.as_str());
    if json {
        let list: Vec<_> = all
            .iter()
            .map(|n| {
                let mut v = serde_json::to_value(n).expect("a notice serializes");
                v["current"] = current(n).into();
                v
            })
            .collect();
        return Ok(format!("{}\n", serde_json::json!({ "notices": list })));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6} {:<8} {:<16} {:<20} {:<20} TEXT",
        "ID", "STATE", "TOPIC", "CREATED", "UNTIL"
    );
    for n in &all {
        let _ = writeln!(
            out,
            "{:<6} {:<8} {:<16} {:<20} {:<20} {}",
            n.id,
            if current(n) { "shown" } else { "ended" },
            shown(n.topic.as_deref().unwrap_or("(all)")),
            shown(&n.created_at),
            shown(n.until.as_deref().unwrap_or("-")),
            shown(&n.text.replace('\n', " "))
        );
    }
    Ok(out)
}

pub async fn notice_remove(db: &Db, id: i64) -> Result<(), AdminError> {
    if db.remove_notice(id).await? {
        Ok(())
    } else {
        Err(AdminError::NoNotice(id))
    }
}

/// Records the latest version of the vendor's program: digits and dots, as Windows shows a
/// program's version (`8.4.1.120`), optionally with a suffix (`8.5.0-beta`).
pub async fn release(db: &Db, version: &str) -> Result<(), AdminError> {
    let v = version.trim();
    let (numbers, suffix) = v.split_once('-').unwrap_or((v, ""));
    let numbers_ok = !numbers.is_empty()
        && numbers.split('.').count() <= 4
        && numbers
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()));
    let suffix_ok = suffix.len() <= 20
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.');
    if !numbers_ok || !suffix_ok || (v.contains('-') && suffix.is_empty()) {
        return Err(AdminError::Invalid(format!(
            "--version `{version}` is not a version: one to four numbers separated by dots (e.g. 8.4.1 or 8.4.1.120), optionally -suffix"
        )));
    }
    Ok(db.add_release(v).await?)
}

/// The "resolveu" counts per topic (and the latest version recorded).
pub async fn stats(db: &Db, json: bool) -> Result<String, AdminError> {
    let counts = db.resolved_counts().await?;
    let latest = db.latest_release().await?;
    if json {
        return Ok(format!(
            "{}\n",
            serde_json::json!({ "resolved": counts, "latest_version": latest })
        ));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Latest version: {}",
        latest.as_deref().unwrap_or("(none recorded)")
    );
    let _ = writeln!(out, "\nResolved without a ticket, per topic:");
    let _ = writeln!(
        out,
        "{:<24} {:>8} {:>8} {:>8}",
        "TOPIC", "GUIDE", "CHECKS", "TOTAL"
    );
    for (topic, by) in &counts {
        let n = |k: &str| by.get(k).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "{:<24} {:>8} {:>8} {:>8}",
            shown(topic),
            n("guide"),
            n("checks"),
            by.values().sum::<i64>()
        );
    }
    Ok(out)
}
