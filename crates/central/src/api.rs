//! The HTTP API: routes, authentication, the handlers.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{
    DefaultBodyLimit, FromRequest, FromRequestParts, MatchedPath, Multipart, Path, Query, Request,
    State,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use chamado_wire::{
    MessageAnswer, NewMessage, NewTicketOf, TechnicianAnswer, TechnicianTarget, TicketAnswer,
};

use crate::blobs::Blobs;
use crate::config::Config;
use crate::db::{
    Db, Enrolled, FileRef, Installation, Intake, Message, NewTicket, Queue, Status, TicketSummary,
};
use crate::error::{multipart_error, upload_error, ApiError};
use crate::metrics::Metrics;
use crate::page;
use crate::ratelimit::RateLimiter;
use chamado_wire::names::safe_file_name as sanitize_name;

/// Every route: method and path as in the OpenAPI document (a test holds the two together).
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/openapi.json"),
    ("get", "/metrics"),
    ("post", "/v1/enrolments"),
    ("get", "/v1/profile"),
    ("post", "/v1/tickets"),
    ("get", "/v1/tickets"),
    ("get", "/v1/tickets/{reference}"),
    ("post", "/v1/tickets/{reference}/messages"),
    ("post", "/v1/technician/bundles"),
    ("get", "/v1/files/{sha256}"),
    ("get", "/v1/notices"),
    ("post", "/v1/resolved"),
    ("post", "/v1/osticket/events"),
    ("get", "/t/{reference}/{key}"),
    ("post", "/t/{reference}/{key}"),
];

/// The OpenAPI document, kept in the repository (crates/central/openapi.json).
pub const OPENAPI: &str = include_str!("../openapi.json");

pub struct AppState {
    pub db: Db,
    pub blobs: Blobs,
    pub config: Config,
    pub metrics: Metrics,
    /// Wakes the mailer when a ticket or reply put an e-mail in the outbox.
    pub mail_wake: tokio::sync::Notify,
    /// Wakes the forwarder when a ticket or message is queued for osTicket.
    pub forward_wake: tokio::sync::Notify,
    /// Signs the download links of files too large to go inside an osTicket ticket.
    pub link_key: [u8; 32],
    /// The background tasks' heartbeats (`/readyz`).
    pub tasks: crate::tasks::Health,
    /// This central's id as the owner of the rows it leases (several may share a database).
    pub instance: String,
    limiter: RateLimiter,
    /// Enrolment attempts per client address.
    pub(crate) enrol_limiter: RateLimiter<std::net::IpAddr>,
    profile: ProfileCache,
}

pub type Shared = Arc<AppState>;

/// How old a stored file no attachment names must be before the start-up clean-up removes it
/// (the admin commands never store files, so nothing in flight can be that old).
pub const ORPHAN_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

impl AppState {
    /// Opens the database and the file store and loads the profile.
    pub async fn open(config: Config) -> anyhow::Result<Shared> {
        std::fs::create_dir_all(&config.data)?;
        let db = Db::open(&config.database_url()).await?;
        let blobs = Blobs::open(&config.data, &db)?;
        let removed = blobs.collect_garbage(&db, ORPHAN_AGE).await?;
        if removed > 0 {
            tracing::info!(removed, "unreferenced stored files removed");
        }
        let profile = ProfileCache::load(config.profile.clone())?;
        let link_key = crate::secret::link_key(&config.data, &db).await?;
        let instance = crate::tasks::instance_id(&config.data)?;
        // What this central held when it last stopped is no one's now, but a message that
        // was on the wire waits until its request surely ended in osTicket.
        if let Some(o) = &config.osticket {
            let held = db
                .hold_in_flight(&instance, o.in_flight_secs as i64)
                .await?;
            if held > 0 {
                tracing::info!(held, in_flight_s = o.in_flight_secs, "messages were on their way to osTicket when central stopped; each goes again once its request surely ended");
            }
        }
        db.release_leases(&instance).await?;
        Ok(Arc::new(AppState {
            db,
            blobs,
            limiter: RateLimiter::new(config.limits.rate_per_minute, config.limits.rate_burst),
            enrol_limiter: RateLimiter::new(
                config.limits.enrol_per_minute,
                config.limits.enrol_burst,
            ),
            metrics: Metrics::default(),
            mail_wake: tokio::sync::Notify::new(),
            forward_wake: tokio::sync::Notify::new(),
            link_key,
            tasks: crate::tasks::Health::default(),
            instance,
            profile,
            config,
        }))
    }

