//! Errors as the apps see them: a status and a JSON body `{"error", "message", "field"?}`, where
//! `error` is a stable code the app acts on and `field` names the offending input.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::blobs::UploadError;
use crate::db::DbError;

#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    /// Stable code: `invalid`, `unauthorized`, `not_found`, `too_large`, `rate_limited`,
    /// `key_reused`, `closed`, `forbidden`, `internal`, `unavailable`, `code_used_up`,
    /// `method_not_allowed`, `unsupported_media_type`, `timeout`.
    pub error: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            error,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// 400 naming the field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "invalid", message);
        e.field = Some(field.into());
        e
    }

    /// The error for an answer that has only a status (axum's rejections, 405): its code from
    /// the status.
    pub fn of_status(status: StatusCode, message: impl Into<String>) -> Self {
        let code = match status.as_u16() {
            400 | 411 | 422 | 431 => "invalid",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not_found",
            405 => "method_not_allowed",
            408 => "timeout",
            413 => "too_large",
            415 => "unsupported_media_type",
            429 => "rate_limited",
            503 => "unavailable",
            400..=499 => "invalid",
            _ => "internal",
        };
        ApiError::new(status, code, message)
    }

    /// 401: the enrolment code enrolled as many installations as it may (the vendor makes
    /// another, or one with more uses).
    pub fn code_used_up() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "code_used_up",
            "this enrolment code was used as many times as it may; ask the vendor for a new one",
        )
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: a signed link expired or altered.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn too_large(field: &str, limit: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("{field} is larger than the limit of {limit} bytes"),
        );
        e.field = Some(field.to_owned());
        e
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many requests; retry in {retry_after} s"),
        );
        e.retry_after = Some(retry_after);
        e
    }

    pub fn conflict(error: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, error, message)
    }

    pub fn unprocessable(error: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the request can be retried with the same Idempotency-Key",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(&self)).into_response();
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        tracing::error!(error = %e, "database error");
        ApiError::internal()
    }
}

/// A multipart stream that broke: too large (the body limit) or malformed.
pub fn multipart_error(e: axum::extract::multipart::MultipartError, limit: u64) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large("body", limit)
    } else {
        ApiError::invalid(
            "body",
            format!("malformed multipart body: {}", e.body_text()),
        )
    }
}

pub fn upload_error(e: UploadError, field: &str, limit: u64) -> ApiError {
    match e {
        UploadError::TooLarge { limit } => ApiError::too_large(field, limit),
        UploadError::Multipart(m) => multipart_error(m, limit),
        UploadError::Io(_) | UploadError::Db(_) => {
            tracing::error!(error = %e, "storing an upload");
            ApiError::internal()
        }
    }
}
