//! Blank pages and pages with little text, for the check that flags a seal stamped on a blank sheet
//! (空白文件).
//!
//! [`BlankKind`] lists what a blank sheet looks like once it is printed on, handled and stamped but
//! carries no document: plain white, yellowish / grey / recycled paper, specks and grain, punch holes,
//! a lone page number, a lone letterhead, text showing through from the back, a seal alone, a cast
//! shadow. [`LittleTextKind`] lists pages that hold little text but ARE documents: a signature page,
//! one paragraph, a short table. Every page is rendered at the size [`super::render`] uses
//! ([`PAGE_WIDTH`] x [`PAGE_HEIGHT`]), deterministically from its seed, and [`photograph`] takes a
//! phone photo of it through [`super::capture`](mod@super::capture) with the conditions its kind calls for.

use image::{Rgb, RgbImage};
use serde::{Deserialize, Serialize};

use super::capture::{Capture, CaptureParams, ShadowParams, capture};
use super::content::{DocKind, Line, LineStyle, PageContent, paragraph_lines};
use super::error::DatasetError;
use super::kinds;
use super::noise::ValueNoise;
use super::render::{PAGE_HEIGHT, PAGE_WIDTH, PageStyle, page_text, render_page};
use super::rng::Rng;
use super::seal::{SealParams, place_on, stamp_seal};
use super::vocab::{Company, Date};

/// What a blank sheet carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlankKind {
    /// Plain white paper.
    White,
    /// Yellowish (aged or cream) paper.
    Yellowish,
    /// Grey paper.
    Grey,
    /// Recycled paper: beige-grey, mottled, with small dark flecks.
    Recycled,
    /// Toner and dust specks of one to three pixels.
    SaltPepper,
    /// Grain on the page and a noisy, low-quality photo of it.
    SensorNoise,
    /// Two or four punch holes near the left or the top edge.
    PunchHoles,
    /// Only a page number at the bottom (`第3页 共5页`, `- 3 -`).
    PageNumber,
    /// Only a letterhead at the top: a company name or a document title, maybe over a rule; sometimes
    /// a page number at the bottom too.
    Header,
    /// Text printed on the back showing through: mirrored, blurred, at very low contrast.
    ShowThrough,
    /// A seal impression and nothing else (red, sometimes blue or purple; sometimes two), on a page
    /// that sometimes carries a page number.
    SealOnly,
    /// Plain paper photographed under a strong cast shadow.
    Shadow,
}

impl BlankKind {
    pub const ALL: [BlankKind; 12] = [
        BlankKind::White,
        BlankKind::Yellowish,
        BlankKind::Grey,
        BlankKind::Recycled,
        BlankKind::SaltPepper,
        BlankKind::SensorNoise,
        BlankKind::PunchHoles,
        BlankKind::PageNumber,
        BlankKind::Header,
        BlankKind::ShowThrough,
        BlankKind::SealOnly,
        BlankKind::Shadow,
    ];
}

/// A page that holds little text and is NOT blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LittleTextKind {
    /// A contract's signature page: two to five short lines (`甲方（盖章）：`, `日期：年 月 日`).
    Signature,
    /// One paragraph of three to six lines.
    Paragraph,
    /// A short ruled table: a header row and one to three rows.
    Table,
}

impl LittleTextKind {
    pub const ALL: [LittleTextKind; 3] = [LittleTextKind::Signature, LittleTextKind::Paragraph, LittleTextKind::Table];
}

/// Either label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "class", content = "kind")]
pub enum PageKind {
    Blank(BlankKind),
    LittleText(LittleTextKind),
}

impl PageKind {
    /// The kind's snake-case name (`white`, `page_number`, `signature`), for file names and tables.
    pub fn name(self) -> String {
        let name = match self {
            PageKind::Blank(k) => serde_json::to_string(&k),
            PageKind::LittleText(k) => serde_json::to_string(&k),
        };
        name.unwrap_or_default().replace('"', "")
    }
}

/// A generated page with its label.
#[derive(Debug, Clone)]
pub struct GeneratedPage {
    pub kind: PageKind,
    /// The page at [`PAGE_WIDTH`] x [`PAGE_HEIGHT`], seal (if any) already stamped.
    pub image: RgbImage,
    /// The printed text, lines joined by `\n` (a page number, a header, the lines of a little-text
    /// page); empty for pages with nothing printed. Seal text is not included.
    pub text: String,
    /// The seals stamped on the page.
    pub seals: Vec<SealParams>,
}

impl GeneratedPage {
    /// Printed characters other than white space: what an OCR engine reading the page perfectly
    /// would count, seal text excluded.
    pub fn printed_chars(&self) -> usize {
        self.text.chars().filter(|c| !c.is_whitespace()).count()
    }

