//! The bundle's `manifest.json`: the last entry of the zip, written by `chamado-bundle` and read
//! by central (and by the analyst's tools). It lists every file sent with its size and SHA-256,
//! what the customer chose not to send, what redaction replaced (counts, never values), and the
//! ticket the bundle is for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ticket::NewTicket;

/// The manifest's name in the zip.
pub const MANIFEST: &str = "manifest.json";
/// Bumped when a manifest field changes meaning or goes away.
pub const MANIFEST_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub generator: String,
    pub ticket: BundleTicket,
    pub items: Vec<ManifestItem>,
    /// What the user chose not to send.
    pub left_out: Vec<LeftOut>,
    /// What redaction replaced, by kind (`user_name`, `email`...), with counts; never the
    /// values.
    pub redacted: BTreeMap<String, RedactedCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestItem {
    pub id: String,
    pub kind: String,
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub id: String,
    pub kind: String,
    pub label: String,
}

/// Counts for one kind of personal data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactedCount {
    /// Replacements made.
    pub replaced: usize,
    /// Distinct values replaced.
    pub distinct: usize,
}

/// The ticket a bundle is for, as its manifest carries it: the fields the user kept of the
/// form, or what a bundle made without a form says it is for:
///
/// - `chamado collect --bundle`: `source`, `vendor`, `collected_at`;
/// - `chamado send --collect`: `topic`, `summary` ([`BundleTicket::topic`]);
/// - `chamado add --collect`: also `reference` and `number` ([`BundleTicket::follow_up`]);
/// - `chamado attach --collect`: `number`, `source: "technician"` ([`BundleTicket::technician`]).
///
/// Every field is optional and absent ones are not written. The fields are in alphabetical
/// order, as manifests were written when the ticket was an untyped JSON object, so they stay
/// byte for byte the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleTicket {
    /// RFC 3339: when the report was collected (a bundle made without a ticket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<BundleContact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The topic's own fields, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// The help desk's number of the ticket this bundle is added to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Central's reference of the ticket this bundle is added to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Who made the bundle without a form: `chamado collect`, `technician`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The profile's topic id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The vendor whose profile drove the collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
}

/// The contact of a [`BundleTicket`] (fields in alphabetical order, as written before).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl BundleTicket {
    /// `chamado collect --bundle`: a collection with no ticket (`source: "chamado collect"`).
    pub fn collection(
        source: impl Into<String>,
        vendor: impl Into<String>,
        collected_at: impl Into<String>,
    ) -> Self {
        BundleTicket {
            source: Some(source.into()),
            vendor: Some(vendor.into()),
            collected_at: Some(collected_at.into()),
            ..BundleTicket::default()
        }
    }

    /// A new ticket's bundle named by its topic and summary (`chamado send --collect`).
    pub fn topic(topic: impl Into<String>, summary: impl Into<String>) -> Self {
        BundleTicket {
            topic: Some(topic.into()),
            summary: Some(summary.into()),
            ..BundleTicket::default()
        }
    }

    /// A bundle added to a ticket already sent (`chamado add --collect`): its topic, summary,
    /// central's reference and, once known, the help desk's number.
    pub fn follow_up(
        topic: impl Into<String>,
        summary: impl Into<String>,
        reference: impl Into<String>,
        number: Option<String>,
    ) -> Self {
        BundleTicket {
            reference: Some(reference.into()),
            number,
            ..BundleTicket::topic(topic, summary)
        }
    }

    /// A technician's bundle for a ticket given by phone (`chamado attach --collect`).
    pub fn technician(number: impl Into<String>) -> Self {
        BundleTicket {
            number: Some(number.into()),
            source: Some("technician".to_owned()),
            ..BundleTicket::default()
        }
    }

    /// The fields as the review lists them, one level opened (`contact.email`, `fields.nota`),
    /// as (key, text), in the manifest's order.
    pub fn fields_list(&self) -> Vec<(String, String)> {
        fn put(out: &mut Vec<(String, String)>, key: &str, value: &Option<String>) {
            if let Some(v) = value {
                out.push((key.to_owned(), v.clone()));
            }
        }
        let mut out = Vec::new();
        put(&mut out, "collected_at", &self.collected_at);
        if let Some(c) = &self.contact {
            put(&mut out, "contact.email", &c.email);
            put(&mut out, "contact.name", &c.name);
            put(&mut out, "contact.phone", &c.phone);
        }
        put(&mut out, "description", &self.description);
        for (k, v) in self.fields.iter().flatten() {
            out.push((format!("fields.{k}"), v.clone()));
        }
        put(&mut out, "module", &self.module);
        put(&mut out, "number", &self.number);
        put(&mut out, "reference", &self.reference);
        put(&mut out, "source", &self.source);
        put(&mut out, "summary", &self.summary);
        put(&mut out, "topic", &self.topic);
        put(&mut out, "vendor", &self.vendor);
        out
    }

    /// Takes out one field by its key in [`BundleTicket::fields_list`] (the user left it out);
    /// an unknown key changes nothing.
    pub fn remove(&mut self, key: &str) {
        match key.split_once('.') {
            Some(("contact", inner)) => {
                if let Some(c) = &mut self.contact {
                    match inner {
                        "email" => c.email = None,
                        "name" => c.name = None,
                        "phone" => c.phone = None,
                        _ => {}
                    }
                }
            }
            Some(("fields", name)) => {
                if let Some(f) = &mut self.fields {
                    f.remove(name);
                }
            }
            Some(_) => {}
            None => match key {
                "collected_at" => self.collected_at = None,
                "contact" => self.contact = None,
                "description" => self.description = None,
                "fields" => self.fields = None,
                "module" => self.module = None,
                "number" => self.number = None,
                "reference" => self.reference = None,
                "source" => self.source = None,
                "summary" => self.summary = None,
                "topic" => self.topic = None,
                "vendor" => self.vendor = None,
                _ => {}
            },
        }
    }
}

/// The ticket as the user filled it in, for its bundle: every field (an empty module or phone
/// left out).
impl From<&NewTicket> for BundleTicket {
    fn from(t: &NewTicket) -> Self {
        let some = |s: &str| Some(s.to_owned());
        BundleTicket {
            topic: some(&t.topic),
            summary: some(&t.summary),
            description: some(&t.description),
            contact: Some(BundleContact {
                name: some(&t.contact.name),
                email: some(&t.contact.email),
                phone: t.contact.phone.clone(),
            }),
            module: t.module.clone(),
            fields: Some(t.fields.clone()),
            ..BundleTicket::default()
        }
    }
}
