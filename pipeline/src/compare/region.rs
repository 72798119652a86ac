//! The region path, for originals with a page image: register the photo to the approved page and
//! compare line regions as pixels; only regions that differ are read and compared as text.
//!
//! 1. flatten the photo (sheet found, warped to the page rectangle, lighting evened, red ink faded);
//! 2. pick the approved page and the quarter turn whose small grey thumbnail correlates best;
//! 3. find the page's offset (quarter resolution), then each approved line's offset (full resolution,
//!    around the page's), and each segment of a line's own small offset (paper curls, lenses bend);
//! 4. per segment, the normalised cross-correlation of blurred grey levels in windows about a
//!    character wide (or, [`Measure::Ink`], ink on one side with none near it on the other): the
//!    worst window at or above `flag_score` flags the line;
//! 5. ink outside every approved line, or too many flagged lines (text reflowed after an insertion
//!    or deletion), hand the photo to the text path; otherwise each run of flagged lines is read where
//!    the approved lines are and compared as text.
//!
//! Pixels can only say "same" or "look closer": a flagged line that reads the same as approved is no
//! difference, so the pixel threshold trades speed for nothing but reading time.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::diff::{LinesDiff, diff_lines};
use super::line_match::{box_blur, correlation_windows, erase_rules, ink_mask, line_score, patch, unexplained};
use super::register::{COARSE, OffsetField, best_offset, ncc, pick_page, rotate_gray, shrink};
use super::text_path::compare_text;
use super::{
    ApprovedLine, ApprovedOriginal, ApprovedPage, CompareConfig, CompareError, ComparePath, CompareTimings, Comparison,
    decide, to_photo_boxes,
};
use crate::PipelineError;
use crate::image::{Affine, Gray8, Homography, Rgb8, closing, to_gray, warp_affine};
use crate::ocr::{OcrEngine, PpOcr, TextLine};
use crate::page::{FlatPage, PageConfig, RedInkMap, flatten_page};

/// Region path settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegionConfig {
    /// Grey level below which a pixel is surely ink, on both the approved page and the photo.
    pub ink_level: u8,
    /// Grey level below which a pixel may be ink: enough to explain sure ink on the other side
    /// (blur and JPEG lighten thin strokes).
    pub faint_ink_level: u8,
    /// Ink within this many pixels on the other side explains a pixel.
    pub ink_radius: usize,
    /// How a segment of a line is scored against the approved page.
    pub measure: Measure,
    /// Score at or above which a line is flagged: unexplained ink pixels in one window
    /// ([`Measure::Ink`]), or 1000 x (1 - window correlation) ([`Measure::Correlation`], see
    /// [`RegionConfig::relative`]).
    pub flag_score: usize,
    /// The same for lines holding critical text (digits, amounts, dates, party names), where a
    /// missed change costs most: lower, so more of them are read.
    pub flag_score_critical: usize,
    /// [`Measure::Correlation`]: box-blur radius applied to the approved page (photos are blurrier)
    /// and to the photo (JPEG noise), pixels.
    pub blur_approved: usize,
    pub blur_photo: usize,
    /// Window width, in line heights.
    pub window_heights: f32,
    /// [`Measure::Correlation`]: score a line by its worst window above its median window (plus
    /// the median above `line_floor`), rather than by its worst window.
    pub relative: bool,
    pub line_floor: f32,
    /// Search radius of the coarse registration (quarter resolution), pixels.
    pub page_search: i32,
    /// Search radius of a segment's offset around the fitted offset field, pixels.
    pub segment_search: i32,
    /// Least thumbnail correlation for the photo to be registered to a page at all.
    pub min_thumbnail_correlation: f32,
    /// Share of approved lines flagged above which the text path takes over.
    pub max_flagged_share: f32,
    /// Ink pixels in a 32 x 32 block outside every approved line that hand over to the text path.
    pub max_stray_ink: usize,
}

impl Default for RegionConfig {
    fn default() -> Self {
        RegionConfig {
            ink_level: 110,
            faint_ink_level: 190,
            ink_radius: 2,
            measure: Measure::Correlation,
            flag_score: 120,
            flag_score_critical: 60,
            blur_approved: 1,
            blur_photo: 1,
            window_heights: 1.0,
            relative: true,
            line_floor: 0.3,
            page_search: 40,
            segment_search: 3,
            min_thumbnail_correlation: 0.1,
            max_flagged_share: 0.3,
            max_stray_ink: 60,
        }
    }
}

