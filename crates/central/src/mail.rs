//! E-mail to the customer in standalone mode: the confirmation (number and quick-access link) and
//! the vendor's replies, in pt-BR, through SMTP (lettre). Mails are written to the outbox in the
//! same transaction as the ticket or reply they announce; this task sends what is due and
//! retries with a growing delay, so an SMTP server that is down delays mail, never loses it.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::api::Shared;
use crate::config::{Smtp, SmtpTls};
use crate::db::Mail;

/// How often the outbox is looked at when nothing wakes the mailer (the admin commands write to
/// it from another process).
const POLL: Duration = Duration::from_secs(2);

/// Text as it may stand in a header (a name, a subject): control characters (a line break in a
/// contact's name) become spaces, runs of spaces one, and it is cut at 200 characters. lettre
/// panics on some of them, and a line break in a header is a header injection anyway.
pub fn header_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(800));
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if space {
                continue;
            }
            space = true;
        } else {
            space = false;
        }
        out.push(c);
    }
    let trimmed = out.trim();
    if trimmed.chars().count() > 200 {
        let cut: String = trimmed.chars().take(199).collect();
        format!("{cut}…")
    } else {
        trimmed.to_owned()
    }
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Fails only when the TLS setup cannot be built (the configuration checked the CA file).
    pub fn new(smtp: &Smtp) -> Result<Mailer, String> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
            .port(smtp.port)
            .timeout(Some(Duration::from_secs(20)));
        if smtp.tls != SmtpTls::None {
            let mut params = TlsParameters::builder(smtp.host.clone());
            if let Some(pem) = &smtp.ca_pem {
                params = params
                    .add_root_certificate(Certificate::from_pem(pem).map_err(|e| e.to_string())?);
            }
            let params = params.build_rustls().map_err(|e| e.to_string())?;
            builder = builder.tls(match smtp.tls {
                SmtpTls::Tls => Tls::Wrapper(params),
                _ => Tls::Required(params),
            });
        }
        if let Some((user, password)) = &smtp.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: smtp.from.clone(),
        })
    }
}

/// The delay before attempt `attempts + 1`: 30 s doubling, at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 7)).min(3600)
}

/// The e-mail for an outbox entry.
pub fn compose(from: &Mailbox, public_url: &str, m: &Mail) -> Result<Message, String> {
    let number = m.number.as_deref().unwrap_or(&m.reference);
    let link = format!("{public_url}/t/{}/{}", m.reference, m.access_key);
    let name = header_text(&m.contact_name);
    let to = Mailbox::new(
        (!name.is_empty()).then_some(name),
        m.contact_email
            .parse()
            .map_err(|e| format!("recipient: {e}"))?,
    );
    let (subject, text) = match m.kind.as_str() {
        "reply" => (
            format!(
                "[#{number}] Resposta ao seu chamado: {}",
                header_text(&m.summary)
            ),
            format!(
                "Olá, {name}.\n\nO suporte respondeu ao seu chamado nº {number} ({summary}):\n\n{body}\n\n\
                 Para responder ou enviar anexos, acesse:\n{link}\n",
                name = m.contact_name,
                summary = m.summary,
                body = m.body.as_deref().unwrap_or(""),
            ),
        ),
        _ => (
            format!(
                "[#{number}] Recebemos seu chamado: {}",
                header_text(&m.summary)
            ),
            format!(
                "Olá, {name}.\n\nRecebemos seu chamado nº {number}: {summary}\n\n\
                 Acompanhe a situação, responda e envie anexos em:\n{link}\n\n\
                 Guarde este e-mail: o link dá acesso ao chamado sem senha.\n",
                name = m.contact_name,
                summary = m.summary,
            ),
        ),
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .message_id(Some(format!("<{}.{}@chamado-central>", m.reference, m.id)))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                // Quoted-printable: the link is longer than a 7/8-bit line may be.
                .body(
                    Body::new_with_encoding(text, ContentTransferEncoding::QuotedPrintable)
                        .map_err(|_| "the text cannot be encoded".to_owned())?,
                ),
        )
        .map_err(|e| e.to_string())
}

