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

/// The server's key for signed download links, made on first start and kept, so links survive
/// restarts: with PostgreSQL in the database, shared by every central on it (a link one signs,
/// another serves); with SQLite 32 random bytes in `link.key` in the data folder (owner-only).
pub async fn link_key(data: &std::path::Path, db: &crate::db::Db) -> anyhow::Result<[u8; 32]> {
    if db.backend() == crate::db::Backend::Postgres {
        let fresh = hex::encode(random_bytes::<32>());
        let stored = db.shared_secret("link_key", &fresh).await?;
        let key = hex::decode(&stored)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| anyhow::anyhow!("the database's link_key is not a 32-byte hex key"))?;
        return Ok(key);
    }
    Ok(link_key_file(data)?)
}

fn link_key_file(data: &std::path::Path) -> std::io::Result<[u8; 32]> {
    let path = data.join("link.key");
    match std::fs::read(&path) {
        Ok(b) if b.len() == 32 => return Ok(b.try_into().expect("32 bytes")),
        Ok(_) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is not a 32-byte key", path.display()),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let key = random_bytes::<32>();
    let tmp = data.join("link.key.tmp");
    {
        use std::io::Write;
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&tmp)?;
        f.write_all(&key)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(key)
}

type HmacSha256 = hmac::Hmac<Sha256>;

fn link_mac(key: &[u8; 32], sha256: &str, expires: i64) -> HmacSha256 {
    use hmac::Mac;
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(format!("{sha256}\n{expires}").as_bytes());
    mac
}

/// The signature of a download link to stored file `sha256` valid until `expires` (Unix time).
pub fn sign_link(key: &[u8; 32], sha256: &str, expires: i64) -> String {
    use hmac::Mac;
    hex::encode(link_mac(key, sha256, expires).finalize().into_bytes())
}

/// Whether `signature` is this server's for the file and expiry (compared in constant time).
pub fn link_signed(key: &[u8; 32], sha256: &str, expires: i64, signature: &str) -> bool {
    use hmac::Mac;
    hex::decode(signature)
        .is_ok_and(|sig| link_mac(key, sha256, expires).verify_slice(&sig).is_ok())
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

    #[test]
    fn links_are_signed_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let key = link_key_file(dir.path()).unwrap();
        assert_eq!(
            link_key_file(dir.path()).unwrap(),
            key,
            "kept across starts"
        );
        let sig = sign_link(&key, "ab12", 1_900_000_000);
        assert!(link_signed(&key, "ab12", 1_900_000_000, &sig));
        assert!(!link_signed(&key, "ab12", 1_900_000_001, &sig));
        assert!(!link_signed(&key, "ab13", 1_900_000_000, &sig));
        assert!(!link_signed(&key, "ab12", 1_900_000_000, "zz"));
    }
}
