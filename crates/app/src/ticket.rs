//! A new ticket from the window: who the customer is (remembered), the draft of the ticket being
//! written (one, kept by Rust as it is typed, crash-safe), and its submission: checked, diagnostics
//! collected and composed into a bundle with the screenshots, queued, the sender woken.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chamado_client::{Contact, NewTicket, Outbox};
use chamado_profile::{Profile, Topic};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::drafts::{read, remove, write};
use crate::error::{AppError, ErrorCode};

/// Who the customer is: asked once, remembered, editable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    pub name: String,
    /// One person's own address: replies and the ticket's history go there.
    pub email: String,
    pub phone: String,
    pub company: String,
    /// One more person to keep informed (an e-mail), if any.
    pub keep_informed: Option<String>,
}

/// The urgency questions are the profile's: its rules make them a priority.
pub use chamado_profile::{Affected, Frequency, Urgency};

/// Where the customer was in the wizard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    #[default]
    Person,
    Topic,
    Guides,
    /// "Vamos verificar as causas mais comuns" (topics with checks).
    Checks,
    Details,
    Evidence,
    Review,
    Send,
}

/// The ticket being written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TicketDraft {
    pub step: WizardStep,
    pub topic: Option<String>,
    /// The topic's guides the customer opened (their indexes): the analyst sees what was tried.
    pub guides_opened: Vec<u32>,
    pub module: Option<String>,
    pub summary: String,
    pub description: String,
    pub fields: BTreeMap<String, String>,
    pub urgency: Urgency,
    /// The files attached ("Mostre para nós"); changed only by `App::add_attachments` and
    /// `App::remove_attachment`.
    pub attachments: Vec<crate::attachments::Attachment>,
    /// The remote-access ID the customer agreed to send (unticked: `None`).
    pub remote_access: Option<chamado_diagnostics::remote::RemoteId>,
}

const SUMMARY_MAX: usize = 120;

fn invalid(field: &str, message: &str) -> AppError {
    AppError {
        code: ErrorCode::Invalid,
        message: format!("{field}: {message}"),
        field: Some(field.to_owned()),
        problem: None,
    }
}

/// An address with one `@`, a local part, a dotted domain, and nothing a mail header breaks on.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

impl Person {
    /// The first problem, by field (`person.email`).
    pub fn check(&self) -> Result<(), AppError> {
        if self.name.trim().is_empty() {
            return Err(invalid("person.name", "required"));
        }
        if self.name.chars().any(char::is_control) {
            return Err(invalid("person.name", "one line"));
        }
        if !is_email(&self.email) {
            return Err(invalid("person.email", "not an e-mail address"));
        }
        if self.phone.chars().filter(char::is_ascii_digit).count() < 10 {
            return Err(invalid("person.phone", "at least 10 digits"));
        }
        match self.keep_informed.as_deref().map(str::trim) {
            Some(e) if !e.is_empty() && !is_email(e) => {
                Err(invalid("person.keep_informed", "not an e-mail address"))
            }
            _ => Ok(()),
        }
    }
}

