//! File names as they go into the zip: no folders, no control characters, nothing Windows
//! refuses, unique within their folder.

/// A file name fit for a zip entry that Windows' Explorer can extract: chamado-wire's one rule
/// (no folders, control or bidi characters, nothing Windows refuses, not a device name, at most
/// 100 characters), `arquivo` when nothing is left.
pub fn sanitize(name: &str) -> String {
    chamado_wire::names::safe_file_name(name, "arquivo")
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
