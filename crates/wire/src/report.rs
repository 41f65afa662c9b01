//! The report's data model as another machine reads it: findings (what a rule concluded, in
//! pt-BR and en), what changed since things worked, and the part of `diagnostics.json` central
//! reads (findings, changes, the vendor program's version). The probes that produce them, and
//! the rest of the report, stay in `chamado-diagnostics`.

use chamado_profile::Text;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Very likely the cause.
    Problem,
    /// Worth a look.
    Warning,
    /// Context for the analyst.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Which rule, e.g. `check.refused`: stable, for the UI and the analyst's tools.
    pub rule: String,
    pub severity: Severity,
    pub title: Text,
    pub action: Text,
    /// The facts behind it, as they were read.
    pub evidence: Vec<String>,
    /// The check (a profile check id or a built-in one) this finding answers.
    pub check: Option<String>,
}

/// One change between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    SecurityProductAdded {
        name: String,
        version: Option<String>,
    },
    SecurityProductRemoved {
        name: String,
    },
    ProgramAdded {
        name: String,
        version: Option<String>,
    },
    ProgramRemoved {
        name: String,
    },
    ProgramUpdated {
        name: String,
        from: Option<String>,
        to: Option<String>,
    },
    FirewallChanged {
        profile: String,
        from: Option<bool>,
        to: Option<bool>,
    },
    OsChanged {
        from: Option<String>,
        to: Option<String>,
    },
    /// An adapter's addresses, gateway or DNS servers changed (`what`: ipv4, gateway, dns).
    NetworkChanged {
        adapter: String,
        what: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    AdapterAppeared {
        adapter: String,
        ipv4: Vec<String>,
    },
    AdapterGone {
        adapter: String,
    },
    ProxyChanged {
        from: String,
        to: String,
    },
    VendorProgramChanged {
        from: Option<String>,
        to: Option<String>,
    },
}

impl Change {
    /// The change as a sentence, in both languages.
    pub fn describe(&self) -> Text {
        let on = |v: &Option<bool>, pt: bool| match (v, pt) {
            (Some(true), true) => "ativado",
            (Some(false), true) => "desativado",
            (None, true) => "desconhecido",
            (Some(true), false) => "on",
            (Some(false), false) => "off",
            (None, false) => "unknown",
        };
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "?".into());
        let (pt_br, en) = match self {
            Change::SecurityProductAdded { name, .. } => (
                format!("Programa de segurança novo: {name}"),
                format!("New security program: {name}"),
            ),
            Change::SecurityProductRemoved { name } => (
                format!("Programa de segurança removido: {name}"),
                format!("Security program removed: {name}"),
            ),
            Change::ProgramAdded { name, version } => (
                format!(
                    "Programa instalado: {name} {}",
                    version.as_deref().unwrap_or("")
                )
                .trim_end()
                .to_owned(),
                format!(
                    "Program installed: {name} {}",
                    version.as_deref().unwrap_or("")
                )
                .trim_end()
                .to_owned(),
            ),
            Change::ProgramRemoved { name } => (
                format!("Programa removido: {name}"),
                format!("Program removed: {name}"),
            ),
            Change::ProgramUpdated { name, from, to } => (
                format!("Programa atualizado: {name} {} → {}", opt(from), opt(to)),
                format!("Program updated: {name} {} → {}", opt(from), opt(to)),
            ),
            Change::FirewallChanged { profile, from, to } => (
                format!(
                    "Firewall ({profile}): {} → {}",
                    on(from, true),
                    on(to, true)
                ),
                format!(
                    "Firewall ({profile}): {} → {}",
                    on(from, false),
                    on(to, false)
                ),
            ),
            Change::NetworkChanged {
                adapter,
                what,
                from,
                to,
            } => {
                let (pt_what, en_what) = match what.as_str() {
                    "ipv4" => ("endereço IP", "IP address"),
                    "gateway" => ("gateway", "gateway"),
                    _ => ("servidores DNS", "DNS servers"),
                };
                let list = |v: &Vec<String>| {
                    if v.is_empty() {
                        "—".to_owned()
                    } else {
                        v.join(", ")
                    }
                };
                (
                    format!(
                        "{adapter}: {pt_what} mudou de {} para {}",
                        list(from),
                        list(to)
                    ),
                    format!(
                        "{adapter}: {en_what} changed from {} to {}",
                        list(from),
                        list(to)
                    ),
                )
            }
            Change::AdapterAppeared { adapter, ipv4 } => (
                format!("Adaptador de rede novo: {adapter} ({})", ipv4.join(", ")),
                format!("New network adapter: {adapter} ({})", ipv4.join(", ")),
            ),
            Change::AdapterGone { adapter } => (
                format!("Adaptador de rede sem conexão agora: {adapter}"),
                format!("Network adapter no longer connected: {adapter}"),
            ),
            Change::ProxyChanged { from, to } => {
                let none = |s: &str, pt: bool| match (s.is_empty(), pt) {
                    (true, true) => "nenhum".to_owned(),
                    (true, false) => "none".to_owned(),
                    _ => s.to_owned(),
                };
                (
                    format!("Proxy: {} → {}", none(from, true), none(to, true)),
                    format!("Proxy: {} → {}", none(from, false), none(to, false)),
                )
            }
            Change::OsChanged { from, to } => (
                format!("Sistema operacional: {} → {}", opt(from), opt(to)),
                format!("Operating system: {} → {}", opt(from), opt(to)),
            ),
            Change::VendorProgramChanged { from, to } => (
                format!("Versão do sistema: {} → {}", opt(from), opt(to)),
                format!("System version: {} → {}", opt(from), opt(to)),
            ),
        };
        Text { pt_br, en }
    }
}

