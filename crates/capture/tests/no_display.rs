//! Without a display, the capture is a clear "no display" error (its own test binary: it changes
//! the process's environment).

#[cfg(target_os = "linux")]
#[test]
fn no_display_is_a_clear_error() {
    use chamado_capture::{capture_all, CaptureErrorCode, Lang};
    // The only test in this process: nothing else reads the environment meanwhile.
    std::env::remove_var("DISPLAY");
    std::env::remove_var("WAYLAND_DISPLAY");
    let err = capture_all().expect_err("no display, no capture");
    assert_eq!(err.code(), CaptureErrorCode::NoDisplay, "{err:?}");
    assert!(err.detail().contains("DISPLAY"), "{err:?}");
    assert!(err
        .message(Lang::PtBr)
        .starts_with("Não há tela para capturar"));
    assert!(err
        .message(Lang::En)
        .starts_with("There is no screen to capture"));
}
