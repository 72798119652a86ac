//! Company and personal seals (公章, 合同专用章, 财务专用章, 法人章): what determines a seal — its
//! shape (round, oval, square), ink (red, blue, purple), lettering and star — drawn with uneven ink
//! and stamped onto a page with a darken-only multiply blend so the text beneath stays readable.
//!
//! The engraving of each shape is in [`super::seal_shapes`]; clean registered templates (印模) in
//! [`super::seal_template`]; impression effects (partial, smudged, double-struck, rotated, scaled) and
//! the ground truth of where an impression lies in [`super::seal_effects`]; look-alike wrong seals in
//! [`super::seal_lookalike`].

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::error::{DatasetError, FontError};
use super::fonts::{Face, FontChain};
use super::noise::ValueNoise;
use super::raster::Mask;
use super::render::{PAGE_HEIGHT, PAGE_WIDTH, RenderedPage};
use super::rng::Rng;
use super::seal_shapes::{SealGeometry, engraving};

/// The largest seal diameter (or side) drawn, pixels.
pub const MAX_SEAL_DIAMETER: f32 = 2000.0;
/// The smallest seal diameter (or side) drawn, pixels; [`imprint`] raises smaller ones to it.
pub const MIN_SEAL_DIAMETER: f32 = 40.0;
/// The most characters a square seal's grid holds (3 columns of 3).
pub const MAX_SQUARE_CHARS: usize = 9;
/// The most characters of a company name or label drawn.
pub const MAX_SEAL_TEXT_CHARS: usize = 64;

/// The outline of a seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealShape {
    /// Round company seal (公章, 合同专用章): ring, five-pointed star, name along the upper arc, label
    /// across the bottom.
    #[default]
    Round,
    /// Oval seal (财务专用章, 发票专用章 style): elliptical ring, name along the upper elliptical arc,
    /// label across the lower middle, a small star or none.
    Oval,
    /// Square or oblong personal seal (法人章, 名章): a border and a grid of characters read in columns
    /// from right to left (张三之印, 李四印).
    Square,
}

impl SealShape {
    pub const ALL: [SealShape; 3] = [SealShape::Round, SealShape::Oval, SealShape::Square];
}

/// The ink family of a seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ink {
    Red,
    Blue,
    Purple,
}

impl Ink {
    pub const ALL: [Ink; 3] = [Ink::Red, Ink::Blue, Ink::Purple];

    /// A colour of this ink: what a full-coverage impression leaves on white paper.
    pub fn random_color(self, rng: &mut Rng) -> [u8; 3] {
        let mut channel = |lo: u64, hi: u64| rng.range_u64(lo, hi).min(255) as u8;
        match self {
            Ink::Red => [channel(200, 230), channel(20, 60), channel(30, 70)],
            Ink::Blue => [channel(20, 60), channel(50, 95), channel(150, 205)],
            Ink::Purple => [channel(110, 150), channel(30, 60), channel(130, 170)],
        }
    }

    /// The ink family of `color` by hue; `None` for greys and hues no seal ink has.
    pub fn of_color(color: [u8; 3]) -> Option<Ink> {
        let hue = hue_deg(color)?;
        match hue {
            h if !(20.0..330.0).contains(&h) => Some(Ink::Red),
            h if (260.0..330.0).contains(&h) => Some(Ink::Purple),
            h if (190.0..260.0).contains(&h) => Some(Ink::Blue),
            _ => None,
        }
    }
}

/// Hue of an RGB colour in degrees `[0, 360)`; `None` when it is grey (saturation under 15%).
pub fn hue_deg(color: [u8; 3]) -> Option<f32> {
    let [r, g, b] = color.map(f32::from);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let chroma = max - min;
    if max <= 0.0 || chroma / max < 0.15 {
        return None;
    }
    let h = if max == r {
        60.0 * ((g - b) / chroma)
    } else if max == g {
        60.0 * ((b - r) / chroma) + 120.0
    } else {
        60.0 * ((r - g) / chroma) + 240.0
    };
    Some(h.rem_euclid(360.0))
}

