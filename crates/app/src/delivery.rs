//! Where each queued entry stands, as the Fila and the command line show it: stored states and
//! attempts mapped to codes (never to texts), once.

use chamado_client::{Attempt, DamagedEntry, Entry, EntryState, Outbox, Payload, SendError};
use serde::Serialize;
use ts_rs::TS;

/// What an entry delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Ticket,
    /// Information added to a sent ticket.
    Message,
    /// A technician's bundle for a ticket given by phone.
    TechnicianBundle,
}

impl EntryKind {
    pub fn of(entry: &Entry) -> EntryKind {
        match entry.payload {
            Payload::Ticket(_) => EntryKind::Ticket,
            Payload::Message(_) => EntryKind::Message,
            Payload::TechnicianBundle(_) => EntryKind::TechnicianBundle,
        }
    }
}

/// Why central refused an entry for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefusedCode {
    /// This installation is not enrolled (or its token was revoked).
    NotEnrolled,
    /// A field is wrong (400).
    Invalid,
    /// Over central's size limit (413).
    TooLarge,
    /// The ticket's key was used for another ticket, or it is closed (409, 422).
    Conflict,
    /// Any other refusal: `reason` is central's.
    Refused,
}

impl RefusedCode {
    fn of(status: u16, code: &str) -> RefusedCode {
        match (status, code) {
            (401, _) | (_, "unauthorized") => RefusedCode::NotEnrolled,
            (413, _) | (_, "too_large") => RefusedCode::TooLarge,
            (409 | 422, _) | (_, "conflict" | "unprocessable") => RefusedCode::Conflict,
            (400, _) | (_, "invalid") => RefusedCode::Invalid,
            _ => RefusedCode::Refused,
        }
    }
}

/// Why an entry waits for its next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WaitingCode {
    /// Central unreachable or busy.
    Offline,
    /// A file to send could not be read.
    Bundle,
}

/// Where one queued entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// Not tried yet.
    Queued,
    /// Going out now: `sent` bytes of its files' `total`.
    Sending {
        #[ts(type = "number")]
        sent: u64,
        #[ts(type = "number")]
        total: u64,
    },
    /// Central has it (a ticket leaves the Fila for Meus chamados).
    Delivered {
        reference: String,
        number: Option<String>,
        link: Option<String>,
    },
    /// Kept until the user deletes it or sends it again; `reason` is central's message.
    Refused {
        status: u16,
        code: RefusedCode,
        reason: String,
    },
    /// Will be tried again at `next_attempt_at` (RFC 3339), or sooner if the network comes back.
    Waiting {
        code: WaitingCode,
        next_attempt_at: Option<String>,
        reason: String,
    },
}

impl Delivery {
    /// A stored entry's state: refusals kept as refused, failed attempts waiting.
    pub fn of(entry: &Entry) -> Delivery {
        match &entry.state {
            EntryState::Refused { status, reason } => Delivery::Refused {
                status: *status,
                code: RefusedCode::of(*status, ""),
                reason: reason.clone(),
            },
            EntryState::Queued if entry.attempts == 0 => Delivery::Queued,
            EntryState::Queued => Delivery::Waiting {
                code: WaitingCode::Offline,
                next_attempt_at: entry.next_attempt_at.clone(),
                reason: entry.last_error.clone().unwrap_or_default(),
            },
        }
    }

    /// After an attempt; `entry` is the entry as stored after it (for the next attempt's time).
    pub fn after(attempt: &Attempt, entry: Option<Entry>) -> Delivery {
        match attempt {
            Attempt::Delivered(a) => Delivery::Delivered {
                reference: a.reference.clone(),
                number: a.number.clone(),
                link: a.link.clone(),
            },
            // Information added to a ticket: its link is the ticket's, in the history.
            Attempt::Added { reference, number } => Delivery::Delivered {
                reference: reference.clone(),
                number: number.clone(),
                link: None,
            },
            Attempt::Later(e) => Delivery::Waiting {
                code: match e {
                    SendError::Bundle(_) => WaitingCode::Bundle,
                    _ => WaitingCode::Offline,
                },
                next_attempt_at: entry.and_then(|e| e.next_attempt_at),
                reason: e.to_string(),
            },
            Attempt::Refused(SendError::Refused {
                status,
                code,
                message,
            }) => Delivery::Refused {
                status: *status,
                code: RefusedCode::of(*status, code),
                reason: message.clone(),
            },
            Attempt::Refused(other) => Delivery::Refused {
                status: 401,
                code: RefusedCode::NotEnrolled,
                reason: other.to_string(),
            },
        }
    }

