//! The command line, run as a vendor's admin (`profile`) and a technician (`collect`) run it.

use std::process::Command;

fn chamado(args: &[&str]) -> (i32, String, String) {
    chamado_in(&std::env::temp_dir().join("chamado-cli-test"), args)
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

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("chamado-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn the_default_profile_prints_and_checks_clean() {
    let (code, default, _) = chamado(&["profile", "default"]);
    assert_eq!(code, 0);
    assert!(default.contains("Reportar erro"));
    let file = temp_file("padrao.toml", &default);
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
    let file = temp_file("quebrado.toml", &broken);
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
        );
    let file = temp_file("coleta.toml", &profile);
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
    assert_eq!(verdicts, ["refused", "ok", "refused"]);
    let html = std::fs::read_to_string(out.with_extension("html")).unwrap();
    assert!(
        html.contains("O que encontramos") && html.contains("Sistema"),
        "pt-BR report"
    );

    // A fresh data folder: nothing to compare with the first time, then "what changed".
    let home = file.with_file_name("home");
    let _ = std::fs::remove_dir_all(&home);
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
    let run = |lib: &std::path::Path, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_chamado"))
            .args(args)
            .env(
                "CHAMADO_HOME",
                std::env::temp_dir().join("chamado-cli-test"),
            )
            .env("CHAMADO_GUI_LIB", lib)
            .output()
            .expect("chamado runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let missing = std::env::temp_dir().join("chamado-nao-existe/libchamado_gui.so");
    let (code, err) = run(&missing, &[]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.starts_with(&format!(
            "chamado: não foi possível abrir a janela: {} não foi encontrado.",
            missing.display()
        )),
        "{err}"
    );

    let not_a_library = temp_file("libchamado_gui.so", "not a library");
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
