//! The decoders on real captures from Windows machines (`../shared/fixtures/windows`, read by
//! `support::capture`): what the collectors would have read there, decoded as in production.

mod support;

use chamado_diagnostics::firewall::{
    self, NetworkCategory, NetworkRaw, ProfileKind, WindowsFirewallRaw,
};
use chamado_diagnostics::system::{decode_windows, OsFamily, WindowsRaw};
use support::capture::{find, reg_fixture, text, wmi_fixture, RegKey, RegValue};

const FIREWALL_POLICY: &str = r"Services\SharedAccess\Parameters\FirewallPolicy";

/// What the firewall collector reads, from a machine's three profile exports and network list.
fn firewall_raw(machine: &str, network_list: &str) -> WindowsFirewallRaw {
    let mut raw = WindowsFirewallRaw::default();
    for (i, profile) in ["DomainProfile", "StandardProfile", "PublicProfile"]
        .iter()
        .enumerate()
    {
        let keys = reg_fixture(&format!("registry/{machine}{profile}.reg"));
        let key = find(&keys, &format!(r"{FIREWALL_POLICY}\{profile}")).expect(profile);
        raw.local[i] = key.dword("EnableFirewall");
    }
    let keys = reg_fixture(&format!("registry/{network_list}"));
    raw.networks = keys
        .iter()
        .filter(|k| is_network_profile(k))
        .map(|k| NetworkRaw {
            profile_name: k.str("ProfileName").map(str::to_owned),
            category: k.dword("Category"),
            date_last_connected: match k.values.get("DateLastConnected") {
                Some(RegValue::Binary(b)) => Some(b.clone()),
                _ => None,
            },
        })
        .collect();
    raw
}

/// `...\NetworkList\Profiles\{guid}`, not deeper.
fn is_network_profile(k: &RegKey) -> bool {
    let lower = k.path.to_lowercase();
    lower
        .rsplit_once(r"\profiles\")
        .is_some_and(|(head, guid)| head.ends_with(r"\networklist") && !guid.contains('\\'))
}

#[test]
fn windows_10_firewall_on_in_every_profile() {
    let fw = firewall::decode_windows(&firewall_raw("10-", "10-NetworkList.reg"));
    let kinds: Vec<_> = fw.profiles.iter().map(|p| p.profile).collect();
    assert_eq!(
        kinds,
        [
            ProfileKind::Domain,
            ProfileKind::Private,
            ProfileKind::Public
        ]
    );
    for p in &fw.profiles {
        assert_eq!(
            (p.local, p.policy, p.enabled),
            (Some(true), None, Some(true)),
            "{p:?}"
        );
    }
    assert!(!fw.networks.is_empty());
    // The most recently connected network first: 2017-03-30 (VALUE1) before its peers.
    let first = &fw.networks[0];
    assert_eq!(first.category, Some(NetworkCategory::Private));
    assert!(
        first
            .last_connected
            .as_deref()
            .is_some_and(|d| d.starts_with("2017-03-30T18:")),
        "{first:?}"
    );
    let dates: Vec<_> = fw
        .networks
        .iter()
        .map(|n| n.last_connected.clone())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[test]
fn windows_7_firewall_off_in_every_profile() {
    let fw = firewall::decode_windows(&firewall_raw("7_firewall-", "7_firewall-NetworkList.reg"));
    for p in &fw.profiles {
        assert_eq!(p.enabled, Some(false), "{p:?}");
    }
    let categories: Vec<_> = fw.networks.iter().filter_map(|n| n.category).collect();
    assert!(
        categories.contains(&NetworkCategory::Public)
            && categories.contains(&NetworkCategory::Private)
    );
    // Network names are personal (a Wi-Fi network's name is its SSID).
    assert!(fw.networks.iter().any(|n| n
        .name
        .as_ref()
        .is_some_and(|s| s.expose().starts_with("Réseau"))));
    assert!(!format!("{fw:?}").contains("Réseau"));
}

#[test]
fn group_policy_wins_over_the_local_setting() {
    let mut raw = firewall_raw("10-", "10-NetworkList.reg");
    raw.policy = [None, None, Some(0)];
    let fw = firewall::decode_windows(&raw);
    let public = &fw.profiles[2];
    assert_eq!(
        (public.local, public.policy, public.enabled),
        (Some(true), Some(false), Some(false))
    );
    assert_eq!(fw.profiles[0].enabled, Some(true));
}

#[test]
fn windows_7_operating_system_from_wmi() {
    let rows = wmi_fixture("wmi/win7-sp1-x64-Win32_OperatingSystem.wmi");
    let row = &rows[0];
    let raw = WindowsRaw {
        caption: text(row, "Caption").map(str::to_owned),
        os_architecture: text(row, "OSArchitecture").map(str::to_owned),
        last_boot_up_time: text(row, "LastBootUpTime").map(str::to_owned),
        product_type: text(row, "ProductType").and_then(|v| v.parse().ok()),
        current_build: text(row, "BuildNumber").map(str::to_owned),
        ..WindowsRaw::default()
    };
    let s = decode_windows(&raw, "2026-11-24T12:00:00Z".parse().unwrap());
    assert_eq!(s.family, OsFamily::Windows);
    // The caption is padded with a space in the capture, and in French.
    assert_eq!(s.os_name, "Windows 7 Professionnel");
    assert!(!s.server);
    assert_eq!(s.build.as_deref(), Some("7600"));
    let boot = s.last_boot.expect("CIM LastBootUpTime decodes");
    assert!(boot.starts_with("20"), "{boot}");
    assert!(s.architecture.is_some());
}
