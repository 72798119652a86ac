//! The company name of a round seal unrolled into a straight strip, for a text recogniser: the band
//! just inside the ring where the name runs, from a little past the bottom clockwise round to a
//! little before it (the bottom holds the star's foot and the horizontal label), outer edge at the
//! top so that the characters stand upright. Seal ink is drawn dark on white by its tone (chroma,
//! sampled between pixels, over the strip's full-ink level: a pale or unevenly inked impression
//! keeps its strokes' shapes, where a class threshold cut them into blotches the recogniser misread);
//! everything else (paper, black text crossing the seal) is white.
//!
//! A one-character look-alike (海/梅, 贸/货) differs in a few pixels of one character at the page's
//! 150 dpi, too little for the window comparison of `template.rs`; read as text, the character
//! itself differs.

use super::segment::InkLayers;
use super::{SealShape, geometry::Frame};
use crate::image::Rgb8;

/// Strip height, pixels (the PP-OCR recogniser's input height).
pub const STRIP_HEIGHT: usize = 48;
/// Strip width, pixels: about 13 characters of the height's size, a long company name.
pub const STRIP_WIDTH: usize = 900;
/// Normalised radii of the strip's top and bottom rows: the name's outer edge sits just inside the
/// ring (0.90-0.94 of the radius on the generated and engraved seals), its inner edge about 0.65.
const OUTER_RHO: f64 = 0.93;
const INNER_RHO: f64 = 0.60;
/// Degrees left out on both sides of the bottom (the label and the star's foot).
const BOTTOM_GAP_DEG: f64 = 35.0;
/// Share of the inked samples whose chroma is at most the full-ink level drawn black (as the
/// template comparison's canvas: strokes' bodies print at about that level).
const FULL_INK_QUANTILE: f64 = 0.8;

/// The name band of a round impression of `shape` on `layers` (whole-page layers, page pixels),
/// unrolled from `bottom_deg` (the screen direction of the seal's bottom: 90 for an upright seal,
/// clockwise) plus the gap, clockwise. `None` for a rectangle, a degenerate outline, an ellipse
/// (its name follows the oval at another spacing; not measured) or a band with no seal ink.
pub fn ring_strip(layers: &InkLayers, shape: &SealShape, bottom_deg: f64) -> Option<Rgb8> {
    if !matches!(shape, SealShape::Circle { .. }) || !bottom_deg.is_finite() {
        return None;
    }
    let frame = Frame::of(shape)?;
    let span = 360.0 - 2.0 * BOTTOM_GAP_DEG;
    let mut tones = vec![0f32; STRIP_WIDTH * STRIP_HEIGHT];
    for (i, tone) in tones.iter_mut().enumerate() {
        let (u, v) = (i % STRIP_WIDTH, i / STRIP_WIDTH);
        let rho = OUTER_RHO - (OUTER_RHO - INNER_RHO) * (v as f64 + 0.5) / STRIP_HEIGHT as f64;
        let angle = (bottom_deg + BOTTOM_GAP_DEG + span * (u as f64 + 0.5) / STRIP_WIDTH as f64).to_radians();
        *tone = layers.chroma_at(frame.to_page(rho * angle.cos(), rho * angle.sin()));
    }
    // The strokes' bodies print at about the full-ink level, their edges and pores below it.
    let full = full_ink(&tones)?;
    let data = tones.iter().flat_map(|&t| [255 - (255.0 * (t / full).min(1.0)).round() as u8; 3]).collect();
    Rgb8::new(STRIP_WIDTH, STRIP_HEIGHT, data).ok()
}

/// The direction on the seal of the point `share` (0..1) of the way along a strip unrolled with
/// the seal upright (`bottom_deg` 90, as the granted seal's template is): degrees clockwise from the
/// seal's right (y down), in `[0, 360)`. An impression's strip, unrolled from its own bottom (the
/// template's turned by the matched rotation), maps to the template's directions the same way.
pub fn strip_direction_deg(share: f64) -> f64 {
    (90.0 + BOTTOM_GAP_DEG + (360.0 - 2.0 * BOTTOM_GAP_DEG) * share).rem_euclid(360.0)
}

/// Whether the point `[x, y]` of a round seal's normalised frame (outline at radius 1) lies on the
/// unrolled name band, its radius within `margin` of the strip's inner and outer rows, and outside
/// the gap left at the bottom.
pub fn on_name_band([x, y]: [f64; 2], margin: f64) -> bool {
    let rho = x.hypot(y);
    let from_bottom = (y.atan2(x).to_degrees() - 90.0).rem_euclid(360.0);
    (INNER_RHO - margin..=OUTER_RHO + margin).contains(&rho)
        && (BOTTOM_GAP_DEG..=360.0 - BOTTOM_GAP_DEG).contains(&from_bottom)
}

