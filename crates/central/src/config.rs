//! The service's configuration file (TOML), validated with every problem's line, column and
//! field, like the vendor profile's. Without a file, everything has a default: standalone on
//! SQLite in the data folder.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

/// Where the service listens when neither the file nor `--listen` says.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8470";

/// A configuration that passed validation.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// SQLite database, bundles and temporary files live here.
    pub data: PathBuf,
    /// `sqlite:` or `postgres://` URL; `None`: `central.sqlite3` in `data`.
    pub database_url: Option<String>,
    /// The vendor profile served at `/v1/profile`; `None`: chamado-profile's built-in one.
    pub profile: Option<PathBuf>,
    /// The address customers reach this service at (links in answers and e-mails).
    pub public_url: String,
    /// Whether `public_url` was set in the file (else it follows the address listened on).
    pub public_url_explicit: bool,
    pub limits: Limits,
    /// Where customers' e-mails go out (standalone mode); `None`: no e-mail is sent.
    pub smtp: Option<Smtp>,
    /// The vendor's osTicket: with it, central forwards tickets there (osTicket numbers them);
    /// without it, central is standalone.
    pub osticket: Option<Osticket>,
    /// How `serve` writes its log (stderr).
    pub log_format: LogFormat,
    /// `[metrics] token`: when set, `/metrics` answers only `Authorization: Bearer TOKEN`.
    pub metrics_token: Option<Password>,
    /// Leases and limits of the background tasks (not in the file: the defaults hold).
    pub tasks: crate::tasks::Tuning,
}

/// How a new ticket is created in osTicket (see ARCHITECTURE.md for the trade-off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateVia {
    /// The Chamado plugin for osTicket (`osticket-plugin/`, the recommended mode):
    /// `tickets/chamado/create.json` creates exactly once by the reference, with help topic,
    /// custom fields and files; replies and status come back (events and a poll).
    Plugin,
    /// `tickets.email` with a Message-ID derived from the reference: exactly once, whatever
    /// crashes; help topic and custom fields are written in the message (e-mail has no place
    /// for them).
    Email,
    /// `tickets.json`: help topic and custom fields filled, but osTicket does not deduplicate
    /// it; an attempt whose answer was lost is retried and the ticket flagged as possibly
    /// duplicated.
    Json,
}

/// `[osticket]`: forwarding to the vendor's osTicket.
#[derive(Debug, Clone)]
pub struct Osticket {
    /// The help desk's base URL (the API is `URL/api/tickets.email`), no trailing slash.
    pub url: String,
    /// The API key, bound in osTicket to this service's IP address.
    pub api_key: String,
    /// The client portal customers follow tickets in (`PORTAL/view.php`).
    pub portal_url: String,
    /// The help desk's address the e-mails are sent "to" (osTicket maps it to a department).
    pub mailbox: String,
    pub create: CreateVia,
    /// Largest file sent inside a ticket, counting base64 (osTicket drops larger ones
    /// silently); a larger bundle goes as a signed link to central instead.
    pub attachment_max_bytes: u64,
    /// Profile topic id → osTicket `topicId`, over the profile's own `osticket_topic`.
    pub topics: std::collections::BTreeMap<String, i64>,
    /// `module`, `program_version` or a topic field's name → the osTicket field's variable name
    /// (a profile field's name is its variable unless renamed here).
    pub fields: std::collections::BTreeMap<String, String>,
    /// How long a bundle's download link works.
    pub link_days: u32,
    /// First retry delay after a failure; it doubles (with jitter) up to an hour.
    pub retry_first_secs: u64,
    /// How long a request osTicket did not answer (central died or gave up waiting) may still
    /// be running there: the same message is not sent again before, since osTicket's
    /// Message-ID check does not see a request still running (see `forward`).
    pub in_flight_secs: u64,
    /// The plugin's shared secret (`create = "plugin"`): the events it sends to
    /// `/v1/osticket/events` are signed with it. Kept as given; `None`: events are refused and
    /// the poll alone brings replies back.
    pub events_secret: Option<Password>,
    /// How often a ticket not closed is read back from the plugin (`create = "plugin"`), a
    /// fallback for a lost event; each ticket at its own time (staggered).
    pub poll_secs: u64,
}

/// Log lines for people (`text`, the default) or one JSON object a line for a log collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(format!("`{s}` is not a log format (text, json)")),
        }
    }
}

