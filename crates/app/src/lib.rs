//! Chamado's application core: every use case once, Tauri-free. The window's commands
//! (`src-tauri`) and the command line (`chamado-cli`) are each one line over this crate: resolve
//! the profile, collect and compose a bundle, queue and send (one sender: scheduler, backoff,
//! network wake-ups), the history and its refresh, enrolment, drafts, the screenshot store.
//! It prints nothing; front ends word what it answers (codes, never texts, cross into the UI).

pub mod attachments;
pub mod checks;
pub mod collect;
pub mod delivery;
pub mod drafts;
pub mod enrol;
pub mod error;
pub mod history;
mod netwatch;
pub mod notices;
pub mod paths;
pub mod profile;
pub mod program;
pub mod receipt;
pub mod remote;
pub mod review;
pub mod screens;
pub mod sender;
pub mod ticket;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chamado_client::{Outbox, Sent};
use chamado_profile::{Profile, ProfileError};

pub use delivery::{Delivery, DeliveryEvent, EntryKind, Queue, QueueItem};
pub use error::{AppError, ErrorCode};
pub use profile::{ProfileView, Startup};
pub use sender::Sender;

/// The window's application: the profile resolved once, the data folder, the sender, drafts
/// and screenshots. Each window command is one call on it.
pub struct App {
    data_dir: PathBuf,
    profile: Result<Profile, ProfileError>,
    startup: Startup,
    sender: Arc<Sender>,
    drafts: drafts::Drafts,
    tickets: ticket::TicketStore,
    pub screens: screens::Screens,
    reviews: review::Reviews,
    /// The last checks run's report, for the ticket on its topic while it is recent.
    last_checks: std::sync::Mutex<Option<checks::LastRun>>,
    /// Checks runs started: a run that ends after a newer one is not kept.
    check_runs: std::sync::atomic::AtomicU32,
}

