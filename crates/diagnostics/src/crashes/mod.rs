//! Recent crashes, the vendor program's first. Windows: the Application log's crash events of the
//! last days (Application Error 1000, Windows Error Reporting 1001, .NET Runtime 1026) read by
//! their named fields, never by their localised message. Linux: systemd-coredump's list, where
//! the journal is readable.

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

pub use decode::{decode_coredumps, decode_event_xml, vendor_first};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crashes {
    /// Where they were read: `windows-event-log` or `systemd-coredump`.
    pub source: String,
    /// How far back, in days.
    pub days: u32,
    /// The vendor program's crashes first, then newest first.
    pub events: Vec<CrashEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrashEvent {
    /// RFC 3339, UTC.
    pub time: String,
    pub kind: CrashKind,
    /// The program's file name, e.g. `Gestao.exe`.
    pub app: String,
    pub app_version: Option<String>,
    pub app_path: Option<String>,
    /// The module where it failed, e.g. `ntdll.dll`, `clr.dll`.
    pub module: Option<String>,
    /// e.g. `0xc0000005` (access violation), or the .NET exception type, or the signal.
    pub exception: Option<String>,
    /// The crash is the vendor program's (by its executable's name).
    pub vendor_program: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashKind {
    /// Application Error 1000: the program stopped.
    Crash,
    /// Windows Error Reporting 1001 for a hang (`AppHangB1`...): the program stopped answering.
    Hang,
    /// Windows Error Reporting 1001, other kinds (`APPCRASH`, `BEX`...).
    Report,
    /// .NET Runtime 1026: an unhandled exception.
    DotNet,
    /// A core dump (Linux).
    CoreDump,
}

/// How far back crashes are read.
pub const DAYS: u32 = 7;
/// At most this many events are kept.
pub const MAX_EVENTS: usize = 50;
pub const LIMIT: Duration = Duration::from_secs(5);

/// Reads the last `DAYS` days of crashes; `vendor_exe` (the profile's executable path) puts the
/// vendor program's first.
pub async fn probe(vendor_exe: Option<&str>) -> Probe<Crashes> {
    let vendor_exe = vendor_exe.map(str::to_owned);
    probe::run("crashes", LIMIT, move || {
        let (mut data, problems) = platform::gather();
        if let Some(c) = data.as_mut() {
            vendor_first(&mut c.events, vendor_exe.as_deref());
        }
        (data, problems)
    })
    .await
}
