//! Find the seal impressions on a page: segment seal ink, pool it into cells, close small gaps,
//! label connected groups, and for each group large enough fit its outline, merge the fragments that
//! lie inside it (characters, star), refit, and measure completeness, double strike and smudging.
//! Ink left over outside an accepted outline (two overlapping seals) is fitted again.
//!
//! Single-threaded: a 1500x2000 page with text and two seals takes 42-60 ms of CPU (segmentation
//! about 20 of them) in the test profile (opt-level 3 with overflow checks) on a shared 2-core machine
//! (`timing_1500x2000`). Rayon is not used: the work after segmentation is a few seals, and
//! segmentation is memory-bound at this size; callers run pages in parallel already.

use super::components::label_components;
use super::dilate::dilate;
use super::fit::{FitLimits, OutlineFit, fit_outline, fit_partial_circle, fit_partial_rectangle};
use super::geometry::{Frame, clip_box};
use super::grid::pool_ink;
use super::off_sheet::clear_off_sheet;
use super::outline::{OutlineStats, measure_outline};
use super::segment::{InkClass, InkLayers, paper_block, segment_region};
use super::{Impression, InkColour, OutlineMeasures, SealConfig, SealShape};
use crate::image::{Rgb8, checked_len};
use crate::{ImageError, PipelineError};

/// Pages with a side under this many pixels are refused: no seal could be measured on them.
pub const MIN_SIDE: usize = 32;
/// A fit centred within this normalised radius of an accepted outline is that seal again.
const SAME_SEAL_RHO: f64 = 0.5;
/// Impressions fitted in one group of ink at most (overlapping seals).
const MAX_PER_GROUP: usize = 4;
/// Normalised radius inside which ink belongs to an accepted outline.
const INSIDE: f64 = 1.06;
/// A round outline fitted to an arc (see `Ctx::partial_round`) is kept when at most this share of
/// the ink's edge lies outside it and its ring printed along at least this share of it.
const PARTIAL_MAX_OUTSIDE: f64 = 0.02;
const PARTIAL_MIN_COVERAGE: f32 = 0.3;
/// A partial rectangle's border found along its sides, over its perimeter (edge points are a
/// subsample, weighted back; seed 7: cut square seals 0.22-0.58, and a circle's arc touches its box
/// at four points).
const PARTIAL_MIN_BORDER: f64 = 0.2;
/// A partial rectangle's ink pixels over its box's area (seed 7: cut square seals 0.21-0.47;
/// specks at page corners boxed together 0.005-0.03, tinted corners of a normalised photo
/// 0.07-0.15).
const PARTIAL_MIN_INK: f64 = 0.18;
/// A partial rectangle's best side must carry ink along this share of its length.
const PARTIAL_MIN_SIDE: f64 = 0.9;

/// Find the seal impressions on `page` (colour intact), in reading order (top to bottom, then left to
/// right).
///
/// ```
/// use sealgate_pipeline::Image;
/// use sealgate_pipeline::seal::{SealConfig, SealShape, find_impressions};
/// // A red ring of radius 60 on a 300x300 white page.
/// let mut data = vec![255u8; 300 * 300 * 3];
/// for y in 0..300 {
///     for x in 0..300 {
///         let d = ((x as f32 - 150.0).powi(2) + (y as f32 - 140.0).powi(2)).sqrt();
///         if d <= 60.0 && d > 54.0 {
///             data[(y * 300 + x) * 3..(y * 300 + x) * 3 + 3].copy_from_slice(&[210, 40, 50]);
///         }
///     }
/// }
/// let page = Image::<u8, 3>::new(300, 300, data).unwrap();
/// let found = find_impressions(&page, &SealConfig::default()).unwrap();
/// assert_eq!(found.len(), 1);
/// let SealShape::Circle { centre, radius } = found[0].shape else { panic!("not a circle") };
/// assert!((centre[0] - 150.0).abs() < 1.5 && (centre[1] - 140.0).abs() < 1.5 && (radius - 60.0).abs() < 1.5);
/// assert!(!found[0].partial);
/// ```
pub fn find_impressions(page: &Rgb8, cfg: &SealConfig) -> Result<Vec<Impression>, PipelineError> {
    let layers = segment_page(page, cfg)?;
    Ok(impressions_on(&layers, cfg))
}

