//! The one error that crosses into the UI: a code the UI decides on, and a message for logs and
//! the analyst (never shown as the user's explanation: the UI words each code itself).

use chamado_capture::RectProblem;
use serde::Serialize;
use ts_rs::TS;

/// What went wrong, as the UI acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The profile is broken: only the error screen can be shown.
    NoProfile,
    NoSuchGuide,
    /// No browser could be opened for a link.
    BrowserUnavailable,
    /// The data folder (outbox, history, drafts, screenshots) cannot be read or written.
    Storage,
    /// The entry is no longer queued (sent or deleted meanwhile).
    NotQueued,
    /// An outbox entry could not be read (not a full disk): it is set aside and shown apart.
    DamagedEntry,
    /// A delivery or a capture is under way; try again in a moment.
    Busy,
    NotEnrolled,
    /// Central cannot be reached, or is busy, now.
    Offline,
    /// The ticket has no follow link yet (or central gave one that is not http/https).
    NoLink,
    /// Central does not know the enrolment code (mistyped, used up, expired or revoked).
    CodeRefused,
    /// The profile names no chamado-central.
    NoCentral,
    EmptyMessage,
    /// The ticket is not in this installation's history.
    NoSuchTicket,
    NoSuchShot,
    /// A screenshot edit's rectangle is unusable: `field` and `problem` say which and why.
    EditRejected,
    /// What the user gave is not usable: `field` says which (`person.email`, `summary`,
    /// `fields.versao`).
    Invalid,
    /// The ticket's bundle is over the profile's budget even without its optional items.
    OverBudget,
    /// No bundle is prepared for review (or it is another ticket's): prepare it again.
    NoReview,
    /// A bug: the message says what.
    Internal,
}

/// The error of every window command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// The field at fault (`hide[1].x`), for `edit_rejected`.
    pub field: Option<String>,
    pub problem: Option<RectProblem>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
            field: None,
            problem: None,
        }
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> AppError {
        AppError::new(code, format!("{code:?}"))
    }
}

impl From<chamado_client::OutboxError> for AppError {
    fn from(e: chamado_client::OutboxError) -> AppError {
        use chamado_client::OutboxError as E;
        tracing::warn!("outbox: {e}");
        let code = match e {
            E::NotFound(_) => ErrorCode::NotQueued,
            E::Damaged { .. } => ErrorCode::DamagedEntry,
            E::Storage { .. } | E::Unreadable { .. } => ErrorCode::Storage,
        };
        AppError::new(code, e.to_string())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;
