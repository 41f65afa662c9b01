// Generated from Rust by `UPDATE_GENERATED=1 cargo test -p chamado --test generated`: the
// types that cross into the UI and a function for each command (src-tauri/src/commands.rs).
// Do not edit: CI fails when this file differs from what the Rust side generates.
import { Channel, invoke } from '@tauri-apps/api/core';

export type Lang = "pt-BR" | "en";

export type Text = { "pt-BR": string, en: string, };

export type ProfileView = { vendor: Vendor, branding: Branding, central: CentralView, topics: Array<Topic>, modules: Array<Module>, checks: Array<Check>, program: Program | null, bundle: BundleLimits, };

export type CentralView = { url: string, };

export type Vendor = { name: string, phone: string, 
/**
 * e.g. "disque 4 para o suporte".
 */
phone_note: Text | null, hours: Text, 
/**
 * The vendor's support site (http or https).
 */
portal: string, };

export type Branding = { 
/**
 * The vendor's program as the customer knows it.
 */
product: string, 
/**
 * Image file, relative to the profile file (png, jpg, svg or webp).
 */
logo: string | null, 
/**
 * `#rrggbb` or `#rgb`.
 */
accent: string | null, };

export type Topic = { 
/**
 * Lower-case letters, digits and `-`.
 */
id: string, label: Text, 
/**
 * One line under the label.
 */
description: Text, 
/**
 * The help topic's id in osTicket (`topicId`).
 */
osticket_topic: number, 
/**
 * What to read before opening a ticket.
 */
guides: Array<Guide>, 
/**
 * The usual causes to rule out.
 */
checklist: Array<ChecklistItem>, 
/**
 * Topic-specific fields of the ticket.
 */
fields: Array<Field>, 
/**
 * Which diagnostics to collect for this topic.
 */
diagnostics: Array<Diagnostic>, 
/**
 * Whether the app suggests screenshots.
 */
screenshots: boolean, 
/**
 * Whether the checks step says if this computer meets the profile's `[requirements]`
 * (which must then exist): for installation and update topics.
 */
requirements: boolean, };

export type Guide = { title: Text, url: string | null, text: Text | null, };

export type ChecklistItem = { text: Text, 
/**
 * Checks that answer this item: ids from `checks` or built-in ones (see `BuiltinCheck`).
 */
checks: Array<string>, };

export type Field = { 
/**
 * The osTicket variable name: lower-case letters, digits and `_`.
 */
name: string, label: Text, kind: FieldKind, required: boolean, help: Text | null, 
/**
 * The choices, for `kind = "choice"` only.
 */
options: Array<Choice>, };

export type FieldKind = "text" | "multiline" | "choice" | "version" | "date";

export type Choice = { value: string, label: Text, };

export type Diagnostic = "system" | "hardware" | "program" | "network" | "checks" | "antivirus" | "firewall" | "software" | "crashes" | "logs";

export type Module = { id: string, label: Text, };

export type Check = { id: string, label: Text, dns: string | null, tcp: string | null, http: string | null, 
/**
 * For `http`: the status that means "working" (default 200).
 */
expect_status: number | null, 
/**
 * For `http`: text the answer must contain. Another page in its place means something
 * answers for the site: a captive portal (hotel, guest Wi-Fi) or an intercepting proxy.
 * Windows' own test: `http://www.msftconnecttest.com/connecttest.txt` answers
 * "Microsoft Connect Test".
 */
expect_body: string | null, timeout_ms: number, };

export type Program = { 
/**
 * The program's name in the Windows list of installed programs.
 */
display_name: string, 
/**
 * Path of its executable (environment variables such as `%ProgramFiles%` allowed).
 */
exe: string, 
/**
 * Globs of its log files.
 */
logs: Array<string>, timeout_ms: number, };

export type BundleLimits = { 
/**
 * The whole bundle once packed; osTicket drops larger attachments silently (default
 * 1024: its default limit).
 */
budget_kib: number, 
/**
 * Any one file the customer attaches.
 */
attachment_max_kib: number, 
/**
 * All the customer's attachments together.
 */
attachments_total_max_kib: number, };

export type BuiltinCheck = "network" | "proxy" | "antivirus" | "firewall" | "recent-software" | "program";

