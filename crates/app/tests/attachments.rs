//! "Anexar arquivos": every path checked at once against the profile's limits, each refusal
//! naming its file, one bad file never stopping the others, the list kept with the ticket's draft
//! (a restart keeps it; the UI's saves never change it), and the remote-access ID ticked by the
//! customer going into the ticket's fields.

use std::path::Path;

use chamado_app::attachments::AttachmentProblem;
use chamado_app::remote::{RemoteId, RemoteVendor};
use chamado_app::ticket::{Person, TicketDraft};
use chamado_app::App;

/// The built-in profile with small limits: 2 MB a file (2048 KiB), 3 MB in all.
fn app(dir: &Path) -> App {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../profile/default-profile.toml"
    ))
    .unwrap()
    .replace("attachment_max_kib = 10240", "attachment_max_kib = 2048")
    .replace(
        "attachments_total_max_kib = 20480",
        "attachments_total_max_kib = 3072",
    );
    let profile = dir.join("profile.toml");
    std::fs::write(&profile, text).unwrap();
    App::new(Some(&profile), dir.join("data"))
}

fn file(dir: &Path, name: &str, kib: usize) -> String {
    let p = dir.join(name);
    std::fs::write(&p, vec![b'x'; kib * 1024]).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn each_refusal_names_its_file_and_the_good_ones_are_attached_all_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let app = app(tmp.path());
    let files = tmp.path().join("files");
    std::fs::create_dir_all(files.join("pasta")).unwrap();
    let nota = file(&files, "nota.pdf", 10);
    let big = file(&files, "backup grande.zip", 2049);
    let log = file(&files, "erro.log", 1500);
    let more = file(&files, "planilha.xlsx", 1600);
    let missing = files.join("sumiu.txt").to_string_lossy().into_owned();
    let folder = files.join("pasta").to_string_lossy().into_owned();

    let out = app
        .add_attachments(vec![
            missing.clone(),
            nota.clone(),
            folder,
            big,
            log.clone(),
            nota.clone(),
            more,
        ])
        .unwrap();
    let names: Vec<&str> = out.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["nota.pdf", "erro.log"], "the good ones, in order");
    assert_eq!(out.attachments[1].size, 1500 * 1024);
    let refused: Vec<(&str, AttachmentProblem)> = out
        .refused
        .iter()
        .map(|r| (r.name.as_str(), r.problem))
        .collect();
    assert_eq!(
        refused,
        [
            ("sumiu.txt", AttachmentProblem::Unreadable),
            ("pasta", AttachmentProblem::NotAFile),
            ("backup grande.zip", AttachmentProblem::TooLarge),
            ("nota.pdf", AttachmentProblem::Duplicate),
            ("planilha.xlsx", AttachmentProblem::TotalTooLarge),
        ]
    );
    // Sizes in bytes, so the UI says "2 MB" and "3 MB".
    let too_large = &out.refused[2];
    assert_eq!(
        (too_large.size, too_large.limit),
        (2049 * 1024, 2048 * 1024)
    );
    let total = &out.refused[4];
    assert_eq!(total.limit, 3072 * 1024);
    assert_eq!(total.size, (10 + 1500 + 1600) * 1024);
    assert!(
        !out.refused[0].detail.is_empty(),
        "the system's reason, for the log"
    );

    // The same file by another spelling is the same file.
    let again = app
        .add_attachments(vec![format!("{}/./nota.pdf", files.display())])
        .unwrap();
    assert_eq!(again.refused[0].problem, AttachmentProblem::Duplicate);
    assert_eq!(again.attachments.len(), 2);

    // Removing one makes room for another.
    let left = app.remove_attachment(&out.attachments[1].path).unwrap();
    assert_eq!(left.len(), 1);
    let out = app.add_attachments(vec![log]).unwrap();
    assert!(out.refused.is_empty());
    assert_eq!(out.attachments.len(), 2);
}

#[test]
fn the_attachments_survive_a_restart_and_the_uis_saves_never_change_them() {
    let tmp = tempfile::tempdir().unwrap();
    let nota = file(tmp.path(), "nota.pdf", 3);
    {
        let app = app(tmp.path());
        app.add_attachments(vec![nota.clone()]).unwrap();
        // The UI saves the draft as the customer types, from its own copy (maybe older).
        app.save_ticket_draft(&TicketDraft {
            summary: "Nota não sai".into(),
            ..TicketDraft::default()
        })
        .unwrap();
    }
    let app = app(tmp.path());
    let draft = app.ticket_draft().unwrap().unwrap();
    assert_eq!(draft.summary, "Nota não sai");
    assert_eq!(draft.attachments.len(), 1);
    assert_eq!(draft.attachments[0].name, "nota.pdf");
    assert_eq!(app.attachments().unwrap(), draft.attachments);
}

#[test]
fn the_remote_access_id_goes_into_the_ticket_only_when_ticked() {
    let profile = chamado_profile::builtin();
    let topic = &profile.topics[0];
    let mut d = TicketDraft {
        topic: Some(topic.id.clone()),
        summary: "Preciso de acesso".into(),
        description: "O técnico pode acessar.".into(),
        ..TicketDraft::default()
    };
    for f in topic.fields.iter().filter(|f| f.required) {
        let v = f
            .options
            .first()
            .map_or("8.4.1".to_owned(), |o| o.value.clone());
        d.fields.insert(f.name.clone(), v);
    }
    let person = Person {
        name: "Ana Souza".into(),
        email: "ana@cliente.com.br".into(),
        phone: "(11) 3456-7890".into(),
        company: String::new(),
        keep_informed: None,
    };
    let t = d.ticket(&person, &profile).unwrap();
    assert!(
        !t.fields.contains_key("acesso_remoto"),
        "unticked: not sent"
    );
    d.remote_access = Some(RemoteId {
        vendor: RemoteVendor::AnyDesk,
        id: "123456789".into(),
    });
    let t = d.ticket(&person, &profile).unwrap();
    assert_eq!(t.fields["acesso_remoto"], "AnyDesk 123456789");
}