/// The full-ink level of sampled chromas: the [`FULL_INK_QUANTILE`] of the inked samples. `None`
/// when nothing is inked.
pub(crate) fn full_ink(tones: &[f32]) -> Option<f32> {
    let mut inked: Vec<f32> = tones.iter().copied().filter(|&t| t > 0.0).collect();
    if inked.is_empty() {
        return None;
    }
    let k = ((inked.len() as f64 * FULL_INK_QUANTILE) as usize).min(inked.len() - 1);
    let (_, level, _) = inked.select_nth_unstable_by(k, f32::total_cmp);
    Some(level.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::segment_ink;
    use crate::seal::testutil::{blank_page, dark_columns, seal_params, stamp_on, to_rgb8};

    #[test]
    fn the_name_band_of_a_generated_seal_is_unrolled() {
        let mut page = blank_page(800, 800);
        let p = seal_params(3, "上海华信科技有限公司", "合同专用章", [400.0, 400.0], 0.0);
        stamp_on(&mut page, &p);
        let layers = segment_ink(&to_rgb8(&page), &crate::seal::SealConfig::default()).expect("layers");
        let shape = SealShape::Circle { centre: [399.5, 399.5], radius: p.diameter / 2.0 };
        let strip = ring_strip(&layers, &shape, 90.0).expect("strip");
        assert_eq!((strip.width(), strip.height()), (STRIP_WIDTH, STRIP_HEIGHT));
        // The name's characters ink much of the strip, with gaps between them.
        let cols = dark_columns(&strip);
        let inked = cols.iter().filter(|&&c| c).count();
        assert!(inked > STRIP_WIDTH / 3 && inked < STRIP_WIDTH, "{inked}");
        // Turned half a turn, the same seal read from the wrong bottom gives another strip.
        let turned = ring_strip(&layers, &shape, 270.0).expect("strip");
        assert_ne!(dark_columns(&turned), cols);
    }

    #[test]
    fn strip_positions_are_directions_on_the_upright_seal() {
        // From just past the bottom (90 degrees), clockwise through the left (180) and the top
        // (270) to just before the bottom.
        assert!((strip_direction_deg(0.0) - (90.0 + BOTTOM_GAP_DEG)).abs() < 1e-9);
        assert!((strip_direction_deg(0.5) - 270.0).abs() < 1e-9);
        assert!((strip_direction_deg(1.0) - (90.0 - BOTTOM_GAP_DEG)).abs() < 1e-9);
        assert!((0.0..360.0).contains(&strip_direction_deg(0.9)));
        // The band: the top, the right and the left of the ring's inside, not the centre, the ring
        // itself, beyond it, or the label's gap at the bottom.
        for on in [[0.0, -0.8], [0.8, 0.0], [-0.7, -0.2]] {
            assert!(on_name_band(on, 0.0), "{on:?}");
        }
        for off in [[0.0, 0.0], [0.0, -0.3], [0.0, -1.1], [0.0, 0.8], [0.2, 0.75], [f64::NAN, 0.5]] {
            assert!(!on_name_band(off, 0.05), "{off:?}");
        }
        assert!(on_name_band([0.0, -0.97], 0.05) && !on_name_band([0.0, -0.97], 0.0));
    }

    #[test]
    fn rectangles_bad_angles_and_empty_layers() {
        let layers = segment_ink(&to_rgb8(&blank_page(64, 64)), &crate::seal::SealConfig::default()).expect("layers");
        let square = SealShape::Rectangle { centre: [32.0, 32.0], size: [40.0, 40.0], angle_deg: 0.0 };
        assert!(ring_strip(&layers, &square, 90.0).is_none());
        let circle = SealShape::Circle { centre: [32.0, 32.0], radius: 20.0 };
        assert!(ring_strip(&layers, &circle, f64::NAN).is_none());
        let degenerate = SealShape::Circle { centre: [32.0, 32.0], radius: 0.0 };
        assert!(ring_strip(&layers, &degenerate, 90.0).is_none());
        // Off the page, or nothing inked: nothing to read.
        let far = SealShape::Circle { centre: [-500.0, -500.0], radius: 20.0 };
        assert!(ring_strip(&layers, &far, 90.0).is_none());
        assert!(ring_strip(&layers, &circle, 90.0).is_none());
    }
}
