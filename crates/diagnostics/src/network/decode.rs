//! Pure decoding of what the network collectors read.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::{Adapter, AdapterKind, LinkStatus, Proxy};
use crate::personal::Personal;
use crate::text::non_empty;

/// One Windows adapter: its `Win32_NetworkAdapter` row joined with its
/// `Win32_NetworkAdapterConfiguration` row (same `Index`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdapterRaw {
    pub index: u32,
    /// `NetConnectionID`: "Ethernet", "Wi-Fi".
    pub connection_id: Option<String>,
    /// `Name` (the driver's description).
    pub name: Option<String>,
    /// `AdapterType`: "Ethernet 802.3" also for Wi-Fi.
    pub adapter_type: Option<String>,
    pub physical: Option<bool>,
    /// 0 disconnected, 2 connected, 7 media disconnected...
    pub connection_status: Option<u32>,
    /// bit/s.
    pub speed: Option<u64>,
    pub mac: Option<String>,
    pub ip_enabled: Option<bool>,
    pub ip_addresses: Vec<String>,
    /// Masks for IPv4 ("255.255.255.0"), prefix lengths for IPv6 ("64"), in address order.
    pub ip_subnets: Vec<String>,
    pub gateways: Vec<String>,
    pub dns_servers: Vec<String>,
    pub dhcp_enabled: Option<bool>,
}

pub fn decode_windows_adapters(rows: &[AdapterRaw]) -> Vec<Adapter> {
    rows.iter()
        .filter(|r| r.physical == Some(true) || r.ip_enabled == Some(true))
        .map(|r| {
            let description = non_empty(&r.name);
            let name = non_empty(&r.connection_id)
                .or_else(|| description.clone())
                .unwrap_or_else(|| format!("#{}", r.index));
            let (mut ipv4, mut ipv6) = (Vec::new(), Vec::new());
            for (i, addr) in r.ip_addresses.iter().enumerate() {
                let subnet = r.ip_subnets.get(i).map(String::as_str).unwrap_or("");
                if addr.contains(':') {
                    ipv6.push(with_prefix(addr, subnet.parse().ok()));
                } else {
                    ipv4.push(with_prefix(addr, mask_to_prefix(subnet)));
                }
            }
            let status = match r.connection_status {
                Some(2) => LinkStatus::Up,
                Some(7) => LinkStatus::CableUnplugged,
                Some(0) | Some(3) | Some(4) | Some(5) | Some(6) => LinkStatus::Down,
                // Virtual adapters have no status; an address means it works.
                None if !r.ip_addresses.is_empty() => LinkStatus::Up,
                _ => LinkStatus::Unknown,
            };
            Adapter {
                kind: kind_of(
                    &name,
                    description.as_deref().unwrap_or(""),
                    r.adapter_type.as_deref(),
                ),
                physical: r.physical,
                status,
                mac: r
                    .mac
                    .as_deref()
                    .filter(|m| !m.is_empty())
                    .map(|m| Personal::new(m.to_owned())),
                ipv4,
                ipv6,
                gateways: r.gateways.clone(),
                dns_servers: r.dns_servers.clone(),
                dhcp: r.dhcp_enabled,
                // Virtual adapters report i64::MAX.
                speed_mbps: r
                    .speed
                    .filter(|s| *s < i64::MAX as u64)
                    .map(|s| s / 1_000_000),
                description,
                name,
            }
        })
        .collect()
}

fn with_prefix(addr: &str, prefix: Option<u8>) -> String {
    match prefix {
        Some(p) => format!("{addr}/{p}"),
        None => addr.to_owned(),
    }
}

/// "255.255.255.0" is 24; `None` for something that is not a contiguous mask.
pub fn mask_to_prefix(mask: &str) -> Option<u8> {
    let bits = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    let prefix = bits.leading_ones();
    (bits.checked_shl(prefix).unwrap_or(0) == 0).then_some(prefix as u8)
}

fn kind_of(name: &str, description: &str, adapter_type: Option<&str>) -> AdapterKind {
    let text = format!("{name} {description}").to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["loopback"]) {
        AdapterKind::Loopback
    } else if has(&[
        "vpn",
        "tap-windows",
        "tap adapter",
        "wireguard",
        "tunnel",
        "openvpn",
        "anyconnect",
        "fortinet",
        "forticlient",
        "globalprotect",
        "wintun",
        "ppp",
    ]) {
        AdapterKind::Vpn
    } else if has(&["wi-fi", "wifi", "wireless", "wlan", "802.11"]) {
        AdapterKind::Wifi
    } else if has(&["ethernet", "gigabit", "gbe", "realtek pcie", "lan"])
        || adapter_type == Some("Ethernet 802.3")
    {
        AdapterKind::Ethernet
    } else {
        AdapterKind::Other
    }
}

