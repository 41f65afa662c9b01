//! PNG (png crate, default settings) against lossless WebP (this crate) on a dense, text-heavy
//! 1920×1080 screen: sizes, times, ratio; and the bundle's share: two screenshots edited and
//! encoded.
//!
//! The screen is drawn deterministically: an ERP-like window (title bar, menu, toolbar, a data
//! grid of 13 px text in 42 rows, a status bar) with an error dialog on top, text antialiased
//! with DejaVu Sans either in colour (subpixel, as Windows' ClearType draws it) or in grey.
//!
//! cargo run --release -p chamado-capture --example webp_bench [-- OUT_DIR]
//! (OUT_DIR: also write the screens as PNG and WebP to look at.) The workspace's release profile
//! optimises for size (`opt-level = "s"`), except libwebp's C (`-O2`).

use std::time::{Duration, Instant};

use chamado_capture::{
    encode_libwebp, encode_webp_lossless, encode_webp_lossless_all, thumbnail, Edits, Rect,
    RgbaImage, Webp,
};
use fontdue::{Font, FontSettings};

const W: u32 = 1920;
const H: u32 = 1080;
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

struct Canvas {
    img: RgbaImage,
    subpixel: bool,
}

impl Canvas {
    fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]) {
        for yy in y..(y + h).min(H) {
            for xx in x..(x + w).min(W) {
                self.img
                    .put_pixel(xx, yy, image::Rgba([c[0], c[1], c[2], 255]));
            }
        }
    }

    /// Draws `text` with its baseline at `y`; returns the x after it.
    fn text(&mut self, font: &Font, x: i32, y: i32, size: f32, text: &str, fg: [u8; 3]) -> i32 {
        let mut pen = x as f32;
        for ch in text.chars() {
            let (m, cov) = if self.subpixel {
                font.rasterize_subpixel(ch, size)
            } else {
                let (m, c) = font.rasterize(ch, size);
                (m, c.iter().flat_map(|&v| [v, v, v]).collect())
            };
            let gx = pen.round() as i32 + m.xmin;
            let gy = y - m.height as i32 - m.ymin;
            for row in 0..m.height {
                for col in 0..m.width {
                    let (px, py) = (gx + col as i32, gy + row as i32);
                    if px < 0 || py < 0 || px >= W as i32 || py >= H as i32 {
                        continue;
                    }
                    let i = (row * m.width + col) * 3;
                    let p = self.img.get_pixel_mut(px as u32, py as u32);
                    for c in 0..3 {
                        let a = u32::from(cov[i + c]);
                        p.0[c] = ((u32::from(p.0[c]) * (255 - a) + u32::from(fg[c]) * a + 127)
                            / 255) as u8;
                    }
                }
            }
            pen += m.advance_width;
        }
        pen.round() as i32
    }
}

/// A small deterministic generator (xorshift) for the grid's contents.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "Cliente",
    "Pedido",
    "Nota Fiscal",
    "Faturamento",
    "Estoque",
    "Comercial",
    "Ltda",
    "S.A.",
    "Distribuidora",
    "Mercado",
    "Farmácia",
    "São Paulo",
    "Campinas",
    "Belo Horizonte",
    "Curitiba",
    "Aprovado",
    "Pendente",
    "Cancelado",
    "Emitida",
    "Boleto",
    "Cartão",
    "Transferência",
    "Rua",
    "Avenida",
    "Centro",
    "João",
    "Maria",
    "Silva",
    "Souza",
    "Oliveira",
    "Pereira",
    "Peças",
];

