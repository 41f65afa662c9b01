//! The profile's network checks: resolve a name, connect to `host:port`, request a URL; all in
//! parallel, each within its own timeout, each ending in a verdict a customer can act on.
//!
//! Names are resolved with the operating system's resolver (getaddrinfo), as the vendor's program
//! resolves them, so hosts files, DNS suffixes and the OS's DNS settings count. HTTP goes through
//! the system's proxy (environment variables; on Windows also the Internet Settings) and trusts
//! the OS's certificate store; a URL on this machine (`localhost`, 127.0.0.0/8, `::1`) is asked
//! directly, as browsers do: a proxy elsewhere cannot reach this machine's loopback.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

pub use chamado_wire::net::is_loopback_url;

use chamado_profile::{Check, CheckTarget};
use serde::Serialize;
use tokio::net::TcpStream;
use ts_rs::TS;

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    /// The name does not exist in DNS: a typo, or the name changed.
    NotResolved,
    /// No DNS server answered: no network, or the DNS settings changed.
    DnsUnavailable,
    /// The host answered that nothing listens on the port: it is on, the service is down (or
    /// the port is wrong).
    Refused,
    /// No answer in time: a firewall dropping the connection, or the host is off.
    TimedOut,
    /// No route to the host: cable, Wi-Fi, gateway or network settings.
    Unreachable,
    /// The site answered with another HTTP status than the expected one.
    UnexpectedStatus {
        status: u16,
        expected: u16,
    },
    /// The expected status came with another page in place of the expected text: something
    /// answers for the site, a captive portal (hotel, guest Wi-Fi) or an intercepting proxy.
    UnexpectedContent {
        /// The start of what came instead.
        got: String,
    },
    /// The secure connection failed: a certificate not trusted (often a proxy or antivirus that
    /// inspects HTTPS), expired, or for another name.
    TlsFailed {
        detail: String,
    },
    /// Anything else, with the system's words.
    Failed {
        detail: String,
    },
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Outcome {
    /// The check's id in the profile.
    pub id: String,
    /// What was tested, e.g. `servidor:3050`.
    pub target: String,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The addresses the name resolved to.
    pub addresses: Vec<String>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

/// Runs checks; holds what they share (the HTTP clients, with the proxy settings and the
/// certificate store read once, at the first HTTP check: name and port checks, the fast ones,
/// do not wait for the certificate store).
#[derive(Clone, Default)]
pub struct Checker {
    clients: Arc<OnceLock<Result<Clients, String>>>,
}

#[derive(Clone)]
struct Clients {
    http: reqwest::Client,
    /// For URLs on this machine's loopback: never through a proxy.
    loopback: reqwest::Client,
}

impl Clients {
    fn build() -> Result<Clients, String> {
        let builder = || {
            reqwest::Client::builder()
                .user_agent(concat!("Chamado/", env!("CARGO_PKG_VERSION")))
                .redirect(reqwest::redirect::Policy::limited(5))
        };
        let built = || -> Result<Clients, reqwest::Error> {
            Ok(Clients {
                http: builder().build()?,
                loopback: builder().no_proxy().build()?,
            })
        };
        built().map_err(|e| e.to_string())
    }
}

impl Checker {
    /// Never fails now (the HTTP clients are made at the first HTTP check, which says if they
    /// could not be); the `Result` stays for callers.
    pub fn new() -> Result<Self, reqwest::Error> {
        Ok(Checker::default())
    }

    /// The HTTP clients, made once, off the async threads (reading the certificate store
    /// blocks).
    async fn clients(&self) -> Result<Clients, String> {
        if let Some(c) = self.clients.get() {
            return c.clone();
        }
        let cell = self.clients.clone();
        tokio::task::spawn_blocking(move || cell.get_or_init(Clients::build).clone())
            .await
            .map_err(|e| e.to_string())?
    }

    /// Runs every check at once; the results come in the profile's order. The whole run takes
    /// about as long as the slowest check's timeout.
    pub async fn run_all(&self, checks: &[Check]) -> Vec<Outcome> {
        let handles: Vec<_> = checks
            .iter()
            .cloned()
            .map(|c| {
                let me = self.clone();
                tokio::spawn(async move { me.run(&c).await })
            })
            .collect();
        let mut out = Vec::with_capacity(handles.len());
        for (handle, check) in handles.into_iter().zip(checks) {
            out.push(handle.await.unwrap_or_else(|e| Outcome {
                id: check.id.clone(),
                target: String::new(),
                verdict: Verdict::Failed {
                    detail: format!("the check stopped: {e}"),
                },
                addresses: Vec::new(),
                elapsed_ms: 0,
            }));
        }
        out
    }

    /// [`Checker::run_all`], telling `each` of every outcome as soon as it is known (the fast
    /// checks first, not in the profile's order); the results come in the profile's order.
    pub async fn run_each(
        &self,
        checks: &[Check],
        each: &(dyn Fn(&Outcome) + Sync),
    ) -> Vec<Outcome> {
        let mut set = tokio::task::JoinSet::new();
        let mut index_of = std::collections::HashMap::new();
        for (i, c) in checks.iter().cloned().enumerate() {
            let me = self.clone();
            let handle = set.spawn(async move { me.run(&c).await });
            index_of.insert(handle.id(), i);
        }
        let mut out: Vec<Option<Outcome>> = vec![None; checks.len()];
        while let Some(joined) = set.join_next_with_id().await {
            let (id, outcome) = match joined {
                Ok((id, o)) => (id, o),
                Err(e) => {
                    let i = index_of[&e.id()];
                    (
                        e.id(),
                        Outcome {
                            id: checks[i].id.clone(),
                            target: String::new(),
                            verdict: Verdict::Failed {
                                detail: format!("the check stopped: {e}"),
                            },
                            addresses: Vec::new(),
                            elapsed_ms: 0,
                        },
                    )
                }
            };
            each(&outcome);
            out[index_of[&id]] = Some(outcome);
        }
        out.into_iter().flatten().collect()
    }

    /// Runs one check within its timeout.
    pub async fn run(&self, check: &Check) -> Outcome {
        let started = Instant::now();
        let deadline = started + Duration::from_millis(check.timeout_ms.into());
        let (target, verdict, addresses) = match check.target() {
            Some(CheckTarget::Dns(host)) => {
                let (verdict, addrs) = match resolve(host, deadline).await {
                    Ok(addrs) => (Verdict::Ok, addrs),
                    Err(v) => (v, Vec::new()),
                };
                (host.to_owned(), verdict, addrs)
            }
            Some(CheckTarget::Tcp { host, port }) => {
                let target = if host.contains(':') {
                    format!("[{host}]:{port}")
                } else {
                    format!("{host}:{port}")
                };
                match resolve(host, deadline).await {
                    Ok(addrs) => (target, connect(&addrs, port, deadline).await, addrs),
                    Err(v) => (target, v, Vec::new()),
                }
            }
            Some(CheckTarget::Http {
                url,
                expect_status,
                expect_body,
            }) => {
                let verdict = self
                    .request(url, expect_status, expect_body, deadline)
                    .await;
                (url.to_owned(), verdict, Vec::new())
            }
            None => (
                String::new(),
                Verdict::Failed {
                    detail: "the check has no valid target".into(),
                },
                Vec::new(),
            ),
        };
        Outcome {
            id: check.id.clone(),
            target,
            verdict,
            addresses: addresses.iter().map(IpAddr::to_string).collect(),
            elapsed_ms: started.elapsed().as_millis() as u64,
        }
    }

    async fn request(
        &self,
        url: &str,
        expected: u16,
        expect_body: Option<&str>,
        deadline: Instant,
    ) -> Verdict {
        let clients = match self.clients().await {
            Ok(c) => c,
            Err(e) => {
                return Verdict::Failed {
                    detail: format!("the HTTP client could not start: {e}"),
                }
            }
        };
        let timeout = deadline.saturating_duration_since(Instant::now());
        let client = if is_loopback_url(url) {
            &clients.loopback
        } else {
            &clients.http
        };
        match client.get(url).timeout(timeout).send().await {
            Ok(resp) if resp.status().as_u16() == expected => match expect_body {
                None => Verdict::Ok,
                Some(wanted) => match resp.text().await {
                    Ok(body) => content_verdict(&body, wanted),
                    Err(e) => self.http_error_verdict(url, &e, deadline).await,
                },
            },
            Ok(resp) => Verdict::UnexpectedStatus {
                status: resp.status().as_u16(),
                expected,
            },
            Err(e) => self.http_error_verdict(url, &e, deadline).await,
        }
    }

    /// reqwest says "it failed" in layers; find the layer that tells the customer why.
    async fn http_error_verdict(
        &self,
        url: &str,
        e: &reqwest::Error,
        deadline: Instant,
    ) -> Verdict {
        if e.is_timeout() {
            return Verdict::TimedOut;
        }
        let chain = error_chain(e);
        if let Some(io) = find_source::<io::Error>(e) {
            if matches!(
                io.kind(),
                io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::TimedOut
                    | io::ErrorKind::NetworkUnreachable
                    | io::ErrorKind::HostUnreachable
                    | io::ErrorKind::AddrNotAvailable
            ) {
                return connect_verdict(io);
            }
        }
        if find_source::<rustls::Error>(e).is_some() || chain.contains("certificate") {
            return Verdict::TlsFailed { detail: chain };
        }
        if chain.contains("dns error") {
            // The HTTP client's own lookup failed: ask the resolver for the precise reason.
            let host = reqwest::Url::parse(url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned));
            if let Some(host) = host {
                if let Err(v) = resolve(&host, deadline).await {
                    return v;
                }
            }
        }
        Verdict::Failed { detail: chain }
    }
}

