//! Prometheus metrics, in the text exposition format, without a metrics library: counters of
//! tickets and a latency histogram per route.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The forwarding queue's state, read from the database for each scrape.
#[derive(Debug, Default)]
pub struct Forwarding {
    /// Tickets not yet in osTicket.
    pub waiting: i64,
    /// Undelivered messages by the last error's kind.
    pub failing: Vec<(String, i64)>,
    pub in_doubt: i64,
    /// Messages that failed for good (a panic, a permanent error): no more attempts.
    pub failed: i64,
}

#[derive(Default)]
pub struct Metrics {
    pub tickets_taken: AtomicU64,
    pub tickets_replayed: AtomicU64,
    pub tickets_forwarded: AtomicU64,
    pub tickets_failed: AtomicU64,
    /// Attempts to forward to osTicket that failed (each retry counts).
    pub forward_failures: AtomicU64,
    /// Connections answered 503 and closed because `limits.max_connections` were open.
    pub connections_refused: AtomicU64,
    /// Requests cut because their body came too slowly (408).
    pub slow_bodies: AtomicU64,
    /// (method, route, status) → latencies.
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let mut map = self.requests.lock().expect("not poisoned");
        let h = map
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// The exposition text.
    pub fn render(
        &self,
        forwarding: &Forwarding,
        by_status: &[(String, i64)],
        mail_waiting: i64,
        mail_failed: i64,
    ) -> String {
        let waiting = forwarding.waiting;
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, v: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            );
        };
        counter(
            &mut out,
            "chamado_tickets_taken_total",
            "Tickets taken from the apps (first requests, not retries).",
            self.tickets_taken.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "chamado_tickets_replayed_total",
            "Retried ticket requests answered with the ticket they already made.",
            self.tickets_replayed.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "chamado_tickets_forwarded_total",
            "Tickets forwarded to the help desk.",
            self.tickets_forwarded.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "chamado_tickets_failed_total",
            "Ticket requests that failed on central's side.",
            self.tickets_failed.load(Ordering::Relaxed),
        );
        let _ = writeln!(
            out,
            "# HELP chamado_tickets_waiting Tickets waiting to be forwarded to the help desk.\n\
             # TYPE chamado_tickets_waiting gauge\nchamado_tickets_waiting {waiting}"
        );
        counter(
            &mut out,
            "chamado_forward_failures_total",
            "Attempts to forward to osTicket that failed (each retry counts).",
            self.forward_failures.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "chamado_connections_refused_total",
            "Connections answered 503 and closed: limits.max_connections were open.",
            self.connections_refused.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "chamado_slow_bodies_total",
            "Requests cut (408) because their body came too slowly.",
            self.slow_bodies.load(Ordering::Relaxed),
        );
        let _ = writeln!(
            out,
            "# HELP chamado_forward_failing Messages not yet in osTicket whose last attempt failed, by cause \
             (config: key, IP or URL refused; rejected: osTicket refused the ticket; unavailable).\n\
             # TYPE chamado_forward_failing gauge"
        );
        for kind in ["central", "config", "rejected", "unavailable"] {
            let n = forwarding
                .failing
                .iter()
                .find(|(k, _)| k == kind)
                .map_or(0, |(_, n)| *n);
            let _ = writeln!(out, "chamado_forward_failing{{cause=\"{kind}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP chamado_forward_in_doubt Tickets created through osTicket's JSON API after an attempt \
             whose outcome was lost (possibly twice in osTicket).\n\
             # TYPE chamado_forward_in_doubt gauge\nchamado_forward_in_doubt {}",
            forwarding.in_doubt
        );
        let _ = writeln!(
            out,
            "# HELP chamado_forward_failed Messages that failed for good and are no longer tried \
             (a panic or a permanent error; `admin tickets` lists them with the reason).\n\
             # TYPE chamado_forward_failed gauge\nchamado_forward_failed {}",
            forwarding.failed
        );
        let _ = writeln!(
            out,
            "# HELP chamado_mail_waiting E-mails to customers not sent yet.\n\
             # TYPE chamado_mail_waiting gauge\nchamado_mail_waiting {mail_waiting}"
        );
        let _ = writeln!(
            out,
            "# HELP chamado_mail_failed E-mails to customers that failed for good and are no longer \
             tried (`admin tickets` lists them with the reason).\n\
             # TYPE chamado_mail_failed gauge\nchamado_mail_failed {mail_failed}"
        );
        let _ = writeln!(
            out,
            "# HELP chamado_tickets Tickets stored, by status.\n# TYPE chamado_tickets gauge"
        );
        for (status, n) in by_status {
            let _ = writeln!(out, "chamado_tickets{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP chamado_http_request_duration_seconds Time to answer a request.\n\
             # TYPE chamado_http_request_duration_seconds histogram"
        );
        let map = self.requests.lock().expect("not poisoned");
        for ((method, route, status), h) in map.iter() {
            let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "chamado_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "chamado_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                 chamado_http_request_duration_seconds_sum{{{labels}}} {}\n\
                 chamado_http_request_duration_seconds_count{{{labels}}} {}",
                h.count, h.sum, h.count
            );
        }
        out
    }
}
