//! Meus chamados: the sent tickets, found by number or reference, and refreshed from central in
//! one request for the whole history, with the support's replies: a ticket's thread is read
//! again only when central's list says it changed since (its `updated_at`), a few per refresh.

use std::path::Path;

use chamado_client::{ListedTicket, Outbox, Replies, SendError, Sent, TicketDetail};
use chamado_wire::MessageAuthor;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

/// Threads read per refresh at most (the rest at the next one): with the list, well within
/// central's default rate limit (30 at once, 120 a minute) at one refresh every 30 s.
pub const THREADS_PER_REFRESH: usize = 10;

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
/// or all), and the replies of those that changed. Central's list answers for the newest 500 at
/// once; an older one is asked for alone.
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
    let list = central.ticket_list().await.map_err(unreachable)?;
    let mut not_refreshed = Vec::new();
    let mut answers = Vec::new();
    let mut replies = Vec::new();
    // Tickets whose list entry changed first, then those never read: the user waits for the first.
    let mut stale: Vec<(&Sent, &ListedTicket)> = Vec::new();
    let mut alone: Vec<&Sent> = Vec::new();
    for sent in &history {
        match list
            .tickets
            .iter()
            .find(|t| t.answer.reference == sent.reference)
        {
            Some(t) => {
                answers.push(t.answer.clone());
                if t.updated_at.is_none() || t.updated_at != sent.replies_as_of {
                    stale.push((sent, t));
                }
            }
            None => alone.push(sent),
        }
    }
    stale.sort_by_key(|(s, _)| s.replies_as_of.is_none());
    for (sent, listed) in stale.into_iter().take(THREADS_PER_REFRESH) {
        match central.ticket_detail(&sent.reference).await {
            Ok(d) => replies.push(replies_of(
                &d,
                listed.updated_at.as_deref(),
                list.answered_at,
            )),
            Err(SendError::Unauthorized) => return Err(ErrorCode::NotEnrolled.into()),
            // Its status is in the list; its replies wait for the next refresh.
            Err(e) => tracing::info!(reference = %sent.reference, "replies not refreshed: {e}"),
        }
    }
    for sent in alone {
        match central.ticket_detail(&sent.reference).await {
            Ok(d) => {
                answers.push(d.answer.clone());
                replies.push(replies_of(&d, d.updated_at.as_deref(), None));
            }
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
    outbox.refresh_with_replies(&answers, &replies)?;
    Ok(Refreshed {
        tickets: outbox.history()?.into_iter().filter(picked).collect(),
        not_refreshed,
    })
}

/// The support's replies in a ticket's thread, current for `as_of` (central's `updated_at` the
/// list gave): central's times have whole seconds, so when its clock (`answered_at`) was still
/// in that second, another change may come with the same `updated_at`: read it again next time.
fn replies_of(
    detail: &TicketDetail,
    as_of: Option<&str>,
    answered_at: Option<jiff::Timestamp>,
) -> Replies {
    let as_of = as_of.filter(|at| {
        let at = at.parse::<jiff::Timestamp>().ok();
        match (at, answered_at) {
            (Some(at), Some(now)) => now.as_second() > at.as_second(),
            (Some(_), None) => true,
            (None, _) => false,
        }
    });
    Replies {
        reference: detail.answer.reference.clone(),
        replies: detail
            .thread
            .iter()
            .filter(|m| m.author == MessageAuthor::Staff)
            .cloned()
            .collect(),
        as_of: as_of.map(str::to_owned),
    }
}

/// The user saw the ticket's replies up to `reply` (an id) in Meus chamados.
pub fn mark_seen(data_dir: &Path, reference: &str, reply: i64) -> Result<(), AppError> {
    if Outbox::open(data_dir)?.mark_replies_seen(reference, reply)? {
        Ok(())
    } else {
        Err(ErrorCode::NoSuchTicket.into())
    }
}

fn unreachable(e: SendError) -> AppError {
    match e {
        SendError::Unauthorized => ErrorCode::NotEnrolled.into(),
        e => AppError::new(ErrorCode::Offline, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_client::{ThreadMessage, TicketAnswer, TicketStatus};

    fn detail() -> TicketDetail {
        let message = |id, author: &str| ThreadMessage {
            id,
            author: author.into(),
            body: format!("mensagem {id}"),
            created_at: "2026-12-07T01:00:00Z".into(),
            attachments: Vec::new(),
        };
        TicketDetail {
            answer: TicketAnswer {
                reference: "R-1".into(),
                number: Some("1".into()),
                link: None,
                status: TicketStatus::Answered,
            },
            updated_at: Some("2026-12-07T01:00:05Z".into()),
            thread: vec![
                message(1, "customer"),
                message(2, "staff"),
                message(3, "technician"),
                message(4, "robot"),
                message(5, "staff"),
            ],
        }
    }

    #[test]
    fn only_the_supports_replies_and_a_change_in_the_same_second_is_read_again() {
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let changed = Some("2026-12-07T01:00:05Z");
        let later = replies_of(&detail(), changed, Some(at("2026-12-07T01:00:06Z")));
        let ids: Vec<i64> = later.replies.iter().map(|m| m.id).collect();
        assert_eq!(ids, [2, 5]);
        assert_eq!(later.as_of.as_deref(), changed, "current for that change");
        // Central answered within the second of the change: another may follow with the same
        // `updated_at`, so the thread is not taken as current.
        let same = replies_of(&detail(), changed, Some(at("2026-12-07T01:00:05.900Z")));
        assert_eq!(same.as_of, None);
        assert_eq!(same.replies.len(), 2);
        // No clock from central (a proxy dropped `Date`): taken as current; no `updated_at`: not.
        assert_eq!(
            replies_of(&detail(), changed, None).as_of.as_deref(),
            changed
        );
        assert_eq!(replies_of(&detail(), None, None).as_of, None);
    }
}
