//! Network checks against real sockets. Loopback cases run here; the cases that need DNS answers
//! or a missing route run in a private network namespace (see `isolated_network_cases`), so no
//! packet ever leaves this machine.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use chamado_diagnostics::netcheck::{Checker, Outcome, Verdict};
use chamado_profile::{Check, Text};
use chamado_testkit::black_hole;

fn check(id: &str, timeout_ms: u32, set: impl FnOnce(&mut Check)) -> Check {
    let mut c = Check {
        id: id.into(),
        label: Text {
            pt_br: id.into(),
            en: id.into(),
        },
        timeout_ms,
        ..Check::default()
    };
    set(&mut c);
    c
}

async fn run(check: &Check) -> Outcome {
    Checker::new().unwrap().run(check).await
}

fn tcp(id: &str, addr: SocketAddr, timeout_ms: u32) -> Check {
    check(id, timeout_ms, |c| c.tcp = Some(addr.to_string()))
}

#[tokio::test]
async fn open_port_is_ok() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let out = run(&tcp("servidor", listener.local_addr().unwrap(), 2000)).await;
    assert_eq!(out.verdict, Verdict::Ok);
    assert_eq!(out.addresses, ["127.0.0.1"]);
}

#[tokio::test]
async fn closed_port_is_refused() {
    let addr = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap();
    let out = run(&tcp("servidor", addr, 2000)).await;
    assert_eq!(out.verdict, Verdict::Refused, "{out:?}");
    assert_eq!(out.target, addr.to_string());
}

#[tokio::test]
async fn silent_port_times_out_within_its_timeout() {
    let (addr, _listener, _fillers) = black_hole().await;
    let started = Instant::now();
    let out = run(&tcp("servidor", addr, 400)).await;
    let took = started.elapsed();
    assert_eq!(out.verdict, Verdict::TimedOut, "{out:?}");
    // Ends at its timeout, not at the system's (tens of seconds); figures are the benchmark's.
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_millis(5000),
        "{took:?}"
    );
}

#[tokio::test]
async fn localhost_resolves_through_the_system_resolver() {
    let out = run(&check("nome", 2000, |c| c.dns = Some("localhost".into()))).await;
    assert_eq!(out.verdict, Verdict::Ok);
    assert!(
        out.addresses.iter().any(|a| a == "127.0.0.1" || a == "::1"),
        "{out:?}"
    );
}

#[tokio::test]
async fn checks_run_in_parallel_and_keep_the_profile_order() {
    let (silent, _listener, _fillers) = black_hole().await;
    let open = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap();
    let checks = [
        tcp("lento", silent, 500),
        tcp("aberto", open.local_addr().unwrap(), 500),
        tcp("fechado", closed, 500),
        tcp("lento-2", silent, 500),
    ];
    let checker = Checker::new().unwrap();
    let started = Instant::now();
    let out = checker.run_all(&checks).await;
    let took = started.elapsed();
    let verdicts: Vec<_> = out
        .iter()
        .map(|o| (o.id.as_str(), o.verdict.clone()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("lento", Verdict::TimedOut),
            ("aberto", Verdict::Ok),
            ("fechado", Verdict::Refused),
            ("lento-2", Verdict::TimedOut),
        ]
    );
    // Side by side, not one after the other: the run is shorter than the two silent checks'
    // own durations added up (a structural test: it holds on a slow or loaded machine too).
    let serial = Duration::from_millis(out[0].elapsed_ms + out[3].elapsed_ms);
    assert!(took < serial, "{took:?} vs {serial:?}");
    assert!(
        out[1].elapsed_ms < out[0].elapsed_ms,
        "the open port did not wait for the slow ones"
    );
}

/// An HTTP server on loopback: `/ok` answers 200, anything else 503 (a site "under
/// maintenance"). It serves `n` requests, then stops.
fn http_server(n: usize) -> SocketAddr {
    use std::io::{BufRead, BufReader, Write};
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut stream) = stream else { continue };
            // Bytes, not text: a TLS client's hello (random bytes) is not UTF-8, and the client
            // may have given up before the answer.
            let mut request_line = Vec::new();
            let _ = BufReader::new(&stream).read_until(b'\n', &mut request_line);
            let status = if request_line.starts_with(b"GET /ok ") {
                "200 OK"
            } else {
                "503 Service Unavailable"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
            );
        }
    });
    addr
}

