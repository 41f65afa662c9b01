//! The yardstick for Chamado's start-up benchmark: a Tauri window built like `chamado` (same
//! Tauri, features, release profile and window size) that shows one static line of text and says
//! when it is drawn. Nothing else: what chamado costs beyond this is Chamado's own.

use std::time::Instant;

struct Launched(Instant);

#[tauri::command]
fn ready(launched: tauri::State<'_, Launched>) {
    let ms = launched.0.elapsed().as_secs_f64() * 1000.0;
    println!("first screen shown elapsed_ms={ms:.1}");
}

fn main() {
    let launched = Instant::now();
    tauri::Builder::default()
        .manage(Launched(launched))
        .invoke_handler(tauri::generate_handler![ready])
        .setup(|app| {
            let data =
                std::env::temp_dir().join(format!("chamado-bench-minimal-{}", std::process::id()));
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::default())
                .title("minimal")
                .inner_size(960.0, 700.0)
                .data_directory(data)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the minimal window runs");
}
