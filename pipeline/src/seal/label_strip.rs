//! The label of a round or oval seal (合同专用章, 财务专用章: a line of text across the lower middle,
//! below the star) cut out upright, for a text recogniser. Its place is found once on the
//! registered seal (the rows below the centre with the most ink), and the same place is cut from an
//! impression turned as the template comparison found it. The label names the seal's purpose: a
//! finance seal used where the contract seal was granted differs from it in two characters of five,
//! a few percent of the seal's ink, which a window comparison of the whole seal may not see.
//!
//! Drawn as [`super::ring_strip`] draws the name: seal ink dark by its tone, everything else white.

use super::SealShape;
use super::geometry::Frame;
use super::ring_strip::full_ink;
use super::segment::InkLayers;
use crate::image::Rgb8;

/// Strip height, pixels (the PP-OCR recogniser's input height).
pub const LABEL_HEIGHT: usize = 48;
/// Where a label is looked for, normalised `[x0, y0, x1, y1]` in the upright seal's frame (y
/// down): below the star's lower points (0.21 of the radius on round seals, 0.16 on ovals), inside
/// the ends of the name (its last characters come down to about 0.3 at 0.55-0.7 across).
const SEARCH: [f64; 4] = [-0.55, 0.2, 0.55, 0.8];
/// Rows the search area is sampled in.
const SEARCH_ROWS: usize = 120;
/// Tone from which a sample counts as ink when looking for the label.
const INK_TONE: f32 = 0.35;
/// Least share of a row's samples inked for the row to be part of a line of text.
const ROW_MIN_SHARE: f32 = 0.02;
/// Heights a label may have, normalised (generated labels are 0.18-0.21 of the radius; engraved
/// ones about 0.15-0.25).
const LABEL_MIN_HEIGHT: f64 = 0.06;
const LABEL_MAX_HEIGHT: f64 = 0.4;
/// Margin added round the label's ink, over its height (the recogniser wants some paper round the
/// text; the impression may sit a few percent off the template's alignment).
const MARGIN: f64 = 0.3;

/// The label's box in the normalised frame of `shape` on `layers` (a clean registered impression)
/// turned by `turn_rad` to stand upright, with a margin: the band of rows below the centre with
/// the most ink, as wide as its ink. `None` for a rectangle (square personal seals have no label),
/// a degenerate outline or no band of a label's height.
pub(crate) fn find_label(layers: &InkLayers, shape: &SealShape, turn_rad: f64) -> Option<[f64; 4]> {
    if matches!(shape, SealShape::Rectangle { .. }) {
        return None;
    }
    let frame = Frame::of(shape)?;
    let [x0, y0, x1, y1] = SEARCH;
    let [ax, ay] = frame.axes();
    let cols = ((SEARCH_ROWS as f64 * (x1 - x0) * ax / ((y1 - y0) * ay)).round() as usize).clamp(8, 4 * SEARCH_ROWS);
    let tones = sample(layers, &frame, turn_rad, SEARCH, cols, SEARCH_ROWS);
    let full = full_ink(&tones)?;
    let inked = |i: usize| tones.get(i).is_some_and(|&t| t / full >= INK_TONE);
    let row_ink: Vec<usize> = (0..SEARCH_ROWS).map(|r| (0..cols).filter(|&c| inked(r * cols + c)).count()).collect();
    let row_h = (y1 - y0) / SEARCH_ROWS as f64;
    let is_text = |n: usize| n as f32 >= ROW_MIN_SHARE * cols as f32;
    // Runs of text rows, the one with the most ink of a label's height.
    let mut best: Option<(usize, usize, usize)> = None;
    let mut r = 0;
    while r < SEARCH_ROWS {
        if !row_ink.get(r).is_some_and(|&n| is_text(n)) {
            r += 1;
            continue;
        }
        let start = r;
        while row_ink.get(r).is_some_and(|&n| is_text(n)) {
            r += 1;
        }
        let height = (r - start) as f64 * row_h;
        let ink: usize = row_ink.get(start..r).map_or(0, |v| v.iter().sum());
        if (LABEL_MIN_HEIGHT..=LABEL_MAX_HEIGHT).contains(&height) && best.is_none_or(|b| ink > b.2) {
            best = Some((start, r, ink));
        }
    }
    let (top, bottom, _) = best?;
    let inked_col = |c: usize| (top..bottom).any(|r| inked(r * cols + c));
    let first = (0..cols).find(|&c| inked_col(c))?;
    let last = (0..cols).rev().find(|&c| inked_col(c))?;
    let col_w = (x1 - x0) / cols as f64;
    let height = (bottom - top) as f64 * row_h;
    // The margin in pixels alike on all sides.
    let (mx, my) = (MARGIN * height * ay / ax, MARGIN * height);
    Some([
        x0 + first as f64 * col_w - mx,
        y0 + top as f64 * row_h - my,
        x0 + (last + 1) as f64 * col_w + mx,
        y0 + bottom as f64 * row_h + my,
    ])
}

