//! The pattern detectors: each regex is compiled once per process and finds candidates that are
//! then checked (check digits, address ranges, surrounding characters) before they become spans.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::Regex;

use crate::brdoc::{cnpj_is_valid, cpf_is_valid};
use crate::names::{fold, is_generic};
use crate::{ip, Action, Candidate, Kind};

// `(?-u:\b)` is the ASCII word boundary: the Unicode one makes the regex engine leave its fast
// DFA on non-ASCII text, and the values matched here are ASCII anyway.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the detectors' patterns are valid")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u:\b)[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?-u:\b)",
    )
});
static CPF: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{2}(?-u:\b)"));
static CNPJ: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(?:[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}/[0-9A-Z]{4}-[0-9]{2}|[0-9]{2}\.?[0-9]{3}\.?[0-9]{3}/?[0-9]{4}-?[0-9]{2})(?-u:\b)",
    )
});
static MAC: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)[0-9A-Fa-f]{2}(?:(?::[0-9A-Fa-f]{2}){5}|(?:-[0-9A-Fa-f]{2}){5})(?-u:\b)")
});
static IPV4: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?-u:\b)"));
static IPV6: LazyLock<Regex> = LazyLock::new(|| re(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"));
static SID: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)S-1-5-21-[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,10}(?:-[0-9]{1,10})?(?-u:\b)")
});
/// A profile folder: `C:\Users\NAME`, `C:\\Users\\NAME` (JSON-escaped), `\\host\c$\Users\NAME`,
/// `Documents and Settings`, `C:/Users/NAME` (also in `file:///C:/Users/NAME`), `/home/NAME`. The
/// forward-slash forms need a drive letter, or for `/home/` the start of a word, so that URL paths
/// (`https://host/users/123`) are left alone. The name runs to the next separator; whether spaces
/// belong to it is decided after (see `user_paths`).
static USER_PATH: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r#"(?im)(?:"#,
        r#"(?:^|[a-z]:|[\s"'=(\[,;>$])(?:\\\\|\\)(?:users|documents and settings)(?:\\\\|\\)"#,
        r#"|[a-z]:/(?:users|documents and settings)/"#,
        r#"|(?:^|file://|[\s"'=(\[,;>:])/home/"#,
        r#")([^\\/\r\n\t"'<>:|?*]+)"#
    ))
});

/// Where detection happens: a JSON value under a key that names a version (`DisplayVersion`)
/// holds dotted numbers that are not addresses.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ctx {
    pub version: bool,
    /// A JSON value under a key naming a CPF or CNPJ: numbers there may be documents.
    pub document: bool,
}

pub(crate) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// No letter or digit just before `i`; a letter preceded by a backslash is a JSON or C escape
/// (`\n`, `\t`, `\r`), not part of the word.
pub(crate) fn boundary_before(text: &str, i: usize) -> bool {
    let mut before = text[..i].chars().rev();
    match before.next() {
        None => true,
        Some(c) if !is_word(c) => true,
        Some('n' | 't' | 'r') => before.next() == Some('\\'),
        Some(_) => false,
    }
}

pub(crate) fn boundary_after(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_none_or(|c| !is_word(c))
}

/// The match is part of a longer dotted or dashed number (`1.529.982.247-25`, a version
/// `10.0.19045.1.2`): not a value of its own.
fn in_longer_number(text: &str, start: usize, end: usize, joiners: &[u8]) -> bool {
    let b = text.as_bytes();
    let before = start >= 2 && joiners.contains(&b[start - 1]) && b[start - 2].is_ascii_digit();
    let after = end + 1 < b.len() && joiners.contains(&b[end]) && b[end + 1].is_ascii_digit();
    before || after
}

/// The text with the letter of each `\n`, `\t`, `\r` escape (JSON, C) made a space, so that in
/// raw JSON text `"linha\n529.982.247-25"` the number starts a word. An escaped backslash (`\\`)
/// is skipped as a pair. Same length, same offsets; borrowed when there is no backslash.
fn mask_escapes(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            if matches!(bytes[i + 1], b'n' | b't' | b'r') {
                bytes[i + 1] = b' ';
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    // Only ASCII letters were replaced by an ASCII space.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
}

/// The word just before an address, to tell `versão 5.1.2.3` from an address.
fn follows_version_word(text: &str, start: usize) -> bool {
    let head = text[..start].trim_end_matches([' ', '\t', ':', '=', '"', '\'', '(']);
    let word: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let word = fold(&word);
    word.starts_with("vers") || matches!(word.as_str(), "ver" | "v" | "build" | "release")
}

pub(crate) struct Detect<'a> {
    pub ctx: Ctx,
    /// The ticket's own e-mail, folded.
    pub contact: Option<&'a str>,
    /// Folded spellings of the known user names → their identity key.
    pub aliases: &'a HashMap<String, String>,
}

