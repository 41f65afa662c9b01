//! Properties over arbitrary input: what one side writes the other reads back the same, central's
//! lenient reading of a ticket never panics, and a safe file name is safe and stays the same.

use std::collections::BTreeMap;

use chamado_profile::Priority;
use chamado_wire::names::{is_invisible, safe_file_name, NAME_MAX_CHARS};
use chamado_wire::{Contact, NewTicket, NewTicketOf, TicketAnswer, TicketStatus};
use proptest::prelude::*;

fn priority() -> impl Strategy<Value = Option<Priority>> {
    prop_oneof![
        Just(None),
        Just(Some(Priority::Low)),
        Just(Some(Priority::Normal)),
        Just(Some(Priority::High)),
        Just(Some(Priority::Urgent)),
    ]
}

fn ticket() -> impl Strategy<Value = NewTicket> {
    (
        (any::<String>(), any::<String>(), any::<String>()),
        (any::<String>(), any::<String>(), any::<Option<String>>()),
        any::<Option<String>>(),
        prop::collection::btree_map(any::<String>(), any::<String>(), 0..5),
        priority(),
    )
        .prop_map(
            |((topic, summary, description), (name, email, phone), module, fields, priority)| {
                NewTicket {
                    topic,
                    summary,
                    description,
                    contact: Contact { name, email, phone },
                    module,
                    fields,
                    priority,
                }
            },
        )
}

fn status() -> impl Strategy<Value = TicketStatus> {
    prop_oneof![
        Just(TicketStatus::Open),
        Just(TicketStatus::Answered),
        Just(TicketStatus::Closed),
        // A newer central's status: any code but the three known ones.
        "[a-z_]{1,12}"
            .prop_filter("an unknown code", |s| s.parse::<TicketStatus>().is_err())
            .prop_map(TicketStatus::Other),
    ]
}

/// Any JSON value, nested a little.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("topic".to_owned()),
                    Just("contact".to_owned()),
                    Just("fields".to_owned()),
                    Just("name".to_owned()),
                    Just("email".to_owned()),
                    Just("priority".to_owned()),
                    any::<String>(),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn a_ticket_reads_back_as_written(t in ticket()) {
        let text = serde_json::to_string(&t).unwrap();
        let back: NewTicket = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &t);
        // Central reads the same text with any JSON value for a field.
        let lenient: NewTicketOf<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let fields: BTreeMap<String, serde_json::Value> = t
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        prop_assert_eq!(lenient.fields, fields);
        prop_assert_eq!(lenient.contact, t.contact);
    }

    #[test]
    fn an_answer_reads_back_as_written(
        reference in any::<String>(),
        number in any::<Option<String>>(),
        link in any::<Option<String>>(),
        status in status(),
    ) {
        let a = TicketAnswer { reference, number, link, status };
        let back: TicketAnswer = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        prop_assert_eq!(back, a);
    }

    #[test]
    fn any_json_is_a_ticket_or_an_error_never_a_panic(v in json()) {
        let _ = serde_json::from_value::<NewTicketOf<serde_json::Value>>(v.clone());
        let _ = serde_json::from_str::<NewTicketOf<serde_json::Value>>(&v.to_string());
    }

    #[test]
    fn safe_names_are_safe_and_stay_the_same(raw in any::<String>(), tail in "[ .\u{202E}\u{7}]{0,4}") {
        let name = format!("{raw}{tail}");
        let safe = safe_file_name(&name, "arquivo");
        prop_assert!(!safe.is_empty());
        prop_assert!(safe.chars().count() <= NAME_MAX_CHARS, "{safe:?}");
        prop_assert!(
            !safe.chars().any(|c| c.is_control() || is_invisible(c) || "<>:\"/\\|?*".contains(c)),
            "{safe:?}"
        );
        prop_assert!(!safe.starts_with(['.', ' ']) && !safe.ends_with(['.', ' ']), "{safe:?}");
        let stem = safe.split('.').next().unwrap().trim_end().to_uppercase();
        prop_assert!(!["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str()), "{safe:?}");
        prop_assert_eq!(safe_file_name(&safe, "arquivo"), safe.clone());
    }

    #[test]
    fn device_names_in_any_case_and_extension_get_a_prefix(
        device in "(con|nul|aux|prn|com[0-9]|lpt[0-9])",
        upper in prop::collection::vec(any::<bool>(), 4),
        ext in "(\\.[a-z0-9]{0,4}){0,2}",
    ) {
        let cased: String = device
            .chars()
            .zip(upper.iter().cycle())
            .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
            .collect();
        let safe = safe_file_name(&format!("{cased}{ext}"), "x");
        prop_assert!(safe.starts_with('_'), "{safe:?}");
    }
}