/// The ink of a whole `page` classified for [`impressions_on`]: refused when too small or too large,
/// background strips along its sides (see `off_sheet.rs`) cleared to paper.
pub fn segment_page(page: &Rgb8, cfg: &SealConfig) -> Result<InkLayers, PipelineError> {
    cfg.validate().map_err(PipelineError::Config)?;
    let (w, h) = (page.width(), page.height());
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(ImageError::TooSmall { width: w, height: h }.into());
    }
    if checked_len(w, h, 1)? > cfg.max_pixels {
        return Err(ImageError::TooLarge { width: w as u64, height: h as u64, limit: cfg.max_pixels as u64 }.into());
    }
    let short = w.min(h);
    let mut layers = segment_region(page, [0, 0, w, h], paper_block(short, cfg), cfg)?;
    clear_off_sheet(&mut layers, short);
    Ok(layers)
}

/// The impressions in the `layers` of a whole page made by [`segment_page`].
pub fn impressions_on(layers: &InkLayers, cfg: &SealConfig) -> Vec<Impression> {
    impressions_in(layers, layers.width.min(layers.height) as f64, cfg)
}

/// A group of ink cells: its cell box (inclusive) and how many cells are set.
#[derive(Debug, Clone, Copy)]
struct Group {
    c0: usize,
    r0: usize,
    c1: usize,
    r1: usize,
    cells: usize,
}

