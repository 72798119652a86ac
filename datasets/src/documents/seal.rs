//! Red round company seals (公章, 合同专用章, 财务专用章): the ring, the five-pointed star, the company
//! name along the upper arc and the seal's purpose across the bottom, printed with uneven ink, and
//! stamped onto a page with a darken-only multiply blend so the text beneath stays readable.

use ab_glyph::PxScale;
use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::error::FontError;
use super::fonts::{Face, FontChain, em_scale};
use super::noise::ValueNoise;
use super::raster::{Mask, glyph_mask};
use super::render::{PAGE_HEIGHT, PAGE_WIDTH, RenderedPage};
use super::rng::Rng;

/// The largest seal diameter drawn, pixels.
pub const MAX_SEAL_DIAMETER: f32 = 2000.0;

/// Everything that determines a seal impression, in page pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SealParams {
    pub company: String,
    /// Bottom text (合同专用章, 财务专用章) or empty for a company seal.
    pub label: String,
    /// Where the seal's centre lands on the page.
    pub center: [f32; 2],
    /// Clockwise rotation of the impression, degrees.
    pub angle_deg: f32,
    pub diameter: f32,
    /// Width of the outer ring.
    pub ring: f32,
    pub color: [u8; 3],
    /// Peak opacity of the ink.
    pub alpha: f32,
    pub face: Face,
    /// Angle covered by the company name, degrees.
    pub span_deg: f32,
    /// Seed of the ink texture.
    pub ink_seed: u64,
}

impl SealParams {
    /// A plausible round seal of `company` centred at `center`.
    pub fn random(rng: &mut Rng, company: &str, label: &str, center: [f32; 2]) -> SealParams {
        let n = company.chars().count() as f32;
        SealParams {
            company: company.to_string(),
            label: label.to_string(),
            center,
            angle_deg: rng.range_f32(-25.0, 25.0),
            diameter: rng.range_f32(300.0, 380.0).round(),
            ring: rng.range_f32(8.0, 12.0),
            color: [rng.range_u64(200, 230) as u8, rng.range_u64(20, 60) as u8, rng.range_u64(30, 70) as u8],
            alpha: rng.range_f32(0.55, 0.85),
            face: *rng.pick(&[Face::NotoSerif, Face::NotoSansBold, Face::UMing, Face::NotoSans]),
            span_deg: (n * 19.0).clamp(150.0, 250.0) + rng.range_f32(-6.0, 6.0),
            ink_seed: rng.next_u64(),
        }
    }
}

/// A seal for a rendered page: over one of its seal spots (the 盖章 line, the sender's name) when it
/// has any, otherwise over a line of its text, in `company`'s name with bottom text `label`.
pub fn place_on(rng: &mut Rng, page: &RenderedPage, company: &str, label: &str) -> SealParams {
    let spot = rng.choose(&page.seal_spots).cloned();
    let (anchor, company, label) = match (&spot, page.lines.len()) {
        (Some(s), _) => (s.anchor, s.company.as_str(), s.label.as_str()),
        (None, 0) => ([400.0, 700.0, 800.0, 740.0], company, label),
        (None, n) => (page.lines[rng.range_usize(n.min(2) - 1, n - 1)].bbox, company, label),
    };
    let mut p = SealParams::random(rng, company, label, [0.0, 0.0]);
    let r = p.diameter / 2.0;
    let [x0, y0, x1, y1] = anchor;
    let cx = if spot.is_some() && x1 - x0 > 1.2 * r {
        // Over a company name (and the date under it): within the name's right part.
        x0 + (x1 - x0) * rng.range_f32(0.45, 0.85)
    } else if spot.is_some() {
        // After a short `甲方（盖章）：`: over its end and the blank space that follows.
        x1 + r * rng.range_f32(-0.4, 0.3)
    } else {
        rng.range_f32(x0, x1.max(x0 + 1.0))
    };
    let cy = (y0 + y1) / 2.0 + r * rng.range_f32(-0.35, 0.35);
    let margin = r + 15.0;
    p.center = [
        cx.clamp(margin, (PAGE_WIDTH as f32 - margin).max(margin)),
        cy.clamp(margin, (PAGE_HEIGHT as f32 - margin).max(margin)),
    ];
    p
}

/// A seal's ink coverage (already textured and scaled by opacity), centred in a square mask.
#[derive(Debug, Clone)]
pub struct SealImprint {
    pub mask: Mask,
    pub color: [u8; 3],
}

