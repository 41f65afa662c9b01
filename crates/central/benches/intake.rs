//! The intake benchmark, in one run against the real binary (release build):
//!
//! 1. tickets without attachments from concurrent clients for a few seconds: tickets/s and
//!    latency percentiles (client side, so they include the HTTP round trip);
//! 2. 100 concurrent 1 MiB uploads: all must succeed, and the server's peak memory (VmHWM) must
//!    not grow with them (the bundles are streamed to disk).
//!
//! `cargo bench -p chamado-central --bench intake` (CONCURRENCY, BENCH_SECONDS override the defaults;
//! BENCH_DATABASE_URL runs it on that database instead of SQLite, e.g. an empty PostgreSQL one).
//! Targets (issue 5): ≥ 1,000 tickets/s with p99 ≤ 50 ms on SQLite; exits 1 when one is missed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_chamado-central");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak and current resident memory of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn ticket() -> String {
    json!({
        "topic": "sem-conexao",
        "summary": "O sistema não conecta ao servidor",
        "description": "Desde ontem aparece 'servidor indisponível' ao abrir o caixa.",
        "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"},
        "fields": {"terminal": "Caixa 2"}
    })
    .to_string()
}

#[tokio::main]
async fn main() {
    let concurrency = env_or("CONCURRENCY", 32) as usize;
    let seconds = env_or("BENCH_SECONDS", 5);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("central.toml");
    std::fs::write(
        &config,
        format!(
            "data = \"data\"\n[limits]\nrate_per_minute = 10000000\nrate_burst = 10000000\n{}",
            std::env::var("BENCH_DATABASE_URL")
                .map(|url| format!("[database]\nurl = \"{url}\"\n"))
                .unwrap_or_default()
        ),
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let server = Server(child);
    let addr = loop {
        let line = lines.next().expect("the server logs its address").unwrap();
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let url = format!("http://{addr}");

    let code = Command::new(BIN)
        .args(["admin", "--config"])
        .arg(&config)
        .args(["enrol-code", "--company", "Bench"])
        .output()
        .unwrap();
    let code = String::from_utf8(code.stdout).unwrap().trim().to_owned();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let enrol: Value = http
        .post(format!("{url}/v1/enrolments"))
        .json(&json!({"code": code, "machine": "bench"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = Arc::new(enrol["token"].as_str().unwrap().to_owned());
    let body = Arc::new(ticket());

    // 1. Tickets without attachments.
    let (warmup, measured) = (Duration::from_millis(500), Duration::from_secs(seconds));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..concurrency {
        let (http, url, token, body) = (http.clone(), url.clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            let mut i = 0u64;
            loop {
                let now = start.elapsed();
                if now >= warmup + measured {
                    break;
                }
                i += 1;
                let t0 = Instant::now();
                let res = http
                    .post(format!("{url}/v1/tickets"))
                    .bearer_auth(token.as_str())
                    .header("Idempotency-Key", format!("{c}-{i}"))
                    .multipart(Form::new().part("ticket", Part::text(body.as_str().to_owned())))
                    .send()
                    .await;
                let ok = match res {
                    Ok(r) => r.status() == 201 && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if now >= warmup {
                    if ok {
                        latencies.push(t0.elapsed());
                    } else {
                        failures += 1;
                    }
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await.unwrap();
        latencies.extend(l);
        failures += f;
    }
    latencies.sort();
    if latencies.is_empty() {
        latencies.push(Duration::ZERO);
    }
    let rate = latencies.len() as f64 / measured.as_secs_f64();
    let (p50, p99, max) = (
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
    println!(
        "intake, no attachments: {} clients, {} s: {} tickets, {rate:.0} tickets/s, p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms, {failures} failed",
        concurrency,
        seconds,
        latencies.len()
    );

    // 2. 100 concurrent uploads of 1 MiB (UPLOAD_MIB).
    let upload_mib = env_or("UPLOAD_MIB", 1) as usize;
    let (peak_before, _) = memory_kib(pid);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..100u32 {
        let (http, url, token, body) = (http.clone(), url.clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut zip = b"PK\x05\x06".to_vec();
            zip.extend(n.to_le_bytes());
            zip.resize(upload_mib * 1024 * 1024, (n % 251) as u8);
            let form = Form::new()
                .part("ticket", Part::text(body.as_str().to_owned()))
                .part("bundle", Part::bytes(zip).file_name("bundle.zip"));
            let res = http
                .post(format!("{url}/v1/tickets"))
                .bearer_auth(token.as_str())
                .header("Idempotency-Key", format!("upload-{n}"))
                .multipart(form)
                .send()
                .await;
            matches!(res, Ok(r) if r.status() == 201)
        }));
    }
    let mut succeeded = 0;
    for t in tasks {
        if t.await.unwrap() {
            succeeded += 1;
        }
    }
    let took = started.elapsed().as_secs_f64();
    let (peak_after, rss) = memory_kib(pid);
    println!(
        "uploads: {succeeded}/100 concurrent {upload_mib} MiB bundles taken in {took:.2} s; server peak memory {} MiB before, {} MiB after (RSS now {} MiB)",
        peak_before / 1024,
        peak_after / 1024,
        rss / 1024
    );
    drop(server);

    let grew_mib = (peak_after.saturating_sub(peak_before)) / 1024;
    let ok = (seconds == 0 || rate >= 1000.0)
        && p99 <= 50.0
        && failures == 0
        && succeeded == 100
        && grew_mib < 50;
    println!(
        "targets (≥ 1000 tickets/s, p99 ≤ 50 ms, 100/100 uploads, peak memory growth < 50 MiB): {}",
        if ok { "met" } else { "MISSED" }
    );
    if !ok {
        std::process::exit(1);
    }
}
