//! The ticket bundle: everything the analyst receives, as one zip. The user reviews every item
//! (a preview, its size once packed, required or not) and may leave optional ones out; the total
//! is kept against the profile's budget (osTicket drops larger attachments silently), and when it
//! is over, optional items are proposed for removal largest first: the user decides, nothing is
//! dropped silently. Writing streams every item (memory does not grow with attachment sizes) and
//! is deterministic: the same inputs give the same bytes.
//!
//! Knows nothing of Tauri. `Bundle` takes content as given (already redacted); `compose` builds
//! one from a diagnostics report, redacting it.

pub mod compose;
mod error;
pub mod names;
mod pack;

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

pub use error::BundleError;
pub use pack::{LeftOut, Manifest, ManifestItem, MANIFEST_FORMAT};

/// Size limits, from the vendor profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The bundle's budget once packed (osTicket's default attachment limit: 1 MiB).
    pub budget_bytes: u64,
    /// Any one file the user attaches.
    pub attachment_max_bytes: u64,
    /// All the user's attachments together.
    pub attachments_total_max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            budget_bytes: 1024 * 1024,
            attachment_max_bytes: 10 * 1024 * 1024,
            attachments_total_max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// What an item is; it also names its folder in the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// `report.html`: the analyst's page, findings first.
    Report,
    /// `diagnostics.json`: the full report.
    Diagnostics,
    Screenshot,
    Log,
    Attachment,
}

impl ItemKind {
    fn folder(self) -> &'static str {
        match self {
            ItemKind::Report | ItemKind::Diagnostics => "",
            ItemKind::Screenshot => "screenshots/",
            ItemKind::Log => "logs/",
            ItemKind::Attachment => "attachments/",
        }
    }
}

/// What the review screen shows of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Preview {
    /// The start of a text, as it will be sent (after redaction).
    Text { text: String, truncated: bool },
    /// A small image (e.g. a screenshot's thumbnail), base64.
    Image { mime: String, base64: String },
    /// Nothing to show but the name and size (e.g. a PDF the user attached).
    None,
}

const PREVIEW_CHARS: usize = 2000;

impl Preview {
    /// The first characters of `text`.
    pub fn text(text: &str) -> Preview {
        let mut chars = text.char_indices();
        match chars.nth(PREVIEW_CHARS) {
            Some((cut, _)) => Preview::Text {
                text: text[..cut].to_owned(),
                truncated: true,
            },
            None => Preview::Text {
                text: text.to_owned(),
                truncated: false,
            },
        }
    }
}

#[derive(Debug, Clone)]
enum Content {
    Bytes(Vec<u8>),
    File(PathBuf),
}

#[derive(Debug, Clone)]
struct Item {
    id: String,
    kind: ItemKind,
    /// Path in the zip, e.g. `screenshots/tela-1.webp`.
    path: String,
    label: String,
    required: bool,
    included: bool,
    content: Content,
    size: u64,
    packed: u64,
    preview: Preview,
}

/// One line of the review screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReviewItem {
    pub id: String,
    pub kind: ItemKind,
    /// Its path in the bundle.
    pub path: String,
    pub label: String,
    pub required: bool,
    pub included: bool,
    #[ts(type = "number")]
    pub size: u64,
    /// Its size once packed in the zip.
    #[ts(type = "number")]
    pub packed_size: u64,
    pub preview: Preview,
}

/// The review screen's model: every item that would be sent, the total, and what to leave out
/// if it is over the budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Review {
    pub items: Vec<ReviewItem>,
    /// The bundle's size as it stands (included items, manifest, zip structure).
    #[ts(type = "number")]
    pub total_bytes: u64,
    #[ts(type = "number")]
    pub budget_bytes: u64,
    pub over_budget: bool,
    /// Optional included items whose removal brings it within the budget, largest first
    /// (empty when within it; all optional ones when even that is not enough).
    pub proposal: Vec<String>,
}

/// A bundle being put together.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The ticket's fields, as the manifest carries them.
    ticket: serde_json::Value,
    generator: String,
    limits: Limits,
    items: Vec<Item>,
    redacted: serde_json::Value,
}

impl Bundle {
    pub fn new(ticket: serde_json::Value, generator: &str, limits: Limits) -> Self {
        Bundle {
            ticket,
            generator: generator.to_owned(),
            limits,
            items: Vec::new(),
            redacted: serde_json::json!({}),
        }
    }

    /// What redaction replaced (the redactor's summary: kinds and counts, never the values),
    /// for the manifest.
    pub fn set_redacted(&mut self, summary: &impl Serialize) {
        self.redacted = serde_json::to_value(summary).unwrap_or_default();
    }

    /// Adds generated content (the report, a screenshot, a log's tail) under `name` in its
    /// kind's folder; returns the item's id.
    pub fn add_bytes(
        &mut self,
        kind: ItemKind,
        name: &str,
        label: &str,
        bytes: Vec<u8>,
        required: bool,
        preview: Preview,
    ) -> String {
        let path = self.unique_path(kind, name);
        let packed = pack::packed_size_of_bytes(&path, &bytes);
        self.push(Item {
            id: String::new(),
            kind,
            path,
            label: label.to_owned(),
            required,
            included: true,
            size: bytes.len() as u64,
            content: Content::Bytes(bytes),
            packed,
            preview,
        })
    }

