//! `chamado enrol`, `send`, `add`, `attach`, `outbox` and `status`: each queues or reads through
//! chamado-app and words the answer (or prints it as JSON with `--json`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use chamado_app::delivery::{RefusedCode, WaitingCode};
use chamado_app::{AppError, Delivery, DeliveryEvent, EntryKind, ErrorCode, Queue, Sender};
use chamado_bundle::BundleTicket;
use chamado_client::{Contact, Entry, NewTicket, Outbox, OutboxError, Payload, TechnicianTarget};
use chamado_profile::Lang;
use serde::Serialize;

use crate::printable::printable as p;
use crate::{outln, runtime, EXIT_INVALID};

/// The entry was queued and will go later (network down, central busy).
pub const EXIT_QUEUED: u8 = 3;

fn say(lang: Lang, pt: &str, en: &str) -> String {
    if lang == Lang::PtBr { pt } else { en }.to_owned()
}

fn json_out(value: &impl Serialize) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("plain data serializes")
    );
}

pub fn enrol(
    profile: Option<&Path>,
    data: &Path,
    code: &str,
    central: Option<String>,
    lang: Lang,
) -> ExitCode {
    let url = central.unwrap_or_else(|| {
        chamado_app::profile::resolve(profile)
            .1
            .ok()
            .and_then(|p| chamado_app::profile::central_url(&p).map(str::to_owned))
            .unwrap_or_default()
    });
    match runtime().block_on(chamado_app::enrol::enrol(data, &url, code)) {
        Ok(()) => {
            // Tickets kept for want of enrolment are due again: they go with the next
            // `chamado outbox send` or the window's sender.
            outln!(
                "{} {}",
                say(lang, "Instalação inscrita em", "Installation enrolled at"),
                url.trim()
            );
            ExitCode::SUCCESS
        }
        Err(e) if e.code == ErrorCode::NoCentral => {
            eprintln!(
                "{}",
                say(
                    lang,
                    "Informe o endereço do chamado-central com --central URL (o perfil não tem um).",
                    "Give chamado-central's address with --central URL (the profile has none)."
                )
            );
            ExitCode::from(EXIT_INVALID)
        }
        Err(e) if e.code == ErrorCode::Storage => {
            eprintln!(
                "{}: {}",
                say(
                    lang,
                    "Não foi possível gravar a inscrição",
                    "Could not save the enrolment"
                ),
                p(&e.message)
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!(
                "{}: {}",
                say(lang, "A inscrição falhou", "Enrolment failed"),
                p(&e.message)
            );
            ExitCode::FAILURE
        }
    }
}

/// `chamado send`'s arguments: the ticket as the user gives it.
#[derive(clap::Args)]
pub struct SendArgs {
    #[arg(long)]
    pub topic: String,
    #[arg(long)]
    pub summary: String,
    #[arg(long)]
    pub description: String,
    /// A topic field, `name=value` (repeat for more).
    #[arg(long = "field", value_name = "NAME=VALUE")]
    pub fields: Vec<String>,
    #[arg(long)]
    pub module: Option<String>,
    #[arg(long, value_name = "E-MAIL")]
    pub contact_email: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub contact_name: Option<String>,
    #[arg(long, value_name = "PHONE")]
    pub contact_phone: Option<String>,
    /// A bundle made with `chamado collect --bundle`.
    #[arg(long, value_name = "FILE", conflicts_with = "collect")]
    pub bundle: Option<PathBuf>,
    /// Collect diagnostics now and send them as the bundle.
    #[arg(long)]
    pub collect: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn send(profile: Option<&Path>, data: &Path, args: SendArgs, lang: Lang) -> ExitCode {
    let mut fields = std::collections::BTreeMap::new();
    for f in &args.fields {
        match f.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                fields.insert(k.trim().to_owned(), v.to_owned());
            }
            _ => {
                eprintln!(
                    "--field {f}: {}",
                    say(lang, "use nome=valor", "use name=value")
                );
                return ExitCode::from(EXIT_INVALID);
            }
        }
    }
    let bundle = match args.collect {
        true => {
            let ticket = BundleTicket::topic(args.topic.clone(), args.summary.clone());
            match collect_for_send(profile, data, ticket, lang) {
                Ok(path) => Some(path),
                Err(code) => return code,
            }
        }
        false => args.bundle,
    };
    let ticket = NewTicket {
        topic: args.topic,
        summary: args.summary,
        description: args.description,
        contact: Contact {
            name: args.contact_name.unwrap_or_default(),
            email: args.contact_email.unwrap_or_default(),
            phone: args.contact_phone,
        },
        module: args.module,
        fields,
        priority: None,
    };
    queue_and_deliver(data, args.json, lang, |o| {
        o.enqueue(ticket, bundle.as_deref())
    })
}