    /// Stable, for logs and the command line's JSON.
    pub fn outcome(&self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Sending { .. } => "sending",
            Delivery::Delivered { .. } => "delivered",
            Delivery::Refused { .. } => "refused",
            Delivery::Waiting { .. } => "waiting",
        }
    }
}

/// A state change or progress of one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeliveryEvent {
    pub id: String,
    pub kind: EntryKind,
    pub delivery: Delivery,
}

/// One entry of the Fila.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueueItem {
    pub entry: Entry,
    pub kind: EntryKind,
    pub delivery: Delivery,
    /// The bytes its files upload (bundle and attachments): what progress counts up to.
    #[ts(type = "number")]
    pub total: u64,
}

/// The Fila: the queued entries, and whether this installation can send at all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Queue {
    pub enrolled: bool,
    pub items: Vec<QueueItem>,
    /// Entries that could not be read, set aside (kept on disk) with why.
    pub damaged: Vec<DamagedEntry>,
}

impl Queue {
    /// The outbox as the Fila and `chamado outbox list` show it; listing sets damaged entries
    /// aside first, so they are among `damaged`.
    pub fn read(outbox: &Outbox, enrolled: bool) -> Result<Queue, crate::AppError> {
        let items = outbox
            .list()?
            .into_iter()
            .map(|entry| QueueItem::of(outbox, entry))
            .collect();
        Ok(Queue {
            enrolled,
            items,
            damaged: outbox.damaged()?,
        })
    }
}

impl QueueItem {
    pub fn of(outbox: &Outbox, entry: Entry) -> QueueItem {
        QueueItem {
            kind: EntryKind::of(&entry),
            delivery: Delivery::of(&entry),
            total: outbox.upload_bytes(&entry),
            entry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_client::TicketAnswer;

    fn entry(state: EntryState, attempts: u32) -> Entry {
        Entry {
            id: "20260101-000000-abcdef".into(),
            idempotency_key: "k".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            payload: Payload::Ticket(Default::default()),
            has_bundle: false,
            state,
            attempts,
            next_attempt_at: Some("2026-01-01T00:05:00Z".into()),
            last_error: Some("connection refused".into()),
        }
    }

    #[test]
    fn stored_states_map_to_what_the_fila_shows() {
        assert_eq!(
            Delivery::of(&entry(EntryState::Queued, 0)),
            Delivery::Queued
        );
        assert_eq!(
            Delivery::of(&entry(EntryState::Queued, 2)),
            Delivery::Waiting {
                code: WaitingCode::Offline,
                next_attempt_at: Some("2026-01-01T00:05:00Z".into()),
                reason: "connection refused".into(),
            }
        );
        let not_enrolled = EntryState::Refused {
            status: 401,
            reason: "x".into(),
        };
        assert!(matches!(
            Delivery::of(&entry(not_enrolled, 1)),
            Delivery::Refused {
                code: RefusedCode::NotEnrolled,
                ..
            }
        ));
    }

    #[test]
    fn attempts_map_to_codes_not_texts() {
        let refused = Attempt::Refused(SendError::Refused {
            status: 400,
            code: "invalid".into(),
            message: "ticket.contact.email: not an e-mail".into(),
        });
        assert_eq!(
            Delivery::after(&refused, None),
            Delivery::Refused {
                status: 400,
                code: RefusedCode::Invalid,
                reason: "ticket.contact.email: not an e-mail".into(),
            }
        );
        let too_large = Attempt::Refused(SendError::Refused {
            status: 413,
            code: "too_large".into(),
            message: "bundle".into(),
        });
        assert!(matches!(
            Delivery::after(&too_large, None),
            Delivery::Refused {
                code: RefusedCode::TooLarge,
                ..
            }
        ));
        let unauthorized = Attempt::Refused(SendError::Unauthorized);
        assert!(matches!(
            Delivery::after(&unauthorized, None),
            Delivery::Refused {
                status: 401,
                code: RefusedCode::NotEnrolled,
                ..
            }
        ));
        let later = Attempt::Later(SendError::Bundle("gone".into()));
        assert!(matches!(
            Delivery::after(&later, Some(entry(EntryState::Queued, 1))),
            Delivery::Waiting {
                code: WaitingCode::Bundle,
                next_attempt_at: Some(_),
                ..
            }
        ));
        let delivered = Attempt::Delivered(TicketAnswer {
            reference: "R-1".into(),
            number: Some("123456".into()),
            link: Some("https://central/t/1".into()),
            status: "open".into(),
        });
        assert!(matches!(
            Delivery::after(&delivered, None),
            Delivery::Delivered { number: Some(n), .. } if n == "123456"
        ));
        let json = serde_json::to_value(Delivery::after(&refused, None)).unwrap();
        assert_eq!(json["code"], "invalid");
        assert_eq!(json["state"], "refused");
    }
}
