//! The vendor-program probe: version resources, running copies, duplicate installs, the rules
//! on them, and the real probe on this machine (the test's own executable plays the program).

use chamado_diagnostics::program::{
    self, decode_fixed_file_info, running_copies, same_version, ProcessRaw, VendorProgram,
};
use chamado_diagnostics::rules::{findings, Facts};
use chamado_diagnostics::software::InstalledProgram;
use chamado_diagnostics::system::{decode_windows, System, WindowsRaw};

/// `VS_FIXEDFILEINFO` for file 8.4.1.120, product 8.4.1.0, as `VerQueryValueW` returns it.
fn fixed_file_info() -> Vec<u8> {
    let words: [u32; 13] = [
        0xFEEF_04BD,
        0x0001_0000,
        (8 << 16) | 4,
        (1 << 16) | 120,
        (8 << 16) | 4,
        1 << 16,
        0x3F,
        0,
        0x0004_0004,
        1,
        0,
        0,
        0,
    ];
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

#[test]
fn version_resource_is_decoded_and_checked() {
    let v = decode_fixed_file_info(&fixed_file_info()).unwrap();
    assert_eq!(v.file, "8.4.1.120");
    assert_eq!(v.product, "8.4.1.0");
    let mut wrong = fixed_file_info();
    wrong[0] = 0;
    assert_eq!(decode_fixed_file_info(&wrong), None, "bad signature");
    assert_eq!(
        decode_fixed_file_info(&fixed_file_info()[..12]),
        None,
        "short"
    );
}

#[test]
fn versions_compare_as_people_write_them() {
    assert!(same_version("8.4.1", "8.4.1.0"));
    assert!(same_version("v8.4.1", "8.04.1.0"));
    assert!(!same_version("8.4.1", "8.4.10"));
    assert!(!same_version("8.4.1.120", "8.4.1"));
}

#[test]
fn copies_are_found_by_file_name_in_any_folder() {
    let processes = [
        ProcessRaw {
            pid: 30,
            name: "Gestao.exe".into(),
            path: Some(r"D:\Antigo\Gestao.exe".into()),
        },
        ProcessRaw {
            pid: 12,
            name: "GESTAO.EXE".into(),
            path: Some(r"C:\Program Files\Sistema de Gestão\Gestao.exe".into()),
        },
        ProcessRaw {
            pid: 7,
            name: "Gestao.Relatorios.exe".into(),
            path: None,
        },
    ];
    let copies = running_copies(r"C:\Program Files\Sistema de Gestão\Gestao.exe", &processes);
    assert_eq!(copies.iter().map(|c| c.pid).collect::<Vec<_>>(), [12, 30]);
}

fn windows() -> System {
    decode_windows(
        &WindowsRaw {
            product_name: Some("Windows 10 Pro".into()),
            current_build: Some("19045".into()),
            ..WindowsRaw::default()
        },
        "2026-11-24T12:00:00Z".parse().unwrap(),
    )
}

fn entry(version: &str) -> InstalledProgram {
    InstalledProgram {
        name: "Sistema de Gestão".into(),
        version: Some(version.into()),
        publisher: Some("Fornecedor".into()),
        installed: Some("2026-10-01".into()),
        security: false,
    }
}

fn vendor(installed: Vec<InstalledProgram>, exe_found: bool) -> VendorProgram {
    VendorProgram {
        name: "Sistema de Gestão".into(),
        exe: r"C:\Program Files\Sistema de Gestão\Gestao.exe".into(),
        exe_found,
        file_version: decode_fixed_file_info(&fixed_file_info()),
        installed,
        running: Vec::new(),
    }
}

fn rules_of(p: &VendorProgram) -> Vec<String> {
    let profile = chamado_profile::builtin();
    let system = windows();
    let mut facts = Facts::new(&profile, jiff::civil::date(2026, 11, 24));
    facts.system = Some(&system);
    facts.program = Some(p);
    findings(&facts).into_iter().map(|f| f.rule).collect()
}

#[test]
fn a_healthy_install_gives_no_finding() {
    assert!(rules_of(&vendor(vec![entry("8.4.1.120")], true)).is_empty());
}

#[test]
fn two_entries_or_two_folders_are_duplicate_installs() {
    let two = vendor(vec![entry("8.4.1.120"), entry("7.9")], true);
    assert!(two.duplicate_installs());
    assert!(rules_of(&two).contains(&"program.duplicate".to_owned()));
    let mut running = vendor(vec![entry("8.4.1.120")], true);
    for (pid, path) in [
        (1, r"C:\Program Files\Sistema de Gestão\Gestao.exe"),
        (2, r"D:\Antigo\gestao.exe"),
    ] {
        running.running.push(program::RunningCopy {
            pid,
            path: Some(path.into()),
        });
    }
    assert!(running.duplicate_installs());
    // The same folder twice (two windows of one install) is not a duplicate.
    running.running[1].path = Some(r"c:\program files\sistema de gestão\GESTAO.EXE".into());
    assert!(!running.duplicate_installs());
}

#[test]
fn missing_executable_and_version_mismatch_are_reported() {
    let rules = rules_of(&vendor(vec![entry("8.3.0")], false));
    assert!(
        rules.contains(&"program.exe_missing".to_owned()),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"program.version_mismatch".to_owned()),
        "{rules:?}"
    );
}