/// `--collect`: a fresh collection as the bundle (`ticket` says what it is for).
fn collect_for_send(
    profile: Option<&Path>,
    data: &Path,
    ticket: BundleTicket,
    lang: Lang,
) -> Result<PathBuf, ExitCode> {
    let profile = crate::load_profile(profile, lang)?;
    runtime()
        .block_on(chamado_app::collect::bundle_for_send(
            &profile, data, ticket, lang,
        ))
        .map_err(|e| {
            eprintln!("{}", e.message(lang));
            ExitCode::from(crate::EXIT_OVER_BUDGET)
        })
}

/// Queues on disk before any network I/O (whatever happens next, the entry is kept), then
/// tries once: exit 0 delivered, 3 queued for later, 1 refused (kept) or not queued.
fn queue_and_deliver(
    data: &Path,
    json: bool,
    lang: Lang,
    enqueue: impl FnOnce(&Outbox) -> Result<Entry, OutboxError>,
) -> ExitCode {
    let entry = match Outbox::open(data).and_then(|o| enqueue(&o)) {
        Ok(e) => e,
        Err(e) => return queue_error(&e, lang),
    };
    let kind = EntryKind::of(&entry);
    // After the open window's sender, if it is busy (queued first: nothing waits unsaved).
    let sender = Sender::new(data.to_owned(), None);
    match runtime().block_on(sender.deliver_now(&entry.id)) {
        Ok(delivery) => report(&entry.id, kind, delivery, json, lang),
        Err(e) => app_error(&e, lang),
    }
}

/// `chamado add`'s arguments: information for an open ticket.
#[derive(clap::Args)]
pub struct AddArgs {
    /// The ticket: its number or central reference, as `chamado status` shows it.
    #[arg(value_name = "REFERENCE_OR_NUMBER")]
    pub ticket: String,
    /// The text to add.
    #[arg(long, value_name = "TEXT")]
    pub message: String,
    /// A file to attach (repeat for more).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// A bundle made with `chamado collect --bundle`.
    #[arg(long, value_name = "FILE", conflicts_with = "collect")]
    pub bundle: Option<PathBuf>,
    /// Collect diagnostics now and add them as a bundle.
    #[arg(long)]
    pub collect: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn add(profile: Option<&Path>, data: &Path, args: AddArgs, lang: Lang) -> ExitCode {
    // Said before any collection, which takes a while.
    let found = Outbox::open(data)
        .map_err(AppError::from)
        .and_then(|o| chamado_app::history::find(&o, &args.ticket));
    let sent = match found {
        Ok(Some(s)) => s,
        Ok(None) => {
            eprintln!(
                "{}: {}",
                args.ticket,
                say(
                    lang,
                    "nenhum chamado com este número ou referência no histórico desta instalação (veja chamado status)",
                    "no ticket with this number or reference in this installation's history (see chamado status)"
                )
            );
            return ExitCode::from(EXIT_INVALID);
        }
        Err(e) => return app_error(&e, lang),
    };
    if args.message.trim().is_empty() {
        eprintln!(
            "--message: {}",
            say(lang, "escreva o que quer acrescentar", "write what to add")
        );
        return ExitCode::from(EXIT_INVALID);
    }
    let bundle = match args.collect {
        true => {
            let ticket = BundleTicket::follow_up(
                sent.topic.clone(),
                sent.summary.clone(),
                sent.reference.clone(),
                sent.number.clone(),
            );
            match collect_for_send(profile, data, ticket, lang) {
                Ok(path) => Some(path),
                Err(code) => return code,
            }
        }
        false => args.bundle,
    };
    queue_and_deliver(data, args.json, lang, |o| {
        o.enqueue_message(
            sent.reference,
            sent.number,
            args.message,
            &args.attach,
            bundle.as_deref(),
        )
    })
}

/// `chamado attach`'s arguments: a technician's bundle for a ticket given by phone.
#[derive(clap::Args)]
pub struct AttachArgs {
    /// The ticket's number (as the help desk gave it).
    #[arg(long, value_name = "N")]
    pub number: String,
    /// The ticket's e-mail (the customer's, as on the ticket): central checks it.
    #[arg(long, value_name = "E-MAIL")]
    pub email: String,
    /// A note for the analyst.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// The bundle, made with `chamado collect --bundle`.
    #[arg(
        value_name = "BUNDLE.zip",
        required_unless_present = "collect",
        conflicts_with = "collect"
    )]
    pub bundle: Option<PathBuf>,
    /// Collect diagnostics on this computer now and attach them.
    #[arg(long)]
    pub collect: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn attach(profile: Option<&Path>, data: &Path, args: AttachArgs, lang: Lang) -> ExitCode {
    let bundle = match (args.collect, args.bundle) {
        (true, _) => {
            let ticket = BundleTicket::technician(args.number.clone());
            match collect_for_send(profile, data, ticket, lang) {
                Ok(path) => path,
                Err(code) => return code,
            }
        }
        (false, Some(b)) => b,
        (false, None) => return ExitCode::from(EXIT_INVALID),
    };
    let target = TechnicianTarget {
        number: args.number.trim().to_owned(),
        email: args.email.trim().to_owned(),
        note: args.note.filter(|n| !n.trim().is_empty()),
    };
    queue_and_deliver(data, args.json, lang, |o| {
        o.enqueue_technician(target, &bundle)
    })
}

