//! Screenshots for the ticket.
//!
//! [`capture_all`] captures every monitor (one failing does not lose the others); [`Edits`] hides
//! regions, outlines highlights and crops **on the pixels** that are sent; [`encode_webp_lossless`] makes the file that
//! goes into the bundle and [`thumbnail`] the small one the review screen shows; [`ShotStore`]
//! keeps the shots of the ticket being prepared in a folder, edits applied.
//!
//! Hiding Chamado's own window before a capture (and the countdown the user sees) is the app's
//! job; this crate only captures, edits and encodes.

mod capture;
mod edit;
mod encode;
mod error;
mod store;

pub use capture::{
    capture_all, capture_all_within, CaptureReport, MonitorInfo, MonitorProblem, Screenshot,
};
pub use edit::{EditError, Edits, Rect, RectProblem, HIGHLIGHT_COLOR, HIGHLIGHT_WIDTH};
pub use encode::{
    decode_webp, downscale, encode_libwebp, encode_webp_lossless, encode_webp_lossless_all,
    thumbnail, DecodeError, EncodeError, Thumbnail, Webp,
};
pub use error::{CaptureError, CaptureErrorCode};
pub use store::{FinalShot, ShotInfo, ShotStore, StoreError, THUMB_MAX};

/// The language of the messages (the profile's: pt-BR first).
pub use chamado_profile::Lang;
/// The pixels everything here works on: 8-bit RGBA, row by row (the `image` crate's buffer).
pub use image::RgbaImage;
