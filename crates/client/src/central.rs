//! The client of chamado-central's API (`/v1/...`): enrolment, ticket intake with an
//! Idempotency-Key and a streamed bundle (progress counted as bytes leave), information added to
//! a ticket, a technician's bundle for a ticket given by phone, ticket status.
//!
//! Central is trusted for nothing that could stop the app: every request fails within a bound
//! when central goes quiet (a connect timeout, then an idle timeout: no byte either way for
//! [`IDLE_TIMEOUT`]; a slow upload that keeps moving goes on), answers are read up to
//! [`MAX_ANSWER`], redirects are never followed (a 3xx to a ticket's POST is not a delivery), and
//! a link central gives is kept only when it is http(s) ([`web_link`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Deserialize;

// What central answers, and the technician's target, cross machines: they live in chamado-wire
// (central answers with the same types), re-exported here at their old paths.
pub use chamado_wire::{
    MessageAnswer, TechnicianAnswer, TechnicianTarget, TicketAnswer, TicketDetail,
};
use chamado_wire::{NoticeList, Resolved};

/// Why a delivery did not happen, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Network down, central down or busy (5xx, 429): try again later, not before `after`.
    #[error("central could not be reached or is busy: {reason}")]
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// Central refused the request for good (400, 413, 422...): trying again would not help.
    #[error("central refused it ({status}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    /// The installation's token is missing, unknown or revoked: enrol again.
    #[error("this installation is not enrolled (or its token was revoked)")]
    Unauthorized,
    /// A file in the outbox (bundle or attachment) could not be read.
    #[error("a file to send could not be read: {0}")]
    Bundle(String),
}

/// Central must accept the connection within this.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// No byte sent or received for this long: central stopped answering, the request fails (and
/// the entry waits for its next attempt). A slow upload that moves is never cut.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Central's answers are small JSON documents; a longer one is not read.
pub const MAX_ANSWER: usize = 1024 * 1024;
/// Bytes handed to the socket may still sit in its buffers (megabytes, on a fast LAN card) while
/// a slow link drains them: after the last one moved, the idle timeout is lengthened by the
/// time this rate takes for what may still be buffered (at most [`MAX_BUFFERED`]).
const SLOWEST_LINK: u64 = 8 * 1024;
const MAX_BUFFERED: u64 = 4 * 1024 * 1024;
/// An error's body is read only this far (its message is all the app wants of it).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A ticket in central's list of this installation's tickets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListedTicket {
    #[serde(flatten)]
    pub answer: TicketAnswer,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub summary: String,
    /// RFC 3339, when central took it.
    #[serde(default)]
    pub created_at: Option<String>,
    /// RFC 3339, when a message or its status last changed it.
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Central's list, and its clock when it answered (the `Date` header), to the second.
#[derive(Debug, Clone)]
pub struct TicketList {
    pub tickets: Vec<ListedTicket>,
    pub answered_at: Option<jiff::Timestamp>,
}

#[derive(Clone)]
pub struct Central {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
    idle: Duration,
}

