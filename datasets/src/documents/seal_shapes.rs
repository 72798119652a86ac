//! The engraving of a seal, before ink: the outline of each [`SealShape`] (a ring, an elliptical ring
//! or a square border), its lettering (along the upper arc or ellipse, across the bottom, or in a
//! grid read in columns from the right) and its star, as a coverage mask centred on the seal.
//! [`SealGeometry`] is the outline's size, shared with templates and ground truth.

use ab_glyph::{FontVec, PxScale};

use super::fonts::{Face, FontChain, em_scale};
use super::raster::{Mask, glyph_mask};
use super::seal::{MAX_SEAL_DIAMETER, MAX_SEAL_TEXT_CHARS, MAX_SQUARE_CHARS, MIN_SEAL_DIAMETER, SealParams, SealShape};

/// Spare pixels around the outline in a seal's mask (half each side).
pub const MASK_MARGIN: usize = 12;
/// Points along an elliptical arc when spacing characters by arc length.
const ARC_STEPS: usize = 512;

/// The outline of a seal as drawn: sizes clamped to what can be drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SealGeometry {
    pub shape: SealShape,
    /// Outer width of the outline (a round seal's diameter), pixels.
    pub width: f32,
    /// Outer height of the outline, pixels.
    pub height: f32,
    /// Width of the ring or border, pixels.
    pub ring: f32,
}

impl SealGeometry {
    /// The outline `p` describes, sizes clamped to [`MIN_SEAL_DIAMETER`]..=[`MAX_SEAL_DIAMETER`] and
    /// the ring to an eighth of the smaller side.
    pub fn of(p: &SealParams) -> SealGeometry {
        let width = bounded_size(p.diameter);
        let aspect = p.geometry_aspect();
        let aspect = if aspect.is_finite() { aspect.clamp(0.25, 4.0) } else { 1.0 };
        let height = if p.shape == SealShape::Round { width } else { bounded_size(width * aspect) };
        let ring = p.ring.max(1.0).min(width.min(height) / 8.0);
        SealGeometry { shape: p.shape, width, height, ring }
    }

    /// Width and height of the mask the seal is drawn in.
    pub fn mask_size(&self) -> (usize, usize) {
        (self.width.ceil() as usize + MASK_MARGIN, self.height.ceil() as usize + MASK_MARGIN)
    }

    /// Half the outer width and height.
    pub fn semi_axes(&self) -> [f32; 2] {
        [self.width / 2.0, self.height / 2.0]
    }

    /// How far the outline reaches from the centre along the unit direction `u` of the seal's own
    /// (unrotated) frame: the support function of the outline.
    pub fn reach(&self, u: [f32; 2]) -> f32 {
        let [a, b] = self.semi_axes();
        match self.shape {
            SealShape::Round => a,
            SealShape::Oval => (a * u[0]).hypot(b * u[1]),
            SealShape::Square => a * u[0].abs() + b * u[1].abs(),
        }
    }

    /// Whether the point `(x, y)` of the seal's own frame (relative to its centre) lies inside the
    /// outline grown by `margin` pixels.
    pub fn contains(&self, x: f32, y: f32, margin: f32) -> bool {
        let [a, b] = self.semi_axes().map(|s| (s + margin).max(0.0));
        match self.shape {
            SealShape::Round => x.hypot(y) <= a,
            SealShape::Oval => a > 0.0 && b > 0.0 && (x / a).powi(2) + (y / b).powi(2) <= 1.0,
            SealShape::Square => x.abs() <= a && y.abs() <= b,
        }
    }
}

/// A size clamped to what can be drawn (NaN: the smallest).
fn bounded_size(v: f32) -> f32 {
    if v.is_nan() { MIN_SEAL_DIAMETER } else { v.clamp(MIN_SEAL_DIAMETER, MAX_SEAL_DIAMETER) }
}

