//! What another machine reads: each type through JSON and back, the exact JSON of a ticket and of
//! a manifest, what old files and central's tolerant parsing still read, and the TypeScript the
//! app generates from the ticket types.

use std::collections::BTreeMap;

use chamado_profile::Text;
use chamado_wire::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
    let text = serde_json::to_string(v).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, v, "{text}");
}

fn ticket() -> NewTicket {
    NewTicket {
        topic: "sem-conexao".into(),
        summary: "O sistema não conecta".into(),
        description: "Desde ontem.".into(),
        contact: Contact {
            name: "Maria Souza".into(),
            email: "maria@cliente.com.br".into(),
            phone: None,
        },
        module: Some("faturamento".into()),
        fields: BTreeMap::from([("terminal".to_owned(), "Caixa 2".to_owned())]),
        priority: None,
    }
}

fn manifest() -> Manifest {
    Manifest {
        format: MANIFEST_FORMAT,
        generator: "chamado 0.1.0".into(),
        ticket: BundleTicket::topic("erro", "Sistema não abre"),
        items: vec![ManifestItem {
            id: "report-1".into(),
            kind: "report".into(),
            path: "report.html".into(),
            size: 1234,
            sha256: "ab".repeat(32),
        }],
        left_out: vec![LeftOut {
            id: "screenshot-2".into(),
            kind: "screenshot".into(),
            label: "Tela 2".into(),
        }],
        redacted: BTreeMap::from([(
            "user_name".to_owned(),
            RedactedCount {
                replaced: 3,
                distinct: 1,
            },
        )]),
    }
}

fn finding() -> Finding {
    Finding {
        rule: "check.refused".into(),
        severity: Severity::Problem,
        title: Text {
            pt_br: "Recusou".into(),
            en: "Refused".into(),
        },
        action: Text {
            pt_br: "Inicie o serviço".into(),
            en: "Start the service".into(),
        },
        evidence: vec!["erp: refused".into()],
        check: Some("erp".into()),
    }
}

fn changes() -> WhatChanged {
    WhatChanged {
        since: "2026-11-20T10:00:00-03:00".into(),
        since_good: true,
        changes: vec![
            Change::SecurityProductAdded {
                name: "Antivírus Exemplo".into(),
                version: Some("1.0".into()),
            },
            Change::FirewallChanged {
                profile: "domain".into(),
                from: Some(false),
                to: Some(true),
            },
        ],
    }
}

#[test]
fn every_type_goes_through_json_and_back() {
    round_trip(&ticket());
    round_trip(&ticket().contact);
    round_trip(&NewMessage {
        reference: "CH-1".into(),
        number: Some("2026-000001".into()),
        body: "Mais uma tela".into(),
        attachments: vec!["tela.png".into()],
    });
    round_trip(&TechnicianTarget {
        number: "2026-000001".into(),
        email: "maria@cliente.com.br".into(),
        note: Some("Visita".into()),
    });
    for status in [
        TicketStatus::Open,
        TicketStatus::Answered,
        TicketStatus::Closed,
        TicketStatus::Other("waiting".into()),
    ] {
        round_trip(&TicketAnswer {
            reference: "CH-1".into(),
            number: None,
            link: None,
            status,
        });
    }
    round_trip(&MessageAnswer { id: 7 });
    round_trip(&TechnicianAnswer {
        reference: "CH-1".into(),
        number: Some("2026-000001".into()),
        message: 8,
    });
    round_trip(&manifest());
    round_trip(&BundleTicket::from(&ticket()));
    round_trip(&BundleTicket::collection(
        "chamado collect",
        "ACME",
        "2026-11-24T10:00:00-03:00",
    ));
    round_trip(&BundleTicket::follow_up(
        "erro",
        "Sistema não abre",
        "CH-1",
        None,
    ));
    round_trip(&BundleTicket::technician("2026-000001"));
    round_trip(&finding());
    round_trip(&changes());
    round_trip(&DiagnosticsDigest {
        findings: vec![finding()],
        changes: Some(changes()),
        program: Some(ProgramProbe {
            data: Some(ProgramSeen {
                file_version: Some(FileVersionSeen {
                    file: "8.4.1.120".into(),
                }),
                installed: vec![InstalledSeen { version: None }],
            }),
        }),
    });
}

