//! Shared by the tests: decoding what was encoded, and test images.
#![allow(dead_code)]

use chamado_capture::RgbaImage;
use image_webp::WebPDecoder;
use std::io::Cursor;

/// Decodes a WebP file back to RGBA pixels (alpha 255 when the file has none).
pub fn decode_webp(bytes: &[u8]) -> RgbaImage {
    let mut d = WebPDecoder::new(Cursor::new(bytes)).expect("a WebP header");
    let (w, h) = d.dimensions();
    let mut buf = vec![0; d.output_buffer_size().expect("a size")];
    d.read_image(&mut buf).expect("WebP data");
    let rgba = if d.has_alpha() {
        buf
    } else {
        buf.chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect()
    };
    RgbaImage::from_raw(w, h, rgba).expect("sizes match")
}

/// A deterministic, busy image: every pixel differs from its neighbours.
pub fn pattern(w: u32, h: u32) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([
            (x * 7 + y * 3) as u8,
            ((x * 13) ^ (y * 5)) as u8,
            (x + y * 11) as u8,
            255,
        ])
    })
}
