//! The solid emblem at a seal's centre (the five-pointed star of a company seal) found on a
//! registered seal's canvas, and the scale at which an impression's emblem overlays it.
//!
//! A look-alike seal cut with a star a fifth larger or smaller keeps every character, and the
//! window comparison of `canvas.rs` sees only the star's tips and edges move (its body is solid ink
//! on both sides and is skipped): such seals scored 0.6-0.95 there, inside the right seal's spread.
//! Its size, measured directly, differs by the whole change. Both canvases are in their outlines'
//! normalised frames, so a different stamping pressure or photo resolution does not change it.
//!
//! The template's star is scaled about its centre over [`MIN_SCALE`]..[`MAX_SCALE`] and correlated
//! with the page canvas around it (other ink of the template, the label and name, left out with a
//! margin); the best scale, refined by a parabola, is the page's star size over the template's.

use super::canvas::{Canvas, SIDE};
use super::ncc::Sums;

/// Least mean tone of a template cell for it to be solid emblem ink.
const SOLID_TONE: f32 = 0.5;
/// Cells of other template ink within this many cells of a compared cell leave it out.
const OTHER_MARGIN: isize = 3;
/// Least tone of template ink that is not the emblem (name, label), for [`OTHER_MARGIN`].
const OTHER_TONE: f32 = 0.2;
/// The emblem's centroid lies within this share of the outline radius of the canvas centre
/// (generated and real company seals: 0.03-0.08 above it).
const MAX_CENTRE_OFFSET: f64 = 0.3;
/// Tip radius of an emblem, shares of the outline radius (generated stars: 0.3 at scale 1).
const MIN_RADIUS: f64 = 0.08;
const MAX_RADIUS: f64 = 0.5;
/// Least area over the disc of its tip radius (a five-pointed star is 0.36; a stroke or a thin
/// ring is not an emblem).
const MIN_FILL: f64 = 0.2;
/// Compared cells reach this many tip radii from the emblem's centre: a star a third larger is
/// still inside.
const REACH: f64 = 1.45;
/// Tone change to a neighbour that makes a cell part of the star's edge.
const EDGE_STEP: f32 = 0.3;
/// Scales tried, page over template, and their step.
pub(crate) const MIN_SCALE: f64 = 0.6;
pub(crate) const MAX_SCALE: f64 = 1.5;
const STEP: f64 = 0.01;
/// Least share of the star's edge cells (where its scale shows) that must be visible on the page.
const MIN_VISIBLE: f64 = 0.5;

/// A registered seal's central emblem on its canvas (cells).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Star {
    centre: [f64; 2],
    /// The template's tone where the emblem is (0 elsewhere), `SIDE` x `SIDE`.
    tone: Vec<f32>,
    /// Cells compared: within [`REACH`] tip radii and clear of other template ink.
    compared: Vec<bool>,
    /// The star's edge cells (its tone changes by [`EDGE_STEP`] to a neighbour).
    edge: Vec<usize>,
}

/// The page's emblem against the template's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StarScale {
    /// Page emblem size over the template's, normalised by each outline.
    pub scale: f64,
    /// Correlation at that scale.
    pub ncc: f64,
}