/// The seal `p` engraved at full coverage (before ink texture), centred in a mask of
/// [`SealGeometry::mask_size`], edges softened by a one-pixel blur.
pub(crate) fn engraving(p: &SealParams, geometry: &SealGeometry, chain: &FontChain) -> Mask {
    let (w, h) = geometry.mask_size();
    let mut mask = Mask::new(w, h);
    let centre = [w as f32 / 2.0, h as f32 / 2.0];
    match geometry.shape {
        SealShape::Round => draw_round(&mut mask, centre, p, geometry, chain),
        SealShape::Oval => draw_oval(&mut mask, centre, p, geometry, chain),
        SealShape::Square => draw_square(&mut mask, centre, p, geometry, chain),
    }
    mask.box_blur(1);
    mask
}

/// Seal engravings have heavier strokes than printed text; a bold face needs less.
fn stroke_for(face: Face) -> f32 {
    if face == Face::NotoSansBold { 0.3 } else { 0.7 }
}

/// Ring, company name along the upper arc (tops towards the rim), star, label across the bottom.
fn draw_round(mask: &mut Mask, c: [f32; 2], p: &SealParams, g: &SealGeometry, chain: &FontChain) {
    let (r, ring) = (g.width / 2.0, g.ring);
    mask.ring(c[0], c[1], r - ring, r);

    let chars: Vec<char> = p.company.chars().take(MAX_SEAL_TEXT_CHARS).collect();
    let n = chars.len().max(1);
    let span = p.span_deg.to_radians();
    let step = if n > 1 { span / (n - 1) as f32 } else { 0.0 };
    let h = r * 0.25;
    let r_text = r - ring - r * 0.06 - h / 2.0;
    let stroke = stroke_for(p.face);
    let hx = if n > 1 { (h * 0.9).min(step * r_text * 0.95) } else { h * 0.9 };
    for (i, &ch) in chars.iter().enumerate() {
        let theta = -span / 2.0 + i as f32 * step;
        let at = [c[0] + r_text * theta.sin(), c[1] - r_text * theta.cos()];
        blit_glyph(mask, chain, ch, [hx, h], stroke, at, theta);
    }

    let star_r = r * 0.3 * star_scale(p);
    draw_star(mask, [c[0], c[1] - r * 0.03], star_r);

    let label: Vec<char> = p.label.chars().take(MAX_SEAL_TEXT_CHARS).collect();
    draw_text_line(mask, chain, &label, [c[0], c[1] + r * 0.47], r * 0.18, r * 0.7, stroke);
}

/// Elliptical ring, company name along the upper part of the ellipse (spaced by arc length, tops
/// along the outward normal), a small star or none, label across the lower middle.
fn draw_oval(mask: &mut Mask, c: [f32; 2], p: &SealParams, g: &SealGeometry, chain: &FontChain) {
    let [a, b] = g.semi_axes();
    ellipse_ring(mask, c, [a, b], g.ring);

    let chars: Vec<char> = p.company.chars().take(MAX_SEAL_TEXT_CHARS).collect();
    let stroke = stroke_for(p.face);
    let text_h = b * 0.3;
    let inset = g.ring + b * 0.07 + text_h / 2.0;
    let (at, bt) = ((a - inset).max(1.0), (b - inset).max(1.0));
    let span = if p.span_deg.is_finite() { p.span_deg.to_radians().clamp(0.0, 5.5) } else { std::f32::consts::PI };
    let (params, length) = arc_parameters([at, bt], span, chars.len());
    let step_len = if chars.len() > 1 { length / (chars.len() - 1) as f32 } else { text_h };
    let text_w = (text_h * 0.85).min(step_len * 0.85);
    for (&ch, &t) in chars.iter().zip(&params) {
        let (s, co) = t.sin_cos();
        let at_point = [c[0] + at * s, c[1] - bt * co];
        // Turn the glyph's up direction onto the ellipse's outward normal (s / at, -co / bt).
        let angle = (s / at).atan2(co / bt);
        blit_glyph(mask, chain, ch, [text_w, text_h], stroke, at_point, angle);
    }

    let star_r = b * 0.3 * star_scale(p);
    draw_star(mask, [c[0], c[1] - b * 0.08], star_r);

    let label: Vec<char> = p.label.chars().take(MAX_SEAL_TEXT_CHARS).collect();
    let y = c[1] + b * if star_r > 0.0 { 0.42 } else { 0.28 };
    draw_text_line(mask, chain, &label, [c[0], y], b * 0.21, a * 0.95, stroke);
}