    /// Where the customer follows a ticket: osTicket's client portal when forwarding (it asks
    /// for the e-mail and the number), else central's quick-access page.
    /// A topic of the profile in force (its osTicket help topic, its fields' variables).
    pub fn topic(&self, id: &str) -> Option<chamado_profile::Topic> {
        let served = self.profile.get();
        served.profile.topics.iter().find(|t| t.id == id).cloned()
    }

    /// A module's label (pt-BR) in the profile in force.
    pub fn module_label(&self, id: &str) -> Option<String> {
        let served = self.profile.get();
        let m = served.profile.modules.iter().find(|m| m.id == id)?;
        Some(m.label.get(chamado_profile::Lang::PtBr).to_owned())
    }

    fn link(&self, t: &TicketSummary) -> String {
        if let Some(o) = &self.config.osticket {
            return format!("{}/view.php", o.portal_url);
        }
        format!(
            "{}/t/{}/{}",
            self.config.public_url, t.reference, t.access_key
        )
    }
}

/// The router with every route and the request metrics. Bodies are small (JSON) but on the
/// upload routes, and enrolment, open to anyone, reads a few KiB at most (crate::limits).
pub fn router(state: Shared) -> Router {
    use crate::limits::{ENROL_BODY_MAX, JSON_BODY_MAX};
    // One request carries at most one upload's worth plus the ticket and multipart framing.
    let upload = DefaultBodyLimit::max(
        state.config.limits.upload_max_bytes as usize
            + state.config.limits.ticket_max_bytes
            + 64 * 1024,
    );
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(openapi))
        .route("/metrics", get(metrics))
        .route(
            "/v1/enrolments",
            post(enrol).layer(DefaultBodyLimit::max(ENROL_BODY_MAX)),
        )
        .route("/v1/profile", get(profile))
        .route(
            "/v1/tickets",
            post(take_ticket).layer(upload).get(list_tickets),
        )
        .route("/v1/tickets/{reference}", get(ticket))
        .route(
            "/v1/tickets/{reference}/messages",
            post(add_message).layer(upload),
        )
        .route(
            "/v1/technician/bundles",
            post(technician_bundle).layer(upload),
        )
        .route("/v1/files/{sha256}", get(signed_file))
        .route("/v1/notices", get(notices))
        .route("/v1/resolved", post(resolved))
        .route("/v1/osticket/events", post(crate::osticket::events))
        .route(
            "/t/{reference}/{key}",
            get(quick_access)
                .post(quick_reply)
                .layer(upload)
                .layer(middleware::map_response(page_headers)),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::limits::timed_body,
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(DefaultBodyLimit::max(JSON_BODY_MAX))
        .fallback(|| async { ApiError::not_found("no such route") })
        .layer(middleware::from_fn(crate::limits::json_errors))
        .with_state(state)
}

/// Latency per route in the metrics, one log line per request. No personal data: the path
/// logged is the route's template (`/t/{reference}/{key}`), since the concrete one can hold a
/// quick-access key.
async fn track(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let res = next.run(req).await;
    let took = started.elapsed();
    let status = res.status().as_u16();
    s.metrics.observe(&method, &route, status, took);
    let route = if route.is_empty() {
        "(no route)"
    } else {
        &route
    };
    tracing::info!(%method, path = %route, status, latency_ms = took.as_secs_f64() * 1000.0, "request");
    res
}

async fn healthz() -> Json<Value> {
    Json(serde_json::json!({"status": "ok"}))
}

async fn readyz(State(s): State<Shared>) -> Result<Response, ApiError> {
    s.db.ping().await.map_err(|e| {
        tracing::error!(error = %e, "database not ready");
        ApiError::unavailable("the database does not answer")
    })?;
    // A background task dead (between a crash and its restart) or stuck on a row: not ready,
    // with the task named for whoever looks.
    let unhealthy = s.tasks.unhealthy(s.config.tasks.stuck_after);
    if !unhealthy.is_empty() {
        tracing::error!(tasks = ?unhealthy, "a background task is dead or stuck");
        let names: Vec<String> = unhealthy
            .iter()
            .map(|t| format!("{} ({})", t.task, t.state))
            .collect();
        let body = serde_json::json!({
            "error": "unavailable",
            "message": format!("background task not working: {}", names.join(", ")),
            "tasks": unhealthy,
        });
        return Ok((axum::http::StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response());
    }
    Ok(Json(serde_json::json!({"status": "ready"})).into_response())
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn metrics(
    State(s): State<Shared>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    if let Some(want) = &s.config.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        // Compared as digests: the comparison's time says nothing about the token.
        if Sha256::digest(given.as_bytes()) != Sha256::digest(want.0.as_bytes()) {
            return Err(ApiError::unauthorized(
                "the metrics token is required (Authorization: Bearer)",
            ));
        }
    }
    let by_status = s.db.status_counts().await?;
    let (mail_waiting, mail_failed) = s.db.mail_counts().await?;
    let (waiting, failing, in_doubt, failed) = s.db.forward_counts().await?;
    let forwarding = crate::metrics::Forwarding {
        waiting,
        failing,
        in_doubt,
        failed,
    };
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        s.metrics
            .render(&forwarding, &by_status, mail_waiting, mail_failed)
            + &s.tasks.render(),
    ))
}