/// When a request last moved (a chunk of the upload taken, an answer's bytes read): the idle
/// timeout counts from there.
#[derive(Clone)]
struct Activity {
    start: Instant,
    last_ms: Arc<AtomicU64>,
    /// The upload's bytes handed to the connection so far.
    handed: Arc<AtomicU64>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last_ms: Arc::default(),
            handed: Arc::default(),
        }
    }

    fn uploaded(&self, bytes: usize) {
        self.handed.fetch_add(bytes as u64, Ordering::Relaxed);
        self.touch();
    }

    /// What may still drain from the socket's buffers, in time on the slowest link.
    fn drain_time(&self) -> Duration {
        let buffered = self.handed.load(Ordering::Relaxed).min(MAX_BUFFERED);
        Duration::from_secs(buffered / SLOWEST_LINK)
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// Whether `url` is a web link (http or https, with a host): the only links the app keeps or
/// opens, so a link from central is never run as a program, a script or a file.
pub fn web_link(url: &str) -> bool {
    reqwest::Url::parse(url.trim())
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// `link` when it is a web link; another is dropped, with a log line.
pub fn keep_web_link(link: Option<String>) -> Option<String> {
    let link = link?;
    if web_link(&link) {
        Some(link)
    } else {
        tracing::warn!("a link from central that is not http(s) was dropped");
        None
    }
}

fn checked(mut answer: TicketAnswer) -> TicketAnswer {
    answer.link = keep_web_link(answer.link.take());
    answer
}

impl Central {
    pub fn new(base_url: &str, token: Option<String>) -> Result<Self, SendError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("Chamado/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(CONNECT_TIMEOUT)
            // A 302 to a ticket's POST, followed as a GET, would read as a delivery: never.
            .redirect(reqwest::redirect::Policy::none());
        if chamado_wire::net::is_loopback_url(base_url) {
            // A central on this machine (tools/run, tests): never through a proxy, which cannot
            // reach it.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| SendError::Retry {
            reason: e.to_string(),
            after: None,
        })?;
        Ok(Central {
            base: base_url.trim_end_matches('/').to_owned(),
            token,
            http,
            idle: IDLE_TIMEOUT,
        })
    }

    /// The same client with another idle timeout (tests: a short one).
    pub fn with_idle_timeout(mut self, idle: Duration) -> Central {
        self.idle = idle;
        self
    }

    /// Runs a request (sending, then reading its answer) until it completes or nothing has
    /// moved for the idle timeout.
    async fn watched<T>(
        &self,
        activity: &Activity,
        request: impl std::future::Future<Output = Result<T, SendError>>,
    ) -> Result<T, SendError> {
        tokio::pin!(request);
        loop {
            let left = (self.idle + activity.drain_time()).saturating_sub(activity.quiet_for());
            if left.is_zero() {
                return Err(SendError::Retry {
                    reason: format!(
                        "central stopped answering (nothing for {} s)",
                        self.idle.as_secs_f32()
                    ),
                    after: None,
                });
            }
            tokio::select! {
                r = &mut request => return r,
                () = tokio::time::sleep(left) => {}
            }
        }
    }

    /// Sends `req` and reads its JSON answer, within the idle timeout and [`MAX_ANSWER`].
    async fn exchange<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
        activity: Activity,
    ) -> Result<T, SendError> {
        Ok(self.exchange_dated(req, activity).await?.0)
    }

    /// [`Central::exchange`], with the answer's `Date` header when it has one.
    async fn exchange_dated<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
        activity: Activity,
    ) -> Result<(T, Option<String>), SendError> {
        self.watched(&activity, async {
            let resp = req.send().await.map_err(retry)?;
            activity.touch();
            let resp = check(resp, &activity).await?;
            let date = resp
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = read_body(resp, MAX_ANSWER, &activity).await?;
            let answer = serde_json::from_slice(&body).map_err(|e| SendError::Retry {
                reason: format!("central's answer could not be read: {e}"),
                after: None,
            })?;
            Ok((answer, date))
        })
        .await
    }

    /// Exchanges an enrolment code for this installation's token.
    pub async fn enrol(&self, code: &str, machine: &str) -> Result<String, SendError> {
        #[derive(Deserialize)]
        struct Token {
            token: String,
        }
        let req = self
            .http
            .post(format!("{}/v1/enrolments", self.base))
            .json(&serde_json::json!({ "code": code, "machine": machine }))
            .timeout(Duration::from_secs(30));
        let t: Token = self.exchange(req, Activity::new()).await?;
        Ok(t.token)
    }

    /// Sends a ticket (its JSON, and the bundle streamed from disk); `sent` counts the bundle's
    /// bytes as they leave. The same `key` always answers the same ticket.
    pub async fn send_ticket(
        &self,
        key: &str,
        ticket: &serde_json::Value,
        bundle: Option<&Path>,
        sent: Arc<AtomicU64>,
    ) -> Result<TicketAnswer, SendError> {
        let activity = Activity::new();
        let mut form = reqwest::multipart::Form::new().part("ticket", json_part(ticket)?);
        if let Some(path) = bundle {
            form = form.part(
                "bundle",
                file_part(path, "bundle.zip", &sent, &activity).await?,
            );
        }
        let answer = self
            .post_multipart("/v1/tickets", key, form, activity)
            .await?;
        Ok(checked(answer))
    }

    /// Adds information to one of this installation's open tickets (by its central reference):
    /// the text and each file, streamed from disk; `sent` counts the files' bytes as they leave.
    /// The same `key` always answers the same message.
    pub async fn add_message(
        &self,
        key: &str,
        reference: &str,
        body: &str,
        files: &[(String, PathBuf)],
        sent: Arc<AtomicU64>,
    ) -> Result<MessageAnswer, SendError> {
        let activity = Activity::new();
        let message = serde_json::json!({ "body": body });
        let mut form = reqwest::multipart::Form::new().part("message", json_part(&message)?);
        for (name, path) in files {
            form = form.part("attachment", file_part(path, name, &sent, &activity).await?);
        }
        let path = format!("/v1/tickets/{}/messages", path_segment(reference));
        self.post_multipart(&path, key, form, activity).await
    }

    /// A technician's bundle for a ticket named by its help-desk number and checked against the
    /// ticket's e-mail (central answers 404 when either is wrong); streamed, counted in `sent`.
    pub async fn technician_bundle(
        &self,
        key: &str,
        target: &TechnicianTarget,
        bundle: &Path,
        sent: Arc<AtomicU64>,
    ) -> Result<TechnicianAnswer, SendError> {
        let activity = Activity::new();
        let ticket = serde_json::to_value(target).map_err(retry)?;
        let form = reqwest::multipart::Form::new()
            .part("ticket", json_part(&ticket)?)
            .part(
                "bundle",
                file_part(bundle, "bundle.zip", &sent, &activity).await?,
            );
        self.post_multipart("/v1/technician/bundles", key, form, activity)
            .await
    }

    /// No total timeout: a large upload on a slow link may take long, as long as it moves.
    async fn post_multipart<T: DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        form: reqwest::multipart::Form,
        activity: Activity,
    ) -> Result<T, SendError> {
        let req = self
            .authorized(self.http.post(format!("{}{path}", self.base)))?
            .header("Idempotency-Key", key)
            .multipart(form);
        self.exchange(req, activity).await
    }

    /// A ticket's current state.
    pub async fn ticket(&self, reference: &str) -> Result<TicketAnswer, SendError> {
        Ok(self.ticket_detail(reference).await?.answer)
    }

    /// A ticket's current state and its thread.
    pub async fn ticket_detail(&self, reference: &str) -> Result<TicketDetail, SendError> {
        let req = self
            .authorized(self.http.get(format!(
                "{}/v1/tickets/{}",
                self.base,
                path_segment(reference)
            )))?
            .timeout(Duration::from_secs(30));
        let mut detail: TicketDetail = self.exchange(req, Activity::new()).await?;
        detail.answer = checked(detail.answer);
        Ok(detail)
    }

    /// This installation's tickets as central knows them now (newest first, at most 500): one
    /// request refreshes a whole history, whatever central's rate limit.
    pub async fn tickets(&self) -> Result<Vec<TicketAnswer>, SendError> {
        Ok(self
            .listed_tickets()
            .await?
            .into_iter()
            .map(|t| t.answer)
            .collect())
    }

    /// [`Central::tickets`] with what central says of each besides (topic, summary, when):
    /// enough to rebuild a lost history.
    pub async fn listed_tickets(&self) -> Result<Vec<ListedTicket>, SendError> {
        Ok(self.ticket_list().await?.tickets)
    }

    /// [`Central::listed_tickets`] with central's clock when it answered: a ticket changed in
    /// that same second may change again within it, its `updated_at` unchanged.
    pub async fn ticket_list(&self) -> Result<TicketList, SendError> {
        #[derive(Deserialize)]
        struct List {
            tickets: Vec<ListedTicket>,
        }
        let req = self
            .authorized(self.http.get(format!("{}/v1/tickets", self.base)))?
            .timeout(Duration::from_secs(30));
        let (list, date): (List, _) = self.exchange_dated(req, Activity::new()).await?;
        let tickets = list
            .tickets
            .into_iter()
            .map(|mut t| {
                t.answer = checked(t.answer);
                t
            })
            .collect();
        let answered_at = date.and_then(|d| {
            jiff::fmt::rfc2822::DateTimeParser::new()
                .parse_timestamp(d)
                .ok()
        });
        Ok(TicketList {
            tickets,
            answered_at,
        })
    }

    /// The vendor's current notices and the latest version of its program, within `timeout`
    /// (the window waits for it: short).
    pub async fn notices(&self, timeout: Duration) -> Result<NoticeList, SendError> {
        let req = self
            .authorized(self.http.get(format!("{}/v1/notices", self.base)))?
            .timeout(timeout);
        self.exchange(req, Activity::new()).await
    }

    /// Counts one "resolveu" for a topic on central (counts only).
    pub async fn resolved(&self, resolved: &Resolved) -> Result<(), SendError> {
        let req = self
            .authorized(self.http.post(format!("{}/v1/resolved", self.base)))?
            .json(resolved)
            .timeout(Duration::from_secs(5));
        let activity = Activity::new();
        self.watched(&activity, async {
            let resp = req.send().await.map_err(retry)?;
            activity.touch();
            check(resp, &activity).await?;
            Ok(())
        })
        .await
    }

    fn authorized(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, SendError> {
        let token = self.token.as_deref().ok_or(SendError::Unauthorized)?;
        Ok(req.bearer_auth(token))
    }
}

