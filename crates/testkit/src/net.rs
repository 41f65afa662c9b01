//! Loopback servers that misbehave at the TCP level.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// A loopback port that answers nothing within any timeout: a listener whose accept queue is
/// full (Linux drops further SYNs, as a firewall would). Keep the returned sockets alive.
pub async fn black_hole() -> (
    SocketAddr,
    tokio::net::TcpListener,
    Vec<tokio::net::TcpStream>,
) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind((Ipv4Addr::LOCALHOST, 0).into()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    // With a backlog of 0 the queue holds one connection; a second fills it for good measure.
    for _ in 0..2 {
        if let Ok(Ok(s)) = tokio::time::timeout(
            Duration::from_millis(300),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            fillers.push(s);
        }
    }
    (addr, listener, fillers)
}