/// The emblem of a registered seal: the largest connected group of solid cells whose centroid is
/// near the canvas centre, when it is compact enough and of an emblem's size. `None` for seals
/// without one (square personal seals, ovals without a star).
pub(crate) fn find_star(template: &Canvas, cells_per_radius: f64) -> Option<Star> {
    let n = SIDE * SIDE;
    let solid = |i: usize| {
        template.valid.get(i).copied().unwrap_or(false) && template.ink.get(i).copied().unwrap_or(0.0) >= SOLID_TONE
    };
    let mut label = vec![0u32; n];
    let mut best: Option<(u32, Vec<usize>)> = None;
    let mut stack = Vec::new();
    let mut next = 0u32;
    let half = SIDE as f64 / 2.0;
    for seed in 0..n {
        if label.get(seed).copied() != Some(0) || !solid(seed) {
            continue;
        }
        next += 1;
        let mut cells = Vec::new();
        stack.push(seed);
        if let Some(l) = label.get_mut(seed) {
            *l = next;
        }
        while let Some(i) = stack.pop() {
            cells.push(i);
            let (x, y) = (i % SIDE, i / SIDE);
            let neighbours = [
                x.checked_sub(1).map(|v| y * SIDE + v),
                (x + 1 < SIDE).then(|| y * SIDE + x + 1),
                y.checked_sub(1).map(|v| v * SIDE + x),
                (y + 1 < SIDE).then(|| (y + 1) * SIDE + x),
            ];
            for j in neighbours.into_iter().flatten() {
                if label.get(j).copied() == Some(0) && solid(j) {
                    if let Some(l) = label.get_mut(j) {
                        *l = next;
                    }
                    stack.push(j);
                }
            }
        }
        let k = cells.len() as f64;
        let (cx, cy) =
            cells.iter().fold((0.0, 0.0), |(a, b), &i| (a + (i % SIDE) as f64 + 0.5, b + (i / SIDE) as f64 + 0.5));
        let (cx, cy) = (cx / k, cy / k);
        if (cx - half).hypot(cy - half) > MAX_CENTRE_OFFSET * cells_per_radius {
            continue;
        }
        if best.as_ref().is_none_or(|(_, b)| cells.len() > b.len()) {
            best = Some((next, cells));
        }
    }
    let (id, cells) = best?;
    let k = cells.len() as f64;
    let (cx, cy) =
        cells.iter().fold((0.0, 0.0), |(a, b), &i| (a + (i % SIDE) as f64 + 0.5, b + (i / SIDE) as f64 + 0.5));
    let centre = [cx / k, cy / k];
    let radius = cells
        .iter()
        .map(|&i| ((i % SIDE) as f64 + 0.5 - centre[0]).hypot((i / SIDE) as f64 + 0.5 - centre[1]))
        .fold(0.0, f64::max);
    let rel = radius / cells_per_radius;
    if !(MIN_RADIUS..=MAX_RADIUS).contains(&rel) || k < MIN_FILL * std::f64::consts::PI * radius * radius {
        return None;
    }
    // The emblem's cells and their near edge (its anti-aliased rim) keep their tone.
    let is_star = |x: isize, y: isize| {
        (-1..=1).any(|dy| {
            (-1..=1).any(|dx| {
                let (xx, yy) = (x + dx, y + dy);
                (0..SIDE as isize).contains(&xx)
                    && (0..SIDE as isize).contains(&yy)
                    && label.get(yy as usize * SIDE + xx as usize).copied() == Some(id)
            })
        })
    };
    let mut tone = vec![0f32; n];
    let mut other = vec![false; n];
    for i in 0..n {
        let (x, y) = ((i % SIDE) as isize, (i / SIDE) as isize);
        let v = template.ink.get(i).copied().unwrap_or(0.0);
        if is_star(x, y) {
            if let Some(t) = tone.get_mut(i) {
                *t = v;
            }
        } else if v >= OTHER_TONE
            && (-2..=2).all(|dy| {
                (-2..=2).all(|dx| label.get(((y + dy).max(0) as usize) * SIDE + (x + dx).max(0) as usize) != Some(&id))
            })
            && let Some(o) = other.get_mut(i)
        {
            *o = true;
        }
    }
    let reach = REACH * radius;
    let mut compared = vec![false; n];
    for (i, c) in compared.iter_mut().enumerate() {
        let (x, y) = ((i % SIDE) as isize, (i / SIDE) as isize);
        if ((x as f64 + 0.5 - centre[0]).hypot(y as f64 + 0.5 - centre[1])) > reach {
            continue;
        }
        let near_other = (-OTHER_MARGIN..=OTHER_MARGIN).any(|dy| {
            (-OTHER_MARGIN..=OTHER_MARGIN).any(|dx| {
                let (xx, yy) = (x + dx, y + dy);
                (0..SIDE as isize).contains(&xx)
                    && (0..SIDE as isize).contains(&yy)
                    && other.get(yy as usize * SIDE + xx as usize).copied().unwrap_or(false)
            })
        });
        *c = !near_other;
    }
    let tone_of = |x: usize, y: usize| tone.get(y * SIDE + x).copied().unwrap_or(0.0);
    let edge = (0..n)
        .filter(|&i| {
            let (x, y) = (i % SIDE, i / SIDE);
            if x == 0 || y == 0 || x + 1 >= SIDE || y + 1 >= SIDE {
                return false;
            }
            let v = tone_of(x, y);
            [tone_of(x - 1, y), tone_of(x + 1, y), tone_of(x, y - 1), tone_of(x, y + 1)]
                .iter()
                .any(|&u| (u - v).abs() >= EDGE_STEP)
        })
        .collect();
    Some(Star { centre, tone, compared, edge })
}

