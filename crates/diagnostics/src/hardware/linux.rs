//! Processor and memory from /proc, volumes from the mounted file systems, the battery from /sys.

use super::{decode_hardware, BatteryRaw, Hardware, HardwareRaw, VolumeRaw};
use crate::probe::{Gathered, ProbeProblem};

/// File systems that hold data (not /proc, tmpfs, overlay layers...).
const DATA_FS: &[&str] = &[
    "ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "exfat", "ntfs", "ntfs3", "f2fs", "zfs",
];

pub fn gather() -> Gathered<Hardware> {
    let mut problems = Vec::new();
    let mut raw = HardwareRaw {
        system_mount: Some("/".into()),
        ..HardwareRaw::default()
    };
    match std::fs::read_to_string("/proc/cpuinfo") {
        Ok(info) => {
            let field = |k: &str| {
                info.lines().find_map(|l| {
                    l.split_once(':')
                        .filter(|(a, _)| a.trim() == k)
                        .map(|(_, v)| v.trim().to_owned())
                })
            };
            raw.cpu_name = field("model name");
            raw.cores = field("cpu cores").and_then(|v| v.parse().ok());
            raw.threads = Some(info.lines().filter(|l| l.starts_with("processor")).count() as u32);
        }
        Err(e) => problems.push(ProbeProblem::from_io("/proc/cpuinfo", &e)),
    }
    match std::fs::read_to_string("/proc/meminfo") {
        Ok(info) => {
            let kb = |k: &str| {
                info.lines()
                    .find_map(|l| l.strip_prefix(k))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            };
            raw.memory_total_kb = kb("MemTotal:");
            raw.memory_available_kb = kb("MemAvailable:");
        }
        Err(e) => problems.push(ProbeProblem::from_io("/proc/meminfo", &e)),
    }
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    for line in mounts.lines() {
        let mut f = line.split_whitespace();
        let (Some(_dev), Some(mount), Some(fs)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        if !DATA_FS.contains(&fs) || raw.volumes.iter().any(|v| v.mount == mount) {
            continue;
        }
        if let Ok(st) = rustix::fs::statvfs(mount) {
            raw.volumes.push(VolumeRaw {
                mount: mount.to_owned(),
                file_system: Some(fs.to_owned()),
                size: st.f_blocks * st.f_frsize,
                free: st.f_bavail * st.f_frsize,
            });
        }
    }
    if !raw.volumes.iter().any(|v| v.mount == "/") {
        // The root on overlay or another special file system (containers): still report it.
        if let Ok(st) = rustix::fs::statvfs("/") {
            raw.volumes.insert(
                0,
                VolumeRaw {
                    mount: "/".into(),
                    file_system: None,
                    size: st.f_blocks * st.f_frsize,
                    free: st.f_bavail * st.f_frsize,
                },
            );
        }
    }
    raw.battery = battery();
    (Some(decode_hardware(&raw)), problems)
}

fn battery() -> Option<BatteryRaw> {
    let dir = std::fs::read_dir("/sys/class/power_supply").ok()?;
    let mut battery = None;
    let mut on_ac = None;
    for entry in dir.flatten() {
        let path = entry.path();
        let read = |f: &str| {
            std::fs::read_to_string(path.join(f))
                .ok()
                .map(|s| s.trim().to_owned())
        };
        match read("type").as_deref() {
            Some("Battery") => battery = read("capacity").and_then(|c| c.parse().ok()),
            Some("Mains") => on_ac = read("online").map(|o| o == "1"),
            _ => {}
        }
    }
    battery.map(|percent| BatteryRaw {
        percent: Some(percent),
        on_ac,
    })
}
