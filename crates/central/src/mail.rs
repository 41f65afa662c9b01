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
    let to = Mailbox::new(
        Some(m.contact_name.clone()),
        m.contact_email
            .parse()
            .map_err(|e| format!("recipient: {e}"))?,
    );
    let (subject, text) = match m.kind.as_str() {
        "reply" => (
            format!("[#{number}] Resposta ao seu chamado: {}", m.summary),
            format!(
                "Olá, {name}.\n\nO suporte respondeu ao seu chamado nº {number} ({summary}):\n\n{body}\n\n\
                 Para responder ou enviar anexos, acesse:\n{link}\n",
                name = m.contact_name,
                summary = m.summary,
                body = m.body.as_deref().unwrap_or(""),
            ),
        ),
        _ => (
            format!("[#{number}] Recebemos seu chamado: {}", m.summary),
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

/// Sends what is due, then waits to be woken or for the next look; runs until aborted.
pub async fn run(state: Shared, mailer: Mailer) {
    loop {
        match state.db.due_mail(50).await {
            Ok(due) => {
                for m in due {
                    send_one(&state, &mailer, &m).await;
                }
            }
            Err(e) => tracing::error!(error = %e, "reading the outbox"),
        }
        tokio::select! {
            _ = state.mail_wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

async fn send_one(state: &Shared, mailer: &Mailer, m: &Mail) {
    let result = match compose(&mailer.from, &state.config.public_url, m) {
        Ok(message) => mailer
            .transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    // The log names the outbox entry and the ticket, never the recipient.
    let recorded = match result {
        Ok(()) => {
            tracing::info!(outbox = m.id, reference = %m.reference, kind = %m.kind, "e-mail sent");
            state.db.mail_sent(m.id).await
        }
        Err(e) => {
            let retry = backoff_secs(m.attempts);
            tracing::warn!(outbox = m.id, reference = %m.reference, kind = %m.kind, error = %without_addresses(&e), retry_in_s = retry, "e-mail not sent");
            state.db.mail_failed(m.id, &e, retry).await
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
    Some(tokio::spawn(run(Arc::clone(state), mailer)))
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
    fn logged_errors_hold_no_address() {
        assert_eq!(
            without_addresses("permanent error (550): 5.1.1 <maria@cliente.com.br>: rejected"),
            "permanent error (550): 5.1.1 <address> rejected"
        );
    }
}
