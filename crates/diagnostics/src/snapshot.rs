//! "What changed": each collection keeps a compact snapshot in the data folder; the first is the
//! baseline. A collection compares itself with the last snapshot taken when things worked (the
//! user, or later a successful ticket, marks it), else with the baseline, and says what changed:
//! programs and security products added, removed or updated, firewall changes, the OS build, the
//! vendor's program version.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chamado_profile::Profile;
use serde::{Deserialize, Serialize};

use crate::firewall::Firewall;
use crate::network::{AdapterKind, Network};
use crate::report::Report;

/// Bumped when a field changes meaning; older snapshots are then ignored, not misread.
pub const SNAPSHOT_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    /// RFC 3339.
    pub taken_at: String,
    /// Taken when things worked.
    pub good: bool,
    /// e.g. "Windows 11 Pro 22631.4317".
    pub os: Option<String>,
    /// Program name → version.
    pub programs: BTreeMap<String, Option<String>>,
    /// Names of the security products among `programs`.
    pub security: Vec<String>,
    /// Firewall profile (Windows) or service (Linux) → on/off, when known.
    pub firewall: BTreeMap<String, Option<bool>>,
    /// The vendor's program's version, when it is installed.
    pub vendor_program: Option<String>,
    /// Adapter name → its addresses, gateways and DNS servers (adapters with an IPv4 address).
    #[serde(default)]
    pub network: BTreeMap<String, NetSettings>,
    /// The proxy in use ("" for none), when the network probe answered.
    #[serde(default)]
    pub proxy: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetSettings {
    pub ipv4: Vec<String>,
    pub gateways: Vec<String>,
    pub dns: Vec<String>,
}

/// The network part of a snapshot.
pub fn network_settings(net: &Network) -> (BTreeMap<String, NetSettings>, Option<String>) {
    let adapters = net
        .adapters
        .iter()
        .filter(|a| a.kind != AdapterKind::Loopback && !a.ipv4.is_empty())
        .map(|a| {
            (
                a.name.clone(),
                NetSettings {
                    ipv4: a.ipv4.clone(),
                    gateways: a.gateways.clone(),
                    dns: a.dns_servers.clone(),
                },
            )
        })
        .collect();
    let proxy = if net.proxy.enabled {
        net.proxy.server.clone()
    } else {
        net.proxy.auto_config_url.clone()
    };
    (adapters, Some(proxy.unwrap_or_default()))
}

impl Snapshot {
    /// What of a report is worth comparing later. Probes that failed leave their part empty,
    /// and `diff` does not mistake an empty part for "everything was removed".
    pub fn of(report: &Report, profile: &Profile, good: bool) -> Snapshot {
        let system = report.system.data.as_ref();
        let os = system.map(|s| match &s.build {
            Some(b) => format!("{} {b}", s.os_name),
            None => s.os_name.clone(),
        });
        let programs_list = report
            .software
            .data
            .as_ref()
            .map(|s| &s.programs[..])
            .unwrap_or_default();
        let programs = programs_list
            .iter()
            .map(|p| (p.name.clone(), p.version.clone()))
            .collect();
        let mut security: Vec<String> = programs_list
            .iter()
            .filter(|p| p.security)
            .map(|p| p.name.clone())
            .collect();
        // Security Center knows products the Uninstall list may name differently.
        if let Some(av) = &report.antivirus.data {
            for p in &av.products {
                if !security.contains(&p.name) {
                    security.push(p.name.clone());
                }
            }
        }
        security.sort();
        let firewall = match &report.firewall.data {
            Some(Firewall::Windows(w)) => w
                .profiles
                .iter()
                .map(|p| (format!("{:?}", p.profile).to_lowercase(), p.enabled))
                .collect(),
            Some(Firewall::Linux(l)) => l
                .services
                .iter()
                .map(|s| (s.name.clone(), s.active))
                .collect(),
            None => BTreeMap::new(),
        };
        let vendor_program = match report.program.as_ref().and_then(|p| p.data.as_ref()) {
            Some(p) if p.exe_found || !p.installed.is_empty() => {
                Some(p.version().unwrap_or_default().to_owned())
            }
            Some(_) => None,
            // The program probe failed: the list of installed programs still knows.
            None => profile.program.as_ref().and_then(|prog| {
                let sw = report.software.data.as_ref()?;
                let entries = crate::program::installed_entries(&prog.display_name, sw);
                Some(entries.first()?.version.clone().unwrap_or_default())
            }),
        };
        let (network, proxy) = match &report.network.data {
            Some(net) => network_settings(net),
            None => (BTreeMap::new(), None),
        };
        Snapshot {
            network,
            proxy,
            format: SNAPSHOT_FORMAT,
            taken_at: report.collected_at.clone(),
            good,
            os,
            programs,
            security,
            firewall,
            vendor_program,
        }
    }
}

// What changed crosses machines (central reads it from the bundle): it lives in chamado-wire.
pub use chamado_wire::report::{Change, WhatChanged};

