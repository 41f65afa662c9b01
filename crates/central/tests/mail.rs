//! E-mail in standalone mode: lettre talking SMTP over loopback to a minimal SMTP server (the
//! sink below speaks the protocol's commands, STARTTLS and TLS with a test CA's certificate, and
//! keeps what it receives).

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use chamado_central::config::{Password, Smtp, SmtpTls};
use common::*;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// An SMTP server on loopback: every message's DATA goes to the channel.
async fn smtp_sink() -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
    smtp_sink_with(SmtpTls::None).await
}

/// The sink's TLS side: the test CA's server certificate for localhost and 127.0.0.1.
fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
    let certs = CertificateDer::pem_file_iter(format!("{dir}/server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/server.key")).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(
        tokio_rustls::rustls::crypto::ring::default_provider().into(),
    )
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config))
}

/// The sink speaking plain SMTP, STARTTLS (offered, and AUTH only after it) or TLS from the
/// start. What it receives goes to the channel: each message's DATA, and `AUTH user password`
/// lines for the credentials a client gave.
async fn smtp_sink_with(tls: SmtpTls) -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                match tls {
                    SmtpTls::None => {
                        session(stream, &tx, false, true).await;
                    }
                    SmtpTls::StartTls => {
                        if let Some(plain) = session(stream, &tx, true, true).await {
                            if let Ok(s) = tls_acceptor().accept(plain).await {
                                session(s, &tx, false, false).await;
                            }
                        }
                    }
                    SmtpTls::Tls => {
                        if let Ok(s) = tls_acceptor().accept(stream).await {
                            session(s, &tx, false, true).await;
                        }
                    }
                }
            });
        }
    });
    (addr, rx)
}

/// One SMTP session on `stream`; returns the stream when the client asked for STARTTLS (after
/// answering it), for the caller to continue over TLS.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    tx: &mpsc::UnboundedSender<String>,
    offer_starttls: bool,
    greet: bool,
) -> Option<S> {
    let mut io = BufReader::new(stream);
    if greet {
        io.get_mut().write_all(b"220 sink ESMTP\r\n").await.ok()?;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if io.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" if offer_starttls => {
                b"250-sink\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n"
            }
            "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 SMTPUTF8\r\n",
            "STARTTLS" if offer_starttls => {
                io.get_mut().write_all(b"220 go ahead\r\n").await.ok()?;
                return Some(io.into_inner());
            }
            "AUTH" => {
                // AUTH PLAIN base64(\0user\0password)
                let b64 = line.split_whitespace().nth(2).unwrap_or("");
                let decoded = base64_decode(b64);
                let parts: Vec<&str> = decoded.split('\0').collect();
                let _ = tx.send(format!("AUTH {} {}", parts[1], parts[2]));
                b"235 ok\r\n"
            }
            // A mailbox the server does not have: a permanent refusal.
            "RCPT" if line.contains("recusado@") => b"550 5.1.1 no such user\r\n",
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
            "DATA" => {
                io.get_mut().write_all(b"354 go ahead\r\n").await.ok()?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if io.read_line(&mut l).await.ok()? == 0 {
                        return None;
                    }
                    let l = l.trim_end_matches(['\r', '\n']);
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(l));
                    data.push('\n');
                }
                let _ = tx.send(data);
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = io.get_mut().write_all(b"221 bye\r\n").await;
                return None;
            }
            _ => b"502 not implemented\r\n",
        };
        io.get_mut().write_all(answer).await.ok()?;
    }
}

fn base64_decode(s: &str) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8(out).unwrap()
}

fn smtp(addr: SocketAddr) -> Smtp {
    Smtp {
        host: addr.ip().to_string(),
        port: addr.port(),
        from: "Suporte Exemplo <suporte@exemplo.com.br>".parse().unwrap(),
        tls: SmtpTls::None,
        credentials: None,
        ca_pem: None,
    }
}