export type ProfileSource = { "kind": "argument", "path": string } | { "kind": "installed", "path": string } | { "kind": "built_in" };

export type Problem = { line: number | null, column: number | null, 
/**
 * e.g. `topics[2].fields[0].kind`; empty for the whole file.
 */
path: string, kind: ProblemKind, 
/**
 * `kind` said in each language, for the UI's error screen.
 */
message: Text, };

export type ProblemKind = { "code": "unreadable", reason: string, } | { "code": "syntax", detail: string, } | { "code": "wrong_type", detail: string, } | { "code": "unknown_value", value: string, allowed: Array<string>, } | { "code": "unknown_key", key: string, } | { "code": "required" } | { "code": "missing_translation", lang: Lang, } | { "code": "duplicate_id", id: string, first_line: number, } | { "code": "bad_id", id: string, allowed: string, } | { "code": "unknown_check", name: string, } | { "code": "reserved_check", name: string, } | { "code": "program_not_described" } | { "code": "requirements_not_described" } | { "code": "bad_url", value: string, } | { "code": "bad_colour", value: string, } | { "code": "bad_host", value: string, } | { "code": "bad_address", value: string, } | { "code": "check_target" } | { "code": "status_without_http" } | { "code": "guide_content" } | { "code": "choice_without_options" } | { "code": "options_not_allowed" } | { "code": "out_of_range", value: number, min: number, max: number, } | { "code": "file_not_found", value: string, } | { "code": "bad_image", value: string, } | { "code": "no_topics" } | { "code": "duplicated", value: string, };

export type ProfileError = { 
/**
 * The file as the user named it, or `(built-in)`.
 */
file: string, problems: Array<Problem>, };

export type ItemKind = "report" | "diagnostics" | "screenshot" | "log" | "attachment" | "field" | "finding" | "probe";

export type Preview = { "type": "text", text: string, truncated: boolean, } | { "type": "image", mime: string, base64: string, } | { "type": "none" };

export type ReviewItem = { id: string, kind: ItemKind, 
/**
 * Its path in the bundle; for a part, where it is: `diagnostics.json#network`,
 * `ticket#contact.phone`.
 */
path: string, 
/**
 * A part's carrier: `diagnostics.json`, or `ticket` for the form's fields; `None` for a file.
 */
part_of: string | null, label: string, required: boolean, included: boolean, size: number, 
/**
 * Its size once packed in the zip (a part: its share of its carrier, estimated).
 */
packed_size: number, preview: Preview, };

export type Review = { items: Array<ReviewItem>, 
/**
 * The bundle's size as it stands (included items, manifest, zip structure).
 */
total_bytes: number, budget_bytes: number, over_budget: boolean, 
/**
 * Optional included items whose removal brings it within the budget, largest first
 * (empty when within it; all optional ones when even that is not enough).
 */
proposal: Array<string>, };

export type Startup = { "status": "ready", profile: ProfileView, source: ProfileSource, 
/**
 * The vendor's logo as a `data:` URL (the UI loads nothing from outside the app).
 */
logo: string | null, } | { "status": "broken", source: ProfileSource, error: ProfileError, };

export type AppError = { code: ErrorCode, message: string, 
/**
 * The field at fault (`hide[1].x`), for `edit_rejected`.
 */
field: string | null, problem: RectProblem | null, };

export type ErrorCode = "no_profile" | "no_such_guide" | "browser_unavailable" | "storage" | "not_queued" | "damaged_entry" | "busy" | "not_enrolled" | "offline" | "no_link" | "code_refused" | "no_central" | "empty_message" | "no_such_ticket" | "no_such_shot" | "edit_rejected" | "invalid" | "over_budget" | "no_review" | "internal";

export type Rect = { x: number, y: number, width: number, height: number, };

export type Edits = { crop: Rect | null, hide: Array<Rect>, 
/**
 * Outlined, the inside untouched. Absent in edits saved before highlights existed.
 */
highlight: Array<Rect>, };

export type RectProblem = "empty" | "outside_image";

export type CaptureErrorCode = "no_display" | "permission_denied" | "failed";

