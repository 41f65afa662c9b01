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

pub use chamado_wire::bundle::{BundleContact, BundleTicket, RedactedCount};
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
    /// A field of the ticket's form (in the ticket sent with the bundle and its manifest).
    Field,
    /// A finding (in `diagnostics.json` and `report.html`).
    Finding,
    /// One probe's data (in `diagnostics.json` and `report.html`).
    Probe,
}

impl ItemKind {
    fn folder(self) -> &'static str {
        match self {
            ItemKind::Report
            | ItemKind::Diagnostics
            | ItemKind::Field
            | ItemKind::Finding
            | ItemKind::Probe => "",
            ItemKind::Screenshot => "screenshots/",
            ItemKind::Log => "logs/",
            ItemKind::Attachment => "attachments/",
        }
    }

    /// A part of a file (or of the ticket) rather than a file of its own.
    pub fn is_part(self) -> bool {
        matches!(self, ItemKind::Field | ItemKind::Finding | ItemKind::Probe)
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
    /// Carried by another item (`Item::path` names it); leaving it out changes that item.
    Part,
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
    /// Its path in the bundle; for a part, where it is: `diagnostics.json#network`,
    /// `ticket#contact.phone`.
    pub path: String,
    /// A part's carrier: `diagnostics.json`, or `ticket` for the form's fields; `None` for a file.
    pub part_of: Option<String>,
    pub label: String,
    pub required: bool,
    pub included: bool,
    #[ts(type = "number")]
    pub size: u64,
    /// Its size once packed in the zip (a part: its share of its carrier, estimated).
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
    ticket: BundleTicket,
    generator: String,
    limits: Limits,
    items: Vec<Item>,
    redacted: std::collections::BTreeMap<String, RedactedCount>,
}

impl Bundle {
    pub fn new(ticket: BundleTicket, generator: &str, limits: Limits) -> Self {
        Bundle {
            ticket,
            generator: generator.to_owned(),
            limits,
            items: Vec::new(),
            redacted: Default::default(),
        }
    }

    /// What redaction replaced (the redactor's summary, `chamado_redact::RedactionSummary`:
    /// kinds and counts, never the values), for the manifest. Anything that does not serialize
    /// as kinds and counts leaves the manifest's empty.
    pub fn set_redacted(&mut self, summary: &impl Serialize) {
        self.redacted = serde_json::to_value(summary)
            .and_then(serde_json::from_value)
            .unwrap_or_default();
    }

    /// What redaction replaced, per kind (counts, never values), as the manifest says it.
    pub fn redacted(&self) -> &std::collections::BTreeMap<String, RedactedCount> {
        &self.redacted
    }

    /// The ticket's fields, as the manifest carries them.
    pub fn ticket(&self) -> &BundleTicket {
        &self.ticket
    }

    pub fn set_ticket(&mut self, ticket: BundleTicket) {
        self.ticket = ticket;
    }

    /// Adds a part of another item (`part_of`: `diagnostics.json`, `ticket`) that the user may
    /// leave out; `text` is what is sent of it, shown as its preview. Its id is `{kind}-{key}`.
    /// The owner of the carrier rebuilds it when the part is switched (see `compose::Draft`).
    pub fn add_part(
        &mut self,
        kind: ItemKind,
        part_of: &str,
        key: &str,
        label: &str,
        text: &str,
        required: bool,
    ) -> String {
        let id = format!("{}-{key}", pack::kind_name(kind));
        self.items.push(Item {
            id: id.clone(),
            kind,
            path: format!("{part_of}#{key}"),
            label: label.to_owned(),
            required,
            included: true,
            content: Content::Part,
            size: text.len() as u64,
            packed: pack::packed_size_of_bytes("part.json", text.as_bytes()),
            preview: Preview::text(text),
        });
        id
    }

    /// A part's preview, after its carrier was rebuilt (redaction tokens may have moved).
    pub fn set_part_text(&mut self, id: &str, text: &str) {
        if let Some(i) = self.items.iter_mut().find(|i| i.id == id) {
            i.size = text.len() as u64;
            i.packed = pack::packed_size_of_bytes("part.json", text.as_bytes());
            i.preview = Preview::text(text);
        }
    }

    /// New content for a generated item (the report rebuilt without a part the user left out).
    pub fn replace_bytes(&mut self, id: &str, bytes: Vec<u8>, preview: Preview) {
        if let Some(i) = self.items.iter_mut().find(|i| i.id == id) {
            i.packed = pack::packed_size_of_bytes(&i.path, &bytes);
            i.size = bytes.len() as u64;
            i.content = Content::Bytes(bytes);
            i.preview = preview;
        }
    }

    /// What kind of item `id` is.
    pub fn kind_of(&self, id: &str) -> Option<ItemKind> {
        self.items.iter().find(|i| i.id == id).map(|i| i.kind)
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
                .filter(|i| i.included && !i.required && !i.kind.is_part())
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
                    part_of: i
                        .kind
                        .is_part()
                        .then(|| i.path.split('#').next().unwrap_or_default().to_owned()),
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
            .filter(|i| i.included && !i.kind.is_part())
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
        let kind = pack::kind_name(item.kind);
        let n = self.items.iter().filter(|i| i.kind == item.kind).count() + 1;
        item.id = format!("{kind}-{n}");
        let id = item.id.clone();
        self.items.push(item);
        id
    }
}
