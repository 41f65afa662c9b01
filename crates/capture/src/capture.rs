//! Every monitor, captured through xcap (GDI on Windows, X11/XWayland or the portal on Linux).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use image::RgbaImage;
use serde::{Deserialize, Serialize};
use xcap::{Monitor, XCapError};

use crate::error::CaptureError;

/// Where a monitor sits and what it is, as the system reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorInfo {
    /// Its place in the system's list (0-based): names are not always unique.
    pub index: usize,
    pub name: String,
    /// Position of its top-left corner on the virtual desktop (can be negative).
    pub x: i32,
    pub y: i32,
    /// Size of the captured image in pixels.
    pub width: u32,
    pub height: u32,
    pub primary: bool,
}

/// One monitor's capture.
#[derive(Debug, Clone)]
pub struct Screenshot {
    pub monitor: MonitorInfo,
    pub image: RgbaImage,
}

impl Screenshot {
    /// Every pixel the same colour: what GDI gives for the secure desktop (a UAC prompt, the lock
    /// screen) or a window protected from capture (`WDA_MONITOR`), or a screen that really is
    /// blank. The UI can say so before the user sends it.
    pub fn is_blank(&self) -> bool {
        let raw = self.image.as_raw();
        raw.chunks_exact(4).all(|p| p == &raw[..4])
    }
}

/// A monitor that could not be captured while others were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorProblem {
    pub index: usize,
    /// Empty when even the name could not be read.
    pub name: String,
    pub error: CaptureError,
}

/// What [`capture_all`] got: at least one screenshot, and the monitors that failed.
#[derive(Debug, Clone)]
pub struct CaptureReport {
    pub screenshots: Vec<Screenshot>,
    pub problems: Vec<MonitorProblem>,
}

/// Captures every monitor, the primary one first.
///
/// `Err` only when nothing could be captured: no display, the monitors could not be listed, or
/// every monitor failed (then the first monitor's error). Otherwise the report holds every capture
/// and, in `problems`, the monitors that failed. Never panics: a panic in the capture library is a
/// `Failed` error.
pub fn capture_all() -> Result<CaptureReport, CaptureError> {
    check_display()?;
    let monitors = guarded(Monitor::all)
        .map_err(|e| classify(e, Stage::List, "listing the monitors"))?
        .map_err(|e| classify(Failure::Xcap(e), Stage::List, "listing the monitors"))?;
    if monitors.is_empty() {
        return Err(CaptureError::NoDisplay {
            detail: "the system lists no monitor".into(),
        });
    }

    let mut screenshots = Vec::with_capacity(monitors.len());
    let mut problems = Vec::new();
    for (index, monitor) in monitors.iter().enumerate() {
        match capture_one(index, monitor) {
            Ok(shot) => screenshots.push(shot),
            Err((name, error)) => problems.push(MonitorProblem { index, name, error }),
        }
    }
    if screenshots.is_empty() {
        let first = problems.swap_remove(0);
        return Err(first.error);
    }
    // Primary first, then the system's order.
    screenshots.sort_by_key(|s| (!s.monitor.primary, s.monitor.index));
    Ok(CaptureReport {
        screenshots,
        problems,
    })
}

/// [`capture_all`] within a time limit, as every probe runs: past it the capture is abandoned (its
/// thread left to finish on its own) and reported as `Failed`, and the ticket goes on.
pub fn capture_all_within(limit: Duration) -> Result<CaptureReport, CaptureError> {
    within(limit, capture_all)
}

fn within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> Result<T, CaptureError> + Send + 'static,
) -> Result<T, CaptureError> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("capture".into())
        .spawn(move || {
            let _ = tx.send(f());
        });
    if let Err(e) = spawned {
        return Err(CaptureError::Failed {
            detail: format!("starting the capture thread: {e}"),
        });
    }
    match rx.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(CaptureError::Failed {
            detail: format!("the capture did not finish within {} ms", limit.as_millis()),
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(CaptureError::Failed {
            detail: "the capture thread ended without an answer".into(),
        }),
    }
}

fn capture_one(index: usize, monitor: &Monitor) -> Result<Screenshot, (String, CaptureError)> {
    let name = guarded(|| monitor.name())
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let context = format!("capturing monitor {index} ({name})");
    let fail = |e: Failure| (name.clone(), classify(e, Stage::Capture, &context));
    let image = guarded(|| monitor.capture_image())
        .map_err(fail)?
        .map_err(|e| fail(Failure::Xcap(e)))?;
    if image.width() == 0 || image.height() == 0 {
        return Err((
            name,
            CaptureError::Failed {
                detail: "the capture is empty (0 pixels)".into(),
            },
        ));
    }
    // Position and primary are descriptive: a monitor whose position cannot be read is still sent.
    let read = |f: &dyn Fn() -> xcap::XCapResult<i32>| guarded(f).ok().and_then(Result::ok);
    let x = read(&|| monitor.x()).unwrap_or(0);
    let y = read(&|| monitor.y()).unwrap_or(0);
    let primary = guarded(|| monitor.is_primary())
        .ok()
        .and_then(Result::ok)
        .unwrap_or(index == 0);
    Ok(Screenshot {
        monitor: MonitorInfo {
            index,
            name,
            x,
            y,
            width: image.width(),
            height: image.height(),
            primary,
        },
        image,
    })
}

