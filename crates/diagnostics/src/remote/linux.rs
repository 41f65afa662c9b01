//! Linux: AnyDesk's service configuration (`/etc/anydesk/system.conf`) or the user's
//! (`~/.anydesk/system.conf`), TeamViewer's `global.conf`, RustDesk's `~/.config/rustdesk`.

use std::path::PathBuf;

use super::{decode, read_small, RemoteId, RemoteVendor, Source};

pub fn candidates() -> Vec<RemoteId> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let at_home = |rel: &str| home.as_ref().map(|h| h.join(rel));
    let sources: Vec<Source> = vec![
        (
            RemoteVendor::AnyDesk,
            Some(PathBuf::from("/etc/anydesk/system.conf")),
            decode::anydesk_id,
        ),
        (
            RemoteVendor::AnyDesk,
            at_home(".anydesk/system.conf"),
            decode::anydesk_id,
        ),
        (
            RemoteVendor::TeamViewer,
            Some(PathBuf::from("/opt/teamviewer/config/global.conf")),
            decode::teamviewer_conf_id,
        ),
        (
            RemoteVendor::RustDesk,
            at_home(".config/rustdesk/RustDesk.toml"),
            decode::rustdesk_id,
        ),
    ];
    sources
        .into_iter()
        .filter_map(|(vendor, path, decode)| {
            let id = decode(&read_small(&path?)?)?;
            Some(RemoteId { vendor, id })
        })
        .collect()
}
