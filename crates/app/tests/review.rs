//! "Confira antes de enviar" on the real built-in profile and a real collection: every item that
//! will be sent, the customer's switches honoured in what is queued, nothing left out silently
//! over the budget; technician mode saves a bundle to a file and attaches one to a ticket opened
//! by phone, and a follow-up bundle reaches an open ticket, through a real chamado-central.
#![cfg(not(windows))]

use std::io::Read;
use std::path::Path;

use chamado_app::review::ReviewPurpose;
use chamado_app::ticket::{Affected, Person, TicketDraft, Urgency};
use chamado_app::{App, Delivery, ErrorCode};
use chamado_client::Outbox;

mod common;

use common::Central;

fn person() -> Person {
    Person {
        name: "Ana Souza".into(),
        email: "ana@cliente.com.br".into(),
        phone: "(11) 3456-7890".into(),
        company: "Cliente Ltda".into(),
        keep_informed: None,
    }
}

/// A ticket for the built-in profile's first topic, its required fields answered.
fn draft(summary: &str) -> TicketDraft {
    let profile = chamado_profile::builtin();
    let topic = &profile.topics[0];
    let mut d = TicketDraft {
        topic: Some(topic.id.clone()),
        summary: summary.into(),
        description: "Ao clicar em Emitir aparece \"Erro 42\" e o sistema fecha.".into(),
        urgency: Urgency {
            affected: Some(Affected::OnlyMe),
            work_stopped: Some(false),
            ..Urgency::default()
        },
        ..TicketDraft::default()
    };
    for f in topic.fields.iter().filter(|f| f.required) {
        let v = f
            .options
            .first()
            .map_or("8.4.1".to_owned(), |o| o.value.clone());
        d.fields.insert(f.name.clone(), v);
    }
    d
}

/// The file `name` inside the zip at `path`.
fn entry(path: &Path, name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut f = zip.by_name(name).ok()?;
    let mut out = String::new();
    f.read_to_string(&mut out).unwrap();
    Some(out)
}

/// The bundle an outbox entry carries.
fn queued_bundle(home: &Path, id: &str) -> std::path::PathBuf {
    let dir = home.join("outbox").join(id);
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "zip"))
        .unwrap_or_else(|| panic!("no bundle in {}", dir.display()))
}

