//! The window's background sender: resumes the outbox at start, retries what is due with the
//! outbox's backoff (Retry-After included), tries again at once when the network comes back, and
//! reports each ticket's state and bytes sent to the UI. Idle, it sleeps until the next due time,
//! a network event or the user's "send now": nothing polls. It delivers only while holding the
//! data folder's sender lock, so `chamado send` in a terminal and the window never send at once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chamado_client::{
    Attempt, Central, EnrolError, Enrolment, Entry, EntryState, Outbox, OutboxError, SendError,
    SenderLock,
};
use serde::Serialize;
use tokio::sync::Notify;
use ts_rs::TS;

/// Where one queued ticket stands, as the Fila shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Delivery {
    /// Not tried yet.
    Queued,
    /// Going out now: `sent` bytes of the bundle's `total`.
    Sending {
        #[ts(type = "number")]
        sent: u64,
        #[ts(type = "number")]
        total: u64,
    },
    /// Central has it (the entry leaves the Fila for Meus chamados).
    Delivered {
        reference: String,
        number: Option<String>,
        link: Option<String>,
    },
    /// Kept until the user deletes it or sends it again. `code`: `not_enrolled`, or central's
    /// error code (`invalid`, `too_large`, ...); `reason` is central's message.
    Refused {
        status: u16,
        code: String,
        reason: String,
    },
    /// Will be tried again at `next_attempt_at` (RFC 3339), or sooner if the network comes back.
    /// `code`: `offline` (central unreachable or busy) or `bundle` (the bundle could not be read).
    Waiting {
        code: String,
        next_attempt_at: Option<String>,
        reason: String,
    },
}

/// A state change or progress of one ticket, pushed to the UI.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeliveryEvent {
    pub id: String,
    pub delivery: Delivery,
}

/// One ticket of the Fila.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueueItem {
    pub entry: Entry,
    pub delivery: Delivery,
    /// The bundle's size in bytes (0 without one).
    #[ts(type = "number")]
    pub total: u64,
}

/// The Fila: the queued tickets, and whether this installation can send at all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Queue {
    pub enrolled: bool,
    pub items: Vec<QueueItem>,
}

/// A stored entry's state: refusals kept as refused, failed attempts waiting.
pub fn delivery_of(entry: &Entry) -> Delivery {
    match &entry.state {
        EntryState::Refused { status, reason } => Delivery::Refused {
            status: *status,
            code: if *status == 401 {
                "not_enrolled"
            } else {
                "refused"
            }
            .to_owned(),
            reason: reason.clone(),
        },
        EntryState::Queued if entry.attempts == 0 => Delivery::Queued,
        EntryState::Queued => Delivery::Waiting {
            code: "offline".to_owned(),
            next_attempt_at: entry.next_attempt_at.clone(),
            reason: entry.last_error.clone().unwrap_or_default(),
        },
    }
}

fn delivery_after(attempt: &Attempt, entry: Option<Entry>) -> Delivery {
    match attempt {
        Attempt::Delivered(a) => Delivery::Delivered {
            reference: a.reference.clone(),
            number: a.number.clone(),
            link: a.link.clone(),
        },
        // Information added to a ticket: delivered; its link is the ticket's, in the history.
        Attempt::Added { reference, number } => Delivery::Delivered {
            reference: reference.clone(),
            number: number.clone(),
            link: None,
        },
        Attempt::Later(e) => Delivery::Waiting {
            code: match e {
                SendError::Bundle(_) => "bundle",
                _ => "offline",
            }
            .to_owned(),
            next_attempt_at: entry.and_then(|e| e.next_attempt_at),
            reason: e.to_string(),
        },
        Attempt::Refused(e) => match e {
            SendError::Refused {
                status,
                code,
                message,
            } => Delivery::Refused {
                status: *status,
                code: code.clone(),
                reason: message.clone(),
            },
            other => Delivery::Refused {
                status: 401,
                code: "not_enrolled".to_owned(),
                reason: other.to_string(),
            },
        },
    }
}

/// The central this installation is enrolled at, read again at every pass (`chamado enrol` may
/// run while the window is open).
pub fn central(data_dir: &Path) -> Option<Central> {
    match Enrolment::load(data_dir) {
        Ok(Some(e)) => Central::new(&e.central, Some(e.token)).ok(),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!("enrolment unreadable: {e}");
            None
        }
    }
}

/// Where events go: the UI's channel in the window, a collector in tests.
type Sink = Arc<dyn Fn(DeliveryEvent) + Send + Sync>;

/// The enrolment code the installer wrote into the profile, and the central it is for.
#[derive(Debug, Clone)]
pub struct InstallerCode {
    pub central: String,
    pub code: String,
}

