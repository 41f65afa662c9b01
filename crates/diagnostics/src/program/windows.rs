//! The vendor's program on Windows: its executable's version resource (`GetFileVersionInfoW`),
//! running copies through the WMI thread (`Win32_Process`, any folder).

use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use chamado_profile::Program;

use super::{decode_fixed_file_info, running_copies, FileVersion, ProcessRaw, VendorProgram};
use crate::logs::expand_env;
use crate::probe::{Gathered, ProbeProblem};
use crate::wmi_thread::{self, Value};

const CIMV2: &str = r"root\CIMV2";
const WMI_LIMIT: Duration = Duration::from_secs(3);

pub fn gather(program: &Program) -> Gathered<VendorProgram> {
    let exe = expand_env(&program.exe, &|name| std::env::var(name).ok());
    let mut problems = Vec::new();
    let exe_found = Path::new(&exe).is_file();
    let file_version = if exe_found {
        let v = file_version(&exe);
        if v.is_none() {
            problems.push(ProbeProblem::Missing {
                what: format!("version resource of {exe}"),
            });
        }
        v
    } else {
        None
    };
    // Every process, filtered here by file name: a WQL `WHERE Name = …` compares case-sensitively
    // under Wine, and a few hundred rows of three columns cost little.
    let query = "SELECT ProcessId, Name, ExecutablePath FROM Win32_Process";
    let processes = match wmi_thread::query(CIMV2, query, WMI_LIMIT) {
        Ok(rows) => rows
            .iter()
            .filter_map(|r| {
                Some(ProcessRaw {
                    pid: u32::try_from(r.get("ProcessId")?.u64()?).ok()?,
                    name: r.get("Name").and_then(Value::text)?.to_owned(),
                    path: r
                        .get("ExecutablePath")
                        .and_then(Value::text)
                        .map(str::to_owned),
                })
            })
            .collect(),
        Err(e) => {
            problems.push(e.to_problem(CIMV2));
            Vec::new()
        }
    };
    let program = VendorProgram {
        name: program.display_name.clone(),
        exe_found,
        running: running_copies(&exe, &processes),
        exe,
        file_version,
        installed: Vec::new(),
    };
    (Some(program), problems)
}

/// The executable's `VS_FIXEDFILEINFO`, decoded.
#[allow(unsafe_code)] // Win32 FFI: buffers sized as the API says, pointers checked before use.
fn file_version(path: &str) -> Option<FileVersion> {
    use windows_sys::Win32::Storage::FileSystem::{
        GetFileVersionInfoSizeW, GetFileVersionInfoW, VerQueryValueW,
    };
    let wide: Vec<u16> = Path::new(path)
        .as_os_str()
        .encode_wide()
        .chain(std::iter::once(0))
        .collect();
    let size = unsafe { GetFileVersionInfoSizeW(wide.as_ptr(), std::ptr::null_mut()) };
    if size == 0 {
        return None;
    }
    let mut buffer = vec![0u8; size as usize];
    if unsafe { GetFileVersionInfoW(wide.as_ptr(), 0, size, buffer.as_mut_ptr().cast()) } == 0 {
        return None;
    }
    let root: [u16; 2] = [u16::from(b'\\'), 0];
    let mut value: *mut core::ffi::c_void = std::ptr::null_mut();
    let mut len: u32 = 0;
    if unsafe { VerQueryValueW(buffer.as_ptr().cast(), root.as_ptr(), &mut value, &mut len) } == 0
        || value.is_null()
    {
        return None;
    }
    // `value` points into `buffer`, `len` bytes long; copy them out before `buffer` goes.
    let start = (value as usize).checked_sub(buffer.as_ptr() as usize)?;
    let bytes = buffer.get(start..start.checked_add(len as usize)?)?;
    decode_fixed_file_info(bytes)
}