/// Square border and a grid of characters read in columns from the right, each glyph stretched to
/// fill its cell as seal carvers do.
fn draw_square(mask: &mut Mask, c: [f32; 2], p: &SealParams, g: &SealGeometry, chain: &FontChain) {
    let [hw, hh] = g.semi_axes();
    rect_border(mask, c, [hw, hh], g.ring);
    let chars: Vec<char> = p.company.chars().filter(|ch| !ch.is_whitespace()).take(MAX_SQUARE_CHARS).collect();
    let pad = g.ring + g.width.min(g.height) * 0.04;
    let (left, top) = (c[0] - hw + pad, c[1] - hh + pad);
    let (inner_w, inner_h) = (2.0 * (hw - pad), 2.0 * (hh - pad));
    let columns = grid_columns(chars.len());
    if columns.is_empty() || inner_w < 2.0 || inner_h < 2.0 {
        return;
    }
    let col_w = inner_w / columns.len() as f32;
    let stroke = stroke_for(p.face) + 0.3;
    let mut next = chars.iter();
    for (k, &count) in columns.iter().enumerate() {
        let x = left + inner_w - (k as f32 + 0.5) * col_w;
        let cell_h = inner_h / count.max(1) as f32;
        for j in 0..count {
            let Some(&ch) = next.next() else { return };
            let y = top + (j as f32 + 0.5) * cell_h;
            blit_filling_glyph(mask, chain, ch, [col_w * 0.9, cell_h * 0.9], stroke, [x, y]);
        }
    }
}

/// How many characters each column of a square seal's grid holds, rightmost column first: one row
/// for one or two characters (2x1), two rows for three or four (张三之印: 2x2; 李四印: the left column's
/// single character fills it), three rows beyond.
pub fn grid_columns(n: usize) -> Vec<usize> {
    let rows = match n {
        0 => return Vec::new(),
        1 | 2 => 1,
        3 | 4 => 2,
        _ => 3,
    };
    let mut left = n.min(MAX_SQUARE_CHARS);
    let mut columns = Vec::new();
    while left > 0 {
        let take = left.min(rows);
        columns.push(take);
        left -= take;
    }
    columns
}

/// The star's radius multiplier: 0 for none, bounded so a manifest cannot blow it up.
fn star_scale(p: &SealParams) -> f32 {
    if p.star_scale.is_finite() { p.star_scale.clamp(0.0, 2.0) } else { 1.0 }
}

/// The scale at which a glyph is `w` by `h` pixels per em (condensed when `w < h`).
fn scaled(font: &FontVec, w: f32, h: f32) -> PxScale {
    let k = em_scale(font, 1.0).y;
    PxScale { x: w * k, y: h * k }
}

/// Draw `ch` at `size` (em width and height), emboldened by `stroke`, centred at `at` and turned by
/// `angle` radians clockwise. Characters no face has, and empty sizes, are skipped.
fn blit_glyph(mask: &mut Mask, chain: &FontChain, ch: char, size: [f32; 2], stroke: f32, at: [f32; 2], angle: f32) {
    if !(size[0] > 0.0 && size[1] > 0.0 && size[0].is_finite() && size[1].is_finite()) {
        return;
    }
    if let Some((font, id)) = chain.glyph(ch)
        && let Some((mut g, _)) = glyph_mask(font, id, scaled(font, size[0], size[1]))
    {
        g.thicken(stroke);
        mask.blit_rotated(&g, at[0], at[1], angle);
    }
}

