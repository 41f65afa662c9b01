//! The message the analyst reads in osTicket (pt-BR), the same in every way of creating a
//! ticket: what central reads from the bundle ([`read_bundle`]) and the HTML built from it and
//! the ticket ([`message_html`]), within [`HTML_MAX`]; and how a text must be written for
//! osTicket's own decoding to leave it as typed ([`html_for_osticket`],
//! [`text_for_osticket`]; checked on the real osTicket by `tests/osticket_text.rs`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chamado_profile::Lang;
use chamado_wire::report::Severity;
use chamado_wire::{DiagnosticsDigest, Finding, Manifest, WhatChanged};
use serde_json::Value;

use crate::db::Forward;
use crate::forward::{Outgoing, Routing};
use crate::page::escape;

/// What central reads from a bundle for the analyst: the findings, what changed, the vendor
/// program's version, and the contents list.
#[derive(Debug, Default)]
pub struct BundleDigest {
    pub findings: Vec<Finding>,
    pub changes: Option<WhatChanged>,
    pub program_version: Option<String>,
    /// Path and size of each item (the manifest's, else the zip's entries).
    pub contents: Vec<(String, u64)>,
    /// What the customer chose not to send.
    pub left_out: Vec<String>,
    /// Why part of it could not be read (the ticket goes anyway).
    pub problem: Option<String>,
}

/// Most of `diagnostics.json` / `manifest.json` read (they are a few hundred KiB at most; the
/// message shows only [`HTML_MAX`] of them anyway).
const JSON_MAX: u64 = 4 * 1024 * 1024;

/// Reads a bundle's digest from the zip at `path`. A damaged bundle gives what could be read
/// and the problem, never an error: the ticket must go anyway.
pub fn read_bundle(path: &std::path::Path) -> BundleDigest {
    use std::io::Read;
    let mut d = BundleDigest::default();
    let mut zip = match std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()))
    {
        Ok(z) => z,
        Err(e) => {
            d.problem = Some(format!("o pacote não pôde ser lido: {e}"));
            return d;
        }
    };
    let mut read_json = |name: &str| -> Option<Result<Vec<u8>, String>> {
        let entry = zip.by_name(name).ok()?;
        let mut buf = Vec::new();
        Some(
            entry
                .take(JSON_MAX)
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| e.to_string()),
        )
    };
    let mut problems = Vec::new();
    match read_json("diagnostics.json") {
        Some(Ok(bytes)) => match serde_json::from_slice::<DiagnosticsDigest>(&bytes) {
            Ok(diag) => {
                d.program_version = diag.program_version().map(str::to_owned);
                d.findings = diag.findings;
                d.changes = diag.changes;
            }
            Err(e) => problems.push(format!("diagnostics.json: {e}")),
        },
        Some(Err(e)) => problems.push(format!("diagnostics.json: {e}")),
        None => problems.push("o pacote não tem diagnostics.json".to_owned()),
    }
    match read_json("manifest.json") {
        Some(Ok(bytes)) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) => {
                d.contents = m.items.into_iter().map(|i| (i.path, i.size)).collect();
                d.left_out = m.left_out.into_iter().map(|l| l.label).collect();
            }
            Err(e) => problems.push(format!("manifest.json: {e}")),
        },
        Some(Err(e)) => problems.push(format!("manifest.json: {e}")),
        None => {}
    }
    if d.contents.is_empty() {
        for i in 0..zip.len() {
            if let Ok(e) = zip.by_index_raw(i) {
                if let Ok(name) = e.name() {
                    d.contents.push((name.into_owned(), e.size()));
                }
            }
        }
    }
    if !problems.is_empty() {
        d.problem = Some(problems.join("; "));
    }
    d
}

fn text_html(s: &str) -> String {
    escape(s).replace('\n', "<br>\n")
}