/// What changed from `base` to `now`, security first. A part empty in either snapshot (its probe
/// failed) is not compared.
pub fn diff(base: &Snapshot, now: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    if !base.programs.is_empty() && !now.programs.is_empty() {
        for name in now.security.iter().filter(|n| !base.security.contains(n)) {
            out.push(Change::SecurityProductAdded {
                name: name.clone(),
                version: now.programs.get(name).cloned().flatten(),
            });
        }
        for name in base.security.iter().filter(|n| !now.security.contains(n)) {
            out.push(Change::SecurityProductRemoved { name: name.clone() });
        }
        let security = |n: &String| now.security.contains(n) || base.security.contains(n);
        for (name, version) in &now.programs {
            match base.programs.get(name) {
                None if !security(name) => out.push(Change::ProgramAdded {
                    name: name.clone(),
                    version: version.clone(),
                }),
                Some(old) if old != version => out.push(Change::ProgramUpdated {
                    name: name.clone(),
                    from: old.clone(),
                    to: version.clone(),
                }),
                _ => {}
            }
        }
        for name in base
            .programs
            .keys()
            .filter(|n| !now.programs.contains_key(*n) && !security(n))
        {
            out.push(Change::ProgramRemoved { name: name.clone() });
        }
    }
    for (profile, to) in &now.firewall {
        if let Some(from) = base.firewall.get(profile) {
            if from != to {
                out.push(Change::FirewallChanged {
                    profile: profile.clone(),
                    from: *from,
                    to: *to,
                });
            }
        }
    }
    out.extend(diff_network(base, now));
    if base.os.is_some() && now.os.is_some() && base.os != now.os {
        out.push(Change::OsChanged {
            from: base.os.clone(),
            to: now.os.clone(),
        });
    }
    if base.vendor_program != now.vendor_program
        && !(base.programs.is_empty() || now.programs.is_empty())
    {
        out.push(Change::VendorProgramChanged {
            from: base.vendor_program.clone(),
            to: now.vendor_program.clone(),
        });
    }
    out
}

/// Addresses, gateways, DNS servers and proxy; nothing when either side has no network data.
fn diff_network(base: &Snapshot, now: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    if base.proxy.is_none() || now.proxy.is_none() {
        return out;
    }
    for (adapter, n) in &now.network {
        match base.network.get(adapter) {
            None => out.push(Change::AdapterAppeared {
                adapter: adapter.clone(),
                ipv4: n.ipv4.clone(),
            }),
            Some(b) => {
                let fields = [
                    ("ipv4", &b.ipv4, &n.ipv4),
                    ("gateway", &b.gateways, &n.gateways),
                    ("dns", &b.dns, &n.dns),
                ];
                for (what, from, to) in fields {
                    if from != to {
                        out.push(Change::NetworkChanged {
                            adapter: adapter.clone(),
                            what: what.into(),
                            from: from.clone(),
                            to: to.clone(),
                        });
                    }
                }
            }
        }
    }
    for adapter in base
        .network
        .keys()
        .filter(|a| !now.network.contains_key(*a))
    {
        out.push(Change::AdapterGone {
            adapter: adapter.clone(),
        });
    }
    if base.proxy != now.proxy {
        out.push(Change::ProxyChanged {
            from: base.proxy.clone().unwrap_or_default(),
            to: now.proxy.clone().unwrap_or_default(),
        });
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("snapshot folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Snapshots as JSON files in one folder, named by time so they sort.
pub struct SnapshotStore {
    dir: PathBuf,
}

impl SnapshotStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        SnapshotStore { dir: dir.into() }
    }

    /// Every readable snapshot of this format, oldest first. Unreadable files are skipped: a
    /// damaged snapshot must not stop a collection.
    pub fn list(&self) -> Vec<Snapshot> {
        self.files()
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .filter_map(|b| serde_json::from_slice::<Snapshot>(&b).ok())
            .filter(|s| s.format == SNAPSHOT_FORMAT)
            .collect()
    }

    /// The snapshot to compare with: the last one marked good, else the first (the baseline).
    pub fn reference(&self) -> Option<Snapshot> {
        let all = self.list();
        all.iter().rev().find(|s| s.good).or(all.first()).cloned()
    }

    /// Saves a snapshot atomically (written aside, then renamed), so a crash never leaves half
    /// a file. Keeps the baseline, every good one and the last `KEEP` others.
    pub fn save(&self, snapshot: &Snapshot) -> Result<PathBuf, StoreError> {
        let io = |source| StoreError::Io {
            path: self.dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let stamp: String = snapshot
            .taken_at
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        // A counter on every name, so two snapshots of one second still sort in order.
        let mut n = 0;
        let mut path = self.dir.join(format!("{stamp}-{n:03}.json"));
        while path.exists() {
            n += 1;
            path = self.dir.join(format!("{stamp}-{n:03}.json"));
        }
        let tmp = path.with_extension("tmp");
        let bytes = serde_json::to_vec(snapshot).expect("a snapshot serializes");
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        self.prune();
        Ok(path)
    }

    /// The snapshot files, oldest first (their names sort by time).
    fn files(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
    }

    fn prune(&self) {
        const KEEP: usize = 20;
        let files = self.files();
        let ordinary: Vec<&PathBuf> = files
            .iter()
            .skip(1) // the baseline
            .filter(|p| !is_good(p))
            .collect();
        for old in ordinary.iter().take(ordinary.len().saturating_sub(KEEP)) {
            let _ = std::fs::remove_file(old);
        }
    }
}

fn is_good(path: &Path) -> bool {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Snapshot>(&b).ok())
        .is_some_and(|s| s.good)
}
