//! The window's commands for the Fila (queued tickets) and Meus chamados (the history), over
//! chamado-client; the background sender (`sender.rs`) does the delivering.

use std::sync::Arc;

use chamado_client::{EnrolError, Enrolment, Outbox, OutboxError, SendError, Sent};
use tauri::ipc::Channel;

use crate::gui::{AppState, CommandError};
use crate::sender::{self, DeliveryEvent, Queue, QueueItem, Sender};

fn outbox(sender: &Sender) -> Result<Outbox, CommandError> {
    Outbox::open(sender.data_dir()).map_err(CommandError::from)
}

impl From<OutboxError> for CommandError {
    fn from(e: OutboxError) -> Self {
        tracing::warn!("outbox: {e}");
        match e {
            OutboxError::NotFound(_) => CommandError::NotQueued,
            OutboxError::Storage { .. }
            | OutboxError::Damaged { .. }
            | OutboxError::Unreadable { .. } => CommandError::Storage,
        }
    }
}

/// The UI's channel for state changes and progress.
#[tauri::command]
pub fn delivery_events(sender: tauri::State<'_, Arc<Sender>>, channel: Channel<DeliveryEvent>) {
    sender.subscribe(move |e| {
        // A closed page: the next one subscribes again.
        let _ = channel.send(e);
    });
}

/// The Fila, read from disk (tickets the command line queued too). Opening it also wakes the
/// sender, which may have been asleep until a later due time.
#[tauri::command]
pub fn outbox_list(sender: tauri::State<'_, Arc<Sender>>) -> Result<Queue, CommandError> {
    let outbox = outbox(&sender)?;
    let items = outbox
        .list()?
        .into_iter()
        .map(|entry| QueueItem {
            delivery: sender::delivery_of(&entry),
            total: sender::bundle_size(&outbox, &entry),
            entry,
        })
        .collect();
    sender.poke();
    Ok(Queue {
        enrolled: sender::central(sender.data_dir()).is_some(),
        items,
    })
}

/// "Enviar agora": the ticket is due at once (a refused one is tried again) and the sender wakes.
#[tauri::command]
pub fn outbox_send_now(
    sender: tauri::State<'_, Arc<Sender>>,
    id: String,
) -> Result<(), CommandError> {
    let outbox = outbox(&sender)?;
    // Not while a sender is writing the same files; it will be done in a moment.
    let _lock = outbox.try_sender_lock()?.ok_or(CommandError::Busy)?;
    outbox.requeue(&id)?;
    sender.poke();
    Ok(())
}

/// "Excluir", after the user confirmed.
#[tauri::command]
pub fn outbox_delete(
    sender: tauri::State<'_, Arc<Sender>>,
    id: String,
) -> Result<(), CommandError> {
    let outbox = outbox(&sender)?;
    let _lock = outbox.try_sender_lock()?.ok_or(CommandError::Busy)?;
    outbox.delete(&id)?;
    tracing::info!(%id, "queued ticket deleted by the user");
    Ok(())
}

/// Meus chamados as last known, newest first.
#[tauri::command]
pub fn history_list(sender: tauri::State<'_, Arc<Sender>>) -> Result<Vec<Sent>, CommandError> {
    Ok(outbox(&sender)?.history()?)
}

/// Meus chamados with each ticket's status read again from central.
#[tauri::command]
pub async fn history_refresh(
    sender: tauri::State<'_, Arc<Sender>>,
) -> Result<Vec<Sent>, CommandError> {
    let outbox = outbox(&sender)?;
    let central = sender::central(sender.data_dir()).ok_or(CommandError::NotEnrolled)?;
    for sent in outbox.history()? {
        match central.ticket(&sent.reference).await {
            Ok(answer) => outbox.refresh(&answer)?,
            Err(SendError::Unauthorized) => return Err(CommandError::NotEnrolled),
            Err(SendError::Retry { reason, .. }) => {
                tracing::info!("history refresh: central unreachable: {reason}");
                return Err(CommandError::Offline);
            }
            // One ticket central no longer knows keeps its last status.
            Err(e) => tracing::warn!(reference = %sent.reference, "status not refreshed: {e}"),
        }
    }
    Ok(outbox.history()?)
}

/// Text the user adds to one of their sent tickets (Meus chamados): queued like a ticket, on disk
/// before any network I/O, then the sender takes it. Answers the Fila entry's id.
#[tauri::command]
pub fn add_information(
    sender: tauri::State<'_, Arc<Sender>>,
    reference: String,
    text: String,
) -> Result<String, CommandError> {
    if text.trim().is_empty() {
        return Err(CommandError::EmptyMessage);
    }
    let outbox = outbox(&sender)?;
    let sent = outbox
        .history()?
        .into_iter()
        .find(|s| s.reference == reference)
        .ok_or(CommandError::NoSuchTicket)?;
    let entry = outbox.enqueue_message(sent.reference, sent.number, text, &[], None)?;
    tracing::info!(id = %entry.id, "information queued for a sent ticket");
    sender.poke();
    Ok(entry.id)
}

/// Opens a sent ticket's follow link in the browser. The UI names the ticket, not the URL.
#[tauri::command]
pub fn open_ticket_link(
    sender: tauri::State<'_, Arc<Sender>>,
    reference: String,
) -> Result<(), CommandError> {
    let link = outbox(&sender)?
        .history()?
        .into_iter()
        .find(|s| s.reference == reference)
        .and_then(|s| s.link)
        .ok_or(CommandError::NoLink)?;
    crate::gui::open_in_browser(&link)
}

/// The enrolment code the user typed (the Fila asks for it while this computer is not enrolled),
/// exchanged at the profile's central; the tickets kept for want of it go at once.
#[tauri::command]
pub async fn enrol(
    state: tauri::State<'_, AppState>,
    sender: tauri::State<'_, Arc<Sender>>,
    code: String,
) -> Result<(), CommandError> {
    let central = state.central_url().ok_or(CommandError::NoCentral)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(CommandError::CodeRefused);
    }
    match Enrolment::enrol(sender.data_dir(), central, code).await {
        Ok(_) => {
            tracing::info!("enrolled with the code the user typed");
            sender.poke();
            Ok(())
        }
        Err(e) => Err(enrol_failure(e)),
    }
}

/// What the Fila says when enrolling failed: the code (refused for good) or the network.
fn enrol_failure(e: EnrolError) -> CommandError {
    match e {
        EnrolError::Central(SendError::Refused { .. } | SendError::Unauthorized) => {
            tracing::info!("enrolment code refused: {e}");
            CommandError::CodeRefused
        }
        EnrolError::Central(e) => {
            tracing::info!("enrolment: central unreachable: {e}");
            CommandError::Offline
        }
        EnrolError::Save(e) => {
            tracing::warn!("enrolment not saved: {e}");
            CommandError::Storage
        }
    }
}
