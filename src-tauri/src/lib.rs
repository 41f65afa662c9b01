//! Chamado's window: the Tauri app over the library crates, and the types that cross into the UI.
//! The only crate that depends on Tauri. The `chamado` binary (the command line, `main.rs`) opens
//! it: on Windows by calling [`run`] (linked in), on Linux through `chamado_gui_run_v1` in
//! libchamado_gui.so, loaded only then, so the command line never maps WebKitGTK.

mod bridge;
mod commands;
mod gui;
mod logging;
mod platform;

pub use commands::COMMANDS;

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the window and returns when it closes. `profile` is `--profile`'s file; `data_dir` is
/// Chamado's data folder (logs, the WebView's storage), which the command line decides.
pub fn run(profile: Option<PathBuf>, data_dir: PathBuf) -> ExitCode {
    ExitCode::from(gui::run(profile, data_dir))
}

/// The entry point the `chamado` binary looks up in libchamado_gui.so (Linux): [`run`] in plain C
/// types. Paths come as bytes (pointer and length; a null `profile` means none) and the exit code
/// goes back as a byte. The version is in the name: a library from a build with another contract
/// is refused by name instead of being called wrongly. The caller's half is `gui_loader.rs`;
/// change both together.
///
/// # Safety
/// `profile` (unless null) and `data_dir` point to `profile_len` and `data_dir_len` readable bytes
/// that stay valid during the call.
// unsafe_code is allowed here only: an exported, unmangled symbol (what dlsym finds) and the two
// byte slices rebuilt from the caller's pointers are the library's half of the dlopen boundary.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
#[no_mangle]
pub unsafe extern "C" fn chamado_gui_run_v1(
    profile: *const u8,
    profile_len: usize,
    data_dir: *const u8,
    data_dir_len: usize,
) -> u8 {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let path = |bytes: &[u8]| PathBuf::from(OsStr::from_bytes(bytes));
    // SAFETY: the caller guarantees both regions (see above); null means no profile.
    let (profile, data_dir) = unsafe {
        (
            (!profile.is_null()).then(|| path(std::slice::from_raw_parts(profile, profile_len))),
            path(std::slice::from_raw_parts(data_dir, data_dir_len)),
        )
    };
    gui::run(profile, data_dir)
}

/// `ui/src/lib/bindings.ts`: the TypeScript declarations of every type that crosses into the UI,
/// and a function for each command.
pub fn ts_bindings() -> String {
    use chamado_app as app;
    use chamado_profile as p;
    use ts_rs::TS;
    let cfg = ts_rs::Config::new();
    let decls = [
        p::Lang::decl(&cfg),
        p::Text::decl(&cfg),
        app::ProfileView::decl(&cfg),
        app::profile::CentralView::decl(&cfg),
        p::Vendor::decl(&cfg),
        p::Branding::decl(&cfg),
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
        p::BundleLimits::decl(&cfg),
        p::BuiltinCheck::decl(&cfg),
        p::ProfileSource::decl(&cfg),
        p::Problem::decl(&cfg),
        p::ProblemKind::decl(&cfg),
        p::ProfileError::decl(&cfg),
        chamado_bundle::ItemKind::decl(&cfg),
        chamado_bundle::Preview::decl(&cfg),
        chamado_bundle::ReviewItem::decl(&cfg),
        chamado_bundle::Review::decl(&cfg),
        app::Startup::decl(&cfg),
        app::AppError::decl(&cfg),
        app::ErrorCode::decl(&cfg),
        chamado_capture::Rect::decl(&cfg),
        chamado_capture::Edits::decl(&cfg),
        chamado_capture::RectProblem::decl(&cfg),
        chamado_capture::CaptureErrorCode::decl(&cfg),
        app::screens::ShotView::decl(&cfg),
        app::screens::CaptureOutcome::decl(&cfg),
        app::screens::CaptureFailure::decl(&cfg),
        app::screens::ScreenImage::decl(&cfg),
        chamado_client::Entry::decl(&cfg),
        chamado_client::EntryState::decl(&cfg),
        chamado_client::NewTicket::decl(&cfg),
        chamado_client::Contact::decl(&cfg),
        chamado_client::NewMessage::decl(&cfg),
        chamado_client::central::TechnicianTarget::decl(&cfg),
        chamado_client::Sent::decl(&cfg),
        chamado_wire::ThreadMessage::decl(&cfg),
        chamado_wire::ThreadFile::decl(&cfg),
        chamado_client::DamagedEntry::decl(&cfg),
        app::EntryKind::decl(&cfg),
        app::delivery::RefusedCode::decl(&cfg),
        app::delivery::WaitingCode::decl(&cfg),
        app::Delivery::decl(&cfg),
        app::DeliveryEvent::decl(&cfg),
        app::QueueItem::decl(&cfg),
        app::Queue::decl(&cfg),
        app::ticket::Person::decl(&cfg),
        app::ticket::Affected::decl(&cfg),
        app::ticket::Frequency::decl(&cfg),
        app::ticket::Urgency::decl(&cfg),
        p::Priority::decl(&cfg),
        app::ticket::WizardStep::decl(&cfg),
        app::ticket::TicketDraft::decl(&cfg),
        app::review::ReviewPurpose::decl(&cfg),
        app::review::Replaced::decl(&cfg),
        app::review::BundleReview::decl(&cfg),
        app::review::CollectProgress::decl(&cfg),
        app::attachments::Attachment::decl(&cfg),
        app::attachments::AttachmentProblem::decl(&cfg),
        app::attachments::AttachmentRefusal::decl(&cfg),
        app::attachments::AttachmentsOutcome::decl(&cfg),
        app::attachments::FileDrop::decl(&cfg),
        app::remote::RemoteId::decl(&cfg),
        app::remote::RemoteVendor::decl(&cfg),
        chamado_wire::Notice::decl(&cfg),
        chamado_wire::ResolvedHow::decl(&cfg),
        app::notices::Notices::decl(&cfg),
        app::program::ProgramVersion::decl(&cfg),
        app::program::RunningProgram::decl(&cfg),
        app::checks::CheckEvent::decl(&cfg),
        app::checks::Worded::decl(&cfg),
        app::checks::ItemResult::decl(&cfg),
        app::checks::ItemState::decl(&cfg),
        app::checks::Requirement::decl(&cfg),
        app::checks::RequirementResult::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from Rust by `UPDATE_GENERATED=1 cargo test -p chamado --test generated`: the\n\
         // types that cross into the UI and a function for each command (src-tauri/src/commands.rs).\n\
         // Do not edit: CI fails when this file differs from what the Rust side generates.\n\
         import { Channel, invoke } from '@tauri-apps/api/core';\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    // chamado_wire::TicketStatus keeps a newer central's unknown code as it came (ts-rs would
    // widen the union to `string`): the UI switches on the three it knows.
    out.push_str("\nexport type TicketStatus = \"open\" | \"answered\" | \"closed\";\n");
    // The same for a message's author (chamado_wire::MessageAuthor).
    out.push_str("\nexport type MessageAuthor = \"customer\" | \"staff\" | \"technician\";\n");
    out.push_str("\n// Commands\n");
    out.push_str(&commands::typescript());
    out
}