impl RegionConfig {
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.max_flagged_share) || !(-1.0..=1.0).contains(&self.min_thumbnail_correlation) {
            return Err("compare.region shares must be within [0, 1]".into());
        }
        if self.faint_ink_level < self.ink_level {
            return Err("compare.region.faint_ink_level must be at least ink_level".into());
        }
        if self.ink_radius > 8 || self.page_search > 200 || self.segment_search > 20 {
            return Err("compare.region search radii are out of range".into());
        }
        Ok(())
    }
}

/// How a line segment of the photo is scored against the approved page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Sure ink on one side with no faint ink near it on the other, counted per window.
    Ink,
    /// Normalised cross-correlation of the (blurred) grey levels per window: blind to contrast and
    /// brightness, so blur and lighting matter less than a changed character.
    Correlation,
}

/// Width of a line segment registered on its own, in line heights.
const SEGMENT_HEIGHTS: f32 = 6.0;
/// Padding around an approved line's box, pixels.
const PAD: f32 = 6.0;

fn clamp_rect(b: [f32; 4], w: usize, h: usize) -> Option<[usize; 4]> {
    let x0 = (b[0] - PAD).floor().clamp(0.0, w as f32) as usize;
    let y0 = (b[1] - PAD).floor().clamp(0.0, h as f32) as usize;
    let x1 = (b[2] + PAD).ceil().clamp(0.0, w as f32) as usize;
    let y1 = (b[3] + PAD).ceil().clamp(0.0, h as f32) as usize;
    (x1 > x0 + 2 && y1 > y0 + 2).then_some([x0, y0, x1, y1])
}

/// How one approved line compared.
#[derive(Debug, Clone, Copy)]
struct LineCheck {
    offset: (i32, i32),
    score: usize,
}

/// Segments of a line rectangle, `seg_w` wide.
fn segments(rect: [usize; 4], seg_w: usize) -> impl Iterator<Item = [usize; 4]> {
    let mut x = rect[0];
    std::iter::from_fn(move || {
        (x < rect[2]).then(|| {
            let s = [x, rect[1], (x + seg_w).min(rect[2]), rect[3]];
            x = s[2];
            s
        })
    })
}