/// The next e-mail, its quoted-printable body decoded.
async fn next_mail(rx: &mut mpsc::UnboundedReceiver<String>) -> String {
    let raw = tokio::time::timeout(Duration::from_secs(15), rx.recv())
        .await
        .expect("an e-mail within 15 s")
        .unwrap();
    assert!(
        raw.contains("Content-Transfer-Encoding: quoted-printable"),
        "{raw}"
    );
    let joined = raw.replace("=\n", "");
    let mut bytes = Vec::new();
    let b = joined.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                bytes.push(v);
                i += 3;
                continue;
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn the_customer_gets_a_confirmation_with_number_and_link_then_the_reply() {
    let (addr, mut rx) = smtp_sink().await;
    let c = start_with(move |cfg| cfg.smtp = Some(smtp(addr))).await;
    let token = c.enrol("ACME").await;
    let (status, t) = c.ticket(&token, "k", form(&ticket_json())).await;
    assert_eq!(status, 201);
    let number = t["number"].as_str().unwrap();
    let link = t["link"].as_str().unwrap();
    let reference = t["reference"].as_str().unwrap();

    let mail = next_mail(&mut rx).await;
    assert!(
        mail.contains("To: \"Maria Souza\" <maria@cliente.com.br>"),
        "{mail}"
    );
    assert!(
        mail.contains("From: \"Suporte Exemplo\" <suporte@exemplo.com.br>"),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("Message-ID: <{reference}.")),
        "{mail}"
    );
    assert!(
        mail.contains(&format!("Recebemos seu chamado nº {number}")),
        "{mail}"
    );
    assert!(mail.contains(link), "{mail}");
    // The link in the e-mail opens the ticket.
    assert_eq!(c.http.get(link).send().await.unwrap().status(), 200);

    // A retry of the same request sends nothing more; the vendor's reply does.
    let (status, _) = c.ticket(&token, "k", form(&ticket_json())).await;
    assert_eq!(status, 200);
    chamado_central::admin::reply(&c.state.db, number, "Reinicie o servidor, por favor.", true)
        .await
        .unwrap();
    let mail = next_mail(&mut rx).await;
    assert!(
        mail.contains(&format!("O suporte respondeu ao seu chamado nº {number}")),
        "{mail}"
    );
    assert!(mail.contains("Reinicie o servidor, por favor."), "{mail}");
    assert!(rx.try_recv().is_err(), "one e-mail per event");
    // Marked sent once the server has accepted it (just after the sink saw it).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let url = format!("{}/metrics", c.url);
        let metrics = c.http.get(url).send().await.unwrap().text().await.unwrap();
        if metrics.contains("chamado_mail_waiting 0") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{metrics}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn with_the_smtp_server_down_the_ticket_is_taken_and_the_mail_waits() {
    // A port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let c = start_with(move |cfg| cfg.smtp = Some(smtp(closed))).await;
    let token = c.enrol("ACME").await;
    let (status, body) = c.ticket(&token, "k", form(&ticket_json())).await;
    assert_eq!(status, 201, "{body}");
    // The failed attempt is recorded and the mail stays in the outbox for later.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let text = c
            .http
            .get(format!("{}/metrics", c.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.contains("chamado_mail_waiting 1"), "{text}");
        if c.state.db.due_mail(10).await.unwrap().is_empty() {
            break; // attempted, and rescheduled for later
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no attempt within 15 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let list: Value = c
        .get(&token, "/v1/tickets")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["tickets"].as_array().unwrap().len(), 1);
}

/// A provider's submission service: STARTTLS (required), then AUTH; the server's certificate is
/// signed by the company's own CA, trusted through `ca_file`.
#[tokio::test]
async fn mail_goes_over_starttls_or_tls_with_credentials_and_a_custom_ca() {
    let ca = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tls/ca.pem"
    ))
    .unwrap();
    for mode in [SmtpTls::StartTls, SmtpTls::Tls] {
        let (addr, mut rx) = smtp_sink_with(mode).await;
        let ca = ca.clone();
        let c = start_with(move |cfg| {
            cfg.smtp = Some(Smtp {
                host: "localhost".into(),
                tls: mode,
                credentials: Some(("suporte".into(), Password("s3nh@ forte".into()))),
                ca_pem: Some(ca),
                ..smtp(addr)
            })
        })
        .await;
        let token = c.enrol("ACME").await;
        let (status, t) = c.ticket(&token, "k", form(&ticket_json())).await;
        assert_eq!(status, 201);
        let auth = tokio::time::timeout(Duration::from_secs(15), rx.recv())
            .await
            .expect("a login within 15 s")
            .unwrap();
        assert_eq!(auth, "AUTH suporte s3nh@ forte", "{mode:?}");
        let mail = next_mail(&mut rx).await;
        assert!(
            mail.contains(&format!(
                "Recebemos seu chamado nº {}",
                t["number"].as_str().unwrap()
            )),
            "{mode:?}: {mail}"
        );
    }
}

