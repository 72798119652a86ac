//! Where a pixel lies relative to a fitted outline: in the outline's own frame, normalised so that
//! the outline is at radius 1 (an ellipse becomes a circle by an affine map; a rectangle becomes a
//! square, with the "radius" the larger of the two normalised coordinates), and back.
//!
//! Every stage that walks around an outline (coverage, ring profile, polar unwrap) uses this one
//! mapping, so their angles agree: angle 0 is along the shape's first axis, angles grow clockwise on
//! screen.

use super::SealShape;

/// A fitted outline as a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    centre: [f64; 2],
    cos: f64,
    sin: f64,
    /// Half extents along the frame's axes (radius twice for a circle).
    axes: [f64; 2],
    square: bool,
}

impl Frame {
    /// The frame of `shape`; `None` when it has a non-finite value or an axis that is not positive.
    pub fn of(shape: &SealShape) -> Option<Frame> {
        let (centre, axes, angle, square) = match *shape {
            SealShape::Circle { centre, radius } => (centre, [radius, radius], 0.0, false),
            SealShape::Ellipse { centre, semi_axes, angle_deg } => (centre, semi_axes, angle_deg, false),
            SealShape::Rectangle { centre, size, angle_deg } => {
                (centre, [size[0] / 2.0, size[1] / 2.0], angle_deg, true)
            }
        };
        let values = [centre[0], centre[1], axes[0], axes[1], angle];
        if values.iter().any(|v| !v.is_finite()) || axes[0] <= 0.0 || axes[1] <= 0.0 {
            return None;
        }
        let (sin, cos) = f64::from(angle).to_radians().sin_cos();
        Some(Frame { centre: centre.map(f64::from), cos, sin, axes: axes.map(f64::from), square })
    }

    /// True for a rectangle's frame (its normalised radius is the larger coordinate).
    pub fn is_square(&self) -> bool {
        self.square
    }

    /// Half extents along the frame's axes, pixels (the radius twice for a circle).
    pub fn axes(&self) -> [f64; 2] {
        self.axes
    }

    /// The smaller half extent, pixels.
    pub fn min_axis(&self) -> f64 {
        self.axes[0].min(self.axes[1])
    }

    /// Normalised coordinates of `(x, y)` in the frame (the outline passes through `(1, 0)`).
    fn local(&self, x: f64, y: f64) -> (f64, f64) {
        let (dx, dy) = (x - self.centre[0], y - self.centre[1]);
        let ux = self.cos * dx + self.sin * dy;
        let uy = -self.sin * dx + self.cos * dy;
        (ux / self.axes[0], uy / self.axes[1])
    }

    /// Normalised coordinates of `(x, y)`: the outline's first axis along x, the outline through
    /// `(1, 0)` and `(0, 1)`.
    pub fn normalised(&self, x: f64, y: f64) -> (f64, f64) {
        self.local(x, y)
    }

    /// The page point at normalised coordinates `(nx, ny)` (the inverse of [`Frame::normalised`]).
    pub fn to_page(self, nx: f64, ny: f64) -> [f64; 2] {
        let (ux, uy) = (nx * self.axes[0], ny * self.axes[1]);
        [self.centre[0] + self.cos * ux - self.sin * uy, self.centre[1] + self.sin * ux + self.cos * uy]
    }

    /// Normalised radius of `(x, y)`: 1 on the outline, below inside.
    pub fn rho(&self, x: f64, y: f64) -> f64 {
        let (nx, ny) = self.local(x, y);
        if self.square { nx.abs().max(ny.abs()) } else { norm(nx, ny) }
    }

    /// The square of [`Frame::rho`] (no square root).
    pub fn rho_squared(&self, x: f64, y: f64) -> f64 {
        let (nx, ny) = self.local(x, y);
        if self.square {
            let m = nx.abs().max(ny.abs());
            m * m
        } else {
            nx * nx + ny * ny
        }
    }

    /// Normalised radius and angle (radians, `-pi..=pi`, within a twentieth of a degree) of `(x, y)`.
    pub fn rho_phi(&self, x: f64, y: f64) -> (f64, f64) {
        let (nx, ny) = self.local(x, y);
        let rho = if self.square { nx.abs().max(ny.abs()) } else { norm(nx, ny) };
        (rho, fast_atan2(ny, nx))
    }

