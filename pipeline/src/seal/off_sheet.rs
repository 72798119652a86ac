//! Background left at the border of a page normalised from a photo: when the sheet's outline was
//! found a little outside the paper, strips of the desk or tablecloth line the page's sides. A red
//! checked cloth or reddish wood there is classed as seal ink, and fits of it counted as impressions.
//!
//! Along each side, every few pixels, the depth at which paper begins is measured (the first run of
//! paper pixels long enough that no background texture has one), and a straight line is fitted
//! through those depths by consensus: the paper's edge is straight, while text, a seal cut by the
//! edge or a white check of the cloth only move a minority of the depths. Pixels beyond the line are
//! cleared to paper. A side where paper begins at the border, or where no line holds a majority of
//! the depths, is left as it is.

use super::segment::{InkClass, InkLayers};

/// Deepest background strip looked for, share of the page's short side (6%: 74 px on an A4 page at
/// 150 dpi; the page margin before text is about twice that).
const MAX_DEPTH_REL: f64 = 0.06;
/// Paper begins with a run of this many paper pixels, share of the short side (3%: 37 px at 1240;
/// checks of a tablecloth and grain of wood are shorter).
const PAPER_RUN_REL: f64 = 0.03;
/// Depths are measured every this many pixels along a side, share of the short side.
const STEP_REL: f64 = 0.004;
/// Each depth is the deepest within this distance along the side, share of the short side (2%: 25
/// px at 1240): a white check of a tablecloth next to the paper joins the paper's run and shortens
/// the depth on the rows it spans, but not on the checks beside it.
const ENVELOPE_REL: f64 = 0.02;
/// A depth within this many pixels of the line supports it (at least 2).
const TOLERANCE_REL: f64 = 0.003;
/// Least share of a side's depths that must lie on the line.
const MIN_SUPPORT: f64 = 0.5;

/// The depth of background along one side: `at_start + slope * t` pixels at position `t` along it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EdgeStrip {
    pub at_start: f64,
    pub slope: f64,
}

impl EdgeStrip {
    fn depth(&self, t: f64) -> f64 {
        self.at_start + self.slope * t
    }
}

/// The four sides of a page, in `[left, top, right, bottom]` order.
const SIDES: [Side; 4] = [Side::Left, Side::Top, Side::Right, Side::Bottom];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Top,
    Right,
    Bottom,
}

impl Side {
    /// Length of the side and how deep the page runs from it, for a `w` x `h` region.
    fn extent(self, w: usize, h: usize) -> (usize, usize) {
        match self {
            Side::Left | Side::Right => (h, w),
            Side::Top | Side::Bottom => (w, h),
        }
    }

    /// The pixel at position `t` along the side and depth `d` into the page.
    fn pixel(self, t: usize, d: usize, w: usize, h: usize) -> (usize, usize) {
        match self {
            Side::Left => (d, t),
            Side::Right => (w - 1 - d, t),
            Side::Top => (t, d),
            Side::Bottom => (t, h - 1 - d),
        }
    }
}

/// Find the background strips along the sides of `layers` (a whole page, `short` pixels on its short
/// side) and clear their pixels to paper. Returns the strip found on each side (left, top, right,
/// bottom), `None` where there is none.
pub(crate) fn clear_off_sheet(layers: &mut InkLayers, short: usize) -> [Option<EdgeStrip>; 4] {
    let (w, h) = (layers.width, layers.height);
    let short_f = short as f64;
    let max_depth = (short_f * MAX_DEPTH_REL).round() as usize;
    let run = ((short_f * PAPER_RUN_REL).round() as usize).max(2);
    let step = ((short_f * STEP_REL).round() as usize).max(1);
    let tolerance = (short_f * TOLERANCE_REL).max(2.0);
    if w < 2 * (max_depth + run) || h < 2 * (max_depth + run) || max_depth == 0 {
        return [None; 4];
    }
    let reach = ((short_f * ENVELOPE_REL) / step as f64).round() as usize;
    let strips = SIDES.map(|side| {
        let depths = envelope(&paper_depths(layers, side, max_depth, run, step), reach);
        fit_strip(&depths, tolerance, max_depth as f64)
    });
    for (side, strip) in SIDES.iter().zip(&strips) {
        let Some(strip) = strip else { continue };
        let (len, _) = side.extent(w, h);
        for t in 0..len {
            // One pixel more: the paper's own edge is blended with the background.
            let d = strip.depth(t as f64);
            let clear = if d > 0.5 { (d.ceil() as usize + 1).min(max_depth + 1) } else { 0 };
            for depth in 0..clear {
                let (x, y) = side.pixel(t, depth, w, h);
                let i = y * w + x;
                if let (Some(c), Some(s)) = (layers.class.get_mut(i), layers.strength.get_mut(i)) {
                    *c = InkClass::Paper as u8;
                    *s = 0;
                }
            }
        }
    }
    strips
}

