//! Fit a seal's outline to the outer boundary points of its ink: a circle, an ellipse or a
//! rectangle, and the one that explains the points best.
//!
//! A circle is found by RANSAC (three points a hypothesis, inliers within a tolerance that grows with
//! the radius), so a half impression or a pen mark touching the ring does not pull it. Each shape is
//! then refined by Levenberg-Marquardt on the signed distance along the ray from the centre, with
//! Tukey weights (scale from the median residual), from several starts: the circle, the points'
//! second moments, and their minimum-area bounding rectangle. An ellipse is preferred to the circle
//! only when it is clearly elongated and explains clearly more points; a rectangle only when it
//! explains clearly more points than either.

use super::SealShape;
use super::geometry::norm;

/// Size and aspect bounds of an acceptable outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FitLimits {
    /// Smallest and largest equivalent radius, pixels.
    pub min_radius: f64,
    pub max_radius: f64,
    /// Least axis ratio for an ellipse to be preferred to a circle.
    pub ellipse_min_aspect: f64,
    /// Largest axis ratio of any outline.
    pub max_aspect: f64,
}

/// A fitted outline and the share of the points it explains.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OutlineFit {
    pub shape: SealShape,
    pub inlier_share: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Circle,
    Ellipse,
    Rectangle,
}

/// Parameters: centre x, centre y, first half-axis, second half-axis (unused by circles), angle in
/// radians (unused by circles).
type Params = [f64; 5];

const RANSAC_ROUNDS: usize = 300;
/// Points scored per RANSAC hypothesis at most (a regular subsample of larger sets).
const RANSAC_SCORED: usize = 800;
const REFINE_ITERS: usize = 30;
/// Points refined on at most (a regular subsample of larger sets).
const REFINE_POINTS: usize = 400;
/// An ellipse must explain this much larger a share of points than the circle; a rectangle this much
/// more than the better round shape.
const ELLIPSE_MARGIN: f64 = 0.03;
const RECTANGLE_MARGIN: f64 = 0.05;

/// Inlier tolerance for an outline of (equivalent) radius `r`, pixels: ink edges are ragged by a
/// pixel or two, more on large impressions.
fn tolerance(r: f64) -> f64 {
    (0.02 * r).max(1.5)
}

/// The best outline through `points` (page pixels), or `None` when no shape within `lim` explains
/// enough of them to be refined.
pub(crate) fn fit_outline(points: &[[f64; 2]], lim: &FitLimits) -> Option<OutlineFit> {
    if points.len() < 12 || points.iter().any(|p| !p[0].is_finite() || !p[1].is_finite()) {
        return None;
    }
    // Refinement on a regular subsample: a few hundred boundary points fix five parameters well.
    let stride = points.len().div_ceil(REFINE_POINTS).max(1);
    let sample: Vec<[f64; 2]> = points.iter().step_by(stride).copied().collect();
    let circle = ransac_circle(points, lim).map(|p| refine(Kind::Circle, p, &sample, REFINE_ITERS));
    let consider = |kind: Kind, p: Params, best: &mut Option<(Kind, Params, f64)>| {
        let p = normalise(kind, p);
        if !acceptable(kind, &p, lim) {
            return;
        }
        let share = inlier_share(kind, &p, points);
        if best.as_ref().is_none_or(|b| share > b.2) {
            *best = Some((kind, p, share));
        }
    };

    let mut round: Option<(Kind, Params, f64)> = None;
    if let Some(c) = circle {
        consider(Kind::Circle, c, &mut round);
    }
    // A circle that explains nearly every point cannot be beaten by the margins below: skip the
    // other shapes (most seals are round; this halves the time of a fit).
    if let Some(c) = round
        && c.2 > 1.0 - ELLIPSE_MARGIN.min(RECTANGLE_MARGIN)
    {
        return Some(OutlineFit { shape: to_shape(c.0, &c.1), inlier_share: c.2 as f32 });
    }
    let mut ellipse: Option<(Kind, Params, f64)> = None;
    for start in ellipse_starts(points, circle) {
        consider(Kind::Ellipse, refine(Kind::Ellipse, start, &sample, REFINE_ITERS), &mut ellipse);
    }
    if let Some(e) = ellipse {
        let aspect = e.1[2] / e.1[3].max(1e-9);
        let better = round.as_ref().is_none_or(|c| e.2 >= c.2 + ELLIPSE_MARGIN);
        if aspect >= lim.ellipse_min_aspect && better {
            round = Some(e);
        } else if round.is_none() {
            // No circle at all: the ellipse, however round, is the round candidate.
            round = Some(e);
        }
    }
    let mut rect: Option<(Kind, Params, f64)> = None;
    for start in rectangle_starts(points, circle) {
        consider(Kind::Rectangle, refine(Kind::Rectangle, start, &sample, REFINE_ITERS), &mut rect);
    }
    let mut best = round;
    if let Some(r) = rect
        && best.as_ref().is_none_or(|b| r.2 >= b.2 + RECTANGLE_MARGIN)
    {
        best = Some(r);
    }
    let (kind, p, share) = best?;
    Some(OutlineFit { shape: to_shape(kind, &p), inlier_share: share as f32 })
}