/// An SMTP relay: the vendor's own MTA, or a provider's submission service over TLS.
#[derive(Debug, Clone)]
pub struct Smtp {
    pub host: String,
    /// Default by `tls`: 25, 587 (STARTTLS) or 465 (TLS).
    pub port: u16,
    /// `Suporte <suporte@fornecedor.com.br>`.
    pub from: lettre::message::Mailbox,
    pub tls: SmtpTls,
    /// User name and password (only over TLS: they would cross the network in clear).
    pub credentials: Option<(String, Password)>,
    /// PEM certificates trusted besides the system's (a company's own CA); checked at load.
    pub ca_pem: Option<Vec<u8>>,
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same host or network).
    None,
    /// Plain connection upgraded with STARTTLS, which is required (no fallback to clear text).
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

/// A password that does not print (`Debug` of the configuration goes to logs).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(pub String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest bundle (zip) or attachment accepted, in bytes.
    pub upload_max_bytes: u64,
    /// Largest `ticket` JSON part, in bytes.
    pub ticket_max_bytes: usize,
    /// Requests per minute allowed to one installation (sustained).
    pub rate_per_minute: u32,
    /// Requests one installation may make at once above the sustained rate.
    pub rate_burst: u32,
    /// Enrolment attempts per minute from one client address (sustained), and at once above it:
    /// codes cannot be guessed at speed.
    pub enrol_per_minute: u32,
    pub enrol_burst: u32,
    /// Behind a reverse proxy (TLS in front): the client's address is the last one of
    /// `X-Forwarded-For`, which the proxy appends, instead of the proxy's own.
    pub forwarded_for: bool,
    /// Connections served at once; more are answered 503 and closed at once (each one is a
    /// file descriptor: keep it under the open-file limit, `ulimit -n` or systemd's
    /// `LimitNOFILE`).
    pub max_connections: usize,
    /// Time a client has to send a request's headers.
    pub header_timeout_secs: u64,
    /// Time a body may go without a byte arriving before the request is cut (408).
    pub body_idle_secs: u64,
    /// Time a whole body may take, for every route but the uploads (408).
    pub body_timeout_secs: u64,
    /// Time a whole upload (ticket with its bundle, attachments) may take (408).
    pub upload_timeout_secs: u64,
    /// How often stored files no ticket names (a refused request's bundle) are looked for.
    pub orphan_sweep_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            upload_max_bytes: 100 * 1024 * 1024,
            ticket_max_bytes: 256 * 1024,
            rate_per_minute: 120,
            rate_burst: 30,
            enrol_per_minute: 30,
            enrol_burst: 30,
            forwarded_for: false,
            max_connections: 768,
            header_timeout_secs: 10,
            body_idle_secs: 20,
            body_timeout_secs: 30,
            upload_timeout_secs: 30 * 60,
            orphan_sweep_secs: 10 * 60,
        }
    }
}

impl Config {
    /// The configuration with no file: everything default, data in `data`.
    pub fn standalone(data: PathBuf) -> Config {
        Config {
            listen: DEFAULT_LISTEN.parse().expect("a valid address"),
            data,
            database_url: None,
            profile: None,
            public_url: format!("http://{DEFAULT_LISTEN}"),
            public_url_explicit: false,
            limits: Limits::default(),
            smtp: None,
            osticket: None,
            log_format: LogFormat::Text,
            metrics_token: None,
            tasks: crate::tasks::Tuning::default(),
        }
    }