/// Internet Settings (HKCU) or the environment, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxyRaw {
    pub proxy_enable: Option<u32>,
    pub proxy_server: Option<String>,
    pub proxy_override: Option<String>,
    pub auto_config_url: Option<String>,
}

pub fn decode_proxy(raw: &ProxyRaw) -> Proxy {
    let server = non_empty(&raw.proxy_server);
    Proxy {
        enabled: raw.proxy_enable == Some(1) && server.is_some(),
        server,
        bypass: non_empty(&raw.proxy_override),
        auto_config_url: non_empty(&raw.auto_config_url),
    }
}

/// Linux: `ip -j addr` and `ip -j route show default` as JSON, one adapter per interface. `sys`
/// gives, per interface name, whether it is wireless and its speed in Mbit/s (from /sys).
pub fn decode_ip_json(
    addr_json: &str,
    route_json: &str,
    dns_servers: &[String],
    sys: &dyn Fn(&str) -> (bool, Option<u64>),
) -> Vec<Adapter> {
    #[derive(Deserialize)]
    struct Link {
        ifname: String,
        #[serde(default)]
        operstate: String,
        #[serde(default)]
        flags: Vec<String>,
        #[serde(default)]
        link_type: String,
        address: Option<String>,
        #[serde(default)]
        addr_info: Vec<Addr>,
    }
    #[derive(Deserialize)]
    struct Addr {
        family: String,
        local: String,
        prefixlen: u8,
        #[serde(default)]
        dynamic: bool,
    }
    #[derive(Deserialize)]
    struct Route {
        gateway: Option<String>,
        dev: Option<String>,
    }
    let links: Vec<Link> = serde_json::from_str(addr_json).unwrap_or_default();
    let routes: Vec<Route> = serde_json::from_str(route_json).unwrap_or_default();
    links
        .into_iter()
        .map(|l| {
            let (wireless, speed_mbps) = sys(&l.ifname);
            let ipv4: Vec<String> = l
                .addr_info
                .iter()
                .filter(|a| a.family == "inet")
                .map(|a| format!("{}/{}", a.local, a.prefixlen))
                .collect();
            let ipv6 = l
                .addr_info
                .iter()
                .filter(|a| a.family == "inet6")
                .map(|a| format!("{}/{}", a.local, a.prefixlen))
                .collect();
            let loopback = l.link_type == "loopback";
            let kind = if loopback {
                AdapterKind::Loopback
            } else if wireless {
                AdapterKind::Wifi
            } else if l.link_type == "none"
                || l.ifname.starts_with("tun")
                || l.ifname.starts_with("wg")
            {
                AdapterKind::Vpn
            } else if l.link_type == "ether" {
                AdapterKind::Ethernet
            } else {
                AdapterKind::Other
            };
            let no_carrier = l.flags.iter().any(|f| f == "NO-CARRIER");
            let status = match l.operstate.as_str() {
                "UP" => LinkStatus::Up,
                _ if no_carrier && l.flags.iter().any(|f| f == "UP") => LinkStatus::CableUnplugged,
                "DOWN" => LinkStatus::Down,
                _ if loopback || !ipv4.is_empty() => LinkStatus::Up,
                _ => LinkStatus::Unknown,
            };
            let gateways = routes
                .iter()
                .filter(|r| r.dev.as_deref() == Some(l.ifname.as_str()))
                .filter_map(|r| r.gateway.clone())
                .collect();
            Adapter {
                dhcp: (!l.addr_info.is_empty()).then(|| l.addr_info.iter().any(|a| a.dynamic)),
                dns_servers: if loopback {
                    Vec::new()
                } else {
                    dns_servers.to_vec()
                },
                mac: l
                    .address
                    .filter(|m| !loopback && m != "00:00:00:00:00:00")
                    .map(Personal::new),
                physical: None,
                description: None,
                speed_mbps,
                kind,
                status,
                ipv4,
                ipv6,
                gateways,
                name: l.ifname,
            }
        })
        .collect()
}