/// Whether a page is the expected one: it contains `wanted`; else what came instead (its
/// start, on one line), which is what the analyst needs to recognise a portal or a proxy.
pub fn content_verdict(body: &str, wanted: &str) -> Verdict {
    if body.contains(wanted) {
        return Verdict::Ok;
    }
    let got: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    Verdict::UnexpectedContent {
        got: got.chars().take(200).collect(),
    }
}

/// An error and its sources, as one line.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

fn find_source<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<T>() {
            return Some(t);
        }
        cur = err.source();
    }
    None
}

/// The addresses of `host` (an IP literal is its own address). The lookup runs on a blocking
/// thread: getaddrinfo cannot be cancelled, so past the deadline it is left to finish alone.
async fn resolve(host: &str, deadline: Instant) -> Result<Vec<IpAddr>, Verdict> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let name = host.to_owned();
    let lookup = tokio::task::spawn_blocking(move || {
        dns_lookup::lookup_host(&name).map(|addrs| {
            let mut out: Vec<IpAddr> = Vec::new();
            for a in addrs {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            out
        })
    });
    match tokio::time::timeout_at(deadline.into(), lookup).await {
        Err(_) => Err(Verdict::DnsUnavailable),
        Ok(Err(e)) => Err(Verdict::Failed {
            detail: format!("name lookup stopped: {e}"),
        }),
        Ok(Ok(Ok(addrs))) if addrs.is_empty() => Err(Verdict::NotResolved),
        Ok(Ok(Ok(addrs))) => Ok(addrs),
        Ok(Ok(Err(e))) => Err(lookup_verdict(e.kind(), &io::Error::from(e))),
    }
}

