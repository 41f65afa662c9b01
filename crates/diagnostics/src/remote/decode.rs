//! Reading remote-access programs' IDs from their files' text: pure, tested on samples in each
//! file's recorded format.

/// An ID as the programs show it: 6 to 12 digits (AnyDesk and TeamViewer are 9 or 10, RustDesk 9).
/// RustDesk also allows a custom ID: letters, digits, `_` and `-`, starting with a letter.
fn plausible(id: &str) -> bool {
    let digits = (6..=12).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    let custom = (6..=16).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    digits || custom
}

/// AnyDesk's `system.conf` (Java-properties style, `key=value` lines): `ad.anynet.id`.
pub fn anydesk_id(conf: &str) -> Option<String> {
    conf.lines()
        .filter_map(|l| l.trim().split_once('='))
        .find(|(k, _)| k.trim() == "ad.anynet.id")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && plausible(v))
}

/// RustDesk's `RustDesk.toml`: the top-level `id = '…'` (before any `[section]`).
pub fn rustdesk_id(toml: &str) -> Option<String> {
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim() != "id" {
            continue;
        }
        let v = v.trim();
        let unquoted = v
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .or_else(|| v.strip_prefix('"').and_then(|v| v.strip_suffix('"')))?;
        return Some(unquoted.to_owned()).filter(|v| plausible(v));
    }
    None
}

/// TeamViewer's `ClientID` registry value (a DWORD); 0 means not yet assigned.
pub fn teamviewer_id(client_id: u32) -> Option<String> {
    (client_id != 0).then(|| client_id.to_string())
}

/// TeamViewer's `global.conf` on Linux: the line `[int32] ClientID = 123456789`.
pub fn teamviewer_conf_id(conf: &str) -> Option<String> {
    conf.lines()
        .filter_map(|l| l.trim().strip_prefix("[int32]"))
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == "ClientID")
        .and_then(|(_, v)| v.trim().parse::<u32>().ok())
        .and_then(teamviewer_id)
}
