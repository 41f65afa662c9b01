//! Throughput on a generated bundle: 1 MiB of log and ~300 KB of diagnostics JSON, through one
//! `Redactor` with a realistic `Known`. Run in release:
//! `cargo run --release -p chamado-redact --example redact_bench`.

use std::fmt::Write;
use std::time::Instant;

use chamado_redact::{Known, Redactor};

const LINES: &[&str] = &[
    "INFO  Conectado ao servidor 192.168.0.10:3050 em 34 ms",
    "DEBUG Consulta SELECT * FROM PEDIDOS WHERE ID = 48201745123 concluída (12 linhas)",
    "INFO  Pasta de dados: C:\\Users\\joao.silva\\AppData\\Roaming\\Gestor",
    "DEBUG Temporários: C:\\Users\\JOAO~1.SIL\\AppData\\Local\\Temp\\gestor-5821.tmp",
    "INFO  Pedido gravado: cliente CPF 529.982.247-25, total R$ 1.234,56",
    "INFO  NF-e emitida para CNPJ 11.222.333/0001-81",
    "WARN  Falha SMTP para financeiro@contabilx.com.br: 550 mailbox unavailable",
    "INFO  Sessão iniciada por CONTABILX\\joao.silva em DESKTOP-7H3K2L9",
    "DEBUG Resposta HTTP 200 de https://erp.fornecedor.com.br/api/v2/status em 120 ms",
    "ERROR Tempo esgotado ao conectar a 177.92.14.203:443 (tentativa 3 de 5)",
    "DEBUG std::io::Error { kind: TimedOut, message: \"operação expirou\" } em 15:30:00",
    "INFO  Sincronização concluída: 1532 registros, lote 20261124153000",
    "DEBUG Cache: {\"hits\": 1532, \"misses\": 12, \"path\": \"C:\\\\ProgramData\\\\Gestor\\\\cache\"}",
];

fn main() {
    let known = Known {
        user_names: vec!["joao.silva".into(), "João Silva".into()],
        home_dirs: vec!["C:\\Users\\joao.silva".into()],
        machine_names: vec!["DESKTOP-7H3K2L9".into()],
        domain_names: vec!["CONTABILX".into(), "corp.contabilx.local".into()],
        serials: vec!["PF3ABCDE".into(), "5CG1234XYZ".into()],
        wifi_names: vec!["Casa do João & Maria".into()],
        contact_email: Some("joao.silva@cliente.com.br".into()),
        keep: vec!["erp.fornecedor.com.br".into()],
    };

    let mut log = String::new();
    let mut seed: u64 = 7;
    let mut i = 0u64;
    while log.len() < 1 << 20 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let line = LINES[(seed >> 33) as usize % LINES.len()];
        let _ = writeln!(
            log,
            "2026-11-24 15:{:02}:{:02}.{:03} {line}",
            i / 60 % 60,
            i % 60,
            i % 1000
        );
        i += 1;
    }

    let program = |n: usize| {
        serde_json::json!({
            "name": format!("Programa {n}"), "DisplayVersion": format!("{}.{}.0.{}", n % 30, n % 7, n),
            "publisher": "Fornecedor Ltda", "install_date": "20261124",
            "location": format!("C:\\Users\\joao.silva\\AppData\\Local\\Programa{n}"),
        })
    };
    let json = serde_json::json!({
        "system": {"machine": "DESKTOP-7H3K2L9", "user": "CONTABILX\\joao.silva", "serial": "PF3ABCDE"},
        "software": (0..1500).map(program).collect::<Vec<_>>(),
        "logs": [{"file": "gestor.log", "tail": &log[..64 * 1024]}],
    });
    let json_len = json.to_string().len();

    let start = Instant::now();
    let mut redactor = Redactor::new(&known).expect("matcher");
    let built = start.elapsed();
    let t = Instant::now();
    let out = redactor.redact_text(&log);
    let text_time = t.elapsed();
    let t = Instant::now();
    let out_json = redactor.redact_json(json);
    let json_time = t.elapsed();
    let total = start.elapsed();

    let mb = |bytes: usize, secs: f64| bytes as f64 / (1024.0 * 1024.0) / secs;
    println!("build: {:.2} ms", built.as_secs_f64() * 1e3);
    println!(
        "text: {} bytes in {:.1} ms = {:.0} MiB/s",
        log.len(),
        text_time.as_secs_f64() * 1e3,
        mb(log.len(), text_time.as_secs_f64())
    );
    println!(
        "json: {} bytes in {:.1} ms = {:.0} MiB/s",
        json_len,
        json_time.as_secs_f64() * 1e3,
        mb(json_len, json_time.as_secs_f64())
    );
    println!("bundle total: {:.1} ms", total.as_secs_f64() * 1e3);
    println!(
        "replacements: {} ({} output bytes)",
        redactor.summary().total(),
        out.len() + out_json.to_string().len()
    );

    // Again with the detectors' regexes already compiled (once per process).
    let mut again = Redactor::new(&known).expect("matcher");
    let t = Instant::now();
    again.redact_text(&log);
    let warm = t.elapsed().as_secs_f64();
    println!(
        "text, regexes already compiled: {:.1} ms = {:.0} MiB/s",
        warm * 1e3,
        mb(log.len(), warm)
    );
}
