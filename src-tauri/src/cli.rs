//! The command line: `chamado` opens the window; `chamado profile ...` works on vendor profiles.

use std::path::PathBuf;
use std::process::ExitCode;

use chamado_profile::Lang;
use clap::{Parser, Subcommand};

/// Exit code for a profile with problems (and for usage errors, as clap does).
const EXIT_INVALID: u8 = 2;

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
    /// Vendor profiles: check one, print the built-in one or the schema.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
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

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => crate::gui::run(cli.profile),
        Some(Command::Profile { action }) => profile(action, cli.lang),
    }
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
