//! Behaviour of the redactor on small texts: tokens, consistency, the summary, what stays.

use chamado_redact::{Kind, KindCount, Known, Redactor};
use serde_json::json;

fn redactor(known: Known) -> Redactor {
    Redactor::new(&known).unwrap()
}

fn user(names: &[&str]) -> Known {
    Known {
        user_names: names.iter().map(|s| s.to_string()).collect(),
        ..Known::default()
    }
}

#[test]
fn the_same_value_always_gets_the_same_token_across_texts() {
    let mut r = redactor(Known {
        user_names: vec!["joao.silva".into()],
        machine_names: vec!["DESKTOP-7H3K2L9".into()],
        ..Known::default()
    });
    let a = r.redact_text("joao.silva entrou em DESKTOP-7H3K2L9; outro: a@b.com.br");
    let b = r.redact_text("JOAO.SILVA saiu de desktop-7h3k2l9; c@d.com.br e a@b.com.br");
    assert_eq!(a, "[usuário-1] entrou em [máquina-1]; outro: [e-mail-1]");
    assert_eq!(
        b,
        "[usuário-1] saiu de [máquina-1]; [e-mail-2] e [e-mail-1]"
    );
    let s = r.summary();
    assert_eq!(
        s.get(Kind::UserName),
        KindCount {
            replaced: 2,
            distinct: 1
        }
    );
    assert_eq!(
        s.get(Kind::MachineName),
        KindCount {
            replaced: 2,
            distinct: 1
        }
    );
    assert_eq!(
        s.get(Kind::Email),
        KindCount {
            replaced: 3,
            distinct: 2
        }
    );
    assert_eq!(s.get(Kind::Cpf), KindCount::default());
    assert_eq!(s.total(), 7);
}

#[test]
fn the_summary_serializes_counts_per_kind_and_never_a_value() {
    let mut r = redactor(user(&["joao.silva"]));
    r.redact_text("joao.silva 529.982.247-25 52998224725 8.8.4.4 200.147.3.157");
    let summary = serde_json::to_value(r.summary()).unwrap();
    assert_eq!(
        summary,
        json!({
            "user_name": {"replaced": 1, "distinct": 1},
            "cpf": {"replaced": 2, "distinct": 1},
            "public_ip": {"replaced": 1, "distinct": 1},
        })
    );
    let text = summary.to_string();
    for value in ["joao", "529", "200.147"] {
        assert!(!text.contains(value), "{value} in {text}");
    }
}

#[test]
fn debug_never_shows_values() {
    let known = Known {
        user_names: vec!["joao.silva".into()],
        contact_email: Some("joao@cliente.com.br".into()),
        ..Known::default()
    };
    let mut r = redactor(known.clone());
    r.redact_text("joao.silva");
    let shown = format!("{known:?} {r:?}");
    assert!(!shown.contains("joao"), "{shown}");
}

#[test]
fn a_short_user_name_is_replaced_only_as_a_whole_word() {
    let mut r = redactor(user(&["adm"]));
    assert_eq!(
        r.redact_text("Administrator; administradores; ADM entrou; adm_backup; adm-backup; c:\\users\\adm\\x"),
        "Administrator; administradores; [usuário-1] entrou; adm_backup; [usuário-1]-backup; c:\\users\\[usuário-1]\\x"
    );
}

#[test]
fn names_shorter_than_three_characters_are_replaced_only_in_profile_paths() {
    let mut r = redactor(user(&["jo"]));
    assert_eq!(
        r.redact_text("jo disse: C:\\Users\\jo\\Desktop"),
        "jo disse: C:\\Users\\[usuário-1]\\Desktop"
    );
}

#[test]
fn generic_account_names_stay() {
    let mut r = redactor(Known {
        user_names: vec!["Administrador".into()],
        domain_names: vec!["WORKGROUP".into()],
        ..Known::default()
    });
    let text = "Administrador em WORKGROUP: C:\\Users\\Administrador\\Desktop C:\\Users\\Public /home/Default";
    assert_eq!(r.redact_text(text), text);
    assert_eq!(r.summary().total(), 0);
}