// Authentication

/// The installation making the call, from `Authorization: Bearer TOKEN`; also where the
/// per-installation rate limit is applied.
pub struct Caller(pub Installation);

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::unauthorized("an installation token is required (Authorization: Bearer)")
            })?;
        let inst =
            s.db.installation_by_token(token)
                .await?
                .ok_or_else(|| ApiError::unauthorized("unknown or revoked installation token"))?;
        s.limiter.check(inst.id).map_err(ApiError::rate_limited)?;
        Ok(Caller(inst))
    }
}

/// Parses JSON text, naming the offending field (`prefix.path`) when it does not fit.
fn parse_json<T: DeserializeOwned>(bytes: &[u8], prefix: &str) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path == "?" {
            prefix.to_owned()
        } else {
            format!("{prefix}.{path}")
        };
        ApiError::invalid(field, format!("{}", e.into_inner()))
    })
}

fn required(v: Option<String>, field: &str, max_chars: usize) -> Result<String, ApiError> {
    let v = v.map(|s| s.trim().to_owned()).unwrap_or_default();
    if v.is_empty() {
        return Err(ApiError::invalid(field, format!("{field} is required")));
    }
    if v.chars().count() > max_chars {
        return Err(ApiError::invalid(
            field,
            format!("{field} is longer than {max_chars} characters"),
        ));
    }
    Ok(v)
}

fn optional(v: Option<String>, field: &str, max_chars: usize) -> Result<Option<String>, ApiError> {
    match v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max_chars => Err(ApiError::invalid(
            field,
            format!("{field} is longer than {max_chars} characters"),
        )),
        other => Ok(other),
    }
}

// Enrolment

#[derive(Deserialize)]
struct EnrolIn {
    code: Option<String>,
    machine: Option<String>,
}

async fn enrol(
    State(s): State<Shared>,
    _slot: crate::limits::EnrolSlot,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let input: EnrolIn = parse_json(&body, "body")?;
    let code = required(input.code, "code", 64)?;
    let machine = required(input.machine, "machine", 200)?;
    let token = match s.db.enrol(&code, &machine).await? {
        Enrolled::Token(t) => t,
        Enrolled::Unknown => {
            return Err(ApiError::unauthorized(
                "unknown, expired or revoked enrolment code",
            ))
        }
        Enrolled::UsedUp => return Err(ApiError::code_used_up()),
    };
    tracing::info!("installation enrolled");
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({"token": token})),
    ))
}

// Profile

/// The profile served to the apps, reloaded when its file changes; a broken new version is
/// reported in the log and the last good one is kept.
struct ProfileCache {
    path: Option<PathBuf>,
    current: Mutex<(Option<SystemTime>, Arc<ServedProfile>)>,
}

struct ServedProfile {
    version: String,
    body: String,
    profile: chamado_profile::Profile,
}

impl ServedProfile {
    fn new(p: &chamado_profile::Profile) -> ServedProfile {
        let json = serde_json::to_value(p).expect("a profile serializes");
        let version = hex::encode(&Sha256::digest(json.to_string().as_bytes())[..8]);
        let body = serde_json::json!({"version": version, "profile": json}).to_string();
        ServedProfile {
            version,
            body,
            profile: p.clone(),
        }
    }
}

impl ProfileCache {
    fn load(path: Option<PathBuf>) -> anyhow::Result<ProfileCache> {
        let (mtime, profile) = match &path {
            Some(p) => {
                let mtime = std::fs::metadata(p).and_then(|m| m.modified()).ok();
                let profile = chamado_profile::load(p)
                    .map_err(|e| anyhow::anyhow!("{}", e.report(chamado_profile::Lang::En)))?;
                (mtime, profile)
            }
            None => (None, chamado_profile::builtin()),
        };
        Ok(ProfileCache {
            path,
            current: Mutex::new((mtime, Arc::new(ServedProfile::new(&profile)))),
        })
    }

    fn get(&self) -> Arc<ServedProfile> {
        let mut cur = self.current.lock().expect("not poisoned");
        if let Some(p) = &self.path {
            let mtime = std::fs::metadata(p).and_then(|m| m.modified()).ok();
            if mtime.is_some() && mtime != cur.0 {
                cur.0 = mtime;
                match chamado_profile::load(p) {
                    Ok(profile) => {
                        cur.1 = Arc::new(ServedProfile::new(&profile));
                        tracing::info!(version = %cur.1.version, "profile reloaded");
                    }
                    Err(e) => tracing::error!(
                        problems = %e.report(chamado_profile::Lang::En),
                        "the profile file changed but is broken; the last good one is served"
                    ),
                }
            }
        }
        cur.1.clone()
    }
}

