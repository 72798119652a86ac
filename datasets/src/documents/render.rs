//! Rasterise a page of a [`Document`](super::content::Document) to an A4 image at 150 dpi with
//! anti-aliased glyphs and ruled tables, and record each printed line's ground truth: its text and
//! its ink bounding box, in reading order (top to bottom).

use ab_glyph::{Font, FontVec, GlyphId, ScaleFont, point};
use image::{Rgb, RgbImage};
use serde::{Deserialize, Serialize};

use super::content::{LineStyle, PageContent, TextBox, join_cells};
use super::error::FontError;
use super::fonts::{Face, FontChain, em_scale};
use super::rng::Rng;

/// A4 at 150 dpi.
pub const PAGE_WIDTH: u32 = 1240;
pub const PAGE_HEIGHT: u32 = 1754;

/// How a document's pages look: sizes, faces, paper and ink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageStyle {
    pub margin_x: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub body_px: f32,
    pub title_px: f32,
    /// Distance between body baselines.
    pub pitch: f32,
    pub body_face: Face,
    pub title_face: Face,
    pub heading_face: Face,
    pub paper: [u8; 3],
    pub ink: [u8; 3],
}

impl PageStyle {
    /// A plausible office-document style.
    pub fn random(rng: &mut Rng) -> PageStyle {
        let body_faces = [Face::NotoSerif, Face::UMing, Face::NotoSans, Face::ZenHei, Face::MicroHei, Face::UKai];
        let body_face = body_faces[rng.weighted(&[0.35, 0.2, 0.2, 0.1, 0.1, 0.05])];
        let title_face = *rng.pick(&[Face::NotoSansBold, Face::NotoSansBold, body_face, Face::NotoSerif]);
        let heading_face = if rng.chance(0.6) { Face::NotoSansBold } else { body_face };
        let body_px = rng.range_f32(30.0, 34.0).round();
        let white = rng.range_u64(246, 255) as u8;
        let ink = rng.range_u64(12, 48) as u8;
        PageStyle {
            margin_x: rng.range_f32(110.0, 132.0).round(),
            margin_top: rng.range_f32(110.0, 140.0).round(),
            margin_bottom: rng.range_f32(110.0, 130.0).round(),
            body_px,
            title_px: (body_px * rng.range_f32(1.45, 1.75)).round(),
            pitch: (body_px * rng.range_f32(1.55, 1.85)).round(),
            body_face,
            title_face,
            heading_face,
            paper: [
                white,
                white.saturating_sub(rng.range_u64(0, 3) as u8),
                white.saturating_sub(rng.range_u64(1, 7) as u8),
            ],
            ink: [ink, ink, ink.saturating_add(rng.range_u64(0, 8) as u8)],
        }
    }

    /// The text box content is laid out for.
    pub fn text_box(&self) -> TextBox {
        let width = PAGE_WIDTH as f32 - 2.0 * self.margin_x;
        let height = PAGE_HEIGHT as f32 - self.margin_top - self.margin_bottom;
        TextBox { cols: (width / self.body_px).floor(), rows: (height / self.pitch).floor() }
    }
}

/// One printed line's ground truth: text and ink box `[x0, y0, x1, y1]` in page pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthLine {
    pub text: String,
    pub bbox: [f32; 4],
}

/// Where a seal belongs on the page: the ink box of the text it goes over, and whose it is.
#[derive(Debug, Clone, PartialEq)]
pub struct SealSpot {
    pub anchor: [f32; 4],
    pub company: String,
    pub label: String,
}

/// A rendered page and its ground truth.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub image: RgbImage,
    pub lines: Vec<TruthLine>,
    pub seal_spots: Vec<SealSpot>,
}

/// The page's text: truth lines joined by `\n`.
pub fn page_text(page: &RenderedPage) -> String {
    page.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// The fonts of a style, loaded.
struct Fonts {
    body: FontChain,
    title: FontChain,
    heading: FontChain,
}

/// An ink box under construction.
#[derive(Debug, Clone, Copy)]
struct BBox([f32; 4]);

impl BBox {
    const EMPTY: BBox = BBox([f32::MAX, f32::MAX, f32::MIN, f32::MIN]);

    fn add(&mut self, b: [f32; 4]) {
        self.0 = [self.0[0].min(b[0]), self.0[1].min(b[1]), self.0[2].max(b[2]), self.0[3].max(b[3])];
    }

    fn get(self) -> Option<[f32; 4]> {
        (self.0[0] <= self.0[2]).then_some(self.0)
    }
}

/// Text set on one line at one size.
struct Run<'a> {
    chain: &'a FontChain,
    size: f32,
}

