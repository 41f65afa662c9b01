//! The diagnostics report: every probe's result, the network checks and the findings, in a
//! versioned JSON format (documented in docs/report-format.md) and as a standalone HTML page.

use std::time::Instant;

use chamado_profile::Profile;
use serde::Serialize;
use ts_rs::TS;

use crate::antivirus::{self, Antivirus};
use crate::crashes::{self, Crashes};
use crate::firewall::{self, Firewall};
use crate::hardware::{self, Hardware};
use crate::logs::{self, Logs};
use crate::netcheck::{Checker, Outcome};
use crate::network::{self, Network};
use crate::probe::Probe;
use crate::program::{self, VendorProgram};
use crate::rules::{self, Facts, Finding};
use crate::snapshot::{diff, Snapshot, SnapshotStore, StoreError, WhatChanged};
use crate::software::{self, Software};
use crate::system::{self, System};

/// Bumped when a field changes meaning or goes away; adding fields keeps it.
pub const REPORT_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format: u32,
    /// e.g. `chamado 0.1.0`.
    pub generator: String,
    /// RFC 3339 with the machine's UTC offset.
    pub collected_at: String,
    pub elapsed_ms: u64,
    /// The vendor whose profile drove the collection.
    pub vendor: String,
    /// Findings first: what the analyst reads before anything else.
    pub findings: Vec<Finding>,
    pub system: Probe<System>,
    pub hardware: Probe<Hardware>,
    pub firewall: Probe<Firewall>,
    pub antivirus: Probe<Antivirus>,
    pub network: Probe<Network>,
    pub software: Probe<Software>,
    /// The vendor's program: version, installed entries, running copies; `null` when the
    /// profile names none.
    pub program: Option<Probe<VendorProgram>>,
    /// Recent crashes, the vendor program's first.
    pub crashes: Probe<Crashes>,
    /// Tails of the vendor program's log files (the profile's globs).
    pub logs: Probe<Logs>,
    /// The profile's network checks; `null` when left out (`--skip-checks`).
    pub checks: Option<Vec<Outcome>>,
    /// What changed since the last snapshot taken when things worked (or the first one); `null`
    /// on the first collection or when no snapshot is kept.
    pub changes: Option<WhatChanged>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Leave out the profile's network checks (e.g. a technician offline).
    pub skip_checks: bool,
}

/// A part of a collection, said as it finishes (the probes and the network checks run at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    System,
    Hardware,
    Firewall,
    Antivirus,
    Network,
    Software,
    Program,
    Crashes,
    Logs,
    Checks,
}

/// Runs every probe and check at once and applies the rules.
pub async fn collect(profile: &Profile, generator: &str, options: &Options) -> Report {
    collect_with_progress(profile, generator, options, &|_| {}).await
}

