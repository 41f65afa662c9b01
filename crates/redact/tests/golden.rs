//! Golden tests: every `golden/NAME.in.EXT` goes through one `Redactor` (one bundle, files in name
//! order, so tokens must agree across files) and must give `golden/NAME.out.EXT`; the summary must
//! give `golden/summary.json`. `.json` inputs go through `redact_json`, the others through
//! `redact_text`. After a deliberate change, `UPDATE_GOLDEN=1 cargo test -p chamado-redact --test
//! golden` rewrites the expected files: review their diff before committing.

use std::fs;
use std::path::{Path, PathBuf};

use chamado_redact::{Known, Redactor};

fn known() -> Known {
    let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Known {
        user_names: v(&["joao.silva", "João Silva"]),
        home_dirs: v(&["C:\\Users\\joao.silva", "/home/joao.silva"]),
        machine_names: v(&["DESKTOP-7H3K2L9", "estacao-joao"]),
        domain_names: v(&["CONTABILX", "corp.contabilx.local"]),
        serials: v(&[
            "PF3ABCDE",
            "5CG1234XYZ",
            "WD-WX12A3456789",
            "S64DNX0R123456A",
        ]),
        wifi_names: v(&["Casa do João & Maria"]),
        contact_email: Some("joao.silva@cliente.com.br".into()),
        // The vendor's server, and the vendor program's version (which looks like an address).
        keep: v(&["erp.fornecedor.com.br", "200.160.2.3", "24.1.0.1"]),
    }
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The bundle: (expected file name, redacted text) for every input, then the summary.
fn redact_bundle() -> Vec<(String, String)> {
    let mut inputs: Vec<PathBuf> = fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().contains(".in."))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 9, "golden inputs missing: {inputs:?}");
    let mut redactor = Redactor::new(&known()).unwrap();
    let mut out = Vec::new();
    for input in inputs {
        let name = input.file_name().unwrap().to_str().unwrap().to_owned();
        let text = fs::read_to_string(&input).unwrap();
        let redacted = if name.ends_with(".json") {
            let value = serde_json::from_str(&text).unwrap();
            serde_json::to_string_pretty(&redactor.redact_json(value)).unwrap() + "\n"
        } else {
            redactor.redact_text(&text)
        };
        out.push((name.replace(".in.", ".out."), redacted));
    }
    let summary = serde_json::to_string_pretty(&redactor.summary()).unwrap() + "\n";
    out.push(("summary.json".to_owned(), summary));
    out
}

#[test]
fn golden_samples() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for (name, actual) in redact_bundle() {
        let path = golden_dir().join(&name);
        if update {
            fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(e, a)| e != a)
                .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
            failures.push(format!(
                "{name}, line {}:\n  expected: {:?}\n  actual:   {:?}",
                line + 1,
                expected.lines().nth(line).unwrap_or("<end>"),
                actual.lines().nth(line).unwrap_or("<end>"),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "golden outputs differ (UPDATE_GOLDEN=1 rewrites them; review the diff):\n{}",
        failures.join("\n")
    );
}

/// Independent of the expected files: no personal value is left anywhere in the bundle (the
/// contact's own e-mail aside), and what support needs is still there.
#[test]
fn nothing_personal_survives_and_what_support_needs_does() {
    let bundle = redact_bundle();
    let all: String = bundle
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let without_contact = all.replace("joao.silva@cliente.com.br", "");
    let lower = without_contact.to_lowercase();
    for personal in [
        "joao",
        "joão",
        "silva",
        "maria.souza",
        "/home/ana",
        "7h3k2l9",
        "contabilx",
        "pf3abcde",
        "5cg1234xyz",
        "wx12a3456789",
        "s64dnx0r123456a",
        "casa do",
        "4361736120646f204a6fc3a36f2026204d61726961",
        "3c-52-82-4a-1b-9f",
        "3c:52:82:4a:1b:9f",
        "9c:53:22:a1:7e:04",
        "98-fa-9b-12-34-56",
        "177.92.14.203",
        "189.38.95.95",
        "2804:14c",
        "529.982.247-25",
        "52998224725",
        "111.444.777-35",
        "11.222.333/0001-81",
        "11.222.333/0002-62",
        "cnpj=11222333000181",
        "12.abc.345/01de-35",
        "3623811015",
    ] {
        assert!(!lower.contains(personal), "{personal} survived");
    }
    for kept in [
        "joao.silva@cliente.com.br",
        "48201745123",
        "11987654321",
        "99988-7766",
        "73915800266",
        "20261124153000",
        "20261124000057",
        "00012345678",
        "529.982.247-24",
        "11.222.333/0001-82",
        "00000000000000",
        "11111111111",
        "35261111222333000181550010000012341000012345",
        "192.168.15.42",
        "192.168.15.1",
        "255.255.255.0",
        "fe80::1c2b:3d4e:5f60:7182",
        "100.72.13.9",
        "10.20.0.1",
        "8.8.8.8",
        "erp.fornecedor.com.br (200.160.2.3)",
        "24.1.0.1",
        "5.1.2.3",
        "10.0.22631.4460",
        "C:\\Users\\Public",
        "C:\\Users\\Administrador",
        "%USERPROFILE%",
        "S-1-5-18",
        "O administrador da rede",
    ] {
        assert!(all.contains(kept), "{kept} was replaced");
    }
}

/// Tokens trigger no detector: redacting the redacted bundle again changes nothing (a log that
/// quotes an already redacted text stays readable).
#[test]
fn redacting_again_changes_nothing() {
    let mut again = Redactor::new(&known()).unwrap();
    for (name, text) in redact_bundle() {
        if name == "summary.json" {
            continue;
        }
        assert_eq!(again.redact_text(&text), text, "{name}");
    }
    assert_eq!(again.summary().total(), 0);
}