/// The impressions in already segmented `layers` of a page whose short side is `short` pixels.
pub(crate) fn impressions_in(layers: &InkLayers, short: f64, cfg: &SealConfig) -> Vec<Impression> {
    let cell = ((short * f64::from(cfg.cell_rel)).round() as usize).max(1);
    let grid = pool_ink(layers, cell);
    let radius = ((short * f64::from(cfg.link_gap_rel)) / cell as f64).ceil() as usize;
    let closed = dilate(&grid.cells, grid.cols, grid.rows, radius);
    let (labels, count) = label_components(&closed, grid.cols, grid.rows);
    let mut groups: Vec<Option<Group>> = vec![None; count + 1];
    for (i, (&set, &l)) in grid.cells.iter().zip(&labels).enumerate() {
        if set == 0 {
            continue;
        }
        let (c, r) = (i % grid.cols.max(1), i / grid.cols.max(1));
        if let Some(slot) = groups.get_mut(l as usize) {
            let g = slot.get_or_insert(Group { c0: c, r0: r, c1: c, r1: r, cells: 0 });
            g.c0 = g.c0.min(c);
            g.r0 = g.r0.min(r);
            g.c1 = g.c1.max(c);
            g.r1 = g.r1.max(r);
            g.cells += 1;
        }
    }
    let min_diameter = short * f64::from(cfg.min_diameter_rel);
    let lim = FitLimits {
        min_radius: min_diameter / 2.0,
        max_radius: short * f64::from(cfg.max_diameter_rel) / 2.0,
        ellipse_min_aspect: f64::from(cfg.ellipse_min_aspect),
        max_aspect: f64::from(cfg.max_aspect),
    };
    let min_ink = ((min_diameter * min_diameter * 0.02) as usize).max(30);
    let mut order: Vec<usize> = (1..groups.len())
        .filter(|&l| {
            groups.get(l).copied().flatten().is_some_and(|g| {
                let extent = ((g.c1 - g.c0 + 1).max(g.r1 - g.r0 + 1) * cell) as f64;
                extent >= 0.5 * min_diameter
            })
        })
        .collect();
    order.sort_by_key(|&l| std::cmp::Reverse(groups.get(l).copied().flatten().map_or(0, |g| g.cells)));

    let ctx = Ctx { layers, labels: &labels, cols: grid.cols, cell };
    let mut consumed = vec![false; groups.len()];
    let mut accepted: Vec<Frame> = Vec::new();
    let mut found = Vec::new();
    for &l in &order {
        if consumed.get(l).copied().unwrap_or(true) {
            continue;
        }
        for _ in 0..MAX_PER_GROUP {
            let mut members = vec![false; groups.len()];
            if let Some(m) = members.get_mut(l) {
                *m = true;
            }
            let Some(g) = groups.get(l).copied().flatten() else { break };
            let mut region = group_box(&g, cell);
            let all_ink = [false, true, true, true, false, false];
            let (all_points, counts) = ctx.boundary(&members, region, all_ink, &accepted);
            if counts.iter().sum::<usize>() < min_ink {
                break;
            }
            let (colour, colours) = dominant(counts);
            // Ink of a colour outside the seal's set (a blue signature across a red seal) changes the
            // boundary; otherwise the points are the same.
            let foreign =
                counts.iter().zip(1..).any(|(&n, class)| n > 0 && !colours.get(class).copied().unwrap_or(false));
            let points = if foreign { ctx.boundary(&members, region, colours, &accepted).0 } else { all_points };
            let whole = 'whole: {
                let Some(mut fit) = fit_outline(&points, &lim) else { break 'whole None };
                // Fragments of the same seal (characters, the star, a broken ring) inside the outline.
                if let Some(frame) = Frame::of(&fit.shape) {
                    let mut merged = false;
                    for (j, other) in groups.iter().enumerate() {
                        let Some(o) = other else { continue };
                        if j == l || consumed.get(j).copied().unwrap_or(true) {
                            continue;
                        }
                        let b = group_box(o, cell);
                        let centre = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
                        let [ox, oy] = layers.origin.map(|v| v as f64);
                        if frame.rho(centre[0] + ox, centre[1] + oy) <= 1.05
                            && let Some(m) = members.get_mut(j)
                        {
                            *m = true;
                            merged = true;
                            region =
                                [region[0].min(b[0]), region[1].min(b[1]), region[2].max(b[2]), region[3].max(b[3])];
                        }
                    }
                    if merged {
                        let (points, _) = ctx.boundary(&members, region, colours, &accepted);
                        if let Some(refit) = fit_outline(&points, &lim)
                            && refit.inlier_share + 0.05 >= fit.inlier_share
                        {
                            fit = refit;
                        }
                    }
                }
                let Some(stats) = measure_outline(layers, &fit.shape, colours) else { break 'whole None };
                if stats.coverage < cfg.min_coverage || fit.inlier_share < cfg.min_inlier_share {
                    break 'whole None;
                }
                Some((fit, stats))
            };
            // No outline explains the group's extreme points: a round seal of which only an arc
            // printed (cut by the paper's edge, faded on one side) may still be there.
            let Some((fit, stats)) = whole.or_else(|| ctx.partial(&members, region, colours, &accepted, &lim)) else {
                break;
            };
            let Some(frame) = Frame::of(&fit.shape) else { break };
            // A second outline centred inside one already found is the same seal fitted again on
            // its leftover ink (a partial impression's characters past a slightly small first fit),
            // not another stamping: seals stamped over each other are a radius or more apart.
            let [cx, cy] = fit.shape.centre().map(f64::from);
            if accepted.iter().any(|a| a.rho(cx, cy) < SAME_SEAL_RHO) {
                break;
            }
            found.push(impression(&fit, &stats, colour, cfg));
            accepted.push(frame);
            for (c, &m) in consumed.iter_mut().zip(&members) {
                if m {
                    *c = true;
                }
            }
        }
    }
    found.sort_by(|a, b| {
        let (ca, cb) = (a.shape.centre(), b.shape.centre());
        ca[1].total_cmp(&cb[1]).then(ca[0].total_cmp(&cb[0]))
    });
    found
}

/// The group's box in region pixels `[x0, y0, x1, y1]` (exclusive end).
fn group_box(g: &Group, cell: usize) -> [f64; 4] {
    [(g.c0 * cell) as f64, (g.r0 * cell) as f64, ((g.c1 + 1) * cell) as f64, ((g.r1 + 1) * cell) as f64]
}

/// The seal colour with most pixels, and the classes counted as its ink (a purple seal's pixels fall
/// on both sides of its hue range; a red seal's edges can read purple).
fn dominant(counts: [usize; 3]) -> (InkColour, [bool; 6]) {
    let [red, blue, purple] = counts;
    if red >= blue && red >= purple {
        (InkColour::Red, [false, true, false, true, false, false])
    } else if blue >= purple {
        (InkColour::Blue, [false, false, true, true, false, false])
    } else {
        (InkColour::Purple, [false, true, true, true, false, false])
    }
}

fn impression(fit: &OutlineFit, stats: &OutlineStats, colour: InkColour, cfg: &SealConfig) -> Impression {
    let r = fit.shape.equivalent_radius();
    let double_struck = stats.double_offset >= cfg.double_min_offset_px.max(cfg.double_min_offset_rel * r);
    let smudged = stats.edge_width > cfg.smudge_edge_px.max(cfg.smudge_edge_rel * r)
        || stats.ring_thickness
            > if fit.shape.is_round() { cfg.smudge_ring_rel } else { cfg.smudge_ring_rel_square } * r;
    Impression {
        shape: fit.shape,
        colour,
        bbox: fit.shape.bbox(),
        ink_pixels: stats.ink_pixels,
        completeness: stats.coverage,
        partial: stats.coverage < cfg.partial_coverage,
        double_struck,
        smudged,
        measures: OutlineMeasures {
            double_offset_px: stats.double_offset,
            edge_width_px: stats.edge_width,
            ring_thickness_px: stats.ring_thickness,
        },
    }
}

/// What boundary extraction needs of the page.
struct Ctx<'a> {
    layers: &'a InkLayers,
    labels: &'a [u32],
    cols: usize,
    cell: usize,
}

