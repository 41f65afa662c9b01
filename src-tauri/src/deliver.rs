//! `chamado enrol`, `send`, `outbox` and `status`: the delivery commands, over chamado-client.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use chamado_client::{
    Attempt, Central, Contact, Enrolment, EntryState, NewTicket, Outbox, SendError,
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
    // The vendor's admin sees this name in the list of installations.
    let machine = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "chamado".to_owned());
    let result = Central::new(&url, None).and_then(|c| runtime().block_on(c.enrol(code, &machine)));
    match result {
        Ok(token) => {
            let data = crate::paths::data_dir();
            if let Err(e) = (Enrolment {
                central: url.clone(),
                token,
            })
            .save(&data)
            {
                eprintln!(
                    "{}: {e}",
                    say(
                        lang,
                        "Não foi possível gravar a inscrição",
                        "Could not save the enrolment"
                    )
                );
                return ExitCode::FAILURE;
            }
            println!(
                "{} {url}",
                say(lang, "Instalação inscrita em", "Installation enrolled at")
            );
            ExitCode::SUCCESS
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
    let data = crate::paths::data_dir();
    let outbox = match Outbox::open(&data) {
        Ok(o) => o,
        Err(e) => return storage_error(&e, lang),
    };
    // Queued on disk before any network I/O: whatever happens next, the ticket is kept.
    let entry = match outbox.enqueue(ticket, args.bundle.as_deref()) {
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
    report_attempt(&entry.id, attempt, lang)
}

fn storage_error(e: &chamado_client::OutboxError, lang: Lang) -> ExitCode {
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

fn report_attempt(
    id: &str,
    attempt: Result<Attempt, chamado_client::OutboxError>,
    lang: Lang,
) -> ExitCode {
    match attempt {
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
                say(
                    lang,
                    "Chamado guardado na fila; será enviado depois",
                    "Ticket queued; it will be sent later"
                ),
                reason(&e, lang)
            );
            ExitCode::from(EXIT_QUEUED)
        }
        Ok(Attempt::Refused(e)) => {
            eprintln!(
                "{} {id}: {}",
                say(
                    lang,
                    "O chamado foi recusado e ficou guardado",
                    "The ticket was refused and is kept"
                ),
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
    Send,
    Delete(String),
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
                        "{}  {}  {}  [{state}] {}",
                        e.id,
                        e.ticket.topic,
                        e.ticket.summary,
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
        OutboxAction::Send => {
            let central = match central_of(&data, lang) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let _lock = match outbox.sender_lock() {
                Ok(l) => l,
                Err(e) => return storage_error(&e, lang),
            };
            match runtime().block_on(outbox.send_due(&central, true)) {
                Ok(attempts) => {
                    let mut code = ExitCode::SUCCESS;
                    for (id, a) in attempts {
                        let c = report_attempt(&id, Ok(a), lang);
                        if c != ExitCode::SUCCESS {
                            code = c;
                        }
                    }
                    code
                }
                Err(e) => storage_error(&e, lang),
            }
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
