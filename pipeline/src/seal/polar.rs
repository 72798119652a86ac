//! Unwrap the ink of an impression around its fitted outline into a polar image: rows are the
//! normalised radius (0 at the centre, 1 on the outline), columns the angle in the outline's frame.
//! An ellipse is unwrapped as the circle it is an affine image of, a rectangle as a square (the
//! radius is the larger normalised coordinate), so a seal at another size, aspect or rotation gives
//! the same image up to a circular shift of its columns.
//!
//! Each page pixel is added to the bin it falls in (an area average, so large and small impressions
//! are sampled alike); bins no pixel falls in (near the centre) take the nearest pixel. A bin is
//! invalid where dark text covers half of it, or outside the page.

use super::SealShape;
use super::geometry::{Frame, clip_box, turn_fraction};
use super::segment::{InkClass, InkLayers};

/// Angular bins (1 degree).
pub(crate) const N_THETA: usize = 360;
/// Radial bins over `0..RHO_MAX`.
pub(crate) const N_RHO: usize = 52;
/// Past the outline, so the whole ring is inside whatever the fit's error.
pub(crate) const RHO_MAX: f64 = 1.04;

/// A polar image of seal-ink occupancy (0..1), row-major by radius.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Polar {
    pub n_theta: usize,
    pub n_rho: usize,
    pub ink: Vec<f32>,
    pub valid: Vec<bool>,
}

impl Polar {
    /// Occupancy at row `r`, column `t` (0 outside).
    pub fn at(&self, r: usize, t: usize) -> f32 {
        self.ink.get(r * self.n_theta + t).copied().unwrap_or(0.0)
    }

    /// Whether row `r`, column `t` was seen.
    pub fn valid_at(&self, r: usize, t: usize) -> bool {
        t < self.n_theta && self.valid.get(r * self.n_theta + t).copied().unwrap_or(false)
    }

    /// Averages over `ft` columns by `fr` rows; a coarse bin is valid when most of its bins are.
    pub fn coarsen(&self, ft: usize, fr: usize) -> Polar {
        let (ft, fr) = (ft.max(1), fr.max(1));
        let (nt, nr) = (self.n_theta / ft, self.n_rho / fr);
        let mut ink = vec![0f32; nt * nr];
        let mut valid = vec![false; nt * nr];
        for r in 0..nr {
            for t in 0..nt {
                let (mut sum, mut seen) = (0f32, 0usize);
                for rr in r * fr..(r + 1) * fr {
                    for tt in t * ft..(t + 1) * ft {
                        if self.valid_at(rr, tt) {
                            sum += self.at(rr, tt);
                            seen += 1;
                        }
                    }
                }
                if let (Some(i), Some(v)) = (ink.get_mut(r * nt + t), valid.get_mut(r * nt + t)) {
                    *i = if seen > 0 { sum / seen as f32 } else { 0.0 };
                    *v = 2 * seen > ft * fr;
                }
            }
        }
        Polar { n_theta: nt, n_rho: nr, ink, valid }
    }
}

