//! Pure decoding of installed-program lists.

use serde::{Deserialize, Serialize};

use super::{InstalledProgram, Software, Update};
use crate::text::non_empty;

/// Which Uninstall key an entry came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// HKLM, 64-bit view.
    #[default]
    Machine64,
    /// HKLM, 32-bit view (WOW6432Node).
    Machine32,
    /// HKCU: installed for this user only.
    User,
}

/// One Uninstall subkey's values, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UninstallRaw {
    pub view: View,
    pub key_name: String,
    pub display_name: Option<String>,
    pub display_version: Option<String>,
    pub publisher: Option<String>,
    /// REG_SZ, seen as `YYYYMMDD`, `YYYYMDD` and `M/D/YYYY`.
    pub install_date: Option<String>,
    pub system_component: Option<u32>,
    /// "Update", "Hotfix", "Security Update"... for entries that are patches of another.
    pub release_type: Option<String>,
    pub parent_key_name: Option<String>,
    /// The key's LastWriteTime as `YYYY-MM-DD`: the date when InstallDate is missing.
    pub last_write: Option<String>,
}

/// The programs a person would recognise in "Apps & features": entries with a name, not system
/// components, not patches of another entry; the same program seen in two views once.
pub fn decode_uninstall(entries: &[UninstallRaw]) -> Software {
    let mut programs: Vec<InstalledProgram> = Vec::new();
    for e in entries {
        let Some(name) = non_empty(&e.display_name) else {
            continue;
        };
        if e.system_component == Some(1) || non_empty(&e.parent_key_name).is_some() {
            continue;
        }
        if e.release_type.as_deref().is_some_and(|t| {
            matches!(
                t.trim(),
                "Update" | "Hotfix" | "Security Update" | "Service Pack"
            )
        }) {
            continue;
        }
        let program = InstalledProgram {
            security: is_security_product(&name, e.publisher.as_deref()),
            version: non_empty(&e.display_version),
            publisher: non_empty(&e.publisher),
            installed: e
                .install_date
                .as_deref()
                .and_then(install_date)
                .or_else(|| non_empty(&e.last_write)),
            name,
        };
        if !programs
            .iter()
            .any(|p| p.name == program.name && p.version == program.version)
        {
            programs.push(program);
        }
    }
    sorted(programs)
}

/// Installed Debian packages (`/var/lib/dpkg/status`) dated by dpkg's log (`install` and
/// `upgrade` lines, `YYYY-MM-DD HH:MM:SS action package:arch old new`).
pub fn decode_dpkg(status: &str, log: &str) -> Software {
    use std::collections::HashMap;
    let mut dates: HashMap<&str, &str> = HashMap::new();
    for line in log.lines() {
        let mut parts = line.split_whitespace();
        let (Some(date), Some(_time), Some(action), Some(pkg)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if matches!(action, "install" | "upgrade") {
            let name = pkg.split(':').next().unwrap_or(pkg);
            dates.insert(name, date);
        }
    }
    let mut programs = Vec::new();
    for stanza in status.split("\n\n") {
        let field = |key: &str| {
            stanza
                .lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
                .map(|v| v.trim().to_owned())
        };
        let (Some(name), Some(state)) = (field("Package"), field("Status")) else {
            continue;
        };
        if !state.ends_with(" installed") {
            continue;
        }
        let publisher = field("Maintainer");
        programs.push(InstalledProgram {
            security: is_security_product(&name, None),
            installed: dates.get(name.as_str()).map(|d| (*d).to_owned()),
            version: field("Version"),
            publisher,
            name,
        });
    }
    sorted(programs)
}

fn sorted(mut programs: Vec<InstalledProgram>) -> Software {
    programs.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.version.cmp(&b.version))
    });
    Software {
        programs,
        updates: Vec::new(),
    }
}

