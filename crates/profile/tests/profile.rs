//! What a vendor's admin sees from `chamado profile check`: every problem, where it is, in words.

use chamado_profile::{parse, Lang, Problem, ProfileError, BUILT_IN_NAME, DEFAULT_TOML};

/// A small valid profile; each test breaks one thing in it. Line numbers below refer to it.
const MINIMAL: &str = r##"[vendor]
name = "Fornecedor"
phone = "(31) 3271-0322"
hours = { pt-BR = "8h às 18h", en = "8 am to 6 pm" }
portal = "https://suporte.exemplo.com.br/"

[branding]
product = "Sistema"
accent = "#0b5cad"

[[checks]]
id = "servidor"
label = { pt-BR = "Servidor", en = "Server" }
tcp = "servidor:3050"

[[modules]]
id = "vendas"
label = { pt-BR = "Vendas", en = "Sales" }

[[topics]]
id = "erro"
label = { pt-BR = "Reportar erro", en = "Report an error" }
description = { pt-BR = "Algo deu errado", en = "Something went wrong" }
osticket_topic = 10

[[topics.checklist]]
text = { pt-BR = "O servidor está ligado?", en = "Is the server on?" }
checks = ["servidor", "network"]

[[topics.fields]]
name = "mensagem"
label = { pt-BR = "Mensagem", en = "Message" }
kind = "multiline"
required = true
"##;

fn problems(src: &str) -> Vec<Problem> {
    match parse(src, "perfil.toml", None) {
        Ok(_) => panic!("expected problems in:\n{src}"),
        Err(ProfileError { file, problems }) => {
            assert_eq!(file, "perfil.toml");
            problems
        }
    }
}

/// (line, column, path, code) of each problem, for compact assertions.
fn summary(src: &str) -> Vec<(u32, u32, String, String)> {
    problems(src)
        .into_iter()
        .map(|p| {
            let code = serde_json::to_value(&p.kind).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_owned();
            (p.line.unwrap(), p.column.unwrap(), p.path, code)
        })
        .collect()
}

fn with(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "{from:?} not in MINIMAL");
    MINIMAL.replacen(from, to, 1)
}

#[test]
fn minimal_profile_is_valid() {
    let p = parse(MINIMAL, "perfil.toml", None).unwrap();
    assert_eq!(p.topics[0].label.get(Lang::En), "Report an error");
    assert_eq!(p.checks[0].timeout_ms, 3000, "default timeout");
}

#[test]
fn default_profile_is_valid_and_follows_the_seed() {
    let p = parse(DEFAULT_TOML, BUILT_IN_NAME, None)
        .unwrap_or_else(|e| panic!("{}", e.report(Lang::En)));
    let labels: Vec<&str> = p.topics.iter().map(|t| t.label.get(Lang::PtBr)).collect();
    assert_eq!(
        labels,
        [
            "Dúvidas na operação",
            "Reportar erro",
            "Atualização de versão",
            "Instalação do sistema em novo computador",
            "Outra solicitação"
        ]
    );
    for t in &p.topics {
        assert!(!t.guides.is_empty(), "topic {} has guides", t.id);
    }
    let erro = &p.topics[1];
    let checks: Vec<&str> = erro
        .checklist
        .iter()
        .flat_map(|c| &c.checks)
        .map(String::as_str)
        .collect();
    for usual in ["network", "antivirus", "firewall", "servidor"] {
        assert!(checks.contains(&usual), "Reportar erro checks {usual}");
    }
    let field_names = |i: usize| {
        p.topics[i]
            .fields
            .iter()
            .map(|f| f.name.clone())
            .collect::<Vec<_>>()
    };
    assert!(field_names(1).contains(&"mensagem".to_owned()));
    assert!(field_names(2).contains(&"versao_desejada".to_owned()));
    assert!(field_names(3).contains(&"papel".to_owned()));
    // Update and installation say whether this computer meets the system requirements.
    let with_requirements: Vec<&str> = p
        .topics
        .iter()
        .filter(|t| t.requirements)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(with_requirements, ["atualizacao", "instalacao"]);
    let r = p
        .requirements
        .as_ref()
        .expect("the default profile states requirements");
    assert_eq!(r.ports, ["servidor"]);
    assert!(r.memory_mib.is_some() && r.free_disk_mib.is_some() && r.windows_build_min.is_some());
    assert!(p.modules.len() >= 5);
    assert_eq!(p.vendor.phone, "(31) 3271-0322");
}

