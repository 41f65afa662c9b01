//! The vendor's notices and the "resolveu" counts against a real central: fetched, then the last
//! answer served when central is stopped; a count made offline arrives once central is back.
//!
//! Not on Windows: chamado-central does not open its SQLite database under Wine.
#![cfg(not(windows))]

use chamado_app::notices;
use chamado_wire::ResolvedHow;

mod common;

use common::{enrolled, Central};

fn addr(c: &Central) -> std::net::SocketAddr {
    c.url.trim_start_matches("http://").parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_are_fetched_then_served_from_the_cache_when_central_is_stopped() {
    let (_dir, home, _data, central) = enrolled().await;
    let db = &central.state.db;
    db.add_notice("Servidor em manutenção até as 22h", None, None)
        .await
        .unwrap();
    db.add_notice("Versão 8.5 disponível", Some("atualizacao"), None)
        .await
        .unwrap();
    // Ends in two seconds: kept in the cache, but not shown from it once ended.
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
    db.add_notice(
        "Some logo",
        None,
        Some(&soon.round(jiff::Unit::Second).unwrap().to_string()),
    )
    .await
    .unwrap();
    db.add_release("8.5.0").await.unwrap();

    let fresh = notices::fetch(&home).await.unwrap();
    assert!(!fresh.from_cache);
    let texts: Vec<&str> = fresh.notices.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Some logo",
            "Versão 8.5 disponível",
            "Servidor em manutenção até as 22h"
        ]
    );
    assert_eq!(fresh.notices[1].topic.as_deref(), Some("atualizacao"));
    assert_eq!(fresh.latest_version.as_deref(), Some("8.5.0"));
    let fetched_at = fresh.fetched_at.clone().unwrap();

    central.stop().await;
    let started = std::time::Instant::now();
    let offline = notices::fetch(&home).await.unwrap();
    assert!(started.elapsed() < notices::FETCH_TIMEOUT + std::time::Duration::from_secs(1));
    assert!(offline.from_cache);
    assert_eq!(
        offline.fetched_at.as_deref(),
        Some(fetched_at.as_str()),
        "with its date"
    );
    assert_eq!(offline.notices.len(), 3);
    assert_eq!(offline.latest_version.as_deref(), Some("8.5.0"));

    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let later = notices::fetch(&home).await.unwrap();
    let texts: Vec<&str> = later.notices.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Versão 8.5 disponível", "Servidor em manutenção até as 22h"],
        "an ended notice is not shown from the cache"
    );

    // Never fetched and not enrolled: nothing to show, no error.
    let other = tempfile::tempdir().unwrap();
    let none = notices::fetch(other.path()).await.unwrap();
    assert!(none.notices.is_empty() && none.from_cache && none.fetched_at.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolved_count_made_offline_arrives_once_central_is_back() {
    let (_dir, home, data, central) = enrolled().await;
    assert!(
        notices::report_resolved(&home, "sem-conexao", ResolvedHow::Guide)
            .await
            .unwrap()
    );
    let counts = central.state.db.resolved_counts().await.unwrap();
    assert_eq!(counts["sem-conexao"]["guide"], 1);

    let at = addr(&central);
    central.stop().await;
    assert!(
        !notices::report_resolved(&home, "sem-conexao", ResolvedHow::Guide)
            .await
            .unwrap()
    );
    assert!(
        !notices::report_resolved(&home, "impressao", ResolvedHow::Checks)
            .await
            .unwrap()
    );
    let bad = notices::report_resolved(&home, "../x", ResolvedHow::Guide).await;
    assert_eq!(bad.unwrap_err().code, chamado_app::ErrorCode::Invalid);

    // Back on the same data and address: the next success (here, the notices) sends them, once.
    let central = Central::start(&data, Some(at)).await;
    let got = notices::fetch(&home).await.unwrap();
    assert!(!got.from_cache);
    let counts = central.state.db.resolved_counts().await.unwrap();
    assert_eq!(counts["sem-conexao"]["guide"], 2);
    assert_eq!(counts["impressao"]["checks"], 1);
    notices::fetch(&home).await.unwrap();
    assert!(
        notices::report_resolved(&home, "impressao", ResolvedHow::Checks)
            .await
            .unwrap()
    );
    let counts = central.state.db.resolved_counts().await.unwrap();
    assert_eq!(counts["sem-conexao"]["guide"], 2, "sent once");
    assert_eq!(counts["impressao"]["checks"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_update_help_shows_the_latest_version_and_the_copies_still_running() {
    let (_dir, home, _data, central) = enrolled().await;
    central.state.db.add_release("8.5.0").await.unwrap();
    notices::fetch(&home).await.unwrap();
    // The vendor's program "running" as Wine shows one: its Windows path as the process's name.
    let exe = r"C:\Program Files\Sistema de Teste\TesteApp.exe";
    let mut running = std::process::Command::new("bash")
        .args(["-c", &format!("exec -a '{exe}' sleep 60")])
        .spawn()
        .unwrap();
    let mut profile = chamado_profile::builtin();
    profile.program = Some(chamado_profile::Program {
        display_name: "Sistema de Teste".into(),
        exe: exe.into(),
        timeout_ms: 5000,
        ..chamado_profile::Program::default()
    });
    let found = async {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let v = chamado_app::program::detect(&profile, &home).await.unwrap();
            if !v.running.is_empty() || std::time::Instant::now() > deadline {
                return v;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    .await;
    let _ = running.kill();
    let _ = running.wait();
    assert_eq!(found.name.as_deref(), Some("Sistema de Teste"));
    assert_eq!(found.latest.as_deref(), Some("8.5.0"));
    // No version resource outside Windows, and no list of installed programs naming it.
    assert_eq!(found.installed, None);
    assert_eq!(found.up_to_date, None);
    assert_eq!(found.running.len(), 1, "{found:?}");
    assert_eq!(found.running[0].pid, running.id());
    assert_eq!(found.running[0].path.as_deref(), Some(exe));

    profile.program = None;
    let none = chamado_app::program::detect(&profile, &home).await.unwrap();
    assert_eq!(none.name, None);
    assert_eq!(none.latest.as_deref(), Some("8.5.0"));
}
