//! Which firewall services a Linux machine has and whether they run, without root: their
//! programs on disk, systemd's view, and ufw's own switch.

use std::path::Path;
use std::process::Command;

use super::{Firewall, FirewallService, LinuxFirewall};
use crate::probe::{Gathered, ProbeProblem};

const SERVICES: [(&str, &[&str]); 4] = [
    ("firewalld", &["/usr/sbin/firewalld"]),
    ("ufw", &["/usr/sbin/ufw"]),
    ("nftables", &["/usr/sbin/nft"]),
    ("iptables", &["/usr/sbin/iptables", "/sbin/iptables"]),
];

pub fn gather() -> Gathered<Firewall> {
    let mut problems = Vec::new();
    let systemd = Path::new("/run/systemd/system").exists();
    if !systemd {
        problems.push(ProbeProblem::Missing {
            what: "systemd (whether the services run is unknown)".into(),
        });
    }
    let services = SERVICES
        .iter()
        .map(|(name, programs)| {
            let installed = programs.iter().any(|p| Path::new(p).exists());
            let active = if !installed {
                Some(false)
            } else if *name == "ufw" {
                ufw_enabled()
            } else if systemd {
                systemctl_is_active(name)
            } else {
                None
            };
            FirewallService {
                name: (*name).to_owned(),
                installed,
                active,
            }
        })
        .collect();
    (Some(Firewall::Linux(LinuxFirewall { services })), problems)
}

/// ufw keeps its switch in a file anyone may read.
fn ufw_enabled() -> Option<bool> {
    let conf = std::fs::read_to_string("/etc/ufw/ufw.conf").ok()?;
    conf.lines()
        .find_map(|l| l.trim().strip_prefix("ENABLED="))
        .map(|v| v.trim().trim_matches('"').eq_ignore_ascii_case("yes"))
}

fn systemctl_is_active(unit: &str) -> Option<bool> {
    let out = Command::new("systemctl")
        .args(["is-active", "--quiet", unit])
        .output()
        .ok()?;
    // 0 active; 3 inactive or absent; anything else: systemd could not say.
    match out.status.code() {
        Some(0) => Some(true),
        Some(3) => Some(false),
        _ => None,
    }
}
