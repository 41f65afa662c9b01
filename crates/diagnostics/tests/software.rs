//! The software probe: decoding recorded lists, real captures, and the real probe here.

mod support;

use chamado_diagnostics::software::{
    self, decode_dpkg, decode_qfe, decode_uninstall, install_date, QfeRaw, UninstallRaw, View,
};
use support::capture::{reg_fixture, text, wmi_fixture, RegKey};

fn fixture() -> Vec<UninstallRaw> {
    let path = format!(
        "{}/tests/fixtures/windows/uninstall-win10.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn install_dates_in_every_format_seen() {
    assert_eq!(install_date("20261122").as_deref(), Some("2026-11-22"));
    assert_eq!(
        install_date("2026115").as_deref(),
        Some("2026-01-15"),
        "YYYYMDD"
    );
    assert_eq!(
        install_date("3/14/2023").as_deref(),
        Some("2023-03-14"),
        "M/D/YYYY"
    );
    assert_eq!(install_date(" 12/1/2024 ").as_deref(), Some("2024-12-01"));
    for bad in [
        "",
        "not a date",
        "20261332",
        "2026",
        "14/3/2023",
        "19000101",
    ] {
        assert_eq!(install_date(bad), None, "{bad}");
    }
}

#[test]
fn the_list_a_person_recognises() {
    let sw = decode_uninstall(&fixture());
    let names: Vec<_> = sw.programs.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "7-Zip 23.01 (x64)",
            "AnyDesk",
            "Avast Free Antivirus",
            "Firebird 3.0.10.33601 (Win32)",
            "Kaspersky Endpoint Security para Windows",
            "Printer Reset Tool",
            "Sistema de Gestão",
        ],
        "no patches, system components or nameless keys; the same program in two views once"
    );
    let by_name = |n: &str| sw.programs.iter().find(|p| p.name == n).unwrap();
    assert_eq!(
        by_name("Sistema de Gestão").installed.as_deref(),
        Some("2026-01-15")
    );
    assert_eq!(
        by_name("AnyDesk").installed.as_deref(),
        Some("2026-11-23"),
        "the key's date when InstallDate is unreadable"
    );
    assert_eq!(
        by_name("7-Zip 23.01 (x64)").installed.as_deref(),
        Some("2024-03-02")
    );
    let security: Vec<_> = sw
        .programs
        .iter()
        .filter(|p| p.security)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        security,
        [
            "Avast Free Antivirus",
            "Kaspersky Endpoint Security para Windows"
        ]
    );
}

#[test]
fn what_was_installed_recently_newest_first() {
    let sw = decode_uninstall(&fixture());
    let recent: Vec<_> = sw
        .installed_since("2026-11-17")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        recent,
        ["AnyDesk", "Kaspersky Endpoint Security para Windows"]
    );
}

#[test]
fn debian_packages_dated_by_dpkg_log() {
    let status = "Package: clamav\nStatus: install ok installed\nVersion: 1.0.7+dfsg-1\nMaintainer: ClamAV Team <x@example.org>\n\n\
                  Package: old\nStatus: deinstall ok config-files\nVersion: 1\n\n\
                  Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\n";
    let log = "2026-11-20 10:00:00 install clamav:amd64 <none> 1.0.7+dfsg-1\n2026-11-21 09:00:00 status installed clamav:amd64 1.0.7\n2025-01-02 08:00:00 upgrade curl:amd64 7.88.1-9 7.88.1-10\n";
    let sw = decode_dpkg(status, log);
    let got: Vec<_> = sw
        .programs
        .iter()
        .map(|p| (p.name.as_str(), p.installed.as_deref(), p.security))
        .collect();
    assert_eq!(
        got,
        [
            ("clamav", Some("2026-11-20"), true),
            ("curl", Some("2025-01-02"), false)
        ]
    );
}

