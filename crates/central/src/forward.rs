//! Forwarding to the vendor's osTicket (with `[osticket]`): every ticket and every later
//! customer or technician message is a row of the `forwards` queue, written in the same
//! transaction as the message; this task sends what is due and retries failures with a doubling,
//! jittered delay. osTicket down, answering 5xx or refusing the key: the ticket stays on central
//! (the app already has its reference) and goes later.
//!
//! With the Chamado plugin (`create = "plugin"`, the recommended mode) the requests are
//! `crate::osticket`'s and the plugin makes them exactly once by the reference and a message
//! key; a retry is always safe.
//!
//! Exactly once by e-mail (the default, `create = "email"`): osTicket's JSON endpoint does not
//! deduplicate, its `tickets.email` endpoint does, by Message-ID. Every message goes there with a
//! Message-ID derived only from the ticket's reference and the message's id, and central stores
//! osTicket's answer (the number) only afterwards. A crash between osTicket's answer and central's
//! commit leaves the row due: the retry carries the same Message-ID and osTicket answers the
//! number it gave the first time, creating nothing. Follow-ups carry `[#NUMBER]` in the subject
//! and their own deterministic Message-ID, so they are appended once too.
//!
//! Never a request to osTicket while one central sent may still be running there: PHP goes on
//! with a request whose caller is gone, and osTicket checks then inserts without a lock, both
//! the Message-ID (a retry overlapping the first attempt makes a second ticket) and the customer
//! (two first tickets of one customer at once create them twice; the ticket's owner is left
//! without an e-mail address, so its follow-ups by e-mail become new tickets). Each request is
//! marked on its row (`sending_since`) before it goes. A request that got no answer (a lost
//! connection, a timeout, nginx's 504) pauses this forwarder and waits itself
//! `[osticket] in_flight_s`; a central restarted after a crash holds the rows it had on the wire
//! as long (`Db::hold_in_flight`) and sends nothing until they may go (`Db::in_flight_wait`).
//! Several centrals sharing the queue still send at once (each its own rows).

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use chamado_profile::Lang;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use serde_json::{json, Value};

use crate::api::Shared;
use crate::config::{CreateVia, Osticket};
use crate::db::{AttachmentInfo, Forward};
use crate::message::{
    html_for_osticket, message_html, read_bundle, text_for_osticket, BundleDigest, ProfileWords,
};

/// How often the queue is looked at when nothing wakes the forwarder.
const POLL: Duration = Duration::from_secs(2);

/// Why an attempt failed; the kind is stored, shown by `admin tickets` and in /metrics.
#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    /// 401 (key, key of another IP, inactive key), 400 (URL), 404, 413: the vendor's
    /// configuration of central or osTicket; retried, since it can be fixed in osTicket.
    #[error("osTicket configuration: HTTP {status}: {body}")]
    Config { status: u16, body: String },
    /// osTicket's 500 "Unable to create new ticket": it refused this ticket (e.g. it could not
    /// verify the e-mail's domain while DNS is down).
    #[error("osTicket refused the ticket: HTTP {status}: {body}")]
    Rejected { status: u16, body: String },
    /// Down, refusing connections, another 5xx, an answer that is not a number.
    #[error("osTicket unavailable: {0}")]
    Unavailable(String),
    /// The request went out and no answer came back: osTicket may have acted on it.
    #[error("no answer from osTicket: {0}")]
    NoAnswer(String),
    /// Central could not build the message (a stored file unreadable, a bad address).
    #[error("preparing the message: {0}")]
    Prepare(String),
}

impl ForwardError {
    pub fn kind(&self) -> &'static str {
        match self {
            ForwardError::Config { .. } => "config",
            ForwardError::Rejected { .. } => "rejected",
            ForwardError::Unavailable(_) | ForwardError::NoAnswer(_) => "unavailable",
            ForwardError::Prepare(_) => "central",
        }
    }
}

