//! The collection pipeline, once: every probe and check, compared with the last snapshot that
//! worked (and stored), then a bundle composed and redacted from the report.

use std::path::{Path, PathBuf};

use chamado_bundle::{compose, BundleError, BundleTicket, Limits, Preview};
use chamado_capture::CaptureError;
use chamado_diagnostics::{report, snapshot};
use chamado_profile::{Lang, Profile};

/// Who wrote a report or a bundle.
pub const GENERATOR: &str = concat!("chamado ", env!("CARGO_PKG_VERSION"));

/// A collection, and why "what changed" could not be kept for next time (a warning: the report
/// itself is whole).
pub struct Collected {
    pub report: report::Report,
    pub snapshot_problem: Option<snapshot::StoreError>,
}

/// Runs every probe and check (`done` told of each part as it finishes), compares with the last
/// snapshot that worked and stores this one (`works`: everything works now, keep it as the
/// reference).
pub async fn collect(
    profile: &Profile,
    data_dir: &Path,
    options: &report::Options,
    works: bool,
    done: &(dyn Fn(report::Part) + Sync),
) -> Collected {
    collect_streaming(profile, data_dir, options, works, &|p| {
        if let Some(part) = p.part() {
            done(part)
        }
    })
    .await
}

/// [`collect`], handing `on` each part's data (and each network check) as it finishes.
pub async fn collect_streaming(
    profile: &Profile,
    data_dir: &Path,
    options: &report::Options,
    works: bool,
    on: &(dyn Fn(report::Progress<'_>) + Sync),
) -> Collected {
    let mut r = report::collect_streaming(profile, GENERATOR, options, on).await;
    let store = snapshot::SnapshotStore::new(data_dir.join("snapshots"));
    let snapshot_problem = report::compare_and_store(&mut r, profile, &store, works).err();
    Collected {
        report: r,
        snapshot_problem,
    }
}

/// Stores `report`'s snapshot again, as the reference: the customer says things work now.
pub fn mark_working(
    report: &report::Report,
    profile: &Profile,
    data_dir: &Path,
) -> Result<(), snapshot::StoreError> {
    let store = snapshot::SnapshotStore::new(data_dir.join("snapshots"));
    report::compare_and_store(&mut report.clone(), profile, &store, true)
}

/// The profile's limits, in bytes.
pub fn limits_of(profile: &Profile) -> Limits {
    let kib = |k: u32| u64::from(k) * 1024;
    Limits {
        budget_bytes: kib(profile.bundle.budget_kib),
        attachment_max_bytes: kib(profile.bundle.attachment_max_kib),
        attachments_total_max_bytes: kib(profile.bundle.attachments_total_max_kib),
    }
}

/// What goes into a bundle besides the report.
#[derive(Default)]
pub struct BundleInputs {
    pub ticket: BundleTicket,
    pub attachments: Vec<PathBuf>,
    pub screenshots: Vec<(String, Vec<u8>, Preview)>,
}

/// The bundle's draft (its review, leave-outs, writing), redacted with the user's home folder
/// among the known personal values.
pub fn compose(
    report: &report::Report,
    profile: &Profile,
    inputs: BundleInputs,
    lang: Lang,
) -> Result<compose::Draft, BundleError> {
    let inputs = compose::Inputs {
        ticket: inputs.ticket,
        home_dir: dirs::home_dir().map(|h| h.to_string_lossy().into_owned()),
        attachments: inputs.attachments,
        screenshots: inputs.screenshots,
        ..compose::Inputs::default()
    };
    compose::from_report(report, profile, inputs, GENERATOR, limits_of(profile), lang)
}

/// A fresh collection as a bundle for `chamado send/add/attach --collect` (`ticket` says what it
/// is for), written in the data folder (the outbox keeps its own copy).
pub async fn bundle_for_send(
    profile: &Profile,
    data_dir: &Path,
    ticket: BundleTicket,
    lang: Lang,
) -> Result<PathBuf, BundleError> {
    let collected = collect(
        profile,
        data_dir,
        &report::Options::default(),
        false,
        &|_| {},
    )
    .await;
    let inputs = BundleInputs {
        ticket,
        ..BundleInputs::default()
    };
    let draft = compose(&collected.report, profile, inputs, lang)?;
    let path = data_dir.join("coleta-para-envio.zip");
    draft.write(&path, false)?;
    Ok(path)
}

/// Screens captured for a bundle.
pub struct Captured {
    /// `tela-N.webp`, the lossless image, and its thumbnail.
    pub screenshots: Vec<(String, Vec<u8>, Preview)>,
    /// Monitors that could not be captured (by name), or the capture as a whole (no name).
    pub problems: Vec<(Option<String>, CaptureError)>,
}

/// Every screen, as lossless WebP with a thumbnail; what fails (no display, the secure desktop)
/// is a problem beside the others, never the bundle's end.
pub fn capture_for_bundle() -> Captured {
    use base64::Engine as _;
    let report = match chamado_capture::capture_all_within(std::time::Duration::from_secs(10)) {
        Ok(r) => r,
        Err(e) => {
            return Captured {
                screenshots: Vec::new(),
                problems: vec![(None, e)],
            }
        }
    };
    let images: Vec<_> = report.screenshots.iter().map(|s| &s.image).collect();
    let encoded = chamado_capture::encode_webp_lossless_all(&images);
    let screenshots = report
        .screenshots
        .iter()
        .zip(encoded)
        .enumerate()
        .filter_map(|(i, (shot, webp))| {
            let webp = webp.ok()?;
            let (w, h) = chamado_capture::THUMB_MAX;
            let preview = match chamado_capture::thumbnail(&shot.image, w, h) {
                Ok(t) => Preview::Image {
                    mime: "image/webp".into(),
                    base64: base64::engine::general_purpose::STANDARD.encode(t.webp),
                },
                Err(_) => Preview::None,
            };
            Some((format!("tela-{}.webp", i + 1), webp, preview))
        })
        .collect();
    Captured {
        screenshots,
        problems: report
            .problems
            .into_iter()
            .map(|p| (Some(p.name), p.error))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_part_is_told_as_it_finishes_and_the_snapshot_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let profile = chamado_profile::builtin();
        let parts = std::sync::Mutex::new(Vec::new());
        let options = report::Options { skip_checks: true };
        let collected = collect(&profile, tmp.path(), &options, true, &|p| {
            parts.lock().unwrap().push(p)
        })
        .await;
        let mut parts = parts.into_inner().unwrap();
        parts.sort_by_key(|p| format!("{p:?}"));
        parts.dedup();
        assert_eq!(parts.len(), 10, "every part, once: {parts:?}");
        assert!(collected.snapshot_problem.is_none());
        assert!(
            tmp.path().join("snapshots").is_dir(),
            "kept for \"what changed\""
        );
    }
}