#[test]
fn every_unknown_key_is_reported_at_its_position() {
    let src = with("kind = \"multiline\"", "kindd = \"multiline\"");
    let src = src.replacen("product = \"Sistema\"", "produto = \"Sistema\"", 1);
    assert_eq!(
        summary(&src),
        vec![
            // A missing value points at the table it belongs in.
            (7, 1, "branding.product".into(), "required".into()),
            (8, 1, "branding.produto".into(), "unknown_key".into()),
            (
                33,
                1,
                "topics[0].fields[0].kindd".into(),
                "unknown_key".into()
            ),
        ]
    );
}

#[test]
fn wrong_kind_word_names_the_field_path() {
    let got = summary(&with("kind = \"multiline\"", "kind = \"texto\""));
    assert_eq!(
        got,
        vec![(
            33,
            8,
            "topics[0].fields[0].kind".into(),
            "unknown_value".into()
        )]
    );
    let p = problems(&with("kind = \"multiline\"", "kind = \"texto\""));
    assert_eq!(
        p[0].message.pt_br,
        "`texto` não é um valor permitido; use um destes: text, multiline, choice, version, date"
    );
}

#[test]
fn a_wrong_type_does_not_hide_the_other_problems() {
    let src = with("kind = \"multiline\"", "kind = \"texto\"")
        .replacen("osticket_topic = 10", "osticket_topic = \"dez\"", 1)
        .replacen("accent = \"#0b5cad\"", "accent = \"azul\"", 1)
        .replacen("required = true", "required = true\ntipo = 1", 1);
    assert_eq!(
        summary(&src),
        vec![
            (9, 10, "branding.accent".into(), "bad_colour".into()),
            // Reported once: not again as "required" after the wrong value is set aside.
            (
                24,
                18,
                "topics[0].osticket_topic".into(),
                "wrong_type".into()
            ),
            (
                33,
                8,
                "topics[0].fields[0].kind".into(),
                "unknown_value".into()
            ),
            (
                35,
                1,
                "topics[0].fields[0].tipo".into(),
                "unknown_key".into()
            ),
        ]
    );
}

#[test]
fn wrong_type_is_reported() {
    let got = summary(&with("osticket_topic = 10", "osticket_topic = \"dez\""));
    assert_eq!(
        got,
        vec![(
            24,
            18,
            "topics[0].osticket_topic".into(),
            "wrong_type".into()
        )]
    );
}

#[test]
fn duplicate_ids_point_at_the_second_and_name_the_first_line() {
    let src = format!("{MINIMAL}\n[[topics]]\nid = \"erro\"\nlabel = {{ pt-BR = \"Outro\", en = \"Other\" }}\ndescription = {{ pt-BR = \"x\", en = \"x\" }}\nosticket_topic = 1\n");
    let p = problems(&src);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].line, p[0].path.as_str()), (Some(37), "topics[1].id"));
    assert!(matches!(
        p[0].kind,
        chamado_profile::ProblemKind::DuplicateId { first_line: 21, .. }
    ));
    assert!(p[0].message.pt_br.contains("linha 21"));
}

#[test]
fn unknown_check_names_are_errors() {
    let got = summary(&with(
        "checks = [\"servidor\", \"network\"]",
        "checks = [\"servidr\", \"network\"]",
    ));
    assert_eq!(
        got,
        vec![(
            28,
            11,
            "topics[0].checklist[0].checks[0]".into(),
            "unknown_check".into()
        )]
    );
}

