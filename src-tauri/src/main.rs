//! The `chamado` binary: the command line (`cli.rs`), which opens the window when no subcommand is
//! given. The window is this package's library (`lib.rs`): linked in on Windows, loaded from
//! libchamado_gui.so only when it opens on Linux (`gui_loader.rs`), so the command line there
//! never maps WebKitGTK, GTK and their dependencies.

mod cli;
mod deliver;
#[cfg(target_os = "linux")]
mod gui_loader;
mod paths;

fn main() -> std::process::ExitCode {
    cli::run()
}