/// Register and compare each approved line.
///
/// The sheet's corners are found to a few pixels, so the flattened photo can be shifted, scaled or
/// skewed against the approved page by up to a few percent: pieces of every line are matched on
/// quarter-resolution images over a wide window, an affine field of offsets is fitted to them
/// (outliers dropped), and every segment then refines its own offset around the field.
fn check_lines(
    approved: &Gray8,
    photo: &Gray8,
    lines: &[ApprovedLine],
    cfg: &RegionConfig,
) -> (Vec<Option<LineCheck>>, Affine, Gray8) {
    let (w, h) = (approved.width(), approved.height());
    let identity = Affine([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
    let (Ok(qa), Ok(qp)) = (shrink(approved, COARSE), shrink(photo, COARSE)) else {
        return (vec![None; lines.len()], identity, photo.clone());
    };
    let radius = (cfg.page_search / COARSE as i32).max(1);
    let mut samples = Vec::new();
    for l in lines {
        let Some(rect) = clamp_rect(l.bbox, w, h) else { continue };
        let line_h = (l.bbox[3] - l.bbox[1]).max(8.0);
        for seg in segments(rect, ((3.0 * SEGMENT_HEIGHTS * line_h) as usize).max(32)) {
            let q = seg.map(|v| v / COARSE);
            if q[2] <= q[0] + 2 || q[3] <= q[1] + 2 {
                continue;
            }
            let (cx, cy) = best_offset(&qa, &qp, q, (0, 0), radius, 1, 1);
            let around = (cx * COARSE as i32, cy * COARSE as i32);
            let (dx, dy) = best_offset(approved, photo, seg, around, COARSE as i32, 1, 2);
            if ncc(approved, photo, seg, dx, dy, 2) > 0.5 {
                let (x, y) = ((seg[0] + seg[2]) as f64 / 2.0, (seg[1] + seg[3]) as f64 / 2.0);
                samples.push((x, y, f64::from(dx), f64::from(dy)));
            }
        }
    }
    let mut field = OffsetField::fit(&samples);
    if let Some(f) = field {
        let kept: Vec<_> = samples
            .iter()
            .copied()
            .filter(|&(x, y, dx, dy)| {
                let (px, py) = f.at(x, y);
                (px - dx).abs() <= 3.0 && (py - dy).abs() <= 3.0
            })
            .collect();
        field = OffsetField::fit(&kept).or(field);
    }
    let field = field.unwrap_or(OffsetField { dx: [0.0; 3], dy: [0.0; 3] });
    // Approved-page pixels to photo pixels; the photo is resampled onto the approved page so that a
    // scale or skew does not spread misregistration along a line.
    let to_photo = Affine([
        [(1.0 + field.dx[1]) as f32, field.dx[2] as f32, field.dx[0] as f32],
        [field.dy[1] as f32, (1.0 + field.dy[2]) as f32, field.dy[0] as f32],
    ]);
    let Ok(mut registered) = Gray8::zeros(w, h) else { return (vec![None; lines.len()], identity, photo.clone()) };
    warp_affine(photo, &to_photo, &mut registered);
    let photo = &registered;

    let checks = lines
        .iter()
        .map(|l| {
            let rect = clamp_rect(l.bbox, w, h)?;
            let line_h = (l.bbox[3] - l.bbox[1]).max(8.0);
            let offset = best_offset(approved, photo, rect, (0, 0), cfg.segment_search, 1, 2);
            let mut score = 0;
            let mut windows = Vec::new();
            for seg in segments(rect, ((SEGMENT_HEIGHTS * line_h) as usize).max(16)) {
                let (dx, dy) = best_offset(approved, photo, seg, offset, cfg.segment_search, 1, 1);
                let (sw, sh) = (seg[2] - seg[0], seg[3] - seg[1]);
                let win = (cfg.window_heights * line_h) as usize;
                match cfg.measure {
                    Measure::Ink => {
                        let a = ink_mask(approved, seg, 0, 0, cfg.ink_level);
                        let b = ink_mask(photo, seg, dx, dy, cfg.ink_level);
                        let fa = ink_mask(approved, seg, 0, 0, cfg.faint_ink_level);
                        let fb = ink_mask(photo, seg, dx, dy, cfg.faint_ink_level);
                        score = score.max(unexplained(&a, &b, &fa, &fb, sw, sh, cfg.ink_radius, win));
                    }
                    Measure::Correlation => {
                        let mut a = patch(approved, seg, 0, 0);
                        let mut b = patch(photo, seg, dx, dy);
                        erase_rules(&mut a, &mut b, sw, sh);
                        box_blur(&mut a, sw, sh, cfg.blur_approved);
                        box_blur(&mut b, sw, sh, cfg.blur_photo);
                        correlation_windows(&a, &b, sw, sh, win, &mut windows);
                    }
                }
            }
            if cfg.measure == Measure::Correlation {
                score = line_score(&mut windows, cfg.relative, cfg.line_floor);
            }
            Some(LineCheck { offset, score })
        })
        .collect();
    (checks, to_photo, registered)
}

/// How far below the paper around it (the image closed by [`STRAY_INK_RADIUS`]) a pixel must be to
/// count as ink for the stray-ink test: relative to its surroundings, so that a shadow the lighting
/// correction left is not ink, and blurred strokes, which seldom reach the sure-ink level, still are.
const STRAY_INK_CONTRAST: u8 = 70;

/// Radius of the closing that gives each pixel its paper level: strokes are at most 8 px wide at 150
/// dpi (a bold title, blurred by the photo), shadows and the sheet's surroundings much wider. With the
/// brightest pixel of each 32 x 32 block as paper instead, the edge of a hard shadow crossing a block
/// counted as hundreds of ink pixels and sent most shadowed photos to the text path.
const STRAY_INK_RADIUS: usize = 10;

/// `img` divided by its own closing (the paper around each pixel, [`STRAY_INK_RADIUS`]): what the
/// page's lighting correction, which estimates paper over 48-px blocks, leaves of a hard shadow's
/// edge (a dark band along it) becomes white paper, and strokes keep their contrast to the paper
/// next to them, so lines in and out of shadow compare alike.
fn paper_to_white(img: &Gray8) -> Result<Gray8, PipelineError> {
    let paper = closing(img, STRAY_INK_RADIUS)?;
    let mut out = img.clone();
    for (v, &p) in out.data_mut().iter_mut().zip(paper.data()) {
        *v = if p == 0 { 255 } else { ((u32::from(*v) * 255 + u32::from(p) / 2) / u32::from(p)).min(255) as u8 };
    }
    Ok(out)
}

/// Largest count of ink pixels in a 32 x 32 block of the registered photo that the approved page
/// does not explain: blocks where the approved page has less than a quarter of the photo's ink (a
/// line added in a gap, a sentence that wrapped onto a new line), away from the page's edges.
fn stray_ink(approved: &Gray8, registered: &Gray8) -> usize {
    const B: usize = 32;
    let (w, h) = (registered.width().min(approved.width()), registered.height().min(approved.height()));
    let margin = w.min(h) / 25;
    let (bw, bh) = (w.div_ceil(B), h.div_ceil(B));
    let (Ok(photo_paper), Ok(approved_paper)) =
        (closing(registered, STRAY_INK_RADIUS), closing(approved, STRAY_INK_RADIUS))
    else {
        return usize::MAX;
    };
    let mut photo_ink = vec![0usize; bw * bh];
    let mut approved_ink = vec![0usize; photo_ink.len()];
    for y in margin..h.saturating_sub(margin) {
        let (rp, ra) = (registered.row(y), approved.row(y));
        let (pp, pa) = (photo_paper.row(y), approved_paper.row(y));
        for x in margin..w.saturating_sub(margin) {
            let b = (y / B) * bw + x / B;
            photo_ink[b] += usize::from(rp[x].saturating_add(STRAY_INK_CONTRAST) < pp[x]);
            approved_ink[b] += usize::from(ra[x].saturating_add(STRAY_INK_CONTRAST) < pa[x]);
        }
    }
    photo_ink.iter().zip(&approved_ink).filter(|&(&p, &a)| a * 4 < p).map(|(&p, _)| p).max().unwrap_or(0)
}

/// Read the regions of `lines` (approved boxes shifted by each line's offset) on `page`.
pub(super) fn read_regions(
    page: &Rgb8,
    boxes: &[[f32; 4]],
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
) -> Result<Vec<TextLine>, PipelineError> {
    let quads: Vec<[[f32; 2]; 4]> =
        boxes.iter().map(|b| [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]).collect();
    let Some(engine) = engine else {
        let mut lines = ppocr.recognise_each(page, &quads)?;
        lines.retain(|l| !l.text.trim().is_empty());
        return Ok(lines);
    };
    // Another engine reads each region cut out on its own.
    let mut out = Vec::new();
    for b in boxes {
        let (x0, y0) = (b[0].max(0.0) as usize, b[1].max(0.0) as usize);
        let (x1, y1) = ((b[2].max(0.0) as usize).min(page.width()), (b[3].max(0.0) as usize).min(page.height()));
        if x1 <= x0 + 1 || y1 <= y0 + 1 {
            continue;
        }
        let mut data = Vec::with_capacity((x1 - x0) * (y1 - y0) * 3);
        for y in y0..y1 {
            data.extend_from_slice(&page.row(y)[x0 * 3..x1 * 3]);
        }
        let crop = Rgb8::new(x1 - x0, y1 - y0, data)?;
        for mut l in engine.read(&crop)?.lines {
            for p in &mut l.polygon {
                p[0] += x0 as f32;
                p[1] += y0 as f32;
            }
            out.push(l);
        }
    }
    Ok(out)
}

/// The approved page a photo was registered to, and each line's score under each configuration.
pub type LineScores = (usize, Vec<Vec<usize>>);

/// For calibration: the photo flattened, registered to its best approved page, and each approved
/// line's pixel-difference score under each of `configs`. `None` when the photo has no sheet or no
/// approved page of its shape.
pub fn line_scores(
    original: &ApprovedOriginal,
    photo: &Rgb8,
    page_cfg: &PageConfig,
    configs: &[RegionConfig],
) -> Result<Option<LineScores>, PipelineError> {
    let Ok(flat) = flatten_page(photo, page_cfg)? else { return Ok(None) };
    let flat_gray = to_gray(&flat.image);
    let Some((page_index, turns, _)) = pick_page(original, &flat_gray) else { return Ok(None) };
    let page = &original.pages[page_index];
    let Some(approved) = &page.image else { return Ok(None) };
    let photo_gray = rotate_gray(&flat_gray, turns)?;
    let scores = configs
        .iter()
        .map(|c| {
            check_lines(approved, &photo_gray, &extend_right(&page.lines), c)
                .0
                .iter()
                .map(|l| l.map_or(usize::MAX, |l| l.score))
                .collect()
        })
        .collect();
    Ok(Some((page_index, scores)))
}

/// Each approved line's box widened to the right up to the next box on its row, or to the right
/// edge of the text: text appended after a line's end (a sentence added where a paragraph ended
/// short) is then compared, and read, with the line.
fn extend_right(lines: &[ApprovedLine]) -> Vec<ApprovedLine> {
    let right = lines.iter().map(|l| l.bbox[2]).fold(0f32, f32::max);
    lines
        .iter()
        .map(|l| {
            let [x0, y0, x1, y1] = l.bbox;
            let same_row = |o: &ApprovedLine| {
                let overlap = (y1.min(o.bbox[3]) - y0.max(o.bbox[1])).max(0.0);
                overlap > 0.5 * (y1 - y0).min(o.bbox[3] - o.bbox[1])
            };
            let limit =
                lines.iter().filter(|o| o.bbox[0] >= x1 && same_row(o)).map(|o| o.bbox[0] - PAD).fold(right, f32::min);
            ApprovedLine { text: l.text.clone(), bbox: [x0, y0, x1.max(limit), y1] }
        })
        .collect()
}

/// Whether `text` holds a critical span (see [`super::critical`]).
fn is_critical(text: &str, parties: &[Vec<char>]) -> bool {
    let chars: Vec<char> = crate::text::normalize_with_sources(text).into_iter().map(|c| c.0).collect();
    !super::critical::critical_spans(&chars, parties).is_empty()
}

/// `h` after `a`: approved-page pixels through the registration affine, then the flat page's homography.
fn compose(h: &Homography, a: &Affine) -> Homography {
    let m = a.0;
    let a3 = [
        [f64::from(m[0][0]), f64::from(m[0][1]), f64::from(m[0][2])],
        [f64::from(m[1][0]), f64::from(m[1][1]), f64::from(m[1][2])],
        [0.0, 0.0, 1.0],
    ];
    let hm = h.0;
    let mut out = [[0f64; 3]; 3];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (0..3).map(|k| hm[i][k] * a3[k][j]).sum();
        }
    }
    Homography(out)
}