/// A profile like the built-in one with a budget of `kib`.
fn profile_with_budget(dir: &Path, kib: u32) -> std::path::PathBuf {
    let text =
        chamado_profile::DEFAULT_TOML.replace("budget_kib = 1024", &format!("budget_kib = {kib}"));
    let path = dir.join("profile.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_lists_every_item_and_the_switches_are_what_is_queued() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("app");
    let app = App::new(None, home.clone());
    // As submit does: no person, no review.
    let e = app
        .prepare_ticket_review(&draft("Nota não sai"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Invalid, Some("person.name"))
    );
    app.save_person(&person()).unwrap();
    let mut bad = draft("Nota não sai");
    bad.summary = " ".into();
    let e = app.prepare_ticket_review(&bad).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("summary"));

    let r = app
        .prepare_ticket_review(&draft("Nota não sai"))
        .await
        .unwrap();
    assert_eq!(r.purpose, ReviewPurpose::Ticket);
    let kinds: Vec<_> = r
        .review
        .items
        .iter()
        .map(|i| format!("{:?}", i.kind))
        .collect();
    for k in ["Report", "Diagnostics", "Field", "Probe"] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }
    let json = r
        .review
        .items
        .iter()
        .find(|i| i.path == "diagnostics.json")
        .unwrap();
    assert!(json.required && json.packed_size > 0);
    assert!(
        matches!(&json.preview, chamado_bundle::Preview::Text { text, .. } if text.contains('{'))
    );
    assert!(!r.review.over_budget && r.review.total_bytes <= r.review.budget_bytes);
    assert!(r.redacted.iter().all(|c| c.replaced > 0 && c.distinct > 0));
    // The home folder's name is the user's: replaced, counted, never shown.
    if let Some(user) =
        dirs::home_dir().and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned()))
    {
        let shown = serde_json::to_string(&r).unwrap();
        assert!(
            !shown.contains(&format!("/home/{user}/")),
            "the home folder is replaced"
        );
    }

    // A required item stays, and says so.
    let e = app.set_review_item(&json.id, false).unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
    // The customer leaves out the software list and the phone.
    let r = app.set_review_item("probe-software", false).unwrap();
    assert!(
        !r.review
            .items
            .iter()
            .find(|i| i.id == "probe-software")
            .unwrap()
            .included
    );
    app.set_review_item("field-contact.phone", false).unwrap();

    // Going back to change an answer keeps the switches (and the collection).
    let mut changed = draft("Nota fiscal não sai");
    changed.description.push_str(" Desde ontem.");
    let r = app.prepare_ticket_review(&changed).await.unwrap();
    assert!(
        !r.review
            .items
            .iter()
            .find(|i| i.id == "probe-software")
            .unwrap()
            .included
    );

    let id = app.submit_ticket(&changed).await.unwrap();
    let bundle = queued_bundle(&home, &id);
    let diagnostics: serde_json::Value =
        serde_json::from_str(&entry(&bundle, "diagnostics.json").unwrap()).unwrap();
    assert_eq!(
        diagnostics["software"],
        serde_json::json!({ "left_out": true })
    );
    let manifest = entry(&bundle, "manifest.json").unwrap();
    assert!(
        manifest.contains("Nota fiscal não sai"),
        "the ticket as changed"
    );
    assert!(
        !manifest.contains("3456-7890"),
        "the phone left out of the bundle"
    );
    let queued = Outbox::open(&home).unwrap().list().unwrap();
    let sent = serde_json::to_string(&queued[0]).unwrap();
    assert!(!sent.contains("3456-7890"), "and of the ticket: {sent}");
    // Used up: the next ticket is prepared afresh.
    assert!(app.bundle_review().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_budget_nothing_goes_without_the_customer_s_word() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("app");
    let app = App::new(Some(&profile_with_budget(tmp.path(), 16)), home.clone());
    app.save_person(&person()).unwrap();
    let d = draft("Lento");
    let r = app.prepare_ticket_review(&d).await.unwrap();
    assert!(r.review.over_budget, "{} > 16 KiB", r.review.total_bytes);
    assert_eq!(r.review.budget_bytes, 16 * 1024);
    // The proposal: optional files only, largest first.
    for id in &r.review.proposal {
        let item = r.review.items.iter().find(|i| &i.id == id).unwrap();
        assert!(!item.required && item.included);
    }
    let e = app.submit_ticket(&d).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OverBudget);
    assert!(
        Outbox::open(&home).unwrap().list().unwrap().is_empty(),
        "nothing queued"
    );
    assert!(
        app.bundle_review().is_some(),
        "the review stays for the customer to decide"
    );
    // Every proposal taken still leaves it over (the report alone is more than 16 KiB).
    for id in r.review.proposal.clone() {
        app.set_review_item(&id, false).unwrap();
    }
    assert!(app.bundle_review().unwrap().review.over_budget);
    let r = app.send_over_budget(true).unwrap();
    assert!(r.send_over_budget);
    let id = app.submit_ticket(&d).await.unwrap();
    let bundle = queued_bundle(&home, &id);
    assert!(entry(&bundle, "manifest.json").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_saves_a_bundle_and_attaches_one_to_a_ticket_opened_by_phone() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("app");
    let central = Central::start(&tmp.path().join("central"), None).await;
    let code = central.code().await;
    chamado_app::enrol::enrol(&home, &central.url, &code)
        .await
        .unwrap();
    let app = App::new(None, home.clone());

    // No bundle prepared: nothing to save.
    let e = app
        .save_review(tmp.path().join("x.zip").to_str().unwrap())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoReview);

    let told = std::sync::Mutex::new(Vec::new());
    let r = app
        .prepare_technician_review(&|p| told.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(r.purpose, ReviewPurpose::Technician);
    let told = told.into_inner().unwrap();
    assert!(!told.is_empty(), "progress is told");
    assert!(told.windows(2).all(|w| w[0].done <= w[1].done));
    assert_eq!(told.last().map(|p| (p.done, p.total)), Some((10, 10)));

    // Saved where the technician said (".zip" added), with its manifest.
    let saved = app
        .save_review(tmp.path().join("cliente").to_str().unwrap())
        .unwrap();
    assert!(saved.ends_with("cliente.zip"));
    assert!(entry(Path::new(&saved), "manifest.json").is_some());
    let e = app
        .save_review(tmp.path().join("nao-existe/x.zip").to_str().unwrap())
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Invalid, Some("path"))
    );
    assert!(app.default_bundle_path().ends_with(".zip"));

    // A ticket opened by phone (here: by another installation's app).
    let other = tmp.path().join("outro");
    chamado_app::enrol::enrol(&other, &central.url, &central.code().await)
        .await
        .unwrap();
    let phone = App::new(None, other.clone());
    phone.save_person(&person()).unwrap();
    let queued = phone
        .submit_ticket(&draft("Aberto por telefone"))
        .await
        .unwrap();
    let number = match phone.sender().deliver_now(&queued).await.unwrap() {
        Some(Delivery::Delivered {
            number: Some(n), ..
        }) => n,
        d => panic!("not delivered: {d:?}"),
    };

    let e = app.attach_review(&number, "ana@", None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("email"));
    let id = app
        .attach_review(&number, "ana@cliente.com.br", Some("Coletado pelo técnico"))
        .unwrap();
    match app.sender().deliver_now(&id).await.unwrap() {
        Some(Delivery::Delivered { .. }) => {}
        d => panic!("not delivered: {d:?}"),
    }
    let thread = central.thread(&number).await;
    assert!(
        thread
            .iter()
            .any(|(author, _, files)| author == "technician" && !files.is_empty()),
        "the technician's bundle is on the ticket: {thread:?}"
    );
    assert!(app.bundle_review().is_none(), "used up");
    central.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_diagnosis_reaches_an_open_ticket_with_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("app");
    let central = Central::start(&tmp.path().join("central"), None).await;
    chamado_app::enrol::enrol(&home, &central.url, &central.code().await)
        .await
        .unwrap();
    let app = App::new(None, home.clone());
    app.save_person(&person()).unwrap();
    let queued = app.submit_ticket(&draft("Lento ao abrir")).await.unwrap();
    let Some(Delivery::Delivered { reference, .. }) =
        app.sender().deliver_now(&queued).await.unwrap()
    else {
        panic!("not delivered")
    };

    let r = app
        .prepare_follow_up_review(&reference, &|_| {})
        .await
        .unwrap();
    assert_eq!(r.purpose, ReviewPurpose::FollowUp);
    let e = app
        .add_information_with_review("nenhum", "Mais")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoSuchTicket);
    let e = app
        .add_information_with_review(&reference, " ")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::EmptyMessage);
    let id = app
        .add_information_with_review(&reference, "Fiz de novo depois de reiniciar.")
        .unwrap();
    assert!(matches!(
        app.sender().deliver_now(&id).await.unwrap(),
        Some(Delivery::Delivered { .. })
    ));
    let thread = central.thread(&reference).await;
    let (_, body, files) = thread.last().unwrap();
    assert_eq!(body, "Fiz de novo depois de reiniciar.");
    assert!(
        !files.is_empty(),
        "the new bundle is on the message: {thread:?}"
    );
    central.stop().await;
}
