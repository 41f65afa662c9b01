//! Real captures. Linux: under Xvfb (tools/test runs this file under `xvfb-run`), known content is
//! drawn on the root window with `xsetroot` and the captured pixels are checked. Without a display
//! these tests say loudly that they did not run, and fail in CI (`CI=true`). Windows (the Windows
//! lane, under Wine): a capture either gives well-formed screenshots or a clear error, never
//! nothing.

mod support;

#[cfg(windows)]
use chamado_capture::Lang;
use chamado_capture::{capture_all, encode_webp_lossless};
#[cfg(target_os = "linux")]
use chamado_capture::{CaptureReport, Edits, Rect};

/// Prints past the test harness's capture, so it is seen in `cargo test`'s output.
#[allow(dead_code)]
fn loud(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// Whether there is a display; without one the test is skipped, or fails in CI (`CI=true`).
#[cfg(target_os = "linux")]
fn display() -> bool {
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return true;
    }
    chamado_testkit::skip_or_fail(
        "chamado-capture display test",
        "DISPLAY is not set (tools/test runs it under xvfb-run)",
    );
    false
}

/// An X connection held for the test's duration: Xvfb resets when its last client leaves (as
/// xsetroot does), which would put the root window back to black.
#[cfg(target_os = "linux")]
fn hold_display() -> xcb::Connection {
    xcb::Connection::connect(None).expect("an X connection").0
}

#[cfg(target_os = "linux")]
fn set_root(colour: &str) {
    let status = std::process::Command::new("xsetroot")
        .args(["-solid", colour])
        .status()
        .expect("xsetroot (Debian's x11-xserver-utils) runs");
    assert!(status.success(), "xsetroot -solid {colour}: {status}");
}

#[cfg(target_os = "linux")]
fn primary(report: &CaptureReport) -> &chamado_capture::Screenshot {
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let shot = &report.screenshots[0];
    assert!(shot.monitor.primary || report.screenshots.len() == 1);
    shot
}

#[cfg(target_os = "linux")]
#[test]
fn the_captured_pixels_are_what_the_screen_shows() {
    if !display() {
        return;
    }
    let _held = hold_display();
    for (colour, rgb) in [
        ("#3366cc", [0x33, 0x66, 0xcc]),
        ("#cc6633", [0xcc, 0x66, 0x33]),
    ] {
        set_root(colour);
        let report = capture_all().expect("a capture under Xvfb");
        let shot = primary(&report);
        let m = &shot.monitor;
        assert_eq!((m.width, m.height), shot.image.dimensions());
        assert!(m.width >= 640 && m.height >= 480, "{m:?}");
        let expect = [rgb[0], rgb[1], rgb[2], 255];
        let wrong = shot.image.pixels().filter(|p| p.0 != expect).count();
        assert_eq!(
            wrong,
            0,
            "{colour}: {wrong} pixels differ; first {:?}",
            shot.image.get_pixel(0, 0)
        );
        assert!(shot.is_blank(), "one colour all over reads as blank");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_real_capture_goes_through_edits_and_webp() {
    if !display() {
        return;
    }
    let _held = hold_display();
    // The other test changes the root colour: accept either, but one colour all over. Through
    // the time-limited entry point, as the app calls it.
    let report = chamado_capture::capture_all_within(std::time::Duration::from_secs(30))
        .expect("a capture under Xvfb");
    let shot = primary(&report);
    let colour = shot.image.get_pixel(0, 0).0;
    let edits = Edits {
        crop: Some(Rect::new(100, 50, 400, 300)),
        hide: vec![Rect::new(150, 100, 60, 40)],
        highlight: vec![],
    };
    let sent = edits.apply(shot.image.clone()).unwrap();
    let webp = encode_webp_lossless(&sent).unwrap();
    let back = support::decode_webp(&webp);
    assert_eq!(back.dimensions(), (400, 300));
    for (x, y, p) in back.enumerate_pixels() {
        let hidden = (50..110).contains(&x) && (50..90).contains(&y);
        let expect = if hidden { [0, 0, 0, 255] } else { colour };
        assert_eq!(p.0, expect, "({x}, {y})");
    }
    assert!(
        webp.len() < 4096,
        "a flat screen is tiny: {} bytes",
        webp.len()
    );
}

/// Windows (and Wine): screenshots that hold what they claim, or a clear error.
#[cfg(windows)]
#[test]
fn a_capture_gives_screenshots_or_a_clear_error() {
    match capture_all() {
        Ok(report) => {
            assert!(!report.screenshots.is_empty());
            for s in &report.screenshots {
                assert_eq!((s.monitor.width, s.monitor.height), s.image.dimensions());
                assert!(s.monitor.width > 0 && s.monitor.height > 0);
                let webp = encode_webp_lossless(&s.image).unwrap();
                assert_eq!(support::decode_webp(&webp), s.image);
            }
            loud(&format!(
                "capture: {} screenshot(s) {:?}, {} problem(s)",
                report.screenshots.len(),
                report
                    .screenshots
                    .iter()
                    .map(|s| (&s.monitor.name, s.monitor.width, s.monitor.height))
                    .collect::<Vec<_>>(),
                report.problems.len()
            ));
        }
        Err(e) => {
            // What was being done, then what the system said.
            assert!(e.detail().contains("monitor"), "{e:?}");
            assert!(!e.message(Lang::PtBr).is_empty() && !e.message(Lang::En).is_empty());
            loud(&format!(
                "capture failed as expected here: {} ({})",
                e.code().as_str(),
                e.detail()
            ));
        }
    }
}
