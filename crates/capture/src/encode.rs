//! Lossless WebP for the bundle (text stays sharp) and small thumbnails for the review screen.
//!
//! Two encoders. libwebp itself (built from source by libwebp-sys, no system library) at lossless
//! level 6 makes a dense 1920×1080 text screen about 75 KiB, a quarter of PNG's size, in about
//! the time PNG takes. image-webp's pure-Rust encoder keeps only runs (no backward references), so
//! the same screen is 2 to 6 times larger; it is the fallback. Every file is decoded again
//! (image-webp's decoder, about 10 ms) and must give back exactly the pixels it was made from, so
//! what is sent is what the user reviewed, edits included.

use std::io::Cursor;

use image::RgbaImage;
use image_webp::{ColorType, EncodingError, WebPDecoder, WebPEncoder};
use thiserror::Error;

/// libwebp's lossless preset (0 fastest … 9 smallest): 6 is the knee on text screens (level 4
/// is 35% larger for the same time; 7 is 10% smaller and 10% slower; 9 takes 25 times as long).
pub const LEVEL: i32 = 6;

/// The thumbnails' lossy quality (0–100): a 320×180 preview of a text screen is 40 % of
/// its lossless size, still legible at that size; the file sent stays lossless.
pub const THUMB_QUALITY: f32 = 75.0;

/// How libwebp encodes: lossless at a preset level (0 fastest … 9 smallest), or lossy at a
/// quality (0–100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Webp {
    Lossless { level: i32 },
    Lossy { quality: f32 },
}

/// WebP cannot hold this image (each side must be 1 to 16384 pixels).
#[derive(Debug, Error)]
#[error("cannot encode a {width}×{height} image as WebP: {source}")]
pub struct EncodeError {
    pub width: u32,
    pub height: u32,
    #[source]
    pub source: EncodingError,
}

/// The image as a lossless WebP file (RIFF container, VP8L), checked to decode to exactly these
/// pixels. The compact encoder first; the fast one when the compact one fails or its file does not
/// decode to the same pixels (never seen; then the file is only larger).
pub fn encode_webp_lossless(image: &RgbaImage) -> Result<Vec<u8>, EncodeError> {
    if let Some(webp) = encode_compact(image).filter(|w| decodes_to(w, image)) {
        return Ok(webp);
    }
    encode_fast(image)
}

/// Encodes several images at once, one thread each (two screenshots take the time of one on a
/// machine with two cores).
pub fn encode_webp_lossless_all(images: &[&RgbaImage]) -> Vec<Result<Vec<u8>, EncodeError>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = images
            .iter()
            .map(|img| s.spawn(move || encode_webp_lossless(img)))
            .collect();
        handles
            .into_iter()
            .zip(images)
            .map(|(h, img)| h.join().unwrap_or_else(|_| encode_fast(img)))
            .collect()
    })
}

/// libwebp's encoder; `None` when it fails (out of memory, a side over 16383 pixels).
#[allow(unsafe_code)] // libwebp's C API
pub fn encode_libwebp(image: &RgbaImage, mode: Webp) -> Option<Vec<u8>> {
    use libwebp_sys as w;
    let (width, height) = image.dimensions();
    let width = i32::try_from(width).ok()?;
    let height = i32::try_from(height).ok()?;
    // SAFETY: the config, picture and writer are initialised by libwebp before use; the picture
    // copies the pixels (`ImportRGBA` reads `height` rows of `4 * width` bytes, which `image`
    // holds) and is freed, as is the writer's buffer once copied out, on every path.
    unsafe {
        let mut config = std::mem::zeroed::<w::WebPConfig>();
        if !w::WebPInitConfig(&mut config) {
            return None;
        }
        match mode {
            Webp::Lossless { level } => {
                if w::WebPConfigLosslessPreset(&mut config, level) == 0 {
                    return None;
                }
                // Keep the RGB of transparent pixels: the decode check compares them.
                config.exact = 1;
            }
            Webp::Lossy { quality } => config.quality = quality,
        }
        let mut picture = std::mem::zeroed::<w::WebPPicture>();
        if !w::WebPPictureInit(&mut picture) {
            return None;
        }
        picture.use_argb = 1;
        picture.width = width;
        picture.height = height;
        let mut writer = std::mem::zeroed::<w::WebPMemoryWriter>();
        w::WebPMemoryWriterInit(&mut writer);
        picture.writer = Some(w::WebPMemoryWrite);
        picture.custom_ptr = (&mut writer as *mut w::WebPMemoryWriter).cast();
        let ok = w::WebPPictureImportRGBA(&mut picture, image.as_raw().as_ptr(), width * 4) != 0
            && w::WebPEncode(&config, &mut picture) != 0;
        let out = ok.then(|| std::slice::from_raw_parts(writer.mem, writer.size).to_vec());
        w::WebPPictureFree(&mut picture);
        w::WebPMemoryWriterClear(&mut writer);
        out
    }
}

