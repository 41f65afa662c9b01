//! The command line, run as a vendor's admin (`profile`) and a technician (`collect`) run it.

use std::process::Command;

/// Runs chamado with a data folder of its own, removed afterwards: nothing left from an earlier
/// run or another test, nothing written into the user's folders.
fn chamado(args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    chamado_in(home.path(), args)
}

/// Runs chamado with its data folder (logs, snapshots) in `home`.
fn chamado_in(home: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chamado"))
        .args(args)
        .env("CHAMADO_HOME", home)
        .output()
        .expect("chamado runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp_file(dir: &tempfile::TempDir, name: &str, contents: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn the_default_profile_prints_and_checks_clean() {
    let (code, default, _) = chamado(&["profile", "default"]);
    assert_eq!(code, 0);
    assert!(default.contains("Reportar erro"));
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "padrao.toml", &default);
    let (code, out, err) = chamado(&["profile", "check", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("perfil válido (5 tópicos"), "{out}");
}

#[test]
fn check_lists_every_problem_with_position_and_exits_2() {
    let (_, default, _) = chamado(&["profile", "default"]);
    let broken = default
        .replacen("kind = \"multiline\"", "kind = \"texto\"", 1)
        .replacen("accent = \"#0b5cad\"", "accent = \"azul\"", 1)
        .replacen("checks = [\"servidor\"]", "checks = [\"servidr\"]", 1);
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "quebrado.toml", &broken);
    let name = file.to_str().unwrap();

    let (code, out, err) = chamado(&["profile", "check", name]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(lines[0].starts_with(&format!("{name}:")), "{err}");
    assert!(
        lines[0].contains(": branding.accent: cor `azul` inválida"),
        "{err}"
    );
    assert!(
        err.contains(".checks[0]: verificação `servidr` não existe"),
        "{err}"
    );
    assert!(
        err.contains("topics[1].fields[0].kind: `texto` não é um valor permitido"),
        "{err}"
    );
    assert_eq!(lines[3], format!("3 problemas em {name}"));

    let (code, _, err) = chamado(&["profile", "check", name, "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid colour `azul`"), "{err}");
    assert!(err.ends_with(&format!("3 problems in {name}\n")), "{err}");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let (code, _, err) = chamado(&["profile", "check", "/nao/existe.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("/nao/existe.toml: não foi possível ler o arquivo"),
        "{err}"
    );
}

#[test]
fn schema_is_printed_for_editors() {
    let (code, out, _) = chamado(&["profile", "schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(schema["title"], "Profile");
    assert!(schema["$defs"]["Topic"]["properties"]["checklist"].is_object());
}

#[test]
fn collect_writes_a_json_and_an_html_report() {
    // A profile whose checks stay on this machine: a closed port and localhost.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (_, default, _) = chamado(&["profile", "default"]);
    let profile = default
        .replacen("tcp = \"servidor:3050\"", &format!("tcp = \"{closed}\""), 1)
        .replacen("dns = \"suporte.exemplo.com.br\"", "dns = \"localhost\"", 1)
        .replacen(
            "http = \"https://suporte.exemplo.com.br/\"",
            &format!("http = \"http://{closed}/\""),
            1,
        )
        .replacen(
            "http = \"http://www.msftconnecttest.com/connecttest.txt\"",
            &format!("http = \"http://{closed}/connecttest.txt\""),
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(&dir, "coleta.toml", &profile);
    let out = file.with_file_name("relatorio");
    let (code, stdout, stderr) = chamado(&[
        "collect",
        "--profile",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Coletando o diagnóstico"),
        "progress on stderr: {stderr}"
    );
    assert!(stdout.contains("recusou a conexão"), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(json["format"], 1);
    let verdicts: Vec<_> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].clone())
        .collect();
    assert_eq!(verdicts, ["refused", "ok", "refused", "refused"]);
    let html = std::fs::read_to_string(out.with_extension("html")).unwrap();
    assert!(
        html.contains("O que encontramos") && html.contains("Sistema"),
        "pt-BR report"
    );

    // A fresh data folder: nothing to compare with the first time, then "what changed".
    let home = file.with_file_name("home");
    let json_out = out.to_str().unwrap();
    let collect = |extra: &[&str]| {
        let mut args = vec![
            "collect",
            "--skip-checks",
            "--format",
            "json",
            "--out",
            json_out,
        ];
        args.extend_from_slice(extra);
        let (code, _, stderr) = chamado_in(&home, &args);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&out).unwrap()).unwrap()
    };
    let first = collect(&["--works"]);
    assert!(first["checks"].is_null());
    assert!(first["system"]["data"]["os_name"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert!(first["changes"].is_null(), "nothing to compare with yet");
    let second = collect(&[]);
    assert_eq!(second["changes"]["since"], first["collected_at"]);
    assert_eq!(second["changes"]["since_good"], true);
    assert!(second["changes"]["changes"].is_array());
}

/// On Linux the command line must not make the dynamic loader map the window's libraries: they
/// are in libchamado_gui.so, loaded only when the window opens.
#[cfg(target_os = "linux")]
#[test]
fn the_command_line_does_not_link_the_window_libraries() {
    let out = Command::new("readelf")
        .args(["--dynamic", "--wide", env!("CARGO_BIN_EXE_chamado")])
        .output()
        .expect("readelf runs");
    assert!(out.status.success());
    let dynamic = String::from_utf8(out.stdout).unwrap();
    let needed: Vec<&str> = dynamic.lines().filter(|l| l.contains("(NEEDED)")).collect();
    assert!(!needed.is_empty(), "{dynamic}");
    for lib in [
        "webkit",
        "javascriptcore",
        "gtk",
        "gdk",
        "soup",
        "cairo",
        "glib",
        "gobject",
    ] {
        assert!(
            !needed.iter().any(|l| l.contains(lib)),
            "chamado links {lib}: {needed:#?}"
        );
    }
}

/// A missing or broken window library is a clear message in the user's language and exit code 3,
/// never a crash; the command line still works.
#[cfg(target_os = "linux")]
#[test]
fn a_missing_or_broken_window_library_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = |lib: &std::path::Path, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_chamado"))
            .args(args)
            .env("CHAMADO_HOME", dir.path().join("data"))
            .env("CHAMADO_GUI_LIB", lib)
            .output()
            .expect("chamado runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let missing = dir.path().join("nao-existe/libchamado_gui.so");
    let (code, err) = run(&missing, &[]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.starts_with(&format!(
            "chamado: não foi possível abrir a janela: {} não foi encontrado.",
            missing.display()
        )),
        "{err}"
    );

    let not_a_library = temp_file(&dir, "libchamado_gui.so", "not a library");
    let (code, err) = run(&not_a_library, &["--lang", "en"]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.starts_with(&format!(
            "chamado: cannot open the window: {} could not be loaded (",
            not_a_library.display()
        )),
        "{err}"
    );

    let (code, err) = run(&missing, &["profile", "schema"]);
    assert_eq!(code, 0, "the command line needs no window library: {err}");
}

/// A technician's bundle: the report, the logs and an attachment in one zip, personal data
/// replaced by tokens, the budget enforced with a proposal, the user's leave-outs recorded.
/// Unix only: it plays the user through `$HOME`, which Windows does not read (the bundle and
/// redaction crates' own tests run under Wine).
#[cfg(unix)]
#[test]
fn collect_writes_a_redacted_bundle_within_the_budget() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let home = dir.join("maria.souza");
    std::fs::create_dir_all(home.join("logs")).unwrap();
    std::fs::write(
        home.join("logs/gestao.log"),
        format!(
            "10:00 ERRO usuário maria.souza em {}/docs\n10:01 cliente CPF 529.982.247-25 e-mail ana@cliente.com.br pedido 12345678901\n",
            home.display()
        ),
    )
    .unwrap();
    let (_, default, _) = chamado(&["profile", "default"]);
    let profile = default.replacen(
        r"logs = ['%ProgramData%\Sistema de Gestão\logs\*.log']",
        "logs = ['$HOME/logs/*.log']",
        1,
    );
    assert_ne!(profile, default, "the default profile's logs line");
    let profile_file = dir.join("perfil.toml");
    std::fs::write(&profile_file, profile).unwrap();
    let note = dir.join("nota fiscal.txt");
    std::fs::write(&note, "NF 1001").unwrap();
    let zip_path = dir.join("pacote.zip");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "collect",
            "--skip-checks",
            "--profile",
            profile_file.to_str().unwrap(),
            "--bundle",
            zip_path.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_chamado"))
            .args(&args)
            .env("CHAMADO_HOME", dir.join("data"))
            .env("HOME", &home)
            // Maria, whoever runs the tests: their account name is not part of what is checked.
            .env("USER", "maria.souza")
            .env("LOGNAME", "maria.souza")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&["--attach", note.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Pacote:"), "{stdout}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let log = read("logs/gestao.log");
    // What the analyst sees: each value replaced by a token of its kind, the same token wherever
    // the value was. Token numbers follow the order values are met in the whole bundle (this
    // machine's report comes first), so they are not checked.
    assert!(!log.contains("529.982.247-25"), "{log}");
    let cpf = token_after(&log, "CPF ");
    assert!(cpf.starts_with("[cpf-"), "{log}");
    assert!(!log.contains("maria.souza"), "{log}");
    let user = token_after(&log, "ERRO usuário ");
    assert!(user.starts_with("[usuário-"), "{log}");
    assert!(
        log.contains(&format!("/{user}/docs")),
        "the home folder's name is the same user: {log}"
    );
    assert!(log.contains("12345678901"), "not a CPF: kept");
    assert!(!log.contains("ana@cliente.com.br"), "{log}");
    assert!(log.contains("e-mail [e-mail-"), "{log}");
    assert_eq!(read("attachments/nota fiscal.txt"), "NF 1001");
    let json = read("diagnostics.json");
    assert!(
        !json.contains("maria.souza"),
        "the home folder is a user name"
    );
    assert!(
        json.contains(user),
        "the report's user is the log's token: {json}"
    );
    let manifest: serde_json::Value = serde_json::from_str(&read("manifest.json")).unwrap();
    assert!(manifest["redacted"]["cpf"]["replaced"].as_u64() >= Some(1));
    assert!(manifest["redacted"]["user_name"]["replaced"].as_u64() >= Some(2));
    assert!(
        !read("manifest.json").contains("529.982"),
        "counts, never values"
    );

    // Over the 1 MiB budget: nothing written, the largest optional item proposed.
    std::fs::remove_file(&zip_path).unwrap();
    let big = dir.join("video.mp4");
    let noise: Vec<u8> = (0..2_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&big, noise).unwrap();
    let (code, _, stderr) = run(&["--attach", big.to_str().unwrap()]);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("acima do limite"), "{stderr}");
    assert!(stderr.contains("--leave-out attachment-1"), "{stderr}");
    assert!(
        !zip_path.exists(),
        "never a silent drop, never half a bundle"
    );
    let (code, _, stderr) = run(&[
        "--attach",
        big.to_str().unwrap(),
        "--leave-out",
        "attachment-1",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut manifest = String::new();
    zip.by_name("manifest.json")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["left_out"][0]["label"], "video.mp4");
}

/// The redaction token (`[kind-n]`) right after `prefix` in `text`.
#[cfg(unix)]
fn token_after<'a>(text: &'a str, prefix: &str) -> &'a str {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix}: {text}"))
        + prefix.len();
    let rest = &text[start..];
    let end = rest.find(']').unwrap_or_else(|| panic!("a token: {rest}")) + 1;
    let token = &rest[..end];
    assert!(
        token.starts_with('[')
            && token[1..end - 1]
                .rsplit_once('-')
                .is_some_and(|(_, n)| n.parse::<u32>().is_ok()),
        "not a token: {token}"
    );
    token
}

/// `chamado status | head -1`: the reader is gone before the output is written; that is not a
/// crash.
#[test]
fn output_into_a_closed_pipe_is_not_a_crash() {
    let home = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_chamado"))
        .args(["status"])
        .env("CHAMADO_HOME", home.path())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