enum Failure {
    Xcap(XCapError),
    Panic(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    List,
    Capture,
}

/// Runs a call into the capture library, turning a panic into an error.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Failure::Panic(format!("the capture library panicked: {what}"))
    })
}

/// Linux: without `DISPLAY` or `WAYLAND_DISPLAY` there is no session to capture; say so plainly
/// instead of the library's socket error.
#[cfg(all(unix, not(target_os = "macos")))]
fn check_display() -> Result<(), CaptureError> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        Ok(())
    } else {
        Err(CaptureError::NoDisplay {
            detail: "neither DISPLAY nor WAYLAND_DISPLAY is set".into(),
        })
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn check_display() -> Result<(), CaptureError> {
    Ok(())
}

/// The error for the UI, with `context` (what was being done) and the system's words as detail.
fn classify(failure: Failure, stage: Stage, context: &str) -> CaptureError {
    let e = match failure {
        Failure::Panic(detail) => {
            return CaptureError::Failed {
                detail: format!("{context}: {detail}"),
            }
        }
        Failure::Xcap(e) => e,
    };
    let detail = format!("{context}: {}", describe(&e));
    if is_permission_denied(&e) {
        return CaptureError::PermissionDenied { detail };
    }
    if stage == Stage::List && is_connection_failure(&e) {
        return CaptureError::NoDisplay { detail };
    }
    CaptureError::Failed { detail }
}

/// The library's message; on Windows a call that failed without setting an error code says
/// "Success (0x00000000)", which would puzzle the analyst.
fn describe(e: &XCapError) -> String {
    #[cfg(windows)]
    if let XCapError::WindowsCoreError(w) = e {
        if w.code().0 == 0 {
            return "a Windows graphics call (GDI) failed without an error code".into();
        }
        return format!("{w} (HRESULT {:#010x})", w.code().0 as u32);
    }
    e.to_string()
}

#[cfg(windows)]
fn is_permission_denied(e: &XCapError) -> bool {
    // E_ACCESSDENIED: the secure desktop (UAC prompt, lock screen) or a session without rights.
    const E_ACCESSDENIED: i32 = 0x8007_0005_u32 as i32;
    matches!(e, XCapError::WindowsCoreError(w) if w.code().0 == E_ACCESSDENIED)
}

#[cfg(windows)]
fn is_connection_failure(_: &XCapError) -> bool {
    false
}

#[cfg(not(windows))]
fn is_permission_denied(e: &XCapError) -> bool {
    // The Wayland portal answers "cancelled" or "access denied" when the user or the policy
    // refuses; xcap passes the text through.
    let text = e.to_string().to_ascii_lowercase();
    [
        "access denied",
        "permission denied",
        "cancelled",
        "canceled",
        "not allowed",
    ]
    .iter()
    .any(|w| text.contains(w))
}

#[cfg(not(windows))]
fn is_connection_failure(e: &XCapError) -> bool {
    // Listing the monitors starts with the X connection: a failure there means no usable display.
    #[cfg(all(target_os = "linux", not(target_env = "ohos")))]
    if matches!(e, XCapError::XcbConnError(_)) {
        return true;
    }
    let text = e.to_string().to_ascii_lowercase();
    text.contains("connection") || text.contains("display")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_past_its_limit_is_a_failure_and_the_caller_goes_on() {
        let started = std::time::Instant::now();
        let slow = || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        };
        let err = within(Duration::from_millis(100), slow).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(err.code(), crate::CaptureErrorCode::Failed);
        assert!(err.detail().contains("within 100 ms"), "{err:?}");
        // In time: the answer, whatever it is.
        assert_eq!(within(Duration::from_secs(5), || Ok(7)), Ok(7));
        let no_display =
            || -> Result<(), _> { Err(CaptureError::NoDisplay { detail: "x".into() }) };
        assert_eq!(
            within(Duration::from_secs(5), no_display)
                .unwrap_err()
                .code(),
            crate::CaptureErrorCode::NoDisplay
        );
    }

    #[test]
    fn a_blank_capture_is_recognised() {
        let shot = |image: RgbaImage| Screenshot {
            monitor: MonitorInfo {
                index: 0,
                name: "m".into(),
                x: 0,
                y: 0,
                width: image.width(),
                height: image.height(),
                primary: true,
            },
            image,
        };
        assert!(shot(RgbaImage::from_pixel(8, 4, image::Rgba([0, 0, 0, 255]))).is_blank());
        let mut busy = RgbaImage::from_pixel(8, 4, image::Rgba([0, 0, 0, 255]));
        busy.get_pixel_mut(7, 3).0[2] = 1;
        assert!(!shot(busy).is_blank());
    }
}