/// `(t, depth)` at every `step` along `side`: where the first run of `run` paper pixels begins,
/// or `None` when none begins within `max_depth`.
fn paper_depths(layers: &InkLayers, side: Side, max_depth: usize, run: usize, step: usize) -> Vec<(f64, Option<f64>)> {
    let (w, h) = (layers.width, layers.height);
    let (len, _) = side.extent(w, h);
    (0..len)
        .step_by(step)
        .map(|t| {
            let mut paper_run = 0usize;
            for d in 0..max_depth + run {
                let (x, y) = side.pixel(t, d, w, h);
                if layers.class_at(x, y) == InkClass::Paper {
                    paper_run += 1;
                    if paper_run == run {
                        let start = d + 1 - run;
                        return (t as f64, (start <= max_depth).then_some(start as f64));
                    }
                } else {
                    paper_run = 0;
                }
            }
            (t as f64, None)
        })
        .collect()
}

/// Each known depth replaced by the deepest known one within `reach` positions of it.
fn envelope(depths: &[(f64, Option<f64>)], reach: usize) -> Vec<(f64, Option<f64>)> {
    (0..depths.len())
        .map(|i| {
            let (t, own) = depths.get(i).copied().unwrap_or((0.0, None));
            let window = depths.get(i.saturating_sub(reach)..(i + reach + 1).min(depths.len())).unwrap_or(&[]);
            let deepest = window.iter().filter_map(|&(_, d)| d).fold(f64::NEG_INFINITY, f64::max);
            (t, own.map(|_| deepest))
        })
        .collect()
}

/// The straight strip most depths agree with (within `tolerance`), refitted by least squares to
/// them, when at least [`MIN_SUPPORT`] of all positions do and it is more than half a pixel deep
/// somewhere. Candidates are lines through pairs of depths half the side apart, and the constant
/// line through each depth: deterministic, and a handful of lines for a few hundred depths.
fn fit_strip(depths: &[(f64, Option<f64>)], tolerance: f64, max_depth: f64) -> Option<EdgeStrip> {
    let known: Vec<(f64, f64)> = depths.iter().filter_map(|&(t, d)| d.map(|d| (t, d))).collect();
    let n = known.len();
    if n < 2 {
        return None;
    }
    let support = |s: &EdgeStrip| known.iter().filter(|&&(t, d)| (d - s.depth(t)).abs() <= tolerance).count();
    let half = n / 2;
    let pairs = (0..n - half).filter_map(|i| {
        let ((t0, d0), (t1, d1)) = (*known.get(i)?, *known.get(i + half)?);
        let slope = if t1 > t0 { (d1 - d0) / (t1 - t0) } else { 0.0 };
        Some(EdgeStrip { at_start: d0 - slope * t0, slope })
    });
    let flat = known.iter().map(|&(_, d)| EdgeStrip { at_start: d, slope: 0.0 });
    let (best, votes) = pairs.chain(flat).map(|s| (s, support(&s))).max_by_key(|&(_, v)| v)?;
    if (votes as f64) < MIN_SUPPORT * depths.len() as f64 {
        return None;
    }
    let inliers: Vec<(f64, f64)> =
        known.iter().copied().filter(|&(t, d)| (d - best.depth(t)).abs() <= tolerance).collect();
    let refit = least_squares(&inliers).unwrap_or(best);
    let t_end = depths.last().map_or(0.0, |&(t, _)| t);
    let deepest = refit.depth(0.0).max(refit.depth(t_end));
    (deepest > 0.5 && deepest <= max_depth + tolerance).then_some(refit)
}