async fn profile(State(s): State<Shared>, _caller: Caller, headers: HeaderMap) -> Response {
    let p = s.profile.get();
    let etag = format!("\"{}\"", p.version);
    let etag_value = HeaderValue::from_str(&etag).expect("hex is a valid header");
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag_value),
        ],
        p.body.clone(),
    )
        .into_response()
}

// Tickets

fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
        && !domain.contains('@')
}

fn validate_ticket(bytes: &[u8]) -> Result<NewTicket, ApiError> {
    // Any JSON value for a field: text, numbers and true/false are taken (checked below).
    let t: NewTicketOf<Value> = parse_json(bytes, "ticket")?;
    // Missing, `null` or `{}`.
    if t.contact.is_empty() {
        return Err(ApiError::invalid(
            "ticket.contact",
            "ticket.contact is required",
        ));
    }
    let contact = t.contact;
    let email = required(Some(contact.email), "ticket.contact.email", 254)?;
    if !valid_email(&email) {
        return Err(ApiError::invalid(
            "ticket.contact.email",
            "ticket.contact.email is not an e-mail address",
        ));
    }
    let fields = t.fields;
    for (name, v) in &fields {
        if !(v.is_string() || v.is_number() || v.is_boolean() || v.is_null()) {
            return Err(ApiError::invalid(
                format!("ticket.fields.{name}"),
                "a field's value is text, a number or true/false",
            ));
        }
    }
    Ok(NewTicket {
        topic: required(Some(t.topic), "ticket.topic", 64)?,
        summary: required(Some(t.summary), "ticket.summary", 200)?,
        description: required(Some(t.description), "ticket.description", 100_000)?,
        contact_name: required(Some(contact.name), "ticket.contact.name", 200)?,
        contact_email: email,
        contact_phone: optional(contact.phone, "ticket.contact.phone", 40)?,
        module: optional(t.module, "ticket.module", 64)?,
        fields: serde_json::to_string(&fields).expect("JSON serializes"),
        priority: t.priority.map(|p| p.code().to_owned()),
    })
}

/// A ticket as the app sees it: what it reads (chamado-wire's answer), and more.
#[derive(Serialize)]
struct TicketOut {
    #[serde(flatten)]
    answer: TicketAnswer,
    topic: String,
    summary: String,
    created_at: String,
    updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread: Option<Vec<chamado_wire::ThreadMessage>>,
}

impl TicketOut {
    fn new(s: &AppState, t: TicketSummary) -> TicketOut {
        TicketOut {
            answer: TicketAnswer {
                link: t.number.as_ref().map(|_| s.link(&t)),
                reference: t.reference,
                number: t.number,
                status: t.status,
            },
            topic: t.topic,
            summary: t.summary,
            created_at: t.created_at,
            updated_at: t.updated_at,
            thread: None,
        }
    }
}

fn idempotency_key(headers: &HeaderMap, required: bool) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return if required {
            Err(ApiError::invalid(
                "Idempotency-Key",
                "the Idempotency-Key header is required",
            ))
        } else {
            Ok(None)
        };
    };
    let v = v.to_str().ok().map(str::trim).unwrap_or("");
    if v.is_empty() || v.len() > 255 || !v.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid(
            "Idempotency-Key",
            "the Idempotency-Key header is 1 to 255 visible ASCII characters",
        ));
    }
    Ok(Some(v.to_owned()))
}

/// Refuses a body announced larger than the limit before reading any of it.
fn check_length(s: &AppState, headers: &HeaderMap) -> Result<u64, ApiError> {
    let limit =
        s.config.limits.upload_max_bytes + s.config.limits.ticket_max_bytes as u64 + 64 * 1024;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(ApiError::too_large("body", limit));
    }
    Ok(limit)
}

/// A multipart body read at the pace it is consumed. multer (under axum's `Multipart`) pulls
/// everything the connection has ready into its buffer before handing out a chunk; on a fast
/// link that is the whole upload. `Paced` ends each pull after `PACE` bytes, so a request holds
/// about one pace in memory however large its files.
pub struct Upload(Multipart);

const PACE: usize = 32 * 1024;

struct Paced<S> {
    inner: S,
    since_pause: usize,
}