/// The box `label` (normalised, the template's upright frame) cut from `layers` around `shape`
/// turned by `turn_rad` (the impression's content that far clockwise of the template's), drawn
/// [`LABEL_HEIGHT`] pixels tall at the box's own aspect. `None` for a degenerate outline or box,
/// or when nothing there is inked.
pub fn label_strip(layers: &InkLayers, shape: &SealShape, turn_rad: f64, label: [f64; 4]) -> Option<Rgb8> {
    let frame = Frame::of(shape)?;
    let [x0, y0, x1, y1] = label;
    let [ax, ay] = frame.axes();
    let aspect = (x1 - x0) * ax / ((y1 - y0) * ay);
    if !(aspect.is_finite() && aspect > 0.0 && turn_rad.is_finite()) {
        return None;
    }
    let width = ((LABEL_HEIGHT as f64 * aspect).round() as usize).clamp(LABEL_HEIGHT, 16 * LABEL_HEIGHT);
    let tones = sample(layers, &frame, turn_rad, label, width, LABEL_HEIGHT);
    let full = full_ink(&tones)?;
    let data = tones.iter().flat_map(|&t| [255 - (255.0 * (t / full).min(1.0)).round() as u8; 3]).collect();
    Rgb8::new(width, LABEL_HEIGHT, data).ok()
}

/// Seal-ink chroma on a `cols` x `rows` grid over the normalised box `area`, row-major, each
/// sample turned by `turn_rad` into the frame.
fn sample(layers: &InkLayers, frame: &Frame, turn_rad: f64, area: [f64; 4], cols: usize, rows: usize) -> Vec<f32> {
    let [x0, y0, x1, y1] = area;
    let (s, c) = turn_rad.sin_cos();
    (0..rows * cols)
        .map(|i| {
            let tx = x0 + (x1 - x0) * ((i % cols) as f64 + 0.5) / cols as f64;
            let ty = y0 + (y1 - y0) * ((i / cols) as f64 + 0.5) / rows as f64;
            layers.chroma_at(frame.to_page(c * tx - s * ty, s * tx + c * ty))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::segment_ink;
    use crate::seal::testutil::{blank_page, dark_columns, seal_params, stamp_on, to_rgb8};

    #[test]
    fn the_label_of_a_generated_seal_is_found_and_cut_at_any_turn() {
        let mut page = blank_page(800, 800);
        let p = seal_params(3, "上海华信科技有限公司", "合同专用章", [400.0, 400.0], 0.0);
        stamp_on(&mut page, &p);
        let layers = segment_ink(&to_rgb8(&page), &crate::seal::SealConfig::default()).expect("layers");
        let shape = SealShape::Circle { centre: [399.5, 399.5], radius: p.diameter / 2.0 };
        let label = find_label(&layers, &shape, 0.0).expect("label");
        // Drawn at 0.47 of the radius, 0.18 tall, at most 0.7 wide.
        let centre_y = (label[1] + label[3]) / 2.0;
        assert!((centre_y - 0.47).abs() < 0.05 && label[0] > -0.55 && label[2] < 0.55, "{label:?}");
        let strip = label_strip(&layers, &shape, 0.0, label).expect("strip");
        assert_eq!(strip.height(), LABEL_HEIGHT);
        let inked = dark_columns(&strip).iter().filter(|&&c| c).count();
        assert!(inked > strip.width() / 2, "{inked} of {}", strip.width());

        // The same seal turned 30 degrees clockwise, cut with that turn: the same strip.
        let mut turned_page = blank_page(800, 800);
        let q = seal_params(3, "上海华信科技有限公司", "合同专用章", [400.0, 400.0], 30.0);
        stamp_on(&mut turned_page, &q);
        let turned = segment_ink(&to_rgb8(&turned_page), &crate::seal::SealConfig::default()).expect("layers");
        let again = label_strip(&turned, &shape, 30f64.to_radians(), label).expect("strip");
        let differing = strip.data().iter().zip(again.data()).filter(|(a, b)| a.abs_diff(**b) > 128).count();
        assert!(differing < strip.data().len() / 10, "{differing}");
        // Not turned, the box holds something else.
        let wrong = label_strip(&turned, &shape, 0.0, label);
        assert!(wrong.is_none_or(|w| w.data() != strip.data()));
    }

    #[test]
    fn squares_degenerate_outlines_and_empty_pages() {
        let layers = segment_ink(&to_rgb8(&blank_page(64, 64)), &crate::seal::SealConfig::default()).expect("layers");
        let square = SealShape::Rectangle { centre: [32.0, 32.0], size: [40.0, 40.0], angle_deg: 0.0 };
        assert!(find_label(&layers, &square, 0.0).is_none());
        let circle = SealShape::Circle { centre: [32.0, 32.0], radius: 20.0 };
        assert!(find_label(&layers, &circle, 0.0).is_none(), "nothing inked");
        assert!(label_strip(&layers, &circle, 0.0, [-0.3, 0.3, 0.3, 0.6]).is_none(), "nothing inked");
        assert!(label_strip(&layers, &circle, f64::NAN, [-0.3, 0.3, 0.3, 0.6]).is_none());
        assert!(label_strip(&layers, &circle, 0.0, [0.3, 0.3, 0.3, 0.6]).is_none(), "empty box");
        let degenerate = SealShape::Circle { centre: [32.0, 32.0], radius: 0.0 };
        assert!(label_strip(&layers, &degenerate, 0.0, [-0.3, 0.3, 0.3, 0.6]).is_none());
    }
}
