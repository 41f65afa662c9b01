//! What can be wrong in a profile, where, and how to say it to a vendor's admin.

use std::fmt;

use serde::Serialize;
use ts_rs::TS;

use crate::model::{Lang, Text};

/// One step of a field path: `topics[2].fields[0].kind` is Key, Index, Key, Index, Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Where a value sits in the profile, e.g. `topics[2].fields[0].kind`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn key(&self, key: &str) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_owned()));
        p
    }

    pub fn index(&self, index: usize) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// What is wrong. The UI and tests decide on `code` (the serde tag), never on the message text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The file cannot be read.
    Unreadable {
        reason: String,
    },
    /// Not valid TOML.
    Syntax {
        detail: String,
    },
    /// A value of the wrong type (e.g. a number where text goes) or not one of the allowed words.
    WrongType {
        detail: String,
    },
    /// A word that is not one of the allowed ones (e.g. a field `kind`).
    UnknownValue {
        value: String,
        allowed: Vec<String>,
    },
    /// A key the profile does not have: usually a typo.
    UnknownKey {
        key: String,
    },
    /// A required value is missing or empty.
    Required,
    MissingTranslation {
        lang: Lang,
    },
    DuplicateId {
        id: String,
        first_line: u32,
    },
    /// An id with characters other than the allowed ones.
    BadId {
        id: String,
        allowed: String,
    },
    /// A checklist item names a check that does not exist.
    UnknownCheck {
        name: String,
    },
    /// A check id that is a built-in check's.
    ReservedCheck {
        name: String,
    },
    /// A checklist item names the built-in `program` check but there is no `[program]`.
    ProgramNotDescribed,
    /// A topic with `requirements = true` but no `[requirements]`.
    RequirementsNotDescribed,
    BadUrl {
        value: String,
    },
    BadColour {
        value: String,
    },
    BadHost {
        value: String,
    },
    BadAddress {
        value: String,
    },
    /// A check with none or more than one of `dns`, `tcp`, `http`.
    CheckTarget,
    /// `expect_status` or `expect_body` on a check that is not `http`.
    StatusWithoutHttp,
    /// A guide with none or both of `url` and `text`.
    GuideContent,
    ChoiceWithoutOptions,
    OptionsNotAllowed,
    OutOfRange {
        // Sent as JSON numbers; every value here fits a JavaScript number exactly.
        #[ts(type = "number")]
        value: i64,
        #[ts(type = "number")]
        min: i64,
        #[ts(type = "number")]
        max: i64,
    },
    FileNotFound {
        value: String,
    },
    BadImage {
        value: String,
    },
    NoTopics,
    Duplicated {
        value: String,
    },
}

