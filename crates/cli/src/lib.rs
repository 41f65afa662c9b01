//! The command line over chamado-app: `chamado` opens the window (the binary says how);
//! `collect`, `profile`, `enrol`, `send`, `add`, `attach`, `outbox` and `status` each call one use
//! case and word its answer in pt-BR or en, or as JSON (`--json`) for scripts and tests.

mod deliver;
mod printable;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chamado_app::collect::{self, BundleInputs};
use chamado_bundle::BundleError;
use chamado_diagnostics::{html, report};
use chamado_profile::Lang;
use clap::{Parser, Subcommand, ValueEnum};

/// A line on standard output; a closed pipe (`chamado status | head -1`) is not an error.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
pub(crate) use outln;

/// Exit code for a profile with problems (and for usage errors, as clap does).
const EXIT_INVALID: u8 = 2;
/// Exit code for a bundle over the budget that the user did not accept: nothing written.
const EXIT_OVER_BUDGET: u8 = 4;

#[derive(Parser)]
#[command(
    name = "chamado",
    version,
    about = "Chamado: abra um chamado de suporte completo / open a complete support ticket"
)]
struct Cli {
    /// Vendor profile to use instead of the installed or built-in one.
    #[arg(long, value_name = "FILE", global = true)]
    profile: Option<PathBuf>,
    /// Language of messages: pt-BR (default) or en.
    #[arg(long, value_name = "LANG", default_value = "pt-BR", global = true)]
    lang: Lang,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Collect diagnostics on this computer: a JSON report and an HTML report for the analyst.
    Collect {
        /// Where to write the report (default: chamado-diagnostico-DATE in this folder); with
        /// `--format both` its extension becomes .json and .html.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Both)]
        format: Format,
        /// Leave out the profile's network checks.
        #[arg(long)]
        skip_checks: bool,
        /// Everything works now: keep this collection as the reference for "what changed".
        #[arg(long)]
        works: bool,
        #[command(flatten)]
        bundle: BundleArgs,
    },
    /// Enrol this installation with the vendor's chamado-central (code from the vendor).
    Enrol {
        code: String,
        /// chamado-central's address (default: the profile's `central.url`).
        #[arg(long, value_name = "URL")]
        central: Option<String>,
    },
    /// Open a ticket: queued on disk first, then sent; prints its number and link. Exit 0 when
    /// delivered, 3 when queued for later (with the reason).
    Send(deliver::SendArgs),
    /// Add information to an open ticket (text, files, a new bundle): queued, then sent. Exit 0
    /// when delivered, 3 when queued for later.
    Add(deliver::AddArgs),
    /// Technician: attach a bundle to a ticket given by phone (its number and e-mail). Exit 0
    /// when delivered, 3 when queued for later.
    Attach(deliver::AttachArgs),
    /// Tickets waiting to be sent: list them, send them now, or delete one.
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxCommand>,
        /// Print JSON (the Fila, or each attempt's outcome) instead of sentences.
        #[arg(long, global = true)]
        json: bool,
    },
    /// Sent tickets and their status (refreshed from chamado-central).
    Status {
        /// A ticket number or reference; all when left out.
        number: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Vendor profiles: check one, print the built-in one or the schema.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
}

/// The ticket bundle a technician attaches to a ticket opened by phone.
#[derive(clap::Args)]
struct BundleArgs {
    /// Write the ticket bundle (a zip: report, diagnostics, logs, attachments, manifest; personal
    /// data replaced) to this file.
    #[arg(long, value_name = "OUT.zip")]
    bundle: Option<PathBuf>,
    /// A file to attach to the bundle (repeat for more).
    #[arg(long, value_name = "FILE", requires = "bundle")]
    attach: Vec<PathBuf>,
    /// Leave an optional item out of the bundle, by the id the summary shows (repeat for more).
    #[arg(long, value_name = "ID", requires = "bundle")]
    leave_out: Vec<String>,
    /// Write the bundle even when it is over the profile's size budget.
    #[arg(long, requires = "bundle")]
    over_budget_ok: bool,
    /// Leave the screens out (they are captured when a display is present).
    #[arg(long, requires = "bundle")]
    no_screenshots: bool,
}

#[derive(Subcommand)]
enum OutboxCommand {
    List,
    Send {
        /// Keep going until nothing is left to send, waiting for each retry.
        #[arg(long)]
        wait: bool,
    },
    Delete {
        id: String,
    },
}