impl Run<'_> {
    fn glyphs(&self, text: &str) -> Vec<(&'static FontVec, GlyphId, f32)> {
        text.chars()
            .filter_map(|c| {
                let (font, id) = self.chain.glyph(c)?;
                let adv = font.as_scaled(em_scale(font, self.size)).h_advance(id);
                Some((font, id, adv))
            })
            .collect()
    }

    fn width(&self, text: &str) -> f32 {
        self.glyphs(text).iter().map(|g| g.2).sum()
    }

    /// Draw `text` from `x` on `baseline` with `spacing` added after each glyph; returns the ink box.
    fn draw(&self, img: &mut RgbImage, text: &str, x: f32, baseline: f32, spacing: f32, ink: [u8; 3]) -> BBox {
        let mut bbox = BBox::EMPTY;
        let mut pen = x;
        for (font, id, adv) in self.glyphs(text) {
            let glyph = id.with_scale_and_position(em_scale(font, self.size), point(pen, baseline));
            if let Some(outlined) = font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                bbox.add([b.min.x, b.min.y, b.max.x, b.max.y]);
                outlined.draw(|gx, gy, c| {
                    blend(img, b.min.x as i64 + i64::from(gx), b.min.y as i64 + i64::from(gy), ink, c)
                });
            }
            pen += adv + spacing;
        }
        bbox
    }
}

fn blend(img: &mut RgbImage, x: i64, y: i64, ink: [u8; 3], c: f32) {
    if x < 0 || y < 0 || x >= i64::from(img.width()) || y >= i64::from(img.height()) {
        return;
    }
    let c = c.clamp(0.0, 1.0);
    let p = img.get_pixel_mut(x as u32, y as u32);
    for (v, i) in p.0.iter_mut().zip(ink) {
        *v = (f32::from(*v) * (1.0 - c) + f32::from(i) * c).round() as u8;
    }
}

fn rule(img: &mut RgbImage, x0: f32, y0: f32, x1: f32, y1: f32, ink: [u8; 3]) {
    let (xa, xb) = (x0.round() as i64, x1.round().max(x0.round() + 1.0) as i64);
    let (ya, yb) = (y0.round() as i64, y1.round().max(y0.round() + 1.0) as i64);
    for y in ya..yb {
        for x in xa..xb {
            blend(img, x, y, ink, 0.9);
        }
    }
}

/// Baseline that centres CJK glyphs (about 0.88 em above, 0.12 em below it) in a slot.
fn baseline(slot_top: f32, slot_h: f32, size: f32) -> f32 {
    slot_top + slot_h / 2.0 + 0.38 * size
}

/// The largest size `<= size` at which `text` fits in `avail` pixels.
fn fit(chain: &FontChain, text: &str, size: f32, avail: f32) -> f32 {
    let w = Run { chain, size }.width(text);
    if w > avail && w > 0.0 { size * avail / w } else { size }
}

