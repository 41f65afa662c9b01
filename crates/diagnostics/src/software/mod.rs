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
    decode_dpkg, decode_uninstall, install_date, is_security_product, UninstallRaw, View,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Software {
    /// Sorted by name.
    pub programs: Vec<InstalledProgram>,
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
}

pub const LIMIT: Duration = Duration::from_secs(10);

pub async fn probe() -> Probe<Software> {
    probe::run("software", LIMIT, platform::gather).await
}
