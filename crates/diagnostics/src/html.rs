//! The report as one standalone HTML page for the analyst: no external resources, findings
//! first, then each probe. Every value from the machine is escaped.

use std::fmt::Write;

use chamado_profile::Lang;

use crate::antivirus::ProductState;
use crate::firewall::{Firewall, NetworkCategory, ProfileKind};
use crate::netcheck::Verdict;
use crate::network::LinkStatus;
use crate::probe::{Probe, ProbeProblem};
use crate::report::Report;
use crate::rules::Severity;

const STYLE: &str = "body{font-family:'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2733;line-height:1.45}\
h1{color:#0b5cad;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:2px solid #0b5cad;padding-bottom:.2rem}\
.meta{color:#5b6773}table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d8dee4;vertical-align:top}\
th{background:#f1f4f7}.finding{border-left:6px solid;padding:.5rem .9rem;margin:.6rem 0;background:#f8fafb}\
.problem{border-color:#a8071a}.warning{border-color:#b76e00}.info{border-color:#0b5cad}\
.finding h3{margin:.1rem 0 .3rem;font-size:1.05rem}.evidence{font-family:Consolas,monospace;font-size:.85rem;color:#5b6773}\
figure{display:inline-block;margin:.5rem 1rem .5rem 0}figure img{border:1px solid #d8dee4;max-width:100%}figcaption{font-size:.85rem;color:#5b6773}\
.ok{color:#1a7f37;font-weight:600}.bad{color:#a8071a;font-weight:600}code{font-family:Consolas,monospace}pre{white-space:pre-wrap;font-size:.8rem;background:#f1f4f7;padding:.5rem}";

/// Where the screenshots go in the page (after the findings and what changed). A bundle puts
/// [`screenshots_section`] there once the page's text is redacted, since redaction must never
/// touch an image's base64; elsewhere the comment stays, empty.
pub const SCREENSHOTS_SLOT: &str = "<!--chamado:screenshots-->";

/// A screenshot as the page shows it: its thumbnail inline (the page loads nothing), linked to
/// the full-size file beside the page in the bundle.
pub struct Figure {
    /// The file's path in the bundle, e.g. `screenshots/tela-1.webp`.
    pub file: String,
    /// The thumbnail as a `data:` URL.
    pub thumbnail: Option<String>,
}

/// The page's section with `figures` (empty when there are none).
pub fn screenshots_section(lang: Lang, figures: &[Figure]) -> String {
    if figures.is_empty() {
        return String::new();
    }
    let w = if lang == Lang::PtBr { &PT } else { &EN };
    let mut h = format!("<h2>{}</h2><p>{}</p>", w.screenshots, w.screenshots_hint);
    for f in figures {
        let file = escape(&f.file);
        let name = escape(f.file.rsplit('/').next().unwrap_or(&f.file));
        let _ = write!(h, "<figure><a href=\"{file}\">");
        match &f.thumbnail {
            Some(url) => {
                let _ = write!(h, "<img src=\"{}\" alt=\"{name}\">", escape(url));
            }
            None => h.push_str(&name),
        }
        let _ = write!(h, "</a><figcaption>{name}</figcaption></figure>");
    }
    h
}

/// Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn escape(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