/// Nothing was queued: a file the user gave is unreadable (exit 2), or the data folder failed.
fn queue_error(e: &OutboxError, lang: Lang) -> ExitCode {
    if let OutboxError::Unreadable { .. } = e {
        eprintln!(
            "{}: {e}",
            say(
                lang,
                "Arquivo ilegível; nada foi guardado nem enviado",
                "Unreadable file; nothing was kept or sent"
            )
        );
        return ExitCode::from(EXIT_INVALID);
    }
    if let OutboxError::Damaged { .. } = e {
        eprintln!("{}: {}", damaged(lang), p(&e.to_string()));
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{}: {e}",
        say(
            lang,
            "Não foi possível guardar o chamado (pasta de dados cheia ou somente leitura?); nada foi enviado",
            "Could not keep the ticket (data folder full or read-only?); nothing was sent"
        )
    );
    ExitCode::FAILURE
}

/// A damaged entry is not a full disk: said as what it is.
fn damaged(lang: Lang) -> String {
    say(
        lang,
        "Um item da fila está danificado e fica posto de lado (veja chamado outbox list)",
        "A queued item is damaged and is kept aside (see chamado outbox list)",
    )
}

fn app_error(e: &AppError, lang: Lang) -> ExitCode {
    let what = match e.code {
        ErrorCode::Storage => say(
            lang,
            "Não foi possível usar a pasta de dados (cheia ou somente leitura?); nada foi enviado",
            "Could not use the data folder (full or read-only?); nothing was sent",
        ),
        ErrorCode::DamagedEntry => damaged(lang),
        _ => say(lang, "Erro", "Error"),
    };
    eprintln!("{what}: {}", p(&e.message));
    ExitCode::FAILURE
}

/// One attempt's outcome, as `--json` prints it.
#[derive(Serialize)]
struct Outcome<'a> {
    id: &'a str,
    kind: EntryKind,
    /// `delivered`, `waiting`, `refused`, or `sent_by_window` (the open window took it).
    outcome: &'a str,
    delivery: Option<&'a Delivery>,
}

