//! Windows (WebView2) and macOS choose their own rendering: nothing to tune.

pub fn tune_webview(_window: &tauri::WebviewWindow) {}