    /// The page point at normalised radius `rho` and angle `phi` (radians).
    pub fn point(&self, rho: f64, phi: f64) -> [f64; 2] {
        let (s, c) = phi.sin_cos();
        let m = if self.square { c.abs().max(s.abs()).max(1e-12) } else { 1.0 };
        let nx = rho * c / m * self.axes[0];
        let ny = rho * s / m * self.axes[1];
        [self.centre[0] + self.cos * nx - self.sin * ny, self.centre[1] + self.sin * nx + self.cos * ny]
    }

    /// Normalised radius and signed distance from the outline (see [`Frame::residual`]) at once.
    pub fn rho_residual(&self, x: f64, y: f64) -> (f64, f64) {
        let d = norm(x - self.centre[0], y - self.centre[1]);
        let rho = self.rho(x, y);
        if d < 1e-9 || rho < 1e-12 {
            return (rho, -self.min_axis());
        }
        (rho, d - d / rho)
    }

    /// Signed distance, pixels, from the outline to `(x, y)` along the ray from the centre: positive
    /// outside, negative inside.
    #[cfg(test)]
    pub fn residual(&self, x: f64, y: f64) -> f64 {
        let d = norm(x - self.centre[0], y - self.centre[1]);
        let rho = self.rho(x, y);
        if d < 1e-9 || rho < 1e-12 {
            return -self.min_axis();
        }
        d - d / rho
    }

    /// Axis-aligned box `[x0, y0, x1, y1]` holding the frame's points up to normalised radius `rho`.
    pub fn bbox(&self, rho: f64) -> [f64; 4] {
        let (a, b) = (self.axes[0] * rho, self.axes[1] * rho);
        let (hw, hh) = if self.square {
            (a * self.cos.abs() + b * self.sin.abs(), a * self.sin.abs() + b * self.cos.abs())
        } else {
            (
                (a * a * self.cos * self.cos + b * b * self.sin * self.sin).sqrt(),
                (a * a * self.sin * self.sin + b * b * self.cos * self.cos).sqrt(),
            )
        };
        [self.centre[0] - hw, self.centre[1] - hh, self.centre[0] + hw, self.centre[1] + hh]
    }
}

