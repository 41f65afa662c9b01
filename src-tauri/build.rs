fn main() {
    // Only the commands listed here exist for the UI; each needs a permission in capabilities/.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&["startup", "ui_ready", "open_guide"]),
    ))
    .expect("tauri build step");
}
