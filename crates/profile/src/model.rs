//! The profile as the vendor writes it (TOML) and as the app and the UI read it.
//!
//! Every field has a default so that deserialization never stops at a missing key: missing and
//! empty values are reported all at once by `validate`, each with its position. A `Profile` handed
//! out by `load`/`parse` has passed validation, so its required strings are non-empty.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language the product speaks. pt-BR first: the customers are in Brazil.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema, TS,
)]
pub enum Lang {
    #[default]
    #[serde(rename = "pt-BR")]
    PtBr,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::PtBr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::PtBr => "pt-BR",
            Lang::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "pt-br" | "pt" | "pt_br" => Ok(Lang::PtBr),
            "en" | "en-us" | "en_us" => Ok(Lang::En),
            _ => Err(format!("unknown language `{s}` (pt-BR, en)")),
        }
    }
}

/// A text the user reads, in every language the product speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Text {
    #[serde(rename = "pt-BR")]
    pub pt_br: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::PtBr => &self.pt_br,
            Lang::En => &self.en,
        }
    }
}

/// The whole vendor profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Profile {
    pub vendor: Vendor,
    pub branding: Branding,
    pub central: Central,
    /// Help topics, in the order the customer sees them.
    pub topics: Vec<Topic>,
    /// What the customer picks as "the module" of the program the ticket is about.
    pub modules: Vec<Module>,
    /// Network checks: the vendor's and the customer's servers to test.
    pub checks: Vec<Check>,
    /// The vendor's program on the customer's computer.
    pub program: Option<Program>,
    /// Size limits of what a ticket carries.
    pub bundle: BundleLimits,
    /// How the customer's urgency answers become the ticket's priority.
    pub priority: Priorities,
    /// The vendor program's system requirements, said in the checks step of the topics with
    /// `requirements = true` ("Este computador atende aos requisitos do sistema?").
    pub requirements: Option<Requirements>,
}

/// Who is affected by the problem (an urgency question).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Affected {
    OnlyMe,
    SomePeople,
    WholeCompany,
}

/// How often the problem happens (an urgency question).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    FirstTime,
    Sometimes,
    Always,
}

/// Urgency as plain questions instead of a priority list; each may be unanswered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Urgency {
    pub affected: Option<Affected>,
    pub work_stopped: Option<bool>,
    pub workaround: Option<bool>,
    pub frequency: Option<Frequency>,
}

/// A ticket's priority, in the help desk's order of work.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    TS,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

/// How the urgency answers become a priority: the first rule whose answers all match wins
/// (an unanswered question matches no rule that names it); when none does, `default`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Priorities {
    pub default: Priority,
    pub rules: Vec<PriorityRule>,
}

/// One rule: the answers it needs (those not named do not matter) and the priority it gives
/// (required: validation says so where it is missing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct PriorityRule {
    pub affected: Option<Affected>,
    pub work_stopped: Option<bool>,
    pub workaround: Option<bool>,
    pub frequency: Option<Frequency>,
    pub priority: Option<Priority>,
}

impl PriorityRule {
    fn matches(&self, u: &Urgency) -> bool {
        fn holds<T: PartialEq>(wanted: Option<T>, answered: Option<T>) -> bool {
            wanted.is_none() || wanted == answered
        }
        holds(self.affected, u.affected)
            && holds(self.work_stopped, u.work_stopped)
            && holds(self.workaround, u.workaround)
            && holds(self.frequency, u.frequency)
    }
}