/// The delay before the next attempt after `attempts` failed ones: `first` doubling up to an
/// hour, then a random 50–100 % of it, so tickets queued during an outage do not all retry at
/// once.
pub fn retry_delay_secs(first: u64, attempts: i64) -> i64 {
    let full = (first.max(1) << attempts.clamp(0, 12) as u32).min(3600) as i64;
    (full / 2 + full * random_u16() / (2 * 65535)).max(1)
}

/// A random 0..=65535, to spread delays.
pub(crate) fn random_u16() -> i64 {
    let mut b = [0u8; 2];
    getrandom::fill(&mut b).expect("the OS's random source works");
    u16::from_le_bytes(b).into()
}

/// The Message-ID of a message sent to `tickets.email`: a function of the ticket's reference and
/// the message's id only, so every retry carries the same one.
pub fn message_id(reference: &str, message_id: i64) -> String {
    format!("<{reference}.m{message_id}.osticket@chamado-central>")
}

/// A file as it goes to osTicket: inside the ticket, or as a link to central.
#[derive(Debug)]
pub enum Outgoing {
    Inside {
        name: String,
        mime: &'static str,
        bytes: Vec<u8>,
    },
    Link {
        name: String,
        size: i64,
        url: String,
        expires: String,
    },
}

fn mime_of(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "zip" => "application/zip",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// Base64's size for `n` bytes.
pub fn base64_len(n: u64) -> u64 {
    n.div_ceil(3) * 4
}

/// Everything a message needs: the HTML, the files, the bundle's digest, where it goes.
pub struct Prepared {
    pub html: String,
    pub files: Vec<Outgoing>,
    pub digest: Option<BundleDigest>,
    pub routing: Routing,
}

/// Where a ticket goes in osTicket: the vendor profile says it (a topic's `osticket_topic`, its
/// fields' names are osTicket variable names); `[osticket.topics]` and `[osticket.fields]`
/// override or add (`module`, `program_version` have no variable in the profile).
#[derive(Debug, Default)]
pub struct Routing {
    pub topic_id: Option<i64>,
    pub topic_label: Option<String>,
    /// A value's name on central (a field's name, `module`, `program_version`) → the osTicket
    /// field variable.
    pub vars: BTreeMap<String, String>,
    /// A topic field's name → its label (pt-BR), for the message.
    pub labels: BTreeMap<String, String>,
}

pub fn routing(o: &Osticket, topic_id: &str, topic: Option<&chamado_profile::Topic>) -> Routing {
    let mut r = Routing {
        topic_id: o.topics.get(topic_id).copied().or_else(|| {
            topic
                .map(|t| i64::from(t.osticket_topic))
                .filter(|n| *n > 0)
        }),
        topic_label: topic.map(|t| t.label.get(Lang::PtBr).to_owned()),
        ..Routing::default()
    };
    for field in topic.map(|t| t.fields.as_slice()).unwrap_or_default() {
        r.vars.insert(field.name.clone(), field.name.clone());
        r.labels
            .insert(field.name.clone(), field.label.get(Lang::PtBr).to_owned());
    }
    r.vars
        .extend(o.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    r
}

/// The signed link to a stored file, valid `days`.
pub fn signed_link(state: &Shared, sha256: &str, days: u32) -> (String, String) {
    let expires = time::OffsetDateTime::now_utc() + time::Duration::days(days.into());
    let unix = expires.unix_timestamp();
    let sig = crate::secret::sign_link(&state.link_key, sha256, unix);
    let d = expires.date();
    let shown = format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year());
    (
        format!(
            "{}/v1/files/{sha256}?expires={unix}&signature={sig}",
            state.config.public_url
        ),
        shown,
    )
}

/// Most the files sent inside one message add up to (base64); the others go as links, so a
/// message with many files stays a size a mail server and osTicket take.
pub const FILES_INSIDE_MAX: u64 = 8 * 1024 * 1024;

/// `inline_max`: the largest file (counting base64) sent inside; larger ones go as links.
async fn prepare(
    state: &Shared,
    o: &Osticket,
    f: &Forward,
    inline_max: u64,
) -> Result<Prepared, ForwardError> {
    let mut files = Vec::new();
    let mut digest = None;
    // What the files inside add up to (base64): past FILES_INSIDE_MAX, the rest go as links.
    let mut inside = 0u64;
    for a in &f.files {
        let local = state
            .blobs
            .local(&a.sha256)
            .await
            .map_err(|e| ForwardError::Prepare(format!("reading {}: {e}", a.name)))?;
        let path = local.path();
        if a.kind == "bundle" && digest.is_none() {
            let p = path.to_owned();
            digest = Some(
                tokio::task::spawn_blocking(move || read_bundle(&p))
                    .await
                    .map_err(|e| ForwardError::Prepare(e.to_string()))?,
            );
        }
        let room = inline_max.min(FILES_INSIDE_MAX.saturating_sub(inside));
        let file = outgoing(state, o, a, path, room).await?;
        if let Outgoing::Inside { bytes, .. } = &file {
            inside += base64_len(bytes.len() as u64);
        }
        files.push(file);
    }
    let words = ProfileWords {
        topic: state.topic(&f.topic),
        module: f.module.as_deref().and_then(|m| state.module_label(m)),
    };
    let routing = routing(o, &f.topic, words.topic.as_ref());
    let html = message_html(&routing, f, &words, digest.as_ref(), &files);
    Ok(Prepared {
        html,
        files,
        digest,
        routing,
    })
}

async fn outgoing(
    state: &Shared,
    o: &Osticket,
    a: &AttachmentInfo,
    path: &std::path::Path,
    inline_max: u64,
) -> Result<Outgoing, ForwardError> {
    if base64_len(a.size as u64) <= inline_max {
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| ForwardError::Prepare(format!("reading {}: {e}", a.name)))?;
        Ok(Outgoing::Inside {
            mime: mime_of(&a.name),
            name: a.name.clone(),
            bytes,
        })
    } else {
        let (url, expires) = signed_link(state, &a.sha256, o.link_days);
        Ok(Outgoing::Link {
            name: a.name.clone(),
            size: a.size,
            url,
            expires,
        })
    }
}