#[test]
fn a_ticket_is_this_json() {
    assert_eq!(
        serde_json::to_string(&ticket()).unwrap(),
        r#"{"topic":"sem-conexao","summary":"O sistema não conecta","description":"Desde ontem.","contact":{"name":"Maria Souza","email":"maria@cliente.com.br","phone":null},"module":"faturamento","fields":{"terminal":"Caixa 2"}}"#
    );
    // The priority, when the app's profile gave one (older centrals ignore it).
    let urgent = NewTicket {
        priority: Some(chamado_profile::Priority::Urgent),
        ..ticket()
    };
    assert_eq!(
        serde_json::to_value(&urgent).unwrap()["priority"],
        json!("urgent")
    );
    round_trip(&urgent);
    assert_eq!(
        serde_json::to_value(TicketStatus::Answered).unwrap(),
        json!("answered")
    );
    assert_eq!(
        serde_json::to_value(TechnicianTarget {
            number: "1".into(),
            email: "a@b.c".into(),
            note: None
        })
        .unwrap(),
        json!({"number": "1", "email": "a@b.c"})
    );
}

#[test]
fn a_manifest_is_this_json() {
    assert_eq!(
        serde_json::to_string_pretty(&manifest()).unwrap(),
        r#"{
  "format": 1,
  "generator": "chamado 0.1.0",
  "ticket": {
    "summary": "Sistema não abre",
    "topic": "erro"
  },
  "items": [
    {
      "id": "report-1",
      "kind": "report",
      "path": "report.html",
      "size": 1234,
      "sha256": "abababababababababababababababababababababababababababababababab"
    }
  ],
  "left_out": [
    {
      "id": "screenshot-2",
      "kind": "screenshot",
      "label": "Tela 2"
    }
  ],
  "redacted": {
    "user_name": {
      "replaced": 3,
      "distinct": 1
    }
  }
}"#
    );
}

/// Before it was typed, the bundle's ticket was a JSON object (keys in alphabetical order):
/// each ticket the command line and the app put there still gives the same bytes.
#[test]
fn bundle_tickets_are_written_as_the_untyped_ones_were() {
    let same = |typed: BundleTicket, untyped: Value| {
        assert_eq!(
            serde_json::to_string_pretty(&typed).unwrap(),
            serde_json::to_string_pretty(&untyped).unwrap()
        );
        let back: BundleTicket = serde_json::from_value(untyped).unwrap();
        assert_eq!(back, typed);
    };
    same(
        BundleTicket::collection("chamado collect", "ACME", "2026-11-24T10:00:00-03:00"),
        json!({"source": "chamado collect", "vendor": "ACME", "collected_at": "2026-11-24T10:00:00-03:00"}),
    );
    same(
        BundleTicket::topic("erro", "Sistema não abre"),
        json!({"topic": "erro", "summary": "Sistema não abre"}),
    );
    same(
        BundleTicket::follow_up("erro", "Sistema não abre", "CH-1", Some("42".into())),
        json!({"topic": "erro", "summary": "Sistema não abre", "reference": "CH-1", "number": "42"}),
    );
    same(
        BundleTicket::technician("42"),
        json!({"number": "42", "source": "technician"}),
    );
    let mut from_form = BundleTicket::from(&ticket());
    from_form.contact.as_mut().unwrap().phone = Some("11 4000-0000".into());
    same(
        from_form.clone(),
        json!({
            "topic": "sem-conexao", "summary": "O sistema não conecta", "description": "Desde ontem.",
            "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br", "phone": "11 4000-0000"},
            "module": "faturamento", "fields": {"terminal": "Caixa 2"},
        }),
    );
    let keys: Vec<String> = from_form
        .fields_list()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys,
        [
            "contact.email",
            "contact.name",
            "contact.phone",
            "description",
            "fields.terminal",
            "module",
            "summary",
            "topic"
        ]
    );
    from_form.remove("contact.phone");
    from_form.remove("fields.terminal");
    from_form.remove("module");
    assert_eq!(
        serde_json::to_value(&from_form).unwrap(),
        json!({
            "topic": "sem-conexao", "summary": "O sistema não conecta", "description": "Desde ontem.",
            "contact": {"name": "Maria Souza", "email": "maria@cliente.com.br"}, "fields": {},
        })
    );
}

