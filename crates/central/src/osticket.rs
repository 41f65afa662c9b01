//! osTicket through the Chamado plugin (`[osticket] create = "plugin"`, `osticket-plugin/`,
//! whose README is the contract): the requests the forwarder sends, and the way back.
//!
//! Out: a new ticket goes to `tickets/chamado/create.json` with its reference, help topic,
//! contact, priority, custom fields by variable, the analyst's message (`message.rs`) and the
//! files that fit inside (base64; larger ones are signed links in the message, as in the other
//! modes); a follow-up goes to `message.json` with a message key derived from the reference and
//! the message's id. Exactly once comes from the plugin: it keeps the reference and the message
//! key under UNIQUE keys and serializes requests for one key, so a retry after a crash, or one
//! that overlaps a slow first request, gets the same ticket or entry. Central therefore retries
//! freely (nothing is ever "in doubt" in this mode).
//!
//! Back: the plugin signs an event for each analyst reply and status change and posts it to
//! `POST /v1/osticket/events` ([`events`]); central checks the signature and its freshness, takes
//! each event id once, and reads the ticket's `ticket.json` ([`sync`]). Each analyst reply becomes
//! a thread message by `staff` (once, by osTicket's entry id; never an internal note, which the
//! plugin never shows), and the status becomes `closed` when osTicket's state is closed,
//! `answered` when the last public entry is an analyst's, else `open`. Those messages are never
//! queued back to osTicket. A lost event is mended by the fallback poll ([`spawn_poller`]): every
//! ticket not closed is read again every `poll_s` (jittered, so tickets spread out), a closed one
//! every 10 × `poll_s` for a week after its last change (osTicket may reopen it), each claimed with
//! a lease so several centrals never poll one ticket at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::Shared;
use crate::config::Osticket;
use crate::db::{Forward, Reply, Status};
use crate::error::ApiError;
use crate::forward::{custom_fields, ForwardError, Forwarder, Outgoing, Prepared};
use crate::message::text_for_osticket;

/// The message key of a follow-up: a function of the reference and the message's id only, so
/// every retry carries the same one.
pub fn message_key(reference: &str, message_id: i64) -> String {
    format!("{reference}-m{message_id}")
}

/// The body of `create.json`.
pub fn create_request(f: &Forward, p: &Prepared) -> Result<Value, ForwardError> {
    let topic = p.routing.topic_id.ok_or_else(|| ForwardError::Config {
        status: 422,
        body: format!(
            "the topic `{}` has no osTicket help topic: set the profile's osticket_topic or \
             [osticket.topics] {} = ID",
            f.topic, f.topic
        ),
    })?;
    let mut body = json!({
        "reference": f.reference,
        "topic_id": topic,
        "name": f.contact_name,
        "email": f.contact_email,
        // The message as written (the plugin compensates osTicket's decoding itself); the
        // subject and text fields go through osTicket's text fields as in the other modes.
        "subject": text_for_osticket(&f.summary),
        "message_html": p.html,
        "fields": custom_fields(f, p, true)
            .into_iter()
            .map(|(var, value)| match value {
                Value::String(s) => (var, Value::String(text_for_osticket(&s))),
                other => (var, other),
            })
            .collect::<serde_json::Map<_, _>>(),
        "attachments": attachments(p),
        "autorespond": true,
        "alert": true,
    });
    let obj = body.as_object_mut().expect("an object");
    if let Some(phone) = &f.contact_phone {
        obj.insert("phone".into(), json!(phone));
    }
    if let Some(id) = f
        .priority
        .as_deref()
        .and_then(crate::forward::osticket_priority)
    {
        obj.insert("priority_id".into(), json!(id));
    }
    Ok(body)
}

/// The body of `message.json`.
pub fn message_request(f: &Forward, p: &Prepared) -> Value {
    json!({
        "reference": f.reference,
        "message_key": message_key(&f.reference, f.message_id),
        "message_html": p.html,
        "attachments": attachments(p),
    })
}

fn attachments(p: &Prepared) -> Vec<Value> {
    p.files
        .iter()
        .filter_map(|file| match file {
            Outgoing::Inside { name, mime, bytes } => Some(json!({
                "name": name,
                "type": mime,
                "data": base64::engine::general_purpose::STANDARD.encode(bytes),
            })),
            Outgoing::Link { .. } => None,
        })
        .collect()
}