struct Words {
    title: &'static str,
    collected: &'static str,
    findings: &'static str,
    screenshots: &'static str,
    screenshots_hint: &'static str,
    no_findings: &'static str,
    action: &'static str,
    checks: &'static str,
    checks_skipped: &'static str,
    check: &'static str,
    target: &'static str,
    result: &'static str,
    addresses: &'static str,
    time: &'static str,
    system: &'static str,
    firewall: &'static str,
    software: &'static str,
    recent: &'static str,
    all_programs: &'static str,
    name: &'static str,
    version: &'static str,
    publisher: &'static str,
    installed: &'static str,
    security: &'static str,
    problems: &'static str,
    unavailable: &'static str,
    left_out: &'static str,
    yes: &'static str,
    no: &'static str,
    os: &'static str,
    edition: &'static str,
    release: &'static str,
    build: &'static str,
    architecture: &'static str,
    install_date: &'static str,
    last_boot: &'static str,
    uptime: &'static str,
    machine: &'static str,
    user: &'static str,
    profile: &'static str,
    local: &'static str,
    policy: &'static str,
    effective: &'static str,
    network: &'static str,
    category: &'static str,
    last_connected: &'static str,
    service: &'static str,
    logs: &'static str,
    no_logs: &'static str,
    updates: &'static str,
    program: &'static str,
    exe: &'static str,
    exe_missing: &'static str,
    file_version: &'static str,
    running: &'static str,
    crashes: &'static str,
    no_crashes: &'static str,
    when: &'static str,
    module: &'static str,
    exception: &'static str,
    hardware: &'static str,
    processor: &'static str,
    memory_free: &'static str,
    battery: &'static str,
    volume: &'static str,
    free: &'static str,
    size: &'static str,
    disk: &'static str,
    health: &'static str,
    network_title: &'static str,
    adapter: &'static str,
    connected: &'static str,
    disconnected: &'static str,
    unplugged: &'static str,
    none: &'static str,
    antivirus: &'static str,
    no_product: &'static str,
    kind: &'static str,
    state: &'static str,
    signatures: &'static str,
    on: &'static str,
    off: &'static str,
    snoozed: &'static str,
    expired: &'static str,
    current: &'static str,
    outdated: &'static str,
    changed_since: &'static str,
    nothing_changed: &'static str,
    present: &'static str,
    active: &'static str,
    domain: &'static str,
    private: &'static str,
    public: &'static str,
}

const PT: Words = Words {
    title: "Relatório de diagnóstico",
    collected: "Coletado em",
    findings: "O que encontramos",
    screenshots: "Capturas de tela",
    screenshots_hint: "Clique numa imagem para abri-la em tamanho real (o arquivo está na pasta screenshots do pacote).",
    no_findings: "Nenhum problema encontrado nas verificações.",
    action: "O que fazer",
    checks: "Verificações de rede",
    checks_skipped: "As verificações de rede foram deixadas de fora nesta coleta.",
    check: "Verificação",
    target: "Destino",
    result: "Resultado",
    addresses: "Endereços",
    time: "Tempo",
    system: "Sistema",
    firewall: "Firewall",
    software: "Programas",
    recent: "Instalados ou atualizados por último",
    all_programs: "Todos os programas",
    name: "Nome",
    version: "Versão",
    publisher: "Fabricante",
    installed: "Instalado em",
    security: "Segurança",
    problems: "Dados que não puderam ser lidos",
    unavailable: "indisponível",
    left_out: "Deixado de fora pelo usuário.",
    yes: "sim",
    no: "não",
    os: "Sistema operacional",
    edition: "Edição",
    release: "Versão",
    build: "Compilação",
    architecture: "Arquitetura",
    install_date: "Instalado em",
    last_boot: "Último início",
    uptime: "Ligado há (s)",
    machine: "Computador",
    user: "Usuário",
    profile: "Perfil",
    local: "Configuração local",
    policy: "Política de grupo",
    effective: "Em vigor",
    network: "Rede",
    category: "Categoria",
    last_connected: "Última conexão",
    service: "Serviço",
    logs: "Registros (logs) do sistema",
    no_logs: "Nenhum arquivo de registro encontrado.",
    updates: "Atualizações do Windows (mais recentes)",
    program: "Programa do fornecedor",
    exe: "Executável",
    exe_missing: "não encontrado",
    file_version: "Versão do executável",
    running: "Em execução",
    crashes: "Falhas recentes (dias)",
    no_crashes: "Nenhuma falha registrada.",
    when: "Quando",
    module: "Módulo",
    exception: "Código",
    hardware: "Hardware",
    processor: "Processador (núcleos / threads)",
    memory_free: "Memória livre / total",
    battery: "Bateria",
    volume: "Volume",
    free: "Livre",
    size: "Tamanho",
    disk: "Disco",
    health: "Saúde",
    network_title: "Rede",
    adapter: "Adaptador",
    connected: "conectado",
    disconnected: "desconectado",
    unplugged: "cabo desconectado",
    none: "nenhum",
    antivirus: "Antivírus e segurança",
    no_product: "Nenhum programa de segurança encontrado.",
    kind: "Tipo",
    state: "Estado",
    signatures: "Assinaturas",
    on: "ligado",
    off: "desligado",
    snoozed: "pausado",
    expired: "expirado",
    current: "em dia",
    outdated: "desatualizadas",
    changed_since: "O que mudou desde",
    nothing_changed: "Nada mudou.",
    present: "Instalado",
    active: "Ativo",
    domain: "Domínio",
    private: "Privado",
    public: "Público",
};

