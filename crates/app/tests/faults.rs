//! Delivery through a bad network, against a real chamado-central in this process: a proxy on
//! loopback between the sender and central answers 500 after central took the request, answers
//! 429 with Retry-After, resets the connection mid-upload or instead of central's answer, and
//! throttles to a slow link. Each time the entry arrives exactly once (counted in central's
//! database) and the progress counter climbs to the upload's total.
#![cfg(unix)]

mod common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chamado_client::{Attempt, Central as Client, Outbox, TechnicianTarget};
use common::ticket;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// Forwarded as it is.
    None,
    /// Central takes the request; the sender is told 500.
    ServerError,
    /// Not forwarded: 429 with `Retry-After` (seconds).
    Busy(u64),
    /// The connection is reset once half the body has arrived.
    ResetMidUpload,
    /// Central takes the request; the connection is reset instead of its answer.
    ResetAfterForward,
    /// Read from the sender at this many bytes per second.
    Slow(usize),
}

struct Proxy {
    url: String,
    /// When each request's head arrived, and the fault it met.
    seen: Arc<Mutex<Vec<(Instant, Fault)>>>,
}

impl Proxy {
    /// A proxy to `upstream` applying `faults` to the requests in turn, then none.
    async fn start(upstream: &str, faults: &[Fault]) -> Proxy {
        let upstream: SocketAddr = upstream.trim_start_matches("http://").parse().unwrap();
        // Segments and a window like a real link's: loopback's 64 KiB segments let the sender's
        // kernel buffer a whole bundle at once, and a slow link would then look fast to it.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(32 * 1024).unwrap();
        ethernet_mss(&socket);
        socket.bind(([127, 0, 0, 1], 0).into()).unwrap();
        let listener: TcpListener = socket.listen(64).unwrap();
        let addr = listener.local_addr().unwrap();
        let faults = Arc::new(Mutex::new(faults.iter().copied().collect::<VecDeque<_>>()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (faults, log) = (faults.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = one_request(client, upstream, faults, log).await;
                });
            }
        });
        Proxy {
            url: format!("http://{addr}"),
            seen,
        }
    }

    fn requests(&self) -> Vec<(Instant, Fault)> {
        self.seen.lock().unwrap().clone()
    }
}

/// TCP_MAXSEG 1460 on a socket before it listens: connections to it use Ethernet's segments.
#[allow(unsafe_code)] // setsockopt has no safe wrapper in std or tokio
fn ethernet_mss(socket: &tokio::net::TcpSocket) {
    use std::os::fd::AsRawFd;
    let mss: libc::c_int = 1460;
    // SAFETY: a valid socket descriptor, and a pointer to a c_int with its size.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_MAXSEG,
            std::ptr::addr_of!(mss).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "{}", std::io::Error::last_os_error());
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0)
}

/// Reads an HTTP message's head (and whatever came with it): (bytes, end of the head).
async fn read_head(s: &mut TcpStream) -> std::io::Result<Option<(Vec<u8>, usize)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            return Ok(Some((buf, i + 4)));
        }
    }
}

/// Resets the connection (RST, not a clean close), as a dropped link or a middlebox does.
fn reset(s: TcpStream) -> std::io::Result<()> {
    #[allow(deprecated)] // linger 0 is the point: the close must not be graceful
    s.set_linger(Some(Duration::ZERO))?;
    drop(s);
    Ok(())
}