fn least_squares(points: &[(f64, f64)]) -> Option<EdgeStrip> {
    let n = points.len() as f64;
    if n < 2.0 {
        return None;
    }
    let (st, sd) = points.iter().fold((0.0, 0.0), |(a, b), &(t, d)| (a + t, b + d));
    let (mt, md) = (st / n, sd / n);
    let (num, den) = points.iter().fold((0.0, 0.0), |(a, b), &(t, d)| (a + (t - mt) * (d - md), b + (t - mt).powi(2)));
    let slope = if den > 0.0 { num / den } else { 0.0 };
    Some(EdgeStrip { at_start: md - slope * mt, slope })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers(w: usize, h: usize) -> InkLayers {
        InkLayers { origin: [0, 0], width: w, height: h, class: vec![0; w * h], strength: vec![0; w * h] }
    }

    fn set(l: &mut InkLayers, x: usize, y: usize, class: InkClass) {
        let w = l.width;
        l.class[y * w + x] = class as u8;
        l.strength[y * w + x] = if class.is_seal_ink() { 90 } else { 0 };
    }

    fn red_count(l: &InkLayers) -> usize {
        l.counts()[InkClass::Red as usize]
    }

    #[test]
    fn a_checked_wedge_on_the_left_is_cleared_and_the_page_kept() {
        // 600 x 800: red and white checks of 12 px in a wedge 10 px deep at the top, 30 at the bottom,
        // and a red line of text-sized ink at x = 120..300 on every 50th row from 25.
        let (w, h) = (600, 800);
        let mut l = layers(w, h);
        for y in 0..h {
            let depth = 10 + 20 * y / h;
            for x in 0..depth {
                if (x / 12 + y / 12) % 2 == 0 {
                    set(&mut l, x, y, InkClass::Red);
                }
            }
            if y % 50 == 25 {
                for x in 120..300 {
                    set(&mut l, x, y, InkClass::Red);
                }
            }
        }
        let strips = clear_off_sheet(&mut l, 600);
        let left = strips[0].expect("left strip");
        assert!((left.depth(0.0) - 10.0).abs() <= 3.0 && (left.depth(799.0) - 30.0).abs() <= 3.0, "{left:?}");
        assert!(strips[1..].iter().all(Option::is_none), "{strips:?}");
        // Only the text-sized lines are left: 16 rows of 180 px.
        assert_eq!(red_count(&l), 16 * 180);
    }

    #[test]
    fn a_seal_cut_by_the_edge_is_kept() {
        // A red disc centred 20 px outside the left edge, radius 100, on a clean page.
        let (w, h) = (600, 800);
        let mut l = layers(w, h);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f64 + 20.0, y as f64 - 400.0);
                if (dx * dx + dy * dy).sqrt() <= 100.0 {
                    set(&mut l, x, y, InkClass::Red);
                }
            }
        }
        let before = red_count(&l);
        assert_eq!(clear_off_sheet(&mut l, 600), [None; 4]);
        assert_eq!(red_count(&l), before);
    }

    #[test]
    fn a_thin_line_along_the_top_is_cleared() {
        let (w, h) = (500, 700);
        let mut l = layers(w, h);
        for x in 0..w {
            set(&mut l, x, 0, InkClass::Red);
            set(&mut l, x, 1, InkClass::Red);
        }
        let strips = clear_off_sheet(&mut l, 500);
        assert!(strips[1].is_some(), "{strips:?}");
        assert_eq!(red_count(&l), 0);
    }

    #[test]
    fn no_paper_anywhere_and_tiny_pages_are_left_alone() {
        // All dark: no paper run anywhere, so no line has support.
        let mut l = layers(400, 400);
        l.class.iter_mut().for_each(|c| *c = InkClass::Dark as u8);
        assert_eq!(clear_off_sheet(&mut l, 400), [None; 4]);
        assert!(l.class.iter().all(|&c| c == InkClass::Dark as u8));
        for (w, h) in [(0, 0), (1, 1), (10, 300)] {
            let mut l = layers(w, h);
            assert_eq!(clear_off_sheet(&mut l, w.min(h)), [None; 4]);
        }
        assert!(fit_strip(&[], 2.0, 10.0).is_none());
        assert!(fit_strip(&[(0.0, None), (4.0, None)], 2.0, 10.0).is_none());
    }
}
