//! "Vamos verificar as causas mais comuns": a topic's checks run live. The whole collection runs
//! (its report goes into the ticket), and each item the topic's checklist names is told as soon
//! as what it needs has arrived: a network check as it ends, a built-in check when its probes
//! are in, a system requirement when the system or hardware probe is; then what changed since it
//! last worked. Nothing waits for the slowest probe, and a check that hangs ends at its timeout.
//!
//! Texts are the rules' own (pt-BR and en); the UI words states and requirements.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use chamado_diagnostics::antivirus::Antivirus;
use chamado_diagnostics::crashes::Crashes;
use chamado_diagnostics::firewall::Firewall;
use chamado_diagnostics::hardware::Hardware;
use chamado_diagnostics::netcheck::{Outcome, Verdict};
use chamado_diagnostics::network::Network;
use chamado_diagnostics::probe::{Probe, ProbeProblem};
use chamado_diagnostics::program::VendorProgram;
use chamado_diagnostics::report::{self, Progress, Report};
use chamado_diagnostics::rules::{self, Facts, Finding, Severity};
use chamado_diagnostics::software::Software;
use chamado_diagnostics::system::{OsFamily, System};
use chamado_diagnostics::{antivirus, program};
use chamado_profile::{BuiltinCheck, Profile, Requirements, Text, Topic};
use serde::Serialize;
use ts_rs::TS;

use crate::collect;

/// What the checks step hears, in order: `started`, then an `item` or `requirement` as each is
/// known, then `changes`, then `finished`. `run` tells one run from the one "Verificar de novo"
/// started after it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CheckEvent {
    /// Every item and requirement of the run, all running.
    Started {
        run: u32,
        /// Check ids (the profile's or built-in), in the checklist's order.
        items: Vec<String>,
        requirements: Vec<Requirement>,
    },
    Item {
        run: u32,
        #[serde(flatten)]
        item: ItemResult,
    },
    Requirement {
        run: u32,
        #[serde(flatten)]
        result: RequirementResult,
    },
    /// What changed since the last time things worked (or the first collection); `since`
    /// `null`: nothing to compare with yet.
    Changes {
        run: u32,
        since: Option<String>,
        /// The reference is a time the customer said things worked.
        since_good: bool,
        changes: Vec<Worded>,
    },
    Finished {
        run: u32,
        #[ts(type = "number")]
        elapsed_ms: u64,
    },
}

