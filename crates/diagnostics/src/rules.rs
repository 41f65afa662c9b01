//! Rules turn what the probes found into findings a customer understands, each with its evidence
//! and a suggested action, in pt-BR and en, tied to the checklist item it answers.

use chamado_profile::{Lang, Profile, Text};

use crate::antivirus::{Antivirus, AvSource, ProductKind, ProductState};
use crate::crashes::{CrashKind, Crashes};
use crate::firewall::{Firewall, ProfileKind};
use crate::hardware::{DiskHealth, Hardware};
use crate::netcheck::{Outcome, Verdict};
use crate::network::{AdapterKind, LinkStatus, Network};
use crate::program::{installed_entries, same_version, VendorProgram};
use crate::snapshot::{Change, WhatChanged};
use crate::software::Software;
use crate::system::{OsFamily, System};

// The findings' model crosses machines (central reads them from the bundle): it lives in
// chamado-wire.
pub use chamado_wire::report::{Finding, Severity};

/// What the rules look at; probes that failed are `None`.
pub struct Facts<'a> {
    pub profile: &'a Profile,
    pub system: Option<&'a System>,
    pub hardware: Option<&'a Hardware>,
    pub firewall: Option<&'a Firewall>,
    pub antivirus: Option<&'a Antivirus>,
    pub network: Option<&'a Network>,
    pub software: Option<&'a Software>,
    pub program: Option<&'a VendorProgram>,
    pub crashes: Option<&'a Crashes>,
    pub checks: &'a [Outcome],
    /// `YYYY-MM-DD`, the day of the collection.
    pub today: jiff::civil::Date,
}

impl<'a> Facts<'a> {
    /// Facts with no probe data and no checks; callers fill in what they have.
    pub fn new(profile: &'a Profile, today: jiff::civil::Date) -> Self {
        Facts {
            profile,
            system: None,
            hardware: None,
            firewall: None,
            antivirus: None,
            network: None,
            software: None,
            program: None,
            crashes: None,
            checks: &[],
            today,
        }
    }
}

/// How far back a security product counts as "new".
const RECENT_SECURITY_DAYS: i64 = 14;
/// How far back any program counts as "just installed".
const RECENT_PROGRAM_DAYS: i64 = 3;

pub fn findings(f: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in f.checks {
        if let Some(finding) = check_finding(f.profile, o) {
            out.push(finding);
        }
    }
    out.extend(recent_software(f));
    out.extend(firewall_in_the_way(f));
    out.extend(program_state(f));
    out.extend(program_crashes(f));
    out.extend(antivirus_state(f));
    out.extend(network_state(f));
    out.extend(hardware_state(f));
    out.sort_by_key(|x| x.severity);
    out
}

fn t(pt_br: String, en: String) -> Text {
    Text { pt_br, en }
}