/// Draw `ch` stretched so its ink fills `size`, centred at `at`, upright.
fn blit_filling_glyph(mask: &mut Mask, chain: &FontChain, ch: char, size: [f32; 2], stroke: f32, at: [f32; 2]) {
    if !(size[0] >= 1.0 && size[1] >= 1.0 && size[0].is_finite() && size[1].is_finite()) {
        return;
    }
    let Some((font, id)) = chain.glyph(ch) else { return };
    let nominal = scaled(font, size[0], size[1]);
    let Some((probe, _)) = glyph_mask(font, id, nominal) else { return };
    let (kx, ky) = (size[0] / probe.width.max(1) as f32, size[1] / probe.height.max(1) as f32);
    // A thin stroke (一) would be stretched into a block: stretch at most threefold.
    let fill = PxScale { x: nominal.x * kx.min(3.0), y: nominal.y * ky.min(3.0) };
    if let Some((mut g, _)) = glyph_mask(font, id, fill) {
        g.thicken(stroke);
        mask.blit_rotated(&g, at[0], at[1], 0.0);
    }
}

/// A horizontal line of `chars`, centred at `at`, `height` tall, at most `max_width` wide.
fn draw_text_line(
    mask: &mut Mask,
    chain: &FontChain,
    chars: &[char],
    at: [f32; 2],
    height: f32,
    max_width: f32,
    stroke: f32,
) {
    if chars.is_empty() {
        return;
    }
    let n = chars.len() as f32;
    let lw = (height * 0.85).min(max_width / n);
    let gap = lw * 0.12;
    let total = n * lw + (n - 1.0) * gap;
    for (i, &ch) in chars.iter().enumerate() {
        let x = at[0] - total / 2.0 + lw / 2.0 + i as f32 * (lw + gap);
        blit_glyph(mask, chain, ch, [lw, height], stroke, [x, at[1]], 0.0);
    }
}

/// A filled five-pointed star of outer radius `radius` centred at `c` (nothing when not positive).
fn draw_star(mask: &mut Mask, c: [f32; 2], radius: f32) {
    if radius.is_nan() || radius <= 0.0 {
        return;
    }
    let pts: Vec<[f32; 2]> = (0..10)
        .map(|k| {
            let a = -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
            let rr = if k % 2 == 0 { radius } else { radius * 0.382 };
            [c[0] + rr * a.cos(), c[1] + rr * a.sin()]
        })
        .collect();
    mask.fill_polygon(&pts);
}

/// The ellipse parameters `t` (point `(a sin t, -b cos t)`, 0 at the top) of `n` points spaced
/// evenly by arc length over a parameter span of `span` radians centred on the top, and the arc's
/// length. One point sits at the top.
fn arc_parameters(axes: [f32; 2], span: f32, n: usize) -> (Vec<f32>, f32) {
    let [a, b] = axes;
    let t0 = -span / 2.0;
    let dt = span / ARC_STEPS as f32;
    let point = |t: f32| [a * t.sin(), -b * t.cos()];
    let mut cumulative = Vec::with_capacity(ARC_STEPS + 1);
    let mut length = 0.0f32;
    let mut prev = point(t0);
    cumulative.push(0.0);
    for k in 1..=ARC_STEPS {
        let q = point(t0 + k as f32 * dt);
        length += (q[0] - prev[0]).hypot(q[1] - prev[1]);
        cumulative.push(length);
        prev = q;
    }
    if n <= 1 {
        return (vec![0.0; n], length);
    }
    let params = (0..n)
        .map(|i| {
            let target = length * i as f32 / (n - 1) as f32;
            let k = cumulative.partition_point(|&s| s < target).clamp(1, ARC_STEPS);
            let (s0, s1) =
                (cumulative.get(k - 1).copied().unwrap_or(0.0), cumulative.get(k).copied().unwrap_or(length));
            let frac = if s1 > s0 { ((target - s0) / (s1 - s0)).clamp(0.0, 1.0) } else { 0.0 };
            t0 + ((k - 1) as f32 + frac) * dt
        })
        .collect();
    (params, length)
}

/// Signed distance (first order) from `(x, y)` to the ellipse with semi-axes `a`, `b` centred at the
/// origin: negative inside.
fn ellipse_distance(x: f32, y: f32, a: f32, b: f32) -> f32 {
    let level = (x / a).powi(2) + (y / b).powi(2) - 1.0;
    let gradient = 2.0 * ((x / (a * a)).powi(2) + (y / (b * b)).powi(2)).sqrt();
    if gradient > 1e-6 { level / gradient } else { -a.min(b) }
}

