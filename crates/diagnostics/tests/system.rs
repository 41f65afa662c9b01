//! The system probe: decoding recorded Windows values, and the real probe on this machine.

use chamado_diagnostics::system::{
    self, cim_datetime, decode_linux, decode_windows, LinuxRaw, OsFamily, WindowsRaw,
};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

fn windows_fixture(name: &str) -> WindowsRaw {
    let path = format!(
        "{}/tests/fixtures/windows/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn windows_10_22h2() {
    let s = decode_windows(&windows_fixture("system-win10-22h2.json"), now());
    assert_eq!(s.os_name, "Windows 10 Pro");
    assert_eq!(s.family, OsFamily::Windows);
    assert_eq!(s.version.as_deref(), Some("22H2"));
    assert_eq!(s.build.as_deref(), Some("19045.4529"));
    assert!(!s.server);
    assert_eq!(s.install_date.as_deref(), Some("2023-11-14T22:13:20Z"));
    // No WMI: the last boot comes from the uptime (26 h 3 min 4 s).
    assert_eq!(s.last_boot.as_deref(), Some("2026-11-23T09:56:56Z"));
    assert_eq!(s.uptime_s, Some(93784));
    assert_eq!(
        s.machine_name.as_ref().map(|n| n.expose().as_str()),
        Some("CAIXA-01")
    );
}

#[test]
fn windows_11_is_named_by_its_build_even_when_product_name_says_10() {
    let mut raw = windows_fixture("system-win11-23h2.json");
    let s = decode_windows(&raw, now());
    assert_eq!(s.os_name, "Windows 11 Pro");
    assert_eq!(s.build.as_deref(), Some("22631.4317"));
    // CIM date with a UTC-3 offset: 07:30 in Brasília is 10:30 UTC.
    assert_eq!(s.last_boot.as_deref(), Some("2026-11-24T10:30:05.5Z"));
    raw.caption = None;
    assert_eq!(
        decode_windows(&raw, now()).os_name,
        "Windows 11 Pro",
        "from the build rule alone"
    );
}

#[test]
fn servers_are_servers_and_never_windows_11() {
    let s = decode_windows(&windows_fixture("system-server-2022.json"), now());
    assert_eq!(s.os_name, "Windows Server 2022 Standard");
    assert!(s.server);
    assert_eq!(s.edition.as_deref(), Some("ServerStandard"));
    // Server 2025 is build 26100, above Windows 11's first build, and a server.
    let raw = WindowsRaw {
        product_name: Some("Windows Server 2025 Standard".into()),
        installation_type: Some("Server".into()),
        current_build: Some("26100".into()),
        display_version: Some("24H2".into()),
        ..WindowsRaw::default()
    };
    let s = decode_windows(&raw, now());
    assert_eq!(s.os_name, "Windows Server 2025 Standard");
    assert!(s.server);
    // A client whose ProductName says 10 on build 26100 is Windows 11 24H2.
    let raw = WindowsRaw {
        product_name: Some("Windows 10 Home".into()),
        installation_type: Some("Client".into()),
        current_build: Some("26100".into()),
        ..WindowsRaw::default()
    };
    assert_eq!(decode_windows(&raw, now()).os_name, "Windows 11 Home");
}

#[test]
fn old_windows_without_display_version_uses_release_id_or_nothing() {
    let raw = WindowsRaw {
        product_name: Some("Windows 10 Pro".into()),
        release_id: Some("1909".into()),
        current_build: Some("18363".into()),
        ..WindowsRaw::default()
    };
    let s = decode_windows(&raw, now());
    assert_eq!(s.version.as_deref(), Some("1909"));
    assert_eq!(s.build.as_deref(), Some("18363"));
    assert_eq!(s.last_boot, None);
}

#[test]
fn cim_datetimes() {
    assert_eq!(
        cim_datetime("20231115083012.500000-180")
            .map(|t| t.to_string())
            .as_deref(),
        Some("2023-11-15T11:30:12.5Z")
    );
    assert_eq!(
        cim_datetime("20110101000000.000000+060")
            .map(|t| t.to_string())
            .as_deref(),
        Some("2010-12-31T23:00:00Z")
    );
    for bad in [
        "",
        "2023",
        "20231115083012.500000x180",
        "2023111508301*.******-180",
        "20231345083012.500000+000",
    ] {
        assert_eq!(cim_datetime(bad), None, "{bad}");
    }
}

#[test]
fn linux_os_release_is_read_as_the_spec_says() {
    let raw = LinuxRaw {
        os_release: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n".into(),
        kernel: Some("6.1.0-27-amd64".into()),
        architecture: Some("x86_64".into()),
        boot_time_s: Some(1_795_500_000),
        uptime_s: Some(3600),
        ..LinuxRaw::default()
    };
    let s = decode_linux(&raw, now());
    assert_eq!(s.os_name, "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(s.version.as_deref(), Some("12"));
    assert_eq!(s.build.as_deref(), Some("6.1.0-27-amd64"));
    assert_eq!(s.last_boot.as_deref(), Some("2026-11-24T06:00:00Z"));
}

#[test]
fn personal_data_stays_out_of_debug_output() {
    let s = decode_windows(&windows_fixture("system-win10-22h2.json"), now());
    let debug = format!("{s:?}");
    assert!(
        !debug.contains("joao.silva") && !debug.contains("CAIXA-01") && !debug.contains("LOJA"),
        "{debug}"
    );
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.contains("joao.silva"),
        "the report the user reviews has it"
    );
}

/// The real probe on the machine running the tests (Linux in CI, Windows under Wine in the
/// Windows lane): checked for shape, since the values are this machine's.
#[tokio::test]
async fn the_probe_runs_on_this_machine() {
    let probe = system::probe().await;
    assert!(probe.problems.is_empty(), "{:?}", probe.problems);
    let s = probe.data.expect("system data");
    assert!(!s.os_name.trim().is_empty());
    assert!(s.build.as_deref().is_some_and(|b| !b.is_empty()));
    assert!(s.architecture.is_some());
    assert!(s.uptime_s.is_some_and(|u| u > 0));
    let boot: Timestamp = s.last_boot.as_deref().expect("last boot").parse().unwrap();
    assert!(boot < Timestamp::now());
    assert!(s.machine_name.is_some());
    #[cfg(target_os = "linux")]
    assert_eq!(s.family, OsFamily::Linux);
    #[cfg(windows)]
    {
        // Wine reports Windows 10 build 18362; a real machine some Windows.
        assert_eq!(s.family, OsFamily::Windows);
        assert!(s.os_name.starts_with("Windows"), "{}", s.os_name);
        assert!(s
            .build
            .as_deref()
            .unwrap()
            .chars()
            .next()
            .unwrap()
            .is_ascii_digit());
    }
}
