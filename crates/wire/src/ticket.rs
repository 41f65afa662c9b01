//! The ticket and central's answers: what the app sends to `/v1/tickets`, `/v1/tickets/{ref}/
//! messages` and `/v1/technician/bundles`, and what central answers. Central parses requests
//! with these same types, then validates (required, lengths, e-mail) naming the field: so a
//! missing or `null` text reads as empty here, and central says it is required.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::text_or_empty;

/// A ticket as the user filled it in, with field values of type `V`. The app sends text
/// ([`NewTicket`]); central reads any JSON value and accepts text, numbers and true/false (the
/// API's promise to other clients), refusing the rest naming the field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(bound(deserialize = "V: Deserialize<'de>"))]
#[ts(rename = "NewTicket", concrete(V = String))]
pub struct NewTicketOf<V> {
    #[serde(default, deserialize_with = "text_or_empty")]
    pub topic: String,
    #[serde(default, deserialize_with = "text_or_empty")]
    pub summary: String,
    #[serde(default, deserialize_with = "text_or_empty")]
    pub description: String,
    // Missing or `null`: an empty contact (central refuses it as missing). Not a doc comment:
    // it would go into the app's TypeScript.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub contact: Contact,
    pub module: Option<String>,
    #[serde(default, deserialize_with = "text_or_empty")]
    pub fields: BTreeMap<String, V>,
    // The priority the profile's rules gave the urgency answers; absent from older apps and
    // from the command line, where the help desk's default applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<chamado_profile::Priority>,
}

/// A ticket as the app sends it: every field's value is text.
pub type NewTicket = NewTicketOf<String>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Contact {
    #[serde(default, deserialize_with = "text_or_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "text_or_empty")]
    pub email: String,
    pub phone: Option<String>,
}

impl Contact {
    /// No name, no e-mail, no phone: what a missing contact reads as.
    pub fn is_empty(&self) -> bool {
        *self == Contact::default()
    }
}

/// Information for one of this installation's open tickets (from the history). On the wire
/// (the `message` part) only `body` is sent; the rest is the outbox's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewMessage {
    /// Central's reference of the ticket.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub reference: String,
    /// The help desk's number, when known (for the user's eyes).
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default, deserialize_with = "text_or_empty")]
    pub body: String,
    /// The attached files' names, in order; their copies are `attachments/0`, `1`...
    #[serde(default, deserialize_with = "text_or_empty")]
    pub attachments: Vec<String>,
}

/// The ticket a technician's bundle is for: its number (given by phone) and its e-mail, which
/// central checks against the ticket's; the note goes into the ticket's thread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TechnicianTarget {
    #[serde(default, deserialize_with = "text_or_empty")]
    pub number: String,
    #[serde(default, deserialize_with = "text_or_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A ticket's status. `Open`: waiting for the vendor; `Answered`: the vendor replied; `Closed`.
/// A status this version does not know (a newer central's) is kept as it came, so an older
/// app still reads the answer and its history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Open,
    Answered,
    Closed,
    #[serde(untagged)]
    Other(String),
}

impl TicketStatus {
    /// The code on the wire and in the database: `open`, `answered`, `closed`.
    pub fn as_str(&self) -> &str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::Closed => "closed",
            TicketStatus::Other(s) => s,
        }
    }
}

impl std::fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`: widths and alignment apply (`{:<9}` in a table).
        f.pad(self.as_str())
    }
}

/// Strict: only the three statuses (a command line's or a query's value).
impl std::str::FromStr for TicketStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "open" => Ok(TicketStatus::Open),
            "answered" => Ok(TicketStatus::Answered),
            "closed" => Ok(TicketStatus::Closed),
            _ => Err(format!("`{s}` is not a status (open, answered, closed)")),
        }
    }
}

/// Lenient, as reading one from the wire: an unknown code is kept as [`TicketStatus::Other`].
impl From<&str> for TicketStatus {
    fn from(s: &str) -> Self {
        s.parse()
            .unwrap_or_else(|_| TicketStatus::Other(s.to_owned()))
    }
}

/// What central answers for a ticket: its reference at once, the help desk's number and follow
/// link as soon as they exist. (Central's answer has more: see its OpenAPI document.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketAnswer {
    pub reference: String,
    pub number: Option<String>,
    pub link: Option<String>,
    pub status: TicketStatus,
}

/// What central answers for information added to a ticket: the message's id in its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageAnswer {
    pub id: i64,
}

/// What central answers for a technician's bundle: the ticket it was attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TechnicianAnswer {
    pub reference: String,
    pub number: Option<String>,
    pub message: i64,
}