    /// Characters the seals carry (company name and bottom text): what an OCR engine could read
    /// from the seals at most.
    pub fn seal_chars(&self) -> usize {
        self.seals.iter().map(|s| s.company.chars().count() + s.label.chars().count()).sum()
    }

    /// Each seal's bounding box `[x0, y0, x1, y1]` in page pixels (the disc of its diameter).
    pub fn seal_boxes(&self) -> Vec<[f32; 4]> {
        self.seals
            .iter()
            .map(|s| {
                let r = s.diameter / 2.0;
                [s.center[0] - r, s.center[1] - r, s.center[0] + r, s.center[1] + r]
            })
            .collect()
    }
}

/// Random stream of this module, one item per (kind, seed).
const STREAM_BLANK: u64 = 0xb1a4;
const STREAM_PHOTO: u64 = 0xb1a5;

/// Index of a kind among all kinds, for stream derivation.
fn kind_index(kind: PageKind) -> u64 {
    match kind {
        PageKind::Blank(k) => k as u64,
        PageKind::LittleText(k) => 100 + k as u64,
    }
}

/// The blank page of `kind` for `seed`.
pub fn blank_page(seed: u64, kind: BlankKind) -> Result<RgbImage, DatasetError> {
    blank_sample(seed, kind).map(|p| p.image)
}

/// The page with little text of `kind` for `seed`.
pub fn little_text_page(seed: u64, kind: LittleTextKind) -> Result<RgbImage, DatasetError> {
    little_text_sample(seed, kind).map(|p| p.image)
}

/// The blank page of `kind` for `seed`, with its printed text and seals.
pub fn blank_sample(seed: u64, kind: BlankKind) -> Result<GeneratedPage, DatasetError> {
    let label = PageKind::Blank(kind);
    let mut rng = Rng::derive(seed, STREAM_BLANK, kind_index(label));
    let mut style = PageStyle::random(&mut rng);
    let mut seals = Vec::new();
    let (image, text) = match kind {
        BlankKind::White | BlankKind::Shadow => (plain(style.paper), String::new()),
        BlankKind::Yellowish => (plain(yellowish(&mut rng)), String::new()),
        BlankKind::Grey => (plain(grey(&mut rng)), String::new()),
        BlankKind::Recycled => (recycled(&mut rng), String::new()),
        BlankKind::SaltPepper => {
            let mut img = plain(style.paper);
            specks(&mut img, &mut rng);
            (img, String::new())
        }
        BlankKind::SensorNoise => {
            let mut img = plain(style.paper);
            grain(&mut img, &mut rng);
            (img, String::new())
        }
        BlankKind::PunchHoles => {
            let mut img = plain(style.paper);
            punch_holes(&mut img, &mut rng);
            (img, String::new())
        }
        BlankKind::PageNumber => numbered(&mut rng, &style)?,
        BlankKind::Header => header_page(&mut rng, &mut style)?,
        BlankKind::ShowThrough => (show_through(&mut rng, &style)?, String::new()),
        BlankKind::SealOnly => {
            let (mut img, text) =
                if rng.chance(0.3) { numbered(&mut rng, &style)? } else { (plain(style.paper), String::new()) };
            let count = if rng.chance(0.25) { 2 } else { 1 };
            for _ in 0..count {
                let seal = lone_seal(&mut rng);
                stamp_seal(&mut img, &seal)?;
                seals.push(seal);
            }
            (img, text)
        }
    };
    Ok(GeneratedPage { kind: label, image, text, seals })
}

/// The page with little text of `kind` for `seed`, with its printed text and seals: half of them
/// carry a page number, half a seal.
pub fn little_text_sample(seed: u64, kind: LittleTextKind) -> Result<GeneratedPage, DatasetError> {
    let label = PageKind::LittleText(kind);
    let mut rng = Rng::derive(seed, STREAM_BLANK, kind_index(label));
    let style = PageStyle::random(&mut rng);
    let company = Company::random(&mut rng);
    let mut lines = match kind {
        LittleTextKind::Signature => signature_lines(&mut rng, &company),
        LittleTextKind::Paragraph => paragraph(&mut rng, &style),
        LittleTextKind::Table => table_lines(&mut rng, &company),
    };
    // Not always at the top: a signature block or a short table often sits lower on its page.
    let drop = match kind {
        LittleTextKind::Paragraph => rng.range_usize(0, 4),
        _ => rng.range_usize(0, 24),
    };
    let mut content: Vec<Line> = (0..drop).map(|_| Line::new("", LineStyle::Blank)).collect();
    content.append(&mut lines);
    if rng.chance(0.5) {
        content.push(Line::new(page_number(&mut rng), LineStyle::Footer));
    }
    let rendered = render_page(&PageContent { lines: content }, &style)?;
    let mut image = rendered.image.clone();
    let mut seals = Vec::new();
    if rng.chance(0.5) {
        let seal = place_on(&mut rng, &rendered, &company.name, "");
        stamp_seal(&mut image, &seal)?;
        seals.push(seal);
    }
    Ok(GeneratedPage { kind: label, image, text: page_text(&rendered), seals })
}