    /// Reads and validates a configuration file; relative paths in it are relative to its folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            problems: vec![ConfigProblem {
                line: None,
                column: None,
                field: String::new(),
                message: format!("cannot read the file: {e}"),
            }],
        })?;
        Config::parse(&src, &file, path.parent())
    }

    /// Parses and validates configuration text. `file` names it in problems.
    pub fn parse(src: &str, file: &str, base_dir: Option<&Path>) -> Result<Config, ConfigError> {
        let at = |span: Option<Range<usize>>, field: &str, message: String| {
            let (line, column) = match span {
                Some(s) => {
                    let (l, c) = line_col(src, s.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ConfigProblem {
                line,
                column,
                field: field.to_owned(),
                message,
            }
        };
        let fail = |problems| ConfigError {
            file: file.to_owned(),
            problems,
        };
        let de = toml::de::Deserializer::parse(src)
            .map_err(|e| fail(vec![at(e.span(), "", e.message().to_owned())]))?;
        let raw: Raw = serde_path_to_error::deserialize(de).map_err(|e| {
            // Spanned<T> adds a private key of its own to the path.
            let field = e.path().to_string();
            let field = field
                .split(".$__serde_spanned")
                .next()
                .unwrap_or("")
                .to_owned();
            let field = if field == "." { String::new() } else { field };
            let inner = e.into_inner();
            fail(vec![at(inner.span(), &field, inner.message().to_owned())])
        })?;

        let mut problems = Vec::new();
        let rel = |p: &str| match base_dir {
            Some(dir) if Path::new(p).is_relative() => dir.join(p),
            _ => PathBuf::from(p),
        };
        let mut config = Config::standalone(PathBuf::from("."));
        if let Some(l) = &raw.listen {
            match l.get_ref().parse::<SocketAddr>() {
                Ok(a) => config.listen = a,
                Err(_) => problems.push(at(
                    Some(l.span()),
                    "listen",
                    format!(
                        "`{}` is not an address and port like 127.0.0.1:8470",
                        l.get_ref()
                    ),
                )),
            }
        }
        config.public_url = format!("http://{}", config.listen);
        match &raw.data {
            Some(d) if d.get_ref().trim().is_empty() => {
                problems.push(at(Some(d.span()), "data", "must not be empty".into()))
            }
            Some(d) => config.data = rel(d.get_ref()),
            None => config.data = base_dir.unwrap_or(Path::new(".")).join("data"),
        }
        if let Some(p) = &raw.profile {
            let path = rel(p.get_ref());
            if !path.is_file() {
                problems.push(at(
                    Some(p.span()),
                    "profile",
                    format!("no profile file at {}", path.display()),
                ));
            }
            config.profile = Some(path);
        }
        if let Some(u) = &raw.public_url {
            let s = u.get_ref().trim_end_matches('/');
            if !http_url(s) {
                problems.push(at(
                    Some(u.span()),
                    "public_url",
                    format!("`{}` is not an http(s) URL", u.get_ref()),
                ));
            }
            config.public_url = s.to_owned();
            config.public_url_explicit = true;
        }
        if let Some(db) = &raw.database {
            if let Some(u) = &db.url {
                if crate::db::Backend::of_url(u.get_ref()).is_none() {
                    problems.push(at(
                        Some(u.span()),
                        "database.url",
                        format!(
                            "`{}` is neither a SQLite URL (sqlite:///var/lib/chamado/central.sqlite3) \
                             nor a PostgreSQL one (postgres://chamado@localhost/chamado)",
                            u.get_ref()
                        ),
                    ));
                }
                config.database_url = Some(u.get_ref().clone());
            }
        }
        if let Some(m) = &raw.smtp {
            let host = match &m.host {
                Some(h) if !h.get_ref().trim().is_empty() => h.get_ref().trim().to_owned(),
                Some(h) => {
                    problems.push(at(Some(h.span()), "smtp.host", "must not be empty".into()));
                    String::new()
                }
                None => {
                    problems.push(at(None, "smtp.host", "is required in [smtp]".into()));
                    String::new()
                }
            };
            let tls = match &m.tls {
                None => SmtpTls::None,
                Some(t) => match t.get_ref().as_str() {
                    "none" => SmtpTls::None,
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Tls,
                    other => {
                        problems.push(at(
                            Some(t.span()),
                            "smtp.tls",
                            format!("`{other}` is not one of none, starttls, tls"),
                        ));
                        SmtpTls::None
                    }
                },
            };
            let default_port = match tls {
                SmtpTls::None => 25,
                SmtpTls::StartTls => 587,
                SmtpTls::Tls => 465,
            };
            let port = match &m.port {
                Some(p) if (1..=65535).contains(p.get_ref()) => *p.get_ref() as u16,
                Some(p) => {
                    problems.push(at(
                        Some(p.span()),
                        "smtp.port",
                        format!("{} is not a port (1 to 65535)", p.get_ref()),
                    ));
                    default_port
                }
                None => default_port,
            };
            let from = match &m.from {
                Some(f) => match f.get_ref().parse::<lettre::message::Mailbox>() {
                    Ok(mb) => Some(mb),
                    Err(_) => {
                        problems.push(at(
                            Some(f.span()),
                            "smtp.from",
                            format!(
                                "`{}` is not an address like Suporte <suporte@exemplo.com.br>",
                                f.get_ref()
                            ),
                        ));
                        None
                    }
                },
                None => {
                    problems.push(at(None, "smtp.from", "is required in [smtp]".into()));
                    None
                }
            };
            let credentials = match (&m.user, &m.password) {
                (Some(u), Some(p)) => {
                    if tls == SmtpTls::None {
                        problems.push(at(
                            Some(u.span()),
                            "smtp.user",
                            "a user and password need tls = \"starttls\" or \"tls\" \
                             (without TLS they would cross the network in clear)"
                                .into(),
                        ));
                    }
                    Some((u.get_ref().clone(), Password(p.get_ref().clone())))
                }
                (Some(u), None) => {
                    problems.push(at(
                        Some(u.span()),
                        "smtp.password",
                        "is required with smtp.user".into(),
                    ));
                    None
                }
                (None, Some(p)) => {
                    problems.push(at(
                        Some(p.span()),
                        "smtp.user",
                        "is required with smtp.password".into(),
                    ));
                    None
                }
                (None, None) => None,
            };
            let ca_pem = match &m.ca_file {
                None => None,
                Some(f) => {
                    let path = rel(f.get_ref());
                    let checked = std::fs::read(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))
                        .and_then(|pem| {
                            // lettre accepts a file without any certificate in it.
                            let has_one = String::from_utf8_lossy(&pem)
                                .contains("-----BEGIN CERTIFICATE-----");
                            match lettre::transport::smtp::client::Certificate::from_pem(&pem) {
                                Ok(_) if has_one => Ok(pem),
                                _ => Err(format!("{} holds no PEM certificate", path.display())),
                            }
                        });
                    if tls == SmtpTls::None {
                        problems.push(at(
                            Some(f.span()),
                            "smtp.ca_file",
                            "is used only with tls = \"starttls\" or \"tls\"".into(),
                        ));
                    }
                    match checked {
                        Ok(pem) => Some(pem),
                        Err(e) => {
                            problems.push(at(Some(f.span()), "smtp.ca_file", e));
                            None
                        }
                    }
                }
            };
            if let Some(from) = from {
                config.smtp = Some(Smtp {
                    host,
                    port,
                    from,
                    tls,
                    credentials,
                    ca_pem,
                });
            }
        }
        if let Some(f) = raw.log.as_ref().and_then(|l| l.format.as_ref()) {
            match f.get_ref().parse() {
                Ok(format) => config.log_format = format,
                Err(e) => problems.push(at(Some(f.span()), "log.format", e)),
            }
        }
        if let Some(o) = &raw.osticket {
            config.osticket = osticket(o, &mut problems, &at);
        }
        if let Some(l) = &raw.limits {
            let mut positive = |v: &Option<Spanned<i64>>, field: &str, max: i64| {
                in_range(v.as_ref()?, field, max, &mut problems, &at)
            };
            if let Some(n) = positive(&l.upload_max_mib, "limits.upload_max_mib", 4096) {
                config.limits.upload_max_bytes = n as u64 * 1024 * 1024;
            }
            if let Some(n) = positive(&l.ticket_max_kib, "limits.ticket_max_kib", 16 * 1024) {
                config.limits.ticket_max_bytes = n as usize * 1024;
            }
            if let Some(n) = positive(&l.rate_per_minute, "limits.rate_per_minute", 10_000_000) {
                config.limits.rate_per_minute = n as u32;
            }
            if let Some(n) = positive(&l.rate_burst, "limits.rate_burst", 10_000_000) {
                config.limits.rate_burst = n as u32;
            }
            if let Some(n) = positive(&l.enrol_per_minute, "limits.enrol_per_minute", 1_000_000) {
                config.limits.enrol_per_minute = n as u32;
            }
            if let Some(n) = positive(&l.enrol_burst, "limits.enrol_burst", 1_000_000) {
                config.limits.enrol_burst = n as u32;
            }
            if let Some(f) = &l.forwarded_for {
                config.limits.forwarded_for = *f.get_ref();
            }
            if let Some(n) = positive(&l.max_connections, "limits.max_connections", 1_000_000) {
                config.limits.max_connections = n as usize;
            }
            if let Some(n) = positive(&l.header_timeout_s, "limits.header_timeout_s", 3600) {
                config.limits.header_timeout_secs = n as u64;
            }
            if let Some(n) = positive(&l.body_idle_s, "limits.body_idle_s", 3600) {
                config.limits.body_idle_secs = n as u64;
            }
            if let Some(n) = positive(&l.body_timeout_s, "limits.body_timeout_s", 3600) {
                config.limits.body_timeout_secs = n as u64;
            }
            if let Some(n) = positive(&l.upload_timeout_s, "limits.upload_timeout_s", 24 * 3600) {
                config.limits.upload_timeout_secs = n as u64;
            }
            if let Some(n) = positive(&l.orphan_sweep_s, "limits.orphan_sweep_s", 24 * 3600) {
                config.limits.orphan_sweep_secs = n as u64;
            }
        }
        if let Some(t) = raw.metrics.as_ref().and_then(|m| m.token.as_ref()) {
            let token = t.get_ref().trim();
            if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
                problems.push(at(
                    Some(t.span()),
                    "metrics.token",
                    "must be at least 16 visible ASCII characters (no spaces)".into(),
                ));
            }
            config.metrics_token = Some(Password(token.to_owned()));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(fail(problems))
        }
    }

    /// The database URL in use.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data.join("central.sqlite3").display()))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    listen: Option<Spanned<String>>,
    data: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    public_url: Option<Spanned<String>>,
    database: Option<RawDatabase>,
    limits: Option<RawLimits>,
    smtp: Option<RawSmtp>,
    osticket: Option<RawOsticket>,
    log: Option<RawLog>,
    metrics: Option<RawMetrics>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetrics {
    token: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOsticket {
    url: Option<Spanned<String>>,
    api_key: Option<Spanned<String>>,
    portal_url: Option<Spanned<String>>,
    mailbox: Option<Spanned<String>>,
    create: Option<Spanned<String>>,
    attachment_max_kib: Option<Spanned<i64>>,
    link_days: Option<Spanned<i64>>,
    retry_first_s: Option<Spanned<i64>>,
    in_flight_s: Option<Spanned<i64>>,
    events_secret: Option<Spanned<String>>,
    poll_s: Option<Spanned<i64>>,
    topics: Option<std::collections::BTreeMap<String, Spanned<i64>>>,
    fields: Option<std::collections::BTreeMap<String, Spanned<String>>>,
}

fn http_url(s: &str) -> bool {
    let s = s.trim_end_matches('/');
    (s.starts_with("http://") || s.starts_with("https://")) && s.len() >= 10
}

/// An integer field's value when it is 1 to `max`, else a problem.
fn in_range(
    v: &Spanned<i64>,
    field: &str,
    max: i64,
    problems: &mut Vec<ConfigProblem>,
    at: &At<'_>,
) -> Option<i64> {
    let n = *v.get_ref();
    if n < 1 || n > max {
        problems.push(at(
            Some(v.span()),
            field,
            format!("{n} is out of range (1 to {max})"),
        ));
        return None;
    }
    Some(n)
}

/// Makes a problem at a span of the file.
type At<'a> = dyn Fn(Option<Range<usize>>, &str, String) -> ConfigProblem + 'a;

/// Validates `[osticket]`; `None` when it has problems (each pushed with its position).
fn osticket(o: &RawOsticket, problems: &mut Vec<ConfigProblem>, at: &At<'_>) -> Option<Osticket> {
    let before = problems.len();
    // An http(s) URL without its trailing slash, or a problem.
    let url_of = |u: &Spanned<String>, field: &str, problems: &mut Vec<ConfigProblem>| {
        if http_url(u.get_ref()) {
            u.get_ref().trim_end_matches('/').to_owned()
        } else {
            problems.push(at(
                Some(u.span()),
                field,
                format!("`{}` is not an http(s) URL", u.get_ref()),
            ));
            String::new()
        }
    };
    let url = match &o.url {
        Some(u) => url_of(u, "osticket.url", problems),
        None => {
            problems.push(at(None, "osticket.url", "is required in [osticket]".into()));
            String::new()
        }
    };
    let portal_url = match &o.portal_url {
        Some(u) => url_of(u, "osticket.portal_url", problems),
        None => url.clone(),
    };
    let api_key = match &o.api_key {
        Some(k) if !k.get_ref().trim().is_empty() && k.get_ref().trim().is_ascii() => {
            k.get_ref().trim().to_owned()
        }
        Some(k) => {
            problems.push(at(
                Some(k.span()),
                "osticket.api_key",
                "must be the key osTicket shows (Admin > Manage > API), ASCII".into(),
            ));
            String::new()
        }
        None => {
            problems.push(at(
                None,
                "osticket.api_key",
                "is required in [osticket]".into(),
            ));
            String::new()
        }
    };
    let mailbox = match &o.mailbox {
        Some(m) => match m.get_ref().trim().parse::<lettre::Address>() {
            Ok(a) => a.to_string(),
            Err(_) => {
                problems.push(at(
                    Some(m.span()),
                    "osticket.mailbox",
                    format!(
                        "`{}` is not an e-mail address like suporte@exemplo.com.br",
                        m.get_ref()
                    ),
                ));
                String::new()
            }
        },
        // The address only routes inside osTicket; its own host is a fair default.
        None => {
            let host = url
                .split("://")
                .nth(1)
                .unwrap_or("")
                .split(['/', ':'])
                .next()
                .unwrap_or("");
            format!(
                "suporte@{}",
                if host.is_empty() { "localhost" } else { host }
            )
        }
    };
    let create = match o.create.as_ref().map(|c| (c, c.get_ref().as_str())) {
        None | Some((_, "email")) => CreateVia::Email,
        Some((_, "json")) => CreateVia::Json,
        Some((_, "plugin")) => CreateVia::Plugin,
        Some((c, other)) => {
            problems.push(at(
                Some(c.span()),
                "osticket.create",
                format!("`{other}` is not a way to create tickets (plugin, email or json)"),
            ));
            CreateVia::Email
        }
    };
    // Kept exactly as given: the plugin signs with the very same bytes.
    let events_secret = match &o.events_secret {
        Some(s) if s.get_ref().chars().count() >= 16 => Some(Password(s.get_ref().clone())),
        Some(s) => {
            problems.push(at(
                Some(s.span()),
                "osticket.events_secret",
                "must be at least 16 characters, the same as the plugin's Shared secret".into(),
            ));
            None
        }
        None => None,
    };
    let mut positive = |v: &Option<Spanned<i64>>, field: &str, max: i64, default: i64| {
        v.as_ref()
            .and_then(|v| in_range(v, field, max, problems, at))
            .unwrap_or(default)
    };
    let attachment_kib = positive(
        &o.attachment_max_kib,
        "osticket.attachment_max_kib",
        1024 * 1024,
        1024,
    );
    let link_days = positive(&o.link_days, "osticket.link_days", 365, 14);
    let retry_first_secs = positive(&o.retry_first_s, "osticket.retry_first_s", 3600, 30);
    let in_flight_secs = positive(&o.in_flight_s, "osticket.in_flight_s", 3600, 60);
    let poll_secs = positive(&o.poll_s, "osticket.poll_s", 86_400, 180);
    let mut topics = std::collections::BTreeMap::new();
    for (topic, id) in o.topics.iter().flatten() {
        if *id.get_ref() < 1 {
            problems.push(at(
                Some(id.span()),
                &format!("osticket.topics.{topic}"),
                format!("{} is not an osTicket topicId (1 or more)", id.get_ref()),
            ));
        }
        topics.insert(topic.clone(), *id.get_ref());
    }
    let mut fields = std::collections::BTreeMap::new();
    for (name, var) in o.fields.iter().flatten() {
        let v = var.get_ref();
        let valid = v
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            problems.push(at(
                Some(var.span()),
                &format!("osticket.fields.{name}"),
                format!("`{v}` is not an osTicket variable name (letters, digits, _)"),
            ));
        }
        fields.insert(name.clone(), v.clone());
    }
    (problems.len() == before).then_some(Osticket {
        url,
        api_key,
        portal_url,
        mailbox,
        create,
        attachment_max_bytes: attachment_kib as u64 * 1024,
        topics,
        fields,
        link_days: link_days as u32,
        retry_first_secs: retry_first_secs as u64,
        in_flight_secs: in_flight_secs as u64,
        events_secret,
        poll_secs: poll_secs as u64,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    format: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    from: Option<Spanned<String>>,
    tls: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    password: Option<Spanned<String>>,
    ca_file: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    url: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    upload_max_mib: Option<Spanned<i64>>,
    ticket_max_kib: Option<Spanned<i64>>,
    rate_per_minute: Option<Spanned<i64>>,
    rate_burst: Option<Spanned<i64>>,
    enrol_per_minute: Option<Spanned<i64>>,
    enrol_burst: Option<Spanned<i64>>,
    forwarded_for: Option<Spanned<bool>>,
    max_connections: Option<Spanned<i64>>,
    header_timeout_s: Option<Spanned<i64>>,
    body_idle_s: Option<Spanned<i64>>,
    body_timeout_s: Option<Spanned<i64>>,
    upload_timeout_s: Option<Spanned<i64>>,
    orphan_sweep_s: Option<Spanned<i64>>,
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(src: &str, offset: usize) -> (u32, u32) {
    let before = &src[..offset.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, col as u32)
}

/// One problem in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// e.g. `limits.upload_max_mib`; empty for the whole file.
    pub field: String,
    pub message: String,
}

/// A configuration that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: String,
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigError {
    /// One problem a line: `file:line:column: field: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.file)?;
            if let (Some(l), Some(c)) = (p.line, p.column) {
                write!(f, ":{l}:{c}")?;
            }
            write!(f, ": ")?;
            if !p.field.is_empty() {
                write!(f, "{}: ", p.field)?;
            }
            write!(f, "{}", p.message.trim_end())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        match Config::parse(src, "central.toml", Some(dir.path())) {
            Ok(_) => Vec::new(),
            Err(e) => e.to_string().lines().map(str::to_owned).collect(),
        }
    }

    #[test]
    fn an_empty_file_is_standalone_with_defaults() {
        let c = Config::parse("", "central.toml", Some(Path::new("/etc/chamado"))).unwrap();
        assert_eq!(c.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(c.data, Path::new("/etc/chamado/data"));
        assert_eq!(c.limits, Limits::default());
        assert!(c.database_url().starts_with("sqlite://"));
    }

    #[test]
    fn a_full_file_is_read_with_relative_paths_from_its_folder() {
        let src = "listen = \"0.0.0.0:9000\"\ndata = \"dados\"\npublic_url = \"https://suporte.exemplo.com.br/\"\n\
                   [database]\nurl = \"sqlite:///var/lib/c.db\"\n[limits]\nupload_max_mib = 5\nrate_per_minute = 10\n";
        let c = Config::parse(src, "central.toml", Some(Path::new("/srv"))).unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.data, Path::new("/srv/dados"));
        assert_eq!(c.public_url, "https://suporte.exemplo.com.br");
        assert!(c.public_url_explicit);
        assert_eq!(c.limits.upload_max_bytes, 5 * 1024 * 1024);
        assert_eq!(c.limits.rate_per_minute, 10);
        assert_eq!(c.database_url(), "sqlite:///var/lib/c.db");
        let c = Config::parse(
            "[limits]\nmax_connections = 50\nbody_idle_s = 5\nenrol_per_minute = 3\nforwarded_for = true\n[metrics]\ntoken = \"0123456789abcdef\"\n",
            "c",
            None,
        )
        .unwrap();
        assert_eq!(c.limits.max_connections, 50);
        assert_eq!(c.limits.body_idle_secs, 5);
        assert_eq!(c.limits.enrol_per_minute, 3);
        assert!(c.limits.forwarded_for);
        assert_eq!(c.metrics_token, Some(Password("0123456789abcdef".into())));
        assert_eq!(
            problems("[metrics]\ntoken = \"short\"\n"),
            ["central.toml:2:9: metrics.token: must be at least 16 visible ASCII characters (no spaces)"]
        );
    }

    #[test]
    fn problems_name_file_line_column_and_field() {
        assert_eq!(
            problems("listen = \"127.0.0.1:8470\"\n\n[limits]\nupload_max_mib = \"big\"\n"),
            ["central.toml:4:18: limits.upload_max_mib: invalid type: string \"big\", expected i64"]
        );
        let p = problems("[limits]\nrate_burst = 3\nrat_per_minute = 3\n");
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with(
                "central.toml:3:1: limits.rat_per_minute: unknown field `rat_per_minute`"
            ),
            "{p:?}"
        );
        assert_eq!(
            problems("listen = \"localhost\"\n[limits]\nupload_max_mib = 0\n"),
            [
                "central.toml:1:10: listen: `localhost` is not an address and port like 127.0.0.1:8470",
                "central.toml:3:18: limits.upload_max_mib: 0 is out of range (1 to 4096)",
            ]
        );
        let p = problems("profile = \"nao-existe.toml\"\npublic_url = \"ftp://x\"\n");
        assert_eq!(p.len(), 2);
        assert!(
            p[0].starts_with("central.toml:1:11: profile: no profile file at "),
            "{p:?}"
        );
        assert_eq!(
            p[1],
            "central.toml:2:14: public_url: `ftp://x` is not an http(s) URL"
        );
        let p = problems("listen = \n");
        assert!(p[0].starts_with("central.toml:1:"), "{p:?}");
        let p = problems("[smtp]\nhost = \"127.0.0.1\"\nport = 70000\nfrom = \"nobody\"\n");
        assert_eq!(
            p,
            [
                "central.toml:3:8: smtp.port: 70000 is not a port (1 to 65535)",
                "central.toml:4:8: smtp.from: `nobody` is not an address like Suporte <suporte@exemplo.com.br>",
            ]
        );
        let ok = Config::parse(
            "[smtp]\nhost = \"mail\"\nfrom = \"Suporte <s@x.com.br>\"\n",
            "c",
            None,
        )
        .unwrap();
        let smtp = ok.smtp.unwrap();
        assert_eq!((smtp.port, smtp.tls), (25, SmtpTls::None));
        assert!(smtp.credentials.is_none());
        assert_eq!(
            problems(
                "[osticket]\nurl = \"suporte\"\ncreate = \"fax\"\nattachment_max_kib = 0\n\
                 [osticket.topics]\nsem-conexao = 0\n[osticket.fields]\nmodule = \"mó dulo\"\n"
            ),
            [
                "central.toml:2:7: osticket.url: `suporte` is not an http(s) URL",
                "central.toml: osticket.api_key: is required in [osticket]",
                "central.toml:3:10: osticket.create: `fax` is not a way to create tickets (plugin, email or json)",
                "central.toml:4:22: osticket.attachment_max_kib: 0 is out of range (1 to 1048576)",
                "central.toml:6:15: osticket.topics.sem-conexao: 0 is not an osTicket topicId (1 or more)",
                "central.toml:8:10: osticket.fields.module: `mó dulo` is not an osTicket variable name (letters, digits, _)",
            ]
        );
        assert_eq!(
            problems(
                "[osticket]\nurl = \"https://s.exemplo.com.br\"\napi_key = \"K\"\n\
                 create = \"plugin\"\nevents_secret = \"curto\"\npoll_s = 0\n"
            ),
            [
                "central.toml:5:17: osticket.events_secret: must be at least 16 characters, the same as the plugin's Shared secret",
                "central.toml:6:10: osticket.poll_s: 0 is out of range (1 to 86400)",
            ]
        );
        let plugin = Config::parse(
            "[osticket]\nurl = \"https://s.exemplo.com.br\"\napi_key = \"K\"\n\
             create = \"plugin\"\nevents_secret = \" um segredo longo e bom \"\n",
            "c",
            None,
        )
        .unwrap()
        .osticket
        .unwrap();
        assert_eq!(plugin.create, CreateVia::Plugin);
        assert_eq!(
            plugin.events_secret.map(|p| p.0).as_deref(),
            Some(" um segredo longo e bom "),
            "stored as given"
        );
        assert_eq!(plugin.poll_secs, 180);
        let ok = Config::parse(
            "[osticket]\nurl = \"https://suporte.exemplo.com.br/\"\napi_key = \"ABC123\"\n\
             [osticket.topics]\nsem-conexao = 3\n[osticket.fields]\nprogram_version = \"versao\"\n",
            "c",
            None,
        )
        .unwrap();
        let o = ok.osticket.unwrap();
        assert_eq!(o.url, "https://suporte.exemplo.com.br");
        assert_eq!(o.portal_url, o.url);
        assert_eq!(o.mailbox, "suporte@suporte.exemplo.com.br");
        assert_eq!(o.create, CreateVia::Email);
        assert_eq!(o.attachment_max_bytes, 1024 * 1024);
        assert_eq!(o.topics["sem-conexao"], 3);
        assert_eq!(o.fields["program_version"], "versao");
        assert_eq!(
            problems("[database]\nurl = \"mysql://x/chamado\"\n"),
            ["central.toml:2:7: database.url: `mysql://x/chamado` is neither a SQLite URL \
              (sqlite:///var/lib/chamado/central.sqlite3) nor a PostgreSQL one (postgres://chamado@localhost/chamado)"]
        );
        let pg = Config::parse(
            "[database]\nurl = \"postgres://chamado@db.interna/chamado\"\n",
            "c",
            None,
        )
        .unwrap();
        assert_eq!(pg.database_url(), "postgres://chamado@db.interna/chamado");
        assert_eq!(
            problems("[log]\nformat = \"xml\"\n"),
            ["central.toml:2:10: log.format: `xml` is not a log format (text, json)"]
        );
        assert_eq!(
            problems(
                "[smtp]\nhost = \"smtp.exemplo.com.br\"\nfrom = \"s@x.com.br\"\ntls = \"ssl\"\n\
                 user = \"suporte\"\nca_file = \"nao-existe.pem\"\n"
            )
            .iter()
            .map(|p| p
                .split(" (")
                .next()
                .unwrap()
                .split(": cannot")
                .next()
                .unwrap())
            .collect::<Vec<_>>(),
            [
                "central.toml:4:7: smtp.tls: `ssl` is not one of none, starttls, tls",
                "central.toml:5:8: smtp.password: is required with smtp.user",
                "central.toml:6:11: smtp.ca_file: is used only with tls = \"starttls\" or \"tls\"",
                "central.toml:6:11: smtp.ca_file",
            ]
        );
        assert_eq!(
            problems(
                "[smtp]\nhost = \"mail\"\nfrom = \"s@x.com.br\"\nuser = \"u\"\npassword = \"segredo\"\n"
            ),
            ["central.toml:4:8: smtp.user: a user and password need tls = \"starttls\" or \"tls\" \
              (without TLS they would cross the network in clear)"]
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("not.pem"), "nada").unwrap();
        let p = Config::parse(
            "[smtp]\nhost = \"mail\"\nfrom = \"s@x.com.br\"\ntls = \"tls\"\nca_file = \"not.pem\"\n",
            "central.toml",
            Some(dir.path()),
        )
        .unwrap_err()
        .to_string();
        assert!(
            p.starts_with("central.toml:5:11: smtp.ca_file: ")
                && p.ends_with("not.pem holds no PEM certificate"),
            "{p}"
        );
        let ca = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");
        let tls = Config::parse(
            &format!(
                "[smtp]\nhost = \"smtp.exemplo.com.br\"\nfrom = \"s@x.com.br\"\ntls = \"starttls\"\n\
                 user = \"suporte\"\npassword = \"segredo\"\nca_file = \"{ca}\"\n"
            ),
            "c",
            None,
        )
        .unwrap()
        .smtp
        .unwrap();
        assert_eq!((tls.port, tls.tls), (587, SmtpTls::StartTls));
        assert!(tls.ca_pem.is_some());
        assert!(
            !format!("{tls:?}").contains("segredo"),
            "the password does not print"
        );
        let json = Config::parse("[log]\nformat = \"json\"\n", "c", None).unwrap();
        assert_eq!(json.log_format, LogFormat::Json);
    }
}
