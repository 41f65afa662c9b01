//! The client of chamado-central's API (`/v1/...`): enrolment, ticket intake with an
//! Idempotency-Key and a streamed bundle (progress counted as bytes leave), ticket status.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What central answers for a ticket: its reference at once, the help desk's number and follow
/// link as soon as they exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TicketAnswer {
    pub reference: String,
    pub number: Option<String>,
    pub link: Option<String>,
    pub status: String,
}

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
    /// The bundle in the outbox could not be read.
    #[error("the bundle could not be read: {0}")]
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
        let http = reqwest::Client::builder()
            .user_agent(concat!("Chamado/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| SendError::Retry {
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
        let mut form = reqwest::multipart::Form::new().part(
            "ticket",
            reqwest::multipart::Part::text(ticket.to_string())
                .mime_str("application/json")
                .map_err(retry)?,
        );
        if let Some(path) = bundle {
            let file = tokio::fs::File::open(path)
                .await
                .map_err(|e| SendError::Bundle(e.to_string()))?;
            let len = file
                .metadata()
                .await
                .map_err(|e| SendError::Bundle(e.to_string()))?
                .len();
            let counter = sent.clone();
            let stream =
                tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024).map(move |chunk| {
                    if let Ok(c) = &chunk {
                        counter.fetch_add(c.len() as u64, Ordering::Relaxed);
                    }
                    chunk
                });
            let part = reqwest::multipart::Part::stream_with_length(
                reqwest::Body::wrap_stream(stream),
                len,
            )
            .file_name("bundle.zip")
            .mime_str("application/zip")
            .map_err(retry)?;
            form = form.part("bundle", part);
        }
        let resp = self
            .authorized(self.http.post(format!("{}/v1/tickets", self.base)))?
            .header("Idempotency-Key", key)
            .multipart(form)
            .send()
            .await
            .map_err(retry)?;
        let resp = check(resp).await?;
        resp.json().await.map_err(retry)
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

    fn authorized(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, SendError> {
        let token = self.token.as_deref().ok_or(SendError::Unauthorized)?;
        Ok(req.bearer_auth(token))
    }
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
