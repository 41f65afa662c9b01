//! Pure decoding of what the firewall collectors read.

use serde::{Deserialize, Serialize};

use super::{FirewallProfile, KnownNetwork, NetworkCategory, ProfileKind, WindowsFirewall};
use crate::personal::Personal;
use crate::text::non_empty;

/// The registry values the Windows collector read; any may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowsFirewallRaw {
    /// `EnableFirewall` under `SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\
    /// FirewallPolicy\{DomainProfile,StandardProfile,PublicProfile}`: Domain, Private, Public.
    pub local: [Option<u32>; 3],
    /// `EnableFirewall` under `SOFTWARE\Policies\Microsoft\WindowsFirewall\{DomainProfile,
    /// PrivateProfile,PublicProfile}`.
    pub policy: [Option<u32>; 3],
    /// `SOFTWARE\Microsoft\Windows NT\CurrentVersion\NetworkList\Profiles\{guid}`.
    pub networks: Vec<NetworkRaw>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkRaw {
    pub profile_name: Option<String>,
    /// 0 Public, 1 Private, 2 Domain.
    pub category: Option<u32>,
    /// `DateLastConnected`: a SYSTEMTIME, 16 bytes.
    pub date_last_connected: Option<Vec<u8>>,
}

pub fn decode_windows(raw: &WindowsFirewallRaw) -> WindowsFirewall {
    let kinds = [
        ProfileKind::Domain,
        ProfileKind::Private,
        ProfileKind::Public,
    ];
    let profiles = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let local = raw.local[i].map(|v| v != 0);
            let policy = raw.policy[i].map(|v| v != 0);
            FirewallProfile {
                profile: *kind,
                local,
                policy,
                enabled: policy.or(local),
            }
        })
        .collect();
    let mut networks: Vec<KnownNetwork> = raw
        .networks
        .iter()
        .map(|n| KnownNetwork {
            name: non_empty(&n.profile_name).map(Personal::new),
            category: match n.category {
                Some(0) => Some(NetworkCategory::Public),
                Some(1) => Some(NetworkCategory::Private),
                Some(2) => Some(NetworkCategory::Domain),
                _ => None,
            },
            last_connected: n.date_last_connected.as_deref().and_then(systemtime),
        })
        .collect();
    // RFC 3339 strings of one format sort as times; networks never connected go last.
    networks.sort_by(|a, b| b.last_connected.cmp(&a.last_connected));
    WindowsFirewall { profiles, networks }
}

/// A Windows SYSTEMTIME (eight little-endian u16: year, month, day of week, day, hour, minute,
/// second, milliseconds) as `YYYY-MM-DDTHH:MM:SS` (no zone: Windows stores local time here).
pub fn systemtime(bytes: &[u8]) -> Option<String> {
    if bytes.len() != 16 {
        return None;
    }
    let w = |i: usize| u16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]]);
    let (year, month, day, hour, minute, second) = (w(0), w(1), w(3), w(4), w(5), w(6));
    let valid = (1601..=30827).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then(|| format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"))
}