const EN: Words = Words {
    title: "Diagnostics report",
    collected: "Collected on",
    findings: "What we found",
    screenshots: "Screenshots",
    screenshots_hint:
        "Click an image to open it at full size (the file is in the bundle's screenshots folder).",
    no_findings: "The checks found no problem.",
    action: "What to do",
    checks: "Network checks",
    checks_skipped: "The network checks were left out of this collection.",
    check: "Check",
    target: "Target",
    result: "Result",
    addresses: "Addresses",
    time: "Time",
    system: "System",
    firewall: "Firewall",
    software: "Programs",
    recent: "Most recently installed or updated",
    all_programs: "All programs",
    name: "Name",
    version: "Version",
    publisher: "Publisher",
    installed: "Installed on",
    security: "Security",
    problems: "Data that could not be read",
    unavailable: "unavailable",
    left_out: "Left out by the user.",
    yes: "yes",
    no: "no",
    os: "Operating system",
    edition: "Edition",
    release: "Version",
    build: "Build",
    architecture: "Architecture",
    install_date: "Installed on",
    last_boot: "Last boot",
    uptime: "Up for (s)",
    machine: "Computer",
    user: "User",
    profile: "Profile",
    local: "Local setting",
    policy: "Group Policy",
    effective: "In effect",
    network: "Network",
    category: "Category",
    last_connected: "Last connected",
    service: "Service",
    logs: "The system's logs",
    no_logs: "No log file found.",
    updates: "Windows updates (newest)",
    program: "The vendor's program",
    exe: "Executable",
    exe_missing: "not found",
    file_version: "Executable's version",
    running: "Running",
    crashes: "Recent crashes (days)",
    no_crashes: "No crash recorded.",
    when: "When",
    module: "Module",
    exception: "Code",
    hardware: "Hardware",
    processor: "Processor (cores / threads)",
    memory_free: "Memory free / total",
    battery: "Battery",
    volume: "Volume",
    free: "Free",
    size: "Size",
    disk: "Disk",
    health: "Health",
    network_title: "Network",
    adapter: "Adapter",
    connected: "connected",
    disconnected: "disconnected",
    unplugged: "cable unplugged",
    none: "none",
    antivirus: "Antivirus and security",
    no_product: "No security program found.",
    kind: "Kind",
    state: "State",
    signatures: "Signatures",
    on: "on",
    off: "off",
    snoozed: "snoozed",
    expired: "expired",
    current: "current",
    outdated: "out of date",
    changed_since: "What changed since",
    nothing_changed: "Nothing changed.",
    present: "Installed",
    active: "Active",
    domain: "Domain",
    private: "Private",
    public: "Public",
};

pub fn verdict_label(v: &Verdict, lang: Lang) -> String {
    let pt = lang == Lang::PtBr;
    match v {
        Verdict::Ok => "ok".into(),
        Verdict::NotResolved => if pt {
            "nome não encontrado"
        } else {
            "name not found"
        }
        .into(),
        Verdict::DnsUnavailable => if pt {
            "DNS não respondeu"
        } else {
            "DNS did not answer"
        }
        .into(),
        Verdict::Refused => if pt {
            "conexão recusada"
        } else {
            "connection refused"
        }
        .into(),
        Verdict::TimedOut => if pt {
            "sem resposta (tempo esgotado)"
        } else {
            "no answer (timed out)"
        }
        .into(),
        Verdict::Unreachable => if pt {
            "sem caminho de rede"
        } else {
            "no network path"
        }
        .into(),
        Verdict::UnexpectedStatus { status, expected } if pt => {
            format!("código {status} (esperado {expected})")
        }
        Verdict::UnexpectedStatus { status, expected } => {
            format!("status {status} (expected {expected})")
        }
        Verdict::UnexpectedContent { got } if pt => {
            format!("outra página respondeu no lugar: {got}")
        }
        Verdict::UnexpectedContent { got } => format!("another page answered instead: {got}"),
        Verdict::TlsFailed { detail } if pt => format!("conexão segura falhou: {detail}"),
        Verdict::TlsFailed { detail } => format!("secure connection failed: {detail}"),
        Verdict::Failed { detail } if pt => format!("falhou: {detail}"),
        Verdict::Failed { detail } => format!("failed: {detail}"),
    }
}

