//! When to try again: exponential backoff with jitter (so that a hundred customers whose network
//! came back do not all call at once), capped, and never sooner than the server asked.

use std::time::Duration;

pub const FIRST: Duration = Duration::from_secs(5);
pub const MAX: Duration = Duration::from_secs(30 * 60);

/// The wait before attempt `attempt + 1` (`attempt` failed ones so far, from 1): `FIRST`
/// doubled each time up to `MAX`, scaled by `jitter` in [0.5, 1.0], and at least `retry_after`.
pub fn next_delay(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(20);
    let base = FIRST.saturating_mul(1u32 << doublings).min(MAX);
    let jittered = base.mul_f64(jitter.clamp(0.5, 1.0));
    match retry_after {
        Some(server) => jittered.max(server),
        None => jittered,
    }
}

/// A jitter factor in [0.5, 1.0) from the OS's random source.
pub fn jitter() -> f64 {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    0.5 + f64::from(u32::from_le_bytes(b)) / f64::from(u32::MAX) / 2.0
}
