//! `watch_network(on_change)`: calls `on_change` from a thread of its own when the network may
//! have come back, from the OS's own notification (never by polling).

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::watch_network;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::watch_network;

#[cfg(not(any(target_os = "linux", windows)))]
mod other;
#[cfg(not(any(target_os = "linux", windows)))]
pub use other::watch_network;

#[cfg(test)]
mod tests {
    /// The OS's watcher starts (on Windows: `NotifyAddrChange`, under Wine in CI) without
    /// blocking the caller; its thread then waits for a change.
    #[test]
    fn the_watcher_starts_without_blocking() {
        let started = std::time::Instant::now();
        super::watch_network(Box::new(|| {})).expect("the watcher starts");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
