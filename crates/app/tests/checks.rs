//! The checks step's run on this machine: results stream as each is known (the fast ones first,
//! a silent server ends at its timeout and says so), the system requirements are told with what
//! was measured, and "Agora está funcionando" makes this state the reference for "what changed".
#![cfg(target_os = "linux")]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chamado_app::checks::{CheckEvent, ItemState, Requirement};
use chamado_app::App;
use chamado_testkit::black_hole;

const SLOW_MS: u64 = 1500;

fn profile(open: SocketAddr, silent: SocketAddr) -> String {
    format!(
        r#"
[vendor]
name = "Fornecedor"
phone = "(31) 3271-0322"
hours = {{ pt-BR = "sempre", en = "always" }}
portal = "https://suporte.exemplo.com.br/"

[branding]
product = "Sistema"

[requirements]
windows_build_min = 10240
architectures = ["x64", "arm64", "x86"]
memory_mib = 1
ports = ["servidor"]

[[checks]]
id = "servidor"
label = {{ pt-BR = "Servidor", en = "Server" }}
tcp = "{open}"
timeout_ms = 2000

[[checks]]
id = "mudo"
label = {{ pt-BR = "Servidor mudo", en = "Silent server" }}
tcp = "{silent}"
timeout_ms = {SLOW_MS}

[[topics]]
id = "instalacao"
label = {{ pt-BR = "Instalação", en = "Installation" }}
description = {{ pt-BR = "Instalar", en = "Install" }}
osticket_topic = 13
requirements = true

[[topics.checklist]]
text = {{ pt-BR = "O servidor responde?", en = "Does the server answer?" }}
checks = ["mudo", "servidor", "network"]
"#
    )
}

/// Each event with when it came, since the run was asked for.
type Heard = Vec<(Duration, CheckEvent)>;

async fn run(app: &App, topic: &str) -> Heard {
    let heard = Mutex::new(Vec::new());
    let asked = Instant::now();
    app.run_checks(topic, |e| heard.lock().unwrap().push((asked.elapsed(), e)))
        .await
        .unwrap();
    heard.into_inner().unwrap()
}

fn item<'a>(heard: &'a Heard, id: &str) -> (Duration, &'a chamado_app::checks::ItemResult) {
    heard
        .iter()
        .find_map(|(at, e)| match e {
            CheckEvent::Item { item, .. } if item.id == id => Some((*at, item)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no result for {id}: {heard:#?}"))
}

#[tokio::test]
async fn results_stream_as_they_come_and_a_silent_server_ends_at_its_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let (silent, _hole, _fillers) = black_hole().await;
    let file = tmp.path().join("perfil.toml");
    std::fs::write(&file, profile(listener.local_addr().unwrap(), silent)).unwrap();
    let app = App::new(Some(&file), tmp.path().join("dados"));

    let heard = run(&app, "instalacao").await;

    let CheckEvent::Started {
        items,
        requirements,
        ..
    } = &heard[0].1
    else {
        panic!("the run starts by naming its items: {heard:#?}");
    };
    assert_eq!(items, &["mudo", "servidor", "network"]);
    assert_eq!(requirements.len(), 4, "{requirements:?}");

    let first = heard
        .iter()
        .find(|(_, e)| matches!(e, CheckEvent::Item { .. } | CheckEvent::Requirement { .. }))
        .unwrap()
        .0;
    println!("first check result after {} ms", first.as_millis());
    for (at, e) in &heard {
        let what = serde_json::to_string(e).unwrap_or_default();
        println!("{:>6} ms {}", at.as_millis(), &what[..what.len().min(90)]);
    }
    assert!(
        first < Duration::from_millis(300),
        "first result after {first:?}"
    );

    let (ok_at, ok) = item(&heard, "servidor");
    assert_eq!(ok.state, ItemState::Ok);
    let (slow_at, slow) = item(&heard, "mudo");
    assert_eq!(
        slow.state,
        ItemState::CouldNotCheck {
            timed_out: true,
            detail: None
        },
        "{slow:?}"
    );
    assert!(
        ok_at < slow_at,
        "the fast check is told before the slow one ends"
    );
    assert!(
        slow.elapsed_ms >= SLOW_MS - 50 && slow.elapsed_ms < SLOW_MS + 1000,
        "ends at its timeout: {} ms",
        slow.elapsed_ms
    );
    assert!(
        slow.findings[0]
            .title
            .pt_br
            .contains("não respondeu a tempo"),
        "{:?}",
        slow.findings
    );
    let (_, network) = item(&heard, "network");
    assert_ne!(network.id, "");

    let requirement = |want: fn(&Requirement) -> bool| {
        heard
            .iter()
            .find_map(|(_, e)| match e {
                CheckEvent::Requirement { result, .. } if want(&result.requirement) => {
                    Some(result.clone())
                }
                _ => None,
            })
            .unwrap()
    };
    let memory = requirement(|r| matches!(r, Requirement::Memory { .. }));
    assert_eq!(memory.met, Some(true), "{memory:?}");
    assert!(memory.measured.unwrap().ends_with("MiB"));
    let windows = requirement(|r| matches!(r, Requirement::Windows { .. }));
    assert_eq!(windows.met, None, "not Windows: cannot tell");
    let port = requirement(|r| matches!(r, Requirement::Port { .. }));
    assert_eq!(port.met, Some(true));
    assert_eq!(
        requirement(|r| matches!(r, Requirement::Architecture { .. })).met,
        Some(true)
    );

    let n = heard.len();
    assert!(matches!(
        heard[n - 2].1,
        CheckEvent::Changes { since: None, .. }
    ));
    assert!(matches!(heard[n - 1].1, CheckEvent::Finished { .. }));

    // "Agora está funcionando": the next run compares with this state, said to work.
    app.checks_work("instalacao").await.unwrap();
    drop(listener);
    let again = run(&app, "instalacao").await;
    let (_, refused) = item(&again, "servidor");
    assert_eq!(refused.state, ItemState::Problem, "{refused:?}");
    assert!(
        again.iter().any(|(_, e)| matches!(
            e,
            CheckEvent::Changes {
                since: Some(_),
                since_good: true,
                ..
            }
        )),
        "{again:#?}"
    );
}

#[tokio::test]
async fn an_unknown_topic_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let app = App::new(None, tmp.path().to_owned());
    let e = app.run_checks("nao-existe", |_| {}).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("topic"));
}
