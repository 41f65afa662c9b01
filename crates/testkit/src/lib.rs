//! What the tests of several crates share (a dev-dependency only).
//!
//! A test that needs something this machine may lack (a PostgreSQL server, a display) calls
//! [`skip_or_fail`] when it is missing: on a developer's machine the test says loudly that it did
//! not run and returns; in CI (`CI=true`, as `tools/test` sets it for `.ci/run` and CI services
//! set it) nothing may be skipped, so the test fails with the same reason.

use std::io::Write;

#[cfg(feature = "central")]
pub mod central;
#[cfg(feature = "net")]
mod net;
#[cfg(feature = "osticket")]
pub mod osticket;
#[cfg(feature = "net")]
pub use net::black_hole;

/// Whether the tests run in CI: `CI=true`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `what` cannot run because of `why`: panics in CI, else prints a notice past the test harness's
/// output capture (so it is seen in `cargo test`'s output) and returns, for the test to return.
#[track_caller]
pub fn skip_or_fail(what: &str, why: &str) {
    if in_ci() {
        panic!("{what} must run in CI (CI=true), but {why}");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {what}: {why}");
}

/// A server on loopback that accepts every connection, reads what comes and never answers (a
/// central that hangs): a client must give up on its own. Lives as long as the test process.
pub fn silent_server() -> std::net::SocketAddr {
    hostile_server(|_| {})
}

/// A server on loopback that answers every request with a 200 whose body never ends (a broken
/// or hostile central): a client must stop reading at its limit.
pub fn endless_server() -> std::net::SocketAddr {
    hostile_server(|stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[",
        );
        let chunk = [b' '; 64 * 1024];
        while stream.write_all(&chunk).is_ok() {}
    })
}

/// Accepts connections on loopback; each one's request head is read, then `answer` has it,
/// while a thread keeps reading (and dropping) the rest of what the client sends.
fn hostile_server(
    answer: impl Fn(&mut std::net::TcpStream) + Send + Sync + Copy + 'static,
) -> std::net::SocketAddr {
    use std::io::Read;
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let Ok(mut reader) = stream.try_clone() else {
                    return;
                };
                // The request head (up to its blank line), then the rest drained beside.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && reader.read(&mut byte).is_ok_and(|n| n == 1) {
                    head.push(byte[0]);
                }
                std::thread::spawn(move || {
                    let mut sink = [0u8; 64 * 1024];
                    while reader.read(&mut sink).is_ok_and(|n| n > 0) {}
                });
                answer(&mut stream);
                // Held open, never answered further, until the client hangs up.
                std::thread::sleep(std::time::Duration::from_secs(3600));
            });
        }
    });
    addr
}

#[cfg(test)]
mod tests {
    #[test]
    fn ci_is_only_ci_true() {
        // The environment is this process's: read, never changed (tests run in parallel).
        let expected = std::env::var("CI").as_deref() == Ok("true");
        assert_eq!(super::in_ci(), expected);
    }
}