/// Without the CA, the server's certificate is not trusted: nothing goes out in clear, the mail
/// waits in the outbox with the reason.
#[tokio::test]
async fn an_untrusted_certificate_keeps_the_mail_waiting() {
    let (addr, mut rx) = smtp_sink_with(SmtpTls::StartTls).await;
    let c = start_with(move |cfg| {
        cfg.smtp = Some(Smtp {
            host: "localhost".into(),
            tls: SmtpTls::StartTls,
            ..smtp(addr)
        })
    })
    .await;
    let token = c.enrol("ACME").await;
    let (status, _) = c.ticket(&token, "k", form(&ticket_json())).await;
    assert_eq!(status, 201);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !c.state.db.due_mail(10).await.unwrap().is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no attempt within 15 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(c.state.db.mail_waiting().await.unwrap(), 1);
    assert!(rx.try_recv().is_err(), "nothing delivered");
}

async fn metrics_text(c: &Central) -> String {
    let url = format!("{}/metrics", c.url);
    c.http.get(url).send().await.unwrap().text().await.unwrap()
}

/// The issue's reproduction: two tickets, the first with a line break in the contact's name.
/// Building its header panicked, the mailer died, and the row stayed first in line, so no
/// e-mail ever went again.
#[tokio::test]
async fn a_line_break_in_a_contact_name_stops_no_mail() {
    let (addr, mut rx) = smtp_sink().await;
    let c = start_with(move |cfg| cfg.smtp = Some(smtp(addr))).await;
    let token = c.enrol("ACME").await;
    let mut bad = ticket_json();
    bad["contact"]["name"] = Value::from("Ana\nSilva");
    bad["summary"] = Value::from("Não conecta\r\nBcc: todos@exemplo.com");
    let (status, _) = c.ticket(&token, "k1", form(&bad)).await;
    assert_eq!(status, 201);
    let (status, second) = c.ticket(&token, "k2", form(&ticket_json())).await;
    assert_eq!(status, 201);

    let first = next_mail(&mut rx).await;
    assert!(
        first.contains("To: \"Ana Silva\" <maria@cliente.com.br>"),
        "{first}"
    );
    let headers = first.split("\n\n").next().unwrap();
    assert!(!headers.contains("\nBcc:"), "no header injected: {first}");
    let mail = next_mail(&mut rx).await;
    let number = second["number"].as_str().unwrap();
    assert!(
        mail.contains(&format!("Recebemos seu chamado nº {number}")),
        "{mail}"
    );
    let ready = c
        .http
        .get(format!("{}/readyz", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
}

/// An address the SMTP server refuses for good (550) is marked failed with the reason, listed
/// and counted, not retried forever nor first in line: the next e-mail goes.
#[tokio::test]
async fn a_refused_address_fails_for_good_and_the_next_mail_goes() {
    let (addr, mut rx) = smtp_sink().await;
    let c = start_with(move |cfg| cfg.smtp = Some(smtp(addr))).await;
    let token = c.enrol("ACME").await;
    let mut bad = ticket_json();
    bad["contact"]["email"] = Value::from("recusado@cliente.com.br");
    let (status, refused) = c.ticket(&token, "k1", form(&bad)).await;
    assert_eq!(status, 201);
    let (status, second) = c.ticket(&token, "k2", form(&ticket_json())).await;
    assert_eq!(status, 201);
    let mail = next_mail(&mut rx).await;
    let number = second["number"].as_str().unwrap();
    assert!(mail.contains(&format!("nº {number}")), "{mail}");

    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let m = metrics_text(&c).await;
        // The refused one failed for good; the other is marked sent just after the sink saw it.
        if m.contains("chamado_mail_failed 1") && m.contains("chamado_mail_waiting 0") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{m}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        c.state.db.due_mail(10).await.unwrap().is_empty(),
        "not retried"
    );
    let listing = chamado_central::admin::tickets(&c.state.db, None)
        .await
        .unwrap();
    let reference = refused["reference"].as_str().unwrap();
    let line = listing
        .lines()
        .find(|l| l.starts_with(reference) && l.contains("confirmation"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(line.contains("FAILED (rejected)"), "{line}");
    assert!(line.contains("550"), "the reason: {line}");
}