/// osTicket's own priorities as it installs them (`ost_ticket_priority`): 1 low, 2 normal,
/// 3 high, 4 emergency.
pub(crate) fn osticket_priority(code: &str) -> Option<u32> {
    match code {
        "low" => Some(1),
        "normal" => Some(2),
        "high" => Some(3),
        "urgent" => Some(4),
        _ => None,
    }
}

/// The ticket's custom field values by osTicket variable: the topic's fields, `module` and
/// `program_version` (read from the bundle), each under its variable in `Routing::vars`; a value
/// without one is left out, or, with `own_names` (the plugin lists the names no form has), sent
/// under its own name.
pub fn custom_fields(f: &Forward, p: &Prepared, own_names: bool) -> BTreeMap<String, Value> {
    let mut values: BTreeMap<String, Value> = serde_json::from_str(&f.fields).unwrap_or_default();
    if let Some(m) = &f.module {
        values.insert("module".into(), json!(m));
    }
    if let Some(v) = p.digest.as_ref().and_then(|d| d.program_version.as_ref()) {
        values.insert("program_version".into(), json!(v));
    }
    values
        .into_iter()
        .filter_map(|(name, value)| match p.routing.vars.get(&name) {
            Some(var) => Some((var.clone(), value)),
            None => own_names.then_some((name, value)),
        })
        .collect()
}