#[test]
fn user_names_in_any_case_without_accents_short_and_encoded() {
    let mut r = redactor(user(&["João Silva"]));
    let out = r.redact_text(
        "JOÃO SILVA | joão silva | Joao Silva | C:\\Users\\JOÃOSI~1\\AppData | C:\\Users\\JOAOSI~2 | \
         file:///C:/Users/Jo%C3%A3o%20Silva/x | Jo%c3%a3o%20Silva",
    );
    assert_eq!(
        out,
        "[usuário-1] | [usuário-1] | [usuário-1] | C:\\Users\\[usuário-1]\\AppData | C:\\Users\\[usuário-1] | \
         file:///C:/Users/[usuário-1]/x | [usuário-1]"
    );
}

#[test]
fn a_profile_folder_of_another_user_is_replaced_too() {
    let mut r = redactor(user(&["joao.silva"]));
    let out = r.redact_text(
        "C:\\Users\\maria.souza\\Desktop e C:\\Users\\joao.silva\\Desktop; /home/ana/.config; \
         C:\\Users\\Maria Souza\\Documents; salvo em C:\\Users\\pedro e depois",
    );
    assert_eq!(
        out,
        "C:\\Users\\[usuário-1]\\Desktop e C:\\Users\\[usuário-2]\\Desktop; /home/[usuário-3]/.config; \
         C:\\Users\\[usuário-4]\\Documents; salvo em C:\\Users\\[usuário-5] e depois"
    );
}

#[test]
fn a_profile_folder_holding_a_known_name_keeps_the_known_token() {
    let mut r = redactor(Known {
        user_names: vec!["joao.silva".into()],
        domain_names: vec!["CONTABILX".into()],
        ..Known::default()
    });
    assert_eq!(
        r.redact_text("joao.silva: C:\\Users\\joao.silva.CONTABILX\\AppData"),
        "[usuário-1]: C:\\Users\\[usuário-1].[domínio-1]\\AppData"
    );
}

#[test]
fn the_contact_email_stays_with_the_user_name_in_it() {
    let mut r = redactor(Known {
        user_names: vec!["joao.silva".into()],
        contact_email: Some("Joao.Silva@Cliente.com.br".into()),
        ..Known::default()
    });
    assert_eq!(
        r.redact_text("de joao.silva@cliente.com.br para joao.silva@contabilx.com.br (joao.silva)"),
        "de joao.silva@cliente.com.br para [e-mail-1] ([usuário-1])"
    );
}

#[test]
fn kept_values_stay() {
    let mut r = redactor(Known {
        domain_names: vec!["fornecedor.com.br".into()],
        keep: vec!["erp.fornecedor.com.br".into(), "200.160.2.3".into()],
        ..Known::default()
    });
    assert_eq!(
        r.redact_text("erp.fornecedor.com.br (200.160.2.3) e www.fornecedor.com.br (200.160.2.4)"),
        "erp.fornecedor.com.br (200.160.2.3) e www.[domínio-1] ([ip-público-1])"
    );
}

#[test]
fn cpf_and_cnpj_only_with_valid_check_digits() {
    let mut r = redactor(Known::default());
    assert_eq!(
        r.redact_text(
            "CPF 529.982.247-25 / 52998224725 / 529.982.247-24 / 11144477735; \
             CNPJ 11.222.333/0001-81 / 11222333000181 / 11.222.333/0001-82 / 12.ABC.345/01DE-35; \
             fone 11987654321, pedido 48201745123, em 20261124153000, 1.529.982.247-25; \
             carimbo 20261124000057 (passa no dígito do CNPJ, mas é data e hora)"
        ),
        "CPF [cpf-1] / [cpf-1] / 529.982.247-24 / [cpf-2]; \
         CNPJ [cnpj-1] / [cnpj-1] / 11.222.333/0001-82 / [cnpj-2]; \
         fone 11987654321, pedido 48201745123, em 20261124153000, 1.529.982.247-25; \
         carimbo 20261124000057 (passa no dígito do CNPJ, mas é data e hora)"
    );
}

#[test]
fn macs_with_colons_or_dashes_but_not_guids_or_longer_sequences() {
    let mut r = redactor(Known::default());
    assert_eq!(
        r.redact_text(
            "3C-52-82-4A-1B-9F 3c:52:82:4a:1b:9f 00:00:00:00:00:00 {4D36E972-E325-11CE-BFC1-08002BE10318} \
             aa:bb:cc:dd:ee:ff:00:11 a0b1c2d3e4f5"
        ),
        "[mac-1] [mac-1] 00:00:00:00:00:00 {4D36E972-E325-11CE-BFC1-08002BE10318} \
         aa:bb:cc:dd:ee:ff:00:11 a0b1c2d3e4f5"
    );
}

