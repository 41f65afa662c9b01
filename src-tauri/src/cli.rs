//! The command line: `chamado` opens the window; `chamado collect` gathers diagnostics;
//! `chamado profile ...` works on vendor profiles.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chamado_bundle::{compose, BundleError, Limits};
use chamado_diagnostics::{html, report, snapshot};
use chamado_profile::Lang;
use clap::{Parser, Subcommand, ValueEnum};

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
    Send(crate::deliver::SendArgs),
    /// Add information to an open ticket (text, files, a new bundle): queued, then sent. Exit 0
    /// when delivered, 3 when queued for later.
    Add(crate::deliver::AddArgs),
    /// Technician: attach a bundle to a ticket given by phone (its number and e-mail). Exit 0
    /// when delivered, 3 when queued for later.
    Attach(crate::deliver::AttachArgs),
    /// Tickets waiting to be sent: list them, send them now, or delete one.
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxCommand>,
    },
    /// Sent tickets and their status (refreshed from chamado-central).
    Status {
        /// A ticket number or reference; all when left out.
        number: Option<String>,
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

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => open_window(cli.profile, cli.lang),
        Some(Command::Profile { action }) => profile(action, cli.lang),
        Some(Command::Collect {
            out,
            format,
            skip_checks,
            works,
            bundle,
        }) => collect(
            cli.profile,
            cli.lang,
            out,
            format,
            skip_checks,
            works,
            bundle,
        ),
        Some(Command::Enrol { code, central }) => {
            let url = load_profile(cli.profile, cli.lang)
                .map(|p| p.central.url)
                .unwrap_or_default();
            crate::deliver::enrol(&code, central, &url, cli.lang)
        }
        Some(Command::Send(mut args)) => {
            if args.collect {
                let ticket = serde_json::json!({ "topic": args.topic, "summary": args.summary });
                match collect_bundle_for_send(cli.profile, cli.lang, ticket) {
                    Ok(path) => args.bundle = Some(path),
                    Err(code) => return code,
                }
            }
            crate::deliver::send(args, cli.lang)
        }
        Some(Command::Add(mut args)) => {
            if args.collect {
                // Said before the collection, which takes a while.
                let Some(sent) = crate::deliver::sent_ticket(&args.ticket) else {
                    return crate::deliver::unknown_ticket(&args.ticket, cli.lang);
                };
                let ticket = serde_json::json!({
                    "topic": sent.topic, "summary": sent.summary, "reference": sent.reference,
                    "number": sent.number,
                });
                match collect_bundle_for_send(cli.profile, cli.lang, ticket) {
                    Ok(path) => args.bundle = Some(path),
                    Err(code) => return code,
                }
            }
            crate::deliver::add(args, cli.lang)
        }
        Some(Command::Attach(mut args)) => {
            if args.collect {
                let ticket = serde_json::json!({ "number": args.number, "source": "technician" });
                match collect_bundle_for_send(cli.profile, cli.lang, ticket) {
                    Ok(path) => args.bundle = Some(path),
                    Err(code) => return code,
                }
            }
            crate::deliver::attach(args, cli.lang)
        }
        Some(Command::Outbox { action }) => crate::deliver::outbox(
            match action {
                None | Some(OutboxCommand::List) => crate::deliver::OutboxAction::List,
                Some(OutboxCommand::Send { wait }) => crate::deliver::OutboxAction::Send { wait },
                Some(OutboxCommand::Delete { id }) => crate::deliver::OutboxAction::Delete(id),
            },
            cli.lang,
        ),
        Some(Command::Status { number }) => crate::deliver::status(number, cli.lang),
    }
}

/// The window, with the data folder decided here (the window keeps its logs and storage there).
fn open_window(profile: Option<PathBuf>, lang: Lang) -> ExitCode {
    let data_dir = crate::paths::data_dir();
    #[cfg(target_os = "linux")]
    {
        crate::gui_loader::run(profile.as_deref(), &data_dir, lang)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = lang; // the window has its own language switch
        chamado_gui::run(profile, data_dir)
    }
}

/// The profile in effect (`--profile`, beside the exe, built-in); its problems printed.
fn load_profile(profile_arg: Option<PathBuf>, lang: Lang) -> Option<chamado_profile::Profile> {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf));
    match chamado_profile::resolve(profile_arg.as_deref(), exe_dir.as_deref()).1 {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("{}", e.report(lang));
            None
        }
    }
}

/// `--collect` of `chamado send`, `add` and `attach`: a fresh collection as the bundle (`ticket`
/// says what it is for), in the data folder (the outbox keeps its own copy).
fn collect_bundle_for_send(
    profile_arg: Option<PathBuf>,
    lang: Lang,
    ticket: serde_json::Value,
) -> Result<PathBuf, ExitCode> {
    let profile = load_profile(profile_arg, lang).ok_or(ExitCode::from(EXIT_INVALID))?;
    let generator = concat!("chamado ", env!("CARGO_PKG_VERSION"));
    let rt = tokio::runtime::Runtime::new().map_err(|_| ExitCode::FAILURE)?;
    let mut r = rt.block_on(report::collect(
        &profile,
        generator,
        &report::Options::default(),
    ));
    let store = snapshot::SnapshotStore::new(crate::paths::data_dir().join("snapshots"));
    let _ = report::compare_and_store(&mut r, &profile, &store, false);
    let inputs = compose::Inputs {
        ticket,
        home_dir: dirs::home_dir().map(|h| h.to_string_lossy().into_owned()),
        ..compose::Inputs::default()
    };
    let fail = |e: BundleError| {
        eprintln!("{}", e.message(lang));
        ExitCode::from(EXIT_OVER_BUDGET)
    };
    let b = compose::from_report(&r, &profile, inputs, generator, limits_of(&profile), lang)
        .map_err(fail)?;
    let path = crate::paths::data_dir().join("coleta-para-envio.zip");
    b.write(&path, false).map_err(fail)?;
    Ok(path)
}