/// The JSON body of `tickets.json`: contact, subject, `topicId` from the mapping, custom fields
/// by their variable names, the message as HTML, the files that fit.
pub fn json_request(f: &Forward, p: &Prepared) -> Value {
    let mut body = json!({
        "name": f.contact_name,
        "email": f.contact_email,
        "subject": text_for_osticket(&f.summary),
        "message": format!("data:text/html;charset=utf-8,{}", html_for_osticket(&p.html)),
        "source": "API",
        "alert": true,
        "autorespond": true,
    });
    let obj = body.as_object_mut().expect("an object");
    if let Some(phone) = &f.contact_phone {
        obj.insert("phone".into(), json!(phone));
    }
    if let Some(t) = p.routing.topic_id {
        obj.insert("topicId".into(), json!(t));
    }
    if let Some(id) = f.priority.as_deref().and_then(osticket_priority) {
        obj.insert("priorityId".into(), json!(id));
    }
    // Text through osTicket's text fields, which decode references before cleaning.
    obj.extend(custom_fields(f, p, false).into_iter().map(|(var, value)| {
        let value = match value {
            Value::String(s) => Value::String(text_for_osticket(&s)),
            other => other,
        };
        (var, value)
    }));
    let attachments: Vec<Value> = p
        .files
        .iter()
        .filter_map(|file| match file {
            // base64 alone: osTicket does not decode `charset=…;base64` (a parser bug).
            Outgoing::Inside { name, mime, bytes } => Some(json!({
                name.as_str(): format!(
                    "data:{mime};base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                )
            })),
            Outgoing::Link { .. } => None,
        })
        .collect();
    if !attachments.is_empty() {
        obj.insert("attachments".into(), Value::Array(attachments));
    }
    body
}

/// The raw e-mail for `tickets.email`: from the ticket's owner (osTicket makes the ticket
/// theirs, and appends a follow-up only from them), the HTML and the files that fit.
pub fn email_request(o: &Osticket, f: &Forward, p: &Prepared) -> Result<Vec<u8>, ForwardError> {
    let bad = |e: String| ForwardError::Prepare(e);
    let name = crate::mail::header_text(&f.contact_name);
    let from = Mailbox::new(
        (!name.is_empty()).then_some(name),
        f.contact_email
            .parse()
            .map_err(|e| bad(format!("the contact's e-mail: {e}")))?,
    );
    let to: Mailbox = o
        .mailbox
        .parse()
        .map_err(|e| bad(format!("osticket.mailbox: {e}")))?;
    let summary = text_for_osticket(&crate::mail::header_text(&f.summary));
    let subject = match (&f.number, f.kind.as_str()) {
        (Some(n), "follow_up") => format!("[#{n}] {summary}"),
        _ => summary,
    };
    let html = SinglePart::builder().header(ContentType::TEXT_HTML).body(
        Body::new_with_encoding(html_for_osticket(&p.html), ContentTransferEncoding::Base64)
            .map_err(|_| bad("the text cannot be encoded".into()))?,
    );
    let mut parts = MultiPart::mixed().singlepart(html);
    for file in &p.files {
        if let Outgoing::Inside { name, mime, bytes } = file {
            let ct = ContentType::parse(mime).map_err(|e| bad(e.to_string()))?;
            parts = parts.singlepart(
                Attachment::new(crate::mail::header_text(name)).body(bytes.clone(), ct),
            );
        }
    }
    let message = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .message_id(Some(message_id(&f.reference, f.message_id)))
        .multipart(parts)
        .map_err(|e| bad(e.to_string()))?;
    Ok(message.formatted())
}

/// Redirects are followed only within the osTicket URL's scheme, host and port (e.g. to add a
/// trailing slash): the API key must never go to another host, nor over plain HTTP when the
/// URL was HTTPS. Another one is answered as it came, and `post` reports it as configuration.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt.previous().first().is_some_and(|first| {
            let next = attempt.url();
            first.scheme() == next.scheme()
                && first.host_str() == next.host_str()
                && first.port_or_known_default() == next.port_or_known_default()
        });
        if !same {
            attempt.stop()
        } else if attempt.previous().len() > 5 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// The osTicket client.
pub struct Forwarder {
    http: reqwest::Client,
    /// For an osTicket on this machine: never through a proxy, which cannot reach it.
    loopback: reqwest::Client,
}

impl Default for Forwarder {
    fn default() -> Self {
        Forwarder::new()
    }
}