fn field_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("Sim".into()),
        Value::Bool(false) => Some("Não".into()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What the profile in force says about a ticket's values, so the analyst reads words, not ids.
#[derive(Debug, Default)]
pub struct ProfileWords {
    /// The ticket's topic: its fields' labels, order and choices.
    pub topic: Option<chamado_profile::Topic>,
    /// The module's label.
    pub module: Option<String>,
}

/// What the app adds to a topic's fields (chamado-app `TicketDraft::ticket`, `remote`), in the
/// order the customer answered them, with the analyst's label.
const ASKED: &[(&str, &str)] = &[
    ("empresa", "Empresa (como o cliente escreveu)"),
    ("acompanhar", "Também acompanha (e-mail)"),
    ("urgencia_afetados", "Quem é afetado"),
    ("urgencia_trabalho_parado", "O trabalho está parado"),
    ("urgencia_tem_contorno", "Dá para contornar"),
    ("urgencia_frequencia", "Com que frequência acontece"),
    ("guias_consultados", "Guias que o cliente consultou"),
    ("acesso_remoto", "Acesso remoto (ID)"),
];

fn priority_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "low" => "Baixa",
        "normal" => "Normal",
        "high" => "Alta",
        "urgent" => "Urgente",
        _ => return None,
    })
}

/// The ticket's fields as (label, value) rows: the topic's in the profile's order, a choice as
/// its label; then what the app asked; then any other, by name.
fn field_rows(r: &Routing, f: &Forward, words: &ProfileWords) -> Vec<(String, String)> {
    let mut values: BTreeMap<String, Value> = serde_json::from_str(&f.fields).unwrap_or_default();
    let mut rows = Vec::new();
    for field in words.topic.iter().flat_map(|t| &t.fields) {
        if let Some(v) = values.remove(&field.name).as_ref().and_then(field_value) {
            let shown = field
                .options
                .iter()
                .find(|o| o.value == v)
                .map_or(v, |o| o.label.get(Lang::PtBr).to_owned());
            rows.push((field.label.get(Lang::PtBr).to_owned(), shown));
        }
    }
    for (name, label) in ASKED {
        if let Some(v) = values.remove(*name).as_ref().and_then(field_value) {
            rows.push(((*label).to_owned(), v));
        }
    }
    for (k, v) in &values {
        if let Some(v) = field_value(v) {
            rows.push((r.labels.get(k).unwrap_or(k).clone(), v));
        }
    }
    rows
}

