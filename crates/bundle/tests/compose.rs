//! The review of a bundle made from a real report collected here: each ticket field, each finding
//! and each probe is an item of its own; leaving one out takes it out of what is sent (the JSON,
//! the analyst's page, the ticket) and the manifest says so.

mod common;

use std::path::Path;

use chamado_bundle::compose::{self, Draft, Inputs};
use chamado_bundle::{BundleError, ItemKind, Limits, Manifest, Preview};
use chamado_diagnostics::personal::Personal;
use chamado_diagnostics::report::{self, Report};
use chamado_diagnostics::rules::{Finding, Severity};
use chamado_profile::{Lang, Text};

const USER: &str = "maria.souza";

fn report() -> Report {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let options = report::Options { skip_checks: true };
    let mut r = rt.block_on(report::collect(
        &chamado_profile::builtin(),
        "chamado test",
        &options,
    ));
    if let Some(s) = r.system.data.as_mut() {
        s.user_name = Some(Personal::new(USER.to_owned()));
    }
    r.findings.insert(
        0,
        Finding {
            rule: "teste.achado".into(),
            severity: Severity::Warning,
            title: Text {
                pt_br: "Achado de teste".into(),
                en: "Test finding".into(),
            },
            action: Text {
                pt_br: "Nada a fazer".into(),
                en: "Nothing to do".into(),
            },
            evidence: vec![format!(r"C:\Users\{USER}\AppData\gestao.ini")],
            check: None,
        },
    );
    r
}

fn draft(r: &Report) -> Draft {
    let inputs = Inputs {
        // The ticket as JSON, as the app's form gives it.
        ticket: serde_json::from_value(serde_json::json!({
            "topic": "erro",
            "summary": "Sistema não abre",
            "description": "Desde ontem",
            "contact": {"name": "Ana", "email": "ana@cliente.com.br", "phone": "11 99999-0000"},
        }))
        .unwrap(),
        contact_email: Some("ana@cliente.com.br".into()),
        screenshots: vec![("tela-1.webp".into(), vec![1, 2, 3], Preview::None)],
        ..Inputs::default()
    };
    compose::from_report(
        r,
        &chamado_profile::builtin(),
        inputs,
        "chamado test",
        Limits::default(),
        Lang::PtBr,
    )
    .unwrap()
}

fn unzip(path: &Path) -> Vec<(String, String)> {
    common::read_zip(path)
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    &files.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn every_field_finding_and_probe_is_an_item_with_a_redacted_preview() {
    let r = report();
    let review = draft(&r).review();
    let item = |id: &str| {
        review
            .items
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("no item {id}"))
    };
    for (id, required) in [
        ("field-summary", true),
        ("field-contact.email", true),
        ("field-contact.phone", false),
        ("finding-1", false),
        ("probe-system", false),
        ("probe-software", false),
        ("report-1", true),
        ("screenshot-1", false),
    ] {
        assert_eq!(item(id).required, required, "{id}");
    }
    assert_eq!(
        item("probe-network").part_of.as_deref(),
        Some("diagnostics.json")
    );
    assert_eq!(item("field-topic").part_of.as_deref(), Some("ticket"));
    assert_eq!(item("screenshot-1").part_of, None);
    assert_eq!(item("probe-network").label, "Rede");
    assert_eq!(
        r.findings.len(),
        review
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Finding)
            .count()
    );
    // What the user reads is what is sent: redacted.
    let text = |id: &str| match &item(id).preview {
        Preview::Text { text, .. } => text.clone(),
        other => panic!("{id}: {other:?}"),
    };
    assert!(text("finding-1").starts_with("Achado de teste\nNada a fazer\n"));
    let finding = text("finding-1");
    assert!(!finding.contains(USER), "{finding}");
    // The user's token, whatever its number (numbers follow the order values are met, and the
    // report is this machine's): the same in the finding and in the system probe.
    let start = finding.find(r"C:\Users\[usuário-").expect(&finding) + r"C:\Users\".len();
    let token = &finding[start..start + finding[start..].find(']').unwrap() + 1];
    assert!(
        finding.contains(&format!(r"C:\Users\{token}\AppData")),
        "{finding}"
    );
    assert!(!text("probe-system").contains(USER));
    assert!(
        text("probe-system").contains(token),
        "{token}: {}",
        text("probe-system")
    );
    assert!(item("probe-software").size > 0);
}