/// What the Windows collector reads, from a regedit export of Uninstall keys.
fn uninstall_raw(keys: &[RegKey]) -> Vec<UninstallRaw> {
    keys.iter()
        .filter(|k| {
            let lower = k.path.to_lowercase();
            lower
                .rsplit_once(r"\uninstall\")
                .is_some_and(|(_, name)| !name.contains('\\'))
        })
        .map(|k| UninstallRaw {
            view: if k.path.to_lowercase().contains("wow6432node") {
                View::Machine32
            } else {
                View::Machine64
            },
            key_name: k.path.rsplit('\\').next().unwrap().to_owned(),
            display_name: k.str("DisplayName").map(str::to_owned),
            display_version: k.str("DisplayVersion").map(str::to_owned),
            publisher: k.str("Publisher").map(str::to_owned),
            install_date: k.str("InstallDate").map(str::to_owned),
            system_component: k.dword("SystemComponent"),
            release_type: k.str("ReleaseType").map(str::to_owned),
            parent_key_name: k.str("ParentKeyName").map(str::to_owned),
            last_write: None,
        })
        .collect()
}

#[test]
fn real_uninstall_lists_with_non_ascii_names() {
    let sw = decode_uninstall(&uninstall_raw(&reg_fixture(
        "registry/10_russian-Uninstall.reg",
    )));
    let names: Vec<_> = sw.programs.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"КриптоПро CSP"), "{names:?}");
    assert!(names.contains(&"1C Предприятие 7.7"), "{names:?}");
    assert!(sw
        .programs
        .iter()
        .any(|p| p.installed.as_deref() == Some("2021-07-24")));

    let sw = decode_uninstall(&uninstall_raw(&reg_fixture("registry/mssql-Uninstall.reg")));
    let sql = sw
        .programs
        .iter()
        .find(|p| p.name == "Microsoft SQL Server 2017")
        .expect("SQL Server listed");
    // Its entry has no InstallDate, and a regedit export has no key dates: no date, not a guess.
    assert_eq!(sql.installed, None);
    let dated: Vec<_> = sw
        .programs
        .iter()
        .filter_map(|p| p.installed.as_deref())
        .collect();
    assert_eq!(dated.len(), 2, "{dated:?}");
    assert!(dated.contains(&"2017-05-02") && dated.contains(&"2017-06-22"));
    assert!(!sw.programs.iter().any(|p| p.security));
}

#[tokio::test]
async fn the_probe_runs_on_this_machine() {
    let probe = software::probe().await;
    assert!(probe.problems.is_empty(), "{:?}", probe.problems);
    let sw = probe.data.expect("software data");
    #[cfg(target_os = "linux")]
    {
        // A Debian system: dpkg knows its packages, dpkg itself among them (whatever else this
        // machine has installed).
        assert!(sw.programs.len() > 50, "{}", sw.programs.len());
        assert!(sw.programs.iter().any(|p| p.name == "dpkg"));
    }
    for p in &sw.programs {
        assert!(!p.name.trim().is_empty());
        if let Some(d) = &p.installed {
            assert!(d.len() == 10 && d.as_bytes()[4] == b'-', "{d}");
        }
    }
}

fn qfe(id: &str, kind: &str, on: &str) -> QfeRaw {
    QfeRaw {
        hot_fix_id: Some(id.into()),
        description: Some(kind.into()),
        installed_on: Some(on.into()),
        service_pack_in_effect: None,
    }
}

#[test]
fn windows_updates_keep_kb_numbers_newest_first() {
    // As Windows 10 22H2 lists them, with an old FILETIME-style date and a non-KB entry.
    let rows = [
        qfe("KB5031988", "Update", "11/14/2026"),
        qfe("KB5032189", "Security Update", "11/22/2026"),
        qfe("KB5015684", "Update", "01d8a5b4c3e2f100"),
        qfe("Q147222", "", ""),
        qfe("KB5032189", "Security Update", "11/22/2026"),
    ];
    let updates = decode_qfe(&rows);
    let got: Vec<_> = updates
        .iter()
        .map(|u| (u.id.as_str(), u.kind.as_deref(), u.installed.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("KB5032189", Some("Security Update"), Some("2026-11-22")),
            ("KB5031988", Some("Update"), Some("2026-11-14")),
            ("KB5015684", Some("Update"), Some("2022-08-01")),
        ]
    );
}

/// Real capture: Windows XP's hotfix list (`File 1` ids with the KB in ServicePackInEffect).
#[test]
fn windows_xp_hotfix_list_is_decoded() {
    let rows: Vec<QfeRaw> = wmi_fixture("wmi/xp-Win32_QuickFixEngineering.wmi")
        .iter()
        .map(|r| QfeRaw {
            hot_fix_id: text(r, "HotFixID").map(str::to_owned),
            description: text(r, "Description").map(str::to_owned),
            installed_on: text(r, "InstalledOn").map(str::to_owned),
            service_pack_in_effect: text(r, "ServicePackInEffect").map(str::to_owned),
        })
        .collect();
    let updates = decode_qfe(&rows);
    assert!(updates.len() >= 12, "{updates:?}");
    assert!(updates.iter().all(|u| u.id.starts_with("KB")));
    assert!(
        updates.iter().any(|u| u.id == "KB2079403"),
        "from ServicePackInEffect"
    );
    assert!(updates
        .iter()
        .any(|u| u.installed.as_deref() == Some("2011-01-15")));
}
