//! The screenshots of the ticket being prepared. The UI counts down (3-2-1, cancellable), then
//! asks for a capture: the window hides behind a [`Curtain`] (the glue's), every monitor is
//! captured (chamado-capture, on a blocking thread, within a time limit), the window comes back
//! with the focus, and the shots are stored in the data folder. The editor sends hide boxes and a
//! crop in the captured image's pixels; they are applied to the pixels and the UI shows what
//! comes back, never an overlay.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use chamado_capture::{
    CaptureError, CaptureErrorCode, CaptureReport, Edits, ShotInfo, ShotStore, StoreError,
};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};

/// As for the command line's capture: a hung capture library must not hold the window hidden.
const CAPTURE_LIMIT: Duration = Duration::from_secs(10);

/// The window's screenshot state: the store, and whether a capture is under way.
pub struct Screens {
    store: ShotStore,
    busy: AtomicBool,
}

impl Screens {
    pub fn new(store: ShotStore) -> Screens {
        Screens {
            store,
            busy: AtomicBool::new(false),
        }
    }
}

/// A stored shot as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShotView {
    pub id: u32,
    /// Its place in the list from 1: the `N` of `tela-N.webp` in the bundle.
    pub number: u32,
    pub monitor: String,
    pub primary: bool,
    /// The captured image's size: the editor's rectangles are in these pixels.
    pub captured_width: u32,
    pub captured_height: u32,
    /// The size as sent (after the crop).
    pub width: u32,
    pub height: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// One colour all over: possibly a protected or locked screen.
    pub blank: bool,
    pub edits: Edits,
    /// The thumbnail of the image as sent, as a `data:` URL.
    pub thumbnail: String,
}

/// What a capture gave: every shot now stored (the new ones listed in `added`), the capture's
/// failure when nothing was captured, and the monitors that failed beside others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaptureOutcome {
    pub shots: Vec<ShotView>,
    pub added: Vec<u32>,
    pub failure: Option<CaptureFailure>,
    pub problems: Vec<CaptureFailure>,
}

/// A capture that did not happen: the UI words it by `code`; `detail` is the system's, for the
/// analyst.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaptureFailure {
    pub code: CaptureErrorCode,
    /// The monitor, when others were captured.
    pub monitor: Option<String>,
    pub detail: String,
}

impl CaptureFailure {
    fn new(e: &CaptureError, monitor: Option<String>) -> CaptureFailure {
        CaptureFailure {
            code: e.code(),
            monitor,
            detail: e.detail().to_owned(),
        }
    }
}

/// An image for the editor, with its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScreenImage {
    pub data_url: String,
    pub width: u32,
    pub height: u32,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NoSuchShot(id) => {
                AppError::new(ErrorCode::NoSuchShot, format!("no screenshot {id}"))
            }
            StoreError::Edit(e) => AppError {
                code: ErrorCode::EditRejected,
                message: format!("{}: {:?}", e.field, e.problem),
                field: Some(e.field),
                problem: Some(e.problem),
            },
            // The message names the file and what the system said.
            other => {
                tracing::warn!("screenshot store: {other}");
                AppError::new(ErrorCode::Storage, other.to_string())
            }
        }
    }
}

fn data_url(webp: &[u8]) -> String {
    format!(
        "data:image/webp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(webp)
    )
}

fn view(store: &ShotStore, number: usize, info: &ShotInfo) -> Result<ShotView, StoreError> {
    Ok(ShotView {
        id: info.id,
        number: number as u32 + 1,
        monitor: info.monitor.name.clone(),
        primary: info.monitor.primary,
        captured_width: info.monitor.width,
        captured_height: info.monitor.height,
        width: info.width,
        height: info.height,
        bytes: info.bytes,
        blank: info.blank,
        edits: info.edits.clone(),
        thumbnail: data_url(&store.thumbnail(info.id)?),
    })
}

fn views(store: &ShotStore) -> Result<Vec<ShotView>, StoreError> {
    let list = store.list()?;
    list.iter()
        .enumerate()
        .map(|(i, info)| view(store, i, info))
        .collect()
}

/// Stores what was captured and says what happened; a failed capture is part of the outcome, not
/// an error: the ticket goes on.
fn outcome(
    store: &ShotStore,
    captured: Result<CaptureReport, CaptureError>,
) -> Result<CaptureOutcome, StoreError> {
    let (added, failure, problems) = match captured {
        Ok(report) => {
            let added = store.add(&report.screenshots)?;
            let problems = report
                .problems
                .iter()
                .map(|p| CaptureFailure::new(&p.error, Some(p.name.clone())))
                .collect();
            (added.iter().map(|s| s.id).collect(), None, problems)
        }
        Err(e) => (Vec::new(), Some(CaptureFailure::new(&e, None)), Vec::new()),
    };
    Ok(CaptureOutcome {
        shots: views(store)?,
        added,
        failure,
        problems,
    })
}

/// What hides Chamado during a capture: the window, or a test's stand-in.
pub trait Curtain {
    /// Hides the window and returns once it is off the screen.
    fn hide(&self);
    /// Shows the window again, in front, with the focus.
    fn show(&self);
}