/// The few lines an analyst reads first: the topic and the customer's summary, the main finding,
/// what changed, the urgency.
fn summary_html(r: &Routing, f: &Forward, digest: Option<&BundleDigest>) -> String {
    let mut lines = vec![format!(
        "<strong>{}</strong>: {}",
        escape(&cut(r.topic_label.as_deref().unwrap_or(&f.topic), ITEM_MAX)),
        escape(&cut(&f.summary, ITEM_MAX))
    )];
    let more = |n: usize| match n {
        0 => String::new(),
        1 => " (e mais 1)".to_owned(),
        n => format!(" (e mais {n})"),
    };
    if let Some(d) = digest {
        // Findings come most severe first; context alone is no finding.
        let worth: Vec<&Finding> = d
            .findings
            .iter()
            .filter(|x| x.severity != Severity::Info)
            .collect();
        lines.push(match worth.first() {
            Some(x) => format!(
                "Principal achado: {}{}",
                escape(&cut(x.title.get(Lang::PtBr), ITEM_MAX)),
                more(worth.len() - 1)
            ),
            None => "Principal achado: nenhum problema nas verificações".to_owned(),
        });
        if let Some(ch) = &d.changes {
            let since = escape(ch.since.get(..10).unwrap_or(&cut(&ch.since, 40)));
            lines.push(match ch.changes.first() {
                Some(x) => format!(
                    "O que mudou desde {since}: {}{}",
                    escape(&cut(x.describe().get(Lang::PtBr), ITEM_MAX)),
                    more(ch.changes.len() - 1)
                ),
                None => format!("O que mudou desde {since}: nada"),
            });
        }
    }
    let values: BTreeMap<String, Value> = serde_json::from_str(&f.fields).unwrap_or_default();
    let answer = |k: &str| values.get(k).and_then(field_value);
    let urgency: Vec<String> = [
        f.priority
            .as_deref()
            .and_then(priority_words)
            .map(|p| format!("prioridade {}", p.to_lowercase())),
        answer("urgencia_afetados").map(|a| format!("afetados: {a}")),
        answer("urgencia_trabalho_parado")
            .filter(|v| v == "sim")
            .map(|_| "trabalho parado".to_owned()),
        answer("urgencia_frequencia").map(|f| format!("frequência: {f}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !urgency.is_empty() {
        lines.push(format!(
            "Urgência: {}",
            escape(&cut(&urgency.join("; "), ITEM_MAX))
        ));
    }
    format!("<p>{}</p>", lines.join("<br>\n"))
}

/// Most of the message's HTML: a bundle made to blow it up (a 33 KB zip of 16 MiB of
/// escapable findings) made a 262 MiB e-mail. Past it, parts are left out with a note; the
/// bundle itself goes along (attached or linked) in full.
pub const HTML_MAX: usize = 256 * 1024;
/// Most characters of one text shown (the customer's, a finding's evidence, a path).
const TEXT_MAX: usize = 16 * 1024;
const ITEM_MAX: usize = 1024;
/// Most evidence lines shown per finding.
const EVIDENCE_MAX: usize = 20;
/// Room kept for the closing tags and the notes saying what was cut.
const RESERVE: usize = 4 * 1024;

/// `s` cut to `max` characters, with a note saying how many more there were.
fn cut(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((i, _)) => {
            let more = s[i..].chars().count();
            std::borrow::Cow::Owned(format!("{}… [cortado: mais {more} caracteres]", &s[..i]))
        }
    }
}

/// The message being written, within `max` bytes as osTicket receives it (escaped by
/// [`html_for_osticket`], here or by the plugin): a part that would not fit is left out.
struct Capped {
    h: String,
    /// What escaping adds to `h`'s parts.
    escaped: usize,
    max: usize,
    cut: bool,
}

impl Capped {
    /// Appends `part` when it fits, leaving `RESERVE` for what closes the message.
    fn push(&mut self, part: &str) -> bool {
        let extra = escaping_adds(part);
        if self.h.len() + self.escaped + part.len() + extra + RESERVE <= self.max {
            self.h.push_str(part);
            self.escaped += extra;
            true
        } else {
            self.cut = true;
            false
        }
    }

    /// Appends `items` (each an `<li>`) while they fit, then a note naming how many did not.
    fn list(&mut self, items: impl ExactSizeIterator<Item = String>) {
        let total = items.len();
        for (i, item) in items.enumerate() {
            if !self.push(&item) {
                let _ = write!(
                    self.h,
                    "<li><em>… e mais {} itens, cortados: a mensagem tem um limite de tamanho \
                     (o pacote completo vai anexado ou no link).</em></li>",
                    total - i
                );
                return;
            }
        }
    }
}

/// The message the analyst reads in osTicket (pt-BR): the customer's text, the ticket's data,
/// the findings and what changed, the bundle's contents and the files. Every value is escaped;
/// the whole is at most [`HTML_MAX`] bytes (long texts cut, long lists shortened, each with a
/// note), built in one pass.
pub fn message_html(
    r: &Routing,
    f: &Forward,
    words: &ProfileWords,
    digest: Option<&BundleDigest>,
    files: &[Outgoing],
) -> String {
    // The files (their links above all) are never cut: written first, placed last.
    let mut tail = String::new();
    if !files.is_empty() {
        tail.push_str("<h3>Arquivos</h3><ul>");
        for file in files {
            match file {
                Outgoing::Inside { name, bytes, .. } => {
                    let _ = write!(
                        tail,
                        "<li>{} ({} bytes): anexado</li>",
                        escape(&cut(name, 300)),
                        bytes.len()
                    );
                }
                Outgoing::Link {
                    name,
                    size,
                    url,
                    expires,
                } => {
                    let _ = write!(
                        tail,
                        "<li>{} ({size} bytes): grande demais para anexar; \
                         <a href=\"{u}\">baixar do servidor Chamado</a> (link válido até {e}): {u}</li>",
                        escape(&cut(name, 300)),
                        u = escape(url),
                        e = escape(expires),
                    );
                }
            }
        }
        tail.push_str("</ul>");
    }
    let mut c = Capped {
        h: String::new(),
        escaped: 0,
        max: HTML_MAX.saturating_sub(tail.len() + escaping_adds(&tail)),
        cut: false,
    };
    if f.kind == "create" {
        c.push(&summary_html(r, f, digest));
    }
    c.push(&format!("<p>{}</p>", text_html(&cut(&f.body, TEXT_MAX))));
    if f.author == "technician" {
        c.push("<p><em>Enviado pelo técnico de campo.</em></p>");
    }
    if f.kind == "create" {
        let mut rows = Vec::new();
        let mut row = |k: &str, v: &str| {
            rows.push(format!(
                "<tr><th align=\"left\">{}</th><td>{}</td></tr>",
                escape(&cut(k, ITEM_MAX)),
                text_html(&cut(v, TEXT_MAX))
            ));
        };
        row("Referência Chamado", &f.reference);
        row("Empresa", &f.company);
        let topic = match (&r.topic_label, r.topic_id) {
            (Some(l), Some(id)) => format!("{l} ({}; topicId {id})", f.topic),
            (Some(l), None) => format!("{l} ({})", f.topic),
            (None, Some(id)) => format!("{} (topicId {id})", f.topic),
            (None, None) => f.topic.clone(),
        };
        row("Assunto", &topic);
        if let Some(m) = &f.module {
            row("Módulo", words.module.as_deref().unwrap_or(m));
        }
        if let Some(v) = digest.and_then(|d| d.program_version.as_deref()) {
            row("Versão do programa", v);
        }
        if let Some(p) = f.priority.as_deref().and_then(priority_words) {
            row("Prioridade (pelas respostas de urgência)", p);
        }
        row("Contato", &f.contact_name);
        if let Some(p) = &f.contact_phone {
            row("Telefone", p);
        }
        for (label, value) in field_rows(r, f, words) {
            row(&label, &value);
        }
        c.push("<h3>Dados do chamado</h3><table>");
        for row in rows {
            if !c.push(&row) {
                break;
            }
        }
        c.h.push_str("</table>");
    }
    if let Some(d) = digest {
        c.push("<h3>O que encontramos</h3>");
        if d.findings.is_empty() {
            c.push("<p>Nenhum problema encontrado nas verificações.</p>");
        } else {
            c.h.push_str("<ul>");
            c.list(d.findings.iter().map(|x| {
                let mut li = format!(
                    "<li><strong>{}</strong> — {}",
                    escape(&cut(x.title.get(Lang::PtBr), ITEM_MAX)),
                    escape(&cut(x.action.get(Lang::PtBr), ITEM_MAX))
                );
                for e in x.evidence.iter().take(EVIDENCE_MAX) {
                    let _ = write!(li, "<br><small>{}</small>", escape(&cut(e, ITEM_MAX)));
                }
                if x.evidence.len() > EVIDENCE_MAX {
                    let _ = write!(
                        li,
                        "<br><small>… e mais {} linhas</small>",
                        x.evidence.len() - EVIDENCE_MAX
                    );
                }
                li.push_str("</li>");
                li
            }));
            c.h.push_str("</ul>");
        }
        if let Some(ch) = &d.changes {
            let since = cut(&ch.since, 40);
            c.push(&format!(
                "<h3>O que mudou desde {}</h3>",
                escape(ch.since.get(..10).unwrap_or(since.as_ref()))
            ));
            if ch.changes.is_empty() {
                c.push("<p>Nada mudou.</p>");
            } else {
                c.h.push_str("<ul>");
                c.list(ch.changes.iter().map(|x| {
                    format!(
                        "<li>{}</li>",
                        escape(&cut(x.describe().get(Lang::PtBr), ITEM_MAX))
                    )
                }));
                c.h.push_str("</ul>");
            }
        }
        c.push("<h3>Conteúdo do pacote</h3>");
        c.h.push_str("<ul>");
        c.list(
            d.contents
                .iter()
                .map(|(p, size)| format!("<li>{} ({} bytes)</li>", escape(&cut(p, 300)), size)),
        );
        c.h.push_str("</ul>");
        if !d.left_out.is_empty() {
            let left: Vec<String> = d
                .left_out
                .iter()
                .take(100)
                .map(|l| escape(&cut(l, 300)))
                .collect();
            c.push(&format!(
                "<p>O cliente preferiu não enviar: {}</p>",
                left.join(", ")
            ));
        }
        if let Some(p) = &d.problem {
            c.push(&format!("<p><em>{}</em></p>", escape(&cut(p, ITEM_MAX))));
        }
    }
    if c.cut {
        c.h.push_str(
            "<p><em>Mensagem cortada: ela passou do limite de tamanho. \
             O pacote de diagnóstico vai completo, anexado ou no link.</em></p>",
        );
    }
    c.h.push_str(&tail);
    c.h
}

/// Characters osTicket drops from what it stores (`Format::strip_emoticons`: emoji and some
/// symbols, `ª` and `©` among them) or cannot store (its tables are `utf8`, 3 bytes: nothing
/// beyond U+FFFF; MariaDB writes `????`).
fn osticket_drops(c: char) -> bool {
    matches!(c as u32,
        0xA9..=0xAE | 0x2310..=0x231F | 0x2322..=0x232F | 0x23E0..=0x23FF | 0x2702..=0x27B0
        | 0x10000..)
}

/// How many bytes [`html_for_osticket`] adds to `s`.
fn escaping_adds(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '&' => 4,
            '\u{AA}' => 10,
            c if osticket_drops(c) => 10,
            _ => 0,
        })
        .sum()
}

