//! An osTicket double that follows /work/shared/reference/osticket-api.md (osTicket v1.18.1): a
//! real HTTP server on loopback with `POST /api/tickets.json` and `POST /api/tickets.email` and
//! nothing else (`400 URL not supported`), keys bound to one client IP, `text/html` bodies,
//! 401/400/500 as observed, custom fields kept only when a known `topicId` is given, attachments
//! over the size limit dropped silently (an internal note says why), no deduplication on JSON,
//! deduplication by Message-ID on `.email`, `[#NUMBER]` follow-ups from the ticket's owner
//! appended to its thread. It records what it received so tests can assert.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use mail_parser::MimeHeaders;
use serde_json::Value;
use tokio::sync::{mpsc, Notify};

/// An API key as osTicket's Admin > Manage > API lists it.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub key: String,
    pub ip: IpAddr,
    pub active: bool,
    pub can_create: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The e-mail's Message-ID (without `<>`); `None` for JSON.
    pub mid: Option<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Clone)]
pub struct Ticket {
    pub number: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub subject: String,
    pub topic_id: Option<i64>,
    /// `priorityId`, as osTicket reads it.
    pub priority_id: Option<i64>,
    pub fields: BTreeMap<String, Value>,
    pub source: &'static str,
    pub thread: Vec<Entry>,
    /// Internal notes (dropped attachments, unexpected data).
    pub notes: Vec<String>,
}

/// What happened, sent to the test before osTicket answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Created(String),
    Appended(String),
    /// A Message-ID seen before: the same number, nothing made.
    Duplicate(String),
}

pub struct Desk {
    pub keys: Vec<ApiKey>,
    /// Help topics: topicId → the variable names of the topic's own form fields.
    pub topics: BTreeMap<i64, Vec<String>>,
    /// The ticket details form's variables (filled whatever the topic).
    pub common_fields: Vec<String>,
    /// "Agent Maximum File Size" (default 1 MiB), on the decoded file.
    pub max_file: usize,
    /// DNS unreachable: `verify_email_addrs` rejects every new ticket with a 500.
    pub dns_down: bool,
    /// The web server's cap on a request body (nginx's `client_max_body_size`, 1 MiB by
    /// default): over it, 413 before osTicket sees anything. `None`: no cap.
    pub body_max: Option<usize>,
    /// Hold each answer after acting until `gate` is notified (the kill tests).
    pub hold: bool,
    /// How long each request takes before osTicket acts (a busy help desk).
    pub slow: Option<std::time::Duration>,
    /// Message-IDs of `.email` requests now being handled, and those that arrived while one with
    /// the same ID was: the real osTicket's check-then-insert makes two tickets of those.
    pub in_flight: std::collections::BTreeSet<String>,
    pub overlaps: Vec<String>,
    /// The most `.email` requests handled at once (two of one new customer at once make the
    /// real osTicket create the customer twice).
    pub most_at_once: usize,
    pub tickets: Vec<Ticket>,
    /// (endpoint, client IP, status) of every request.
    pub requests: Vec<(String, IpAddr, u16)>,
}

pub struct OsTicket {
    pub url: String,
    pub desk: Arc<Mutex<Desk>>,
    pub gate: Arc<Notify>,
    pub events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>,
}

#[derive(Clone)]
struct Shared {
    desk: Arc<Mutex<Desk>>,
    gate: Arc<Notify>,
    events: mpsc::UnboundedSender<Event>,
}

pub const KEY: &str = "6C2E0A4F1B9D3E8A7C5F2D1B0E9A8C7D";

