//! Edits change the pixels that are encoded; WebP is lossless; thumbnails fit their box.

mod support;

use chamado_capture::{
    downscale, encode_webp_lossless, encode_webp_lossless_all, thumbnail, CaptureError,
    CaptureErrorCode, Edits, Lang, Rect, RectProblem, RgbaImage, HIGHLIGHT_COLOR, HIGHLIGHT_WIDTH,
};
use support::{decode_webp, pattern};

const BLACK: [u8; 4] = [0, 0, 0, 255];

fn px(img: &RgbaImage, x: u32, y: u32) -> [u8; 4] {
    img.get_pixel(x, y).0
}

#[test]
fn webp_is_lossless() {
    let img = pattern(301, 157);
    let webp = encode_webp_lossless(&img).unwrap();
    assert_eq!(&webp[..4], b"RIFF");
    assert_eq!(&webp[8..16], b"WEBPVP8L", "lossless bitstream");
    assert_eq!(decode_webp(&webp), img);
}

#[test]
fn several_images_encode_at_once_each_to_its_own_file() {
    let (a, b) = (pattern(120, 80), pattern(64, 200));
    let files = encode_webp_lossless_all(&[&a, &b]);
    assert_eq!(files.len(), 2);
    assert_eq!(decode_webp(files[0].as_ref().unwrap()), a);
    assert_eq!(decode_webp(files[1].as_ref().unwrap()), b);
}

#[test]
fn a_flat_screen_compresses_to_almost_nothing() {
    let img = RgbaImage::from_pixel(1920, 1080, image::Rgba([0x33, 0x66, 0xcc, 255]));
    let webp = encode_webp_lossless(&img).unwrap();
    assert!(webp.len() < 2048, "{} bytes", webp.len());
    assert_eq!(decode_webp(&webp), img);
}

#[test]
fn webp_keeps_alpha_when_some_pixel_is_translucent() {
    let mut img = pattern(40, 30);
    img.get_pixel_mut(5, 6).0[3] = 17;
    assert_eq!(decode_webp(&encode_webp_lossless(&img).unwrap()), img);
}

#[test]
fn hidden_regions_are_painted_into_the_encoded_pixels() {
    let img = pattern(200, 100);
    let edits = Edits {
        crop: None,
        hide: vec![Rect::new(10, 20, 30, 40), Rect::new(150, 0, 50, 10)],
        highlight: vec![],
    };
    let sent = decode_webp(&encode_webp_lossless(&edits.apply(img.clone()).unwrap()).unwrap());
    assert_eq!(sent.dimensions(), (200, 100));
    for (x, y, p) in sent.enumerate_pixels() {
        let hidden = (10..40).contains(&x) && (20..60).contains(&y)
            || (150..200).contains(&x) && (0..10).contains(&y);
        if hidden {
            assert_eq!(p.0, BLACK, "({x}, {y}) must be hidden");
        } else {
            assert_eq!(p.0, px(&img, x, y), "({x}, {y}) must be untouched");
        }
    }
}

#[test]
fn a_highlight_is_an_outline_in_the_pixels_its_inside_and_outside_untouched() {
    let img = pattern(200, 100);
    let (x0, y0, w, h) = (30, 20, 60, 40);
    let edits = Edits {
        highlight: vec![Rect::new(x0, y0, w, h)],
        ..Edits::default()
    };
    let sent = decode_webp(&encode_webp_lossless(&edits.apply(img.clone()).unwrap()).unwrap());
    assert_eq!(sent.dimensions(), (200, 100));
    let t = HIGHLIGHT_WIDTH;
    assert_eq!(t, 4);
    let (mut outline, mut inside) = (0, 0);
    for (x, y, p) in sent.enumerate_pixels() {
        let within = (x0..x0 + w).contains(&x) && (y0..y0 + h).contains(&y);
        let inner = (x0 + t..x0 + w - t).contains(&x) && (y0 + t..y0 + h - t).contains(&y);
        if within && !inner {
            outline += 1;
            assert_eq!(p.0, HIGHLIGHT_COLOR, "({x}, {y}) is the outline");
        } else {
            inside += u32::from(inner);
            assert_eq!(p.0, px(&img, x, y), "({x}, {y}) must be untouched");
        }
    }
    assert_eq!(outline, w * h - (w - 2 * t) * (h - 2 * t));
    assert_eq!(inside, (w - 2 * t) * (h - 2 * t));
    assert_ne!(
        HIGHLIGHT_COLOR,
        [0, 0, 0, 255],
        "not the colour of a hidden box"
    );
}