/// Sends what is due, then waits to be woken or for the next look; runs until aborted. Each
/// e-mail is claimed with a lease (several centrals may share the outbox) and sent on its own
/// task: a panic or a hang on one marks it failed or retried, and the others go on.
pub async fn run(state: Shared, mailer: Arc<Mailer>) {
    let tuning = state.config.tasks.clone();
    loop {
        let lease = tuning.lease.as_secs() as i64;
        match state.db.claim_mail(&state.instance, lease, 50).await {
            Ok(due) => {
                state.tasks.beat(TASK, !due.is_empty());
                let claimed = std::time::Instant::now();
                for m in due {
                    // A row is worked on only while its lease surely holds: the rest of the
                    // batch waits out its lease (then any central takes it).
                    if !tuning.lease_holds_for_a_row(claimed) {
                        break;
                    }
                    let (s, mailer, row) = (Arc::clone(&state), Arc::clone(&mailer), m.clone());
                    let outcome = crate::tasks::run_row(tuning.row_timeout, async move {
                        send(&s, &mailer, &row).await
                    })
                    .await;
                    record(&state, &m, outcome).await;
                    state.tasks.beat(TASK, true);
                }
            }
            Err(e) => {
                state.tasks.beat(TASK, false);
                tracing::error!(error = %e, "reading the outbox")
            }
        }
        tokio::select! {
            _ = state.mail_wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// The mailer's name in `/readyz` and the logs.
pub const TASK: &str = "mailer";

/// Why an e-mail was not sent: `Err((kind, message, permanent))`.
async fn send(
    state: &Shared,
    mailer: &Mailer,
    m: &Mail,
) -> Result<(), (&'static str, String, bool)> {
    let message =
        compose(&mailer.from, &state.config.public_url, m).map_err(|e| ("central", e, true))?;
    mailer
        .transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| {
            // A 5xx answer (an address the server refuses) will not change by retrying.
            let kind = if e.is_permanent() {
                "rejected"
            } else {
                "unavailable"
            };
            (kind, e.to_string(), e.is_permanent())
        })
}

async fn record(
    state: &Shared,
    m: &Mail,
    outcome: Result<Result<(), (&'static str, String, bool)>, crate::tasks::RowFailure>,
) {
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e),
        Err(row) => {
            let permanent = matches!(row, crate::tasks::RowFailure::Panic(_));
            Some((row.kind(), row.message(), permanent))
        }
    };
    // The log names the outbox entry and the ticket, never the recipient.
    let recorded = match failure {
        None => {
            tracing::info!(outbox = m.id, reference = %m.reference, kind = %m.kind, "e-mail sent");
            state.db.mail_sent(m.id).await
        }
        Some((cause, e, true)) => {
            tracing::error!(outbox = m.id, reference = %m.reference, kind = %m.kind, cause, "e-mail failed for good; not retried (admin tickets lists it)");
            state.db.mail_failed(m.id, cause, &e, None).await
        }
        Some((cause, e, false)) => {
            let retry = backoff_secs(m.attempts);
            tracing::warn!(outbox = m.id, reference = %m.reference, kind = %m.kind, cause, error = %without_addresses(&e), retry_in_s = retry, "e-mail not sent");
            state.db.mail_failed(m.id, cause, &e, Some(retry)).await
        }
    };
    if let Err(e) = recorded {
        tracing::error!(error = %e, "recording an e-mail's outcome");
    }
}

/// An error as logged: an SMTP server's answer may quote the recipient's address
/// (`550 5.1.1 <maria@cliente.com.br>: Recipient address rejected`).
fn without_addresses(text: &str) -> String {
    text.split(' ')
        .map(|w| if w.contains('@') { "<address>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Starts the mailer when the configuration has `[smtp]`.
pub fn spawn(state: &Shared) -> Option<tokio::task::JoinHandle<()>> {
    let smtp = state.config.smtp.as_ref()?;
    let mailer = match Mailer::new(smtp) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "the SMTP connection cannot be set up; no e-mail is sent");
            return None;
        }
    };
    let mailer = Arc::new(mailer);
    Some(crate::tasks::supervise(Arc::clone(state), TASK, {
        let state = Arc::clone(state);
        move || run(Arc::clone(&state), Arc::clone(&mailer))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_an_hour() {
        assert_eq!(backoff_secs(0), 30);
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(20), 3600);
    }

    #[test]
    fn header_text_has_no_line_break() {
        assert_eq!(header_text("Ana\r\nSilva"), "Ana Silva");
        assert_eq!(header_text("a\nb\tc\u{7f}d"), "a b c d");
        assert_eq!(header_text(&"x".repeat(500)).chars().count(), 200);
    }

    #[test]
    fn a_line_break_in_the_name_or_summary_still_composes() {
        let from: Mailbox = "Suporte <suporte@exemplo.com.br>".parse().unwrap();
        let m = Mail {
            id: 1,
            kind: "confirmation".into(),
            attempts: 0,
            reference: "CH-A".into(),
            number: Some("2026-000001".into()),
            access_key: "k".into(),
            summary: "sem\nconexão".into(),
            contact_name: "a\nb".into(),
            contact_email: "a@b.com".into(),
            body: None,
        };
        let raw = String::from_utf8(compose(&from, "http://x", &m).unwrap().formatted()).unwrap();
        assert!(raw.contains("To: \"a b\" <a@b.com>"), "{raw}");
    }

    #[test]
    fn logged_errors_hold_no_address() {
        assert_eq!(
            without_addresses("permanent error (550): 5.1.1 <maria@cliente.com.br>: rejected"),
            "permanent error (550): 5.1.1 <address> rejected"
        );
    }
}
