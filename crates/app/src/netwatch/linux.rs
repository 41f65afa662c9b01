//! Network changes on Linux: an rtnetlink socket subscribed to link, address and route events.
//! Only a change that can bring the network back (a link running, an address or a route added)
//! wakes the sender; removals do not.

use std::io;

use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{bind, recv, socket, AddressFamily, RecvFlags, SocketType};

const RTMGRP_LINK: u32 = 0x1;
const RTMGRP_IPV4_IFADDR: u32 = 0x10;
const RTMGRP_IPV4_ROUTE: u32 = 0x40;
const RTMGRP_IPV6_IFADDR: u32 = 0x100;
const RTMGRP_IPV6_ROUTE: u32 = 0x400;

const RTM_NEWLINK: u16 = 16;
const RTM_NEWADDR: u16 = 20;
const RTM_NEWROUTE: u16 = 24;
const IFF_RUNNING: u32 = 0x40;
/// `struct nlmsghdr`: length, type, flags, sequence, port.
const HEADER: usize = 16;

/// Calls `on_change` from a thread of its own whenever the network may have come back.
pub fn watch_network(on_change: Box<dyn Fn() + Send>) -> io::Result<()> {
    // `None`: NETLINK_ROUTE.
    let fd = socket(AddressFamily::NETLINK, SocketType::RAW, None)?;
    let groups = RTMGRP_LINK
        | RTMGRP_IPV4_IFADDR
        | RTMGRP_IPV4_ROUTE
        | RTMGRP_IPV6_IFADDR
        | RTMGRP_IPV6_ROUTE;
    bind(&fd, &SocketAddrNetlink::new(0, groups))?;
    std::thread::Builder::new()
        .name("netwatch".into())
        .spawn(move || {
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match recv(&fd, &mut buf[..], RecvFlags::empty()) {
                    Ok((n, _)) => {
                        if network_may_be_back(&buf[..n]) {
                            on_change();
                        }
                    }
                    Err(rustix::io::Errno::INTR) => {}
                    // The kernel dropped events (a burst): something changed.
                    Err(rustix::io::Errno::NOBUFS) => on_change(),
                    Err(e) => {
                        tracing::warn!("network watcher stopped: {e}");
                        return;
                    }
                }
            }
        })?;
    Ok(())
}

/// Whether a datagram of rtnetlink messages holds a link now running, or an address or a route
/// added. Pure: tested on recorded messages.
pub fn network_may_be_back(mut buf: &[u8]) -> bool {
    let mut back = false;
    while buf.len() >= HEADER {
        let len = u32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        if len < HEADER || len > buf.len() {
            break;
        }
        let kind = u16::from_ne_bytes([buf[4], buf[5]]);
        back |= match kind {
            RTM_NEWADDR | RTM_NEWROUTE => true,
            // `struct ifinfomsg`: family, pad, type, index, then the flags.
            RTM_NEWLINK => buf
                .get(HEADER + 8..HEADER + 12)
                .is_some_and(|f| u32::from_ne_bytes([f[0], f[1], f[2], f[3]]) & IFF_RUNNING != 0),
            _ => false,
        };
        // Messages are aligned to 4 bytes.
        let next = (len + 3) & !3;
        buf = buf.get(next..).unwrap_or(&[]);
    }
    back
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One message: header, then `body`.
    fn message(kind: u16, body: &[u8]) -> Vec<u8> {
        let len = (HEADER + body.len()) as u32;
        let mut m = Vec::new();
        m.extend_from_slice(&len.to_ne_bytes());
        m.extend_from_slice(&kind.to_ne_bytes());
        m.extend_from_slice(&[0; 10]);
        m.extend_from_slice(body);
        while m.len() % 4 != 0 {
            m.push(0);
        }
        m
    }

    fn link(flags: u32) -> Vec<u8> {
        // ifinfomsg: family, pad, type (ARPHRD_ETHER), index 2, flags, change mask.
        let mut body = vec![0u8, 0];
        body.extend_from_slice(&1u16.to_ne_bytes());
        body.extend_from_slice(&2i32.to_ne_bytes());
        body.extend_from_slice(&flags.to_ne_bytes());
        body.extend_from_slice(&u32::MAX.to_ne_bytes());
        body.extend_from_slice(&[8, 0, 3, 0, b'e', b't', b'h', 0]);
        message(RTM_NEWLINK, &body)
    }

    #[test]
    fn a_link_running_or_an_address_or_route_added_wakes() {
        // IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP: a cable plugged in.
        assert!(network_may_be_back(&link(0x1_1043)));
        assert!(network_may_be_back(&message(
            RTM_NEWADDR,
            &[2, 24, 0, 0, 2, 0, 0, 0]
        )));
        assert!(network_may_be_back(&message(
            RTM_NEWROUTE,
            &[2, 0, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]
        )));
    }

    #[test]
    fn a_link_going_down_or_removals_do_not_wake() {
        // IFF_UP | IFF_BROADCAST | IFF_MULTICAST, not running: the cable pulled out.
        assert!(!network_may_be_back(&link(0x1003)));
        assert!(!network_may_be_back(&message(
            21,
            &[2, 24, 0, 0, 2, 0, 0, 0]
        ))); // RTM_DELADDR
        assert!(!network_may_be_back(&message(25, &[0; 12]))); // RTM_DELROUTE
    }

    /// The real socket, in a private user and network namespace (`unshare -rn`): this test runs
    /// itself again inside one, where bringing loopback up is a real link, address and route
    /// change that no other process sees.
    #[test]
    fn the_watcher_wakes_when_a_real_link_comes_up() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        const INSIDE: &str = "CHAMADO_NETWATCH_NAMESPACE";
        let name = "netwatch::linux::tests::the_watcher_wakes_when_a_real_link_comes_up";
        if std::env::var_os(INSIDE).is_none() {
            let out = std::process::Command::new("unshare")
                .args(["-rn"])
                .arg(std::env::current_exe().unwrap())
                .args(["--exact", name, "--nocapture"])
                .env(INSIDE, "1")
                .output()
                .expect("unshare (util-linux) runs");
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success() && text.contains("1 passed"), "{text}");
            return;
        }
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        watch_network(Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }))
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing changed yet");
        let ip = std::process::Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .unwrap();
        assert!(ip.success());
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while calls.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            calls.load(Ordering::SeqCst) > 0,
            "no wake for loopback coming up"
        );
    }

    #[test]
    fn any_message_of_a_batch_counts_and_garbage_is_ignored() {
        let mut batch = message(21, &[0; 8]);
        batch.extend(message(RTM_NEWADDR, &[0; 8]));
        assert!(network_may_be_back(&batch));
        assert!(!network_may_be_back(&[0xff; 7]));
        // A length beyond the datagram.
        let mut cut = message(RTM_NEWADDR, &[0; 8]);
        cut[0] = 200;
        assert!(!network_may_be_back(&cut));
    }
}