/// One request per connection: read whole (at the fault's pace), then forwarded or not, and
/// answered as the fault says, with `Connection: close`.
async fn one_request(
    mut client: TcpStream,
    upstream: SocketAddr,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    seen: Arc<Mutex<Vec<(Instant, Fault)>>>,
) -> std::io::Result<()> {
    let Some((mut buf, head_end)) = read_head(&mut client).await? else {
        return Ok(());
    };
    let fault = faults.lock().unwrap().pop_front().unwrap_or(Fault::None);
    seen.lock().unwrap().push((Instant::now(), fault));
    let total = head_end + content_length(&buf[..head_end]);
    while buf.len() < total {
        if fault == Fault::ResetMidUpload && buf.len() >= head_end + (total - head_end) / 2 {
            return reset(client);
        }
        let want = match fault {
            Fault::Slow(rate) => rate / 20,
            _ => 64 * 1024,
        };
        let mut chunk = vec![0u8; want.min(total - buf.len())];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Fault::Slow(rate) = fault {
            tokio::time::sleep(Duration::from_secs_f64(n as f64 / rate as f64)).await;
        }
    }
    let answer = |status: &str, extra: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    if let Fault::Busy(secs) = fault {
        let busy = answer(
            "429 Too Many Requests",
            &format!("Retry-After: {secs}\r\n"),
            r#"{"error":"rate_limited","message":"too many requests"}"#,
        );
        return client.write_all(busy.as_bytes()).await;
    }
    let mut up = TcpStream::connect(upstream).await?;
    up.write_all(&buf).await?;
    let Some((mut reply, reply_head)) = read_head(&mut up).await? else {
        return Ok(());
    };
    let reply_total = reply_head + content_length(&reply[..reply_head]);
    while reply.len() < reply_total {
        let mut chunk = [0u8; 8192];
        let n = up.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        reply.extend_from_slice(&chunk[..n]);
    }
    match fault {
        Fault::ServerError => {
            let failed = answer(
                "500 Internal Server Error",
                "",
                r#"{"error":"internal","message":"something went wrong"}"#,
            );
            client.write_all(failed.as_bytes()).await
        }
        Fault::ResetAfterForward => reset(client),
        _ => {
            // Central's answer, closing the connection after it.
            let line_end = find(&reply, b"\r\n").unwrap() + 2;
            client.write_all(&reply[..line_end]).await?;
            client.write_all(b"Connection: close\r\n").await?;
            client.write_all(&reply[line_end..]).await
        }
    }
}

/// A real central, an installation enrolled with it, its outbox, and a client that talks to
/// central through a proxy with `faults`.
struct Setup {
    dir: tempfile::TempDir,
    central: common::Central,
    proxy: Proxy,
    outbox: Outbox,
    client: Client,
    direct: Client,
}

async fn setup(faults: &[Fault]) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let central = common::Central::start(&dir.path().join("central"), None).await;
    let code = central.code().await;
    let token = Client::new(&central.url, None)
        .unwrap()
        .enrol(&code, "maquina-de-teste")
        .await
        .unwrap();
    let proxy = Proxy::start(&central.url, faults).await;
    Setup {
        outbox: Outbox::open(&dir.path().join("app")).unwrap(),
        client: Client::new(&proxy.url, Some(token.clone())).unwrap(),
        direct: Client::new(&central.url, Some(token)).unwrap(),
        dir,
        central,
        proxy,
    }
}

