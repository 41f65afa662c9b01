//! Random secrets (enrolment codes, installation tokens, references) and how they are stored:
//! only a SHA-256 digest ever reaches the database.

use sha2::{Digest, Sha256};

/// Crockford's base32: no I, L, O, U, so a code read aloud or typed is not misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the OS's random source works");
    b
}

fn base32(n: usize) -> String {
    let bytes = random_bytes::<32>();
    bytes[..n]
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect()
}

/// An enrolment code: 15 base32 characters (75 bits) in groups, e.g. `K3F9-X2MB-7QWD-...`.
pub fn new_code() -> String {
    let raw = base32(15);
    raw.as_bytes()
        .chunks(5)
        .map(|c| std::str::from_utf8(c).expect("ASCII"))
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed (any case, dashes, spaces, O for 0, I or L for 1) in its one canonical form.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// An installation token: `cht_` and 64 hex digits (256 bits).
pub fn new_token() -> String {
    format!("cht_{}", hex::encode(random_bytes::<32>()))
}

/// A ticket's central reference: `CH-` and 10 base32 characters; unguessable.
pub fn new_reference() -> String {
    format!("CH-{}", base32(10))
}

/// The secret of a quick-access link.
pub fn new_access_key() -> String {
    hex::encode(random_bytes::<16>())
}

/// What the database keeps of a secret.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_survive_retyping() {
        let code = new_code();
        assert_eq!(code.len(), 17);
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(normalize_code(&typed), normalize_code(&code));
        assert_eq!(normalize_code("o1l-i"), "0111");
    }

    #[test]
    fn secrets_differ() {
        assert_ne!(new_token(), new_token());
        assert!(new_token().starts_with("cht_"));
        assert_eq!(digest("x").len(), 64);
    }
}
