//! One sender at a time per data folder, across processes (the open window and `chamado send`):
//! an OS file lock on `outbox/.sender.lock`, released when the guard drops or the process dies
//! (even by SIGKILL). Central's idempotency key already makes a double send harmless; the lock
//! keeps two senders from racing over the same entry files (one removing what the other saves).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// Held while delivering; dropping it lets the other sender in.
#[derive(Debug)]
pub struct SenderLock {
    _file: File,
}

const FILE: &str = ".sender.lock";

fn open(outbox_dir: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(outbox_dir.join(FILE))
}

impl SenderLock {
    /// Waits until no other sender holds the lock.
    pub fn acquire(outbox_dir: &Path) -> std::io::Result<SenderLock> {
        let file = open(outbox_dir)?;
        file.lock()?;
        Ok(SenderLock { _file: file })
    }

    /// The lock if it is free now, else `None`.
    pub fn try_acquire(outbox_dir: &Path) -> std::io::Result<Option<SenderLock>> {
        let file = open(outbox_dir)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SenderLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}
