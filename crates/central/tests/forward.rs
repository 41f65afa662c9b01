//! Forwarding to osTicket: a real central (HTTP, SQLite) forwarding to the osTicket double of
//! `common/osticket.rs` (real HTTP on loopback, behaving as osTicket v1.18.1 was observed to).

mod common;

use chamado_central::config::CreateVia;
use common::osticket;
use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

async fn central_for(
    desk: &osticket::OsTicket,
    tweak: impl FnOnce(&mut chamado_central::config::Osticket),
) -> Central {
    let mut o = osticket_config(&desk.url);
    tweak(&mut o);
    start_with(|c| c.osticket = Some(o)).await
}

/// The signed link to central the osTicket message carries, as osTicket shows it (it decodes
/// the message's `&amp;` once before cleaning, then the page's HTML decodes it again).
fn file_link(c: &Central, body: &str) -> String {
    let start = body
        .find(&format!("{}/v1/files/", c.url))
        .expect("a link to central");
    body[start..]
        .split(['"', '<', ' '])
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&amp;", "&")
}

async fn metrics(c: &Central) -> String {
    c.http
        .get(format!("{}/metrics", c.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_json_forwarded_ticket_has_topic_fields_findings_and_its_small_bundle() {
    let desk = osticket::start().await;
    let c = central_for(&desk, |o| o.create = CreateVia::Json).await;
    let token = c.enrol("Padaria Pão Quente").await;
    let bundle = real_bundle(20_000);
    let (status, t) = c
        .ticket(
            &token,
            "k1",
            form_with_bundle(&ticket_json(), bundle.clone(), "pacote.zip"),
        )
        .await;
    assert_eq!(status, 201, "{t}");
    let reference = t["reference"].as_str().unwrap().to_owned();
    let n = number(&c, &token, &reference).await;

    let tickets = desk.tickets();
    assert_eq!(tickets.len(), 1);
    let ot = &tickets[0];
    assert_eq!(ot.number, n);
    assert_eq!(ot.source, "API");
    assert_eq!(ot.topic_id, Some(2), "topicId from the mapping");
    assert_eq!(
        (ot.name.as_str(), ot.email.as_str()),
        ("Maria Souza", "maria@cliente.com.br")
    );
    assert_eq!(ot.subject, "O sistema não conecta ao servidor");
    assert_eq!(ot.fields["module"], "faturamento");
    assert_eq!(
        ot.fields["program_version"], "8.4.1.120",
        "read from diagnostics.json"
    );
    assert_eq!(ot.fields["terminal"], "Caixa 2");
    assert_eq!(ot.fields["urgente"], true);
    assert!(ot.notes.is_empty(), "nothing dropped: {:?}", ot.notes);
    let body = &ot.thread[0].body;
    let at = |s: &str| {
        body.find(s)
            .unwrap_or_else(|| panic!("`{s}` not in {body}"))
    };
    // The customer's text, then the findings and what changed, then the contents.
    assert!(at("servidor indisponível") < at("O que encontramos"));
    // (escaped twice: osTicket decodes once before cleaning; the last, in the list, not the
    // summary on top)
    let finding = "O servidor &amp;lt;ERP&amp;gt; recusou a conexão na porta 1433";
    assert!(
        at(finding) < at("O que encontramos"),
        "in the summary on top"
    );
    assert!(body.rfind(finding).unwrap() > at("O que encontramos"));
    assert!(at("Antivírus Exemplo") > at("O que mudou desde 2026-11-20"));
    assert!(at("logs/app.log (20000 bytes)") > at("Conteúdo do pacote"));
    assert!(
        at("Tela 2") > at("Conteúdo do pacote"),
        "what the customer left out"
    );
    assert!(!body.contains("<ERP>"), "escaped");
    assert_eq!(
        ot.thread[0].attachments,
        vec![("pacote.zip".to_owned(), bundle)]
    );

    // Without a mapping in the configuration, the profile says where a topic goes: the built-in
    // profile's "erro" is osTicket's topic 10, and its fields' names are osTicket variables.
    let mut erro = ticket_json();
    erro["topic"] = "erro".into();
    erro["fields"] =
        serde_json::json!({"mensagem": "Erro 42: acesso negado", "acao": "Emitindo a nota"});
    erro["priority"] = "urgent".into();
    let (_, t2) = c.ticket(&token, "k2", form(&erro)).await;
    number(&c, &token, t2["reference"].as_str().unwrap()).await;
    let ot2 = &desk.tickets()[1];
    assert_eq!(ot2.topic_id, Some(10));
    assert_eq!(ot2.fields["mensagem"], "Erro 42: acesso negado");
    assert_eq!(ot2.fields["acao"], "Emitindo a nota");
    assert_eq!(ot2.priority_id, Some(4), "urgent is osTicket's emergency");
    assert!(
        ot2.thread[0].body.contains("Mensagem de erro exata"),
        "labels from the profile"
    );

    // The follow link is osTicket's portal.
    let t = ticket(&c, &token, &reference).await;
    assert_eq!(t["link"], "https://suporte.exemplo.com.br/view.php");
    let m = metrics(&c).await;
    assert!(m.contains("chamado_tickets_forwarded_total 2"), "{m}");
    assert!(m.contains("chamado_tickets_waiting 0"), "{m}");
}

#[tokio::test]
async fn by_email_the_ticket_is_created_once_with_its_data_in_the_message() {
    let desk = osticket::start().await;
    let c = central_for(&desk, |_| {}).await;
    let token = c.enrol("Padaria").await;
    let bundle = real_bundle(1000);
    let (_, t) = c
        .ticket(
            &token,
            "k1",
            form_with_bundle(&ticket_json(), bundle.clone(), "pacote.zip"),
        )
        .await;
    let reference = t["reference"].as_str().unwrap().to_owned();
    assert!(
        t["number"].is_null(),
        "no number before osTicket gives one: {t}"
    );
    assert!(t["link"].is_null());
    let n = number(&c, &token, &reference).await;
    let tickets = desk.tickets();
    assert_eq!(tickets.len(), 1);
    let ot = &tickets[0];
    assert_eq!((ot.number.as_str(), ot.source), (n.as_str(), "Email"));
    assert_eq!(
        ot.thread[0].mid.as_deref(),
        Some(format!("{reference}.m1.osticket@chamado-central").as_str())
    );
    // E-mail has no place for topicId and fields: the analyst reads them in the message.
    let body = &ot.thread[0].body;
    for s in [
        "Caixa 2",
        "faturamento",
        "8.4.1.120",
        "sem-conexao",
        &reference,
        "+55 11 4000-0000",
        "O que encontramos",
    ] {
        assert!(body.contains(s), "`{s}` not in {body}");
    }
    assert_eq!(
        ot.thread[0].attachments,
        vec![("pacote.zip".to_owned(), bundle)]
    );
}

#[tokio::test]
async fn a_bundle_too_large_to_attach_goes_as_a_signed_link_that_expires() {
    let desk = osticket::start().await;
    let c = central_for(&desk, |o| o.attachment_max_bytes = 64 * 1024).await;
    let token = c.enrol("Padaria").await;
    // 60 KB of bundle is 80 KB of base64: over the limit.
    let bundle = real_bundle(60_000);
    let (_, t) = c
        .ticket(
            &token,
            "k1",
            form_with_bundle(&ticket_json(), bundle.clone(), "pacote.zip"),
        )
        .await;
    let reference = t["reference"].as_str().unwrap().to_owned();
    number(&c, &token, &reference).await;
    let ot = &desk.tickets()[0];
    assert!(ot.thread[0].attachments.is_empty());
    let body = &ot.thread[0].body;
    let link = file_link(&c, body);
    assert!(
        body.contains("O que encontramos"),
        "the findings are still read from it"
    );

    // Anyone with the link (the analyst's browser: no token) downloads the bundle.
    let res = c.http.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("pacote.zip"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), bundle);

    // Altered or expired: 403.
    let tampered = link.replace("signature=", "signature=00");
    assert_eq!(c.http.get(&tampered).send().await.unwrap().status(), 403);
    let (path, _) = link.split_once('?').unwrap();
    let sha = path.rsplit('/').next().unwrap();
    let past = time::OffsetDateTime::now_utc().unix_timestamp() - 60;
    let later = link.replace("expires=", &format!("expires={past}&x="));
    assert_eq!(
        c.http.get(&later).send().await.unwrap().status(),
        403,
        "the expiry is signed"
    );
    let sig = chamado_central::secret::sign_link(&c.state.link_key, sha, past);
    let expired = format!("{path}?expires={past}&signature={sig}");
    let res = c.http.get(&expired).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"], "forbidden");
    assert!(e["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn osticket_refusing_then_recovering_gives_exactly_one_ticket() {
    let desk = osticket::start().await;
    // DNS unreachable: osTicket cannot verify the e-mail's domain and answers 500 to every ticket.
    desk.with(|d| d.dns_down = true);
    let c = central_for(&desk, |_| {}).await;
    let token = c.enrol("Padaria").await;
    let (status, t) = c.ticket(&token, "k1", form(&ticket_json())).await;
    assert_eq!(status, 201, "the app gets its reference at once");
    let reference = t["reference"].as_str().unwrap().to_owned();
    eventually("two refused attempts", async || {
        let n = desk.with(|d| d.requests.iter().filter(|r| r.2 == 500).count());
        (n >= 2).then_some(())
    })
    .await;
    assert!(ticket(&c, &token, &reference).await["number"].is_null());
    let m = metrics(&c).await;
    assert!(m.contains("chamado_tickets_waiting 1"), "{m}");
    assert!(
        m.contains("chamado_forward_failing{cause=\"rejected\"} 1"),
        "{m}"
    );
    desk.with(|d| d.dns_down = false);
    let n = number(&c, &token, &reference).await;
    let tickets = desk.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].number, n);
    let m = metrics(&c).await;
    assert!(m.contains("chamado_tickets_waiting 0"), "{m}");
    assert!(
        m.contains("chamado_forward_failing{cause=\"rejected\"} 0"),
        "{m}"
    );
}

#[tokio::test]
async fn a_key_bound_to_another_ip_keeps_the_ticket_waiting_and_is_reported() {
    let desk = osticket::start().await;
    desk.with(|d| d.keys[0].ip = "127.0.0.2".parse().unwrap());
    let c = central_for(&desk, |_| {}).await;
    let token = c.enrol("Padaria").await;
    let (_, t) = c.ticket(&token, "k1", form(&ticket_json())).await;
    let reference = t["reference"].as_str().unwrap().to_owned();
    eventually("a 401", async || {
        desk.with(|d| d.requests.iter().any(|r| r.2 == 401))
            .then_some(())
    })
    .await;
    let listing = eventually("the admin listing to report it", async || {
        let l = chamado_central::admin::tickets(&c.state.db, None)
            .await
            .unwrap();
        l.contains("Valid API key required").then_some(l)
    })
    .await;
    assert!(
        listing.contains(&format!("{reference:<15} waiting: CONFIGURATION ERROR")),
        "{listing}"
    );
    let m = metrics(&c).await;
    assert!(
        m.contains("chamado_forward_failing{cause=\"config\"} 1"),
        "{m}"
    );
    assert!(desk.tickets().is_empty());

    // The vendor fixes the key's address in osTicket: the ticket goes, once.
    desk.with(|d| d.keys[0].ip = "127.0.0.1".parse().unwrap());
    number(&c, &token, &reference).await;
    assert_eq!(desk.tickets().len(), 1);
    let listing = chamado_central::admin::tickets(&c.state.db, None)
        .await
        .unwrap();
    assert!(
        !listing.contains("Forwarding to osTicket"),
        "nothing left to report: {listing}"
    );
}

#[tokio::test]
async fn follow_ups_reach_the_osticket_thread_once() {
    let desk = osticket::start().await;
    let c = central_for(&desk, |_| {}).await;
    let token = c.enrol("Padaria").await;
    let (_, t) = c.ticket(&token, "k1", form(&ticket_json())).await;
    let reference = t["reference"].as_str().unwrap().to_owned();
    let n = number(&c, &token, &reference).await;

    let message = |text: &str| {
        Form::new()
            .part(
                "message",
                Part::text(serde_json::json!({"body": text}).to_string()),
            )
            .part(
                "attachment",
                Part::bytes(b"linha 1\nlinha 2\n".to_vec()).file_name("erro.log"),
            )
    };
    for _ in 0..2 {
        // Retried with the same key: one message.
        let res = c
            .post(&token, &format!("/v1/tickets/{reference}/messages"))
            .header("Idempotency-Key", "m1")
            .multipart(message("Reiniciei o servidor e continua <igual>."))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    // The quick-access page's reply form.
    let key = c
        .state
        .db
        .ticket(&reference, None)
        .await
        .unwrap()
        .unwrap()
        .access_key;
    let res = c
        .http
        .post(format!("{}/t/{reference}/{key}", c.url))
        .multipart(Form::new().text("body", "Segue mais um detalhe."))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection() || res.status().is_success());

    let thread = eventually("both follow-ups in osTicket", async || {
        let t = desk.tickets();
        (t[0].thread.len() >= 3).then(|| t[0].thread.clone())
    })
    .await;
    assert_eq!(desk.tickets().len(), 1, "follow-ups make no new ticket");
    assert_eq!(thread.len(), 3);
    assert!(
        thread[1].subject.starts_with(&format!("[#{n}] ")),
        "{}",
        thread[1].subject
    );
    assert!(
        thread[1].body.contains("continua &amp;lt;igual&amp;gt;."),
        "{}",
        thread[1].body
    );
    assert_eq!(
        thread[1].attachments,
        vec![("erro.log".to_owned(), b"linha 1\nlinha 2\n".to_vec())]
    );
    assert!(thread[2].body.contains("Segue mais um detalhe."));
    let m = metrics(&c).await;
    assert!(m.contains("chamado_forward_failures_total 0"), "{m}");
}

/// The double itself, against the reference's table: the forwarder's tests are only as good as
/// its likeness to osTicket.
#[tokio::test]
async fn the_double_answers_as_the_osticket_reference_says() {
    let desk = osticket::start().await;
    desk.with(|d| {
        d.keys.push(osticket::ApiKey {
            key: "INACTIVE".into(),
            ip: "127.0.0.1".parse().unwrap(),
            active: false,
            can_create: true,
        });
        d.keys.push(osticket::ApiKey {
            key: "READONLY".into(),
            ip: "127.0.0.1".parse().unwrap(),
            active: true,
            can_create: false,
        });
    });
    let http = common::http();
    let post = async |path: &str, key: &str, body: String| {
        let res = http
            .post(format!("{}{path}", desk.url))
            .header("X-API-Key", key)
            .body(body)
            .send()
            .await
            .unwrap();
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with("text/html"), "{ct}");
        (res.status().as_u16(), res.text().await.unwrap())
    };
    let good = serde_json::json!({
        "name": "Maria", "email": "maria@cliente.com.br", "subject": "Sem conexão",
        "message": "data:text/html,<p>Oi</p><script>alert(1)</script>",
        "topicId": 99, "terminal": "Caixa 2", "module": "faturamento",
        "attachments": [
            {"pequeno.txt": "data:text/plain;base64,b2k="},
            {"bug.txt": "data:text/plain;charset=utf-8;base64,b2k="},
            {"grande.bin": format!("data:application/octet-stream;base64,{}",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, vec![0u8; 1024 * 1024 + 1]))},
        ],
    })
    .to_string();
    let k = osticket::KEY;
    assert_eq!(
        post("/api/tickets.json", "WRONG", good.clone()).await,
        (401, "Valid API key required".into())
    );
    assert_eq!(
        post("/api/tickets.json", "INACTIVE", good.clone()).await,
        (
            401,
            "API key not found/active or source IP not authorized".into()
        )
    );
    assert_eq!(
        post("/api/tickets.json", "READONLY", good.clone()).await,
        (401, "API key not authorized".into())
    );
    assert_eq!(
        post("/api/tickets.json", k, "{".into()).await,
        (400, "Syntax error, malformed JSON".into())
    );
    assert_eq!(post("/api/tickets.json", k, String::new()).await.0, 400);
    assert_eq!(
        post("/api/tickets.php", k, good.clone()).await,
        (400, "URL not supported".into())
    );
    let (status, body) = post(
        "/api/tickets.json",
        k,
        serde_json::json!({"name": "Maria", "subject": "x", "message": "y"}).to_string(),
    )
    .await;
    assert_eq!(status, 500);
    assert!(body.contains("Incomplete client information"));
    let (status, body) = post(
        "/api/tickets.json",
        k,
        serde_json::json!({"name": "M", "email": "m@x.com.br", "message": "y"}).to_string(),
    )
    .await;
    assert_eq!(
        (status, body.contains("Issue Summary is a required field")),
        (500, true)
    );
    // No deduplication on JSON: the same body twice is two tickets.
    let (s1, n1) = post("/api/tickets.json", k, good.clone()).await;
    let (s2, n2) = post("/api/tickets.json", k, good).await;
    assert_eq!((s1, s2), (201, 201));
    assert_ne!(n1, n2);
    assert_eq!(n1.len(), 6);
    let t = &desk.tickets()[0];
    assert_eq!(
        t.topic_id, None,
        "an unknown topicId: created without a topic"
    );
    assert!(t.fields.contains_key("module"), "the ticket form's field");
    assert!(
        !t.fields.contains_key("terminal"),
        "a topic's field needs its topicId"
    );
    assert_eq!(t.thread[0].body, "<p>Oi</p>", "HTML kept, <script> removed");
    let names: Vec<(&str, &[u8])> = t.thread[0]
        .attachments
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert_eq!(
        names,
        [("pequeno.txt", &b"oi"[..]), ("bug.txt", &b"b2k="[..])],
        "charset+base64 not decoded; too big dropped"
    );
    assert!(t.notes.iter().any(|n| n.contains("grande.bin")));
}

