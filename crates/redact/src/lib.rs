//! Redaction: personal data is replaced by tokens before a bundle (the diagnostics JSON, the HTML
//! report, text logs) leaves the customer's machine.
//!
//! A [`Redactor`] is built once per bundle from the values the caller knows ([`Known`]: user
//! names, home folders, machine and domain names, serial numbers, Wi-Fi network names, the ticket's
//! own e-mail) and also finds by pattern e-mail addresses, CPF and CNPJ numbers (check digits
//! verified), MAC addresses, public IP addresses and Windows account SIDs. The same instance is
//! used for every text of the bundle, so the same value always becomes the same token and the
//! analyst can still follow the text.
//!
//! # What is replaced
//!
//! - User names, as whole words, in any case (ASCII and the accented Latin-1 capitals), also
//!   without accents, percent-encoded, HTML- and JSON-escaped, and as Windows 8.3 short names
//!   (`João Silva` → `JOÃOSI~1`, `JOAOSI~1`, `JO_OSI~1`; `joao.silva` → `JOAO~1.SIL`). The last
//!   component of each home folder counts as a user name (`C:\Users\joao.silva.EMPRESA`);
//!   `EMPRESA\joao.silva` and `joao.silva@empresa.local` share the token of `joao.silva`. Any
//!   profile folder in a path (`C:\Users\NAME`, `C:\\Users\\NAME`, `C:/Users/NAME`,
//!   `/home/NAME`; not URL paths such as `https://host/users/123`) is replaced even when the name
//!   is not known (another user of the PC), unless a known value inside it is already replaced.
//! - Machine names, domain names, serial numbers and Wi-Fi names: as whole words, any ASCII or
//!   Latin-1 case, also escaped as above. A machine is one identity whether written short, fully
//!   qualified or cut to 15 characters (NetBIOS); a Wi-Fi name also in hex, as Windows' Wi-Fi
//!   profiles hold it.
//! - E-mail addresses, except the ticket's own contact.
//! - CPF (`529.982.247-25`, `52998224725`) and CNPJ (`11.222.333/0001-81`, `11222333000181`,
//!   alphanumeric `12.ABC.345/01DE-35` in its punctuated form): only with valid check digits, and
//!   not when part of a longer dotted number; other 11- and 14-digit numbers stay, and so does a
//!   bare `YYYYMMDDhhmmss` timestamp (one in a hundred passes the CNPJ check).
//! - MAC addresses `aa:bb:cc:dd:ee:ff` and `AA-BB-CC-DD-EE-FF` (not bare 12-hex strings, which
//!   GUIDs and hashes contain; not all-zero or broadcast).
//! - Public IPv4 and IPv6 addresses ([`is_public_ip`]); private, loopback, link-local, CGNAT,
//!   ULA, documentation and reserved addresses (netmasks) stay, and so do the well-known public
//!   DNS resolvers (8.8.8.8, 1.1.1.1, …). A dotted number after the word "versão"/"version"/
//!   "build", or in a JSON value under a key naming a version, is not an address.
//! - Windows account SIDs of the form `S-1-5-21-…` (they identify the machine and the account).
//!
//! Values shorter than 3 characters and generic names (`Administrador`, `Public`, `WORKGROUP`,
//! `localhost`, …) are never replaced as known values. [`Known::keep`] lists values that must
//! stay (the vendor's own servers, the vendor program's version); the contact's e-mail stays too,
//! with everything inside it. In raw JSON text, a value right after a `\n`, `\t` or `\r` escape
//! is found as well.
//!
//! # Tokens
//!
//! `[<kind>-<n>]`, the kind in Portuguese for the analyst ([`Kind::label`]: `usuário`, `máquina`,
//! `domínio`, `e-mail`, `cpf`, `cnpj`, `mac`, `serial`, `wi-fi`, `ip-público`, `sid`) and `n`
//! counting the distinct values of that kind from 1, in the order they are first met in the
//! bundle: `[usuário-1]`, `[máquina-1]`, `[e-mail-2]`. Tokens need no escaping in HTML or JSON.
//!
//! # What is never shown
//!
//! The [`RedactionSummary`] (for the bundle's manifest) holds, per kind, how many replacements
//! were made and how many distinct values were met: never a value. [`Known`] and [`Redactor`]
//! hide their contents from `Debug`.
//!
//! # Example
//!
//! ```
//! use chamado_redact::{Known, Redactor};
//!
//! let known = Known {
//!     user_names: vec!["joao.silva".into()],
//!     machine_names: vec!["DESKTOP-7H3K2L9".into()],
//!     contact_email: Some("joao.silva@cliente.com.br".into()),
//!     ..Known::default()
//! };
//! let mut redactor = Redactor::new(&known)?;
//! let log = redactor.redact_text(r"C:\Users\joao.silva\AppData em DESKTOP-7H3K2L9, CPF 529.982.247-25");
//! assert_eq!(log, r"C:\Users\[usuário-1]\AppData em [máquina-1], CPF [cpf-1]");
//! let json = redactor.redact_json(serde_json::json!({"user": "JOAO.SILVA"}));
//! assert_eq!(json["user"], "[usuário-1]");
//! assert_eq!(
//!     serde_json::to_string(&redactor.summary())?,
//!     r#"{"user_name":{"replaced":2,"distinct":1},"machine_name":{"replaced":1,"distinct":1},"cpf":{"replaced":1,"distinct":1}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod brdoc;
mod detect;
mod ip;
mod names;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;
use serde_json::Value;

