//! "Confira antes de enviar": the bundle prepared for review, one at a time, held in memory
//! until it is sent, saved or replaced. Preparing collects (or reuses this ticket's collection),
//! composes with the screenshots and answers every item that would be sent; the customer's
//! switches and "send it over the budget anyway" change the prepared bundle, and the ticket, the
//! technician's file or attachment and the follow-up for an open ticket are written from it as
//! reviewed. Nothing is left out that the customer did not switch off: over the budget without
//! their word it is refused (`over_budget`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chamado_bundle::compose::Draft;
use chamado_bundle::{BundleError, BundleTicket, Review};
use chamado_client::{NewTicket, TechnicianTarget};
use chamado_diagnostics::report::{self, Report};
use chamado_profile::Lang;
use serde::Serialize;
use ts_rs::TS;

use crate::{collect, ticket, App, AppError, ErrorCode};

/// A collection this recent is reused when the same ticket's review is prepared again (after
/// "Alterar"): the answers change, the machine did not.
const REUSE_COLLECTION_FOR: Duration = Duration::from_secs(10 * 60);

/// How many parts a collection tells as they finish (`report::Part`'s variants).
const PARTS: u32 = 10;

/// What a prepared bundle is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPurpose {
    /// The ticket written in the wizard.
    Ticket,
    /// Technician mode: saved to a file or attached to a ticket opened by phone.
    Technician,
    /// A new diagnosis for a ticket in Meus chamados.
    FollowUp,
}

/// What redaction replaced of one kind, never the values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Replaced {
    /// The kind's code (`user_name`, `email`, `cpf`, ... as the manifest says it).
    pub kind: String,
    /// Replacements made.
    pub replaced: u32,
    /// Distinct values replaced.
    pub distinct: u32,
}

/// The review screen's model: every item that would be sent, with the customer's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BundleReview {
    pub purpose: ReviewPurpose,
    pub review: Review,
    /// What redaction replaced in the texts as they now stand, per kind.
    pub redacted: Vec<Replaced>,
    /// The customer said to send it over the budget anyway.
    pub send_over_budget: bool,
}

/// A part of the collection finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct CollectProgress {
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone)]
enum Purpose {
    Ticket(Box<NewTicket>),
    Technician,
    FollowUp { reference: String },
}

struct Prepared {
    purpose: Purpose,
    report: Report,
    collected: Instant,
    draft: Draft,
    send_over_budget: bool,
}

impl Prepared {
    fn view(&self) -> BundleReview {
        BundleReview {
            purpose: match self.purpose {
                Purpose::Ticket(_) => ReviewPurpose::Ticket,
                Purpose::Technician => ReviewPurpose::Technician,
                Purpose::FollowUp { .. } => ReviewPurpose::FollowUp,
            },
            review: self.draft.review(),
            redacted: self
                .draft
                .redacted()
                .iter()
                .filter(|(_, c)| c.replaced > 0)
                .map(|(kind, c)| Replaced {
                    kind: kind.clone(),
                    replaced: u32::try_from(c.replaced).unwrap_or(u32::MAX),
                    distinct: u32::try_from(c.distinct).unwrap_or(u32::MAX),
                })
                .collect(),
            send_over_budget: self.send_over_budget,
        }
    }

    /// The items the customer switched off.
    fn left_out(&self) -> BTreeSet<String> {
        self.draft
            .review()
            .items
            .into_iter()
            .filter(|i| !i.included)
            .map(|i| i.id)
            .collect()
    }

    /// Written to `path` as reviewed: refused over the budget unless the customer said so.
    fn write(&self, path: &Path) -> Result<(), AppError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(ErrorCode::Storage, format!("{}: {e}", dir.display()))
            })?;
        }
        self.draft
            .write(path, self.send_over_budget)
            .map(|_| ())
            .map_err(bundle_error)
    }
}

fn bundle_error(e: BundleError) -> AppError {
    let message = e.message(Lang::PtBr);
    match e {
        BundleError::OverBudget { .. } => AppError::new(ErrorCode::OverBudget, message),
        BundleError::Required { .. } | BundleError::UnknownItem { .. } => AppError {
            field: Some("item".into()),
            ..AppError::new(ErrorCode::Invalid, message)
        },
        _ => AppError::new(ErrorCode::Storage, message),
    }
}

/// The bundle under review, if any (one at a time).
#[derive(Default)]
pub struct Reviews {
    prepared: Mutex<Option<Prepared>>,
}