/// Everything that determines a seal impression, in page pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SealParams {
    /// Company name (round and oval seals), or the characters of a square seal's grid in reading
    /// order (columns from the right, each top to bottom).
    pub company: String,
    /// Bottom text (合同专用章, 财务专用章) or empty for a company seal; not drawn on square seals.
    pub label: String,
    /// Where the seal's centre lands on the page.
    pub center: [f32; 2],
    /// Clockwise rotation of the impression, degrees.
    pub angle_deg: f32,
    /// Outer diameter of a round seal; outer width of an oval or square one.
    pub diameter: f32,
    /// Width of the outer ring or border.
    pub ring: f32,
    pub color: [u8; 3],
    /// Peak opacity of the ink.
    pub alpha: f32,
    pub face: Face,
    /// Angle covered by the company name, degrees (for an oval seal: of the ellipse's parameter).
    pub span_deg: f32,
    /// Seed of the ink texture.
    pub ink_seed: u64,
    #[serde(default)]
    pub shape: SealShape,
    /// Outer height over outer width (oval and square seals; a round seal is always 1).
    #[serde(default = "unit")]
    pub aspect: f32,
    /// Star radius relative to the standard star (0.3 of the seal's smaller radius); 0: no star.
    #[serde(default = "unit")]
    pub star_scale: f32,
}

fn unit() -> f32 {
    1.0
}

impl SealParams {
    /// A plausible round red seal of `company` centred at `center`.
    pub fn random(rng: &mut Rng, company: &str, label: &str, center: [f32; 2]) -> SealParams {
        let n = company.chars().count() as f32;
        SealParams {
            company: company.to_string(),
            label: label.to_string(),
            center,
            angle_deg: rng.range_f32(-25.0, 25.0),
            diameter: rng.range_f32(300.0, 380.0).round(),
            ring: rng.range_f32(8.0, 12.0),
            color: Ink::Red.random_color(rng),
            alpha: rng.range_f32(0.55, 0.85),
            face: *rng.pick(&[Face::NotoSerif, Face::NotoSansBold, Face::UMing, Face::NotoSans]),
            span_deg: (n * 19.0).clamp(150.0, 250.0) + rng.range_f32(-6.0, 6.0),
            ink_seed: rng.next_u64(),
            shape: SealShape::Round,
            aspect: 1.0,
            star_scale: 1.0,
        }
    }

    /// A plausible seal of `shape` in `ink`: `text` is the company name (round, oval) or a person's
    /// name (square: made into a 2x2 or 2x1 grid by [`SealParams::personal_text`]); `label` is the
    /// purpose, ignored for square seals.
    pub fn random_shaped(
        rng: &mut Rng,
        shape: SealShape,
        ink: Ink,
        text: &str,
        label: &str,
        center: [f32; 2],
    ) -> SealParams {
        match shape {
            SealShape::Round => {
                let mut p = SealParams::random(rng, text, label, center);
                if ink != Ink::Red {
                    p.color = ink.random_color(rng);
                }
                p
            }
            SealShape::Oval => SealParams::random_oval(rng, ink, text, label, center),
            SealShape::Square => SealParams::random_personal(rng, ink, text, center),
        }
    }

    /// A plausible oval seal (财务专用章 style) of `company`: a wide ellipse, a small star half the time.
    pub fn random_oval(rng: &mut Rng, ink: Ink, company: &str, label: &str, center: [f32; 2]) -> SealParams {
        let n = company.chars().count() as f32;
        SealParams {
            company: company.to_string(),
            label: label.to_string(),
            center,
            angle_deg: rng.range_f32(-15.0, 15.0),
            diameter: rng.range_f32(300.0, 360.0).round(),
            ring: rng.range_f32(6.0, 9.0),
            color: ink.random_color(rng),
            alpha: rng.range_f32(0.55, 0.85),
            face: *rng.pick(&[Face::NotoSerif, Face::NotoSansBold, Face::UMing, Face::NotoSans]),
            span_deg: (n * 17.0).clamp(160.0, 240.0) + rng.range_f32(-6.0, 6.0),
            ink_seed: rng.next_u64(),
            shape: SealShape::Oval,
            aspect: rng.range_f32(0.64, 0.72),
            star_scale: if rng.chance(0.5) { 0.0 } else { rng.range_f32(0.45, 0.6) },
        }
    }

