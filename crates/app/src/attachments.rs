//! The files the customer attaches to the ticket being written ("Anexar arquivos", by the file
//! dialog or dropped on the window): each path checked at once against the profile's limits, the
//! good ones kept in the ticket's draft (they survive a restart), each refusal naming its file.
//! One bad file never stops the others. The files are read only when the bundle is written.
//!
//! The list belongs to Rust: the UI saves the draft as the customer types, but only
//! [`App::add_attachments`] and [`App::remove_attachment`] change it.

use std::path::{Path, PathBuf};

use chamado_profile::Profile;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::ticket::TicketDraft;
use crate::App;

/// A file attached to the ticket being written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attachment {
    /// Where it is on this computer (what "Remover" names).
    pub path: String,
    /// The file's name, as the customer knows it.
    pub name: String,
    /// In bytes, when it was attached.
    #[ts(type = "number")]
    pub size: u64,
}

/// Why a file was not attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentProblem {
    /// Missing, moved, or not ours to read.
    Unreadable,
    /// A folder (or something else that is not a file).
    NotAFile,
    /// Over the profile's limit for one file (`limit`).
    TooLarge,
    /// With it, the attachments would add up to more than the profile's total (`limit`).
    TotalTooLarge,
    /// Already attached.
    Duplicate,
}

/// A file refused, named; `size` and `limit` (bytes) say by how much when it is about size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttachmentRefusal {
    pub name: String,
    pub problem: AttachmentProblem,
    #[ts(type = "number")]
    pub size: u64,
    #[ts(type = "number")]
    pub limit: u64,
    /// The system's reason, for the log and the curious (never the user's explanation).
    pub detail: String,
}

/// What adding some files did: the list as it now is, and each file refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttachmentsOutcome {
    pub attachments: Vec<Attachment>,
    pub refused: Vec<AttachmentRefusal>,
}

/// The profile's limits, in bytes: one file, all together.
fn limits(profile: &Profile) -> (u64, u64) {
    let kib = |k: u32| u64::from(k) * 1024;
    (
        kib(profile.bundle.attachment_max_kib),
        kib(profile.bundle.attachments_total_max_kib),
    )
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string_lossy().into_owned())
}

/// Checks one path against what is already attached; the file as it will be listed.
fn check(
    path: &Path,
    list: &[Attachment],
    profile: &Profile,
) -> Result<Attachment, AttachmentRefusal> {
    let (one_max, total_max) = limits(profile);
    let refusal = |problem, size, limit, detail: String| AttachmentRefusal {
        name: name_of(path),
        problem,
        size,
        limit,
        detail,
    };
    let meta = std::fs::metadata(path)
        .map_err(|e| refusal(AttachmentProblem::Unreadable, 0, 0, e.to_string()))?;
    if !meta.is_file() {
        return Err(refusal(AttachmentProblem::NotAFile, 0, 0, String::new()));
    }
    // Metadata can be read where the contents cannot (permissions, a file locked on Windows).
    std::fs::File::open(path)
        .map_err(|e| refusal(AttachmentProblem::Unreadable, 0, 0, e.to_string()))?;
    let size = meta.len();
    // The same file by another spelling (`./a.pdf`, a symlink) is the same file.
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    if list.iter().any(|a| {
        std::fs::canonicalize(&a.path).unwrap_or_else(|_| PathBuf::from(&a.path)) == canonical
    }) {
        return Err(refusal(
            AttachmentProblem::Duplicate,
            size,
            0,
            String::new(),
        ));
    }
    if size > one_max {
        return Err(refusal(
            AttachmentProblem::TooLarge,
            size,
            one_max,
            String::new(),
        ));
    }
    let total = list.iter().map(|a| a.size).sum::<u64>() + size;
    if total > total_max {
        return Err(refusal(
            AttachmentProblem::TotalTooLarge,
            total,
            total_max,
            String::new(),
        ));
    }
    Ok(Attachment {
        path: canonical.to_string_lossy().into_owned(),
        name: name_of(path),
        size,
    })
}

/// Adds each path that passes to `list`, in order; the refusals, in order.
pub fn add(
    list: &mut Vec<Attachment>,
    paths: &[PathBuf],
    profile: &Profile,
) -> Vec<AttachmentRefusal> {
    let mut refused = Vec::new();
    for path in paths {
        match check(path, list, profile) {
            Ok(a) => list.push(a),
            Err(r) => {
                tracing::info!(problem = ?r.problem, detail = %r.detail, "attachment refused");
                refused.push(r);
            }
        }
    }
    refused
}

/// At submission: each file still readable and within the limits (it may have changed since it
/// was attached), or the first that is not, named, as an `invalid` on `attachments`.
pub fn recheck(list: &[Attachment], profile: &Profile) -> Result<Vec<PathBuf>, AppError> {
    let mut ok: Vec<Attachment> = Vec::new();
    for a in list {
        check(Path::new(&a.path), &ok, profile).map_err(|r| AppError {
            code: ErrorCode::Invalid,
            message: format!("attachments: {}: {:?} {}", r.name, r.problem, r.detail),
            field: Some("attachments".into()),
            problem: None,
        })?;
        ok.push(a.clone());
    }
    Ok(ok.into_iter().map(|a| PathBuf::from(a.path)).collect())
}

impl App {
    /// Attaches the files at `paths` to the ticket being written (a draft is started if there is
    /// none); each refused one is named, the others are attached all the same.
    pub fn add_attachments(&self, paths: Vec<String>) -> Result<AttachmentsOutcome, AppError> {
        let profile = self.profile()?;
        let mut draft = self.ticket_draft()?.unwrap_or_default();
        let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
        let refused = add(&mut draft.attachments, &paths, profile);
        self.tickets.save_draft(&draft)?;
        Ok(AttachmentsOutcome {
            attachments: draft.attachments,
            refused,
        })
    }

    /// "Remover": the file at `path` is no longer attached; the list as it now is.
    pub fn remove_attachment(&self, path: &str) -> Result<Vec<Attachment>, AppError> {
        let Some(mut draft) = self.ticket_draft()? else {
            return Ok(Vec::new());
        };
        draft.attachments.retain(|a| a.path != path);
        self.tickets.save_draft(&draft)?;
        Ok(draft.attachments)
    }

    /// The files attached now (none without a draft).
    pub fn attachments(&self) -> Result<Vec<Attachment>, AppError> {
        Ok(self
            .ticket_draft()?
            .map(|d| d.attachments)
            .unwrap_or_default())
    }
}

/// The draft as the UI sent it, with the attachments Rust keeps (the UI's copy may be older).
pub fn with_stored(mut draft: TicketDraft, stored: Option<TicketDraft>) -> TicketDraft {
    draft.attachments = stored.map(|d| d.attachments).unwrap_or_default();
    draft
}

/// Files dragged over the window and dropped on it (the window's own event, forwarded: the UI
/// attaches what is dropped while "Mostre para nós" is open, and shows where to drop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileDrop {
    Over,
    Leave,
    Drop { paths: Vec<String> },
}