fn draw_screen(subpixel: bool) -> RgbaImage {
    let font = Font::from_bytes(
        std::fs::read(FONT).unwrap_or_else(|e| panic!("{FONT}: {e} (Debian: fonts-dejavu-core)")),
        FontSettings::default(),
    )
    .unwrap();
    let bold = Font::from_bytes(std::fs::read(BOLD).unwrap(), FontSettings::default()).unwrap();
    let mut c = Canvas {
        img: RgbaImage::from_pixel(W, H, image::Rgba([255, 255, 255, 255])),
        subpixel,
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let black = [0x20, 0x20, 0x20];

    // Title bar, menu, toolbar.
    c.fill(0, 0, W, 32, [0x1f, 0x4e, 0x79]);
    c.text(
        &bold,
        12,
        22,
        14.0,
        "Sistema de Gestão Comercial 8.4 — Empresa Modelo Ltda — Faturamento",
        [255, 255, 255],
    );
    c.fill(0, 32, W, 26, [0xf0, 0xf0, 0xf0]);
    let mut x = 10;
    for m in [
        "Arquivo",
        "Cadastros",
        "Movimentação",
        "Fiscal",
        "Financeiro",
        "Relatórios",
        "Utilitários",
        "Janela",
        "Ajuda",
    ] {
        x = c.text(&font, x, 50, 13.0, m, black) + 22;
    }
    c.fill(0, 58, W, 40, [0xe8, 0xec, 0xf1]);
    for i in 0..24u32 {
        let hue = [
            (i * 37 % 200) as u8 + 40,
            (i * 91 % 180) as u8 + 50,
            (i * 53 % 160) as u8 + 80,
        ];
        c.fill(10 + i * 40, 64, 28, 28, hue);
    }

    // The grid: header, 42 rows of 22 px, 10 columns with rules.
    let cols = [0u32, 90, 420, 560, 700, 860, 1010, 1160, 1380, 1640, W];
    let heads = [
        "Código",
        "Cliente",
        "Cidade",
        "Emissão",
        "Vencimento",
        "Valor (R$)",
        "Situação",
        "Forma de pagamento",
        "Observação",
        "Vendedor",
    ];
    c.fill(0, 100, W, 24, [0xdd, 0xe3, 0xea]);
    for (i, h) in heads.iter().enumerate() {
        c.text(&bold, cols[i] as i32 + 6, 117, 12.0, h, black);
    }
    for r in 0..42u32 {
        let y = 124 + r * 22;
        if r % 2 == 1 {
            c.fill(0, y, W, 22, [0xf6, 0xf8, 0xfb]);
        }
        c.fill(0, y + 21, W, 1, [0xd8, 0xdc, 0xe0]);
        let base = y as i32 + 16;
        let mut cells: Vec<String> = vec![
            format!("{:06}", rng.next() % 1_000_000),
            format!(
                "{} {} {}",
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
            rng.pick(&WORDS[11..15]).to_string(),
            format!("{:02}/{:02}/2026", rng.next() % 28 + 1, rng.next() % 12 + 1),
            format!("{:02}/{:02}/2026", rng.next() % 28 + 1, rng.next() % 12 + 1),
            format!("{},{:02}", rng.next() % 90_000 + 100, rng.next() % 100),
        ];
        cells.push(rng.pick(&WORDS[15..18]).to_string());
        cells.push(rng.pick(&WORDS[19..22]).to_string());
        cells.push(format!("{} {}", rng.pick(WORDS), rng.pick(WORDS)));
        cells.push(format!(
            "{} {}",
            rng.pick(&WORDS[25..29]),
            rng.pick(&WORDS[27..31])
        ));
        for (i, text) in cells.iter().enumerate() {
            let colour = if i == 6 && text == "Cancelado" {
                [0xc0, 0x20, 0x20]
            } else {
                black
            };
            c.text(&font, cols[i] as i32 + 6, base, 13.0, text, colour);
        }
    }
    for &x in &cols[1..cols.len() - 1] {
        c.fill(x, 100, 1, 24 + 42 * 22, [0xd0, 0xd4, 0xd8]);
    }

    // Status bar.
    c.fill(0, H - 24, W, 24, [0xf0, 0xf0, 0xf0]);
    c.text(&font, 8, H as i32 - 7, 12.0, "Usuário: MARIA.SOUZA   Filial: 001 - Matriz   Base: SGC_PRODUCAO em SRV-ERP01   25/11/2026 14:32   NUM   CAPS", black);

    // The error dialog.
    let (dx, dy, dw, dh) = (610, 380, 700, 220);
    c.fill(dx + 6, dy + 6, dw, dh, [0xa0, 0xa0, 0xa0]);
    c.fill(dx, dy, dw, dh, [0x70, 0x70, 0x70]);
    c.fill(dx + 1, dy + 1, dw - 2, dh - 2, [255, 255, 255]);
    c.fill(dx + 1, dy + 1, dw - 2, 30, [0x1f, 0x4e, 0x79]);
    c.text(
        &bold,
        dx as i32 + 10,
        dy as i32 + 22,
        13.0,
        "Erro",
        [255, 255, 255],
    );
    c.fill(dx + 24, dy + 56, 40, 40, [0xd0, 0x30, 0x30]);
    let lines = [
        "Não foi possível conectar ao servidor de banco de dados.",
        "Servidor: SRV-ERP01\\SQLEXPRESS   Porta: 1433",
        "Erro 10060: A connection attempt failed because the connected party",
        "did not properly respond after a period of time.",
        "Código interno: SGC-DB-0042   Módulo: Faturamento.NotaFiscal.Emitir",
    ];
    for (i, l) in lines.iter().enumerate() {
        c.text(
            &font,
            dx as i32 + 84,
            dy as i32 + 66 + i as i32 * 22,
            13.0,
            l,
            black,
        );
    }
    c.fill(dx + dw - 120, dy + dh - 44, 100, 28, [0xe1, 0xe1, 0xe1]);
    c.text(
        &font,
        (dx + dw - 90) as i32,
        (dy + dh - 25) as i32,
        13.0,
        "OK",
        black,
    );
    c.img
}

fn encode_png(img: &RgbaImage) -> Vec<u8> {
    let rgb: Vec<u8> = img
        .as_raw()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, img.width(), img.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&rgb).unwrap();
    out
}

/// The median of `n` runs, and the last result.
fn time<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[n / 2], last.unwrap())
}

