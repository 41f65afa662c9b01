//! Pure functions from what the OS returned to `System`. No I/O: tested on recorded values.

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{OsFamily, System};
use crate::personal::Personal;
use crate::text::non_empty;

/// What the Windows collector read; any part may be missing (a value absent on old Windows, WMI
/// not answering).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WindowsRaw {
    // HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion
    pub product_name: Option<String>,
    pub edition_id: Option<String>,
    /// "Client", "Server", "Server Core".
    pub installation_type: Option<String>,
    /// "23H2"; absent before 20H2.
    pub display_version: Option<String>,
    /// "2009" on every release since 20H2; the version before that.
    pub release_id: Option<String>,
    pub current_build: Option<String>,
    /// Update build revision (DWORD).
    pub ubr: Option<u32>,
    /// Unix seconds (DWORD).
    pub install_date: Option<u32>,
    // Win32_OperatingSystem
    /// "Microsoft Windows 11 Pro": right about 11, unlike ProductName.
    pub caption: Option<String>,
    pub os_architecture: Option<String>,
    /// CIM datetime.
    pub last_boot_up_time: Option<String>,
    /// 1 workstation, 2 domain controller, 3 server.
    pub product_type: Option<u32>,
    // APIs and the environment
    /// GetNativeSystemInfo: "x64", "arm64", "x86".
    pub native_architecture: Option<String>,
    /// GetTickCount64.
    pub uptime_ms: Option<u64>,
    pub computer_name: Option<String>,
    pub user_name: Option<String>,
    pub user_domain: Option<String>,
}

/// The first build of Windows 11 (client editions); Server 2022 and 2025 are above it too.
const WINDOWS_11_BUILD: u32 = 22000;

pub fn decode_windows(raw: &WindowsRaw, now: Timestamp) -> System {
    let server = matches!(raw.product_type, Some(2 | 3))
        || raw
            .installation_type
            .as_deref()
            .is_some_and(|t| t.starts_with("Server"));
    let build_number: Option<u32> = raw
        .current_build
        .as_deref()
        .and_then(|b| b.trim().parse().ok());
    let os_name = match (&raw.caption, &raw.product_name) {
        (Some(caption), _) if !caption.trim().is_empty() => without_vendor(caption),
        (_, Some(product)) => {
            let name = without_vendor(product);
            // ProductName still says "Windows 10" on Windows 11.
            match name.strip_prefix("Windows 10") {
                Some(rest) if !server && build_number.is_some_and(|b| b >= WINDOWS_11_BUILD) => {
                    format!("Windows 11{rest}")
                }
                _ => name,
            }
        }
        _ => "Windows".to_owned(),
    };
    let build = raw.current_build.as_deref().map(|b| match raw.ubr {
        Some(ubr) => format!("{}.{ubr}", b.trim()),
        None => b.trim().to_owned(),
    });
    let last_boot = raw
        .last_boot_up_time
        .as_deref()
        .and_then(cim_datetime)
        .or_else(|| boot_from_uptime(now, raw.uptime_ms? / 1000));
    System {
        os_name,
        family: OsFamily::Windows,
        edition: non_empty(&raw.edition_id),
        version: non_empty(&raw.display_version).or_else(|| non_empty(&raw.release_id)),
        build,
        server,
        architecture: non_empty(&raw.native_architecture)
            .or_else(|| non_empty(&raw.os_architecture)),
        install_date: raw
            .install_date
            .and_then(|s| Timestamp::from_second(s.into()).ok())
            .map(|t| t.to_string()),
        last_boot: last_boot.map(|t| t.to_string()),
        uptime_s: raw.uptime_ms.map(|ms| ms / 1000),
        machine_name: non_empty(&raw.computer_name).map(Personal::new),
        user_name: non_empty(&raw.user_name).map(Personal::new),
        domain: non_empty(&raw.user_domain).map(Personal::new),
    }
}

/// What the Linux collector read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinuxRaw {
    /// /etc/os-release, whole.
    pub os_release: String,
    /// /proc/sys/kernel/osrelease.
    pub kernel: Option<String>,
    pub architecture: Option<String>,
    /// `btime` of /proc/stat, Unix seconds.
    pub boot_time_s: Option<i64>,
    /// /proc/uptime.
    pub uptime_s: Option<u64>,
    /// Birth time of the root file system, Unix seconds: the closest Linux has to an install date.
    pub root_created_s: Option<i64>,
    pub hostname: Option<String>,
    pub user_name: Option<String>,
}

pub fn decode_linux(raw: &LinuxRaw, now: Timestamp) -> System {
    let field = |key: &str| os_release_field(&raw.os_release, key);
    let os_name = field("PRETTY_NAME")
        .or_else(|| field("NAME"))
        .unwrap_or_else(|| "Linux".to_owned());
    let last_boot = raw
        .boot_time_s
        .and_then(|s| Timestamp::from_second(s).ok())
        .or_else(|| boot_from_uptime(now, raw.uptime_s?));
    System {
        os_name,
        family: OsFamily::Linux,
        edition: field("VARIANT"),
        version: field("VERSION_ID"),
        build: non_empty(&raw.kernel),
        server: false,
        architecture: non_empty(&raw.architecture),
        install_date: raw
            .root_created_s
            .and_then(|s| Timestamp::from_second(s).ok())
            .map(|t| t.to_string()),
        last_boot: last_boot.map(|t| t.to_string()),
        uptime_s: raw.uptime_s,
        machine_name: non_empty(&raw.hostname).map(Personal::new),
        user_name: non_empty(&raw.user_name).map(Personal::new),
        domain: None,
    }
}

/// `KEY=value` or `KEY="quoted value"` from os-release(5).
fn os_release_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        if k.trim() != key {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(v);
        let v = v.replace("\\\"", "\"").replace("\\\\", "\\");
        (!v.is_empty()).then_some(v)
    })
}

/// A CIM datetime (`yyyymmddHHMMSS.ffffff±UUU`, UUU the offset from UTC in minutes) as an
/// instant. `None` for malformed values and for the wildcards (`*`) CIM allows.
pub fn cim_datetime(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.len() != 25 || !s.is_ascii() {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<i32>().ok();
    let (sign, offset_minutes) = (&s[21..22], num(22..25)?);
    let offset_minutes = match sign {
        "+" => offset_minutes,
        "-" => -offset_minutes,
        _ => return None,
    };
    if &s[14..15] != "." {
        return None;
    }
    let micros = num(15..21)?;
    let dt = DateTime::new(
        i16::try_from(num(0..4)?).ok()?,
        i8::try_from(num(4..6)?).ok()?,
        i8::try_from(num(6..8)?).ok()?,
        i8::try_from(num(8..10)?).ok()?,
        i8::try_from(num(10..12)?).ok()?,
        i8::try_from(num(12..14)?).ok()?,
        micros * 1000,
    )
    .ok()?;
    let offset = Offset::from_seconds(offset_minutes * 60).ok()?;
    dt.to_zoned(TimeZone::fixed(offset))
        .ok()
        .map(|z| z.timestamp())
}

fn boot_from_uptime(now: Timestamp, uptime_s: u64) -> Option<Timestamp> {
    let secs = i64::try_from(uptime_s).ok()?;
    now.checked_sub(jiff::SignedDuration::from_secs(secs)).ok()
}

/// "Microsoft Windows 10 Pro " is "Windows 10 Pro".
fn without_vendor(name: &str) -> String {
    let name = name.trim();
    name.strip_prefix("Microsoft ")
        .unwrap_or(name)
        .trim()
        .to_owned()
}
