//! Registered seal templates (印模): the clean impression of a seal as a registry stores it —
//! upright (angle 0), full ink, no texture or pressure, on white, at the seal's own pixel size, the
//! seal's centre at the image's centre — to compare page impressions and look-alikes with.

use image::{Rgb, RgbImage};

use super::error::DatasetError;
use super::fonts::FontChain;
use super::raster::Mask;
use super::seal::SealParams;
use super::seal_shapes::{SealGeometry, engraving};

/// White pixels around the seal's mask on each side of a template.
pub const TEMPLATE_MARGIN: usize = 16;

/// The template's ink coverage: the engraving at full strength, centred in a mask of
/// [`SealGeometry::mask_size`]. Refuses parameters [`SealParams::validate`] refuses.
pub fn template_mask(p: &SealParams) -> Result<Mask, DatasetError> {
    p.validate()?;
    let chain = FontChain::new(p.face)?;
    let geometry = SealGeometry::of(p);
    Ok(engraving(p, &geometry, &chain))
}

/// The registered template of `p` in its ink colour on white: the engraving of [`template_mask`]
/// with [`TEMPLATE_MARGIN`] white pixels around it. `p`'s angle, centre, opacity and ink seed play
/// no part; the seal's centre is the image's centre.
pub fn render_template(p: &SealParams) -> Result<RgbImage, DatasetError> {
    let mask = template_mask(p)?;
    let side = |v: usize| {
        v.checked_add(2 * TEMPLATE_MARGIN)
            .and_then(|s| u32::try_from(s).ok())
            .ok_or_else(|| DatasetError::InvalidArgument(format!("template side {v} too large")))
    };
    let (w, h) = (side(mask.width)?, side(mask.height)?);
    let mut image = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
    let ink = p.color.map(|c| f32::from(c) / 255.0);
    for (i, &a) in mask.data.iter().enumerate() {
        if a <= 0.0 {
            continue;
        }
        let (x, y) = (i % mask.width.max(1) + TEMPLATE_MARGIN, i / mask.width.max(1) + TEMPLATE_MARGIN);
        let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else { continue };
        if let Some(px) = image.get_pixel_mut_checked(x, y) {
            px.0 = ink.map(|k| (255.0 * (1.0 - a + a * k)).round().clamp(0.0, 255.0) as u8);
        }
    }
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::rng::Rng;
    use crate::documents::seal::{Ink, MAX_SEAL_DIAMETER, SealShape, hue_deg};

    fn round(seed: u64) -> SealParams {
        SealParams::random(&mut Rng::new(seed), "上海华信科技有限公司", "合同专用章", [400.0, 500.0])
    }

    fn is_ink(px: &Rgb<u8>) -> bool {
        px.0.iter().any(|&v| v < 250)
    }

    #[test]
    fn template_ink_lies_within_the_ring_and_the_ring_is_solid_ink() {
        let p = round(7);
        let t = render_template(&p).expect("fonts installed");
        let (cx, cy) = (t.width() as f32 / 2.0, t.height() as f32 / 2.0);
        let g = SealGeometry::of(&p);
        let r = g.width / 2.0;
        for (x, y, px) in t.enumerate_pixels() {
            let d = (x as f32 + 0.5 - cx).hypot(y as f32 + 0.5 - cy);
            if is_ink(px) {
                assert!(d <= r + 2.0, "ink at ({x}, {y}), {d} from the centre, radius {r}");
            }
        }
        // Full ink, no texture: the middle of the ring is the ink colour all the way round.
        let mid = r - g.ring / 2.0;
        for k in 0..90 {
            let a = k as f32 * std::f32::consts::TAU / 90.0;
            let px = t.get_pixel((cx + mid * a.cos()) as u32, (cy + mid * a.sin()) as u32);
            assert_eq!(px.0, p.color, "ring at {k}");
        }
        // Upright: the label's ink is below the centre, the name's above it.
        let ink_rows = |y0: f32, y1: f32| {
            t.enumerate_pixels()
                .filter(|(x, y, px)| {
                    let (dx, dy) = (*x as f32 - cx, *y as f32 - cy);
                    is_ink(px) && dx.hypot(dy) < r - g.ring - 2.0 && (y0..y1).contains(&(dy / r))
                })
                .count()
        };
        assert!(ink_rows(0.35, 0.6) > 500 && ink_rows(-0.95, -0.6) > 1500);
    }

    #[test]
    fn templates_are_deterministic_and_ignore_placement_opacity_and_ink_texture() {
        let p = round(8);
        let moved = SealParams { angle_deg: 33.0, center: [10.0, 20.0], alpha: 0.3, ink_seed: 99, ..p.clone() };
        let t = render_template(&p).expect("fonts installed");
        assert_eq!(t, render_template(&p).expect("again"));
        assert_eq!(t, render_template(&moved).expect("moved"));
        assert_ne!(t, render_template(&round(9)).expect("another seal"));
    }

    #[test]
    fn blue_and_purple_templates_have_their_hue() {
        for (ink, hues) in [(Ink::Blue, 190.0..260.0), (Ink::Purple, 260.0..330.0)] {
            for shape in SealShape::ALL {
                let mut rng = Rng::new(3);
                let p = SealParams::random_shaped(&mut rng, shape, ink, "北京东方科技有限公司", "财务专用章", [0.0; 2]);
                let t = render_template(&p).expect("fonts installed");
                let inked: Vec<&Rgb<u8>> = t.pixels().filter(|px| px.0.iter().any(|&v| v < 170)).collect();
                assert!(inked.len() > 500, "{ink:?} {shape:?}: {} pixels", inked.len());
                for px in inked {
                    let hue = hue_deg(px.0).unwrap_or(-1.0);
                    assert!(hues.contains(&hue), "{ink:?} {shape:?}: {px:?} hue {hue}");
                }
            }
        }
    }

    #[test]
    fn degenerate_template_params_are_errors_not_panics() {
        let p = round(10);
        for bad in [
            SealParams { diameter: 0.0, ..p.clone() },
            SealParams { diameter: MAX_SEAL_DIAMETER + 1.0, ..p.clone() },
            SealParams { diameter: f32::NEG_INFINITY, ..p.clone() },
            SealParams { company: String::new(), ..p.clone() },
            SealParams { shape: SealShape::Square, aspect: 1e9, ..p.clone() },
        ] {
            assert!(matches!(render_template(&bad), Err(DatasetError::InvalidArgument(_))), "{bad:?}");
        }
        let largest = SealParams { diameter: MAX_SEAL_DIAMETER, ..p };
        let t = render_template(&largest).expect("the largest seal renders");
        assert_eq!(t.width() as usize, MAX_SEAL_DIAMETER as usize + 12 + 2 * TEMPLATE_MARGIN);
    }
}
