//! The network probe: adapters (up, down, cable unplugged; Ethernet, Wi-Fi, VPN), their
//! addresses, gateways, DNS servers and DHCP, and the system proxy. Windows reads the adapters
//! through WMI (the same rows the real captures hold) and the proxy from Internet Settings;
//! Linux reads `ip`'s JSON, /sys and resolv.conf, and the proxy environment variables.

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

pub use decode::{
    decode_ip_json, decode_proxy, decode_windows_adapters, mask_to_prefix, AdapterRaw, ProxyRaw,
};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// Physical adapters and those with an address (virtual ones without are noise).
    pub adapters: Vec<Adapter>,
    pub proxy: Proxy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdapterKind {
    Ethernet,
    Wifi,
    Vpn,
    Loopback,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    Up,
    Down,
    /// No cable (or no Wi-Fi network): "media disconnected".
    CableUnplugged,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adapter {
    /// What the user sees ("Ethernet", "Wi-Fi", "eth0").
    pub name: String,
    pub description: Option<String>,
    pub kind: AdapterKind,
    pub physical: Option<bool>,
    pub status: LinkStatus,
    pub mac: Option<Personal<String>>,
    /// `address/prefix`.
    pub ipv4: Vec<String>,
    pub ipv6: Vec<String>,
    pub gateways: Vec<String>,
    pub dns_servers: Vec<String>,
    pub dhcp: Option<bool>,
    pub speed_mbps: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Proxy {
    /// A fixed proxy is configured and on.
    pub enabled: bool,
    /// `host:port`, or per protocol (`http=…;https=…`).
    pub server: Option<String>,
    /// Addresses that skip the proxy.
    pub bypass: Option<String>,
    /// A PAC script's address.
    pub auto_config_url: Option<String>,
}

pub const LIMIT: Duration = Duration::from_secs(8);

pub async fn probe() -> Probe<Network> {
    probe::run("network", LIMIT, platform::gather).await
}