impl ProblemKind {
    pub fn message(&self, lang: Lang) -> String {
        use ProblemKind::*;
        let pt = lang == Lang::PtBr;
        match self {
            Unreadable { reason } if pt => format!("não foi possível ler o arquivo: {reason}"),
            Unreadable { reason } => format!("cannot read the file: {reason}"),
            Syntax { detail } if pt => format!("o arquivo não é TOML válido: {detail}"),
            Syntax { detail } => format!("not valid TOML: {detail}"),
            WrongType { detail } if pt => format!("valor de tipo errado: {detail}"),
            WrongType { detail } => format!("wrong kind of value: {detail}"),
            UnknownValue { value, allowed } if pt => {
                format!("`{value}` não é um valor permitido; use um destes: {}", allowed.join(", "))
            }
            UnknownValue { value, allowed } => {
                format!("`{value}` is not an allowed value; use one of: {}", allowed.join(", "))
            }
            UnknownKey { key } if pt => {
                format!("chave desconhecida `{key}` (erro de digitação?)")
            }
            UnknownKey { key } => format!("unknown key `{key}` (a typo?)"),
            Required if pt => "obrigatório: falta o valor ou está vazio".into(),
            Required => "required: the value is missing or empty".into(),
            MissingTranslation { lang: l } if pt => {
                format!("falta a tradução `{}`", l.code())
            }
            MissingTranslation { lang: l } => format!("the `{}` translation is missing", l.code()),
            DuplicateId { id, first_line } if pt => {
                format!("id `{id}` repetido (já usado na linha {first_line})")
            }
            DuplicateId { id, first_line } => {
                format!("duplicate id `{id}` (already used on line {first_line})")
            }
            BadId { id, allowed } if pt => {
                format!("id `{id}` inválido: use apenas {allowed}")
            }
            BadId { id, allowed } => format!("invalid id `{id}`: use only {allowed}"),
            UnknownCheck { name } if pt => format!(
                "verificação `{name}` não existe: declare-a em [[checks]] ou use uma embutida ({})",
                builtin_list()
            ),
            UnknownCheck { name } => format!(
                "check `{name}` does not exist: declare it in [[checks]] or use a built-in one ({})",
                builtin_list()
            ),
            ReservedCheck { name } if pt => {
                format!("`{name}` é o nome de uma verificação embutida: escolha outro id")
            }
            ReservedCheck { name } => {
                format!("`{name}` is a built-in check's name: choose another id")
            }
            ProgramNotDescribed if pt => {
                "a verificação `program` precisa da seção [program] (o programa do fornecedor)"
                    .into()
            }
            ProgramNotDescribed => {
                "the `program` check needs a [program] section (the vendor's program)".into()
            }
            RequirementsNotDescribed if pt => {
                "`requirements = true` precisa da seção [requirements] (os requisitos do sistema)"
                    .into()
            }
            RequirementsNotDescribed => {
                "`requirements = true` needs a [requirements] section (the system requirements)"
                    .into()
            }
            BadUrl { value } if pt => {
                format!("endereço `{value}` inválido: use uma URL completa com http:// ou https://")
            }
            BadUrl { value } => {
                format!("invalid address `{value}`: use a full URL with http:// or https://")
            }
            BadColour { value } if pt => {
                format!("cor `{value}` inválida: use #rrggbb ou #rgb (ex.: #0b5cad)")
            }
            BadColour { value } => format!("invalid colour `{value}`: use #rrggbb or #rgb (e.g. #0b5cad)"),
            BadHost { value } if pt => format!("nome de computador ou IP `{value}` inválido"),
            BadHost { value } => format!("invalid host name or IP `{value}`"),
            BadAddress { value } if pt => {
                format!("`{value}` inválido: use servidor:porta (porta de 1 a 65535)")
            }
            BadAddress { value } => format!("invalid `{value}`: use host:port (port 1 to 65535)"),
            CheckTarget if pt => {
                "a verificação precisa de exatamente um entre `dns`, `tcp` e `http`".into()
            }
            CheckTarget => "a check needs exactly one of `dns`, `tcp` and `http`".into(),
            StatusWithoutHttp if pt => {
                "`expect_status` e `expect_body` só valem para verificações `http`".into()
            }
            StatusWithoutHttp => "`expect_status` and `expect_body` only apply to `http` checks".into(),
            GuideContent if pt => "o guia precisa de exatamente um entre `url` e `text`".into(),
            GuideContent => "a guide needs exactly one of `url` and `text`".into(),
            ChoiceWithoutOptions if pt => {
                "campo do tipo `choice` precisa de `options` (as opções)".into()
            }
            ChoiceWithoutOptions => "a `choice` field needs `options`".into(),
            OptionsNotAllowed if pt => "`options` só vale para campos do tipo `choice`".into(),
            OptionsNotAllowed => "`options` only applies to `choice` fields".into(),
            OutOfRange { value, min, max } if pt => {
                format!("{value} fora do intervalo permitido ({min} a {max})")
            }
            OutOfRange { value, min, max } => format!("{value} is out of range ({min} to {max})"),
            FileNotFound { value } if pt => {
                format!("arquivo `{value}` não encontrado (caminho relativo ao perfil)")
            }
            FileNotFound { value } => {
                format!("file `{value}` not found (the path is relative to the profile)")
            }
            BadImage { value } if pt => {
                format!("`{value}` não é uma imagem aceita (png, jpg, svg ou webp)")
            }
            BadImage { value } => format!("`{value}` is not an accepted image (png, jpg, svg or webp)"),
            NoTopics if pt => "o perfil precisa de pelo menos um tópico de ajuda [[topics]]".into(),
            NoTopics => "the profile needs at least one help topic [[topics]]".into(),
            Duplicated { value } if pt => format!("`{value}` repetido"),
            Duplicated { value } => format!("`{value}` is repeated"),
        }
    }
}

fn builtin_list() -> String {
    crate::model::BuiltinCheck::ALL
        .iter()
        .map(|c| c.id())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One problem in a profile file, with its position (1-based; absent when the file could not be
/// read) and the field path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Problem {
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// e.g. `topics[2].fields[0].kind`; empty for the whole file.
    pub path: String,
    pub kind: ProblemKind,
    /// `kind` said in each language, for the UI's error screen.
    pub message: Text,
}

impl Problem {
    pub fn new(line: Option<u32>, column: Option<u32>, path: String, kind: ProblemKind) -> Self {
        let message = Text {
            pt_br: kind.message(Lang::PtBr),
            en: kind.message(Lang::En),
        };
        Problem {
            line,
            column,
            path,
            kind,
            message,
        }
    }

    /// `file:line:column: path: message`, the form editors and terminals make clickable.
    pub fn render(&self, file: &str, lang: Lang) -> String {
        let mut out = String::from(file);
        if let (Some(l), Some(c)) = (self.line, self.column) {
            out.push_str(&format!(":{l}:{c}"));
        }
        out.push_str(": ");
        if !self.path.is_empty() {
            out.push_str(&self.path);
            out.push_str(": ");
        }
        out.push_str(&self.kind.message(lang));
        out
    }
}

/// A profile that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{file}: {} problem(s) in the vendor profile", problems.len())]
pub struct ProfileError {
    /// The file as the user named it, or `(built-in)`.
    pub file: String,
    pub problems: Vec<Problem>,
}

impl ProfileError {
    /// Every problem, one a line, and a closing count, in `lang`.
    pub fn report(&self, lang: Lang) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&p.render(&self.file, lang));
            out.push('\n');
        }
        let n = self.problems.len();
        out.push_str(&match (lang, n) {
            (Lang::PtBr, 1) => format!("1 problema em {}", self.file),
            (Lang::PtBr, _) => format!("{n} problemas em {}", self.file),
            (Lang::En, 1) => format!("1 problem in {}", self.file),
            (Lang::En, _) => format!("{n} problems in {}", self.file),
        });
        out
    }
}
