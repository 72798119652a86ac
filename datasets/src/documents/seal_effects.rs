//! What happens to a seal between its engraving and the page, for tests of post-stamp inspection:
//! the uneven ink of [`imprint`], a partial impression (an edge beyond the paper, or one side faint
//! from tilted pressure), a smudge (the seal slid while inked), a second strike a little off the
//! first, any rotation and a scale within ±5%. Every effect is recorded in [`ImpressionEffects`] so
//! a manifest can label it, and [`impression_truth`] gives where each impression lies on the page
//! (centre and circle, ellipse or rectangle in page pixels) for detection and shape-fitting checks.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::error::DatasetError;
use super::raster::Mask;
use super::rng::{Rng, mix64};
use super::seal::{PlacedMask, SealImprint, SealParams, SealShape, blend, imprint, place_rotated};
use super::seal_shapes::SealGeometry;

/// Size factors [`ImpressionEffects::validate`] accepts ([`ImpressionEffects::random`] stays within ±5%).
pub const MIN_EFFECT_SCALE: f32 = 0.8;
pub const MAX_EFFECT_SCALE: f32 = 1.25;
/// The longest smudge accepted, page pixels.
pub const MAX_SMUDGE_LENGTH: f32 = 80.0;
/// The largest share of a seal a partial impression may leave without ink.
pub const MAX_MISSING_SHARE: f32 = 0.9;
/// The farthest a second strike may land from the first, page pixels.
pub const MAX_STRIKE_OFFSET: f32 = 500.0;
/// Width of a faint impression's fade, as a share of the seal's extent along the fade.
const FAINT_FADE: f32 = 0.25;
/// Mixed into the ink seed of a second strike, so its ink differs from the first's.
const SECOND_STRIKE_SEED: u64 = 0x5ec0_2d57_21ce;

/// How a partial impression loses part of the seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialKind {
    /// Part of the seal fell beyond the paper's edge: no ink past a straight cut.
    OffEdge,
    /// The seal was pressed unevenly: the ink fades towards one side and is missing at its far end.
    Faint,
}

/// A partial impression: the side of the seal towards `side_deg` is missing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PartialImpression {
    pub kind: PartialKind,
    /// Direction from the seal's centre towards the missing side, degrees clockwise from the page's
    /// +x axis (0: right, 90: down).
    pub side_deg: f32,
    /// Share of the seal's extent along `side_deg` that carries no ink, `[0, MAX_MISSING_SHARE]`.
    pub missing_share: f32,
}

impl PartialImpression {
    /// A side at random, 10% to 45% of the seal missing, either kind.
    pub fn random(rng: &mut Rng) -> PartialImpression {
        PartialImpression {
            kind: if rng.chance(0.5) { PartialKind::OffEdge } else { PartialKind::Faint },
            side_deg: rng.range_f32(0.0, 360.0),
            missing_share: rng.range_f32(0.1, 0.45),
        }
    }
}

/// Directional motion blur: the seal slid while it touched the paper.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Smudge {
    /// Direction of the slide, degrees clockwise from the page's +x axis.
    pub direction_deg: f32,
    /// Length of the slide, page pixels; the ink is spread over it, centred on the impression.
    pub length: f32,
}

impl Smudge {
    /// Any direction, 4 to 16 pixels.
    pub fn random(rng: &mut Rng) -> Smudge {
        Smudge { direction_deg: rng.range_f32(0.0, 360.0), length: rng.range_f32(4.0, 16.0) }
    }
}

/// A second impression of the same seal, a little off the first.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DoubleStrike {
    /// The second impression's centre relative to the first, page pixels.
    pub offset: [f32; 2],
    /// Its rotation relative to the first, degrees clockwise.
    pub rotation_deg: f32,
    /// Its ink relative to the first, `(0, 1]`.
    pub strength: f32,
}

impl DoubleStrike {
    /// 4 to 20 pixels off in any direction, turned up to 6 degrees, half to full ink.
    pub fn random(rng: &mut Rng) -> DoubleStrike {
        let (distance, direction) = (rng.range_f32(4.0, 20.0), rng.range_f32(0.0, std::f32::consts::TAU));
        DoubleStrike {
            offset: [distance * direction.cos(), distance * direction.sin()],
            rotation_deg: rng.range_f32(-6.0, 6.0),
            strength: rng.range_f32(0.5, 1.0),
        }
    }
}

/// Everything done to one stamping of a seal beyond its [`SealParams`] (whose ink texture, angle and
/// centre still apply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpressionEffects {
    /// Size factor of the impression (paper shrink, scan scale).
    #[serde(default = "unit")]
    pub scale: f32,
    /// Degrees added, clockwise, to the seal's own angle.
    #[serde(default)]
    pub extra_rotation_deg: f32,
    #[serde(default)]
    pub partial: Option<PartialImpression>,
    #[serde(default)]
    pub smudge: Option<Smudge>,
    #[serde(default)]
    pub double_strike: Option<DoubleStrike>,
}