fn check_finding(profile: &Profile, o: &Outcome) -> Option<Finding> {
    let label = profile
        .checks
        .iter()
        .find(|c| c.id == o.id)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| t(o.id.clone(), o.id.clone()));
    let (pt, en) = (label.get(Lang::PtBr), label.get(Lang::En));
    let target = &o.target;
    let (rule, severity, title, action) = match &o.verdict {
        Verdict::Ok => return None,
        Verdict::Refused => (
            "check.refused",
            Severity::Problem,
            t(
                format!("{pt} ({target}) recusou a conexão: o computador está ligado, mas o serviço não está respondendo"),
                format!("{en} ({target}) refused the connection: the computer is on, but the service is not answering"),
            ),
            t(
                "Verifique se o serviço (por exemplo, o banco de dados) está iniciado no servidor e se a porta está certa.".into(),
                "Check that the service (e.g. the database) is started on the server and that the port is right.".into(),
            ),
        ),
        Verdict::TimedOut => (
            "check.timed_out",
            Severity::Problem,
            t(
                format!("{pt} ({target}) não respondeu a tempo"),
                format!("{en} ({target}) did not answer in time"),
            ),
            t(
                "Um firewall ou antivírus pode estar bloqueando a conexão, ou o computador de destino está desligado.".into(),
                "A firewall or antivirus may be blocking the connection, or the target computer is off.".into(),
            ),
        ),
        Verdict::Unreachable => (
            "check.unreachable",
            Severity::Problem,
            t(
                format!("Sem caminho de rede até {pt} ({target})"),
                format!("No network path to {en} ({target})"),
            ),
            t(
                "Verifique o cabo de rede, o Wi-Fi e se as configurações de rede foram alteradas.".into(),
                "Check the network cable, the Wi-Fi, and whether the network settings were changed.".into(),
            ),
        ),
        Verdict::NotResolved => (
            "check.not_resolved",
            Severity::Problem,
            t(
                format!("{pt} ({target}): o nome não foi encontrado no DNS"),
                format!("{en} ({target}): the name was not found in DNS"),
            ),
            t(
                "Confira se o nome do servidor está certo e se as configurações de DNS foram alteradas.".into(),
                "Check that the server's name is right and whether the DNS settings were changed.".into(),
            ),
        ),
        Verdict::DnsUnavailable => (
            "check.dns_unavailable",
            Severity::Problem,
            t(
                format!("Nenhum servidor DNS respondeu ao procurar {pt} ({target})"),
                format!("No DNS server answered when looking up {en} ({target})"),
            ),
            t(
                "Este computador pode estar sem rede, ou as configurações de DNS foram alteradas.".into(),
                "This computer may have no network, or its DNS settings were changed.".into(),
            ),
        ),
        Verdict::UnexpectedStatus { status, expected } => (
            "check.unexpected_status",
            Severity::Warning,
            t(
                format!("{pt} ({target}) respondeu com o código {status} (esperado {expected})"),
                format!("{en} ({target}) answered with status {status} (expected {expected})"),
            ),
            t(
                "O serviço pode estar em manutenção ou com problemas; um proxy também pode estar no caminho.".into(),
                "The service may be under maintenance or failing; a proxy may also be in the way.".into(),
            ),
        ),
        Verdict::UnexpectedContent { .. } => (
            "check.unexpected_content",
            Severity::Problem,
            t(
                format!("{pt} ({target}): outra página respondeu no lugar, como um portal de login da rede ou um proxy"),
                format!("{en} ({target}): another page answered instead, such as a network login portal or a proxy"),
            ),
            t(
                "Abra o navegador: se aparecer uma página de login da rede (hotel, visitantes), entre nela; senão, peça ao responsável pela rede para verificar o proxy.".into(),
                "Open the browser: if a network login page shows up (hotel, guests), sign in; otherwise ask whoever manages the network to check the proxy.".into(),
            ),
        ),
        Verdict::TlsFailed { .. } => (
            "check.tls_failed",
            Severity::Problem,
            t(
                format!("A conexão segura com {pt} ({target}) falhou"),
                format!("The secure connection to {en} ({target}) failed"),
            ),
            t(
                "Um antivírus ou proxy que inspeciona HTTPS pode estar interferindo; confira também a data e a hora do computador.".into(),
                "An antivirus or proxy that inspects HTTPS may be interfering; also check the computer's date and time.".into(),
            ),
        ),
        Verdict::Failed { .. } => (
            "check.failed",
            Severity::Warning,
            t(
                format!("Não foi possível verificar {pt} ({target})"),
                format!("{en} ({target}) could not be checked"),
            ),
            t(
                "Veja o detalhe técnico no relatório.".into(),
                "See the technical detail in the report.".into(),
            ),
        ),
    };
    let mut evidence = vec![format!("{}: {}", o.id, verdict_words(&o.verdict))];
    if !o.addresses.is_empty() {
        evidence.push(format!("{target} → {}", o.addresses.join(", ")));
    }
    Some(Finding {
        rule: rule.into(),
        severity,
        title,
        action,
        evidence,
        check: Some(o.id.clone()),
    })
}

