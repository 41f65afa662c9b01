//! The receipt of a sent ticket: one HTML file the customer can keep (no script, nothing loaded
//! from elsewhere, every value escaped), in their language and local time.

use std::path::{Path, PathBuf};

use chamado_client::Sent;
use chamado_profile::{Lang, Profile};

use crate::error::{AppError, ErrorCode};

fn esc(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// When it was sent, in the computer's time zone, as people there write it.
fn local_time(rfc3339: &str, lang: Lang) -> String {
    let Ok(at) = rfc3339.parse::<jiff::Timestamp>() else {
        return rfc3339.to_owned();
    };
    let local = at.to_zoned(jiff::tz::TimeZone::system());
    match lang {
        Lang::PtBr => local.strftime("%d/%m/%Y às %H:%M").to_string(),
        Lang::En => local.strftime("%B %-d, %Y at %-I:%M %p").to_string(),
    }
}

/// The receipt's page.
pub fn render(profile: &Profile, sent: &Sent, email: Option<&str>, lang: Lang) -> String {
    let pt = lang == Lang::PtBr;
    let number = sent.number.as_deref().unwrap_or(&sent.reference);
    let topic = profile
        .topics
        .iter()
        .find(|t| t.id == sent.topic)
        .map_or(sent.topic.as_str(), |t| t.label.get(lang));
    let v = &profile.vendor;
    let mut rows = vec![
        (if pt { "Número" } else { "Number" }, esc(number)),
        (
            if pt { "Enviado em" } else { "Sent" },
            esc(&local_time(&sent.sent_at, lang)),
        ),
        (if pt { "Assunto" } else { "Subject" }, esc(&sent.summary)),
        (
            if pt { "Tipo de ajuda" } else { "Kind of help" },
            esc(topic),
        ),
    ];
    if let Some(link) = sent.link.as_deref() {
        rows.push((
            if pt { "Acompanhar" } else { "Follow it" },
            format!("<a href=\"{0}\">{0}</a>", esc(link)),
        ));
    }
    let table: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><th scope=\"row\">{k}</th><td>{v}</td></tr>"))
        .collect();
    let next = match (pt, email) {
        (true, Some(e)) => format!(
            "As respostas do suporte chegam no e-mail <strong>{}</strong> e aparecem em Meus chamados, no Chamado.",
            esc(e)
        ),
        (true, None) => "As respostas do suporte aparecem em Meus chamados, no Chamado.".to_owned(),
        (false, Some(e)) => format!(
            "Support's replies go to <strong>{}</strong> and appear in My tickets, in Chamado.",
            esc(e)
        ),
        (false, None) => "Support's replies appear in My tickets, in Chamado.".to_owned(),
    };
    let phone_note = v
        .phone_note
        .as_ref()
        .map(|n| format!(" ({})", esc(n.get(lang))))
        .unwrap_or_default();
    let (title, heading, contact) = if pt {
        (
            format!("Comprovante do chamado {}", esc(number)),
            format!("Chamado {} aberto com {}", esc(number), esc(&v.name)),
            format!(
                "Atendimento: {}. Telefone: {}{phone_note}.",
                esc(v.hours.get(lang)),
                esc(&v.phone)
            ),
        )
    } else {
        (
            format!("Receipt of ticket {}", esc(number)),
            format!("Ticket {} opened with {}", esc(number), esc(&v.name)),
            format!(
                "Support hours: {}. Phone: {}{phone_note}.",
                esc(v.hours.get(lang)),
                esc(&v.phone)
            ),
        )
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}}\
         th{{text-align:left;padding:.4rem 1rem .4rem 0;vertical-align:top;white-space:nowrap}}\
         td{{padding:.4rem 0}}table{{border-collapse:collapse;margin:1rem 0}}\
         tr{{border-bottom:1px solid #ccc}}</style></head><body><h1>{heading}</h1>\
         <table>{table}</table><p>{next}</p><p>{contact}</p></body></html>",
        lang = lang.code(),
    )
}

/// Writes the receipt of `sent` into `dir` (`Chamado 2026-000001.html`) and answers its path.
pub fn save(
    dir: &Path,
    profile: &Profile,
    sent: &Sent,
    email: Option<&str>,
    lang: Lang,
) -> Result<PathBuf, AppError> {
    let number = sent.number.as_deref().unwrap_or(&sent.reference);
    // A number from central names a file: nothing but what a file name may hold.
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = match lang {
        Lang::PtBr => format!("Chamado {safe}.html"),
        Lang::En => format!("Ticket {safe}.html"),
    };
    let path = dir.join(name);
    std::fs::create_dir_all(dir)
        .and_then(|()| {
            chamado_client::atomic::write(&path, render(profile, sent, email, lang).as_bytes())
        })
        .map_err(|e| AppError::new(ErrorCode::Storage, format!("{}: {e}", path.display())))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Sent {
        Sent {
            reference: "CH-1".into(),
            number: Some("2026-000042".into()),
            link: Some("https://central.example/t/CH-1/k?a=1&b=<2>".into()),
            status: chamado_client::TicketStatus::Open,
            topic: "erro".into(),
            summary: "Nota <fiscal> \"não\" sai".into(),
            sent_at: "2026-12-06T13:05:00Z".into(),
            updated_at: "2026-12-06T13:05:00Z".into(),
            replies: Vec::new(),
            seen_reply: None,
            replies_as_of: None,
        }
    }

    #[test]
    fn the_receipt_has_the_number_the_link_and_the_vendors_hours_all_escaped() {
        let profile = chamado_profile::builtin();
        let html = render(&profile, &sent(), Some("ana@cliente.com.br"), Lang::PtBr);
        assert!(html.contains("Chamado 2026-000042 aberto com"));
        assert!(html.contains("Nota &lt;fiscal&gt; &quot;não&quot; sai"));
        assert!(html.contains("b=&lt;2&gt;"), "the link escaped");
        assert!(html.contains("Reportar erro"), "the topic's name");
        assert!(html.contains("ana@cliente.com.br"));
        assert!(html.contains(&esc(&profile.vendor.phone)));
        assert!(!html.contains("<script"));
        let en = render(&profile, &sent(), None, Lang::En);
        assert!(en.contains("Ticket 2026-000042 opened with"));
    }

    #[test]
    fn the_receipt_is_saved_under_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let profile = chamado_profile::builtin();
        let evil = Sent {
            number: Some("../../x".into()),
            ..sent()
        };
        let path = save(dir.path(), &profile, &evil, None, Lang::PtBr).unwrap();
        assert_eq!(path.parent(), Some(dir.path()), "never outside the folder");
        assert!(std::fs::read_to_string(&path).unwrap().contains("Chamado"));
    }
}