#[test]
fn builtin_program_check_needs_a_program_section() {
    let got = summary(&with("\"network\"]", "\"program\"]"));
    assert_eq!(
        got,
        vec![(
            28,
            23,
            "topics[0].checklist[0].checks[1]".into(),
            "program_not_described".into()
        )]
    );
}

#[test]
fn missing_translations_are_errors() {
    let got = summary(&with(
        "label = { pt-BR = \"Reportar erro\", en = \"Report an error\" }",
        "label = { pt-BR = \"Reportar erro\" }",
    ));
    assert_eq!(
        got,
        vec![(
            22,
            9,
            "topics[0].label.en".into(),
            "missing_translation".into()
        )]
    );
}

#[test]
fn bad_urls_and_colours_are_errors() {
    let src = with(
        "portal = \"https://suporte.exemplo.com.br/\"",
        "portal = \"suporte.exemplo.com.br\"",
    );
    let src = src.replacen("accent = \"#0b5cad\"", "accent = \"azul\"", 1);
    assert_eq!(
        summary(&src),
        vec![
            (5, 10, "vendor.portal".into(), "bad_url".into()),
            (9, 10, "branding.accent".into(), "bad_colour".into()),
        ]
    );
}

#[test]
fn check_targets_are_validated() {
    assert_eq!(
        summary(&with("tcp = \"servidor:3050\"", "tcp = \"servidor\"")),
        vec![(14, 7, "checks[0].tcp".into(), "bad_address".into())]
    );
    assert_eq!(
        summary(&with(
            "tcp = \"servidor:3050\"",
            "tcp = \"servidor:3050\"\nhttp = \"https://x.com.br/\""
        )),
        vec![(11, 1, "checks[0]".into(), "check_target".into())]
    );
    assert_eq!(
        summary(&with("id = \"servidor\"\n", "id = \"firewall\"\n").replace("\"servidor\", ", "")),
        vec![(12, 6, "checks[0].id".into(), "reserved_check".into())]
    );
}

#[test]
fn missing_required_values_are_all_reported_where_they_belong() {
    let src = with("id = \"erro\"\n", "").replacen("osticket_topic = 10\n", "", 1);
    assert_eq!(
        summary(&src),
        vec![
            (20, 1, "topics[0].id".into(), "required".into()),
            (20, 1, "topics[0].osticket_topic".into(), "required".into()),
        ]
    );
}

#[test]
fn choice_fields_need_options() {
    assert_eq!(
        summary(&with("kind = \"multiline\"", "kind = \"choice\"")),
        vec![(
            33,
            8,
            "topics[0].fields[0].kind".into(),
            "choice_without_options".into()
        )]
    );
}

#[test]
fn syntax_errors_have_positions() {
    let got = summary(&with("name = \"Fornecedor\"", "name = \"Fornecedor"));
    assert_eq!(got[0].0, 2);
    assert_eq!(got[0].3, "syntax");
}

#[test]
fn reports_read_like_compiler_output_in_both_languages() {
    let err = parse(
        &with("accent = \"#0b5cad\"", "accent = \"azul\""),
        "perfil.toml",
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.report(Lang::PtBr),
        "perfil.toml:9:10: branding.accent: cor `azul` inválida: use #rrggbb ou #rgb (ex.: #0b5cad)\n1 problema em perfil.toml"
    );
    assert_eq!(
        err.report(Lang::En),
        "perfil.toml:9:10: branding.accent: invalid colour `azul`: use #rrggbb or #rgb (e.g. #0b5cad)\n1 problem in perfil.toml"
    );
}

#[test]
fn logo_must_exist_beside_the_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let src = with(
        "accent = \"#0b5cad\"",
        "accent = \"#0b5cad\"\nlogo = \"logo.png\"",
    );
    let p = parse(&src, "perfil.toml", Some(&dir)).unwrap_err();
    assert_eq!(p.problems[0].path, "branding.logo");
    std::fs::write(dir.join("logo.png"), b"\x89PNG").unwrap();
    assert!(parse(&src, "perfil.toml", Some(&dir)).is_ok());
}

