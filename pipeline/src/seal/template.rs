//! Compare an impression with a registered seal (印模): both unwrapped around their fitted outlines
//! into radius-normalised polar images (see `polar.rs`) and aligned over every rotation by normalised
//! cross-correlation (see `ncc.rs`); then, turned back by that rotation onto a normalised canvas
//! (see `canvas.rs`), compared window by window (a quarter of the radius, about one character) where
//! the impression is visible.
//!
//! Invariant to rotation (a circular shift), to scale (radii are normalised by the fitted outline,
//! so the ±10% of a different stamping pressure or photo resolution does not matter; `scale` reports
//! it) and to the ellipse or rectangle's own angle. The similarity is the lowest window score, so one
//! different character in a company name, or a star of another size, scores low even though the
//! ring and the other characters match; `similarity_elsewhere`, the lowest score among the windows
//! that share no cell with the worst one, says whether the difference is confined to that one place
//! (see `elsewhere.rs`). Parts of the impression that are missing (cut, lifted) or
//! hidden by black text are not compared; `visible_share` says how much of the registered seal could
//! be checked, so that a partial impression goes to review rather than being called a wrong seal.
//!
//! Measured (`lookalike_margins`, 2 company names x 3 generated seals of different fonts, opacity and
//! rotation, on white and over text; the template a clean upright stamp of the same seal; windows
//! correlated on the smoothed ink tone): the right seal scores 0.95-0.98; the most similar of four
//! one-character look-alikes per seal 0.78-0.89, below the right seal by 0.08-0.19 for each seal
//! (0.02-0.22 on the class occupancy used before). The closest are substitutions sharing a radical
//! in a bold face (信/倍, 远/运, 设/没), whose strokes merge at 150 dpi. A star 20% smaller scores
//! 0.62-0.80, 10% smaller 0.89-0.95: smoothing softens the star's edges, which the occupancy kept
//! (at most 0.43 and 0.60-0.78). Over a text line about 7% of the seal is hidden (`visible_share`
//! 0.92-0.93). A caller's threshold must sit above 0.89 to refuse all of these look-alikes.

use serde::Serialize;

use super::canvas::{Canvas, EXTENT, SIDE, WindowScore, best_offset, content_rho, render, smooth_into, window_scores};
use super::elsewhere::{worst_elsewhere, worst_window};
use super::geometry::turn_fraction;
use super::impressions::{MIN_SIDE, impressions_in};
use super::label_strip::{find_label, label_strip};
use super::lettering::lettering_weight;
use super::ncc::best_shifts;
use super::polar::{N_RHO, N_THETA, Polar, RHO_MAX, unwrap};
use super::segment::{InkLayers, paper_block, segment_region};
use super::star::{Star, find_star};
use super::strokes::stroke_diff;
use super::{Impression, InkColour, SealConfig, SealShape};
use crate::image::{Rgb8, checked_len};
use crate::{ImageError, PipelineError};

/// A template's paper blocks over a page's of the same short side (see `from_image`).
const TEMPLATE_BLOCK_FACTOR: usize = 4;
/// Fewest windows that must be compared for a similarity above 0.
const MIN_WINDOWS: usize = 6;
/// Columns either side of a bin within which the ring must be present for the bin to count as
/// visible (the ring has small gaps of texture and text crossings).
const RING_REACH: usize = 3;

/// A registered seal's descriptor: its outline and its ink unwrapped around it.
#[derive(Debug, Clone, PartialEq)]
pub struct SealTemplate {
    shape: SealShape,
    colour: InkColour,
    polar: Polar,
    canvas: Canvas,
    /// `canvas` smoothed (see [`smooth_into`]): what the windows are correlated with.
    smooth: Canvas,
    /// Normalised radius up to which the content is compared (inside the ring or border).
    content: f64,
    /// The name band unrolled (see [`super::ring_strip`]), for round templates.
    name_strip: Option<Rgb8>,
    /// Where the label is (see [`super::label_strip`]; normalised, the frame turned by
    /// `label_turn`) and the label cut out, for round and oval templates that have one.
    label: Option<([f64; 4], Rgb8)>,
    /// Turn of the template's frame that puts its label upright: half a turn when the fitted
    /// ellipse's first axis points left.
    label_turn: f64,
    /// The central emblem on `smooth` (see [`super::star`]), for seals that have one.
    star: Option<Star>,
}