/// Says what an attempt did: exit 0 delivered, 3 waiting, 1 refused and kept.
fn report(
    id: &str,
    kind: EntryKind,
    delivery: Option<Delivery>,
    json: bool,
    lang: Lang,
) -> ExitCode {
    // None: the open window's sender took it, which is a success.
    let code = delivery.as_ref().map_or(ExitCode::SUCCESS, exit_of);
    if json {
        json_out(&Outcome {
            id,
            kind,
            outcome: delivery
                .as_ref()
                .map_or("sent_by_window", Delivery::outcome),
            delivery: delivery.as_ref(),
        });
        return code;
    }
    match delivery {
        // The window's sender took it while this command waited for the lock.
        None => outln!(
            "{id} {}: chamado status",
            say(
                lang,
                "já foi enviado pela janela do Chamado aberta; veja o número com",
                "was sent by the open Chamado window; see its number with"
            )
        ),
        Some(Delivery::Delivered {
            reference,
            number,
            link,
        }) => {
            let number = p(number.as_deref().unwrap_or(&reference)).into_owned();
            match kind {
                EntryKind::Ticket => {
                    outln!("{} {number}", say(lang, "Chamado", "Ticket"));
                    if let Some(link) = &link {
                        outln!("{} {}", say(lang, "Acompanhe em", "Follow it at"), p(link));
                    }
                }
                EntryKind::Message => outln!(
                    "{} {number}",
                    say(
                        lang,
                        "Informação adicionada ao chamado",
                        "Information added to ticket"
                    )
                ),
                EntryKind::TechnicianBundle => outln!(
                    "{} {number}",
                    say(
                        lang,
                        "Pacote anexado ao chamado",
                        "Bundle attached to ticket"
                    )
                ),
            }
        }
        Some(Delivery::Waiting { code, reason, .. }) => {
            let reason = match code {
                WaitingCode::Offline | WaitingCode::Bundle => reason,
            };
            outln!("{} {id}: {}", queued_and_refused(kind, lang).0, p(&reason));
        }
        Some(Delivery::Refused { code, reason, .. }) => {
            let reason = match code {
                RefusedCode::NotEnrolled => say(
                    lang,
                    "esta instalação não está inscrita: use chamado enrol CÓDIGO",
                    "this installation is not enrolled: use chamado enrol CODE",
                ),
                _ => reason,
            };
            eprintln!("{} {id}: {}", queued_and_refused(kind, lang).1, p(&reason));
        }
        Some(Delivery::Queued | Delivery::Sending { .. }) => {}
    }
    code
}

/// "Queued for later" and "refused and kept", said of an entry of `kind`.
fn queued_and_refused(kind: EntryKind, lang: Lang) -> (String, String) {
    let (pt, en) = match kind {
        EntryKind::Message => (
            (
                "Informação guardada na fila; será enviada depois",
                "A informação foi recusada e ficou guardada",
            ),
            (
                "Information queued; it will be sent later",
                "The information was refused and is kept",
            ),
        ),
        EntryKind::TechnicianBundle => (
            (
                "Pacote do técnico guardado na fila; será enviado depois",
                "O pacote do técnico foi recusado e ficou guardado",
            ),
            (
                "Technician's bundle queued; it will be sent later",
                "The technician's bundle was refused and is kept",
            ),
        ),
        EntryKind::Ticket => (
            (
                "Chamado guardado na fila; será enviado depois",
                "O chamado foi recusado e ficou guardado",
            ),
            (
                "Ticket queued; it will be sent later",
                "The ticket was refused and is kept",
            ),
        ),
    };
    (say(lang, pt.0, en.0), say(lang, pt.1, en.1))
}

pub enum OutboxAction {
    List,
    /// `wait`: until nothing is left to send (refused entries wait for the user), sleeping
    /// until the next retry is due.
    Send {
        wait: bool,
    },
    Delete(String),
}

/// The entry's kind and what identifies it, for `outbox list`.
fn describe(e: &Entry, lang: Lang) -> String {
    match &e.payload {
        Payload::Ticket(t) => format!(
            "{}  {}  {}",
            say(lang, "chamado", "ticket"),
            p(&t.topic),
            p(&t.summary)
        ),
        Payload::Message(m) => {
            let files = m.attachments.len() + usize::from(e.has_bundle);
            let mut text: String = p(&m.body).chars().take(60).collect();
            if files > 0 {
                text.push_str(&format!(
                    " (+{files} {})",
                    say(lang, "arquivo(s)", "file(s)")
                ));
            }
            format!(
                "{} {}  {text}",
                say(lang, "informação p/ chamado", "information for ticket"),
                p(m.number.as_deref().unwrap_or(&m.reference))
            )
        }
        Payload::TechnicianBundle(t) => format!(
            "{} {}  {}",
            say(
                lang,
                "pacote do técnico p/ chamado",
                "technician's bundle for ticket"
            ),
            p(&t.number),
            p(&t.email)
        ),
    }
}

