//! The network probe: decoding, the real VPN up/down captures as a "what changed" pair, rules,
//! and the real probe here.

mod support;

use std::collections::HashMap;

use chamado_diagnostics::network::{
    self, decode_ip_json, decode_windows_adapters, mask_to_prefix, Adapter, AdapterKind,
    AdapterRaw, LinkStatus, Network, Proxy,
};
use chamado_diagnostics::probe::ProbeProblem;
use chamado_diagnostics::rules::{findings, Facts, Severity};
use chamado_diagnostics::snapshot::{diff, network_settings, Change, Snapshot, SNAPSHOT_FORMAT};
use support::capture::{list, text, wmi_fixture, WmiRow};

#[test]
fn subnet_masks_become_prefixes() {
    assert_eq!(mask_to_prefix("255.255.255.0"), Some(24));
    assert_eq!(mask_to_prefix("255.255.255.255"), Some(32));
    assert_eq!(mask_to_prefix("255.255.0.0"), Some(16));
    assert_eq!(mask_to_prefix("0.0.0.0"), Some(0));
    assert_eq!(mask_to_prefix("255.0.255.0"), None);
    assert_eq!(mask_to_prefix("64"), None);
}

/// What the Windows collector reads, from a machine's two WMI exports, joined by Index.
fn adapters_from_captures(machine: &str) -> Vec<Adapter> {
    let adapters = wmi_fixture(&format!("wmi/{machine}-Win32_NetworkAdapter.wmi"));
    let configs = wmi_fixture(&format!(
        "wmi/{machine}-Win32_NetworkAdapterConfiguration.wmi"
    ));
    let by_index: HashMap<&str, &WmiRow> = configs
        .iter()
        .filter_map(|c| Some((text(c, "Index")?, c)))
        .collect();
    let flag = |row: &WmiRow, k: &str| text(row, k).map(|v| v.eq_ignore_ascii_case("TRUE"));
    let owned = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    let raw: Vec<AdapterRaw> = adapters
        .iter()
        .map(|a| {
            let index = text(a, "Index").unwrap();
            let c = by_index.get(index).copied();
            AdapterRaw {
                index: index.parse().unwrap(),
                connection_id: text(a, "NetConnectionID").map(str::to_owned),
                name: text(a, "Name").map(str::to_owned),
                adapter_type: text(a, "AdapterType").map(str::to_owned),
                physical: flag(a, "PhysicalAdapter"),
                connection_status: text(a, "NetConnectionStatus").and_then(|v| v.parse().ok()),
                speed: text(a, "Speed").and_then(|v| v.parse().ok()),
                mac: text(a, "MACAddress").map(str::to_owned),
                ip_enabled: c.and_then(|c| flag(c, "IPEnabled")),
                ip_addresses: c.map(|c| owned(list(c, "IPAddress"))).unwrap_or_default(),
                ip_subnets: c.map(|c| owned(list(c, "IPSubnet"))).unwrap_or_default(),
                gateways: c
                    .map(|c| owned(list(c, "DefaultIPGateway")))
                    .unwrap_or_default(),
                dns_servers: c
                    .map(|c| owned(list(c, "DNSServerSearchOrder")))
                    .unwrap_or_default(),
                dhcp_enabled: c.and_then(|c| flag(c, "DHCPEnabled")),
            }
        })
        .collect();
    decode_windows_adapters(&raw)
}

fn snapshot_of(net: &Network) -> Snapshot {
    let (network, proxy) = network_settings(net);
    Snapshot {
        format: SNAPSHOT_FORMAT,
        taken_at: "2026-11-24T10:00:00Z".into(),
        good: true,
        os: None,
        programs: Default::default(),
        security: vec![],
        firewall: Default::default(),
        vendor_program: None,
        network,
        proxy,
    }
}