fn to_shape(kind: Kind, p: &Params) -> SealShape {
    let centre = [p[0] as f32, p[1] as f32];
    match kind {
        Kind::Circle => SealShape::Circle { centre, radius: p[2] as f32 },
        Kind::Ellipse => {
            SealShape::Ellipse { centre, semi_axes: [p[2] as f32, p[3] as f32], angle_deg: p[4].to_degrees() as f32 }
        }
        Kind::Rectangle => SealShape::Rectangle {
            centre,
            size: [2.0 * p[2] as f32, 2.0 * p[3] as f32],
            angle_deg: p[4].to_degrees() as f32,
        },
    }
}

/// Positive axes, the longer first, angle in `(-90, 90]` degrees.
fn normalise(kind: Kind, mut p: Params) -> Params {
    p[2] = p[2].abs();
    p[3] = p[3].abs();
    if kind == Kind::Circle {
        p[3] = p[2];
        p[4] = 0.0;
        return p;
    }
    if p[2] < p[3] {
        p.swap(2, 3);
        p[4] += std::f64::consts::FRAC_PI_2;
    }
    let pi = std::f64::consts::PI;
    p[4] = p[4].rem_euclid(pi);
    if p[4] > pi / 2.0 {
        p[4] -= pi;
    }
    p
}

fn equivalent_radius(kind: Kind, p: &Params) -> f64 {
    match kind {
        Kind::Circle => p[2],
        Kind::Ellipse | Kind::Rectangle => (p[2] * p[3]).max(0.0).sqrt(),
    }
}

fn acceptable(kind: Kind, p: &Params, lim: &FitLimits) -> bool {
    if p.iter().any(|v| !v.is_finite()) || p[3] <= 0.0 {
        return false;
    }
    let r = equivalent_radius(kind, p);
    r >= lim.min_radius && r <= lim.max_radius && p[2] / p[3] <= lim.max_aspect
}

/// A parameter vector ready to measure points against (its angle's sine and cosine computed once).
#[derive(Debug, Clone, Copy)]
struct Model {
    kind: Kind,
    p: Params,
    sin: f64,
    cos: f64,
    a: f64,
    b: f64,
}

impl Model {
    fn new(kind: Kind, p: &Params) -> Model {
        let (sin, cos) = p[4].sin_cos();
        Model { kind, p: *p, sin, cos, a: p[2].abs().max(1e-6), b: p[3].abs().max(1e-6) }
    }

    /// Signed distance from the outline to `(x, y)` along the ray from the centre.
    #[inline]
    fn residual(&self, x: f64, y: f64) -> f64 {
        let (dx, dy) = (x - self.p[0], y - self.p[1]);
        let d = norm(dx, dy);
        if self.kind == Kind::Circle {
            return d - self.p[2];
        }
        let (ux, uy) = (self.cos * dx + self.sin * dy, -self.sin * dx + self.cos * dy);
        let rho = if self.kind == Kind::Ellipse {
            norm(ux / self.a, uy / self.b)
        } else {
            (ux / self.a).abs().max((uy / self.b).abs())
        };
        if d < 1e-9 || rho < 1e-12 {
            return -self.a.min(self.b);
        }
        d - d / rho
    }
}