impl Ctx<'_> {
    /// The outer boundary points (page pixels) of the ink of classes `colours` in member groups within
    /// `region` (region pixels), outside every accepted outline: each row's leftmost and rightmost
    /// pixel and each column's top and bottom one. Also the seal-ink pixels of each colour seen.
    /// The outline of an impression of which only a part printed, fitted to the edge pixels of
    /// the members' ink, with its measures: a circle (see [`fit_partial_circle`]) with no ink
    /// outside it, else a rectangle (see [`fit_partial_rectangle`]) with straight border along at
    /// least [`PARTIAL_MIN_BORDER`] of its perimeter; either with its ring or border printed along
    /// at least [`PARTIAL_MIN_COVERAGE`] of it.
    fn partial(
        &self,
        members: &[bool],
        region: [f64; 4],
        colours: [bool; 6],
        accepted: &[Frame],
        lim: &FitLimits,
    ) -> Option<(OutlineFit, OutlineStats)> {
        let edges = self.edges(members, region, colours, accepted);
        let measured = |fit: OutlineFit| {
            let stats = measure_outline(self.layers, &fit.shape, colours)?;
            (stats.coverage >= PARTIAL_MIN_COVERAGE).then_some((fit, stats))
        };
        if let Some((fit, outside)) = fit_partial_circle(&edges, lim)
            && outside <= PARTIAL_MAX_OUTSIDE
            && let Some(found) = measured(fit)
        {
            return Some(found);
        }
        let (fit, border) = fit_partial_rectangle(&edges, lim)?;
        let SealShape::Rectangle { size, .. } = fit.shape else { return None };
        let perimeter = 2.0 * f64::from(size[0] + size[1]);
        // No square seal's side reaches the largest round seal's radius: a box that large is a
        // tinted corner or margin of the page, not a cut seal.
        if f64::from(size[0]) > lim.max_radius
            || border < PARTIAL_MIN_BORDER * perimeter
            || self.longest_side_run(&fit.shape, colours) < PARTIAL_MIN_SIDE
        {
            return None;
        }
        // A seal's border and characters ink a good part of its box; specks of colour at a page
        // corner or a margin, boxed together, ink a few percent of theirs.
        let area = f64::from(size[0]) * f64::from(size[1]);
        measured(fit).filter(|(_, stats)| stats.ink_pixels as f64 >= PARTIAL_MIN_INK * area)
    }

    /// For a rectangle, the share of its best side along which ink of `colours` lies within a
    /// border's depth inside the edge, ends left out: a square seal's border runs unbroken along
    /// every side that printed, while a line of red text boxed at its character tops and bottoms
    /// has gaps between characters. 0 for other shapes.
    fn longest_side_run(&self, shape: &SealShape, colours: [bool; 6]) -> f64 {
        let SealShape::Rectangle { centre, size, angle_deg } = *shape else { return 0.0 };
        let (s, c) = f64::from(angle_deg).to_radians().sin_cos();
        let [cx, cy] = centre.map(f64::from);
        let (hu, hv) = (f64::from(size[0]) / 2.0, f64::from(size[1]) / 2.0);
        let depth = (0.08 * hu.min(hv)).max(3.0);
        let to_page = |u: f64, v: f64| [cx + c * u - s * v, cy + s * u + c * v];
        let inked =
            |p: [f64; 2]| self.layers.class_near(p).is_some_and(|k| colours.get(k as usize).copied().unwrap_or(false));
        let mut best = 0.0f64;
        // Sides along u at v = ±hv, and along v at u = ±hu; `d` moves inward from the edge.
        for (along_u, sign) in [(true, 1.0), (true, -1.0), (false, 1.0), (false, -1.0)] {
            let half = if along_u { hu } else { hv };
            let point =
                |t: f64, d: f64| if along_u { to_page(t, sign * (hv - d)) } else { to_page(sign * (hu - d), t) };
            let steps = (2.0 * half).floor() as usize;
            let (mut hit, mut n) = (0usize, 0usize);
            for k in 0..=steps {
                let t = -half + 2.0 * half * k as f64 / steps.max(1) as f64;
                if t.abs() > 0.9 * half {
                    continue;
                }
                n += 1;
                hit += usize::from((0..=depth.ceil() as usize).any(|d| inked(point(t, d as f64))));
            }
            if n > 0 {
                best = best.max(hit as f64 / n as f64);
            }
        }
        best
    }

    /// The members' ink pixels (of `colours`, outside accepted outlines) with a 4-neighbour that
    /// is not such ink, page pixels.
    fn edges(&self, members: &[bool], region: [f64; 4], colours: [bool; 6], accepted: &[Frame]) -> Vec<[f64; 2]> {
        let l = self.layers;
        let (x0, y0, x1, y1) = clip_box([region[0], region[1], region[2] - 1.0, region[3] - 1.0], l.width, l.height);
        let [ox, oy] = l.origin.map(|v| v as f64);
        let (w, h) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        let mut ink = vec![false; w * h];
        for y in y0..y1 {
            for x in x0..x1 {
                let class = l.class.get(y * l.width + x).copied().unwrap_or(0);
                if !colours.get(usize::from(class)).copied().unwrap_or(false) {
                    continue;
                }
                let cell_index = (y / self.cell) * self.cols + x / self.cell;
                let member = self.labels.get(cell_index).and_then(|&lab| members.get(lab as usize));
                let (px, py) = (x as f64 + ox, y as f64 + oy);
                if member == Some(&true)
                    && !accepted.iter().any(|f| f.rho(px, py) <= INSIDE)
                    && let Some(v) = ink.get_mut((y - y0) * w + (x - x0))
                {
                    *v = true;
                }
            }
        }
        let at = |x: usize, y: usize| x < w && y < h && ink.get(y * w + x).copied().unwrap_or(false);
        let mut out = Vec::new();
        for y in 0..h {
            for x in 0..w {
                if at(x, y) && (x == 0 || y == 0 || !at(x - 1, y) || !at(x + 1, y) || !at(x, y - 1) || !at(x, y + 1)) {
                    out.push([(x + x0) as f64 + ox, (y + y0) as f64 + oy]);
                }
            }
        }
        out
    }

    fn boundary(
        &self,
        members: &[bool],
        region: [f64; 4],
        colours: [bool; 6],
        accepted: &[Frame],
    ) -> (Vec<[f64; 2]>, [usize; 3]) {
        let l = self.layers;
        let (x0, y0, x1, y1) = clip_box([region[0], region[1], region[2] - 1.0, region[3] - 1.0], l.width, l.height);
        let [ox, oy] = l.origin.map(|v| v as f64);
        let mut counts = [0usize; 3];
        let mut top = vec![usize::MAX; x1 - x0];
        let mut bottom = vec![0usize; x1 - x0];
        let mut points = Vec::new();
        for y in y0..y1 {
            let base = y * l.width;
            let Some(row) = l.class.get(base + x0..base + x1) else { break };
            let (mut first, mut last) = (None, None);
            for (dx, &c) in row.iter().enumerate() {
                if !colours.get(usize::from(c)).copied().unwrap_or(false) {
                    continue;
                }
                let x = x0 + dx;
                let cell_index = (y / self.cell) * self.cols + x / self.cell;
                let member = self.labels.get(cell_index).and_then(|&lab| members.get(lab as usize));
                if member != Some(&true) {
                    continue;
                }
                let (px, py) = (x as f64 + ox, y as f64 + oy);
                if accepted.iter().any(|f| f.rho(px, py) <= INSIDE) {
                    continue;
                }
                if let Some(n) = counts.get_mut(usize::from(c).wrapping_sub(InkClass::Red as usize)) {
                    *n += 1;
                }
                first.get_or_insert(x);
                last = Some(x);
                if let (Some(t), Some(b)) = (top.get_mut(dx), bottom.get_mut(dx)) {
                    *t = (*t).min(y);
                    *b = (*b).max(y);
                }
            }
            if let (Some(a), Some(b)) = (first, last) {
                points.push([a as f64 + ox, y as f64 + oy]);
                if b != a {
                    points.push([b as f64 + ox, y as f64 + oy]);
                }
            }
        }
        for (dx, (&t, &b)) in top.iter().zip(&bottom).enumerate() {
            if t != usize::MAX {
                let x = (x0 + dx) as f64 + ox;
                points.push([x, t as f64 + oy]);
                if b != t {
                    points.push([x, b as f64 + oy]);
                }
            }
        }
        (points, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::SealShape;
    use crate::seal::testutil::{blank_page, draw_ring, rendered_page, seal_params, stamp_on, to_rgb8};

    fn circle(i: &Impression) -> ([f32; 2], f32) {
        match i.shape {
            SealShape::Circle { centre, radius } => (centre, radius),
            other => panic!("not a circle: {other:?}"),
        }
    }

    #[test]
    fn one_generated_seal_has_the_right_centre_and_radius() {
        let mut page = blank_page(1240, 1754);
        let p = seal_params(1, "上海华信科技有限公司", "合同专用章", [620.0, 900.0], 15.0);
        stamp_on(&mut page, &p);
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 1, "{found:?}");
        let (c, r) = circle(&found[0]);
        // Generator coordinates put pixel centres at +0.5.
        assert!((c[0] - 619.5).abs() < 2.0 && (c[1] - 899.5).abs() < 2.0, "{c:?}");
        assert!((r - p.diameter / 2.0).abs() < 2.5, "{r} vs {}", p.diameter / 2.0);
        let i = &found[0];
        assert_eq!(i.colour, InkColour::Red);
        assert!(!i.partial && !i.double_struck && !i.smudged, "{i:?}");
        assert!(i.completeness > 0.95, "{i:?}");
    }

    #[test]
    fn two_seals_on_a_rendered_page_are_two() {
        let (mut page, _) = rendered_page(3);
        let a = seal_params(2, "北京远大建设集团有限公司", "", [380.0, 1300.0], -10.0);
        let b = seal_params(3, "深圳市博远医疗器械股份有限公司", "财务专用章", [860.0, 1350.0], 30.0);
        stamp_on(&mut page, &a);
        stamp_on(&mut page, &b);
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 2, "{found:?}");
        let (ca, _) = circle(&found[0]);
        let (cb, _) = circle(&found[1]);
        assert!((ca[0] - 379.5).abs() < 3.0 && (cb[0] - 859.5).abs() < 3.0, "{ca:?} {cb:?}");
        assert!(found.iter().all(|i| !i.partial), "{found:?}");
    }

    #[test]
    fn a_seal_over_black_text_is_one_whole_impression() {
        let (mut page, lines) = rendered_page(5);
        // Over the middle of the text, where lines cross the seal.
        let line = &lines[lines.len() / 2];
        let centre = [(line[0] + line[2]) / 2.0, (line[1] + line[3]) / 2.0];
        let p = seal_params(4, "广州市天河区恒达贸易有限公司", "合同专用章", centre, -20.0);
        stamp_on(&mut page, &p);
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 1, "{found:?}");
        let (c, r) = circle(&found[0]);
        assert!((c[0] - centre[0]).abs() < 3.0 && (c[1] - centre[1]).abs() < 3.0, "{c:?} vs {centre:?}");
        assert!((r - p.diameter / 2.0).abs() < 3.0);
        assert!(!found[0].partial, "{:?}", found[0]);
    }

    #[test]
    fn a_half_cut_seal_is_partial() {
        let mut page = blank_page(1240, 1754);
        // Centre 20 px inside the right edge: a bit over half the seal is off the page.
        let p = seal_params(6, "杭州西湖文化传媒有限公司", "", [1220.0, 600.0], 5.0);
        stamp_on(&mut page, &p);
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 1, "{found:?}");
        let i = &found[0];
        let (c, r) = circle(i);
        assert!(i.partial && i.completeness < 0.6, "{i:?}");
        assert!((c[0] - 1219.5).abs() < 4.0 && (r - p.diameter / 2.0).abs() < 4.0, "{c:?} {r}");

        // Lifted stamp: only the left half inked, on the page.
        let mut page = blank_page(1240, 1754);
        let p = seal_params(7, "杭州西湖文化传媒有限公司", "", [600.0, 600.0], 5.0);
        stamp_on(&mut page, &p);
        for y in 0..1754 {
            for x in 600..1240 {
                page.put_pixel(x, y, image::Rgb([255, 255, 255]));
            }
        }
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].partial && (0.4..0.65).contains(&found[0].completeness), "{:?}", found[0]);
    }

    #[test]
    fn no_seal_and_a_red_tick_give_nothing() {
        let (page, _) = rendered_page(8);
        assert!(find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find").is_empty());
        let mut page = page;
        // A red pen tick, 40 px wide, 3 px strokes.
        for t in 0..60 {
            let t = t as f32 / 60.0;
            let (x, y) = if t < 0.35 {
                (900.0 + 40.0 * t, 500.0 + 45.0 * t)
            } else {
                (914.0 + 45.0 * (t - 0.35), 515.75 - 70.0 * (t - 0.35))
            };
            for dy in -1..=1 {
                for dx in -1..=1 {
                    page.put_pixel((x as i32 + dx) as u32, (y as i32 + dy) as u32, image::Rgb([200, 30, 40]));
                }
            }
        }
        // A red underline.
        for x in 200..700 {
            for y in 800..803 {
                page.put_pixel(x, y, image::Rgb([200, 30, 40]));
            }
        }
        assert!(find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find").is_empty());
    }

    #[test]
    fn blue_ellipse_and_square_outlines() {
        let mut page = blank_page(1240, 1754);
        let ellipse = SealShape::Ellipse { centre: [400.0, 500.0], semi_axes: [160.0, 110.0], angle_deg: 10.0 };
        draw_ring(&mut page, &ellipse, 9.0, [40, 70, 190]);
        let square = SealShape::Rectangle { centre: [850.0, 1200.0], size: [200.0, 200.0], angle_deg: 20.0 };
        draw_ring(&mut page, &square, 10.0, [120, 50, 160]);
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 2, "{found:?}");
        let SealShape::Ellipse { centre, semi_axes, angle_deg } = found[0].shape else { panic!("{:?}", found[0]) };
        assert_eq!(found[0].colour, InkColour::Blue);
        assert!((centre[0] - 400.0).abs() < 2.0 && (semi_axes[0] - 160.0).abs() < 2.5, "{:?}", found[0]);
        assert!((semi_axes[1] - 110.0).abs() < 2.5 && (angle_deg - 10.0).abs() < 2.0, "{:?}", found[0]);
        let SealShape::Rectangle { centre, size, angle_deg } = found[1].shape else { panic!("{:?}", found[1]) };
        assert_eq!(found[1].colour, InkColour::Purple);
        assert!((centre[1] - 1200.0).abs() < 2.0 && (size[0] - 200.0).abs() < 3.0, "{:?}", found[1]);
        let a = (angle_deg - 20.0).rem_euclid(90.0);
        assert!(a.min(90.0 - a) < 2.0, "{angle_deg}");
        assert!(found.iter().all(|i| !i.partial), "{found:?}");
    }

    #[test]
    fn double_struck_and_smudged_seals_are_flagged() {
        let mut page = blank_page(1240, 1754);
        let p = seal_params(9, "南京紫金山实业有限公司", "合同专用章", [400.0, 500.0], 0.0);
        stamp_on(&mut page, &p);
        let mut q = p.clone();
        q.center = [p.center[0] + 5.0, p.center[1] + 3.0];
        q.angle_deg = 1.0;
        stamp_on(&mut page, &q);
        let r = seal_params(10, "南京紫金山实业有限公司", "合同专用章", [850.0, 1200.0], 0.0);
        stamp_on(&mut page, &r);
        crate::seal::testutil::box_blur_region(&mut page, [650, 1000, 1050, 1400], 3);
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].double_struck && !found[0].partial, "{:?}", found[0]);
        assert!(found[1].smudged && !found[1].double_struck, "{:?}", found[1]);
    }

    /// Wall time on a 1500x2000 page with text and two seals, one core (the pipeline crate is built at
    /// opt-level 3 in tests): `cargo test -p sealgate-pipeline --lib seal::impressions -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore = "prints timings"]
    fn timing_1500x2000() {
        let (page, _) = rendered_page(4);
        let mut page = image::imageops::resize(&page, 1500, 2000, image::imageops::FilterType::Triangle);
        for (i, centre) in [[450.0, 1500.0], [1050.0, 1600.0]].into_iter().enumerate() {
            let mut p = seal_params(30 + i as u64, "上海华信科技有限公司", "合同专用章", centre, 20.0);
            p.diameter *= 1.2;
            p.ring *= 1.2;
            stamp_on(&mut page, &p);
        }
        let page = to_rgb8(&page);
        let cfg = SealConfig::default();
        // CPU time of this thread (Linux), so that other processes on a shared machine do not count.
        let cpu = || -> std::time::Duration {
            let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
            std::time::Duration::from_nanos(s.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0))
        };
        let (mut wall, mut on_cpu) = (Vec::new(), Vec::new());
        let mut found = Vec::new();
        for _ in 0..7 {
            let (t, c) = (std::time::Instant::now(), cpu());
            found = find_impressions(&page, &cfg).expect("find");
            wall.push(t.elapsed());
            on_cpu.push(cpu() - c);
        }
        wall.sort();
        on_cpu.sort();
        assert_eq!(found.len(), 2, "{found:?}");
        let mut segment = std::time::Duration::MAX;
        for _ in 0..5 {
            let c = cpu();
            let layers = crate::seal::segment_ink(&page, &cfg).expect("segment");
            segment = segment.min(cpu() - c);
            assert_eq!(layers.width(), 1500);
        }
        eprintln!(
            "find_impressions on 1500x2000: CPU median {:?} (min {:?}), wall median {:?}; segmentation alone {segment:?}",
            on_cpu[3], on_cpu[0], wall[3]
        );
    }

    #[test]
    fn background_along_the_sides_is_not_a_seal() {
        // The sheet found a little large: a reddish edge 2 px wide along the top and left sides
        // near a corner (an L that fits a rectangle's two sides), red and pink 16-px checks 12-40 px
        // deep along the right side, and one seal on the page.
        let mut page = blank_page(1240, 1754);
        let p = seal_params(11, "上海华信科技有限公司", "合同专用章", [700.0, 900.0], 10.0);
        stamp_on(&mut page, &p);
        for y in 0..1754u32 {
            for x in 0..1240u32 {
                let depth_right = 12 + 28 * y / 1754;
                if (y < 2 && x < 640) || (x < 2 && y < 450) {
                    page.put_pixel(x, y, image::Rgb([190, 70, 60]));
                }
                if x >= 1240 - depth_right {
                    let red = (x / 16 + y / 16) % 2 == 0;
                    page.put_pixel(x, y, image::Rgb(if red { [200, 40, 45] } else { [235, 170, 175] }));
                }
            }
        }
        let found = find_impressions(&to_rgb8(&page), &SealConfig::default()).expect("find");
        assert_eq!(found.len(), 1, "{found:?}");
        let (c, _) = circle(&found[0]);
        assert!((c[0] - 699.5).abs() < 3.0 && (c[1] - 899.5).abs() < 3.0, "{c:?}");
    }

    #[test]
    fn hostile_pages() {
        let cfg = SealConfig::default();
        for (w, h) in [(0, 0), (1, 1), (31, 500)] {
            let page = Rgb8::new(w, h, vec![255; w * h * 3]).expect("page");
            assert!(matches!(find_impressions(&page, &cfg), Err(PipelineError::Image(ImageError::TooSmall { .. }))));
        }
        let red = Rgb8::new(200, 200, [210u8, 30, 40].repeat(200 * 200)).expect("red");
        assert!(find_impressions(&red, &cfg).expect("all red").is_empty());
        // Red noise everywhere.
        let noise: Vec<u8> = (0..300 * 300)
            .flat_map(|i: usize| {
                if (i.wrapping_mul(2_654_435_761) >> 7).is_multiple_of(3) { [200, 40, 40] } else { [250, 250, 250] }
            })
            .collect();
        let noisy = Rgb8::new(300, 300, noise).expect("noise");
        assert!(find_impressions(&noisy, &cfg).is_ok());
        let tight = SealConfig { max_pixels: 1000, ..cfg.clone() };
        assert!(matches!(find_impressions(&red, &tight), Err(PipelineError::Image(ImageError::TooLarge { .. }))));
        let bad = SealConfig { min_coverage: -1.0, ..cfg };
        assert!(matches!(find_impressions(&red, &bad), Err(PipelineError::Config(_))));
    }
}
