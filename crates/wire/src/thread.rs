//! A ticket's thread as central answers it (`GET /v1/tickets/{reference}`): the customer's
//! messages, a technician's bundles and the support's replies, oldest first. In standalone mode
//! the vendor replies with `chamado-central admin reply`; forwarding, central fills the thread
//! with the osTicket analysts' public replies. Bodies are plain text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ticket::TicketAnswer;

/// Who wrote a message. An author this version does not know (a newer central's) is kept as it
/// came, so an older app still reads the thread.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    /// The customer: the ticket's first message and the information added later.
    Customer,
    /// The vendor's support: a reply.
    Staff,
    /// A technician's bundle and its note.
    Technician,
    #[serde(untagged)]
    Other(String),
}

impl MessageAuthor {
    /// The code on the wire and in central's database.
    pub fn as_str(&self) -> &str {
        match self {
            MessageAuthor::Customer => "customer",
            MessageAuthor::Staff => "staff",
            MessageAuthor::Technician => "technician",
            MessageAuthor::Other(s) => s,
        }
    }
}

/// Lenient, as reading one from the wire: an unknown code is kept as [`MessageAuthor::Other`].
impl From<&str> for MessageAuthor {
    fn from(s: &str) -> Self {
        match s {
            "customer" => MessageAuthor::Customer,
            "staff" => MessageAuthor::Staff,
            "technician" => MessageAuthor::Technician,
            other => MessageAuthor::Other(other.to_owned()),
        }
    }
}

/// A file of a message: its name as stored (see `names`), `bundle` or `attachment`, its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ThreadFile {
    pub kind: String,
    pub name: String,
    #[ts(type = "number")]
    pub size: i64,
}

/// One message of a ticket's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ThreadMessage {
    /// Central's id: grows with each message of the installation's tickets.
    #[ts(type = "number")]
    pub id: i64,
    // The UI's `MessageAuthor` names the three codes it knows (not a doc comment: it would go
    // into the app's TypeScript).
    #[ts(type = "MessageAuthor")]
    pub author: MessageAuthor,
    /// Plain text, never HTML; line breaks as typed.
    #[serde(default)]
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
    #[serde(default)]
    pub attachments: Vec<ThreadFile>,
}

/// What central answers for one ticket: the answer every route gives, when it last changed and
/// its thread. (Central's answer has more: see its OpenAPI document.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    #[serde(flatten)]
    pub answer: TicketAnswer,
    /// RFC 3339; a new message or status changes it. Absent: an older central.
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub thread: Vec<ThreadMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_reads_as_central_writes_it_and_an_unknown_author_is_kept() {
        let json = r#"{"reference":"R-1","number":"482913","link":null,"status":"answered",
            "topic":"erro","summary":"s","created_at":"2026-12-07T01:00:00Z",
            "updated_at":"2026-12-07T01:05:00Z","thread":[
            {"id":1,"author":"customer","body":"Não sai","created_at":"2026-12-07T01:00:00Z",
             "attachments":[{"kind":"bundle","name":"pacote.zip","size":10}]},
            {"id":2,"author":"staff","body":"Linha 1\nLinha 2","created_at":"2026-12-07T01:05:00Z","attachments":[]},
            {"id":3,"author":"robot","body":"x","created_at":"2026-12-07T01:06:00Z"}]}"#;
        let d: TicketDetail = serde_json::from_str(json).unwrap();
        assert_eq!(d.answer.number.as_deref(), Some("482913"));
        assert_eq!(d.updated_at.as_deref(), Some("2026-12-07T01:05:00Z"));
        assert_eq!(d.thread[0].attachments[0].name, "pacote.zip");
        assert_eq!(d.thread[1].author, MessageAuthor::Staff);
        assert_eq!(d.thread[1].body, "Linha 1\nLinha 2");
        assert_eq!(d.thread[2].author, MessageAuthor::Other("robot".into()));
        // Written back as it came.
        let again = serde_json::to_value(&d.thread[2]).unwrap();
        assert_eq!(again["author"], "robot");
        assert_eq!(
            serde_json::to_value(&d.thread[1]).unwrap()["author"],
            "staff"
        );
        // An older central: no thread, no updated_at.
        let old: TicketDetail = serde_json::from_str(
            r#"{"reference":"R-1","number":null,"link":null,"status":"open"}"#,
        )
        .unwrap();
        assert!(old.thread.is_empty() && old.updated_at.is_none());
    }
}
