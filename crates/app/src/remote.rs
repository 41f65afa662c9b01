//! The remote-access ID offered in "Mostre para nós": found on this computer, sent only when the
//! customer ticked it (the draft keeps the exact ID the customer saw), as the ticket's field
//! `acesso_remoto` (`AnyDesk 123456789`), which the analyst reads beside the others.

use std::collections::BTreeMap;

use chamado_diagnostics::remote;
pub use chamado_diagnostics::remote::{RemoteId, RemoteVendor};

use crate::error::{AppError, ErrorCode};
use crate::ticket::TicketDraft;
use crate::App;

/// The ticket's field the ID goes into.
pub const FIELD: &str = "acesso_remoto";

impl App {
    /// The remote-access programs' IDs found on this computer (none: nothing to offer).
    pub async fn remote_access(&self) -> Result<Vec<RemoteId>, AppError> {
        tokio::task::spawn_blocking(remote::detect)
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
    }
}

/// The ID the customer ticked, into the ticket's fields (never over a topic's own field).
pub fn add_to_fields(draft: &TicketDraft, fields: &mut BTreeMap<String, String>) {
    if let Some(id) = &draft.remote_access {
        fields
            .entry(FIELD.to_owned())
            .or_insert_with(|| id.to_string());
    }
}
