//! What the customer typed reads as typed on the ticket's page in the REAL osTicket 1.18.1
//! (`chamado_testkit::osticket`), in every way central creates tickets: `<…>`, `&`, a literal
//! `&amp;`, accents, `ª`, line breaks and emoji, in the subject and the message.
//!
//! osTicket decodes `&lt;` before cleaning (text escaped once becomes a tag and vanishes), reads
//! a `data:` message without a charset as ISO-8859-1, removes emoji and some symbols
//! (`Format::strip_emoticons`) and stores `utf8` (3 bytes) only. The page is read as the analyst
//! reads it (`tools/osticket view`: the staff panel's ticket page, as text).

mod common;

use chamado_central::config::{CreateVia, Osticket};
use chamado_testkit::osticket::OsTicket;
use common::*;
use serde_json::{json, Value};

const SUMMARY: &str = "João & <Maria>: a < b > c, &amp; ação 1ª 😀 <1>;";
const DESCRIPTION: &str = "Olá, João & <Maria> aqui.\n\
    O caminho C:\\Users\\<nome>\\AppData some;\n\
    a < b > c, &amp; escrito assim, \"aspas\" e 'apóstrofo'\n\
    coração ✔ © 😀 fim";
const FIELD: &str = "Erro <campo> inválido & \"x\"";
/// A value for osTicket's own custom field `module` (a text field of the topic's form).
const MODULE: &str = "Caixa <2> & \"x\" 1ª 😀";

/// One way of creating tickets: its name, its `[osticket] create`, whether it keeps every
/// character of the message (the e-mail and JSON modes cannot: see `html_for_osticket`), and
/// whether it fills osTicket's custom fields (the e-mail mode cannot), and what it needs in
/// osTicket besides (a plugin installed, its settings in `[osticket]`).
struct Mode {
    name: &'static str,
    create: CreateVia,
    keeps_every_character: bool,
    fills_fields: bool,
    prepare: fn(&OsTicket, &mut Osticket),
}

fn nothing_more(_: &OsTicket, _: &mut Osticket) {}

const EMAIL: Mode = Mode {
    name: "email",
    create: CreateVia::Email,
    keeps_every_character: false,
    fills_fields: false,
    prepare: nothing_more,
};
const JSON: Mode = Mode {
    name: "json",
    create: CreateVia::Json,
    keeps_every_character: false,
    fills_fields: true,
    prepare: nothing_more,
};

const SECRET: &str = "segredo-do-plugin-para-testes";

/// The Chamado plugin installed (its events go nowhere here: the text is what is checked).
fn with_plugin(desk: &OsTicket, o: &mut Osticket) {
    desk.install_plugin(&[
        "central_url=http://127.0.0.1:9",
        &format!("secret={SECRET}"),
    ]);
    o.events_secret = Some(chamado_central::config::Password(SECRET.to_owned()));
}

const PLUGIN: Mode = Mode {
    name: "plugin",
    create: CreateVia::Plugin,
    keeps_every_character: true,
    fills_fields: true,
    prepare: with_plugin,
};

/// What the message shows where osTicket cannot keep a character: its code point (`ª` is a
/// raised `a`, read as text here).
fn shown_without_every_character(s: &str) -> String {
    s.chars()
        .map(|c| match c as u32 {
            0xAA => "a".to_owned(),
            0xA9..=0xAE | 0x2702..=0x27B0 | 0x10000.. => format!("[U+{:04X}]", c as u32),
            _ => c.to_string(),
        })
        .collect()
}

/// A real osTicket and a central forwarding to it in `mode`, with an enrolled installation.
async fn forwarding(mode: &Mode, what: &str) -> Option<(OsTicket, Central, String)> {
    let desk = OsTicket::start(&format!("osticket_text::{what}::{}", mode.name))?;
    let mut o = osticket_config(desk.url());
    o.api_key = desk.api_key().to_owned();
    o.mailbox = desk.mailbox().to_owned();
    o.create = mode.create;
    o.topics = [
        ("erro".to_owned(), desk.topic_id()),
        ("instalacao".to_owned(), desk.topic_id()),
    ]
    .into();
    (mode.prepare)(&desk, &mut o);
    let c = start_with(|c| c.osticket = Some(o)).await;
    let token = c.enrol("Padaria Pão Quente").await;
    Some((desk, c, token))
}

/// Sends `form` as a ticket; its reference, and osTicket's number once central has it.
async fn number(c: &Central, token: &str, form: reqwest::multipart::Form) -> (String, String) {
    let (status, t) = c.ticket(token, "k1", form).await;
    assert_eq!(status, 201, "{t}");
    let reference = t["reference"].as_str().unwrap().to_owned();
    let number = eventually("central to store osTicket's number", async || {
        let res = c
            .get(token, &format!("/v1/tickets/{reference}"))
            .send()
            .await
            .unwrap();
        let v: Value = res.json().await.unwrap();
        v["number"].as_str().map(str::to_owned)
    })
    .await;
    (reference, number)
}