    /// A plausible square personal seal (法人章) of the person `name`: its characters and 之印 or 印
    /// ([`SealParams::personal_text`]) in a grid; a two-character grid is oblong half the time.
    pub fn random_personal(rng: &mut Rng, ink: Ink, name: &str, center: [f32; 2]) -> SealParams {
        let text = SealParams::personal_text(name);
        let oblong = text.chars().count() == 2 && rng.chance(0.5);
        let side = rng.range_f32(110.0, 160.0).round();
        SealParams {
            company: text,
            label: String::new(),
            center,
            angle_deg: rng.range_f32(-10.0, 10.0),
            diameter: side,
            ring: side * rng.range_f32(0.05, 0.075),
            color: ink.random_color(rng),
            alpha: rng.range_f32(0.6, 0.9),
            face: *rng.pick(&[Face::UKai, Face::NotoSerif, Face::UMing, Face::NotoSansBold]),
            span_deg: 0.0,
            ink_seed: rng.next_u64(),
            shape: SealShape::Square,
            aspect: if oblong { rng.range_f32(0.5, 0.62) } else { 1.0 },
            star_scale: 0.0,
        }
    }

    /// The characters a personal seal of `name` carries: a two-character name gets 之印 (a 2x2 grid),
    /// a one- or three-character name 印; longer names stand alone (at most [`MAX_SQUARE_CHARS`]).
    pub fn personal_text(name: &str) -> String {
        let name: String = name.chars().filter(|c| !c.is_whitespace()).take(MAX_SQUARE_CHARS).collect();
        match name.chars().count() {
            2 => format!("{name}之印"),
            1 | 3 => format!("{name}印"),
            _ => name,
        }
    }

    /// Whether these parameters describe a drawable seal: finite numbers, a size within
    /// [`MIN_SEAL_DIAMETER`]..=[`MAX_SEAL_DIAMETER`] both ways, lettering present and not too long.
    /// [`imprint`] clamps instead; the template, effect and look-alike functions refuse.
    pub fn validate(&self) -> Result<(), DatasetError> {
        let invalid = |what: String| Err(DatasetError::InvalidArgument(format!("seal: {what}")));
        let numbers = [
            ("center x", self.center[0]),
            ("center y", self.center[1]),
            ("angle_deg", self.angle_deg),
            ("diameter", self.diameter),
            ("ring", self.ring),
            ("alpha", self.alpha),
            ("span_deg", self.span_deg),
            ("aspect", self.aspect),
            ("star_scale", self.star_scale),
        ];
        if let Some((name, v)) = numbers.iter().find(|(_, v)| !v.is_finite()) {
            return invalid(format!("{name} is not finite ({v})"));
        }
        let height = self.diameter * self.geometry_aspect();
        for (name, v) in [("diameter", self.diameter), ("height", height)] {
            if !(MIN_SEAL_DIAMETER..=MAX_SEAL_DIAMETER).contains(&v) {
                return invalid(format!("{name} {v} outside {MIN_SEAL_DIAMETER}..={MAX_SEAL_DIAMETER} pixels"));
            }
        }
        if self.ring <= 0.0 || !(0.0..=1.0).contains(&self.alpha) || self.star_scale < 0.0 {
            return invalid(format!(
                "ring {} must be positive, alpha {} within [0, 1], star_scale {} not negative",
                self.ring, self.alpha, self.star_scale
            ));
        }
        let chars = self.company.chars().filter(|c| !c.is_whitespace()).count();
        let limit = if self.shape == SealShape::Square { MAX_SQUARE_CHARS } else { MAX_SEAL_TEXT_CHARS };
        if chars == 0 || chars > limit {
            return invalid(format!("{chars} characters of lettering, want 1..={limit}"));
        }
        if self.label.chars().count() > MAX_SEAL_TEXT_CHARS {
            return invalid(format!("label longer than {MAX_SEAL_TEXT_CHARS} characters"));
        }
        Ok(())
    }