/// A finding as the customer reads it: what is wrong, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Worded {
    pub title: Text,
    pub action: Text,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemResult {
    pub id: String,
    #[serde(flatten)]
    pub state: ItemState,
    /// What was found (a problem and what to do; a note when all is well).
    pub findings: Vec<Worded>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemState {
    Ok,
    Problem,
    /// The answer is unknown: `timed_out` (it hung until its timeout) or it failed (`detail`,
    /// the system's words, for the log).
    CouldNotCheck {
        timed_out: bool,
        detail: Option<String>,
    },
}

/// A system requirement of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Requirement {
    Windows {
        min_build: u32,
    },
    Edition {
        accepted: Vec<String>,
    },
    Architecture {
        accepted: Vec<String>,
    },
    Memory {
        min_mib: u32,
    },
    FreeDisk {
        min_mib: u32,
    },
    /// A server the program needs answers (a profile check).
    Port {
        check: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RequirementResult {
    pub requirement: Requirement,
    /// `null`: could not be told (not Windows, a probe that failed).
    pub met: Option<bool>,
    /// What this computer has, e.g. `Windows 10 Pro (19045)`, `8192 MiB`, `x64`.
    pub measured: Option<String>,
}

/// The checks step exists for a topic whose checklist names a check or that says whether the
/// requirements are met.
pub fn has_checks(topic: &Topic) -> bool {
    topic.requirements || topic.checklist.iter().any(|i| !i.checks.is_empty())
}

/// The check ids the topic's checklist names, each once, in order.
pub fn items_of(topic: &Topic) -> Vec<String> {
    let mut seen = BTreeSet::new();
    topic
        .checklist
        .iter()
        .flat_map(|i| i.checks.iter())
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect()
}

/// The profile's requirements, each as one line to check.
pub fn requirements_of(r: &Requirements) -> Vec<Requirement> {
    let mut out = Vec::new();
    if let Some(min_build) = r.windows_build_min {
        out.push(Requirement::Windows { min_build });
    }
    if !r.editions.is_empty() {
        out.push(Requirement::Edition {
            accepted: r.editions.clone(),
        });
    }
    if !r.architectures.is_empty() {
        out.push(Requirement::Architecture {
            accepted: r.architectures.clone(),
        });
    }
    if let Some(min_mib) = r.memory_mib {
        out.push(Requirement::Memory { min_mib });
    }
    if let Some(min_mib) = r.free_disk_mib {
        out.push(Requirement::FreeDisk { min_mib });
    }
    for check in &r.ports {
        out.push(Requirement::Port {
            check: check.clone(),
        });
    }
    out
}

/// The probes' data as it arrives.
#[derive(Default)]
struct Arrived {
    system: Option<Probe<System>>,
    hardware: Option<Probe<Hardware>>,
    firewall: Option<Probe<Firewall>>,
    antivirus: Option<Probe<Antivirus>>,
    network: Option<Probe<Network>>,
    software: Option<Probe<Software>>,
    program: Option<Option<Probe<VendorProgram>>>,
    crashes: Option<Probe<Crashes>>,
    checks: Option<Vec<Outcome>>,
    /// Built-in items already told.
    told: BTreeSet<String>,
}

impl Arrived {
    fn take(&mut self, p: Progress<'_>) {
        match p {
            Progress::System(x) => self.system = Some(x.clone()),
            Progress::Hardware(x) => self.hardware = Some(x.clone()),
            Progress::Firewall(x) => self.firewall = Some(x.clone()),
            Progress::Antivirus(x) => self.antivirus = Some(x.clone()),
            Progress::Network(x) => self.network = Some(x.clone()),
            Progress::Software(x) => self.software = Some(x.clone()),
            Progress::Program(x) => self.program = Some(x.cloned()),
            Progress::Crashes(x) => self.crashes = Some(x.clone()),
            Progress::Checks(x) => self.checks = Some(x.map(<[_]>::to_vec).unwrap_or_default()),
            Progress::Logs(_) | Progress::Check(_) => {}
        }
    }

    /// The problems of the probes a built-in check needs, once they have all arrived (`None`
    /// before). Software only enriches antivirus and program: its failure does not make them
    /// unknown.
    fn needed(&self, check: BuiltinCheck) -> Option<Vec<&[ProbeProblem]>> {
        /// Not arrived: `None`; arrived with data: no problems; without: why.
        fn why<T>(x: Option<&Probe<T>>) -> Option<&[ProbeProblem]> {
            x.map(|x| match x.data {
                Some(_) => &[][..],
                None => x.problems.as_slice(),
            })
        }
        Some(match check {
            BuiltinCheck::Network | BuiltinCheck::Proxy => vec![why(self.network.as_ref())?],
            BuiltinCheck::Firewall => {
                self.checks.as_ref()?;
                vec![why(self.firewall.as_ref())?]
            }
            BuiltinCheck::Antivirus => {
                self.software.as_ref()?;
                vec![why(self.antivirus.as_ref())?]
            }
            BuiltinCheck::RecentSoftware => vec![why(self.software.as_ref())?],
            BuiltinCheck::Program => {
                self.software.as_ref()?;
                self.crashes.as_ref()?;
                vec![why(self.program.as_ref()?.as_ref())?]
            }
        })
    }

    /// The rules' findings over what has arrived (antivirus and program enriched with the
    /// installed programs, as the report does).
    fn findings(&self, profile: &Profile) -> Vec<Finding> {
        let software = self.software.as_ref().and_then(|x| x.data.as_ref());
        let mut av = self.antivirus.as_ref().and_then(|x| x.data.clone());
        let mut prog = self
            .program
            .as_ref()
            .and_then(|x| x.as_ref())
            .and_then(|x| x.data.clone());
        if let Some(sw) = software {
            if let Some(av) = av.as_mut() {
                antivirus::enrich(av, sw);
            }
            if let Some(p) = prog.as_mut() {
                program::enrich(p, sw);
            }
        }
        let facts = Facts {
            system: self.system.as_ref().and_then(|x| x.data.as_ref()),
            hardware: self.hardware.as_ref().and_then(|x| x.data.as_ref()),
            firewall: self.firewall.as_ref().and_then(|x| x.data.as_ref()),
            antivirus: av.as_ref(),
            network: self.network.as_ref().and_then(|x| x.data.as_ref()),
            software,
            program: prog.as_ref(),
            crashes: self.crashes.as_ref().and_then(|x| x.data.as_ref()),
            checks: self.checks.as_deref().unwrap_or_default(),
            ..Facts::new(profile, jiff::Zoned::now().date())
        };
        rules::findings(&facts)
    }
}

fn worded(f: &Finding) -> Worded {
    Worded {
        title: f.title.clone(),
        action: f.action.clone(),
    }
}

/// The state the findings about one check give it: a problem or a warning is a problem; notes
/// leave it ok.
fn state_of(findings: &[&Finding]) -> ItemState {
    if findings
        .iter()
        .any(|f| matches!(f.severity, Severity::Problem | Severity::Warning))
    {
        ItemState::Problem
    } else {
        ItemState::Ok
    }
}

/// A network check's result: a timeout or a failure to check is "could not check", with the
/// rule's words either way.
fn check_item(profile: &Profile, o: &Outcome) -> ItemResult {
    let today = jiff::Zoned::now().date();
    let findings = rules::findings(&Facts {
        checks: std::slice::from_ref(o),
        ..Facts::new(profile, today)
    });
    let state = match &o.verdict {
        Verdict::Ok => ItemState::Ok,
        Verdict::TimedOut => ItemState::CouldNotCheck {
            timed_out: true,
            detail: None,
        },
        Verdict::Failed { detail } => ItemState::CouldNotCheck {
            timed_out: false,
            detail: Some(detail.clone()),
        },
        _ => ItemState::Problem,
    };
    ItemResult {
        id: o.id.clone(),
        state,
        findings: findings.iter().map(worded).collect(),
        elapsed_ms: o.elapsed_ms,
    }
}

/// A built-in check's result once its probes are in; `None` before.
fn builtin_item(
    profile: &Profile,
    arrived: &Arrived,
    check: BuiltinCheck,
    elapsed_ms: u64,
) -> Option<ItemResult> {
    let problems = arrived.needed(check)?;
    let unknown = problems.iter().find(|p| !p.is_empty());
    let all = arrived.findings(profile);
    let mine: Vec<&Finding> = all
        .iter()
        .filter(|f| f.check.as_deref() == Some(check.id()))
        .collect();
    let state = match unknown {
        Some(problems) if mine.is_empty() => ItemState::CouldNotCheck {
            timed_out: problems
                .iter()
                .any(|p| matches!(p, ProbeProblem::TimedOut { .. })),
            detail: Some(
                problems
                    .iter()
                    .map(|p| serde_json::to_string(p).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        },
        _ => state_of(&mine),
    };
    Some(ItemResult {
        id: check.id().to_owned(),
        state,
        findings: mine.into_iter().map(worded).collect(),
        elapsed_ms,
    })
}

/// Windows' architecture names and Rust's, as the profile spells them.
fn architecture(name: &str) -> String {
    match name.to_ascii_lowercase().as_str() {
        "x86_64" | "amd64" | "x64" | "64 bits" | "64-bit" => "x64".into(),
        "x86" | "i386" | "i686" | "32 bits" | "32-bit" => "x86".into(),
        "aarch64" | "arm64" => "arm64".into(),
        other => other.to_owned(),
    }
}

/// Installed memory is reported a little under the modules' size (firmware, graphics): 5 %
/// below the minimum still meets it.
const MEMORY_SLACK: f64 = 0.95;

/// The requirements a probe answers, as it arrives.
fn requirement_results(
    requirement: &Requirement,
    arrived: &Arrived,
    outcome: Option<&Outcome>,
) -> Option<RequirementResult> {
    let system = || arrived.system.as_ref().map(|p| p.data.as_ref());
    let hardware = || arrived.hardware.as_ref().map(|p| p.data.as_ref());
    let windows = |s: &System| s.family == OsFamily::Windows;
    let (met, measured) = match requirement {
        Requirement::Windows { min_build } => match system()? {
            Some(s) if windows(s) => {
                let build = s
                    .build
                    .as_deref()
                    .and_then(|b| b.split('.').next())
                    .and_then(|b| b.parse::<u32>().ok());
                let shown = match &s.build {
                    Some(b) => format!("{} ({b})", s.os_name),
                    None => s.os_name.clone(),
                };
                (build.map(|b| b >= *min_build), Some(shown))
            }
            Some(s) => (None, Some(s.os_name.clone())),
            None => (None, None),
        },
        Requirement::Edition { accepted } => match system()? {
            Some(s) if windows(s) => match &s.edition {
                Some(e) => (
                    Some(accepted.iter().any(|a| a.eq_ignore_ascii_case(e))),
                    Some(e.clone()),
                ),
                None => (None, Some(s.os_name.clone())),
            },
            Some(s) => (None, Some(s.os_name.clone())),
            None => (None, None),
        },
        Requirement::Architecture { accepted } => {
            match system()?.and_then(|s| s.architecture.as_deref()) {
                Some(a) => {
                    let a = architecture(a);
                    (Some(accepted.contains(&a)), Some(a))
                }
                None => (None, None),
            }
        }
        Requirement::Memory { min_mib } => match hardware()?.and_then(|h| h.memory.total_mb) {
            Some(mb) => (
                Some(mb as f64 >= f64::from(*min_mib) * MEMORY_SLACK),
                Some(format!("{mb} MiB")),
            ),
            None => (None, None),
        },
        Requirement::FreeDisk { min_mib } => {
            match hardware()?.and_then(|h| h.volumes.iter().find(|v| v.system)) {
                Some(v) => {
                    let mib = (v.free_gb * 1024.0).round() as u64;
                    (
                        Some(mib >= u64::from(*min_mib)),
                        Some(format!("{mib} MiB ({})", v.mount)),
                    )
                }
                None => (None, None),
            }
        }
        Requirement::Port { check } => {
            let o = outcome.filter(|o| &o.id == check)?;
            let met = match o.verdict {
                Verdict::Ok => Some(true),
                Verdict::TimedOut | Verdict::Failed { .. } => None,
                _ => Some(false),
            };
            (met, Some(o.target.clone()))
        }
    };
    Some(RequirementResult {
        requirement: requirement.clone(),
        met,
        measured,
    })
}

/// A run's result, kept for the ticket.
pub struct Run {
    pub collected: collect::Collected,
}

/// Runs the topic's checks, the whole collection and "what changed" (this collection's snapshot
/// kept); `sink` hears each result as it is known (see [`CheckEvent`]).
pub async fn run(
    profile: &Profile,
    topic: &Topic,
    data_dir: &Path,
    run: u32,
    sink: &(dyn Fn(CheckEvent) + Sync),
) -> Run {
    let started = Instant::now();
    let items = items_of(topic);
    let requirements = match (&profile.requirements, topic.requirements) {
        (Some(r), true) => requirements_of(r),
        _ => Vec::new(),
    };
    sink(CheckEvent::Started {
        run,
        items: items.clone(),
        requirements: requirements.clone(),
    });
    let arrived = Mutex::new(Arrived::default());
    let told_requirements = Mutex::new(vec![false; requirements.len()]);
    let ms = || started.elapsed().as_millis() as u64;
    let on = |p: Progress<'_>| {
        let Ok(mut a) = arrived.lock() else {
            return;
        };
        a.take(p);
        let outcome = match p {
            Progress::Check(o) => Some(o),
            _ => None,
        };
        if let Some(o) = outcome {
            if items.contains(&o.id) {
                sink(CheckEvent::Item {
                    run,
                    item: check_item(profile, o),
                });
            }
        }
        if let Ok(mut told) = told_requirements.lock() {
            for (i, r) in requirements.iter().enumerate() {
                if told[i] {
                    continue;
                }
                if let Some(result) = requirement_results(r, &a, outcome) {
                    told[i] = true;
                    sink(CheckEvent::Requirement { run, result });
                }
            }
        }
        for id in &items {
            let Some(check) = BuiltinCheck::from_id(id) else {
                continue;
            };
            if a.told.contains(id) {
                continue;
            }
            if let Some(item) = builtin_item(profile, &a, check, ms()) {
                a.told.insert(id.clone());
                sink(CheckEvent::Item { run, item });
            }
        }
    };
    let collected =
        collect::collect_streaming(profile, data_dir, &report::Options::default(), false, &on)
            .await;
    let (since, since_good, changes) = match &collected.report.changes {
        Some(w) => (
            Some(w.since.clone()),
            w.since_good,
            rules::change_findings(w).iter().map(worded).collect(),
        ),
        None => (None, false, Vec::new()),
    };
    sink(CheckEvent::Changes {
        run,
        since,
        since_good,
        changes,
    });
    sink(CheckEvent::Finished {
        run,
        elapsed_ms: ms(),
    });
    Run { collected }
}

/// The last run's report, for the ticket on the same topic while it is recent.
pub struct LastRun {
    pub topic: String,
    pub at: Instant,
    pub report: Report,
}

/// How long a run's report stands for the ticket: after that, submitting collects again.
pub const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(10 * 60);

impl LastRun {
    pub fn fresh_for(&self, topic: &str) -> bool {
        self.topic == topic && self.at.elapsed() < FRESH_FOR
    }
}