impl InstallerCode {
    /// The profile's code, when it has one and the central's address.
    pub fn of(central: &chamado_profile::Central) -> Option<InstallerCode> {
        let code = central.enrolment_code.as_ref()?.trim();
        (!code.is_empty() && !central.url.is_empty()).then(|| InstallerCode {
            central: central.url.clone(),
            code: code.to_owned(),
        })
    }
}

pub struct Sender {
    data_dir: PathBuf,
    /// Not enrolled yet: the sender enrols with this first.
    installer_code: Option<InstallerCode>,
    wake: Notify,
    /// The network came back: try every queued ticket now, whatever its backoff.
    network: AtomicBool,
    events: Mutex<Option<Sink>>,
}

/// Network events come in bursts (link, address, route) and the address may take a moment
/// (DHCP); one pass after they settle.
const SETTLE: Duration = Duration::from_secs(2);
/// How often the bar moves while a bundle goes out.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

impl Sender {
    pub fn new(data_dir: PathBuf, installer_code: Option<InstallerCode>) -> Arc<Sender> {
        Arc::new(Sender {
            data_dir,
            installer_code,
            wake: Notify::new(),
            network: AtomicBool::new(false),
            events: Mutex::new(None),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Starts the sender task and the OS's network watcher.
    pub fn start(self: &Arc<Self>) {
        let me = self.clone();
        if let Err(e) = crate::platform::watch_network(Box::new(move || me.network_changed())) {
            tracing::warn!("network changes will not wake the sender: {e}");
        }
        tauri::async_runtime::spawn(self.clone().run());
    }

    /// Where events go from now on (a reload of the page replaces the UI's channel).
    pub fn subscribe(&self, sink: impl Fn(DeliveryEvent) + Send + Sync + 'static) {
        *self.events.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(sink));
    }

    /// Something changed (a ticket queued or sent again, the Fila opened): look again.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    pub fn network_changed(&self) {
        tracing::debug!("network changed: the sender wakes");
        self.network.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    fn emit(&self, id: &str, delivery: Delivery) {
        let sink = self
            .events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(sink) = sink {
            sink(DeliveryEvent {
                id: id.to_owned(),
                delivery,
            });
        }
    }

    /// The sender's life: a pass, then sleep until the next due time or a wake; never returns.
    pub async fn run(self: Arc<Self>) {
        loop {
            let next = self.pass().await;
            let wait = next.map(|t| {
                let left = t.duration_since(jiff::Timestamp::now());
                Duration::try_from(left).unwrap_or(Duration::ZERO)
            });
            tracing::debug!(?wait, "sender idle");
            match wait {
                Some(d) => {
                    tokio::select! {
                        () = tokio::time::sleep(d) => {}
                        () = self.wake.notified() => {}
                    }
                }
                None => self.wake.notified().await,
            }
            if self.network.load(Ordering::SeqCst) {
                tokio::time::sleep(SETTLE).await;
            }
        }
    }

    /// Delivers what is due; answers when the next queued ticket falls due (`None`: nothing
    /// queued, sleep until woken).
    async fn pass(&self) -> Option<jiff::Timestamp> {
        let retry_later = || Some(jiff::Timestamp::now() + jiff::SignedDuration::from_mins(1));
        let outbox = match Outbox::open(&self.data_dir) {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!("outbox unavailable: {e}");
                return retry_later();
            }
        };
        let Some(central) = central(&self.data_dir) else {
            // Not enrolled: with the installer's code, enrol first (central down: again in a
            // minute; the code refused: the user enrols by hand). Without one nothing is tried
            // (the Fila says so); `chamado enrol` pokes the sender through the Fila.
            let code = self.installer_code.as_ref()?;
            return match Enrolment::enrol(&self.data_dir, &code.central, &code.code).await {
                Ok(_) => {
                    tracing::info!("enrolled with the installer's code");
                    Some(jiff::Timestamp::now())
                }
                Err(EnrolError::Central(
                    e @ (SendError::Refused { .. } | SendError::Unauthorized),
                )) => {
                    tracing::warn!("the installer's enrolment code was refused: {e}");
                    None
                }
                Err(e) => {
                    tracing::warn!("enrolment failed, again in a minute: {e}");
                    retry_later()
                }
            };
        };
        let _lock = match lock(&self.data_dir).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("sender lock unavailable: {e}");
                return retry_later();
            }
        };
        let network = self.network.swap(false, Ordering::SeqCst);
        let entries = match outbox.list() {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!("outbox unreadable: {e}");
                return retry_later();
            }
        };
        for entry in entries {
            let now = jiff::Timestamp::now();
            let due = entry.is_due(now) || (network && entry.state == EntryState::Queued);
            if due {
                self.deliver(&outbox, &central, &entry).await;
            }
        }
        match outbox.list() {
            Ok(entries) => entries
                .iter()
                .filter(|e| e.state == EntryState::Queued)
                .map(|e| e.next_attempt().unwrap_or_else(jiff::Timestamp::now))
                .min(),
            Err(_) => retry_later(),
        }
    }

    async fn deliver(&self, outbox: &Outbox, central: &Central, entry: &Entry) {
        let total = bundle_size(outbox, entry);
        let sent = Arc::new(AtomicU64::new(0));
        self.emit(&entry.id, Delivery::Sending { sent: 0, total });
        let attempt = outbox.deliver(&entry.id, central, sent.clone());
        tokio::pin!(attempt);
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
        let result = loop {
            tokio::select! {
                r = &mut attempt => break r,
                _ = tick.tick() => self.emit(&entry.id, Delivery::Sending {
                    sent: sent.load(Ordering::Relaxed).min(total),
                    total,
                }),
            }
        };
        match result {
            Ok(a) => {
                tracing::info!(id = %entry.id, outcome = outcome(&a), "delivery attempt");
                let delivery = delivery_after(&a, outbox.get(&entry.id).ok());
                self.emit(&entry.id, delivery);
            }
            // Deleted by the user meanwhile: nothing to say.
            Err(OutboxError::NotFound(_)) => {}
            Err(e) => {
                tracing::warn!(id = %entry.id, "outbox write failed: {e}");
                self.emit(&entry.id, delivery_of(entry));
            }
        }
    }
}

