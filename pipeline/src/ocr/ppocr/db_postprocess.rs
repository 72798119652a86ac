//! Differentiable-binarisation post-processing, as RapidOCR's `DBPostProcess` with `score_mode =
//! "fast"` and dilation: threshold and dilate the probability map, take each region's minimum-area
//! rectangle, keep it when it is not tiny and its mean probability is high enough, grow it
//! ("unclip") and map it to image pixels.

use super::contours::{RegionScratch, regions, text_mask};
use super::min_area_rect::{RotatedRect, min_area_rect};

/// A text box: corners top-left, top-right, bottom-right, bottom-left.
pub type Quad = [[f32; 2]; 4];

/// Thresholds of the post-processing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct DbParams {
    /// A map pixel above this is text.
    pub threshold: f32,
    /// Smallest mean probability inside a box.
    pub box_threshold: f32,
    /// Grow a box by `area * unclip_ratio / perimeter` on every side.
    pub unclip_ratio: f32,
    /// Regions looked at, at most (RapidOCR's `max_candidates`).
    pub max_candidates: usize,
}

/// Smallest short side of a box before growing, in map pixels (grown boxes need 2 more).
const MIN_SIZE: f64 = 3.0;

/// Reusable buffers for [`boxes_from_map`].
#[derive(Debug, Default)]
pub(super) struct DbScratch {
    mask: Vec<u8>,
    regions: RegionScratch,
}

/// The text boxes of a `map_w x map_h` probability map, in the pixels of a `dest_w x dest_h` image
/// (the map covers the whole image), in region order (callers sort them).
pub(super) fn boxes_from_map(
    prob: &[f32],
    (map_w, map_h): (usize, usize),
    (dest_w, dest_h): (usize, usize),
    params: &DbParams,
    scratch: &mut DbScratch,
) -> Vec<Quad> {
    let mut out = Vec::new();
    if map_w == 0 || map_h == 0 || dest_w == 0 || dest_h == 0 || prob.len() != map_w.saturating_mul(map_h) {
        return out;
    }
    text_mask(prob, map_w, map_h, params.threshold, &mut scratch.mask);
    let (sx, sy) = (dest_w as f64 / map_w as f64, dest_h as f64 / map_h as f64);
    regions(&scratch.mask, map_w, map_h, params.max_candidates, &mut scratch.regions, |hull| {
        let Some(rect) = min_area_rect(hull) else { return };
        if rect.short_side() < MIN_SIZE {
            return;
        }
        let corners = order_corners(rect.corners());
        if box_score(prob, map_w, map_h, &corners) < params.box_threshold {
            return;
        }
        let grown = unclip(&rect, params.unclip_ratio);
        if grown.short_side() < MIN_SIZE + 2.0 {
            return;
        }
        // To image pixels, rounded (half to even, as NumPy) and kept inside the image.
        let scaled = order_corners(grown.corners()).map(|[x, y]| {
            [
                (x * sx).round_ties_even().clamp(0.0, (dest_w - 1) as f64),
                (y * sy).round_ties_even().clamp(0.0, (dest_h - 1) as f64),
            ]
        });
        let quad = order_corners(scaled);
        let side = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt().trunc();
        if side(quad[0], quad[1]) <= 3.0 || side(quad[0], quad[3]) <= 3.0 {
            return;
        }
        out.push(quad.map(|p| p.map(|v| v as f32)));
    });
    out
}

/// Grow `rect` by `area * ratio / perimeter` on every side (pyclipper's round offset of a rectangle,
/// whose minimum-area rectangle is the rectangle grown by the offset).
pub(super) fn unclip(rect: &RotatedRect, ratio: f32) -> RotatedRect {
    let perimeter = 2.0 * (rect.width + rect.height);
    if perimeter <= 0.0 {
        return *rect;
    }
    rect.grown(rect.width * rect.height * f64::from(ratio) / perimeter)
}

/// Order four corners top-left, top-right, bottom-right, bottom-left as RapidOCR does: the two with
/// the smallest x are the left side, the upper of each side is its top.
pub(super) fn order_corners(mut p: [[f64; 2]; 4]) -> [[f64; 2]; 4] {
    p.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let (tl, bl) = if p[1][1] < p[0][1] { (p[1], p[0]) } else { (p[0], p[1]) };
    let (tr, br) = if p[3][1] < p[2][1] { (p[3], p[2]) } else { (p[2], p[3]) };
    [tl, tr, br, bl]
}

