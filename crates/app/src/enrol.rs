//! Enrolment with the vendor's central, one path for `chamado enrol`, the code the user types in
//! the Fila and the installer's code the sender uses: what failed becomes one code.

use std::path::Path;

use chamado_client::{EnrolError, Enrolment, SendError};

use crate::error::{AppError, ErrorCode};

/// Exchanges `code` at `central` for this installation's token and saves it; the tickets kept
/// for want of enrolment are due again.
pub async fn enrol(data_dir: &Path, central: &str, code: &str) -> Result<(), AppError> {
    let central = central.trim();
    if central.is_empty() {
        return Err(ErrorCode::NoCentral.into());
    }
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::new(ErrorCode::CodeRefused, "the code is empty"));
    }
    match Enrolment::enrol(data_dir, central, code).await {
        Ok(_) => {
            tracing::info!("enrolled");
            Ok(())
        }
        Err(e) => {
            let code = match &e {
                EnrolError::Central(SendError::Refused { .. } | SendError::Unauthorized) => {
                    ErrorCode::CodeRefused
                }
                EnrolError::Central(_) => ErrorCode::Offline,
                EnrolError::Save(_) => ErrorCode::Storage,
            };
            tracing::info!(?code, "enrolment failed: {e}");
            Err(AppError::new(code, e.to_string()))
        }
    }
}

/// The central this installation is enrolled at (read again each time: `chamado enrol` may run
/// while the window is open); `None` when not enrolled.
pub fn central(data_dir: &Path) -> Result<Option<chamado_client::Central>, AppError> {
    match Enrolment::load(data_dir) {
        Ok(Some(e)) => chamado_client::Central::new(&e.central, Some(e.token))
            .map(Some)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string())),
        Ok(None) => Ok(None),
        Err(e) => Err(AppError::new(
            ErrorCode::Storage,
            format!("the enrolment cannot be read: {e}"),
        )),
    }
}
