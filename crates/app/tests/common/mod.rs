//! What the app's tests share: a real chamado-central in the test process.
pub use chamado_testkit::central::Central;

use chamado_client::{Contact, NewTicket};

/// A filled ticket of the "erro" topic, as the tests queue them.
#[allow(dead_code)] // not every test file queues tickets
pub fn ticket(summary: &str) -> NewTicket {
    NewTicket {
        topic: "erro".into(),
        summary: summary.into(),
        description: "O sistema fecha ao emitir nota.".into(),
        contact: Contact {
            name: "Ana".into(),
            email: "ana@cliente.com.br".into(),
            phone: None,
        },
        ..NewTicket::default()
    }
}

/// A temporary folder with a real central (`central/`) and the app's data (`app/`) enrolled with
/// it: the folder (kept while the test runs), the app's data, central's data, central.
#[allow(dead_code)] // not every test file enrols
pub async fn enrolled() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    Central,
) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("app");
    let data = dir.path().join("central");
    let central = Central::start(&data, None).await;
    let code = central.code().await;
    chamado_app::enrol::enrol(&home, &central.url, &code)
        .await
        .unwrap();
    (dir, home, data, central)
}
