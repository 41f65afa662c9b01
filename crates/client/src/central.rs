//! The client of chamado-central's API (`/v1/...`): enrolment, ticket intake with an
//! Idempotency-Key and a streamed bundle (progress counted as bytes leave), information added to
//! a ticket, a technician's bundle for a ticket given by phone, ticket status.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde::Deserialize;

// What central answers, and the technician's target, cross machines: they live in chamado-wire
// (central answers with the same types), re-exported here at their old paths.
pub use chamado_wire::{MessageAnswer, TechnicianAnswer, TechnicianTarget, TicketAnswer};
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

#[derive(Clone)]
pub struct Central {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Central {
    pub fn new(base_url: &str, token: Option<String>) -> Result<Self, SendError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("Chamado/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10));
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
        })
    }

    /// Exchanges an enrolment code for this installation's token.
    pub async fn enrol(&self, code: &str, machine: &str) -> Result<String, SendError> {
        #[derive(Deserialize)]
        struct Token {
            token: String,
        }
        let resp = self
            .http
            .post(format!("{}/v1/enrolments", self.base))
            .json(&serde_json::json!({ "code": code, "machine": machine }))
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(retry)?;
        let resp = check(resp).await?;
        let t: Token = resp.json().await.map_err(retry)?;
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
        let mut form = reqwest::multipart::Form::new().part("ticket", json_part(ticket)?);
        if let Some(path) = bundle {
            form = form.part("bundle", file_part(path, "bundle.zip", &sent).await?);
        }
        let resp = self.post_multipart("/v1/tickets", key, form).await?;
        resp.json().await.map_err(retry)
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
        let message = serde_json::json!({ "body": body });
        let mut form = reqwest::multipart::Form::new().part("message", json_part(&message)?);
        for (name, path) in files {
            form = form.part("attachment", file_part(path, name, &sent).await?);
        }
        let path = format!("/v1/tickets/{}/messages", path_segment(reference));
        let resp = self.post_multipart(&path, key, form).await?;
        resp.json().await.map_err(retry)
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
        let ticket = serde_json::to_value(target).map_err(retry)?;
        let form = reqwest::multipart::Form::new()
            .part("ticket", json_part(&ticket)?)
            .part("bundle", file_part(bundle, "bundle.zip", &sent).await?);
        let resp = self
            .post_multipart("/v1/technician/bundles", key, form)
            .await?;
        resp.json().await.map_err(retry)
    }

    async fn post_multipart(
        &self,
        path: &str,
        key: &str,
        form: reqwest::multipart::Form,
    ) -> Result<reqwest::Response, SendError> {
        let resp = self
            .authorized(self.http.post(format!("{}{path}", self.base)))?
            .header("Idempotency-Key", key)
            .multipart(form)
            .send()
            .await
            .map_err(retry)?;
        check(resp).await
    }

    /// A ticket's current state.
    pub async fn ticket(&self, reference: &str) -> Result<TicketAnswer, SendError> {
        let resp = self
            .authorized(
                self.http
                    .get(format!("{}/v1/tickets/{reference}", self.base)),
            )?
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(retry)?;
        check(resp).await?.json().await.map_err(retry)
    }

    /// This installation's tickets as central knows them now (newest first, at most 500): one
    /// request refreshes a whole history, whatever central's rate limit.
    pub async fn tickets(&self) -> Result<Vec<TicketAnswer>, SendError> {
        #[derive(Deserialize)]
        struct List {
            tickets: Vec<TicketAnswer>,
        }
        let resp = self
            .authorized(self.http.get(format!("{}/v1/tickets", self.base)))?
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(retry)?;
        let list: List = check(resp).await?.json().await.map_err(retry)?;
        Ok(list.tickets)
    }

    /// The vendor's current notices and the latest version of its program, within `timeout`
    /// (the window waits for it: short).
    pub async fn notices(&self, timeout: Duration) -> Result<NoticeList, SendError> {
        let resp = self
            .authorized(self.http.get(format!("{}/v1/notices", self.base)))?
            .timeout(timeout)
            .send()
            .await
            .map_err(retry)?;
        check(resp).await?.json().await.map_err(retry)
    }

    /// Counts one "resolveu" for a topic on central (counts only).
    pub async fn resolved(&self, resolved: &Resolved) -> Result<(), SendError> {
        let resp = self
            .authorized(self.http.post(format!("{}/v1/resolved", self.base)))?
            .json(resolved)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map_err(retry)?;
        check(resp).await?;
        Ok(())
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
) -> Result<reqwest::multipart::Part, SendError> {
    let unreadable = |e: std::io::Error| SendError::Bundle(format!("{}: {e}", path.display()));
    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
    let len = file.metadata().await.map_err(unreadable)?.len();
    let counter = sent.clone();
    // Small chunks: the HTTP client queues up to 16 of them before the socket takes them, so
    // the count stays near what has really left, and a slow link's progress visibly moves.
    let stream = tokio_util::io::ReaderStream::with_capacity(file, 8 * 1024).map(move |chunk| {
        if let Ok(c) = &chunk {
            counter.fetch_add(c.len() as u64, Ordering::Relaxed);
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

/// Success passes; 5xx and 429 are for later (with Retry-After); 401 means enrol; other 4xx are
/// refusals, with central's JSON error (`{"error": code, "message", "field"?}`).
async fn check(resp: reqwest::Response) -> Result<reqwest::Response, SendError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body: serde_json::Value = resp.json().await.unwrap_or_default();
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