fn unit() -> f32 {
    1.0
}

impl Default for ImpressionEffects {
    fn default() -> Self {
        ImpressionEffects::NONE
    }
}

impl ImpressionEffects {
    /// A clean impression: the seal as [`super::seal::stamp_seal`] stamps it.
    pub const NONE: ImpressionEffects =
        ImpressionEffects { scale: 1.0, extra_rotation_deg: 0.0, partial: None, smudge: None, double_strike: None };

    /// Random effects: scale within ±5%; a quarter of impressions turned to any angle; 30% partial,
    /// 20% smudged, 15% double-struck (each independently).
    pub fn random(rng: &mut Rng) -> ImpressionEffects {
        ImpressionEffects {
            scale: rng.range_f32(0.95, 1.05),
            extra_rotation_deg: if rng.chance(0.25) { rng.range_f32(0.0, 360.0) } else { 0.0 },
            partial: rng.chance(0.3).then(|| PartialImpression::random(rng)),
            smudge: rng.chance(0.2).then(|| Smudge::random(rng)),
            double_strike: rng.chance(0.15).then(|| DoubleStrike::random(rng)),
        }
    }

    /// Labels of the effects present (`partial_off_edge`, `partial_faint`, `smudged`,
    /// `double_struck`, `rotated`, `scaled`), for manifests and reports.
    pub fn labels(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        match self.partial.map(|p| p.kind) {
            Some(PartialKind::OffEdge) => out.push("partial_off_edge"),
            Some(PartialKind::Faint) => out.push("partial_faint"),
            None => {}
        }
        if self.smudge.is_some() {
            out.push("smudged");
        }
        if self.double_strike.is_some() {
            out.push("double_struck");
        }
        if self.extra_rotation_deg != 0.0 {
            out.push("rotated");
        }
        if self.scale != 1.0 {
            out.push("scaled");
        }
        out
    }

    /// Finite numbers within the documented bounds.
    pub fn validate(&self) -> Result<(), DatasetError> {
        let invalid = |what: String| Err(DatasetError::InvalidArgument(format!("impression effects: {what}")));
        if !(MIN_EFFECT_SCALE..=MAX_EFFECT_SCALE).contains(&self.scale) {
            return invalid(format!("scale {} outside {MIN_EFFECT_SCALE}..={MAX_EFFECT_SCALE}", self.scale));
        }
        if !self.extra_rotation_deg.is_finite() {
            return invalid(format!("extra rotation {}", self.extra_rotation_deg));
        }
        if let Some(p) = &self.partial
            && !(p.side_deg.is_finite() && (0.0..=MAX_MISSING_SHARE).contains(&p.missing_share))
        {
            return invalid(format!("partial side {} missing share {}", p.side_deg, p.missing_share));
        }
        if let Some(s) = &self.smudge
            && !(s.direction_deg.is_finite() && (0.0..=MAX_SMUDGE_LENGTH).contains(&s.length))
        {
            return invalid(format!("smudge direction {} length {}", s.direction_deg, s.length));
        }
        if let Some(d) = &self.double_strike {
            let offset = d.offset[0].hypot(d.offset[1]);
            if !(offset <= MAX_STRIKE_OFFSET && d.rotation_deg.is_finite() && d.strength > 0.0 && d.strength <= 1.0) {
                return invalid(format!(
                    "second strike offset {:?} rotation {} strength {}",
                    d.offset, d.rotation_deg, d.strength
                ));
            }
        }
        Ok(())
    }

    /// `p` as this impression stamps it: scaled and turned.
    pub fn effective_params(&self, p: &SealParams) -> SealParams {
        SealParams {
            diameter: p.diameter * self.scale,
            ring: p.ring * self.scale,
            angle_deg: p.angle_deg + self.extra_rotation_deg,
            ..p.clone()
        }
    }
}

/// The outer outline of an impression in page pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum SealOutline {
    Circle {
        radius: f32,
    },
    /// `major_angle_deg`: direction of the major axis, clockwise from +x, in `[0, 180)`.
    Ellipse {
        semi_major: f32,
        semi_minor: f32,
        major_angle_deg: f32,
    },
    /// `width` lies along `angle_deg` (clockwise from +x, in `[0, 180)`), `height` across it.
    Rectangle {
        width: f32,
        height: f32,
        angle_deg: f32,
    },
}

/// Where one impression lies on the page.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SealTruth {
    /// The outline's centre, page pixels.
    pub center: [f32; 2],
    /// The seal's rotation, degrees clockwise in `[0, 360)`: its upright lettering turned by this.
    pub angle_deg: f32,
    pub outline: SealOutline,
}