/// The message's HTML as it must go to osTicket's `tickets.email` and `tickets.json` (the
/// plugin does the same itself): osTicket decodes `&amp;` `&lt;` `&gt;` `&quot;` once before
/// cleaning (`Format::safe_html`), so `&lt;Maria&gt;` would become a tag and vanish: every `&`
/// is escaped once more, the exact inverse of that pass. A character osTicket drops cannot
/// reach the stored message in any spelling (its HTML parser turns references into characters
/// first), so it is written as its code point, `[U+1F600]`; `ª` as a raised `a`.
pub fn html_for_osticket(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    for c in html.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\u{AA}' => out.push_str("<sup>a</sup>"),
            '\u{AD}' => {} // a soft hyphen: invisible anyway
            c if osticket_drops(c) => {
                let _ = write!(out, "[U+{:04X}]", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A plain text for one of osTicket's text fields (the subject, a custom field's value) as it
/// must go so its ticket page shows it as typed. Such a text is decoded once when stored
/// (`TextboxField::parse`: `strip_tags(htmldecode(…))`) and again when shown (`Format::sanitize`), and characters osTicket drops are removed when
/// stored. `<`, `>` and `&` go as decimal references without `;`, which PHP's decoding leaves
/// and the HTML parser that shows them reads (a digit or `;` right after one goes the same way,
/// so it cannot extend it); dropped characters go as `&#N;`, kept as written and shown.
pub fn text_for_osticket(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open_ref = false;
    for c in text.chars() {
        let bare = matches!(c, '<' | '>' | '&') || (open_ref && (c.is_ascii_digit() || c == ';'));
        if bare {
            let _ = write!(out, "&#{}", c as u32);
        } else if osticket_drops(c) {
            let _ = write!(out, "&#{};", c as u32);
        } else {
            out.push(c);
        }
        open_ref = bare;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_field_goes_as_references_osticket_does_not_decode() {
        assert_eq!(
            text_for_osticket("João & <Maria>"),
            "João &#38 &#60Maria&#62"
        );
        // A digit or `;` after a reference cannot extend it.
        assert_eq!(text_for_osticket("<1>;x"), "&#60&#49&#62&#59x");
        assert_eq!(text_for_osticket("1ª 😀"), "1&#170; &#128512;");
    }

    #[test]
    fn the_message_is_escaped_once_more_and_its_cap_counts_it() {
        assert_eq!(
            html_for_osticket("<p>a &lt;b&gt; 😀 1ª</p>"),
            "<p>a &amp;lt;b&amp;gt; [U+1F600] 1<sup>a</sup></p>"
        );
        let s = "&lt;x&gt; 😀 ª";
        assert!(html_for_osticket(s).len() <= s.len() + escaping_adds(s));
    }
}
