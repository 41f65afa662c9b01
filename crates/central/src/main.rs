//! `chamado-central`: `serve` the API, or run an `admin` command against the same data.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use chamado_central::config::{Config, ConfigError, LogFormat};
use chamado_central::db::{Db, Status};
use chamado_central::{admin, AppState};

#[derive(Parser)]
#[command(
    name = "chamado-central",
    version,
    about = "The vendor-side service the Chamado apps talk to"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// Configuration file (TOML); without it, standalone on SQLite in the data folder.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Data folder (database, bundles); overrides the configuration's `data`.
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Log format: text (for people) or json (one object a line); overrides `[log] format`.
    #[arg(long, global = true, value_name = "text|json")]
    log_format: Option<LogFormat>,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the API.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address and port to listen on (overrides the configuration's `listen`).
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<SocketAddr>,
    },
    /// The vendor's administration; works while the server runs.
    Admin {
        #[command(flatten)]
        common: Common,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Prints a new enrolment code for a customer company.
    EnrolCode {
        #[arg(long)]
        company: String,
        /// Days the code stays valid.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Installations the code may enrol (more than 1 for a mass deployment's installer).
        #[arg(long, default_value_t = 1)]
        uses: u32,
    },
    /// Lists tickets, newest first.
    Tickets {
        /// open, answered or closed.
        #[arg(long)]
        status: Option<Status>,
    },
    /// Lists installations (the tokens issued), revoked ones included.
    Installations,
    /// Replies to a ticket (by number or reference) as the vendor; marks it answered.
    Reply {
        ticket: String,
        #[arg(long, short)]
        message: String,
    },
    /// Sets a ticket's status: open, answered or closed.
    Status { ticket: String, status: Status },
    /// Tries again a ticket's e-mails and forwards that failed for good (`admin tickets` says
    /// FAILED), once their cause is mended.
    Retry { ticket: String },
    /// Revokes an installation's token (by its id, see `admin installations`) or an enrolment code.
    Revoke {
        #[arg(required_unless_present = "code")]
        installation: Option<i64>,
        #[arg(long, conflicts_with = "installation")]
        code: Option<String>,
    },
    /// The notices the apps show (a known outage, a release in progress).
    Notice {
        #[command(subcommand)]
        command: NoticeCommand,
    },
    /// Records the latest version of the vendor's program (shown beside the installed one).
    Release {
        #[arg(long)]
        version: String,
    },
    /// How many customers a guide or the checks helped, per topic; the latest version.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum NoticeCommand {
    /// Publishes a notice; prints its id.
    Add {
        /// The notice, at most 500 characters.
        #[arg(long)]
        text: String,
        /// Shown only beside this topic (its id in the profile); without it, everywhere.
        #[arg(long, value_name = "ID")]
        topic: Option<String>,
        /// When it stops being shown (RFC 3339, e.g. 2026-12-07T18:00:00-03:00).
        #[arg(long, value_name = "RFC3339")]
        until: Option<String>,
    },
    /// Lists every notice, newest first, ended ones included.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Removes a notice (by its id, see `admin notice list`).
    Remove { id: i64 },
}

/// The data folder when neither the configuration nor `--data` names one.
fn default_data() -> PathBuf {
    dirs::data_local_dir()
        .map(|d| d.join("chamado-central"))
        .unwrap_or_else(|| PathBuf::from("chamado-central-data"))
}

fn config(common: &Common) -> Result<Config, ConfigError> {
    let mut c = match &common.config {
        Some(p) => Config::load(p)?,
        None => Config::standalone(default_data()),
    };
    if let Some(d) = &common.data {
        c.data = d.clone();
    }
    if let Some(f) = common.log_format {
        c.log_format = f;
    }
    Ok(c)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let common = match &cli.command {
        Command::Serve { common, .. } | Command::Admin { common, .. } => common.clone(),
    };
    let config = match config(&common) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    init_log(config.log_format);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // File writes of uploads run on blocking threads; a few suffice, and each thread costs
        // memory (its stack, an allocator arena).
        .max_blocking_threads(16)
        .build()
        .expect("a Tokio runtime starts");
    match rt.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chamado-central: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_log(format: LogFormat) {
    let log = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => log
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        // Fields at the top level beside `timestamp`, `level`, `message` and `target`.
        LogFormat::Json => log.json().flatten_event(true).init(),
    }
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { listen, .. } => {
            if let Some(l) = listen {
                config.listen = l;
            }
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("listening on {}", config.listen))?;
            let addr = listener.local_addr()?;
            if !config.public_url_explicit {
                config.public_url = format!("http://{addr}");
            }
            let data = config.data.clone();
            let state = AppState::open(config)
                .await
                .with_context(|| format!("opening the data in {}", data.display()))?;
            chamado_central::tasks::log_panics_without_their_message();
            tracing::info!(%addr, data = %data.display(), "chamado-central listening");
            chamado_central::serve(state, listener, shutdown_signal()).await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Admin { command, .. } => {
            std::fs::create_dir_all(&config.data)
                .with_context(|| format!("creating {}", config.data.display()))?;
            let db = Db::open(&config.database_url()).await?;
            let res = admin_command(&db, command, config.smtp.is_some()).await;
            db.close().await;
            res
        }
    }
}

async fn admin_command(db: &Db, command: AdminCommand, mail: bool) -> anyhow::Result<()> {
    match command {
        AdminCommand::EnrolCode {
            company,
            days,
            uses,
        } => {
            println!("{}", admin::enrol_code(db, &company, days, uses).await?)
        }
        AdminCommand::Tickets { status } => print!("{}", admin::tickets(db, status).await?),
        AdminCommand::Installations => print!("{}", admin::installations(db).await?),
        AdminCommand::Reply { ticket, message } => {
            admin::reply(db, &ticket, &message, mail).await?
        }
        AdminCommand::Status { ticket, status } => admin::status(db, &ticket, status).await?,
        AdminCommand::Retry { ticket } => {
            let n = admin::retry(db, &ticket).await?;
            println!("{n} back in line")
        }
        AdminCommand::Revoke { installation, code } => match (installation, code) {
            (Some(id), _) => admin::revoke_installation(db, id).await?,
            (None, Some(code)) => admin::revoke_code(db, &code).await?,
            (None, None) => unreachable!("clap requires one"),
        },
        AdminCommand::Notice { command } => match command {
            NoticeCommand::Add { text, topic, until } => {
                let id = admin::notice_add(db, &text, topic.as_deref(), until.as_deref()).await?;
                println!("{id}")
            }
            NoticeCommand::List { json } => print!("{}", admin::notice_list(db, json).await?),
            NoticeCommand::Remove { id } => admin::notice_remove(db, id).await?,
        },
        AdminCommand::Release { version } => admin::release(db, &version).await?,
        AdminCommand::Stats { json } => print!("{}", admin::stats(db, json).await?),
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