fn outcome(a: &Attempt) -> &'static str {
    match a {
        Attempt::Delivered(_) | Attempt::Added { .. } => "delivered",
        Attempt::Later(_) => "later",
        Attempt::Refused(_) => "refused",
    }
}

pub fn bundle_size(outbox: &Outbox, entry: &Entry) -> u64 {
    outbox
        .bundle_path(entry)
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len())
}

/// The data folder's sender lock; while `chamado send` holds it, waits on a blocking thread.
async fn lock(data_dir: &Path) -> Result<SenderLock, OutboxError> {
    let outbox = Outbox::open(data_dir)?;
    if let Some(l) = outbox.try_sender_lock()? {
        return Ok(l);
    }
    tracing::info!("another sender (the command line) is delivering: waiting for it");
    tokio::task::spawn_blocking(move || outbox.sender_lock())
        .await
        .unwrap_or_else(|e| {
            Err(OutboxError::Storage {
                path: PathBuf::new(),
                source: std::io::Error::other(e),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_client::TicketAnswer;

    fn entry(state: EntryState, attempts: u32) -> Entry {
        Entry {
            id: "20260101-000000-abcdef".into(),
            idempotency_key: "k".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            payload: chamado_client::Payload::Ticket(Default::default()),
            has_bundle: false,
            state,
            attempts,
            next_attempt_at: Some("2026-01-01T00:05:00Z".into()),
            last_error: Some("connection refused".into()),
        }
    }

    #[test]
    fn stored_states_map_to_what_the_fila_shows() {
        assert_eq!(delivery_of(&entry(EntryState::Queued, 0)), Delivery::Queued);
        assert_eq!(
            delivery_of(&entry(EntryState::Queued, 2)),
            Delivery::Waiting {
                code: "offline".into(),
                next_attempt_at: Some("2026-01-01T00:05:00Z".into()),
                reason: "connection refused".into(),
            }
        );
        let not_enrolled = EntryState::Refused {
            status: 401,
            reason: "x".into(),
        };
        assert!(matches!(
            delivery_of(&entry(not_enrolled, 1)),
            Delivery::Refused { code, .. } if code == "not_enrolled"
        ));
    }

    #[test]
    fn attempts_map_to_codes_not_texts() {
        let refused = Attempt::Refused(SendError::Refused {
            status: 400,
            code: "invalid".into(),
            message: "ticket.contact.email: not an e-mail".into(),
        });
        assert_eq!(
            delivery_after(&refused, None),
            Delivery::Refused {
                status: 400,
                code: "invalid".into(),
                reason: "ticket.contact.email: not an e-mail".into(),
            }
        );
        let unauthorized = Attempt::Refused(SendError::Unauthorized);
        assert!(matches!(
            delivery_after(&unauthorized, None),
            Delivery::Refused { status: 401, code, .. } if code == "not_enrolled"
        ));
        let later = Attempt::Later(SendError::Bundle("gone".into()));
        assert!(matches!(
            delivery_after(&later, Some(entry(EntryState::Queued, 1))),
            Delivery::Waiting { code, next_attempt_at: Some(_), .. } if code == "bundle"
        ));
        let delivered = Attempt::Delivered(TicketAnswer {
            reference: "R-1".into(),
            number: Some("123456".into()),
            link: Some("https://central/t/1".into()),
            status: "open".into(),
        });
        assert!(matches!(
            delivery_after(&delivered, None),
            Delivery::Delivered { number: Some(n), .. } if n == "123456"
        ));
    }
}