/// A desk with one key bound to 127.0.0.1, topic 2 ("Sem conexão") with fields `terminal` and
/// `urgente`, and the ticket form's `module` and `program_version`.
pub async fn start() -> OsTicket {
    let desk = Desk {
        keys: vec![ApiKey {
            key: KEY.into(),
            ip: "127.0.0.1".parse().unwrap(),
            active: true,
            can_create: true,
        }],
        topics: BTreeMap::from([
            (2, vec!["terminal".to_owned(), "urgente".to_owned()]),
            (5, vec![]),
            // The built-in profile's "erro" topic and its fields.
            (
                10,
                vec![
                    "mensagem".to_owned(),
                    "acao".to_owned(),
                    "frequencia".to_owned(),
                ],
            ),
        ]),
        common_fields: vec!["module".into(), "program_version".into()],
        max_file: 1024 * 1024,
        dns_down: false,
        body_max: None,
        hold: false,
        slow: None,
        in_flight: Default::default(),
        overlaps: Vec::new(),
        most_at_once: 0,
        tickets: Vec::new(),
        requests: Vec::new(),
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Shared {
        desk: Arc::new(Mutex::new(desk)),
        gate: Arc::new(Notify::new()),
        events: tx,
    };
    let app = axum::Router::new()
        .route("/api/{endpoint}", axum::routing::any(api))
        .fallback(|| async { html(StatusCode::BAD_REQUEST, "URL not supported") })
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    OsTicket {
        url: format!("http://{addr}"),
        desk: shared.desk,
        gate: shared.gate,
        events: tokio::sync::Mutex::new(rx),
    }
}

impl OsTicket {
    pub fn tickets(&self) -> Vec<Ticket> {
        self.desk.lock().unwrap().tickets.clone()
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Desk) -> T) -> T {
        f(&mut self.desk.lock().unwrap())
    }

    /// The next event, within 30 s.
    pub async fn next_event(&self) -> Event {
        tokio::time::timeout(
            std::time::Duration::from_secs(30),
            self.events.lock().await.recv(),
        )
        .await
        .expect("an osTicket event within 30 s")
        .unwrap()
    }
}

/// osTicket answers `text/html` whatever happened.
fn html(status: StatusCode, body: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
        body.to_owned(),
    )
        .into_response()
}

fn random_number(taken: &[Ticket]) -> String {
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).unwrap();
        let n = format!("{:06}", u32::from_le_bytes(b) % 1_000_000);
        if !taken.iter().any(|t| t.number == n) {
            return n;
        }
    }
}

fn incomplete_client() -> (StatusCode, String) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Unable to create new ticket :user\nIncomplete client information".into(),
    )
}

fn required(what: &str) -> (StatusCode, String) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("Unable to create new ticket: {what} is a required field"),
    )
}

async fn api(
    State(s): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(endpoint): Path<String>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // As PHP does, the request runs to its end even when the caller is gone.
    let work = tokio::spawn(async move {
        let _in_flight = (endpoint == "tickets.email")
            .then(|| mail_parser::MessageParser::default().parse(&body[..]))
            .flatten()
            .and_then(|m| m.message_id().map(str::to_owned))
            .map(|mid| InFlight::new(&s.desk, mid));
        let slow = s.desk.lock().unwrap().slow;
        if let Some(d) = slow {
            tokio::time::sleep(d).await;
        }
        let (status, text, event) = handle(&s, peer.ip(), &endpoint, &method, &headers, &body);
        s.desk
            .lock()
            .unwrap()
            .requests
            .push((endpoint, peer.ip(), status.as_u16()));
        if let Some(e) = event {
            let _ = s.events.send(e);
            if s.desk.lock().unwrap().hold {
                s.gate.notified().await;
            }
        }
        html(status, &text)
    });
    work.await
        .unwrap_or_else(|e| html(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))
}

/// A request being handled, by its Message-ID, until it ends (whether its caller still waits or not).
struct InFlight(Arc<Mutex<Desk>>, String);

impl InFlight {
    fn new(desk: &Arc<Mutex<Desk>>, mid: String) -> InFlight {
        let mut d = desk.lock().unwrap();
        if !d.in_flight.insert(mid.clone()) {
            d.overlaps.push(mid.clone());
        }
        d.most_at_once = d.most_at_once.max(d.in_flight.len());
        InFlight(desk.clone(), mid)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut d) = self.0.lock() {
            d.in_flight.remove(&self.1);
        }
    }
}