fn json_part(v: &serde_json::Value) -> Result<reqwest::multipart::Part, SendError> {
    reqwest::multipart::Part::text(v.to_string())
        .mime_str("application/json")
        .map_err(retry)
}

/// A file streamed from disk with its length announced (so the whole body has one), its bytes
/// added to `sent` as they are read for the wire.
async fn file_part(
    path: &Path,
    name: &str,
    sent: &Arc<AtomicU64>,
    activity: &Activity,
) -> Result<reqwest::multipart::Part, SendError> {
    let unreadable = |e: std::io::Error| SendError::Bundle(format!("{}: {e}", path.display()));
    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
    let len = file.metadata().await.map_err(unreadable)?.len();
    let counter = sent.clone();
    let activity = activity.clone();
    // Small chunks: the HTTP client queues up to 16 of them before the socket takes them, so
    // the count stays near what has really left, and a slow link's progress visibly moves.
    let stream = tokio_util::io::ReaderStream::with_capacity(file, 8 * 1024).map(move |chunk| {
        if let Ok(c) = &chunk {
            counter.fetch_add(c.len() as u64, Ordering::Relaxed);
            // The socket took the chunks before: the upload moves.
            activity.uploaded(c.len());
        }
        chunk
    });
    let mime = if name.to_ascii_lowercase().ends_with(".zip") {
        "application/zip"
    } else {
        "application/octet-stream"
    };
    reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), len)
        .file_name(name.to_owned())
        .mime_str(mime)
        .map_err(retry)
}

