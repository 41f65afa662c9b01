//! What a stranger or a careless client cannot make central spend: body sizes per route, time to
//! send a body, and one JSON shape for every error, axum's own rejections included. The
//! connection cap and the header timeout are in `serve` (lib.rs), the rates in `ratelimit.rs`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::Shared;

/// Largest body of the unauthenticated enrolment: a code and a machine name.
pub const ENROL_BODY_MAX: usize = 4 * 1024;
/// Largest body of the other JSON routes (the uploads have their own, from the configuration).
pub const JSON_BODY_MAX: usize = 64 * 1024;

/// The routes that take uploads (a bundle, attachments): the big body limit and the long time.
pub const UPLOAD_ROUTES: &[&str] = &[
    "/v1/tickets",
    "/v1/tickets/{reference}/messages",
    "/v1/technician/bundles",
    "/t/{reference}/{key}",
];

/// The error a body that came too slowly ends with (the middleware answers 408 for it).
#[derive(Debug, thiserror::Error)]
#[error("the request body came too slowly")]
pub struct BodyTimedOut;

/// A request body that fails when no byte came for `idle`, or when the whole took past the
/// deadline, and notes it in `tripped`.
struct Timed<S> {
    inner: S,
    idle: Duration,
    idle_timer: Pin<Box<tokio::time::Sleep>>,
    deadline: Pin<Box<tokio::time::Sleep>>,
    tripped: Arc<AtomicBool>,
    done: bool,
    /// Whether the handler asked for the body yet: the idle time counts from then (a client
    /// that sent `Expect: 100-continue` waits for that before sending anything).
    polled: bool,
}

impl<S> futures_core::Stream for Timed<S>
where
    S: futures_core::Stream<Item = Result<Bytes, axum::Error>> + Unpin,
{
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        if !self.polled {
            self.polled = true;
            let first = tokio::time::Instant::now() + self.idle;
            self.idle_timer.as_mut().reset(first);
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(b))) => {
                let next = tokio::time::Instant::now() + self.idle;
                self.idle_timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(b)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                let late = self.deadline.as_mut().poll(cx).is_ready();
                let idle = self.idle_timer.as_mut().poll(cx).is_ready();
                if late || idle {
                    self.done = true;
                    self.tripped.store(true, Ordering::Relaxed);
                    Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

/// Route layer: the body must keep coming (`body_idle_secs`) and end in time
/// (`upload_timeout_secs` on the upload routes, `body_timeout_secs` elsewhere); else 408 and
/// the connection is closed, whatever the handler made of the broken body.
pub async fn timed_body(State(s): State<Shared>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let limits = &s.config.limits;
    let upload = req
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| UPLOAD_ROUTES.contains(&p.as_str()));
    let total = if upload {
        limits.upload_timeout_secs
    } else {
        limits.body_timeout_secs
    };
    let idle = Duration::from_secs(limits.body_idle_secs);
    let tripped = Arc::new(AtomicBool::new(false));
    let flag = tripped.clone();
    let req = req.map(move |body| {
        Body::from_stream(Timed {
            inner: body.into_data_stream(),
            idle,
            idle_timer: Box::pin(tokio::time::sleep(idle)),
            deadline: Box::pin(tokio::time::sleep(Duration::from_secs(total))),
            tripped: flag,
            done: false,
            polled: false,
        })
    });
    let res = next.run(req).await;
    if !tripped.load(Ordering::Relaxed) {
        return res;
    }
    s.metrics.slow_bodies.fetch_add(1, Ordering::Relaxed);
    let mut res = ApiError::of_status(
        StatusCode::REQUEST_TIMEOUT,
        "the request body came too slowly; send it again",
    )
    .into_response();
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// Outer layer: an error answer that is not JSON yet (axum's rejections of a body that is not
/// JSON, of the wrong type or too large, 405) becomes `{"error", "message"}` like every other;
/// the quick-access page's HTML stays HTML. Every answer gets `nosniff`.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let (mut parts, body) = res.into_parts();
    parts.headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    let typed = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
    if !(parts.status.is_client_error() || parts.status.is_server_error()) || typed {
        return Response::from_parts(parts, body);
    }
    // axum's rejection texts are one line; the rest of a long one is not needed.
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let message = if text.is_empty() {
        parts
            .status
            .canonical_reason()
            .unwrap_or("error")
            .to_lowercase()
    } else {
        text
    };
    let mut res = ApiError::of_status(parts.status, message).into_response();
    // What axum set besides the body (Allow on a 405) stays.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            res.headers_mut()
                .entry(name)
                .or_insert_with(|| value.clone());
        }
    }
    res
}

/// Enrolment attempts from one client address: taken before the body is read, 429 with
/// `Retry-After` past `limits.enrol_per_minute`.
pub struct EnrolSlot;

impl FromRequestParts<Shared> for EnrolSlot {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Self, ApiError> {
        let ip = client_ip(parts, s.config.limits.forwarded_for);
        s.enrol_limiter.check(ip).map_err(|secs| {
            tracing::warn!(retry_after = secs, "enrolment attempts over the rate");
            ApiError::rate_limited(secs)
        })?;
        Ok(EnrolSlot)
    }
}

/// The client's address for the rate limits: the connection's peer, or behind a reverse proxy
/// (`limits.forwarded_for`) the last address of `X-Forwarded-For` (the one the proxy added; the
/// ones before it are the client's to write). Without either, one shared key.
fn client_ip(parts: &Parts, forwarded_for: bool) -> std::net::IpAddr {
    let forwarded = forwarded_for
        .then(|| {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
        })
        .flatten();
    let peer = parts.extensions.get::<crate::ClientAddr>().map(|c| c.0);
    forwarded
        .or(peer)
        .map(crate::ratelimit::client_key)
        .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into())
}
