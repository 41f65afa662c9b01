//! Remote-access IDs read from samples of each program's file in its recorded format (AnyDesk's
//! `system.conf` as Windows writes it, CRLF; RustDesk's TOML; TeamViewer's Linux `global.conf`).

use chamado_diagnostics::remote::{
    anydesk_id, rustdesk_id, teamviewer_conf_id, teamviewer_id, RemoteId, RemoteVendor,
};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/remote/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn anydesk_id_from_system_conf() {
    assert_eq!(
        anydesk_id(&fixture("anydesk-system.conf")).as_deref(),
        Some("123456789")
    );
    // Not yet connected to the network: no ID line, or an empty one.
    assert_eq!(anydesk_id("ad.anynet.alias=\nad.anynet.id=\n"), None);
    assert_eq!(anydesk_id(""), None);
    // Never another key that merely ends the same way.
    assert_eq!(anydesk_id("ad.anynet.id_old=111222333\n"), None);
    assert_eq!(anydesk_id("ad.anynet.id=12ab\n"), None);
}

#[test]
fn rustdesk_id_from_its_toml() {
    assert_eq!(
        rustdesk_id(&fixture("RustDesk.toml")).as_deref(),
        Some("987654321")
    );
    assert_eq!(
        rustdesk_id("id = \"meu_pc-01\"\n").as_deref(),
        Some("meu_pc-01")
    );
    assert_eq!(rustdesk_id("id = ''\n"), None);
    // `id` inside a section is something else.
    assert_eq!(
        rustdesk_id("enc_id = ''\n[options]\nid = '555666777'\n"),
        None
    );
}

#[test]
fn teamviewer_id_from_the_registry_value_and_global_conf() {
    assert_eq!(teamviewer_id(1_234_567_890).as_deref(), Some("1234567890"));
    assert_eq!(teamviewer_id(0), None, "not yet assigned");
    assert_eq!(
        teamviewer_conf_id(&fixture("teamviewer-global.conf")).as_deref(),
        Some("1234567890"),
        "ClientID, not ClientIC"
    );
}

#[test]
fn the_analyst_reads_the_program_and_the_id() {
    let id = RemoteId {
        vendor: RemoteVendor::AnyDesk,
        id: "123456789".into(),
    };
    assert_eq!(id.to_string(), "AnyDesk 123456789");
    assert_eq!(
        serde_json::to_value(&id).unwrap(),
        serde_json::json!({"vendor": "anydesk", "id": "123456789"})
    );
}

#[test]
fn detection_on_this_computer_never_fails() {
    // Whatever is installed here: at most one per program, in a fixed order.
    let found = chamado_diagnostics::remote::detect();
    let mut vendors: Vec<_> = found.iter().map(|f| f.vendor).collect();
    vendors.dedup();
    assert_eq!(vendors.len(), found.len());
    assert!(vendors.windows(2).all(|w| w[0] < w[1]));
}
