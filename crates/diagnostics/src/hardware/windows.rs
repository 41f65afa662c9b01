//! Processor, memory, volumes, disk health and battery through the WMI thread.

use std::time::Duration;

use super::{decode_hardware, BatteryRaw, DiskRaw, Hardware, HardwareRaw, VolumeRaw};
use crate::probe::Gathered;
use crate::wmi_thread::{self, Row, Value};

const CIMV2: &str = r"root\CIMV2";
const STORAGE: &str = r"root\Microsoft\Windows\Storage";
const WMI_LIMIT: Duration = Duration::from_secs(3);

pub fn gather() -> Gathered<Hardware> {
    let mut problems = Vec::new();
    let mut query = |ns: &str, q: &str| match wmi_thread::query(ns, q, WMI_LIMIT) {
        Ok(rows) => rows,
        Err(e) => {
            problems.push(e.to_problem(ns));
            Vec::new()
        }
    };
    let text = |r: &Row, k: &str| r.get(k).and_then(Value::text).map(str::to_owned);
    let num = |r: &Row, k: &str| r.get(k).and_then(Value::u64);
    let mut raw = HardwareRaw {
        system_mount: std::env::var("SystemDrive").ok(),
        ..HardwareRaw::default()
    };
    let cpus = query(
        CIMV2,
        "SELECT Name, NumberOfCores, NumberOfLogicalProcessors, MaxClockSpeed FROM Win32_Processor",
    );
    if let Some(cpu) = cpus.first() {
        raw.cpu_name = text(cpu, "Name");
        // Several sockets: add them up.
        let sum = |k: &str| cpus.iter().filter_map(|c| num(c, k)).sum::<u64>();
        raw.cores = u32::try_from(sum("NumberOfCores")).ok().filter(|c| *c > 0);
        raw.threads = u32::try_from(sum("NumberOfLogicalProcessors"))
            .ok()
            .filter(|c| *c > 0);
        raw.max_mhz = num(cpu, "MaxClockSpeed").and_then(|v| u32::try_from(v).ok());
    }
    if let Some(os) = query(
        CIMV2,
        "SELECT TotalVisibleMemorySize, FreePhysicalMemory FROM Win32_OperatingSystem",
    )
    .first()
    {
        raw.memory_total_kb = num(os, "TotalVisibleMemorySize");
        raw.memory_available_kb = num(os, "FreePhysicalMemory");
    }
    raw.volumes = query(
        CIMV2,
        "SELECT DeviceID, FileSystem, Size, FreeSpace FROM Win32_LogicalDisk WHERE DriveType = 3",
    )
    .iter()
    .filter_map(|v| {
        Some(VolumeRaw {
            mount: text(v, "DeviceID")?,
            file_system: text(v, "FileSystem"),
            size: num(v, "Size")?,
            free: num(v, "FreeSpace")?,
        })
    })
    .collect();
    raw.disks = query(
        STORAGE,
        "SELECT FriendlyName, HealthStatus, MediaType, Size FROM MSFT_PhysicalDisk",
    )
    .iter()
    .map(|d| DiskRaw {
        name: text(d, "FriendlyName"),
        health_status: num(d, "HealthStatus").and_then(|v| u32::try_from(v).ok()),
        media_type: num(d, "MediaType").and_then(|v| u32::try_from(v).ok()),
        size: num(d, "Size"),
    })
    .collect();
    raw.battery = query(
        CIMV2,
        "SELECT EstimatedChargeRemaining, BatteryStatus FROM Win32_Battery",
    )
    .first()
    .map(|b| BatteryRaw {
        percent: num(b, "EstimatedChargeRemaining").and_then(|v| u32::try_from(v).ok()),
        // BatteryStatus 2: on AC power.
        on_ac: num(b, "BatteryStatus").map(|s| s == 2),
    });
    (Some(decode_hardware(&raw)), problems)
}
