//! Where an impression's strokes and a registered seal's disagree, once overlaid on the normalised
//! canvas (see `canvas.rs`): ink on the page farther than a small tolerance from any of the
//! template's strokes (`extra`), and template strokes with no page ink within the tolerance
//! (`missing`), each as the worst share over windows of about a character.
//!
//! Extra ink is strong evidence of another seal: a stamp cannot print where its engraving has
//! nothing, whatever the pressure or the ink. Missing strokes are weaker (pale ink, a lifted corner
//! leave whole areas unprinted) and only count in windows whose page side printed about as much ink
//! as the template has there, which a one-stroke difference does and a faded area does not.

use super::canvas::{Canvas, SIDE};
use super::geometry::norm;

/// Tone (see `canvas.rs`) from which a canvas cell is a stroke.
const STROKE: f32 = 0.5;
/// Tone from which a cell has ink near which a stroke of the other side is not a difference: a
/// stroke's faint edge, where ink spread or the fit's error moves it. At the stroke level itself a
/// right impression's edge fell outside the tolerance and 3 of 347 right seals on the calibration
/// set (seed 7, seal stage) were called another seal; at 0.3, 2 of 347 (and 24 of 88 wrong seals
/// caught by this test and the others, against 27).
const PRESENT: f32 = 0.3;
/// Cells a stroke may be off before it disagrees, on top of the ±1-cell window moves below: a cell
/// is 0.0087 of the radius (1.5 px on a seal of radius 170), so 2 cells in all cover the fit's
/// centre, scale and rotation errors at the outline (2-3 px on the generated pages), while a star
/// 20% smaller moves its points by 0.06 of the radius (7 cells).
const TOLERANCE: usize = 1;
/// Window side and stride, cells (as `canvas.rs`: about one character of the company name).
const WINDOW: usize = 24;
const STRIDE: usize = 12;
/// Fewest stroke cells on the larger side for a window to be judged (a speck is not a character).
const MIN_STROKE_CELLS: usize = 30;
/// Page stroke cells over template stroke cells (both within tolerance of each other's side) from
/// which a window counts as printed for `missing`.
const PRINTED: f64 = 0.6;

/// The worst windows' disagreement, 0..1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct StrokeDiff {
    /// Share of a window's page strokes that no template stroke is near.
    pub extra: f64,
    /// Share of a printed window's template strokes that no page stroke is near.
    pub missing: f64,
    /// Windows judged.
    pub windows: usize,
}

/// Compare the strokes of `page` with those of `template` (same frame and rotation).
pub(crate) fn stroke_diff(template: &Canvas, page: &Canvas, offset: (isize, isize)) -> StrokeDiff {
    let n = SIDE * SIDE;
    let t: Vec<bool> = (0..n).map(|i| template.ink.get(i).is_some_and(|&v| v >= STROKE)).collect();
    let seen = |i: usize| page.valid.get(i).copied().unwrap_or(false);
    let p: Vec<bool> = (0..n).map(|i| seen(i) && page.ink.get(i).is_some_and(|&v| v >= STROKE)).collect();
    // A stroke on one side is judged against any ink on the other: its faint edges count.
    let tp: Vec<bool> = (0..n).map(|i| template.ink.get(i).is_some_and(|&v| v >= PRESENT)).collect();
    let pp: Vec<bool> = (0..n).map(|i| seen(i) && page.ink.get(i).is_some_and(|&v| v >= PRESENT)).collect();
    let near_t = dilate(&tp, TOLERANCE);
    let near_p = dilate(&pp, TOLERANCE);
    let half = (SIDE / 2) as f64;
    let canvas_extent = half / super::canvas::EXTENT;
    let mut out = StrokeDiff::default();
    let mut y0 = 0;
    while y0 + WINDOW <= SIDE {
        let mut x0 = 0;
        while x0 + WINDOW <= SIDE {
            let (cx, cy) = ((x0 + WINDOW / 2) as f64 - half, (y0 + WINDOW / 2) as f64 - half);
            if norm(cx, cy) <= canvas_extent {
                // The best of the small moves of the page window around `offset` (as the window
                // correlation): the fit's local errors are not differences.
                let mut best: Option<(usize, usize, usize, usize)> = None;
                for dy in offset.1 - 1..=offset.1 + 1 {
                    for dx in offset.0 - 1..=offset.0 + 1 {
                        let c = window_counts(&t, &p, &near_t, &near_p, &seen, (x0, y0), (dx, dy));
                        // Least extra share first, then least missing share.
                        let better = |b: &(usize, usize, usize, usize)| {
                            let (ce, be) = (c.2 * b.0.max(1), b.2 * c.0.max(1));
                            ce < be || (ce == be && c.3 * b.1.max(1) < b.3 * c.1.max(1))
                        };
                        if c.4 * 10 >= WINDOW * WINDOW * 7 && best.is_none_or(|b| better(&b)) {
                            best = Some((c.0, c.1, c.2, c.3));
                        }
                    }
                }
                if let Some((pn, tn, extra, missing)) = best
                    && pn.max(tn) >= MIN_STROKE_CELLS
                {
                    out.windows += 1;
                    if pn > 0 {
                        out.extra = out.extra.max(extra as f64 / pn as f64);
                    }
                    if tn > 0 && pn as f64 >= PRINTED * tn as f64 {
                        out.missing = out.missing.max(missing as f64 / tn as f64);
                    }
                }
            }
            x0 += STRIDE;
        }
        y0 += STRIDE;
    }
    out
}

