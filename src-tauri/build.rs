fn main() {
    // Only the commands listed here exist for the UI; each needs a permission in capabilities/.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "startup",
            "ui_ready",
            "open_guide",
            "capture_screens",
            "list_screens",
            "screen_image",
            "edit_screen",
            "remove_screen",
            "delivery_events",
            "outbox_list",
            "outbox_send_now",
            "outbox_delete",
            "history_list",
            "history_refresh",
            "open_ticket_link",
            "enrol",
            "add_information",
        ]),
    ))
    .expect("tauri build step");

    // The library is also a cdylib, loaded by the binary on Linux only; on Windows the binary
    // links it and the DLL goes unused. That DLL exports nothing, and GNU ld then exports every
    // symbol instead, more than a DLL can hold ("export ordinal too large"): tell it not to.
    let target = |key| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "windows" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-cdylib-link-arg=-Wl,--exclude-all-symbols");
    }
}
