//! Network changes on Windows: `NotifyAddrChange` in its synchronous form blocks a thread of its
//! own until the IPv4 address table changes (an adapter connected, DHCP answered), costing
//! nothing while it waits. IPv4 suffices: the customers' networks and central are reached over
//! it, and an adapter coming back gets its IPv4 address too.

use std::io;

use windows_sys::Win32::Foundation::NO_ERROR;
use windows_sys::Win32::NetworkManagement::IpHelper::NotifyAddrChange;

/// Calls `on_change` from a thread of its own whenever an address is added or removed.
pub fn watch_network(on_change: Box<dyn Fn() + Send>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("netwatch".into())
        .spawn(move || loop {
            if let Err(e) = wait_for_change() {
                tracing::warn!("network watcher stopped: {e}");
                return;
            }
            on_change();
        })?;
    Ok(())
}

// unsafe_code is allowed here only: the FFI call itself, with both pointers null.
#[allow(unsafe_code)]
fn wait_for_change() -> io::Result<()> {
    // SAFETY: with a null handle and a null OVERLAPPED the call is synchronous: it reads and
    // writes nothing of ours and returns when the address table changes.
    let rc = unsafe { NotifyAddrChange(std::ptr::null_mut(), std::ptr::null()) };
    if rc == NO_ERROR {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(rc as i32))
    }
}