/// The polar image of `layers` around `shape`, counting classes in `colours` (indexed by
/// `InkClass as usize`) as ink. `None` for a shape without a frame.
pub(crate) fn unwrap(layers: &InkLayers, shape: &SealShape, colours: [bool; 6]) -> Option<Polar> {
    let frame = Frame::of(shape)?;
    let n = N_THETA * N_RHO;
    let mut ink = vec![0u32; n];
    let mut dark = vec![0u32; n];
    let mut count = vec![0u32; n];
    let [ox, oy] = layers.origin.map(|v| v as f64);
    let b = frame.bbox(RHO_MAX);
    let (x0, y0, x1, y1) = clip_box([b[0] - ox, b[1] - oy, b[2] - ox, b[3] - oy], layers.width, layers.height);
    for y in y0..y1 {
        let base = y * layers.width;
        let Some(row) = layers.class.get(base + x0..base + x1) else { break };
        for (dx, &c) in row.iter().enumerate() {
            let (rho, phi) = frame.rho_phi((x0 + dx) as f64 + ox, y as f64 + oy);
            if rho.is_nan() || rho >= RHO_MAX {
                continue;
            }
            let i = bin_of(rho, phi);
            if let (Some(k), Some(a), Some(d)) = (count.get_mut(i), ink.get_mut(i), dark.get_mut(i)) {
                *k += 1;
                *a += u32::from(colours.get(usize::from(c)).copied().unwrap_or(false));
                *d += u32::from(c == InkClass::Dark as u8);
            }
        }
    }
    let mut out = Polar { n_theta: N_THETA, n_rho: N_RHO, ink: vec![0.0; n], valid: vec![false; n] };
    for (i, ((o, v), ((&k, &a), &d))) in
        out.ink.iter_mut().zip(out.valid.iter_mut()).zip(count.iter().zip(&ink).zip(&dark)).enumerate()
    {
        if k > 0 {
            *o = a as f32 / k as f32;
            *v = 2 * d < k;
            continue;
        }
        // No pixel centre fell in this bin: the nearest pixel to its centre.
        let (r, t) = (i / N_THETA, i % N_THETA);
        let rho = (r as f64 + 0.5) / N_RHO as f64 * RHO_MAX;
        let phi = (t as f64 + 0.5) / N_THETA as f64 * std::f64::consts::TAU;
        let Some(c) = layers.class_near(frame.point(rho, phi)) else { continue };
        *o = if colours.get(c as usize).copied().unwrap_or(false) { 1.0 } else { 0.0 };
        *v = c != InkClass::Dark;
    }
    Some(out)
}

/// The bin index of normalised radius `rho` (below `RHO_MAX`) and angle `phi` (radians).
fn bin_of(rho: f64, phi: f64) -> usize {
    let r = ((rho / RHO_MAX * N_RHO as f64) as usize).min(N_RHO - 1);
    let t = ((turn_fraction(phi) * N_THETA as f64) as usize).min(N_THETA - 1);
    r * N_THETA + t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::testutil::{RED, layers_with};

    #[test]
    fn a_ring_is_a_row_band_and_a_spoke_is_a_column() {
        // Ring of radius 90-100 around (120, 120), a spoke to the right (angle 0), text to the bottom.
        let layers = layers_with(240, 240, |x, y| {
            let (dx, dy) = (x as f64 - 120.0, y as f64 - 120.0);
            let d = dx.hypot(dy);
            if d <= 100.0 && d > 90.0 || (dy.abs() < 2.0 && dx > 20.0 && dx < 80.0) {
                InkClass::Red
            } else if dx.abs() < 4.0 && dy > 30.0 && dy < 80.0 {
                InkClass::Dark
            } else {
                InkClass::Paper
            }
        });
        let p = unwrap(&layers, &SealShape::Circle { centre: [120.0, 120.0], radius: 100.0 }, RED).expect("polar");
        let row = |rho: f64| ((rho / RHO_MAX) * N_RHO as f64) as usize;
        assert!((0..N_THETA).all(|t| p.at(row(0.95), t) > 0.9), "ring everywhere");
        assert!(p.at(row(0.5), 0) > 0.5 && p.at(row(0.5), 180) < 0.01, "spoke at angle 0 only");
        assert!(!p.valid_at(row(0.5), 90), "text below hides the seal (y down is 90 degrees)");
        assert!(p.valid_at(row(0.5), 270));
        let c = p.coarsen(4, 2);
        assert_eq!((c.n_theta, c.n_rho), (90, 26));
        assert!(c.at(row(0.95) / 2, 10) > 0.4);
    }

    #[test]
    fn off_page_bins_are_invalid_and_bad_shapes_give_nothing() {
        let layers = layers_with(100, 100, |_, _| InkClass::Paper);
        // Centre on the right edge: the right half of the disc is off the page.
        let p = unwrap(&layers, &SealShape::Circle { centre: [99.0, 50.0], radius: 40.0 }, RED).expect("polar");
        let row = N_RHO / 2;
        assert!(!p.valid_at(row, 0) && p.valid_at(row, 180));
        assert!(unwrap(&layers, &SealShape::Circle { centre: [0.0, 0.0], radius: f32::NAN }, RED).is_none());
        let empty = layers_with(0, 0, |_, _| InkClass::Paper);
        let p = unwrap(&empty, &SealShape::Circle { centre: [0.0, 0.0], radius: 5.0 }, RED).expect("polar");
        assert!(p.valid.iter().all(|&v| !v));
        assert_eq!(p.at(N_RHO, 0), 0.0);
    }
}