impl<S> futures_core::Stream for Paced<S>
where
    S: futures_core::Stream<Item = Result<Bytes, axum::Error>> + Unpin,
{
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.since_pause >= PACE {
            self.since_pause = 0;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        let polled = std::pin::Pin::new(&mut self.inner).poll_next(cx);
        if let std::task::Poll::Ready(Some(Ok(b))) = &polled {
            self.since_pause += b.len();
        }
        polled
    }
}

impl FromRequest<Shared> for Upload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let paced = Paced {
            inner: body.into_data_stream(),
            since_pause: 0,
        };
        let req = Request::from_parts(parts, Body::from_stream(paced));
        Multipart::from_request(req, state)
            .await
            .map(Upload)
            .map_err(|e| {
                ApiError::invalid(
                    "body",
                    format!("expected a multipart/form-data body: {}", e.body_text()),
                )
            })
    }
}

/// Reads a small text part whole, up to `limit` bytes.
async fn small_part(
    field: &mut axum::extract::multipart::Field<'_>,
    name: &str,
    limit: usize,
    body_limit: u64,
) -> Result<Vec<u8>, ApiError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| multipart_error(e, body_limit))?
    {
        if buf.len() + chunk.len() > limit {
            return Err(ApiError::too_large(name, limit as u64));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// The parts of a ticket upload, each at most once: `ticket` (small JSON, kept in memory) and
/// `bundle` (a zip, streamed to the blob store). Missing parts are the caller's to judge.
async fn ticket_and_bundle(
    s: &AppState,
    mut body: Multipart,
    body_limit: u64,
) -> Result<(Option<Vec<u8>>, Option<FileRef>), ApiError> {
    let mut ticket: Option<Vec<u8>> = None;
    let mut bundle: Option<FileRef> = None;
    while let Some(mut field) = body
        .next_field()
        .await
        .map_err(|e| multipart_error(e, body_limit))?
    {
        match field.name().unwrap_or("") {
            "ticket" if ticket.is_none() => {
                ticket = Some(
                    small_part(
                        &mut field,
                        "ticket",
                        s.config.limits.ticket_max_bytes,
                        body_limit,
                    )
                    .await?,
                );
            }
            "bundle" if bundle.is_none() => {
                let name = sanitize_name(field.file_name().unwrap_or(""), "bundle.zip");
                let limit = s.config.limits.upload_max_bytes;
                let f = s
                    .blobs
                    .receive(&mut field, name, limit)
                    .await
                    .map_err(|e| upload_error(e, "bundle", limit))?;
                if !s.blobs.is_zip(&f.sha256).await {
                    return Err(ApiError::invalid("bundle", "the bundle is not a zip file"));
                }
                bundle = Some(f);
            }
            "ticket" | "bundle" => {
                return Err(ApiError::invalid(
                    field.name().unwrap_or(""),
                    "this part is given more than once",
                ))
            }
            other => {
                return Err(ApiError::invalid(
                    other,
                    format!("unknown part `{other}` (expected ticket and bundle)"),
                ))
            }
        }
    }
    Ok((ticket, bundle))
}

async fn take_ticket(
    State(s): State<Shared>,
    Caller(inst): Caller,
    headers: HeaderMap,
    body: Result<Upload, ApiError>,
) -> Result<(StatusCode, Json<TicketOut>), ApiError> {
    let body_limit = check_length(&s, &headers)?;
    let key = idempotency_key(&headers, true)?.expect("required");
    let Upload(body) = body?;
    let (ticket, bundle) = ticket_and_bundle(&s, body, body_limit).await?;
    let ticket_bytes =
        ticket.ok_or_else(|| ApiError::invalid("ticket", "the ticket part is missing"))?;
    let new = validate_ticket(&ticket_bytes)?;
    let mut h = Sha256::new();
    h.update(&ticket_bytes);
    h.update(bundle.as_ref().map(|b| b.sha256.as_str()).unwrap_or("-"));
    let request_hash = hex::encode(h.finalize());
    let intake =
        s.db.take_ticket(
            inst.id,
            &key,
            &request_hash,
            &new,
            bundle.as_ref(),
            Queue {
                // Forwarded, osTicket sends its own confirmation.
                mail: s.config.smtp.is_some() && s.config.osticket.is_none(),
                osticket: s.config.osticket.is_some(),
            },
        )
        .await
        .inspect_err(|_| {
            s.metrics
                .tickets_failed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })?;
    match intake {
        Intake::Created(t) => {
            s.mail_wake.notify_one();
            s.forward_wake.notify_one();
            s.metrics
                .tickets_taken
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::info!(reference = %t.reference, number = ?t.number, installation = inst.id, "ticket taken");
            Ok((StatusCode::CREATED, Json(TicketOut::new(&s, t))))
        }
        Intake::Existing(t) => {
            s.metrics
                .tickets_replayed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok((StatusCode::OK, Json(TicketOut::new(&s, t))))
        }
        Intake::KeyReused => Err(ApiError::unprocessable(
            "key_reused",
            "this Idempotency-Key was used for a different ticket",
        )),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
}

async fn list_tickets(
    State(s): State<Shared>,
    Caller(inst): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let status = q
        .status
        .map(|v| {
            v.parse::<Status>()
                .map_err(|m| ApiError::invalid("status", m))
        })
        .transpose()?;
    let list = s.db.tickets(Some(inst.id), status).await?;
    let out: Vec<TicketOut> = list.into_iter().map(|t| TicketOut::new(&s, t)).collect();
    Ok(Json(serde_json::json!({ "tickets": out })))
}

// Notices and "resolveu"

/// The current notices (not past their end), newest first, and the latest version recorded.
async fn notices(
    State(s): State<Shared>,
    Caller(_): Caller,
) -> Result<Json<chamado_wire::NoticeList>, ApiError> {
    Ok(Json(chamado_wire::NoticeList {
        notices: s.db.notices(true).await?,
        latest_version: s.db.latest_release().await?,
    }))
}

/// Counts one "resolveu" for a topic: counts only, nothing about the installation is kept.
async fn resolved(
    State(s): State<Shared>,
    Caller(_): Caller,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    if body.len() > 1024 {
        return Err(ApiError::too_large("body", 1024));
    }
    let r: chamado_wire::Resolved = parse_json(&body, "body")?;
    let topic = r.topic.trim();
    if topic.is_empty() {
        return Err(ApiError::invalid("topic", "topic is required"));
    }
    if !chamado_wire::is_topic_id(topic) {
        return Err(ApiError::invalid(
            "topic",
            "topic is not a topic id (at most 64 of a-z, 0-9 and -, starting with a letter or digit)",
        ));
    }
    s.db.count_resolved(topic, r.how).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn own_ticket(
    s: &AppState,
    inst: &Installation,
    reference: &str,
) -> Result<TicketSummary, ApiError> {
    s.db.ticket(reference, Some(inst.id))
        .await?
        .filter(|t| t.reference == reference)
        .ok_or_else(|| ApiError::not_found("no such ticket for this installation"))
}

async fn ticket(
    State(s): State<Shared>,
    Caller(inst): Caller,
    Path(reference): Path<String>,
) -> Result<Json<TicketOut>, ApiError> {
    let t = own_ticket(&s, &inst, &reference).await?;
    let thread = s.db.thread(t.id).await?;
    let mut out = TicketOut::new(&s, t);
    out.thread = Some(thread.into_iter().map(thread_message).collect());
    Ok(Json(out))
}

/// A stored message as the app reads it (chamado-wire's type: the same JSON).
fn thread_message(m: Message) -> chamado_wire::ThreadMessage {
    chamado_wire::ThreadMessage {
        id: m.id,
        author: m.author.as_str().into(),
        body: m.body,
        created_at: m.created_at,
        attachments: m
            .attachments
            .into_iter()
            .map(|a| chamado_wire::ThreadFile {
                kind: a.kind,
                name: a.name,
                size: a.size,
            })
            .collect(),
    }
}

/// Information added to a ticket, as answered: what the app reads (chamado-wire's answer), and
/// the message.
#[derive(Serialize)]
struct MessageOut {
    #[serde(flatten)]
    answer: MessageAnswer,
    author: &'static str,
    body: String,
    attachments: Vec<Value>,
}

async fn add_message(
    State(s): State<Shared>,
    Caller(inst): Caller,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Result<Upload, ApiError>,
) -> Result<(StatusCode, Json<MessageOut>), ApiError> {
    let body_limit = check_length(&s, &headers)?;
    let key = idempotency_key(&headers, false)?;
    let t = own_ticket(&s, &inst, &reference).await?;
    if t.status == Status::Closed {
        return Err(ApiError::conflict(
            "closed",
            "the ticket is closed; open a new one",
        ));
    }
    let Upload(mut body) = body?;
    let mut message: Option<Vec<u8>> = None;
    let mut files: Vec<FileRef> = Vec::new();
    let mut total: u64 = 0;
    while let Some(mut field) = body
        .next_field()
        .await
        .map_err(|e| multipart_error(e, body_limit))?
    {
        match field.name().unwrap_or("") {
            "message" if message.is_none() => {
                message = Some(
                    small_part(
                        &mut field,
                        "message",
                        s.config.limits.ticket_max_bytes,
                        body_limit,
                    )
                    .await?,
                );
            }
            "attachment" => {
                if files.len() >= 20 {
                    return Err(ApiError::invalid(
                        "attachment",
                        "at most 20 attachments in one message",
                    ));
                }
                let name = sanitize_name(field.file_name().unwrap_or(""), "anexo");
                let limit = s.config.limits.upload_max_bytes.saturating_sub(total);
                let f = s
                    .blobs
                    .receive(&mut field, name, limit)
                    .await
                    .map_err(|e| upload_error(e, "attachment", s.config.limits.upload_max_bytes))?;
                total += f.size;
                files.push(f);
            }
            other => {
                return Err(ApiError::invalid(
                    other,
                    format!("unknown or repeated part `{other}` (expected message and attachment)"),
                ))
            }
        }
    }
    // The app sends `{"body": ...}`: the part of its queued message that crosses.
    let m: NewMessage = parse_json(
        &message.ok_or_else(|| ApiError::invalid("message", "the message part is missing"))?,
        "message",
    )?;
    let text = required(Some(m.body), "message.body", 100_000)?;
    let id =
        s.db.add_message(
            t.id,
            "customer",
            &text,
            key.as_deref(),
            &files,
            customer_message(&s),
        )
        .await?;
    s.forward_wake.notify_one();
    tracing::info!(reference = %t.reference, message = id, files = files.len(), "message added");
    let attachments: Vec<Value> = files
        .iter()
        .map(|f| serde_json::json!({"kind": "attachment", "name": f.name, "size": f.size}))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(MessageOut {
            answer: MessageAnswer { id },
            author: "customer",
            body: text,
            attachments,
        }),
    ))
}

// The customer's quick-access page (the link in answers and e-mails).

/// The quick-access page's URL holds its key: it must not leak through a Referer, and the page
/// loads nothing and posts only to itself.
async fn page_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    // No other site may show the page in a frame (and trick a click on its form).
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The ticket a quick-access link names, if its key is right (compared as digests, so the
/// comparison's time says nothing about the key).
async fn by_link(
    s: &AppState,
    reference: &str,
    key: &str,
) -> Result<Option<TicketSummary>, ApiError> {
    Ok(s.db
        .ticket(reference, None)
        .await?
        .filter(|t| t.reference == reference)
        .filter(|t| Sha256::digest(t.access_key.as_bytes()) == Sha256::digest(key.as_bytes())))
}

async fn quick_access(
    State(s): State<Shared>,
    Path((reference, key)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let Some(t) = by_link(&s, &reference, &key).await? else {
        return Ok((StatusCode::NOT_FOUND, Html(page::not_found())).into_response());
    };
    let thread = s.db.thread(t.id).await?;
    Ok(Html(page::ticket(&t, &thread)).into_response())
}

/// The reply form of the quick-access page: text and attachments, then back to the page.
async fn quick_reply(
    State(s): State<Shared>,
    Path((reference, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Upload, ApiError>,
) -> Result<Response, ApiError> {
    let body_limit = check_length(&s, &headers)?;
    let Some(t) = by_link(&s, &reference, &key).await? else {
        return Ok((StatusCode::NOT_FOUND, Html(page::not_found())).into_response());
    };
    if t.status == Status::Closed {
        return Ok((StatusCode::CONFLICT, Html(page::closed(&t))).into_response());
    }
    let Upload(mut body) = body?;
    let mut text: Option<Vec<u8>> = None;
    let mut files: Vec<FileRef> = Vec::new();
    let mut total: u64 = 0;
    while let Some(mut field) = body
        .next_field()
        .await
        .map_err(|e| multipart_error(e, body_limit))?
    {
        match field.name().unwrap_or("") {
            "body" if text.is_none() => {
                text = Some(
                    small_part(
                        &mut field,
                        "body",
                        s.config.limits.ticket_max_bytes,
                        body_limit,
                    )
                    .await?,
                );
            }
            // A file input left empty still sends a part, with no name and no content.
            "attachment" if field.file_name().unwrap_or("").is_empty() => {
                small_part(&mut field, "attachment", 0, body_limit).await?;
            }
            "attachment" if files.len() < 20 => {
                let name = sanitize_name(field.file_name().unwrap_or(""), "anexo");
                let limit = s.config.limits.upload_max_bytes.saturating_sub(total);
                let f = s
                    .blobs
                    .receive(&mut field, name, limit)
                    .await
                    .map_err(|e| upload_error(e, "attachment", s.config.limits.upload_max_bytes))?;
                total += f.size;
                files.push(f);
            }
            other => {
                return Err(ApiError::invalid(
                    other,
                    format!("unknown or repeated part `{other}` (expected body and attachment)"),
                ))
            }
        }
    }
    let text = String::from_utf8(text.unwrap_or_default())
        .map_err(|_| ApiError::invalid("body", "body is not UTF-8 text"))?;
    let text = required(Some(text), "body", 100_000)?;
    let id =
        s.db.add_message(t.id, "customer", &text, None, &files, customer_message(&s))
            .await?;
    s.forward_wake.notify_one();
    tracing::info!(reference = %t.reference, message = id, files = files.len(), "reply from the quick-access page");
    Ok(axum::response::Redirect::to(&format!("/t/{reference}/{key}")).into_response())
}

// Technician

/// A technician's bundle, as answered: what the app reads (chamado-wire's answer), and the
/// bundle as stored.
#[derive(Serialize)]
struct TechnicianOut {
    #[serde(flatten)]
    answer: TechnicianAnswer,
    bundle: Value,
}

/// A field technician attaches a bundle to an existing ticket, named by its number and checked
/// against the ticket's e-mail (any enrolled installation may do it: the technician's own).
async fn technician_bundle(
    State(s): State<Shared>,
    Caller(inst): Caller,
    headers: HeaderMap,
    body: Result<Upload, ApiError>,
) -> Result<(StatusCode, Json<TechnicianOut>), ApiError> {
    let body_limit = check_length(&s, &headers)?;
    let key = idempotency_key(&headers, false)?;
    let Upload(body) = body?;
    let (target, bundle) = ticket_and_bundle(&s, body, body_limit).await?;
    let target: TechnicianTarget = parse_json(
        &target.ok_or_else(|| ApiError::invalid("ticket", "the ticket part is missing"))?,
        "ticket",
    )?;
    let number = required(Some(target.number), "ticket.number", 64)?;
    let email = required(Some(target.email), "ticket.email", 254)?;
    let note = optional(target.note, "ticket.note", 10_000)?;
    let bundle = bundle.ok_or_else(|| ApiError::invalid("bundle", "the bundle part is missing"))?;
    // The same answer whether the number or the e-mail is wrong: a number alone reveals nothing.
    let t =
        s.db.ticket(&number, None)
            .await?
            .filter(|t| t.number.as_deref() == Some(number.as_str()))
            .filter(|t| t.contact_email.eq_ignore_ascii_case(&email))
            .ok_or_else(|| ApiError::not_found("no ticket with this number and e-mail"))?;
    if t.status == Status::Closed {
        return Err(ApiError::conflict("closed", "the ticket is closed"));
    }
    let text = note.unwrap_or_else(|| "Pacote de diagnóstico enviado pelo técnico.".to_owned());
    let id =
        s.db.add_message(
            t.id,
            "technician",
            &text,
            key.as_deref(),
            std::slice::from_ref(&bundle),
            customer_message(&s),
        )
        .await?;
    s.forward_wake.notify_one();
    tracing::info!(reference = %t.reference, message = id, installation = inst.id, "technician's bundle attached");
    Ok((
        StatusCode::CREATED,
        Json(TechnicianOut {
            answer: TechnicianAnswer {
                reference: t.reference,
                number: t.number,
                message: id,
            },
            bundle: serde_json::json!({"name": bundle.name, "size": bundle.size}),
        }),
    ))
}

/// What a customer's or technician's message sets going: forwarding, when there is osTicket.
fn customer_message(s: &AppState) -> Queue {
    Queue {
        mail: false,
        osticket: s.config.osticket.is_some(),
    }
}

#[derive(Deserialize)]
struct SignedQuery {
    expires: Option<i64>,
    signature: Option<String>,
}

/// A stored file through the signed, expiring link an osTicket ticket carries when the file was
/// too large to go inside it. 403 when the link is expired or altered; streamed from disk.
async fn signed_file(
    State(s): State<Shared>,
    Path(sha256): Path<String>,
    Query(q): Query<SignedQuery>,
) -> Result<Response, ApiError> {
    let forbidden = ApiError::forbidden;
    let (Some(expires), Some(signature)) = (q.expires, q.signature) else {
        return Err(forbidden("the link is incomplete"));
    };
    let valid_name = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid_name || !crate::secret::link_signed(&s.link_key, &sha256, expires, &signature) {
        return Err(forbidden("the link is not valid"));
    }
    if expires < time::OffsetDateTime::now_utc().unix_timestamp() {
        return Err(forbidden("the link has expired"));
    }
    let Some(name) = s.db.file_name(&sha256).await? else {
        return Err(ApiError::not_found("the file is no longer stored"));
    };
    let Ok(Some((len, body))) = s.blobs.stream(&sha256).await else {
        return Err(ApiError::not_found("the file is no longer stored"));
    };
    // Sanitized again (names stored by older versions kept bidi characters); the header takes
    // its ASCII form.
    let ascii: String = sanitize_name(&name, "arquivo")
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, HeaderValue::from(len)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}