export type ShotView = { id: number, 
/**
 * Its place in the list from 1: the `N` of `tela-N.webp` in the bundle.
 */
number: number, monitor: string, primary: boolean, 
/**
 * The captured image's size: the editor's rectangles are in these pixels.
 */
captured_width: number, captured_height: number, 
/**
 * The size as sent (after the crop).
 */
width: number, height: number, bytes: number, 
/**
 * One colour all over: possibly a protected or locked screen.
 */
blank: boolean, edits: Edits, 
/**
 * The thumbnail of the image as sent, as a `data:` URL.
 */
thumbnail: string, };

export type CaptureOutcome = { shots: Array<ShotView>, added: Array<number>, failure: CaptureFailure | null, problems: Array<CaptureFailure>, };

export type CaptureFailure = { code: CaptureErrorCode, 
/**
 * The monitor, when others were captured.
 */
monitor: string | null, detail: string, };

export type ScreenImage = { data_url: string, width: number, height: number, };

export type Entry = { 
/**
 * Sortable: `YYYYMMDD-HHMMSS-xxxxxx`.
 */
id: string, 
/**
 * Sent with every attempt: central takes the ticket once whatever the retries.
 */
idempotency_key: string, 
/**
 * RFC 3339.
 */
created_at: string, has_bundle: boolean, state: EntryState, attempts: number, 
/**
 * RFC 3339; `None`: as soon as possible.
 */
next_attempt_at: string | null, last_error: string | null, } & ({ "ticket": NewTicket } | { "message": NewMessage } | { "technician_bundle": TechnicianTarget });

export type EntryState = { "state": "queued" } | { "state": "refused", status: number, reason: string, };

export type NewTicket = { topic: string, summary: string, description: string, contact: Contact, module: string | null, fields: { [key in string]: string }, priority?: Priority | null, };

export type Contact = { name: string, email: string, phone: string | null, };

export type NewMessage = { 
/**
 * Central's reference of the ticket.
 */
reference: string, 
/**
 * The help desk's number, when known (for the user's eyes).
 */
number: string | null, body: string, 
/**
 * The attached files' names, in order; their copies are `attachments/0`, `1`...
 */
attachments: Array<string>, };

export type TechnicianTarget = { number: string, email: string, note?: string | null, };

export type Sent = { reference: string, number: string | null, link: string | null, 
/**
 * `open`, `answered`, `closed` (history files hold the code). The UI's `TicketStatus` names
 * these three; a newer central's status arrives as its code and is shown as in progress.
 */
status: TicketStatus, topic: string, summary: string, 
/**
 * RFC 3339: when it was delivered.
 */
sent_at: string, 
/**
 * RFC 3339: when its status was last read from central.
 */
updated_at: string, 
/**
 * The support's replies, oldest first, as central last gave them: readable offline.
 */
replies: Array<ThreadMessage>, 
/**
 * The newest reply the user has seen (its id); newer ones are new to them.
 */
seen_reply: number | null, };

export type ThreadMessage = { 
/**
 * Central's id: grows with each message of the installation's tickets.
 */
id: number, author: MessageAuthor, 
/**
 * Plain text, never HTML; line breaks as typed.
 */
body: string, 
/**
 * RFC 3339.
 */
created_at: string, attachments: Array<ThreadFile>, };

export type ThreadFile = { kind: string, name: string, size: number, };

export type DamagedEntry = { 
/**
 * Its folder's name (the entry's id, when it was one).
 */
id: string, 
/**
 * Why it could not be read: a technical detail the Fila shows under its own wording.
 */
reason: string, 
/**
 * Where it is kept now.
 */
path: string, 
/**
 * RFC 3339; empty when its note was lost.
 */
set_aside_at: string, };

export type EntryKind = "ticket" | "message" | "technician_bundle";

export type RefusedCode = "not_enrolled" | "invalid" | "too_large" | "conflict" | "refused";

export type WaitingCode = "offline" | "bundle";

export type Delivery = { "state": "queued" } | { "state": "sending", sent: number, total: number, } | { "state": "delivered", reference: string, number: string | null, link: string | null, } | { "state": "refused", status: number, code: RefusedCode, reason: string, } | { "state": "waiting", code: WaitingCode, next_attempt_at: string | null, reason: string, };

export type DeliveryEvent = { id: string, kind: EntryKind, delivery: Delivery, };