#[test]
fn unreadable_file_is_one_problem_without_position() {
    let err = chamado_profile::load(std::path::Path::new("/nonexistent/perfil.toml")).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].line, None);
    assert!(err
        .report(Lang::PtBr)
        .starts_with("/nonexistent/perfil.toml: não foi possível ler"));
}

#[test]
fn resolve_prefers_argument_then_installed_then_builtin() {
    use chamado_profile::{resolve, ProfileSource, INSTALLED_NAME};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let (src, res) = resolve(None, Some(&dir));
    assert_eq!(src, ProfileSource::BuiltIn);
    assert!(res.is_ok());

    std::fs::write(dir.join(INSTALLED_NAME), "[vendor]\nnam = 1\n").unwrap();
    let (src, res) = resolve(None, Some(&dir));
    assert!(matches!(src, ProfileSource::Installed(_)));
    assert!(
        res.is_err(),
        "a broken installed profile is reported, not skipped"
    );

    let arg = dir.join("arg.toml");
    std::fs::write(&arg, MINIMAL).unwrap();
    let (src, res) = resolve(Some(&arg), Some(&dir));
    assert!(matches!(src, ProfileSource::Argument(_)));
    assert_eq!(res.unwrap().vendor.name, "Fornecedor");
}

#[test]
fn bundle_limits_are_validated_where_they_are_written() {
    let src = format!(
        "{MINIMAL}\n[bundle]\nbudget_kib = 0\nattachment_max_kib = 30000\nattachments_total_max_kib = 20000\n"
    );
    let first = MINIMAL.lines().count() as u32 + 3;
    let got: Vec<_> = summary(&src)
        .into_iter()
        .map(|(line, _, path, code)| (line, path, code))
        .collect();
    assert_eq!(
        got,
        vec![
            (first, "bundle.budget_kib".into(), "out_of_range".into()),
            (
                first + 1,
                "bundle.attachment_max_kib".into(),
                "out_of_range".into()
            ),
        ]
    );
    let ok = parse(
        &src.replace("budget_kib = 0", "budget_kib = 2048")
            .replace("30000", "5000"),
        "p.toml",
        None,
    )
    .unwrap();
    assert_eq!(ok.bundle.budget_kib, 2048);
    assert_eq!(
        parse(MINIMAL, "p.toml", None).unwrap().bundle.budget_kib,
        1024,
        "osTicket's default"
    );
}

#[test]
fn expect_body_only_applies_to_http_checks() {
    let src = with(
        "tcp = \"servidor:3050\"",
        "tcp = \"servidor:3050\"\nexpect_body = \"ok\"",
    );
    let got: Vec<_> = summary(&src)
        .into_iter()
        .map(|(_, _, path, code)| (path, code))
        .collect();
    assert_eq!(
        got,
        vec![("checks[0].expect_body".into(), "status_without_http".into())]
    );
}

#[test]
fn an_installers_enrolment_code_needs_the_central_it_is_for() {
    let codes = |src: &str| -> Vec<(String, String)> {
        summary(src)
            .into_iter()
            .map(|(_, _, path, code)| (path, code))
            .collect()
    };
    let code_only = format!("{MINIMAL}[central]\nenrolment_code = \"ABCDE-FGHIJ-KLMNP\"\n");
    assert_eq!(
        codes(&code_only),
        [("central.url".to_owned(), "required".to_owned())]
    );
    let empty = format!(
        "{MINIMAL}[central]\nurl = \"https://central.exemplo.com.br\"\nenrolment_code = \" \"\n"
    );
    assert_eq!(
        codes(&empty),
        [("central.enrolment_code".to_owned(), "required".to_owned())]
    );
    let ok = format!("{MINIMAL}[central]\nurl = \"https://central.exemplo.com.br\"\nenrolment_code = \"ABCDE-FGHIJ-KLMNP\"\n");
    let profile = parse(&ok, "perfil.toml", None).unwrap();
    assert_eq!(
        profile.central.enrolment_code.as_deref(),
        Some("ABCDE-FGHIJ-KLMNP")
    );
}

