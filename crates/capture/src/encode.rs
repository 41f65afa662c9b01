//! Lossless WebP for the bundle (text stays sharp) and small thumbnails for the review screen.

use image::RgbaImage;
use image_webp::{ColorType, EncodingError, WebPEncoder};
use thiserror::Error;

/// WebP cannot hold this image (each side must be 1 to 16384 pixels).
#[derive(Debug, Error)]
#[error("cannot encode a {width}×{height} image as WebP: {source}")]
pub struct EncodeError {
    pub width: u32,
    pub height: u32,
    #[source]
    pub source: EncodingError,
}

/// The image as a lossless WebP file (RIFF container, VP8L).
///
/// Uses image-webp's fast encoder (subtract-green and predictor transforms, runs, Huffman codes).
/// Alpha is dropped when every pixel is opaque, as a screenshot's are.
pub fn encode_webp_lossless(image: &RgbaImage) -> Result<Vec<u8>, EncodeError> {
    let (width, height) = image.dimensions();
    let mut out = Vec::with_capacity(image.as_raw().len() / 8);
    let opaque = image.as_raw().chunks_exact(4).all(|p| p[3] == 255);
    let result = if opaque {
        let rgb: Vec<u8> = image
            .as_raw()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        WebPEncoder::new(&mut out).encode(&rgb, width, height, ColorType::Rgb8)
    } else {
        WebPEncoder::new(&mut out).encode(image.as_raw(), width, height, ColorType::Rgba8)
    };
    result.map_err(|source| EncodeError {
        width,
        height,
        source,
    })?;
    Ok(out)
}

/// A small preview for the review screen.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    /// Lossless WebP.
    pub webp: Vec<u8>,
}

/// The image scaled down to fit `max_w`×`max_h` (aspect kept, never enlarged, at least 1×1),
/// encoded as lossless WebP.
pub fn thumbnail(image: &RgbaImage, max_w: u32, max_h: u32) -> Result<Thumbnail, EncodeError> {
    let small = downscale(image, max_w, max_h);
    Ok(Thumbnail {
        width: small.width(),
        height: small.height(),
        webp: encode_webp_lossless(&small)?,
    })
}

/// Box filter: each pixel of the result is the mean of the source pixels it covers. Every source
/// pixel is read once. Returns a copy when the image already fits.
pub fn downscale(image: &RgbaImage, max_w: u32, max_h: u32) -> RgbaImage {
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 || (w <= max_w && h <= max_h) {
        return image.clone();
    }
    let (max_w, max_h) = (u64::from(max_w.max(1)), u64::from(max_h.max(1)));
    // Scale by the tighter side, in integers: dw/w = max_w/w or max_h/h.
    let (dw, dh) = if max_w * u64::from(h) <= max_h * u64::from(w) {
        (max_w, (u64::from(h) * max_w / u64::from(w)).max(1))
    } else {
        ((u64::from(w) * max_h / u64::from(h)).max(1), max_h)
    };
    let (dw, dh) = (dw as u32, dh as u32);
    let edge =
        |i: u32, src: u32, dst: u32| (u64::from(i) * u64::from(src) / u64::from(dst)) as usize;
    let cols: Vec<(usize, usize)> = (0..dw)
        .map(|dx| (edge(dx, w, dw), edge(dx + 1, w, dw)))
        .collect();
    let src = image.as_raw();
    let row_bytes = w as usize * 4;
    let mut out = Vec::with_capacity(dw as usize * dh as usize * 4);
    let mut sums = vec![[0u32; 4]; dw as usize];
    for dy in 0..dh {
        let (y0, y1) = (edge(dy, h, dh), edge(dy + 1, h, dh));
        sums.iter_mut().for_each(|s| *s = [0; 4]);
        for y in y0..y1 {
            let row = &src[y * row_bytes..(y + 1) * row_bytes];
            for (sum, &(x0, x1)) in sums.iter_mut().zip(&cols) {
                for px in row[x0 * 4..x1 * 4].chunks_exact(4) {
                    for c in 0..4 {
                        sum[c] += u32::from(px[c]);
                    }
                }
            }
        }
        for (sum, &(x0, x1)) in sums.iter().zip(&cols) {
            let n = ((x1 - x0) * (y1 - y0)) as u32;
            out.extend(sum.iter().map(|&s| ((s + n / 2) / n) as u8));
        }
    }
    RgbaImage::from_raw(dw, dh, out).expect("the thumbnail's size matches")
}
