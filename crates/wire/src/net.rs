//! Addresses as every program here reads them (a pure rule, no I/O): a URL on this machine is
//! asked directly, never through a proxy (a proxy elsewhere cannot reach this machine's
//! services). The checks, the app's client of central and central's forwarder to osTicket share it.

/// `localhost` (and `*.localhost`), 127.0.0.0/8 or `[::1]`.
pub fn is_loopback_url(url: &str) -> bool {
    let Some(host) = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn loopback_urls_are_this_machine() {
        for url in [
            "http://localhost:8080/",
            "http://LOCALHOST/",
            "http://app.localhost/",
            "http://127.0.0.1:3050/",
            "https://127.1.2.3/",
            "http://[::1]:80/",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "https://suporte.exemplo.com.br/",
            "http://localhost.exemplo.com.br/",
            "http://192.168.0.10/",
            "http://[2001:db8::1]/",
            "not a url",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