#[test]
fn a_probe_or_finding_left_out_is_not_sent_and_the_manifest_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let r = report();
    let mut d = draft(&r);
    let before = d.review().total_bytes;
    d.set_included("probe-software", false).unwrap();
    d.set_included("finding-1", false).unwrap();
    assert!(
        d.review().total_bytes < before,
        "leaving the installed programs out makes the bundle smaller"
    );
    let out = dir.path().join("pacote.zip");
    let manifest: Manifest = d.write(&out, false).unwrap();
    let files = unzip(&out);
    assert!(
        files.iter().all(|(n, _)| !n.contains('#')),
        "parts are not files"
    );
    let json: serde_json::Value = serde_json::from_str(file(&files, "diagnostics.json")).unwrap();
    assert_eq!(json["software"], serde_json::json!({ "left_out": true }));
    assert!(json["system"]["data"].is_object(), "the rest stays");
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        r.findings.len() - 1
    );
    let html = file(&files, "report.html");
    assert!(!html.contains("Achado de teste"));
    assert!(html.contains("Deixado de fora pelo usuário."));
    let left: Vec<(&str, &str)> = manifest
        .left_out
        .iter()
        .map(|l| (l.id.as_str(), l.label.as_str()))
        .collect();
    assert!(left.contains(&("probe-software", "Programas instalados")));
    assert!(left.contains(&("finding-1", "Achado de teste")));

    // Back in: sent again.
    d.set_included("probe-software", true).unwrap();
    d.write(&out, false).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(file(&unzip(&out), "diagnostics.json")).unwrap();
    assert!(json["software"].get("left_out").is_none());
}

#[test]
fn a_ticket_field_left_out_leaves_the_ticket_and_required_ones_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = draft(&report());
    d.set_included("field-contact.phone", false).unwrap();
    let ticket = d.ticket();
    let contact = ticket.contact.clone().unwrap();
    assert!(contact.phone.is_none());
    assert_eq!(contact.email.as_deref(), Some("ana@cliente.com.br"));
    let out = dir.path().join("pacote.zip");
    let manifest = d.write(&out, false).unwrap();
    assert_eq!(manifest.ticket, ticket);
    let err = d.set_included("field-summary", false).unwrap_err();
    assert!(matches!(err, BundleError::Required { .. }), "{err:?}");
}

#[test]
fn the_analysts_page_shows_each_screenshot_kept_and_none_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let r = report();
    let thumb = "UklGRiQAAABXRUJQVlA4TAcAAAAvAAAAAAfQ//73v/+BiOh/AAA=";
    let inputs = Inputs {
        ticket: chamado_bundle::BundleTicket::topic("erro", "Tela de erro"),
        screenshots: vec![
            (
                "tela-1.webp".into(),
                vec![1, 2, 3],
                Preview::Image {
                    mime: "image/webp".into(),
                    base64: thumb.into(),
                },
            ),
            ("tela-2.webp".into(), vec![4, 5, 6], Preview::None),
        ],
        ..Inputs::default()
    };
    let profile = chamado_profile::builtin();
    let mut d = compose::from_report(
        &r,
        &profile,
        inputs,
        "chamado test",
        Limits::default(),
        Lang::PtBr,
    )
    .unwrap();
    let out = dir.path().join("b.zip");
    d.write(&out, false).unwrap();
    let files = unzip(&out);
    let page = file(&files, "report.html");
    // After the findings, before the checks; the thumbnail inline and whole, linked to the file.
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in the page"))
    };
    assert!(at("O que encontramos") < at("Capturas de tela"));
    assert!(at("Capturas de tela") < at("Verificações de rede"));
    assert!(page.contains(&format!(
        "<a href=\"screenshots/tela-1.webp\"><img src=\"data:image/webp;base64,{thumb}\" alt=\"tela-1.webp\"></a>"
    )));
    assert!(page.contains("<a href=\"screenshots/tela-2.webp\">tela-2.webp</a>"));
    assert!(files.iter().any(|(n, _)| n == "screenshots/tela-1.webp"));

    d.set_included("screenshot-1", false).unwrap();
    d.write(&out, false).unwrap();
    let files = unzip(&out);
    let page = file(&files, "report.html");
    assert!(
        !page.contains("tela-1.webp"),
        "a shot left out is not on the page"
    );
    assert!(!page.contains(thumb));
    assert!(page.contains("screenshots/tela-2.webp"));
    assert!(!files.iter().any(|(n, _)| n == "screenshots/tela-1.webp"));
}