#[test]
fn a_real_laptop_with_its_vpn_up_then_down() {
    let up = adapters_from_captures("vpn-up");
    let wifi = up
        .iter()
        .find(|a| a.name == "Wi-Fi")
        .expect("the Wi-Fi adapter");
    assert_eq!(
        wifi.kind,
        AdapterKind::Wifi,
        "AdapterType says Ethernet 802.3, the name says Wi-Fi"
    );
    assert_eq!(wifi.status, LinkStatus::Up);
    assert_eq!(wifi.ipv4, ["192.168.0.254/24"]);
    assert_eq!(wifi.gateways, ["192.168.0.102"]);
    assert_eq!(wifi.dhcp, Some(true));
    assert_eq!(wifi.speed_mbps, Some(144));
    let vpn = up
        .iter()
        .find(|a| a.kind == AdapterKind::Vpn && !a.ipv4.is_empty())
        .expect("the VPN adapter");
    assert_eq!(vpn.ipv4, ["10.177.0.17/32"]);
    assert!(vpn.description.as_deref().unwrap().contains("Fortinet"));

    let down = adapters_from_captures("vpn-down");
    let proxy = Proxy::default();
    let before = snapshot_of(&Network {
        adapters: up,
        proxy: proxy.clone(),
    });
    let after = snapshot_of(&Network {
        adapters: down,
        proxy,
    });
    let changes = diff(&before, &after);
    assert!(
        changes.iter().any(|c| matches!(c, Change::AdapterGone { adapter } if adapter.contains("Fortinet") || adapter.starts_with("Ethernet"))),
        "{changes:?}"
    );
    assert!(
        !changes
            .iter()
            .any(|c| matches!(c, Change::NetworkChanged { adapter, .. } if adapter == "Wi-Fi")),
        "the Wi-Fi did not change"
    );
}

#[test]
fn every_real_adapter_capture_decodes() {
    for machine in ["10", "10-net", "vpn-up", "vpn-down"] {
        let adapters = adapters_from_captures(machine);
        assert!(!adapters.is_empty(), "{machine}");
        for a in &adapters {
            assert!(!a.name.is_empty(), "{machine}: {a:?}");
            for ip in &a.ipv4 {
                assert!(ip.contains('/'), "{machine}: {ip} has its prefix");
            }
        }
    }
}

#[test]
fn linux_ip_json_with_an_unplugged_cable() {
    let addrs = r#"[
      {"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00",
       "addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},
      {"ifname":"enp3s0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"operstate":"DOWN","link_type":"ether","address":"3c:7c:3f:aa:bb:cc","addr_info":[]},
      {"ifname":"wlp2s0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"UP","link_type":"ether","address":"a4:c3:f0:11:22:33",
       "addr_info":[{"family":"inet","local":"192.168.1.50","prefixlen":24,"dynamic":true},{"family":"inet6","local":"fe80::1","prefixlen":64}]}
    ]"#;
    let routes = r#"[{"dst":"default","gateway":"192.168.1.1","dev":"wlp2s0"}]"#;
    let sys = |name: &str| (name.starts_with("wl"), (name == "enp3s0").then_some(1000));
    let adapters = decode_ip_json(addrs, routes, &["192.168.1.1".to_owned()], &sys);
    let by = |n: &str| adapters.iter().find(|a| a.name == n).unwrap();
    assert_eq!(by("lo").kind, AdapterKind::Loopback);
    assert_eq!(
        (by("enp3s0").kind, by("enp3s0").status),
        (AdapterKind::Ethernet, LinkStatus::CableUnplugged)
    );
    let wifi = by("wlp2s0");
    assert_eq!(
        (wifi.kind, wifi.status),
        (AdapterKind::Wifi, LinkStatus::Up)
    );
    assert_eq!(wifi.ipv4, ["192.168.1.50/24"]);
    assert_eq!(wifi.gateways, ["192.168.1.1"]);
    assert_eq!(wifi.dhcp, Some(true));

    let profile = chamado_profile::builtin();
    let net = Network {
        adapters: adapters.clone(),
        proxy: Proxy::default(),
    };
    let f = findings(&Facts {
        network: Some(&net),
        ..Facts::new(&profile, "2026-11-24".parse().unwrap())
    });
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        f[0].title.pt_br,
        "Cabo de rede desconectado no adaptador enp3s0"
    );
    assert_eq!(
        f[0].severity,
        Severity::Warning,
        "the Wi-Fi is up: not the only way out"
    );
}

#[tokio::test]
async fn the_probe_runs_on_this_machine() {
    let probe = network::probe().await;
    for p in &probe.problems {
        assert!(!matches!(p, ProbeProblem::Failed { .. }), "{p:?}");
    }
    let net = probe.data.expect("network data");
    #[cfg(target_os = "linux")]
    assert!(
        net.adapters
            .iter()
            .any(|a| a.kind == AdapterKind::Loopback && a.ipv4 == ["127.0.0.1/8"]),
        "{:?}",
        net.adapters
    );
    for a in &net.adapters {
        assert!(!a.name.is_empty());
    }
}
