//! Crashes on Linux: systemd-coredump's records of the last days, through `coredumpctl` (it reads
//! the journal; without access to it, the list is empty and the probe says why).

use std::process::Command;

use super::{decode_coredumps, Crashes, DAYS};
use crate::probe::{Gathered, ProbeProblem};

pub fn gather() -> Gathered<Crashes> {
    let since = format!("-{DAYS}d");
    let output = match Command::new("coredumpctl")
        .args(["list", "--json=short", "--no-pager", "--since", &since])
        .output()
    {
        Ok(o) => o,
        Err(e) => return (None, vec![ProbeProblem::from_io("coredumpctl", &e)]),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let crashes = |events| Crashes {
        source: "systemd-coredump".into(),
        days: DAYS,
        events,
    };
    // "No coredumps found." comes with exit status 1 and nothing on stdout.
    if stdout.trim().is_empty() {
        return (Some(crashes(Vec::new())), Vec::new());
    }
    match decode_coredumps(&stdout) {
        Ok(events) => (Some(crashes(events)), Vec::new()),
        Err(e) => (
            None,
            vec![ProbeProblem::Failed {
                what: "coredumpctl".into(),
                detail: e.to_string(),
            }],
        ),
    }
}
