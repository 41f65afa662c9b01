//! `chamado enrol`, `send`, `add`, `attach`, `outbox` and `status`: the delivery commands, over
//! chamado-client.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use chamado_client::{
    Attempt, Central, Contact, Enrolment, Entry, EntryState, NewTicket, Outbox, OutboxError,
    Payload, SendError, TechnicianTarget,
};
use chamado_profile::Lang;

/// The ticket was queued and will go later (network down, central busy).
pub const EXIT_QUEUED: u8 = 3;

fn say(lang: Lang, pt: &str, en: &str) -> String {
    if lang == Lang::PtBr { pt } else { en }.to_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn central_of(data: &Path, lang: Lang) -> Result<Central, ExitCode> {
    match Enrolment::load(data) {
        Ok(Some(e)) => Central::new(&e.central, Some(e.token)).map_err(|e| {
            eprintln!("{e}");
            ExitCode::FAILURE
        }),
        Ok(None) => Central::new("http://127.0.0.1:1", None).map_err(|_| ExitCode::FAILURE),
        Err(e) => {
            eprintln!(
                "{}: {e}",
                say(lang, "Inscrição ilegível", "Unreadable enrolment")
            );
            Err(ExitCode::FAILURE)
        }
    }
}

pub fn enrol(code: &str, central: Option<String>, profile_url: &str, lang: Lang) -> ExitCode {
    let url = central.unwrap_or_else(|| profile_url.to_owned());
    if url.is_empty() {
        eprintln!(
            "{}",
            say(
                lang,
                "Informe o endereço do chamado-central com --central URL (o perfil não tem um).",
                "Give chamado-central's address with --central URL (the profile has none)."
            )
        );
        return ExitCode::from(2);
    }
    match runtime().block_on(Enrolment::enrol(&crate::paths::data_dir(), &url, code)) {
        Ok(_) => {
            println!(
                "{} {url}",
                say(lang, "Instalação inscrita em", "Installation enrolled at")
            );
            // Tickets kept for want of enrolment are due again: they go with the next
            // `chamado outbox send` or the window's sender.
            ExitCode::SUCCESS
        }
        Err(chamado_client::EnrolError::Save(e)) => {
            eprintln!(
                "{}: {e}",
                say(
                    lang,
                    "Não foi possível gravar a inscrição",
                    "Could not save the enrolment"
                )
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!(
                "{}: {e}",
                say(lang, "A inscrição falhou", "Enrolment failed")
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
}

pub fn send(args: SendArgs, lang: Lang) -> ExitCode {
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
                return ExitCode::from(2);
            }
        }
    }
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
    };
    queue_and_deliver(lang, |o| o.enqueue(ticket, args.bundle.as_deref()))
}

/// Queues on disk before any network I/O (whatever happens next, the entry is kept), then
/// tries once: exit 0 delivered, 3 queued for later, 1 refused (kept) or not queued.
fn queue_and_deliver(
    lang: Lang,
    enqueue: impl FnOnce(&Outbox) -> Result<Entry, OutboxError>,
) -> ExitCode {
    let data = crate::paths::data_dir();
    let outbox = match Outbox::open(&data) {
        Ok(o) => o,
        Err(e) => return storage_error(&e, lang),
    };
    let entry = match enqueue(&outbox) {
        Ok(e) => e,
        Err(e) => return storage_error(&e, lang),
    };
    let central = match central_of(&data, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // After the open window's sender, if it is busy (queued first: nothing waits unsaved).
    let _lock = match outbox.sender_lock() {
        Ok(l) => l,
        Err(e) => return storage_error(&e, lang),
    };
    let attempt =
        runtime().block_on(outbox.deliver(&entry.id, &central, Arc::new(AtomicU64::new(0))));
    if let Err(chamado_client::OutboxError::NotFound(_)) = attempt {
        // The window's sender took it while this command waited for the lock.
        println!(
            "{} {}: chamado status",
            entry.id,
            say(
                lang,
                "já foi enviado pela janela do Chamado aberta; veja o número com",
                "was sent by the open Chamado window; see its number with"
            )
        );
        return ExitCode::SUCCESS;
    }
    report_attempt(&entry.id, entry.payload.kind(), attempt, lang)
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
}

/// The sent ticket `wanted` names (number or reference), from the history.
pub fn sent_ticket(wanted: &str) -> Option<chamado_client::Sent> {
    let outbox = Outbox::open(&crate::paths::data_dir()).ok()?;
    let wanted = wanted.trim();
    outbox
        .history()
        .ok()?
        .into_iter()
        .find(|s| s.reference == wanted || s.number.as_deref() == Some(wanted))
}

pub fn unknown_ticket(wanted: &str, lang: Lang) -> ExitCode {
    eprintln!(
        "{wanted}: {}",
        say(
            lang,
            "nenhum chamado com este número ou referência no histórico desta instalação (veja chamado status)",
            "no ticket with this number or reference in this installation's history (see chamado status)"
        )
    );
    ExitCode::from(2)
}

pub fn add(args: AddArgs, lang: Lang) -> ExitCode {
    let Some(sent) = sent_ticket(&args.ticket) else {
        return unknown_ticket(&args.ticket, lang);
    };
    if args.message.trim().is_empty() {
        eprintln!(
            "--message: {}",
            say(lang, "escreva o que quer acrescentar", "write what to add")
        );
        return ExitCode::from(2);
    }
    queue_and_deliver(lang, |o| {
        o.enqueue_message(
            sent.reference,
            sent.number,
            args.message,
            &args.attach,
            args.bundle.as_deref(),
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
}

pub fn attach(args: AttachArgs, lang: Lang) -> ExitCode {
    let Some(bundle) = args.bundle else {
        return ExitCode::from(2);
    };
    let target = TechnicianTarget {
        number: args.number.trim().to_owned(),
        email: args.email.trim().to_owned(),
        note: args.note.filter(|n| !n.trim().is_empty()),
    };
    queue_and_deliver(lang, |o| o.enqueue_technician(target, &bundle))
}

fn storage_error(e: &OutboxError, lang: Lang) -> ExitCode {
    if let OutboxError::Unreadable { .. } = e {
        eprintln!(
            "{}: {e}",
            say(
                lang,
                "Arquivo ilegível; nada foi guardado nem enviado",
                "Unreadable file; nothing was kept or sent"
            )
        );
        return ExitCode::from(2);
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

/// "Queued for later" and "refused and kept", said of an entry of `kind`.
fn queued_and_refused(kind: &str, lang: Lang) -> (String, String) {
    let (pt, en) = match kind {
        "message" => (
            (
                "Informação guardada na fila; será enviada depois",
                "A informação foi recusada e ficou guardada",
            ),
            (
                "Information queued; it will be sent later",
                "The information was refused and is kept",
            ),
        ),
        "technician_bundle" => (
            (
                "Pacote do técnico guardado na fila; será enviado depois",
                "O pacote do técnico foi recusado e ficou guardado",
            ),
            (
                "Technician's bundle queued; it will be sent later",
                "The technician's bundle was refused and is kept",
            ),
        ),
        _ => (
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

fn report_attempt(
    id: &str,
    kind: &str,
    attempt: Result<Attempt, OutboxError>,
    lang: Lang,
) -> ExitCode {
    match attempt {
        Ok(Attempt::Added { reference, number }) => {
            println!(
                "{} {}",
                match kind {
                    "technician_bundle" => say(
                        lang,
                        "Pacote anexado ao chamado",
                        "Bundle attached to ticket"
                    ),
                    _ => say(
                        lang,
                        "Informação adicionada ao chamado",
                        "Information added to ticket"
                    ),
                },
                number.as_deref().unwrap_or(&reference)
            );
            ExitCode::SUCCESS
        }
        Ok(Attempt::Delivered(a)) => {
            println!(
                "{} {}",
                say(lang, "Chamado", "Ticket"),
                a.number.as_deref().unwrap_or(&a.reference)
            );
            if let Some(link) = &a.link {
                println!("{} {link}", say(lang, "Acompanhe em", "Follow it at"));
            }
            ExitCode::SUCCESS
        }
        Ok(Attempt::Later(e)) => {
            println!(
                "{} {id}: {}",
                queued_and_refused(kind, lang).0,
                reason(&e, lang)
            );
            ExitCode::from(EXIT_QUEUED)
        }
        Ok(Attempt::Refused(e)) => {
            eprintln!(
                "{} {id}: {}",
                queued_and_refused(kind, lang).1,
                reason(&e, lang)
            );
            ExitCode::FAILURE
        }
        Err(e) => storage_error(&e, lang),
    }
}

fn reason(e: &SendError, lang: Lang) -> String {
    match e {
        SendError::Unauthorized => say(
            lang,
            "esta instalação não está inscrita: use chamado enrol CÓDIGO",
            "this installation is not enrolled: use chamado enrol CODE",
        ),
        SendError::Retry { reason, .. } => reason.clone(),
        SendError::Refused { message, .. } => message.clone(),
        SendError::Bundle(d) => d.clone(),
    }
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
            t.topic,
            t.summary
        ),
        Payload::Message(m) => {
            let files = m.attachments.len() + usize::from(e.has_bundle);
            let mut text: String = m.body.chars().take(60).collect();
            if files > 0 {
                text.push_str(&format!(
                    " (+{files} {})",
                    say(lang, "arquivo(s)", "file(s)")
                ));
            }
            format!(
                "{} {}  {text}",
                say(lang, "informação p/ chamado", "information for ticket"),
                m.number.as_deref().unwrap_or(&m.reference)
            )
        }
        Payload::TechnicianBundle(t) => format!(
            "{} {}  {}",
            say(
                lang,
                "pacote do técnico p/ chamado",
                "technician's bundle for ticket"
            ),
            t.number,
            t.email
        ),
    }
}

pub fn outbox(action: OutboxAction, lang: Lang) -> ExitCode {
    let data = crate::paths::data_dir();
    let outbox = match Outbox::open(&data) {
        Ok(o) => o,
        Err(e) => return storage_error(&e, lang),
    };
    match action {
        OutboxAction::List => match outbox.list() {
            Ok(entries) => {
                if entries.is_empty() {
                    println!(
                        "{}",
                        say(lang, "Nenhum chamado na fila.", "No ticket queued.")
                    );
                }
                for e in entries {
                    let state = match &e.state {
                        EntryState::Queued => say(lang, "na fila", "queued"),
                        EntryState::Refused { status, reason } => {
                            format!("{} ({status}): {reason}", say(lang, "recusado", "refused"))
                        }
                    };
                    println!(
                        "{}  {}  [{state}] {}",
                        e.id,
                        describe(&e, lang),
                        e.last_error.as_deref().unwrap_or("")
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => storage_error(&e, lang),
        },
        OutboxAction::Delete(id) => match outbox.delete(&id) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        OutboxAction::Send { wait } => {
            let central = match central_of(&data, lang) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let rt = runtime();
            // Each entry's last outcome: a retry that later went through is a success.
            let mut outcome = std::collections::BTreeMap::new();
            let mut force = true;
            loop {
                let kinds: std::collections::HashMap<String, &'static str> = match outbox.list() {
                    Ok(l) => l.iter().map(|e| (e.id.clone(), e.payload.kind())).collect(),
                    Err(e) => return storage_error(&e, lang),
                };
                // Held while sending, not while asleep: the open window may send meanwhile.
                let lock = match outbox.sender_lock() {
                    Ok(l) => l,
                    Err(e) => return storage_error(&e, lang),
                };
                let sent = rt.block_on(outbox.send_due(&central, force));
                drop(lock);
                match sent {
                    Ok(attempts) => {
                        for (id, a) in attempts {
                            let kind = kinds.get(&id).copied().unwrap_or("ticket");
                            let code = report_attempt(&id, kind, Ok(a), lang);
                            outcome.insert(id, code);
                        }
                    }
                    Err(e) => return storage_error(&e, lang),
                }
                force = false;
                // Asleep until the next retry is due: no polling in between.
                match outbox.next_due_in() {
                    Ok(Some(d)) if wait => std::thread::sleep(d),
                    Ok(_) => break,
                    Err(e) => return storage_error(&e, lang),
                }
            }
            [ExitCode::FAILURE, ExitCode::from(EXIT_QUEUED)]
                .into_iter()
                .find(|c| outcome.values().any(|o| o == c))
                .unwrap_or(ExitCode::SUCCESS)
        }
    }
}

/// The history, refreshed from central when it answers.
pub fn status(number: Option<String>, lang: Lang) -> ExitCode {
    let data = crate::paths::data_dir();
    let outbox = match Outbox::open(&data) {
        Ok(o) => o,
        Err(e) => return storage_error(&e, lang),
    };
    let history = match outbox.history() {
        Ok(h) => h,
        Err(e) => return storage_error(&e, lang),
    };
    let wanted: Vec<_> = history
        .into_iter()
        .filter(|s| {
            number
                .as_deref()
                .is_none_or(|n| s.number.as_deref() == Some(n) || s.reference == n)
        })
        .collect();
    if wanted.is_empty() {
        println!(
            "{}",
            say(lang, "Nenhum chamado enviado.", "No ticket sent.")
        );
        return ExitCode::SUCCESS;
    }
    let central = central_of(&data, lang).ok();
    let rt = runtime();
    for s in wanted {
        let fresh = central
            .as_ref()
            .and_then(|c| rt.block_on(c.ticket(&s.reference)).ok());
        if let Some(a) = &fresh {
            let _ = outbox.refresh(a);
        }
        let status = fresh
            .as_ref()
            .map_or(s.status.as_str(), |a| a.status.as_str());
        println!(
            "{}  {}  {}  {}  {}",
            s.number.as_deref().unwrap_or(&s.reference),
            status,
            s.topic,
            s.summary,
            s.link.as_deref().unwrap_or("")
        );
    }
    ExitCode::SUCCESS
}