/// One call to the plugin: its JSON answer, or the failure as the forwarder files it.
async fn call(
    fw: &Forwarder,
    o: &Osticket,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, ForwardError> {
    let url = format!("{}/api/tickets/chamado/{path}", o.url);
    let http = fw.client(&url);
    let req = match body {
        Some(b) => http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(b).expect("JSON serializes"))
            .timeout(Duration::from_secs(120)),
        None => http.get(&url).timeout(Duration::from_secs(30)),
    };
    let (status, text) = fw.exchange(o, req).await?;
    let short: String = text.trim().chars().take(300).collect();
    let answer: Option<Value> = serde_json::from_str(&text).ok();
    match (status, answer) {
        (200 | 201, Some(v)) if v.is_object() => Ok(v),
        (200 | 201, _) => Err(ForwardError::Unavailable(format!(
            "HTTP {status} without the plugin's JSON: {short}"
        ))),
        // 404 with nginx's or osTicket's own page (not the plugin's JSON): the plugin is not
        // installed or enabled.
        (400 | 401 | 403 | 404 | 405 | 413, _) => Err(ForwardError::Config {
            status,
            body: short,
        }),
        // The web server stopped waiting; osTicket may still be at work on the request.
        (504, _) => Err(ForwardError::NoAnswer(format!("HTTP 504: {short}"))),
        (409 | 422, _) => Err(ForwardError::Rejected {
            status,
            body: short,
        }),
        _ => Err(ForwardError::Unavailable(format!("HTTP {status}: {short}"))),
    }
}

/// Sends one queued message through the plugin; the ticket's number.
pub async fn send(
    fw: &Forwarder,
    o: &Osticket,
    f: &Forward,
    p: &Prepared,
) -> Result<String, ForwardError> {
    let answer = if f.kind == "create" {
        call(fw, o, "create.json", Some(&create_request(f, p)?)).await?
    } else {
        call(fw, o, "message.json", Some(&message_request(f, p))).await?
    };
    if let Some(ignored) = answer
        .get("ignored_fields")
        .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
    {
        tracing::warn!(reference = %f.reference, %ignored, "osTicket's forms for this topic have no such fields: map them in [osticket.fields] or add them to the topic's form");
    }
    answer["number"]
        .as_str()
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            ForwardError::Unavailable(format!("no number in the plugin's answer: {answer}"))
        })
}

/// `ticket.json` as the plugin answers it (what central reads of it).
#[derive(Debug, Deserialize)]
pub struct PluginTicket {
    pub status: PluginStatus,
    #[serde(default)]
    pub thread: Vec<PluginEntry>,
}

#[derive(Debug, Deserialize)]
pub struct PluginStatus {
    pub state: String,
}

#[derive(Debug, Deserialize)]
pub struct PluginEntry {
    pub id: i64,
    /// `message` (the customer's) or `reply` (an analyst's).
    pub kind: String,
    #[serde(default)]
    pub text: String,
}

impl PluginTicket {
    /// Central's status for osTicket's: closed, answered when the last public entry is an
    /// analyst's, else open.
    pub fn status(&self) -> Status {
        if self.status.state == "closed" {
            Status::Closed
        } else if self.thread.last().is_some_and(|e| e.kind == "reply") {
            Status::Answered
        } else {
            Status::Open
        }
    }

    pub fn replies(&self) -> Vec<Reply> {
        self.thread
            .iter()
            .filter(|e| e.kind == "reply")
            .map(|e| Reply {
                entry_id: e.id,
                text: e.text.clone(),
            })
            .collect()
    }
}

/// The one HTTP client of the way back (events and the poll).
fn forwarder() -> &'static Forwarder {
    static F: OnceLock<Forwarder> = OnceLock::new();
    F.get_or_init(Forwarder::new)
}

/// One ticket's reading and writing at a time in this central: a later read then sees at least
/// what an earlier one did, so a reply's "answered" never overwrites the close that followed.
async fn ticket_lock(ticket_id: i64) -> tokio::sync::OwnedMutexGuard<()> {
    static LOCKS: OnceLock<Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let lock = {
        let mut map = LOCKS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        // Locks no one holds or waits for go, so the map stays as small as the work in flight.
        map.retain(|_, l| Arc::strong_count(l) > 1);
        Arc::clone(map.entry(ticket_id).or_default())
    };
    lock.lock_owned().await
}