/// Render one page.
pub fn render_page(page: &PageContent, style: &PageStyle) -> Result<RenderedPage, FontError> {
    let fonts = Fonts {
        body: FontChain::new(style.body_face)?,
        title: FontChain::new(style.title_face)?,
        heading: FontChain::new(style.heading_face)?,
    };
    let mut img = RgbImage::from_pixel(PAGE_WIDTH, PAGE_HEIGHT, Rgb(style.paper));
    let (left, right) = (style.margin_x, PAGE_WIDTH as f32 - style.margin_x);
    let avail = right - left;
    let ink = style.ink;
    let rule_w = 2.0;
    let mut y = style.margin_top;
    let mut truth = Vec::new();
    let mut spots = Vec::new();
    let mut in_table = false;
    for line in &page.lines {
        let slot = line.style.height_units() * style.pitch;
        let mut cells: Vec<BBox> = Vec::new();
        let bbox = match &line.style {
            LineStyle::Blank => BBox::EMPTY,
            LineStyle::Title => {
                let size = fit(&fonts.title, &line.text, style.title_px, avail);
                let run = Run { chain: &fonts.title, size };
                // Titles of few characters are letter-spaced, as printed forms do.
                let n = line.text.chars().count();
                let spacing = if n <= 6 && n > 1 { size * 0.5 } else { 0.0 };
                let w = run.width(&line.text) + spacing * (n.saturating_sub(1)) as f32;
                let x = left + (avail - w) / 2.0;
                run.draw(&mut img, &line.text, x, baseline(y, slot, size), spacing, ink)
            }
            LineStyle::Heading | LineStyle::Body | LineStyle::Right => {
                let chain = if line.style == LineStyle::Heading { &fonts.heading } else { &fonts.body };
                let indent = line.indent * style.body_px;
                let size = fit(chain, &line.text, style.body_px, avail - indent);
                let run = Run { chain, size };
                let w = run.width(&line.text);
                let n = run.glyphs(&line.text).len();
                let spacing = if line.justify && n > 1 && w < avail - indent {
                    ((avail - indent - w) / (n - 1) as f32).min(size * 0.5)
                } else {
                    0.0
                };
                let x = if line.style == LineStyle::Right { right - w } else { left + indent };
                let b = run.draw(&mut img, &line.text, x, baseline(y, slot, size), spacing, ink);
                cells.push(b);
                b
            }
            LineStyle::Footer => {
                let size = (style.body_px * 0.8).round();
                let run = Run { chain: &fonts.body, size };
                let w = run.width(&line.text);
                let base = PAGE_HEIGHT as f32 - style.margin_bottom * 0.55;
                run.draw(&mut img, &line.text, (PAGE_WIDTH as f32 - w) / 2.0, base, 0.0, ink)
            }
            LineStyle::Columns(texts) => {
                let col = avail / texts.len().max(1) as f32;
                let mut bbox = BBox::EMPTY;
                for (k, t) in texts.iter().enumerate() {
                    let size = fit(&fonts.body, t, style.body_px, col - 8.0);
                    let run = Run { chain: &fonts.body, size };
                    let b = run.draw(&mut img, t, left + k as f32 * col, baseline(y, slot, size), 0.0, ink);
                    if let Some(bb) = b.get() {
                        bbox.add(bb);
                    }
                    cells.push(b);
                }
                bbox
            }
            LineStyle::TableRow(row) => {
                if !in_table {
                    rule(&mut img, left, y, right, y + rule_w, ink);
                }
                let total: f32 = row.widths.iter().map(|&w| f32::from(w.max(1))).sum();
                let mut x = left;
                let mut bbox = BBox::EMPTY;
                rule(&mut img, x, y, x + rule_w, y + slot + rule_w, ink);
                for (k, t) in row.cells.iter().enumerate() {
                    let w = avail * f32::from(row.widths.get(k).copied().unwrap_or(1).max(1)) / total;
                    let pad = 0.3 * style.body_px;
                    let chain = if row.header { &fonts.heading } else { &fonts.body };
                    let size = fit(chain, t, style.body_px * 0.95, w - 2.0 * pad);
                    let run = Run { chain, size };
                    let tw = run.width(t);
                    // Amounts right, short numbers (序号, 数量) centred, everything else left.
                    let digits = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
                    let amount = t.starts_with('¥')
                        || (t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.'));
                    let tx = if row.header || (digits && t.len() <= 4) {
                        x + (w - tw) / 2.0
                    } else if amount {
                        x + w - pad - tw
                    } else {
                        x + pad
                    };
                    let b = run.draw(&mut img, t, tx, baseline(y, slot, size), 0.0, ink);
                    if let Some(bb) = b.get() {
                        bbox.add(bb);
                    }
                    cells.push(b);
                    x += w;
                    rule(&mut img, x - rule_w, y, x, y + slot + rule_w, ink);
                }
                rule(&mut img, left, y + slot, right, y + slot + rule_w, ink);
                bbox
            }
        };
        in_table = matches!(line.style, LineStyle::TableRow(_));
        let text = match &line.style {
            LineStyle::TableRow(row) => join_cells(&row.cells),
            LineStyle::Columns(texts) => join_cells(texts),
            _ => line.text.trim().to_string(),
        };
        if let (Some(b), false) = (bbox.get(), text.is_empty()) {
            truth.push(TruthLine { text, bbox: b });
        }
        for mark in &line.seals {
            if let Some(anchor) = cells.get(mark.cell).and_then(|b| b.get()) {
                spots.push(SealSpot { anchor, company: mark.company.clone(), label: mark.label.clone() });
            }
        }
        y += slot;
    }
    Ok(RenderedPage { image: img, lines: truth, seal_spots: spots })
}

#[cfg(test)]
mod tests {
    use super::super::content::DocKind;
    use super::super::kinds;
    use super::*;

    #[test]
    fn truth_lines_are_non_empty_inside_the_page_and_in_reading_order() {
        for (seed, kind) in [(1u64, DocKind::PurchaseOrder), (2, DocKind::Contract)] {
            let mut rng = Rng::new(seed);
            let style = PageStyle::random(&mut rng);
            let doc = kinds::generate(&mut rng, kind, style.text_box());
            let page = render_page(&doc.pages[0], &style).expect("fonts installed");
            assert_eq!((page.image.width(), page.image.height()), (PAGE_WIDTH, PAGE_HEIGHT));
            assert!(page.lines.len() > 8, "{kind:?}: {} lines", page.lines.len());
            let mut last_top = f32::MIN;
            for l in &page.lines {
                assert!(!l.text.trim().is_empty());
                let [x0, y0, x1, y1] = l.bbox;
                assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= PAGE_WIDTH as f32 && y1 <= PAGE_HEIGHT as f32, "{l:?}");
                assert!(x0 < x1 && y0 < y1);
                assert!(x0 >= style.margin_x - 2.0 && x1 <= PAGE_WIDTH as f32 - style.margin_x + 2.0, "{l:?}");
                assert!(y0 >= last_top, "reading order: {l:?}");
                last_top = y0;
            }
            let text = page_text(&page);
            assert_eq!(text.lines().count(), page.lines.len());
            assert!(text.contains(&doc.title));
            // Ink exists where truth says and the paper elsewhere is untouched.
            let dark = page.image.pixels().filter(|p| p.0[0] < 128).count();
            assert!(dark > 5_000, "{dark} dark pixels");
            assert_eq!(*page.image.get_pixel(3, 3), Rgb(style.paper));
        }
    }
}