#[test]
fn the_default_profile_makes_the_urgency_answers_a_priority() {
    use chamado_profile::{Affected, Frequency, Priority, Urgency};
    let p = parse(DEFAULT_TOML, BUILT_IN_NAME, None).unwrap();
    let of = |u: Urgency| p.priority.of(&u);
    assert_eq!(of(Urgency::default()), Priority::Normal, "nothing answered");
    let stopped_company = Urgency {
        affected: Some(Affected::WholeCompany),
        work_stopped: Some(true),
        ..Urgency::default()
    };
    assert_eq!(of(stopped_company), Priority::Urgent);
    let stopped_no_way = Urgency {
        affected: Some(Affected::OnlyMe),
        work_stopped: Some(true),
        workaround: Some(false),
        frequency: Some(Frequency::Always),
    };
    assert_eq!(of(stopped_no_way), Priority::High);
    let going_around = Urgency {
        work_stopped: Some(false),
        workaround: Some(true),
        ..Urgency::default()
    };
    assert_eq!(of(going_around), Priority::Low);
}

#[test]
fn a_priority_rule_with_a_wrong_answer_is_reported_where_it_is() {
    let src = format!(
        "{MINIMAL}\n[priority]\ndefault = \"normal\"\n\n[[priority.rules]]\naffected = \"todos\"\npriority = \"alta\"\n"
    );
    let got = summary(&src);
    assert_eq!(
        got,
        vec![
            (
                40,
                12,
                "priority.rules[0].affected".into(),
                "unknown_value".into()
            ),
            (
                41,
                12,
                "priority.rules[0].priority".into(),
                "unknown_value".into()
            ),
        ]
    );
    // A rule must say which priority it gives.
    let src = format!("{MINIMAL}\n[[priority.rules]]\nwork_stopped = true\n");
    assert_eq!(
        summary(&src),
        vec![(
            36,
            1,
            "priority.rules[0].priority".into(),
            "required".into()
        )]
    );
}

#[test]
fn requirements_are_validated_where_they_are_written() {
    // A topic asking for the requirements needs the section.
    let got = summary(&with(
        "osticket_topic = 10\n",
        "osticket_topic = 10\nrequirements = true\n",
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].2.as_str(), got[0].3.as_str()),
        ("topics[0].requirements", "requirements_not_described")
    );

    let section = "[requirements]\nwindows_build_min = 10240\narchitectures = [\"x64\", \"sparc\"]\nmemory_mib = 0\nports = [\"servidor\", \"banco\"]\n\n[[checks]]";
    let got = summary(&with("[[checks]]", section));
    let at: Vec<(u32, String, String)> = got.into_iter().map(|(l, _, p, c)| (l, p, c)).collect();
    assert_eq!(
        at,
        vec![
            (
                13,
                "requirements.architectures[1]".into(),
                "unknown_value".into()
            ),
            (14, "requirements.memory_mib".into(), "out_of_range".into()),
            (15, "requirements.ports[1]".into(), "unknown_check".into()),
        ]
    );

    let fine = with(
        "[[checks]]",
        "[requirements]\nmemory_mib = 4096\nports = [\"servidor\"]\n\n[[checks]]",
    );
    let fine = fine.replacen(
        "osticket_topic = 10\n",
        "osticket_topic = 10\nrequirements = true\n",
        1,
    );
    let profile = parse(&fine, "perfil.toml", None).unwrap();
    assert_eq!(profile.requirements.unwrap().memory_mib, Some(4096));
    assert!(profile.topics[0].requirements);
}
