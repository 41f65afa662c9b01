//! A bundle from a diagnostics report: what the machine's own report says is personal (the user,
//! the machine, the domain, the home folder) plus the patterns the redactor knows are replaced
//! in the JSON, the HTML and the logs alike, with one set of tokens; the vendor's own servers and
//! program version are kept. Logs go to `logs/` as optional items (their tails leave the JSON).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chamado_diagnostics::html;
use chamado_diagnostics::probe::{Probe, ProbeProblem};
use chamado_diagnostics::report::Report;
use chamado_diagnostics::rules::Finding;
use chamado_profile::{CheckTarget, Lang, Profile};
use chamado_redact::{Known, Redactor};

use crate::{Bundle, BundleError, BundleTicket, ItemKind, Limits, Manifest, Preview, Review};

/// What the caller adds to the report.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The ticket's fields (topic, summary, description, contact...), for the manifest.
    pub ticket: BundleTicket,
    /// The ticket's contact e-mail: it stays in the texts.
    pub contact_email: Option<String>,
    /// The user's home folder (its name is the user's).
    pub home_dir: Option<String>,
    /// Files the user attached.
    pub attachments: Vec<PathBuf>,
    /// Screenshots, already encoded (`name`, bytes, thumbnail preview).
    pub screenshots: Vec<(String, Vec<u8>, Preview)>,
}

