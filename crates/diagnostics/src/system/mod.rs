//! The system probe: which OS, which version and build, since when it runs, on what machine, for
//! which user. Collection is per OS (`windows.rs`, `linux.rs`); turning what the OS returned into
//! `System` is pure (`decode.rs`) and tested on recorded data.

mod decode;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
use linux as platform;
#[cfg(windows)]
use windows as platform;

use std::time::Duration;

use serde::Serialize;

use crate::personal::Personal;
use crate::probe::{self, Probe};

pub use decode::{cim_datetime, decode_linux, decode_windows, LinuxRaw, WindowsRaw};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OsFamily {
    Windows,
    Linux,
}

/// The operating system, as an analyst reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct System {
    /// e.g. "Windows 11 Pro", "Windows Server 2022 Standard", "Debian GNU/Linux 12 (bookworm)".
    pub os_name: String,
    pub family: OsFamily,
    /// Windows: the edition id (Professional, ServerStandard...).
    pub edition: Option<String>,
    /// Windows: the feature update (23H2); Linux: the release (12).
    pub version: Option<String>,
    /// Windows: build and revision (22631.4317); Linux: the kernel release.
    pub build: Option<String>,
    pub server: bool,
    pub architecture: Option<String>,
    /// RFC 3339, UTC. On Windows a feature upgrade resets it.
    pub install_date: Option<String>,
    /// RFC 3339, UTC.
    pub last_boot: Option<String>,
    pub uptime_s: Option<u64>,
    pub machine_name: Option<Personal<String>>,
    pub user_name: Option<Personal<String>>,
    /// Windows: the user's domain (or the machine name for a local account).
    pub domain: Option<Personal<String>>,
}

/// How long the system probe may take: it reads a few registry values or files.
pub const LIMIT: Duration = Duration::from_secs(5);

/// Collects the system probe on this machine.
pub async fn probe() -> Probe<System> {
    probe::run("system", LIMIT, platform::gather).await
}
