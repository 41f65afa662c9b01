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
