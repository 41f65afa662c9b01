fn main() {
    // Only the commands declared here exist for the UI; each needs a permission in
    // capabilities/ (tests/generated.rs checks it). The names come from the one table,
    // src/commands.rs: each `fn name(` line of its `bridge!`.
    println!("cargo::rerun-if-changed=src/commands.rs");
    let table = std::fs::read_to_string("src/commands.rs").expect("src/commands.rs");
    let names: Vec<&str> = table
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("fn "))
        .filter_map(|l| l.split_once('(').map(|(name, _)| name.trim()))
        .collect();
    let names: &'static [&'static str] =
        Vec::leak(names.into_iter().map(|n| &*n.to_owned().leak()).collect());
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names)),
    )
    .expect("tauri build step");

    // The library is also a cdylib, loaded by the binary on Linux only; on Windows the binary
    // links it and the DLL goes unused. That DLL exports nothing, and GNU ld then exports every
    // symbol instead, more than a DLL can hold ("export ordinal too large"): tell it not to.
    let target = |key| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "windows" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-cdylib-link-arg=-Wl,--exclude-all-symbols");
    }
}
