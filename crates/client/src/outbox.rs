//! The outbox, in the app's data folder: one folder per entry (`entry.json`, its `bundle.zip`,
//! its `attachments/`), committed by renaming a finished `.partial` folder, so an entry is either
//! wholly queued or not at all, whatever happens to the power. An entry is a new ticket,
//! information added to an open ticket, or a technician's bundle for a ticket given by phone;
//! all go out through the same sender with their own idempotency key. Delivered tickets move to
//! `history.json`; refused entries stay with the reason until the user deletes them.
//!
//! One damaged entry (its `entry.json` truncated or missing) never stops the others: it is set
//! aside in `outbox/.damaged/` with its reason (never deleted) and listed apart; stray files
//! (`desktop.ini`) are ignored. A damaged `history.json` is kept aside and rebuilt: the tickets
//! still readable in it, then central's list of this installation's tickets. An entry central
//! has taken gets a `delivered.json` at once, so nothing after that (the history, the removal)
//! can make it upload again.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::atomic;
use crate::backoff;
use crate::central::{Central, SendError, TechnicianTarget, TicketAnswer};
use crate::sender_lock::SenderLock;

// The ticket crosses machines (central parses it with the same types): it lives in
// chamado-wire, re-exported here at its old paths.
pub use chamado_wire::{Contact, NewMessage, NewTicket, ThreadMessage, TicketStatus};

/// What an entry delivers. Serialized as one key beside the entry's other fields (`"ticket"`,
/// `"message"` or `"technician_bundle"`), so that entries queued before there were kinds, which
/// all have `"ticket"`, read as tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    /// A new ticket, with its bundle when `has_bundle`.
    Ticket(NewTicket),
    /// Information added to an open ticket; the bundle (when `has_bundle`) goes as one more file.
    Message(NewMessage),
    /// A technician's bundle (always there) for a ticket given by phone.
    TechnicianBundle(TechnicianTarget),
}

impl Payload {
    /// Stable, for lists and the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Ticket(_) => "ticket",
            Payload::Message(_) => "message",
            Payload::TechnicianBundle(_) => "technician_bundle",
        }
    }
}

/// The file name a bundle added to an open ticket has in its thread.
pub const MESSAGE_BUNDLE_NAME: &str = "pacote-diagnostico.zip";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be sent (again).
    Queued,
    /// Central refused it for good; kept with the reason until the user deletes it.
    Refused { status: u16, reason: String },
}

/// A queued entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Entry {
    /// Sortable: `YYYYMMDD-HHMMSS-xxxxxx`.
    pub id: String,
    /// Sent with every attempt: central takes the ticket once whatever the retries.
    pub idempotency_key: String,
    /// RFC 3339.
    pub created_at: String,
    #[serde(flatten)]
    pub payload: Payload,
    pub has_bundle: bool,
    pub state: EntryState,
    pub attempts: u32,
    /// RFC 3339; `None`: as soon as possible.
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
}

impl Entry {
    /// When the sender may try it next (`None`: at once).
    pub fn next_attempt(&self) -> Option<jiff::Timestamp> {
        self.next_attempt_at.as_deref().and_then(|t| t.parse().ok())
    }

    /// Queued and its next attempt has come.
    pub fn is_due(&self, now: jiff::Timestamp) -> bool {
        self.state == EntryState::Queued && self.next_attempt().is_none_or(|t| t <= now)
    }
}

/// A delivered ticket, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Sent {
    pub reference: String,
    pub number: Option<String>,
    pub link: Option<String>,
    /// `open`, `answered`, `closed` (history files hold the code). The UI's `TicketStatus` names
    /// these three; a newer central's status arrives as its code and is shown as in progress.
    #[ts(type = "TicketStatus")]
    pub status: TicketStatus,
    pub topic: String,
    pub summary: String,
    /// RFC 3339: when it was delivered.
    pub sent_at: String,
    /// RFC 3339: when its status was last read from central.
    pub updated_at: String,
    /// The support's replies, oldest first, as central last gave them: readable offline.
    #[serde(default)]
    pub replies: Vec<ThreadMessage>,
    /// The newest reply the user has seen (its id); newer ones are new to them.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub seen_reply: Option<i64>,
    /// Central's `updated_at` the replies were read at: a listing with another reads them again
    /// (`None`: to be read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub replies_as_of: Option<String>,
}