/// Runs `capture` with the window hidden; the window comes back whatever happens, a panic
/// included.
fn behind<T>(curtain: &impl Curtain, capture: impl FnOnce() -> T) -> T {
    struct Restore<'a, C: Curtain>(&'a C);
    impl<C: Curtain> Drop for Restore<'_, C> {
        fn drop(&mut self) {
            self.0.show();
        }
    }
    curtain.hide();
    let _restore = Restore(curtain);
    capture()
}

/// Clears the busy flag when the capture ends, however it ends.
struct Busy<'a>(&'a AtomicBool);

impl<'a> Busy<'a> {
    fn take(flag: &'a AtomicBool) -> Result<Busy<'a>, AppError> {
        flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .map(|_| Busy(flag))
            .map_err(|_| AppError::new(ErrorCode::Busy, "a capture is already under way"))
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// Runs store work on a blocking thread (encoding takes tens of milliseconds per screen).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(AppError::from),
        Err(e) => Err(AppError::new(ErrorCode::Internal, e.to_string())),
    }
}

impl Screens {
    /// Captures every monitor with the window hidden behind `curtain`, and stores the shots.
    pub async fn capture(
        &self,
        curtain: impl Curtain + Send + 'static,
    ) -> Result<CaptureOutcome, AppError> {
        let _busy = Busy::take(&self.busy)?;
        let store = self.store.clone();
        blocking(move || {
            let started = Instant::now();
            let captured = behind(&curtain, || {
                chamado_capture::capture_all_within(CAPTURE_LIMIT)
            });
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            match &captured {
                Ok(r) => tracing::info!(
                    screens = r.screenshots.len(),
                    failed = r.problems.len(),
                    elapsed_ms = format!("{ms:.1}"),
                    "screens captured"
                ),
                Err(e) => tracing::warn!(code = e.code().as_str(), "screen capture failed: {e}"),
            }
            outcome(&store, captured)
        })
        .await
    }

    pub async fn list(&self) -> Result<Vec<ShotView>, AppError> {
        let store = self.store.clone();
        blocking(move || views(&store)).await
    }

    /// The captured image (`original`, for the editor) or the image as it will be sent.
    pub async fn image(&self, id: u32, original: bool) -> Result<ScreenImage, AppError> {
        let store = self.store.clone();
        blocking(move || {
            let info = store.info(id)?;
            Ok(if original {
                ScreenImage {
                    data_url: data_url(&store.original(id)?),
                    width: info.monitor.width,
                    height: info.monitor.height,
                }
            } else {
                ScreenImage {
                    data_url: data_url(&store.edited(id)?),
                    width: info.width,
                    height: info.height,
                }
            })
        })
        .await
    }

    /// Applies the edits (replacing earlier ones) to the captured pixels; returns the shot as it
    /// now is.
    pub async fn edit(&self, id: u32, edits: Edits) -> Result<ShotView, AppError> {
        let store = self.store.clone();
        blocking(move || {
            let info = store.edit(id, &edits)?;
            tracing::info!(
                id,
                hidden = edits.hide.len(),
                cropped = edits.crop.is_some(),
                "screenshot edited"
            );
            let number = store.list()?.iter().position(|s| s.id == id).unwrap_or(0);
            view(&store, number, &info)
        })
        .await
    }

    /// Every screenshot as the bundle takes it: `tela-N.webp` as edited, with its thumbnail.
    pub async fn for_bundle(
        &self,
    ) -> Result<Vec<(String, Vec<u8>, chamado_bundle::Preview)>, AppError> {
        let store = self.store.clone();
        let files = blocking(move || store.final_files()).await?;
        let mut out = Vec::new();
        for f in files {
            let read = |p: &std::path::Path| {
                std::fs::read(p)
                    .map_err(|e| AppError::new(ErrorCode::Storage, format!("{}: {e}", p.display())))
            };
            let thumb = read(&f.thumbnail)?;
            out.push((
                f.name,
                read(&f.path)?,
                chamado_bundle::Preview::Image {
                    mime: "image/webp".into(),
                    base64: base64::engine::general_purpose::STANDARD.encode(thumb),
                },
            ));
        }
        Ok(out)
    }

    /// Every screenshot goes (the ticket was sent or abandoned).
    pub async fn clear(&self) -> Result<(), AppError> {
        let store = self.store.clone();
        blocking(move || store.clear()).await
    }

