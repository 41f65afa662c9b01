//! Pure decoding of what the OS said about the vendor's program.

use serde::Serialize;

use super::{ProcessRaw, RunningCopy};

/// A version resource's numbers (`VS_FIXEDFILEINFO`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileVersion {
    /// e.g. `8.4.1.120`.
    pub file: String,
    pub product: String,
}

const SIGNATURE: u32 = 0xFEEF_04BD;

/// `VS_FIXEDFILEINFO` as `VerQueryValueW(…, "\\")` returns it: signature, struct version, then
/// the file and product versions as (MS, LS) pairs of HIWORD.LOWORD. `None` when the bytes are
/// not one.
pub fn decode_fixed_file_info(bytes: &[u8]) -> Option<FileVersion> {
    let word = |i: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(i * 4..i * 4 + 4)?.try_into().ok()?,
        ))
    };
    if word(0)? != SIGNATURE {
        return None;
    }
    let version =
        |ms: u32, ls: u32| format!("{}.{}.{}.{}", ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF);
    Some(FileVersion {
        file: version(word(2)?, word(3)?),
        product: version(word(4)?, word(5)?),
    })
}

/// The executable's file name from a Windows or Unix path, lower-cased (process names are
/// compared without case, as Windows does).
pub fn exe_file_name(path: &str) -> String {
    path.rsplit(['\\', '/'])
        .next()
        .unwrap_or(path)
        .to_lowercase()
}

/// The processes that are copies of `exe` (by file name: a copy in another folder counts).
pub fn running_copies(exe: &str, processes: &[ProcessRaw]) -> Vec<RunningCopy> {
    let wanted = exe_file_name(exe);
    let mut copies: Vec<RunningCopy> = processes
        .iter()
        .filter(|p| {
            exe_file_name(&p.name) == wanted
                || p.path
                    .as_deref()
                    .is_some_and(|path| exe_file_name(path) == wanted)
        })
        .map(|p| RunningCopy {
            pid: p.pid,
            path: p.path.clone(),
        })
        .collect();
    copies.sort_by_key(|c| c.pid);
    copies
}

/// Whether two version strings name the same version: `8.4.1` and `8.4.1.0` do, `8.4.1` and
/// `8.4.10` do not. Vendors write the list's `DisplayVersion` by hand and the resource's by build.
pub fn same_version(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<String> {
        let mut p: Vec<String> = v
            .trim()
            .trim_start_matches(['v', 'V'])
            .split(['.', ','])
            .map(|s| s.trim().trim_start_matches('0').to_owned())
            .collect();
        while p.last().is_some_and(|s| s.is_empty()) {
            p.pop();
        }
        p
    };
    parts(a) == parts(b)
}
