//! How heavily an impression's lettering prints, against its emblem (the central star): each
//! region's stroke cells on the page over the registered seal's, and the lettering's ratio over the
//! emblem's.
//!
//! A seal engraved in another typeface keeps its name, label, layout and star, and the window
//! comparison of `canvas.rs` sees each character's strokes a little off (median window 0.87-0.95,
//! within the right seal's lower tail of pale impressions). Its strokes are of another weight,
//! though: a bold 黑体 prints half as much ink again as a 宋体 of the same characters (1.49 in
//! `template.rs`'s test, the same seal stamped again 0.96-0.97). The same seal stamped harder,
//! softer or in a photo of another resolution changes its lettering and its emblem together, so the
//! ratio of the two cancels pressure and scale; both canvases are in their outlines' normalised
//! frames.
//!
//! One-way: pale ink thins a seal's fine strokes before its solid star, so a right impression's
//! lettering can weigh much less than its emblem, as little as a lighter typeface's, and only a
//! heavier lettering is evidence. Ink spread thickens fine strokes more than a solid star too, so a
//! heavier lettering counts only where the characters also fit less closely than a right seal's
//! usually do (the caller's rule, `inspect.heavy_lettering_max_typical`). Measured on the seal
//! stage of both generated sets (whole round and oval impressions with a star): right seals (577)
//! 0.40-1.30, those whose median window is below 0.96 (55) at most 1.22; typeface look-alikes (38)
//! 0.48-1.76, heavier than 1.25 with a median window below 0.96: 2 of 20 on seed 7, 7 of 18 on
//! the held-out seed.

use super::canvas::{Canvas, EXTENT, SIDE};
use super::geometry::norm;

/// Tone from which a cell is part of a stroke (as `strokes.rs`).
const STROKE: f32 = 0.5;
/// Normalised radius from which a cell is lettering (the company name along the ring; the star
/// reaches 0.3, the label lies between them and is left out with the emblem's surroundings).
const LETTERING_FROM: f64 = 0.55;
/// Fewest template stroke cells in each region for the ratio to mean anything.
const MIN_CELLS: usize = 150;
/// The emblem's page-over-template ratio outside which it is not a reference: a star printed
/// partly (hidden, lifted) or of another size (that is `star.rs`'s finding).
const EMBLEM_RANGE: (f64, f64) = (0.8, 1.25);

