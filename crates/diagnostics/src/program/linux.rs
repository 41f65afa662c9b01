//! The vendor's program on Linux: a Windows program runs here under Wine, if at all, so the probe
//! looks for its executable by path and for running copies by file name in /proc (Wine keeps the
//! Windows path in the command line). There is no version resource to read.

use std::path::Path;

use chamado_profile::Program;

use super::{running_copies, ProcessRaw, VendorProgram};
use crate::logs::expand_env;
use crate::probe::{Gathered, ProbeProblem};

pub fn gather(program: &Program) -> Gathered<VendorProgram> {
    let exe = expand_env(&program.exe, &|name| std::env::var(name).ok());
    let mut problems = Vec::new();
    let processes = match processes() {
        Ok(p) => p,
        Err(e) => {
            problems.push(ProbeProblem::from_io("/proc", &e));
            Vec::new()
        }
    };
    let program = VendorProgram {
        name: program.display_name.clone(),
        exe_found: Path::new(&exe).is_file(),
        running: running_copies(&exe, &processes),
        exe,
        file_version: None,
        installed: Vec::new(),
    };
    (Some(program), problems)
}

fn processes() -> std::io::Result<Vec<ProcessRaw>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        // Gone since the listing, or not ours to read: skip it.
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
        let argv0 = String::from_utf8_lossy(argv0).into_owned();
        let path = std::fs::read_link(entry.path().join("exe"))
            .ok()
            .map(|p| p.to_string_lossy().into_owned());
        out.push(ProcessRaw {
            pid,
            // Wine: argv0 is the Windows path of the .exe; natively, the program's path.
            name: argv0.clone(),
            path: if argv0.to_lowercase().ends_with(".exe") {
                Some(argv0)
            } else {
                path
            },
        });
    }
    Ok(out)
}