fn handle(
    s: &Shared,
    ip: IpAddr,
    endpoint: &str,
    method: &axum::http::Method,
    headers: &HeaderMap,
    body: &[u8],
) -> (StatusCode, String, Option<Event>) {
    if method != axum::http::Method::POST || !matches!(endpoint, "tickets.json" | "tickets.email") {
        return (StatusCode::BAD_REQUEST, "URL not supported".into(), None);
    }
    let mut desk = s.desk.lock().unwrap();
    if desk.body_max.is_some_and(|max| body.len() > max) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "<html><head><title>413 Request Entity Too Large</title></head><body><center>\
             <h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>"
                .into(),
            None,
        );
    }
    let given = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Looked up by key and source IP together.
    let Some(key) = desk.keys.iter().find(|k| k.key == given && k.ip == ip) else {
        return (
            StatusCode::UNAUTHORIZED,
            "Valid API key required".into(),
            None,
        );
    };
    if !key.active {
        return (
            StatusCode::UNAUTHORIZED,
            "API key not found/active or source IP not authorized".into(),
            None,
        );
    }
    if !key.can_create {
        return (
            StatusCode::UNAUTHORIZED,
            "API key not authorized".into(),
            None,
        );
    }
    let result = if endpoint == "tickets.json" {
        json_ticket(&mut desk, body)
    } else {
        email_ticket(&mut desk, body)
    };
    match result {
        Ok(event) => {
            let number = match &event {
                Event::Created(n) | Event::Appended(n) | Event::Duplicate(n) => n.clone(),
            };
            (StatusCode::CREATED, number, Some(event))
        }
        Err((status, text)) => (status, text, None),
    }
}

/// `data:[type][;param],content` as osTicket's `Format::parseRfc2397` reads it, bug included:
/// only a lone `base64` parameter decodes (`charset=…;base64` is left as is).
fn parse_rfc2397(value: &str) -> (String, Vec<u8>) {
    let Some(rest) = value.strip_prefix("data:") else {
        return ("text/plain".into(), value.as_bytes().to_vec());
    };
    let (meta, contents) = rest.split_once(',').unwrap_or((rest, ""));
    let (kind, extra) = meta.split_once(';').unwrap_or((meta, ""));
    let kind = if kind.is_empty() { "text/plain" } else { kind };
    // PHP's `list($param, $value) = explode('=', $extra)` on the whole of $extra.
    let param = extra.split('=').next().unwrap_or("");
    let data = if param == "base64" {
        base64::engine::general_purpose::STANDARD
            .decode(contents)
            .unwrap_or_default()
    } else {
        contents.as_bytes().to_vec()
    };
    (kind.to_owned(), data)
}