    pub async fn remove(&self, id: u32) -> Result<Vec<ShotView>, AppError> {
        let store = self.store.clone();
        blocking(move || {
            store.remove(id)?;
            tracing::info!(id, "screenshot removed");
            views(&store)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_capture::{MonitorInfo, MonitorProblem, Rect, RectProblem, Screenshot};
    use std::cell::RefCell;

    fn shot(index: usize, colour: [u8; 4]) -> Screenshot {
        Screenshot {
            monitor: MonitorInfo {
                index,
                name: format!("HDMI-{index}"),
                x: 0,
                y: 0,
                width: 40,
                height: 30,
                primary: index == 0,
            },
            image: chamado_capture::RgbaImage::from_raw(40, 30, colour.repeat(40 * 30)).unwrap(),
        }
    }

    #[derive(Default)]
    struct Recorder(RefCell<Vec<&'static str>>);
    impl Curtain for Recorder {
        fn hide(&self) {
            self.0.borrow_mut().push("hide");
        }
        fn show(&self) {
            self.0.borrow_mut().push("show");
        }
    }

    #[test]
    fn the_window_is_hidden_during_the_capture_and_always_comes_back() {
        let r = Recorder::default();
        let got = behind(&r, || {
            r.0.borrow_mut().push("capture");
            7
        });
        assert_eq!(got, 7);
        assert_eq!(*r.0.borrow(), ["hide", "capture", "show"]);

        let r = Recorder::default();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            behind(&r, || -> () { panic!("the capture library broke") })
        }));
        assert!(panicked.is_err());
        assert_eq!(*r.0.borrow(), ["hide", "show"], "shown again after a panic");
    }

    #[test]
    fn a_second_capture_while_one_runs_is_refused_until_it_ends() {
        let flag = AtomicBool::new(false);
        let first = Busy::take(&flag).unwrap();
        assert_eq!(
            Busy::take(&flag).err().map(|e| e.code),
            Some(ErrorCode::Busy)
        );
        drop(first);
        assert!(Busy::take(&flag).is_ok());
    }

    #[test]
    fn a_capture_is_stored_and_a_failed_monitor_reported_by_code() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path());
        let report = CaptureReport {
            screenshots: vec![shot(0, [10, 20, 30, 255])],
            problems: vec![MonitorProblem {
                index: 1,
                name: "DP-2".into(),
                error: CaptureError::PermissionDenied {
                    detail: "E_ACCESSDENIED".into(),
                },
            }],
        };
        let out = outcome(&store, Ok(report)).unwrap();
        assert_eq!(out.added, [1]);
        assert_eq!(out.failure, None);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].code, CaptureErrorCode::PermissionDenied);
        assert_eq!(out.problems[0].monitor.as_deref(), Some("DP-2"));
        let v = &out.shots[0];
        assert_eq!((v.id, v.number, v.monitor.as_str()), (1, 1, "HDMI-0"));
        assert!(v.blank, "one colour all over");
        assert!(
            v.thumbnail.starts_with("data:image/webp;base64,UklG"),
            "a RIFF file"
        );

        // A second capture adds after the first; a failed one keeps what was there.
        let out = outcome(
            &store,
            Ok(CaptureReport {
                screenshots: vec![shot(0, [1, 2, 3, 255])],
                problems: vec![],
            }),
        )
        .unwrap();
        assert_eq!(out.added, [2]);
        assert_eq!(out.shots.len(), 2);
        let out = outcome(
            &store,
            Err(CaptureError::NoDisplay {
                detail: "DISPLAY unset".into(),
            }),
        )
        .unwrap();
        let failure = out.failure.unwrap();
        assert_eq!(failure.code, CaptureErrorCode::NoDisplay);
        assert_eq!(failure.detail, "DISPLAY unset");
        assert!(out.added.is_empty());
        assert_eq!(out.shots.len(), 2, "earlier shots kept");
    }

    #[test]
    fn store_errors_become_codes_the_ui_acts_on() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path());
        store.add(&[shot(0, [0, 0, 0, 255])]).unwrap();
        let bad = Edits {
            crop: Some(Rect::new(0, 0, 0, 5)),
            hide: vec![],
            highlight: vec![],
        };
        let e = AppError::from(store.edit(1, &bad).unwrap_err());
        assert_eq!(e.code, ErrorCode::EditRejected);
        assert_eq!(e.field.as_deref(), Some("crop.width"));
        assert_eq!(e.problem, Some(RectProblem::Empty));
        let e = AppError::from(store.remove(5).unwrap_err());
        assert_eq!(e.code, ErrorCode::NoSuchShot);
        std::fs::write(tmp.path().join("0001/shot.json"), b"[").unwrap();
        let e = AppError::from(store.info(1).unwrap_err());
        assert_eq!(e.code, ErrorCode::Storage, "a damaged record");
        assert!(
            e.message.contains("shot.json"),
            "names the file: {}",
            e.message
        );
    }

    #[test]
    fn the_wire_format_is_what_the_ui_expects() {
        let json = serde_json::to_value(AppError {
            code: ErrorCode::EditRejected,
            message: "hide[0].x: OutsideImage".into(),
            field: Some("hide[0].x".into()),
            problem: Some(RectProblem::OutsideImage),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "edit_rejected", "message": "hide[0].x: OutsideImage",
                "field": "hide[0].x", "problem": "outside_image"})
        );
        let f = CaptureFailure::new(&CaptureError::Failed { detail: "x".into() }, None);
        assert_eq!(serde_json::to_value(f).unwrap()["code"], "failed");
    }
}