/// A reference as one URL path segment (references are plain, but a typed one may not be).
fn path_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn retry(e: impl std::fmt::Display) -> SendError {
    SendError::Retry {
        reason: e.to_string(),
        after: None,
    }
}

/// An answer's body, read up to `limit` bytes (more is an error: central is broken or hostile).
async fn read_body(
    mut resp: reqwest::Response,
    limit: usize,
    activity: &Activity,
) -> Result<Vec<u8>, SendError> {
    let too_long = || SendError::Retry {
        reason: format!("central's answer is longer than {limit} bytes: not read"),
        after: None,
    };
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_long());
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(retry)? {
        activity.touch();
        if body.len() + chunk.len() > limit {
            return Err(too_long());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Success passes; 5xx and 429 are for later (with Retry-After, within bounds); a redirect is
/// not followed and the request is for later (central's address is wrong or central is
/// hostile: nothing was delivered); 401 means enrol; other 4xx are refusals, with central's
/// JSON error (`{"error": code, "message", "field"?}`).
async fn check(
    resp: reqwest::Response,
    activity: &Activity,
) -> Result<reqwest::Response, SendError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    if status.is_redirection() {
        return Err(SendError::Retry {
            reason: format!(
                "central answered {} (a redirect, not followed): check central's address",
                status.as_u16()
            ),
            after: None,
        });
    }
    let after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::backoff::retry_after(v, jiff::Timestamp::now()));
    let body: serde_json::Value = read_body(resp, MAX_ERROR_BODY, activity)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let text = |k: &str| {
        body.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let code = status.as_u16();
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Err(SendError::Unauthorized);
    }
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(SendError::Retry {
            reason: format!("{code} {}", text("message")),
            after,
        });
    }
    let message = match body.get("field").and_then(|v| v.as_str()) {
        Some(field) => format!("{field}: {}", text("message")),
        None => text("message"),
    };
    Err(SendError::Refused {
        status: code,
        code: text("error"),
        message,
    })
}
