//! The company name of a round seal unrolled into a straight strip, for a text recogniser: the band
//! just inside the ring where the name runs, from a little past the bottom clockwise round to a
//! little before it (the bottom holds the star's foot and the horizontal label), outer edge at the
//! top so that the characters stand upright. Seal ink is drawn black on white, everything else
//! (paper, black text crossing the seal) white.
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

/// The name band of a round impression of `shape` on `layers` (whole-page layers, page pixels),
/// unrolled from `bottom_deg` (the screen direction of the seal's bottom: 90 for an upright seal,
/// clockwise) plus the gap, clockwise. `None` for a rectangle, a degenerate outline or an ellipse
/// (its name follows the oval at another spacing; not measured).
pub fn ring_strip(layers: &InkLayers, shape: &SealShape, bottom_deg: f64) -> Option<Rgb8> {
    if !matches!(shape, SealShape::Circle { .. }) || !bottom_deg.is_finite() {
        return None;
    }
    let frame = Frame::of(shape)?;
    let mut data = vec![255u8; STRIP_WIDTH * STRIP_HEIGHT * 3];
    let [ox, oy] = layers.origin().map(|v| v as f64);
    let span = 360.0 - 2.0 * BOTTOM_GAP_DEG;
    for v in 0..STRIP_HEIGHT {
        let rho = OUTER_RHO - (OUTER_RHO - INNER_RHO) * (v as f64 + 0.5) / STRIP_HEIGHT as f64;
        for u in 0..STRIP_WIDTH {
            let angle = (bottom_deg + BOTTOM_GAP_DEG + span * (u as f64 + 0.5) / STRIP_WIDTH as f64).to_radians();
            let [x, y] = frame.to_page(rho * angle.cos(), rho * angle.sin());
            let (lx, ly) = ((x - ox).round(), (y - oy).round());
            if !(lx >= 0.0 && ly >= 0.0) {
                continue;
            }
            if layers.class_at(lx as usize, ly as usize).is_seal_ink()
                && let Some(px) = data.get_mut((v * STRIP_WIDTH + u) * 3..(v * STRIP_WIDTH + u) * 3 + 3)
            {
                px.fill(0);
            }
        }
    }
    Rgb8::new(STRIP_WIDTH, STRIP_HEIGHT, data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::segment_ink;
    use crate::seal::testutil::{blank_page, seal_params, stamp_on, to_rgb8};

    fn dark_columns(strip: &Rgb8) -> Vec<bool> {
        (0..STRIP_WIDTH)
            .map(|u| (0..STRIP_HEIGHT).any(|v| strip.data().get((v * STRIP_WIDTH + u) * 3).is_some_and(|&p| p == 0)))
            .collect()
    }

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
    fn rectangles_bad_angles_and_empty_layers() {
        let layers = segment_ink(&to_rgb8(&blank_page(64, 64)), &crate::seal::SealConfig::default()).expect("layers");
        let square = SealShape::Rectangle { centre: [32.0, 32.0], size: [40.0, 40.0], angle_deg: 0.0 };
        assert!(ring_strip(&layers, &square, 90.0).is_none());
        let circle = SealShape::Circle { centre: [32.0, 32.0], radius: 20.0 };
        assert!(ring_strip(&layers, &circle, f64::NAN).is_none());
        let degenerate = SealShape::Circle { centre: [32.0, 32.0], radius: 0.0 };
        assert!(ring_strip(&layers, &degenerate, 90.0).is_none());
        // Off the page: all white.
        let far = SealShape::Circle { centre: [-500.0, -500.0], radius: 20.0 };
        let strip = ring_strip(&layers, &far, 90.0).expect("strip");
        assert!(strip.data().iter().all(|&p| p == 255));
    }
}
