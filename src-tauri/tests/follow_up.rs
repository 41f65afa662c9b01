//! `chamado add` and `chamado attach` end to end, the real command against a real central:
//! information reaches the open ticket once, a technician's bundle reaches the ticket given by
//! phone, bad input is named, and with central down both wait in the queue for
//! `chamado outbox send --wait`, which delivers them when central comes back.

mod common;

use std::path::Path;
use std::process::Output;

use common::{chamado, enrol, text, Central};

/// Runs `chamado` off the runtime's threads (central answers on them).
async fn run(home: &Path, args: &[&str]) -> Output {
    let home = home.to_owned();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        chamado(&home, &args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap()
}

/// Opens a ticket with `chamado send` and returns its number.
async fn open_ticket(home: &Path, summary: &str) -> String {
    let out = run(
        home,
        &[
            "send",
            "--topic",
            "erro",
            "--summary",
            summary,
            "--description",
            "O sistema fecha ao emitir nota.",
            "--contact-email",
            "ana@cliente.com.br",
            "--contact-name",
            "Ana",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    shown
        .lines()
        .find_map(|l| l.strip_prefix("Chamado "))
        .expect("the number is shown")
        .trim()
        .to_owned()
}

fn zip(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn information_and_a_technician_s_bundle_reach_the_ticket_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    enrol(&central, &home).await;
    let number = open_ticket(&home, "Nota não sai").await;

    let print = dir.path().join("tela.png");
    std::fs::write(&print, b"\x89PNG imagem").unwrap();
    let bundle = zip(dir.path(), "pacote.zip");
    let out = run(
        &home,
        &[
            "add",
            &number,
            "--message",
            "Aconteceu de novo às 10h.",
            "--attach",
            &print.to_string_lossy(),
            "--bundle",
            &bundle,
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("Informação adicionada ao chamado {number}")),
        "{}",
        text(&out)
    );

    // The technician, on another computer (another installation), with the number given by phone.
    let tech = dir.path().join("tecnico");
    enrol(&central, &tech).await;
    let out = run(
        &tech,
        &[
            "--lang",
            "en",
            "attach",
            "--number",
            &number,
            "--email",
            "ana@cliente.com.br",
            "--note",
            "Coleta feita no local",
            &bundle,
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("Bundle attached to ticket {number}")),
        "{}",
        text(&out)
    );

    let thread = central.thread(&number).await;
    let customer: Vec<_> = thread
        .iter()
        .filter(|(_, body, _)| body == "Aconteceu de novo às 10h.")
        .collect();
    assert_eq!(customer.len(), 1, "{thread:?}");
    assert_eq!(customer[0].2, ["tela.png", "pacote-diagnostico.zip"]);
    let technician: Vec<_> = thread
        .iter()
        .filter(|(a, _, _)| a == "technician")
        .collect();
    assert_eq!(technician.len(), 1, "{thread:?}");
    assert_eq!(technician[0].1, "Coleta feita no local");
    assert!(text(&run(&home, &["outbox", "list"]).await).contains("Nenhum chamado na fila"));
    central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_named_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    enrol(&central, &home).await;
    let number = open_ticket(&home, "Impressora").await;

    // A ticket this installation never sent.
    let out = run(&home, &["add", "999999", "--message", "oi"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("999999: nenhum chamado com este número"),
        "{}",
        text(&out)
    );

    // A file that is not there: named, nothing queued or sent.
    let missing = dir.path().join("nao-existe.pdf");
    let out = run(
        &home,
        &[
            "add",
            &number,
            "--message",
            "segue o arquivo",
            "--attach",
            &missing.to_string_lossy(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("Arquivo ilegível") && text(&out).contains("nao-existe.pdf"),
        "{}",
        text(&out)
    );
    assert!(text(&run(&home, &["outbox", "list"]).await).contains("Nenhum chamado na fila"));

    // The wrong e-mail for the number: central's answer, and the bundle is kept with it.
    let bundle = zip(dir.path(), "pacote.zip");
    let out = run(
        &home,
        &[
            "attach",
            "--number",
            &number,
            "--email",
            "outra@pessoa.com.br",
            &bundle,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("recusado")
            && text(&out).contains("no ticket with this number and e-mail"),
        "{}",
        text(&out)
    );
    let listed = text(&run(&home, &["outbox", "list"]).await);
    assert!(
        listed.contains(&format!("pacote do técnico p/ chamado {number}"))
            && listed.contains("recusado (404)"),
        "{listed}"
    );
    assert!(central
        .thread(&number)
        .await
        .iter()
        .all(|(a, _, _)| a != "technician"));
    central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_central_down_both_wait_and_the_waiting_sender_delivers_them_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let data = dir.path().join("central");
    let central = Central::start(&data, None).await;
    enrol(&central, &home).await;
    let number = open_ticket(&home, "Sem rede").await;
    let addr: std::net::SocketAddr = central.url.trim_start_matches("http://").parse().unwrap();
    central.stop().await;

    let out = run(&home, &["add", &number, "--message", "Escrito sem rede."]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("Informação guardada na fila"),
        "{}",
        text(&out)
    );
    let bundle = zip(dir.path(), "pacote.zip");
    let out = run(
        &home,
        &[
            "attach",
            "--number",
            &number,
            "--email",
            "ana@cliente.com.br",
            &bundle,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let listed = text(&run(&home, &["outbox", "list"]).await);
    assert!(
        listed.contains(&format!("informação p/ chamado {number}"))
            && listed.contains(&format!("pacote do técnico p/ chamado {number}")),
        "{listed}"
    );

    // The sender starts while central is still down and waits for the next retry; central
    // comes back meanwhile.
    let sender = {
        let home = home.clone();
        tokio::task::spawn_blocking(move || chamado(&home, &["outbox", "send", "--wait"]))
    };
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let central = Central::start(&data, Some(addr)).await;
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), sender)
        .await
        .expect("the sender finishes once the queue is delivered")
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let thread = central.thread(&number).await;
    assert_eq!(
        thread
            .iter()
            .filter(|(_, body, _)| body == "Escrito sem rede.")
            .count(),
        1,
        "{thread:?}"
    );
    assert_eq!(
        thread.iter().filter(|(a, _, _)| a == "technician").count(),
        1,
        "{thread:?}"
    );
    assert!(text(&run(&home, &["outbox", "list"]).await).contains("Nenhum chamado na fila"));
    central.stop().await;
}

/// `chamado status` shows the support's reply, line by line, and its JSON has it whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_shows_the_supports_reply() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    enrol(&central, &home).await;
    let number = open_ticket(&home, "Nota não sai").await;
    let reply = "Olá, Ana.\nReinstale o driver em C:\\Users\\<nome> & tente de novo.";
    central.reply(&number, reply).await;

    let out = run(&home, &["status", &number]).await;
    assert!(out.status.success(), "{}", text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("answered"), "{shown}");
    assert!(shown.contains("\n    Suporte ("), "{shown}");
    assert!(
        shown.contains(
            "\n      Olá, Ana.\n      Reinstale o driver em C:\\Users\\<nome> & tente de novo.\n"
        ),
        "{shown}"
    );

    let out = run(&home, &["status", &number, "--json"]).await;
    assert!(out.status.success(), "{}", text(&out));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let replies = &status["tickets"][0]["replies"];
    assert_eq!(replies.as_array().map(Vec::len), Some(1), "{status}");
    assert_eq!(replies[0]["author"], "staff");
    assert_eq!(replies[0]["body"], reply);
}