/// How an impression compares with a template.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TemplateMatch {
    /// 0..1: the lowest correlation over the compared windows (0 when too little could be compared,
    /// or the outlines are of different kinds: round against rectangular, or aspects that differ by
    /// more than [`SealConfig::template_max_aspect_change`]).
    pub similarity: f32,
    /// Clockwise rotation of the impression relative to the template, degrees in `(-180, 180]`.
    pub rotation_deg: f32,
    /// Impression size over template size (equivalent radii).
    pub scale: f32,
    /// Share of the template's ink that falls where the impression is visible, 0..1.
    pub visible_share: f32,
    /// The worst window's share of page strokes with no template stroke near (see `strokes.rs`).
    pub extra_strokes: f32,
    /// The worst printed window's share of template strokes with no page stroke near.
    pub missing_strokes: f32,
    /// The outlines are of different kinds (round against rectangular) or aspects: another seal
    /// whatever its content.
    pub outline_differs: bool,
    /// 0..1: the median window's correlation. Pale or unevenly inked areas of the right seal pull
    /// down a few windows and leave the median; another typeface, label or layout changes most
    /// windows (0 when too little could be compared).
    pub typical_similarity: f32,
    /// The impression's central emblem (star) size over the template's, each normalised by its
    /// outline (see `seal/star.rs`), and its correlation there; `None` when the template has no
    /// emblem or too little of the impression's is visible.
    pub star_scale: Option<f32>,
    pub star_match: Option<f32>,
    /// How heavily the impression's lettering printed against its star, each over the template's
    /// (see `seal/lettering.rs`): another typeface's strokes are heavier or lighter. `None` without
    /// a star to refer to, or too little of either seen.
    pub lettering_weight: Option<f32>,
    /// 0..1: the lowest correlation among the windows that share no cell with the worst one (see
    /// `seal/elsewhere.rs`): near 1 with a low [`similarity`](Self::similarity), the difference is
    /// confined to one character. 0 when there is no such window or too little could be compared.
    pub similarity_elsewhere: f32,
    /// The worst window's centre in the template's normalised frame (outline at radius 1, x to the
    /// right, y down); `None` when too little could be compared.
    pub worst_window: Option<[f32; 2]>,
    /// Where the worst window's centre falls across the template's label, as a share of the
    /// label's width from its first character (0..1), when it lies on the label; `None` otherwise,
    /// without a label, or when too little could be compared.
    pub worst_across_label: Option<f32>,
}

impl TemplateMatch {
    fn none(scale: f32) -> TemplateMatch {
        TemplateMatch {
            similarity: 0.0,
            rotation_deg: 0.0,
            scale,
            visible_share: 0.0,
            extra_strokes: 0.0,
            missing_strokes: 0.0,
            outline_differs: false,
            typical_similarity: 0.0,
            star_scale: None,
            star_match: None,
            lettering_weight: None,
            similarity_elsewhere: 0.0,
            worst_window: None,
            worst_across_label: None,
        }
    }
}

/// The classes counted as ink of a seal of `colour` (see `impressions.rs`).
fn colour_set(colour: InkColour) -> [bool; 6] {
    match colour {
        InkColour::Red => [false, true, false, true, false, false],
        InkColour::Blue => [false, false, true, true, false, false],
        InkColour::Purple => [false, true, true, true, false, false],
    }
}

impl SealTemplate {
    /// The descriptor of the largest whole impression in `img`, a clean registered impression
    /// (scanned or photographed flat, the seal filling a good part of the image).
    pub fn from_image(img: &Rgb8, cfg: &SealConfig) -> Result<SealTemplate, PipelineError> {
        cfg.validate().map_err(PipelineError::Config)?;
        let (w, h) = (img.width(), img.height());
        if w < MIN_SIDE || h < MIN_SIDE {
            return Err(ImageError::TooSmall { width: w, height: h }.into());
        }
        if checked_len(w, h, 1)? > cfg.max_pixels {
            return Err(ImageError::TooLarge { width: w as u64, height: h as u64, limit: cfg.max_pixels as u64 }.into());
        }
        let short = w.min(h);
        // The seal is most of a template image, not a few percent of a page.
        let cfg = SealConfig { min_diameter_rel: 0.2, max_diameter_rel: 1.5, ..cfg.clone() };
        // Paper blocks four times a page's: the seal fills the image, and on a page's blocks (a
        // fortieth of the short side) the 5 x 5 median of the paper estimate still fell inside a
        // bold star, which left a hole of "paper" in its body that no impression has.
        let block = (paper_block(short, &cfg) * TEMPLATE_BLOCK_FACTOR).min(short.max(1));
        let layers = segment_region(img, [0, 0, w, h], block, &cfg)?;
        let found = impressions_in(&layers, short as f64, &cfg);
        let best = found
            .into_iter()
            .max_by_key(|i| i.ink_pixels)
            .ok_or_else(|| PipelineError::Seal("no seal impression in the template image".into()))?;
        if best.partial {
            return Err(PipelineError::Seal(format!(
                "the template impression is not whole ({:.0}% of its outline)",
                100.0 * best.completeness
            )));
        }
        let degenerate = || PipelineError::Seal("template outline is degenerate".into());
        let colours = colour_set(best.colour);
        let polar = unwrap(&layers, &best.shape, colours).ok_or_else(degenerate)?;
        let content = content_rho(&best.shape, best.measures.ring_thickness_px);
        let canvas = render(&layers, &best.shape, colours, 0.0, content, &|_| true).ok_or_else(degenerate)?;
        let mut smooth = canvas.clone();
        smooth_into(&canvas, &mut smooth);
        // Square personal seals have no emblem: a bold character at their centre is not one.
        let star = if best.shape.is_round() { find_star(&smooth, SIDE as f64 / (2.0 * EXTENT)) } else { None };
        // A registered impression is upright: its bottom points down the image.
        let name_strip = super::ring_strip(&layers, &best.shape, 90.0);
        let label_turn = if shape_angle(&best.shape).to_radians().cos() < 0.0 { std::f64::consts::PI } else { 0.0 };
        let label = find_label(&layers, &best.shape, label_turn)
            .and_then(|b| label_strip(&layers, &best.shape, label_turn, b).map(|strip| (b, strip)));
        Ok(SealTemplate {
            shape: best.shape,
            colour: best.colour,
            polar,
            canvas,
            smooth,
            content,
            name_strip,
            label,
            label_turn,
            star,
        })
    }