impl Detect<'_> {
    pub fn scan(&self, text: &str, out: &mut Vec<Candidate>) {
        // The profile-folder detector reads paths as they are; the others see escapes blanked.
        self.user_paths(text, out);
        let masked = mask_escapes(text);
        let text = masked.as_ref();
        self.emails(text, out);
        documents(text, out);
        macs(text, out);
        self.ipv4(text, out);
        ipv6(text, out);
        for m in SID.find_iter(text) {
            out.push(Candidate::replace(
                m.start(),
                m.end(),
                Kind::Sid,
                m.as_str().to_ascii_uppercase(),
            ));
        }
    }

    fn emails(&self, text: &str, out: &mut Vec<Candidate>) {
        if !text.contains('@') {
            return;
        }
        for m in EMAIL.find_iter(text) {
            let key = fold(m.as_str());
            if self.contact == Some(key.as_str()) {
                out.push(Candidate {
                    start: m.start(),
                    end: m.end(),
                    action: Action::Keep,
                    weak: false,
                });
            } else {
                out.push(Candidate::replace(m.start(), m.end(), Kind::Email, key));
            }
        }
    }

    fn ipv4(&self, text: &str, out: &mut Vec<Candidate>) {
        if self.ctx.version {
            return;
        }
        for m in IPV4.find_iter(text) {
            if in_longer_number(text, m.start(), m.end(), b".") {
                continue;
            }
            let Ok(a) = m.as_str().parse::<Ipv4Addr>() else {
                continue;
            };
            if ip::is_redacted(IpAddr::V4(a)) && !follows_version_word(text, m.start()) {
                out.push(Candidate::replace(
                    m.start(),
                    m.end(),
                    Kind::PublicIp,
                    a.to_string(),
                ));
            }
        }
    }

    fn user_paths(&self, text: &str, out: &mut Vec<Candidate>) {
        let mut pos = 0;
        while let Some(caps) = USER_PATH.captures_at(text, pos) {
            let name = caps.get(1).expect("the pattern has one group");
            let (start, mut end) = (name.start(), name.end());
            let next = text[end..].chars().next();
            if !matches!(next, Some('\\' | '/')) {
                // Not followed by a separator: the path ended, maybe mid-sentence, at the first space.
                end = start
                    + text[start..end]
                        .find(char::is_whitespace)
                        .unwrap_or(end - start);
            }
            end = start + text[start..end].trim_end().len();
            pos = if end > start {
                end
            } else {
                start + text[start..].chars().next().map_or(1, char::len_utf8)
            };
            let value = &text[start..end];
            if value.is_empty() || value.starts_with(['%', '$', '*', '[', '{', '<', '.', '~']) {
                continue;
            }
            let folded = fold(value);
            if is_generic(&folded) {
                continue;
            }
            let key = self.aliases.get(&folded).cloned().unwrap_or(folded);
            let mut c = Candidate::replace(start, end, Kind::UserName, key);
            c.weak = true;
            out.push(c);
        }
    }
}

fn documents(text: &str, out: &mut Vec<Candidate>) {
    for m in CPF.find_iter(text) {
        if !in_longer_number(text, m.start(), m.end(), b"./-") && cpf_is_valid(m.as_str()) {
            let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
            out.push(Candidate::replace(m.start(), m.end(), Kind::Cpf, digits));
        }
    }
    for m in CNPJ.find_iter(text) {
        if !in_longer_number(text, m.start(), m.end(), b"./-")
            && cnpj_is_valid(m.as_str())
            && !is_timestamp(m.as_str())
        {
            let key: String = m
                .as_str()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            out.push(Candidate::replace(m.start(), m.end(), Kind::Cnpj, key));
        }
    }
}

/// A bare `YYYYMMDDhhmmss` (1990–2099): one in a hundred passes the CNPJ check digits. Only
/// unpunctuated numbers are concerned, and a real CNPJ shaped like this (root starting with a
/// plausible date, branch `00mm`) is rare.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |i: usize, len: usize| s[i..i + len].parse::<u32>().unwrap_or(u32::MAX);
    (1990..=2099).contains(&n(0, 4))
        && (1..=12).contains(&n(4, 2))
        && (1..=31).contains(&n(6, 2))
        && n(8, 2) <= 23
        && n(10, 2) <= 59
        && n(12, 2) <= 59
}

fn macs(text: &str, out: &mut Vec<Candidate>) {
    for m in MAC.find_iter(text) {
        let b = text.as_bytes();
        let sep = b[m.start() + 2];
        let longer = |i: usize| i + 1 < b.len() && b[i] == sep && b[i + 1].is_ascii_hexdigit();
        let longer_before =
            m.start() >= 2 && b[m.start() - 1] == sep && b[m.start() - 2].is_ascii_hexdigit();
        if longer(m.end()) || longer_before {
            continue;
        }
        let key: String = m
            .as_str()
            .chars()
            .filter(char::is_ascii_hexdigit)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if key == "000000000000" || key == "ffffffffffff" {
            continue;
        }
        out.push(Candidate::replace(m.start(), m.end(), Kind::Mac, key));
    }
}

fn ipv6(text: &str, out: &mut Vec<Candidate>) {
    if !text.contains(':') {
        return;
    }
    for m in IPV6.find_iter(text) {
        let s = m.as_str();
        if s.len() < 3 {
            continue;
        }
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(|c| is_word(c) || c == '.')
            || after.is_some_and(|c| is_word(c) || c == '.')
        {
            continue;
        }
        let Ok(a) = s.parse::<Ipv6Addr>() else {
            continue;
        };
        if ip::is_redacted(IpAddr::V6(a)) {
            out.push(Candidate::replace(
                m.start(),
                m.end(),
                Kind::PublicIp,
                a.to_string(),
            ));
        }
    }
}