fn inlier_share(kind: Kind, p: &Params, points: &[[f64; 2]]) -> f64 {
    let tol = tolerance(equivalent_radius(kind, p));
    let m = Model::new(kind, p);
    let n = points.iter().filter(|q| m.residual(q[0], q[1]).abs() <= tol).count();
    n as f64 / points.len().max(1) as f64
}

/// A small deterministic generator (xorshift64*): the same points give the same fit.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        ((v >> 11) % n.max(1) as u64) as usize
    }
}

/// The circle through three points, if they are not (nearly) collinear.
fn circle_through(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> Option<Params> {
    let d = 2.0 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]));
    if d.abs() < 1e-6 {
        return None;
    }
    let (a2, b2, c2) = (a[0] * a[0] + a[1] * a[1], b[0] * b[0] + b[1] * b[1], c[0] * c[0] + c[1] * c[1]);
    let ux = (a2 * (b[1] - c[1]) + b2 * (c[1] - a[1]) + c2 * (a[1] - b[1])) / d;
    let uy = (a2 * (c[0] - b[0]) + b2 * (a[0] - c[0]) + c2 * (b[0] - a[0])) / d;
    let r = norm(a[0] - ux, a[1] - uy);
    r.is_finite().then_some([ux, uy, r, r, 0.0])
}

fn ransac_circle(points: &[[f64; 2]], lim: &FitLimits) -> Option<Params> {
    let n = points.len();
    let stride = n.div_ceil(RANSAC_SCORED).max(1);
    let scored: Vec<[f64; 2]> = points.iter().step_by(stride).copied().collect();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut best: Option<(Params, usize)> = None;
    for _ in 0..RANSAC_ROUNDS {
        let (i, j, k) = (rng.below(n), rng.below(n), rng.below(n));
        let (Some(&a), Some(&b), Some(&c)) = (points.get(i), points.get(j), points.get(k)) else { continue };
        let Some(p) = circle_through(a, b, c) else { continue };
        if p[2] < lim.min_radius || p[2] > lim.max_radius {
            continue;
        }
        let tol = tolerance(p[2]);
        let count = scored.iter().filter(|q| (norm(q[0] - p[0], q[1] - p[1]) - p[2]).abs() <= tol).count();
        if best.as_ref().is_none_or(|b| count > b.1) {
            best = Some((p, count));
        }
    }
    best.map(|b| b.0)
}

/// Points farther than this many tolerances outside a partial circle count against it.
const OUTSIDE_TOLERANCES: f64 = 2.0;
/// Weight of an edge point outside the circle against one on it: a seal has no ink past its ring.
const OUTSIDE_WEIGHT: f64 = 4.0;

