//! The logs probe: the tail of the vendor program's log files, from the profile's globs
//! (`%ProgramData%\Sistema\logs\*.log`), newest first, capped, cut at a line boundary, and
//! decoded whatever the program wrote (UTF-8, UTF-16 with BOM, or Windows-1252, common in
//! Brazilian legacy programs). A locked or vanished file is reported by name; the rest goes on.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use chamado_profile::Program;
use serde::Serialize;

use crate::probe::{self, Gathered, Probe, ProbeProblem};

/// At most this many files, this much of each, and this much in all.
pub const MAX_FILES: usize = 5;
pub const MAX_PER_FILE: u64 = 64 * 1024;
pub const MAX_TOTAL: u64 = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Logs {
    pub files: Vec<LogFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogFile {
    pub path: String,
    pub size: u64,
    /// RFC 3339.
    pub modified: Option<String>,
    /// The end of the file, from a line start.
    pub tail: String,
    /// Whether `tail` is less than the whole file.
    pub truncated: bool,
    /// utf-8, utf-16le, utf-16be or windows-1252.
    pub encoding: String,
}

pub const LIMIT: Duration = Duration::from_secs(5);

/// Collects the tails of `program`'s logs; no program in the profile, no logs.
pub async fn probe(program: Option<&Program>) -> Probe<Logs> {
    let globs = program.map(|p| p.logs.clone()).unwrap_or_default();
    probe::run("logs", LIMIT, move || {
        gather(&globs, &|name| std::env::var(name).ok())
    })
    .await
}

/// The files the globs match, newest first, and their tails within the caps.
pub fn gather(globs: &[String], env: &dyn Fn(&str) -> Option<String>) -> Gathered<Logs> {
    let mut problems = Vec::new();
    let mut found: Vec<(PathBuf, SystemTime, u64)> = Vec::new();
    for pattern in globs {
        let expanded = expand_env(pattern, env);
        let paths = match glob::glob(&expanded) {
            Ok(paths) => paths,
            Err(e) => {
                problems.push(ProbeProblem::Failed {
                    what: pattern.clone(),
                    detail: e.to_string(),
                });
                continue;
            }
        };
        for entry in paths {
            match entry
                .map_err(std::io::Error::from)
                .and_then(|p| Ok((std::fs::metadata(&p)?, p)))
            {
                Ok((meta, path)) if meta.is_file() && !found.iter().any(|(p, _, _)| *p == path) => {
                    found.push((
                        path,
                        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                        meta.len(),
                    ));
                }
                Ok(_) => {}
                Err(e) => problems.push(ProbeProblem::from_io(pattern, &e)),
            }
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.1));
    let mut files = Vec::new();
    let mut budget = MAX_TOTAL;
    for (path, modified, size) in found.into_iter().take(MAX_FILES) {
        if budget == 0 {
            break;
        }
        let want = size.min(MAX_PER_FILE).min(budget);
        match read_tail(&path, size, want) {
            Ok(bytes) => {
                budget = budget.saturating_sub(bytes.len() as u64);
                let (text, encoding) = decode_text(&bytes);
                let tail = if want < size {
                    from_line_start(&text)
                } else {
                    text
                };
                files.push(LogFile {
                    path: path.display().to_string(),
                    size,
                    modified: jiff::Timestamp::try_from(modified)
                        .ok()
                        .map(|t| t.to_string()),
                    truncated: want < size,
                    tail,
                    encoding: encoding.into(),
                });
            }
            // Locked by the program, or gone since it was listed: say which, go on.
            Err(e) => problems.push(ProbeProblem::from_io(&path.display().to_string(), &e)),
        }
    }
    (Some(Logs { files }), problems)
}

fn read_tail(path: &PathBuf, size: u64, want: u64) -> std::io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(size - want))?;
    let mut buf = Vec::with_capacity(want as usize);
    f.take(want).read_to_end(&mut buf)?;
    Ok(buf)
}

/// `%NAME%` (Windows) and `$NAME` / `${NAME}` (Linux) replaced by `env`; unknown names stay as
/// written, so the problem shows in the pattern.
pub fn expand_env(pattern: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(['%', '$']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (name, len) = if let Some(r) = tail.strip_prefix('%') {
            match r.find('%') {
                Some(end) => (&r[..end], end + 2),
                None => ("", 0),
            }
        } else if let Some(r) = tail.strip_prefix("${") {
            match r.find('}') {
                Some(end) => (&r[..end], end + 3),
                None => ("", 0),
            }
        } else {
            let r = &tail[1..];
            let end = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            (&r[..end], end + 1)
        };
        match env(name).filter(|_| len > 0 && !name.is_empty()) {
            Some(value) => {
                out.push_str(&value);
                rest = &tail[len..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text whatever the program wrote: UTF-16 by its BOM, UTF-8 when valid, else Windows-1252.
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    let utf16 = |b: &[u8], le: bool| {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, true), "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, false), "utf-16be");
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => (s.to_owned(), "utf-8"),
        // A cut in the middle of a UTF-8 character at the start is still UTF-8.
        Err(e)
            if e.valid_up_to() == 0 && std::str::from_utf8(&body[1.min(body.len())..]).is_ok() =>
        {
            (String::from_utf8_lossy(body).into_owned(), "utf-8")
        }
        Err(e) if e.error_len().is_none() => (String::from_utf8_lossy(body).into_owned(), "utf-8"),
        Err(_) => (body.iter().map(|&b| cp1252(b)).collect(), "windows-1252"),
    }
}

/// Windows-1252: Latin-1 but for 0x80–0x9F.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Drops the partial first line of a tail.
fn from_line_start(text: &str) -> String {
    match text.find('\n') {
        Some(i) if i + 1 < text.len() => text[i + 1..].to_owned(),
        _ => text.to_owned(),
    }
}