pub fn to_html(r: &Report, lang: Lang) -> String {
    let w = if lang == Lang::PtBr { &PT } else { &EN };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{STYLE}</style></head><body>",
        lang.code(),
        w.title,
        escape(&r.vendor)
    );
    let _ = write!(
        h,
        "<h1>{} — {}</h1><p class=\"meta\">{} {} · {} · {} ms</p>",
        w.title,
        escape(&r.vendor),
        w.collected,
        escape(&r.collected_at),
        escape(&r.generator),
        r.elapsed_ms
    );

    let _ = write!(h, "<h2>{}</h2>", w.findings);
    if r.findings.is_empty() {
        let _ = write!(h, "<p>{}</p>", w.no_findings);
    }
    for f in &r.findings {
        let class = match f.severity {
            Severity::Problem => "problem",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let _ = write!(
            h,
            "<div class=\"finding {class}\" data-rule=\"{}\"><h3>{}</h3><p><strong>{}:</strong> {}</p>",
            escape(&f.rule),
            escape(f.title.get(lang)),
            w.action,
            escape(f.action.get(lang))
        );
        for e in &f.evidence {
            let _ = write!(h, "<div class=\"evidence\">{}</div>", escape(e));
        }
        h.push_str("</div>");
    }

    if let Some(changed) = &r.changes {
        let since = escape(changed.since.get(..10).unwrap_or(&changed.since));
        let _ = write!(h, "<h2>{} {since}</h2>", w.changed_since);
        if changed.changes.is_empty() {
            let _ = write!(h, "<p>{}</p>", w.nothing_changed);
        } else {
            h.push_str("<ul>");
            for c in &changed.changes {
                let _ = write!(h, "<li>{}</li>", escape(c.describe().get(lang)));
            }
            h.push_str("</ul>");
        }
    }

    h.push_str(SCREENSHOTS_SLOT);

    let _ = write!(h, "<h2>{}</h2>", w.checks);
    match &r.checks {
        None => {
            let _ = write!(h, "<p>{}</p>", w.checks_skipped);
        }
        Some(outcomes) => {
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.check, w.target, w.result, w.addresses, w.time
            );
            for o in outcomes {
                let class = if o.verdict == Verdict::Ok {
                    "ok"
                } else {
                    "bad"
                };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td><code>{}</code></td><td class=\"{class}\">{}</td><td>{}</td><td>{} ms</td></tr>",
                    escape(&o.id),
                    escape(&o.target),
                    escape(&verdict_label(&o.verdict, lang)),
                    escape(&o.addresses.join(", ")),
                    o.elapsed_ms
                );
            }
            h.push_str("</table>");
        }
    }

    let _ = write!(h, "<h2>{}</h2>", w.system);
    match &r.system.data {
        Some(s) => {
            let rows: [(&str, Option<String>); 10] = [
                (w.os, Some(s.os_name.clone())),
                (w.edition, s.edition.clone()),
                (w.release, s.version.clone()),
                (w.build, s.build.clone()),
                (w.architecture, s.architecture.clone()),
                (w.install_date, s.install_date.clone()),
                (w.last_boot, s.last_boot.clone()),
                (w.uptime, s.uptime_s.map(|u| u.to_string())),
                (
                    w.machine,
                    s.machine_name.as_ref().map(|n| n.expose().clone()),
                ),
                (w.user, s.user_name.as_ref().map(|n| n.expose().clone())),
            ];
            key_values(&mut h, &rows, w);
        }
        None => unavailable(&mut h, w, &r.system.problems),
    }

    let _ = write!(h, "<h2>{}</h2>", w.hardware);
    match &r.hardware.data {
        Some(hw) => {
            let cpu = format!(
                "{} ({} / {})",
                hw.cpu.name.as_deref().unwrap_or("?"),
                hw.cpu.cores.map(|c| c.to_string()).unwrap_or_default(),
                hw.cpu.threads.map(|c| c.to_string()).unwrap_or_default()
            );
            let memory = match (hw.memory.available_mb, hw.memory.total_mb) {
                (Some(a), Some(t)) => Some(format!("{a} / {t} MB")),
                _ => None,
            };
            let battery = hw
                .battery
                .as_ref()
                .and_then(|b| b.percent)
                .map(|p| format!("{p}%"));
            key_values(
                &mut h,
                &[
                    (w.processor, Some(cpu)),
                    (w.memory_free, memory),
                    (w.battery, battery),
                ],
                w,
            );
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.volume, w.free, w.size
            );
            for v in &hw.volumes {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{:.1} GB ({:.0}%)</td><td>{:.1} GB</td></tr>",
                    escape(&v.mount),
                    v.free_gb,
                    v.free_percent,
                    v.size_gb
                );
            }
            h.push_str("</table>");
            if !hw.disks.is_empty() {
                let _ = write!(
                    h,
                    "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                    w.disk, w.health, w.size
                );
                for d in &hw.disks {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td>{:?}</td><td>{}</td></tr>",
                        escape(&d.name),
                        d.health,
                        d.size_gb.map(|s| format!("{s:.1} GB")).unwrap_or_default()
                    );
                }
                h.push_str("</table>");
            }
        }
        None => unavailable(&mut h, w, &r.hardware.problems),
    }

    let _ = write!(h, "<h2>{}</h2>", w.firewall);
    match &r.firewall.data {
        Some(Firewall::Windows(fw)) => {
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.profile, w.local, w.policy, w.effective
            );
            for p in &fw.profiles {
                let name = match p.profile {
                    ProfileKind::Domain => w.domain,
                    ProfileKind::Private => w.private,
                    ProfileKind::Public => w.public,
                };
                let _ = write!(
                    h,
                    "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    on_off(p.local, w),
                    on_off(p.policy, w),
                    on_off(p.enabled, w)
                );
            }
            let _ = write!(
                h,
                "</table><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.network, w.category, w.last_connected
            );
            for n in &fw.networks {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(n.name.as_ref().map(|s| s.expose().as_str()).unwrap_or("")),
                    match n.category {
                        Some(NetworkCategory::Domain) => w.domain,
                        Some(NetworkCategory::Private) => w.private,
                        Some(NetworkCategory::Public) => w.public,
                        None => "",
                    },
                    escape(n.last_connected.as_deref().unwrap_or(""))
                );
            }
            h.push_str("</table>");
        }
        Some(Firewall::Linux(fw)) => {
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.service, w.present, w.active
            );
            for s in &fw.services {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&s.name),
                    on_off(Some(s.installed), w),
                    on_off(s.active, w)
                );
            }
            h.push_str("</table>");
        }
        None => unavailable(&mut h, w, &r.firewall.problems),
    }

    let _ = write!(h, "<h2>{}</h2>", w.network_title);
    match &r.network.data {
        Some(net) => {
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>IPv4</th><th>Gateway</th><th>DNS</th></tr>",
                w.adapter, w.kind, w.state
            );
            for a in &net.adapters {
                let status = match a.status {
                    LinkStatus::Up => w.connected,
                    LinkStatus::Down => w.disconnected,
                    LinkStatus::CableUnplugged => w.unplugged,
                    LinkStatus::Unknown => "—",
                };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{:?}</td><td>{status}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&a.name),
                    a.kind,
                    escape(&a.ipv4.join(", ")),
                    escape(&a.gateways.join(", ")),
                    escape(&a.dns_servers.join(", "))
                );
            }
            h.push_str("</table>");
            let proxy = if net.proxy.enabled {
                net.proxy.server.clone()
            } else {
                net.proxy.auto_config_url.clone()
            };
            let _ = write!(
                h,
                "<p>Proxy: {}</p>",
                escape(proxy.as_deref().unwrap_or(w.none))
            );
        }
        None => unavailable(&mut h, w, &r.network.problems),
    }

    let _ = write!(h, "<h2>{}</h2>", w.antivirus);
    match &r.antivirus.data {
        Some(av) if av.products.is_empty() => {
            let _ = write!(h, "<p>{}</p>", w.no_product);
        }
        Some(av) => {
            let _ = write!(
                h,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.name, w.kind, w.state, w.signatures, w.version, w.installed
            );
            for p in &av.products {
                let state = match p.state {
                    Some(ProductState::On) => w.on,
                    Some(ProductState::Off) => w.off,
                    Some(ProductState::Snoozed) => w.snoozed,
                    Some(ProductState::Expired) => w.expired,
                    None => "—",
                };
                let signatures = match (p.up_to_date, p.signature_age_days) {
                    (Some(true), _) => w.current.to_owned(),
                    (Some(false), Some(d)) => format!("{} ({d} d)", w.outdated),
                    (Some(false), None) => w.outdated.to_owned(),
                    (None, Some(d)) => format!("{d} d"),
                    (None, None) => "—".to_owned(),
                };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{:?}</td><td>{state}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&p.name),
                    p.kind,
                    escape(&signatures),
                    escape(p.version.as_deref().unwrap_or("")),
                    escape(p.installed.as_deref().unwrap_or(""))
                );
            }
            h.push_str("</table>");
        }
        None => unavailable(&mut h, w, &r.antivirus.problems),
    }

    if let Some(program) = &r.program {
        let _ = write!(h, "<h2>{}</h2>", w.program);
        match &program.data {
            Some(p) => {
                let exe = if p.exe_found {
                    p.exe.clone()
                } else {
                    format!("{} ({})", p.exe, w.exe_missing)
                };
                let running = p
                    .running
                    .iter()
                    .map(|c| format!("pid {} {}", c.pid, c.path.as_deref().unwrap_or("")))
                    .collect::<Vec<_>>();
                key_values(
                    &mut h,
                    &[
                        (w.name, Some(p.name.clone())),
                        (w.exe, Some(exe)),
                        (
                            w.file_version,
                            p.file_version.as_ref().map(|v| v.file.clone()),
                        ),
                        (
                            w.running,
                            Some(if running.is_empty() {
                                w.no.to_owned()
                            } else {
                                running.join("; ")
                            }),
                        ),
                    ],
                    w,
                );
                programs_table(&mut h, p.installed.iter(), w);
            }
            None => unavailable(&mut h, w, &program.problems),
        }
    }

    let _ = write!(h, "<h2>{}</h2>", w.crashes);
    match &r.crashes.data {
        Some(c) if c.events.is_empty() => {
            let _ = write!(h, "<p>{}</p>", w.no_crashes);
        }
        Some(c) => {
            let _ = write!(
                h,
                "<p>{}: {}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                w.crashes,
                c.days,
                w.when,
                w.kind,
                w.name,
                w.version,
                w.module,
                w.exception
            );
            for e in &c.events {
                let class = if e.vendor_program {
                    " class=\"bad\""
                } else {
                    ""
                };
                let _ = write!(
                    h,
                    "<tr{class}><td>{}</td><td>{:?}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&e.time),
                    e.kind,
                    escape(&e.app),
                    escape(e.app_version.as_deref().unwrap_or("")),
                    escape(e.module.as_deref().unwrap_or("")),
                    escape(e.exception.as_deref().unwrap_or(""))
                );
            }
            h.push_str("</table>");
        }
        None => unavailable(&mut h, w, &r.crashes.problems),
    }

    let _ = write!(h, "<h2>{}</h2>", w.software);
    match &r.software.data {
        Some(sw) => {
            let mut recent: Vec<_> = sw
                .programs
                .iter()
                .filter(|p| p.installed.is_some())
                .collect();
            recent.sort_by(|a, b| b.installed.cmp(&a.installed));
            let _ = write!(h, "<h3>{}</h3>", w.recent);
            programs_table(&mut h, recent.into_iter().take(15), w);
            let _ = write!(
                h,
                "<details><summary>{} ({})</summary>",
                w.all_programs,
                sw.programs.len()
            );
            programs_table(&mut h, sw.programs.iter(), w);
            h.push_str("</details>");
            if !sw.updates.is_empty() {
                let _ = write!(h, "<h3>{}</h3><ul>", w.updates);
                for u in sw.updates.iter().take(10) {
                    let _ = write!(
                        h,
                        "<li>{} <code>{}</code> {}</li>",
                        escape(u.installed.as_deref().unwrap_or("")),
                        escape(&u.id),
                        escape(u.kind.as_deref().unwrap_or(""))
                    );
                }
                h.push_str("</ul>");
            }
        }
        None => unavailable(&mut h, w, &r.software.problems),
    }

    let _ = write!(h, "<h2>{}</h2>", w.logs);
    match &r.logs.data {
        Some(l) if l.files.is_empty() => {
            let _ = write!(h, "<p>{}</p>", w.no_logs);
        }
        Some(l) => {
            for f in &l.files {
                let _ = write!(
                    h,
                    "<details><summary><code>{}</code> · {} KB · {}</summary><pre>{}</pre></details>",
                    escape(&f.path),
                    f.size / 1024,
                    escape(f.modified.as_deref().unwrap_or("")),
                    escape(&f.tail)
                );
            }
        }
        None => unavailable(&mut h, w, &r.logs.problems),
    }

    let problems: Vec<(&str, &ProbeProblem)> = [
        ("system", problems_of(&r.system)),
        ("hardware", problems_of(&r.hardware)),
        ("firewall", problems_of(&r.firewall)),
        ("antivirus", problems_of(&r.antivirus)),
        ("network", problems_of(&r.network)),
        ("software", problems_of(&r.software)),
        (
            "program",
            r.program.as_ref().map(problems_of).unwrap_or_default(),
        ),
        ("crashes", problems_of(&r.crashes)),
        ("logs", problems_of(&r.logs)),
    ]
    .into_iter()
    .flat_map(|(name, ps)| ps.iter().map(move |p| (name, p)))
    .filter(|(_, p)| **p != ProbeProblem::LeftOut)
    .collect();
    if !problems.is_empty() {
        let _ = write!(h, "<h2>{}</h2><ul>", w.problems);
        for (name, p) in problems {
            let _ = write!(
                h,
                "<li><strong>{name}</strong>: <code>{}</code></li>",
                escape(&serde_json::to_string(p).unwrap_or_default())
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}

fn problems_of<T>(p: &Probe<T>) -> &[ProbeProblem] {
    &p.problems
}

fn on_off(v: Option<bool>, w: &Words) -> &'static str {
    match v {
        Some(true) => w.yes,
        Some(false) => w.no,
        None => "—",
    }
}

/// A probe without data: left out by the user, or unavailable (its problems are listed at the end).
fn unavailable(h: &mut String, w: &Words, problems: &[ProbeProblem]) {
    let why = if problems.contains(&ProbeProblem::LeftOut) {
        w.left_out
    } else {
        w.unavailable
    };
    let _ = write!(h, "<p>{why}</p>");
}

fn key_values(h: &mut String, rows: &[(&str, Option<String>)], w: &Words) {
    h.push_str("<table>");
    for (k, v) in rows {
        let _ = write!(
            h,
            "<tr><th>{k}</th><td>{}</td></tr>",
            escape(v.as_deref().unwrap_or(w.unavailable))
        );
    }
    h.push_str("</table>");
}

fn programs_table<'a>(
    h: &mut String,
    programs: impl Iterator<Item = &'a crate::software::InstalledProgram>,
    w: &Words,
) {
    let _ = write!(
        h,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.name, w.version, w.publisher, w.installed, w.security
    );
    for p in programs {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&p.name),
            escape(p.version.as_deref().unwrap_or("")),
            escape(p.publisher.as_deref().unwrap_or("")),
            escape(p.installed.as_deref().unwrap_or("")),
            if p.security { w.yes } else { "" }
        );
    }
    h.push_str("</table>");
}