fn http(id: &str, url: String, expect: Option<u16>, timeout_ms: u32) -> Check {
    check(id, timeout_ms, |c| {
        c.http = Some(url);
        c.expect_status = expect;
    })
}

#[tokio::test]
async fn http_checks_compare_the_status() {
    let addr = http_server(3);
    let checker = Checker::new().unwrap();
    let ok = checker
        .run(&http("site", format!("http://{addr}/ok"), None, 2000))
        .await;
    assert_eq!(ok.verdict, Verdict::Ok, "{ok:?}");
    let down = checker
        .run(&http("site", format!("http://{addr}/"), None, 2000))
        .await;
    assert_eq!(
        down.verdict,
        Verdict::UnexpectedStatus {
            status: 503,
            expected: 200
        }
    );
    let expected_503 = checker
        .run(&http("site", format!("http://{addr}/x"), Some(503), 2000))
        .await;
    assert_eq!(expected_503.verdict, Verdict::Ok);
}

#[tokio::test]
async fn http_to_a_closed_or_silent_port() {
    let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap();
    let out = run(&http("site", format!("http://{closed}/"), None, 2000)).await;
    assert_eq!(out.verdict, Verdict::Refused, "{out:?}");
    let (silent, _listener, _fillers) = black_hole().await;
    let started = Instant::now();
    let out = run(&http("site", format!("http://{silent}/"), None, 400)).await;
    assert_eq!(out.verdict, Verdict::TimedOut, "{out:?}");
    assert!(started.elapsed() < Duration::from_millis(5000));
}

#[tokio::test]
async fn https_to_a_server_that_does_not_speak_tls_fails_as_tls() {
    let addr = http_server(1);
    let out = run(&http("site", format!("https://{addr}/ok"), None, 2000)).await;
    assert!(
        matches!(
            out.verdict,
            Verdict::TlsFailed { .. } | Verdict::Failed { .. }
        ),
        "{out:?}"
    );
}

#[test]
fn outcomes_serialize_with_their_verdict() {
    let addr = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let out = rt.block_on(run(&tcp("servidor", addr, 1000)));
    let json_status = serde_json::to_value(Verdict::UnexpectedStatus {
        status: 503,
        expected: 200,
    })
    .unwrap();
    assert_eq!(
        json_status,
        serde_json::json!({"verdict": "unexpected_status", "status": 503, "expected": 200})
    );
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["verdict"], "refused");
    assert_eq!(json["id"], "servidor");
}

// --- Cases that need a network of their own -------------------------------------------------

/// Runs the `#[ignore]`d cases below in a private user + network + mount namespace: only a
/// loopback interface, no route anywhere else, and a resolv.conf naming 127.0.0.1.
#[cfg(target_os = "linux")]
#[test]
fn isolated_network_cases() {
    let exe = std::env::current_exe().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let resolv = dir.join("resolv.conf");
    std::fs::write(
        &resolv,
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    )
    .unwrap();
    let script =
        r#"set -e; ip link set lo up; mount --bind "$1" /etc/resolv.conf; shift; exec "$@""#;
    let mut cmd = std::process::Command::new("unshare");
    cmd.args([
        "--user",
        "--map-root-user",
        "--net",
        "--mount",
        "sh",
        "-c",
        script,
        "sh",
    ])
    .arg(&resolv)
    .arg(&exe)
    .args(["--ignored", "--test-threads=1", "isolated::"]);
    // A machine with no proxy: these cases are about the name and the route, and a proxy set for
    // the tests' machine cannot be reached from the namespace anyway.
    for var in ["http_proxy", "https_proxy", "all_proxy"] {
        cmd.env_remove(var).env_remove(var.to_ascii_uppercase());
    }
    let out = cmd.output().expect("unshare (util-linux) runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "isolated cases failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("test result: ok. 3 passed"),
        "expected 3 isolated cases:\n{stdout}\n{stderr}"
    );
}

#[cfg(target_os = "linux")]
mod isolated {
    use super::*;
    use std::net::UdpSocket;

