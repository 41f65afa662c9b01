//! Windows (WebView2) and macOS choose their own rendering: nothing to tune.

pub fn tune_webview(_window: &tauri::WebviewWindow) {}

/// Windows: `ShowWindow(SW_HIDE)` is done when `hide` returns, but the desktop compositor (DWM)
/// fades the window out over about 200 ms before the screen shows what was under it. Not measured
/// here (no Windows machine in CI): a margin over the documented fade.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(350);

/// Returns once the hidden window is off the screen.
pub fn wait_hidden(_window: &tauri::WebviewWindow) {
    std::thread::sleep(SETTLE);
}