fn decode(bytes: &[u8]) -> RgbaImage {
    let mut d = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).unwrap();
    let (w, h) = d.dimensions();
    let mut buf = vec![0; d.output_buffer_size().unwrap()];
    d.read_image(&mut buf).unwrap();
    if !d.has_alpha() {
        buf = buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
    }
    RgbaImage::from_raw(w, h, buf).unwrap()
}

fn kib(n: usize) -> f64 {
    n as f64 / 1024.0
}

/// image-webp's fast encoder alone (the crate's fallback), for comparison.
fn encode_image_webp(img: &RgbaImage) -> Vec<u8> {
    let rgb: Vec<u8> = img
        .as_raw()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(&rgb, img.width(), img.height(), image_webp::ColorType::Rgb8)
        .unwrap();
    out
}

fn row(name: &str, png: usize, bytes: usize, t: Duration) {
    println!(
        "  {:<44} {:>8.1} KiB {:>8.1} ms  {:>5.2} of PNG's size",
        name,
        kib(bytes),
        t.as_secs_f64() * 1e3,
        bytes as f64 / png as f64
    );
}

fn main() {
    let out_dir = std::env::args().nth(1);
    if cfg!(debug_assertions) {
        eprintln!("note: a debug build; figures come from --release");
    }
    let mut screens = Vec::new();
    for (name, stem, subpixel) in [
        ("dense text, ClearType colour", "cleartype", true),
        ("dense text, grey antialiasing", "grey", false),
    ] {
        let img = draw_screen(subpixel);
        println!("{name}, 1920x1080 (median of 5 runs)");
        let (t, png) = time(5, || encode_png(&img));
        row("PNG (png crate, default settings)", png.len(), png.len(), t);
        let (t, webp) = time(5, || encode_webp_lossless(&img).unwrap());
        assert_eq!(decode(&webp), img, "lossless");
        row(
            "WebP: encode_webp_lossless (checked)",
            png.len(),
            webp.len(),
            t,
        );
        let (t, fast) = time(5, || encode_image_webp(&img));
        row(
            "WebP: image-webp alone (fallback)",
            png.len(),
            fast.len(),
            t,
        );
        for level in [4, 7] {
            let (t, out) = time(3, || {
                encode_libwebp(&img, Webp::Lossless { level }).unwrap()
            });
            assert_eq!(decode(&out), img, "lossless");
            row(
                &format!("WebP: libwebp level {level} (unchecked)"),
                png.len(),
                out.len(),
                t,
            );
        }
        let (t, _) = time(5, || decode(&webp));
        println!(
            "  decoding the WebP (the check): {:.1} ms",
            t.as_secs_f64() * 1e3
        );
        if let Some(dir) = &out_dir {
            std::fs::write(format!("{dir}/{stem}.png"), &png).unwrap();
            std::fs::write(format!("{dir}/{stem}.webp"), &webp).unwrap();
        }
        screens.push(img);
    }

    // The bundle's share: two screenshots, a hidden box on one and a crop on the other.
    let edits = [
        Edits {
            crop: None,
            hide: vec![Rect::new(90, 124, 330, 22 * 42)],
            highlight: vec![],
        },
        Edits {
            crop: Some(Rect::new(0, 32, W, H - 32)),
            hide: vec![],
            highlight: vec![],
        },
    ];
    let (t, sizes) = time(5, || {
        let edited: Vec<RgbaImage> = screens
            .iter()
            .zip(&edits)
            .map(|(img, e)| e.apply(img.clone()).unwrap())
            .collect();
        let refs: Vec<&RgbaImage> = edited.iter().collect();
        encode_webp_lossless_all(&refs)
            .into_iter()
            .map(|r| r.unwrap().len())
            .collect::<Vec<_>>()
    });
    println!(
        "two screenshots edited + encoded in parallel: {:.1} KiB ({:.1} + {:.1}) in {:.1} ms",
        kib(sizes.iter().sum()),
        kib(sizes[0]),
        kib(sizes[1]),
        t.as_secs_f64() * 1e3
    );
    let (t, th) = time(5, || thumbnail(&screens[0], 320, 180).unwrap());
    println!(
        "thumbnail {}x{}: {:.1} KiB in {:.1} ms",
        th.width,
        th.height,
        kib(th.webp.len()),
        t.as_secs_f64() * 1e3
    );
}