    /// Height over width as drawn: 1 for round seals.
    pub(crate) fn geometry_aspect(&self) -> f32 {
        match self.shape {
            SealShape::Round => 1.0,
            SealShape::Oval | SealShape::Square => self.aspect,
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

/// A seal's ink coverage (already textured and scaled by opacity), centred in its mask.
#[derive(Debug, Clone)]
pub struct SealImprint {
    pub mask: Mask,
    pub color: [u8; 3],
}

/// Draw the seal described by `p` (unrotated), with sizes clamped to what can be drawn.
pub fn imprint(p: &SealParams) -> Result<SealImprint, FontError> {
    let chain = FontChain::new(p.face)?;
    let geometry = SealGeometry::of(p);
    let mut mask = engraving(p, &geometry, &chain);
    ink_texture(&mut mask, p, &geometry);
    Ok(SealImprint { mask, color: p.color })
}

/// Uneven pressure, low-frequency density, speckle; then scale by opacity.
fn ink_texture(mask: &mut Mask, p: &SealParams, geometry: &SealGeometry) {
    let mut rng = Rng::new(p.ink_seed);
    let low = ValueNoise::new(rng.next_u64());
    let grain = ValueNoise::new(rng.next_u64());
    let dir = rng.range_f32(0.0, std::f32::consts::TAU);
    let (dx, dy) = (dir.cos(), dir.sin());
    let tilt = rng.range_f32(0.05, 0.25);
    let scale = geometry.width / 6.0;
    let (half_w, half_h) = (mask.width as f32 / 2.0, mask.height as f32 / 2.0);
    let half = half_w.max(half_h);
    let alpha = if p.alpha.is_nan() { 0.0 } else { p.alpha.clamp(0.0, 1.0) };
    for y in 0..mask.height {
        for x in 0..mask.width {
            let i = y * mask.width + x;
            let v = mask.data[i];
            if v <= 0.0 {
                continue;
            }
            let (fx, fy) = (x as f32, y as f32);
            let pressure = 1.0 - tilt * (0.5 + 0.5 * ((fx - half_w) * dx + (fy - half_h) * dy) / half);
            let density = (0.65 + 0.6 * low.fbm(fx / scale, fy / scale, 3)).clamp(0.6, 1.0);
            let g = grain.sample(fx / 1.7, fy / 1.7);
            let speck = if g > 0.86 {
                0.25
            } else if g < 0.08 {
                1.15
            } else {
                1.0
            };
            mask.data[i] = (v * pressure * density * speck).clamp(0.0, 1.0) * alpha;
        }
    }
}

/// A coverage mask in page orientation and the page pixel its top-left corner lands on.
#[derive(Debug, Clone)]
pub(crate) struct PlacedMask {
    pub mask: Mask,
    pub origin: [i64; 2],
}

/// Turn `mask` by `angle_deg` clockwise about its centre into a page-aligned square mask whose centre
/// lands at `center`, with `pad` spare pixels each side (for blurs that spread the ink).
pub(crate) fn place_rotated(mask: &Mask, center: [f32; 2], angle_deg: f32, pad: usize) -> PlacedMask {
    let side = (mask.width.max(mask.height) as f32 * std::f32::consts::SQRT_2).ceil() as usize + 4 + 2 * pad;
    let (ox, oy) = ((center[0] - side as f32 / 2.0).floor(), (center[1] - side as f32 / 2.0).floor());
    let mut local = Mask::new(side, side);
    local.blit_rotated(mask, center[0] - ox, center[1] - oy, angle_deg.to_radians());
    PlacedMask { mask: local, origin: [ox as i64, oy as i64] }
}

/// Blend a placed mask onto `page` in `color`: `page * (1 - a + a * colour)`, which darkens only.
pub(crate) fn blend(page: &mut RgbImage, placed: &PlacedMask, color: [u8; 3]) {
    let col = color.map(|c| f32::from(c) / 255.0);
    let (w, h) = (i64::from(page.width()), i64::from(page.height()));
    let side = placed.mask.width;
    for (i, &a) in placed.mask.data.iter().enumerate() {
        let (lx, ly) = ((i % side.max(1)) as i64, (i / side.max(1)) as i64);
        let (x, y) = (placed.origin[0].saturating_add(lx), placed.origin[1].saturating_add(ly));
        if a <= 0.0 || x < 0 || y < 0 || x >= w || y >= h {
            continue;
        }
        let p = page.get_pixel_mut(x as u32, y as u32);
        for (v, k) in p.0.iter_mut().zip(col) {
            *v = (f32::from(*v) * (1.0 - a + a * k)).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Stamp an imprint onto `page` with its centre at `center`, rotated `angle_deg` clockwise:
/// `page * (1 - a + a * colour)`, which darkens only, so black text beneath stays black.
pub fn stamp(page: &mut RgbImage, imprint: &SealImprint, center: [f32; 2], angle_deg: f32) {
    let placed = place_rotated(&imprint.mask, center, angle_deg, 0);
    blend(page, &placed, imprint.color);
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
    fn seal_manifests_without_shape_fields_load_as_round_seals() {
        let mut rng = Rng::new(3);
        let p = SealParams::random(&mut rng, "上海华信科技有限公司", "合同专用章", [250.0, 250.0]);
        let mut json = serde_json::to_value(&p).expect("serialises");
        let object = json.as_object_mut().expect("an object");
        for field in ["shape", "aspect", "star_scale"] {
            assert!(object.remove(field).is_some(), "{field}");
        }
        let old: SealParams = serde_json::from_value(json).expect("an old manifest loads");
        assert_eq!(old, p);
        assert_eq!((old.shape, old.aspect, old.star_scale), (SealShape::Round, 1.0, 1.0));
    }

    #[test]
    fn ink_colours_have_their_hue_and_random_seals_follow_shape_and_ink() {
        let mut rng = Rng::new(11);
        for ink in Ink::ALL {
            for _ in 0..200 {
                let c = ink.random_color(&mut rng);
                assert_eq!(Ink::of_color(c), Some(ink), "{c:?}");
            }
        }
        assert_eq!(Ink::of_color([128, 128, 128]), None);
        assert_eq!(Ink::of_color([0, 0, 0]), None);
        for shape in SealShape::ALL {
            for ink in Ink::ALL {
                let p = SealParams::random_shaped(&mut rng, shape, ink, "王小明", "财务专用章", [300.0, 300.0]);
                assert_eq!((p.shape, Ink::of_color(p.color)), (shape, Some(ink)));
                p.validate().unwrap_or_else(|e| panic!("{shape:?} {ink:?}: {e}"));
            }
        }
        assert_eq!(SealParams::personal_text("张三"), "张三之印");
        assert_eq!(SealParams::personal_text("欧阳明"), "欧阳明印");
        assert_eq!(SealParams::personal_text(" 李 "), "李印");
    }

    #[test]
    fn degenerate_params_are_refused_by_validate_and_clamped_by_imprint() {
        let mut rng = Rng::new(4);
        let good = SealParams::random(&mut rng, "上海华信科技有限公司", "合同专用章", [250.0, 250.0]);
        let cases = [
            SealParams { diameter: 0.0, ..good.clone() },
            SealParams { diameter: MAX_SEAL_DIAMETER * 2.0, ..good.clone() },
            SealParams { diameter: f32::NAN, ..good.clone() },
            SealParams { company: "  ".into(), ..good.clone() },
            SealParams { ring: -3.0, ..good.clone() },
            SealParams { alpha: f32::INFINITY, ..good.clone() },
            SealParams { shape: SealShape::Oval, aspect: 0.01, ..good.clone() },
            SealParams { shape: SealShape::Square, company: "一二三四五六七八九十".into(), ..good.clone() },
        ];
        for p in &cases {
            assert!(matches!(p.validate(), Err(DatasetError::InvalidArgument(_))), "{p:?}");
            // Drawing clamps rather than fails, and never panics.
            let im = imprint(p).expect("fonts installed");
            let side = MAX_SEAL_DIAMETER as usize + 12;
            assert!(im.mask.width <= side && im.mask.height <= side && im.mask.width >= 40);
            assert!(im.mask.data.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
            let mut page = RgbImage::from_pixel(60, 60, image::Rgb([255, 255, 255]));
            stamp(&mut page, &im, [f32::NAN, 1e30], f32::NAN);
        }
        assert!(good.validate().is_ok());
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