/// Compare `photo` with `original` on the region path; hands over to the text path (and says so in
/// [`Comparison::fallback`]) when the photo cannot be registered or too much of it differs.
pub fn compare_region(
    original: &ApprovedOriginal,
    photo: &Rgb8,
    page_cfg: &PageConfig,
    ppocr: &PpOcr,
    engine: Option<&dyn OcrEngine>,
    cfg: &CompareConfig,
) -> Result<Comparison, PipelineError> {
    let t0 = Instant::now();
    if original.pages.is_empty() {
        return Err(CompareError::NoPages.into());
    }
    if original.pages.iter().all(|p| p.image.is_none()) {
        return Err(CompareError::NoImage.into());
    }
    let fallback = |why: String| -> Result<Comparison, PipelineError> {
        let mut c = compare_text(original, photo, page_cfg, ppocr, engine, cfg)?;
        c.fallback = Some(why);
        c.timings.total = t0.elapsed();
        Ok(c)
    };
    let flat: FlatPage = match flatten_page(photo, page_cfg)? {
        Ok(f) => f,
        Err(why) => return fallback(format!("no sheet outline: {why:?}")),
    };
    let flat_gray = to_gray(&flat.image);
    let Some((page_index, turns, corr)) = pick_page(original, &flat_gray) else {
        return fallback("no approved page of the photo's shape".into());
    };
    if corr < cfg.region.min_thumbnail_correlation {
        return fallback(format!("no approved page looks like the photo (correlation {corr:.2})"));
    }
    let page: &ApprovedPage = &original.pages[page_index];
    let Some(approved) = &page.image else { return Err(CompareError::NoImage.into()) };
    let photo_gray = paper_to_white(&rotate_gray(&flat_gray, turns)?)?;
    let mut red_ink: RedInkMap = flat.red_ink.clone();
    for _ in 0..turns {
        red_ink = red_ink.rotated_ccw();
    }
    let normalise = t0.elapsed();

    let t = Instant::now();
    let lines = extend_right(&page.lines);
    let (checks, to_photo, registered) = check_lines(approved, &photo_gray, &lines, &cfg.region);
    let flagged: Vec<usize> = (0..page.lines.len())
        .filter(|&i| {
            let limit = if is_critical(&page.lines[i].text, &original.parties) {
                cfg.region.flag_score_critical
            } else {
                cfg.region.flag_score
            };
            checks[i].is_none_or(|c| c.score >= limit)
        })
        .collect();
    let stray = stray_ink(approved, &registered);

    tracing::debug!(
        page = page_index,
        turns,
        correlation = corr,
        stray,
        flagged = ?flagged,
        scores = ?checks.iter().map(|c| c.map(|c| c.score)).collect::<Vec<_>>(),
        "region path: lines compared as pixels"
    );
    let compare_pixels = t.elapsed();
    if stray > cfg.region.max_stray_ink {
        return fallback(format!("ink outside the approved lines ({stray} pixels in one block)"));
    }
    if flagged.len() as f32 > cfg.region.max_flagged_share * page.lines.len() as f32 {
        return fallback(format!("{} of {} lines differ as pixels", flagged.len(), page.lines.len()));
    }

    // Read the flagged lines where they are on the photo, run by run.
    let t = Instant::now();
    let mut turned = flat.image.clone();
    if turns > 0 {
        turned = crate::page::rotate_ccw(&turned, turns)?;
    }
    // The photo on the approved page's pixels, as the lines were compared.
    let mut rgb = Rgb8::zeros(turned.width(), turned.height())?;
    if !flagged.is_empty() {
        warp_affine(&turned, &to_photo, &mut rgb);
    }
    let mut diff = LinesDiff::default();
    let mut read_count = 0;
    let mut i = 0;
    while i < flagged.len() {
        let mut j = i + 1;
        while j < flagged.len() && flagged[j] == flagged[j - 1] + 1 {
            j += 1;
        }
        let run = &flagged[i..j];
        let boxes: Vec<[f32; 4]> = run
            .iter()
            .map(|&k| {
                let (dx, dy) = checks[k].map_or((0, 0), |c| c.offset);
                let b = lines[k].bbox;
                let pad = 0.15 * (b[3] - b[1]);
                [b[0] + dx as f32 - pad, b[1] + dy as f32 - pad, b[2] + dx as f32 + pad, b[3] + dy as f32 + pad]
            })
            .collect();
        let found = read_regions(&rgb, &boxes, ppocr, engine)?;
        read_count += run.len();
        let expected: Vec<(usize, &ApprovedLine)> = run.iter().map(|&k| (k, &page.lines[k])).collect();
        diff.absorb(diff_lines(&expected, &found, &red_ink, &original.parties, cfg)?);
        i = j;
    }
    // Lines that matched as pixels count as equal text.
    for (k, l) in page.lines.iter().enumerate() {
        if !flagged.contains(&k) {
            let n = crate::text::normalize_with_sources(&l.text).len();
            diff.same += n;
            diff.expected_len += n;
            diff.found_len += n;
        }
    }
    let read = t.elapsed();
    let similarity = diff.similarity();
    let page_to_photo = compose(&flat.page_to_photo(turns)?, &to_photo);
    to_photo_boxes(&mut diff.differences, &page_to_photo);
    let (verdict, reasons) = decide(Some(page_index), similarity, &diff.differences, cfg);
    Ok(Comparison {
        verdict,
        similarity,
        page: Some(page_index),
        differences: diff.differences,
        reasons,
        path: ComparePath::Region,
        engine: engine.map_or(ppocr.name(), |e| e.name()),
        rotation: (turns % 4 * 90) as u16,
        regions_compared: page.lines.len(),
        regions_read: read_count,
        lines_reread: 0,
        misreadings_resolved: 0,
        changes_confirmed: 0,
        fallback: None,
        timings: CompareTimings { normalise, read, compare: compare_pixels, total: t0.elapsed() },
    })
}