/// Draw the seal described by `p` (unrotated).
pub fn imprint(p: &SealParams) -> Result<SealImprint, FontError> {
    let chain = FontChain::new(p.face)?;
    // Bounded whatever a manifest says.
    let diameter = if p.diameter.is_nan() { 40.0 } else { p.diameter.clamp(40.0, MAX_SEAL_DIAMETER) };
    let ring = p.ring.max(1.0).min(diameter / 8.0);
    let size = (diameter.ceil() as usize) + 12;
    let c = size as f32 / 2.0;
    let r = diameter / 2.0;
    let mut mask = Mask::new(size, size);
    mask.ring(c, c, r - ring, r);

    // Company name along the upper arc, each character's top towards the rim.
    let chars: Vec<char> = p.company.chars().collect();
    let n = chars.len().max(1);
    let span = p.span_deg.to_radians();
    let step = if n > 1 { span / (n - 1) as f32 } else { 0.0 };
    let h = r * 0.25;
    let r_text = r - ring - r * 0.06 - h / 2.0;
    // Seal engravings have heavier strokes than printed text.
    let stroke = if p.face == Face::NotoSansBold { 0.3 } else { 0.7 };
    let hx = if n > 1 { (h * 0.9).min(step * r_text * 0.95) } else { h * 0.9 };
    for (i, &ch) in chars.iter().enumerate() {
        let theta = -span / 2.0 + i as f32 * step;
        if let Some((font, id)) = chain.glyph(ch)
            && let Some((mut g, _)) = glyph_mask(font, id, scaled(font, hx, h))
        {
            g.thicken(stroke);
            mask.blit_rotated(&g, c + r_text * theta.sin(), c - r_text * theta.cos(), theta);
        }
    }

    // Five-pointed star.
    let star_r = r * 0.3;
    let star_c = [c, c - r * 0.03];
    let pts: Vec<[f32; 2]> = (0..10)
        .map(|k| {
            let a = -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
            let rr = if k % 2 == 0 { star_r } else { star_r * 0.382 };
            [star_c[0] + rr * a.cos(), star_c[1] + rr * a.sin()]
        })
        .collect();
    mask.fill_polygon(&pts);

    // Purpose across the bottom.
    let label: Vec<char> = p.label.chars().collect();
    if !label.is_empty() {
        let lh = r * 0.18;
        let lw = (lh * 0.85).min(r * 0.7 / label.len() as f32);
        let gap = lw * 0.12;
        let total = label.len() as f32 * lw + (label.len() - 1) as f32 * gap;
        let y = c + r * 0.47;
        for (i, &ch) in label.iter().enumerate() {
            let x = c - total / 2.0 + lw / 2.0 + i as f32 * (lw + gap);
            if let Some((font, id)) = chain.glyph(ch)
                && let Some((mut g, _)) = glyph_mask(font, id, scaled(font, lw, lh))
            {
                g.thicken(stroke);
                mask.blit_rotated(&g, x, y, 0.0);
            }
        }
    }

    mask.box_blur(1);
    ink_texture(&mut mask, p);
    Ok(SealImprint { mask, color: p.color })
}

/// The scale at which a glyph is `w` by `h` pixels per em (condensed when `w < h`).
fn scaled(font: &ab_glyph::FontVec, w: f32, h: f32) -> PxScale {
    let k = em_scale(font, 1.0).y;
    PxScale { x: w * k, y: h * k }
}

/// Uneven pressure, low-frequency density, speckle; then scale by opacity.
fn ink_texture(mask: &mut Mask, p: &SealParams) {
    let mut rng = Rng::new(p.ink_seed);
    let low = ValueNoise::new(rng.next_u64());
    let grain = ValueNoise::new(rng.next_u64());
    let dir = rng.range_f32(0.0, std::f32::consts::TAU);
    let (dx, dy) = (dir.cos(), dir.sin());
    let tilt = rng.range_f32(0.05, 0.25);
    let scale = p.diameter / 6.0;
    let half = mask.width as f32 / 2.0;
    for y in 0..mask.height {
        for x in 0..mask.width {
            let i = y * mask.width + x;
            let v = mask.data[i];
            if v <= 0.0 {
                continue;
            }
            let (fx, fy) = (x as f32, y as f32);
            let pressure = 1.0 - tilt * (0.5 + 0.5 * ((fx - half) * dx + (fy - half) * dy) / half);
            let density = (0.65 + 0.6 * low.fbm(fx / scale, fy / scale, 3)).clamp(0.6, 1.0);
            let g = grain.sample(fx / 1.7, fy / 1.7);
            let speck = if g > 0.86 {
                0.25
            } else if g < 0.08 {
                1.15
            } else {
                1.0
            };
            mask.data[i] = (v * pressure * density * speck).clamp(0.0, 1.0) * p.alpha;
        }
    }
}

