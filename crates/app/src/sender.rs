//! The one sender, for the window and the command line: delivers what is due with the outbox's
//! backoff (Retry-After included), tries every queued entry at once when the network comes back
//! or the user says "send now", enrols first with the installer's code, and reports each entry's
//! state and bytes sent. Idle, it sleeps until the next due time, a network event or a poke:
//! nothing polls. It delivers only while holding the data folder's sender lock, so the window
//! and a terminal never send at once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chamado_client::{Central, Entry, EntryState, Outbox, OutboxError, SenderLock};
use tokio::sync::Notify;

use crate::delivery::{Delivery, DeliveryEvent, EntryKind};
use crate::error::{AppError, ErrorCode};
use crate::profile::InstallerCode;

/// Where events go: the UI's channel in the window, the terminal or a collector in tests.
type Sink = Arc<dyn Fn(DeliveryEvent) + Send + Sync>;

/// Network events come in bursts (link, address, route) and the address may take a moment
/// (DHCP); one pass after they settle.
const SETTLE: Duration = Duration::from_secs(2);
/// How often progress is reported while files go out.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);
/// After a failure of the data folder or of enrolment with central down.
const AGAIN_IN: Duration = Duration::from_secs(60);

pub struct Sender {
    data_dir: PathBuf,
    /// Not enrolled yet: the sender enrols with this first.
    installer_code: Option<InstallerCode>,
    wake: Notify,
    /// Try every queued entry now, whatever its backoff (the network came back, "send now").
    everything: AtomicBool,
    events: Mutex<Option<Sink>>,
}

