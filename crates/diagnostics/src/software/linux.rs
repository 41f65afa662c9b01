//! Installed packages on Debian-like systems: dpkg's status file and its logs.

use super::{decode_dpkg, Software};
use crate::probe::{Gathered, ProbeProblem};

const STATUS: &str = "/var/lib/dpkg/status";

pub fn gather() -> Gathered<Software> {
    let status = match std::fs::read_to_string(STATUS) {
        Ok(s) => s,
        Err(e) => {
            return (
                None,
                vec![ProbeProblem::Missing {
                    what: format!("{STATUS} ({e}): not a Debian-like system"),
                }],
            )
        }
    };
    // The current log and the first rotated one; older ones are compressed.
    let log: String = ["/var/log/dpkg.log.1", "/var/log/dpkg.log"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect::<Vec<_>>()
        .join("\n");
    (Some(decode_dpkg(&status, &log)), Vec::new())
}
