//! Readers for two Windows export formats, for conformance tests against real captures:
//! `regedit` exports (`.reg`) and `wmic ... /format:list` output (`.wmi`).
//!
//! Both arrive as UTF-16LE with a BOM and CRLF line ends. Real files also show:
//! - a doubled BOM (`FF FE FF FE`) at the start of some exports, so every leading U+FEFF is dropped;
//! - `wmic` escaping `&` as `&amp;` (it goes through an XSL sheet), so the five XML entities are
//!   decoded in WMI values;
//! - WMI values that start and end with braces but are not arrays (`SettingID={GUID}`), so a value is
//!   a list only when every item is quoted, numeric or a boolean;
//! - the same registry key section appearing twice in one export: both are kept, in file order.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The message every conformance test gives when the shared captures are missing.
pub const ABSENT: &str =
    "../shared/fixtures/windows is absent: these conformance tests need it; CI always has it";

// ---------------------------------------------------------------------------------------------
// Text decoding
// ---------------------------------------------------------------------------------------------

/// Decodes an export file to text. UTF-16LE with a BOM is what Windows writes; UTF-8 (with or
/// without a BOM) is accepted too. Leading BOMs (some captures have two) are removed. Unpaired
/// surrogates, which real registries can hold, become U+FFFD rather than failing the whole file.
pub fn decode_utf16_file(bytes: &[u8]) -> Result<String, String> {
    let text = if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        if body.len() % 2 != 0 {
            return Err(format!(
                "UTF-16LE file has an odd number of bytes ({}): truncated?",
                bytes.len()
            ));
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("UTF-16 big-endian files are not supported (BOM FE FF)".into());
    } else {
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match std::str::from_utf8(body) {
            Ok(s) => s.to_owned(),
            Err(e) => {
                return Err(format!(
                    "no UTF-16LE BOM and not valid UTF-8 (byte {})",
                    e.valid_up_to()
                ))
            }
        }
    };
    Ok(text.trim_start_matches('\u{FEFF}').to_owned())
}

/// Splits text in lines, accepting CRLF or LF.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

// ---------------------------------------------------------------------------------------------
// regedit exports
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub enum RegValue {
    /// `"text"`
    Sz(String),
    /// `hex(2):` UTF-16LE bytes, up to the first NUL.
    ExpandSz(String),
    /// `hex(7):` UTF-16LE strings separated by NUL; the terminating empty strings are dropped.
    MultiSz(Vec<String>),
    /// `dword:0000000a`
    Dword(u32),
    /// `hex(b):` eight little-endian bytes, or `qword:` hex digits.
    Qword(u64),
    /// `hex:`
    Binary(Vec<u8>),
    /// `hex(N):` for any other N (including `hex(0)`, REG_NONE), and a `hex(b)` that is not 8 bytes.
    Other { kind: u32, bytes: Vec<u8> },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RegKey {
    pub path: String,
    /// The default value (`@=`) is under the name "".
    pub values: BTreeMap<String, RegValue>,
}

impl RegKey {
    /// A `REG_SZ` or `REG_EXPAND_SZ` value (not expanded).
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.values.get(name)? {
            RegValue::Sz(s) | RegValue::ExpandSz(s) => Some(s),
            _ => None,
        }
    }

    pub fn dword(&self, name: &str) -> Option<u32> {
        match self.values.get(name)? {
            RegValue::Dword(d) => Some(*d),
            _ => None,
        }
    }
}

/// The first key whose path ends with `path_suffix`, compared case-insensitively and on a key
/// boundary: `DomainProfile` finds `...\FirewallPolicy\DomainProfile` but not `...\XDomainProfile`.
pub fn find<'a>(keys: &'a [RegKey], path_suffix: &str) -> Option<&'a RegKey> {
    let suffix = path_suffix.trim_start_matches('\\').to_lowercase();
    keys.iter().find(|k| {
        let path = k.path.to_lowercase();
        path == suffix
            || path
                .strip_suffix(&suffix)
                .is_some_and(|head| head.ends_with('\\'))
    })
}

const REG5_HEADER: &str = "Windows Registry Editor Version 5.00";
const REG4_HEADER: &str = "REGEDIT4";