/// A check's verdict as the evidence line says it (the analyst's language, pt-BR), with the
/// detail the system gave.
fn verdict_words(v: &Verdict) -> String {
    match v {
        Verdict::Ok => "ok".into(),
        Verdict::NotResolved => "nome não encontrado no DNS".into(),
        Verdict::DnsUnavailable => "nenhum servidor DNS respondeu".into(),
        Verdict::Refused => "conexão recusada".into(),
        Verdict::TimedOut => "sem resposta no tempo limite".into(),
        Verdict::Unreachable => "sem caminho de rede".into(),
        Verdict::UnexpectedStatus { status, expected } => {
            format!("respondeu HTTP {status}, esperado {expected}")
        }
        Verdict::UnexpectedContent { got } => format!("outra página respondeu: {got}"),
        Verdict::TlsFailed { detail } => format!("conexão segura falhou: {detail}"),
        Verdict::Failed { detail } => format!("falhou: {detail}"),
    }
}

/// At most this many evidence lines per finding; the report's tables have the rest.
const MAX_EVIDENCE: usize = 15;

fn capped(lines: impl ExactSizeIterator<Item = String>) -> Vec<String> {
    let total = lines.len();
    let mut out: Vec<String> = lines.take(MAX_EVIDENCE).collect();
    if total > MAX_EVIDENCE {
        out.push(format!("(+{})", total - MAX_EVIDENCE));
    }
    out
}

fn days_ago(today: jiff::civil::Date, date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    Some((today - d).get_days().into())
}

fn recent_software(f: &Facts<'_>) -> Vec<Finding> {
    let Some(sw) = f.software else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let since = |days: i64| (f.today - jiff::Span::new().days(days)).to_string();
    for p in sw
        .installed_since(&since(RECENT_SECURITY_DAYS))
        .into_iter()
        .filter(|p| p.security)
    {
        let days = p
            .installed
            .as_deref()
            .and_then(|d| days_ago(f.today, d))
            .unwrap_or(0);
        let (pt_when, en_when) = match days {
            0 => ("hoje".to_owned(), "today".to_owned()),
            1 => ("há 1 dia".to_owned(), "1 day ago".to_owned()),
            n => (format!("há {n} dias"), format!("{n} days ago")),
        };
        out.push(Finding {
            rule: "software.new_security_product".into(),
            severity: Severity::Warning,
            title: t(
                format!("{} instalado {pt_when}", p.name),
                format!("{} installed {en_when}", p.name),
            ),
            action: t(
                "Programas de segurança novos costumam bloquear o sistema: peça ao responsável para liberar o programa e o servidor no antivírus/firewall.".into(),
                "New security programs often block the system: ask whoever manages it to allow the program and the server in the antivirus/firewall.".into(),
            ),
            evidence: vec![format!(
                "{} {} ({}) {}",
                p.name,
                p.version.as_deref().unwrap_or(""),
                p.publisher.as_deref().unwrap_or(""),
                p.installed.as_deref().unwrap_or("")
            )],
            check: Some("antivirus".into()),
        });
    }
    let others: Vec<_> = sw
        .installed_since(&since(RECENT_PROGRAM_DAYS))
        .into_iter()
        .filter(|p| !p.security)
        .collect();
    if !others.is_empty() {
        let names: Vec<&str> = others.iter().map(|p| p.name.as_str()).collect();
        out.push(Finding {
            rule: "software.recently_installed".into(),
            severity: Severity::Info,
            title: t(
                format!("{} programa(s) instalado(s) ou atualizado(s) nos últimos {RECENT_PROGRAM_DAYS} dias", names.len()),
                format!("{} program(s) installed or updated in the last {RECENT_PROGRAM_DAYS} days", names.len()),
            ),
            action: t(
                "Se o problema começou depois disso, mencione no chamado.".into(),
                "If the problem started after that, say so in the ticket.".into(),
            ),
            evidence: capped(
                others
                    .iter()
                    .map(|p| format!("{} {}", p.installed.as_deref().unwrap_or(""), p.name)),
            ),
            check: Some("recent-software".into()),
        });
    }
    let updates = sw.updates_since(&since(RECENT_PROGRAM_DAYS));
    if !updates.is_empty() {
        out.push(Finding {
            rule: "software.recent_updates".into(),
            severity: Severity::Info,
            title: t(
                format!("{} atualização(ões) do Windows instalada(s) nos últimos {RECENT_PROGRAM_DAYS} dias", updates.len()),
                format!("{} Windows update(s) installed in the last {RECENT_PROGRAM_DAYS} days", updates.len()),
            ),
            action: t(
                "Se o problema começou depois da atualização, mencione no chamado.".into(),
                "If the problem started after the update, say so in the ticket.".into(),
            ),
            evidence: capped(updates.iter().map(|u| {
                format!(
                    "{} {} {}",
                    u.installed.as_deref().unwrap_or(""),
                    u.id,
                    u.kind.as_deref().unwrap_or("")
                )
                .trim()
                .to_owned()
            })),
            check: Some("recent-software".into()),
        });
    }
    out
}