impl Reviews {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Prepared>> {
        // A panic elsewhere while it was held leaves a usable value: the last prepared bundle.
        self.prepared.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with<T>(&self, f: impl FnOnce(&mut Prepared) -> Result<T, AppError>) -> Result<T, AppError> {
        match self.lock().as_mut() {
            Some(p) => f(p),
            None => Err(AppError::new(ErrorCode::NoReview, "no bundle is prepared")),
        }
    }
}

/// The ticket as the customer kept it: the optional fields switched off go from what central
/// gets too, not only from the bundle's manifest.
fn kept_ticket(mut t: NewTicket, kept: &BundleTicket) -> NewTicket {
    let contact = kept.contact.as_ref();
    if contact.and_then(|c| c.phone.as_ref()).is_none() {
        t.contact.phone = None;
    }
    if kept.module.is_none() {
        t.module = None;
    }
    let fields = kept.fields.clone().unwrap_or_default();
    t.fields.retain(|k, _| fields.contains_key(k));
    t
}

/// A file name for a technician's bundle: `chamado-diagnostico-AAAAMMDD-HHMM.zip`.
fn bundle_file_name() -> String {
    let now = jiff::Zoned::now();
    format!("chamado-diagnostico-{}.zip", now.strftime("%Y%m%d-%H%M"))
}

impl App {
    /// Collects (or reuses this same purpose's recent collection), composes and holds the
    /// bundle; the switches the customer had set on the one it replaces are kept.
    async fn prepare(
        &self,
        purpose: Purpose,
        ticket: BundleTicket,
        screenshots: bool,
        attachments: Vec<PathBuf>,
        progress: &(dyn Fn(CollectProgress) + Sync),
    ) -> Result<BundleReview, AppError> {
        let profile = self.profile()?;
        let previous = {
            let guard = self.reviews.lock();
            guard.as_ref().and_then(|p| {
                let same = std::mem::discriminant(&p.purpose) == std::mem::discriminant(&purpose);
                same.then(|| (p.report.clone(), p.collected, p.left_out()))
            })
        };
        let recent_checks = match &purpose {
            Purpose::Ticket(t) => self.recent_checks(&t.topic),
            _ => None,
        };
        // What the checks step showed for this topic, when recent, is what is sent; else this
        // purpose's own recent collection.
        let reused = match (previous, recent_checks) {
            (previous, Some(report)) => Ok((
                report,
                Instant::now(),
                previous.map(|p| p.2).unwrap_or_default(),
            )),
            (Some(p), None) if p.1.elapsed() < REUSE_COLLECTION_FOR => Ok(p),
            (previous, None) => Err(previous),
        };
        let (report, collected, left_out) = match reused {
            Ok(reused) => {
                progress(CollectProgress {
                    done: PARTS,
                    total: PARTS,
                });
                reused
            }
            Err(previous) => {
                let told = Mutex::new(BTreeSet::new());
                let done = |part: report::Part| {
                    let mut told = told.lock().unwrap_or_else(|p| p.into_inner());
                    told.insert(format!("{part:?}"));
                    let done = u32::try_from(told.len()).unwrap_or(PARTS).min(PARTS);
                    progress(CollectProgress { done, total: PARTS });
                };
                let c = collect::collect(
                    profile,
                    &self.data_dir,
                    &report::Options::default(),
                    false,
                    &done,
                )
                .await;
                if let Some(e) = c.snapshot_problem {
                    tracing::warn!("what changed is not kept for next time: {e}");
                }
                let left_out = previous.map(|p| p.2).unwrap_or_default();
                (c.report, Instant::now(), left_out)
            }
        };
        let inputs = collect::BundleInputs {
            ticket,
            screenshots: match screenshots {
                true => self.screens.for_bundle().await?,
                false => Vec::new(),
            },
            attachments,
        };
        let mut draft = collect::compose(&report, profile, inputs, Lang::PtBr)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.message(Lang::PtBr)))?;
        for id in &left_out {
            // An item gone (a screenshot removed) or now required is as it comes.
            let _ = draft.set_included(id, false);
        }
        let prepared = Prepared {
            purpose,
            report,
            collected,
            draft,
            send_over_budget: false,
        };
        let view = prepared.view();
        *self.reviews.lock() = Some(prepared);
        Ok(view)
    }

    /// The ticket written in the wizard, checked as `submit_ticket` checks it.
    fn checked_ticket(&self, draft: &ticket::TicketDraft) -> Result<NewTicket, AppError> {
        let profile = self.profile()?;
        let person = self.tickets.person()?.ok_or_else(|| AppError {
            field: Some("person.name".into()),
            ..AppError::new(ErrorCode::Invalid, "who the customer is was never said")
        })?;
        person.check()?;
        draft.check(profile)?;
        draft.ticket(&person, profile)
    }

    /// "Confira antes de enviar": the ticket's bundle, every item that would be sent.
    pub async fn prepare_ticket_review(
        &self,
        draft: &ticket::TicketDraft,
    ) -> Result<BundleReview, AppError> {
        // The files attached are Rust's (the UI's list may be older), each checked again: one
        // gone since is named.
        let draft = crate::attachments::with_stored(draft.clone(), self.tickets.draft()?);
        let t = self.checked_ticket(&draft)?;
        let attached = crate::attachments::recheck(&draft.attachments, self.profile()?)?;
        let bundle_ticket = BundleTicket::from(&t);
        let purpose = Purpose::Ticket(Box::new(t));
        self.prepare(purpose, bundle_ticket, true, attached, &|_| {})
            .await
    }

    /// Technician mode: a collection with no customer questions, for a file or a ticket opened
    /// by phone.
    pub async fn prepare_technician_review(
        &self,
        progress: &(dyn Fn(CollectProgress) + Sync),
    ) -> Result<BundleReview, AppError> {
        let profile = self.profile()?;
        let ticket = BundleTicket::collection(
            "technician",
            profile.vendor.name.clone(),
            jiff::Timestamp::now().to_string(),
        );
        self.prepare(Purpose::Technician, ticket, false, Vec::new(), progress)
            .await
    }

    /// "Incluir um novo diagnóstico" for a ticket in Meus chamados.
    pub async fn prepare_follow_up_review(
        &self,
        reference: &str,
        progress: &(dyn Fn(CollectProgress) + Sync),
    ) -> Result<BundleReview, AppError> {
        let sent =
            crate::history::find(&self.outbox()?, reference)?.ok_or(ErrorCode::NoSuchTicket)?;
        let ticket = BundleTicket::follow_up(
            sent.topic.clone(),
            sent.summary.clone(),
            sent.reference.clone(),
            sent.number.clone(),
        );
        let purpose = Purpose::FollowUp {
            reference: sent.reference,
        };
        self.prepare(purpose, ticket, false, Vec::new(), progress)
            .await
    }

    /// The prepared bundle, if any (the screen drawn again).
    pub fn bundle_review(&self) -> Option<BundleReview> {
        self.reviews.lock().as_ref().map(Prepared::view)
    }

    /// The customer's switch on one item; a required one cannot be switched off (`invalid`).
    pub fn set_review_item(&self, id: &str, included: bool) -> Result<BundleReview, AppError> {
        self.reviews.with(|p| {
            p.draft.set_included(id, included).map_err(bundle_error)?;
            Ok(p.view())
        })
    }

    /// "Enviar mesmo assim": the bundle goes over the budget (or not any more).
    pub fn send_over_budget(&self, confirmed: bool) -> Result<BundleReview, AppError> {
        self.reviews.with(|p| {
            p.send_over_budget = confirmed;
            Ok(p.view())
        })
    }

    /// The ticket and its bundle as reviewed, written to `path`: the prepared one when it is
    /// this ticket's, else prepared now (a fresh collection) with nothing left out.
    pub(crate) async fn reviewed_ticket(
        &self,
        draft: &ticket::TicketDraft,
        path: &Path,
    ) -> Result<NewTicket, AppError> {
        let t = self.checked_ticket(draft)?;
        let current = matches!(
            self.reviews.lock().as_ref().map(|p| &p.purpose),
            Some(Purpose::Ticket(prepared)) if **prepared == t
        );
        if !current {
            self.prepare_ticket_review(draft).await?;
        }
        let guard = self.reviews.lock();
        let p = guard.as_ref().ok_or(ErrorCode::NoReview)?;
        p.write(path)?;
        Ok(kept_ticket(t, &p.draft.ticket()))
    }

    /// The prepared bundle is used up (queued): the next review starts afresh.
    pub(crate) fn review_done(&self) {
        *self.reviews.lock() = None;
    }

    /// Where "Salvar em arquivo" proposes to save: Documents (or Downloads, or home).
    pub fn default_bundle_path(&self) -> String {
        let dir = dirs::document_dir()
            .or_else(dirs::download_dir)
            .or_else(dirs::home_dir)
            .unwrap_or_else(|| self.data_dir.clone());
        dir.join(bundle_file_name()).to_string_lossy().into_owned()
    }

    /// "Salvar em arquivo": the prepared bundle as reviewed, written to `path` (a folder gets
    /// the usual file name; `.zip` is added when missing). Answers the file written.
    pub fn save_review(&self, path: &str) -> Result<String, AppError> {
        let trimmed = path.trim();
        if trimmed.is_empty() {
            return Err(AppError {
                field: Some("path".into()),
                ..AppError::new(ErrorCode::Invalid, "no file was given")
            });
        }
        let mut out = PathBuf::from(trimmed);
        if out.is_dir() {
            out.push(bundle_file_name());
        } else if !out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            out.as_mut_os_string().push(".zip");
        }
        if !out.parent().is_some_and(|d| d.is_dir()) {
            return Err(AppError {
                field: Some("path".into()),
                ..AppError::new(
                    ErrorCode::Invalid,
                    format!("{}: a pasta não existe", out.display()),
                )
            });
        }
        self.reviews.with(|p| p.write(&out))?;
        tracing::info!("technician's bundle saved");
        Ok(out.to_string_lossy().into_owned())
    }

    /// "Anexar a um chamado aberto por telefone": the prepared bundle queued for the ticket
    /// `number` (central checks `email` against it), the way `chamado attach` does; answers the
    /// Fila entry's id.
    pub fn attach_review(
        &self,
        number: &str,
        email: &str,
        note: Option<&str>,
    ) -> Result<String, AppError> {
        let number = number.trim().trim_start_matches('#');
        if number.is_empty() {
            return Err(AppError {
                field: Some("number".into()),
                ..AppError::new(ErrorCode::Invalid, "no ticket number")
            });
        }
        let email = email.trim();
        if !ticket::is_email(email) {
            return Err(AppError {
                field: Some("email".into()),
                ..AppError::new(ErrorCode::Invalid, "not an e-mail address")
            });
        }
        let target = TechnicianTarget {
            number: number.to_owned(),
            email: email.to_owned(),
            note: note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        };
        let profile = self.profile()?;
        let path = self.data_dir.join("drafts").join("tecnico.zip");
        self.reviews.with(|p| {
            // The manifest names the ticket now known: composed again from the same collection,
            // with the same switches.
            let left_out = p.left_out();
            let inputs = collect::BundleInputs {
                ticket: BundleTicket::technician(number),
                ..collect::BundleInputs::default()
            };
            let mut draft = collect::compose(&p.report, profile, inputs, Lang::PtBr)
                .map_err(|e| AppError::new(ErrorCode::Internal, e.message(Lang::PtBr)))?;
            for id in &left_out {
                let _ = draft.set_included(id, false);
            }
            p.draft = draft;
            p.write(&path)
        })?;
        let entry = self.outbox()?.enqueue_technician(target, &path);
        let _ = std::fs::remove_file(&path);
        let entry = entry?;
        tracing::info!(id = %entry.id, "technician's bundle queued from the window");
        self.review_done();
        self.sender.poke();
        Ok(entry.id)
    }

    /// "Acrescentar informação" with "Incluir um novo diagnóstico": the text and the prepared
    /// follow-up bundle as reviewed, queued together; the text's draft goes.
    pub fn add_information_with_review(
        &self,
        reference: &str,
        text: &str,
    ) -> Result<String, AppError> {
        if text.trim().is_empty() {
            return Err(ErrorCode::EmptyMessage.into());
        }
        let outbox = self.outbox()?;
        let sent = crate::history::find(&outbox, reference)?.ok_or(ErrorCode::NoSuchTicket)?;
        let path = self.data_dir.join("drafts").join("acompanhamento.zip");
        self.reviews.with(|p| match &p.purpose {
            Purpose::FollowUp { reference } if *reference == sent.reference => p.write(&path),
            _ => Err(AppError::new(
                ErrorCode::NoReview,
                "the prepared bundle is not for this ticket",
            )),
        })?;
        let entry = outbox.enqueue_message(
            sent.reference,
            sent.number,
            text.to_owned(),
            &[],
            Some(&path),
        );
        let _ = std::fs::remove_file(&path);
        let entry = entry?;
        tracing::info!(id = %entry.id, "information and a new diagnosis queued");
        self.review_done();
        if let Err(e) = self.drafts.save_information(reference, "") {
            tracing::warn!("draft not removed: {e}");
        }
        self.sender.poke();
        Ok(entry.id)
    }
}
