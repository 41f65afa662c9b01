//! The logs probe: tails of real files in a temporary folder, as the profile's globs name them.

use std::time::{Duration, SystemTime};

use chamado_diagnostics::logs::{decode_text, expand_env, gather, MAX_PER_FILE};
use chamado_diagnostics::probe::ProbeProblem;

fn env(name: &str) -> Option<String> {
    match name {
        "ProgramData" => Some(r"C:\ProgramData".into()),
        "HOME" => Some("/home/joao".into()),
        _ => None,
    }
}

#[test]
fn environment_variables_in_globs() {
    assert_eq!(
        expand_env(r"%ProgramData%\Sistema\logs\*.log", &env),
        r"C:\ProgramData\Sistema\logs\*.log"
    );
    assert_eq!(
        expand_env("$HOME/.sistema/*.log", &env),
        "/home/joao/.sistema/*.log"
    );
    assert_eq!(expand_env("${HOME}/x", &env), "/home/joao/x");
    assert_eq!(
        expand_env(r"%NaoExiste%\a.log", &env),
        r"%NaoExiste%\a.log",
        "unknown stays as written"
    );
    assert_eq!(expand_env("100% certo", &env), "100% certo");
}

#[test]
fn what_legacy_programs_write_is_read_right() {
    // "Atenção: conexão" in Windows-1252.
    let cp1252 = b"Aten\xe7\xe3o: conex\xe3o \x80 5";
    assert_eq!(
        decode_text(cp1252),
        ("Atenção: conexão € 5".to_owned(), "windows-1252")
    );
    assert_eq!(decode_text("ação".as_bytes()), ("ação".to_owned(), "utf-8"));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("erro".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(decode_text(&utf16), ("erro".to_owned(), "utf-16le"));
}

fn set_modified(path: &std::path::Path, ago: Duration) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - ago).unwrap();
}

#[test]
fn newest_files_first_each_tail_capped_from_a_line_start() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    std::fs::write(dir.join("old.log"), "old\n").unwrap();
    set_modified(&dir.join("old.log"), Duration::from_secs(3600));
    // A big log: only its end, from a line start.
    let big: String = (0..20_000)
        .map(|i| format!("linha {i:05} Conexão recusada\n"))
        .collect();
    std::fs::write(dir.join("today.log"), &big).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a log").unwrap();
    let glob = format!("{}/*.log", dir.display());
    let (logs, problems) = gather(&[glob.clone(), glob], &env);
    assert!(problems.is_empty(), "{problems:?}");
    let logs = logs.unwrap();
    let names: Vec<_> = logs
        .files
        .iter()
        .map(|f| f.path.rsplit(['/', '\\']).next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["today.log", "old.log"],
        "newest first, each once, only the glob's"
    );
    let today = &logs.files[0];
    assert!(today.truncated);
    assert!(today.tail.len() as u64 <= MAX_PER_FILE);
    assert!(
        today.tail.starts_with("linha "),
        "from a line start: {:?}",
        &today.tail[..20]
    );
    assert!(today.tail.ends_with("linha 19999 Conexão recusada\n"));
    assert_eq!(logs.files[1].tail, "old\n");
    assert!(!logs.files[1].truncated);
}

#[test]
fn a_bad_pattern_is_reported_and_the_rest_goes_on() {
    let (logs, problems) = gather(&["[".into()], &env);
    assert!(logs.unwrap().files.is_empty());
    assert!(matches!(&problems[..], [ProbeProblem::Failed { what, .. }] if what == "["));
}