/// Parses a regedit export. Errors name the (1-based) line and what is wrong with it.
pub fn parse_reg(bytes: &[u8]) -> Result<Vec<RegKey>, String> {
    let text = decode_utf16_file(bytes)?;
    let all: Vec<(usize, &str)> = lines(&text).collect();
    let mut it = all.into_iter().peekable();

    // Header: the first non-blank line.
    loop {
        match it.next() {
            None => return Err("line 1: empty file, expected the regedit header".into()),
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((n, l)) => {
                let l = l.trim();
                if l != REG5_HEADER && l != REG4_HEADER {
                    return Err(format!(
                        "line {n}: expected header {REG5_HEADER:?}, found {:?}",
                        truncate(l)
                    ));
                }
                break;
            }
        }
    }

    let mut keys: Vec<RegKey> = Vec::new();
    // Inside a `[-KEY]` (deletion) section: its lines are skipped.
    let mut deleting = false;
    while let Some((n, raw)) = it.next() {
        let line = raw.trim_start();
        if line.trim().is_empty() || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            let end = line
                .rfind(']')
                .ok_or_else(|| format!("line {n}: key line without closing ']'"))?;
            if !line[end + 1..].trim().is_empty() {
                return Err(format!("line {n}: text after the key's closing ']'"));
            }
            let path = &line[1..end];
            if let Some(_deleted) = path.strip_prefix('-') {
                deleting = true;
                continue;
            }
            if path.is_empty() {
                return Err(format!("line {n}: empty key path"));
            }
            deleting = false;
            keys.push(RegKey {
                path: path.to_owned(),
                values: BTreeMap::new(),
            });
            continue;
        }

        // A value line: `"Name"=DATA` or `@=DATA`.
        let (name, rest) = if let Some(after) = line.strip_prefix('@') {
            (String::new(), after)
        } else if line.starts_with('"') {
            let (name, used) = quoted(line).map_err(|e| format!("line {n}: value name: {e}"))?;
            (name, &line[used..])
        } else {
            return Err(format!(
                "line {n}: expected a [KEY], a \"Name\"= or @= value, found {:?}",
                truncate(line)
            ));
        };
        let data = rest
            .trim_start()
            .strip_prefix('=')
            .ok_or_else(|| format!("line {n}: expected '=' after the value name {name:?}"))?
            .trim_start();

        // Hex data may continue on the following lines while a line ends in '\'.
        let mut data = data.trim_end().to_owned();
        if data.starts_with("hex") {
            while let Some(head) = data.strip_suffix('\\') {
                let head = head.to_owned();
                match it.next() {
                    Some((_, next)) if !next.trim().is_empty() => data = head + next.trim(),
                    _ => {
                        return Err(format!(
                            "line {n}: value {name:?} ends in '\\' but no continuation line follows"
                        ))
                    }
                }
            }
        }

        if deleting {
            continue;
        }
        let Some(key) = keys.last_mut() else {
            return Err(format!("line {n}: value {name:?} before any [KEY] line"));
        };
        // `None` is `"Name"=-`, which deletes a value: nothing to record.
        if let Some(value) =
            parse_data(&data).map_err(|e| format!("line {n}: value {name:?}: {e}"))?
        {
            key.values.insert(name, value);
        }
    }
    Ok(keys)
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// Reads a `"..."` string with `\\` and `\"` escapes at the start of `s`. Returns the text and the
/// number of bytes used, closing quote included.
fn quoted(s: &str) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    if !matches!(chars.next(), Some((_, '"'))) {
        return Err("expected '\"'".into());
    }
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, i + 1)),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, e)) => return Err(format!("unknown escape '\\{e}' in a string")),
                None => return Err("string ends in a lone '\\'".into()),
            },
            c => out.push(c),
        }
    }
    Err("string without closing '\"'".into())
}