impl Sender {
    pub fn new(data_dir: PathBuf, installer_code: Option<InstallerCode>) -> Arc<Sender> {
        Arc::new(Sender {
            data_dir,
            installer_code,
            wake: Notify::new(),
            everything: AtomicBool::new(false),
            events: Mutex::new(None),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Wakes the sender when the OS says the network may be back.
    pub fn watch_network(self: &Arc<Self>) {
        let me = self.clone();
        if let Err(e) = crate::netwatch::watch_network(Box::new(move || me.network_changed())) {
            tracing::warn!("network changes will not wake the sender: {e}");
        }
    }

    /// Where events go from now on (a reload of the page replaces the UI's channel).
    pub fn subscribe(&self, sink: impl Fn(DeliveryEvent) + Send + Sync + 'static) {
        *self.events.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(sink));
    }

    /// Something changed (an entry queued or sent again, the Fila opened): look again.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    pub fn network_changed(&self) {
        tracing::debug!("network changed: the sender wakes");
        self.everything.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    fn emit(&self, entry: &Entry, delivery: Delivery) {
        let sink = self
            .events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(sink) = sink {
            sink(DeliveryEvent {
                id: entry.id.clone(),
                kind: EntryKind::of(entry),
                delivery,
            });
        }
    }

    /// The sender's life in the window: a pass, then sleep until the next due time or a wake;
    /// never returns.
    pub async fn run(self: Arc<Self>) {
        loop {
            let wait = match self.pass().await {
                Ok(next) => next,
                Err(e) => {
                    tracing::warn!("sender: {e}; again in a minute");
                    Some(AGAIN_IN)
                }
            };
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
            if self.everything.load(Ordering::SeqCst) {
                tokio::time::sleep(SETTLE).await;
            }
        }
    }

    /// `chamado outbox send`: every queued entry now, then (`wait`) each retry as it falls due
    /// until nothing is left (refused entries wait for the user).
    pub async fn drain(&self, wait: bool) -> Result<(), AppError> {
        self.everything.store(true, Ordering::SeqCst);
        while let Some(d) = self.pass().await? {
            if !wait {
                break;
            }
            tokio::time::sleep(d).await;
        }
        Ok(())
    }

    /// Delivers what is due (everything queued after a wake for it); answers how long until the
    /// next queued entry falls due (`None`: nothing queued, sleep until woken).
    pub async fn pass(&self) -> Result<Option<Duration>, AppError> {
        let outbox = Outbox::open(&self.data_dir)?;
        let Some(central) = crate::enrol::central(&self.data_dir)? else {
            return self.enrol_first().await;
        };
        let _lock = lock(&self.data_dir).await?;
        let everything = self.everything.swap(false, Ordering::SeqCst);
        for entry in outbox.list()? {
            let now = jiff::Timestamp::now();
            if entry.is_due(now) || (everything && entry.state == EntryState::Queued) {
                self.attempt(&outbox, &central, &entry).await?;
            }
        }
        let now = jiff::Timestamp::now();
        Ok(outbox
            .list()?
            .iter()
            .filter(|e| e.state == EntryState::Queued)
            .map(|e| {
                let at = e.next_attempt().unwrap_or(now);
                Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO)
            })
            .min())
    }

    /// Not enrolled: with the installer's code, enrol first (central down: again in a minute;
    /// the code refused: the user enrols by hand). Without one nothing is tried (the Fila says
    /// so); enrolling by hand pokes the sender.
    async fn enrol_first(&self) -> Result<Option<Duration>, AppError> {
        let Some(code) = &self.installer_code else {
            return Ok(None);
        };
        match crate::enrol::enrol(&self.data_dir, &code.central, &code.code).await {
            Ok(()) => Ok(Some(Duration::ZERO)),
            Err(e) if e.code == ErrorCode::Offline => Ok(Some(AGAIN_IN)),
            Err(e) if e.code == ErrorCode::CodeRefused => {
                tracing::warn!("the installer's enrolment code was refused: {e}");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// `chamado send` and friends: this entry now, waiting for the window's sender if it is
    /// delivering. `None`: it was gone meanwhile (the window sent it).
    pub async fn deliver_now(&self, id: &str) -> Result<Option<Delivery>, AppError> {
        let outbox = Outbox::open(&self.data_dir)?;
        let central = crate::enrol::central(&self.data_dir)?;
        let _lock = lock(&self.data_dir).await?;
        let entry = match outbox.get(id) {
            Ok(e) => e,
            Err(OutboxError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        // Not enrolled: an unusable central, so the entry is kept as refused for enrolment.
        let central = match central {
            Some(c) => c,
            None => Central::new("http://127.0.0.1:1", None)
                .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?,
        };
        self.attempt(&outbox, &central, &entry).await
    }

    async fn attempt(
        &self,
        outbox: &Outbox,
        central: &Central,
        entry: &Entry,
    ) -> Result<Option<Delivery>, AppError> {
        let total = outbox.upload_bytes(entry);
        let sent = Arc::new(AtomicU64::new(0));
        self.emit(entry, Delivery::Sending { sent: 0, total });
        let attempt = outbox.deliver(&entry.id, central, sent.clone());
        tokio::pin!(attempt);
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
        let result = loop {
            tokio::select! {
                r = &mut attempt => break r,
                _ = tick.tick() => self.emit(entry, Delivery::Sending {
                    sent: sent.load(Ordering::Relaxed).min(total),
                    total,
                }),
            }
        };
        match result {
            Ok(a) => {
                let delivery = Delivery::after(&a, outbox.get(&entry.id).ok());
                tracing::info!(id = %entry.id, outcome = delivery.outcome(), "delivery attempt");
                self.emit(entry, delivery.clone());
                Ok(Some(delivery))
            }
            // Deleted by the user meanwhile: nothing to say.
            Err(OutboxError::NotFound(_)) => Ok(None),
            Err(e) => {
                self.emit(entry, Delivery::of(entry));
                Err(e.into())
            }
        }
    }
}

/// The data folder's sender lock; while another sender holds it, waits on a blocking thread.
async fn lock(data_dir: &Path) -> Result<SenderLock, AppError> {
    let outbox = Outbox::open(data_dir)?;
    if let Some(l) = outbox.try_sender_lock()? {
        return Ok(l);
    }
    tracing::info!("another sender is delivering: waiting for it");
    tokio::task::spawn_blocking(move || outbox.sender_lock())
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
        .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chamado_client::{Contact, NewTicket};

    fn queue(home: &Path) -> String {
        let ticket = NewTicket {
            topic: "erro".into(),
            summary: "Sistema lento".into(),
            description: "Cada venda leva um minuto.".into(),
            contact: Contact {
                name: "Ana".into(),
                email: "ana@cliente.com.br".into(),
                phone: None,
            },
            ..NewTicket::default()
        };
        Outbox::open(home)
            .unwrap()
            .enqueue(ticket, None)
            .unwrap()
            .id
    }

    /// Without enrolment nothing is tried in the background (the Fila asks for the code), and a
    /// ticket sent now is kept as refused for want of it, said as a code, with its progress
    /// events first. Runs on Windows too (under Wine in CI), with no central.
    #[tokio::test]
    async fn not_enrolled_nothing_goes_and_a_ticket_sent_now_is_kept_for_enrolment() {
        let tmp = tempfile::tempdir().unwrap();
        let id = queue(tmp.path());
        let sender = Sender::new(tmp.path().to_owned(), None);
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        sender.subscribe(move |e| sink.lock().unwrap().push(e));
        assert_eq!(sender.pass().await.unwrap(), None, "asleep until woken");
        assert!(events.lock().unwrap().is_empty());

        let got = sender.deliver_now(&id).await.unwrap();
        assert!(
            matches!(
                got,
                Some(Delivery::Refused {
                    code: crate::delivery::RefusedCode::NotEnrolled,
                    ..
                })
            ),
            "{got:?}"
        );
        let events = events.lock().unwrap().clone();
        assert!(matches!(
            events[0].delivery,
            Delivery::Sending { sent: 0, .. }
        ));
        assert_eq!(events.last().unwrap().delivery, got.unwrap());
        assert!(events
            .iter()
            .all(|e| e.id == id && e.kind == EntryKind::Ticket));
        let kept = Outbox::open(tmp.path()).unwrap().list().unwrap();
        assert_eq!(kept.len(), 1, "kept, not lost");
        assert_eq!(
            sender.deliver_now("20260101-000000-gone00").await.unwrap(),
            None
        );
    }
}