/// A check that timed out, with a firewall on: the firewall is the usual suspect.
fn firewall_in_the_way(f: &Facts<'_>) -> Vec<Finding> {
    if !f.checks.iter().any(|o| o.verdict == Verdict::TimedOut) {
        return Vec::new();
    }
    let Some(Firewall::Windows(fw)) = f.firewall else {
        return Vec::new();
    };
    fw.profiles
        .iter()
        .filter(|p| p.enabled == Some(true))
        .map(|p| {
            let (pt, en) = match p.profile {
                ProfileKind::Domain => ("Domínio", "Domain"),
                ProfileKind::Private => ("Privado", "Private"),
                ProfileKind::Public => ("Público", "Public"),
            };
            let by_policy = p.policy.is_some();
            Finding {
                rule: "firewall.enabled_with_timeouts".into(),
                severity: Severity::Warning,
                title: t(
                    format!("Firewall do perfil {pt} ativado{}", if by_policy { " (por política de grupo)" } else { "" }),
                    format!("{en} profile firewall on{}", if by_policy { " (by Group Policy)" } else { "" }),
                ),
                action: t(
                    "Uma conexão não respondeu: confira se o firewall libera o sistema e a porta do servidor.".into(),
                    "A connection did not answer: check that the firewall allows the system and the server's port.".into(),
                ),
                evidence: vec![format!("{:?}: local {:?}, policy {:?}", p.profile, p.local, p.policy)],
                check: Some("firewall".into()),
            }
        })
        .collect()
}

