//! Security products on Linux: ClamAV (its daemon, its updater and the age of its signatures)
//! and the usual commercial agents, found by their install folders.

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use super::{Antivirus, AvSource, ProductKind, ProductState, SecurityProduct};
use crate::probe::Gathered;

/// Commercial agents by the folder they install into.
const AGENTS: &[(&str, &str)] = &[
    ("Sophos Protection for Linux", "/opt/sophos-spl"),
    ("ESET Server Security", "/opt/eset"),
    ("CrowdStrike Falcon", "/opt/CrowdStrike"),
    ("Microsoft Defender for Endpoint", "/opt/microsoft/mdatp"),
    ("Trend Micro Deep Security", "/opt/ds_agent"),
    ("Bitdefender GravityZone", "/opt/bitdefender-security-tools"),
];

pub fn gather() -> Gathered<Antivirus> {
    let mut products = Vec::new();
    if ["/usr/bin/clamscan", "/usr/sbin/clamd"]
        .iter()
        .any(|p| Path::new(p).exists())
    {
        let daemon = is_active("clamav-daemon");
        let age = signature_age_days();
        products.push(SecurityProduct {
            name: "ClamAV".into(),
            kind: ProductKind::Antivirus,
            state: daemon.map(|on| {
                if on {
                    ProductState::On
                } else {
                    ProductState::Off
                }
            }),
            up_to_date: age.map(|d| d <= 7),
            signature_age_days: age,
            microsoft: Some(false),
            version: None,
            installed: None,
            product_state: None,
        });
    }
    for (name, dir) in AGENTS {
        if Path::new(dir).is_dir() {
            products.push(SecurityProduct {
                name: (*name).into(),
                kind: ProductKind::Antivirus,
                state: None,
                up_to_date: None,
                signature_age_days: None,
                microsoft: Some(false),
                version: None,
                installed: None,
                product_state: None,
            });
        }
    }
    (
        Some(Antivirus {
            source: AvSource::Linux,
            products,
        }),
        Vec::new(),
    )
}

fn is_active(unit: &str) -> Option<bool> {
    let status = Command::new("systemctl")
        .args(["is-active", "--quiet", unit])
        .status()
        .ok()?;
    match status.code() {
        Some(0) => Some(true),
        Some(3) => Some(false),
        _ => None,
    }
}

/// Days since ClamAV's newest signature database changed.
fn signature_age_days() -> Option<u32> {
    let newest = ["daily.cld", "daily.cvd", "main.cvd", "main.cld"]
        .iter()
        .filter_map(|f| std::fs::metadata(Path::new("/var/lib/clamav").join(f)).ok())
        .filter_map(|m| m.modified().ok())
        .max()?;
    let age = SystemTime::now().duration_since(newest).ok()?;
    u32::try_from(age.as_secs() / 86_400).ok()
}