/// Stamp an imprint onto `page` with its centre at `center`, rotated `angle_deg` clockwise:
/// `page * (1 - a + a * colour)`, which darkens only, so black text beneath stays black.
pub fn stamp(page: &mut RgbImage, imprint: &SealImprint, center: [f32; 2], angle_deg: f32) {
    // Rotate into a local square that holds the imprint at any angle, then blend it in place.
    let side = (imprint.mask.width.max(imprint.mask.height) as f32 * std::f32::consts::SQRT_2).ceil() as usize + 4;
    let (ox, oy) = ((center[0] - side as f32 / 2.0).floor(), (center[1] - side as f32 / 2.0).floor());
    let mut local = Mask::new(side, side);
    local.blit_rotated(&imprint.mask, center[0] - ox, center[1] - oy, angle_deg.to_radians());
    let col = imprint.color.map(|c| f32::from(c) / 255.0);
    for ly in 0..side {
        for lx in 0..side {
            let a = local.data[ly * side + lx];
            let (x, y) = (ox as i64 + lx as i64, oy as i64 + ly as i64);
            if a <= 0.0 || x < 0 || y < 0 || x >= i64::from(page.width()) || y >= i64::from(page.height()) {
                continue;
            }
            let p = page.get_pixel_mut(x as u32, y as u32);
            for (v, k) in p.0.iter_mut().zip(col) {
                *v = (f32::from(*v) * (1.0 - a + a * k)).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// Draw and stamp the seal `p` onto `page`.
pub fn stamp_seal(page: &mut RgbImage, p: &SealParams) -> Result<(), FontError> {
    let im = imprint(p)?;
    stamp(page, &im, p.center, p.angle_deg);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_is_red_dominant_round_and_keeps_black_text_black() {
        let mut rng = Rng::new(5);
        let p = SealParams::random(&mut rng, "上海华信科技有限公司", "合同专用章", [250.0, 250.0]);
        let mut page = RgbImage::from_pixel(500, 500, image::Rgb([255, 255, 255]));
        // A black bar under the seal.
        for y in 240..260 {
            for x in 100..400 {
                page.put_pixel(x, y, image::Rgb([0, 0, 0]));
            }
        }
        stamp_seal(&mut page, &p).expect("fonts installed");
        let inked: Vec<_> = page.pixels().filter(|px| px.0[0] < 250 && px.0[1] < 200 && px.0[0] > 0).collect();
        assert!(inked.len() > 8_000, "{} inked pixels", inked.len());
        let (mut r, mut g, mut b) = (0f64, 0f64, 0f64);
        for px in &inked {
            r += f64::from(255 - px.0[0]);
            g += f64::from(255 - px.0[1]);
            b += f64::from(255 - px.0[2]);
        }
        // Red ink absorbs green and blue, hardly red.
        assert!(g > 3.0 * r && b > 2.0 * r, "absorption r {r} g {g} b {b}");
        assert_eq!(page.get_pixel(250, 250).0, [0, 0, 0]);
        // Nothing outside the seal's circle.
        let reach = p.diameter / 2.0 + 12.0;
        for (x, y, px) in page.enumerate_pixels() {
            let d = ((x as f32 - 250.0).powi(2) + (y as f32 - 250.0).powi(2)).sqrt();
            if d > reach && !(240..260).contains(&y) {
                assert_eq!(px.0, [255, 255, 255], "({x}, {y})");
            }
        }
    }

    #[test]
    #[ignore = "writes /tmp/sealgate-seal.png for a visual check"]
    fn seal_sample() {
        let mut page = RgbImage::from_pixel(900, 450, image::Rgb([250, 250, 247]));
        let seals = [("上海华信科技有限公司", "合同专用章"), ("深圳市博远医疗器械股份有限公司", "财务专用章")];
        for (i, (name, label)) in seals.iter().enumerate() {
            let mut rng = Rng::new(i as u64 + 10);
            let p = SealParams::random(&mut rng, name, label, [220.0 + 450.0 * i as f32, 225.0]);
            stamp_seal(&mut page, &p).expect("fonts");
        }
        page.save("/tmp/sealgate-seal.png").expect("save");
    }
}