impl SealTruth {
    /// The truth of a seal of `geometry` centred at `center`, turned `angle_deg` clockwise.
    fn of(geometry: &SealGeometry, center: [f32; 2], angle_deg: f32) -> SealTruth {
        let angle = angle_deg.rem_euclid(360.0);
        let half_turn = |a: f32| a.rem_euclid(180.0);
        let outline = match geometry.shape {
            SealShape::Round => SealOutline::Circle { radius: geometry.width / 2.0 },
            SealShape::Oval if geometry.width >= geometry.height => SealOutline::Ellipse {
                semi_major: geometry.width / 2.0,
                semi_minor: geometry.height / 2.0,
                major_angle_deg: half_turn(angle),
            },
            SealShape::Oval => SealOutline::Ellipse {
                semi_major: geometry.height / 2.0,
                semi_minor: geometry.width / 2.0,
                major_angle_deg: half_turn(angle + 90.0),
            },
            SealShape::Square => {
                SealOutline::Rectangle { width: geometry.width, height: geometry.height, angle_deg: half_turn(angle) }
            }
        };
        SealTruth { center, angle_deg: angle, outline }
    }

    /// The page point `(x, y)` in the outline's own frame (relative to its centre, turned back).
    fn local(&self, x: f32, y: f32, angle_deg: f32) -> [f32; 2] {
        let (s, c) = angle_deg.to_radians().sin_cos();
        let (dx, dy) = (x - self.center[0], y - self.center[1]);
        [c * dx + s * dy, -s * dx + c * dy]
    }

    /// Whether the page point `(x, y)` lies inside the outline grown by `margin` pixels.
    pub fn contains(&self, x: f32, y: f32, margin: f32) -> bool {
        match self.outline {
            SealOutline::Circle { radius } => {
                (x - self.center[0]).hypot(y - self.center[1]) <= (radius + margin).max(0.0)
            }
            SealOutline::Ellipse { semi_major, semi_minor, major_angle_deg } => {
                let [u, v] = self.local(x, y, major_angle_deg);
                let (a, b) = ((semi_major + margin).max(1e-3), (semi_minor + margin).max(1e-3));
                (u / a).powi(2) + (v / b).powi(2) <= 1.0
            }
            SealOutline::Rectangle { width, height, angle_deg } => {
                let [u, v] = self.local(x, y, angle_deg);
                u.abs() <= width / 2.0 + margin && v.abs() <= height / 2.0 + margin
            }
        }
    }

    /// The axis-aligned box `[x0, y0, x1, y1]` around the outline, page pixels.
    pub fn bbox(&self) -> [f32; 4] {
        let [hx, hy] = match self.outline {
            SealOutline::Circle { radius } => [radius, radius],
            SealOutline::Ellipse { semi_major: a, semi_minor: b, major_angle_deg } => {
                let (s, c) = major_angle_deg.to_radians().sin_cos();
                [(a * c).hypot(b * s), (a * s).hypot(b * c)]
            }
            SealOutline::Rectangle { width, height, angle_deg } => {
                let (s, c) = angle_deg.to_radians().sin_cos();
                let (a, b) = (width / 2.0, height / 2.0);
                [a * c.abs() + b * s.abs(), a * s.abs() + b * c.abs()]
            }
        };
        [self.center[0] - hx, self.center[1] - hy, self.center[0] + hx, self.center[1] + hy]
    }
}

/// Where the impressions of one stamping lie.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImpressionTruth {
    pub primary: SealTruth,
    /// The second impression of a double strike.
    pub second: Option<SealTruth>,
}

/// What [`stamp_impression`] did: the truth, the effects and how much of the ink reached the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StampedImpression {
    pub truth: ImpressionTruth,
    pub effects: ImpressionEffects,
    /// Share of the primary impression's ink left after a partial impression (1 without one).
    pub ink_kept: f32,
}

/// Where the impressions of `p` stamped with `effects` lie on the page: centre, outline and angle,
/// after scale, extra rotation and a second strike. Refuses what the validators refuse.
pub fn impression_truth(p: &SealParams, effects: &ImpressionEffects) -> Result<ImpressionTruth, DatasetError> {
    effects.validate()?;
    let effective = effects.effective_params(p);
    effective.validate()?;
    Ok(truth_of(&effective, &SealGeometry::of(&effective), effects))
}

fn truth_of(effective: &SealParams, geometry: &SealGeometry, effects: &ImpressionEffects) -> ImpressionTruth {
    let primary = SealTruth::of(geometry, effective.center, effective.angle_deg);
    let second = effects.double_strike.map(|d| {
        let center = [effective.center[0] + d.offset[0], effective.center[1] + d.offset[1]];
        SealTruth::of(geometry, center, effective.angle_deg + d.rotation_deg)
    });
    ImpressionTruth { primary, second }
}