async fn arrives_as_typed(mode: Mode) {
    let Some((desk, c, token)) = forwarding(&mode, "text").await else {
        return;
    };
    let t = json!({
        "topic": "erro",
        "summary": SUMMARY,
        "description": DESCRIPTION,
        "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"},
        "module": MODULE,
        "fields": {"mensagem": FIELD, "acao": "Emitindo a nota"}
    });
    let (reference, number) = number(&c, &token, form(&t)).await;

    let page = desk.view(&number);
    assert_eq!(
        page["subject"].as_str().unwrap(),
        SUMMARY,
        "{}: the subject on the ticket's page",
        mode.name
    );
    let body = page["entries"][0]["body"].as_str().unwrap();
    let expect = |typed: &str| {
        if mode.keeps_every_character {
            typed.to_owned()
        } else {
            shown_without_every_character(typed)
        }
    };
    let first = format!("Reportar erro: {}\n", expect(SUMMARY));
    assert!(
        body.starts_with(&first),
        "{}: the summary for the analyst first:\n{first}\n--- page:\n{body}",
        mode.name
    );
    let description = expect(DESCRIPTION);
    assert!(
        body.contains(&format!("\n{description}\n")),
        "{}: the customer's text, as typed:\n{description}\n--- page:\n{body}",
        mode.name
    );
    if mode.fills_fields {
        assert_eq!(
            page["fields"]["Módulo"].as_str().unwrap(),
            MODULE,
            "{}: osTicket's custom field",
            mode.name
        );
    }
    let field = format!("Mensagem de erro exata\t{}\n", expect(FIELD));
    assert!(
        body.contains(&field),
        "{}: the field's value in the table:\n{field}\n--- page:\n{body}",
        mode.name
    );

    // Information the customer adds later reads as typed too.
    let res = c
        .post(&token, &format!("/v1/tickets/{reference}/messages"))
        .header("Idempotency-Key", "m1")
        .multipart(reqwest::multipart::Form::new().part(
            "message",
            reqwest::multipart::Part::text(json!({ "body": DESCRIPTION }).to_string()),
        ))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let added = eventually("the information in osTicket's thread", async || {
        let page = desk.view(&number);
        page["entries"][1]["body"].as_str().map(str::to_owned)
    })
    .await;
    assert!(
        added.starts_with(&format!("{description}\n")) || added == description,
        "{}: the information added, as typed:\n{description}\n--- page:\n{added}",
        mode.name
    );
}

#[tokio::test]
async fn text_arrives_as_typed_by_email() {
    arrives_as_typed(EMAIL).await;
}

#[tokio::test]
async fn text_arrives_as_typed_by_json() {
    arrives_as_typed(JSON).await;
}

#[tokio::test]
async fn text_arrives_as_typed_by_plugin() {
    arrives_as_typed(PLUGIN).await;
}

/// The analyst reads words: a summary on top (topic and the customer's summary, the main finding,
/// what changed, the urgency), the fields in the profile's order with a choice's label, the
/// module's label.
async fn the_analyst_reads_words(mode: Mode) {
    let Some((desk, c, token)) = forwarding(&mode, "words").await else {
        return;
    };
    let t = json!({
        "topic": "instalacao",
        "summary": "Servidor novo na matriz",
        "description": "Trocamos o servidor.",
        "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"},
        "module": "fiscal",
        "priority": "high",
        "fields": {
            "papel": "servidor",
            "tecnico": "Carlos, 11 4000-0000",
            "data_desejada": "2026-12-10",
            "urgencia_afetados": "a empresa toda",
            "urgencia_frequencia": "sempre"
        }
    });
    let (_, number) = number(
        &c,
        &token,
        form_with_bundle(&t, real_bundle(1000), "pacote.zip"),
    )
    .await;
    let page = desk.view(&number);
    let body = page["entries"][0]["body"].as_str().unwrap();
    let summary = "Instalação do sistema em novo computador: Servidor novo na matriz\n\
        Principal achado: O servidor <ERP> recusou a conexão na porta 1433\n\
        O que mudou desde 2026-11-20: Programa de segurança novo: Antivírus Exemplo\n\
        Urgência: prioridade alta; afetados: a empresa toda; frequência: sempre\n";
    assert!(
        body.starts_with(summary),
        "{}: the summary on top:\n{summary}\n--- page:\n{body}",
        mode.name
    );
    let at = |row: &str| {
        body.find(row)
            .unwrap_or_else(|| panic!("{}: `{row}` not on the page:\n{body}", mode.name))
    };
    at("Módulo\tFiscal (NF-e, NFC-e, SPED)\n");
    at("Prioridade (pelas respostas de urgência)\tAlta\n");
    let rows = [
        "O novo computador será\tServidor (guarda o banco de dados)\n",
        "Quem fará a instalação (nome e telefone)\tCarlos, 11 4000-0000\n",
        "Data desejada\t2026-12-10\n",
        "Quem é afetado\ta empresa toda\n",
        "Com que frequência acontece\tsempre\n",
    ];
    for pair in rows.windows(2) {
        assert!(
            at(pair[0]) < at(pair[1]),
            "{}: the profile's order, then what the app asked",
            mode.name
        );
    }
}

#[tokio::test]
async fn the_analyst_reads_words_by_email() {
    the_analyst_reads_words(EMAIL).await;
}

#[tokio::test]
async fn the_analyst_reads_words_by_json() {
    the_analyst_reads_words(JSON).await;
}

#[tokio::test]
async fn the_analyst_reads_words_by_plugin() {
    the_analyst_reads_words(PLUGIN).await;
}
