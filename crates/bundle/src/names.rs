//! File names as they go into the zip: no folders, no control characters, nothing Windows
//! refuses, unique within their folder.

/// A file name fit for a zip entry that Windows' Explorer can extract: the last path component,
/// control characters and `<>:"/\|?*` replaced by `_`, no trailing dots or spaces, not a device
/// name (`CON`, `NUL`, `COM1`...), at most 100 characters, never empty.
pub fn sanitize(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut out: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    let out = out.trim_start().to_owned();
    let mut out = if out.is_empty() || out.chars().all(|c| c == '.') {
        "arquivo".to_owned()
    } else {
        out
    };
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    if out.chars().count() > 100 {
        let (stem, ext) = split_ext(&out);
        let keep = 100 - ext.chars().count();
        out = stem.chars().take(keep).collect::<String>() + ext;
    }
    out
}

/// `name` or, when taken, `name (2)`, `name (3)`... before the extension.
pub fn unique(name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    let (stem, ext) = split_ext(name);
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|candidate| !taken(candidate))
        .expect("some number is free")
}

/// `report.final.pdf` → (`report.final`, `.pdf`); no extension → (name, "").
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    }
}