export type QueueItem = { entry: Entry, kind: EntryKind, delivery: Delivery, 
/**
 * The bytes its files upload (bundle and attachments): what progress counts up to.
 */
total: number, };

export type Queue = { enrolled: boolean, items: Array<QueueItem>, 
/**
 * Entries that could not be read, set aside (kept on disk) with why.
 */
damaged: Array<DamagedEntry>, };

export type Person = { name: string, 
/**
 * One person's own address: replies and the ticket's history go there.
 */
email: string, phone: string, company: string, 
/**
 * One more person to keep informed (an e-mail), if any.
 */
keep_informed: string | null, };

export type Affected = "only_me" | "some_people" | "whole_company";

export type Frequency = "first_time" | "sometimes" | "always";

export type Urgency = { affected: Affected | null, work_stopped: boolean | null, workaround: boolean | null, frequency: Frequency | null, };

export type Priority = "low" | "normal" | "high" | "urgent";

export type WizardStep = "person" | "topic" | "guides" | "checks" | "details" | "evidence" | "review" | "send";

export type TicketDraft = { step: WizardStep, topic: string | null, 
/**
 * The topic's guides the customer opened (their indexes): the analyst sees what was tried.
 */
guides_opened: Array<number>, module: string | null, summary: string, description: string, fields: { [key in string]: string }, urgency: Urgency, 
/**
 * The files attached ("Mostre para nós"); changed only by `App::add_attachments` and
 * `App::remove_attachment`.
 */
attachments: Array<Attachment>, 
/**
 * The remote-access ID the customer agreed to send (unticked: `None`).
 */
remote_access: RemoteId | null, };

export type ReviewPurpose = "ticket" | "technician" | "follow_up";

export type Replaced = { 
/**
 * The kind's code (`user_name`, `email`, `cpf`, ... as the manifest says it).
 */
kind: string, 
/**
 * Replacements made.
 */
replaced: number, 
/**
 * Distinct values replaced.
 */
distinct: number, };

export type BundleReview = { purpose: ReviewPurpose, review: Review, 
/**
 * What redaction replaced in the texts as they now stand, per kind.
 */
redacted: Array<Replaced>, 
/**
 * The customer said to send it over the budget anyway.
 */
send_over_budget: boolean, };

export type CollectProgress = { done: number, total: number, };

export type Attachment = { 
/**
 * Where it is on this computer (what "Remover" names).
 */
path: string, 
/**
 * The file's name, as the customer knows it.
 */
name: string, 
/**
 * In bytes, when it was attached.
 */
size: number, };

export type AttachmentProblem = "unreadable" | "not_a_file" | "too_large" | "total_too_large" | "duplicate";

export type AttachmentRefusal = { name: string, problem: AttachmentProblem, size: number, limit: number, 
/**
 * The system's reason, for the log and the curious (never the user's explanation).
 */
detail: string, };

export type AttachmentsOutcome = { attachments: Array<Attachment>, refused: Array<AttachmentRefusal>, };

export type FileDrop = { "kind": "over" } | { "kind": "leave" } | { "kind": "drop", paths: Array<string>, };

export type RemoteId = { vendor: RemoteVendor, 
/**
 * As the program keeps it (digits, no spaces).
 */
id: string, };

export type RemoteVendor = "anydesk" | "teamviewer" | "rustdesk";

export type Notice = { id: number, text: string, 
/**
 * A profile topic's id; none for a notice about everything.
 */
topic: string | null, 
/**
 * RFC 3339, UTC.
 */
created_at: string, 
/**
 * RFC 3339, UTC; none until the vendor removes it.
 */
until: string | null, };

export type ResolvedHow = "guide" | "checks";

export type Notices = { notices: Array<Notice>, latest_version: string | null, 
/**
 * When central gave this answer (RFC 3339); none when it never has.
 */
fetched_at: string | null, 
/**
 * Central did not answer now (offline, or not enrolled): this is the last answer kept.
 */
from_cache: boolean, };

export type ProgramVersion = { 
/**
 * The program's name (the profile's `display_name`); none when the profile describes none.
 */
name: string | null, 
/**
 * The installed version detected; none when it could not be read.
 */
installed: string | null, 
/**
 * The latest version the vendor published on central (as last fetched).
 */
latest: string | null, 
/**
 * Whether the installed version is the latest; none when either is unknown.
 */
up_to_date: boolean | null, 
/**
 * Copies of the program running now: closed before updating.
 */
running: Array<RunningProgram>, };

