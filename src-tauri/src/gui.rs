//! The desktop window: chamado-app's `App` managed as the commands' state, the sender started,
//! the WebView tuned and kept on the app's own pages.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use chamado_app::attachments::{AttachmentsOutcome, FileDrop};
use tauri::ipc::Channel;
use tauri::{DragDropEvent, Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_dialog::DialogExt;

/// When the process started: the log records how long the UI took (benches/startup.py).
static LAUNCHED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn elapsed_ms() -> String {
    let ms = LAUNCHED.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0;
    format!("{ms:.1}")
}

pub fn ui_ready(_app: &chamado_app::App, screen: &str) {
    tracing::info!(screen = %screen, elapsed_ms = elapsed_ms(), "first screen shown");
}

/// Hides the window during a capture: off the screen before the capture, back with the focus
/// after it.
pub struct Curtain(pub tauri::WebviewWindow);

impl chamado_app::screens::Curtain for Curtain {
    fn hide(&self) {
        let started = Instant::now();
        if let Err(e) = self.0.hide() {
            tracing::warn!("could not hide the window before the capture: {e}");
        }
        crate::platform::wait_hidden(&self.0);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(
            elapsed_ms = format!("{ms:.1}"),
            "window hidden for the capture"
        );
    }

    fn show(&self) {
        let w = &self.0;
        for (what, r) in [
            ("show", w.show()),
            ("unminimize", w.unminimize()),
            ("focus", w.set_focus()),
        ] {
            if let Err(e) = r {
                tracing::warn!("after the capture, {what} failed: {e}");
            }
        }
    }
}

/// The UI's channel for files dropped on the window (the newest one).
#[derive(Default)]
struct Drops(Mutex<Option<Channel<FileDrop>>>);

pub fn file_drops(window: &tauri::WebviewWindow, channel: Channel<FileDrop>) {
    if let Ok(mut c) = window.state::<Drops>().0.lock() {
        *c = Some(channel);
    }
}

fn forward_drop(window: &tauri::Window, event: &DragDropEvent) {
    let drop = match event {
        DragDropEvent::Enter { .. } | DragDropEvent::Over { .. } => FileDrop::Over,
        DragDropEvent::Leave => FileDrop::Leave,
        DragDropEvent::Drop { paths, .. } => FileDrop::Drop {
            paths: paths
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
        },
        _ => return,
    };
    if let Ok(c) = window.state::<Drops>().0.lock() {
        if let Some(c) = c.as_ref() {
            let _ = c.send(drop);
        }
    }
}

/// The system's file dialog over the window; the files chosen are attached.
pub async fn choose_attachments(
    app: &chamado_app::App,
    window: tauri::WebviewWindow,
) -> Result<AttachmentsOutcome, chamado_app::AppError> {
    // Not on the main thread (the dialog would wait for the loop it runs on).
    let dialog = window
        .dialog()
        .file()
        .set_parent(&window)
        .set_title("Anexar arquivos");
    let chosen: Vec<String> =
        tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_files())
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
    if chosen.is_empty() {
        return Ok(AttachmentsOutcome {
            attachments: app.attachments()?,
            refused: Vec::new(),
        });
    }
    app.add_attachments(chosen)
}

/// Only the app's own pages load in the window; links never navigate it elsewhere.
fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// Opens the window; returns the process's exit code when it closes. Logs go to `data_dir`/logs,
/// the WebView's storage (the UI's saved language) to `data_dir`/webview.
pub fn run(profile_arg: Option<PathBuf>, data_dir: PathBuf) -> u8 {
    LAUNCHED.get_or_init(Instant::now);
    let _log_guard = match crate::logging::init(&data_dir.join("logs")) {
        Ok(g) => Some(g),
        Err(e) => {
            eprintln!("chamado: logging disabled: {e:#}");
            None
        }
    };
    let app = chamado_app::App::new(profile_arg.as_deref(), data_dir.clone());
    let title = app.title();
    let sender = app.sender().clone();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch brings the open window forward instead of opening another.
            tracing::info!("second launch: showing the open window");
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .manage(app)
        .manage(Drops::default())
        .invoke_handler(crate::commands::handler())
        .setup(move |app| {
            // Resumes the outbox now, then runs while the window is open.
            sender.watch_network();
            tauri::async_runtime::spawn(sender.run());
            tracing::debug!(elapsed_ms = elapsed_ms(), "creating the window");
            let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title(title)
                .inner_size(960.0, 700.0)
                .min_inner_size(640.0, 480.0)
                .data_directory(data_dir.join("webview"))
                .on_navigation(|url| {
                    let allowed = is_app_url(url);
                    if !allowed {
                        tracing::warn!(%url, "navigation blocked");
                    }
                    allowed
                })
                .build()?;
            window.on_window_event({
                let w = window.as_ref().window();
                move |e| {
                    if let WindowEvent::DragDrop(d) = e {
                        forward_drop(&w, d);
                    }
                }
            });
            crate::platform::tune_webview(&window);
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            tracing::error!("the window failed: {e}");
            eprintln!("chamado: {e}");
            1
        }
    }
}
