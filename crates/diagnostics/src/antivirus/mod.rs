//! The antivirus probe. Windows: Security Center's products (antivirus, antispyware, firewall)
//! with their state decoded; where Security Center does not exist (Windows Server, Wine),
//! Defender's own status instead, and the report says so. Linux: ClamAV and other products
//! found on disk. Versions and install dates come from the software probe (`enrich`).

mod decode;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
use linux as platform;
#[cfg(windows)]
use windows as platform;

use std::time::Duration;

use serde::Serialize;

use crate::probe::{self, Probe};
use crate::software::Software;

pub use decode::{decode_product_state, DecodedState};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Antivirus {
    /// Where the list came from.
    pub source: AvSource,
    pub products: Vec<SecurityProduct>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AvSource {
    /// Windows Security Center (client editions).
    SecurityCenter,
    /// Microsoft Defender's own status (Windows Server, or no Security Center).
    Defender,
    /// Products found on a Linux system.
    Linux,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Antivirus,
    Antispyware,
    Firewall,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductState {
    On,
    Off,
    Snoozed,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityProduct {
    pub name: String,
    pub kind: ProductKind,
    pub state: Option<ProductState>,
    /// Whether its signatures are current.
    pub up_to_date: Option<bool>,
    pub signature_age_days: Option<u32>,
    /// Microsoft's own (Defender, Windows Firewall).
    pub microsoft: Option<bool>,
    pub version: Option<String>,
    /// `YYYY-MM-DD`, from the list of installed programs.
    pub installed: Option<String>,
    /// Security Center's `productState`, as read, for the analyst.
    pub product_state: Option<u32>,
}

pub const LIMIT: Duration = Duration::from_secs(8);

pub async fn probe() -> Probe<Antivirus> {
    probe::run("antivirus", LIMIT, platform::gather).await
}

/// Adds each product's version and install date from the installed programs: the Uninstall
/// entry whose name starts with the product's (or the reverse).
pub fn enrich(av: &mut Antivirus, software: &Software) {
    for p in &mut av.products {
        let name = p.name.to_lowercase();
        let found = software.programs.iter().find(|prog| {
            let prog_name = prog.name.to_lowercase();
            prog_name.starts_with(&name) || (name.starts_with(&prog_name) && prog_name.len() >= 4)
        });
        if let Some(prog) = found {
            if p.version.is_none() {
                p.version = prog.version.clone();
            }
            p.installed = prog.installed.clone();
        }
    }
}