    /// The template's fitted outline, in its own image's pixels.
    pub fn shape(&self) -> SealShape {
        self.shape
    }

    pub fn colour(&self) -> InkColour {
        self.colour
    }

    /// The template's name band unrolled into a strip (round templates only), to be read by a
    /// text recogniser and compared with an impression's.
    pub fn name_strip(&self) -> Option<&Rgb8> {
        self.name_strip.as_ref()
    }

    /// The template's label cut out (see [`super::label_strip`]), when it has one.
    pub fn label_strip(&self) -> Option<&Rgb8> {
        self.label.as_ref().map(|(_, strip)| strip)
    }

    /// The same box as [`SealTemplate::label_strip`] cut from `impression` on `layers`, turned as
    /// `matched` (this template's comparison with it) found. `None` when the template has no label,
    /// or the impression's outline is another shape or degenerate.
    pub fn impression_label(
        &self,
        layers: &InkLayers,
        impression: &Impression,
        matched: &TemplateMatch,
    ) -> Option<Rgb8> {
        let (label, _) = self.label.as_ref()?;
        if matched.outline_differs {
            return None;
        }
        // The canvas turn the comparison chose, in the impression's own frame.
        let shift = f64::from(matched.rotation_deg) - shape_angle(&impression.shape) + shape_angle(&self.shape);
        label_strip(layers, &impression.shape, shift.to_radians() + self.label_turn, *label)
    }

    /// Where the point `[x, y]` of this template's normalised frame falls across its label, as a
    /// share of the label's width from its first character, when it lies on the label's box (which
    /// has a margin round the ink); `None` otherwise or without a label.
    fn across_label(&self, [x, y]: [f64; 2]) -> Option<f64> {
        let ([x0, y0, x1, y1], _) = self.label.as_ref()?;
        // The label's box is in the frame turned by `label_turn` (see `label_strip.rs`): turn back.
        let (s, c) = self.label_turn.sin_cos();
        let (tx, ty) = (c * x + s * y, -s * x + c * y);
        let on = (*x0..=*x1).contains(&tx) && (*y0..=*y1).contains(&ty) && x1 > x0;
        on.then(|| ((tx - x0) / (x1 - x0)).clamp(0.0, 1.0))
    }