#[cfg(test)]
mod tests {
    use super::super::register::{rotate_thumb, thumbnail};
    use super::*;

    fn page_with_text(lines: &[(usize, usize, usize)], w: usize, h: usize) -> Gray8 {
        // Each line: y, x0, x1 — a row of 20x24 "characters" with gaps.
        let mut d = vec![250u8; w * h];
        for &(y, x0, x1) in lines {
            let (mut x, mut k) = (x0, 0usize);
            while x + 20 <= x1 {
                for yy in y..y + 24 {
                    for xx in x..x + 20 {
                        if (xx + yy) % 3 != 0 {
                            d[yy * w + xx] = 30;
                        }
                    }
                }
                // Uneven gaps, as real text has: a periodic row would register at any period.
                k += 1;
                x += 24 + (k * 7 + y) % 13;
            }
        }
        Gray8::new(w, h, d).expect("page")
    }

    fn shift(img: &Gray8, dx: i32, dy: i32) -> Gray8 {
        let (w, h) = (img.width(), img.height());
        let mut d = vec![250u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = (x as i32 - dx, y as i32 - dy);
                if sx >= 0 && sy >= 0 && (sx as usize) < w && (sy as usize) < h {
                    d[y * w + x] = img.pixel(sx as usize, sy as usize)[0];
                }
            }
        }
        Gray8::new(w, h, d).expect("shifted")
    }

    #[test]
    fn registration_finds_the_shift_and_a_changed_character() {
        let lines = [(100, 100, 500), (160, 100, 420), (220, 100, 500)];
        let approved = page_with_text(&lines, 640, 400);
        let photo = shift(&approved, 5, -3);
        let boxes: Vec<ApprovedLine> = lines
            .iter()
            .map(|&(y, x0, x1)| ApprovedLine {
                text: "x".into(),
                bbox: [x0 as f32, y as f32, x1 as f32, y as f32 + 24.0],
            })
            .collect();
        let cfg = RegionConfig::default();
        let (checks, to_photo, registered) = check_lines(&approved, &photo, &boxes, &cfg);
        // The registration maps approved pixels 5 right and 3 up onto the photo.
        let (x, y) = to_photo.apply(300.0, 150.0);
        assert!((x - 305.0).abs() < 1.0 && (y - 147.0).abs() < 1.0, "{x} {y}");
        for c in &checks {
            let c = c.expect("checked");
            assert!(c.offset.0.abs() <= 1 && c.offset.1.abs() <= 1, "{:?}", c.offset);
            assert!(c.score < cfg.flag_score, "{}", c.score);
        }
        // Blank out one "character" of the second line on the photo.
        let mut changed = photo.clone();
        let w = changed.width();
        for y in 157..181 {
            for x in 133..153 {
                changed.data_mut()[y * w + x] = 250;
            }
        }
        let (checks, _, _) = check_lines(&approved, &changed, &boxes, &cfg);
        assert!(checks[1].expect("checked").score >= cfg.flag_score);
        assert!(checks[0].expect("checked").score < cfg.flag_score);
        assert_eq!(stray_ink(&approved, &registered), 0);
        // A new line of text in the gap below the last line is stray ink.
        let mut added = registered.clone();
        for y in 262..286 {
            for x in 100..300 {
                if x % 5 != 0 {
                    added.data_mut()[y * w + x] = 30;
                }
            }
        }
        assert!(stray_ink(&approved, &added) > cfg.max_stray_ink);
        // A hard shadow over the right part of the page (paper and text 100 levels darker) is not.
        let mut shadowed = registered.clone();
        for y in 0..shadowed.height() {
            for x in w * 3 / 5..w {
                let v = &mut shadowed.data_mut()[y * w + x];
                *v = v.saturating_sub(100);
            }
        }
        assert!(stray_ink(&approved, &shadowed) <= cfg.max_stray_ink, "{}", stray_ink(&approved, &shadowed));
    }

    #[test]
    fn thumbnails_turn_like_pages() {
        let img = page_with_text(&[(40, 20, 200)], 256, 128);
        let (w, h, t) = thumbnail(&img);
        let turned = rotate_gray(&img, 1).expect("turn");
        let (w2, h2, t2) = thumbnail(&turned);
        let (w3, h3, t3) = rotate_thumb(w, h, &t);
        assert_eq!((w2, h2), (w3, h3));
        let r: f32 = t2.iter().zip(&t3).map(|(a, b)| a * b).sum();
        assert!(r > 0.99, "{r}");
        // Empty images give empty thumbnails, not a panic.
        let empty = Gray8::zeros(0, 0).expect("empty");
        assert!(thumbnail(&empty).2.is_empty());
    }
}
