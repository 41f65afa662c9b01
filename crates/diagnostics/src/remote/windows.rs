//! Windows: AnyDesk's `%ProgramData%\AnyDesk\system.conf` (installed) or `%APPDATA%\AnyDesk`
//! (portable), TeamViewer's `ClientID` under `HKLM\SOFTWARE\TeamViewer` (64-bit view, then the
//! 32-bit one, `WOW6432Node`), RustDesk's `%APPDATA%\RustDesk\config\RustDesk.toml` or its
//! service's (LocalService's profile).

use std::path::PathBuf;

use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY};
use winreg::RegKey;

use super::{decode, read_small, RemoteId, RemoteVendor, Source};

fn env_path(var: &str, rel: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(|v| PathBuf::from(v).join(rel))
}

fn teamviewer() -> Option<RemoteId> {
    let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
    [KEY_WOW64_64KEY, KEY_WOW64_32KEY]
        .into_iter()
        .find_map(|view| {
            let key = hklm
                .open_subkey_with_flags(r"SOFTWARE\TeamViewer", KEY_READ | view)
                .ok()?;
            let id = decode::teamviewer_id(key.get_value::<u32, _>("ClientID").ok()?)?;
            Some(RemoteId {
                vendor: RemoteVendor::TeamViewer,
                id,
            })
        })
}

pub fn candidates() -> Vec<RemoteId> {
    let windir = std::env::var_os("SystemRoot").map(PathBuf::from);
    let sources: Vec<Source> = vec![
        (
            RemoteVendor::AnyDesk,
            env_path("ProgramData", r"AnyDesk\system.conf"),
            decode::anydesk_id,
        ),
        (
            RemoteVendor::AnyDesk,
            env_path("APPDATA", r"AnyDesk\system.conf"),
            decode::anydesk_id,
        ),
        (
            RemoteVendor::RustDesk,
            env_path("APPDATA", r"RustDesk\config\RustDesk.toml"),
            decode::rustdesk_id,
        ),
        (
            RemoteVendor::RustDesk,
            windir.map(|w| {
                w.join(
                    r"ServiceProfiles\LocalService\AppData\Roaming\RustDesk\config\RustDesk.toml",
                )
            }),
            decode::rustdesk_id,
        ),
    ];
    let mut found: Vec<RemoteId> = sources
        .into_iter()
        .filter_map(|(vendor, path, decode)| {
            let id = decode(&read_small(&path?)?)?;
            Some(RemoteId { vendor, id })
        })
        .collect();
    found.extend(teamviewer());
    found
}