#[test]
fn public_addresses_go_private_ones_stay() {
    let mut r = redactor(Known::default());
    assert_eq!(
        r.redact_text(
            "wan 177.92.14.203, lan 192.168.0.23/24, gw 192.168.0.1, mask 255.255.255.0, dns 8.8.8.8, \
             cgnat 100.64.12.7, v6 2804:14c:5b80:8a4c:1d2e:3f40:5a6b:7c8d, [2804:14c:5b80:8a4c::1]:443, \
             fe80::1c2b:3d4e:5f60:7182%12, fd00::1, ::1, 15:30:00, std::io::Error"
        ),
        "wan [ip-público-1], lan 192.168.0.23/24, gw 192.168.0.1, mask 255.255.255.0, dns 8.8.8.8, \
         cgnat 100.64.12.7, v6 [ip-público-2], [[ip-público-3]]:443, \
         fe80::1c2b:3d4e:5f60:7182%12, fd00::1, ::1, 15:30:00, std::io::Error"
    );
}

#[test]
fn dotted_versions_are_not_addresses() {
    let mut r = redactor(Known::default());
    assert_eq!(
        r.redact_text(
            "versão 24.1.0.1, Version: 5.1.2.3, build 10.0.19045.5247, v5.1.2.3, via 24.1.0.1"
        ),
        "versão 24.1.0.1, Version: 5.1.2.3, build 10.0.19045.5247, v5.1.2.3, via [ip-público-1]"
    );
    let out =
        r.redact_json(json!({"programs": [{"DisplayVersion": "24.1.0.1", "name": "x 24.1.0.1"}]}));
    assert_eq!(
        out,
        json!({"programs": [{"DisplayVersion": "24.1.0.1", "name": "x [ip-público-1]"}]})
    );
}

#[test]
fn json_strings_keys_and_numbers() {
    let mut r = redactor(Known {
        user_names: vec!["joao.silva".into()],
        home_dirs: vec!["C:\\Users\\joao.silva".into()],
        ..Known::default()
    });
    let out = r.redact_json(json!({
        "user": "joao.silva",
        "profiles": {"joao.silva": {"path": "C:\\Users\\joao.silva"}},
        "cpf": 52998224725u64,
        "order": 48201745123u64,
        "free_bytes": 52998224725u64,
        "count": 3,
        "ok": true,
        "none": null,
    }));
    assert_eq!(
        out,
        json!({
            "user": "[usuário-1]",
            "profiles": {"[usuário-1]": {"path": "C:\\Users\\[usuário-1]"}},
            "cpf": "[cpf-1]",
            "order": 48201745123u64,
            "free_bytes": 52998224725u64,
            "count": 3,
            "ok": true,
            "none": null,
        })
    );
}

#[test]
fn html_escaped_values_are_found() {
    let mut r = redactor(Known {
        wifi_names: vec!["Casa do João & Maria".into()],
        user_names: vec!["D'Ávila".into()],
        ..Known::default()
    });
    assert_eq!(
        r.redact_text("<td>Casa do João &amp; Maria</td><td>D&#x27;Ávila</td><td>D'ÁVILA</td>"),
        "<td>[wi-fi-1]</td><td>[usuário-1]</td><td>[usuário-1]</td>"
    );
}

