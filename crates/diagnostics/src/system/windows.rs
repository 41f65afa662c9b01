//! Reads the system facts on Windows: the registry's CurrentVersion, GetNativeSystemInfo,
//! GetTickCount64 and the process environment. Win32_OperatingSystem (WMI) comes with the WMI
//! thread; until then the name relies on ProductName plus the Windows 11 build rule.

use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY};
use winreg::RegKey;

use super::{decode_windows, System, WindowsRaw};
use crate::probe::{Gathered, ProbeProblem};

const CURRENT_VERSION: &str = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion";

pub fn gather() -> Gathered<System> {
    let mut problems = Vec::new();
    let mut raw = WindowsRaw::default();
    // The 64-bit view, also from a 32-bit process.
    match RegKey::predef(HKEY_LOCAL_MACHINE)
        .open_subkey_with_flags(CURRENT_VERSION, KEY_READ | KEY_WOW64_64KEY)
    {
        Ok(key) => {
            let s = |name: &str| key.get_value::<String, _>(name).ok();
            let d = |name: &str| key.get_value::<u32, _>(name).ok();
            raw.product_name = s("ProductName");
            raw.edition_id = s("EditionID");
            raw.installation_type = s("InstallationType");
            raw.display_version = s("DisplayVersion");
            raw.release_id = s("ReleaseId");
            raw.current_build = s("CurrentBuild").or_else(|| s("CurrentBuildNumber"));
            raw.ubr = d("UBR");
            raw.install_date = d("InstallDate");
        }
        Err(e) => problems.push(ProbeProblem::from_io(
            &format!(r"HKLM\{CURRENT_VERSION}"),
            &e,
        )),
    }
    raw.native_architecture = native_architecture();
    raw.uptime_ms = Some(uptime_ms());
    let env = |name: &str| std::env::var(name).ok();
    raw.computer_name = env("COMPUTERNAME");
    raw.user_name = env("USERNAME");
    raw.user_domain = env("USERDOMAIN");
    (Some(decode_windows(&raw, jiff::Timestamp::now())), problems)
}

#[allow(unsafe_code)] // Win32 calls with no preconditions.
fn uptime_ms() -> u64 {
    // SAFETY: GetTickCount64 takes no arguments and cannot fail.
    unsafe { windows_sys::Win32::System::SystemInformation::GetTickCount64() }
}

#[allow(unsafe_code)] // Win32 calls with no preconditions.
fn native_architecture() -> Option<String> {
    use windows_sys::Win32::System::SystemInformation::{
        GetNativeSystemInfo, PROCESSOR_ARCHITECTURE_AMD64, PROCESSOR_ARCHITECTURE_ARM64,
        PROCESSOR_ARCHITECTURE_INTEL, SYSTEM_INFO,
    };
    // SAFETY: GetNativeSystemInfo fills the struct it is given; a zeroed SYSTEM_INFO is valid.
    let info: SYSTEM_INFO = unsafe {
        let mut info = std::mem::zeroed();
        GetNativeSystemInfo(&mut info);
        info
    };
    // SAFETY: the anonymous union's struct variant is what GetNativeSystemInfo fills.
    let arch = unsafe { info.Anonymous.Anonymous.wProcessorArchitecture };
    match arch {
        PROCESSOR_ARCHITECTURE_AMD64 => Some("x64".into()),
        PROCESSOR_ARCHITECTURE_ARM64 => Some("arm64".into()),
        PROCESSOR_ARCHITECTURE_INTEL => Some("x86".into()),
        _ => None,
    }
}
