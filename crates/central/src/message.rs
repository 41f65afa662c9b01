//! The message the analyst reads in osTicket (pt-BR), the same in every way of creating a
//! ticket: what central reads from the bundle ([`read_bundle`]) and the HTML built from it and
//! the ticket ([`message_html`]), within [`HTML_MAX`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chamado_profile::Lang;
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

/// The message being written, within `max` bytes: a part that would not fit is left out.
struct Capped {
    h: String,
    max: usize,
    cut: bool,
}

impl Capped {
    /// Appends `part` when it fits, leaving `RESERVE` for what closes the message.
    fn push(&mut self, part: &str) -> bool {
        if self.h.len() + part.len() + RESERVE <= self.max {
            self.h.push_str(part);
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
        max: HTML_MAX.saturating_sub(tail.len()),
        cut: false,
    };
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
                escape(&cut(v, TEXT_MAX))
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
            row("Módulo", m);
        }
        if let Some(v) = digest.and_then(|d| d.program_version.as_deref()) {
            row("Versão do programa", v);
        }
        row("Contato", &f.contact_name);
        if let Some(p) = &f.contact_phone {
            row("Telefone", p);
        }
        let fields: BTreeMap<String, Value> = serde_json::from_str(&f.fields).unwrap_or_default();
        for (k, v) in &fields {
            if let Some(v) = field_value(v) {
                row(r.labels.get(k).unwrap_or(k), &v);
            }
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
