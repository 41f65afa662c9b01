//! Pure decoding of what the hardware collectors read.

use serde::{Deserialize, Serialize};

use crate::text::non_empty;

use super::{Battery, Cpu, Disk, DiskHealth, Hardware, MediaType, Memory, Volume};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HardwareRaw {
    pub cpu_name: Option<String>,
    pub cores: Option<u32>,
    pub threads: Option<u32>,
    pub max_mhz: Option<u32>,
    pub memory_total_kb: Option<u64>,
    pub memory_available_kb: Option<u64>,
    pub volumes: Vec<VolumeRaw>,
    pub disks: Vec<DiskRaw>,
    pub battery: Option<BatteryRaw>,
    /// `C:` or `/`: where the OS runs from.
    pub system_mount: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VolumeRaw {
    pub mount: String,
    pub file_system: Option<String>,
    pub size: u64,
    pub free: u64,
}

/// An `MSFT_PhysicalDisk` row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiskRaw {
    pub name: Option<String>,
    /// 0 Healthy, 1 Warning, 2 Unhealthy, 5 Unknown.
    pub health_status: Option<u32>,
    /// 3 HDD, 4 SSD, 0 unspecified.
    pub media_type: Option<u32>,
    pub size: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BatteryRaw {
    pub percent: Option<u32>,
    pub on_ac: Option<bool>,
}

const GB: f64 = 1024.0 * 1024.0 * 1024.0;

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub fn decode_hardware(raw: &HardwareRaw) -> Hardware {
    let system = raw.system_mount.as_deref().map(str::to_ascii_lowercase);
    Hardware {
        cpu: Cpu {
            name: non_empty(&raw.cpu_name)
                .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")),
            cores: raw.cores,
            threads: raw.threads,
            max_mhz: raw.max_mhz,
        },
        memory: Memory {
            total_mb: raw.memory_total_kb.map(|k| k / 1024),
            available_mb: raw.memory_available_kb.map(|k| k / 1024),
        },
        volumes: raw
            .volumes
            .iter()
            .filter(|v| v.size > 0)
            .map(|v| Volume {
                system: system.as_deref() == Some(v.mount.to_ascii_lowercase().as_str()),
                mount: v.mount.clone(),
                file_system: v.file_system.clone(),
                size_gb: round1(v.size as f64 / GB),
                free_gb: round1(v.free as f64 / GB),
                free_percent: round1(v.free as f64 * 100.0 / v.size as f64),
            })
            .collect(),
        disks: raw
            .disks
            .iter()
            .map(|d| Disk {
                name: non_empty(&d.name).unwrap_or_else(|| "?".into()),
                health: match d.health_status {
                    Some(0) => DiskHealth::Healthy,
                    Some(1) => DiskHealth::Warning,
                    Some(2) => DiskHealth::Unhealthy,
                    _ => DiskHealth::Unknown,
                },
                media: match d.media_type {
                    Some(3) => MediaType::Hdd,
                    Some(4) => MediaType::Ssd,
                    _ => MediaType::Unknown,
                },
                size_gb: d.size.map(|s| round1(s as f64 / GB)),
            })
            .collect(),
        battery: raw.battery.as_ref().map(|b| Battery {
            percent: b.percent,
            on_ac: b.on_ac,
        }),
    }
}
