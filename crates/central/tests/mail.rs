//! E-mail in standalone mode: lettre talking SMTP over loopback to a minimal SMTP server (the
//! sink below speaks the protocol's commands and keeps what it receives).

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use chamado_central::config::Smtp;
use common::*;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// An SMTP server on loopback: every message's DATA goes to the channel.
async fn smtp_sink() -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
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
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                        "DATA" => {
                            w.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                                data.push('\n');
                            }
                            let _ = tx.send(data);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"502 not implemented\r\n",
                    };
                    w.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (addr, rx)
}

fn smtp(addr: SocketAddr) -> Smtp {
    Smtp {
        host: addr.ip().to_string(),
        port: addr.port(),
        from: "Suporte Exemplo <suporte@exemplo.com.br>".parse().unwrap(),
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
