//! The bundle benchmark's Rust side (driven by benches/bundle.py): a full diagnostics report
//! collected on this machine, 1 MiB of the vendor program's logs (four 256 KiB tails), the given
//! screenshots (already encoded, with their thumbnails, as the app holds them when the user
//! confirms them), and
//! optionally a large attachment; composes (redaction included) and writes the bundle RUNS
//! times; prints JSON: median and best build time, the bundle's size.
//!
//! cargo run --release -p chamado-bundle --example bundle_bench -- OUT_DIR RUNS [SHOT.webp]...
//!   [--attachment-mb N]

use std::time::Instant;

use chamado_bundle::compose::{self, Inputs};
use chamado_bundle::{Limits, Preview};
use chamado_diagnostics::logs::{LogFile, Logs};
use chamado_diagnostics::report;
use chamado_profile::Lang;

fn log_tail(seed: u32) -> String {
    let mut out = String::new();
    let mut i = seed;
    while out.len() < 256 * 1024 {
        i = i.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let line = match i % 5 {
            0 => format!("2026-11-24 10:{:02}:{:02} INFO  Pedido {} gravado por maria.souza em C:\\Users\\maria.souza\\Documents\n", i % 60, (i >> 8) % 60, i % 100_000),
            1 => format!("2026-11-24 10:{:02}:{:02} ERRO  Conexão recusada em 192.168.0.10:3050 (tentativa {})\n", i % 60, (i >> 8) % 60, i % 9),
            2 => format!("2026-11-24 10:{:02}:{:02} INFO  NF-e {} autorizada; cliente CNPJ 11.222.333/0001-81\n", i % 60, (i >> 8) % 60, i),
            3 => format!("2026-11-24 10:{:02}:{:02} AVISO Lentidão na consulta SQL: {} ms\n", i % 60, (i >> 8) % 60, i % 5000),
            _ => format!("2026-11-24 10:{:02}:{:02} INFO  E-mail enviado para financeiro@cliente.com.br\n", i % 60, (i >> 8) % 60),
        };
        out.push_str(&line);
    }
    out
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut attachment_mb = 0u64;
    if let Some(i) = args.iter().position(|a| a == "--attachment-mb") {
        attachment_mb = args[i + 1].parse().expect("a number");
        args.drain(i..i + 2);
    }
    let out_dir = std::path::PathBuf::from(&args[0]);
    let runs: usize = args[1].parse().expect("runs");
    let shots: Vec<(String, Vec<u8>, Preview)> = args[2..]
        .iter()
        .map(|p| {
            let name = std::path::Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let webp = std::fs::read(p).expect("a screenshot");
            // Its thumbnail, as the app and `chamado collect --bundle` make it: the review shows
            // it and the analyst's page embeds it.
            let image = chamado_capture::decode_webp(&webp).expect("a WebP screenshot");
            let (w, h) = chamado_capture::THUMB_MAX;
            let thumb = chamado_capture::thumbnail(&image, w, h).expect("a thumbnail");
            let preview = Preview::Image {
                mime: "image/webp".into(),
                base64: base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    thumb.webp,
                ),
            };
            (name, webp, preview)
        })
        .collect();
    std::fs::create_dir_all(&out_dir).unwrap();
    let attachment = (attachment_mb > 0).then(|| {
        let path = out_dir.join("anexo-grande.bin");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let chunk: Vec<u8> = (0..1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        for _ in 0..attachment_mb {
            std::io::Write::write_all(&mut f, &chunk).unwrap();
        }
        path
    });

    let profile = chamado_profile::builtin();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let options = report::Options { skip_checks: true };
    let mut r = rt.block_on(report::collect(&profile, "chamado bench", &options));
    let logs = r
        .logs
        .data
        .get_or_insert_with(|| Logs { files: Vec::new() });
    logs.files = (0..4)
        .map(|n| LogFile {
            path: format!(r"C:\ProgramData\Sistema de Gestão\logs\gestao-{n}.log"),
            size: 4 * 1024 * 1024,
            modified: Some("2026-11-24T10:00:00-03:00".into()),
            tail: log_tail(n),
            truncated: true,
            encoding: "utf-8".into(),
        })
        .collect();

    let limits = Limits {
        budget_bytes: if attachment.is_some() {
            u64::MAX
        } else {
            300 * 1024
        },
        attachment_max_bytes: u64::MAX,
        attachments_total_max_bytes: u64::MAX,
    };
    let mut times = Vec::new();
    let mut size = 0;
    let mut redacted = serde_json::Value::Null;
    for i in 0..runs {
        let inputs = Inputs {
            ticket: chamado_bundle::BundleTicket::topic("erro", "Sistema não abre"),
            contact_email: Some("ana@cliente.com.br".into()),
            home_dir: Some(r"C:\Users\maria.souza".into()),
            attachments: attachment.iter().cloned().collect(),
            screenshots: shots.clone(),
        };
        let out = out_dir.join(format!("pacote-{i}.zip"));
        let started = Instant::now();
        let bundle =
            compose::from_report(&r, &profile, inputs, "chamado bench", limits, Lang::PtBr)
                .unwrap();
        if i == 0 {
            for item in bundle.review().items {
                eprintln!(
                    "  {:<28} {:>8} B packed ({} B)",
                    item.path, item.packed_size, item.size
                );
            }
        }
        // Measured whatever the budget says: the size is reported against the target.
        let manifest = bundle.write(&out, true).unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        size = std::fs::metadata(&out).unwrap().len();
        redacted = serde_json::to_value(&manifest.redacted).unwrap_or_default();
        std::fs::remove_file(&out).unwrap();
    }
    if let Some(a) = attachment {
        std::fs::remove_file(a).unwrap();
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{}",
        serde_json::json!({
            "runs": runs,
            "median_ms": times[times.len() / 2],
            "best_ms": times[0],
            "bundle_bytes": size,
            "screenshots": shots.len(),
            "screenshot_bytes": shots.iter().map(|(_, b, _)| b.len()).sum::<usize>(),
            "attachment_mb": attachment_mb,
            "redacted": redacted,
        })
    );
}
