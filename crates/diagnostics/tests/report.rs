//! Rules, the HTML report and a whole collection, as an analyst reads them.

use chamado_diagnostics::firewall::{Firewall, FirewallProfile, ProfileKind, WindowsFirewall};
use chamado_diagnostics::html::to_html;
use chamado_diagnostics::netcheck::{Outcome, Verdict};
use chamado_diagnostics::report::{collect, Options, REPORT_FORMAT};
use chamado_diagnostics::rules::{findings, Facts, Severity};
use chamado_diagnostics::software::{InstalledProgram, Software};
use chamado_diagnostics::system::{decode_windows, WindowsRaw};
use chamado_profile::{builtin, Lang};

fn outcome(id: &str, target: &str, verdict: Verdict) -> Outcome {
    Outcome {
        id: id.into(),
        target: target.into(),
        verdict,
        addresses: vec![],
        elapsed_ms: 5,
    }
}

fn program(name: &str, installed: &str, security: bool) -> InstalledProgram {
    InstalledProgram {
        name: name.into(),
        version: Some("1.0".into()),
        publisher: None,
        installed: Some(installed.into()),
        security,
    }
}

fn today() -> jiff::civil::Date {
    "2026-11-24".parse().unwrap()
}

#[test]
fn each_failed_check_says_what_it_means() {
    let profile = builtin();
    let checks = [
        outcome("servidor", "192.168.0.10:3050", Verdict::Refused),
        outcome("dns-suporte", "suporte.exemplo.com.br", Verdict::Ok),
        outcome(
            "site-suporte",
            "https://suporte.exemplo.com.br/",
            Verdict::TimedOut,
        ),
    ];
    let f = findings(&Facts {
        checks: &checks,
        ..Facts::new(&profile, today())
    });
    let rules: Vec<_> = f.iter().map(|x| x.rule.as_str()).collect();
    assert_eq!(rules, ["check.refused", "check.timed_out"]);
    assert_eq!(
        f[0].title.pt_br,
        "Servidor do banco de dados da empresa (192.168.0.10:3050) recusou a conexão: o computador está ligado, mas o serviço não está respondendo"
    );
    assert_eq!(f[0].check.as_deref(), Some("servidor"));
    assert!(f[1].title.en.contains("did not answer in time"));
}

/// The analyst reads a finding and its evidence in words: no "O nome de Nome do site …", no
/// `{"verdict":…}`.
#[test]
fn a_name_not_found_reads_well_with_its_evidence_in_words() {
    let profile = builtin();
    let checks = [
        outcome(
            "dns-suporte",
            "suporte.exemplo.com.br",
            Verdict::NotResolved,
        ),
        outcome(
            "site-suporte",
            "https://suporte.exemplo.com.br/",
            Verdict::UnexpectedStatus {
                status: 503,
                expected: 200,
            },
        ),
    ];
    let f = findings(&Facts {
        checks: &checks,
        ..Facts::new(&profile, today())
    });
    assert_eq!(
        f[0].title.pt_br,
        "Nome do site de suporte (DNS) (suporte.exemplo.com.br): o nome não foi encontrado no DNS"
    );
    assert_eq!(
        f[0].title.en,
        "Support site name (DNS) (suporte.exemplo.com.br): the name was not found in DNS"
    );
    assert_eq!(f[0].evidence, ["dns-suporte: nome não encontrado no DNS"]);
    assert_eq!(
        f[1].evidence,
        ["site-suporte: respondeu HTTP 503, esperado 200"]
    );
}

#[test]
fn a_new_antivirus_and_a_firewall_in_the_way() {
    let profile = builtin();
    let software = Software {
        updates: Vec::new(),
        programs: vec![
            program("Kaspersky Endpoint Security", "2026-11-22", true),
            program("Old Antivirus", "2025-01-01", true),
            program("AnyDesk", "2026-11-23", false),
        ],
    };
    let firewall = Firewall::Windows(WindowsFirewall {
        profiles: vec![
            FirewallProfile {
                profile: ProfileKind::Domain,
                local: Some(false),
                policy: None,
                enabled: Some(false),
            },
            FirewallProfile {
                profile: ProfileKind::Private,
                local: Some(false),
                policy: None,
                enabled: Some(false),
            },
            FirewallProfile {
                profile: ProfileKind::Public,
                local: Some(true),
                policy: None,
                enabled: Some(true),
            },
        ],
        networks: vec![],
    });
    let system = decode_windows(
        &WindowsRaw {
            product_name: Some("Windows 10 Pro".into()),
            current_build: Some("19045".into()),
            ..WindowsRaw::default()
        },
        "2026-11-24T12:00:00Z".parse().unwrap(),
    );
    let checks = [outcome("servidor", "servidor:3050", Verdict::TimedOut)];
    let f = findings(&Facts {
        system: Some(&system),
        firewall: Some(&firewall),
        software: Some(&software),
        checks: &checks,
        ..Facts::new(&profile, today())
    });
    let titles: Vec<_> = f
        .iter()
        .map(|x| (x.severity, x.title.pt_br.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            (
                Severity::Problem,
                "Servidor do banco de dados da empresa (servidor:3050) não respondeu a tempo"
            ),
            (
                Severity::Warning,
                "Kaspersky Endpoint Security instalado há 2 dias"
            ),
            (Severity::Warning, "Firewall do perfil Público ativado"),
            (
                Severity::Warning,
                "Sistema de Gestão não aparece entre os programas instalados"
            ),
            (
                Severity::Info,
                "1 programa(s) instalado(s) ou atualizado(s) nos últimos 3 dias"
            ),
        ]
    );
}

#[tokio::test]
async fn a_collection_is_versioned_json_and_a_standalone_html_page() {
    let mut profile = builtin();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    profile.checks.truncate(1);
    profile.checks[0].tcp = Some(closed.to_string());
    let report = collect(&profile, "chamado test", &Options::default()).await;
    assert_eq!(report.format, REPORT_FORMAT);
    assert!(report.system.data.is_some());
    let checks = report.checks.as_ref().unwrap();
    assert_eq!(checks[0].verdict, Verdict::Refused);
    assert_eq!(report.findings[0].rule, "check.refused");

    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "format",
        "generator",
        "collected_at",
        "findings",
        "system",
        "firewall",
        "software",
        "checks",
    ] {
        assert!(json.get(key).is_some(), "{key} in the JSON");
    }

    let html = to_html(&report, Lang::PtBr);
    assert!(html.starts_with("<!doctype html><html lang=\"pt-BR\">"));
    // Standalone: nothing is loaded from anywhere (URLs may appear as text from the machine).
    for loader in ["src=", "href=", "<link", "<script", "url(", "@import"] {
        assert!(!html.contains(loader), "{loader} in the report");
    }
    let (findings_at, checks_at) = (
        html.find("O que encontramos").unwrap(),
        html.find("Verificações de rede").unwrap(),
    );
    assert!(findings_at < checks_at, "findings first");
    assert!(html.contains("conexão recusada"));
    assert!(to_html(&report, Lang::En).contains("What we found"));

    let skipped = collect(&profile, "chamado test", &Options { skip_checks: true }).await;
    assert!(skipped.checks.is_none());
    assert!(to_html(&skipped, Lang::PtBr).contains("deixadas de fora"));
}

#[test]
fn everything_from_the_machine_is_escaped() {
    assert_eq!(
        chamado_diagnostics::html::escape("<script>alert('x') & \"y\"</script>"),
        "&lt;script&gt;alert(&#x27;x&#x27;) &amp; &quot;y&quot;&lt;/script&gt;"
    );
}