/// Decodes the part after `=`. `Ok(None)` is the `-` delete marker.
fn parse_data(data: &str) -> Result<Option<RegValue>, String> {
    if data == "-" {
        return Ok(None);
    }
    if data.starts_with('"') {
        let (s, used) = quoted(data)?;
        if !data[used..].trim().is_empty() {
            return Err(format!(
                "text after the closing quote: {:?}",
                truncate(&data[used..])
            ));
        }
        return Ok(Some(RegValue::Sz(s)));
    }
    if let Some(digits) = data.strip_prefix("dword:") {
        return hex_number(digits, 8)
            .map(|v| Some(RegValue::Dword(v as u32)))
            .map_err(|e| format!("dword: {e}"));
    }
    if let Some(digits) = data.strip_prefix("qword:") {
        return hex_number(digits, 16)
            .map(|v| Some(RegValue::Qword(v)))
            .map_err(|e| format!("qword: {e}"));
    }
    if let Some(rest) = data.strip_prefix("hex") {
        let (kind, bytes) = if let Some(b) = rest.strip_prefix(':') {
            (None, b)
        } else if let Some(r) = rest.strip_prefix('(') {
            let close = r.find("):").ok_or("expected hex(N):")?;
            let kind = u32::from_str_radix(&r[..close], 16)
                .map_err(|_| format!("bad type number in hex({})", &r[..close]))?;
            (Some(kind), &r[close + 2..])
        } else {
            return Err(format!("unknown data type {:?}", truncate(data)));
        };
        let bytes = hex_bytes(bytes)?;
        return Ok(Some(match kind {
            None => RegValue::Binary(bytes),
            Some(2) => RegValue::ExpandSz(utf16_until_nul(&bytes)),
            Some(7) => RegValue::MultiSz(multi_sz(&bytes)),
            Some(0xb) if bytes.len() == 8 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&bytes);
                RegValue::Qword(u64::from_le_bytes(b))
            }
            Some(kind) => RegValue::Other { kind, bytes },
        }));
    }
    Err(format!("unknown data type {:?}", truncate(data)))
}

fn hex_number(digits: &str, max: usize) -> Result<u64, String> {
    let d = digits.trim();
    if d.is_empty() || d.len() > max || !d.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "expected up to {max} hex digits, found {:?}",
            truncate(d)
        ));
    }
    u64::from_str_radix(d, 16).map_err(|e| e.to_string())
}

fn hex_bytes(list: &str) -> Result<Vec<u8>, String> {
    let list = list.trim();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(|b| {
            let b = b.trim();
            if b.is_empty() || b.len() > 2 {
                return Err(format!("bad byte {b:?} in hex list"));
            }
            u8::from_str_radix(b, 16).map_err(|_| format!("bad byte {b:?} in hex list"))
        })
        .collect()
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    // An odd trailing byte cannot be part of a character: it is ignored.
    bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect()
}

fn utf16_until_nul(bytes: &[u8]) -> String {
    let units = utf16_units(bytes);
    let end = units.iter().position(|&u| u == 0).unwrap_or(units.len());
    String::from_utf16_lossy(&units[..end])
}

fn multi_sz(bytes: &[u8]) -> Vec<String> {
    let units = utf16_units(bytes);
    let mut parts: Vec<String> = units
        .split(|&u| u == 0)
        .map(String::from_utf16_lossy)
        .collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

// ---------------------------------------------------------------------------------------------
// wmic /format:list
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub enum WmiValue {
    Text(String),
    List(Vec<String>),
    Empty,
}

pub type WmiRow = BTreeMap<String, WmiValue>;

/// Parses `wmic ... get /format:list` output: instances separated by one or more blank lines, each a
/// run of `Name=Value` lines. Values are text as printed (trailing spaces kept), with `&amp;` and the
/// other XML entities that wmic writes decoded.
pub fn parse_wmi(bytes: &[u8]) -> Result<Vec<WmiRow>, String> {
    let text = decode_utf16_file(bytes)?;
    let mut rows = Vec::new();
    let mut row = WmiRow::new();
    for (n, line) in lines(&text) {
        if line.trim().is_empty() {
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            continue;
        }
        let (name, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {n}: expected Name=Value, found {:?}", truncate(line)))?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("line {n}: bad property name {name:?}"));
        }
        if row.contains_key(name) {
            return Err(format!(
                "line {n}: property {name:?} twice in one instance (missing blank line?)"
            ));
        }
        row.insert(name.to_owned(), wmi_value(value));
    }
    if !row.is_empty() {
        rows.push(row);
    }
    Ok(rows)
}

fn wmi_value(raw: &str) -> WmiValue {
    if raw.is_empty() {
        return WmiValue::Empty;
    }
    if let Some(inner) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        if let Some(items) = wmi_array(inner) {
            return WmiValue::List(items.iter().map(|i| unescape_xml(i)).collect());
        }
    }
    WmiValue::Text(unescape_xml(raw))
}

