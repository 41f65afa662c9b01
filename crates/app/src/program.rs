//! Update help: the vendor's program as detected on this computer (the `program` probe, with the
//! list of installed programs for its version), beside the latest version published on central,
//! and the copies still running that must be closed before updating.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;

/// What the update help panel shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ProgramVersion {
    /// The program's name (the profile's `display_name`); none when the profile describes none.
    pub name: Option<String>,
    /// The installed version detected; none when it could not be read.
    pub installed: Option<String>,
    /// The latest version the vendor published on central (as last fetched).
    pub latest: Option<String>,
    /// Whether the installed version is the latest; none when either is unknown.
    pub up_to_date: Option<bool>,
    /// Copies of the program running now: closed before updating.
    pub running: Vec<RunningProgram>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RunningProgram {
    pub pid: u32,
    /// Where it runs from; none when the system would not say.
    pub path: Option<String>,
}

/// Detects the program (both probes at once, each within its time limit) and puts the latest
/// version kept from central's last answer beside it.
pub async fn detect(
    profile: &chamado_profile::Profile,
    data_dir: &Path,
) -> Result<ProgramVersion, AppError> {
    use chamado_diagnostics::{program, software};
    let latest = crate::notices::cached(data_dir).latest_version;
    let Some(described) = &profile.program else {
        return Ok(ProgramVersion {
            latest,
            ..ProgramVersion::default()
        });
    };
    let (found, installed) = tokio::join!(program::probe(described), software::probe());
    for p in found.problems.iter().chain(&installed.problems) {
        tracing::info!(?p, "program detection");
    }
    let Some(mut found) = found.data else {
        return Ok(ProgramVersion {
            name: Some(described.display_name.clone()),
            latest,
            ..ProgramVersion::default()
        });
    };
    if let Some(s) = &installed.data {
        program::enrich(&mut found, s);
    }
    let version = found.version().map(str::to_owned);
    let up_to_date = match (&version, &latest) {
        (Some(v), Some(l)) => Some(program::same_version(v, l)),
        _ => None,
    };
    Ok(ProgramVersion {
        name: Some(found.name.clone()),
        installed: version,
        latest,
        up_to_date,
        running: found
            .running
            .into_iter()
            .map(|r| RunningProgram {
                pid: r.pid,
                path: r.path,
            })
            .collect(),
    })
}
