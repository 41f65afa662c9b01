//! The vendor's notices and latest version (`GET /v1/notices`), and a "resolveu" counted on
//! central (`POST /v1/resolved`): per topic and how, counts only, nothing about who.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::text_or_empty;

/// A notice the vendor published: shown on the topic choice and the guides step (those with a
/// topic beside that topic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Notice {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    /// A profile topic's id; none for a notice about everything.
    #[serde(default)]
    pub topic: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; none until the vendor removes it.
    #[serde(default)]
    pub until: Option<String>,
}

/// Central's answer: the current notices (newest first) and the latest version of the vendor's
/// program it was told of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeList {
    #[serde(default)]
    pub notices: Vec<Notice>,
    #[serde(default)]
    pub latest_version: Option<String>,
}

/// What resolved the customer's problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResolvedHow {
    /// A guide ("Isso resolveu? Sim").
    Guide,
    /// The checks step ("Agora está funcionando").
    Checks,
}

impl ResolvedHow {
    pub fn as_str(self) -> &'static str {
        match self {
            ResolvedHow::Guide => "guide",
            ResolvedHow::Checks => "checks",
        }
    }
}

/// One "resolveu" (`POST /v1/resolved`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    #[serde(default, deserialize_with = "text_or_empty")]
    pub topic: String,
    pub how: ResolvedHow,
}

/// Whether `s` is a topic id as a valid profile has them (`[a-z0-9][a-z0-9-]*`), at most 64
/// characters.
pub fn is_topic_id(s: &str) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    s.len() <= 64
        && s.as_bytes().first().is_some_and(alnum)
        && s.bytes().all(|b| alnum(&b) || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_ids_and_the_how_on_the_wire() {
        assert!(is_topic_id("sem-conexao"));
        assert!(is_topic_id("atualizacao"));
        for bad in ["", "-a", "Sem-Conexao", "a_b", "a/b", &"x".repeat(65)] {
            assert!(!is_topic_id(bad), "{bad}");
        }
        let r: Resolved =
            serde_json::from_str(r#"{"topic":"sem-conexao","how":"checks"}"#).unwrap();
        assert_eq!(r.how, ResolvedHow::Checks);
        assert!(serde_json::from_str::<Resolved>(r#"{"topic":"x","how":"luck"}"#).is_err());
        // An older central's answer without the version reads as none.
        let l: NoticeList = serde_json::from_str(r#"{"notices":[]}"#).unwrap();
        assert_eq!(l.latest_version, None);
    }
}
