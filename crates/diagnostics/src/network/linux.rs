//! Adapters from `ip -j` (iproute2), wireless and speed from /sys, DNS servers from resolv.conf,
//! the proxy from the environment.

use std::path::Path;
use std::process::Command;

use super::{decode_ip_json, decode_proxy, Network, ProxyRaw};
use crate::probe::{Gathered, ProbeProblem};

pub fn gather() -> Gathered<Network> {
    let mut problems = Vec::new();
    let mut ip = |args: &[&str]| match Command::new("ip").args(args).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => {
            problems.push(ProbeProblem::Failed {
                what: format!("ip {}", args.join(" ")),
                detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
            String::new()
        }
        Err(e) => {
            problems.push(ProbeProblem::Missing {
                what: format!("ip (iproute2): {e}"),
            });
            String::new()
        }
    };
    let addrs = ip(&["-j", "addr"]);
    let routes = ip(&["-j", "route", "show", "default"]);
    let dns: Vec<String> = std::fs::read_to_string("/etc/resolv.conf")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .map(|s| s.trim().to_owned())
        .collect();
    let sys = |ifname: &str| {
        let dir = Path::new("/sys/class/net").join(ifname);
        let wireless = dir.join("wireless").exists() || dir.join("phy80211").exists();
        let speed = std::fs::read_to_string(dir.join("speed"))
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|s| u64::try_from(s).ok());
        (wireless, speed)
    };
    let adapters = decode_ip_json(&addrs, &routes, &dns, &sys);
    let env = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok())
            .filter(|v| !v.is_empty())
    };
    let server = env(&["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]);
    let proxy = decode_proxy(&ProxyRaw {
        proxy_enable: Some(u32::from(server.is_some())),
        proxy_server: server,
        proxy_override: env(&["no_proxy", "NO_PROXY"]),
        auto_config_url: None,
    });
    (Some(Network { adapters, proxy }), problems)
}
