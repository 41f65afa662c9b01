//! A bundle from a diagnostics report: what the machine's own report says is personal (the user,
//! the machine, the domain, the home folder) plus the patterns the redactor knows are replaced
//! in the JSON, the HTML and the logs alike, with one set of tokens; the vendor's own servers and
//! program version are kept. Logs go to `logs/` as optional items (their tails leave the JSON).

use std::path::PathBuf;

use chamado_diagnostics::html;
use chamado_diagnostics::report::Report;
use chamado_profile::{CheckTarget, Lang, Profile};
use chamado_redact::{Known, Redactor};

use crate::{Bundle, BundleError, ItemKind, Limits, Preview};

/// What the caller adds to the report.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The ticket's fields (topic, summary, description, contact...), for the manifest.
    pub ticket: serde_json::Value,
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

/// The bundle for `report`: `report.html` (in `lang`) and `diagnostics.json` (required), each
/// log's tail under `logs/`, the screenshots and attachments (optional), all redacted with one
/// set of tokens.
pub fn from_report(
    report: &Report,
    profile: &Profile,
    inputs: Inputs,
    generator: &str,
    limits: Limits,
    lang: Lang,
) -> Result<Bundle, BundleError> {
    let mut redactor =
        Redactor::new(&known_of(report, profile, &inputs)).map_err(|e| BundleError::Write {
            path: "redaction".into(),
            reason: e.to_string(),
        })?;
    let mut report = report.clone();
    // Each log's tail becomes its own item; the JSON keeps where it went.
    let mut logs = Vec::new();
    if let Some(l) = report.logs.data.as_mut() {
        for f in &mut l.files {
            let name = f.path.rsplit(['/', '\\']).next().unwrap_or("log.txt");
            logs.push((name.to_owned(), std::mem::take(&mut f.tail)));
        }
    }
    let html = redactor.redact_text(&html::to_html(&report, lang));
    let json = serde_json::to_value(&report).unwrap_or_default();
    let json = serde_json::to_vec_pretty(&redactor.redact_json(json)).unwrap_or_default();
    let mut bundle = Bundle::new(inputs.ticket, generator, limits);
    bundle.add_bytes(
        ItemKind::Report,
        "report.html",
        if lang == Lang::PtBr {
            "Relatório de diagnóstico"
        } else {
            "Diagnostics report"
        },
        html.into_bytes(),
        true,
        Preview::None,
    );
    let json_text = String::from_utf8_lossy(&json).into_owned();
    bundle.add_bytes(
        ItemKind::Diagnostics,
        "diagnostics.json",
        if lang == Lang::PtBr {
            "Dados do diagnóstico"
        } else {
            "Diagnostics data"
        },
        json,
        true,
        Preview::text(&json_text),
    );
    for (name, bytes, preview) in inputs.screenshots {
        bundle.add_bytes(ItemKind::Screenshot, &name, &name, bytes, false, preview);
    }
    for (name, tail) in logs {
        let tail = redactor.redact_text(&tail);
        let preview = Preview::text(&tail);
        bundle.add_bytes(
            ItemKind::Log,
            &name,
            &name,
            tail.into_bytes(),
            false,
            preview,
        );
    }
    for file in &inputs.attachments {
        bundle.add_attachment(file)?;
    }
    bundle.set_redacted(&redactor.summary());
    Ok(bundle)
}
