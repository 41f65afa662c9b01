//! The vendor's program (from the profile's `[program]`): where its executable is and which
//! version it says it is (its version resource, on Windows), its entries in the list of installed
//! programs, and whether it is running and from where. Two entries or two running copies from
//! different folders are duplicate installs, a classic source of "it worked yesterday".

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

use chamado_profile::Program;
use serde::Serialize;

use crate::probe::{self, Probe};
use crate::software::{InstalledProgram, Software};

pub use decode::{
    decode_fixed_file_info, exe_file_name, running_copies, same_version, FileVersion,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorProgram {
    /// Its name in the list of installed programs (the profile's `display_name`).
    pub name: String,
    /// The executable's path from the profile, variables expanded.
    pub exe: String,
    pub exe_found: bool,
    /// From the executable's version resource (Windows); `None` when it has none.
    pub file_version: Option<FileVersion>,
    /// Its entries in the list of installed programs (joined from the software probe).
    pub installed: Vec<InstalledProgram>,
    /// Running copies of the executable (any folder).
    pub running: Vec<RunningCopy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunningCopy {
    pub pid: u32,
    /// `None` when the system would not say (another user's process).
    pub path: Option<String>,
}

/// One process as the OS lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessRaw {
    pub pid: u32,
    pub name: String,
    pub path: Option<String>,
}

impl VendorProgram {
    /// The version to show: the executable's own, else the installed entry's.
    pub fn version(&self) -> Option<&str> {
        self.file_version
            .as_ref()
            .map(|v| v.file.as_str())
            .or_else(|| self.installed.iter().find_map(|p| p.version.as_deref()))
    }

    /// Distinct folders it runs from or is installed as more than once: duplicate installs.
    pub fn duplicate_installs(&self) -> bool {
        let mut paths: Vec<String> = self
            .running
            .iter()
            .filter_map(|r| r.path.as_deref())
            .map(str::to_lowercase)
            .collect();
        paths.sort();
        paths.dedup();
        self.installed.len() > 1 || paths.len() > 1
    }
}

/// The entries of the list of installed programs that are `display_name` (or start with it, as
/// in "Sistema de Gestão 8.4").
pub fn installed_entries(display_name: &str, software: &Software) -> Vec<InstalledProgram> {
    let wanted = display_name.to_lowercase();
    software
        .programs
        .iter()
        .filter(|p| p.name.to_lowercase().starts_with(&wanted))
        .cloned()
        .collect()
}

/// Joins the program's entries from the list of installed programs.
pub fn enrich(program: &mut VendorProgram, software: &Software) {
    program.installed = installed_entries(&program.name, software);
}

pub async fn probe(program: &Program) -> Probe<VendorProgram> {
    let program = program.clone();
    let limit = Duration::from_millis(u64::from(program.timeout_ms));
    probe::run("program", limit, move || platform::gather(&program)).await
}