/// A round outline of which only an arc printed, fitted to every edge pixel of the ink (`edges`:
/// ink pixels with a paper neighbour) rather than to its extreme points, which on a cut or faded
/// impression lie on the cut and inside. RANSAC keeps the circle with most edge points on it less
/// four times those outside it (a seal has no ink past its ring), then refines it on its inliers.
/// `None` when no circle within `lim` has an arc at all. The returned share is the share of the
/// edge points outside the circle.
pub(crate) fn fit_partial_circle(edges: &[[f64; 2]], lim: &FitLimits) -> Option<(OutlineFit, f64)> {
    if edges.len() < 12 || edges.iter().any(|p| !p[0].is_finite() || !p[1].is_finite()) {
        return None;
    }
    let n = edges.len();
    let stride = n.div_ceil(RANSAC_SCORED).max(1);
    let scored: Vec<[f64; 2]> = edges.iter().step_by(stride).copied().collect();
    let score = |p: &Params| -> (f64, usize, usize) {
        let tol = tolerance(p[2]);
        let (mut on, mut out) = (0usize, 0usize);
        for q in &scored {
            let d = norm(q[0] - p[0], q[1] - p[1]) - p[2];
            if d.abs() <= tol {
                on += 1;
            } else if d > OUTSIDE_TOLERANCES * tol {
                out += 1;
            }
        }
        (on as f64 - OUTSIDE_WEIGHT * out as f64, on, out)
    };
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let mut best: Option<(Params, f64)> = None;
    for _ in 0..2 * RANSAC_ROUNDS {
        let (i, j, k) = (rng.below(n), rng.below(n), rng.below(n));
        let (Some(&a), Some(&b), Some(&c)) = (edges.get(i), edges.get(j), edges.get(k)) else { continue };
        let Some(p) = circle_through(a, b, c) else { continue };
        if p[2] < lim.min_radius || p[2] > lim.max_radius {
            continue;
        }
        let (v, _, _) = score(&p);
        if best.as_ref().is_none_or(|b| v > b.1) {
            best = Some((p, v));
        }
    }
    let (p, _) = best?;
    let tol = tolerance(p[2]);
    let inliers: Vec<[f64; 2]> =
        edges.iter().filter(|q| (norm(q[0] - p[0], q[1] - p[1]) - p[2]).abs() <= tol).copied().collect();
    let stride = inliers.len().div_ceil(REFINE_POINTS).max(1);
    let sample: Vec<[f64; 2]> = inliers.iter().step_by(stride).copied().collect();
    let refined = normalise(Kind::Circle, refine(Kind::Circle, p, &sample, REFINE_ITERS));
    let p = if acceptable(Kind::Circle, &refined, lim) && score(&refined).0 >= score(&p).0 { refined } else { p };
    let (_, on, out) = score(&p);
    let total = scored.len().max(1) as f64;
    Some((
        OutlineFit { shape: to_shape(Kind::Circle, &p), inlier_share: (on as f64 / total) as f32 },
        out as f64 / total,
    ))
}

/// Angles tried for a partial rectangle's sides, degrees (a quarter turn covers every rectangle).
const RECT_ANGLE_STEPS: usize = 90;