/// What the report itself knows is personal, and what must stay.
pub fn known_of(report: &Report, profile: &Profile, inputs: &Inputs) -> Known {
    let mut known = Known {
        contact_email: inputs.contact_email.clone(),
        home_dirs: inputs.home_dir.iter().cloned().collect(),
        ..Known::default()
    };
    if let Some(s) = &report.system.data {
        known
            .user_names
            .extend(s.user_name.as_ref().map(|n| n.expose().clone()));
        known
            .machine_names
            .extend(s.machine_name.as_ref().map(|n| n.expose().clone()));
        known
            .domain_names
            .extend(s.domain.as_ref().map(|n| n.expose().clone()));
    }
    for check in &profile.checks {
        match check.target() {
            Some(CheckTarget::Dns(host)) | Some(CheckTarget::Tcp { host, .. }) => {
                known.keep.push(host.to_owned())
            }
            Some(CheckTarget::Http { url, .. }) => {
                if let Some(host) = url::Url::parse(url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                {
                    known.keep.push(host);
                }
            }
            None => {}
        }
    }
    if let Some(p) = report.program.as_ref().and_then(|p| p.data.as_ref()) {
        known.keep.extend(p.version().map(str::to_owned));
        known
            .keep
            .extend(p.installed.iter().filter_map(|i| i.version.clone()));
    }
    known
}

/// The probes of a report the user may leave out, by their key in `diagnostics.json`, with
/// their labels.
const PROBES: &[(&str, &str, &str)] = &[
    ("system", "Sistema", "System"),
    ("hardware", "Hardware", "Hardware"),
    ("network", "Rede", "Network"),
    ("checks", "Testes de rede", "Network checks"),
    ("firewall", "Firewall", "Firewall"),
    ("antivirus", "Antivírus", "Antivirus"),
    ("program", "Programa do fornecedor", "Vendor program"),
    ("software", "Programas instalados", "Installed programs"),
    ("crashes", "Falhas recentes", "Recent crashes"),
    ("logs", "Arquivos de log (lista)", "Log files (list)"),
    ("changes", "O que mudou", "What changed"),
];

/// The ticket's fields the form cannot do without.
const REQUIRED_FIELDS: &[&str] = &[
    "topic",
    "summary",
    "description",
    "contact.name",
    "contact.email",
];

/// A bundle being reviewed: every file, and every part of them the user may leave out (each
/// ticket field, each finding, each probe's data). Leaving a part out rebuilds what carries it:
/// the report and the JSON without it (a probe is marked `left_out`), all texts redacted again
/// with one fresh set of tokens, so the bundle stays consistent and its counts true.
#[derive(Debug, Clone)]
pub struct Draft {
    bundle: Bundle,
    /// The report as collected, logs' tails taken out.
    report: Report,
    /// Each log item's id and its tail as read.
    logs: Vec<(String, String)>,
    known: Known,
    /// The ticket as the user filled it.
    ticket: BundleTicket,
    lang: Lang,
    report_id: String,
    json_id: String,
}

impl Draft {
    pub fn review(&self) -> Review {
        self.bundle.review()
    }

    /// What redaction replaced in the texts as they now stand, per kind (counts, never values).
    pub fn redacted(&self) -> &std::collections::BTreeMap<String, crate::RedactedCount> {
        self.bundle.redacted()
    }

    /// The user's switch for any item, files and parts alike.
    pub fn set_included(&mut self, id: &str, included: bool) -> Result<(), BundleError> {
        self.bundle.set_included(id, included)?;
        match self.bundle.kind_of(id) {
            Some(ItemKind::Field) => self.bundle.set_ticket(self.ticket()),
            // A screenshot left out leaves the page too.
            Some(ItemKind::Finding | ItemKind::Probe | ItemKind::Screenshot) => {
                self.render()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The ticket to send with the bundle: the fields the user kept.
    pub fn ticket(&self) -> BundleTicket {
        let mut ticket = self.ticket.clone();
        for key in self.left_out(ItemKind::Field) {
            ticket.remove(&key);
        }
        ticket
    }

    pub fn write(&self, out: &Path, allow_over_budget: bool) -> Result<Manifest, BundleError> {
        self.bundle.write(out, allow_over_budget)
    }

    fn left_out(&self, kind: ItemKind) -> BTreeSet<String> {
        let prefix = format!("{}-", crate::pack::kind_name(kind));
        self.review()
            .items
            .into_iter()
            .filter(|i| i.kind == kind && !i.included)
            .map(|i| i.id[prefix.len()..].to_owned())
            .collect()
    }

    /// The report without what the user left out.
    fn kept(&self) -> Report {
        let findings = self.left_out(ItemKind::Finding);
        let probes = self.left_out(ItemKind::Probe);
        let mut r = self.report.clone();
        r.findings = std::mem::take(&mut r.findings)
            .into_iter()
            .enumerate()
            .filter(|(n, _)| !findings.contains(&(n + 1).to_string()))
            .map(|(_, f)| f)
            .collect();
        fn drop<T>(p: &mut Probe<T>) {
            p.data = None;
            p.problems = vec![ProbeProblem::LeftOut];
        }
        for key in &probes {
            match key.as_str() {
                "system" => drop(&mut r.system),
                "hardware" => drop(&mut r.hardware),
                "network" => drop(&mut r.network),
                "firewall" => drop(&mut r.firewall),
                "antivirus" => drop(&mut r.antivirus),
                "program" => r.program.iter_mut().for_each(drop),
                "software" => drop(&mut r.software),
                "crashes" => drop(&mut r.crashes),
                "logs" => drop(&mut r.logs),
                "checks" => r.checks = None,
                "changes" => r.changes = None,
                _ => {}
            }
        }
        r
    }

    /// The screenshots still in, with their thumbnails, for the page.
    fn figures(&self) -> Vec<html::Figure> {
        self.review()
            .items
            .into_iter()
            .filter(|i| i.kind == ItemKind::Screenshot && i.included)
            .map(|i| html::Figure {
                thumbnail: match &i.preview {
                    Preview::Image { mime, base64 } => Some(format!("data:{mime};base64,{base64}")),
                    _ => None,
                },
                file: i.path,
            })
            .collect()
    }

    /// Rebuilds the report, the JSON and the logs from the report as kept, redacted with one
    /// fresh set of tokens; returns the JSON as sent.
    fn render(&mut self) -> Result<serde_json::Value, BundleError> {
        let mut redactor = Redactor::new(&self.known).map_err(|e| BundleError::Write {
            path: "redaction".into(),
            reason: e.to_string(),
        })?;
        let report = self.kept();
        let html = redactor.redact_text(&html::to_html(&report, self.lang));
        // The screenshots after redaction: nothing in an image's base64 is text to replace.
        let html = html.replacen(
            html::SCREENSHOTS_SLOT,
            &html::screenshots_section(self.lang, &self.figures()),
            1,
        );
        self.bundle
            .replace_bytes(&self.report_id, html.into_bytes(), Preview::None);
        let mut json = redactor.redact_json(serde_json::to_value(&report).unwrap_or_default());
        // A probe left out says so in the JSON, whatever its type.
        for key in self.left_out(ItemKind::Probe) {
            if let Some(o) = json.as_object_mut() {
                o.insert(key, serde_json::json!({ "left_out": true }));
            }
        }
        let bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
        let preview = Preview::text(&String::from_utf8_lossy(&bytes));
        self.bundle.replace_bytes(&self.json_id, bytes, preview);
        for (id, tail) in &self.logs {
            let tail = redactor.redact_text(tail);
            let preview = Preview::text(&tail);
            self.bundle.replace_bytes(id, tail.into_bytes(), preview);
        }
        self.bundle.set_redacted(&redactor.summary());
        // Previews of the parts still in, as now sent.
        let kept_findings: Vec<Finding> =
            serde_json::from_value(json["findings"].clone()).unwrap_or_default();
        let left_out = self.left_out(ItemKind::Finding);
        let mut kept = kept_findings.iter();
        for n in 1..=self.report.findings.len() {
            if !left_out.contains(&n.to_string()) {
                if let Some(f) = kept.next() {
                    self.bundle
                        .set_part_text(&format!("finding-{n}"), &finding_text(f, self.lang));
                }
            }
        }
        for (key, ..) in PROBES {
            if json.get(key).is_some_and(|v| v.get("left_out").is_none()) {
                self.bundle
                    .set_part_text(&format!("probe-{key}"), &pretty(&json[key]));
            }
        }
        Ok(json)
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// A finding as the review shows it: its title, what to do, its evidence (redacted).
fn finding_text(f: &Finding, lang: Lang) -> String {
    let mut out = format!("{}\n{}", f.title.get(lang), f.action.get(lang));
    for e in &f.evidence {
        out.push('\n');
        out.push_str(e);
    }
    out
}

/// The draft for `report`: `report.html` (in `lang`) and `diagnostics.json` (required), each
/// log's tail under `logs/`, the screenshots and attachments (optional), all redacted with one
/// set of tokens; and as parts, each ticket field (the form's required ones and the topic's
/// required fields required), each finding and each probe's data (optional).
pub fn from_report(
    report: &Report,
    profile: &Profile,
    inputs: Inputs,
    generator: &str,
    limits: Limits,
    lang: Lang,
) -> Result<Draft, BundleError> {
    let known = known_of(report, profile, &inputs);
    let mut report = report.clone();
    // Each log's tail becomes its own item; the JSON keeps where it went.
    let mut tails = Vec::new();
    if let Some(l) = report.logs.data.as_mut() {
        for f in &mut l.files {
            let name = f.path.rsplit(['/', '\\']).next().unwrap_or("log.txt");
            tails.push((name.to_owned(), std::mem::take(&mut f.tail)));
        }
    }
    let pt = lang == Lang::PtBr;
    let mut bundle = Bundle::new(inputs.ticket.clone(), generator, limits);
    let topic = inputs.ticket.topic.as_deref().unwrap_or_default();
    let topic_fields = profile
        .topics
        .iter()
        .find(|t| t.id == topic)
        .map(|t| t.fields.as_slice())
        .unwrap_or_default();
    for (key, text) in inputs.ticket.fields_list() {
        let field = key
            .strip_prefix("fields.")
            .and_then(|name| topic_fields.iter().find(|f| f.name == name));
        let required = REQUIRED_FIELDS.contains(&key.as_str()) || field.is_some_and(|f| f.required);
        let label = field.map_or(key.clone(), |f| f.label.get(lang).to_owned());
        bundle.add_part(ItemKind::Field, "ticket", &key, &label, &text, required);
    }
    let report_id = bundle.add_bytes(
        ItemKind::Report,
        "report.html",
        if pt {
            "Relatório de diagnóstico"
        } else {
            "Diagnostics report"
        },
        Vec::new(),
        true,
        Preview::None,
    );
    let json_id = bundle.add_bytes(
        ItemKind::Diagnostics,
        "diagnostics.json",
        if pt {
            "Dados do diagnóstico"
        } else {
            "Diagnostics data"
        },
        Vec::new(),
        true,
        Preview::None,
    );
    for (n, f) in report.findings.iter().enumerate() {
        bundle.add_part(
            ItemKind::Finding,
            "diagnostics.json",
            &(n + 1).to_string(),
            f.title.get(lang),
            "",
            false,
        );
    }
    for (key, label_pt, label_en) in PROBES {
        let present = match *key {
            "program" => report.program.is_some(),
            "checks" => report.checks.is_some(),
            "changes" => report.changes.is_some(),
            _ => true,
        };
        if present {
            let label = if pt { label_pt } else { label_en };
            bundle.add_part(ItemKind::Probe, "diagnostics.json", key, label, "", false);
        }
    }
    for (name, bytes, preview) in inputs.screenshots {
        bundle.add_bytes(ItemKind::Screenshot, &name, &name, bytes, false, preview);
    }
    let mut logs = Vec::new();
    for (name, tail) in tails {
        let id = bundle.add_bytes(
            ItemKind::Log,
            &name,
            &name,
            Vec::new(),
            false,
            Preview::None,
        );
        logs.push((id, tail));
    }
    for file in &inputs.attachments {
        bundle.add_attachment(file)?;
    }
    let mut draft = Draft {
        bundle,
        report,
        logs,
        known,
        ticket: inputs.ticket,
        lang,
        report_id,
        json_id,
    };
    draft.render()?;
    Ok(draft)
}
