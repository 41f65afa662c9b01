//! What the vendor's admin deploys with: the systemd unit is valid and sandboxed (systemd's own
//! checker), and the container's default configuration is one central accepts.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_chamado-central");
const DEPLOY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy");

/// The unit, its ExecStart pointing at the binary under test (verify checks it is executable).
fn unit_under_test(dir: &std::path::Path) -> std::path::PathBuf {
    let unit = std::fs::read_to_string(format!("{DEPLOY}/chamado-central.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/chamado-central serve --config "));
    let path = dir.join("chamado-central.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/chamado-central", BIN)).unwrap();
    path
}

#[test]
fn the_systemd_unit_is_valid_and_sandboxed() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_under_test(dir.path());
    let verify = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&unit)
        .output()
        .expect("systemd-analyze (Debian package systemd; tools/lib.sh installs it)");
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success() && said.trim().is_empty(), "{said}");
    // Exposure 0 (sandboxed) to 10 (none): systemd rates "OK" up to 4.9; this unit is about 1.2.
    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--threshold=20"])
        .arg(&unit)
        .output()
        .unwrap();
    assert!(
        security.status.success(),
        "the unit's exposure is over 2.0:\n{}",
        String::from_utf8_lossy(&security.stdout)
    );
}

#[test]
fn the_container_s_configuration_is_accepted() {
    let file = std::fs::read_to_string(format!("{DEPLOY}/Containerfile")).unwrap();
    let line = file
        .lines()
        .find(|l| l.contains("> /etc/chamado-central/central.toml"))
        .expect("the Containerfile writes a default configuration");
    let toml = line
        .split("printf '")
        .nth(1)
        .and_then(|l| l.split('\'').next())
        .unwrap()
        .replace("\\n", "\n")
        .replace("/data", "DATA");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("central.toml");
    let data = dir.path().join("data");
    std::fs::write(&config, toml.replace("DATA", &data.display().to_string())).unwrap();
    // The admin command reads the same configuration as serve and opens the database.
    let out = Command::new(BIN)
        .args(["admin", "--config"])
        .arg(&config)
        .arg("installations")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("central.sqlite3").exists());
}