/// A zip-looking file of `kib` KiB that does not compress.
fn bundle(dir: &std::path::Path, name: &str, kib: u32) -> std::path::PathBuf {
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend((0..kib * 1024).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let path = dir.join(name);
    std::fs::write(&path, zip).unwrap();
    path
}

/// What the sender's progress counter read during one attempt (sampled every 10 ms).
type Samples = Vec<u64>;

/// Delivers entry `id` as the sender does until it goes (or is refused): each attempt after
/// the wait the outbox asks for when `honour_waits`, at once otherwise (as "send now" does).
async fn deliver_until_done(s: &Setup, id: &str, honour_waits: bool) -> (Attempt, Vec<Samples>) {
    let mut progress = Vec::new();
    for _ in 0..6 {
        if honour_waits {
            if let Some(wait) = s.outbox.next_due_in().unwrap() {
                tokio::time::sleep(wait).await;
            }
        }
        let sent = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (sent, done) = (sent.clone(), done.clone());
            tokio::spawn(async move {
                let mut samples = Vec::new();
                while !done.load(Ordering::Relaxed) {
                    samples.push(sent.load(Ordering::Relaxed));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                samples.push(sent.load(Ordering::Relaxed));
                samples
            })
        };
        let attempt = s.outbox.deliver(id, &s.client, sent).await.unwrap();
        done.store(true, Ordering::Relaxed);
        progress.push(sampler.await.unwrap());
        if !matches!(attempt, Attempt::Later(_)) {
            return (attempt, progress);
        }
        // Still queued, with a time for the next attempt.
        let entry = s.outbox.get(id).unwrap();
        assert!(entry.next_attempt_at.is_some() && entry.last_error.is_some());
    }
    panic!("not delivered after 6 attempts: {:?}", s.proxy.requests());
}

/// Progress only grows during an attempt, and the last attempt's reached the total.
fn assert_progress(progress: &[Samples], total: u64) {
    for samples in progress {
        assert!(
            samples.windows(2).all(|w| w[0] <= w[1]),
            "progress went back: {samples:?}"
        );
        assert!(samples.iter().all(|&n| n <= total), "{samples:?} > {total}");
    }
    assert_eq!(progress.last().unwrap().last().copied(), Some(total));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_after_central_took_the_ticket_is_retried_and_it_arrives_once() {
    let s = setup(&[Fault::ServerError, Fault::ServerError]).await;
    let b = bundle(s.dir.path(), "pacote.zip", 300);
    let entry = s.outbox.enqueue(ticket("Erro 500"), Some(&b)).unwrap();
    let total = s.outbox.upload_bytes(&entry);
    assert_eq!(total, std::fs::metadata(&b).unwrap().len());
    let (attempt, progress) = deliver_until_done(&s, &entry.id, false).await;
    assert!(matches!(attempt, Attempt::Delivered(_)), "{attempt:?}");
    assert_eq!(progress.len(), 3, "two 500s, then delivered");
    assert_progress(&progress, total);
    assert_eq!(s.central.summaries().await, ["Erro 500"], "exactly once");
    assert_eq!(s.outbox.history().unwrap().len(), 1);
    assert!(s.outbox.list().unwrap().is_empty());
    s.central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_central_s_retry_after_is_honoured() {
    // Longer than the first backoff can be (5 s), so only Retry-After explains the wait.
    let s = setup(&[Fault::Busy(8)]).await;
    let b = bundle(s.dir.path(), "pacote.zip", 64);
    let entry = s.outbox.enqueue(ticket("Ocupado"), Some(&b)).unwrap();
    let total = s.outbox.upload_bytes(&entry);
    let (attempt, progress) = deliver_until_done(&s, &entry.id, true).await;
    assert!(matches!(attempt, Attempt::Delivered(_)), "{attempt:?}");
    assert_progress(&progress, total);
    let requests = s.proxy.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let waited = requests[1].0 - requests[0].0;
    assert!(
        waited >= Duration::from_secs(8) && waited < Duration::from_secs(12),
        "waited {waited:?}"
    );
    assert_eq!(s.central.summaries().await, ["Ocupado"]);
    s.central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_reset_mid_upload_or_instead_of_the_answer_still_deliver_once() {
    let s = setup(&[Fault::ResetMidUpload, Fault::ResetAfterForward]).await;
    let b = bundle(s.dir.path(), "pacote.zip", 1024);
    let entry = s.outbox.enqueue(ticket("Conexão caiu"), Some(&b)).unwrap();
    let total = s.outbox.upload_bytes(&entry);
    let (attempt, progress) = deliver_until_done(&s, &entry.id, false).await;
    assert!(matches!(attempt, Attempt::Delivered(_)), "{attempt:?}");
    assert_eq!(progress.len(), 3);
    assert!(
        *progress[0].last().unwrap() < total,
        "the first upload was cut: {:?}",
        progress[0]
    );
    assert_progress(&progress, total);
    assert_eq!(s.central.summaries().await, ["Conexão caiu"]);
    s.central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_slow_link_progress_is_seen_climbing_to_the_total() {
    let s = setup(&[Fault::Slow(64 * 1024)]).await;
    // Well over what the buffers between the counter and the wire hold: the HTTP client's queue
    // (16 chunks of 8 KiB) and the kernel's send buffer, which grows to hundreds of KiB and
    // takes a third of itself at each wake-up, so the count moves in steps of that size.
    let b = bundle(s.dir.path(), "pacote.zip", 1536);
    let entry = s.outbox.enqueue(ticket("Link lento"), Some(&b)).unwrap();
    let total = s.outbox.upload_bytes(&entry);
    let started = Instant::now();
    let (attempt, progress) = deliver_until_done(&s, &entry.id, false).await;
    assert!(matches!(attempt, Attempt::Delivered(_)), "{attempt:?}");
    assert!(started.elapsed() >= Duration::from_secs(20), "throttled");
    assert_progress(&progress, total);
    let mut between: Vec<u64> = progress[0]
        .iter()
        .copied()
        .filter(|&n| n > 0 && n < total)
        .collect();
    between.dedup();
    assert!(
        between.len() >= 4,
        "the user sees it move: {between:?} of {total}"
    );
    eprintln!("progress on the slow link: {between:?} of {total}");
    assert_eq!(s.central.summaries().await, ["Link lento"]);
    s.central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn information_and_a_technician_s_bundle_arrive_once_through_the_same_faults() {
    let s = setup(&[
        Fault::ServerError,
        Fault::ResetAfterForward,
        Fault::ResetMidUpload,
        Fault::ServerError,
    ])
    .await;
    // The ticket itself, straight to central.
    let opened = s
        .direct
        .send_ticket(
            "chave-do-chamado",
            &serde_json::to_value(ticket("Com acréscimos")).unwrap(),
            None,
            Arc::new(AtomicU64::new(0)),
        )
        .await
        .unwrap();
    let number = opened.number.clone().expect("standalone numbers at once");

    let print = s.dir.path().join("tela.png");
    std::fs::write(&print, vec![0x89u8; 200 * 1024]).unwrap();
    let b = bundle(s.dir.path(), "novo.zip", 200);
    let m = s
        .outbox
        .enqueue_message(
            opened.reference.clone(),
            Some(number.clone()),
            "Aconteceu de novo às 10h.".into(),
            std::slice::from_ref(&print),
            Some(&b),
        )
        .unwrap();
    let total = s.outbox.upload_bytes(&m);
    let (attempt, progress) = deliver_until_done(&s, &m.id, false).await;
    assert_eq!(
        attempt,
        Attempt::Added {
            reference: opened.reference.clone(),
            number: Some(number.clone())
        }
    );
    assert_progress(&progress, total);

    let t = s
        .outbox
        .enqueue_technician(
            TechnicianTarget {
                number: number.clone(),
                email: "ANA@cliente.com.br".into(),
                note: Some("Coleta feita no local".into()),
            },
            &b,
        )
        .unwrap();
    let total = s.outbox.upload_bytes(&t);
    let (attempt, progress) = deliver_until_done(&s, &t.id, false).await;
    assert!(matches!(attempt, Attempt::Added { .. }), "{attempt:?}");
    assert_progress(&progress, total);

    let thread = s.central.thread(&opened.reference).await;
    let added: Vec<_> = thread
        .iter()
        .filter(|(a, _, _)| a != "installation")
        .collect();
    let customer: Vec<_> = thread
        .iter()
        .filter(|(_, body, _)| body == "Aconteceu de novo às 10h.")
        .collect();
    assert_eq!(customer.len(), 1, "exactly once: {added:?}");
    assert_eq!(
        customer[0].2,
        ["tela.png", chamado_client::outbox::MESSAGE_BUNDLE_NAME]
    );
    let technician: Vec<_> = thread
        .iter()
        .filter(|(a, _, _)| a == "technician")
        .collect();
    assert_eq!(technician.len(), 1, "exactly once: {thread:?}");
    assert_eq!(technician[0].1, "Coleta feita no local");
    assert!(s.outbox.list().unwrap().is_empty());
    s.central.stop().await;
}