/// Reads the ticket from the plugin and brings central's copy up to date; the status osTicket
/// gives it.
pub async fn sync(
    state: &Shared,
    o: &Osticket,
    ticket_id: i64,
    reference: &str,
) -> Result<Status, ForwardError> {
    let _one = ticket_lock(ticket_id).await;
    let answer = call(
        forwarder(),
        o,
        &format!("ticket.json?reference={reference}"),
        None,
    )
    .await?;
    let ticket: PluginTicket = serde_json::from_value(answer)
        .map_err(|e| ForwardError::Unavailable(format!("the plugin's ticket.json: {e}")))?;
    let status = ticket.status();
    let added = state
        .db
        .osticket_apply(ticket_id, ticket.replies(), status.clone())
        .await
        .map_err(|e| ForwardError::Prepare(e.to_string()))?;
    if added > 0 {
        tracing::info!(%reference, added, "analyst's reply brought from osTicket");
    }
    Ok(status)
}

/// How far an event's timestamp may be from central's clock.
const FRESH_SECS: i64 = 300;

/// HMAC-SHA256 of `timestamp.body` with `secret`: what the plugin signs an event with.
fn event_mac(secret: &str, timestamp: &str, body: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    use hmac::Mac;
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Whether `signature` (`sha256=HEX`) is the event's HMAC (compared in constant time).
pub fn signed(secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    use hmac::Mac;
    signature
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h.trim()).ok())
        .is_some_and(|sig| {
            event_mac(secret, timestamp, body)
                .verify_slice(&sig)
                .is_ok()
        })
}

/// `X-Chamado-Signature` for `body` at `timestamp` (the plugin's side; tests and benchmarks).
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mac = event_mac(secret, timestamp, body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[derive(Debug, Deserialize)]
struct Event {
    event_id: i64,
    reference: String,
}

/// `POST /v1/osticket/events`: the plugin's signed event. 401 for a bad or stale signature
/// (nothing changes), 2xx otherwise (202: the ticket is being read; 200: an event taken before);
/// 404 for a reference this central does not know (the plugin then sets the event aside).
pub async fn events(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((o, secret)) = s.config.osticket.as_ref().and_then(|o| {
        o.events_secret
            .as_ref()
            .map(|secret| (o.clone(), secret.0.clone()))
    }) else {
        return ApiError::unauthorized(
            "this central takes no osTicket events: set [osticket] events_secret",
        )
        .into_response();
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (timestamp, signature) = (header("x-chamado-timestamp"), header("x-chamado-signature"));
    if !signed(&secret, &timestamp, &body, &signature) {
        tracing::warn!("an osTicket event with a bad signature refused");
        return ApiError::unauthorized("bad X-Chamado-Signature").into_response();
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if !timestamp
        .parse::<i64>()
        .is_ok_and(|t| (t - now).abs() <= FRESH_SECS)
    {
        tracing::warn!(%timestamp, "a stale osTicket event refused");
        return ApiError::unauthorized("X-Chamado-Timestamp is not within 5 minutes of now")
            .into_response();
    }
    let event: Event = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => return ApiError::invalid("body", format!("not an event: {e}")).into_response(),
    };
    // A database error is 503 (the plugin retries); an unknown reference 404 (set aside).
    let t = match s.db.ticket(&event.reference, None).await {
        Ok(Some(t)) => t,
        Ok(None) => return ApiError::not_found("no ticket with that reference").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading a ticket for an osTicket event");
            return ApiError::unavailable("the database does not answer").into_response();
        }
    };
    match s.db.osticket_event_taken(event.event_id).await {
        Ok(true) => {}
        Ok(false) => return (StatusCode::OK, Json(json!({"status": "duplicate"}))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "recording an osTicket event");
            return ApiError::unavailable("the database does not answer").into_response();
        }
    }
    // Answered at once (the plugin waits for it); the ticket is read meanwhile. Should that
    // fail, the poll mends it.
    let (state, reference) = (Arc::clone(&s), t.reference.clone());
    tokio::spawn(async move {
        if let Err(e) = sync(&state, &o, t.id, &reference).await {
            tracing::warn!(%reference, error = %e, "reading the ticket from osTicket after its event; the poll will");
        }
    });
    (StatusCode::ACCEPTED, Json(json!({"status": "accepted"}))).into_response()
}

/// The poll's name in `/readyz` and the logs.
pub const POLL_TASK: &str = "osticket-poll";