/// The vendor's program: in Windows' list of installed programs, its executable where the
/// profile says, installed once, the executable's version the same as the list's.
fn program_state(f: &Facts<'_>) -> Vec<Finding> {
    let Some(profile_program) = f.profile.program.as_ref() else {
        return Vec::new();
    };
    if f.system.map(|s| s.family) != Some(OsFamily::Windows) {
        return Vec::new();
    }
    let name = &profile_program.display_name;
    let entries = match (f.program, f.software) {
        (Some(p), _) => p.installed.clone(),
        (None, Some(sw)) => installed_entries(name, sw),
        (None, None) => return Vec::new(),
    };
    let exe_found = f.program.is_some_and(|p| p.exe_found);
    let finding = |rule: &str, severity, title, action, evidence| Finding {
        rule: rule.into(),
        severity,
        title,
        action,
        evidence,
        check: Some("program".into()),
    };
    let mut out = Vec::new();
    if entries.is_empty() && !exe_found && f.software.is_some() {
        let listed = f.software.map_or(0, |sw| sw.programs.len());
        out.push(finding(
            "program.not_installed",
            Severity::Warning,
            t(
                format!("{name} não aparece entre os programas instalados"),
                format!("{name} is not among the installed programs"),
            ),
            t(
                "Se o sistema foi instalado em outro computador ou copiado, informe no chamado."
                    .into(),
                "If the system was installed on another computer or copied, say so in the ticket."
                    .into(),
            ),
            vec![format!("{listed} programs listed")],
        ));
    }
    let Some(p) = f.program else {
        return out;
    };
    if !entries.is_empty() && !p.exe_found {
        out.push(finding(
            "program.exe_missing",
            Severity::Warning,
            t(
                format!("{name} está na lista de programas, mas o executável não foi encontrado"),
                format!("{name} is in the list of programs, but its executable was not found"),
            ),
            t(
                "A instalação pode estar danificada ou em outra pasta: reinstale ou informe onde o sistema está instalado.".into(),
                "The installation may be damaged or in another folder: reinstall, or say where the system is installed.".into(),
            ),
            vec![p.exe.clone()],
        ));
    }
    if p.duplicate_installs() {
        let mut evidence: Vec<String> = p
            .installed
            .iter()
            .map(|e| {
                format!("{} {}", e.name, e.version.as_deref().unwrap_or(""))
                    .trim()
                    .to_owned()
            })
            .collect();
        evidence.extend(
            p.running
                .iter()
                .filter_map(|r| r.path.as_ref().map(|path| format!("pid {}: {path}", r.pid))),
        );
        out.push(finding(
            "program.duplicate",
            Severity::Warning,
            t(
                format!("{name} parece estar instalado mais de uma vez"),
                format!("{name} seems to be installed more than once"),
            ),
            t(
                "Use só uma instalação: atalhos antigos podem abrir uma versão desatualizada."
                    .into(),
                "Use a single installation: old shortcuts may open an outdated version.".into(),
            ),
            evidence,
        ));
    }
    let listed = entries.iter().find_map(|e| e.version.as_deref());
    if let (Some(file), Some(listed)) = (p.file_version.as_ref(), listed) {
        if !same_version(&file.file, listed) && !same_version(&file.product, listed) {
            out.push(finding(
                "program.version_mismatch",
                Severity::Info,
                t(
                    format!("A versão do executável ({}) difere da versão instalada ({listed}): atualização incompleta?", file.file),
                    format!("The executable's version ({}) differs from the installed version ({listed}): an incomplete update?", file.file),
                ),
                t(
                    "Se o sistema foi atualizado há pouco, informe no chamado.".into(),
                    "If the system was updated recently, say so in the ticket.".into(),
                ),
                vec![format!("{}: {}", p.exe, file.file), format!("{name}: {listed}")],
            ));
        }
    }
    out
}

/// The vendor's program crashed or hung in the last days.
fn program_crashes(f: &Facts<'_>) -> Option<Finding> {
    let program = f.profile.program.as_ref()?;
    let crashes = f.crashes?;
    let ours: Vec<_> = crashes.events.iter().filter(|e| e.vendor_program).collect();
    if ours.is_empty() {
        return None;
    }
    let (n, days, name) = (ours.len(), crashes.days, &program.display_name);
    let hangs = ours.iter().filter(|e| e.kind == CrashKind::Hang).count();
    let evidence = ours
        .iter()
        .take(5)
        .map(|e| {
            let mut s = format!("{} {:?} {}", e.time, e.kind, e.app);
            for part in [&e.app_version, &e.module, &e.exception]
                .into_iter()
                .flatten()
            {
                s.push(' ');
                s.push_str(part);
            }
            s
        })
        .collect();
    Some(Finding {
        rule: "program.crashed".into(),
        severity: if n - hangs >= 3 { Severity::Problem } else { Severity::Warning },
        title: t(
            format!("{name} parou de funcionar ou travou {n} vez(es) nos últimos {days} dias"),
            format!("{name} stopped working or hung {n} time(s) in the last {days} days"),
        ),
        action: t(
            "Conte no chamado o que estava fazendo quando o sistema fechou: os detalhes técnicos já vão no relatório.".into(),
            "Say in the ticket what you were doing when the system closed: the technical details are already in the report.".into(),
        ),
        evidence,
        check: Some("program".into()),
    })
}

