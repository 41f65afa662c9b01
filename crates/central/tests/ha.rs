//! Several centrals on one PostgreSQL: three real `chamado-central` processes behind a small TCP
//! balancer on loopback, forwarding to the osTicket double, while apps (the app's own outbox and
//! sender, `chamado-client`) send tickets with bundles and one central after another is SIGKILLed
//! at random points and started again. Every ticket must end up once in central, once in
//! osTicket with its bundle, and in its app's history; none lost, none twice.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chamado_client::{Attempt, Central as Api, Outbox};
use common::osticket::{self, OsTicket};
use common::process::{Server, BIN};
use serde_json::json;
use sqlx::Connection;

const CENTRALS: usize = 3;
const APPS: usize = 4;
const TICKETS_PER_APP: usize = 25;

/// xorshift64*: the kill points vary from run to run; the seed is printed to replay one.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

type Backends = Arc<Mutex<Vec<Option<SocketAddr>>>>;

/// A round-robin TCP balancer: each connection goes to the next central that accepts it.
async fn balancer(backends: Backends) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut next = 0usize;
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                continue;
            };
            let candidates: Vec<SocketAddr> = {
                let b = backends.lock().unwrap();
                (0..b.len())
                    .filter_map(|i| b[(next + i) % b.len()])
                    .collect()
            };
            next += 1;
            tokio::spawn(async move {
                for c in candidates {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(c).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn config(
    dir: &std::path::Path,
    database: &str,
    public_url: &str,
    desk: &OsTicket,
) -> std::path::PathBuf {
    let config = dir.join("central.toml");
    std::fs::write(
        &config,
        format!(
            "data = \"data\"\npublic_url = \"{public_url}\"\n\n[database]\nurl = \"{database}\"\n\n\
             [osticket]\nurl = \"{}\"\napi_key = \"{}\"\nretry_first_s = 1\nin_flight_s = 1\ncreate = \"email\"\n\n\
             [osticket.topics]\nsem-conexao = 2\n",
            desk.url,
            osticket::KEY
        ),
    )
    .unwrap();
    config
}

fn addr_of(server: &Server) -> SocketAddr {
    server.url.trim_start_matches("http://").parse().unwrap()
}

fn enrolment_code(config: &std::path::Path) -> String {
    let out = std::process::Command::new(BIN)
        .args(["admin", "--config"])
        .arg(config)
        .args(["enrol-code", "--company", "Padaria"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// One app: its outbox, filled with tickets and bundles, delivered until empty. The references
/// its history holds.
async fn app(n: usize, url: String, code: String, dir: tempfile::TempDir) -> Vec<String> {
    let token = Api::new(&url, None)
        .unwrap()
        .enrol(&code, &format!("PC-{n}"))
        .await
        .unwrap();
    let api = Api::new(&url, Some(token)).unwrap();
    let outbox = Outbox::open(dir.path()).unwrap();
    for t in 0..TICKETS_PER_APP {
        let bundle = dir.path().join(format!("bundle-{t}.zip"));
        // A real zip's end record and a distinct body, so each bundle is its own stored file.
        let mut bytes = b"PK\x05\x06".to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 18));
        bytes.extend(format!("app {n} ticket {t} ").repeat(2000).into_bytes());
        std::fs::write(&bundle, bytes).unwrap();
        let ticket = serde_json::from_value(json!({
            "topic": "sem-conexao",
            "summary": format!("App {n}, chamado {t}"),
            "description": "O sistema não conecta ao servidor.",
            "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"},
            "fields": {"terminal": "Caixa 2"}
        }))
        .unwrap();
        outbox.enqueue(ticket, Some(&bundle)).unwrap();
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    loop {
        let entries = outbox.list().unwrap();
        if entries.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "app {n} could not deliver: {entries:#?}"
        );
        for e in entries {
            let attempt = outbox.deliver(&e.id, &api, Arc::new(AtomicU64::new(0)));
            if let Attempt::Refused(err) = attempt.await.unwrap() {
                panic!("central refused a ticket: {err}");
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    outbox
        .history()
        .unwrap()
        .into_iter()
        .map(|s| s.reference)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_centrals_on_one_postgresql_lose_nothing_while_killed_at_random() {
    let Some(server) = common::postgres_url() else {
        return;
    };
    let database = common::new_postgres_database(&server).await;
    let desk = osticket::start().await;
    // A busy help desk: a second central sending the same message meanwhile would be seen.
    desk.with(|d| d.slow = Some(Duration::from_millis(50)));
    let backends: Backends = Arc::new(Mutex::new(vec![None; CENTRALS]));
    let lb = balancer(backends.clone()).await;
    let lb_url = format!("http://{lb}");

    let dirs: Vec<tempfile::TempDir> = (0..CENTRALS)
        .map(|_| tempfile::tempdir().unwrap())
        .collect();
    let configs: Vec<_> = dirs
        .iter()
        .map(|d| config(d.path(), &database, &lb_url, &desk))
        .collect();
    let mut centrals = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        let s = Server::start(c).await;
        backends.lock().unwrap()[i] = Some(addr_of(&s));
        centrals.push(Some(s));
    }

    let apps: Vec<_> = (0..APPS)
        .map(|n| {
            let code = enrolment_code(&configs[0]);
            tokio::spawn(app(n, lb_url.clone(), code, tempfile::tempdir().unwrap()))
        })
        .collect();

    let seed = {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).unwrap();
        u64::from_le_bytes(b) | 1
    };
    eprintln!("kill schedule seed: {seed}");
    let mut rng = Rng(seed);
    let kills = Arc::new(AtomicU64::new(0));
    while apps.iter().any(|a| !a.is_finished()) {
        tokio::time::sleep(Duration::from_millis(50 + rng.below(250))).await;
        let i = rng.below(CENTRALS as u64) as usize;
        backends.lock().unwrap()[i] = None;
        centrals[i].take().unwrap().kill();
        kills.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(rng.below(300))).await;
        let s = Server::start(&configs[i]).await;
        backends.lock().unwrap()[i] = Some(addr_of(&s));
        centrals[i] = Some(s);
    }
    let mut sent = Vec::new();
    for a in apps {
        sent.extend(a.await.unwrap());
    }
    let kills = kills.load(Ordering::Relaxed);
    eprintln!(
        "{} tickets sent while centrals were killed {kills} times",
        sent.len()
    );
    assert!(kills > 0, "the apps finished before any central was killed");
    sent.sort();
    let unique = {
        let mut u = sent.clone();
        u.dedup();
        u
    };
    assert_eq!(
        sent.len(),
        APPS * TICKETS_PER_APP,
        "every ticket in its app's history"
    );
    assert_eq!(unique.len(), sent.len(), "no ticket twice in the histories");

    // Central: each ticket once, with its bundle stored in the database, none on a central's disk.
    let mut conn = sqlx::PgConnection::connect(&database).await.unwrap();
    let mut in_central: Vec<String> = sqlx::query_scalar("SELECT reference FROM tickets")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    in_central.sort();
    assert_eq!(in_central, sent, "each ticket once in central");
    let bundles: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT a.sha256) FROM attachments a JOIN stored_files f ON f.sha256 = a.sha256",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        bundles as usize,
        sent.len(),
        "each bundle stored in PostgreSQL"
    );
    for d in &dirs {
        let blobs = d.path().join("data/blobs");
        assert!(
            !blobs.exists(),
            "a central kept files of its own in {}",
            blobs.display()
        );
    }

    // osTicket: each ticket once, its bundle attached, whatever central forwarded it.
    // A forward cut by a kill waits out its lease before another central takes it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
    while desk.tickets().len() < sent.len() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "osTicket holds {} of {} tickets",
            desk.tickets().len(),
            sent.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tickets = desk.tickets();
    let mut in_desk: Vec<String> = tickets
        .iter()
        .map(|t| {
            let mid = t.thread[0].mid.clone().unwrap_or_default();
            mid.split('.').next().unwrap_or_default().to_owned()
        })
        .collect();
    in_desk.sort();
    assert_eq!(in_desk, sent, "each ticket once in osTicket");
    let overlaps = desk.with(|d| d.overlaps.clone());
    assert!(
        overlaps.is_empty(),
        "two centrals sent the same message at once (the real osTicket makes two tickets): {overlaps:?}"
    );
    for t in &tickets {
        assert!(
            t.thread[0]
                .attachments
                .iter()
                .any(|(_, b)| b.starts_with(b"PK\x05\x06")),
            "ticket {} arrived without its bundle",
            t.number
        );
    }
    conn.close().await.unwrap();
}
