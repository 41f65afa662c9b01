//! Chamado's app crate: the command line and the desktop window, a thin layer over the library
//! crates. The only crate that depends on Tauri.

mod cli;
mod gui;
mod logging;
mod paths;
mod platform;

pub use gui::Startup;

use std::process::ExitCode;

/// The entry point of the `chamado` binary.
pub fn main() -> ExitCode {
    cli::run()
}

/// The TypeScript declarations of every type that crosses into the UI (`ui/src/lib/bindings.ts`).
pub fn ts_bindings() -> String {
    use chamado_profile as p;
    use ts_rs::TS;
    let cfg = ts_rs::Config::new();
    let decls = [
        p::Lang::decl(&cfg),
        p::Text::decl(&cfg),
        p::Profile::decl(&cfg),
        p::Vendor::decl(&cfg),
        p::Branding::decl(&cfg),
        p::Central::decl(&cfg),
        p::Topic::decl(&cfg),
        p::Guide::decl(&cfg),
        p::ChecklistItem::decl(&cfg),
        p::Field::decl(&cfg),
        p::FieldKind::decl(&cfg),
        p::Choice::decl(&cfg),
        p::Diagnostic::decl(&cfg),
        p::Module::decl(&cfg),
        p::Check::decl(&cfg),
        p::Program::decl(&cfg),
        p::BuiltinCheck::decl(&cfg),
        p::ProfileSource::decl(&cfg),
        p::Problem::decl(&cfg),
        p::ProblemKind::decl(&cfg),
        p::ProfileError::decl(&cfg),
        Startup::decl(&cfg),
        gui::CommandError::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `UPDATE_GENERATED=1 cargo test -p chamado --test generated`.\n\
         // Do not edit: CI fails when this file differs from what the Rust types generate.\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}