impl Star {
    /// The cells of the emblem and its surroundings (within a few tip radii, clear of the
    /// template's other ink), `SIDE` x `SIDE`: the emblem's region for `lettering.rs`.
    pub(crate) fn region(&self) -> &[bool] {
        &self.compared
    }

    /// The scale of `page`'s emblem (its canvas moved by `offset` cells, as the windows were
    /// compared) over this one's. `None` when too little of it is visible or the correlation is flat
    /// at every scale.
    pub(crate) fn scale_on(&self, page: &Canvas, offset: (isize, isize)) -> Option<StarScale> {
        let steps = ((MAX_SCALE - MIN_SCALE) / STEP).round() as usize;
        let cells: Vec<(usize, usize)> = self
            .compared
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c)
            .filter_map(|(i, _)| {
                let (x, y) = (i % SIDE, i / SIDE);
                let px = x.checked_add_signed(offset.0).filter(|&v| v < SIDE)?;
                let py = y.checked_add_signed(offset.1).filter(|&v| v < SIDE)?;
                Some((i, py * SIDE + px))
            })
            .collect();
        let seen = |i: usize| {
            let (x, y) = (i % SIDE, i / SIDE);
            let px = x.checked_add_signed(offset.0).filter(|&v| v < SIDE);
            let py = y.checked_add_signed(offset.1).filter(|&v| v < SIDE);
            px.zip(py).is_some_and(|(px, py)| page.valid.get(py * SIDE + px).copied().unwrap_or(false))
        };
        let visible = self.edge.iter().filter(|&&i| seen(i)).count();
        if self.edge.is_empty() || (visible as f64) < MIN_VISIBLE * self.edge.len() as f64 {
            return None;
        }
        let scores: Vec<Option<f64>> = (0..=steps)
            .map(|k| {
                let s = MIN_SCALE + k as f64 * STEP;
                let mut sums = Sums::default();
                for &(i, p) in &cells {
                    if !page.valid.get(p).copied().unwrap_or(false) {
                        continue;
                    }
                    let (x, y) = ((i % SIDE) as f64 + 0.5, (i / SIDE) as f64 + 0.5);
                    // The template point that lands here when its emblem is scaled by `s`.
                    let tx = self.centre[0] + (x - self.centre[0]) / s;
                    let ty = self.centre[1] + (y - self.centre[1]) / s;
                    sums.add(self.tone_at(tx, ty), page.ink.get(p).copied().unwrap_or(0.0));
                }
                sums.ncc()
            })
            .collect();
        let (k, best) =
            scores.iter().enumerate().filter_map(|(k, v)| v.map(|v| (k, v))).max_by(|a, b| a.1.total_cmp(&b.1))?;
        // A parabola through the peak and its neighbours.
        let frac = match (
            k.checked_sub(1).and_then(|j| scores.get(j).copied().flatten()),
            scores.get(k + 1).copied().flatten(),
        ) {
            (Some(l), Some(r)) => {
                let d = l - 2.0 * best + r;
                if d < 0.0 { (0.5 * (l - r) / d).clamp(-0.5, 0.5) } else { 0.0 }
            }
            _ => 0.0,
        };
        Some(StarScale { scale: MIN_SCALE + (k as f64 + frac) * STEP, ncc: best })
    }

    /// The emblem's tone at a fractional cell position (cell centres at `+0.5`), bilinear.
    fn tone_at(&self, x: f64, y: f64) -> f32 {
        let (fx, fy) = (x - 0.5, y - 0.5);
        if !(fx >= 0.0 && fy >= 0.0) {
            return 0.0;
        }
        let (x0, y0) = (fx as usize, fy as usize);
        if x0 + 1 >= SIDE || y0 + 1 >= SIDE {
            return 0.0;
        }
        let (ax, ay) = ((fx - x0 as f64) as f32, (fy - y0 as f64) as f32);
        let at = |xx: usize, yy: usize| self.tone.get(yy * SIDE + xx).copied().unwrap_or(0.0);
        let top = at(x0, y0) * (1.0 - ax) + at(x0 + 1, y0) * ax;
        let bottom = at(x0, y0 + 1) * (1.0 - ax) + at(x0 + 1, y0 + 1) * ax;
        top * (1.0 - ay) + bottom * ay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELLS_PER_RADIUS: f64 = 115.0;

    /// A canvas with a five-pointed star of tip radius `r` cells (inner radius 0.382 r) at the
    /// centre, a label bar below it, and the cells `hidden` says invalid.
    fn canvas(r: f64, hidden: &dyn Fn(usize, usize) -> bool) -> Canvas {
        let c = SIDE as f64 / 2.0;
        let mut out = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
        for y in 0..SIDE {
            for x in 0..SIDE {
                let (dx, dy) = (x as f64 + 0.5 - c, y as f64 + 0.5 - c);
                // The star's edge at this angle: tips every 72 degrees from straight up.
                let a = (dx.atan2(-dy).to_degrees().rem_euclid(72.0) - 36.0).abs() / 36.0;
                let edge = r * (0.382 + (1.0 - 0.382) * a * a);
                let star = dx.hypot(dy) <= edge;
                let label = (0.5 * CELLS_PER_RADIUS..0.62 * CELLS_PER_RADIUS).contains(&dy) && dx.abs() < 40.0;
                let i = y * SIDE + x;
                out.ink[i] = if star || label { 1.0 } else { 0.0 };
                out.valid[i] = !hidden(x, y);
            }
        }
        out
    }

    #[test]
    fn a_star_a_fifth_smaller_or_larger_measures_so() {
        let none = |_: usize, _: usize| false;
        let template = canvas(35.0, &none);
        let star = find_star(&template, CELLS_PER_RADIUS).expect("a star");
        for want in [0.8, 1.0, 1.25] {
            let page = canvas(35.0 * want, &none);
            let got = star.scale_on(&page, (0, 0)).expect("measured");
            assert!((got.scale - want).abs() < 0.02 && got.ncc > 0.9, "{want}: {got:?}");
        }
        // A text line hiding a band across the star does not move it.
        let band = |_: usize, y: usize| (110..118).contains(&y);
        let got = star.scale_on(&canvas(35.0, &band), (0, 0)).expect("measured");
        assert!((got.scale - 1.0).abs() < 0.02, "{got:?}");
        // The whole page canvas moved by the offset the windows found.
        let mut moved = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
        let page = canvas(35.0, &none);
        for y in 0..SIDE - 3 {
            for x in 0..SIDE - 2 {
                moved.ink[(y + 3) * SIDE + x + 2] = page.ink[y * SIDE + x];
            }
        }
        let got = star.scale_on(&moved, (2, 3)).expect("measured");
        assert!((got.scale - 1.0).abs() < 0.02, "{got:?}");
    }

    #[test]
    fn no_star_no_measure() {
        let none = |_: usize, _: usize| false;
        // No emblem: an empty canvas, a tiny dot, a star too far from the centre to be one.
        let empty = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
        assert!(find_star(&empty, CELLS_PER_RADIUS).is_none());
        assert!(find_star(&canvas(5.0, &none), CELLS_PER_RADIUS).is_none());
        assert!(find_star(&canvas(35.0, &none), 40.0).is_none(), "35 cells of a 40-cell radius");
        // Most of the page's star hidden: nothing to judge.
        let star = find_star(&canvas(35.0, &none), CELLS_PER_RADIUS).expect("a star");
        let most = |_: usize, y: usize| y < 130;
        assert!(star.scale_on(&canvas(35.0, &most), (0, 0)).is_none());
        // A flat page (no ink at all): no correlation at any scale.
        assert!(star.scale_on(&empty, (0, 0)).is_none());
        // An offset off the canvas.
        assert!(star.scale_on(&canvas(35.0, &none), (isize::MAX, 0)).is_none());
    }
}