#[test]
fn a_highlight_never_uncovers_a_hidden_box_and_a_tiny_one_is_filled() {
    let img = pattern(100, 100);
    let edits = Edits {
        crop: None,
        hide: vec![Rect::new(10, 10, 40, 40)],
        // The hidden box lies inside the first highlight's outline: still all black.
        highlight: vec![Rect::new(5, 5, 50, 50), Rect::new(80, 80, 3, 2)],
    };
    let out = edits.apply(img.clone()).unwrap();
    for y in 10..50 {
        for x in 10..50 {
            assert_eq!(px(&out, x, y), BLACK, "({x}, {y}) stays hidden");
        }
    }
    assert_eq!(px(&out, 5, 5), HIGHLIGHT_COLOR);
    assert_eq!(px(&out, 30, 30), BLACK);
    for (x, y) in [(80, 80), (82, 81)] {
        assert_eq!(
            px(&out, x, y),
            HIGHLIGHT_COLOR,
            "smaller than the outline: filled"
        );
    }
    assert_eq!(px(&out, 83, 80), px(&img, 83, 80));
}

#[test]
fn crop_cuts_the_encoded_pixels() {
    let img = pattern(200, 100);
    let edits = Edits {
        crop: Some(Rect::new(50, 25, 80, 40)),
        hide: vec![],
        highlight: vec![],
    };
    let sent = decode_webp(&encode_webp_lossless(&edits.apply(img.clone()).unwrap()).unwrap());
    assert_eq!(sent.dimensions(), (80, 40));
    for (x, y, p) in sent.enumerate_pixels() {
        assert_eq!(p.0, px(&img, x + 50, y + 25));
    }
}

#[test]
fn a_box_across_the_crop_edge_still_hides_what_is_inside() {
    let img = pattern(100, 100);
    let edits = Edits {
        crop: Some(Rect::new(20, 20, 50, 50)),
        // In the capture's coordinates, overlapping the crop's left edge.
        hide: vec![Rect::new(0, 30, 30, 10)],
        highlight: vec![],
    };
    let out = edits.apply(img.clone()).unwrap();
    assert_eq!(out.dimensions(), (50, 50));
    for (x, y, p) in out.enumerate_pixels() {
        let hidden = x < 10 && (10..20).contains(&y);
        let expect = if hidden {
            BLACK
        } else {
            px(&img, x + 20, y + 20)
        };
        assert_eq!(p.0, expect, "({x}, {y})");
    }
}

#[test]
fn rectangles_sticking_out_are_clipped() {
    let img = pattern(64, 48);
    let edits = Edits {
        crop: Some(Rect::new(40, 30, 1000, u32::MAX)),
        hide: vec![Rect::new(60, 0, u32::MAX, 5)],
        highlight: vec![],
    };
    edits.validate(64, 48).unwrap();
    let out = edits.apply(img.clone()).unwrap();
    assert_eq!(out.dimensions(), (24, 18), "crop clipped to the image");
    // The hide box (x 60.., y 0..5) lies above the crop: nothing of it shows, the rest is intact.
    for (x, y, p) in out.enumerate_pixels() {
        assert_eq!(p.0, px(&img, x + 40, y + 30));
    }
    let hidden_only = Edits {
        crop: None,
        hide: vec![Rect::new(60, 0, u32::MAX, 5)],
        highlight: vec![],
    }
    .apply(img.clone())
    .unwrap();
    for y in 0..5 {
        for x in 60..64 {
            assert_eq!(px(&hidden_only, x, y), BLACK);
        }
        assert_eq!(px(&hidden_only, 59, y), px(&img, 59, y));
    }
}

#[test]
fn unusable_rectangles_are_refused_by_field() {
    let cases = [
        (
            Edits {
                crop: Some(Rect::new(0, 0, 0, 10)),
                hide: vec![],
                highlight: vec![],
            },
            "crop.width",
            RectProblem::Empty,
        ),
        (
            Edits {
                crop: Some(Rect::new(0, 0, 10, 0)),
                hide: vec![],
                highlight: vec![],
            },
            "crop.height",
            RectProblem::Empty,
        ),
        (
            Edits {
                crop: Some(Rect::new(64, 0, 10, 10)),
                hide: vec![],
                highlight: vec![],
            },
            "crop.x",
            RectProblem::OutsideImage,
        ),
        (
            Edits {
                crop: None,
                hide: vec![Rect::new(0, 0, 5, 5), Rect::new(3, 48, 5, 5)],
                highlight: vec![],
            },
            "hide[1].y",
            RectProblem::OutsideImage,
        ),
        (
            Edits {
                highlight: vec![Rect::new(64, 0, 5, 5)],
                ..Edits::default()
            },
            "highlight[0].x",
            RectProblem::OutsideImage,
        ),
        (
            Edits {
                crop: None,
                hide: vec![Rect::new(3, 4, 0, 5)],
                highlight: vec![],
            },
            "hide[0].width",
            RectProblem::Empty,
        ),
    ];
    for (edits, field, problem) in cases {
        let err = edits.apply(pattern(64, 48)).unwrap_err();
        assert_eq!(err.field, field);
        assert_eq!(err.problem, problem);
        assert_eq!(edits.validate(64, 48).unwrap_err(), err);
        assert!(err.message(Lang::PtBr).starts_with(field));
        assert_ne!(err.message(Lang::PtBr), err.message(Lang::En));
        assert!(err.to_string().contains(field));
    }
    assert_eq!(RectProblem::Empty.code(), "empty_rect");
    assert_eq!(RectProblem::OutsideImage.code(), "rect_outside_image");
}

