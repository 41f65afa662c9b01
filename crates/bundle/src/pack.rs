//! The zip itself: entries in the order they were added, `manifest.json` last (it carries every
//! entry's SHA-256, computed while streaming), fixed timestamps and permissions so that the same
//! inputs give the same bytes. Already-compressed formats are stored, the rest deflated.

use std::io::{Read, Write};
use std::path::Path;

use flate2::write::DeflateEncoder;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::{Bundle, BundleError, Content, ItemKind};

pub use chamado_wire::bundle::{LeftOut, Manifest, ManifestItem, MANIFEST, MANIFEST_FORMAT};
const LEVEL: u32 = 6;
const CHUNK: usize = 64 * 1024;

fn stored(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".webp", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".gz", ".7z", ".rar", ".xz", ".docx",
        ".xlsx", ".mp4",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

fn options(path: &str) -> SimpleFileOptions {
    let (method, level) = if stored(path) {
        (CompressionMethod::Stored, None)
    } else {
        (CompressionMethod::Deflated, Some(i64::from(LEVEL)))
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .compression_level(level)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

/// Counts what is written to it.
#[derive(Default)]
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of `bytes` once packed as `path`.
pub fn packed_size_of_bytes(path: &str, bytes: &[u8]) -> u64 {
    packed_size(path, &mut &bytes[..]).unwrap_or(bytes.len() as u64)
}

/// The size of a file once packed as `path`, read in chunks.
pub fn packed_size_of_file(path: &str, file: &Path) -> std::io::Result<u64> {
    packed_size(path, &mut std::fs::File::open(file)?)
}

fn packed_size(path: &str, source: &mut dyn Read) -> std::io::Result<u64> {
    if stored(path) {
        return std::io::copy(source, &mut std::io::sink());
    }
    let mut encoder = DeflateEncoder::new(Count::default(), flate2::Compression::new(LEVEL));
    std::io::copy(source, &mut encoder)?;
    Ok(encoder.finish()?.0)
}

/// Local header, central directory record, data descriptor: about this much per entry.
pub fn entry_overhead(path: &str) -> u64 {
    30 + 46 + 16 + 2 * path.len() as u64
}

/// The manifest's share of the total, from its JSON (hashes are of fixed size).
pub fn manifest_estimate(bundle: &Bundle) -> u64 {
    let manifest = manifest(bundle, |_| "0".repeat(64));
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    packed_size_of_bytes(MANIFEST, &json) + entry_overhead(MANIFEST) + 22
}

pub(crate) fn kind_name(kind: ItemKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn manifest(bundle: &Bundle, hash: impl Fn(&str) -> String) -> Manifest {
    Manifest {
        format: MANIFEST_FORMAT,
        generator: bundle.generator.clone(),
        ticket: bundle.ticket.clone(),
        items: bundle
            .items
            .iter()
            .filter(|i| i.included && !i.kind.is_part())
            .map(|i| ManifestItem {
                id: i.id.clone(),
                kind: kind_name(i.kind),
                path: i.path.clone(),
                size: i.size,
                sha256: hash(&i.id),
            })
            .collect(),
        left_out: bundle
            .items
            .iter()
            .filter(|i| !i.included)
            .map(|i| LeftOut {
                id: i.id.clone(),
                kind: kind_name(i.kind),
                label: i.label.clone(),
            })
            .collect(),
        redacted: bundle.redacted.clone(),
    }
}

pub fn write(bundle: &Bundle, out: &Path) -> Result<Manifest, BundleError> {
    let failed = |reason: String| BundleError::Write {
        path: out.display().to_string(),
        reason,
    };
    let partial = out.with_extension("zip.partial");
    let file = std::fs::File::create(&partial).map_err(|e| failed(e.to_string()))?;
    let result = write_into(bundle, file).and_then(|(manifest, file)| {
        file.sync_all().map_err(|e| failed(e.to_string()))?;
        std::fs::rename(&partial, out).map_err(|e| failed(e.to_string()))?;
        Ok(manifest)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result.map_err(|e| match e {
        BundleError::Write { reason, .. } => failed(reason),
        other => other,
    })
}

fn write_into(
    bundle: &Bundle,
    file: std::fs::File,
) -> Result<(Manifest, std::fs::File), BundleError> {
    let io = |e: &dyn std::fmt::Display| BundleError::Write {
        path: String::new(),
        reason: e.to_string(),
    };
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    let mut hashes = std::collections::HashMap::new();
    let mut buffer = vec![0u8; CHUNK];
    for item in bundle
        .items
        .iter()
        .filter(|i| i.included && !i.kind.is_part())
    {
        zip.start_file(item.path.as_str(), options(&item.path))
            .map_err(|e| io(&e))?;
        let mut hasher = Sha256::new();
        match &item.content {
            Content::Bytes(bytes) => {
                hasher.update(bytes);
                zip.write_all(bytes).map_err(|e| io(&e))?;
            }
            Content::File(path) => {
                let mut source = std::fs::File::open(path)
                    .map_err(|e| BundleError::unreadable(&item.label, &e))?;
                loop {
                    let n = source
                        .read(&mut buffer)
                        .map_err(|e| BundleError::unreadable(&item.label, &e))?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buffer[..n]);
                    zip.write_all(&buffer[..n]).map_err(|e| io(&e))?;
                }
            }
            Content::Part => {}
        }
        hashes.insert(item.id.clone(), hex(&hasher.finalize()));
    }
    let manifest = manifest(bundle, |id| hashes.get(id).cloned().unwrap_or_default());
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| io(&e))?;
    zip.start_file(MANIFEST, options(MANIFEST))
        .map_err(|e| io(&e))?;
    zip.write_all(&json).map_err(|e| io(&e))?;
    let writer = zip.finish().map_err(|e| io(&e))?;
    let file = writer.into_inner().map_err(|e| io(&e.error()))?;
    Ok((manifest, file))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