impl Forwarder {
    pub fn new() -> Forwarder {
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(120))
                .redirect(same_origin_redirects())
        };
        Forwarder {
            http: builder().build().expect("an HTTP client builds"),
            loopback: builder().no_proxy().build().expect("an HTTP client builds"),
        }
    }

    /// The client for `url`: never through a proxy for an osTicket on this machine.
    pub(crate) fn client(&self, url: &str) -> &reqwest::Client {
        if chamado_wire::net::is_loopback_url(url) {
            &self.loopback
        } else {
            &self.http
        }
    }

    /// Sends `req` to osTicket with the API key: the answer's status and text, or the failure
    /// as the forwarder files it (no connection: unavailable; cut short: no answer, osTicket may
    /// have acted). A redirect not followed (to another host or scheme) is configuration.
    pub(crate) async fn exchange(
        &self,
        o: &Osticket,
        req: reqwest::RequestBuilder,
    ) -> Result<(u16, String), ForwardError> {
        let res = req
            .header("X-API-Key", &o.api_key)
            .send()
            .await
            .map_err(|e| {
                if e.is_connect() {
                    ForwardError::Unavailable(e.to_string())
                } else {
                    ForwardError::NoAnswer(e.to_string())
                }
            })?;
        let status = res.status().as_u16();
        if res.status().is_redirection() {
            let to = res
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .chars()
                .take(300)
                .collect::<String>();
            return Err(ForwardError::Config {
                status,
                body: format!(
                    "osTicket's URL redirects to {to}; central does not follow a redirect to \
                     another host or scheme (the API key would go with it): set [osticket] url \
                     to the final address"
                ),
            });
        }
        let text = res
            .text()
            .await
            .map_err(|e| ForwardError::NoAnswer(e.to_string()))?;
        Ok((status, text))
    }

    /// Posts to `URL/api/tickets.{json,email}`; the ticket number osTicket answers.
    async fn post(
        &self,
        o: &Osticket,
        endpoint: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<String, ForwardError> {
        let url = format!("{}/api/{endpoint}", o.url);
        let req = self
            .client(&url)
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        let (status, text) = self.exchange(o, req).await?;
        let body: String = text.trim().chars().take(300).collect();
        match status {
            200 | 201 => {
                let valid = !body.is_empty()
                    && body.len() <= 32
                    && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                if valid {
                    Ok(body)
                } else {
                    Err(ForwardError::Unavailable(format!(
                        "HTTP {status} without a ticket number: {body}"
                    )))
                }
            }
            400 | 401 | 403 | 404 | 405 | 413 => Err(ForwardError::Config { status, body }),
            // The web server stopped waiting; osTicket may still be at work on the request.
            504 => Err(ForwardError::NoAnswer(format!("HTTP 504: {body}"))),
            500 if body.starts_with("Unable to create") => {
                Err(ForwardError::Rejected { status, body })
            }
            _ => Err(ForwardError::Unavailable(format!("HTTP {status}: {body}"))),
        }
    }

    /// Sends one queued message; the number osTicket answers. A web server in front of
    /// osTicket may cap the whole body (nginx's default: 1 MiB, 413) below what the files that
    /// fit osTicket's limit add up to: then the message goes again with every file as a link
    /// (safe: a 413 never reached osTicket).
    pub async fn send(
        &self,
        state: &Shared,
        o: &Osticket,
        f: &Forward,
    ) -> Result<String, ForwardError> {
        match self.send_with(state, o, f, o.attachment_max_bytes).await {
            Err(ForwardError::Config { status: 413, body }) if !f.files.is_empty() => {
                tracing::warn!(reference = %f.reference, %body, "osTicket's web server refused the body as too large; sending the files as links");
                self.send_with(state, o, f, 0).await
            }
            other => other,
        }
    }

    async fn send_with(
        &self,
        state: &Shared,
        o: &Osticket,
        f: &Forward,
        inline_max: u64,
    ) -> Result<String, ForwardError> {
        let p = prepare(state, o, f, inline_max).await?;
        if o.create == CreateVia::Plugin {
            match crate::osticket::send(self, o, f, &p).await {
                // A ticket created before the plugin was installed (by e-mail): its follow-ups
                // go the way it came.
                Err(ForwardError::Config { status: 404, body })
                    if f.kind == "follow_up" && body.contains("unknown_reference") =>
                {
                    tracing::info!(reference = %f.reference, "not a plugin ticket; the follow-up goes by e-mail");
                }
                other => return other,
            }
        }
        if f.kind == "create" && o.create == CreateVia::Json {
            let body = serde_json::to_vec(&json_request(f, &p)).expect("JSON serializes");
            self.post(o, "tickets.json", "application/json", body).await
        } else {
            let raw = email_request(o, f, &p)?;
            self.post(o, "tickets.email", "message/rfc822", raw).await
        }
    }
}