pub use brdoc::{cnpj_is_valid, cpf_is_valid};
pub use ip::is_public as is_public_ip;

use detect::{boundary_after, boundary_before, Ctx, Detect};
use names::{fold, fold_bytes, is_generic};

/// What the caller knows of the machine and the ticket. Every field may be empty.
#[derive(Clone, Default)]
pub struct Known {
    /// Windows or Linux account names (`joao.silva`, also `EMPRESA\joao.silva`) and display names
    /// (`João Silva`). Each distinct name gets its own token.
    pub user_names: Vec<String>,
    /// Home folders (`C:\Users\joao.silva`, `/home/joao`): their last component is a user name.
    pub home_dirs: Vec<String>,
    /// Host names, short and fully qualified (`DESKTOP-7H3K2L9`, `desktop-7h3k2l9.corp.local`).
    pub machine_names: Vec<String>,
    /// Windows and DNS domain names (`EMPRESA`, `corp.empresa.local`).
    pub domain_names: Vec<String>,
    /// Serial numbers (machine, BIOS, disks, Windows product id).
    pub serials: Vec<String>,
    /// Wi-Fi network names (SSIDs).
    pub wifi_names: Vec<String>,
    /// The ticket's own contact e-mail: the analyst needs it, so it stays.
    pub contact_email: Option<String>,
    /// Values that stay whatever they look like: the vendor's own server names and addresses, and
    /// the vendor program's version (`24.1.0.1` is also a public address).
    pub keep: Vec<String>,
}

impl fmt::Debug for Known {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Known")
            .field("user_names", &self.user_names.len())
            .field("home_dirs", &self.home_dirs.len())
            .field("machine_names", &self.machine_names.len())
            .field("domain_names", &self.domain_names.len())
            .field("serials", &self.serials.len())
            .field("wifi_names", &self.wifi_names.len())
            .field("contact_email", &self.contact_email.is_some())
            .field("keep", &self.keep.len())
            .finish()
    }
}