fn strip_scripts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.to_ascii_lowercase().find("<script") {
        out.push_str(&rest[..start]);
        let lower = rest[start..].to_ascii_lowercase();
        match lower.find("</script>") {
            Some(end) => rest = &rest[start + end + "</script>".len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

fn valid_email(e: &str) -> bool {
    e.split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !e.contains(' '))
}

const KNOWN: &[&str] = &[
    "name",
    "email",
    "phone",
    "subject",
    "message",
    "alert",
    "autorespond",
    "source",
    "ip",
    "topicId",
    "priority",
    "priorityId",
    "attachments",
];

fn json_ticket(desk: &mut Desk, body: &[u8]) -> Result<Event, (StatusCode, String)> {
    let malformed = || {
        (
            StatusCode::BAD_REQUEST,
            "Syntax error, malformed JSON".to_owned(),
        )
    };
    let v: Value = serde_json::from_slice(body).map_err(|_| malformed())?;
    let obj = v.as_object().ok_or_else(malformed)?;
    let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("").trim();
    if desk.dns_down || text("name").is_empty() || !valid_email(text("email")) {
        return Err(incomplete_client());
    }
    if text("subject").is_empty() {
        return Err(required("Issue Summary"));
    }
    if text("message").is_empty() {
        return Err(required("Issue Details"));
    }
    let (kind, message) = parse_rfc2397(text("message"));
    let message = String::from_utf8_lossy(&message).into_owned();
    let message = if kind == "text/html" {
        strip_scripts(&message)
    } else {
        message
    };
    // An unknown topicId: created without a topic.
    let topic_id = obj
        .get("topicId")
        .and_then(|t| t.as_i64().or_else(|| t.as_str()?.parse().ok()))
        .filter(|t| desk.topics.contains_key(t));
    let mut notes = Vec::new();
    let mut fields = BTreeMap::new();
    for (k, val) in obj {
        if KNOWN.contains(&k.as_str()) {
            continue;
        }
        let topic_field = topic_id.is_some_and(|t| desk.topics[&t].contains(k));
        if desk.common_fields.contains(k) || topic_field {
            fields.insert(k.clone(), val.clone());
        } else {
            notes.push(format!("Unexpected Data: {k}"));
        }
    }
    let mut attachments = Vec::new();
    for a in obj
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (name, uri) in a.as_object().into_iter().flatten() {
            let (_, data) = parse_rfc2397(uri.as_str().unwrap_or(""));
            if data.len() > desk.max_file {
                notes.push(format!("{name}: File is too big"));
            } else {
                attachments.push((name.clone(), data));
            }
        }
    }
    let number = random_number(&desk.tickets);
    desk.tickets.push(Ticket {
        number: number.clone(),
        name: text("name").to_owned(),
        email: text("email").to_owned(),
        phone: obj.get("phone").and_then(Value::as_str).map(str::to_owned),
        subject: text("subject").to_owned(),
        topic_id,
        priority_id: obj
            .get("priorityId")
            .and_then(|t| t.as_i64().or_else(|| t.as_str()?.parse().ok())),
        fields,
        source: "API",
        thread: vec![Entry {
            mid: None,
            subject: text("subject").to_owned(),
            body: message,
            attachments,
        }],
        notes,
    });
    Ok(Event::Created(number))
}

fn email_ticket(desk: &mut Desk, body: &[u8]) -> Result<Event, (StatusCode, String)> {
    let Some(msg) = mail_parser::MessageParser::default().parse(body) else {
        return Err((StatusCode::BAD_REQUEST, "Unable to parse email".to_owned()));
    };
    let mid = msg.message_id().map(str::to_owned);
    if let Some(mid) = &mid {
        for t in &desk.tickets {
            if t.thread.iter().any(|e| e.mid.as_deref() == Some(mid)) {
                return Ok(Event::Duplicate(t.number.clone()));
            }
        }
    }
    let from = msg.from().and_then(|a| a.first());
    let name = from.and_then(|a| a.name()).unwrap_or("").to_owned();
    let email = from.and_then(|a| a.address()).unwrap_or("").to_owned();
    let subject = msg.subject().unwrap_or("").trim().to_owned();
    let text = msg
        .body_html(0)
        .map(|h| strip_scripts(&h))
        .or_else(|| msg.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default();
    let mut notes = Vec::new();
    let mut attachments = Vec::new();
    for a in msg.attachments() {
        let name = a.attachment_name().unwrap_or("attachment").to_owned();
        if a.contents().len() > desk.max_file {
            notes.push(format!("{name}: File is too big"));
        } else {
            attachments.push((name, a.contents().to_vec()));
        }
    }
    let entry = Entry {
        mid: mid.clone(),
        subject: subject.clone(),
        body: text.clone(),
        attachments,
    };
    // A follow-up: `[#NUMBER]` in the subject, from the ticket's owner.
    let number = subject
        .split("[#")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .map(str::to_owned);
    if let Some(n) = number {
        if let Some(t) = desk
            .tickets
            .iter_mut()
            .find(|t| t.number == n && t.email.eq_ignore_ascii_case(&email))
        {
            t.thread.push(entry);
            t.notes.extend(notes);
            return Ok(Event::Appended(n));
        }
    }
    if desk.dns_down || name.is_empty() || !valid_email(&email) {
        return Err(incomplete_client());
    }
    if subject.is_empty() {
        return Err(required("Issue Summary"));
    }
    if text.trim().is_empty() {
        return Err(required("Issue Details"));
    }
    let number = random_number(&desk.tickets);
    desk.tickets.push(Ticket {
        number: number.clone(),
        name,
        email,
        phone: None,
        subject,
        // E-mail carries no topicId and no form fields.
        topic_id: None,
        priority_id: None,
        fields: BTreeMap::new(),
        source: "Email",
        thread: vec![entry],
        notes,
    });
    Ok(Event::Created(number))
}