/// Findings from what changed since things worked: new security products and firewall changes
/// first (the seed's usual causes), the rest as context.
pub fn change_findings(w: &WhatChanged) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut others = Vec::new();
    let since = w.since.get(..10).unwrap_or(&w.since);
    for c in &w.changes {
        let text = c.describe();
        match c {
            Change::SecurityProductAdded { .. }
            | Change::FirewallChanged { .. }
            | Change::NetworkChanged { .. }
            | Change::ProxyChanged { .. } => out.push(Finding {
                rule: match c {
                    Change::SecurityProductAdded { .. } => "changed.security_product_added",
                    Change::FirewallChanged { .. } => "changed.firewall",
                    Change::ProxyChanged { .. } => "changed.proxy",
                    _ => "changed.network",
                }
                .into(),
                severity: Severity::Warning,
                title: t(
                    format!("{} (desde {since})", text.pt_br),
                    format!("{} (since {since})", text.en),
                ),
                action: t(
                    "Esta mudança aconteceu depois da última vez em que tudo funcionava: ela pode ser a causa.".into(),
                    "This changed after the last time everything worked: it may be the cause.".into(),
                ),
                // The title says the change in words; its data is in the report's `changes`.
                evidence: Vec::new(),
                check: Some(
                    match c {
                        Change::SecurityProductAdded { .. } => "antivirus",
                        Change::FirewallChanged { .. } => "firewall",
                        Change::ProxyChanged { .. } => "proxy",
                        _ => "network",
                    }
                    .into(),
                ),
            }),
            _ => others.push(text),
        }
    }
    if !others.is_empty() {
        out.push(Finding {
            rule: "changed.other".into(),
            severity: Severity::Info,
            title: t(
                format!("{} outra(s) mudança(s) desde {since}", others.len()),
                format!("{} other change(s) since {since}", others.len()),
            ),
            action: t(
                "Veja a lista em \"O que mudou\".".into(),
                "See the list under \"What changed\".".into(),
            ),
            evidence: capped(
                others
                    .into_iter()
                    .map(|t| t.pt_br)
                    .collect::<Vec<_>>()
                    .into_iter(),
            ),
            check: Some("recent-software".into()),
        });
    }
    out
}

/// Signatures out of date; no antivirus on at all where Security Center would know.
fn antivirus_state(f: &Facts<'_>) -> Vec<Finding> {
    let Some(av) = f.antivirus else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let antivirus = || {
        av.products
            .iter()
            .filter(|p| p.kind == ProductKind::Antivirus)
    };
    for p in antivirus().filter(|p| p.up_to_date == Some(false)) {
        out.push(Finding {
            rule: "antivirus.out_of_date".into(),
            severity: Severity::Warning,
            title: t(
                format!("{}: assinaturas de vírus desatualizadas", p.name),
                format!("{}: virus signatures out of date", p.name),
            ),
            action: t(
                "Atualize o antivírus; um antivírus desatualizado também pode indicar falta de acesso à internet.".into(),
                "Update the antivirus; an out-of-date antivirus may also mean no internet access.".into(),
            ),
            evidence: vec![format!("{} {:?} {:?}", p.name, p.product_state, p.signature_age_days)],
            check: Some("antivirus".into()),
        });
    }
    if av.source == AvSource::SecurityCenter
        && !antivirus().any(|p| p.state == Some(ProductState::On))
    {
        out.push(Finding {
            rule: "antivirus.none_on".into(),
            severity: Severity::Warning,
            title: t(
                "Nenhum antivírus ativo neste computador".into(),
                "No antivirus is on on this computer".into(),
            ),
            action: t(
                "Um antivírus pode ter sido desinstalado ou desligado: confira com o responsável pela informática.".into(),
                "An antivirus may have been uninstalled or turned off: check with whoever manages the computers.".into(),
            ),
            evidence: antivirus().map(|p| format!("{}: {:?}", p.name, p.state)).collect(),
            check: Some("antivirus".into()),
        });
    }
    out
}