/// Stamp `p` onto `page` with `effects`: textured ink, partial, smudge, a second strike; return the
/// ground truth. With [`ImpressionEffects::NONE`] the page is exactly what
/// [`super::seal::stamp_seal`] makes.
pub fn stamp_impression(
    page: &mut RgbImage,
    p: &SealParams,
    effects: &ImpressionEffects,
) -> Result<StampedImpression, DatasetError> {
    let truth = impression_truth(p, effects)?;
    let effective = effects.effective_params(p);
    let geometry = SealGeometry::of(&effective);
    let first = imprint(&effective)?;
    let ink_kept = stamp_one(page, &first, (effective.center, effective.angle_deg), &geometry, effects, 1.0);
    if let Some(d) = &effects.double_strike {
        let again = SealParams { ink_seed: mix64(effective.ink_seed ^ SECOND_STRIKE_SEED), ..effective.clone() };
        let center = [effective.center[0] + d.offset[0], effective.center[1] + d.offset[1]];
        let angle = effective.angle_deg + d.rotation_deg;
        stamp_one(page, &imprint(&again)?, (center, angle), &geometry, effects, d.strength);
    }
    Ok(StampedImpression { truth, effects: effects.clone(), ink_kept })
}

/// One impression at `(centre, angle)`: place, cut or fade, smudge, weaken, blend; the share of its
/// ink the partial left.
fn stamp_one(
    page: &mut RgbImage,
    im: &SealImprint,
    (center, angle_deg): ([f32; 2], f32),
    geometry: &SealGeometry,
    effects: &ImpressionEffects,
    strength: f32,
) -> f32 {
    let pad = effects.smudge.map_or(0, |s| (s.length / 2.0).ceil() as usize + 2);
    let mut placed = place_rotated(&im.mask, center, angle_deg, pad);
    let kept = effects.partial.map_or(1.0, |partial| {
        let reach = reach_on_page(geometry, angle_deg, partial.side_deg);
        cut_partial(&mut placed, center, &partial, reach)
    });
    if let Some(smudge) = &effects.smudge {
        placed.mask = smudged(&placed.mask, smudge);
    }
    if strength < 1.0 {
        placed.mask.data.iter_mut().for_each(|v| *v *= strength.max(0.0));
    }
    blend(page, &placed, im.color);
    kept
}

/// How far a seal of `geometry` turned `angle_deg` reaches from its centre towards the page
/// direction `side_deg`.
fn reach_on_page(geometry: &SealGeometry, angle_deg: f32, side_deg: f32) -> f32 {
    // The page direction in the seal's own frame.
    let relative = (side_deg - angle_deg).to_radians();
    geometry.reach([relative.cos(), relative.sin()]).max(1.0)
}

/// Remove (off the edge) or fade out (faint) the ink on the side `partial.side_deg` of an impression
/// centred at `center` that reaches `reach` pixels that way; the share of ink kept.
fn cut_partial(placed: &mut PlacedMask, center: [f32; 2], partial: &PartialImpression, reach: f32) -> f32 {
    let (uy, ux) = partial.side_deg.to_radians().sin_cos();
    // Position along the side direction: -1 at the far edge of the seal, 1 at the edge on that side.
    let cut = 1.0 - 2.0 * partial.missing_share.clamp(0.0, MAX_MISSING_SHARE);
    let side = placed.mask.width.max(1);
    let (mut before, mut after) = (0.0f64, 0.0f64);
    for (i, v) in placed.mask.data.iter_mut().enumerate() {
        if *v <= 0.0 {
            continue;
        }
        let x = placed.origin[0] as f32 + (i % side) as f32 + 0.5 - center[0];
        let y = placed.origin[1] as f32 + (i / side) as f32 + 0.5 - center[1];
        let s = (x * ux + y * uy) / reach;
        let keep = match partial.kind {
            PartialKind::OffEdge => ((cut - s) * reach + 0.5).clamp(0.0, 1.0),
            PartialKind::Faint => smoothstep(((cut - s) / FAINT_FADE).clamp(0.0, 1.0)),
        };
        before += f64::from(*v);
        *v *= keep;
        after += f64::from(*v);
    }
    if before > 0.0 { (after / before) as f32 } else { 1.0 }
}