pub fn outbox(data: &Path, action: OutboxAction, json: bool, lang: Lang) -> ExitCode {
    let outbox = match Outbox::open(data) {
        Ok(o) => o,
        Err(e) => return queue_error(&e, lang),
    };
    match action {
        OutboxAction::List => {
            let queue = chamado_app::enrol::central(data)
                .and_then(|central| Queue::read(&outbox, central.is_some()));
            let queue = match queue {
                Ok(q) => q,
                Err(e) => return app_error(&e, lang),
            };
            if json {
                json_out(&queue);
                return ExitCode::SUCCESS;
            }
            if queue.items.is_empty() && queue.damaged.is_empty() {
                outln!(
                    "{}",
                    say(lang, "Nenhum chamado na fila.", "No ticket queued.")
                );
            }
            for item in &queue.items {
                let e = &item.entry;
                let state = match &item.delivery {
                    Delivery::Refused { status, reason, .. } => {
                        format!(
                            "{} ({status}): {}",
                            say(lang, "recusado", "refused"),
                            p(reason)
                        )
                    }
                    _ => say(lang, "na fila", "queued"),
                };
                outln!(
                    "{}  {}  [{state}] {}",
                    e.id,
                    describe(e, lang),
                    p(e.last_error.as_deref().unwrap_or(""))
                );
            }
            // Kept on disk, never sent: said so the user or a technician can look at them.
            for d in &queue.damaged {
                outln!(
                    "{}  [{}] {} ({})",
                    p(&d.id),
                    say(lang, "danificado, posto de lado", "damaged, set aside"),
                    p(&d.reason),
                    p(&d.path)
                );
            }
            ExitCode::SUCCESS
        }
        OutboxAction::Delete(id) => match outbox.delete(&id) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{}", p(&e.to_string()));
                ExitCode::FAILURE
            }
        },
        OutboxAction::Send { wait } => send_queued(data, &outbox, wait, json, lang),
    }
}

/// Every queued entry now, each entry's last outcome said (a retry that later went through is a
/// success); exit 1 if any was refused, 3 if any still waits.
fn send_queued(data: &Path, outbox: &Outbox, wait: bool, json: bool, lang: Lang) -> ExitCode {
    let sender = Sender::new(data.to_owned(), None);
    let last: Arc<Mutex<Vec<DeliveryEvent>>> = Arc::default();
    let sink = last.clone();
    sender.subscribe(move |e| {
        if !matches!(e.delivery, Delivery::Sending { .. }) {
            let mut l = sink.lock().unwrap_or_else(|e| e.into_inner());
            l.retain(|x| x.id != e.id);
            l.push(e);
        }
    });
    let rt = runtime();
    let done = match chamado_app::enrol::central(data) {
        Ok(Some(_)) => rt.block_on(sender.drain(wait)),
        // Not enrolled: each queued entry is tried once and kept for enrolment, with the reason.
        Ok(None) => outbox.list().map_err(AppError::from).and_then(|entries| {
            for e in entries
                .iter()
                .filter(|e| e.is_due(jiff::Timestamp::now()) || e.attempts == 0)
            {
                rt.block_on(sender.deliver_now(&e.id))?;
            }
            Ok(())
        }),
        Err(e) => Err(e),
    };
    if let Err(e) = done {
        return app_error(&e, lang);
    }
    let events = last.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let codes: Vec<ExitCode> = if json {
        json_out(
            &events
                .iter()
                .map(|e| Outcome {
                    id: &e.id,
                    kind: e.kind,
                    outcome: e.delivery.outcome(),
                    delivery: Some(&e.delivery),
                })
                .collect::<Vec<_>>(),
        );
        events.iter().map(|e| exit_of(&e.delivery)).collect()
    } else {
        events
            .into_iter()
            .map(|e| report(&e.id, e.kind, Some(e.delivery), false, lang))
            .collect()
    };
    [ExitCode::FAILURE, ExitCode::from(EXIT_QUEUED)]
        .into_iter()
        .find(|c| codes.contains(c))
        .unwrap_or(ExitCode::SUCCESS)
}

