//! The `chamado` binary: the command line (chamado-cli), which opens the window when no subcommand
//! is given. The window is this package's library (`lib.rs`): linked in on Windows, loaded from
//! libchamado_gui.so only when it opens on Linux (`gui_loader.rs`), so the command line there
//! never maps WebKitGTK, GTK and their dependencies.

#[cfg(target_os = "linux")]
mod gui_loader;

fn main() -> std::process::ExitCode {
    chamado_cli::run(|profile, data_dir, lang| {
        #[cfg(target_os = "linux")]
        {
            gui_loader::run(profile.as_deref(), &data_dir, lang)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = lang; // the window has its own language switch
            chamado_gui::run(profile, data_dir)
        }
    })
}
