//! The customer's quick-access page (pt-BR): the ticket's number, status and thread. Every value
//! is escaped; no script, nothing loaded from elsewhere.

use crate::db::{Message, TicketSummary};

/// Text and attribute values, escaped.
pub fn escape(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "Aberto: aguardando o suporte",
        "answered" => "Respondido: aguardando você",
        "closed" => "Encerrado",
        _ => "Em andamento",
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}\
    .msg{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:1rem 0;white-space:pre-wrap}\
    .staff{background:#f3f7ff}.meta{color:#666;font-size:.85rem}";

pub fn ticket(t: &TicketSummary, thread: &[Message]) -> String {
    let mut html = format!(
        "<!doctype html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>Chamado {n}</title>\
         <style>{STYLE}</style></head><body><h1>Chamado {n}</h1><p><strong>{summary}</strong></p>\
         <p>Situação: {status}</p>",
        n = escape(t.number.as_deref().unwrap_or(&t.reference)),
        summary = escape(&t.summary),
        status = status_label(t.status.as_str()),
    );
    for m in thread {
        let (class, who) = if m.author == "staff" {
            ("msg staff", "Suporte")
        } else {
            ("msg", "Você")
        };
        html.push_str(&format!(
            "<div class=\"{class}\"><div class=\"meta\">{who}, {at}</div>{body}",
            at = escape(&m.created_at),
            body = escape(&m.body)
        ));
        for a in &m.attachments {
            html.push_str(&format!(
                "<div class=\"meta\">Anexo: {} ({} bytes)</div>",
                escape(&chamado_wire::names::safe_file_name(&a.name, "anexo")),
                a.size
            ));
        }
        html.push_str("</div>");
    }
    if t.status == crate::db::Status::Closed {
        html.push_str(
            "<p>Este chamado está encerrado. Para um problema novo, abra outro chamado.</p>",
        );
    } else {
        html.push_str(
            "<form method=\"post\" enctype=\"multipart/form-data\"><h2>Responder</h2>\
             <p><textarea name=\"body\" rows=\"6\" cols=\"60\" required></textarea></p>\
             <p><label>Anexos: <input type=\"file\" name=\"attachment\" multiple></label></p>\
             <p><button type=\"submit\">Enviar resposta</button></p></form>",
        );
    }
    html.push_str("</body></html>");
    html
}

pub fn closed(t: &TicketSummary) -> String {
    format!(
        "<!doctype html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"><title>Chamado encerrado</title>\
         <style>{STYLE}</style></head><body><h1>Chamado {n} encerrado</h1>\
         <p>Este chamado está encerrado. Para um problema novo, abra outro chamado.</p></body></html>",
        n = escape(t.number.as_deref().unwrap_or(&t.reference)),
    )
}

pub fn not_found() -> String {
    format!(
        "<!doctype html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"><title>Chamado não encontrado</title>\
         <style>{STYLE}</style></head><body><h1>Chamado não encontrado</h1>\
         <p>Confira o link do e-mail de confirmação.</p></body></html>"
    )
}