/// An anti-aliased elliptical ring of outer semi-axes `axes` and width `ring` around `c`.
fn ellipse_ring(mask: &mut Mask, c: [f32; 2], axes: [f32; 2], ring: f32) {
    let [a, b] = axes;
    let (ai, bi) = ((a - ring).max(0.5), (b - ring).max(0.5));
    let x0 = (c[0] - a - 2.0).floor().max(0.0) as usize;
    let y0 = (c[1] - b - 2.0).floor().max(0.0) as usize;
    let x1 = ((c[0] + a + 2.0).ceil().max(0.0) as usize).min(mask.width);
    let y1 = ((c[1] + b + 2.0).ceil().max(0.0) as usize).min(mask.height);
    for y in y0..y1 {
        for x in x0..x1 {
            let (dx, dy) = (x as f32 + 0.5 - c[0], y as f32 + 0.5 - c[1]);
            let outer = (0.5 - ellipse_distance(dx, dy, a, b)).clamp(0.0, 1.0);
            let inner = (ellipse_distance(dx, dy, ai, bi) + 0.5).clamp(0.0, 1.0);
            let v = outer * inner;
            if v > 0.0 {
                mask.put_max(x as isize, y as isize, v);
            }
        }
    }
}

/// Share of the pixel with top-left `(x, y)` that the rectangle `[x0, y0, x1, y1]` covers.
fn pixel_overlap(x: f32, y: f32, r: [f32; 4]) -> f32 {
    let ox = ((x + 1.0).min(r[2]) - x.max(r[0])).clamp(0.0, 1.0);
    let oy = ((y + 1.0).min(r[3]) - y.max(r[1])).clamp(0.0, 1.0);
    ox * oy
}

