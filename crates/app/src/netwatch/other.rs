//! Other systems (macOS): no network watcher yet; the sender still retries on its backoff.

pub fn watch_network(_on_change: Box<dyn Fn() + Send>) -> std::io::Result<()> {
    Ok(())
}
