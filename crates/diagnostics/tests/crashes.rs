//! The crashes probe: event XML recorded from the Application log, coredumpctl's list, and the
//! real probe here.

use chamado_diagnostics::crashes::{
    self, decode_coredumps, decode_event_xml, vendor_first, CrashKind,
};

fn event(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/windows/events/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn application_error_1000_is_read_by_its_named_fields() {
    let e = decode_event_xml(&event("win10-22h2-1000.xml")).unwrap();
    assert_eq!(e.kind, CrashKind::Crash);
    assert_eq!(e.time, "2026-11-20T14:03:11Z");
    assert_eq!(e.app, "Gestao.exe");
    assert_eq!(e.app_version.as_deref(), Some("8.4.1.120"));
    assert_eq!(e.module.as_deref(), Some("ntdll.dll"));
    assert_eq!(e.exception.as_deref(), Some("0xc0000005"));
    assert_eq!(
        e.app_path.as_deref(),
        Some(r"C:\Program Files (x86)\Sistema de Gestão\Gestao.exe")
    );
}

#[test]
fn windows_7_writes_the_same_fields_unnamed() {
    let e = decode_event_xml(&event("win7-1000-unnamed.xml")).unwrap();
    assert_eq!(e.app, "EXCEL.EXE");
    assert_eq!(e.module.as_deref(), Some("mso.dll"));
    assert_eq!(e.exception.as_deref(), Some("0xc0000005"));
    assert_eq!(
        e.app_path.as_deref(),
        Some(r"C:\Program Files\Microsoft Office\Office14\EXCEL.EXE")
    );
}

#[test]
fn error_reporting_1001_tells_hangs_from_crashes() {
    let hang = decode_event_xml(&event("win11-23h2-1001-hang.xml")).unwrap();
    assert_eq!(hang.kind, CrashKind::Hang);
    assert_eq!(hang.app, "Gestao.exe");
    assert_eq!(hang.app_version.as_deref(), Some("8.4.1.120"));
    assert_eq!(hang.module, None, "a hang has no faulting module");
    let crash = decode_event_xml(&event("win11-23h2-1001-appcrash.xml")).unwrap();
    assert_eq!(crash.kind, CrashKind::Report);
    assert_eq!(crash.module.as_deref(), Some("fbclient.dll"));
    assert_eq!(crash.exception.as_deref(), Some("0xc0000005"));
}

#[test]
fn dotnet_1026_in_portuguese_gives_program_and_exception() {
    let e = decode_event_xml(&event("server-2022-1026-dotnet.xml")).unwrap();
    assert_eq!(e.kind, CrashKind::DotNet);
    assert_eq!(e.app, "Gestao.Relatorios.exe");
    assert_eq!(
        e.exception.as_deref(),
        Some("System.Data.SqlClient.SqlException")
    );
    assert_eq!(e.time, "2026-11-21T11:30:00Z");
}

#[test]
fn other_events_and_broken_xml_are_not_crashes() {
    assert_eq!(decode_event_xml(&event("win10-22h2-other.xml")), None);
    assert_eq!(decode_event_xml("<Event><System>"), None);
    assert_eq!(decode_event_xml(""), None);
}

#[test]
fn the_vendor_programs_crashes_come_first_then_newest() {
    let mut events: Vec<_> = [
        "win7-1000-unnamed.xml",
        "win10-22h2-1000.xml",
        "server-2022-1026-dotnet.xml",
        "win11-23h2-1001-hang.xml",
    ]
    .iter()
    .map(|f| decode_event_xml(&event(f)).unwrap())
    .collect();
    vendor_first(
        &mut events,
        Some(r"%ProgramFiles%\Sistema de Gestão\GESTAO.EXE"),
    );
    let order: Vec<_> = events
        .iter()
        .map(|e| (e.app.as_str(), e.vendor_program))
        .collect();
    assert_eq!(
        order,
        [
            ("Gestao.exe", true),
            ("Gestao.exe", true),
            ("Gestao.Relatorios.exe", false),
            ("EXCEL.EXE", false),
        ]
    );
    assert_eq!(events[0].kind, CrashKind::Hang, "newest first");
}

#[test]
fn coredumpctl_list_is_decoded() {
    // `coredumpctl list --json=short` (systemd 252).
    let json = r#"[{"time":1763800000123456,"pid":4242,"uid":1000,"gid":1000,"sig":11,"corefile":"present","exe":"/opt/gestao/bin/gestao","size":1843200},
                   {"time":1763810000000000,"pid":4300,"uid":1000,"gid":1000,"sig":6,"corefile":"missing","exe":"/usr/bin/python3.11","size":null}]"#;
    let events = decode_coredumps(json).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].app, "gestao");
    assert_eq!(events[0].exception.as_deref(), Some("SIGSEGV"));
    assert_eq!(events[0].kind, CrashKind::CoreDump);
    assert!(events[0].time.starts_with("2025-11-22T"));
    assert_eq!(events[1].exception.as_deref(), Some("SIGABRT"));
    assert!(decode_coredumps("not json").is_err());
}

/// The real probe: on Linux without systemd-coredump it says so; with it, the list (maybe
/// empty); under Wine the event log answers or the probe says why. Never both silent and empty.
#[tokio::test]
async fn the_real_probe_answers_or_says_why() {
    let probe = crashes::probe(Some("Gestao.exe")).await;
    match &probe.data {
        Some(c) => {
            assert!(["windows-event-log", "systemd-coredump"].contains(&c.source.as_str()));
            assert_eq!(c.days, crashes::DAYS);
            assert!(c.events.len() <= crashes::MAX_EVENTS);
            for e in &c.events {
                assert!(!e.app.is_empty());
                assert!(e.time.ends_with('Z'), "{}", e.time);
            }
        }
        None => assert!(!probe.problems.is_empty(), "no data and no reason"),
    }
}