/// Euclidean length of `(x, y)`. `f64::hypot` guards against overflow at a large cost per call;
/// page coordinates are far from overflowing.
#[inline]
pub(crate) fn norm(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

/// `y.atan2(x)` within 0.0015 radians (a twentieth of a degree), several times faster than libm's:
/// for binning angles, not for reporting them. 0 for `(0, 0)` and for non-finite input.
#[inline]
pub(crate) fn fast_atan2(y: f64, x: f64) -> f64 {
    use std::f64::consts::{FRAC_PI_2, PI};
    let (ax, ay) = (x.abs(), y.abs());
    let (hi, lo) = (ax.max(ay), ax.min(ay));
    if !x.is_finite() || !y.is_finite() || hi <= 0.0 {
        return 0.0;
    }
    // atan on [0, 1] by a minimax polynomial (Abramowitz and Stegun 4.4.49 form).
    let a = lo / hi;
    let s = a * a;
    let mut r = ((-0.046_496_474_9 * s + 0.159_314_22) * s - 0.327_622_764) * s * a + a;
    if ay > ax {
        r = FRAC_PI_2 - r;
    }
    if x < 0.0 {
        r = PI - r;
    }
    if y < 0.0 { -r } else { r }
}

/// The share of a full turn that angle `phi` (radians, `-pi..=pi`) is, in `0..1` (0 for non-finite
/// input). Without `rem_euclid`, which costs a division call per pixel.
#[inline]
pub(crate) fn turn_fraction(phi: f64) -> f64 {
    let t = phi / std::f64::consts::TAU;
    let t = if t < 0.0 { t + 1.0 } else { t };
    if (0.0..1.0).contains(&t) { t } else { 0.0 }
}

/// The pixel range `[x0, x1) x [y0, y1)` of `bbox` inside a `width` x `height` image (empty when they
/// do not meet or the box is not finite).
pub(crate) fn clip_box(bbox: [f64; 4], width: usize, height: usize) -> (usize, usize, usize, usize) {
    if bbox.iter().any(|v| !v.is_finite()) {
        return (0, 0, 0, 0);
    }
    let clamp = |v: f64, hi: usize| -> usize { v.max(0.0).min(hi as f64) as usize };
    let (x0, y0) = (clamp(bbox[0].floor(), width), clamp(bbox[1].floor(), height));
    let (x1, y1) = (clamp(bbox[2].ceil() + 1.0, width), clamp(bbox[3].ceil() + 1.0, height));
    (x0, y0, x1.max(x0), y1.max(y0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_ellipse_and_rectangle_frames() {
        let c = Frame::of(&SealShape::Circle { centre: [10.0, 20.0], radius: 5.0 }).expect("circle");
        assert!((c.rho(15.0, 20.0) - 1.0).abs() < 1e-9);
        assert!((c.residual(10.0, 27.0) - 2.0).abs() < 1e-9);
        let (rho, phi) = c.rho_phi(10.0, 25.0);
        assert!((rho - 1.0).abs() < 1e-9 && (phi - std::f64::consts::FRAC_PI_2).abs() < 1e-9, "y down is +90");

        // An ellipse turned 90 degrees: its long axis is vertical.
        let e = Frame::of(&SealShape::Ellipse { centre: [0.0, 0.0], semi_axes: [20.0, 10.0], angle_deg: 90.0 })
            .expect("ellipse");
        assert!((e.rho(0.0, 20.0) - 1.0).abs() < 1e-9 && (e.rho(10.0, 0.0) - 1.0).abs() < 1e-9);
        let p = e.point(1.0, 0.3);
        assert!((e.rho(p[0], p[1]) - 1.0).abs() < 1e-9);
        let (nx, ny) = e.normalised(3.0, -7.0);
        let back = e.to_page(nx, ny);
        assert!((back[0] - 3.0).abs() < 1e-9 && (back[1] + 7.0).abs() < 1e-9);

        let r =
            Frame::of(&SealShape::Rectangle { centre: [0.0, 0.0], size: [40.0, 20.0], angle_deg: 0.0 }).expect("rect");
        assert!((r.rho(20.0, 9.0) - 1.0).abs() < 1e-9 && (r.rho(5.0, 10.0) - 1.0).abs() < 1e-9);
        let p = r.point(1.0, 0.7);
        assert!((r.rho(p[0], p[1]) - 1.0).abs() < 1e-9);
        assert_eq!(r.bbox(1.0), [-20.0, -10.0, 20.0, 10.0]);
        assert!(r.residual(0.0, 0.0) < 0.0);
    }

    #[test]
    fn fast_atan2_is_close_everywhere() {
        for i in 0..3600 {
            let t = (i as f64 / 10.0 - 180.0).to_radians();
            for r in [1e-3, 1.0, 1e6] {
                let (x, y) = (r * t.cos(), r * t.sin());
                let d = (fast_atan2(y, x) - y.atan2(x)).rem_euclid(std::f64::consts::TAU);
                assert!(d.min(std::f64::consts::TAU - d) < 0.0015, "{t} {r}");
            }
        }
        assert_eq!(fast_atan2(0.0, 0.0), 0.0);
        assert_eq!(fast_atan2(f64::NAN, 1.0), 0.0);
        assert_eq!(fast_atan2(1.0, f64::INFINITY), 0.0);
    }

    #[test]
    fn degenerate_shapes_have_no_frame_and_boxes_clip() {
        assert!(Frame::of(&SealShape::Circle { centre: [0.0, 0.0], radius: 0.0 }).is_none());
        assert!(Frame::of(&SealShape::Circle { centre: [f32::NAN, 0.0], radius: 3.0 }).is_none());
        assert_eq!(clip_box([-5.0, -5.0, 3.2, 4.0], 10, 10), (0, 0, 5, 5));
        assert_eq!(clip_box([50.0, 50.0, 60.0, 60.0], 10, 10), (10, 10, 10, 10));
        assert_eq!(clip_box([f64::NAN, 0.0, 1.0, 1.0], 10, 10), (0, 0, 0, 0));
    }
}