/// Central parses requests with these types and then names what is missing: missing or `null`
/// texts read as empty; central's field values are any JSON.
#[test]
fn missing_or_null_texts_read_as_empty_for_central_to_name() {
    let t: NewTicketOf<Value> = serde_json::from_value(json!({
        "summary": null, "contact": null, "fields": {"urgente": true, "n": 3}
    }))
    .unwrap();
    assert_eq!(t.topic, "");
    assert_eq!(t.summary, "");
    assert!(t.contact.is_empty());
    assert_eq!(t.fields["urgente"], json!(true));
    let e = serde_json::from_value::<NewTicket>(json!({"summary": 42})).unwrap_err();
    assert!(e.to_string().contains("expected a string"), "{e}");
    let target: TechnicianTarget = serde_json::from_value(json!({"email": null})).unwrap();
    assert_eq!(target, TechnicianTarget::default());
    let m: NewMessage = serde_json::from_value(json!({"body": "Oi"})).unwrap();
    assert_eq!(m.body, "Oi");
}

#[test]
fn statuses_read_strictly_from_a_command_line_and_leniently_from_the_wire() {
    assert_eq!("closed".parse::<TicketStatus>(), Ok(TicketStatus::Closed));
    assert_eq!(
        "fechado".parse::<TicketStatus>(),
        Err("`fechado` is not a status (open, answered, closed)".to_owned())
    );
    let newer: TicketStatus = serde_json::from_value(json!("waiting")).unwrap();
    assert_eq!(newer, TicketStatus::Other("waiting".into()));
    assert_eq!(newer.as_str(), "waiting");
    assert_eq!(TicketStatus::from("open"), TicketStatus::Open);
    assert_eq!(format!("[{:<6}]", TicketStatus::Open), "[open  ]");
}

#[test]
fn diagnostics_give_findings_changes_and_the_program_version() {
    let d: DiagnosticsDigest = serde_json::from_value(json!({
        "format": 1,
        "findings": [serde_json::to_value(finding()).unwrap()],
        "changes": serde_json::to_value(changes()).unwrap(),
        "program": {"data": {"name": "Gestão", "exe_found": false, "file_version": null,
                    "installed": [{"name": "Gestão 8.4", "version": null}, {"name": "Gestão", "version": "8.4.0"}]},
                    "problems": [], "elapsed_ms": 3},
        "system": {"data": {"os_name": "Windows"}},
    }))
    .unwrap();
    assert_eq!(d.findings, [finding()]);
    assert_eq!(d.changes, Some(changes()));
    assert_eq!(d.program_version(), Some("8.4.0"));
    // Parts the customer left out of the bundle.
    let d: DiagnosticsDigest = serde_json::from_value(json!({
        "findings": [serde_json::to_value(finding()).unwrap()],
        "changes": {"left_out": true},
        "program": {"left_out": true},
    }))
    .unwrap();
    assert_eq!(d.findings.len(), 1);
    assert_eq!((&d.changes, d.program_version()), (&None, None));
}

/// The app's `ui/src/lib/bindings.ts` is generated from these: the declarations are as they were
/// when the types lived in chamado-client.
#[test]
fn the_typescript_declarations_are_unchanged() {
    use ts_rs::TS;
    let cfg = ts_rs::Config::new();
    assert_eq!(
        NewTicket::decl(&cfg),
        "type NewTicket = { topic: string, summary: string, description: string, contact: Contact, module: string | null, fields: { [key in string]: string }, priority?: Priority | null, };"
    );
    assert_eq!(
        Contact::decl(&cfg),
        "type Contact = { name: string, email: string, phone: string | null, };"
    );
    assert_eq!(
        TechnicianTarget::decl(&cfg),
        "type TechnicianTarget = { number: string, email: string, note?: string | null, };"
    );
    assert_eq!(
        NewMessage::decl(&cfg),
        "type NewMessage = { \n/**\n * Central's reference of the ticket.\n */\nreference: string, \n/**\n * The help desk's number, when known (for the user's eyes).\n */\nnumber: string | null, body: string, \n/**\n * The attached files' names, in order; their copies are `attachments/0`, `1`...\n */\nattachments: Array<string>, };"
    );
}
