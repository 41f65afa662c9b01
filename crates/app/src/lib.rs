//! Chamado's application core: every use case once, Tauri-free. The window's commands
//! (`src-tauri`) and the command line (`chamado-cli`) are each one line over this crate: resolve
//! the profile, collect and compose a bundle, queue and send (one sender: scheduler, backoff,
//! network wake-ups), the history and its refresh, enrolment, drafts, the screenshot store.
//! It prints nothing; front ends word what it answers (codes, never texts, cross into the UI).

pub mod checks;
pub mod collect;
pub mod delivery;
pub mod drafts;
pub mod enrol;
pub mod error;
pub mod history;
mod netwatch;
pub mod paths;
pub mod profile;
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
        let outbox = self.outbox()?;
        let items = outbox
            .list()?
            .into_iter()
            .map(|entry| QueueItem::of(&outbox, entry))
            .collect();
        self.sender.poke();
        Ok(Queue {
            enrolled: enrol::central(&self.data_dir)?.is_some(),
            items,
        })
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

    pub fn save_ticket_draft(&self, draft: &ticket::TicketDraft) -> Result<(), AppError> {
        self.tickets.save_draft(draft)
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
    fn recent_checks(&self, topic: &str) -> Option<chamado_diagnostics::report::Report> {
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

    /// The ticket written in the window: checked, diagnostics collected and composed into the
    /// bundle with its screenshots (personal data replaced), queued on disk, the sender woken;
    /// the draft and its screenshots go. Answers the outbox entry's id.
    pub async fn submit_ticket(&self, draft: &ticket::TicketDraft) -> Result<String, AppError> {
        let profile = self.profile()?;
        let person = self.tickets.person()?.ok_or_else(|| AppError {
            field: Some("person.name".into()),
            ..AppError::new(ErrorCode::Invalid, "who the customer is was never said")
        })?;
        person.check()?;
        draft.check(profile)?;
        let new_ticket = draft.ticket(&person, profile)?;
        let lang = chamado_profile::Lang::PtBr;
        // The checks step's report, when recent: what the customer saw is what is sent.
        let recent = draft.topic.as_deref().and_then(|t| self.recent_checks(t));
        let report = match recent {
            Some(report) => report,
            None => {
                collect::collect(
                    profile,
                    &self.data_dir,
                    &chamado_diagnostics::report::Options::default(),
                    false,
                    &|part| tracing::debug!(?part, "collected"),
                )
                .await
                .report
            }
        };
        let inputs = collect::BundleInputs {
            ticket: chamado_bundle::BundleTicket::from(&new_ticket),
            screenshots: self.screens.for_bundle().await?,
            ..collect::BundleInputs::default()
        };
        let mut bundle = collect::compose(&report, profile, inputs, lang)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.message(lang)))?;
        // Until the review step shows them, the optional items proposed (largest first) go to
        // meet the budget; the manifest lists what was left out for the analyst.
        for id in bundle.review().proposal {
            tracing::info!(%id, "left out to meet the budget");
            let _ = bundle.set_included(&id, false);
        }
        let path = self.data_dir.join("drafts").join("pacote.zip");
        std::fs::create_dir_all(self.data_dir.join("drafts"))
            .map_err(|e| AppError::new(ErrorCode::Storage, e.to_string()))?;
        bundle.write(&path, false).map_err(|e| match e {
            chamado_bundle::BundleError::OverBudget { .. } => {
                AppError::new(ErrorCode::OverBudget, e.message(lang))
            }
            e => AppError::new(ErrorCode::Storage, e.message(lang)),
        })?;
        let id = ticket::queue(&self.data_dir, new_ticket, Some(&path))?;
        let _ = std::fs::remove_file(&path);
        if let Ok(mut last) = self.last_checks.lock() {
            *last = None;
        }
        if let Err(e) = self.discard_ticket_draft().await {
            tracing::warn!("the sent ticket's draft stays: {e}");
        }
        self.sender.poke();
        Ok(id)
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
    let lower = url.trim_start().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        tracing::warn!("not an http(s) link; not opened");
        return Err(ErrorCode::NoLink.into());
    }
    open::that_detached(url).map_err(|e| {
        tracing::warn!("opening the browser failed: {e}");
        AppError::new(ErrorCode::BrowserUnavailable, e.to_string())
    })
}
