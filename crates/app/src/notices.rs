//! The vendor's notices and the latest version of its program, from central within a short
//! time, the last answer kept in the data folder for when central cannot be reached; and the
//! "resolveu" counts, kept on disk until central has each one (counts only: topic and how).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chamado_client::SendError;
use chamado_wire::{Notice, Resolved, ResolvedHow};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::drafts::{read, write};
use crate::error::{AppError, ErrorCode};

/// The window waits for the notices on the topic choice: past this, the last answer kept.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(3);

/// The notices to show and the latest version, as central last answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Notices {
    pub notices: Vec<Notice>,
    pub latest_version: Option<String>,
    /// When central gave this answer (RFC 3339); none when it never has.
    pub fetched_at: Option<String>,
    /// Central did not answer now (offline, or not enrolled): this is the last answer kept.
    pub from_cache: bool,
}

fn cache_path(data_dir: &Path) -> PathBuf {
    data_dir.join("notices.json")
}

fn pending_path(data_dir: &Path) -> PathBuf {
    data_dir.join("resolved-pending.json")
}

/// Central's current notices; when it cannot answer, the last answer kept (its notices past
/// their end left out). A success also sends the counts made offline.
pub async fn fetch(data_dir: &Path) -> Result<Notices, AppError> {
    if let Some(central) = crate::enrol::central(data_dir)? {
        match central.notices(FETCH_TIMEOUT).await {
            Ok(list) => {
                let fresh = Notices {
                    notices: list.notices,
                    latest_version: list.latest_version,
                    fetched_at: jiff::Timestamp::now()
                        .round(jiff::Unit::Second)
                        .ok()
                        .map(|t| t.to_string()),
                    from_cache: false,
                };
                if let Err(e) = write(&cache_path(data_dir), &fresh) {
                    tracing::warn!("notices not kept for offline: {e}");
                }
                let _guard = SENDING.lock().await;
                send_pending(data_dir, &central).await;
                return Ok(fresh);
            }
            Err(e) => tracing::info!("notices: central did not answer, the last kept: {e}"),
        }
    }
    Ok(cached(data_dir))
}

/// The last answer kept (none: empty), marked as such, without the notices that ended since.
pub fn cached(data_dir: &Path) -> Notices {
    let mut kept = match read::<Notices>(&cache_path(data_dir)) {
        Ok(n) => n.unwrap_or_default(),
        Err(e) => {
            tracing::warn!("notices kept cannot be read: {e}");
            Notices::default()
        }
    };
    let now = jiff::Timestamp::now();
    kept.notices.retain(|n| {
        n.until
            .as_deref()
            .and_then(|u| u.parse::<jiff::Timestamp>().ok())
            .is_none_or(|until| until > now)
    });
    kept.from_cache = true;
    kept
}

/// One count waiting for central.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PendingCount {
    topic: String,
    how: ResolvedHow,
    count: u32,
}

/// One sender of counts at a time (a double click, the notices' refresh): a count is sent once.
static SENDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Counts a "resolveu" for `topic`: on disk first, then sent with any others waiting. Answers
/// whether central has them all now (false: they wait for the next success).
pub async fn report_resolved(
    data_dir: &Path,
    topic: &str,
    how: ResolvedHow,
) -> Result<bool, AppError> {
    if !chamado_wire::is_topic_id(topic) {
        return Err(AppError {
            field: Some("topic".into()),
            ..AppError::new(ErrorCode::Invalid, format!("`{topic}` is not a topic id"))
        });
    }
    let _guard = SENDING.lock().await;
    let path = pending_path(data_dir);
    let mut pending: Vec<PendingCount> = read(&path)?.unwrap_or_default();
    match pending
        .iter_mut()
        .find(|p| p.topic == topic && p.how == how)
    {
        Some(p) => p.count += 1,
        None => pending.push(PendingCount {
            topic: topic.to_owned(),
            how,
            count: 1,
        }),
    }
    write(&path, &pending)?;
    let Some(central) = crate::enrol::central(data_dir)? else {
        return Ok(false);
    };
    Ok(send_pending(data_dir, &central).await)
}

/// Sends the counts waiting, each written down as it arrives (a crash re-sends at most one).
/// Answers whether none is left. The caller holds `SENDING`.
async fn send_pending(data_dir: &Path, central: &chamado_client::Central) -> bool {
    let path = pending_path(data_dir);
    let mut pending: Vec<PendingCount> = match read(&path) {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => {
            tracing::warn!("resolved counts waiting cannot be read: {e}");
            return false;
        }
    };
    let mut all = true;
    while !pending.is_empty() {
        if pending[0].count == 0 {
            pending.remove(0);
            continue;
        }
        let one = Resolved {
            topic: pending[0].topic.clone(),
            how: pending[0].how,
        };
        match central.resolved(&one).await {
            Ok(()) => pending[0].count -= 1,
            Err(SendError::Refused { message, .. }) => {
                // Never counted however often sent (an id central refuses): not kept.
                tracing::warn!(topic = %one.topic, "resolved count refused by central: {message}");
                pending[0].count = 0;
            }
            Err(e) => {
                tracing::info!("resolved counts wait for central: {e}");
                all = false;
                break;
            }
        }
        if let Err(e) = write(&path, &pending) {
            tracing::warn!("resolved counts: {e}");
        }
    }
    if let Err(e) = write(&path, &pending) {
        tracing::warn!("resolved counts: {e}");
        return false;
    }
    all
}
