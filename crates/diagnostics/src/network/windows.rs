//! Adapters through the WMI thread (Win32_NetworkAdapter joined with its configuration by
//! Index), the proxy from the user's Internet Settings.

use std::collections::HashMap;
use std::time::Duration;

use winreg::enums::{HKEY_CURRENT_USER, KEY_READ};
use winreg::RegKey;

use super::{decode_proxy, decode_windows_adapters, AdapterRaw, Network, ProxyRaw};
use crate::probe::Gathered;
use crate::wmi_thread::{self, Row, Value};

const CIMV2: &str = r"root\CIMV2";
const WMI_LIMIT: Duration = Duration::from_secs(4);
const INTERNET_SETTINGS: &str = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings";

pub fn gather() -> Gathered<Network> {
    let mut problems = Vec::new();
    let mut query = |q: &str| match wmi_thread::query(CIMV2, q, WMI_LIMIT) {
        Ok(rows) => rows,
        Err(e) => {
            problems.push(e.to_problem(CIMV2));
            Vec::new()
        }
    };
    let adapters = query(
        "SELECT Index, NetConnectionID, Name, AdapterType, PhysicalAdapter, NetConnectionStatus, Speed, MACAddress FROM Win32_NetworkAdapter",
    );
    let configs = query(
        "SELECT Index, IPEnabled, IPAddress, IPSubnet, DefaultIPGateway, DNSServerSearchOrder, DHCPEnabled FROM Win32_NetworkAdapterConfiguration",
    );
    let by_index: HashMap<u64, &Row> = configs
        .iter()
        .filter_map(|r| Some((r.get("Index")?.u64()?, r)))
        .collect();
    let raw: Vec<AdapterRaw> = adapters
        .iter()
        .filter_map(|a| {
            let index = a.get("Index")?.u64()?;
            let c = by_index.get(&index);
            let text = |row: &Row, k: &str| row.get(k).and_then(Value::text).map(str::to_owned);
            let list = |k: &str| c.and_then(|c| c.get(k)).map(texts).unwrap_or_default();
            Some(AdapterRaw {
                index: u32::try_from(index).ok()?,
                connection_id: text(a, "NetConnectionID"),
                name: text(a, "Name"),
                adapter_type: text(a, "AdapterType"),
                physical: a.get("PhysicalAdapter").and_then(Value::bool),
                connection_status: a
                    .get("NetConnectionStatus")
                    .and_then(Value::u64)
                    .and_then(|v| u32::try_from(v).ok()),
                speed: a.get("Speed").and_then(Value::u64),
                mac: text(a, "MACAddress"),
                ip_enabled: c.and_then(|c| c.get("IPEnabled")).and_then(Value::bool),
                ip_addresses: list("IPAddress"),
                ip_subnets: list("IPSubnet"),
                gateways: list("DefaultIPGateway"),
                dns_servers: list("DNSServerSearchOrder"),
                dhcp_enabled: c.and_then(|c| c.get("DHCPEnabled")).and_then(Value::bool),
            })
        })
        .collect();
    let mut proxy = ProxyRaw::default();
    if let Ok(key) =
        RegKey::predef(HKEY_CURRENT_USER).open_subkey_with_flags(INTERNET_SETTINGS, KEY_READ)
    {
        proxy.proxy_enable = key.get_value("ProxyEnable").ok();
        proxy.proxy_server = key.get_value("ProxyServer").ok();
        proxy.proxy_override = key.get_value("ProxyOverride").ok();
        proxy.auto_config_url = key.get_value("AutoConfigURL").ok();
    }
    (
        Some(Network {
            adapters: decode_windows_adapters(&raw),
            proxy: decode_proxy(&proxy),
        }),
        problems,
    )
}

fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::List(items) => items
            .iter()
            .filter_map(|i| i.text().map(str::to_owned))
            .collect(),
        Value::Text(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}