/// The page's stroke cells over the template's in the lettering, divided by the same ratio in the
/// emblem, where `emblem` (`SIDE` x `SIDE`) marks the emblem's cells and the page cell at `offset`
/// from each template cell is valid. `None` when either region has too little of the template's
/// ink seen, or the emblem printed too differently to be a reference.
pub(crate) fn lettering_weight(
    template: &Canvas,
    page: &Canvas,
    offset: (isize, isize),
    emblem: &[bool],
) -> Option<f64> {
    let half = (SIDE / 2) as f64;
    let unit = half / EXTENT;
    let stroke = |c: &Canvas, i: usize| c.ink.get(i).is_some_and(|&v| v >= STROKE);
    // [template, page] stroke cells in the emblem, then in the lettering.
    let mut counts = [[0usize; 2]; 2];
    for y in 0..SIDE {
        let Some(py) = y.checked_add_signed(offset.1).filter(|&v| v < SIDE) else { continue };
        for x in 0..SIDE {
            let Some(px) = x.checked_add_signed(offset.0).filter(|&v| v < SIDE) else { continue };
            let (i, j) = (y * SIDE + x, py * SIDE + px);
            if !page.valid.get(j).copied().unwrap_or(false) {
                continue;
            }
            let region = if emblem.get(i).copied().unwrap_or(false) {
                0
            } else if norm(x as f64 - half, y as f64 - half) >= LETTERING_FROM * unit {
                1
            } else {
                continue;
            };
            if let Some(c) = counts.get_mut(region) {
                c[0] += usize::from(stroke(template, i));
                c[1] += usize::from(stroke(page, j));
            }
        }
    }
    let [[te, pe], [tl, pl]] = counts;
    if te < MIN_CELLS || tl < MIN_CELLS || pe == 0 {
        return None;
    }
    let emblem_ratio = pe as f64 / te as f64;
    if !(EMBLEM_RANGE.0..=EMBLEM_RANGE.1).contains(&emblem_ratio) {
        return None;
    }
    Some(pl as f64 / tl as f64 / emblem_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A canvas with a disc of radius `0.3 x emblem_scale` at the centre (the emblem) and radial
    /// bars from radius 0.65 to 0.85 every 20 degrees, `width` cells wide at 0.75 (the lettering),
    /// every cell valid.
    fn seal(width: usize, emblem_scale: f64) -> Canvas {
        let half = (SIDE / 2) as f64;
        let unit = half / EXTENT;
        let ink = (0..SIDE * SIDE)
            .map(|i| {
                let (x, y) = ((i % SIDE) as f64 - half, (i / SIDE) as f64 - half);
                let r = norm(x, y) / unit;
                let along = (y.atan2(x).to_degrees() + 360.0) % 20.0;
                let in_bar = (0.65..0.85).contains(&r) && along.to_radians() * 0.75 * unit < width as f64;
                if r <= 0.3 * emblem_scale || in_bar { 1.0 } else { 0.0 }
            })
            .collect();
        Canvas { ink, valid: vec![true; SIDE * SIDE] }
    }

    fn emblem_mask() -> Vec<bool> {
        let half = (SIDE / 2) as f64;
        let unit = half / EXTENT;
        (0..SIDE * SIDE).map(|i| norm((i % SIDE) as f64 - half, (i / SIDE) as f64 - half) / unit <= 0.4).collect()
    }

    #[test]
    fn heavier_lettering_weighs_more_and_the_same_seal_one() {
        let t = seal(3, 1.0);
        let mask = emblem_mask();
        let same = lettering_weight(&t, &t, (0, 0), &mask).expect("weight");
        assert!((same - 1.0).abs() < 1e-9, "{same}");
        let heavy = lettering_weight(&t, &seal(5, 1.0), (0, 0), &mask).expect("weight");
        assert!(heavy > 1.4, "{heavy}");
        let light = lettering_weight(&t, &seal(2, 1.0), (0, 0), &mask).expect("weight");
        assert!(light < 0.8, "{light}");
    }

    #[test]
    fn the_emblem_is_the_reference_within_its_range() {
        let t = seal(3, 1.0);
        let mask = emblem_mask();
        // A star a tenth larger (area 1.21) with the same lettering: the lettering weighs less.
        let w = lettering_weight(&t, &seal(3, 1.1), (0, 0), &mask).expect("weight");
        assert!((w - 1.0 / 1.21).abs() < 0.05, "{w}");
        // A star three tenths larger is another seal's (`star.rs`), not a reference.
        assert_eq!(lettering_weight(&t, &seal(3, 1.3), (0, 0), &mask), None);
    }

    #[test]
    fn too_little_seen_or_nothing_printed_is_none() {
        let t = seal(3, 1.0);
        let mask = emblem_mask();
        let mut hidden = seal(5, 1.0);
        hidden.valid = vec![false; SIDE * SIDE];
        assert_eq!(lettering_weight(&t, &hidden, (0, 0), &mask), None);
        let empty = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
        assert_eq!(lettering_weight(&t, &empty, (0, 0), &mask), None);
        assert_eq!(lettering_weight(&empty, &t, (0, 0), &mask), None);
        // No emblem marked, an offset off the canvas, a mask of the wrong size.
        assert_eq!(lettering_weight(&t, &t, (0, 0), &[]), None);
        assert_eq!(lettering_weight(&t, &t, (SIDE as isize, 0), &mask), None);
        assert_eq!(lettering_weight(&t, &t, (0, 0), &mask[..10]), None);
    }
}