/// An Uninstall `InstallDate` as `YYYY-MM-DD`: `YYYYMMDD`, `YYYYMDD` (one-digit month) or the
/// US `M/D/YYYY`. `None` for anything else or an impossible date.
pub fn install_date(s: &str) -> Option<String> {
    let s = s.trim();
    let (y, m, d): (u32, u32, u32) = if let Some((m, rest)) = s.split_once('/') {
        let (d, y) = rest.split_once('/')?;
        (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    } else if s.bytes().all(|b| b.is_ascii_digit()) {
        match s.len() {
            8 => (
                s[0..4].parse().ok()?,
                s[4..6].parse().ok()?,
                s[6..8].parse().ok()?,
            ),
            7 => (
                s[0..4].parse().ok()?,
                s[4..5].parse().ok()?,
                s[5..7].parse().ok()?,
            ),
            _ => return None,
        }
    } else {
        return None;
    };
    let date = jiff::civil::Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    (1990..=2100).contains(&y).then(|| date.to_string())
}

/// Antivirus, firewall and endpoint-protection vendors and products seen at customers' sites
/// (matched as words in the name or publisher, any case).
const SECURITY_WORDS: &[&str] = &[
    "antivirus",
    "anti-virus",
    "antimalware",
    "anti-malware",
    "firewall",
    "endpoint security",
    "endpoint protection",
    "internet security",
    "total security",
    "kaspersky",
    "eset",
    "nod32",
    "avast",
    "avg",
    "norton",
    "symantec",
    "mcafee",
    "trellix",
    "bitdefender",
    "sophos",
    "trend micro",
    "malwarebytes",
    "avira",
    "panda security",
    "comodo",
    "zonealarm",
    "f-secure",
    "g data",
    "webroot",
    "cortex xdr",
    "crowdstrike",
    "sentinelone",
    "sentinel agent",
    "check point",
    "forticlient",
    "fortinet",
    "clamav",
    "clamtk",
    "psafe",
    "totalav",
    "windows defender",
    "microsoft defender",
    "firewalld",
    "ufw",
    "gufw",
];

pub fn is_security_product(name: &str, publisher: Option<&str>) -> bool {
    let text = format!(" {} {} ", name, publisher.unwrap_or_default()).to_lowercase();
    let words: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    SECURITY_WORDS
        .iter()
        .any(|w| words.contains(&format!(" {w} ")))
}

/// One `Win32_QuickFixEngineering` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QfeRaw {
    pub hot_fix_id: Option<String>,
    pub description: Option<String>,
    pub installed_on: Option<String>,
    /// Windows XP put the KB here and `File 1` in `HotFixID`.
    pub service_pack_in_effect: Option<String>,
}

/// Updates from `Win32_QuickFixEngineering`: the ones with a `KB` number (in `HotFixID`, else in
/// `ServicePackInEffect` as Windows XP wrote it), each once, newest first. `InstalledOn` is
/// `M/D/YYYY`, or on old systems a FILETIME in hex.
pub fn decode_qfe(rows: &[QfeRaw]) -> Vec<Update> {
    let kb = |s: &Option<String>| {
        let s = s.as_deref()?.trim();
        let digits = s.strip_prefix("KB").or_else(|| s.strip_prefix("kb"))?;
        ((4..=10).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("KB{digits}"))
    };
    let mut updates: Vec<Update> = Vec::new();
    for row in rows {
        let Some(id) = kb(&row.hot_fix_id).or_else(|| kb(&row.service_pack_in_effect)) else {
            continue;
        };
        if updates.iter().any(|u| u.id == id) {
            continue;
        }
        updates.push(Update {
            id,
            kind: non_empty(&row.description),
            installed: row
                .installed_on
                .as_deref()
                .and_then(|d| install_date(d).or_else(|| filetime_hex_date(d))),
        });
    }
    updates.sort_by(|a, b| b.installed.cmp(&a.installed).then(a.id.cmp(&b.id)));
    updates
}

/// `01d9f1c2a3b4c5d6` (100 ns intervals since 1601, in hex) → `YYYY-MM-DD`.
fn filetime_hex_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() != 16 {
        return None;
    }
    let ticks = u64::from_str_radix(s, 16).ok()?;
    const UNIX_EPOCH_AS_FILETIME: u64 = 116_444_736_000_000_000;
    let secs = ticks.checked_sub(UNIX_EPOCH_AS_FILETIME)? / 10_000_000;
    let t = jiff::Timestamp::from_second(i64::try_from(secs).ok()?).ok()?;
    Some(t.strftime("%Y-%m-%d").to_string())
}
