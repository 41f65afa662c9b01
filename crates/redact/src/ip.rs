//! Which IP addresses are redacted: public ones. Private LAN addresses stay because support needs
//! them (which network the PC is on, its gateway, its DNS server).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Public resolvers: seeing that a PC uses one of these (and so cannot resolve the company's
/// internal names) is a frequent diagnosis, and they say nothing about the customer.
const WELL_KNOWN_V4: [[u8; 4]; 9] = [
    [8, 8, 8, 8],
    [8, 8, 4, 4],
    [1, 1, 1, 1],
    [1, 0, 0, 1],
    [9, 9, 9, 9],
    [149, 112, 112, 112],
    [208, 67, 222, 222],
    [208, 67, 220, 220],
    [4, 2, 2, 2],
];
const WELL_KNOWN_V6: [[u16; 8]; 6] = [
    [0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888],
    [0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8844],
    [0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111],
    [0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1001],
    [0x2620, 0xfe, 0, 0, 0, 0, 0, 0xfe],
    [0x2620, 0x119, 0x35, 0, 0, 0, 0, 0x35],
];

/// Whether the address is a public (globally routed) one. Not public: RFC 1918, loopback,
/// link-local, CGNAT (100.64.0.0/10), "this network" (0/8), 192.0.0.0/24, documentation,
/// benchmarking (198.18.0.0/15), multicast, reserved (240/4, which holds the netmasks) and
/// broadcast; for IPv6 everything outside 2000::/3 (ULA fc00::/7, link-local, loopback, multicast)
/// and the documentation ranges 2001:db8::/32 and 3fff::/20. IPv4-mapped addresses follow their
/// IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => v4_public(a),
        IpAddr::V6(a) => v6_public(a),
    }
}

/// Whether the address is replaced: public and not a well-known public resolver.
pub(crate) fn is_redacted(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => v4_public(a) && !WELL_KNOWN_V4.contains(&a.octets()),
        IpAddr::V6(a) => v6_public(a) && !WELL_KNOWN_V6.contains(&a.segments()),
    }
}

fn v4_public(a: Ipv4Addr) -> bool {
    let o = a.octets();
    !(a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_broadcast()
        || a.is_multicast()
        || a.is_documentation()
        || o[0] == 0
        || o[0] >= 240
        || (o[0] == 100 && (o[1] & 0xc0) == 64)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        || (o[0] == 198 && (o[1] & 0xfe) == 18))
}

fn v6_public(a: Ipv6Addr) -> bool {
    if let Some(v4) = a.to_ipv4_mapped() {
        return v4_public(v4);
    }
    let s = a.segments();
    (s[0] & 0xe000) == 0x2000
        && !(s[0] == 0x2001 && s[1] == 0x0db8)
        && !(s[0] == 0x3fff && s[1] <= 0x0fff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().unwrap())
    }

    #[test]
    fn private_and_special_ranges_are_not_public() {
        for a in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.0.10",
            "127.0.0.1",
            "169.254.10.20",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "255.255.255.0",
            "255.255.255.255",
            "224.0.0.251",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1c2b:3d4e:5f60:7182",
            "fd12:3456:789a::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:192.168.1.1",
        ] {
            assert!(!public(a), "{a}");
        }
    }

    #[test]
    fn public_addresses() {
        for a in [
            "200.147.3.157",
            "177.10.20.30",
            "172.32.0.1",
            "100.128.0.1",
            "8.8.8.8",
            "2804:14c:5b80:8a4c::1",
            "::ffff:200.147.3.157",
        ] {
            assert!(public(a), "{a}");
        }
    }

    #[test]
    fn well_known_resolvers_are_public_but_kept() {
        assert!(!is_redacted("8.8.8.8".parse().unwrap()));
        assert!(!is_redacted("2606:4700:4700::1111".parse().unwrap()));
        assert!(is_redacted("200.147.3.157".parse().unwrap()));
    }
}