/// Page strokes, template strokes, page strokes far from the template's and template strokes far
/// from the page's, and cells seen, in the template window at `(x0, y0)` against the page's moved
/// by `(dx, dy)`.
fn window_counts(
    t: &[bool],
    p: &[bool],
    near_t: &[bool],
    near_p: &[bool],
    seen: &dyn Fn(usize) -> bool,
    (x0, y0): (usize, usize),
    (dx, dy): (isize, isize),
) -> (usize, usize, usize, usize, usize) {
    let (mut pn, mut tn, mut extra, mut missing, mut valid) = (0, 0, 0, 0, 0);
    for y in y0..(y0 + WINDOW).min(SIDE) {
        let Some(py) = y.checked_add_signed(dy).filter(|&v| v < SIDE) else { continue };
        for x in x0..(x0 + WINDOW).min(SIDE) {
            let Some(px) = x.checked_add_signed(dx).filter(|&v| v < SIDE) else { continue };
            let (i, j) = (y * SIDE + x, py * SIDE + px);
            if !seen(j) {
                continue;
            }
            valid += 1;
            let (ti, pj) = (t.get(i).copied().unwrap_or(false), p.get(j).copied().unwrap_or(false));
            pn += usize::from(pj);
            tn += usize::from(ti);
            extra += usize::from(pj && !near_t.get(i).copied().unwrap_or(false));
            missing += usize::from(ti && !near_p.get(j).copied().unwrap_or(false));
        }
    }
    (pn, tn, extra, missing, valid)
}

/// `src` (SIDE x SIDE) grown by `r` cells in each direction (a square).
fn dilate(src: &[bool], r: usize) -> Vec<bool> {
    let run = |get: &dyn Fn(usize) -> bool, len: usize, put: &mut dyn FnMut(usize, bool)| {
        // Count of set cells in the window [k - r, k + r].
        let mut count = 0usize;
        for k in 0..len.min(r) {
            count += usize::from(get(k));
        }
        for k in 0..len {
            if k + r < len {
                count += usize::from(get(k + r));
            }
            if k > r {
                count -= usize::from(get(k - r - 1));
            }
            put(k, count > 0);
        }
    };
    let mut rows = vec![false; SIDE * SIDE];
    for y in 0..SIDE {
        let base = y * SIDE;
        run(&|k| src.get(base + k).copied().unwrap_or(false), SIDE, &mut |k, v| {
            if let Some(c) = rows.get_mut(base + k) {
                *c = v;
            }
        });
    }
    let mut out = vec![false; SIDE * SIDE];
    for x in 0..SIDE {
        run(&|k| rows.get(k * SIDE + x).copied().unwrap_or(false), SIDE, &mut |k, v| {
            if let Some(c) = out.get_mut(k * SIDE + x) {
                *c = v;
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas(f: impl Fn(usize, usize) -> bool) -> Canvas {
        let n = SIDE * SIDE;
        Canvas { ink: (0..n).map(|i| if f(i % SIDE, i / SIDE) { 1.0 } else { 0.0 }).collect(), valid: vec![true; n] }
    }

    fn bar(x0: usize, x1: usize, y0: usize, y1: usize) -> impl Fn(usize, usize) -> bool {
        move |x, y| (x0..x1).contains(&x) && (y0..y1).contains(&y)
    }

    #[test]
    fn dilation_grows_by_r_and_keeps_the_edges() {
        let mut src = vec![false; SIDE * SIDE];
        src[10 * SIDE + 10] = true;
        src[0] = true;
        let d = dilate(&src, 2);
        assert_eq!(d.iter().filter(|&&v| v).count(), 25 + 9);
        assert!(d[8 * SIDE + 8] && d[12 * SIDE + 12] && !d[13 * SIDE + 10] && d[2 * SIDE + 2]);
        assert!(dilate(&vec![false; SIDE * SIDE], 3).iter().all(|&v| !v));
    }

    #[test]
    fn a_stroke_moved_within_tolerance_agrees_and_an_added_or_missing_one_does_not() {
        let t = canvas(bar(100, 106, 80, 160));
        let moved = canvas(bar(102, 108, 81, 161));
        let d = stroke_diff(&t, &moved, (0, 0));
        assert!(d.windows > 0 && d.extra == 0.0 && d.missing == 0.0, "{d:?}");
        // A second stroke beside the first: half the page's ink is extra.
        let added = canvas(|x, y| bar(100, 106, 80, 160)(x, y) || bar(130, 136, 80, 160)(x, y));
        assert!(stroke_diff(&t, &added, (0, 0)).extra > 0.4);
        // The template has three strokes, the page two of them printed as strongly: missing.
        let three =
            canvas(|x, y| bar(100, 104, 80, 160)(x, y) || bar(108, 112, 80, 160)(x, y) || bar(116, 120, 80, 160)(x, y));
        let two = canvas(|x, y| bar(100, 104, 80, 160)(x, y) || bar(108, 112, 80, 160)(x, y));
        let d = stroke_diff(&three, &two, (0, 0));
        assert!(d.extra == 0.0 && d.missing > 0.3, "{d:?}");
        // Nothing printed: no window judged as missing, nothing extra.
        let empty = canvas(|_, _| false);
        let d = stroke_diff(&t, &empty, (0, 0));
        assert!(d.extra == 0.0 && d.missing == 0.0, "{d:?}");
    }

    #[test]
    fn cells_not_seen_are_not_judged() {
        let t = canvas(bar(100, 106, 80, 160));
        let mut page = canvas(bar(130, 136, 80, 160));
        page.valid = vec![false; SIDE * SIDE];
        assert_eq!(stroke_diff(&t, &page, (0, 0)), StrokeDiff::default());
    }
}