/// The real probe, with this test's executable as the program: found, and running (this
/// process).
#[tokio::test]
async fn the_real_probe_finds_a_running_program() {
    let exe = std::env::current_exe().unwrap();
    let profile_program = chamado_profile::Program {
        display_name: "chamado test".into(),
        exe: exe.to_string_lossy().into_owned(),
        ..Default::default()
    };
    let probe = program::probe(&profile_program).await;
    let p = probe.data.expect("program data");
    assert!(p.exe_found);
    assert!(
        p.running.iter().any(|r| r.pid == std::process::id()),
        "{:?} {:?}",
        p.running,
        probe.problems
    );
}

/// Windows (and Wine): a system file's version resource is read (Wine's notepad.exe has none).
#[cfg(windows)]
#[tokio::test]
async fn a_system_executables_version_is_read() {
    let windir = std::env::var("SystemRoot").unwrap();
    let profile_program = chamado_profile::Program {
        display_name: "Kernel".into(),
        exe: r"%SystemRoot%\system32\kernel32.dll".into(),
        ..Default::default()
    };
    let p = program::probe(&profile_program).await.data.unwrap();
    assert_eq!(p.exe, format!(r"{windir}\system32\kernel32.dll"));
    assert!(p.exe_found);
    let v = p.file_version.expect("kernel32.dll has a version resource");
    assert!(
        v.file.split('.').count() == 4 && !v.file.starts_with("0."),
        "{v:?}"
    );
}

/// Central reads the program's version from a bundle through chamado-wire's view of the probe:
/// it finds the version `VendorProgram::version` shows, from the executable or an entry.
#[test]
fn another_machine_reads_the_version_the_report_shows() {
    let read = |p: &VendorProgram| {
        let probe = serde_json::json!({"data": p, "problems": [], "elapsed_ms": 1});
        let seen: chamado_wire::ProgramProbe = serde_json::from_value(probe).unwrap();
        seen.data.unwrap().version().map(str::to_owned)
    };
    let with_exe = vendor(vec![entry("8.4.0")], true);
    assert_eq!(read(&with_exe).as_deref(), Some("8.4.1.120"));
    assert_eq!(read(&with_exe).as_deref(), with_exe.version());
    let mut entries_only = vendor(vec![entry("8.4.0")], false);
    entries_only.file_version = None;
    assert_eq!(read(&entries_only).as_deref(), Some("8.4.0"));
    assert_eq!(read(&entries_only).as_deref(), entries_only.version());
}
