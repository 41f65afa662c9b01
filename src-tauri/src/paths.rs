//! Where Chamado keeps its per-user data (logs now; outbox, history and snapshots later).

use std::path::PathBuf;

/// `CHAMADO_HOME` when set (portable use by technicians, and tests), else the OS's per-user local
/// data folder (`%LOCALAPPDATA%\Chamado` on Windows, `~/.local/share/chamado` on Linux).
pub fn data_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CHAMADO_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(home);
    }
    let base = dirs::data_local_dir().unwrap_or_else(std::env::temp_dir);
    if cfg!(windows) {
        base.join("Chamado")
    } else {
        base.join("chamado")
    }
}

pub fn log_dir() -> PathBuf {
    data_dir().join("logs")
}

/// The WebView's own storage (the UI's saved language), kept with the rest of Chamado's data so
/// that `CHAMADO_HOME` isolates it too.
pub fn webview_dir() -> PathBuf {
    data_dir().join("webview")
}