    /// Compare `impression`, found on `page` by [`super::find_impressions`], with this template.
    pub fn compare(
        &self,
        page: &Rgb8,
        impression: &Impression,
        cfg: &SealConfig,
    ) -> Result<TemplateMatch, PipelineError> {
        cfg.validate().map_err(PipelineError::Config)?;
        let (rt, rp) = (self.shape.equivalent_radius(), impression.shape.equivalent_radius());
        let scale = if rt > 0.0 && rp.is_finite() { rp / rt } else { 0.0 };
        let aspect_change = (impression.shape.aspect() / self.shape.aspect()).ln().abs();
        if self.shape.is_round() != impression.shape.is_round()
            || aspect_change.is_nan()
            || aspect_change > (1.0 + cfg.template_max_aspect_change).ln()
        {
            return Ok(TemplateMatch { outline_differs: true, ..TemplateMatch::none(scale) });
        }
        let (w, h) = (page.width(), page.height());
        let block = paper_block(w.min(h), cfg);
        let b = impression.shape.bbox();
        if b.iter().any(|v| !v.is_finite()) {
            return Ok(TemplateMatch::none(scale));
        }
        let margin = (rp * (RHO_MAX as f32 - 1.0)).max(0.0) + 2.0 * block as f32;
        let to_px = |v: f32| (v.max(0.0) as usize).min(usize::MAX / 2);
        let region =
            [to_px(b[0] - margin), to_px(b[1] - margin), to_px(b[2] + margin + 1.0), to_px(b[3] + margin + 1.0)];
        let layers = segment_region(page, region, block, cfg)?;
        let colours = colour_set(impression.colour);
        let Some(polar) = unwrap(&layers, &impression.shape, colours) else {
            return Ok(TemplateMatch::none(scale));
        };
        let printed = ring_columns(&polar);
        let mask: Vec<bool> = polar
            .valid
            .iter()
            .enumerate()
            .map(|(i, &v)| v && printed.get(i % N_THETA).copied().unwrap_or(false))
            .collect();
        let printed_at = |phi: f64| {
            let column = (turn_fraction(phi) * N_THETA as f64) as usize;
            printed.get(column.min(N_THETA - 1)).copied().unwrap_or(false)
        };
        // Each rotation the polar correlation proposes, judged on the canvas by its median window
        // (the polar image is dominated by the ring and the name; a square's border and corners
        // look alike at every quarter turn).
        let mut best: Option<Aligned> = None;
        // The page canvas smoothed, reused for every proposed rotation.
        let mut smooth = Canvas { ink: Vec::new(), valid: Vec::new() };
        for (shift, _) in best_shifts(&self.polar, &polar, &mask) {
            let turn = (shift * 360.0 / N_THETA as f64).to_radians();
            let Some(canvas) = render(&layers, &impression.shape, colours, turn, self.content, &printed_at) else {
                continue;
            };
            // Windows are correlated on the smoothed tones, strokes compared on the tones themselves.
            smooth_into(&canvas, &mut smooth);
            let offset = best_offset(&self.smooth, &smooth);
            let scores = window_scores(&self.smooth, &smooth, offset);
            let mut sorted: Vec<f64> = scores.iter().map(|w| w.score).collect();
            sorted.sort_by(f64::total_cmp);
            let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
            if best.as_ref().is_none_or(|b| median > b.median) {
                best = Some(Aligned { shift, scores, median, offset, canvas, smooth: smooth.clone() });
            }
        }
        let Some(Aligned { shift, scores, median, offset, canvas, smooth }) = best else {
            return Ok(TemplateMatch::none(scale));
        };
        // The stroke, star and lettering comparisons, once, at the rotation chosen.
        let strokes = stroke_diff(&self.canvas, &canvas, offset);
        let star = self.star.as_ref().and_then(|star| star.scale_on(&smooth, offset));
        let lettering =
            self.star.as_ref().and_then(|star| lettering_weight(&self.canvas, &canvas, offset, star.region()));
        let s = shift.round() as isize;
        let enough = scores.len() >= MIN_WINDOWS;
        let worst = worst_window(&scores).filter(|_| enough);
        let similarity = worst.map_or(0.0, |w| w.score);
        let elsewhere = worst.and_then(|w| worst_elsewhere(&scores, w)).unwrap_or(0.0);
        let shift_deg = shift * 360.0 / N_THETA as f64;
        let rotation = wrap_degrees(shape_angle(&impression.shape) - shape_angle(&self.shape) + shift_deg);
        Ok(TemplateMatch {
            similarity: similarity.clamp(0.0, 1.0) as f32,
            rotation_deg: rotation as f32,
            scale,
            visible_share: visible_share(&self.polar, &mask, s) as f32,
            extra_strokes: strokes.extra as f32,
            missing_strokes: strokes.missing as f32,
            outline_differs: false,
            typical_similarity: if enough { median.clamp(0.0, 1.0) as f32 } else { 0.0 },
            star_scale: star.map(|s| s.scale as f32),
            star_match: star.map(|s| s.ncc as f32),
            lettering_weight: lettering.map(|w| w as f32),
            similarity_elsewhere: elsewhere.clamp(0.0, 1.0) as f32,
            worst_window: worst.map(|w| w.centre().map(|v| v as f32)),
            worst_across_label: worst.and_then(|w| self.across_label(w.centre())).map(|v| v as f32),
        })
    }
}

/// The angle of a shape's first axis, degrees (0 for a circle).
fn shape_angle(s: &SealShape) -> f64 {
    match *s {
        SealShape::Circle { .. } => 0.0,
        SealShape::Ellipse { angle_deg, .. } | SealShape::Rectangle { angle_deg, .. } => f64::from(angle_deg),
    }
}

/// One proposed rotation, compared on the canvas.
struct Aligned {
    shift: f64,
    scores: Vec<WindowScore>,
    median: f64,
    /// Page cells moved by this many against the template's (see `best_offset`).
    offset: (isize, isize),
    /// The page canvas at this rotation, and smoothed.
    canvas: Canvas,
    smooth: Canvas,
}

/// Into `(-180, 180]`.
fn wrap_degrees(d: f64) -> f64 {
    let w = d.rem_euclid(360.0);
    if w > 180.0 { w - 360.0 } else { w }
}

/// Angular columns of `page` where the outline's ring printed, within a few degrees (where it is
/// absent the stamp did not print there: cut off, lifted).
fn ring_columns(page: &Polar) -> Vec<bool> {
    let ring_from = ((0.86 / RHO_MAX) * N_RHO as f64) as usize;
    let ring: Vec<f32> = (0..page.n_theta)
        .map(|t| {
            (ring_from..page.n_rho).map(|r| if page.valid_at(r, t) { page.at(r, t) } else { 0.0 }).fold(0.0, f32::max)
        })
        .collect();
    let mut sorted = ring.clone();
    sorted.sort_by(f32::total_cmp);
    let q90 = sorted.get(sorted.len() * 9 / 10).copied().unwrap_or(0.0);
    let n = page.n_theta;
    (0..n)
        .map(|t| {
            q90 >= 0.05
                && (0..=2 * RING_REACH)
                    .any(|k| ring.get((t + n + k - RING_REACH) % n.max(1)).is_some_and(|&v| v >= 0.25 * q90))
        })
        .collect()
}