/// An exactly anti-aliased rectangular border of outer half-sizes `half` and width `ring` around `c`.
fn rect_border(mask: &mut Mask, c: [f32; 2], half: [f32; 2], ring: f32) {
    let outer = [c[0] - half[0], c[1] - half[1], c[0] + half[0], c[1] + half[1]];
    let t = ring.min(half[0]).min(half[1]);
    let inner = [outer[0] + t, outer[1] + t, outer[2] - t, outer[3] - t];
    let x0 = outer[0].floor().max(0.0) as usize;
    let y0 = outer[1].floor().max(0.0) as usize;
    let x1 = (outer[2].ceil().max(0.0) as usize).min(mask.width);
    let y1 = (outer[3].ceil().max(0.0) as usize).min(mask.height);
    for y in y0..y1 {
        for x in x0..x1 {
            let (fx, fy) = (x as f32, y as f32);
            let v = pixel_overlap(fx, fy, outer) - pixel_overlap(fx, fy, inner);
            if v > 0.0 {
                mask.put_max(x as isize, y as isize, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::rng::Rng;
    use crate::documents::seal::Ink;

    fn engraved(p: &SealParams) -> (Mask, SealGeometry) {
        let g = SealGeometry::of(p);
        let chain = FontChain::new(p.face).expect("fonts installed");
        (engraving(p, &g, &chain), g)
    }

    /// Coverage at `(x, y)` of the seal's frame (relative to the mask's centre).
    fn at(m: &Mask, x: f32, y: f32) -> f32 {
        m.sample(m.width as f32 / 2.0 + x, m.height as f32 / 2.0 + y)
    }

    #[test]
    fn oval_ring_follows_the_ellipse_and_ink_stays_inside_it() {
        let mut rng = Rng::new(21);
        let p = SealParams::random_oval(&mut rng, Ink::Red, "深圳市博远医疗器械股份有限公司", "财务专用章", [0.0, 0.0]);
        let (m, g) = engraved(&p);
        let [a, b] = g.semi_axes();
        assert!(b < a * 0.75, "{a} x {b}");
        for k in 0..36 {
            let t = k as f32 * std::f32::consts::TAU / 36.0;
            let mid = [(a - g.ring / 2.0) * t.cos(), (b - g.ring / 2.0) * t.sin()];
            assert!(at(&m, mid[0], mid[1]) > 0.9, "ring at {k}");
            assert!(at(&m, (a + 3.0) * t.cos(), (b + 3.0) * t.sin()) < 0.01, "outside at {k}");
        }
        let (w, h) = g.mask_size();
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 + 0.5 - w as f32 / 2.0, y as f32 + 0.5 - h as f32 / 2.0);
                if m.data[y * w + x] > 0.0 {
                    assert!(g.contains(dx, dy, 2.0), "ink outside the ellipse at ({dx}, {dy})");
                }
            }
        }
        // Lettering on the upper arc, inside the ring, and a label below the centre.
        let ink_in = |y0: f32, y1: f32| {
            (0..w * h)
                .filter(|i| {
                    let (dx, dy) = ((i % w) as f32 - w as f32 / 2.0, (i / w) as f32 - h as f32 / 2.0);
                    (y0..y1).contains(&dy) && g.contains(dx, dy, -g.ring - 2.0) && m.data[*i] > 0.5
                })
                .count()
        };
        assert!(ink_in(-b, -b * 0.4) > 1500, "name {}", ink_in(-b, -b * 0.4));
        assert!(ink_in(b * 0.3, b * 0.6) > 400, "label {}", ink_in(b * 0.3, b * 0.6));
    }

    #[test]
    fn square_seal_has_a_border_and_one_glyph_per_grid_cell() {
        assert_eq!(grid_columns(4), vec![2, 2]);
        assert_eq!(grid_columns(3), vec![2, 1]);
        assert_eq!(grid_columns(2), vec![1, 1]);
        assert_eq!(grid_columns(9), vec![3, 3, 3]);
        assert_eq!(grid_columns(40).iter().sum::<usize>(), MAX_SQUARE_CHARS);
        assert!(grid_columns(0).is_empty());
        let mut rng = Rng::new(2);
        let mut p = SealParams::random_personal(&mut rng, Ink::Red, "张三", [0.0, 0.0]);
        p.aspect = 1.0;
        let (m, g) = engraved(&p);
        let [hw, hh] = g.semi_axes();
        for k in 0..20 {
            let s = -hw + 4.0 + k as f32 * (2.0 * hw - 8.0) / 19.0;
            assert!(at(&m, s, -hh + g.ring / 2.0) > 0.9 && at(&m, hw - g.ring / 2.0, s) > 0.9, "border at {k}");
            assert!(at(&m, s, -hh - 3.0) < 0.01, "outside at {k}");
        }
        // Each quadrant inside the border holds a character's ink.
        let inner = hw - g.ring - 2.0;
        for (sx, sy) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
            let mut ink = 0.0;
            for y in 2..inner as i32 {
                for x in 2..inner as i32 {
                    ink += at(&m, sx * x as f32, sy * y as f32);
                }
            }
            let share = ink / (inner - 2.0).powi(2);
            assert!((0.12..0.8).contains(&share), "quadrant ({sx}, {sy}) inked {share}");
        }
    }

    #[test]
    fn arc_parameters_space_points_evenly_and_symmetrically() {
        let (ts, length) = arc_parameters([150.0, 90.0], 3.5, 9);
        assert_eq!(ts.len(), 9);
        assert!(ts[4].abs() < 1e-3 && (ts[0] + 1.75).abs() < 1e-3 && (ts[8] - 1.75).abs() < 1e-3, "{ts:?}");
        let pts: Vec<[f32; 2]> = ts.iter().map(|t| [150.0 * t.sin(), -90.0 * t.cos()]).collect();
        let gaps: Vec<f32> = pts.windows(2).map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1])).collect();
        let mean = gaps.iter().sum::<f32>() / gaps.len() as f32;
        assert!(gaps.iter().all(|g| (g - mean).abs() < mean * 0.06), "{gaps:?}");
        assert!(length > mean * 8.0);
        assert!(arc_parameters([10.0, 10.0], f32::NAN, 3).0.len() == 3);
        assert!(arc_parameters([10.0, 10.0], 1.0, 0).0.is_empty());
    }
}
