//! The rules a profile must follow beyond its shape. Each rule reports a field path; positions are
//! resolved by the caller, so the rules stay free of TOML details.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::Path;

use crate::model::{
    split_host_port, BuiltinCheck, Check, Field, FieldKind, Lang, Profile, Requirements, Text,
    Topic, ARCHITECTURES,
};
use crate::problem::{FieldPath, ProblemKind as K};

const ID_CHARS: &str = "letras minúsculas, dígitos e - / lower-case letters, digits and -";
const NAME_CHARS: &str = "letras minúsculas, dígitos e _ / lower-case letters, digits and _";

type Found = Vec<(FieldPath, K)>;

/// Every rule the profile breaks. `line_of` gives the line of a path, for "already used on line N".
pub fn validate(
    p: &Profile,
    base_dir: Option<&Path>,
    line_of: &dyn Fn(&FieldPath) -> u32,
) -> Found {
    let mut v = Validator {
        found: Vec::new(),
        line_of,
    };
    let root = FieldPath::default();

    let vendor = root.key("vendor");
    v.required(&vendor.key("name"), &p.vendor.name);
    v.required(&vendor.key("phone"), &p.vendor.phone);
    if let Some(note) = &p.vendor.phone_note {
        v.text(&vendor.key("phone_note"), note);
    }
    v.text(&vendor.key("hours"), &p.vendor.hours);
    if v.required(&vendor.key("portal"), &p.vendor.portal) {
        v.url(&vendor.key("portal"), &p.vendor.portal);
    }

    for (i, rule) in p.priority.rules.iter().enumerate() {
        if rule.priority.is_none() {
            let at = root.key("priority").key("rules").index(i);
            v.push(&at.key("priority"), K::Required);
        }
    }

    let branding = root.key("branding");
    v.required(&branding.key("product"), &p.branding.product);
    if let Some(accent) = &p.branding.accent {
        if !is_colour(accent) {
            v.push(
                &branding.key("accent"),
                K::BadColour {
                    value: accent.clone(),
                },
            );
        }
    }
    if let Some(logo) = &p.branding.logo {
        v.logo(&branding.key("logo"), logo, base_dir);
    }

    if !p.central.url.is_empty() {
        v.url(&root.key("central").key("url"), &p.central.url);
    }
    if let Some(code) = &p.central.enrolment_code {
        let central = root.key("central");
        if code.trim().is_empty() {
            v.push(&central.key("enrolment_code"), K::Required);
        } else if p.central.url.is_empty() {
            // A code is for one central: without its address it enrols nowhere.
            v.push(&central.key("url"), K::Required);
        }
    }

    let checks = root.key("checks");
    // A set: each reference to a check is looked up once (a list made it checks × references).
    let mut check_ids: HashSet<&str> = HashSet::new();
    v.unique_ids(&checks, p.checks.iter().map(|c| c.id.as_str()));
    for (i, c) in p.checks.iter().enumerate() {
        v.check(&checks.index(i), c);
        check_ids.insert(&c.id);
    }

    if let Some(program) = &p.program {
        let path = root.key("program");
        v.required(&path.key("display_name"), &program.display_name);
        v.required(&path.key("exe"), &program.exe);
        v.timeout(&path.key("timeout_ms"), program.timeout_ms);
    }

    let bundle = root.key("bundle");
    let b = &p.bundle;
    for (key, kib) in [
        ("budget_kib", b.budget_kib),
        ("attachment_max_kib", b.attachment_max_kib),
        ("attachments_total_max_kib", b.attachments_total_max_kib),
    ] {
        v.range(&bundle.key(key), kib.into(), 16, 1024 * 1024);
    }
    if b.attachment_max_kib > b.attachments_total_max_kib {
        v.range(
            &bundle.key("attachment_max_kib"),
            b.attachment_max_kib.into(),
            16,
            b.attachments_total_max_kib.into(),
        );
    }

    if let Some(r) = &p.requirements {
        v.requirements(&root.key("requirements"), r, &check_ids);
    }

    let modules = root.key("modules");
    v.unique_ids(&modules, p.modules.iter().map(|m| m.id.as_str()));
    for (i, m) in p.modules.iter().enumerate() {
        let path = modules.index(i);
        v.id(&path.key("id"), &m.id);
        v.text(&path.key("label"), &m.label);
    }

    let topics = root.key("topics");
    if p.topics.is_empty() {
        v.push(&topics, K::NoTopics);
    }
    v.unique_ids(&topics, p.topics.iter().map(|t| t.id.as_str()));
    for (i, t) in p.topics.iter().enumerate() {
        v.topic(&topics.index(i), t, p, &check_ids);
    }
    v.found
}

struct Validator<'a> {
    found: Found,
    line_of: &'a dyn Fn(&FieldPath) -> u32,
}