impl Priority {
    /// The word it is written as (in the profile, on the wire, in central's database).
    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

impl Priorities {
    /// The priority of a ticket answered so.
    pub fn of(&self, urgency: &Urgency) -> Priority {
        self.rules
            .iter()
            .find(|r| r.matches(urgency))
            .and_then(|r| r.priority)
            .unwrap_or(self.default)
    }
}

/// What a computer needs to run the vendor's program; each requirement left out is not checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Requirements {
    /// The lowest Windows build: 10240 is Windows 10, 19045 Windows 10 22H2, 22000 Windows 11;
    /// Windows Server 2016 is 14393, 2019 17763, 2022 20348.
    pub windows_build_min: Option<u32>,
    /// The Windows editions accepted (their EditionID: `Professional`, `Enterprise`,
    /// `ServerStandard`...); empty: any. `Core` is Windows Home.
    pub editions: Vec<String>,
    /// The processor architectures accepted: `x64`, `x86`, `arm64`; empty: any.
    pub architectures: Vec<String>,
    /// Installed memory (RAM), in MiB.
    pub memory_mib: Option<u32>,
    /// Free space on the system drive (`C:`), in MiB.
    pub free_disk_mib: Option<u32>,
    /// Checks (ids from `checks`) the servers must answer, e.g. the database's port.
    pub ports: Vec<String>,
}

/// The architectures `[requirements] architectures` may name.
pub const ARCHITECTURES: [&str; 3] = ["x64", "x86", "arm64"];

/// Size limits of a ticket's bundle, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct BundleLimits {
    /// The whole bundle once packed; osTicket drops larger attachments silently (default
    /// 1024: its default limit).
    pub budget_kib: u32,
    /// Any one file the customer attaches.
    pub attachment_max_kib: u32,
    /// All the customer's attachments together.
    pub attachments_total_max_kib: u32,
}