/// A phone photo of `page` taken at `rotation` degrees (0, 90, 180, 270) under random conditions from
/// `seed`, with the conditions its kind calls for: a strong shadow across the page for
/// [`BlankKind::Shadow`], heavy sensor noise and strong JPEG compression for
/// [`BlankKind::SensorNoise`].
pub fn photograph(page: &GeneratedPage, seed: u64, rotation: u16) -> Result<Capture, DatasetError> {
    let mut rng = Rng::derive(seed, STREAM_PHOTO, kind_index(page.kind));
    let mut params = CaptureParams::random(&mut rng, rotation, None);
    match page.kind {
        PageKind::Blank(BlankKind::Shadow) => {
            params.shadow = Some(strong_shadow(&mut rng, params.width as f32, params.height as f32));
        }
        PageKind::Blank(BlankKind::SensorNoise) => {
            params.noise_sigma = rng.range_f32(6.0, 10.0);
            params.jpeg_quality = rng.range_u64(40, 65) as u8;
        }
        _ => {}
    }
    capture(&page.image, &params)
}

fn plain(paper: [u8; 3]) -> RgbImage {
    RgbImage::from_pixel(PAGE_WIDTH, PAGE_HEIGHT, Rgb(paper))
}

fn yellowish(rng: &mut Rng) -> [u8; 3] {
    let r = rng.range_u64(242, 252) as u8;
    [r, r.saturating_sub(rng.range_u64(4, 12) as u8), r.saturating_sub(rng.range_u64(22, 48) as u8)]
}

fn grey(rng: &mut Rng) -> [u8; 3] {
    let g = rng.range_u64(212, 232) as u8;
    [g, g, g.saturating_add(rng.range_u64(0, 4) as u8)]
}

/// Beige-grey paper mottled at two scales, with sparse flecks of one or two pixels.
fn recycled(rng: &mut Rng) -> RgbImage {
    let base = [rng.range_f32(226.0, 238.0), rng.range_f32(220.0, 230.0), rng.range_f32(204.0, 218.0)];
    let (coarse, fine) = (ValueNoise::new(rng.next_u64()), ValueNoise::new(rng.next_u64()));
    let depth = rng.range_f32(4.0, 10.0);
    let mut img = RgbImage::from_fn(PAGE_WIDTH, PAGE_HEIGHT, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let k =
            depth * (coarse.fbm(fx / 90.0, fy / 90.0, 2) - 0.5) + 0.5 * depth * (fine.sample(fx / 3.0, fy / 3.0) - 0.5);
        Rgb(base.map(|c| (c + k).round().clamp(0.0, 255.0) as u8))
    });
    let flecks = rng.range_usize(150, 900);
    for _ in 0..flecks {
        let (x, y) =
            (rng.range_u64(0, u64::from(PAGE_WIDTH) - 2) as u32, rng.range_u64(0, u64::from(PAGE_HEIGHT) - 2) as u32);
        let v = rng.range_u64(60, 170) as u8;
        let size = if rng.chance(0.3) { 2 } else { 1 };
        dot(&mut img, x, y, size, [v, v.saturating_sub(8), v.saturating_sub(16)]);
    }
    img
}

/// Toner and dust specks: dark squares of one to three pixels, and white ones that vanish on white paper.
fn specks(img: &mut RgbImage, rng: &mut Rng) {
    let count = rng.range_usize(300, 3000);
    for _ in 0..count {
        let size = rng.range_u64(1, 3) as u32;
        let (x, y) = (
            rng.range_u64(0, u64::from(PAGE_WIDTH - size)) as u32,
            rng.range_u64(0, u64::from(PAGE_HEIGHT - size)) as u32,
        );
        let v = if rng.chance(0.8) { rng.range_u64(0, 90) as u8 } else { 255 };
        dot(img, x, y, size, [v, v, v]);
    }
}

/// A `size` x `size` square of `colour` at `(x, y)`, clipped to the image.
fn dot(img: &mut RgbImage, x: u32, y: u32, size: u32, colour: [u8; 3]) {
    for yy in y..(y + size).min(img.height()) {
        for xx in x..(x + size).min(img.width()) {
            img.put_pixel(xx, yy, Rgb(colour));
        }
    }
}

