//! The bundle as the analyst and the user see it: what is in the zip, the review list and its
//! budget, attachments that are too large or gone, and names that are safe to extract.

mod common;

use std::path::Path;

use chamado_bundle::names::sanitize;
use chamado_bundle::{Bundle, BundleError, BundleTicket, ItemKind, Limits, Manifest, Preview};
use chamado_profile::Lang;
use common::read_zip;
use sha2::{Digest, Sha256};

fn ticket() -> BundleTicket {
    BundleTicket {
        module: Some("Financeiro".into()),
        ..BundleTicket::topic("erro", "Sistema não abre")
    }
}

/// A report, a screenshot-like binary, a log and an attachment.
fn sample(dir: &Path, limits: Limits) -> Bundle {
    let mut b = Bundle::new(ticket(), "chamado test", limits);
    let report = "<h1>Relatório</h1>".repeat(200);
    b.add_bytes(
        ItemKind::Report,
        "report.html",
        "Relatório",
        report.clone().into_bytes(),
        true,
        Preview::text(&report),
    );
    b.add_bytes(
        ItemKind::Diagnostics,
        "diagnostics.json",
        "Diagnóstico",
        br#"{"format":1}"#.to_vec(),
        true,
        Preview::None,
    );
    let pixels: Vec<u8> = (0..30_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    b.add_bytes(
        ItemKind::Screenshot,
        "tela 1.webp",
        "Tela 1",
        pixels,
        false,
        Preview::None,
    );
    let log = "2026-11-24 10:00:01 ERRO conexão recusada\n".repeat(500);
    b.add_bytes(
        ItemKind::Log,
        "gestao.log",
        "gestao.log",
        log.clone().into_bytes(),
        false,
        Preview::text(&log),
    );
    let file = dir.join("nota fiscal.txt");
    std::fs::write(&file, "NF 123\n".repeat(100)).unwrap();
    b.add_attachment(&file).unwrap();
    b.set_redacted(&serde_json::json!({"user_name": {"replaced": 3, "distinct": 1}}));
    b
}

#[test]
fn the_zip_holds_every_item_and_a_manifest_with_their_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let b = sample(dir.path(), Limits::default());
    let out = dir.path().join("pacote.zip");
    let manifest = b.write(&out, false).unwrap();
    let entries = read_zip(&out);
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "report.html",
            "diagnostics.json",
            "screenshots/tela 1.webp",
            "logs/gestao.log",
            "attachments/nota fiscal.txt",
            "manifest.json"
        ]
    );
    let written: Manifest = serde_json::from_slice(&entries.last().unwrap().1).unwrap();
    assert_eq!(written, manifest);
    assert_eq!(written.ticket.summary.as_deref(), Some("Sistema não abre"));
    assert_eq!(written.redacted["user_name"].replaced, 3);
    // The JSON another machine reads: the ticket's keys in alphabetical order, as when it was
    // an untyped object.
    let text = String::from_utf8(entries.last().unwrap().1.clone()).unwrap();
    assert!(
        text.contains(
            "\"ticket\": {\n    \"module\": \"Financeiro\",\n    \"summary\": \"Sistema não abre\",\n    \"topic\": \"erro\"\n  },"
        ),
        "{text}"
    );
    for (item, (name, bytes)) in written.items.iter().zip(&entries) {
        assert_eq!(&item.path, name);
        assert_eq!(item.size, bytes.len() as u64);
        let hash: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(item.sha256, hash, "{name}");
    }
    assert!(written.left_out.is_empty());
    // The estimate the review shows is what gets written, within the zip's bookkeeping.
    let actual = std::fs::metadata(&out).unwrap().len();
    let estimate = b.review().total_bytes;
    assert!(
        actual.abs_diff(estimate) * 50 < actual,
        "estimate {estimate}, actual {actual}"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let b = sample(dir.path(), Limits::default());
    let (one, two) = (dir.path().join("1.zip"), dir.path().join("2.zip"));
    b.write(&one, false).unwrap();
    b.write(&two, false).unwrap();
    assert_eq!(std::fs::read(one).unwrap(), std::fs::read(two).unwrap());
}

#[test]
fn left_out_items_are_not_sent_and_are_listed_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = sample(dir.path(), Limits::default());
    let before = b.review().total_bytes;
    b.set_included("log-1", false).unwrap();
    let review = b.review();
    assert!(
        review.total_bytes < before,
        "the total follows the switches"
    );
    assert!(
        !review
            .items
            .iter()
            .find(|i| i.id == "log-1")
            .unwrap()
            .included
    );
    let out = dir.path().join("p.zip");
    let manifest = b.write(&out, false).unwrap();
    assert!(read_zip(&out).iter().all(|(n, _)| n != "logs/gestao.log"));
    assert_eq!(manifest.left_out.len(), 1);
    assert_eq!(manifest.left_out[0].label, "gestao.log");
    // Required items stay, with a message that says why.
    let err = b.set_included("report-1", false).unwrap_err();
    assert_eq!(err.code(), "required");
    assert!(err.message(Lang::PtBr).contains("não pode ser retirado"));
    assert_eq!(
        b.set_included("nada-9", true).unwrap_err().code(),
        "unknown_item"
    );
}

