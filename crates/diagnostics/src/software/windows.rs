//! Installed programs on Windows: the Uninstall keys of both registry views and of the user.

use winreg::enums::{
    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY,
};
use winreg::RegKey;

use std::time::Duration;

use super::{decode_qfe, decode_uninstall, QfeRaw, Software, UninstallRaw, View};
use crate::probe::{Gathered, ProbeProblem};
use crate::wmi_thread::{self, Value};

const CIMV2: &str = r"root\CIMV2";
/// Listing updates is slow on some machines (seconds): the rest of the probe does not wait on it
/// past this.
const QFE_LIMIT: Duration = Duration::from_secs(5);

const UNINSTALL: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";

pub fn gather() -> Gathered<Software> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let roots = [
        (HKEY_LOCAL_MACHINE, KEY_WOW64_64KEY, View::Machine64),
        (HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY, View::Machine32),
        (HKEY_CURRENT_USER, 0, View::User),
    ];
    for (hive, flags, view) in roots {
        let root = match RegKey::predef(hive).open_subkey_with_flags(UNINSTALL, KEY_READ | flags) {
            Ok(k) => k,
            // HKCU often has no Uninstall key at all.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                problems.push(ProbeProblem::Failed {
                    what: format!("{view:?} {UNINSTALL}"),
                    detail: e.to_string(),
                });
                continue;
            }
        };
        for key_name in root.enum_keys().flatten() {
            let Ok(key) = root.open_subkey(&key_name) else {
                continue;
            };
            let s = |name: &str| key.get_value::<String, _>(name).ok();
            let last_write = key.query_info().ok().map(|i| {
                let t = i.get_last_write_time_system();
                format!("{:04}-{:02}-{:02}", t.wYear, t.wMonth, t.wDay)
            });
            entries.push(UninstallRaw {
                view,
                display_name: s("DisplayName"),
                display_version: s("DisplayVersion"),
                publisher: s("Publisher"),
                install_date: s("InstallDate"),
                system_component: key.get_value::<u32, _>("SystemComponent").ok(),
                release_type: s("ReleaseType"),
                parent_key_name: s("ParentKeyName"),
                last_write,
                key_name,
            });
        }
    }
    let mut software = decode_uninstall(&entries);
    match wmi_thread::query(
        CIMV2,
        "SELECT HotFixID, Description, InstalledOn, ServicePackInEffect FROM Win32_QuickFixEngineering",
        QFE_LIMIT,
    ) {
        Ok(rows) => {
            let text = |r: &wmi_thread::Row, k: &str| r.get(k).and_then(Value::text).map(str::to_owned);
            let raw: Vec<QfeRaw> = rows
                .iter()
                .map(|r| QfeRaw {
                    hot_fix_id: text(r, "HotFixID"),
                    description: text(r, "Description"),
                    installed_on: text(r, "InstalledOn"),
                    service_pack_in_effect: text(r, "ServicePackInEffect"),
                })
                .collect();
            software.updates = decode_qfe(&raw);
        }
        Err(e) => problems.push(e.to_problem(CIMV2)),
    }
    (Some(software), problems)
}
