//! Why a capture failed, with a stable code the UI decides on and messages in pt-BR and en.

use chamado_profile::Lang;
use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

/// The stable code of a [`CaptureError`]: the UI decides on this, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaptureErrorCode {
    /// No graphical session to capture (a service, SSH, no X/Wayland display).
    NoDisplay,
    /// The system refused (Windows secure desktop or access denied, a refused Wayland portal).
    PermissionDenied,
    /// Anything else; the detail says what.
    Failed,
}

impl CaptureErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureErrorCode::NoDisplay => "no_display",
            CaptureErrorCode::PermissionDenied => "permission_denied",
            CaptureErrorCode::Failed => "failed",
        }
    }
}

/// A capture that did not happen. The ticket goes on without the screenshot; the message tells the
/// user why, the detail (what the system said) is for the analyst.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaptureError {
    #[error("no display to capture: {detail}")]
    NoDisplay { detail: String },
    #[error("permission to capture the screen denied: {detail}")]
    PermissionDenied { detail: String },
    #[error("screen capture failed: {detail}")]
    Failed { detail: String },
}

impl CaptureError {
    pub fn code(&self) -> CaptureErrorCode {
        match self {
            CaptureError::NoDisplay { .. } => CaptureErrorCode::NoDisplay,
            CaptureError::PermissionDenied { .. } => CaptureErrorCode::PermissionDenied,
            CaptureError::Failed { .. } => CaptureErrorCode::Failed,
        }
    }

    /// What the system said (not translated): for the analyst and the log.
    pub fn detail(&self) -> &str {
        match self {
            CaptureError::NoDisplay { detail }
            | CaptureError::PermissionDenied { detail }
            | CaptureError::Failed { detail } => detail,
        }
    }

    /// The message for the user, without the detail.
    pub fn message(&self, lang: Lang) -> &'static str {
        match (self.code(), lang) {
            (CaptureErrorCode::NoDisplay, Lang::PtBr) => {
                "Não há tela para capturar (o Chamado não está numa sessão gráfica). \
                 O chamado segue sem a captura de tela."
            }
            (CaptureErrorCode::NoDisplay, Lang::En) => {
                "There is no screen to capture (Chamado is not running in a graphical session). \
                 The ticket goes on without the screenshot."
            }
            (CaptureErrorCode::PermissionDenied, Lang::PtBr) => {
                "O sistema não permitiu capturar a tela (tela protegida, bloqueada ou permissão \
                 negada). O chamado segue sem a captura de tela."
            }
            (CaptureErrorCode::PermissionDenied, Lang::En) => {
                "The system did not allow the screen to be captured (a protected or locked screen, \
                 or permission denied). The ticket goes on without the screenshot."
            }
            (CaptureErrorCode::Failed, Lang::PtBr) => {
                "Não foi possível capturar a tela. O chamado segue sem a captura de tela."
            }
            (CaptureErrorCode::Failed, Lang::En) => {
                "The screen could not be captured. The ticket goes on without the screenshot."
            }
        }
    }
}