#[test]
fn json_escaped_paths_in_raw_text() {
    let mut r = redactor(user(&["joao.silva"]));
    assert_eq!(
        r.redact_text(r#"{"p":"C:\\Users\\joao.silva\\AppData","q":"linha\njoao.silva\tok"}"#),
        r#"{"p":"C:\\Users\\[usuário-1]\\AppData","q":"linha\n[usuário-1]\tok"}"#
    );
    assert_eq!(
        r.redact_text(
            r#"{"obs":"a\n52998224725\nmaria@contabilx.com.br\t177.92.14.203\r11.222.333/0001-81"}"#
        ),
        r#"{"obs":"a\n[cpf-1]\n[e-mail-1]\t[ip-público-1]\r[cnpj-1]"}"#
    );
}

#[test]
fn account_sids_are_replaced_well_known_ones_stay() {
    let mut r = redactor(Known::default());
    assert_eq!(
        r.redact_text("S-1-5-21-3623811015-3361044348-30300820-1013 S-1-5-18 S-1-5-32-544"),
        "[sid-1] S-1-5-18 S-1-5-32-544"
    );
}

#[test]
fn text_without_personal_data_is_unchanged() {
    let mut r = redactor(user(&["joao.silva"]));
    let text = "2026-11-24 15:30:00.123 INFO Conectado ao servidor 192.168.0.10:5432 em 34 ms\n";
    assert_eq!(r.redact_text(text), text);
    assert_eq!(r.summary().total(), 0);
}

#[test]
fn a_machine_has_one_token_short_fully_qualified_or_netbios() {
    let mut r = redactor(Known {
        machine_names: vec![
            "desktop-financeiro02.corp.contabilx.local".into(),
            "DESKTOP-FINANCEIRO02".into(),
        ],
        ..Known::default()
    });
    assert_eq!(
        r.redact_text(
            "DESKTOP-FINANCEIRO02 desktop-financeiro02.corp.contabilx.local DESKTOP-FINANCE\\joao"
        ),
        "[máquina-1] [máquina-1] [máquina-1]\\joao"
    );
    assert_eq!(
        r.summary().get(Kind::MachineName),
        KindCount {
            replaced: 3,
            distinct: 1
        }
    );
}

#[test]
fn firmware_placeholders_are_not_serials() {
    let mut r = redactor(Known {
        serials: vec![
            "To be filled by O.E.M.".into(),
            "00000000".into(),
            "Default string".into(),
        ],
        ..Known::default()
    });
    let text = "Serial: To be filled by O.E.M. / 00000000 / Default string";
    assert_eq!(r.redact_text(text), text);
}

#[test]
fn url_paths_are_not_profile_folders() {
    let mut r = redactor(Known::default());
    let text =
        "GET https://api.fornecedor.com.br/users/12345/pedidos e /api/users/maria; ~/Documentos";
    assert_eq!(r.redact_text(text), text);
}

/// Arbitrary text (multi-byte characters, separators, digits, escapes) never makes the redactor
/// panic on a character boundary, and text without candidates comes back unchanged.
#[test]
fn arbitrary_text_never_panics() {
    let mut r = redactor(Known {
        user_names: vec!["João Silva".into(), "joao.silva".into()],
        wifi_names: vec!["Casa & Cia".into()],
        ..Known::default()
    });
    let pool = [
        "a",
        "ã",
        "Ã",
        "\u{a0}",
        "\u{2003}",
        " ",
        "\\",
        "\\\\",
        "/",
        ":",
        ".",
        "-",
        "@",
        "~1",
        "\\n",
        "1",
        "9",
        "C:\\Users\\",
        "C:\\\\Users\\\\",
        "/home/",
        "JOÃOSI",
        "joao",
        ".silva",
        "&amp;",
        "💥",
        "\"",
        "Users",
        "%C3%A3",
        "\n",
    ];
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..5000 {
        let len = next() % 40;
        let text: String = (0..len).map(|_| pool[next() % pool.len()]).collect();
        let out = r.redact_text(&text);
        if !out.contains('[') {
            assert_eq!(out, text);
        }
    }
}

#[test]
fn domain_qualified_user_names_share_the_bare_name_token() {
    let mut r = redactor(user(&[
        "CONTABILX\\joao.silva",
        "joao.silva@corp.contabilx.local",
    ]));
    assert_eq!(
        r.redact_text(
            "CONTABILX\\joao.silva, contabilx\\\\joao.silva, joao.silva, C:\\Users\\JOAO~1.SIL"
        ),
        "[usuário-1], [usuário-1], [usuário-1], C:\\Users\\[usuário-1]"
    );
    assert_eq!(
        r.summary().get(Kind::UserName),
        KindCount {
            replaced: 4,
            distinct: 1
        }
    );
}

/// A long line with many profile folders not followed by a separator: each name is read only up
/// to the next `:`, `\` or `/`, which the next folder's path starts with, so scanning stays linear.
#[test]
fn many_profile_folders_on_one_long_line() {
    let mut r = redactor(Known::default());
    let text = "C:\\Users\\maria salvou ".repeat(50_000);
    let out = r.redact_text(&text);
    assert_eq!(out, "C:\\Users\\[usuário-1] salvou ".repeat(50_000));
}
