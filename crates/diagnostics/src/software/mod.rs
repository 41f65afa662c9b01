//! The software probe: installed programs with version, publisher and install date; security
//! products flagged; what was installed recently. Windows: the Uninstall keys (both registry views
//! and the user's); Linux: dpkg's status and log. Windows updates come with the WMI thread.

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

use crate::probe::{self, Probe};

pub use decode::{
    decode_dpkg, decode_qfe, decode_uninstall, install_date, is_security_product, QfeRaw,
    UninstallRaw, View,
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Software {
    /// Sorted by name.
    pub programs: Vec<InstalledProgram>,
    /// Windows updates (`Win32_QuickFixEngineering`), newest first; empty elsewhere.
    pub updates: Vec<Update>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Update {
    /// e.g. `KB5031356`.
    pub id: String,
    /// e.g. `Security Update`, as Windows names it.
    pub kind: Option<String>,
    /// `YYYY-MM-DD`.
    pub installed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalledProgram {
    pub name: String,
    pub version: Option<String>,
    pub publisher: Option<String>,
    /// `YYYY-MM-DD`: when it was installed or last updated.
    pub installed: Option<String>,
    /// Antivirus, firewall or endpoint protection: the usual suspects when a program stops
    /// reaching its server.
    pub security: bool,
}

impl Software {
    /// Programs installed or updated on or after `since` (`YYYY-MM-DD`), newest first.
    pub fn installed_since(&self, since: &str) -> Vec<&InstalledProgram> {
        let mut recent: Vec<_> = self
            .programs
            .iter()
            .filter(|p| p.installed.as_deref().is_some_and(|d| d >= since))
            .collect();
        recent.sort_by(|a, b| b.installed.cmp(&a.installed).then(a.name.cmp(&b.name)));
        recent
    }

    /// Updates installed on or after `since` (`YYYY-MM-DD`), newest first.
    pub fn updates_since(&self, since: &str) -> Vec<&Update> {
        self.updates
            .iter()
            .filter(|u| u.installed.as_deref().is_some_and(|d| d >= since))
            .collect()
    }
}

pub const LIMIT: Duration = Duration::from_secs(10);

pub async fn probe() -> Probe<Software> {
    probe::run("software", LIMIT, platform::gather).await
}