export type RunningProgram = { pid: number, 
/**
 * Where it runs from; none when the system would not say.
 */
path: string | null, };

export type CheckEvent = { "event": "started", run: number, 
/**
 * Check ids (the profile's or built-in), in the checklist's order.
 */
items: Array<string>, requirements: Array<Requirement>, } | { "event": "item", run: number, id: string, 
/**
 * What was found (a problem and what to do; a note when all is well).
 */
findings: Array<Worded>, elapsed_ms: number, } & ({ "state": "ok" } | { "state": "problem" } | { "state": "could_not_check", timed_out: boolean, detail: string | null, }) | { "event": "requirement", run: number, requirement: Requirement, 
/**
 * `null`: could not be told (not Windows, a probe that failed).
 */
met: boolean | null, 
/**
 * What this computer has, e.g. `Windows 10 Pro (19045)`, `8192 MiB`, `x64`.
 */
measured: string | null, } | { "event": "changes", run: number, since: string | null, 
/**
 * The reference is a time the customer said things worked.
 */
since_good: boolean, changes: Array<Worded>, } | { "event": "finished", run: number, elapsed_ms: number, };

export type Worded = { title: Text, action: Text, };

export type ItemResult = { id: string, 
/**
 * What was found (a problem and what to do; a note when all is well).
 */
findings: Array<Worded>, elapsed_ms: number, } & ({ "state": "ok" } | { "state": "problem" } | { "state": "could_not_check", timed_out: boolean, detail: string | null, });

export type ItemState = { "state": "ok" } | { "state": "problem" } | { "state": "could_not_check", timed_out: boolean, detail: string | null, };

export type Requirement = { "kind": "windows", min_build: number, } | { "kind": "edition", accepted: Array<string>, } | { "kind": "architecture", accepted: Array<string>, } | { "kind": "memory", min_mib: number, } | { "kind": "free_disk", min_mib: number, } | { "kind": "port", check: string, };

export type RequirementResult = { requirement: Requirement, 
/**
 * `null`: could not be told (not Windows, a probe that failed).
 */
met: boolean | null, 
/**
 * What this computer has, e.g. `Windows 10 Pro (19045)`, `8192 MiB`, `x64`.
 */
measured: string | null, };

export type TicketStatus = "open" | "answered" | "closed";

export type MessageAuthor = "customer" | "staff" | "technician";

// Commands

/**
 * What the UI needs to draw its first screen: the profile (without secrets), or why it
 * cannot be used.
 */
export function startup(): Promise<Startup> {
  return invoke<Startup>('startup');
}

/**
 * The UI's first screen is drawn: the log records the start-up time (the benchmark reads it).
 */
export function uiReady(screen: string): Promise<void> {
  return invoke<void>('ui_ready', { screen });
}

/**
 * Opens a guide's page in the browser; the UI names the guide, not the URL.
 */
export function openGuide(topic: string, index: number): Promise<void> {
  return invoke<void>('open_guide', { topic, index });
}

/**
 * Hides the window, captures every monitor, shows the window again; a failed capture is in
 * the outcome.
 */
export function captureScreens(): Promise<CaptureOutcome> {
  return invoke<CaptureOutcome>('capture_screens');
}

export function listScreens(): Promise<Array<ShotView>> {
  return invoke<Array<ShotView>>('list_screens');
}

/**
 * The captured image (`original`, for the editor) or the image as it will be sent.
 */
export function screenImage(id: number, original: boolean): Promise<ScreenImage> {
  return invoke<ScreenImage>('screen_image', { id, original });
}

/**
 * Applies the edits (in the captured image's pixels) to the pixels; replaces earlier edits.
 */
export function editScreen(id: number, edits: Edits): Promise<ShotView> {
  return invoke<ShotView>('edit_screen', { id, edits });
}

export function removeScreen(id: number): Promise<Array<ShotView>> {
  return invoke<Array<ShotView>>('remove_screen', { id });
}

/**
 * The sender's state changes and progress go to this channel (a new one replaces it).
 */
