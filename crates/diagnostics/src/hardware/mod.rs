//! The hardware probe: processor, memory, free space per volume, disk health, battery. Windows
//! reads it all through the WMI thread (the same rows the real captures hold); Linux reads /proc,
//! the mounted file systems and /sys.

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

pub use decode::{decode_hardware, BatteryRaw, DiskRaw, HardwareRaw, VolumeRaw};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hardware {
    pub cpu: Cpu,
    pub memory: Memory,
    pub volumes: Vec<Volume>,
    /// Physical disks with their health (Windows; Linux needs root for SMART).
    pub disks: Vec<Disk>,
    pub battery: Option<Battery>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cpu {
    pub name: Option<String>,
    pub cores: Option<u32>,
    pub threads: Option<u32>,
    pub max_mhz: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Memory {
    pub total_mb: Option<u64>,
    pub available_mb: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volume {
    /// `C:` or `/`.
    pub mount: String,
    pub file_system: Option<String>,
    pub size_gb: f64,
    pub free_gb: f64,
    pub free_percent: f64,
    /// The volume Windows or Linux runs from.
    pub system: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskHealth {
    Healthy,
    Warning,
    Unhealthy,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    Hdd,
    Ssd,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disk {
    pub name: String,
    pub health: DiskHealth,
    pub media: MediaType,
    pub size_gb: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Battery {
    pub percent: Option<u32>,
    pub on_ac: Option<bool>,
}

pub const LIMIT: Duration = Duration::from_secs(8);

pub async fn probe() -> Probe<Hardware> {
    probe::run("hardware", LIMIT, platform::gather).await
}