#[test]
fn over_the_budget_the_largest_optional_items_are_proposed_and_nothing_is_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        budget_bytes: 20_000,
        ..Limits::default()
    };
    let b = sample(dir.path(), limits);
    let review = b.review();
    assert!(review.over_budget, "{}", review.total_bytes);
    // The incompressible screenshot (30 KB) is the largest optional item and enough on its own.
    assert_eq!(review.proposal, ["screenshot-1"]);
    let out = dir.path().join("p.zip");
    let err = b.write(&out, false).unwrap_err();
    assert_eq!(err.code(), "over_budget");
    assert!(err.message(Lang::PtBr).contains("acima do limite"));
    assert!(!out.exists());
    // The user decides: send it anyway.
    b.write(&out, true).unwrap();
    assert!(out.exists());
}

#[test]
fn attachments_over_the_limits_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        attachment_max_bytes: 1000,
        attachments_total_max_bytes: 1500,
        ..Limits::default()
    };
    let mut b = Bundle::new(ticket(), "t", limits);
    let big = dir.path().join("planilha.xlsx");
    std::fs::write(&big, vec![0u8; 1001]).unwrap();
    let err = b.add_attachment(&big).unwrap_err();
    assert_eq!(err.code(), "attachment_too_large");
    assert!(
        err.message(Lang::PtBr).contains("“planilha.xlsx”"),
        "{}",
        err.message(Lang::PtBr)
    );
    let a = dir.path().join("a.txt");
    std::fs::write(&a, vec![b'a'; 900]).unwrap();
    b.add_attachment(&a).unwrap();
    let err = b.add_attachment(&a).unwrap_err();
    assert!(
        matches!(err, BundleError::AttachmentsTooLarge { total: 1800, .. }),
        "{err:?}"
    );
    let err = b.add_attachment(&dir.path().join("sumiu.pdf")).unwrap_err();
    assert_eq!(err.code(), "unreadable");
    assert!(err.message(Lang::PtBr).contains("“sumiu.pdf”"));
    assert_eq!(
        b.add_attachment(dir.path()).unwrap_err().code(),
        "not_a_file"
    );
}

#[test]
fn a_file_that_vanishes_before_writing_is_named_and_leaves_no_half_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Bundle::new(ticket(), "t", Limits::default());
    let file = dir.path().join("log antigo.txt");
    std::fs::write(&file, "x").unwrap();
    b.add_attachment(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    let out = dir.path().join("p.zip");
    let err = b.write(&out, false).unwrap_err();
    assert_eq!(err.code(), "unreadable");
    assert!(err.message(Lang::En).contains("“log antigo.txt”"));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 0, "no bundle and no partial file");
}

#[test]
fn names_are_safe_to_extract_and_unique() {
    assert_eq!(sanitize("../../etc/passwd"), "passwd");
    assert_eq!(sanitize(r"C:\Users\ana\Desktop\erro.png"), "erro.png");
    assert_eq!(sanitize("a\u{7}b\nc?.txt"), "abc_.txt");
    assert_eq!(sanitize("foto\u{202E}gpj.exe"), "fotogpj.exe");
    assert_eq!(sanitize("CON.txt"), "_CON.txt");
    assert_eq!(sanitize("com1"), "_com1");
    assert_eq!(sanitize("relatório final. "), "relatório final");
    assert_eq!(sanitize(".."), "arquivo");
    assert_eq!(
        sanitize(&format!("{}.pdf", "x".repeat(300)))
            .chars()
            .count(),
        100
    );
    assert!(sanitize(&format!("{}.pdf", "x".repeat(300))).ends_with(".pdf"));

    let dir = tempfile::tempdir().unwrap();
    let mut b = Bundle::new(ticket(), "t", Limits::default());
    for sub in ["a", "b", "c"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        let f = dir.path().join(sub).join("Erro.txt");
        std::fs::write(&f, sub).unwrap();
        b.add_attachment(&f).unwrap();
    }
    let paths: Vec<String> = b.review().items.into_iter().map(|i| i.path).collect();
    assert_eq!(
        paths,
        [
            "attachments/Erro.txt",
            "attachments/Erro (2).txt",
            "attachments/Erro (3).txt"
        ]
    );
}

#[test]
fn previews_show_the_start_of_texts() {
    let long = "á".repeat(5000);
    match Preview::text(&long) {
        Preview::Text { text, truncated } => {
            assert!(truncated);
            assert_eq!(text.chars().count(), 2000);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Preview::text("curto"),
        Preview::Text {
            text: "curto".into(),
            truncated: false
        }
    );
}