/// Share of the template's ink (at `shift`) on visible page bins.
fn visible_share(template: &Polar, mask: &[bool], shift: isize) -> f64 {
    let n = template.n_theta as isize;
    if n == 0 {
        return 0.0;
    }
    let (mut seen, mut total) = (0f64, 0f64);
    for r in 0..template.n_rho {
        for t in 0..template.n_theta {
            let v = f64::from(template.at(r, t));
            total += v;
            let page_t = (t as isize + shift).rem_euclid(n) as usize;
            if mask.get(r * template.n_theta + page_t).copied().unwrap_or(false) {
                seen += v;
            }
        }
    }
    if total > 0.0 { seen / total } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::testutil::{blank_page, rendered_page, seal_params, stamp_on, to_rgb8};
    use crate::seal::{OutlineMeasures, find_impressions};
    use sealgate_datasets::documents::seal::{SealParams, imprint, stamp};

    const COMPANY: &str = "上海华信科技有限公司";
    const LOOKALIKE: &str = "上海华倍科技有限公司";
    const OTHER: &str = "上海华新科技有限公司";

    /// The registered impression: the seal alone, upright, on white.
    fn template_of(p: &SealParams) -> SealTemplate {
        let side = (p.diameter * 1.3) as u32;
        let mut img = blank_page(side, side);
        let mut q = p.clone();
        q.center = [side as f32 / 2.0, side as f32 / 2.0];
        q.angle_deg = 0.0;
        stamp_on(&mut img, &q);
        SealTemplate::from_image(&to_rgb8(&img), &SealConfig::default()).expect("template")
    }

    /// The same seal stamped again: other ink texture and opacity, rotated, on a rendered page.
    fn stamped(p: &SealParams, seed: u64, angle: f32, centre: [f32; 2]) -> SealParams {
        let mut q = p.clone();
        q.ink_seed = p.ink_seed ^ (seed.wrapping_mul(0x9E37_79B9));
        q.alpha = (p.alpha * 0.9).max(0.5);
        q.angle_deg = angle;
        q.center = centre;
        q
    }

    fn compare_on_page(t: &SealTemplate, page: &image::RgbImage) -> (Impression, TemplateMatch) {
        let page = to_rgb8(page);
        let cfg = SealConfig::default();
        let found = find_impressions(&page, &cfg).expect("find");
        assert_eq!(found.len(), 1, "{found:?}");
        let m = t.compare(&page, &found[0], &cfg).expect("compare");
        (found[0].clone(), m)
    }

    /// The look-alike with a smaller star: the seal's mask with its star erased and redrawn at 80%.
    fn small_star_page(p: &SealParams, page: &mut image::RgbImage, scale: f32) {
        let mut im = imprint(p).expect("fonts");
        let (w, h) = (im.mask.width, im.mask.height);
        let (c, r) = (w as f32 / 2.0, p.diameter / 2.0);
        let star_c = [c, c - r * 0.03];
        for y in 0..h {
            for x in 0..w {
                let d = ((x as f32 + 0.5 - star_c[0]).powi(2) + (y as f32 + 0.5 - star_c[1]).powi(2)).sqrt();
                if d < r * 0.32 {
                    im.mask.data[y * w + x] = 0.0;
                }
            }
        }
        let star_r = r * 0.3 * scale;
        let pts: Vec<[f32; 2]> = (0..10)
            .map(|k| {
                let a = -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
                let rr = if k % 2 == 0 { star_r } else { star_r * 0.382 };
                [star_c[0] + rr * a.cos(), star_c[1] + rr * a.sin()]
            })
            .collect();
        let mut star = sealgate_datasets::documents::raster::Mask::new(w, h);
        star.fill_polygon(&pts);
        for (v, s) in im.mask.data.iter_mut().zip(&star.data) {
            *v = v.max(s * p.alpha * 0.85);
        }
        stamp(page, &im, p.center, p.angle_deg);
    }

    #[test]
    fn the_right_seal_matches_at_any_rotation_and_look_alikes_do_not() {
        let p = seal_params(21, COMPANY, "合同专用章", [0.0, 0.0], 0.0);
        let t = template_of(&p);
        let (page0, lines) = rendered_page(11);
        let line = lines[lines.len() / 3];
        let centre = [(line[0] + line[2]) / 2.0, (line[1] + line[3]) / 2.0];

        let mut right = Vec::new();
        for (i, angle) in [37.0f32, -120.0, 170.0].into_iter().enumerate() {
            let mut page = page0.clone();
            stamp_on(&mut page, &stamped(&p, i as u64 + 1, angle, centre));
            let (_, m) = compare_on_page(&t, &page);
            let err = wrap_degrees(f64::from(m.rotation_deg - angle)).abs();
            assert!(err < 2.0, "rotation {} for {angle}", m.rotation_deg);
            // Text lines under the seal hide a part of it.
            assert!((m.scale - 1.0).abs() < 0.03 && m.visible_share > 0.6, "{m:?}");
            assert!(m.star_scale.is_some_and(|s| (s - 1.0).abs() < 0.05), "{m:?}");
            // What differs is spread thin: the worst window is about as good as the rest.
            assert!(m.similarity_elsewhere - m.similarity < 0.05, "{m:?}");
            right.push(m.similarity);
        }
        let one_char = |company: &str, seed: u64| {
            let mut q = p.clone();
            q.company = company.into();
            let mut page = page0.clone();
            stamp_on(&mut page, &stamped(&q, seed, 37.0, centre));
            compare_on_page(&t, &page).1
        };
        let lookalike = one_char(LOOKALIKE, 7);
        let other = one_char(OTHER, 9);
        // Both differ in the fourth character (信), upper left, and only there: every window apart
        // from it fits as a right seal's do (see `elsewhere.rs`).
        for m in [&lookalike, &other] {
            assert!(m.similarity_elsewhere > 0.93 && m.similarity_elsewhere - m.similarity > 0.1, "{m:?}");
            let [x, y] = m.worst_window.expect("a worst window");
            assert!((-0.55..-0.3).contains(&x) && (-0.8..-0.55).contains(&y), "{m:?}");
        }

        let mut page = page0.clone();
        small_star_page(&stamped(&p, 8, 37.0, centre), &mut page, 0.8);
        let (_, star) = compare_on_page(&t, &page);

        let worst_right = right.iter().copied().fold(1.0f32, f32::min);
        eprintln!(
            "right {right:?}; one character: {LOOKALIKE} {:.3}, {OTHER} {:.3}; star 80% {:.3}",
            lookalike.similarity, other.similarity, star.similarity
        );
        assert!(worst_right > 0.75, "{right:?}");
        // 信 and 倍 share their left half and differ in a few strokes on the right: the hard case.
        assert!(lookalike.similarity < worst_right - 0.06, "{lookalike:?} vs {right:?}");
        assert!(other.similarity < worst_right - 0.15, "{other:?} vs {right:?}");
        // The star's tips and edges are a few windows of solid ink; smoothing softens them.
        assert!(star.similarity < worst_right - 0.1, "{star:?} vs {right:?}");
        // Measured directly, its size is what was changed.
        assert!(star.star_scale.is_some_and(|s| (s - 0.8).abs() < 0.03), "{star:?}");
    }

    #[test]
    fn another_typeface_prints_heavier_lettering_against_the_star() {
        use sealgate_datasets::documents::fonts::Face;
        let mut p = seal_params(41, COMPANY, "合同专用章", [0.0, 0.0], 0.0);
        p.face = Face::NotoSerif;
        let t = template_of(&p);
        let weigh = |q: &SealParams, seed: u64| {
            let mut page = blank_page(1240, 1754);
            stamp_on(&mut page, &stamped(q, seed, 35.0, [620.0, 800.0]));
            compare_on_page(&t, &page).1
        };
        for seed in 1..3 {
            let right = weigh(&p, seed);
            let w = right.lettering_weight.expect("a star to weigh against");
            assert!((0.8..=1.2).contains(&w), "{right:?}");
        }
        let bold = weigh(&SealParams { face: Face::NotoSansBold, ..p.clone() }, 1);
        let w = bold.lettering_weight.expect("a star to weigh against");
        assert!(w > 1.3, "{bold:?}");
    }

    /// Similarity of the right seal and of look-alikes over a few seals and rotations, for the report
    /// in the module docs: `cargo test -p sealgate-pipeline --lib seal::template -- --ignored --nocapture`.
    #[test]
    #[ignore = "prints the look-alike margins (about a minute)"]
    fn lookalike_margins() {
        let names = [
            (
                "上海华信科技有限公司",
                ["上海华倍科技有限公司", "上海华新科技有限公司", "上海中信科技有限公司", "上海华信科贸有限公司"],
            ),
            (
                "北京远大建设集团有限公司",
                [
                    "北京远达建设集团有限公司",
                    "北京远大建没集团有限公司",
                    "北京远大建设集团责任公司",
                    "北京运大建设集团有限公司",
                ],
            ),
        ];
        let (text_page, lines) = rendered_page(13);
        let line = lines[lines.len() / 2];
        let on_text = [(line[0] + line[2]) / 2.0, (line[1] + line[3]) / 2.0];
        for (backdrop, page0, centre) in
            [("white", blank_page(1240, 1754), [620.0, 800.0]), ("text", text_page, on_text)]
        {
            let (mut right, mut char_worst, mut star80, mut star90) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (k, (name, alikes)) in names.iter().enumerate() {
                for seed in 0..3u64 {
                    let label = if seed == 1 { "" } else { "合同专用章" };
                    let p = seal_params(100 + 10 * k as u64 + seed, name, label, [0.0, 0.0], 0.0);
                    let t = template_of(&p);
                    let angle = -150.0 + 97.0 * seed as f32;
                    let run = |page: &image::RgbImage| compare_on_page(&t, page).1;
                    let mut page = page0.clone();
                    stamp_on(&mut page, &stamped(&p, seed + 1, angle, centre));
                    let m = run(&page);
                    eprintln!(
                        "{backdrop} {name} ({:?}, alpha {:.2}, {angle} deg): right {:.3} visible {:.2}",
                        p.face, p.alpha, m.similarity, m.visible_share
                    );
                    right.push(m.similarity);
                    let mut worst = 0.0f32;
                    for alike in alikes {
                        let mut q = p.clone();
                        q.company = (*alike).into();
                        let mut page = page0.clone();
                        stamp_on(&mut page, &stamped(&q, seed + 2, angle, centre));
                        let m = run(&page);
                        eprintln!("    vs {alike}: {:.3} visible {:.2}", m.similarity, m.visible_share);
                        worst = worst.max(m.similarity);
                    }
                    char_worst.push(worst);
                    eprintln!("    margin to the most similar look-alike {:.3}", m.similarity - worst);
                    for (scale, out) in [(0.8f32, &mut star80), (0.9, &mut star90)] {
                        let mut page = page0.clone();
                        small_star_page(&stamped(&p, seed + 3, angle, centre), &mut page, scale);
                        out.push(run(&page).similarity);
                    }
                }
            }
            let range = |v: &[f32]| {
                let lo = v.iter().copied().fold(f32::MAX, f32::min);
                let hi = v.iter().copied().fold(f32::MIN, f32::max);
                format!("{lo:.3}..{hi:.3}")
            };
            eprintln!(
                "{backdrop}: right {}; most similar one-character look-alike {}; star 80% {}; star 90% {}",
                range(&right),
                range(&char_worst),
                range(&star80),
                range(&star90)
            );
        }
    }

    /// CPU time of `from_image` and `compare` for a seal on a 1500x2000 page: `cargo test -p
    /// sealgate-pipeline --lib seal::template -- --ignored --nocapture`.
    #[test]
    #[ignore = "prints timings"]
    fn timing_compare() {
        let cpu = || -> std::time::Duration {
            let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
            std::time::Duration::from_nanos(s.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0))
        };
        let mut p = seal_params(41, COMPANY, "合同专用章", [0.0, 0.0], 0.0);
        p.diameter *= 1.2;
        p.ring *= 1.2;
        let side = (p.diameter * 1.3) as u32;
        let mut img = blank_page(side, side);
        let mut q = p.clone();
        q.center = [side as f32 / 2.0, side as f32 / 2.0];
        stamp_on(&mut img, &q);
        let img = to_rgb8(&img);
        let c = cpu();
        let t = SealTemplate::from_image(&img, &SealConfig::default()).expect("template");
        let build = cpu() - c;
        let (page, _) = rendered_page(4);
        let mut page = image::imageops::resize(&page, 1500, 2000, image::imageops::FilterType::Triangle);
        stamp_on(&mut page, &stamped(&p, 1, 75.0, [700.0, 1500.0]));
        let page = to_rgb8(&page);
        let cfg = SealConfig::default();
        let found = find_impressions(&page, &cfg).expect("find");
        let mut times = Vec::new();
        let mut m = None;
        for _ in 0..5 {
            let c = cpu();
            m = Some(t.compare(&page, &found[0], &cfg).expect("compare"));
            times.push(cpu() - c);
        }
        times.sort();
        let side = (p.diameter * 1.3) as u32;
        eprintln!("template from a {side}x{side} image {build:?}; compare median {:?}: {m:?}", times[2]);
    }

    #[test]
    fn a_larger_stamp_and_a_half_impression() {
        let p = seal_params(22, COMPANY, "", [0.0, 0.0], 0.0);
        let t = template_of(&p);
        // Printed 8% larger.
        let mut big = stamped(&p, 3, -25.0, [600.0, 800.0]);
        big.diameter *= 1.08;
        big.ring *= 1.08;
        let mut page = blank_page(1240, 1754);
        stamp_on(&mut page, &big);
        let (_, m) = compare_on_page(&t, &page);
        assert!((m.scale - 1.08).abs() < 0.03 && m.similarity > 0.5, "{m:?}");
        assert!(wrap_degrees(f64::from(m.rotation_deg) + 25.0).abs() < 2.0, "{m:?}");

        // Half the stamp lifted: visible share about a half, and what is visible still matches.
        let mut page = blank_page(1240, 1754);
        stamp_on(&mut page, &stamped(&p, 4, 10.0, [600.0, 800.0]));
        for y in 0..1754 {
            for x in 600..1240 {
                page.put_pixel(x, y, image::Rgb([250, 250, 247]));
            }
        }
        let (i, m) = compare_on_page(&t, &page);
        assert!(i.partial, "{i:?}");
        assert!((0.3..0.7).contains(&m.visible_share), "{m:?}");
        assert!(m.similarity > 0.4, "{m:?}");
    }

    /// Bars in the shape's normalised frame: an asymmetric layout, and one bar moved.
    const MARKS: [[f64; 4]; 5] = [
        [-0.67, -0.69, 0.52, -0.56],
        [-0.68, -0.41, -0.54, 0.61],
        [-0.31, -0.22, 0.58, -0.07],
        [0.22, 0.13, 0.37, 0.68],
        [-0.39, 0.44, 0.03, 0.58],
    ];
    const MOVED: [f64; 4] = [-0.39, 0.11, 0.03, 0.25];

    fn drawn(shape: &SealShape, marks: &[[f64; 4]], side: u32) -> Rgb8 {
        let mut img = blank_page(side, side);
        crate::seal::testutil::draw_ring(&mut img, shape, 8.0, [120, 50, 160]);
        crate::seal::testutil::draw_marks(&mut img, shape, marks, [120, 50, 160]);
        to_rgb8(&img)
    }

    #[test]
    fn square_and_oval_seals_match_at_any_rotation() {
        let cfg = SealConfig::default();
        let cases = [
            (
                SealShape::Rectangle { centre: [160.0, 160.0], size: [220.0, 220.0], angle_deg: 0.0 },
                SealShape::Rectangle { centre: [500.0, 600.0], size: [231.0, 231.0], angle_deg: 107.0 },
                107.0,
            ),
            (
                SealShape::Ellipse { centre: [180.0, 160.0], semi_axes: [150.0, 100.0], angle_deg: 0.0 },
                SealShape::Ellipse { centre: [600.0, 600.0], semi_axes: [142.0, 95.0], angle_deg: -140.0 },
                -140.0,
            ),
        ];
        for (template_shape, page_shape, angle) in cases {
            let t = SealTemplate::from_image(&drawn(&template_shape, &MARKS, 360), &cfg).expect("template");
            let page = drawn(&page_shape, &MARKS, 1240);
            let found = find_impressions(&page, &cfg).expect("find");
            assert_eq!(found.len(), 1, "{found:?}");
            let m = t.compare(&page, &found[0], &cfg).expect("compare");
            eprintln!("{page_shape:?}: {m:?}");
            let expected_scale = page_shape.equivalent_radius() / template_shape.equivalent_radius();
            assert!(wrap_degrees(f64::from(m.rotation_deg - angle)).abs() < 2.0, "{m:?} for {angle}");
            assert!(m.similarity > 0.8 && (m.scale - expected_scale).abs() < 0.03, "{m:?}");

            let mut moved = MARKS;
            moved[4] = MOVED;
            let page = drawn(&page_shape, &moved, 1240);
            let found = find_impressions(&page, &cfg).expect("find");
            let other = t.compare(&page, &found[0], &cfg).expect("compare");
            assert!(other.similarity < m.similarity - 0.3, "{other:?} vs {m:?}");
        }
    }

    #[test]
    fn a_bold_star_filling_the_template_keeps_its_body() {
        // A seal close to the image's edges with a large star: on a page's paper blocks the star's
        // middle was taken for paper.
        let mut p = seal_params(29, COMPANY, "合同专用章", [0.0, 0.0], 0.0);
        p.diameter = 380.0;
        p.star_scale = 1.3;
        let side = (p.diameter * 1.08) as u32;
        let mut img = blank_page(side, side);
        p.center = [side as f32 / 2.0, side as f32 / 2.0];
        stamp_on(&mut img, &p);
        let t = SealTemplate::from_image(&to_rgb8(&img), &SealConfig::default()).expect("template");
        // The star is drawn 0.03 of the radius above the centre.
        let (x, y) = (SIDE / 2, SIDE / 2 - (0.03 * SIDE as f64 / (2.0 * EXTENT)) as usize);
        let tone = t.canvas.ink.get(y * SIDE + x).copied().unwrap_or(0.0);
        assert!(tone > 0.8, "star centre tone {tone}");
    }

    #[test]
    fn hostile_templates_and_mismatched_shapes() {
        let cfg = SealConfig::default();
        let blank = to_rgb8(&blank_page(200, 200));
        assert!(matches!(SealTemplate::from_image(&blank, &cfg), Err(PipelineError::Seal(_))));
        let tiny = Rgb8::new(1, 1, vec![255, 0, 0]).expect("tiny");
        assert!(matches!(SealTemplate::from_image(&tiny, &cfg), Err(PipelineError::Image(_))));
        let empty = Rgb8::new(0, 0, vec![]).expect("empty");
        assert!(SealTemplate::from_image(&empty, &cfg).is_err());

        let p = seal_params(23, COMPANY, "", [0.0, 0.0], 0.0);
        let t = template_of(&p);
        let page = to_rgb8(&blank_page(400, 400));
        let square = Impression {
            shape: SealShape::Rectangle { centre: [200.0, 200.0], size: [150.0, 150.0], angle_deg: 0.0 },
            colour: InkColour::Red,
            bbox: [125.0, 125.0, 275.0, 275.0],
            ink_pixels: 0,
            completeness: 1.0,
            partial: false,
            double_struck: false,
            smudged: false,
            measures: OutlineMeasures::default(),
        };
        assert_eq!(t.compare(&page, &square, &cfg).expect("compare").similarity, 0.0);
        // An impression of nothing, far off the page, or with a broken shape.
        let mut off = square.clone();
        off.shape = SealShape::Circle { centre: [1e9, -1e9], radius: 50.0 };
        off.bbox = off.shape.bbox();
        let m = t.compare(&page, &off, &cfg).expect("compare");
        assert_eq!((m.similarity, m.visible_share), (0.0, 0.0));
        off.shape = SealShape::Circle { centre: [f32::NAN, 0.0], radius: 50.0 };
        off.bbox = off.shape.bbox();
        assert_eq!(t.compare(&page, &off, &cfg).expect("compare").similarity, 0.0);
        let blank_circle = Impression { shape: SealShape::Circle { centre: [200.0, 200.0], radius: 80.0 }, ..square };
        assert_eq!(t.compare(&page, &blank_circle, &cfg).expect("compare").similarity, 0.0);
        let bad = SealConfig { chroma_min: 0, ..cfg };
        assert!(t.compare(&page, &blank_circle, &bad).is_err());
    }
}