/// The items of `{...}` when it is an array: `{}`, all items quoted (`{"a","b"}`), or all items
/// numbers or booleans (`{0,1}`). `{1AD600CD-7F09-...}` (a GUID) is not an array.
fn wmi_array(inner: &str) -> Option<Vec<String>> {
    if inner.is_empty() {
        return Some(Vec::new());
    }
    if inner.starts_with('"') {
        let mut items = Vec::new();
        let mut rest = inner;
        loop {
            let body = rest.strip_prefix('"')?;
            // wmic does not escape quotes inside items: an item ends at a quote followed by a comma
            // and a quote, or at the final quote.
            let end = match body.find("\",\"") {
                Some(i) => i,
                None => body.strip_suffix('"').map(str::len)?,
            };
            items.push(body[..end].to_owned());
            rest = &body[end + 1..];
            if rest.is_empty() {
                return Some(items);
            }
            rest = rest.strip_prefix(',')?;
        }
    }
    let items: Vec<String> = inner.split(',').map(|s| s.trim().to_owned()).collect();
    let scalar = |s: &str| {
        s == "TRUE" || s == "FALSE" || {
            let d = s.strip_prefix('-').unwrap_or(s);
            !d.is_empty()
                && d.chars().all(|c| c.is_ascii_digit() || c == '.')
                && d.starts_with(|c: char| c.is_ascii_digit())
        }
    };
    items.iter().all(|s| scalar(s)).then_some(items)
}

fn unescape_xml(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&apos;", '\''),
        ]
        .into_iter()
        .find(|(e, _)| rest.starts_with(e));
        match entity {
            Some((e, c)) => {
                out.push(c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A property's text; `None` when it is empty, a list, or missing.
pub fn text<'a>(row: &'a WmiRow, name: &str) -> Option<&'a str> {
    match row.get(name)? {
        WmiValue::Text(t) => Some(t),
        _ => None,
    }
}

/// A list property's items; empty when the property is empty, missing or not a list.
pub fn list<'a>(row: &'a WmiRow, name: &str) -> Vec<&'a str> {
    match row.get(name) {
        Some(WmiValue::List(items)) => items.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The shared captures
// ---------------------------------------------------------------------------------------------

/// `../shared/fixtures/windows` seen from the repository root; `None` when it is absent.
pub fn fixtures_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/windows"
    ));
    dir.is_dir().then_some(dir)
}

/// The bytes of `<fixtures>/<relative>`; `None` when the fixtures folder is absent. A missing file in
/// a present folder is a mistake in the test, so it panics.
pub fn fixture(relative: &str) -> Option<Vec<u8>> {
    let path = fixtures_dir()?.join(relative);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
}

/// Like [`fixture`], but panics with [`ABSENT`] when the folder is missing: these tests must never
/// pass silently.
pub fn require_fixture(relative: &str) -> Vec<u8> {
    fixture(relative).unwrap_or_else(|| panic!("{ABSENT}"))
}

/// The file names (sorted) in a fixtures subfolder ending in `.ext`; panics with [`ABSENT`] when the
/// folder is missing.
pub fn fixture_names(subdir: &str, ext: &str) -> Vec<String> {
    let dir = fixtures_dir()
        .unwrap_or_else(|| panic!("{ABSENT}"))
        .join(subdir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(&format!(".{ext}")))
        .collect();
    names.sort();
    names
}

/// Parses a shared `.reg` capture, panicking with the file name on error.
pub fn reg_fixture(relative: &str) -> Vec<RegKey> {
    parse_reg(&require_fixture(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Parses a shared `.wmi` capture, panicking with the file name on error.
pub fn wmi_fixture(relative: &str) -> Vec<WmiRow> {
    parse_wmi(&require_fixture(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Encodes text as a UTF-16LE file with BOM, as Windows writes it (for synthetic inputs).
pub fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}