impl Default for BundleLimits {
    fn default() -> Self {
        BundleLimits {
            budget_kib: 1024,
            attachment_max_kib: 10 * 1024,
            attachments_total_max_kib: 20 * 1024,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Vendor {
    pub name: String,
    pub phone: String,
    /// e.g. "disque 4 para o suporte".
    pub phone_note: Option<Text>,
    pub hours: Text,
    /// The vendor's support site (http or https).
    pub portal: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Branding {
    /// The vendor's program as the customer knows it.
    pub product: String,
    /// Image file, relative to the profile file (png, jpg, svg or webp).
    pub logo: Option<String>,
    /// `#rrggbb` or `#rgb`.
    pub accent: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Central {
    /// Base URL of the vendor's chamado-central; empty until it exists.
    pub url: String,
    /// The customer company's enrolment code, written here by the installer: on first run the
    /// app enrols itself with it (otherwise: `chamado enrol CODE`).
    pub enrolment_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Topic {
    /// Lower-case letters, digits and `-`.
    pub id: String,
    pub label: Text,
    /// One line under the label.
    pub description: Text,
    /// The help topic's id in osTicket (`topicId`).
    pub osticket_topic: u32,
    /// What to read before opening a ticket.
    pub guides: Vec<Guide>,
    /// The usual causes to rule out.
    pub checklist: Vec<ChecklistItem>,
    /// Topic-specific fields of the ticket.
    pub fields: Vec<Field>,
    /// Which diagnostics to collect for this topic.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the app suggests screenshots.
    pub screenshots: bool,
    /// Whether the checks step says if this computer meets the profile's `[requirements]`
    /// (which must then exist): for installation and update topics.
    pub requirements: bool,
}

/// A guide is a link to a page or a short text shown in the app: exactly one of the two.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Guide {
    pub title: Text,
    pub url: Option<String>,
    pub text: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct ChecklistItem {
    pub text: Text,
    /// Checks that answer this item: ids from `checks` or built-in ones (see `BuiltinCheck`).
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Field {
    /// The osTicket variable name: lower-case letters, digits and `_`.
    pub name: String,
    pub label: Text,
    pub kind: FieldKind,
    pub required: bool,
    pub help: Option<Text>,
    /// The choices, for `kind = "choice"` only.
    pub options: Vec<Choice>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    #[default]
    Text,
    Multiline,
    Choice,
    Version,
    Date,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "lowercase")]
pub enum Diagnostic {
    System,
    Hardware,
    Program,
    Network,
    Checks,
    Antivirus,
    Firewall,
    Software,
    Crashes,
    Logs,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Module {
    pub id: String,
    pub label: Text,
}

pub const DEFAULT_TIMEOUT_MS: u32 = 3000;

/// A network check: exactly one of `dns` (a name to resolve), `tcp` (`host:port` to connect to)
/// or `http` (a URL to request, answering `expect_status` and, if set, `expect_body`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub label: Text,
    pub dns: Option<String>,
    pub tcp: Option<String>,
    pub http: Option<String>,
    /// For `http`: the status that means "working" (default 200).
    pub expect_status: Option<u16>,
    /// For `http`: text the answer must contain. Another page in its place means something
    /// answers for the site: a captive portal (hotel, guest Wi-Fi) or an intercepting proxy.
    /// Windows' own test: `http://www.msftconnecttest.com/connecttest.txt` answers
    /// "Microsoft Connect Test".
    pub expect_body: Option<String>,
    pub timeout_ms: u32,
}

impl Default for Check {
    fn default() -> Self {
        Check {
            id: String::new(),
            label: Text::default(),
            dns: None,
            tcp: None,
            http: None,
            expect_status: None,
            expect_body: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

/// What a check tests, read from a validated `Check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckTarget<'a> {
    Dns(&'a str),
    Tcp {
        host: &'a str,
        port: u16,
    },
    Http {
        url: &'a str,
        expect_status: u16,
        expect_body: Option<&'a str>,
    },
}

impl Check {
    /// `None` when the check has none or several of `dns`, `tcp`, `http`, or a malformed
    /// `host:port`: validation reports those, so a validated profile always has a target.
    pub fn target(&self) -> Option<CheckTarget<'_>> {
        match (&self.dns, &self.tcp, &self.http) {
            (Some(host), None, None) => Some(CheckTarget::Dns(host)),
            (None, Some(addr), None) => {
                let (host, port) = split_host_port(addr)?;
                Some(CheckTarget::Tcp { host, port })
            }
            (None, None, Some(url)) => Some(CheckTarget::Http {
                url,
                expect_status: self.expect_status.unwrap_or(200),
                expect_body: self.expect_body.as_deref(),
            }),
            _ => None,
        }
    }
}

/// `host:port` or `[ipv6]:port` into host (without brackets) and a non-zero port.
pub(crate) fn split_host_port(s: &str) -> Option<(&str, u16)> {
    let (host, port) = s.rsplit_once(':')?;
    let port = port.parse::<u16>().ok().filter(|p| *p > 0)?;
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.strip_suffix(']')?,
        None if host.contains(':') => return None,
        None => host,
    };
    Some((host, port))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(default)]
#[schemars(deny_unknown_fields)]
pub struct Program {
    /// The program's name in the Windows list of installed programs.
    pub display_name: String,
    /// Path of its executable (environment variables such as `%ProgramFiles%` allowed).
    pub exe: String,
    /// Globs of its log files.
    pub logs: Vec<String>,
    pub timeout_ms: u32,
}

impl Default for Program {
    fn default() -> Self {
        Program {
            display_name: String::new(),
            exe: String::new(),
            logs: Vec::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

/// Checks the app always knows how to run, which checklist items may name besides the profile's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "kebab-case")]
pub enum BuiltinCheck {
    /// Adapters: cable, addresses, gateway, DNS servers.
    Network,
    Proxy,
    Antivirus,
    Firewall,
    /// Programs installed recently.
    RecentSoftware,
    /// The vendor's program (needs `[program]`).
    Program,
}

impl BuiltinCheck {
    pub const ALL: [BuiltinCheck; 6] = [
        BuiltinCheck::Network,
        BuiltinCheck::Proxy,
        BuiltinCheck::Antivirus,
        BuiltinCheck::Firewall,
        BuiltinCheck::RecentSoftware,
        BuiltinCheck::Program,
    ];

    pub fn id(self) -> &'static str {
        match self {
            BuiltinCheck::Network => "network",
            BuiltinCheck::Proxy => "proxy",
            BuiltinCheck::Antivirus => "antivirus",
            BuiltinCheck::Firewall => "firewall",
            BuiltinCheck::RecentSoftware => "recent-software",
            BuiltinCheck::Program => "program",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }
}
