//! "What changed": snapshots, their store, and the comparison with the last time things worked.

use std::collections::BTreeMap;

use chamado_diagnostics::snapshot::{diff, Change, Snapshot, SnapshotStore, SNAPSHOT_FORMAT};

fn snapshot(taken_at: &str, good: bool, programs: &[(&str, &str)], security: &[&str]) -> Snapshot {
    Snapshot {
        format: SNAPSHOT_FORMAT,
        taken_at: taken_at.into(),
        good,
        os: Some("Windows 11 Pro 22631.4317".into()),
        programs: programs
            .iter()
            .map(|(n, v)| (n.to_string(), Some(v.to_string())))
            .collect(),
        security: security.iter().map(|s| s.to_string()).collect(),
        firewall: BTreeMap::from([
            ("public".to_string(), Some(false)),
            ("private".to_string(), Some(false)),
        ]),
        vendor_program: Some("8.4.1".into()),
        network: BTreeMap::new(),
        proxy: None,
    }
}

#[test]
fn the_usual_causes_show_up_as_changes() {
    let before = snapshot(
        "2026-11-01T10:00:00-03:00",
        true,
        &[
            ("Sistema de Gestão", "8.4.1"),
            ("7-Zip", "23.01"),
            ("Old Tool", "1"),
        ],
        &[],
    );
    let mut now = snapshot(
        "2026-11-24T10:00:00-03:00",
        false,
        &[
            ("Sistema de Gestão", "8.4.2"),
            ("7-Zip", "23.01"),
            ("Kaspersky Endpoint Security", "12.3"),
            ("AnyDesk", "8.0"),
        ],
        &["Kaspersky Endpoint Security"],
    );
    now.firewall.insert("public".into(), Some(true));
    now.os = Some("Windows 11 Pro 22631.4460".into());
    now.vendor_program = Some("8.4.2".into());
    let changes = diff(&before, &now);
    assert_eq!(
        changes,
        [
            Change::SecurityProductAdded {
                name: "Kaspersky Endpoint Security".into(),
                version: Some("12.3".into())
            },
            Change::ProgramAdded {
                name: "AnyDesk".into(),
                version: Some("8.0".into())
            },
            Change::ProgramUpdated {
                name: "Sistema de Gestão".into(),
                from: Some("8.4.1".into()),
                to: Some("8.4.2".into())
            },
            Change::ProgramRemoved {
                name: "Old Tool".into()
            },
            Change::FirewallChanged {
                profile: "public".into(),
                from: Some(false),
                to: Some(true)
            },
            Change::OsChanged {
                from: Some("Windows 11 Pro 22631.4317".into()),
                to: Some("Windows 11 Pro 22631.4460".into())
            },
            Change::VendorProgramChanged {
                from: Some("8.4.1".into()),
                to: Some("8.4.2".into())
            },
        ]
    );
    assert_eq!(
        changes[4].describe().pt_br,
        "Firewall (public): desativado → ativado"
    );
    assert_eq!(
        changes[0].describe().en,
        "New security program: Kaspersky Endpoint Security"
    );
}

#[test]
fn a_failed_probe_is_not_everything_removed() {
    let before = snapshot("2026-11-01T10:00:00Z", true, &[("7-Zip", "23.01")], &[]);
    let mut now = snapshot("2026-11-24T10:00:00Z", false, &[], &[]);
    now.firewall.clear();
    now.vendor_program = None;
    assert_eq!(diff(&before, &now), []);
}

#[test]
fn the_reference_is_the_last_good_snapshot_else_the_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path().join("snapshots"));
    assert_eq!(store.reference(), None);
    store
        .save(&snapshot("2026-11-01T10:00:00Z", false, &[("a", "1")], &[]))
        .unwrap();
    assert_eq!(
        store.reference().unwrap().taken_at,
        "2026-11-01T10:00:00Z",
        "the baseline"
    );
    store
        .save(&snapshot("2026-11-10T10:00:00Z", true, &[("a", "2")], &[]))
        .unwrap();
    store
        .save(&snapshot("2026-11-20T10:00:00Z", false, &[("a", "3")], &[]))
        .unwrap();
    assert_eq!(
        store.reference().unwrap().taken_at,
        "2026-11-10T10:00:00Z",
        "the last good one"
    );
    // Two in the same second keep their order.
    store
        .save(&snapshot("2026-11-20T10:00:00Z", true, &[("a", "4")], &[]))
        .unwrap();
    assert_eq!(
        store.reference().unwrap().programs["a"].as_deref(),
        Some("4")
    );
}

#[test]
fn damaged_files_are_skipped_and_old_ordinary_snapshots_pruned() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("snapshots");
    let store = SnapshotStore::new(&dir);
    store
        .save(&snapshot("2026-01-01T00:00:00Z", false, &[], &[]))
        .unwrap();
    store
        .save(&snapshot("2026-01-02T00:00:00Z", true, &[], &[]))
        .unwrap();
    for day in 3..=30 {
        store
            .save(&snapshot(
                &format!("2026-01-{day:02}T00:00:00Z"),
                false,
                &[],
                &[],
            ))
            .unwrap();
    }
    std::fs::write(dir.join("99999999999999-000.json"), b"{ half a file").unwrap();
    let all = store.list();
    assert_eq!(all.len(), 22, "baseline + the good one + the last 20");
    assert_eq!(all[0].taken_at, "2026-01-01T00:00:00Z");
    assert!(all[1].good);
    assert_eq!(all.last().unwrap().taken_at, "2026-01-30T00:00:00Z");
    assert!(std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .all(|e| e.path().extension().unwrap() != "tmp"));
}