export function deliveryEvents(channel: Channel<DeliveryEvent>): Promise<void> {
  return invoke<void>('delivery_events', { channel });
}

/**
 * The Fila, read from disk; reading it wakes the sender.
 */
export function outboxList(): Promise<Queue> {
  return invoke<Queue>('outbox_list');
}

/**
 * "Enviar agora": due at once (a refused entry is tried again).
 */
export function outboxSendNow(id: string): Promise<void> {
  return invoke<void>('outbox_send_now', { id });
}

/**
 * "Excluir", after the user confirmed.
 */
export function outboxDelete(id: string): Promise<void> {
  return invoke<void>('outbox_delete', { id });
}

/**
 * Meus chamados as last known, newest first.
 */
export function historyList(): Promise<Array<Sent>> {
  return invoke<Array<Sent>>('history_list');
}

/**
 * Meus chamados with each ticket's status read again from central.
 */
export function historyRefresh(): Promise<Array<Sent>> {
  return invoke<Array<Sent>>('history_refresh');
}

/**
 * Meus chamados showed the ticket's replies up to `reply` (an id): no longer new.
 */
export function historySeen(reference: string, reply: number): Promise<void> {
  return invoke<void>('history_seen', { reference, reply });
}

export function openTicketLink(reference: string): Promise<void> {
  return invoke<void>('open_ticket_link', { reference });
}

/**
 * Saves the sent ticket's receipt (HTML) in the user's Documents; answers its path.
 */
export function saveReceipt(reference: string, lang: Lang): Promise<string> {
  return invoke<string>('save_receipt', { reference, lang });
}

/**
 * Saves the receipt again and opens it in the browser.
 */
export function openReceipt(reference: string, lang: Lang): Promise<void> {
  return invoke<void>('open_receipt', { reference, lang });
}

/**
 * Enrols this computer with the code the user typed, at the profile's central.
 */
export function enrol(code: string): Promise<void> {
  return invoke<void>('enrol', { code });
}

/**
 * Queues text for a sent ticket (its draft goes); answers the Fila entry's id.
 */
export function addInformation(reference: string, text: string): Promise<string> {
  return invoke<string>('add_information', { reference, text });
}

/**
 * The text being typed for a sent ticket ('' when none).
 */
export function informationDraft(reference: string): Promise<string> {
  return invoke<string>('information_draft', { reference });
}

/**
 * Keeps the text being typed for a sent ticket (crash-safe); an empty text removes it.
 */
export function saveInformationDraft(reference: string, text: string): Promise<void> {
  return invoke<void>('save_information_draft', { reference, text });
}

/**
 * Who the customer is, as last told (`null` the first time).
 */
export function person(): Promise<Person | null> {
  return invoke<Person | null>('person');
}

/**
 * Remembers who the customer is; `invalid` with the field at fault.
 */
export function savePerson(person: Person): Promise<void> {
  return invoke<void>('save_person', { person });
}

/**
 * The ticket the customer was writing, if any.
 */
export function ticketDraft(): Promise<TicketDraft | null> {
  return invoke<TicketDraft | null>('ticket_draft');
}

/**
 * Keeps the ticket being written (crash-safe), as it is typed.
 */
export function saveTicketDraft(draft: TicketDraft): Promise<void> {
  return invoke<void>('save_ticket_draft', { draft });
}

/**
 * The draft and its screenshots go ("Começar de novo", "resolveu").
 */
export function discardTicketDraft(): Promise<void> {
  return invoke<void>('discard_ticket_draft');
}

/**
 * "Vamos verificar": runs the topic's checks; each result goes to the channel as it is known.
 */
export function runChecks(topic: string, channel: Channel<CheckEvent>): Promise<void> {
  return invoke<void>('run_checks', { topic, channel });
}

/**
 * "Agora está funcionando": this state is the reference for "what changed".
 */
export function checksWork(topic: string): Promise<void> {
  return invoke<void>('checks_work', { topic });
}

/**
 * Validates, collects diagnostics, composes the bundle (with the screenshots), queues it and
 * wakes the sender; discards the draft; answers the outbox entry's id.
 */
export function submitTicket(draft: TicketDraft): Promise<string> {
  return invoke<string>('submit_ticket', { draft });
}

/**
 * "Confira antes de enviar": checks the ticket, collects and composes its bundle (held
 * until sent); every item that would be sent.
 */
