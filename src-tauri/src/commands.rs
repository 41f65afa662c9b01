//! The window's commands: each one line over chamado-app (see `bridge.rs` for what the table
//! generates). The UI's rejections are always an `AppError`.

use chamado_app::attachments::{Attachment, AttachmentsOutcome, FileDrop};
use chamado_app::checks::CheckEvent;
use chamado_app::notices::Notices;
use chamado_app::program::ProgramVersion;
use chamado_app::remote::RemoteId;
use chamado_app::review::{BundleReview, CollectProgress};
use chamado_app::screens::{CaptureOutcome, ScreenImage, ShotView};
use chamado_app::ticket::{Person, TicketDraft};
use chamado_app::{DeliveryEvent, Queue, Startup};
use chamado_capture::Edits;
use chamado_client::Sent;
use chamado_profile::Lang;
use chamado_wire::ResolvedHow;
use tauri::ipc::Channel;

use crate::bridge::bridge;

bridge! {
    /// What the UI needs to draw its first screen: the profile (without secrets), or why it
    /// cannot be used.
    fn startup(app) -> Startup { Ok(app.startup()) }

    /// The UI's first screen is drawn: the log records the start-up time (the benchmark reads it).
    fn ui_ready(app, screen: String) -> () { crate::gui::ui_ready(&app, &screen); Ok(()) }

    /// Opens a guide's page in the browser; the UI names the guide, not the URL.
    fn open_guide(app, topic: String, index: u32) -> () { app.open_guide(&topic, index as usize) }

    /// Hides the window, captures every monitor, shows the window again; a failed capture is in
    /// the outcome.
    fn capture_screens(app, window: tauri::WebviewWindow as "") -> CaptureOutcome {
        app.screens.capture(crate::gui::Curtain(window)).await
    }

    fn list_screens(app) -> Vec<ShotView> { app.screens.list().await }

    /// The captured image (`original`, for the editor) or the image as it will be sent.
    fn screen_image(app, id: u32, original: bool) -> ScreenImage { app.screens.image(id, original).await }

    /// Applies the edits (in the captured image's pixels) to the pixels; replaces earlier edits.
    fn edit_screen(app, id: u32, edits: Edits) -> ShotView { app.screens.edit(id, edits).await }

    fn remove_screen(app, id: u32) -> Vec<ShotView> { app.screens.remove(id).await }

    /// The sender's state changes and progress go to this channel (a new one replaces it).
    fn delivery_events(app, channel: Channel<DeliveryEvent> as "Channel<DeliveryEvent>") -> () {
        app.sender().subscribe(move |e| { let _ = channel.send(e); });
        Ok(())
    }

    /// The Fila, read from disk; reading it wakes the sender.
    fn outbox_list(app) -> Queue { app.queue() }

    /// "Enviar agora": due at once (a refused entry is tried again).
    fn outbox_send_now(app, id: String) -> () { app.send_now(&id) }

    /// "Excluir", after the user confirmed.
    fn outbox_delete(app, id: String) -> () { app.delete(&id) }

    /// Meus chamados as last known, newest first.
    fn history_list(app) -> Vec<Sent> { app.history() }

    /// Meus chamados with each ticket's status read again from central.
    fn history_refresh(app) -> Vec<Sent> { app.refresh_history().await }

    /// Meus chamados showed the ticket's replies up to `reply` (an id): no longer new.
    fn history_seen(app, reference: String, reply: i64 as "number") -> () { app.mark_replies_seen(&reference, reply) }

    fn open_ticket_link(app, reference: String) -> () { app.open_ticket_link(&reference) }

    /// Saves the sent ticket's receipt (HTML) in the user's Documents; answers its path.
    fn save_receipt(app, reference: String, lang: Lang) -> String { app.save_receipt(&reference, lang) }

    /// Saves the receipt again and opens it in the browser.
    fn open_receipt(app, reference: String, lang: Lang) -> () { app.open_receipt(&reference, lang) }

    /// Enrols this computer with the code the user typed, at the profile's central.
    fn enrol(app, code: String) -> () { app.enrol(&code).await }

    /// Queues text for a sent ticket (its draft goes); answers the Fila entry's id.
    fn add_information(app, reference: String, text: String) -> String { app.add_information(&reference, &text) }

    /// The text being typed for a sent ticket ('' when none).
    fn information_draft(app, reference: String) -> String { app.information_draft(&reference) }

    /// Keeps the text being typed for a sent ticket (crash-safe); an empty text removes it.
    fn save_information_draft(app, reference: String, text: String) -> () {
        app.save_information_draft(&reference, &text)
    }

    /// Who the customer is, as last told (`null` the first time).
    fn person(app) -> Option<Person> { app.person() }

    /// Remembers who the customer is; `invalid` with the field at fault.
    fn save_person(app, person: Person) -> () { app.save_person(&person) }

    /// The ticket the customer was writing, if any.
    fn ticket_draft(app) -> Option<TicketDraft> { app.ticket_draft() }

    /// Keeps the ticket being written (crash-safe), as it is typed.
    fn save_ticket_draft(app, draft: TicketDraft) -> () { app.save_ticket_draft(&draft) }

    /// The draft and its screenshots go ("Começar de novo", "resolveu").
    fn discard_ticket_draft(app) -> () { app.discard_ticket_draft().await }

    /// "Vamos verificar": runs the topic's checks; each result goes to the channel as it is known.
    fn run_checks(app, topic: String, channel: Channel<CheckEvent> as "Channel<CheckEvent>") -> () {
        app.run_checks(&topic, move |e| { let _ = channel.send(e); }).await
    }

    /// "Agora está funcionando": this state is the reference for "what changed".
    fn checks_work(app, topic: String) -> () { app.checks_work(&topic).await }

    /// Validates, collects diagnostics, composes the bundle (with the screenshots), queues it and
    /// wakes the sender; discards the draft; answers the outbox entry's id.
    fn submit_ticket(app, draft: TicketDraft) -> String { app.submit_ticket(&draft).await }

    /// "Confira antes de enviar": checks the ticket, collects and composes its bundle (held
    /// until sent); every item that would be sent.
    fn prepare_ticket_review(app, draft: TicketDraft) -> BundleReview { app.prepare_ticket_review(&draft).await }

    /// Technician mode: collects (each part told on `progress`) and composes a bundle for review.
    fn prepare_technician_review(app, progress: Channel<CollectProgress> as "Channel<CollectProgress>") -> BundleReview {
        app.prepare_technician_review(&|p| { let _ = progress.send(p); }).await
    }

    /// "Incluir um novo diagnóstico" for a ticket in Meus chamados (each part told on `progress`).
    fn prepare_follow_up_review(app, reference: String, progress: Channel<CollectProgress> as "Channel<CollectProgress>") -> BundleReview {
        app.prepare_follow_up_review(&reference, &|p| { let _ = progress.send(p); }).await
    }

    /// The bundle under review, if any.
    fn bundle_review(app) -> Option<BundleReview> { Ok(app.bundle_review()) }

    /// The customer's switch on one item (a required one is `invalid`).
    fn set_review_item(app, id: String, included: bool) -> BundleReview { app.set_review_item(&id, included) }

    /// "Enviar mesmo assim": the bundle may go over the budget.
    fn send_over_budget(app, confirmed: bool) -> BundleReview { app.send_over_budget(confirmed) }

    /// Where "Salvar em arquivo" proposes to save (Documents).
    fn default_bundle_path(app) -> String { Ok(app.default_bundle_path()) }

    /// Writes the reviewed bundle to `path`; answers the file written.
    fn save_review(app, path: String) -> String { app.save_review(&path) }

    /// Queues the reviewed bundle for the ticket opened by phone; answers the Fila entry's id.
    fn attach_review(app, number: String, email: String, note: Option<String>) -> String {
        app.attach_review(&number, &email, note.as_deref())
    }

    /// Queues text with the reviewed follow-up bundle for a sent ticket; answers the entry's id.
    fn add_information_with_review(app, reference: String, text: String) -> String {
        app.add_information_with_review(&reference, &text)
    }
    /// Attaches files to the ticket being written; each refused one is named, the others stay.
    fn add_attachments(app, paths: Vec<String>) -> AttachmentsOutcome { app.add_attachments(paths) }

    /// "Anexar arquivos": the system's file dialog, then the chosen files are attached (none
    /// chosen: the list as it is).
    fn choose_attachments(app, window: tauri::WebviewWindow as "") -> AttachmentsOutcome {
        crate::gui::choose_attachments(&app, window).await
    }

    /// The files attached to the ticket being written, as Rust keeps them.
    fn attachments(app) -> Vec<Attachment> { app.attachments() }

    /// "Remover": the list as it now is.
    fn remove_attachment(app, path: String) -> Vec<Attachment> { app.remove_attachment(&path) }

    /// Files dragged over and dropped on the window go to this channel (a new one replaces it).
    fn file_drops(_app, window: tauri::WebviewWindow as "", channel: Channel<FileDrop> as "Channel<FileDrop>") -> () {
        crate::gui::file_drops(&window, channel);
        Ok(())
    }

    /// The remote-access programs' IDs found on this computer (AnyDesk, TeamViewer, RustDesk).
    fn remote_access(app) -> Vec<RemoteId> { app.remote_access().await }

    /// The vendor's notices and latest version: central's now (a few seconds at most), or the
    /// last answer kept.
    fn notices(app) -> Notices { app.notices().await }

    /// "Isso resolveu? Sim": counted on central, kept until it has it; whether it has all now.
    fn report_resolved(app, topic: String, how: ResolvedHow) -> bool { app.report_resolved(&topic, how).await }

    /// The vendor's program here (installed version, running copies) beside the latest one.
    fn program_version(app) -> ProgramVersion { app.program_version().await }
}