/// Mean of `prob` over the pixels whose centres lie inside the convex quad `corners` (its corners
/// truncated to integers, as RapidOCR's `box_score_fast`); 0 when no pixel does.
pub(super) fn box_score(prob: &[f32], w: usize, h: usize, corners: &[[f64; 2]; 4]) -> f32 {
    if w == 0 || h == 0 || prob.len() < w.saturating_mul(h) {
        return 0.0;
    }
    let pts = corners.map(|p| p.map(|v| v.trunc()));
    let (mut y_lo, mut y_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in &pts {
        (y_lo, y_hi) = (y_lo.min(p[1]), y_hi.max(p[1]));
    }
    if !(y_lo.is_finite() && y_hi.is_finite()) {
        return 0.0;
    }
    let y0 = y_lo.max(0.0) as usize;
    let y1 = (y_hi.min((h - 1) as f64)).max(-1.0);
    let (mut sum, mut n) = (0f64, 0usize);
    if y1 < 0.0 {
        return 0.0;
    }
    for y in y0..=y1 as usize {
        let yf = y as f64;
        let (mut xl, mut xr) = (f64::INFINITY, f64::NEG_INFINITY);
        for k in 0..4 {
            let (a, b) = (pts[k], pts[(k + 1) % 4]);
            if a[1] == b[1] {
                if a[1] == yf {
                    (xl, xr) = (xl.min(a[0]).min(b[0]), xr.max(a[0]).max(b[0]));
                }
            } else if (a[1].min(b[1])..=a[1].max(b[1])).contains(&yf) {
                let x = a[0] + (yf - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                (xl, xr) = (xl.min(x), xr.max(x));
            }
        }
        if xl > xr {
            continue;
        }
        let x0 = (xl - 1e-9).ceil().max(0.0);
        let x1 = (xr + 1e-9).floor().min((w - 1) as f64);
        if x1 < x0 {
            continue;
        }
        let row = &prob[y * w..(y + 1) * w];
        for &v in &row[x0 as usize..=x1 as usize] {
            sum += f64::from(v);
        }
        n += x1 as usize - x0 as usize + 1;
    }
    if n == 0 { 0.0 } else { (sum / n as f64) as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: DbParams = DbParams { threshold: 0.3, box_threshold: 0.5, unclip_ratio: 1.6, max_candidates: 1000 };

    /// A `w x h` map of `background` with value `v` over each `(x0, y0, x1, y1)` (inclusive) block.
    fn map(w: usize, h: usize, background: f32, blocks: &[(usize, usize, usize, usize, f32)]) -> Vec<f32> {
        let mut m = vec![background; w * h];
        for &(x0, y0, x1, y1, v) in blocks {
            for y in y0..=y1 {
                m[y * w + x0..=y * w + x1].fill(v);
            }
        }
        m
    }

    #[test]
    fn one_block_becomes_one_grown_box() {
        // A text line of 41 x 9 map pixels at (10, 20); dilation adds one pixel right and down.
        let prob = map(100, 60, 0.0, &[(10, 20, 50, 28, 0.9)]);
        let boxes = boxes_from_map(&prob, (100, 60), (100, 60), &PARAMS, &mut DbScratch::default());
        assert_eq!(boxes.len(), 1);
        // Centres span 10..=51 x 20..=29 after dilation: 41 x 9; grown by 41*9*1.6/100 = 5.904.
        let d: f64 = 41.0 * 9.0 * 1.6 / 100.0;
        let want = [[10.0 - d, 20.0 - d], [51.0 + d, 20.0 - d], [51.0 + d, 29.0 + d], [10.0 - d, 29.0 + d]];
        for (got, want) in boxes[0].iter().zip(&want) {
            assert!((got[0] as f64 - want[0].round()).abs() < 1e-6, "{boxes:?}");
            assert!((got[1] as f64 - want[1].round()).abs() < 1e-6, "{boxes:?}");
        }
    }

    #[test]
    fn maps_to_image_scale_and_clips() {
        // Same block on a map a quarter of the image's size; a block at the edge is clipped.
        let prob = map(100, 60, 0.0, &[(10, 20, 50, 28, 0.9), (90, 0, 99, 10, 0.9)]);
        let boxes = boxes_from_map(&prob, (100, 60), (400, 240), &PARAMS, &mut DbScratch::default());
        assert_eq!(boxes.len(), 2);
        for b in &boxes {
            for p in b {
                assert!((0.0..=399.0).contains(&p[0]) && (0.0..=239.0).contains(&p[1]), "{b:?}");
            }
        }
        let line = boxes.iter().find(|b| b[0][1] > 40.0).expect("the line");
        assert!((line[1][0] - line[0][0] - 4.0 * (41.0 + 2.0 * 5.904)).abs() < 3.0, "{line:?}");
    }

    #[test]
    fn faint_tiny_and_empty_maps_give_nothing() {
        let mut s = DbScratch::default();
        // Above the pixel threshold but below the box threshold.
        let faint = map(50, 50, 0.0, &[(5, 5, 40, 15, 0.4)]);
        assert!(boxes_from_map(&faint, (50, 50), (50, 50), &PARAMS, &mut s).is_empty());
        // Too thin: 1 pixel high before dilation, centres 1 apart after.
        let thin = map(50, 50, 0.0, &[(5, 5, 40, 5, 0.9)]);
        assert!(boxes_from_map(&thin, (50, 50), (50, 50), &PARAMS, &mut s).is_empty());
        assert!(boxes_from_map(&[], (0, 0), (10, 10), &PARAMS, &mut s).is_empty());
        assert!(boxes_from_map(&[0.9], (1, 1), (1, 1), &PARAMS, &mut s).is_empty());
        assert!(boxes_from_map(&[0.9; 4], (2, 2), (1, 1), &PARAMS, &mut s).is_empty());
        // Wrong length, NaN and infinities.
        assert!(boxes_from_map(&[0.9; 3], (2, 2), (2, 2), &PARAMS, &mut s).is_empty());
        let nan = vec![f32::NAN; 400];
        assert!(boxes_from_map(&nan, (20, 20), (20, 20), &PARAMS, &mut s).is_empty());
        let all = vec![1.0; 400];
        assert_eq!(boxes_from_map(&all, (20, 20), (20, 20), &PARAMS, &mut s).len(), 1);
    }

    #[test]
    fn separate_blocks_are_separate_boxes() {
        let prob = map(100, 40, 0.0, &[(5, 5, 30, 14, 0.9), (40, 5, 70, 14, 0.9), (40, 25, 70, 34, 0.9)]);
        let boxes = boxes_from_map(&prob, (100, 40), (100, 40), &PARAMS, &mut DbScratch::default());
        assert_eq!(boxes.len(), 3, "{boxes:?}");
    }

    #[test]
    fn tilted_line_gives_a_tilted_box() {
        // A line rising 1 pixel every 8 columns.
        let (w, h) = (200, 80);
        let mut prob = vec![0.0; w * h];
        for x in 20..180 {
            let y0 = 50 - x / 8;
            for y in y0..y0 + 10 {
                prob[y * w + x] = 0.95;
            }
        }
        let boxes = boxes_from_map(&prob, (w, h), (w, h), &PARAMS, &mut DbScratch::default());
        assert_eq!(boxes.len(), 1);
        let [tl, tr, br, bl] = boxes[0];
        assert!(tl[0] < tr[0] && bl[0] < br[0] && tl[1] < bl[1] && tr[1] < br[1]);
        // Right end higher than the left by a pixel every 8 columns.
        assert!((tl[1] - tr[1] - (tr[0] - tl[0]) / 8.0).abs() < 2.0, "{:?}", boxes[0]);
    }

    #[test]
    fn box_score_of_blocks() {
        let prob = map(10, 10, 0.0, &[(2, 2, 5, 5, 1.0)]);
        let inside = [[2.0, 2.0], [5.0, 2.0], [5.0, 5.0], [2.0, 5.0]];
        assert_eq!(box_score(&prob, 10, 10, &inside), 1.0);
        let double = [[2.0, 2.0], [9.0, 2.0], [9.0, 5.0], [2.0, 5.0]];
        assert!((box_score(&prob, 10, 10, &double) - 0.5).abs() < 1e-6);
        let outside = [[20.0, 20.0], [30.0, 20.0], [30.0, 30.0], [20.0, 30.0]];
        assert_eq!(box_score(&prob, 10, 10, &outside), 0.0);
        let negative = [[-30.0, -30.0], [-20.0, -30.0], [-20.0, -20.0], [-30.0, -20.0]];
        assert_eq!(box_score(&prob, 10, 10, &negative), 0.0);
        assert_eq!(box_score(&prob, 10, 10, &[[f64::NAN; 2]; 4]), 0.0);
        assert_eq!(box_score(&[], 0, 0, &inside), 0.0);
    }

    #[test]
    fn corners_are_ordered() {
        let shuffled = [[10.0, 5.0], [0.0, 0.0], [0.0, 5.0], [10.0, 0.0]];
        assert_eq!(order_corners(shuffled), [[0.0, 0.0], [10.0, 0.0], [10.0, 5.0], [0.0, 5.0]]);
    }
}
