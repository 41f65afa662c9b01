//! What differs per OS in the window, behind one API.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::{tune_webview, wait_hidden};

#[cfg(not(target_os = "linux"))]
mod other;
#[cfg(not(target_os = "linux"))]
pub use other::{tune_webview, wait_hidden};