#[test]
fn no_edits_send_the_capture_as_is() {
    let img = pattern(33, 21);
    assert_eq!(Edits::default().apply(img.clone()).unwrap(), img);
    let whole = Edits {
        crop: Some(Rect::new(0, 0, 33, 21)),
        hide: vec![],
        highlight: vec![],
    };
    assert_eq!(whole.apply(img.clone()).unwrap(), img);
}

#[test]
fn edits_come_from_the_ui_as_json() {
    let edits: Edits = serde_json::from_str(
        r#"{"crop":{"x":1,"y":2,"width":3,"height":4},"hide":[{"x":5,"y":6,"width":7,"height":8}]}"#,
    )
    .unwrap();
    assert_eq!(edits.crop, Some(Rect::new(1, 2, 3, 4)));
    assert_eq!(edits.hide, vec![Rect::new(5, 6, 7, 8)]);
    assert!(
        edits.highlight.is_empty(),
        "saved before highlights existed"
    );
    let edits: Edits = serde_json::from_str(
        r#"{"crop":null,"hide":[],"highlight":[{"x":5,"y":6,"width":7,"height":8}]}"#,
    )
    .unwrap();
    assert_eq!(edits.highlight, vec![Rect::new(5, 6, 7, 8)]);
}

#[test]
fn thumbnails_fit_their_box_and_keep_the_aspect() {
    let img = pattern(1920, 1080);
    let t = thumbnail(&img, 320, 240).unwrap();
    assert_eq!((t.width, t.height), (320, 180));
    let decoded = decode_webp(&t.webp);
    assert_eq!(decoded.dimensions(), (320, 180));
    assert!(t.webp.len() < 200 * 1024);
    // A preview, lossy ("VP8 " in the RIFF container; the screenshot sent stays lossless): on a
    // text screen 40 % of the lossless size (benches/bundle.py).
    assert_eq!(&t.webp[12..16], b"VP8 ");

    let tall = downscale(&pattern(100, 1000), 320, 240);
    assert_eq!(tall.dimensions(), (24, 240));
    // Never enlarged.
    assert_eq!(downscale(&pattern(100, 50), 320, 240), pattern(100, 50));
    // Degenerate boxes still give at least one pixel.
    assert_eq!(downscale(&pattern(100, 50), 0, 0).dimensions(), (1, 1));
}

#[test]
fn the_box_filter_averages_what_each_pixel_covers() {
    // 2×2 blocks of black and white: each thumbnail pixel is their mean.
    let img = RgbaImage::from_fn(8, 8, |x, y| {
        let v = if (x + y) % 2 == 0 { 255 } else { 0 };
        image::Rgba([v, v, v, 255])
    });
    let small = downscale(&img, 4, 4);
    assert_eq!(small.dimensions(), (4, 4));
    for p in small.pixels() {
        assert_eq!(p.0, [128, 128, 128, 255]);
    }
    // A solid region stays exactly its colour.
    let solid = RgbaImage::from_pixel(30, 20, image::Rgba([0x33, 0x66, 0xcc, 255]));
    assert!(downscale(&solid, 7, 7)
        .pixels()
        .all(|p| p.0 == [0x33, 0x66, 0xcc, 255]));
}

#[test]
fn capture_errors_have_stable_codes_and_both_languages() {
    let errors = [
        (CaptureError::NoDisplay { detail: "d".into() }, "no_display"),
        (
            CaptureError::PermissionDenied { detail: "d".into() },
            "permission_denied",
        ),
        (CaptureError::Failed { detail: "d".into() }, "failed"),
    ];
    for (e, code) in errors {
        assert_eq!(e.code().as_str(), code);
        assert_eq!(serde_json::to_value(e.code()).unwrap(), code);
        assert_eq!(e.detail(), "d");
        let (pt, en) = (e.message(Lang::PtBr), e.message(Lang::En));
        assert!(pt.contains("chamado segue"), "{pt}");
        assert!(en.contains("ticket goes on"), "{en}");
    }
    assert_eq!(CaptureErrorCode::NoDisplay.as_str(), "no_display");
}