impl Validator<'_> {
    fn push(&mut self, path: &FieldPath, kind: K) {
        self.found.push((path.clone(), kind));
    }

    /// Reports an empty value; true when there is one.
    fn required(&mut self, path: &FieldPath, value: &str) -> bool {
        let ok = !value.trim().is_empty();
        if !ok {
            self.push(path, K::Required);
        }
        ok
    }

    fn text(&mut self, path: &FieldPath, text: &Text) {
        let missing: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|l| text.get(*l).trim().is_empty())
            .collect();
        if missing.len() == Lang::ALL.len() {
            self.push(path, K::Required);
        } else {
            for lang in missing {
                self.push(&path.key(lang.code()), K::MissingTranslation { lang });
            }
        }
    }

    fn id(&mut self, path: &FieldPath, id: &str) {
        if self.required(path, id) && !is_id(id, '-') {
            self.push(
                path,
                K::BadId {
                    id: id.to_owned(),
                    allowed: ID_CHARS.into(),
                },
            );
        }
    }

    /// Each id once in a list; `list` is the path of the list, ids sit at `list[i].id`.
    fn unique_ids<'s>(&mut self, list: &FieldPath, ids: impl Iterator<Item = &'s str>) {
        self.unique(list, "id", ids);
    }

    fn unique<'s>(&mut self, list: &FieldPath, key: &str, ids: impl Iterator<Item = &'s str>) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() {
                continue;
            }
            if let Some(&j) = first.get(id) {
                let first_line = (self.line_of)(&list.index(j).key(key));
                self.push(
                    &list.index(i).key(key),
                    K::DuplicateId {
                        id: id.to_owned(),
                        first_line,
                    },
                );
            } else {
                first.insert(id, i);
            }
        }
    }

    fn url(&mut self, path: &FieldPath, value: &str) {
        let ok = url::Url::parse(value)
            .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .unwrap_or(false);
        if !ok {
            self.push(
                path,
                K::BadUrl {
                    value: value.to_owned(),
                },
            );
        }
    }

    fn timeout(&mut self, path: &FieldPath, ms: u32) {
        self.range(path, ms.into(), 100, 60_000);
    }

    fn range(&mut self, path: &FieldPath, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.push(path, K::OutOfRange { value, min, max });
        }
    }

    fn logo(&mut self, path: &FieldPath, logo: &str, base_dir: Option<&Path>) {
        let ext = Path::new(logo)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(
            ext.as_deref(),
            Some("png" | "jpg" | "jpeg" | "svg" | "webp")
        ) {
            self.push(
                path,
                K::BadImage {
                    value: logo.to_owned(),
                },
            );
        } else if !base_dir.is_some_and(|d| d.join(logo).is_file()) {
            self.push(
                path,
                K::FileNotFound {
                    value: logo.to_owned(),
                },
            );
        }
    }

    fn check(&mut self, path: &FieldPath, c: &Check) {
        self.id(&path.key("id"), &c.id);
        if BuiltinCheck::from_id(&c.id).is_some() {
            self.push(&path.key("id"), K::ReservedCheck { name: c.id.clone() });
        }
        self.text(&path.key("label"), &c.label);
        self.timeout(&path.key("timeout_ms"), c.timeout_ms);
        match (&c.dns, &c.tcp, &c.http) {
            (Some(host), None, None) => {
                if !is_host(host) {
                    self.push(
                        &path.key("dns"),
                        K::BadHost {
                            value: host.clone(),
                        },
                    );
                }
            }
            (None, Some(addr), None) => {
                if !is_host_port(addr) {
                    self.push(
                        &path.key("tcp"),
                        K::BadAddress {
                            value: addr.clone(),
                        },
                    );
                }
            }
            (None, None, Some(url)) => self.url(&path.key("http"), url),
            _ => self.push(path, K::CheckTarget),
        }
        if c.expect_body.is_some() && c.http.is_none() {
            self.push(&path.key("expect_body"), K::StatusWithoutHttp);
        }
        if let Some(status) = c.expect_status {
            if c.http.is_none() {
                self.push(&path.key("expect_status"), K::StatusWithoutHttp);
            } else if !(100..=599).contains(&status) {
                self.push(
                    &path.key("expect_status"),
                    K::OutOfRange {
                        value: status.into(),
                        min: 100,
                        max: 599,
                    },
                );
            }
        }
    }

    fn requirements(&mut self, path: &FieldPath, r: &Requirements, check_ids: &HashSet<&str>) {
        if let Some(build) = r.windows_build_min {
            self.range(&path.key("windows_build_min"), build.into(), 2600, 99_999);
        }
        for (i, e) in r.editions.iter().enumerate() {
            self.required(&path.key("editions").index(i), e);
        }
        for (i, a) in r.architectures.iter().enumerate() {
            if !ARCHITECTURES.contains(&a.as_str()) {
                self.push(
                    &path.key("architectures").index(i),
                    K::UnknownValue {
                        value: a.clone(),
                        allowed: ARCHITECTURES.iter().map(|s| s.to_string()).collect(),
                    },
                );
            }
        }
        if let Some(mib) = r.memory_mib {
            self.range(&path.key("memory_mib"), mib.into(), 1, 16 * 1024 * 1024);
        }
        if let Some(mib) = r.free_disk_mib {
            self.range(
                &path.key("free_disk_mib"),
                mib.into(),
                1,
                1024 * 1024 * 1024,
            );
        }
        for (i, id) in r.ports.iter().enumerate() {
            if !check_ids.contains(id.as_str()) {
                self.push(
                    &path.key("ports").index(i),
                    K::UnknownCheck { name: id.clone() },
                );
            }
        }
    }

    fn topic(&mut self, path: &FieldPath, t: &Topic, p: &Profile, check_ids: &HashSet<&str>) {
        if t.requirements && p.requirements.is_none() {
            self.push(&path.key("requirements"), K::RequirementsNotDescribed);
        }
        self.id(&path.key("id"), &t.id);
        self.text(&path.key("label"), &t.label);
        self.text(&path.key("description"), &t.description);
        if t.osticket_topic == 0 {
            self.push(&path.key("osticket_topic"), K::Required);
        }
        for (i, g) in t.guides.iter().enumerate() {
            let gp = path.key("guides").index(i);
            self.text(&gp.key("title"), &g.title);
            match (&g.url, &g.text) {
                (Some(url), None) => self.url(&gp.key("url"), url),
                (None, Some(text)) => self.text(&gp.key("text"), text),
                _ => self.push(&gp, K::GuideContent),
            }
        }
        for (i, item) in t.checklist.iter().enumerate() {
            let ip = path.key("checklist").index(i);
            self.text(&ip.key("text"), &item.text);
            for (j, name) in item.checks.iter().enumerate() {
                let cp = ip.key("checks").index(j);
                match BuiltinCheck::from_id(name) {
                    Some(BuiltinCheck::Program) if p.program.is_none() => {
                        self.push(&cp, K::ProgramNotDescribed)
                    }
                    Some(_) => {}
                    None if check_ids.contains(name.as_str()) => {}
                    None => self.push(&cp, K::UnknownCheck { name: name.clone() }),
                }
            }
        }
        let fields = path.key("fields");
        self.unique(&fields, "name", t.fields.iter().map(|f| f.name.as_str()));
        for (i, f) in t.fields.iter().enumerate() {
            self.field(&fields.index(i), f);
        }
        let mut seen = Vec::new();
        for (i, d) in t.diagnostics.iter().enumerate() {
            if seen.contains(d) {
                let value = serde_json::to_value(d)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                self.push(&path.key("diagnostics").index(i), K::Duplicated { value });
            } else {
                // Only distinct parts: a handful, however long the list.
                seen.push(*d);
            }
        }
    }

    fn field(&mut self, path: &FieldPath, f: &Field) {
        if self.required(&path.key("name"), &f.name) && !is_id(&f.name, '_') {
            self.push(
                &path.key("name"),
                K::BadId {
                    id: f.name.clone(),
                    allowed: NAME_CHARS.into(),
                },
            );
        }
        self.text(&path.key("label"), &f.label);
        if let Some(help) = &f.help {
            self.text(&path.key("help"), help);
        }
        let options = path.key("options");
        match (f.kind, f.options.is_empty()) {
            (FieldKind::Choice, true) => self.push(&path.key("kind"), K::ChoiceWithoutOptions),
            (FieldKind::Choice, false) => {
                self.unique(
                    &options,
                    "value",
                    f.options.iter().map(|o| o.value.as_str()),
                );
                for (i, o) in f.options.iter().enumerate() {
                    self.required(&options.index(i).key("value"), &o.value);
                    self.text(&options.index(i).key("label"), &o.label);
                }
            }
            (_, false) => self.push(&options, K::OptionsNotAllowed),
            (_, true) => {}
        }
    }
}