/// nginx in front of osTicket refuses bodies over 1 MiB (its default) with 413, though a file
/// just under osTicket's own 1 MiB limit fits: the ticket then goes with the file as a link.
#[tokio::test]
async fn a_body_the_web_server_refuses_goes_again_with_links() {
    let desk = osticket::start().await;
    desk.with(|d| d.body_max = Some(1024 * 1024));
    let c = central_for(&desk, |_| {}).await;
    let token = c.enrol("Padaria").await;
    // 770 KB: about 1,027,000 bytes of base64, under the 1 MiB per-file limit; with the e-mail's
    // line breaks and the message the body is over 1 MiB.
    let bundle = real_bundle(770_000);
    let (status, t) = c
        .ticket(
            &token,
            "k1",
            form_with_bundle(&ticket_json(), bundle.clone(), "pacote.zip"),
        )
        .await;
    assert_eq!(status, 201, "{t}");
    let reference = t["reference"].as_str().unwrap().to_owned();
    number(&c, &token, &reference).await;
    let statuses: Vec<u16> = desk.with(|d| d.requests.iter().map(|r| r.2).collect());
    assert_eq!(statuses, [413, 201]);
    let ot = &desk.tickets()[0];
    assert!(ot.thread[0].attachments.is_empty());
    let body = &ot.thread[0].body;
    let link = file_link(&c, body);
    let got = c
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(got.to_vec(), bundle);
}
