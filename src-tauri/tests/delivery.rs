//! Delivery end to end: the real `chamado` command against a real chamado-central (SQLite, HTTP
//! on loopback) in this test process. No ticket lost, none twice: with central down, and with
//! the app killed (SIGKILL) at random points of a submission, again and again.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{chamado, enrol, send_args, text, Central};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_waits_while_central_is_down_and_arrives_once_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let data = dir.path().join("central");
    let central = Central::start(&data, None).await;
    enrol(&central, &home).await;

    // Delivered at once: the number and the link are shown.
    let bundle = dir.path().join("pacote.zip");
    std::fs::write(&bundle, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
    let mut args = send_args("Sistema não abre");
    args.extend(["--bundle".into(), bundle.to_string_lossy().into_owned()]);
    let home2 = home.clone();
    let out = tokio::task::spawn_blocking(move || {
        chamado(&home2, &args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("Chamado 20"), "{shown}");
    assert!(shown.contains("Acompanhe em http://"), "{shown}");
    let first_number = shown.split_whitespace().nth(1).unwrap().to_owned();

    // Central stops: the ticket is queued, exit 3, the reason said.
    let addr: std::net::SocketAddr = central.url.trim_start_matches("http://").parse().unwrap();
    central.stop().await;
    let home2 = home.clone();
    let out = tokio::task::spawn_blocking(move || {
        let mut args = send_args("Erro ao emitir nota");
        args.push("--json".into());
        chamado(&home2, &args.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let sent = json(&out);
    assert_eq!(sent["outcome"], "waiting", "{sent}");
    assert_eq!(sent["kind"], "ticket");
    assert_eq!(sent["delivery"]["code"], "offline");
    let listed = json(&chamado(&home, &["outbox", "list", "--json"]));
    assert_eq!(listed["enrolled"], true);
    assert_eq!(
        listed["items"][0]["entry"]["ticket"]["summary"],
        "Erro ao emitir nota"
    );
    assert_eq!(listed["items"][0]["delivery"]["state"], "waiting");

    // Back on the same address: the queue goes out, once.
    let central = Central::start(&data, Some(addr)).await;
    let home2 = home.clone();
    let out = tokio::task::spawn_blocking(move || chamado(&home2, &["outbox", "send", "--json"]))
        .await
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let attempts = json(&out);
    assert_eq!(attempts.as_array().unwrap().len(), 1, "{attempts}");
    assert_eq!(attempts[0]["outcome"], "delivered");
    let again = chamado(&home, &["outbox", "send"]);
    assert!(again.status.success());
    let mut got = central.summaries().await;
    got.sort();
    assert_eq!(got, ["Erro ao emitir nota", "Sistema não abre"]);
    let listed = json(&chamado(&home, &["outbox", "list", "--json"]));
    assert_eq!(listed["items"].as_array().unwrap().len(), 0, "{listed}");

    // The history, refreshed from central: numbers, links and status.
    let home2 = home.clone();
    let status = tokio::task::spawn_blocking(move || chamado(&home2, &["status", "--json"]))
        .await
        .unwrap();
    let status = json(&status);
    let tickets = status["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2, "{status}");
    assert!(tickets.iter().all(|t| t["status"] == "open"
        && t["number"].is_string()
        && t["link"].as_str().unwrap().starts_with("http://")));
    assert!(tickets.iter().any(|t| t["number"] == first_number.as_str()));
    assert_eq!(status["not_refreshed"], serde_json::json!([]));
    assert!(status["unrefreshed_because"].is_null());

    // Central down: the last known status, and why it is not fresh.
    central.stop().await;
    let status = json(&chamado(&home, &["status", "--json"]));
    assert_eq!(status["tickets"].as_array().unwrap().len(), 2);
    assert_eq!(status["unrefreshed_because"], "offline");
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_enrolled_or_refused_tickets_are_kept_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    enrol(&central, &home).await;
    let home2 = home.clone();
    // No contact e-mail: central refuses it for good, naming the field.
    let out = tokio::task::spawn_blocking(move || {
        chamado(
            &home2,
            &[
                "send",
                "--topic",
                "erro",
                "--summary",
                "Sem contato",
                "--description",
                "x",
            ],
        )
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("recusado"), "{}", text(&out));
    let listed = text(&chamado(&home, &["outbox", "list"]));
    assert!(
        listed.contains("recusado (400)") && listed.contains("contact"),
        "{listed}"
    );
    assert!(central.summaries().await.is_empty());
    central.stop().await;
}

/// The reliability proof: the app is killed (SIGKILL) at a random point of `chamado send`, many
/// times; then the queue is sent. Every ticket that reached the outbox arrives exactly once,
/// and no ticket arrives twice. CHAMADO_KILL_TRIALS sets the number of trials (default 200).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_every_ticket_arrives_exactly_once() {
    let trials: u32 = std::env::var("CHAMADO_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let central = Central::start(&dir.path().join("central"), None).await;
    enrol(&central, &home).await;
    let bundle = dir.path().join("pacote.zip");
    // 300 KiB, so that some kills land while the bundle is on its way.
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend((0..300 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    std::fs::write(&bundle, zip).unwrap();

    let home2 = home.clone();
    let bundle2 = bundle.clone();
    let (queued, delivered_early) = tokio::task::spawn_blocking(move || {
        let mut queued = std::collections::BTreeSet::new();
        let mut delivered_early = 0;
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..trials {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let summary = format!("tentativa {i:03}");
            let mut args = send_args(&summary);
            args.extend(["--bundle".into(), bundle2.to_string_lossy().into_owned()]);
            let mut child = Command::new(env!("CARGO_BIN_EXE_chamado"))
                .args(&args)
                .env("CHAMADO_HOME", &home2)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            // Anywhere from before the outbox is written to after central answered.
            std::thread::sleep(Duration::from_micros(seed % 40_000));
            let _ = child.kill();
            let status = child.wait().unwrap();
            if status.success() {
                delivered_early += 1;
                queued.insert(summary.clone());
            }
            for e in outbox_entries(&home2) {
                queued.insert(e);
            }
        }
        (queued, delivered_early)
    })
    .await
    .unwrap();

    // Resume, as the next start of the app does.
    for _ in 0..3 {
        let home2 = home.clone();
        tokio::task::spawn_blocking(move || chamado(&home2, &["outbox", "send"]))
            .await
            .unwrap();
    }
    assert!(
        outbox_entries(&home).is_empty(),
        "the queue is empty: {}",
        text(&chamado(&home, &["outbox", "list"]))
    );
    let mut arrived = central.summaries().await;
    arrived.sort();
    let mut unique = arrived.clone();
    unique.dedup();
    assert_eq!(arrived, unique, "no ticket arrived twice");
    for q in &queued {
        assert!(arrived.contains(q), "{q} was queued and never arrived");
    }
    eprintln!(
        "{trials} trials: {} queued, {} arrived, {delivered_early} finished before the kill",
        queued.len(),
        arrived.len()
    );
    assert!(
        queued.len() as u32 > trials / 4,
        "the kills should mostly land after queueing"
    );
    central.stop().await;
}

/// The summaries of the tickets in the outbox, read from its files.
fn outbox_entries(home: &Path) -> Vec<String> {
    let dir: PathBuf = home.join("outbox");
    let Ok(read) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    read.flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| std::fs::read(e.path().join("entry.json")).ok())
        .filter_map(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .filter_map(|v| v["ticket"]["summary"].as_str().map(str::to_owned))
        .collect()
}

/// Runs `script` (sh) in a private user and mount namespace, where it may mount a read-only or
/// a tiny file system over the data folder; `$BIN` is chamado, `$DATA` the data folder.
#[cfg(target_os = "linux")]
fn in_namespace(data: &Path, script: &str) -> String {
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env("BIN", env!("CARGO_BIN_EXE_chamado"))
        .env("DATA", data)
        .env("CHAMADO_HOME", data)
        .output()
        .expect("unshare (util-linux) runs");
    text(&out)
}

/// Data folder read-only, then full: a clear error, nothing half-written, the queue intact.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_or_full_data_folder_is_a_clear_error_and_the_queue_stays() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("app");
    std::fs::create_dir_all(&data).unwrap();
    // Not enrolled: kept in the queue (refused until enrolment).
    let first = chamado(
        &data,
        &send_args("primeiro")
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(text(&first).contains("guardado"), "{}", text(&first));

    let shown = in_namespace(
        &data,
        r#"mount --bind "$DATA" "$DATA" && mount -o remount,bind,ro "$DATA" || exit 99
        "$BIN" send --topic erro --summary segundo --description x --contact-email a@b.com.br --contact-name A
        echo "exit=$?"
        "$BIN" outbox list"#,
    );
    assert!(
        shown.contains("Não foi possível guardar o chamado"),
        "{shown}"
    );
    assert!(shown.contains("exit=1"), "{shown}");
    assert!(
        shown.contains("primeiro") && !shown.contains("segundo  "),
        "{shown}"
    );

    let big = dir.path().join("grande.zip");
    std::fs::write(&big, vec![7u8; 512 * 1024]).unwrap();
    // Quoted for sh: the temporary folder may hold spaces.
    assert!(!big.to_string_lossy().contains('\''), "{}", big.display());
    let shown = in_namespace(
        &data,
        &format!(
            r#"mount -t tmpfs -o size=256k tmpfs "$DATA" || exit 99
            "$BIN" send --topic erro --summary pequeno --description x --contact-email a@b.com.br --contact-name A >/dev/null
            "$BIN" send --topic erro --summary grande --description x --contact-email a@b.com.br --contact-name A --bundle '{}'
            echo "exit=$?"
            "$BIN" outbox list
            ls -a "$DATA/outbox""#,
            big.display()
        ),
    );
    assert!(
        shown.contains("Não foi possível guardar o chamado"),
        "{shown}"
    );
    assert!(shown.contains("exit=1"), "{shown}");
    assert!(shown.contains("pequeno"), "the queue is intact: {shown}");
    assert!(!shown.contains(".partial"), "nothing half-written: {shown}");
    // Outside the namespace the real folder still holds the first ticket.
    assert!(text(&chamado(&data, &["outbox", "list"])).contains("primeiro"));
}