/// A kind of personal data. Serialized (in the summary) as a snake_case code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    UserName,
    MachineName,
    DomainName,
    Email,
    Cpf,
    Cnpj,
    Mac,
    Serial,
    WifiName,
    PublicIp,
    Sid,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::UserName,
        Kind::MachineName,
        Kind::DomainName,
        Kind::Email,
        Kind::Cpf,
        Kind::Cnpj,
        Kind::Mac,
        Kind::Serial,
        Kind::WifiName,
        Kind::PublicIp,
        Kind::Sid,
    ];

    /// The word in the tokens, in Portuguese for the analyst.
    pub fn label(self) -> &'static str {
        match self {
            Kind::UserName => "usuário",
            Kind::MachineName => "máquina",
            Kind::DomainName => "domínio",
            Kind::Email => "e-mail",
            Kind::Cpf => "cpf",
            Kind::Cnpj => "cnpj",
            Kind::Mac => "mac",
            Kind::Serial => "serial",
            Kind::WifiName => "wi-fi",
            Kind::PublicIp => "ip-público",
            Kind::Sid => "sid",
        }
    }
}

/// Counts for one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindCount {
    /// Replacements made.
    pub replaced: usize,
    /// Distinct values replaced (the highest token number).
    pub distinct: usize,
}

/// What was replaced in a bundle, per kind (only kinds met), for the manifest. Never a value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RedactionSummary {
    pub kinds: BTreeMap<Kind, KindCount>,
}

impl RedactionSummary {
    pub fn get(&self, kind: Kind) -> KindCount {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }

    /// Replacements of every kind.
    pub fn total(&self) -> usize {
        self.kinds.values().map(|c| c.replaced).sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Only with an enormous number of known values.
    #[error("the matcher for the known values could not be built: {0}")]
    Matcher(#[from] aho_corasick::BuildError),
}

#[derive(Clone)]
pub(crate) enum Action {
    Keep,
    /// The kind and the identity key (the value normalized: folded, digits only, canonical address).
    Replace(Kind, String),
}

/// A span of the text that a detector or a known value claims.
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub action: Action,
    /// A profile-folder name found by its path: given up when a known value inside it is found.
    pub weak: bool,
}

impl Candidate {
    pub fn replace(start: usize, end: usize, kind: Kind, key: String) -> Self {
        Candidate {
            start,
            end,
            action: Action::Replace(kind, key),
            weak: false,
        }
    }
}

struct Pattern {
    action: Action,
    word_start: bool,
    word_end: bool,
}

#[derive(Default)]
struct Tokens {
    by_value: HashMap<(Kind, String), String>,
    summary: RedactionSummary,
}

impl Tokens {
    fn token(&mut self, kind: Kind, key: String) -> &str {
        let count = self.summary.kinds.entry(kind).or_default();
        count.replaced += 1;
        self.by_value.entry((kind, key)).or_insert_with(|| {
            count.distinct += 1;
            format!("[{}-{}]", kind.label(), count.distinct)
        })
    }
}

/// Replaces personal data in the texts of one bundle, with consistent tokens. See the crate's doc.
pub struct Redactor {
    matcher: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    aliases: HashMap<String, String>,
    contact: Option<String>,
    tokens: Tokens,
    folded: Vec<u8>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("patterns", &self.patterns.len())
            .field("summary", &self.tokens.summary)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Builder {
    folded: Vec<String>,
    patterns: Vec<Pattern>,
    seen: std::collections::HashSet<String>,
    aliases: HashMap<String, String>,
}

impl Builder {
    /// Whether a value may be matched as a known value (see the crate's doc).
    fn usable(kind: Option<Kind>, value: &str) -> bool {
        let folded = fold(value);
        let one_char_repeated = folded.chars().all(|c| folded.starts_with(c));
        folded.chars().count() >= 3
            && (kind.is_none() || !(is_generic(&folded) || one_char_repeated))
    }