/// A part of a collection as it finishes, with what it found: the checks step shows each result
/// as it arrives. `Check` comes for each network check as it ends, then `Checks` with them all.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    System(&'a Probe<System>),
    Hardware(&'a Probe<Hardware>),
    Firewall(&'a Probe<Firewall>),
    Antivirus(&'a Probe<Antivirus>),
    Network(&'a Probe<Network>),
    Software(&'a Probe<Software>),
    /// `None` when the profile names no program.
    Program(Option<&'a Probe<VendorProgram>>),
    Crashes(&'a Probe<Crashes>),
    Logs(&'a Probe<Logs>),
    Check(&'a Outcome),
    /// `None` when the checks were left out.
    Checks(Option<&'a [Outcome]>),
}

impl Progress<'_> {
    /// The part that finished (`None` for one check among the others).
    pub fn part(&self) -> Option<Part> {
        Some(match self {
            Progress::System(_) => Part::System,
            Progress::Hardware(_) => Part::Hardware,
            Progress::Firewall(_) => Part::Firewall,
            Progress::Antivirus(_) => Part::Antivirus,
            Progress::Network(_) => Part::Network,
            Progress::Software(_) => Part::Software,
            Progress::Program(_) => Part::Program,
            Progress::Crashes(_) => Part::Crashes,
            Progress::Logs(_) => Part::Logs,
            Progress::Check(_) => return None,
            Progress::Checks(_) => Part::Checks,
        })
    }
}

/// [`collect`], calling `done` as each part finishes (for a progress display).
pub async fn collect_with_progress(
    profile: &Profile,
    generator: &str,
    options: &Options,
    done: &(dyn Fn(Part) + Sync),
) -> Report {
    collect_streaming(profile, generator, options, &|p| {
        if let Some(part) = p.part() {
            done(part)
        }
    })
    .await
}

/// [`collect`], handing `on` each part's data (and each network check) as it finishes.
pub async fn collect_streaming(
    profile: &Profile,
    generator: &str,
    options: &Options,
    on: &(dyn Fn(Progress<'_>) + Sync),
) -> Report {
    let started = Instant::now();
    let now = jiff::Zoned::now();
    let checks = async {
        if options.skip_checks {
            on(Progress::Checks(None));
            return None;
        }
        let outcomes = match Checker::new() {
            Ok(checker) => {
                checker
                    .run_each(&profile.checks, &|o| on(Progress::Check(o)))
                    .await
            }
            Err(e) => profile
                .checks
                .iter()
                .map(|c| Outcome {
                    id: c.id.clone(),
                    target: String::new(),
                    verdict: crate::netcheck::Verdict::Failed {
                        detail: format!("the HTTP client could not start: {e}"),
                    },
                    addresses: Vec::new(),
                    elapsed_ms: 0,
                })
                .collect(),
        };
        on(Progress::Checks(Some(&outcomes)));
        Some(outcomes)
    };
    let vendor = async {
        let probed = match &profile.program {
            Some(p) => Some(program::probe(p).await),
            None => None,
        };
        on(Progress::Program(probed.as_ref()));
        probed
    };
    let vendor_exe = profile.program.as_ref().map(|p| p.exe.as_str());
    // Each probe tells `on` of its data as it finishes.
    macro_rules! told {
        ($variant:ident, $probe:expr) => {
            async {
                let data = $probe.await;
                on(Progress::$variant(&data));
                data
            }
        };
    }
    let (
        system,
        hardware,
        firewall,
        mut antivirus,
        network,
        software,
        mut vendor,
        crashes,
        logs,
        checks,
    ) = tokio::join!(
        told!(System, system::probe()),
        told!(Hardware, hardware::probe()),
        told!(Firewall, firewall::probe()),
        told!(Antivirus, antivirus::probe()),
        told!(Network, network::probe()),
        told!(Software, software::probe()),
        vendor,
        told!(Crashes, crashes::probe(vendor_exe)),
        told!(Logs, logs::probe(profile.program.as_ref())),
        checks
    );
    if let Some(sw) = software.data.as_ref() {
        if let Some(av) = antivirus.data.as_mut() {
            antivirus::enrich(av, sw);
        }
        if let Some(p) = vendor.as_mut().and_then(|v| v.data.as_mut()) {
            program::enrich(p, sw);
        }
    }
    let findings = rules::findings(&Facts {
        profile,
        system: system.data.as_ref(),
        hardware: hardware.data.as_ref(),
        firewall: firewall.data.as_ref(),
        antivirus: antivirus.data.as_ref(),
        network: network.data.as_ref(),
        software: software.data.as_ref(),
        program: vendor.as_ref().and_then(|v| v.data.as_ref()),
        crashes: crashes.data.as_ref(),
        checks: checks.as_deref().unwrap_or_default(),
        today: now.date(),
    });
    Report {
        format: REPORT_FORMAT,
        generator: generator.to_owned(),
        collected_at: now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        elapsed_ms: started.elapsed().as_millis() as u64,
        vendor: profile.vendor.name.clone(),
        findings,
        system,
        hardware,
        firewall,
        antivirus,
        network,
        software,
        program: vendor,
        crashes,
        logs,
        checks,
        changes: None,
    }
}

/// Compares the report with the store's reference snapshot (adding what changed and its
/// findings), then stores this collection's snapshot, marked good when things work now.
pub fn compare_and_store(
    report: &mut Report,
    profile: &Profile,
    store: &SnapshotStore,
    works_now: bool,
) -> Result<(), StoreError> {
    let now = Snapshot::of(report, profile, works_now);
    if let Some(reference) = store.reference() {
        let changed = WhatChanged {
            since: reference.taken_at.clone(),
            since_good: reference.good,
            changes: diff(&reference, &now),
        };
        report.findings.extend(rules::change_findings(&changed));
        report.findings.sort_by_key(|f| f.severity);
        report.changes = Some(changed);
    }
    store.save(&now)?;
    Ok(())
}