/// What changed since the reference snapshot, for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatChanged {
    /// When the reference snapshot was taken.
    pub since: String,
    /// Whether the reference was marked as "things worked" (else it is the baseline).
    pub since_good: bool,
    pub changes: Vec<Change>,
}

/// What another machine reads of a bundle's `diagnostics.json`: the findings, what changed and
/// the vendor program's probe. Everything else in the report is ignored. A part the customer left
/// out of the bundle (`{"left_out": true}`) reads as absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticsDigest {
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default, deserialize_with = "part")]
    pub changes: Option<WhatChanged>,
    #[serde(default, deserialize_with = "part")]
    pub program: Option<ProgramProbe>,
}

impl DiagnosticsDigest {
    /// The vendor program's version, as the report gives it (see [`ProgramSeen::version`]).
    pub fn program_version(&self) -> Option<&str> {
        self.program.as_ref()?.data.as_ref()?.version()
    }
}

/// A part of the report that the bundle's review may have replaced by `{"left_out": true}`.
fn part<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Part<T> {
        Data(T),
        LeftOut {
            #[allow(dead_code)]
            left_out: bool,
        },
    }
    Ok(match Option::<Part<T>>::deserialize(d)? {
        Some(Part::Data(t)) => Some(t),
        Some(Part::LeftOut { .. }) | None => None,
    })
}

/// The vendor program's probe (`program` in `diagnostics.json`) as another machine reads it:
/// its data, when the probe had any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramProbe {
    #[serde(default)]
    pub data: Option<ProgramSeen>,
}

/// What of the vendor program's data gives its version (`chamado_diagnostics::program::
/// VendorProgram` writes it; a test there holds the two together).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSeen {
    /// From the executable's version resource (Windows).
    #[serde(default)]
    pub file_version: Option<FileVersionSeen>,
    /// Its entries in the list of installed programs.
    #[serde(default)]
    pub installed: Vec<InstalledSeen>,
}

impl ProgramSeen {
    /// The version to show: the executable's own, else the first installed entry's that has
    /// one (as `VendorProgram::version`).
    pub fn version(&self) -> Option<&str> {
        self.file_version
            .as_ref()
            .map(|v| v.file.as_str())
            .or_else(|| self.installed.iter().find_map(|p| p.version.as_deref()))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersionSeen {
    /// e.g. `8.4.1.120`.
    pub file: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledSeen {
    #[serde(default)]
    pub version: Option<String>,
}