/// A cable unplugged, no network at all, a proxy in the way.
fn network_state(f: &Facts<'_>) -> Vec<Finding> {
    let Some(net) = f.network else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let real = || {
        net.adapters
            .iter()
            .filter(|a| a.kind != AdapterKind::Loopback)
    };
    let any_up = real().any(|a| a.status == LinkStatus::Up && !a.ipv4.is_empty());
    for a in
        real().filter(|a| a.status == LinkStatus::CableUnplugged && a.kind == AdapterKind::Ethernet)
    {
        out.push(Finding {
            rule: "network.cable_unplugged".into(),
            severity: if any_up { Severity::Warning } else { Severity::Problem },
            title: t(
                format!("Cabo de rede desconectado no adaptador {}", a.name),
                format!("Network cable unplugged on adapter {}", a.name),
            ),
            action: t(
                "Confira se o cabo está bem encaixado no computador e na parede ou no switch.".into(),
                "Check that the cable is firmly plugged into the computer and the wall socket or switch.".into(),
            ),
            evidence: vec![format!("{}: {}", a.name, a.description.as_deref().unwrap_or(""))],
            check: Some("network".into()),
        });
    }
    if !any_up && real().next().is_some() {
        out.push(Finding {
            rule: "network.none_up".into(),
            severity: Severity::Problem,
            title: t(
                "Este computador não está conectado a nenhuma rede".into(),
                "This computer is not connected to any network".into(),
            ),
            action: t(
                "Verifique o cabo de rede ou o Wi-Fi.".into(),
                "Check the network cable or the Wi-Fi.".into(),
            ),
            evidence: real()
                .map(|a| format!("{}: {:?}", a.name, a.status))
                .collect(),
            check: Some("network".into()),
        });
    }
    if net.proxy.enabled || net.proxy.auto_config_url.is_some() {
        let target = net
            .proxy
            .server
            .clone()
            .or_else(|| net.proxy.auto_config_url.clone())
            .unwrap_or_default();
        out.push(Finding {
            rule: "network.proxy".into(),
            severity: Severity::Info,
            title: t(
                format!("A internet passa por um proxy: {target}"),
                format!("Internet traffic goes through a proxy: {target}"),
            ),
            action: t(
                "Se o proxy mudou ou está fora do ar, o sistema pode não alcançar o servidor."
                    .into(),
                "If the proxy changed or is down, the system may not reach the server.".into(),
            ),
            evidence: vec![format!("{:?}", net.proxy)],
            check: Some("proxy".into()),
        });
    }
    out
}

/// Below this, a system volume is "almost full": programs fail to write, updates fail.
const LOW_FREE_PERCENT: f64 = 5.0;
const LOW_FREE_GB: f64 = 2.0;

/// A system disk almost full; a disk that reports it is failing.
fn hardware_state(f: &Facts<'_>) -> Vec<Finding> {
    let Some(hw) = f.hardware else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in hw
        .volumes
        .iter()
        .filter(|v| v.free_percent < LOW_FREE_PERCENT || v.free_gb < LOW_FREE_GB)
    {
        let free_pt = format!("{:.1}", v.free_gb).replace('.', ",");
        out.push(Finding {
            rule: "hardware.low_disk_space".into(),
            severity: if v.system { Severity::Problem } else { Severity::Warning },
            title: t(
                format!("Pouco espaço livre no disco {} {free_pt} GB livres ({:.0}%)", v.mount, v.free_percent),
                format!("Little free space on disk {} {:.1} GB free ({:.0}%)", v.mount, v.free_gb, v.free_percent),
            ),
            action: t(
                "Libere espaço (arquivos temporários, downloads antigos): sem espaço, o sistema e o banco de dados podem falhar ao gravar.".into(),
                "Free some space (temporary files, old downloads): without space, the system and the database may fail to write.".into(),
            ),
            evidence: vec![format!("{}: {} GB free of {} GB", v.mount, v.free_gb, v.size_gb)],
            check: None,
        });
    }
    for d in hw
        .disks
        .iter()
        .filter(|d| matches!(d.health, DiskHealth::Warning | DiskHealth::Unhealthy))
    {
        out.push(Finding {
            rule: "hardware.disk_health".into(),
            severity: Severity::Problem,
            title: t(
                format!("O disco {} informa problemas de saúde", d.name),
                format!("Disk {} reports health problems", d.name),
            ),
            action: t(
                "Faça uma cópia de segurança agora e chame o técnico: o disco pode falhar.".into(),
                "Back up now and call the technician: the disk may fail.".into(),
            ),
            evidence: vec![format!("{}: {:?}", d.name, d.health)],
            check: None,
        });
    }
    out
}
