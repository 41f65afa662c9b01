//! The desktop window: resolves the profile once, hands the UI its start-up state, logs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chamado_profile::{Profile, ProfileError, ProfileSource};
use serde::Serialize;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};
use ts_rs::TS;

/// What the UI needs to draw its first screen: the profile, or why it cannot be used.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Startup {
    Ready {
        profile: Box<Profile>,
        source: ProfileSource,
        /// The vendor's logo as a `data:` URL (the UI loads nothing from outside the app).
        logo: Option<String>,
    },
    Broken {
        source: ProfileSource,
        error: ProfileError,
    },
}

pub(crate) struct AppState {
    startup: Startup,
    launched: Instant,
}

impl AppState {
    /// The vendor's chamado-central, as the profile names it (none in a broken profile or one
    /// without an address).
    pub(crate) fn central_url(&self) -> Option<&str> {
        match &self.startup {
            Startup::Ready { profile, .. } if !profile.central.url.trim().is_empty() => {
                Some(profile.central.url.trim())
            }
            _ => None,
        }
    }
}

#[tauri::command]
fn startup(state: tauri::State<'_, AppState>) -> Startup {
    let ms = state.launched.elapsed().as_secs_f64() * 1000.0;
    tracing::debug!(
        elapsed_ms = format!("{ms:.1}"),
        "UI asked for its start-up state"
    );
    state.startup.clone()
}

/// The UI calls this once its first screen is drawn: the log records the start-up time (the
/// benchmark reads it).
#[tauri::command]
fn ui_ready(state: tauri::State<'_, AppState>, screen: String) {
    let ms = state.launched.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(screen = %screen, elapsed_ms = format!("{ms:.1}"), "first screen shown");
}

/// Opens a guide's page in the user's browser. The UI names the guide, not the URL, so it can
/// open nothing but the vendor's own guides.
#[tauri::command]
fn open_guide(
    state: tauri::State<'_, AppState>,
    topic: String,
    index: usize,
) -> Result<(), CommandError> {
    let Startup::Ready { profile, .. } = &state.startup else {
        return Err(CommandError::NoProfile);
    };
    let url = profile
        .topics
        .iter()
        .find(|t| t.id == topic)
        .and_then(|t| t.guides.get(index))
        .and_then(|g| g.url.as_deref())
        .ok_or(CommandError::NoSuchGuide)?;
    open_in_browser(url)
}

pub fn open_in_browser(url: &str) -> Result<(), CommandError> {
    open::that_detached(url).map_err(|e| {
        tracing::warn!(url, "opening the browser failed: {e}");
        CommandError::BrowserUnavailable
    })
}

/// Errors the UI acts on by `code`.
#[derive(Debug, Serialize, TS, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CommandError {
    #[error("no usable profile")]
    NoProfile,
    #[error("no such guide")]
    NoSuchGuide,
    #[error("no browser could be opened")]
    BrowserUnavailable,
    /// The data folder (outbox, history) cannot be read or written.
    #[error("the data folder cannot be used")]
    Storage,
    /// The ticket is no longer queued (sent or deleted meanwhile).
    #[error("no such queued ticket")]
    NotQueued,
    /// A sender is delivering right now; try again in a moment.
    #[error("a delivery is in progress")]
    Busy,
    #[error("this installation is not enrolled")]
    NotEnrolled,
    /// Central cannot be reached (or is busy) now.
    #[error("central is unreachable")]
    Offline,
    #[error("the ticket has no follow link yet")]
    NoLink,
    /// Central does not know the enrolment code (mistyped, expired or revoked).
    #[error("the enrolment code was refused")]
    CodeRefused,
    /// The profile names no chamado-central to enrol with.
    #[error("the profile has no central address")]
    NoCentral,
    /// Nothing was written to add to the ticket.
    #[error("the message is empty")]
    EmptyMessage,
    /// The ticket is not in this installation's history.
    #[error("no such sent ticket")]
    NoSuchTicket,
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
    let launched = Instant::now();
    let _log_guard = match crate::logging::init(&data_dir.join("logs")) {
        Ok(g) => Some(g),
        Err(e) => {
            eprintln!("chamado: logging disabled: {e:#}");
            None
        }
    };
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let (source, result) = chamado_profile::resolve(profile_arg.as_deref(), exe_dir.as_deref());
    let state = match result {
        Ok(profile) => {
            tracing::info!(?source, topics = profile.topics.len(), "profile loaded");
            let logo = logo_data_url(&source, &profile);
            Startup::Ready {
                profile: Box::new(profile),
                source,
                logo,
            }
        }
        Err(error) => {
            tracing::warn!(?source, problems = error.problems.len(), "profile unusable");
            Startup::Broken { source, error }
        }
    };
    let webview_dir = data_dir.join("webview");
    let installer_code = match &state {
        Startup::Ready { profile, .. } => crate::sender::InstallerCode::of(&profile.central),
        Startup::Broken { .. } => None,
    };
    let sender = crate::sender::Sender::new(data_dir.clone(), installer_code);
    let title = match &state {
        Startup::Ready { profile, .. } => format!("Chamado — {}", profile.vendor.name),
        Startup::Broken { .. } => "Chamado".to_owned(),
    };

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second launch brings the open window forward instead of opening another.
            tracing::info!("second launch: showing the open window");
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .manage(AppState {
            startup: state,
            launched,
        })
        .manage(crate::screens::Screens::new(
            chamado_capture::ShotStore::open(data_dir.join("draft").join("screens")),
        ))
        .manage(sender.clone())
        .invoke_handler(tauri::generate_handler![
            startup,
            ui_ready,
            open_guide,
            crate::screens::capture_screens,
            crate::screens::list_screens,
            crate::screens::screen_image,
            crate::screens::edit_screen,
            crate::screens::remove_screen,
            crate::queue::delivery_events,
            crate::queue::outbox_list,
            crate::queue::outbox_send_now,
            crate::queue::outbox_delete,
            crate::queue::history_list,
            crate::queue::history_refresh,
            crate::queue::open_ticket_link,
            crate::queue::enrol,
            crate::queue::add_information,
        ])
        .setup(move |app| {
            // Resumes the outbox now, then runs while the window is open.
            sender.start();
            let ms = launched.elapsed().as_secs_f64() * 1000.0;
            tracing::debug!(elapsed_ms = format!("{ms:.1}"), "creating the window");
            let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title(title)
                .inner_size(960.0, 700.0)
                .min_inner_size(640.0, 480.0)
                .data_directory(webview_dir)
                .on_navigation(|url| {
                    let allowed = is_app_url(url);
                    if !allowed {
                        tracing::warn!(%url, "navigation blocked");
                    }
                    allowed
                })
                .build()?;
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

fn logo_data_url(source: &ProfileSource, profile: &Profile) -> Option<String> {
    use base64::Engine;
    let file = source.base_dir()?.join(profile.branding.logo.as_ref()?);
    let mime = match file.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => return None,
    };
    match std::fs::read(&file) {
        Ok(bytes) => Some(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )),
        Err(e) => {
            tracing::warn!(file = %file.display(), "logo unreadable: {e}");
            None
        }
    }
}
