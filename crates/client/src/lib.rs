//! Delivery from the app: a ticket is written to the outbox (atomically, with its idempotency key
//! and its bundle) before any network I/O; a sender delivers it to chamado-central with backoff,
//! honouring Retry-After, and the same key makes a retry return the same ticket, never a second
//! one. A ticket central refuses for good stays, with the reason. Sent tickets go to the history.
//! Knows nothing of Tauri; the app and the command line share it.

pub mod atomic;
pub mod backoff;
pub mod central;
mod enrolment;
pub mod outbox;
mod sender_lock;
mod token;

pub use central::{
    keep_web_link, web_link, Central, ListedTicket, MessageAnswer, SendError, TechnicianAnswer,
    TechnicianTarget, TicketAnswer, TicketDetail, TicketList,
};
pub use enrolment::{machine_name, EnrolError, Enrolment};
pub use outbox::{
    Attempt, Contact, DamagedEntry, Entry, EntryState, NewMessage, NewTicket, Outbox, OutboxError,
    Payload, Replies, Sent, ThreadMessage, TicketStatus,
};
pub use sender_lock::SenderLock;
pub use token::TokenStore;