/// Per-pixel Gaussian grain (scanner or print noise) on the page.
fn grain(img: &mut RgbImage, rng: &mut Rng) {
    let sigma = rng.range_f32(5.0, 12.0);
    for p in img.pixels_mut() {
        let n = rng.normal_fast() * sigma;
        for v in p.0.iter_mut() {
            *v = (f32::from(*v) + n).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Two holes 80 mm apart or four holes 80 mm apart (ISO 838), 5-7 mm wide, their centres 10-14 mm in
/// from the left or the top edge, dark or the colour of a desk showing through.
fn punch_holes(img: &mut RgbImage, rng: &mut Rng) {
    let mm = PAGE_WIDTH as f32 / 210.0;
    let radius = rng.range_f32(2.5, 3.5) * mm;
    let inset = rng.range_f32(10.0, 14.0) * mm;
    let colour = *rng.pick(&[[24u8, 24, 28], [60, 58, 60], [150, 110, 70], [120, 124, 128], [40, 40, 70]]);
    let count = if rng.chance(0.5) { 2 } else { 4 };
    let left = rng.chance(0.6);
    let side = if left { PAGE_HEIGHT as f32 } else { PAGE_WIDTH as f32 };
    let spacing = 80.0 * mm;
    let first = side / 2.0 - spacing * (count - 1) as f32 / 2.0;
    for k in 0..count {
        let along = first + spacing * k as f32;
        let (cx, cy) = if left { (inset, along) } else { (along, inset) };
        disc(img, cx, cy, radius, colour);
    }
}

/// An anti-aliased filled disc.
fn disc(img: &mut RgbImage, cx: f32, cy: f32, r: f32, colour: [u8; 3]) {
    let (x0, x1) = ((cx - r - 1.0).max(0.0) as u32, ((cx + r + 2.0).max(0.0) as u32).min(img.width()));
    let (y0, y1) = ((cy - r - 1.0).max(0.0) as u32, ((cy + r + 2.0).max(0.0) as u32).min(img.height()));
    for y in y0..y1 {
        for x in x0..x1 {
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            let a = (r + 0.5 - d).clamp(0.0, 1.0);
            if a > 0.0 {
                let p = img.get_pixel_mut(x, y);
                for (v, c) in p.0.iter_mut().zip(colour) {
                    *v = (f32::from(*v) * (1.0 - a) + f32::from(c) * a).round() as u8;
                }
            }
        }
    }
}

/// `第3页 共5页`, `第 3 页，共 5 页`, `- 3 -` or `3 / 5`.
fn page_number(rng: &mut Rng) -> String {
    let total = rng.range_usize(2, 12);
    let n = rng.range_usize(1, total);
    match rng.below(4) {
        0 => format!("第{n}页 共{total}页"),
        1 => format!("第 {n} 页，共 {total} 页"),
        2 => format!("- {n} -"),
        _ => format!("{n} / {total}"),
    }
}

/// A page with nothing but its page number at the bottom.
fn numbered(rng: &mut Rng, style: &PageStyle) -> Result<(RgbImage, String), DatasetError> {
    let content = PageContent { lines: vec![Line::new(page_number(rng), LineStyle::Footer)] };
    let page = render_page(&content, style)?;
    Ok((page.image.clone(), page_text(&page)))
}

/// A letterhead: a company name or a document title in the title face near the top edge, over a
/// full-width rule half of the time, and a page number at the bottom 40% of the time.
fn header_page(rng: &mut Rng, style: &mut PageStyle) -> Result<(RgbImage, String), DatasetError> {
    let company = Company::random(rng);
    let text = if rng.chance(0.6) {
        company.name.clone()
    } else {
        format!("{}{}", company.name, rng.pick(&["合同", "函", "通知", "会议纪要", "报价单"]))
    };
    // Letterheads sit above the body's margin.
    style.margin_top = rng.range_f32(40.0, 80.0).round();
    let mut lines = vec![Line::new(text, LineStyle::Title)];
    if rng.chance(0.4) {
        lines.push(Line::new(page_number(rng), LineStyle::Footer));
    }
    let page = render_page(&PageContent { lines }, style)?;
    let mut image = page.image.clone();
    if rng.chance(0.5)
        && let Some(line) = page.lines.first()
    {
        let y = (line.bbox[3] + rng.range_f32(10.0, 24.0)).round() as u32;
        let thick = rng.range_u64(1, 3) as u32;
        let (x0, x1) = (style.margin_x.round() as u32, (PAGE_WIDTH as f32 - style.margin_x).round() as u32);
        for yy in y..(y + thick).min(PAGE_HEIGHT) {
            for x in x0..x1 {
                image.put_pixel(x, yy, Rgb(style.ink));
            }
        }
    }
    Ok((image, page_text(&page)))
}

/// A full page of another document printed on the back: mirrored left to right, blurred by the
/// paper and blended at 4-12% of its contrast.
fn show_through(rng: &mut Rng, style: &PageStyle) -> Result<RgbImage, DatasetError> {
    let back_style = PageStyle::random(rng);
    let kind = DocKind::ALL[rng.below(DocKind::ALL.len() as u64) as usize];
    let doc = kinds::generate(rng, kind, back_style.text_box());
    let back = doc.pages.first().cloned().unwrap_or_default();
    let rendered = render_page(&back, &back_style)?;
    let strength = rng.range_f32(0.04, 0.12);
    let radius = rng.range_usize(1, 2);
    let darkness = blurred_darkness(&rendered.image, back_style.paper[0], radius);
    let paper = style.paper;
    let w = PAGE_WIDTH as usize;
    Ok(RgbImage::from_fn(PAGE_WIDTH, PAGE_HEIGHT, |x, y| {
        // Mirrored: the back's left edge is behind the front's right edge.
        let src = y as usize * w + (w - 1 - x as usize);
        let d = darkness.get(src).copied().unwrap_or(0.0) * strength;
        Rgb(paper.map(|c| (f32::from(c) - d).round().clamp(0.0, 255.0) as u8))
    }))
}

/// How much darker than `paper` each pixel of `img` is (grey levels), box-blurred with `radius`
/// (edges clamped), row-major.
fn blurred_darkness(img: &RgbImage, paper: u8, radius: usize) -> Vec<f32> {
    let w = (img.width() as usize).max(1);
    let darkness: Vec<f32> = img.pixels().map(|p| (f32::from(paper) - f32::from(p.0[1])).max(0.0)).collect();
    let taps = (2 * radius + 1) as f32;
    let clamped = |i: usize, k: usize, len: usize| (i + k).saturating_sub(radius).min(len.saturating_sub(1));
    let mut across = Vec::with_capacity(darkness.len());
    for row in darkness.chunks_exact(w) {
        across.extend(
            (0..row.len())
                .map(|x| (0..=2 * radius).filter_map(|k| row.get(clamped(x, k, row.len()))).sum::<f32>() / taps),
        );
    }
    let rows: Vec<&[f32]> = across.chunks_exact(w).collect();
    let mut out = Vec::with_capacity(across.len());
    for y in 0..rows.len() {
        let mut sum = vec![0.0f32; w];
        for row in (0..=2 * radius).filter_map(|k| rows.get(clamped(y, k, rows.len()))) {
            sum.iter_mut().zip(row.iter()).for_each(|(s, v)| *s += v);
        }
        out.extend(sum.into_iter().map(|v| v / taps));
    }
    out
}

/// A seal somewhere in the body of the page, red most of the time, sometimes blue or purple.
fn lone_seal(rng: &mut Rng) -> SealParams {
    let company = Company::random(rng);
    let label = *rng.pick(&["", "", "合同专用章", "财务专用章"]);
    let center = [rng.range_f32(0.25, 0.75) * PAGE_WIDTH as f32, rng.range_f32(0.2, 0.8) * PAGE_HEIGHT as f32];
    let mut seal = SealParams::random(rng, &company.name, label, center);
    match rng.weighted(&[0.8, 0.1, 0.1]) {
        1 => seal.color = [rng.range_u64(20, 60) as u8, rng.range_u64(50, 90) as u8, rng.range_u64(170, 220) as u8],
        2 => seal.color = [rng.range_u64(120, 160) as u8, rng.range_u64(30, 60) as u8, rng.range_u64(150, 190) as u8],
        _ => {}
    }
    seal
}

/// A signature page: an optional `（以下无正文）` and two to four lines of signature block.
fn signature_lines(rng: &mut Rng, company: &Company) -> Vec<Line> {
    let mut lines = Vec::new();
    if rng.chance(0.5) {
        let note = *rng.pick(&["（以下无正文）", "（本页以下无正文）", "（本页无正文，为签署页）"]);
        lines.push(Line::new(note, LineStyle::Body));
        lines.push(Line::new("", LineStyle::Blank));
    }
    let date = Date::random(rng);
    let when =
        if rng.chance(0.5) { format!("日期：{}", date.cn()) } else { "日期：    年  月  日".to_string() };
    let rep = *rng.pick(&["法定代表人（签字）：", "授权代表（签字）：", "经办人："]);
    let two_sided = rng.chance(0.6);
    let mut block = vec![if two_sided {
        Line::columns(&["甲方（盖章）：", "乙方（盖章）："]).with_seal(0, &company.name, "")
    } else {
        Line::new(format!("{}（盖章）", company.name), LineStyle::Body).with_seal(0, &company.name, "")
    }];
    if rng.chance(0.6) {
        block.push(if two_sided { Line::columns(&[rep, rep]) } else { Line::new(rep, LineStyle::Body) });
    }
    if rng.chance(0.5) {
        block.push(Line::new("", LineStyle::Blank));
    }
    block.push(if two_sided { Line::columns(&[&when, &when]) } else { Line::new(when, LineStyle::Body) });
    lines.append(&mut block);
    lines
}

/// One paragraph of body text (three to six lines), taken from a generated contract, lease or letter.
fn paragraph(rng: &mut Rng, style: &PageStyle) -> Vec<Line> {
    let bx = style.text_box();
    let kind = *rng.pick(&[DocKind::Contract, DocKind::Lease, DocKind::Letter]);
    let doc = kinds::generate(rng, kind, bx);
    let body: String = doc
        .pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| l.style == LineStyle::Body)
        .map(|l| l.text.trim())
        .collect();
    let chars: Vec<char> = body.chars().collect();
    let per_line = (bx.cols - 1.0).max(4.0) as usize;
    let want = per_line * rng.range_usize(3, 6) - per_line / 2;
    let start = rng.range_usize(0, chars.len().saturating_sub(want));
    let text: String = chars.iter().skip(start).take(want).collect();
    let mut lines = Vec::new();
    if rng.chance(0.3) {
        lines.push(Line::new(doc.title.clone(), LineStyle::Title));
    }
    lines.extend(paragraph_lines(&text, 2.0, bx.cols));
    lines
}

/// A short ruled table: a header row and one to three rows of goods.
fn table_lines(rng: &mut Rng, company: &Company) -> Vec<Line> {
    let widths = [1u16, 4, 2, 2, 3];
    let mut lines = vec![Line::table(&["序号", "品名", "数量", "单价", "金额"], &widths, true)];
    let rows = rng.range_usize(1, 3);
    for i in 0..rows {
        let product = *rng.pick(company.products());
        let qty = rng.range_u64(1, 200);
        let price = rng.range_u64(10, 5000);
        let cells = [
            (i + 1).to_string(),
            product.to_string(),
            qty.to_string(),
            format!("{price}.00"),
            format!("{}.00", qty * price),
        ];
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        lines.push(Line::table(&refs, &widths, false));
    }
    lines
}

/// A shadow that crosses the page's middle: a hand or a phone held over it, hard-edged and dark.
fn strong_shadow(rng: &mut Rng, w: f32, h: f32) -> ShadowParams {
    let (cx, cy) = (rng.range_f32(0.3, 0.7) * w, rng.range_f32(0.3, 0.7) * h);
    let (sw, sh) = (w * rng.range_f32(0.5, 1.4), h * rng.range_f32(0.25, 0.6));
    let angle = rng.range_f32(0.0, std::f32::consts::PI);
    let (s, c) = angle.sin_cos();
    // Shifted off the centre by half its size, so one edge runs across the page.
    let (ox, oy) = (sw * 0.5 * c, sw * 0.5 * s);
    let polygon = [[-0.5f32, -0.5f32], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]
        .iter()
        .map(|[u, v]| {
            let (x, y) = (u * sw, v * sh);
            [cx + ox + x * c - y * s, cy + oy + x * s + y * c]
        })
        .collect();
    ShadowParams { factor: rng.range_f32(0.5, 0.7), softness: rng.range_f32(10.0, 30.0), polygon }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pixels darker than `level` in every channel, as `(x, y)`.
    fn dark(img: &RgbImage, level: u8) -> Vec<(u32, u32)> {
        img.enumerate_pixels().filter(|(_, _, p)| p.0.iter().all(|&v| v < level)).map(|(x, y, _)| (x, y)).collect()
    }

    /// Pixels of seal colours: red clearly above green, or blue clearly above green and red.
    fn seal_coloured(img: &RgbImage) -> usize {
        img.pixels()
            .filter(|p| {
                let [r, g, b] = p.0.map(i32::from);
                r - g > 40 || (b - g > 40 && b - r > 20)
            })
            .count()
    }

    #[test]
    fn every_kind_is_page_sized_and_deterministic() {
        for kind in BlankKind::ALL {
            let a = blank_page(3, kind).expect("fonts installed");
            assert_eq!(a.dimensions(), (PAGE_WIDTH, PAGE_HEIGHT), "{kind:?}");
            assert!(a == blank_page(3, kind).expect("again"), "{kind:?} is not deterministic");
        }
        for kind in LittleTextKind::ALL {
            let a = little_text_page(3, kind).expect("fonts installed");
            assert_eq!(a.dimensions(), (PAGE_WIDTH, PAGE_HEIGHT), "{kind:?}");
            assert!(a == little_text_page(3, kind).expect("again"), "{kind:?} is not deterministic");
        }
        assert!(blank_page(3, BlankKind::Recycled).expect("a") != blank_page(4, BlankKind::Recycled).expect("b"));
        assert_eq!(PageKind::Blank(BlankKind::PageNumber).name(), "page_number");
        assert_eq!(PageKind::LittleText(LittleTextKind::Signature).name(), "signature");
    }

    #[test]
    fn plain_tones_have_no_ink_and_their_colour() {
        for seed in 0..4 {
            for kind in [BlankKind::White, BlankKind::Yellowish, BlankKind::Grey, BlankKind::Shadow] {
                let img = blank_page(seed, kind).expect("page");
                assert!(dark(&img, 200).is_empty(), "{kind:?}");
                let p = img.get_pixel(600, 800).0.map(i32::from);
                match kind {
                    BlankKind::Yellowish => assert!(p[0] - p[2] >= 20 && p[0] > 235, "{p:?}"),
                    BlankKind::Grey => assert!((212..=236).contains(&p[1]) && (p[0] - p[2]).abs() <= 4, "{p:?}"),
                    _ => assert!(p.iter().all(|&v| v >= 240), "{p:?}"),
                }
            }
        }
    }

    #[test]
    fn specks_and_flecks_are_tiny_and_grain_is_noise() {
        for seed in 0..3 {
            let sp = blank_page(seed, BlankKind::SaltPepper).expect("page");
            let d = dark(&sp, 100);
            assert!(d.len() > 200, "{} speck pixels", d.len());
            // No speck is bigger than 3x3: every dark pixel has at most 8 dark neighbours within 1.
            let img = &sp;
            for &(x, y) in d.iter().take(2000) {
                let (x, y) = (i64::from(x), i64::from(y));
                let far = (-3i64..=3)
                    .flat_map(|dy| (-3i64..=3).map(move |dx| (dx, dy)))
                    .filter(|&(dx, dy)| dx.abs() == 3 || dy.abs() == 3)
                    .filter(|&(dx, dy)| {
                        let (xx, yy) = (x + dx, y + dy);
                        xx >= 0 && yy >= 0 && xx < i64::from(PAGE_WIDTH) && yy < i64::from(PAGE_HEIGHT)
                    })
                    .filter(|&(dx, dy)| img.get_pixel((x + dx) as u32, (y + dy) as u32).0[0] < 100)
                    .count();
                // A neighbouring speck may touch the ring; a blob of text would fill it.
                assert!(far < 8, "blob at ({x}, {y})");
            }
            let rc = blank_page(seed, BlankKind::Recycled).expect("page");
            let mean = rc.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / f64::from(PAGE_WIDTH * PAGE_HEIGHT);
            assert!((215.0..=245.0).contains(&mean), "{mean}");
            assert!(dark(&rc, 180).len() < 4 * 900, "flecks are sparse");
            let gr = blank_page(seed, BlankKind::SensorNoise).expect("page");
            let row: Vec<i32> = (0..200).map(|x| i32::from(gr.get_pixel(x + 500, 700).0[1])).collect();
            assert!(row.iter().max() > row.iter().min(), "grain varies");
        }
    }

    #[test]
    fn punch_holes_are_round_dark_spots_near_one_edge() {
        for seed in 0..6 {
            let img = blank_page(seed, BlankKind::PunchHoles).expect("page");
            let d: Vec<(u32, u32)> = img
                .enumerate_pixels()
                .filter(|(_, _, p)| p.0.iter().map(|&v| i32::from(v)).sum::<i32>() < 3 * 200)
                .map(|(x, y, _)| (x, y))
                .collect();
            assert!(!d.is_empty());
            let near_left = d.iter().all(|&(x, _)| x < 110);
            let near_top = d.iter().all(|&(_, y)| y < 110);
            assert!(near_left != near_top, "seed {seed}: holes near exactly one edge");
            // Two or four discs of radius 2.5-3.5 mm (15-21 px).
            let disc = |r: f32| std::f32::consts::PI * r * r;
            let area = d.len() as f32;
            assert!(area > 2.0 * disc(14.0) && area < 4.0 * disc(22.0), "seed {seed}: {area} hole pixels");
        }
    }

    #[test]
    fn page_number_and_header_ink_stays_in_their_bands() {
        for seed in 0..6 {
            let pn = blank_sample(seed, BlankKind::PageNumber).expect("page");
            let d = dark(&pn.image, 128);
            assert!(!d.is_empty() && pn.printed_chars() >= 3, "{}", pn.text);
            assert!(d.iter().all(|&(_, y)| y > PAGE_HEIGHT * 92 / 100), "seed {seed}: ink above the bottom band");
            let hd = blank_sample(seed, BlankKind::Header).expect("page");
            let d = dark(&hd.image, 128);
            assert!(d.len() > 500 && hd.printed_chars() >= 6, "{}", hd.text);
            let in_bands = |y: u32| !(PAGE_HEIGHT * 12 / 100..=PAGE_HEIGHT * 92 / 100).contains(&y);
            assert!(d.iter().all(|&(_, y)| in_bands(y)), "seed {seed}: ink outside the header and footer bands");
            assert!(d.iter().any(|&(_, y)| y < PAGE_HEIGHT * 12 / 100), "seed {seed}: no letterhead");
        }
    }

    #[test]
    fn show_through_is_faint_and_mirrored_text() {
        for seed in 0..3 {
            let st = blank_sample(seed, BlankKind::ShowThrough).expect("page");
            let paper = st.image.get_pixel(2, 2).0;
            let darkest = st.image.pixels().map(|p| p.0[1]).min().unwrap_or(0);
            assert!(i32::from(paper[1]) - i32::from(darkest) <= 32, "contrast {} - {darkest}", paper[1]);
            let marked = st.image.pixels().filter(|p| u16::from(p.0[1]) + 4 < u16::from(paper[1])).count();
            assert!(marked > 10_000, "the back shows: {marked} pixels");
            assert!(st.text.is_empty());
        }
    }

    #[test]
    fn seal_only_pages_hold_seal_ink_and_nothing_dark_and_neutral() {
        let mut colours = std::collections::HashSet::new();
        for seed in 0..10 {
            let s = blank_sample(seed, BlankKind::SealOnly).expect("page");
            assert!(!s.seals.is_empty() && s.printed_chars() <= 12, "{}", s.text);
            assert!(seal_coloured(&s.image) > 5_000);
            // Above the page number's band, no ink is dark and neutral: all of it is the seal's.
            let neutral_dark = s
                .image
                .enumerate_pixels()
                .filter(|&(_, y, p)| {
                    let [r, g, b] = p.0.map(i32::from);
                    y < PAGE_HEIGHT * 92 / 100 && r.max(g).max(b) < 110 && r.max(g).max(b) - r.min(g).min(b) < 25
                })
                .count();
            assert_eq!(neutral_dark, 0, "seed {seed}");
            for b in s.seal_boxes() {
                assert!(b[0] >= 0.0 && b[2] <= PAGE_WIDTH as f32 && b[1] >= 0.0 && b[3] <= PAGE_HEIGHT as f32);
            }
            colours.extend(s.seals.iter().map(|p| p.color[2] > p.color[0]));
        }
        assert_eq!(colours.len(), 2, "red and blue or purple seals both occur");
    }

    #[test]
    fn little_text_pages_hold_text_in_the_body() {
        for seed in 0..6 {
            for kind in LittleTextKind::ALL {
                let s = little_text_sample(seed, kind).expect("page");
                let body: Vec<(u32, u32)> = dark(&s.image, 110)
                    .into_iter()
                    .filter(|&(_, y)| y > PAGE_HEIGHT * 13 / 100 && y < PAGE_HEIGHT * 88 / 100)
                    .collect();
                assert!(body.len() > 1_000, "{kind:?} seed {seed}: {} body ink pixels", body.len());
                let lines = s.text.lines().count();
                match kind {
                    LittleTextKind::Signature => assert!((2..=6).contains(&lines), "{}", s.text),
                    LittleTextKind::Paragraph => assert!(lines >= 3 && s.printed_chars() >= 60, "{}", s.text),
                    LittleTextKind::Table => {
                        assert!(s.text.contains("品名") && (2..=5).contains(&lines), "{}", s.text)
                    }
                }
            }
        }
    }

    #[test]
    fn photographs_follow_the_kind() {
        let shadow = blank_sample(1, BlankKind::Shadow).expect("page");
        let cap = photograph(&shadow, 1, 0).expect("photo");
        let s = cap.params.shadow.as_ref().expect("a shadow");
        assert!(s.factor <= 0.7 && s.softness <= 30.0);
        let noisy = blank_sample(1, BlankKind::SensorNoise).expect("page");
        let cap = photograph(&noisy, 1, 90).expect("photo");
        assert!(cap.params.noise_sigma >= 6.0 && cap.params.jpeg_quality <= 65 && cap.rotation == 90);
        let again = photograph(&noisy, 1, 90).expect("photo");
        assert_eq!(cap.jpeg, again.jpeg);
    }

    #[test]
    #[ignore = "writes every kind's page and photo to /tmp/sealgate-blank for a visual check"]
    fn blank_sample_set() {
        let dir = std::path::Path::new("/tmp/sealgate-blank");
        std::fs::create_dir_all(dir).expect("dir");
        let blank = BlankKind::ALL.map(|k| blank_sample(7, k));
        let little = LittleTextKind::ALL.map(|k| little_text_sample(7, k));
        for page in blank.into_iter().chain(little) {
            let page = page.expect("page");
            let name = page.kind.name();
            page.image.save(dir.join(format!("{name}.png"))).expect("save");
            let cap = photograph(&page, 7, 0).expect("photo");
            std::fs::write(dir.join(format!("{name}.jpg")), &cap.jpeg).expect("write");
        }
    }
}
