use chamado_profile::Lang;

/// What went wrong putting a bundle together. `code()` is what the UI acts on; `message()` is
/// what the user reads.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{file}: {size} bytes, over the limit of {limit} per file")]
    AttachmentTooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}: the attachments would add up to {total} bytes, over the limit of {limit}")]
    AttachmentsTooLarge {
        file: String,
        total: u64,
        limit: u64,
    },
    #[error("{file}: not a file")]
    NotAFile { file: String },
    /// Vanished, locked by another program, or not ours to read.
    #[error("{file}: could not be read ({reason})")]
    Unreadable { file: String, reason: String },
    #[error("{label} is required")]
    Required { label: String },
    #[error("no item {id}")]
    UnknownItem { id: String },
    #[error("the bundle would be {total} bytes, over the budget of {budget}")]
    OverBudget { total: u64, budget: u64 },
    #[error("could not write the bundle to {path}: {reason}")]
    Write { path: String, reason: String },
}

impl BundleError {
    pub(crate) fn unreadable(file: &str, e: &std::io::Error) -> Self {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_owned(),
            std::io::ErrorKind::PermissionDenied => "access denied or in use".to_owned(),
            _ => e.to_string(),
        };
        BundleError::Unreadable {
            file: file.to_owned(),
            reason,
        }
    }

    /// Stable, for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::AttachmentTooLarge { .. } => "attachment_too_large",
            BundleError::AttachmentsTooLarge { .. } => "attachments_too_large",
            BundleError::NotAFile { .. } => "not_a_file",
            BundleError::Unreadable { .. } => "unreadable",
            BundleError::Required { .. } => "required",
            BundleError::UnknownItem { .. } => "unknown_item",
            BundleError::OverBudget { .. } => "over_budget",
            BundleError::Write { .. } => "write_failed",
        }
    }

    /// What the user reads, naming the file.
    pub fn message(&self, lang: Lang) -> String {
        let pt = lang == Lang::PtBr;
        match self {
            BundleError::AttachmentTooLarge { file, size, limit } => {
                if pt {
                    format!(
                        "O arquivo “{file}” tem {}, acima do limite de {} por arquivo.",
                        human(*size),
                        human(*limit)
                    )
                } else {
                    format!(
                        "The file “{file}” is {}, over the limit of {} per file.",
                        human(*size),
                        human(*limit)
                    )
                }
            }
            BundleError::AttachmentsTooLarge { file, total, limit } => {
                if pt {
                    format!(
                        "Com “{file}”, os anexos somariam {}, acima do limite de {} no total.",
                        human(*total),
                        human(*limit)
                    )
                } else {
                    format!("With “{file}”, the attachments would add up to {}, over the limit of {} in total.", human(*total), human(*limit))
                }
            }
            BundleError::NotAFile { file } => {
                if pt {
                    format!("“{file}” não é um arquivo.")
                } else {
                    format!("“{file}” is not a file.")
                }
            }
            BundleError::Unreadable { file, reason } => {
                if pt {
                    format!("Não foi possível ler “{file}”: ele foi movido, apagado ou está aberto em outro programa ({reason}).")
                } else {
                    format!("Could not read “{file}”: it was moved, deleted or is open in another program ({reason}).")
                }
            }
            BundleError::Required { label } => {
                if pt {
                    format!("“{label}” é necessário para o atendimento e não pode ser retirado.")
                } else {
                    format!("“{label}” is needed by support and cannot be left out.")
                }
            }
            BundleError::UnknownItem { id } => format!("{id}?"),
            BundleError::OverBudget { total, budget } => {
                if pt {
                    format!("O pacote ficaria com {}, acima do limite de {}: retire alguns itens ou confirme o envio assim mesmo.", human(*total), human(*budget))
                } else {
                    format!("The bundle would be {}, over the limit of {}: leave some items out or confirm sending it anyway.", human(*total), human(*budget))
                }
            }
            BundleError::Write { path, reason } => {
                if pt {
                    format!("Não foi possível gravar o pacote em {path}: {reason}")
                } else {
                    format!("Could not write the bundle to {path}: {reason}")
                }
            }
        }
    }
}

/// `1536` → `1,5 KB` style sizes (binary units, one decimal).
fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else if b >= 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}