/// `[a-z0-9]` then `[a-z0-9<sep>]*`.
fn is_id(s: &str, sep: char) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == sep)
}

fn is_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A DNS name (RFC 1123 labels) or an IP address.
fn is_host(s: &str) -> bool {
    if s.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = s.strip_suffix('.').unwrap_or(s);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// `host:port` or `[ipv6]:port` with a valid host.
fn is_host_port(s: &str) -> bool {
    split_host_port(s).is_some_and(|(host, _)| is_host(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_addresses() {
        assert!(is_host("servidor"));
        assert!(is_host("suporte.exemplo.com.br"));
        assert!(is_host("192.168.0.10"));
        assert!(!is_host("servi dor"));
        assert!(!is_host("-x.com"));
        assert!(is_host_port("192.168.0.10:3050"));
        assert!(is_host_port("[::1]:443"));
        assert!(!is_host_port("servidor"));
        assert!(!is_host_port("servidor:0"));
        assert!(!is_host_port("servidor:70000"));
        assert!(!is_host_port("::1:443"));
    }

    #[test]
    fn colours() {
        assert!(is_colour("#0b5cad"));
        assert!(is_colour("#FFF"));
        assert!(!is_colour("0b5cad"));
        assert!(!is_colour("#0b5cag"));
        assert!(!is_colour("#0b5c"));
    }
}