    /// A DNS server on 127.0.0.1:53 that answers NXDOMAIN to every question, until dropped.
    struct NxDomainServer {
        socket: UdpSocket,
        stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    impl NxDomainServer {
        fn start() -> Self {
            let socket =
                UdpSocket::bind((Ipv4Addr::LOCALHOST, 53)).expect("port 53 in the namespace");
            socket
                .set_read_timeout(Some(Duration::from_millis(50)))
                .unwrap();
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let (s, flag) = (socket.try_clone().unwrap(), stop.clone());
            let thread = std::thread::spawn(move || {
                let mut buf = [0u8; 512];
                while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                    let Ok((n, from)) = s.recv_from(&mut buf) else {
                        continue;
                    };
                    if n < 12 {
                        continue;
                    }
                    let mut reply = buf[..n].to_vec();
                    // QR=1, keep opcode and RD; RA=1, RCODE=3 (NXDOMAIN); no answers.
                    reply[2] = 0x80 | (buf[2] & 0x79);
                    reply[3] = 0x80 | 3;
                    reply[6..12].fill(0);
                    let _ = s.send_to(&reply, from);
                }
            });
            NxDomainServer {
                socket,
                stop,
                thread: Some(thread),
            }
        }
    }

    impl Drop for NxDomainServer {
        fn drop(&mut self) {
            self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
            if let Some(t) = self.thread.take() {
                t.join().unwrap();
            }
            let _ = &self.socket;
        }
    }

    #[tokio::test]
    #[ignore = "run inside a private network namespace by isolated_network_cases"]
    async fn unknown_name_is_not_resolved() {
        let _dns = NxDomainServer::start();
        let out = run(&check("nome", 3000, |c| {
            c.dns = Some("servidor-que-nao-existe.example".into())
        }))
        .await;
        assert_eq!(out.verdict, Verdict::NotResolved, "{out:?}");
        let out = run(&check("banco", 3000, |c| {
            c.tcp = Some("servidor-que-nao-existe.example:3050".into())
        }))
        .await;
        assert_eq!(out.verdict, Verdict::NotResolved, "{out:?}");
        let out = run(&http(
            "site",
            "http://servidor-que-nao-existe.example/".into(),
            None,
            3000,
        ))
        .await;
        assert_eq!(out.verdict, Verdict::NotResolved, "{out:?}");
    }

    #[tokio::test]
    #[ignore = "run inside a private network namespace by isolated_network_cases"]
    async fn no_dns_server_is_dns_unavailable() {
        let out = run(&check("nome", 3000, |c| {
            c.dns = Some("suporte.example".into())
        }))
        .await;
        assert_eq!(out.verdict, Verdict::DnsUnavailable, "{out:?}");
    }

    #[tokio::test]
    #[ignore = "run inside a private network namespace by isolated_network_cases"]
    async fn no_route_is_unreachable() {
        // 192.0.2.0/24 is for documentation; in this namespace there is no route to anything.
        let out = run(&check("banco", 2000, |c| {
            c.tcp = Some("192.0.2.10:3050".into())
        }))
        .await;
        assert_eq!(out.verdict, Verdict::Unreachable, "{out:?}");
    }
}

/// A loopback HTTP server answering each request line with `respond` (status line, extra
/// headers, body); it serves `n` requests.
fn scripted_server(n: usize, respond: fn(&str) -> (&'static str, String, String)) -> SocketAddr {
    use std::io::{BufRead, BufReader, Write};
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let mut stream = stream.unwrap();
            let mut request_line = String::new();
            BufReader::new(&stream)
                .read_line(&mut request_line)
                .unwrap();
            let (status, headers, body) = respond(&request_line);
            write!(
                stream,
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
    });
    addr
}

fn ncsi(url: String) -> Check {
    check("internet", 2000, |c| {
        c.http = Some(url);
        c.expect_body = Some("Microsoft Connect Test".into());
    })
}

#[tokio::test]
async fn the_internet_test_tells_a_captive_portal_from_the_real_answer() {
    let honest = scripted_server(1, |_| {
        ("200 OK", String::new(), "Microsoft Connect Test".into())
    });
    let out = run(&ncsi(format!("http://{honest}/connecttest.txt"))).await;
    assert_eq!(out.verdict, Verdict::Ok, "{out:?}");

    // A hotel's portal: the test URL is redirected to its login page.
    let portal = scripted_server(2, |line| {
        if line.starts_with("GET /connecttest.txt ") {
            ("302 Found", "Location: /login\r\n".into(), String::new())
        } else {
            (
                "200 OK",
                String::new(),
                "<html>\n<title>Wi-Fi Hotel</title>\n<form>Número do quarto</form></html>".into(),
            )
        }
    });
    let out = run(&ncsi(format!("http://{portal}/connecttest.txt"))).await;
    assert_eq!(
        out.verdict,
        Verdict::UnexpectedContent {
            got: "<html> <title>Wi-Fi Hotel</title> <form>Número do quarto</form></html>".into()
        }
    );
}