fn collect(
    profile_arg: Option<PathBuf>,
    lang: Lang,
    out: Option<PathBuf>,
    format: Format,
    skip_checks: bool,
    works: bool,
    bundle: BundleArgs,
) -> ExitCode {
    let pt = lang == Lang::PtBr;
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf));
    let profile = match chamado_profile::resolve(profile_arg.as_deref(), exe_dir.as_deref()).1 {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.report(lang));
            return ExitCode::from(EXIT_INVALID);
        }
    };
    eprintln!(
        "{}",
        if pt {
            "Coletando o diagnóstico…"
        } else {
            "Collecting diagnostics…"
        }
    );
    let generator = concat!("chamado ", env!("CARGO_PKG_VERSION"));
    let options = report::Options { skip_checks };
    let store = snapshot::SnapshotStore::new(crate::paths::data_dir().join("snapshots"));
    let result = tokio::runtime::Runtime::new()
        .context("starting the runtime")
        .map(|rt| rt.block_on(report::collect(&profile, generator, &options)))
        .and_then(|mut r| {
            // A snapshot that cannot be kept costs "what changed" next time, never this report.
            if let Err(e) = report::compare_and_store(&mut r, &profile, &store, works) {
                eprintln!("{}: {e}", if pt { "Aviso" } else { "Warning" });
            }
            // With --bundle alone, the bundle is the output.
            let paths = if bundle.bundle.is_some() && out.is_none() {
                Vec::new()
            } else {
                write_report(&r, lang, out, format)?
            };
            Ok((r, paths))
        });
    match result {
        Ok((r, paths)) => {
            let n = r.findings.len();
            println!(
                "{}",
                match (pt, n) {
                    (true, 0) => "Nenhum problema encontrado.".to_owned(),
                    (true, n) => format!("{n} ponto(s) de atenção:"),
                    (false, 0) => "No problem found.".to_owned(),
                    (false, n) => format!("{n} finding(s):"),
                }
            );
            for f in &r.findings {
                println!("  - {}", f.title.get(lang));
            }
            for p in paths {
                println!(
                    "{} {}",
                    if pt { "Relatório:" } else { "Report:" },
                    p.display()
                );
            }
            match bundle.bundle.as_deref() {
                Some(out) => write_bundle(&r, &profile, &bundle, out, lang, generator),
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
    generator: &str,
) -> ExitCode {
    let pt = lang == Lang::PtBr;
    let inputs = compose::Inputs {
        ticket: serde_json::json!({
            "source": "chamado collect",
            "vendor": r.vendor,
            "collected_at": r.collected_at,
        }),
        home_dir: dirs::home_dir().map(|h| h.to_string_lossy().into_owned()),
        attachments: args.attach.clone(),
        screenshots: if args.no_screenshots {
            Vec::new()
        } else {
            screenshots(lang)
        },
        ..compose::Inputs::default()
    };
    let fail = |e: BundleError| {
        eprintln!("{}", e.message(lang));
        ExitCode::FAILURE
    };
    let mut b = match compose::from_report(r, profile, inputs, generator, limits_of(profile), lang)
    {
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
        println!(
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
            println!(
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

/// Every screen, as lossless WebP with a thumbnail; a capture that fails (no display, the
/// secure desktop) is said on stderr and the bundle goes on without it.
fn screenshots(lang: Lang) -> Vec<(String, Vec<u8>, chamado_bundle::Preview)> {
    use base64::Engine as _;
    let report = match chamado_capture::capture_all_within(std::time::Duration::from_secs(10)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}", e.message(lang));
            return Vec::new();
        }
    };
    for p in &report.problems {
        eprintln!("{}: {}", p.name, p.error.message(lang));
    }
    let images: Vec<_> = report.screenshots.iter().map(|s| &s.image).collect();
    let encoded = chamado_capture::encode_webp_lossless_all(&images);
    report
        .screenshots
        .iter()
        .zip(encoded)
        .enumerate()
        .filter_map(|(i, (shot, webp))| {
            let webp = webp.ok()?;
            let (w, h) = chamado_capture::THUMB_MAX;
            let preview = match chamado_capture::thumbnail(&shot.image, w, h) {
                Ok(t) => chamado_bundle::Preview::Image {
                    mime: "image/webp".into(),
                    base64: base64::engine::general_purpose::STANDARD.encode(t.webp),
                },
                Err(_) => chamado_bundle::Preview::None,
            };
            Some((format!("tela-{}.webp", i + 1), webp, preview))
        })
        .collect()
}

/// The profile's limits, in bytes.
fn limits_of(profile: &chamado_profile::Profile) -> Limits {
    let kib = |k: u32| u64::from(k) * 1024;
    Limits {
        budget_bytes: kib(profile.bundle.budget_kib),
        attachment_max_bytes: kib(profile.bundle.attachment_max_kib),
        attachments_total_max_bytes: kib(profile.bundle.attachments_total_max_kib),
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

fn profile(action: ProfileAction, lang: Lang) -> ExitCode {
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
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}", e.report(lang));
                ExitCode::from(EXIT_INVALID)
            }
        },
        ProfileAction::Default => {
            print!("{}", chamado_profile::DEFAULT_TOML);
            ExitCode::SUCCESS
        }
        ProfileAction::Schema => {
            print!("{}", chamado_profile::schema_json());
            ExitCode::SUCCESS
        }
    }
}