/// `secs` give or take a quarter, so tickets polled together drift apart.
fn jittered(secs: u64) -> i64 {
    let secs = secs.max(1) as i64;
    (secs * 3 / 4 + secs * crate::forward::random_u16() / (2 * 65535)).max(1)
}

/// Reads back the tickets whose time has come, until aborted.
async fn poll(state: Shared) {
    let Some(o) = state.config.osticket.clone() else {
        return;
    };
    let tuning = state.config.tasks.clone();
    let look = Duration::from_secs(o.poll_secs.clamp(1, 5));
    loop {
        match state
            .db
            .claim_polls(&state.instance, tuning.lease.as_secs() as i64, 20)
            .await
        {
            Ok(due) => {
                state.tasks.beat(POLL_TASK, !due.is_empty());
                let claimed = std::time::Instant::now();
                for t in due {
                    if !tuning.lease_holds_for_a_row(claimed) {
                        break;
                    }
                    let (s, oo, reference) = (Arc::clone(&state), o.clone(), t.reference.clone());
                    let outcome = crate::tasks::run_row(tuning.row_timeout, async move {
                        sync(&s, &oo, t.ticket_id, &reference).await
                    })
                    .await;
                    let next = match outcome {
                        Ok(Ok(Status::Closed)) => jittered(o.poll_secs * 10),
                        Ok(Ok(_)) => jittered(o.poll_secs),
                        // Created before the plugin (by e-mail or JSON): the plugin cannot tell.
                        Ok(Err(ForwardError::Config { status: 404, body }))
                            if body.contains("unknown_reference") =>
                        {
                            365 * 86_400
                        }
                        Ok(Err(e)) => {
                            tracing::warn!(reference = %t.reference, error = %e, "polling osTicket");
                            jittered(o.poll_secs * if t.closed { 10 } else { 1 })
                        }
                        Err(row) => {
                            tracing::warn!(reference = %t.reference, cause = row.kind(), "polling osTicket");
                            jittered(o.poll_secs * if t.closed { 10 } else { 1 })
                        }
                    };
                    if let Err(e) = state.db.polled(t.ticket_id, next).await {
                        tracing::error!(error = %e, "recording a poll");
                    }
                    state.tasks.beat(POLL_TASK, true);
                }
            }
            Err(e) => {
                state.tasks.beat(POLL_TASK, false);
                tracing::error!(error = %e, "reading the tickets to poll");
            }
        }
        tokio::time::sleep(look).await;
    }
}

/// Starts the fallback poll with `create = "plugin"`.
pub fn spawn_poller(state: &Shared) -> Option<tokio::task::JoinHandle<()>> {
    let o = state.config.osticket.as_ref()?;
    if o.create != crate::config::CreateVia::Plugin {
        return None;
    }
    if o.events_secret.is_none() {
        tracing::warn!("[osticket] events_secret is not set: osTicket's events are refused, and replies reach central only by the poll (every {} s)", o.poll_secs);
    }
    Some(crate::tasks::supervise(Arc::clone(state), POLL_TASK, {
        let state = Arc::clone(state);
        move || poll(Arc::clone(&state))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_over_timestamp_and_body() {
        let s = sign("segredo compartilhado", "1796597742", b"{\"event_id\":1}");
        assert!(signed(
            "segredo compartilhado",
            "1796597742",
            b"{\"event_id\":1}",
            &s
        ));
        assert!(!signed(
            "outro segredo",
            "1796597742",
            b"{\"event_id\":1}",
            &s
        ));
        assert!(!signed(
            "segredo compartilhado",
            "1796597743",
            b"{\"event_id\":1}",
            &s
        ));
        assert!(!signed(
            "segredo compartilhado",
            "1796597742",
            b"{\"event_id\":2}",
            &s
        ));
        assert!(!signed(
            "segredo compartilhado",
            "1796597742",
            b"{}",
            "sha256=zz"
        ));
        assert!(!signed("segredo compartilhado", "1796597742", b"{}", ""));
    }

    #[test]
    fn message_keys_depend_only_on_reference_and_message() {
        assert_eq!(message_key("CH-ABC", 7), "CH-ABC-m7");
        assert_ne!(message_key("CH-ABC", 7), message_key("CH-ABC", 8));
    }

    #[test]
    fn polls_spread_around_the_interval() {
        for _ in 0..50 {
            let d = jittered(180);
            assert!((135..=225).contains(&d), "{d}");
        }
    }
}