#[derive(Subcommand)]
enum ProfileAction {
    /// Validate a profile; print every problem with file:line:column and field path; exit 2 if any.
    Check { file: PathBuf },
    /// Print the built-in default profile (a starting point for a vendor's own).
    Default,
    /// Print the profile's JSON Schema, for editors.
    Schema,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Html,
    Both,
}

/// Runs the command line; `open_window` opens the window (no subcommand) with `--profile` and
/// the data folder, and returns when it closes.
pub fn run(open_window: impl FnOnce(Option<PathBuf>, PathBuf, Lang) -> ExitCode) -> ExitCode {
    let cli = Cli::parse();
    let data = chamado_app::paths::data_dir();
    let profile = cli.profile.as_deref();
    match cli.command {
        None => open_window(cli.profile.clone(), data, cli.lang),
        Some(Command::Profile { action }) => profile_command(action, cli.lang),
        Some(Command::Collect {
            out,
            format,
            skip_checks,
            works,
            bundle,
        }) => collect(
            profile,
            &data,
            cli.lang,
            out,
            format,
            report::Options { skip_checks },
            works,
            bundle,
        ),
        Some(Command::Enrol { code, central }) => {
            deliver::enrol(profile, &data, &code, central, cli.lang)
        }
        Some(Command::Send(args)) => deliver::send(profile, &data, args, cli.lang),
        Some(Command::Add(args)) => deliver::add(profile, &data, args, cli.lang),
        Some(Command::Attach(args)) => deliver::attach(profile, &data, args, cli.lang),
        Some(Command::Outbox { action, json }) => deliver::outbox(
            &data,
            match action {
                None | Some(OutboxCommand::List) => deliver::OutboxAction::List,
                Some(OutboxCommand::Send { wait }) => deliver::OutboxAction::Send { wait },
                Some(OutboxCommand::Delete { id }) => deliver::OutboxAction::Delete(id),
            },
            json,
            cli.lang,
        ),
        Some(Command::Status { number, json }) => deliver::status(&data, number, json, cli.lang),
    }
}