export function prepareTicketReview(draft: TicketDraft): Promise<BundleReview> {
  return invoke<BundleReview>('prepare_ticket_review', { draft });
}

/**
 * Technician mode: collects (each part told on `progress`) and composes a bundle for review.
 */
export function prepareTechnicianReview(progress: Channel<CollectProgress>): Promise<BundleReview> {
  return invoke<BundleReview>('prepare_technician_review', { progress });
}

/**
 * "Incluir um novo diagnóstico" for a ticket in Meus chamados (each part told on `progress`).
 */
export function prepareFollowUpReview(reference: string, progress: Channel<CollectProgress>): Promise<BundleReview> {
  return invoke<BundleReview>('prepare_follow_up_review', { reference, progress });
}

/**
 * The bundle under review, if any.
 */
export function bundleReview(): Promise<BundleReview | null> {
  return invoke<BundleReview | null>('bundle_review');
}

/**
 * The customer's switch on one item (a required one is `invalid`).
 */
export function setReviewItem(id: string, included: boolean): Promise<BundleReview> {
  return invoke<BundleReview>('set_review_item', { id, included });
}

/**
 * "Enviar mesmo assim": the bundle may go over the budget.
 */
export function sendOverBudget(confirmed: boolean): Promise<BundleReview> {
  return invoke<BundleReview>('send_over_budget', { confirmed });
}

/**
 * Where "Salvar em arquivo" proposes to save (Documents).
 */
export function defaultBundlePath(): Promise<string> {
  return invoke<string>('default_bundle_path');
}

/**
 * Writes the reviewed bundle to `path`; answers the file written.
 */
export function saveReview(path: string): Promise<string> {
  return invoke<string>('save_review', { path });
}

/**
 * Queues the reviewed bundle for the ticket opened by phone; answers the Fila entry's id.
 */
export function attachReview(number: string, email: string, note: string | null): Promise<string> {
  return invoke<string>('attach_review', { number, email, note });
}

/**
 * Queues text with the reviewed follow-up bundle for a sent ticket; answers the entry's id.
 */
export function addInformationWithReview(reference: string, text: string): Promise<string> {
  return invoke<string>('add_information_with_review', { reference, text });
}

/**
 * Attaches files to the ticket being written; each refused one is named, the others stay.
 */
export function addAttachments(paths: Array<string>): Promise<AttachmentsOutcome> {
  return invoke<AttachmentsOutcome>('add_attachments', { paths });
}

/**
 * "Anexar arquivos": the system's file dialog, then the chosen files are attached (none
 * chosen: the list as it is).
 */
export function chooseAttachments(): Promise<AttachmentsOutcome> {
  return invoke<AttachmentsOutcome>('choose_attachments');
}

/**
 * The files attached to the ticket being written, as Rust keeps them.
 */
export function attachments(): Promise<Array<Attachment>> {
  return invoke<Array<Attachment>>('attachments');
}

/**
 * "Remover": the list as it now is.
 */
export function removeAttachment(path: string): Promise<Array<Attachment>> {
  return invoke<Array<Attachment>>('remove_attachment', { path });
}

/**
 * Files dragged over and dropped on the window go to this channel (a new one replaces it).
 */
export function fileDrops(channel: Channel<FileDrop>): Promise<void> {
  return invoke<void>('file_drops', { channel });
}

/**
 * The remote-access programs' IDs found on this computer (AnyDesk, TeamViewer, RustDesk).
 */
export function remoteAccess(): Promise<Array<RemoteId>> {
  return invoke<Array<RemoteId>>('remote_access');
}

/**
 * The vendor's notices and latest version: central's now (a few seconds at most), or the
 * last answer kept.
 */
export function notices(): Promise<Notices> {
  return invoke<Notices>('notices');
}

/**
 * "Isso resolveu? Sim": counted on central, kept until it has it; whether it has all now.
 */
export function reportResolved(topic: string, how: ResolvedHow): Promise<boolean> {
  return invoke<boolean>('report_resolved', { topic, how });
}

/**
 * The vendor's program here (installed version, running copies) beside the latest one.
 */
export function programVersion(): Promise<ProgramVersion> {
  return invoke<ProgramVersion>('program_version');
}