impl TicketDraft {
    fn topic<'p>(&self, profile: &'p Profile) -> Result<&'p Topic, AppError> {
        let id = self.topic.as_deref().unwrap_or_default();
        profile
            .topics
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| invalid("topic", "choose a topic"))
    }

    /// The first problem, by field (`summary`, `fields.versao`).
    pub fn check(&self, profile: &Profile) -> Result<(), AppError> {
        let topic = self.topic(profile)?;
        for f in &topic.fields {
            let value = self.fields.get(&f.name).map(|v| v.trim()).unwrap_or("");
            if f.required && value.is_empty() {
                return Err(invalid(&format!("fields.{}", f.name), "required"));
            }
            if !value.is_empty()
                && !f.options.is_empty()
                && !f.options.iter().any(|o| o.value == value)
            {
                return Err(invalid(
                    &format!("fields.{}", f.name),
                    "not one of the options",
                ));
            }
        }
        if let Some(m) = self.module.as_deref().filter(|m| !m.is_empty()) {
            if !profile.modules.iter().any(|x| x.id == m) {
                return Err(invalid("module", "not one of the modules"));
            }
        }
        let summary = self.summary.trim();
        if summary.is_empty() {
            return Err(invalid("summary", "required"));
        }
        if summary.chars().count() > SUMMARY_MAX || summary.contains(['\n', '\r']) {
            return Err(invalid("summary", "one line of at most 120 characters"));
        }
        if self.description.trim().is_empty() {
            return Err(invalid("description", "required"));
        }
        Ok(())
    }

    /// The ticket as central takes it: the topic's own fields, then what the wizard asked
    /// (company, who else to inform, urgency, the guides tried) as fields the analyst reads.
    pub fn ticket(&self, person: &Person, profile: &Profile) -> Result<NewTicket, AppError> {
        let topic = self.topic(profile)?;
        let mut fields: BTreeMap<String, String> = topic
            .fields
            .iter()
            .filter_map(|f| {
                let v = self.fields.get(&f.name)?.trim();
                (!v.is_empty()).then(|| (f.name.clone(), v.to_owned()))
            })
            .collect();
        // Never over a topic's own field of the same name.
        let mut extra = |k: &str, v: Option<&str>| {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                fields
                    .entry(k.to_owned())
                    .or_insert_with(|| v.trim().to_owned());
            }
        };
        extra("empresa", Some(&person.company));
        extra("acompanhar", person.keep_informed.as_deref());
        let u = &self.urgency;
        let yes_no = |b: bool| if b { "sim" } else { "não" };
        extra(
            "urgencia_afetados",
            u.affected.map(|a| match a {
                Affected::OnlyMe => "só eu",
                Affected::SomePeople => "algumas pessoas",
                Affected::WholeCompany => "a empresa toda",
            }),
        );
        extra("urgencia_trabalho_parado", u.work_stopped.map(yes_no));
        extra("urgencia_tem_contorno", u.workaround.map(yes_no));
        extra(
            "urgencia_frequencia",
            u.frequency.map(|f| match f {
                Frequency::FirstTime => "foi a primeira vez",
                Frequency::Sometimes => "às vezes",
                Frequency::Always => "sempre",
            }),
        );
        let guides: Vec<String> = self
            .guides_opened
            .iter()
            .filter_map(|i| topic.guides.get(*i as usize))
            .map(|g| g.title.pt_br.clone())
            .collect();
        extra("guias_consultados", Some(&guides.join("; ")));
        crate::remote::add_to_fields(self, &mut fields);
        Ok(NewTicket {
            topic: topic.id.clone(),
            summary: self.summary.trim().to_owned(),
            description: self.description.trim().to_owned(),
            contact: Contact {
                name: person.name.trim().to_owned(),
                email: person.email.trim().to_owned(),
                phone: Some(person.phone.trim().to_owned()),
            },
            module: self.module.clone().filter(|m| !m.is_empty()),
            fields,
            priority: Some(profile.priority.of(&self.urgency)),
        })
    }
}

/// Where the person and the ticket's draft are kept.
pub struct TicketStore {
    person: PathBuf,
    draft: PathBuf,
}

impl TicketStore {
    pub fn new(data_dir: &Path) -> TicketStore {
        TicketStore {
            person: data_dir.join("person.json"),
            draft: data_dir.join("drafts").join("ticket.json"),
        }
    }

    pub fn person(&self) -> Result<Option<Person>, AppError> {
        read(&self.person)
    }

    pub fn save_person(&self, person: &Person) -> Result<(), AppError> {
        person.check()?;
        write(&self.person, person)
    }

    pub fn draft(&self) -> Result<Option<TicketDraft>, AppError> {
        read(&self.draft)
    }

    pub fn save_draft(&self, draft: &TicketDraft) -> Result<(), AppError> {
        write(&self.draft, draft)
    }

    pub fn discard_draft(&self) -> Result<(), AppError> {
        remove(&self.draft)
    }
}