/// A ticket's replies read from central, for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replies {
    pub reference: String,
    pub replies: Vec<ThreadMessage>,
    /// Central's `updated_at` they are current for; `None` when that is not sure (read again).
    pub as_of: Option<String>,
}

/// An outbox entry that could not be read, set aside in `outbox/.damaged/` (never deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DamagedEntry {
    /// Its folder's name (the entry's id, when it was one).
    pub id: String,
    /// Why it could not be read: a technical detail the Fila shows under its own wording.
    pub reason: String,
    /// Where it is kept now.
    pub path: String,
    /// RFC 3339; empty when its note was lost.
    pub set_aside_at: String,
}

/// What central answered for an entry, kept in its folder until the entry is gone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Done {
    Delivered {
        answer: TicketAnswer,
    },
    Added {
        reference: String,
        number: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// The data folder is full, read-only or gone: nothing was queued; the caller keeps the text.
    #[error("the outbox at {path} cannot be written: {source}")]
    Storage {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no queued ticket {0}")]
    NotFound(String),
    /// A file the user gave (bundle, attachment) cannot be read: nothing was queued.
    #[error("{path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the outbox entry {path} is damaged: {detail}")]
    Damaged { path: PathBuf, detail: String },
}

impl OutboxError {
    /// Stable, for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            OutboxError::Storage { .. } => "storage",
            OutboxError::NotFound(_) => "not_found",
            OutboxError::Unreadable { .. } => "unreadable_file",
            OutboxError::Damaged { .. } => "damaged",
        }
    }
}

/// What happened to one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// A new ticket was taken.
    Delivered(TicketAnswer),
    /// Information (or a technician's bundle) was added to the ticket `reference`.
    Added {
        reference: String,
        number: Option<String>,
    },
    /// Still queued; the next attempt is not before `next_attempt_at`.
    Later(SendError),
    /// Kept as refused (or needs enrolment), with the reason.
    Refused(SendError),
}

pub struct Outbox {
    dir: PathBuf,
    history: PathBuf,
    /// Damaged entries the last listing could not move aside (a file held open on Windows):
    /// still shown as damaged, and moved next time.
    stuck: std::sync::Mutex<Vec<DamagedEntry>>,
}

const ENTRY: &str = "entry.json";
const BUNDLE: &str = "bundle.zip";
const ATTACHMENTS: &str = "attachments";
/// Central has it: what it answered (see [`Done`]).
const DELIVERED: &str = "delivered.json";
/// Damaged entries, set aside. A dot name: older versions skip it as they skip `.partial`.
const DAMAGED: &str = ".damaged";
const DAMAGED_NOTE: &str = "damaged.json";
/// Beside `history.json`: it was damaged and set aside; central's list completes it.
const HISTORY_REBUILD: &str = "history.rebuild";

/// The history is read, changed and written whole: the sender (a delivery), a refresh and
/// "seen" in one process take turns, so none writes over what another just wrote.
static HISTORY_WRITE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn storage(path: &Path) -> impl Fn(std::io::Error) -> OutboxError + '_ {
    move |source| OutboxError::Storage {
        path: path.to_owned(),
        source,
    }
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

impl Outbox {
    /// The outbox under `data_dir` (`outbox/` and `history.json`).
    pub fn open(data_dir: &Path) -> Result<Outbox, OutboxError> {
        let dir = data_dir.join("outbox");
        std::fs::create_dir_all(&dir).map_err(storage(&dir))?;
        let outbox = Outbox {
            dir,
            history: data_dir.join("history.json"),
            stuck: std::sync::Mutex::default(),
        };
        outbox.sweep();
        Ok(outbox)
    }

