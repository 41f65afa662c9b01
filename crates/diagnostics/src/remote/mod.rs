//! Remote-access programs' IDs on this computer (AnyDesk, TeamViewer, RustDesk): the number a
//! technician types to reach it, sent only when the customer ticks it. Windows: AnyDesk's
//! `system.conf` (`ad.anynet.id=`), TeamViewer's `ClientID` in the registry (64- and 32-bit views),
//! RustDesk's `RustDesk.toml` (`id`). Linux: the same programs' files. Reading is a few small
//! files or registry values (no probe thread); decoding them is pure (`decode.rs`).

mod decode;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
use linux as platform;
#[cfg(windows)]
use windows as platform;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use decode::{anydesk_id, rustdesk_id, teamviewer_conf_id, teamviewer_id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RemoteVendor {
    AnyDesk,
    TeamViewer,
    RustDesk,
}

impl RemoteVendor {
    /// The program's name as its maker writes it.
    pub fn name(self) -> &'static str {
        match self {
            RemoteVendor::AnyDesk => "AnyDesk",
            RemoteVendor::TeamViewer => "TeamViewer",
            RemoteVendor::RustDesk => "RustDesk",
        }
    }
}

/// One program's ID on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct RemoteId {
    pub vendor: RemoteVendor,
    /// As the program keeps it (digits, no spaces).
    pub id: String,
}

impl std::fmt::Display for RemoteId {
    /// `AnyDesk 123456789`: what the analyst reads in the ticket.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.vendor.name(), self.id)
    }
}

/// Every ID found, one per program (the first place that has one), AnyDesk, TeamViewer, RustDesk.
/// A program not installed, or a file that cannot be read, is simply not found.
pub fn detect() -> Vec<RemoteId> {
    let mut found: Vec<RemoteId> = Vec::new();
    for id in platform::candidates() {
        if !found.iter().any(|f| f.vendor == id.vendor) {
            found.push(id);
        }
    }
    found.sort_by_key(|f| f.vendor);
    found
}

/// A program, the file that may hold its ID (none: unknown here), and how to read it.
type Source = (
    RemoteVendor,
    Option<std::path::PathBuf>,
    fn(&str) -> Option<String>,
);

/// The text of a small configuration file, or nothing (missing, unreadable, not text, too big).
fn read_small(path: &std::path::Path) -> Option<String> {
    const MAX: u64 = 1024 * 1024;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