/// The forwarder's name in `/readyz` and the logs.
pub const TASK: &str = "forwarder";

/// Sends what is due, then waits to be woken or for the next look; runs until aborted. Each
/// message is claimed with a lease (several centrals may share the queue) and sent on its own
/// task: a panic or a hang on one marks it failed or retried, and the others go on.
pub async fn run(state: Shared, forwarder: Arc<Forwarder>) {
    let Some(o) = state.config.osticket.clone() else {
        return;
    };
    let o = Arc::new(o);
    let tuning = state.config.tasks.clone();
    // A request a stopped central left running in osTicket: nothing goes there until it surely
    // ended. Not the same message only: two requests at once from one new customer make
    // osTicket create the customer twice (its user check has no lock either), the ticket's owner
    // is left without an e-mail address, and follow-ups by e-mail become new tickets.
    match state.db.in_flight_wait().await {
        Ok(Some(wait)) => {
            tracing::info!(
                wait_s = wait.as_secs(),
                "waiting for the requests a stopped central left running in osTicket"
            );
            tokio::time::sleep(wait).await;
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "reading the forwarding queue"),
    }
    let in_flight = Duration::from_secs(o.in_flight_secs + 1);
    loop {
        let lease = tuning.lease.as_secs() as i64;
        match state.db.claim_forwards(&state.instance, lease, 20).await {
            Ok(due) => {
                state.tasks.beat(TASK, !due.is_empty());
                let claimed = std::time::Instant::now();
                for f in due {
                    // A row is worked on only while its lease surely holds: the rest of the
                    // batch waits out its lease (then any central takes it).
                    if !tuning.lease_holds_for_a_row(claimed) {
                        break;
                    }
                    let left_running = forward_one(&state, &forwarder, &o, f).await;
                    state.tasks.beat(TASK, true);
                    if left_running {
                        // Nothing else while that request may still run there (see above).
                        tokio::time::sleep(in_flight).await;
                    }
                }
            }
            Err(e) => {
                state.tasks.beat(TASK, false);
                tracing::error!(error = %e, "reading the forwarding queue")
            }
        }
        tokio::select! {
            _ = state.forward_wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Sends one message and records the outcome; whether its request went out and got no answer
/// (it may still be running in osTicket).
async fn forward_one(
    state: &Shared,
    forwarder: &Arc<Forwarder>,
    o: &Arc<Osticket>,
    f: Forward,
) -> bool {
    let json_create = f.kind == "create" && o.create == CreateVia::Json;
    if json_create && f.interrupted {
        tracing::warn!(reference = %f.reference, "a JSON create was interrupted; retried, osTicket may now hold two tickets for it");
    }
    // Committed before the request: found set after a crash, the request may still be running
    // in osTicket (and a JSON create's outcome is unknown).
    if let Err(e) = state
        .db
        .forward_sending(f.message_id, json_create && f.interrupted)
        .await
    {
        tracing::error!(error = %e, "recording a forward attempt");
        return false;
    }
    // A request left without an answer may still be running in osTicket (one second more, as
    // the next attempt's time is stored in whole seconds).
    let in_flight = o.in_flight_secs as i64 + 1;
    let (s, fw, oo, row) = (
        Arc::clone(state),
        Arc::clone(forwarder),
        Arc::clone(o),
        f.clone(),
    );
    let outcome = crate::tasks::run_row(state.config.tasks.row_timeout, async move {
        fw.send(&s, &oo, &row).await
    })
    .await;
    // Logs name the ticket's reference, never the customer.
    let mut left_running = false;
    let recorded = match outcome {
        Ok(Ok(number)) => {
            tracing::info!(reference = %f.reference, message = f.message_id, kind = %f.kind, %number, "osTicket answered");
            let number = (f.kind == "create").then_some(number.as_str());
            let r = state
                .db
                .forward_done(f.message_id, f.ticket_id, number)
                .await;
            if r.is_ok() && number.is_some() {
                state
                    .metrics
                    .tickets_forwarded
                    .fetch_add(1, Ordering::Relaxed);
            }
            r
        }
        Ok(Err(e)) => {
            state
                .metrics
                .forward_failures
                .fetch_add(1, Ordering::Relaxed);
            let unanswered = matches!(e, ForwardError::NoAnswer(_));
            left_running = unanswered;
            let mut retry = retry_delay_secs(o.retry_first_secs, f.attempts);
            if unanswered {
                retry = retry.max(in_flight);
            }
            let in_doubt = json_create && unanswered;
            // Central cannot build this message (a bad address, a stored file gone): retrying
            // will not mend it.
            let permanent = matches!(e, ForwardError::Prepare(_));
            match e {
                ForwardError::Config { .. } => {
                    tracing::error!(reference = %f.reference, error = %e, retry_in_s = retry, "osTicket refused the request: check [osticket] url and api_key, and that the key is bound to this server's IP address")
                }
                ForwardError::Prepare(_) => {
                    tracing::error!(reference = %f.reference, message = f.message_id, "the message cannot be built; failed for good (admin tickets lists it)")
                }
                _ => {
                    tracing::warn!(reference = %f.reference, error = %e, retry_in_s = retry, "not forwarded yet")
                }
            }
            state
                .db
                .forward_failed(
                    f.message_id,
                    e.kind(),
                    &e.to_string(),
                    (!permanent).then_some(retry),
                    in_doubt,
                )
                .await
        }
        Err(row) => {
            state
                .metrics
                .forward_failures
                .fetch_add(1, Ordering::Relaxed);
            let panicked = matches!(row, crate::tasks::RowFailure::Panic(_));
            left_running = !panicked;
            // Timed out mid-request: not again while that request may still run.
            let retry = retry_delay_secs(o.retry_first_secs, f.attempts).max(in_flight);
            if panicked {
                tracing::error!(reference = %f.reference, message = f.message_id, cause = row.kind(), "forwarding this message failed for good; not retried (admin tickets lists it)");
            } else {
                tracing::warn!(reference = %f.reference, message = f.message_id, cause = row.kind(), retry_in_s = retry, "not forwarded yet");
            }
            // Abandoned mid-request, a JSON create may have reached osTicket.
            let kind = if panicked { "panic" } else { "unavailable" };
            state
                .db
                .forward_failed(
                    f.message_id,
                    kind,
                    &row.message(),
                    (!panicked).then_some(retry),
                    json_create && !panicked,
                )
                .await
        }
    };
    if let Err(e) = recorded {
        tracing::error!(error = %e, "recording a forward's outcome");
    }
    left_running
}

/// Starts the forwarder when the configuration has `[osticket]`.
pub fn spawn(state: &Shared) -> Option<tokio::task::JoinHandle<()>> {
    state.config.osticket.as_ref()?;
    let forwarder = Arc::new(Forwarder::new());
    Some(crate::tasks::supervise(Arc::clone(state), TASK, {
        let state = Arc::clone(state);
        move || run(Arc::clone(&state), Arc::clone(&forwarder))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_with_jitter_up_to_an_hour() {
        for _ in 0..50 {
            let d = retry_delay_secs(30, 0);
            assert!((15..=30).contains(&d), "{d}");
            let d = retry_delay_secs(30, 3);
            assert!((120..=240).contains(&d), "{d}");
            assert!(retry_delay_secs(30, 40) <= 3600);
        }
    }

    #[test]
    fn message_ids_depend_only_on_reference_and_message() {
        assert_eq!(
            message_id("CH-ABC", 7),
            message_id("CH-ABC", 7),
            "a retry carries the same Message-ID"
        );
        assert_ne!(message_id("CH-ABC", 7), message_id("CH-ABC", 8));
    }

    #[test]
    fn base64_size_is_counted() {
        assert_eq!(base64_len(3), 4);
        assert_eq!(base64_len(4), 8);
        assert_eq!(base64_len(786_432), 1024 * 1024);
    }
}