/// Exit 0 delivered, 1 refused (kept), 3 waiting for a retry.
fn exit_of(d: &Delivery) -> ExitCode {
    match d {
        Delivery::Delivered { .. } => ExitCode::SUCCESS,
        Delivery::Refused { .. } => ExitCode::FAILURE,
        _ => ExitCode::from(EXIT_QUEUED),
    }
}

/// `status --json`: the tickets (refreshed where central answered), those it could not refresh,
/// and why nothing was refreshed at all (`not_enrolled`, `offline`), if so.
#[derive(Serialize)]
struct Status {
    tickets: Vec<chamado_client::Sent>,
    not_refreshed: Vec<chamado_app::history::NotRefreshed>,
    unrefreshed_because: Option<ErrorCode>,
}

/// The history, refreshed from central when it answers (central's list: one request however
/// many tickets); what could not be refreshed keeps its last status and is said.
pub fn status(data: &Path, number: Option<String>, json: bool, lang: Lang) -> ExitCode {
    let cached = Outbox::open(data)
        .map_err(AppError::from)
        .and_then(|o| Ok(o.history()?));
    let cached: Vec<_> = match cached {
        Ok(h) => h
            .into_iter()
            .filter(|s| {
                number
                    .as_deref()
                    .is_none_or(|n| chamado_app::history::names(s, n))
            })
            .collect(),
        Err(e) => return app_error(&e, lang),
    };
    // A damaged history was set aside as it was read: central's list rebuilds it, even empty.
    let rebuild = Outbox::open(data).is_ok_and(|o| o.history_needs_rebuild());
    let status = if cached.is_empty() && !rebuild {
        Status {
            tickets: cached,
            not_refreshed: Vec::new(),
            unrefreshed_because: None,
        }
    } else {
        match runtime().block_on(chamado_app::history::refresh(data, number.as_deref())) {
            Ok(r) => Status {
                tickets: r.tickets,
                not_refreshed: r.not_refreshed,
                unrefreshed_because: None,
            },
            Err(e) if e.code == ErrorCode::Storage => return app_error(&e, lang),
            Err(e) => Status {
                tickets: cached,
                not_refreshed: Vec::new(),
                unrefreshed_because: Some(e.code),
            },
        }
    };
    if json {
        json_out(&status);
        return ExitCode::SUCCESS;
    }
    if status.tickets.is_empty() {
        outln!(
            "{}",
            say(lang, "Nenhum chamado enviado.", "No ticket sent.")
        );
        return ExitCode::SUCCESS;
    }
    for s in &status.tickets {
        outln!(
            "{}  {}  {}  {}  {}",
            p(s.number.as_deref().unwrap_or(&s.reference)),
            p(&s.status.to_string()),
            p(&s.topic),
            p(&s.summary),
            p(s.link.as_deref().unwrap_or(""))
        );
        for r in &s.replies {
            outln!(
                "    {} ({}):",
                say(lang, "Suporte", "Support"),
                local_time(&r.created_at)
            );
            for line in r.body.lines() {
                outln!("      {}", p(line));
            }
        }
    }
    match status.unrefreshed_because {
        Some(ErrorCode::NotEnrolled) => eprintln!(
            "{}",
            say(
                lang,
                "Situação não atualizada: esta instalação não está inscrita (chamado enrol CÓDIGO).",
                "Status not refreshed: this installation is not enrolled (chamado enrol CODE)."
            )
        ),
        Some(_) => eprintln!(
            "{}",
            say(
                lang,
                "Situação não atualizada: o suporte não respondeu; mostrando a última conhecida.",
                "Status not refreshed: support did not answer; showing the last known one."
            )
        ),
        None => {}
    }
    for n in &status.not_refreshed {
        eprintln!(
            "{}: {} ({})",
            p(&n.reference),
            say(lang, "situação não atualizada", "status not refreshed"),
            p(&n.reason)
        );
    }
    ExitCode::SUCCESS
}

/// An RFC 3339 time in this computer's time zone, to the minute (as written, if it is not one).
fn local_time(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_owned())
}
