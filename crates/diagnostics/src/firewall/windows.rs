//! Reads the firewall's registry settings on Windows (no admin rights needed).

use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY};
use winreg::RegKey;

use super::{decode_windows, Firewall, NetworkRaw, WindowsFirewallRaw};
use crate::probe::{Gathered, ProbeProblem};

const LOCAL: &str = r"SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy";
const LOCAL_PROFILES: [&str; 3] = ["DomainProfile", "StandardProfile", "PublicProfile"];
const POLICY: &str = r"SOFTWARE\Policies\Microsoft\WindowsFirewall";
const POLICY_PROFILES: [&str; 3] = ["DomainProfile", "PrivateProfile", "PublicProfile"];
const NETWORKS: &str = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\NetworkList\Profiles";

pub fn gather() -> Gathered<Firewall> {
    let mut problems = Vec::new();
    let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
    let open = |path: &str| hklm.open_subkey_with_flags(path, KEY_READ | KEY_WOW64_64KEY);
    let mut raw = WindowsFirewallRaw::default();
    for (i, profile) in LOCAL_PROFILES.iter().enumerate() {
        match open(&format!(r"{LOCAL}\{profile}")) {
            Ok(key) => raw.local[i] = key.get_value("EnableFirewall").ok(),
            Err(e) => problems.push(ProbeProblem::from_io(
                &format!(r"HKLM\{LOCAL}\{profile}"),
                &e,
            )),
        }
    }
    // Policy keys exist only where Group Policy sets them: absence is the normal case.
    for (i, profile) in POLICY_PROFILES.iter().enumerate() {
        if let Ok(key) = open(&format!(r"{POLICY}\{profile}")) {
            raw.policy[i] = key.get_value("EnableFirewall").ok();
        }
    }
    if let Ok(list) = open(NETWORKS) {
        for name in list.enum_keys().flatten() {
            if let Ok(key) = list.open_subkey(&name) {
                raw.networks.push(NetworkRaw {
                    profile_name: key.get_value("ProfileName").ok(),
                    category: key.get_value("Category").ok(),
                    date_last_connected: key
                        .get_raw_value("DateLastConnected")
                        .ok()
                        .map(|v| v.bytes.to_vec()),
                });
            }
        }
    }
    (Some(Firewall::Windows(decode_windows(&raw))), problems)
}
