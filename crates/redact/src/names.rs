//! Known values: case folding that keeps byte offsets, the spellings under which a value appears
//! (escaped for HTML, JSON or URLs, without accents, as a Windows 8.3 short name), and the generic
//! account and network names that are never treated as personal.

/// Folds ASCII and the Latin-1 letters (`À`..`Þ`, the accented capitals of Portuguese) to lower
/// case, byte for byte: every folded character has the same UTF-8 length as the original, so an
/// offset in the folded text is the same offset in the original. Other letters keep their case.
pub(crate) fn fold_bytes(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0xc3
            && i + 1 < bytes.len()
            && (0x80..=0x9e).contains(&bytes[i + 1])
            && bytes[i + 1] != 0x97
        {
            // U+00C0..U+00DE (not U+00D7 ×): the lower-case letter is 0x20 further.
            out.push(0xc3);
            out.push(bytes[i + 1] + 0x20);
            i += 2;
        } else {
            out.push(b.to_ascii_lowercase());
            i += 1;
        }
    }
}

pub(crate) fn fold(s: &str) -> String {
    let mut out = Vec::new();
    fold_bytes(s, &mut out);
    // Folding maps whole characters to whole characters of the same length.
    String::from_utf8(out).unwrap_or_else(|_| s.to_lowercase())
}

/// Account, folder and network names that many machines share, and the placeholders firmware
/// reports for a serial number: they say nothing about the customer, so they are never replaced
/// as known values, even when the caller lists them.
const GENERIC: &[&str] = &[
    "root",
    "admin",
    "administrator",
    "administrador",
    "user",
    "usuario",
    "usuário",
    "guest",
    "convidado",
    "public",
    "default",
    "default user",
    "defaultuser0",
    "all users",
    "todos os usuários",
    "systemprofile",
    "localservice",
    "networkservice",
    "system",
    "wdagutilityaccount",
    "workgroup",
    "grupo",
    "localhost",
    "localdomain",
    "local",
    // What cheap BIOSes and disks report instead of a serial number.
    "to be filled by o.e.m.",
    "default string",
    "system serial number",
    "chassis serial number",
    "base board serial number",
    "not specified",
    "not applicable",
    "none",
    "n/a",
    "0123456789",
];

/// `folded` is already folded.
pub(crate) fn is_generic(folded: &str) -> bool {
    GENERIC.contains(&folded)
}

/// The last component of a path (either separator, trailing separators ignored).
pub(crate) fn last_component(path: &str) -> Option<&str> {
    path.trim_end_matches(['\\', '/'])
        .rsplit(['\\', '/'])
        .next()
        .filter(|s| !s.is_empty() && !s.ends_with(':'))
}

pub(crate) fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
            'ç' => 'c',
            'Ç' => 'C',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'ñ' => 'n',
            'Ñ' => 'N',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            'ý' | 'ÿ' => 'y',
            'Ý' => 'Y',
            c => c,
        })
        .collect()
}

/// As the report's HTML escapes text (`chamado-diagnostics`' `html::escape`: the same function).
pub(crate) fn html_escape(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// As a JSON string literal holds it (the text of a JSON file given to `redact_text`).
pub(crate) fn json_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Percent-encoded as in a URL (`João Silva` → `Jo%C3%A3o%20Silva`); matching ignores the hex case.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The Windows 8.3 short names a long user or folder name may have: the name upper-cased, spaces
/// and dots taken out, characters invalid in short names made `_`, the first six characters and
/// `~1`..`~9`; when the name has a dot, also the form with the extension's first three characters
/// (`joao.silva` → `JOAO~1.SIL`). Accented letters are given as they are, without their accents
/// and as `_` (which Windows writes depends on the OEM code page). Empty when the name needs no
/// short name (eight or fewer plain characters).
pub(crate) fn short_names(name: &str) -> Vec<String> {
    let name = name.trim();
    let needs = name.chars().count() > 8 || name.contains([' ', '.']) || !name.is_ascii();
    if !needs || name.is_empty() {
        return Vec::new();
    }
    let renderings = [
        name.to_uppercase(),
        strip_accents(name).to_uppercase(),
        name.to_uppercase()
            .chars()
            .map(|c| if c.is_ascii() { c } else { '_' })
            .collect(),
    ];
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '.'))
            .map(|c| {
                if "+,;=[]\"*/:<>?\\|".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    let mut out: Vec<String> = Vec::new();
    for r in &renderings {
        let whole: String = clean(r).chars().take(6).collect();
        let dotted = r.rfind('.').filter(|&i| i > 0).map(|i| {
            let base: String = clean(&r[..i]).chars().take(6).collect();
            let ext: String = clean(&r[i + 1..]).chars().take(3).collect();
            (base, ext)
        });
        for n in 1..=9 {
            if !whole.is_empty() {
                out.push(format!("{whole}~{n}"));
            }
            if let Some((base, ext)) = &dotted {
                if !base.is_empty() && !ext.is_empty() {
                    out.push(format!("{base}~{n}.{ext}"));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_offsets_and_lowers_portuguese_capitals() {
        assert_eq!(fold("JOÃO SILVA Ção"), "joão silva ção");
        assert_eq!(fold("×ÀÞ"), "×àþ");
        assert_eq!(fold("ŁUKASZ").len(), "ŁUKASZ".len());
    }

    #[test]
    fn short_names_of_long_names() {
        let s = short_names("João Silva");
        for want in ["JOÃOSI~1", "JOAOSI~1", "JO_OSI~1", "JOAOSI~2", "JOAOSI~9"] {
            assert!(s.contains(&want.to_owned()), "{want} in {s:?}");
        }
        let s = short_names("joao.silva");
        assert!(s.contains(&"JOAO~1.SIL".to_owned()), "{s:?}");
        assert!(s.contains(&"JOAOSI~1".to_owned()), "{s:?}");
        assert!(short_names("maria").is_empty());
        assert!(short_names("MARIA123").is_empty());
    }

    #[test]
    fn last_component_of_home_folders() {
        assert_eq!(last_component(r"C:\Users\joao.silva\"), Some("joao.silva"));
        assert_eq!(last_component("/home/joao"), Some("joao"));
        assert_eq!(last_component("C:\\"), None);
    }

    #[test]
    fn escapes() {
        assert_eq!(percent_encode("João Silva"), "Jo%C3%A3o%20Silva");
        assert_eq!(html_escape("D'Ávila & Cia"), "D&#x27;Ávila &amp; Cia");
        assert_eq!(json_escape(r"EMPRESA\joao"), r"EMPRESA\\joao");
    }
}
