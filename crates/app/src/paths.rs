//! Where Chamado keeps its per-user data (logs, the WebView's storage, snapshots; outbox and
//! history later). The command line decides it and hands it to the window.

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
