//! File names a customer chose, made safe to store, zip, show and save on Windows: one function
//! for the app's bundle and central's store.

/// Most characters a safe name has (the extension kept when cut).
pub const NAME_MAX_CHARS: usize = 100;

/// Characters that change how the text around them is shown or are not seen at all: bidi
/// embeddings, overrides and isolates (`exe.txt` shown for `txt.exe`), marks, zero widths.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}')
}

/// A name Windows keeps for a device whatever the extension: `CON`, `nul.txt`, `COM1.log`...
fn reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.trim_end_matches([' ', '.']).to_uppercase();
    if ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(&stem.as_str()) {
        return true;
    }
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT")
        && rest.len() == 1
        && (rest[0].is_ascii_digit() || matches!(rest[0], '¹' | '²' | '³'))
}

/// `report.final.pdf` → (`report.final`, `.pdf`); no extension, or one too long to be one,
/// → (name, "").
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && name[i..].chars().count() <= 16 => name.split_at(i),
        _ => (name, ""),
    }
}

/// The last path component of `raw`, without control or invisible characters, `<>:"|?*`
/// replaced by `_`, without leading dots or spaces (no hidden file, no `..`) nor trailing
/// ones (Windows drops them), `_` before a Windows device name, at most [`NAME_MAX_CHARS`]
/// characters (the extension kept); `fallback` when nothing is left. Applying it again
/// changes nothing.
pub fn safe_file_name(raw: &str, fallback: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let trim = |s: &str| {
        s.trim_start_matches(|c: char| c == '.' || c.is_whitespace())
            .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
            .to_owned()
    };
    let mut out = trim(&cleaned);
    if reserved(&out) {
        out.insert(0, '_');
    }
    if out.chars().count() > NAME_MAX_CHARS {
        let (stem, ext) = split_ext(&out);
        let keep = NAME_MAX_CHARS - ext.chars().count();
        let stem: String = stem.chars().take(keep).collect();
        out = trim(&(trim(&stem) + ext));
    }
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::safe_file_name as safe;

    #[test]
    fn names_lose_paths_controls_and_invisible_characters() {
        assert_eq!(safe("../../etc/passwd", "x"), "passwd");
        assert_eq!(safe(r"C:\Users\ana\Desktop\erro.png", "x"), "erro.png");
        assert_eq!(safe("a\u{7}b\r\nc?.txt", "x"), "abc_.txt");
        // Shown as "faturaexe.pdf" with the override.
        assert_eq!(safe("fatura\u{202E}fdp.exe", "x"), "faturafdp.exe");
        assert_eq!(safe("a\u{2066}b\u{2069}\u{200F}.txt", "x"), "ab.txt");
        assert_eq!(safe("..", "anexo"), "anexo");
        assert_eq!(safe(".bashrc", "x"), "bashrc");
        assert_eq!(safe("relatório final. ", "x"), "relatório final");
        assert_eq!(safe("relatório.zip", "x"), "relatório.zip");
    }

    #[test]
    fn windows_device_names_get_a_prefix() {
        for (raw, safe_name) in [
            ("CON", "_CON"),
            ("NUL.txt", "_NUL.txt"),
            ("com1.log", "_com1.log"),
            ("lpt9", "_lpt9"),
            ("Aux.tar.gz", "_Aux.tar.gz"),
            ("COM¹.txt", "_COM¹.txt"),
            ("nul .txt", "_nul .txt"),
            ("console.txt", "console.txt"),
            ("com10.txt", "com10.txt"),
        ] {
            assert_eq!(safe(raw, "x"), safe_name, "{raw}");
        }
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let cut = safe(&format!("{}.pdf", "x".repeat(300)), "x");
        assert_eq!(cut.chars().count(), super::NAME_MAX_CHARS);
        assert!(cut.ends_with(".pdf"));
        // An "extension" too long to be one is cut like the rest.
        let cut = safe(&format!("a.{}", "y".repeat(300)), "x");
        assert_eq!(cut.chars().count(), super::NAME_MAX_CHARS);
    }
}
