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

/// How long the screen takes to show what was under the window once the X server has unmapped
/// it: the windows below repaint (no compositor) or the compositor draws a frame. Under Xvfb
/// the root shows at once (the e2e test checks the capture); a desktop's compositor needs one
/// or two frames.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(150);

/// Returns once the hidden window is off the screen: GTK's requests are flushed and the X server
/// has handled them (a round trip on GTK's own connection, after the hide queued before it), then
/// the screen is given time to repaint.
pub fn wait_hidden(window: &tauri::WebviewWindow) {
    use gtk::prelude::*;
    let (tx, rx) = std::sync::mpsc::channel();
    let w = window.clone();
    let queued = window.run_on_main_thread(move || {
        if let Ok(gtk_window) = w.gtk_window() {
            gtk_window.display().sync();
        }
        let _ = tx.send(());
    });
    if queued.is_ok() && rx.recv_timeout(std::time::Duration::from_secs(2)).is_err() {
        tracing::warn!("the window system did not confirm the hide within 2 s");
    }
    std::thread::sleep(SETTLE);
}
