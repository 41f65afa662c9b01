//! Requests per installation: a token bucket each, refilled at the configured rate.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request for `key`: `Err(seconds)` to wait when the bucket is empty.
    pub fn check(&self, key: i64) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().expect("not poisoned");
        let (tokens, last) = buckets.entry(key).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimiter;

    #[test]
    fn burst_then_refused_per_key() {
        let r = RateLimiter::new(1, 3);
        assert!(r.check(1).is_ok());
        assert!(r.check(1).is_ok());
        assert!(r.check(1).is_ok());
        assert_eq!(r.check(1), Err(60));
        assert!(r.check(2).is_ok());
    }
}