fn smoothstep(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

/// `mask` blurred along the smudge's direction over its length (centred, so the impression's
/// centre stays put).
fn smudged(mask: &Mask, smudge: &Smudge) -> Mask {
    let (dy, dx) = smudge.direction_deg.to_radians().sin_cos();
    let length = smudge.length.clamp(0.0, MAX_SMUDGE_LENGTH);
    let taps = length.ceil() as usize + 1;
    let offsets: Vec<[f32; 2]> = (0..taps)
        .map(|k| {
            let t = if taps > 1 { length * (k as f32 / (taps - 1) as f32 - 0.5) } else { 0.0 };
            [t * dx, t * dy]
        })
        .collect();
    let mut out = Mask::new(mask.width, mask.height);
    for y in 0..mask.height {
        for x in 0..mask.width {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let sum: f32 = offsets.iter().map(|o| mask.sample(px - o[0], py - o[1])).sum();
            out.data[y * mask.width + x] = sum / taps as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::seal::{Ink, stamp_seal};

    const PAPER: [u8; 3] = [252, 251, 248];

    fn page() -> RgbImage {
        RgbImage::from_pixel(700, 700, image::Rgb(PAPER))
    }

    fn seal(shape: SealShape, seed: u64) -> SealParams {
        let mut rng = Rng::new(seed);
        let text = if shape == SealShape::Square { "张三" } else { "上海华信科技有限公司" };
        SealParams::random_shaped(&mut rng, shape, Ink::Red, text, "合同专用章", [350.0, 350.0])
    }

    fn inked(px: &image::Rgb<u8>) -> bool {
        px.0.iter().zip(PAPER).any(|(&v, p)| u16::from(v) + 6 < u16::from(p))
    }

    /// Ink at a page point: any pixel of its 3x3 neighbourhood.
    fn ink_near(img: &RgbImage, x: f32, y: f32) -> bool {
        (-1..=1).any(|dy| {
            (-1..=1).any(|dx| img.get_pixel_checked((x as i64 + dx) as u32, (y as i64 + dy) as u32).is_some_and(inked))
        })
    }

    #[test]
    fn no_effects_stamp_exactly_like_stamp_seal() {
        for shape in SealShape::ALL {
            let p = seal(shape, 1);
            let (mut a, mut b) = (page(), page());
            stamp_seal(&mut a, &p).expect("fonts installed");
            let done = stamp_impression(&mut b, &p, &ImpressionEffects::NONE).expect("stamps");
            assert!(a == b, "{shape:?}");
            assert_eq!(done.ink_kept, 1.0);
            assert!(done.truth.second.is_none() && done.effects.labels().is_empty());
        }
    }

    #[test]
    fn ink_lies_within_the_ground_truth_outline_and_reaches_it() {
        let mut rng = Rng::new(17);
        for shape in SealShape::ALL {
            for k in 0..3 {
                let p = seal(shape, 30 + k);
                let effects = ImpressionEffects {
                    scale: rng.range_f32(0.95, 1.05),
                    extra_rotation_deg: rng.range_f32(0.0, 360.0),
                    ..ImpressionEffects::NONE
                };
                let mut img = page();
                let done = stamp_impression(&mut img, &p, &effects).expect("stamps");
                let truth = done.truth.primary;
                assert_eq!(truth.center, p.center);
                for (x, y, px) in img.enumerate_pixels() {
                    if inked(px) {
                        assert!(truth.contains(x as f32 + 0.5, y as f32 + 0.5, 2.5), "{shape:?} ink at ({x}, {y})");
                    }
                }
                // The ring runs just inside the outline all the way round.
                let ring = p.ring * effects.scale;
                let hits = (0..72)
                    .filter(|&i| {
                        let a = i as f32 * 5f32.to_radians();
                        let (dx, dy) = (a.cos(), a.sin());
                        // Walk in from beyond the outline to its first point inside.
                        let mut t = 1.5 * p.diameter;
                        while t > 0.0 && !truth.contains(350.0 + t * dx, 350.0 + t * dy, 0.0) {
                            t -= 0.25;
                        }
                        let t = t - ring / 2.0;
                        ink_near(&img, 350.0 + t * dx, 350.0 + t * dy)
                    })
                    .count();
                assert!(hits >= 68, "{shape:?}: ring found at {hits}/72 angles");
            }
        }
    }

    #[test]
    fn truth_outline_follows_shape_scale_and_rotation() {
        let effects = ImpressionEffects { scale: 1.04, extra_rotation_deg: 100.0, ..ImpressionEffects::NONE };
        let round = SealParams { angle_deg: -10.0, ..seal(SealShape::Round, 2) };
        let t = impression_truth(&round, &effects).expect("valid").primary;
        assert_eq!(t.outline, SealOutline::Circle { radius: round.diameter * 1.04 / 2.0 });
        assert!((t.angle_deg - 90.0).abs() < 1e-3);
        let oval = SealParams { angle_deg: -10.0, ..seal(SealShape::Oval, 2) };
        let SealOutline::Ellipse { semi_major, semi_minor, major_angle_deg } =
            impression_truth(&oval, &effects).expect("valid").primary.outline
        else {
            panic!("an oval seal has an elliptical outline");
        };
        assert!((semi_major - oval.diameter * 0.52).abs() < 1e-3 && semi_minor < semi_major * 0.75);
        assert!((major_angle_deg - 90.0).abs() < 1e-3, "{major_angle_deg}");
        let square = seal(SealShape::Square, 2);
        let t = impression_truth(&square, &ImpressionEffects::NONE).expect("valid").primary;
        let [x0, y0, x1, y1] = t.bbox();
        let turned = (square.angle_deg.to_radians().cos() + square.angle_deg.to_radians().sin().abs()) / 2.0;
        assert!(((x1 - x0) / 2.0 - square.diameter * turned).abs() < 0.5, "{:?}", t.bbox());
        assert!(y1 > y0 && t.contains(square.center[0], square.center[1], 0.0));
    }

    #[test]
    fn partial_off_edge_leaves_the_stated_side_without_ink() {
        for (shape, side_deg) in [(SealShape::Round, 0.0f32), (SealShape::Oval, 90.0), (SealShape::Square, 225.0)] {
            let p = SealParams { angle_deg: 20.0, ..seal(shape, 3) };
            let partial = PartialImpression { kind: PartialKind::OffEdge, side_deg, missing_share: 0.3 };
            let effects = ImpressionEffects { partial: Some(partial), ..ImpressionEffects::NONE };
            let mut img = page();
            let done = stamp_impression(&mut img, &p, &effects).expect("stamps");
            let reach = reach_on_page(&SealGeometry::of(&p), p.angle_deg, side_deg);
            let (uy, ux) = side_deg.to_radians().sin_cos();
            let (mut far_side, mut near_side) = (0, 0);
            for (x, y, px) in img.enumerate_pixels() {
                let s = ((x as f32 + 0.5 - 350.0) * ux + (y as f32 + 0.5 - 350.0) * uy) / reach;
                if inked(px) {
                    assert!(s <= 0.4 + 1.5 / reach, "{shape:?}: ink at ({x}, {y}), s {s}");
                    near_side += usize::from(s < -0.5);
                    far_side += usize::from(s > 0.1);
                }
            }
            assert!(near_side > 500 && far_side > 200, "{shape:?}: {near_side} {far_side}");
            assert!((0.4..0.95).contains(&done.ink_kept), "{shape:?}: kept {}", done.ink_kept);
            assert_eq!(done.effects.labels(), vec!["partial_off_edge"]);
        }
    }

    #[test]
    fn faint_partial_fades_towards_the_stated_side() {
        let p = SealParams { angle_deg: 0.0, ..seal(SealShape::Round, 4) };
        let partial = PartialImpression { kind: PartialKind::Faint, side_deg: 180.0, missing_share: 0.2 };
        let effects = ImpressionEffects { partial: Some(partial), ..ImpressionEffects::NONE };
        let (mut faint, mut clean) = (page(), page());
        stamp_impression(&mut faint, &p, &effects).expect("stamps");
        stamp_seal(&mut clean, &p).expect("stamps");
        let r = p.diameter / 2.0;
        // Ink absorbed in a vertical band of the seal, by position along x (1: right edge).
        let band = |img: &RgbImage, s0: f32, s1: f32| -> f64 {
            img.enumerate_pixels()
                .filter(|(x, _, _)| (s0..s1).contains(&((*x as f32 + 0.5 - 350.0) / r)))
                .map(|(_, _, px)| px.0.iter().zip(PAPER).map(|(&v, p)| f64::from(p - v.min(p))).sum::<f64>())
                .sum()
        };
        // Missing beyond the cut (x < -0.6 r), fading before it, untouched on the other side.
        assert_eq!(band(&faint, -1.1, -0.62), 0.0);
        let fading = band(&faint, -0.6, -0.35) / band(&clean, -0.6, -0.35);
        assert!((0.05..0.7).contains(&fading), "{fading}");
        assert_eq!(band(&faint, 0.0, 1.1), band(&clean, 0.0, 1.1));
    }

    #[test]
    fn smudge_spreads_ink_along_its_direction_only() {
        let p = SealParams { angle_deg: 0.0, ..seal(SealShape::Round, 5) };
        let smudge = Smudge { direction_deg: 0.0, length: 16.0 };
        let effects = ImpressionEffects { smudge: Some(smudge), ..ImpressionEffects::NONE };
        let (mut smeared, mut clean) = (page(), page());
        stamp_impression(&mut smeared, &p, &effects).expect("stamps");
        stamp_seal(&mut clean, &p).expect("stamps");
        let extent = |img: &RgbImage, horizontal: bool| {
            img.enumerate_pixels()
                .filter(|(_, _, px)| inked(px))
                .map(|(x, y, _)| ((if horizontal { x } else { y }) as f32 + 0.5 - 350.0).abs())
                .fold(0.0f32, f32::max)
        };
        let (wide, tall) = (extent(&smeared, true), extent(&smeared, false));
        assert!(wide > extent(&clean, true) + 4.0, "{wide} vs {}", extent(&clean, true));
        assert!((tall - extent(&clean, false)).abs() <= 2.0, "{tall} vs {}", extent(&clean, false));
        // Blurred along x: the ring's left and right crossings get softer.
        let r = p.diameter / 2.0;
        let darkest =
            |img: &RgbImage, x0: u32, x1: u32| (x0..x1).map(|x| img.get_pixel(x, 350).0[1]).min().unwrap_or(255);
        let (lo, hi) = ((350.0 - r - 4.0) as u32, (350.0 - r + p.ring + 4.0) as u32);
        assert!(darkest(&smeared, lo, hi) > darkest(&clean, lo, hi));
    }

    #[test]
    fn double_strike_shows_a_second_ring_where_the_truth_says() {
        let p = SealParams { angle_deg: 0.0, ..seal(SealShape::Round, 6) };
        let strike = DoubleStrike { offset: [24.0, 0.0], rotation_deg: 3.0, strength: 0.8 };
        let effects = ImpressionEffects { double_strike: Some(strike), ..ImpressionEffects::NONE };
        let mut img = page();
        let done = stamp_impression(&mut img, &p, &effects).expect("stamps");
        let second = done.truth.second.expect("a second impression");
        assert_eq!(second.center, [374.0, 350.0]);
        let mid = p.diameter / 2.0 - p.ring / 2.0;
        // Right of the first ring, where only the second ring runs; and both rings at the left.
        assert!(ink_near(&img, 374.0 + mid, 350.0) && ink_near(&img, 374.0 + mid, 345.0));
        assert!(ink_near(&img, 350.0 - mid, 350.0) && ink_near(&img, 374.0 - mid, 350.0));
        for (x, y, px) in img.enumerate_pixels() {
            if inked(px) {
                let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
                assert!(done.truth.primary.contains(fx, fy, 2.5) || second.contains(fx, fy, 2.5), "({x}, {y})");
            }
        }
    }

    #[test]
    fn random_impressions_are_deterministic_for_a_seed_and_serialise() {
        let stamp_with = |seed: u64| {
            let mut rng = Rng::new(seed);
            let shape = SealShape::ALL[rng.below(3) as usize];
            let p = seal(shape, seed);
            let mut effects = ImpressionEffects::random(&mut rng);
            effects.smudge = Some(Smudge::random(&mut rng));
            effects.partial = Some(PartialImpression::random(&mut rng));
            let mut img = page();
            let done = stamp_impression(&mut img, &p, &effects).expect("stamps");
            (img, done)
        };
        let (a, da) = stamp_with(40);
        let (b, db) = stamp_with(40);
        let (c, _) = stamp_with(41);
        assert!(a == b && a != c);
        assert_eq!(da, db);
        let json = serde_json::to_string(&da).expect("serialises");
        assert_eq!(serde_json::from_str::<StampedImpression>(&json).expect("loads"), da);
        let sparse: ImpressionEffects = serde_json::from_str("{}").expect("defaults");
        assert_eq!(sparse, ImpressionEffects::NONE);
        for seed in 0..200 {
            let e = ImpressionEffects::random(&mut Rng::new(seed));
            assert!(e.validate().is_ok() && (0.95..=1.05).contains(&e.scale));
        }
    }

    #[test]
    fn degenerate_effects_and_seals_are_errors_not_panics() {
        let p = seal(SealShape::Oval, 7);
        let bad = [
            ImpressionEffects { scale: f32::NAN, ..ImpressionEffects::NONE },
            ImpressionEffects { scale: 3.0, ..ImpressionEffects::NONE },
            ImpressionEffects { extra_rotation_deg: f32::INFINITY, ..ImpressionEffects::NONE },
            ImpressionEffects {
                partial: Some(PartialImpression { kind: PartialKind::Faint, side_deg: 0.0, missing_share: 2.0 }),
                ..ImpressionEffects::NONE
            },
            ImpressionEffects { smudge: Some(Smudge { direction_deg: 0.0, length: 1e9 }), ..ImpressionEffects::NONE },
            ImpressionEffects {
                double_strike: Some(DoubleStrike { offset: [f32::NAN, 0.0], rotation_deg: 0.0, strength: 1.0 }),
                ..ImpressionEffects::NONE
            },
            ImpressionEffects {
                double_strike: Some(DoubleStrike { offset: [1.0, 0.0], rotation_deg: 0.0, strength: 0.0 }),
                ..ImpressionEffects::NONE
            },
        ];
        for effects in &bad {
            let mut img = page();
            assert!(matches!(stamp_impression(&mut img, &p, effects), Err(DatasetError::InvalidArgument(_))));
            assert!(img.pixels().all(|px| px.0 == PAPER), "nothing stamped on refusal");
        }
        for seal in [
            SealParams { diameter: 0.0, ..p.clone() },
            SealParams { diameter: 1e9, ..p.clone() },
            SealParams { company: String::new(), ..p.clone() },
        ] {
            assert!(impression_truth(&seal, &ImpressionEffects::NONE).is_err());
        }
        // Stamped entirely off a tiny page: fine, nothing drawn.
        let mut tiny = RgbImage::from_pixel(3, 3, image::Rgb(PAPER));
        let far = SealParams { center: [-5000.0, 9000.0], ..p };
        assert!(stamp_impression(&mut tiny, &far, &ImpressionEffects::NONE).is_ok());
    }

    /// Images side by side on paper, top-aligned, 20 pixels apart.
    fn row(images: &[RgbImage]) -> RgbImage {
        let w = images.iter().map(|i| i.width() + 20).sum::<u32>() + 20;
        let h = images.iter().map(RgbImage::height).max().unwrap_or(0) + 40;
        let mut out = RgbImage::from_pixel(w, h, image::Rgb(PAPER));
        let mut x = 20;
        for im in images {
            image::imageops::overlay(&mut out, im, i64::from(x), 20);
            x += im.width() + 20;
        }
        out
    }

    #[test]
    #[ignore = "writes PNG samples to /tmp/seal-samples for a visual check"]
    fn seal_samples() {
        use crate::documents::seal_lookalike::{LookAlikeKind, look_alike};
        use crate::documents::seal_template::render_template;
        let dir = std::path::Path::new("/tmp/seal-samples");
        std::fs::create_dir_all(dir).expect("dir");
        let mut rng = Rng::new(2025);
        let mut templates = Vec::new();
        for (shape, ink, text, label) in [
            (SealShape::Round, Ink::Red, "上海华信科技有限公司", "合同专用章"),
            (SealShape::Round, Ink::Blue, "深圳市博远医疗器械股份有限公司", ""),
            (SealShape::Oval, Ink::Red, "杭州东方明珠贸易有限公司", "财务专用章"),
            (SealShape::Oval, Ink::Purple, "北京中科恒远信息技术有限公司", "发票专用章"),
            (SealShape::Square, Ink::Red, "张伟", ""),
            (SealShape::Square, Ink::Red, "欧阳明", ""),
            (SealShape::Square, Ink::Blue, "李", ""),
        ] {
            let p = SealParams::random_shaped(&mut rng, shape, ink, text, label, [0.0, 0.0]);
            templates.push(render_template(&p).expect("template"));
        }
        row(&templates).save(dir.join("templates.png")).expect("save");

        for shape in SealShape::ALL {
            let text = if shape == SealShape::Square { "王建国" } else { "上海华信科技有限公司" };
            let mut p = SealParams::random_shaped(&mut rng, shape, Ink::Red, text, "合同专用章", [0.0, 0.0]);
            p.star_scale = p.star_scale.max(if shape == SealShape::Oval { 0.55 } else { 0.0 });
            let mut images = vec![render_template(&p).expect("template")];
            for kind in LookAlikeKind::ALL {
                if let Ok(fake) = look_alike(&p, &mut rng, kind) {
                    eprintln!("{shape:?} {kind:?}: {:?}", fake.change);
                    images.push(render_template(&fake.params).expect("template"));
                }
            }
            row(&images).save(dir.join(format!("lookalike-{shape:?}.png"))).expect("save");
        }

        let named: [(&str, ImpressionEffects); 7] = [
            ("clean", ImpressionEffects::NONE),
            (
                "off-edge",
                ImpressionEffects {
                    partial: Some(PartialImpression { kind: PartialKind::OffEdge, side_deg: 30.0, missing_share: 0.3 }),
                    ..ImpressionEffects::NONE
                },
            ),
            (
                "faint",
                ImpressionEffects {
                    partial: Some(PartialImpression { kind: PartialKind::Faint, side_deg: 200.0, missing_share: 0.25 }),
                    ..ImpressionEffects::NONE
                },
            ),
            (
                "smudged",
                ImpressionEffects {
                    smudge: Some(Smudge { direction_deg: 20.0, length: 12.0 }),
                    ..ImpressionEffects::NONE
                },
            ),
            (
                "double",
                ImpressionEffects {
                    double_strike: Some(DoubleStrike { offset: [9.0, -6.0], rotation_deg: 4.0, strength: 0.8 }),
                    ..ImpressionEffects::NONE
                },
            ),
            ("rotated-scaled", ImpressionEffects { scale: 0.95, extra_rotation_deg: 140.0, ..ImpressionEffects::NONE }),
            ("random", ImpressionEffects::random(&mut rng)),
        ];
        for shape in SealShape::ALL {
            let mut pages = Vec::new();
            for (name, effects) in &named {
                let mut img = RgbImage::from_pixel(440, 440, image::Rgb(PAPER));
                // Printed lines under the seal.
                for line in 0..6u32 {
                    for y in 60 + line * 60..72 + line * 60 {
                        for x in 40..400 {
                            if (x / 14 + line) % 5 != 0 {
                                img.put_pixel(x, y, image::Rgb([30, 30, 30]));
                            }
                        }
                    }
                }
                let text = if shape == SealShape::Square { "赵敏" } else { "上海华信科技有限公司" };
                let p = SealParams::random_shaped(&mut rng, shape, Ink::Red, text, "财务专用章", [220.0, 220.0]);
                let done = stamp_impression(&mut img, &p, effects).expect("stamps");
                eprintln!("{shape:?} {name}: {:?} kept {:.2}", done.effects.labels(), done.ink_kept);
                pages.push(img);
            }
            row(&pages).save(dir.join(format!("effects-{shape:?}.png"))).expect("save");
        }
    }
}
