//! The user's edits: hidden regions (opaque boxes over a customer's data), highlights (a coloured
//! outline around what the analyst should look at) and a crop, applied to the pixels that are sent,
//! never drawn on top of them.

use chamado_profile::Lang;
use image::RgbaImage;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// A rectangle in the pixels of the captured image (not of the review screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    pub fn new(x: u32, y: u32, width: u32, height: u32) -> Self {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// This rectangle cut to an image of `w`×`h`, or why it cannot be. `field` names it in the
    /// error (`crop`, `hide[2]`).
    fn clip(self, w: u32, h: u32, field: &str) -> Result<Rect, EditError> {
        let err = |sub: &str, problem| EditError {
            field: format!("{field}.{sub}"),
            problem,
        };
        if self.width == 0 {
            return Err(err("width", RectProblem::Empty));
        }
        if self.height == 0 {
            return Err(err("height", RectProblem::Empty));
        }
        if self.x >= w {
            return Err(err("x", RectProblem::OutsideImage));
        }
        if self.y >= h {
            return Err(err("y", RectProblem::OutsideImage));
        }
        // u64: x + width can pass u32::MAX.
        let right = (u64::from(self.x) + u64::from(self.width)).min(u64::from(w)) as u32;
        let bottom = (u64::from(self.y) + u64::from(self.height)).min(u64::from(h)) as u32;
        Ok(Rect::new(self.x, self.y, right - self.x, bottom - self.y))
    }
}

/// What is wrong with a rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RectProblem {
    /// Zero width or height.
    Empty,
    /// Starts right of or below the image: nothing of it is inside.
    OutsideImage,
}

/// A rectangle the edits cannot use; `field` names it (`crop.width`, `hide[1].x`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {}", problem.message(Lang::En))]
pub struct EditError {
    pub field: String,
    pub problem: RectProblem,
}

impl RectProblem {
    pub fn code(self) -> &'static str {
        match self {
            RectProblem::Empty => "empty_rect",
            RectProblem::OutsideImage => "rect_outside_image",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RectProblem::Empty, Lang::PtBr) => {
                "a área selecionada está vazia (largura ou altura zero)"
            }
            (RectProblem::Empty, Lang::En) => "the selected area is empty (zero width or height)",
            (RectProblem::OutsideImage, Lang::PtBr) => "a área selecionada está fora da imagem",
            (RectProblem::OutsideImage, Lang::En) => "the selected area is outside the image",
        }
    }
}

impl EditError {
    /// `field: message` in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        format!("{}: {}", self.field, self.problem.message(lang))
    }
}

/// The colour of a hidden region: opaque black.
pub const HIDE_COLOR: [u8; 4] = [0, 0, 0, 255];

/// The colour of a highlight's outline: a strong orange-red, seen on light and dark screens.
pub const HIGHLIGHT_COLOR: [u8; 4] = [230, 60, 0, 255];

/// How thick a highlight's outline is, in the image's pixels (inside the rectangle).
pub const HIGHLIGHT_WIDTH: u32 = 4;

/// The user's edits to one screenshot. Every rectangle is in the captured image's pixels; hidden
/// regions are painted first, then the highlights' outlines (so one never uncovers a hidden box),
/// then the crop is cut, so a box drawn across the crop's edge still hides what is inside.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Edits {
    pub crop: Option<Rect>,
    pub hide: Vec<Rect>,
    /// Outlined, the inside untouched. Absent in edits saved before highlights existed.
    #[serde(default)]
    pub highlight: Vec<Rect>,
}

impl Edits {
    /// Checks every rectangle against an image of `width`×`height`: the first problem, by field.
    /// Rectangles that stick out of the image are clipped, not refused.
    pub fn validate(&self, width: u32, height: u32) -> Result<(), EditError> {
        self.clipped(width, height).map(|_| ())
    }

    #[allow(clippy::type_complexity)]
    fn clipped(&self, w: u32, h: u32) -> Result<(Option<Rect>, Vec<Rect>, Vec<Rect>), EditError> {
        let crop = self.crop.map(|c| c.clip(w, h, "crop")).transpose()?;
        let all = |rects: &[Rect], name: &str| {
            rects
                .iter()
                .enumerate()
                .map(|(i, r)| r.clip(w, h, &format!("{name}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok((
            crop,
            all(&self.hide, "hide")?,
            all(&self.highlight, "highlight")?,
        ))
    }

    /// The image as it will be sent: hidden regions painted opaque, highlights outlined, then
    /// cropped. Nothing is changed when a rectangle is refused.
    pub fn apply(&self, mut image: RgbaImage) -> Result<RgbaImage, EditError> {
        let (w, h) = image.dimensions();
        let (crop, hide, highlight) = self.clipped(w, h)?;
        let row_bytes = w as usize * 4;
        let buf: &mut [u8] = &mut image;
        let mut fill = |r: Rect, color: &[u8; 4]| {
            for y in r.y..r.y + r.height {
                let start = y as usize * row_bytes + r.x as usize * 4;
                let row = &mut buf[start..start + r.width as usize * 4];
                for px in row.chunks_exact_mut(4) {
                    px.copy_from_slice(color);
                }
            }
        };
        for r in &hide {
            fill(*r, &HIDE_COLOR);
        }
        // The outline is four bands inside the rectangle (thinner when the rectangle is small).
        for r in &highlight {
            let t = HIGHLIGHT_WIDTH;
            let (tw, th) = (t.min(r.width), t.min(r.height));
            fill(Rect::new(r.x, r.y, r.width, th), &HIGHLIGHT_COLOR);
            fill(
                Rect::new(r.x, r.y + r.height - th, r.width, th),
                &HIGHLIGHT_COLOR,
            );
            fill(Rect::new(r.x, r.y, tw, r.height), &HIGHLIGHT_COLOR);
            fill(
                Rect::new(r.x + r.width - tw, r.y, tw, r.height),
                &HIGHLIGHT_COLOR,
            );
        }
        match crop {
            None => Ok(image),
            Some(c) if c == Rect::new(0, 0, w, h) => Ok(image),
            Some(c) => {
                let mut out = Vec::with_capacity(c.width as usize * c.height as usize * 4);
                for y in c.y..c.y + c.height {
                    let start = y as usize * row_bytes + c.x as usize * 4;
                    out.extend_from_slice(&image.as_raw()[start..start + c.width as usize * 4]);
                }
                Ok(RgbaImage::from_raw(c.width, c.height, out).expect("the crop's size matches"))
            }
        }
    }
}
