//! Meus chamados: the sent tickets, found by number or reference, and refreshed from central in
//! one request for the whole history.

use std::path::Path;

use chamado_client::{Outbox, SendError, Sent};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

/// Whether `wanted` (a number or central's reference, as the user typed it) names `sent`.
pub fn names(sent: &Sent, wanted: &str) -> bool {
    let wanted = wanted.trim();
    sent.reference == wanted || sent.number.as_deref() == Some(wanted)
}

/// The sent ticket `wanted` names.
pub fn find(outbox: &Outbox, wanted: &str) -> Result<Option<Sent>, AppError> {
    Ok(outbox.history()?.into_iter().find(|s| names(s, wanted)))
}

/// A ticket whose status could not be read again: it keeps its last known one.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NotRefreshed {
    pub reference: String,
    pub reason: String,
}

/// The history after a refresh, and the tickets central did not answer for.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Refreshed {
    pub tickets: Vec<Sent>,
    pub not_refreshed: Vec<NotRefreshed>,
}

/// Reads every sent ticket's number, link and status again from central (those `wanted` names,
/// or all). Central's list answers for the newest 500 at once; an older one is asked for alone.
pub async fn refresh(data_dir: &Path, wanted: Option<&str>) -> Result<Refreshed, AppError> {
    let outbox = Outbox::open(data_dir)?;
    let central = crate::enrol::central(data_dir)?.ok_or(ErrorCode::NotEnrolled)?;
    let picked = |s: &Sent| wanted.is_none_or(|w| names(s, w));
    let mut history: Vec<Sent> = outbox.history()?.into_iter().filter(picked).collect();
    // Read first: a damaged history is set aside and noted for rebuilding as it is read.
    if outbox.history_needs_rebuild() {
        // Central's list of this installation's tickets completes what could be read of it
        // (nothing is sent again for this).
        let listed = central.listed_tickets().await.map_err(unreachable)?;
        outbox.rebuild_history(&listed)?;
        tracing::info!(listed = listed.len(), "history rebuilt from central's list");
        history = outbox.history()?.into_iter().filter(picked).collect();
    }
    if history.is_empty() {
        return Ok(Refreshed {
            tickets: Vec::new(),
            not_refreshed: Vec::new(),
        });
    }
    let listed = central.tickets().await.map_err(unreachable)?;
    let mut not_refreshed = Vec::new();
    let mut answers = Vec::new();
    for sent in &history {
        let answer = match listed.iter().find(|a| a.reference == sent.reference) {
            Some(a) => Ok(a.clone()),
            None => central.ticket(&sent.reference).await,
        };
        match answer {
            Ok(a) => answers.push(a),
            Err(SendError::Unauthorized) => return Err(ErrorCode::NotEnrolled.into()),
            Err(e) => {
                tracing::info!(reference = %sent.reference, "status not refreshed: {e}");
                not_refreshed.push(NotRefreshed {
                    reference: sent.reference.clone(),
                    reason: e.to_string(),
                });
            }
        }
    }
    outbox.refresh_all(&answers)?;
    Ok(Refreshed {
        tickets: outbox.history()?.into_iter().filter(picked).collect(),
        not_refreshed,
    })
}

fn unreachable(e: SendError) -> AppError {
    match e {
        SendError::Unauthorized => ErrorCode::NotEnrolled.into(),
        e => AppError::new(ErrorCode::Offline, e.to_string()),
    }
}