/// A rectangular outline of which only part printed (an L or a U of its border), fitted to the
/// ink's edge pixels: the box around them at the angle whose box sides hold most edge points
/// (straight border lines). Returns the fit and the length of border found on the box's sides, in
/// pixels (edge points within the tolerance of a side), for the caller to judge; `None` without
/// points or when the box is outside `lim`. The box covers only what printed: a cut seal's box is
/// smaller than the seal, which marks it partial.
pub(crate) fn fit_partial_rectangle(edges: &[[f64; 2]], lim: &FitLimits) -> Option<(OutlineFit, f64)> {
    if edges.len() < 12 || edges.iter().any(|p| !p[0].is_finite() || !p[1].is_finite()) {
        return None;
    }
    let stride = edges.len().div_ceil(RANSAC_SCORED).max(1);
    let scored: Vec<[f64; 2]> = edges.iter().step_by(stride).copied().collect();
    let weight = stride as f64;
    let mut best: Option<(Params, f64)> = None;
    for k in 0..RECT_ANGLE_STEPS {
        let a = (k as f64).to_radians();
        let (sa, ca) = a.sin_cos();
        let (mut u0, mut u1, mut v0, mut v1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for q in &scored {
            let (u, v) = (ca * q[0] + sa * q[1], -sa * q[0] + ca * q[1]);
            (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
        }
        let (hu, hv) = ((u1 - u0) / 2.0, (v1 - v0) / 2.0);
        let tol = tolerance((hu * hv).max(0.0).sqrt());
        let on = scored
            .iter()
            .filter(|q| {
                let (u, v) = (ca * q[0] + sa * q[1], -sa * q[0] + ca * q[1]);
                (u - u0).abs() <= tol || (u1 - u).abs() <= tol || (v - v0).abs() <= tol || (v1 - v).abs() <= tol
            })
            .count() as f64
            * weight;
        if best.as_ref().is_none_or(|b| on > b.1) {
            let (cu, cv) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
            let centre = [ca * cu - sa * cv, sa * cu + ca * cv];
            best = Some(([centre[0], centre[1], hu, hv, a], on));
        }
    }
    let (p, on) = best?;
    let p = normalise(Kind::Rectangle, p);
    if !acceptable(Kind::Rectangle, &p, lim) {
        return None;
    }
    let share = inlier_share(Kind::Rectangle, &p, &scored);
    Some((OutlineFit { shape: to_shape(Kind::Rectangle, &p), inlier_share: share as f32 }, on))
}

/// Mean and the covariance's eigen-decomposition of the points: (centre, larger and smaller
/// variance, angle of the larger).
fn moments(points: &[[f64; 2]]) -> ([f64; 2], f64, f64, f64) {
    let n = points.len().max(1) as f64;
    let (mx, my) = points.iter().fold((0.0, 0.0), |a, p| (a.0 + p[0], a.1 + p[1]));
    let (mx, my) = (mx / n, my / n);
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for p in points {
        let (dx, dy) = (p[0] - mx, p[1] - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let (sxx, syy, sxy) = (sxx / n, syy / n, sxy / n);
    let half_trace = (sxx + syy) / 2.0;
    let det_term = (((sxx - syy) / 2.0).powi(2) + sxy * sxy).sqrt();
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    ([mx, my], half_trace + det_term, (half_trace - det_term).max(0.0), angle)
}

fn ellipse_starts(points: &[[f64; 2]], circle: Option<Params>) -> Vec<Params> {
    // Points spread evenly in angle around an ellipse have variances a^2 / 2 and b^2 / 2.
    let (c, l1, l2, angle) = moments(points);
    let mut starts = vec![[c[0], c[1], (2.0 * l1).sqrt(), (2.0 * l2).sqrt(), angle]];
    if let Some(p) = circle {
        for k in 0..3 {
            starts.push([p[0], p[1], p[2] * 1.08, p[2] * 0.92, k as f64 * std::f64::consts::PI / 3.0]);
        }
    }
    starts
}

fn rectangle_starts(points: &[[f64; 2]], circle: Option<Params>) -> Vec<Params> {
    // The minimum-area bounding rectangle over angles in steps of 3 degrees.
    let mut best: Option<(f64, Params)> = None;
    for step in 0..30 {
        let angle = (step as f64 * 3.0).to_radians();
        let (s, c) = angle.sin_cos();
        let (mut u0, mut u1, mut v0, mut v1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in points {
            let (u, v) = (c * p[0] + s * p[1], -s * p[0] + c * p[1]);
            u0 = u0.min(u);
            u1 = u1.max(u);
            v0 = v0.min(v);
            v1 = v1.max(v);
        }
        let area = (u1 - u0) * (v1 - v0);
        let (uc, vc) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
        let p = [c * uc - s * vc, s * uc + c * vc, (u1 - u0) / 2.0, (v1 - v0) / 2.0, angle];
        if area.is_finite() && best.as_ref().is_none_or(|b| area < b.0) {
            best = Some((area, p));
        }
    }
    let mut starts: Vec<Params> = best.map(|b| b.1).into_iter().collect();
    if let (Some(c), Some(&first)) = (circle, starts.first()) {
        let h = c[2] * 0.85;
        starts.push([c[0], c[1], h, h, first[4]]);
    }
    starts
}

fn tukey_cost(r: f64, c: f64) -> f64 {
    let u = r / c;
    if u.abs() >= 1.0 { c * c / 6.0 } else { c * c / 6.0 * (1.0 - (1.0 - u * u).powi(3)) }
}

fn tukey_weight(r: f64, c: f64) -> f64 {
    let u = r / c;
    if u.abs() >= 1.0 { 0.0 } else { (1.0 - u * u).powi(2) }
}

/// Robust Levenberg-Marquardt from `p` (numeric Jacobian, Tukey weights with a scale of 1.48 times the
/// median absolute residual, at least a pixel).
fn refine(kind: Kind, mut p: Params, points: &[[f64; 2]], iters: usize) -> Params {
    let m = if kind == Kind::Circle { 3 } else { 5 };
    let n = points.len();
    let mut res = vec![0.0f64; n];
    let mut jac = vec![[0.0f64; 5]; n];
    let mut abs = vec![0.0f64; n];
    let mut lambda = 1e-3;
    for _ in 0..iters {
        let model = Model::new(kind, &p);
        for (r, q) in res.iter_mut().zip(points) {
            *r = model.residual(q[0], q[1]);
        }
        if res.iter().any(|r| !r.is_finite()) {
            break;
        }
        for (a, r) in abs.iter_mut().zip(&res) {
            *a = r.abs();
        }
        let mid = n / 2;
        abs.select_nth_unstable_by(mid, f64::total_cmp);
        let median = abs.get(mid).copied().unwrap_or(0.0);
        let c = 4.685 * (1.4826 * median).max(1.0);
        let cost: f64 = res.iter().map(|&r| tukey_cost(r, c)).sum();
        for j in 0..m {
            let h = if j == 4 { 1e-5 } else { 1e-4 * p[j].abs().max(1.0) };
            let mut q = p;
            q[j] += h;
            let moved = Model::new(kind, &q);
            for ((row, pt), r) in jac.iter_mut().zip(points).zip(&res) {
                row[j] = (moved.residual(pt[0], pt[1]) - r) / h;
            }
        }
        let mut a = [[0.0f64; 5]; 5];
        let mut g = [0.0f64; 5];
        for (row, &r) in jac.iter().zip(&res) {
            let w = tukey_weight(r, c);
            if w == 0.0 {
                continue;
            }
            for i in 0..m {
                g[i] += w * row[i] * r;
                for k in 0..m {
                    a[i][k] += w * row[i] * row[k];
                }
            }
        }
        let mut accepted = false;
        let mut step_size = 0.0;
        for _ in 0..8 {
            let mut damped = a;
            for (i, row) in damped.iter_mut().enumerate().take(m) {
                row[i] += lambda * a[i][i].max(1e-9);
            }
            let Some(delta) = solve(&damped, &g, m) else {
                lambda *= 10.0;
                continue;
            };
            let mut q = p;
            for i in 0..m {
                q[i] -= delta[i];
            }
            let candidate = Model::new(kind, &q);
            let new_cost: f64 = points.iter().map(|pt| tukey_cost(candidate.residual(pt[0], pt[1]), c)).sum();
            if new_cost.is_finite() && new_cost < cost {
                p = q;
                lambda = (lambda / 3.0).max(1e-9);
                accepted = true;
                step_size = delta.iter().take(m).map(|d| d * d).sum::<f64>().sqrt();
                break;
            }
            lambda *= 5.0;
        }
        if !accepted || step_size < 1e-6 {
            break;
        }
    }
    p
}

/// Solve the `m` x `m` system `a x = b` by Gaussian elimination with partial pivoting.
fn solve(a: &[[f64; 5]; 5], b: &[f64; 5], m: usize) -> Option<[f64; 5]> {
    let mut aug = [[0.0f64; 6]; 5];
    for i in 0..m {
        aug[i][..m].copy_from_slice(&a[i][..m]);
        aug[i][5] = b[i];
    }
    for col in 0..m {
        let pivot = (col..m).max_by(|&x, &y| aug[x][col].abs().total_cmp(&aug[y][col].abs()))?;
        if aug[pivot][col].abs() < 1e-12 {
            return None;
        }
        aug.swap(col, pivot);
        let pivot_row = aug[col];
        for row in aug.iter_mut().take(m).skip(col + 1) {
            let f = row[col] / pivot_row[col];
            for (v, p) in row.iter_mut().zip(pivot_row).skip(col) {
                *v -= f * p;
            }
        }
    }
    let mut x = [0.0f64; 5];
    for i in (0..m).rev() {
        let mut s = aug[i][5];
        for k in i + 1..m {
            s -= aug[i][k] * x[k];
        }
        x[i] = s / aug[i][i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIM: FitLimits = FitLimits { min_radius: 10.0, max_radius: 500.0, ellipse_min_aspect: 1.06, max_aspect: 2.5 };

    fn on_frame(shape: &SealShape, n: usize, from_deg: f64, to_deg: f64) -> Vec<[f64; 2]> {
        let f = super::super::geometry::Frame::of(shape).expect("frame");
        (0..n)
            .map(|i| {
                let t = (from_deg + (to_deg - from_deg) * i as f64 / n as f64).to_radians();
                // A little deterministic raggedness.
                let jitter = ((i * 7919) % 13) as f64 / 13.0 - 0.5;
                let p = f.point(1.0, t);
                [p[0] + jitter, p[1] - jitter]
            })
            .collect()
    }

    #[test]
    fn circle_with_outliers() {
        let truth = SealShape::Circle { centre: [200.0, 150.0], radius: 120.0 };
        let mut pts = on_frame(&truth, 400, 0.0, 360.0);
        // A quarter as many points scattered inside (characters, a star).
        pts.extend((0..100).map(|i| [200.0 + (i % 10) as f64 * 8.0 - 40.0, 150.0 + (i / 10) as f64 * 8.0 - 40.0]));
        let fit = fit_outline(&pts, &LIM).expect("fit");
        let SealShape::Circle { centre, radius } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!((centre[0] - 200.0).abs() < 1.0 && (centre[1] - 150.0).abs() < 1.0, "{centre:?}");
        assert!((radius - 120.0).abs() < 1.0, "{radius}");
        assert!(fit.inlier_share > 0.75);
    }

    #[test]
    fn half_circle_is_still_a_circle() {
        let truth = SealShape::Circle { centre: [100.0, 100.0], radius: 80.0 };
        let mut pts = on_frame(&truth, 200, 90.0, 270.0);
        // The cut: a straight edge of points along x = 100.
        pts.extend((0..60).map(|i| [100.0 + (i % 3) as f64, 30.0 + i as f64 * 2.3]));
        let fit = fit_outline(&pts, &LIM).expect("fit");
        let SealShape::Circle { centre, radius } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!((centre[0] - 100.0).abs() < 1.5 && (radius - 80.0).abs() < 1.5, "{centre:?} {radius}");
    }

    #[test]
    fn ellipse_and_rectangle_are_recognised() {
        let e = SealShape::Ellipse { centre: [300.0, 200.0], semi_axes: [150.0, 100.0], angle_deg: 20.0 };
        let fit = fit_outline(&on_frame(&e, 500, 0.0, 360.0), &LIM).expect("ellipse");
        let SealShape::Ellipse { centre, semi_axes, angle_deg } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!((centre[0] - 300.0).abs() < 1.0 && (semi_axes[0] - 150.0).abs() < 1.5, "{centre:?} {semi_axes:?}");
        assert!((semi_axes[1] - 100.0).abs() < 1.5 && (angle_deg - 20.0).abs() < 1.0, "{semi_axes:?} {angle_deg}");

        let r = SealShape::Rectangle { centre: [250.0, 250.0], size: [160.0, 160.0], angle_deg: 12.0 };
        let fit = fit_outline(&on_frame(&r, 500, 0.0, 360.0), &LIM).expect("square");
        let SealShape::Rectangle { centre, size, angle_deg } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!((centre[0] - 250.0).abs() < 1.0 && (size[0] - 160.0).abs() < 2.0, "{centre:?} {size:?}");
        // A square's angle is known up to quarter turns.
        let a = (angle_deg - 12.0).rem_euclid(90.0);
        assert!(a.min(90.0 - a) < 1.0, "{angle_deg}");
    }

    #[test]
    fn degenerate_point_sets() {
        assert!(fit_outline(&[], &LIM).is_none());
        assert!(fit_outline(&[[1.0, 1.0]; 50], &LIM).is_none());
        let line: Vec<[f64; 2]> = (0..100).map(|i| [i as f64, 2.0 * i as f64]).collect();
        assert!(fit_outline(&line, &LIM).is_none_or(|f| f.inlier_share < 0.5));
        let mut nan = line.clone();
        nan[3] = [f64::NAN, 0.0];
        assert!(fit_outline(&nan, &LIM).is_none());
        assert!(solve(&[[0.0; 5]; 5], &[1.0; 5], 3).is_none());
    }

    /// Edge points of a ring (outer and inner edge) and of characters inside, along an arc only.
    fn partial_ring(truth: &SealShape, from_deg: f64, to_deg: f64) -> Vec<[f64; 2]> {
        let mut pts = on_frame(truth, 300, from_deg, to_deg);
        let f = super::super::geometry::Frame::of(truth).expect("frame");
        pts.extend((0..300).map(|i| {
            let t = (from_deg + (to_deg - from_deg) * i as f64 / 300.0).to_radians();
            f.point(0.93, t)
        }));
        // Characters: short strokes inside, on the printed side.
        pts.extend((0..200).map(|i| {
            let t = (from_deg + (to_deg - from_deg) * (i % 20) as f64 / 20.0).to_radians();
            f.point(0.5 + 0.03 * (i / 20) as f64, t)
        }));
        pts
    }

    #[test]
    fn an_arc_of_a_ring_is_fitted_to_its_outer_edge_and_ink_outside_counts() {
        let truth = SealShape::Circle { centre: [300.0, 260.0], radius: 150.0 };
        let pts = partial_ring(&truth, 200.0, 380.0);
        let (fit, outside) = fit_partial_circle(&pts, &LIM).expect("arc");
        let SealShape::Circle { centre, radius } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!((centre[0] - 300.0).abs() < 2.0 && (centre[1] - 260.0).abs() < 2.0, "{centre:?}");
        assert!((radius - 150.0).abs() < 2.0 && outside < 0.01, "{radius} {outside}");
        // A stroke well outside the arc's circle is ink a seal cannot have: that circle is no
        // longer returned with nothing outside it (another circle may enclose both; the caller
        // measures its ring).
        let mut smeared = pts.clone();
        smeared.extend((0..200).map(|i| [300.0 + 200.0 + i as f64 * 0.2, 260.0 + i as f64 * 0.5]));
        let (fit, outside) = fit_partial_circle(&smeared, &LIM).expect("fit");
        let SealShape::Circle { radius, .. } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!((radius - 150.0).abs() > 5.0 || outside > 0.05, "{radius} {outside}");
        assert!(fit_partial_circle(&[], &LIM).is_none());
        assert!(fit_partial_circle(&[[f64::NAN, 0.0]; 20], &LIM).is_none());
    }

    #[test]
    fn an_l_of_a_square_border_is_boxed_at_its_angle() {
        let truth = SealShape::Rectangle { centre: [400.0, 300.0], size: [140.0, 140.0], angle_deg: 8.0 };
        // Two sides and the start of the other two (the rest was cut off).
        let pts = partial_ring(&truth, 80.0, 300.0);
        let (fit, border) = fit_partial_rectangle(&pts, &LIM).expect("box");
        let SealShape::Rectangle { size, angle_deg, .. } = fit.shape else { panic!("{:?}", fit.shape) };
        let a = (angle_deg - 8.0).rem_euclid(90.0);
        assert!(a.min(90.0 - a) < 1.5, "{angle_deg}");
        assert!(size[0] <= 145.0 && size[0] > 100.0, "{size:?}");
        assert!(border > 0.2 * 2.0 * f64::from(size[0] + size[1]), "{border} {size:?}");
        // An arc has no straight border: little of it lies on its box.
        let arc = partial_ring(&SealShape::Circle { centre: [300.0, 260.0], radius: 150.0 }, 200.0, 380.0);
        let (fit, border) = fit_partial_rectangle(&arc, &LIM).expect("box");
        let SealShape::Rectangle { size, .. } = fit.shape else { panic!("{:?}", fit.shape) };
        assert!(border < 0.2 * 2.0 * f64::from(size[0] + size[1]), "{border} {size:?}");
        assert!(fit_partial_rectangle(&[[1.0, 1.0]; 5], &LIM).is_none());
    }
}
