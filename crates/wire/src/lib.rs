//! What crosses machines, and only that: the types one side writes and another side (another
//! program, another version, another computer) reads. The app sends a ticket and reads central's
//! answers; central reads the bundle's `manifest.json` and, from its `diagnostics.json`, the
//! findings, what changed and the vendor program's version.
//!
//! The rule: a type belongs here only if it is serialized on one machine and deserialized on
//! another. Types with no I/O: no files, no network, no clock; serde and ts-rs derives, and small
//! pure helpers (a change described as a sentence, a status's code, which URLs are this machine,
//! the file names both sides store and show: `names`).
//! Producers (the probes, the
//! bundle's writer, central's database) stay in their crates and re-export these at their old
//! paths.
//!
//! Changing a field's name or meaning here changes a format that machines already in the field
//! read: old apps keep talking to a newer central, and bundles written today are read later.
//! Adding an optional field is safe; readers ignore what they do not know.

pub mod bundle;
pub mod names;
pub mod net;
pub mod notice;
pub mod report;
pub mod thread;
pub mod ticket;

pub use bundle::{
    BundleContact, BundleTicket, LeftOut, Manifest, ManifestItem, RedactedCount, MANIFEST,
    MANIFEST_FORMAT,
};
pub use notice::{is_topic_id, Notice, NoticeList, Resolved, ResolvedHow};
pub use report::{
    Change, DiagnosticsDigest, FileVersionSeen, Finding, InstalledSeen, ProgramProbe, ProgramSeen,
    Severity, WhatChanged,
};
pub use thread::{MessageAuthor, ThreadFile, ThreadMessage, TicketDetail};
pub use ticket::{
    Contact, MessageAnswer, NewMessage, NewTicket, NewTicketOf, TechnicianAnswer, TechnicianTarget,
    TicketAnswer, TicketStatus,
};

/// Missing or `null` text reads as empty: the reader (central) then says "is required" naming
/// the field, rather than failing the whole document.
pub(crate) fn text_or_empty<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    use serde::Deserialize as _;
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}
