//! The window's commands for the Fila (queued tickets) and Meus chamados (the history), over
//! chamado-client; the background sender (`sender.rs`) does the delivering.

use std::sync::Arc;

use chamado_client::{Outbox, OutboxError, SendError, Sent};
use tauri::ipc::Channel;

use crate::gui::CommandError;
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
