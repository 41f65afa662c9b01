//! WebKitGTK settings for Chamado's window.

use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};

/// Paints in software and never enters accelerated compositing. Chamado's UI is a plain form; on
/// machines without a usable GPU (and under Xvfb) compositing loads Mesa's llvmpipe into the web
/// process, about 40 MB of PSS for nothing (measured by benches/startup.py).
pub fn tune_webview(window: &tauri::WebviewWindow) {
    let result = window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = result {
        tracing::warn!("could not tune the WebView: {e}");
    }
}