fn encode_compact(image: &RgbaImage) -> Option<Vec<u8>> {
    encode_libwebp(image, Webp::Lossless { level: LEVEL })
}

/// image-webp's encoder: subtract-green and predictor transforms, runs, Huffman codes. Alpha is
/// dropped when every pixel is opaque, as a screenshot's are.
fn encode_fast(image: &RgbaImage) -> Result<Vec<u8>, EncodeError> {
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

/// Does `webp` decode to exactly `image`'s pixels?
fn decodes_to(webp: &[u8], image: &RgbaImage) -> bool {
    decode_webp(webp).is_ok_and(|d| d == *image)
}

/// A file that is not a WebP image this crate can read.
#[derive(Debug, Error)]
#[error("not a readable WebP image: {detail}")]
pub struct DecodeError {
    pub detail: String,
}

/// A WebP file's pixels as RGBA (an opaque file gets alpha 255): the stored originals are decoded
/// to apply new edits.
pub fn decode_webp(webp: &[u8]) -> Result<RgbaImage, DecodeError> {
    let err = |detail: String| DecodeError { detail };
    let mut d = WebPDecoder::new(Cursor::new(webp)).map_err(|e| err(e.to_string()))?;
    let (w, h) = d.dimensions();
    let size = d
        .output_buffer_size()
        .ok_or_else(|| err(format!("{w}×{h} is too large")))?;
    let mut buf = vec![0; size];
    d.read_image(&mut buf).map_err(|e| err(e.to_string()))?;
    let rgba = if d.has_alpha() {
        buf
    } else {
        buf.chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect()
    };
    RgbaImage::from_raw(w, h, rgba).ok_or_else(|| err("the pixel count does not match".into()))
}

/// A small preview for the review screen.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    /// Lossy WebP (lossless if libwebp failed).
    pub webp: Vec<u8>,
}

/// The image scaled down to fit `max_w`×`max_h` (aspect kept, never enlarged, at least 1×1),
/// encoded as lossy WebP: it is a preview (the review screen, the analyst's page), and a
/// lossless one of a text screen weighs a quarter of the full screenshot.
pub fn thumbnail(image: &RgbaImage, max_w: u32, max_h: u32) -> Result<Thumbnail, EncodeError> {
    let small = downscale(image, max_w, max_h);
    let lossy = encode_libwebp(
        &small,
        Webp::Lossy {
            quality: THUMB_QUALITY,
        },
    )
    .filter(|w| decode_webp(w).is_ok());
    Ok(Thumbnail {
        width: small.width(),
        height: small.height(),
        webp: match lossy {
            Some(w) => w,
            None => encode_webp_lossless(&small)?,
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(w: u32, h: u32) -> RgbaImage {
        RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x * 7) as u8, (y * 5) as u8, (x ^ y) as u8, 255])
        })
    }

    #[test]
    fn the_check_refuses_a_file_of_other_pixels() {
        let (a, mut b) = (pattern(50, 40), pattern(50, 40));
        b.get_pixel_mut(49, 39).0[0] ^= 1;
        let webp = encode_compact(&a).expect("libwebp encodes");
        assert!(decodes_to(&webp, &a));
        assert!(!decodes_to(&webp, &b), "one pixel differs");
        assert!(!decodes_to(&webp, &pattern(40, 50)), "other size");
        assert!(!decodes_to(&webp[..webp.len() / 2], &a), "cut short");
        assert!(!decodes_to(b"RIFF nonsense", &a));
    }

    #[test]
    fn the_fallback_is_lossless_too() {
        let img = pattern(70, 30);
        let webp = encode_fast(&img).unwrap();
        assert!(decodes_to(&webp, &img));
        let mut translucent = img.clone();
        translucent.get_pixel_mut(3, 3).0[3] = 9;
        assert!(decodes_to(
            &encode_fast(&translucent).unwrap(),
            &translucent
        ));
    }

    #[test]
    fn an_image_webp_cannot_hold_is_an_error() {
        let err = encode_webp_lossless(&RgbaImage::new(16385, 1)).unwrap_err();
        assert_eq!((err.width, err.height), (16385, 1));
        assert!(err.to_string().contains("16385×1"), "{err}");
    }
}