    fn add(&mut self, kind: Option<Kind>, value: &str) {
        let value = value.trim();
        match kind {
            // `DOMAIN\user` and `user@domain` have the identity of the bare user name.
            Some(Kind::UserName) => {
                let bare = value.rsplit('\\').next().unwrap_or(value);
                let bare = bare.split('@').next().unwrap_or(bare).trim();
                if bare != value && Self::usable(kind, bare) {
                    let key = fold(bare);
                    self.add_as(kind, bare, &key);
                    self.add_as(kind, value, &key);
                    return;
                }
            }
            // A fully qualified machine name has the identity of its host part, so that
            // `DESKTOP-7H3K2L9` and `desktop-7h3k2l9.corp.local` get the same token; the NetBIOS
            // name is the host part cut to 15 characters.
            Some(Kind::MachineName) => {
                let host = value.split('.').next().unwrap_or(value);
                if Self::usable(kind, host) {
                    let key = fold(host);
                    let netbios: String = host.chars().take(15).collect();
                    self.add_as(kind, host, &key);
                    self.add_as(kind, &netbios, &key);
                    self.add_as(kind, value, &key);
                    return;
                }
            }
            _ => {}
        }
        self.add_as(kind, value, &fold(value));
    }

    /// `value` in all its spellings, each a pattern with the identity `key` (unless an earlier
    /// value already has that spelling).
    fn add_as(&mut self, kind: Option<Kind>, value: &str, key: &str) {
        if !Self::usable(kind, value) {
            return;
        }
        let mut variants = vec![
            value.to_owned(),
            names::html_escape(value),
            names::json_escape(value),
            names::percent_encode(value),
        ];
        if kind == Some(Kind::WifiName) {
            // Windows' Wi-Fi profiles also hold the SSID as hex (`<hex>4361…</hex>`).
            variants.push(value.bytes().map(|b| format!("{b:02X}")).collect());
        }
        if kind == Some(Kind::UserName) {
            let plain = names::strip_accents(value);
            variants.push(names::percent_encode(&plain));
            variants.push(plain);
            if !value.contains(['\\', '@']) {
                variants.extend(names::short_names(value));
            }
        }
        for variant in variants {
            let folded = fold(&variant);
            if kind == Some(Kind::UserName) {
                self.aliases
                    .entry(folded.clone())
                    .or_insert_with(|| key.to_owned());
            }
            if folded.chars().count() < 3 || !self.seen.insert(folded.clone()) {
                continue;
            }
            let edge = |c: Option<char>| c.is_some_and(detect::is_word);
            self.patterns.push(Pattern {
                action: kind.map_or(Action::Keep, |k| Action::Replace(k, key.to_owned())),
                word_start: edge(variant.chars().next()),
                word_end: edge(variant.chars().next_back()),
            });
            self.folded.push(folded);
        }
    }
}

impl Redactor {
    /// A redactor for one bundle. Builds the matcher for the known values (once: every text of
    /// the bundle reuses it).
    pub fn new(known: &Known) -> Result<Redactor, Error> {
        let mut b = Builder::default();
        // Values to keep first: a value both kept and known is kept.
        for v in known.keep.iter().chain(&known.contact_email) {
            b.add(None, v);
        }
        for v in &known.user_names {
            b.add(Some(Kind::UserName), v);
        }
        for home in &known.home_dirs {
            if let Some(name) = names::last_component(home) {
                b.add(Some(Kind::UserName), name);
            }
        }
        let others = [
            (Kind::MachineName, &known.machine_names),
            (Kind::DomainName, &known.domain_names),
            (Kind::Serial, &known.serials),
            (Kind::WifiName, &known.wifi_names),
        ];
        for (kind, values) in others {
            for v in values {
                b.add(Some(kind), v);
            }
        }
        let matcher = if b.folded.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&b.folded)?,
            )
        };
        Ok(Redactor {
            matcher,
            patterns: b.patterns,
            aliases: b.aliases,
            contact: known.contact_email.as_deref().map(|e| fold(e.trim())),
            tokens: Tokens::default(),
            folded: Vec::new(),
        })
    }

    /// A text (a log, the HTML report, any text file) with its personal data replaced. In HTML
    /// the known values are also found in their escaped form (`&amp;`, `&#x27;`).
    pub fn redact_text(&mut self, text: &str) -> String {
        self.redact(text, Ctx::default())
    }

    /// A JSON document with every string, and every object key, redacted as text. A number under
    /// a key naming a document (`cpf`, `cnpj`, `documento`) that is a valid CPF (11 digits) or
    /// CNPJ (14 digits) becomes its token, as a string; other numbers stay numbers (sizes in bytes
    /// would pass for a CPF one time in a hundred). Dotted numbers under a key naming a version
    /// (`version`, `DisplayVersion`, `versao`, `build`) are not taken for IP addresses.
    pub fn redact_json(&mut self, value: Value) -> Value {
        self.json(value, Ctx::default())
    }

    /// What was replaced so far, per kind: for the bundle's manifest.
    pub fn summary(&self) -> RedactionSummary {
        self.tokens.summary.clone()
    }

    fn json(&mut self, value: Value, ctx: Ctx) -> Value {
        match value {
            Value::String(s) => Value::String(self.redact(&s, ctx)),
            Value::Number(n) => match self.number(&n, ctx) {
                Some(token) => Value::String(token),
                None => Value::Number(n),
            },
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.json(v, ctx)).collect())
            }
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (k, v) in map {
                    let folded = fold(&k);
                    let names = |words: &[&str]| words.iter().any(|w| folded.contains(w));
                    let child = Ctx {
                        version: ctx.version || names(&["version", "versao", "versão", "build"]),
                        document: ctx.document || names(&["cpf", "cnpj", "document"]),
                    };
                    let k = self.redact(&k, Ctx::default());
                    let v = self.json(v, child);
                    out.insert(k, v);
                }
                Value::Object(out)
            }
            other => other,
        }
    }

    fn number(&mut self, n: &serde_json::Number, ctx: Ctx) -> Option<String> {
        if !ctx.document {
            return None;
        }
        let digits = n.as_u64()?.to_string();
        let kind = match digits.len() {
            11 if cpf_is_valid(&digits) => Kind::Cpf,
            14 if cnpj_is_valid(&digits) => Kind::Cnpj,
            _ => return None,
        };
        Some(self.tokens.token(kind, digits).to_owned())
    }

    fn redact(&mut self, text: &str, ctx: Ctx) -> String {
        let mut found = Vec::new();
        self.find_known(text, &mut found);
        let detect = Detect {
            ctx,
            contact: self.contact.as_deref(),
            aliases: &self.aliases,
        };
        detect.scan(text, &mut found);
        if found.is_empty() {
            return text.to_owned();
        }
        // Leftmost first; at the same start the longest; at the same span, keeping wins.
        found.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(matches!(b.action, Action::Keep).cmp(&matches!(a.action, Action::Keep)))
                .then(a.weak.cmp(&b.weak))
        });
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for (i, c) in found.iter().enumerate() {
            if c.start < pos {
                continue;
            }
            if c.weak
                && found[i + 1..]
                    .iter()
                    .take_while(|o| o.start < c.end)
                    .any(|o| !o.weak)
            {
                continue;
            }
            out.push_str(&text[pos..c.start]);
            match &c.action {
                Action::Keep => out.push_str(&text[c.start..c.end]),
                Action::Replace(kind, key) => out.push_str(self.tokens.token(*kind, key.clone())),
            }
            pos = c.end;
        }
        out.push_str(&text[pos..]);
        out
    }

    fn find_known(&mut self, text: &str, out: &mut Vec<Candidate>) {
        let Some(matcher) = &self.matcher else { return };
        fold_bytes(text, &mut self.folded);
        for m in matcher.find_overlapping_iter(self.folded.as_slice()) {
            let p = &self.patterns[m.pattern().as_usize()];
            if (p.word_start && !boundary_before(text, m.start()))
                || (p.word_end && !boundary_after(text, m.end()))
            {
                continue;
            }
            out.push(Candidate {
                start: m.start(),
                end: m.end(),
                action: p.action.clone(),
                weak: false,
            });
        }
    }
}