    /// Queues a ticket (with a copy of its bundle) before anything touches the network. On
    /// error nothing is queued and nothing is left behind.
    pub fn enqueue(&self, ticket: NewTicket, bundle: Option<&Path>) -> Result<Entry, OutboxError> {
        self.enqueue_payload(Payload::Ticket(ticket), bundle, &[])
    }

    /// Queues information for an open ticket: the text, copies of `files` (their names kept)
    /// and of a new bundle.
    pub fn enqueue_message(
        &self,
        reference: String,
        number: Option<String>,
        body: String,
        files: &[PathBuf],
        bundle: Option<&Path>,
    ) -> Result<Entry, OutboxError> {
        let attachments = files
            .iter()
            .map(|f| {
                f.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "anexo".to_owned())
            })
            .collect();
        let message = NewMessage {
            reference,
            number,
            body,
            attachments,
        };
        self.enqueue_payload(Payload::Message(message), bundle, files)
    }

    /// Queues a technician's bundle for the ticket `target` names.
    pub fn enqueue_technician(
        &self,
        target: TechnicianTarget,
        bundle: &Path,
    ) -> Result<Entry, OutboxError> {
        self.enqueue_payload(Payload::TechnicianBundle(target), Some(bundle), &[])
    }

    /// Every user's file is checked readable first (a clear error naming it, nothing queued);
    /// then the entry is written in a `.partial` folder and committed by a rename.
    fn enqueue_payload(
        &self,
        payload: Payload,
        bundle: Option<&Path>,
        files: &[PathBuf],
    ) -> Result<Entry, OutboxError> {
        for path in bundle.into_iter().chain(files.iter().map(PathBuf::as_path)) {
            let readable = std::fs::File::open(path).and_then(|f| {
                if f.metadata()?.is_file() {
                    Ok(())
                } else {
                    Err(std::io::Error::other("not a file"))
                }
            });
            readable.map_err(|source| OutboxError::Unreadable {
                path: path.to_owned(),
                source,
            })?;
        }
        let created = now();
        let id = format!("{}-{}", created.strftime("%Y%m%d-%H%M%S"), random_hex(3));
        let entry = Entry {
            id: id.clone(),
            idempotency_key: random_hex(16),
            created_at: created.to_string(),
            payload,
            has_bundle: bundle.is_some(),
            state: EntryState::Queued,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
        };
        let partial = self.dir.join(format!(".{id}.partial"));
        let copy = |src: &Path, dst: &Path| -> std::io::Result<()> {
            std::fs::copy(src, dst)?;
            // Opened for writing: Windows flushes only through a handle that may write.
            std::fs::OpenOptions::new()
                .write(true)
                .open(dst)?
                .sync_all()
        };
        let result = (|| {
            std::fs::create_dir(&partial)?;
            if let Some(src) = bundle {
                copy(src, &partial.join(BUNDLE))?;
            }
            if !files.is_empty() {
                let dir = partial.join(ATTACHMENTS);
                std::fs::create_dir(&dir)?;
                for (i, src) in files.iter().enumerate() {
                    copy(src, &dir.join(i.to_string()))?;
                }
                atomic::sync_dir(&dir)?;
            }
            atomic::write(&partial.join(ENTRY), &to_json(&entry))?;
            std::fs::rename(&partial, self.dir.join(&id))?;
            atomic::sync_dir(&self.dir)
        })();
        match result {
            Ok(()) => Ok(entry),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&partial);
                Err(OutboxError::Storage {
                    path: self.dir.clone(),
                    source: e,
                })
            }
        }
    }

    /// Every queued or refused entry, oldest first. Unfinished `.partial` folders (a crash
    /// while queueing) are not tickets, nor are stray files (`desktop.ini`); a damaged entry is
    /// set aside (see [`Outbox::damaged`]) and the others listed.
    pub fn list(&self) -> Result<Vec<Entry>, OutboxError> {
        let mut out = Vec::new();
        self.stuck.lock().unwrap_or_else(|e| e.into_inner()).clear();
        for dirent in std::fs::read_dir(&self.dir).map_err(storage(&self.dir))? {
            let dirent = dirent.map_err(storage(&self.dir))?;
            let name = dirent.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !dirent.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            match self.get(&name) {
                Ok(entry) => out.push(entry),
                // Delivered or deleted by another process since the folder was listed.
                Err(OutboxError::NotFound(_)) if !dirent.path().exists() => {}
                Err(OutboxError::NotFound(_)) => self.set_aside(&name, "entry.json is missing"),
                Err(OutboxError::Damaged { detail, .. }) => self.set_aside(&name, &detail),
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Moves a damaged entry's folder into `.damaged/` with a note of why; on failure it stays
    /// where it is (and is set aside again next time), the others go on all the same.
    fn set_aside(&self, name: &str, reason: &str) {
        let aside = self.dir.join(DAMAGED);
        let result = (|| {
            std::fs::create_dir_all(&aside)?;
            let mut target = aside.join(name);
            let mut n = 1;
            while target.exists() {
                target = aside.join(format!("{name}-{n}"));
                n += 1;
            }
            std::fs::rename(self.dir.join(name), &target)?;
            atomic::sync_dir(&self.dir)?;
            let note = DamagedEntry {
                id: name.to_owned(),
                reason: reason.to_owned(),
                path: target.to_string_lossy().into_owned(),
                set_aside_at: now().to_string(),
            };
            atomic::write(&target.join(DAMAGED_NOTE), &to_json(&note))
        })();
        match result {
            Ok(()) => tracing::warn!(entry = name, "damaged outbox entry set aside: {reason}"),
            Err(e) => {
                tracing::warn!(
                    entry = name,
                    "damaged outbox entry ({reason}) not set aside: {e}"
                );
                let here = self.dir.join(name);
                if here.exists() {
                    self.stuck
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(DamagedEntry {
                            id: name.to_owned(),
                            reason: reason.to_owned(),
                            path: here.to_string_lossy().into_owned(),
                            set_aside_at: String::new(),
                        });
                }
            }
        }
    }

    /// The entries set aside as damaged, oldest first (with those the last [`Outbox::list`]
    /// found damaged but could not move).
    pub fn damaged(&self) -> Result<Vec<DamagedEntry>, OutboxError> {
        let aside = self.dir.join(DAMAGED);
        let mut out = self.stuck.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let read = match std::fs::read_dir(&aside) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            // The Fila is still shown, with what could be said.
            Err(e) => {
                tracing::warn!("{} cannot be read: {e}", aside.display());
                return Ok(out);
            }
        };
        for dirent in read.flatten() {
            if !dirent.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let path = dirent.path();
            let note = std::fs::read(path.join(DAMAGED_NOTE))
                .ok()
                .and_then(|b| serde_json::from_slice::<DamagedEntry>(&b).ok());
            out.push(note.unwrap_or_else(|| DamagedEntry {
                id: dirent.file_name().to_string_lossy().into_owned(),
                reason: "set aside as damaged; the note of why was lost".to_owned(),
                path: path.to_string_lossy().into_owned(),
                set_aside_at: String::new(),
            }));
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    pub fn get(&self, id: &str) -> Result<Entry, OutboxError> {
        let path = self.dir.join(id).join(ENTRY);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OutboxError::NotFound(id.to_owned()))
            }
            Err(e) => return Err(storage(&path)(e)),
        };
        let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| OutboxError::Damaged {
            path: path.clone(),
            detail: format!("entry.json cannot be read: {e}"),
        })?;
        if entry.id != id {
            // Its files would be looked for in another folder.
            return Err(OutboxError::Damaged {
                path,
                detail: format!("entry.json names {}, not its folder", entry.id),
            });
        }
        Ok(entry)
    }

    /// The user's choice: a queued or refused ticket is deleted.
    pub fn delete(&self, id: &str) -> Result<(), OutboxError> {
        self.get(id)?;
        self.remove(id)
    }

    /// Takes an entry out in one step (a rename) before deleting its files, so that a crash
    /// midway never leaves half an entry that looks queued.
    fn remove(&self, id: &str) -> Result<(), OutboxError> {
        let gone = self.dir.join(format!(".{id}.gone"));
        std::fs::rename(self.dir.join(id), &gone).map_err(storage(&self.dir))?;
        atomic::sync_dir(&self.dir).map_err(storage(&self.dir))?;
        let _ = std::fs::remove_dir_all(&gone);
        Ok(())
    }

    /// The user's "send now" on one ticket: queued again and due at once, a refused one too
    /// (e.g. after enrolling, or once the vendor fixed what central refused).
    pub fn requeue(&self, id: &str) -> Result<Entry, OutboxError> {
        let mut entry = self.get(id)?;
        entry.state = EntryState::Queued;
        entry.next_attempt_at = None;
        self.save(&entry)?;
        Ok(entry)
    }

    /// Once enrolled: what was kept because the installation was not (refused with 401) is
    /// queued again, due at once; answers how many.
    pub fn requeue_unauthorized(&self) -> Result<usize, OutboxError> {
        let waiting: Vec<Entry> = self
            .list()?
            .into_iter()
            .filter(|e| matches!(e.state, EntryState::Refused { status: 401, .. }))
            .collect();
        for e in &waiting {
            self.requeue(&e.id)?;
        }
        Ok(waiting.len())
    }

    /// Only one sender at a time per data folder: see [`SenderLock`].
    pub fn sender_lock(&self) -> Result<SenderLock, OutboxError> {
        SenderLock::acquire(&self.dir).map_err(storage(&self.dir))
    }

    /// The lock if no other sender holds it now.
    pub fn try_sender_lock(&self) -> Result<Option<SenderLock>, OutboxError> {
        SenderLock::try_acquire(&self.dir).map_err(storage(&self.dir))
    }

    /// Leftovers of crashes: entries already taken out, and entries never finished (after an
    /// hour, so that another process's queueing in progress is left alone).
    fn sweep(&self) {
        let Ok(read) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for dirent in read.flatten() {
            let name = dirent.file_name().to_string_lossy().into_owned();
            let stale = name.ends_with(".partial")
                && dirent
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < hour_ago);
            if name.starts_with('.') && (name.ends_with(".gone") || stale) {
                let _ = std::fs::remove_dir_all(dirent.path());
            }
        }
    }

    fn save(&self, entry: &Entry) -> Result<(), OutboxError> {
        let path = self.dir.join(&entry.id).join(ENTRY);
        atomic::write(&path, &to_json(entry)).map_err(storage(&path))
    }

    /// The bundle's path in the outbox, if the entry has one.
    pub fn bundle_path(&self, entry: &Entry) -> Option<PathBuf> {
        entry
            .has_bundle
            .then(|| self.dir.join(&entry.id).join(BUNDLE))
    }

    /// The files an entry sends besides its text, as (name on the wire, path in the outbox).
    fn files(&self, entry: &Entry) -> Vec<(String, PathBuf)> {
        let dir = self.dir.join(&entry.id);
        let mut out = Vec::new();
        if let Payload::Message(m) = &entry.payload {
            for (i, name) in m.attachments.iter().enumerate() {
                out.push((name.clone(), dir.join(ATTACHMENTS).join(i.to_string())));
            }
            if let Some(b) = self.bundle_path(entry) {
                out.push((MESSAGE_BUNDLE_NAME.to_owned(), b));
            }
        } else if let Some(b) = self.bundle_path(entry) {
            out.push((BUNDLE.to_owned(), b));
        }
        out
    }

    /// The bytes an attempt uploads besides the text: what the progress counter reaches.
    pub fn upload_bytes(&self, entry: &Entry) -> u64 {
        self.files(entry)
            .iter()
            .filter_map(|(_, p)| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Tries to deliver one entry now; `sent` counts its files' bytes as they leave (up to
    /// [`Outbox::upload_bytes`]).
    pub async fn deliver(
        &self,
        id: &str,
        central: &Central,
        sent: Arc<AtomicU64>,
    ) -> Result<Attempt, OutboxError> {
        let mut entry = self.get(id)?;
        if let Some(done) = self.done(&entry) {
            // Central has it already: finished without uploading it again.
            return self.finish(&entry, done);
        }
        let key = entry.idempotency_key.clone();
        let result = match &entry.payload {
            Payload::Ticket(ticket) => {
                let ticket = serde_json::to_value(ticket).unwrap_or_default();
                let bundle = self.bundle_path(&entry);
                central
                    .send_ticket(&key, &ticket, bundle.as_deref(), sent)
                    .await
                    .map(|answer| Done::Delivered { answer })
            }
            Payload::Message(m) => central
                .add_message(&key, &m.reference, &m.body, &self.files(&entry), sent)
                .await
                .map(|_| Done::Added {
                    reference: m.reference.clone(),
                    number: m.number.clone(),
                }),
            Payload::TechnicianBundle(target) => {
                let bundle = self.dir.join(&entry.id).join(BUNDLE);
                central
                    .technician_bundle(&key, target, &bundle, sent)
                    .await
                    .map(|a| Done::Added {
                        reference: a.reference,
                        number: a.number,
                    })
            }
        };
        entry.attempts += 1;
        match result {
            Ok(done) => {
                // Said at once: if the history or the removal fails next, the next attempt
                // finishes from this, never uploading again. (If this write fails, a crash
                // re-sends with the same key and central answers the same ticket.)
                let marker = self.dir.join(&entry.id).join(DELIVERED);
                if let Err(e) = atomic::write(&marker, &to_json(&done)) {
                    tracing::warn!(id = %entry.id, "delivery not marked in the outbox: {e}");
                }
                self.finish(&entry, done)
            }
            Err(e @ SendError::Retry { .. }) | Err(e @ SendError::Bundle(_)) => {
                let after = match &e {
                    SendError::Retry { after, .. } => *after,
                    _ => None,
                };
                let wait = backoff::next_delay(entry.attempts, after, backoff::jitter());
                // A wait too long for a date is the longest backoff, never "at once".
                let at = jiff::SignedDuration::try_from(wait)
                    .ok()
                    .and_then(|w| now().checked_add(w).ok())
                    .or_else(|| {
                        let max = jiff::SignedDuration::try_from(backoff::MAX).ok()?;
                        now().checked_add(max).ok()
                    })
                    .unwrap_or_else(now);
                entry.next_attempt_at = Some(at.to_string());
                entry.last_error = Some(e.to_string());
                self.save(&entry)?;
                Ok(Attempt::Later(e))
            }
            Err(e) => {
                entry.state = match &e {
                    SendError::Refused {
                        status, message, ..
                    } => EntryState::Refused {
                        status: *status,
                        reason: message.clone(),
                    },
                    other => EntryState::Refused {
                        status: 401,
                        reason: other.to_string(),
                    },
                };
                entry.last_error = Some(e.to_string());
                self.save(&entry)?;
                Ok(Attempt::Refused(e))
            }
        }
    }

    /// What central answered for `entry` if it already has it (see [`Done`]).
    fn done(&self, entry: &Entry) -> Option<Done> {
        let bytes = std::fs::read(self.dir.join(&entry.id).join(DELIVERED)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Central has the entry: a ticket into the history first (a crash before the entry goes
    /// finishes it again next time, and the history keeps it once), then the entry goes.
    fn finish(&self, entry: &Entry, done: Done) -> Result<Attempt, OutboxError> {
        let attempt = match done {
            Done::Delivered { answer } => {
                if let Payload::Ticket(ticket) = &entry.payload {
                    self.record(ticket, &answer)?;
                }
                Attempt::Delivered(answer)
            }
            Done::Added { reference, number } => Attempt::Added { reference, number },
        };
        self.remove(&entry.id)?;
        Ok(attempt)
    }

    /// How long until the earliest queued entry is due (zero: now); `None` when nothing is
    /// queued (refused entries wait for the user). A sender sleeps this long, not polling.
    pub fn next_due_in(&self) -> Result<Option<std::time::Duration>, OutboxError> {
        let now = now();
        Ok(self
            .list()?
            .iter()
            .filter(|e| e.state == EntryState::Queued)
            .map(|e| {
                e.next_attempt_at
                    .as_deref()
                    .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                    .and_then(|t| std::time::Duration::try_from(t.duration_since(now)).ok())
                    .unwrap_or_default()
            })
            .min())
    }

    /// Sent tickets, newest first. A damaged history is set aside (kept) and rebuilt from
    /// the tickets still readable in it; [`Outbox::rebuild_history`] adds central's list.
    pub fn history(&self) -> Result<Vec<Sent>, OutboxError> {
        let bytes = match std::fs::read(&self.history) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(storage(&self.history)(e)),
        };
        let mut history = match serde_json::from_slice::<Vec<Sent>>(&bytes) {
            Ok(h) => h,
            Err(e) => self.set_history_aside(&bytes, &e.to_string())?,
        };
        // Kept by an older version, whatever central gave.
        for s in &mut history {
            s.link = crate::central::keep_web_link(s.link.take());
        }
        Ok(history)
    }

    /// The damaged history goes aside (`history.damaged-<time>.json`), what can be read of it
    /// is written as the history, and a note says central's list is still to be merged.
    fn set_history_aside(&self, bytes: &[u8], why: &str) -> Result<Vec<Sent>, OutboxError> {
        let salvaged = salvage(bytes);
        let dir = self.history.parent().unwrap_or(Path::new("."));
        let aside = dir.join(format!(
            "history.damaged-{}.json",
            now().strftime("%Y%m%d-%H%M%S")
        ));
        tracing::warn!(
            kept = salvaged.len(),
            "history.json is damaged ({why}): kept as {}, rebuilt",
            aside.display()
        );
        match std::fs::rename(&self.history, &aside) {
            Ok(()) => {}
            // Another process (the window, a command) set it aside first and rebuilds it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(salvaged),
            Err(e) => return Err(storage(&self.history)(e)),
        }
        let result = atomic::write(&dir.join(HISTORY_REBUILD), why.as_bytes())
            .and_then(|()| atomic::write(&self.history, &to_json(&salvaged)));
        result.map_err(storage(&self.history))?;
        Ok(salvaged)
    }

    /// Whether the history was damaged and central's list is still to be merged into it.
    pub fn history_needs_rebuild(&self) -> bool {
        self.history
            .with_file_name(HISTORY_REBUILD)
            .try_exists()
            .unwrap_or(false)
    }

    /// Central's list of this installation's tickets, merged into a rebuilt history: each one
    /// missing is added (oldest last), then the note goes.
    pub fn rebuild_history(&self, listed: &[crate::ListedTicket]) -> Result<(), OutboxError> {
        let _turn = HISTORY_WRITE.lock().unwrap_or_else(|p| p.into_inner());
        let mut history = self.history()?;
        let now = now().to_string();
        for t in listed {
            if history.iter().any(|s| s.reference == t.answer.reference) {
                continue;
            }
            history.push(Sent {
                reference: t.answer.reference.clone(),
                number: t.answer.number.clone(),
                link: t.answer.link.clone(),
                status: t.answer.status.clone(),
                topic: t.topic.clone(),
                summary: t.summary.clone(),
                sent_at: t.created_at.clone().unwrap_or_else(|| now.clone()),
                updated_at: now.clone(),
                replies: Vec::new(),
                seen_reply: None,
                replies_as_of: None,
            });
        }
        history.sort_by(|a, b| b.sent_at.cmp(&a.sent_at));
        atomic::write(&self.history, &to_json(&history)).map_err(storage(&self.history))?;
        let note = self.history.with_file_name(HISTORY_REBUILD);
        std::fs::remove_file(&note).map_err(storage(&note))
    }

    /// A status read from central, into the history.
    pub fn refresh(&self, answer: &TicketAnswer) -> Result<(), OutboxError> {
        self.refresh_all(std::slice::from_ref(answer))
    }

    /// Central's answers for many tickets at once: one write of the history, however many.
    pub fn refresh_all(&self, answers: &[TicketAnswer]) -> Result<(), OutboxError> {
        self.refresh_with_replies(answers, &[])
    }

    /// [`Outbox::refresh_all`], and the replies read for some of them.
    pub fn refresh_with_replies(
        &self,
        answers: &[TicketAnswer],
        replies: &[Replies],
    ) -> Result<(), OutboxError> {
        let _turn = HISTORY_WRITE.lock().unwrap_or_else(|p| p.into_inner());
        let mut history = self.history()?;
        let now = now().to_string();
        for answer in answers {
            if let Some(s) = history.iter_mut().find(|s| s.reference == answer.reference) {
                s.number.clone_from(&answer.number);
                s.link.clone_from(&answer.link);
                s.status.clone_from(&answer.status);
                s.updated_at.clone_from(&now);
            }
        }
        for r in replies {
            if let Some(s) = history.iter_mut().find(|s| s.reference == r.reference) {
                s.replies.clone_from(&r.replies);
                s.replies_as_of.clone_from(&r.as_of);
            }
        }
        atomic::write(&self.history, &to_json(&history)).map_err(storage(&self.history))
    }

    /// The user has seen the ticket's replies up to `reply` (an id): those are no longer new.
    /// `false` when no sent ticket is `reference`.
    pub fn mark_replies_seen(&self, reference: &str, reply: i64) -> Result<bool, OutboxError> {
        let _turn = HISTORY_WRITE.lock().unwrap_or_else(|p| p.into_inner());
        let mut history = self.history()?;
        let Some(s) = history.iter_mut().find(|s| s.reference == reference) else {
            return Ok(false);
        };
        if s.seen_reply.is_some_and(|seen| seen >= reply) {
            return Ok(true);
        }
        s.seen_reply = Some(reply);
        atomic::write(&self.history, &to_json(&history)).map_err(storage(&self.history))?;
        Ok(true)
    }

    fn record(&self, ticket: &NewTicket, answer: &TicketAnswer) -> Result<(), OutboxError> {
        let _turn = HISTORY_WRITE.lock().unwrap_or_else(|p| p.into_inner());
        let mut history = self.history()?;
        let at = now().to_string();
        history.retain(|s| s.reference != answer.reference);
        history.insert(
            0,
            Sent {
                reference: answer.reference.clone(),
                number: answer.number.clone(),
                link: answer.link.clone(),
                status: answer.status.clone(),
                topic: ticket.topic.clone(),
                summary: ticket.summary.clone(),
                sent_at: at.clone(),
                updated_at: at,
                replies: Vec::new(),
                seen_reply: None,
                replies_as_of: None,
            },
        );
        atomic::write(&self.history, &to_json(&history)).map_err(storage(&self.history))
    }
}

/// The tickets of a damaged history that are whole: each complete `{...}` of the array, up to
/// the first that is not (a truncated file keeps all but its last).
fn salvage(bytes: &[u8]) -> Vec<Sent> {
    let mut out = Vec::new();
    let Some(start) = bytes.iter().position(|b| *b == b'[') else {
        return out;
    };
    let mut at = start + 1;
    loop {
        while bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
        {
            at += 1;
        }
        if bytes.get(at).is_none_or(|b| *b != b'{') {
            return out;
        }
        let mut stream = serde_json::Deserializer::from_slice(&bytes[at..]).into_iter::<Sent>();
        match stream.next() {
            Some(Ok(sent)) => {
                out.push(sent);
                at += stream.byte_offset();
            }
            _ => return out,
        }
    }
}

fn to_json(v: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    // The OS's generator; if it ever fails the time-based id part still separates entries.
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}
