//! When to try again: exponential backoff with jitter (so that a hundred customers whose network
//! came back do not all call at once), capped, and never sooner than the server asked.

use std::time::Duration;

pub const FIRST: Duration = Duration::from_secs(5);
pub const MAX: Duration = Duration::from_secs(30 * 60);
/// A server's Retry-After is honoured within these bounds: never an immediate retry loop, never
/// a ticket parked for days (or a wait so long it overflows a date).
pub const RETRY_AFTER_MIN: Duration = Duration::from_secs(1);
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(60 * 60);

/// A `Retry-After` header's wait, in either form (seconds, or an HTTP date, as of `now`),
/// clamped to [`RETRY_AFTER_MIN`]..=[`RETRY_AFTER_MAX`]; `None` if it is neither.
pub fn retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is a very long wait, not an error.
        Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        let at = jiff::fmt::rfc2822::DateTimeParser::new()
            .parse_timestamp(value)
            .ok()?;
        Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO)
    };
    Some(wait.clamp(RETRY_AFTER_MIN, RETRY_AFTER_MAX))
}

/// The wait before attempt `attempt + 1` (`attempt` failed ones so far, from 1): `FIRST`
/// doubled each time up to `MAX`, scaled by `jitter` in [0.5, 1.0], and at least `retry_after`
/// (itself at most [`RETRY_AFTER_MAX`]).
pub fn next_delay(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(20);
    let base = FIRST.saturating_mul(1u32 << doublings).min(MAX);
    let jittered = base.mul_f64(jitter.clamp(0.5, 1.0));
    match retry_after {
        Some(server) => jittered.max(server.min(RETRY_AFTER_MAX)),
        None => jittered,
    }
}

/// A jitter factor in [0.5, 1.0) from the OS's random source.
pub fn jitter() -> f64 {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    0.5 + f64::from(u32::from_le_bytes(b)) / f64::from(u32::MAX) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> jiff::Timestamp {
        "2026-12-06T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn retry_after_is_read_in_both_forms_and_clamped() {
        let secs = Duration::from_secs;
        assert_eq!(retry_after("120", now()), Some(secs(120)));
        assert_eq!(retry_after(" 7 ", now()), Some(secs(7)));
        // Zero would be an immediate retry loop; a huge number once overflowed into one.
        assert_eq!(retry_after("0", now()), Some(RETRY_AFTER_MIN));
        assert_eq!(retry_after("99999999999", now()), Some(RETRY_AFTER_MAX));
        assert_eq!(
            retry_after("184467440737095516150000", now()),
            Some(RETRY_AFTER_MAX)
        );
        // The HTTP date form: in a minute, in the past, in the next century.
        assert_eq!(
            retry_after("Sun, 06 Dec 2026 12:01:00 GMT", now()),
            Some(secs(60))
        );
        assert_eq!(
            retry_after("Sun, 06 Dec 2026 11:00:00 GMT", now()),
            Some(RETRY_AFTER_MIN)
        );
        assert_eq!(
            retry_after("Thu, 31 Dec 2099 23:59:59 GMT", now()),
            Some(RETRY_AFTER_MAX)
        );
        for junk in ["", "-5", "soon", "1.5", "Sun, 99 Foo 2026"] {
            assert_eq!(retry_after(junk, now()), None, "{junk:?}");
        }
        // Whatever reaches the backoff, the wait stays within its bound.
        assert_eq!(next_delay(1, Some(Duration::MAX), 1.0), RETRY_AFTER_MAX);
    }
}
