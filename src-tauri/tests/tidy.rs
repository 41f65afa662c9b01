//! The architecture's invariants (ARCHITECTURE.md), checked: the library crates know nothing of
//! Tauri, central does not depend on the probe engine, and every window command is declared,
//! allowed by the capability and exposed to TypeScript. `UPDATE_GENERATED=1` rewrites the
//! capability's permission list from the command table.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Every workspace package's name, manifest path and normal dependencies (by name).
fn packages() -> Vec<(String, String, BTreeSet<String>)> {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null()) // normal, not dev or build
                .map(|d| d["name"].as_str().unwrap().to_owned())
                .collect();
            (
                p["name"].as_str().unwrap().to_owned(),
                p["manifest_path"].as_str().unwrap().to_owned(),
                deps,
            )
        })
        .collect()
}

#[test]
fn nothing_under_crates_depends_on_tauri_and_central_not_on_the_probes() {
    let crates = root().join("crates").canonicalize().unwrap();
    let pkgs = packages();
    let under_crates: Vec<_> = pkgs
        .iter()
        .filter(|(_, manifest, _)| Path::new(manifest).starts_with(&crates))
        .collect();
    assert!(under_crates.len() >= 9, "{under_crates:?}");
    for (name, _, deps) in &under_crates {
        let tauri: Vec<_> = deps.iter().filter(|d| d.starts_with("tauri")).collect();
        assert!(tauri.is_empty(), "{name} depends on {tauri:?}");
        for d in ["webkit2gtk", "gtk", "wry"] {
            assert!(!deps.contains(d), "{name} depends on {d}");
        }
    }
    let central = &pkgs
        .iter()
        .find(|(n, ..)| n == "chamado-central")
        .unwrap()
        .2;
    assert!(
        !central.contains("chamado-diagnostics"),
        "central reads what crosses machines from chamado-wire, not the probe engine"
    );
}

fn kebab(snake: &str) -> String {
    snake.replace('_', "-")
}

fn camel(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut out = parts.next().unwrap().to_owned();
    for p in parts {
        let mut c = p.chars();
        out.extend(c.next().map(|f| f.to_ascii_uppercase()));
        out.push_str(c.as_str());
    }
    out
}

#[test]
fn every_command_is_allowed_by_the_capability_and_exposed_to_typescript() {
    let path = root().join("src-tauri/capabilities/main.json");
    let mut capability: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let wanted: Vec<String> = chamado_gui::COMMANDS
        .iter()
        .map(|c| format!("allow-{}", kebab(c)))
        .collect();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        capability["permissions"] = wanted.clone().into();
        let mut text = serde_json::to_string_pretty(&capability).unwrap();
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
    let allowed: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        allowed, wanted,
        "capabilities/main.json: run `UPDATE_GENERATED=1 cargo test -p chamado --test tidy`"
    );
    let ts = std::fs::read_to_string(root().join("ui/src/lib/bindings.ts")).unwrap();
    for c in chamado_gui::COMMANDS {
        assert!(
            ts.contains(&format!("export function {}(", camel(c)))
                && ts.contains(&format!("'{c}'")),
            "{c} is not in ui/src/lib/bindings.ts"
        );
    }
}