/// The profile in effect (`--profile`, beside the exe, built-in); its problems printed.
fn load_profile(
    profile_arg: Option<&Path>,
    lang: Lang,
) -> Result<chamado_profile::Profile, ExitCode> {
    chamado_app::profile::resolve(profile_arg).1.map_err(|e| {
        eprintln!("{}", e.report(lang));
        ExitCode::from(EXIT_INVALID)
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[allow(clippy::too_many_arguments)] // one per command-line option
fn collect(
    profile_arg: Option<&Path>,
    data: &Path,
    lang: Lang,
    out: Option<PathBuf>,
    format: Format,
    options: report::Options,
    works: bool,
    bundle: BundleArgs,
) -> ExitCode {
    let pt = lang == Lang::PtBr;
    let profile = match load_profile(profile_arg, lang) {
        Ok(p) => p,
        Err(code) => return code,
    };
    eprintln!(
        "{}",
        if pt {
            "Coletando o diagnóstico…"
        } else {
            "Collecting diagnostics…"
        }
    );
    let collected = runtime().block_on(collect::collect(&profile, data, &options, works, &|_| {}));
    // A snapshot that cannot be kept costs "what changed" next time, never this report.
    if let Some(e) = &collected.snapshot_problem {
        eprintln!("{}: {e}", if pt { "Aviso" } else { "Warning" });
    }
    let r = collected.report;
    // With --bundle alone, the bundle is the output.
    let paths = if bundle.bundle.is_some() && out.is_none() {
        Ok(Vec::new())
    } else {
        write_report(&r, lang, out, format)
    };
    match paths {
        Ok(paths) => {
            let n = r.findings.len();
            outln!(
                "{}",
                match (pt, n) {
                    (true, 0) => "Nenhum problema encontrado.".to_owned(),
                    (true, n) => format!("{n} ponto(s) de atenção:"),
                    (false, 0) => "No problem found.".to_owned(),
                    (false, n) => format!("{n} finding(s):"),
                }
            );
            for f in &r.findings {
                outln!("  - {}", f.title.get(lang));
            }
            for p in paths {
                outln!(
                    "{} {}",
                    if pt { "Relatório:" } else { "Report:" },
                    p.display()
                );
            }
            match bundle.bundle.as_deref() {
                Some(out) => write_bundle(&r, &profile, &bundle, out, lang),
                None => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!(
                "{}: {e:#}",
                if pt {
                    "Erro ao salvar o relatório"
                } else {
                    "Could not write the report"
                }
            );
            ExitCode::FAILURE
        }
    }
}

/// The bundle: composed and redacted from the report, the user's leave-outs applied, refused
/// over the budget unless accepted (with the largest optional items proposed).
fn write_bundle(
    r: &report::Report,
    profile: &chamado_profile::Profile,
    args: &BundleArgs,
    out: &std::path::Path,
    lang: Lang,
) -> ExitCode {
    let pt = lang == Lang::PtBr;
    let screenshots = if args.no_screenshots {
        Vec::new()
    } else {
        let captured = collect::capture_for_bundle();
        for (monitor, e) in &captured.problems {
            match monitor {
                Some(name) => eprintln!("{name}: {}", e.message(lang)),
                None => eprintln!("{}", e.message(lang)),
            }
        }
        captured.screenshots
    };
    let inputs = BundleInputs {
        ticket: chamado_bundle::BundleTicket::collection(
            "chamado collect",
            r.vendor.clone(),
            r.collected_at.clone(),
        ),
        attachments: args.attach.clone(),
        screenshots,
    };
    let fail = |e: BundleError| {
        eprintln!("{}", e.message(lang));
        ExitCode::FAILURE
    };
    let mut b = match collect::compose(r, profile, inputs, lang) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    for id in &args.leave_out {
        if let Err(e) = b.set_included(id, false) {
            return fail(e);
        }
    }
    let review = b.review();
    for item in &review.items {
        outln!(
            "  [{}] {:<16} {:>9} B  {}",
            if item.included { "x" } else { " " },
            item.id,
            item.packed_size,
            item.path
        );
    }
    if review.over_budget && !args.over_budget_ok {
        let proposal: Vec<String> = review
            .proposal
            .iter()
            .map(|id| format!("--leave-out {id}"))
            .collect();
        eprintln!(
            "{}",
            BundleError::OverBudget {
                total: review.total_bytes,
                budget: review.budget_bytes
            }
            .message(lang)
        );
        eprintln!(
            "{} {}  {}",
            if pt { "Sugestão:" } else { "Suggestion:" },
            proposal.join(" "),
            if pt {
                "(ou --over-budget-ok para gravar assim mesmo)"
            } else {
                "(or --over-budget-ok to write it anyway)"
            }
        );
        return ExitCode::from(EXIT_OVER_BUDGET);
    }
    match b.write(out, true) {
        Ok(_) => {
            outln!(
                "{} {} ({} B)",
                if pt { "Pacote:" } else { "Bundle:" },
                out.display(),
                std::fs::metadata(out).map(|m| m.len()).unwrap_or(0)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn write_report(
    r: &report::Report,
    lang: Lang,
    out: Option<PathBuf>,
    format: Format,
) -> anyhow::Result<Vec<PathBuf>> {
    let base = out.unwrap_or_else(|| {
        let now = jiff::Zoned::now();
        PathBuf::from(
            now.strftime("chamado-diagnostico-%Y%m%d-%H%M%S")
                .to_string(),
        )
    });
    let mut written = Vec::new();
    let mut write = |path: PathBuf, contents: String| -> anyhow::Result<()> {
        std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
        Ok(())
    };
    let json = || {
        serde_json::to_string_pretty(r).map(|mut s| {
            s.push('\n');
            s
        })
    };
    match format {
        Format::Json => write(base, json()?)?,
        Format::Html => write(base, html::to_html(r, lang))?,
        Format::Both => {
            write(base.with_extension("json"), json()?)?;
            write(base.with_extension("html"), html::to_html(r, lang))?;
        }
    }
    Ok(written)
}

fn profile_command(action: ProfileAction, lang: Lang) -> ExitCode {
    match action {
        ProfileAction::Check { file } => match chamado_profile::load(&file) {
            Ok(p) => {
                let (t, m, c) = (p.topics.len(), p.modules.len(), p.checks.len());
                let f = file.display();
                let msg = match lang {
                    Lang::PtBr => {
                        format!("{f}: perfil válido ({t} tópicos, {m} módulos, {c} verificações)")
                    }
                    Lang::En => format!("{f}: valid profile ({t} topics, {m} modules, {c} checks)"),
                };
                outln!("{msg}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}", e.report(lang));
                ExitCode::from(EXIT_INVALID)
            }
        },
        ProfileAction::Default => {
            {
                use std::io::Write as _;
                let _ = write!(std::io::stdout(), "{}", chamado_profile::DEFAULT_TOML);
            }
            ExitCode::SUCCESS
        }
        ProfileAction::Schema => {
            {
                use std::io::Write as _;
                let _ = write!(std::io::stdout(), "{}", chamado_profile::schema_json());
            }
            ExitCode::SUCCESS
        }
    }
}
