//! Reads the system facts on Linux: /etc/os-release and /proc.

use std::fs;

use super::{decode_linux, LinuxRaw, System};
use crate::probe::{Gathered, ProbeProblem};

pub fn gather() -> Gathered<System> {
    let mut problems = Vec::new();
    let mut read = |path: &str| match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) => {
            problems.push(ProbeProblem::from_io(path, &e));
            None
        }
    };
    let os_release = read("/etc/os-release")
        .or_else(|| read("/usr/lib/os-release"))
        .unwrap_or_default();
    let kernel = read("/proc/sys/kernel/osrelease").map(|s| s.trim().to_owned());
    let hostname = read("/proc/sys/kernel/hostname").map(|s| s.trim().to_owned());
    let boot_time_s = read("/proc/stat").and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("btime "))
            .and_then(|v| v.trim().parse().ok())
    });
    let uptime_s = read("/proc/uptime").and_then(|s| {
        s.split_whitespace()
            .next()
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| v as u64)
    });
    let root_created_s = fs::metadata("/")
        .and_then(|m| m.created())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        // Containers and some file systems report 0 (1970): unknown, not a date.
        .filter(|s| *s > 946_684_800);
    let user_name = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok();
    let raw = LinuxRaw {
        os_release,
        kernel,
        architecture: Some(std::env::consts::ARCH.to_owned()),
        boot_time_s,
        uptime_s,
        root_created_s,
        hostname,
        user_name,
    };
    (Some(decode_linux(&raw, jiff::Timestamp::now())), problems)
}