impl App {
    /// `profile_arg` is `--profile`'s file; `data_dir` the data folder the command line chose.
    pub fn new(profile_arg: Option<&Path>, data_dir: PathBuf) -> App {
        let (source, profile) = profile::resolve(profile_arg);
        match &profile {
            Ok(p) => tracing::info!(?source, topics = p.topics.len(), "profile loaded"),
            Err(e) => tracing::warn!(?source, problems = e.problems.len(), "profile unusable"),
        }
        let startup = Startup::of(source, &profile);
        let installer_code = profile.as_ref().ok().and_then(profile::InstallerCode::of);
        App {
            sender: Sender::new(data_dir.clone(), installer_code),
            drafts: drafts::Drafts::new(&data_dir),
            tickets: ticket::TicketStore::new(&data_dir),
            screens: screens::Screens::new(chamado_capture::ShotStore::open(
                data_dir.join("draft").join("screens"),
            )),
            reviews: review::Reviews::default(),
            startup,
            profile,
            data_dir,
            last_checks: std::sync::Mutex::new(None),
            check_runs: std::sync::atomic::AtomicU32::new(0),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn startup(&self) -> Startup {
        self.startup.clone()
    }

    /// The window's title: the vendor's name when the profile is usable.
    pub fn title(&self) -> String {
        match &self.profile {
            Ok(p) => format!("Chamado — {}", p.vendor.name),
            Err(_) => "Chamado".to_owned(),
        }
    }

    pub fn sender(&self) -> &Arc<Sender> {
        &self.sender
    }

    fn profile(&self) -> Result<&Profile, AppError> {
        self.profile
            .as_ref()
            .map_err(|_| ErrorCode::NoProfile.into())
    }

    fn outbox(&self) -> Result<Outbox, AppError> {
        Ok(Outbox::open(&self.data_dir)?)
    }

    /// Opens a guide's page in the browser. The UI names the guide, not the URL, so it can open
    /// nothing but the vendor's own guides.
    pub fn open_guide(&self, topic: &str, index: usize) -> Result<(), AppError> {
        let url = self
            .profile()?
            .topics
            .iter()
            .find(|t| t.id == topic)
            .and_then(|t| t.guides.get(index))
            .and_then(|g| g.url.as_deref())
            .ok_or(ErrorCode::NoSuchGuide)?;
        open_link(url)
    }

    /// The Fila, read from disk (entries the command line queued too). Reading it also wakes the
    /// sender, which may be asleep until a later due time.
    pub fn queue(&self) -> Result<Queue, AppError> {
        let queue = Queue::read(&self.outbox()?, enrol::central(&self.data_dir)?.is_some())?;
        self.sender.poke();
        Ok(queue)
    }

    /// "Enviar agora": the entry is due at once (a refused one is tried again).
    pub fn send_now(&self, id: &str) -> Result<(), AppError> {
        let outbox = self.outbox()?;
        // Not while a sender writes the same files; it will be done in a moment.
        let _lock = outbox.try_sender_lock()?.ok_or(ErrorCode::Busy)?;
        outbox.requeue(id)?;
        self.sender.poke();
        Ok(())
    }

    /// "Excluir", after the user confirmed.
    pub fn delete(&self, id: &str) -> Result<(), AppError> {
        let outbox = self.outbox()?;
        let _lock = outbox.try_sender_lock()?.ok_or(ErrorCode::Busy)?;
        outbox.delete(id)?;
        tracing::info!(%id, "queued entry deleted by the user");
        Ok(())
    }

    /// Meus chamados as last known, newest first.
    pub fn history(&self) -> Result<Vec<Sent>, AppError> {
        Ok(self.outbox()?.history()?)
    }

    /// Meus chamados with each ticket's status read again from central.
    pub async fn refresh_history(&self) -> Result<Vec<Sent>, AppError> {
        Ok(history::refresh(&self.data_dir, None).await?.tickets)
    }

    /// The user saw a sent ticket's replies up to `reply` (an id): they are no longer new.
    pub fn mark_replies_seen(&self, reference: &str, reply: i64) -> Result<(), AppError> {
        history::mark_seen(&self.data_dir, reference, reply)
    }

    /// Text the user adds to a sent ticket: queued like a ticket, on disk before any network I/O;
    /// its draft goes. Answers the Fila entry's id.
    pub fn add_information(&self, reference: &str, text: &str) -> Result<String, AppError> {
        if text.trim().is_empty() {
            return Err(ErrorCode::EmptyMessage.into());
        }
        let outbox = self.outbox()?;
        let sent = history::find(&outbox, reference)?.ok_or(ErrorCode::NoSuchTicket)?;
        let entry =
            outbox.enqueue_message(sent.reference, sent.number, text.to_owned(), &[], None)?;
        tracing::info!(id = %entry.id, "information queued for a sent ticket");
        if let Err(e) = self.drafts.save_information(reference, "") {
            tracing::warn!("draft not removed: {e}");
        }
        self.sender.poke();
        Ok(entry.id)
    }

    pub fn information_draft(&self, reference: &str) -> Result<String, AppError> {
        self.drafts.information(reference)
    }

    pub fn save_information_draft(&self, reference: &str, text: &str) -> Result<(), AppError> {
        self.drafts.save_information(reference, text)
    }

    /// Opens a sent ticket's follow link in the browser. The UI names the ticket, not the URL.
    pub fn open_ticket_link(&self, reference: &str) -> Result<(), AppError> {
        let link = history::find(&self.outbox()?, reference)?
            .and_then(|s| s.link)
            .ok_or(ErrorCode::NoLink)?;
        open_link(&link)
    }

    /// Saves the receipt of a sent ticket (HTML, in the user's language) in their Documents
    /// folder and answers its path.
    pub fn save_receipt(
        &self,
        reference: &str,
        lang: chamado_profile::Lang,
    ) -> Result<String, AppError> {
        let sent = history::find(&self.outbox()?, reference)?.ok_or(ErrorCode::NoSuchTicket)?;
        let dir = dirs::document_dir()
            .or_else(dirs::home_dir)
            .ok_or_else(|| AppError::new(ErrorCode::Storage, "no Documents folder"))?;
        let email = self.tickets.person()?.map(|p| p.email);
        let path = receipt::save(&dir, self.profile()?, &sent, email.as_deref(), lang)?;
        tracing::info!("receipt saved");
        Ok(path.to_string_lossy().into_owned())
    }

    /// Opens a saved receipt in the browser: only the file `save_receipt` writes for the ticket.
    pub fn open_receipt(
        &self,
        reference: &str,
        lang: chamado_profile::Lang,
    ) -> Result<(), AppError> {
        let path = self.save_receipt(reference, lang)?;
        open::that_detached(&path).map_err(|e| {
            tracing::warn!("opening the receipt failed: {e}");
            AppError::new(ErrorCode::BrowserUnavailable, e.to_string())
        })
    }

    /// Who the customer is, as last told (`None` the first time).
    pub fn person(&self) -> Result<Option<ticket::Person>, AppError> {
        self.tickets.person()
    }

    pub fn save_person(&self, person: &ticket::Person) -> Result<(), AppError> {
        self.tickets.save_person(person)
    }

    /// The ticket the customer was writing, if any (offered to continue).
    pub fn ticket_draft(&self) -> Result<Option<ticket::TicketDraft>, AppError> {
        self.tickets.draft()
    }

    /// The attachments stay as Rust keeps them, whatever list the UI sends.
    pub fn save_ticket_draft(&self, draft: &ticket::TicketDraft) -> Result<(), AppError> {
        let draft = attachments::with_stored(draft.clone(), self.tickets.draft()?);
        self.tickets.save_draft(&draft)
    }

    /// "Começar de novo" or "resolveu": the draft and its screenshots go.
    pub async fn discard_ticket_draft(&self) -> Result<(), AppError> {
        self.tickets.discard_draft()?;
        self.screens.clear().await
    }

    fn topic(&self, id: &str) -> Result<&chamado_profile::Topic, AppError> {
        self.profile()?
            .topics
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| AppError {
                field: Some("topic".into()),
                ..AppError::new(
                    ErrorCode::Invalid,
                    format!("no topic `{id}` in the profile"),
                )
            })
    }

    /// "Vamos verificar as causas mais comuns": the topic's checks and the whole collection,
    /// `sink` hearing each result as it is known; the report is kept for the ticket.
    pub async fn run_checks(
        &self,
        topic: &str,
        sink: impl Fn(checks::CheckEvent) + Sync,
    ) -> Result<(), AppError> {
        use std::sync::atomic::Ordering;
        let profile = self.profile()?;
        let t = self.topic(topic)?;
        let run = self.check_runs.fetch_add(1, Ordering::SeqCst) + 1;
        let done = checks::run(profile, t, &self.data_dir, run, &sink).await;
        if let Some(e) = &done.collected.snapshot_problem {
            tracing::warn!("\"what changed\" not kept for next time: {e}");
        }
        if self.check_runs.load(Ordering::SeqCst) == run {
            if let Ok(mut last) = self.last_checks.lock() {
                *last = Some(checks::LastRun {
                    topic: topic.to_owned(),
                    at: std::time::Instant::now(),
                    report: done.collected.report,
                });
            }
        }
        Ok(())
    }

    /// The last checks run's report for `topic`, while it is recent.
    pub(crate) fn recent_checks(&self, topic: &str) -> Option<chamado_diagnostics::report::Report> {
        let last = self.last_checks.lock().ok()?;
        last.as_ref()
            .filter(|l| l.fresh_for(topic))
            .map(|l| l.report.clone())
    }

    /// "Agora está funcionando": this computer's state (the last checks run's, or collected now)
    /// becomes the reference for "what changed". The UI then discards the draft.
    pub async fn checks_work(&self, topic: &str) -> Result<(), AppError> {
        let profile = self.profile()?;
        self.topic(topic)?;
        let kept = match self.recent_checks(topic) {
            Some(report) => collect::mark_working(&report, profile, &self.data_dir).err(),
            None => {
                collect::collect(
                    profile,
                    &self.data_dir,
                    &chamado_diagnostics::report::Options::default(),
                    true,
                    &|_| {},
                )
                .await
                .snapshot_problem
            }
        };
        if let Ok(mut last) = self.last_checks.lock() {
            *last = None;
        }
        match kept {
            None => Ok(()),
            Some(e) => Err(AppError::new(ErrorCode::Storage, e.to_string())),
        }
    }

    /// The ticket written in the window: checked, its bundle as the customer reviewed it (or,
    /// with no review of this ticket, collected and composed now with its screenshots, personal
    /// data replaced; over the budget it is refused unless the customer said to send it), queued
    /// on disk, the sender woken; the draft and its screenshots go. Answers the outbox entry's id.
    pub async fn submit_ticket(&self, draft: &ticket::TicketDraft) -> Result<String, AppError> {
        let path = self.data_dir.join("drafts").join("pacote.zip");
        let new_ticket = self.reviewed_ticket(draft, &path).await?;
        let queued = ticket::queue(&self.data_dir, new_ticket, Some(&path));
        let _ = std::fs::remove_file(&path);
        let id = queued?;
        self.review_done();
        if let Ok(mut last) = self.last_checks.lock() {
            *last = None;
        }
        if let Err(e) = self.discard_ticket_draft().await {
            tracing::warn!("the sent ticket's draft stays: {e}");
        }
        self.sender.poke();
        Ok(id)
    }

    /// The vendor's notices and latest version: central's now, or the last answer kept.
    pub async fn notices(&self) -> Result<notices::Notices, AppError> {
        notices::fetch(&self.data_dir).await
    }

    /// "Isso resolveu? Sim": counted on central (kept on disk until it has it); whether central
    /// has every count now.
    pub async fn report_resolved(
        &self,
        topic: &str,
        how: chamado_wire::ResolvedHow,
    ) -> Result<bool, AppError> {
        notices::report_resolved(&self.data_dir, topic, how).await
    }

    /// The vendor's program here (installed version, running copies) beside the latest one.
    pub async fn program_version(&self) -> Result<program::ProgramVersion, AppError> {
        program::detect(self.profile()?, &self.data_dir).await
    }

    /// The enrolment code the user typed, exchanged at the profile's central; what was kept for
    /// want of it goes at once.
    pub async fn enrol(&self, code: &str) -> Result<(), AppError> {
        let central = profile::central_url(self.profile()?).ok_or(ErrorCode::NoCentral)?;
        enrol::enrol(&self.data_dir, central, code).await?;
        self.sender.poke();
        Ok(())
    }
}

/// Opens `url` in the user's browser: only http and https (a link from central or a profile is
/// never run as a program or a file).
pub fn open_link(url: &str) -> Result<(), AppError> {
    if !chamado_client::web_link(url) {
        tracing::warn!("not an http(s) link; not opened");
        return Err(ErrorCode::NoLink.into());
    }
    open::that_detached(url).map_err(|e| {
        tracing::warn!("opening the browser failed: {e}");
        AppError::new(ErrorCode::BrowserUnavailable, e.to_string())
    })
}
