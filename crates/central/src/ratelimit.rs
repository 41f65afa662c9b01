//! Requests per key (an installation, or a client address for enrolment): a token bucket each,
//! refilled at the configured rate.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets kept before the full ones (nothing taken lately) are dropped: strangers' addresses
/// must not grow the map without end.
const MAX_KEYS: usize = 10_000;

pub struct RateLimiter<K = i64> {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request for `key`: `Err(seconds)` to wait when the bucket is empty.
    pub fn check(&self, key: K) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().expect("not poisoned");
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(&key) {
            let (per_second, burst) = (self.per_second, self.burst);
            buckets.retain(|_, (tokens, last)| {
                *tokens + now.duration_since(*last).as_secs_f64() * per_second < burst
            });
        }
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

/// The key a client address is limited by: the address itself for IPv4, its /64 for IPv6 (one
/// customer's network, where every machine can pick any address).
pub fn client_key(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.into(),
            None => {
                let s = v6.segments();
                std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0).into()
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::{client_key, RateLimiter};

    #[test]
    fn burst_then_refused_per_key() {
        let r = RateLimiter::new(1, 3);
        assert!(r.check(1).is_ok());
        assert!(r.check(1).is_ok());
        assert!(r.check(1).is_ok());
        assert_eq!(r.check(1), Err(60));
        assert!(r.check(2).is_ok());
    }

    #[test]
    fn many_strangers_do_not_grow_the_map_without_end() {
        let r = RateLimiter::new(60_000_000, 1);
        for k in 0..3 * super::MAX_KEYS as u32 {
            let _ = r.check(k);
            std::thread::sleep(std::time::Duration::from_nanos(1));
        }
        assert!(r.buckets.lock().unwrap().len() <= super::MAX_KEYS + 1);
    }

    #[test]
    fn an_ipv6_network_is_one_key() {
        let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        let v4: std::net::IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(v4).to_string(), "192.0.2.7");
    }
}
