//! What the tests of several crates share (a dev-dependency only).
//!
//! A test that needs something this machine may lack (a PostgreSQL server, a display) calls
//! [`skip_or_fail`] when it is missing: on a developer's machine the test says loudly that it did
//! not run and returns; in CI (`CI=true`, as `tools/test` sets it for `.ci/run` and CI services
//! set it) nothing may be skipped, so the test fails with the same reason.

use std::io::Write;

#[cfg(feature = "central")]
pub mod central;

/// Whether the tests run in CI: `CI=true`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `what` cannot run because of `why`: panics in CI, else prints a notice past the test harness's
/// output capture (so it is seen in `cargo test`'s output) and returns, for the test to return.
#[track_caller]
pub fn skip_or_fail(what: &str, why: &str) {
    if in_ci() {
        panic!("{what} must run in CI (CI=true), but {why}");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {what}: {why}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn ci_is_only_ci_true() {
        // The environment is this process's: read, never changed (tests run in parallel).
        let expected = std::env::var("CI").as_deref() == Ok("true");
        assert_eq!(super::in_ci(), expected);
    }
}
