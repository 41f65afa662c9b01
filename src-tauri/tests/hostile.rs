//! The real `chamado` command with text from outside and a damaged data folder: what it prints
//! has no control characters (a summary or a status from central cannot clear the terminal or
//! fake a line), and a damaged outbox entry is listed apart with its reason while the others are
//! listed as ever, never as a full disk.

mod common;

use common::{chamado, send_args, text};

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Printable: nothing but line ends among the control characters.
fn assert_clean(what: &str, out: &[u8]) {
    let s = String::from_utf8_lossy(out);
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n'),
        "{what} printed control characters: {s:?}"
    );
}

#[test]
fn what_the_command_line_prints_has_no_control_characters_and_a_damaged_entry_is_listed_apart() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    // Not enrolled: the ticket is kept. Its summary carries a clear screen, a title change with
    // a bell, and a line break faking a delivery.
    let evil = "Caixa\u{1b}[2J\u{1b}]0;x\u{7}\nChamado 999 entregue";
    let out = chamado(&home, &strs(&send_args(evil)));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    let outbox = home.join("outbox");
    std::fs::create_dir(outbox.join("20261201-000000-aaaaaa")).unwrap();
    std::fs::write(outbox.join("20261201-000000-aaaaaa/entry.json"), "{\"id\":").unwrap();
    std::fs::write(outbox.join("desktop.ini"), "[.ShellClassInfo]\r\n").unwrap();

    let listed = chamado(&home, &["outbox", "list"]);
    assert!(listed.status.success(), "{}", text(&listed));
    assert_clean("outbox list", &listed.stdout);
    let shown = text(&listed);
    assert!(
        shown.contains("Caixa[2J]0;x Chamado 999 entregue"),
        "{shown}"
    );
    assert!(
        shown.contains("20261201-000000-aaaaaa  [danificado, posto de lado]"),
        "{shown}"
    );
    assert!(!shown.contains("cheia"), "not a full disk: {shown}");

    let json: serde_json::Value =
        serde_json::from_slice(&chamado(&home, &["outbox", "list", "--json"]).stdout).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["damaged"][0]["id"], "20261201-000000-aaaaaa", "{json}");
    assert!(
        json["damaged"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("entry.json"),
        "{json}"
    );

    // A history as central filled it: its texts are printed clean too.
    let history = serde_json::json!([{
        "reference": "R-1\u{1b}[8m",
        "number": "100\r",
        "link": "https://central.exemplo.com.br/t/R-1",
        "status": "open\u{7}\u{1b}[1A",
        "topic": "erro",
        "summary": "Nota\u{9b}2J fiscal\u{202e}txt.exe",
        "sent_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z"
    }]);
    std::fs::write(home.join("history.json"), history.to_string()).unwrap();
    let status = chamado(&home, &["status"]);
    assert!(status.status.success(), "{}", text(&status));
    assert_clean("status", &status.stdout);
    assert_clean("status", &status.stderr);
    assert!(
        text(&status).contains("Nota2J fiscaltxt.exe"),
        "{}",
        text(&status)
    );
}