/// Queues the checked ticket with `bundle` (when there is one); answers the entry's id.
pub fn queue(
    data_dir: &Path,
    ticket: NewTicket,
    bundle: Option<&Path>,
) -> Result<String, AppError> {
    let entry = Outbox::open(data_dir)?.enqueue(ticket, bundle)?;
    tracing::info!(id = %entry.id, "ticket queued from the window");
    Ok(entry.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Person {
        Person {
            name: "Ana Souza".into(),
            email: "ana@cliente.com.br".into(),
            phone: "(11) 3456-7890".into(),
            company: "Cliente Ltda".into(),
            keep_informed: None,
        }
    }

    #[test]
    fn a_person_is_checked_field_by_field() {
        assert!(person().check().is_ok());
        let field = |p: Person| p.check().unwrap_err().field.unwrap();
        assert_eq!(
            field(Person {
                name: " ".into(),
                ..person()
            }),
            "person.name"
        );
        assert_eq!(
            field(Person {
                name: "Ana\nSilva".into(),
                ..person()
            }),
            "person.name"
        );
        assert_eq!(
            field(Person {
                email: "ana@".into(),
                ..person()
            }),
            "person.email"
        );
        assert_eq!(
            field(Person {
                email: "ana <a@b.com>".into(),
                ..person()
            }),
            "person.email"
        );
        assert_eq!(
            field(Person {
                phone: "3456-78".into(),
                ..person()
            }),
            "person.phone"
        );
        assert_eq!(
            field(Person {
                keep_informed: Some("x".into()),
                ..person()
            }),
            "person.keep_informed"
        );
    }

    #[test]
    fn a_draft_is_checked_against_its_topic_and_becomes_the_ticket() {
        let profile = chamado_profile::builtin();
        let topic = &profile.topics[0];
        let mut d = TicketDraft {
            topic: Some(topic.id.clone()),
            summary: "Sistema fecha ao emitir nota".into(),
            description: "Ao clicar em Emitir aparece \"Erro 42\" e o sistema fecha.".into(),
            urgency: Urgency {
                affected: Some(Affected::WholeCompany),
                work_stopped: Some(true),
                ..Urgency::default()
            },
            ..TicketDraft::default()
        };
        for f in topic.fields.iter().filter(|f| f.required) {
            let v = f
                .options
                .first()
                .map_or("8.4.1".to_owned(), |o| o.value.clone());
            d.fields.insert(f.name.clone(), v);
        }
        d.check(&profile).unwrap();
        let t = d.ticket(&person(), &profile).unwrap();
        assert_eq!(t.topic, topic.id);
        assert_eq!(t.contact.email, "ana@cliente.com.br");
        assert_eq!(t.fields["urgencia_afetados"], "a empresa toda");
        assert_eq!(t.fields["urgencia_trabalho_parado"], "sim");
        assert_eq!(t.fields["empresa"], "Cliente Ltda");
        assert_eq!(
            t.priority,
            Some(chamado_profile::Priority::Urgent),
            "the whole company stopped: the default profile's first rule"
        );
        assert!(
            !t.fields.contains_key("tem_contorno"),
            "not answered: not sent"
        );

        let err = |d: &TicketDraft| d.check(&profile).unwrap_err().field.unwrap();
        assert_eq!(
            err(&TicketDraft {
                summary: " ".into(),
                ..d.clone()
            }),
            "summary"
        );
        assert_eq!(
            err(&TicketDraft {
                summary: "x".repeat(121),
                ..d.clone()
            }),
            "summary"
        );
        assert_eq!(
            err(&TicketDraft {
                description: "".into(),
                ..d.clone()
            }),
            "description"
        );
        assert_eq!(
            err(&TicketDraft {
                topic: Some("nope".into()),
                ..d.clone()
            }),
            "topic"
        );
        assert_eq!(
            err(&TicketDraft {
                module: Some("nope".into()),
                ..d.clone()
            }),
            "module"
        );
        if let Some(f) = topic.fields.iter().find(|f| f.required) {
            let mut missing = d.clone();
            missing.fields.remove(&f.name);
            assert_eq!(err(&missing), format!("fields.{}", f.name));
        }
    }

    #[test]
    fn the_draft_and_the_person_survive_a_restart_and_a_damaged_file_is_set_aside() {
        let tmp = tempfile::tempdir().unwrap();
        let store = TicketStore::new(tmp.path());
        assert_eq!(store.draft().unwrap(), None);
        let d = TicketDraft {
            step: WizardStep::Details,
            summary: "Lento".into(),
            ..TicketDraft::default()
        };
        store.save_draft(&d).unwrap();
        store.save_person(&person()).unwrap();
        let again = TicketStore::new(tmp.path());
        assert_eq!(again.draft().unwrap(), Some(d));
        assert_eq!(again.person().unwrap(), Some(person()));
        assert!(again.save_person(&Person::default()).is_err());
        again.discard_draft().unwrap();
        assert_eq!(again.draft().unwrap(), None);
        std::fs::write(tmp.path().join("drafts/ticket.json"), b"{\"step\": 7").unwrap();
        assert_eq!(again.draft().unwrap(), None);
        assert!(tmp.path().join("drafts/ticket.json.damaged").exists());
    }
}
