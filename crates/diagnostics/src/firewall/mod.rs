//! The firewall probe. Windows: each profile's local setting, the Group Policy override and the
//! effective state, and the networks Windows knows with their category (Public, Private, Domain).
//! Linux: the firewall services present and whether they run. Third-party firewalls (Security
//! Center) come with the WMI thread.

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

pub use decode::{decode_windows, systemtime, NetworkRaw, WindowsFirewallRaw};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "os", rename_all = "lowercase")]
pub enum Firewall {
    Windows(WindowsFirewall),
    Linux(LinuxFirewall),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowsFirewall {
    /// Domain, Private, Public, in that order.
    pub profiles: Vec<FirewallProfile>,
    /// Networks this computer has joined, most recently connected first.
    pub networks: Vec<KnownNetwork>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    Domain,
    Private,
    Public,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallProfile {
    pub profile: ProfileKind,
    /// The computer's own setting.
    pub local: Option<bool>,
    /// Group Policy's setting, which wins when present.
    pub policy: Option<bool>,
    /// What applies.
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkCategory {
    Public,
    Private,
    Domain,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownNetwork {
    /// The network's name (a Wi-Fi network's is its SSID: personal).
    pub name: Option<Personal<String>>,
    pub category: Option<NetworkCategory>,
    /// RFC 3339 (local time of the machine, as Windows records it).
    pub last_connected: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinuxFirewall {
    pub services: Vec<FirewallService>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallService {
    /// firewalld, ufw, nftables, iptables.
    pub name: String,
    /// Whether its program is installed.
    pub installed: bool,
    /// Whether it runs (systemd's word), when that can be known.
    pub active: Option<bool>,
}

pub const LIMIT: Duration = Duration::from_secs(5);

pub async fn probe() -> Probe<Firewall> {
    probe::run("firewall", LIMIT, platform::gather).await
}