    /// Adds a file the user chose, within the size limits; its name is sanitized and made
    /// unique. The file is read when the bundle is written (streamed), and once now to learn
    /// its packed size.
    pub fn add_attachment(&mut self, file: &Path) -> Result<String, BundleError> {
        let shown = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.to_string_lossy().into_owned());
        let meta = std::fs::metadata(file).map_err(|e| BundleError::unreadable(&shown, &e))?;
        if !meta.is_file() {
            return Err(BundleError::NotAFile { file: shown });
        }
        let size = meta.len();
        if size > self.limits.attachment_max_bytes {
            return Err(BundleError::AttachmentTooLarge {
                file: shown,
                size,
                limit: self.limits.attachment_max_bytes,
            });
        }
        let others: u64 = self
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Attachment)
            .map(|i| i.size)
            .sum();
        if others + size > self.limits.attachments_total_max_bytes {
            return Err(BundleError::AttachmentsTooLarge {
                file: shown,
                total: others + size,
                limit: self.limits.attachments_total_max_bytes,
            });
        }
        let path = self.unique_path(ItemKind::Attachment, &shown);
        let packed = pack::packed_size_of_file(&path, file)
            .map_err(|e| BundleError::unreadable(&shown, &e))?;
        Ok(self.push(Item {
            id: String::new(),
            kind: ItemKind::Attachment,
            path,
            label: shown,
            required: false,
            included: true,
            content: Content::File(file.to_owned()),
            size,
            packed,
            preview: Preview::None,
        }))
    }

    /// The user's switch: leave an optional item out, or put it back.
    pub fn set_included(&mut self, id: &str, included: bool) -> Result<(), BundleError> {
        let item = self
            .items
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or_else(|| BundleError::UnknownItem { id: id.to_owned() })?;
        if item.required && !included {
            return Err(BundleError::Required {
                label: item.label.clone(),
            });
        }
        item.included = included;
        Ok(())
    }

    pub fn review(&self) -> Review {
        let total_bytes = self.total_bytes();
        let budget_bytes = self.limits.budget_bytes;
        let mut proposal = Vec::new();
        if total_bytes > budget_bytes {
            let mut optional: Vec<&Item> = self
                .items
                .iter()
                .filter(|i| i.included && !i.required)
                .collect();
            optional.sort_by(|a, b| b.packed.cmp(&a.packed).then(a.id.cmp(&b.id)));
            let mut left = total_bytes;
            for item in optional {
                if left <= budget_bytes {
                    break;
                }
                left = left.saturating_sub(item.packed + pack::entry_overhead(&item.path));
                proposal.push(item.id.clone());
            }
        }
        Review {
            items: self
                .items
                .iter()
                .map(|i| ReviewItem {
                    id: i.id.clone(),
                    kind: i.kind,
                    path: i.path.clone(),
                    label: i.label.clone(),
                    required: i.required,
                    included: i.included,
                    size: i.size,
                    packed_size: i.packed,
                    preview: i.preview.clone(),
                })
                .collect(),
            total_bytes,
            budget_bytes,
            over_budget: total_bytes > budget_bytes,
            proposal,
        }
    }

    /// Writes the zip to `out` (through a temporary file beside it, renamed at the end, so a
    /// failure never leaves half a bundle). Over the budget it refuses unless the user chose to
    /// send it anyway (`allow_over_budget`).
    pub fn write(&self, out: &Path, allow_over_budget: bool) -> Result<Manifest, BundleError> {
        let total = self.total_bytes();
        if total > self.limits.budget_bytes && !allow_over_budget {
            return Err(BundleError::OverBudget {
                total,
                budget: self.limits.budget_bytes,
            });
        }
        pack::write(self, out)
    }

    fn total_bytes(&self) -> u64 {
        let items: u64 = self
            .items
            .iter()
            .filter(|i| i.included)
            .map(|i| i.packed + pack::entry_overhead(&i.path))
            .sum();
        items + pack::manifest_estimate(self)
    }

    fn unique_path(&self, kind: ItemKind, name: &str) -> String {
        let folder = kind.folder();
        let name = names::sanitize(name);
        let taken = |candidate: &str| {
            let full = format!("{folder}{candidate}");
            self.items
                .iter()
                .any(|i| i.path.eq_ignore_ascii_case(&full))
                || full.eq_ignore_ascii_case(pack::MANIFEST)
        };
        format!("{folder}{}", names::unique(&name, &taken))
    }

    fn push(&mut self, mut item: Item) -> String {
        let kind = serde_json::to_value(item.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let n = self.items.iter().filter(|i| i.kind == item.kind).count() + 1;
        item.id = format!("{kind}-{n}");
        let id = item.id.clone();
        self.items.push(item);
        id
    }
}