fn lookup_verdict(kind: dns_lookup::LookupErrorKind, err: &io::Error) -> Verdict {
    use dns_lookup::LookupErrorKind as K;
    match kind {
        K::NoName | K::NoData => Verdict::NotResolved,
        K::Again | K::Fail => Verdict::DnsUnavailable,
        _ => Verdict::Failed {
            detail: err.to_string(),
        },
    }
}

/// Tries each address in turn until one accepts. When none does, the verdict that says most
/// about the host: a refusal proves it is on, so it wins over a timeout or no route.
async fn connect(addrs: &[IpAddr], port: u16, deadline: Instant) -> Verdict {
    let mut verdicts = Vec::new();
    for ip in addrs {
        let attempt = TcpStream::connect(SocketAddr::new(*ip, port));
        let verdict = match tokio::time::timeout_at(deadline.into(), attempt).await {
            Ok(Ok(_stream)) => return Verdict::Ok,
            Ok(Err(e)) => connect_verdict(&e),
            Err(_) => Verdict::TimedOut,
        };
        let out_of_time = verdict == Verdict::TimedOut;
        verdicts.push(verdict);
        if out_of_time {
            break;
        }
    }
    [Verdict::Refused, Verdict::TimedOut, Verdict::Unreachable]
        .into_iter()
        .find(|v| verdicts.contains(v))
        .or_else(|| verdicts.pop())
        .unwrap_or(Verdict::NotResolved)
}

fn connect_verdict(e: &io::Error) -> Verdict {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Verdict::Refused,
        io::ErrorKind::TimedOut => Verdict::TimedOut,
        io::ErrorKind::NetworkUnreachable
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::AddrNotAvailable => Verdict::Unreachable,
        _ => Verdict::Failed {
            detail: e.to_string(),
        },
    }
}
