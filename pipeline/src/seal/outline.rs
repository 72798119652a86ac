//! What lies along a fitted outline: the share of it with ink (completeness), the ring's thickness
//! and edge sharpness (smudging), and whether two copies of the ring offset by a few pixels explain
//! the ink clearly better than one (a double strike).
//!
//! Pixels near the outline are binned by angle around the centre (in the outline's normalised frame)
//! and by their signed distance from it along the ray, so every measure is a profile across the ring
//! at each angle.

use super::SealShape;
use super::geometry::{Frame, clip_box, turn_fraction};
use super::segment::InkLayers;

/// Angular bins around an outline (3 degrees each).
pub(crate) const BINS: usize = 120;
/// Radial steps across the ring band at most.
const MAX_STEPS: usize = 64;

/// Measures of one outline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineStats {
    /// Share of angular bins with ink on the outline.
    pub coverage: f32,
    /// Seal-ink pixels of the chosen colours inside the outline, and of each seal colour
    /// (red, blue, purple).
    pub ink_pixels: usize,
    pub colour_counts: [usize; 3],
    /// Median thickness of the outermost ink run across the ring, pixels.
    pub ring_thickness: f32,
    /// Width of the ring's outer edge, 80% to 20% of its ink, pixels.
    pub edge_width: f32,
    /// Estimated offset between two strikes of the seal, pixels (about 0 for one strike): how much
    /// thicker the ring is along one direction, on both sides, than across it.
    pub double_offset: f32,
}

/// Measure `shape` on `layers`, counting pixels whose class is in `colours` (indexed by
/// `InkClass as usize`) as seal ink. `None` for a shape without a frame.
pub(crate) fn measure_outline(layers: &InkLayers, shape: &SealShape, colours: [bool; 6]) -> Option<OutlineStats> {
    let frame = Frame::of(shape)?;
    let r = f64::from(shape.equivalent_radius()).max(1.0);
    let step = (r / 200.0).max(1.0);
    let band_out = 3.0 * step + 0.02 * r;
    let band_in = 0.16 * r + 2.0 * step;
    let steps = (((band_out + band_in) / step).ceil() as usize).clamp(4, MAX_STEPS);
    let mut all = vec![0u32; BINS * steps];
    let mut ink = vec![0u32; BINS * steps];
    let mut strength = vec![0u32; BINS * steps];
    let mut ink_pixels = 0usize;
    let mut colour_counts = [0usize; 3];

    let [ox, oy] = layers.origin.map(|v| v as f64);
    let b = frame.bbox(1.0);
    let grown = [b[0] - band_out - ox, b[1] - band_out - oy, b[2] + band_out - ox, b[3] + band_out - oy];
    let (x0, y0, x1, y1) = clip_box(grown, layers.width, layers.height);
    let inside_tol = step;
    // Normalised radii certainly inside the ring band, and certainly past it (along-ray distances
    // are between the smaller and the larger axis times a normalised one): only pixels between
    // them need the exact distance and angle.
    let min_axis = frame.min_axis();
    let deep = (1.0 - band_in / min_axis).max(0.0);
    let (deep2, clear2) = (deep * deep, (1.0 + band_out / min_axis).powi(2));
    for y in y0..y1 {
        let base = y * layers.width;
        let (Some(classes), Some(strengths)) =
            (layers.class.get(base + x0..base + x1), layers.strength.get(base + x0..base + x1))
        else {
            break;
        };
        for (dx, (&c, &s)) in classes.iter().zip(strengths).enumerate() {
            let (px, py) = ((x0 + dx) as f64 + ox, y as f64 + oy);
            let is_ink = colours.get(usize::from(c)).copied().unwrap_or(false);
            let rho2 = frame.rho_squared(px, py);
            if rho2 > clear2 {
                continue;
            }
            if rho2 < deep2 {
                if is_ink {
                    ink_pixels += 1;
                    if let Some(n) = colour_counts.get_mut(usize::from(c).wrapping_sub(1)) {
                        *n += 1;
                    }
                }
                continue;
            }
            let (_, e) = frame.rho_residual(px, py);
            if is_ink && e <= inside_tol {
                ink_pixels += 1;
                if let Some(n) = colour_counts.get_mut(usize::from(c).wrapping_sub(1)) {
                    *n += 1;
                }
            }
            if e > band_out || e <= -band_in {
                continue;
            }
            let k = (((band_out - e) / step) as usize).min(steps - 1);
            let (_, phi) = frame.rho_phi(px, py);
            let bin = angle_bin(phi);
            let i = bin * steps + k;
            if let Some(a) = all.get_mut(i) {
                *a += 1;
            }
            if is_ink {
                if let Some(n) = ink.get_mut(i) {
                    *n += 1;
                }
                if let Some(v) = strength.get_mut(i) {
                    *v += u32::from(s);
                }
            }
        }
    }

    // Coverage looks from just outside the outline to a tenth of the radius inward (the ring, not
    // the characters inside it).
    let k_cover = (((band_out + 0.1 * r + 2.0 * step) / step).ceil() as usize).min(steps);
    let mut covered = 0usize;
    // Per bin: the outermost ink step and the ink occupancy profile, for bins with ring ink.
    let mut edges: Vec<(usize, usize)> = Vec::with_capacity(BINS);
    let occupancy = |bin: usize, k: usize| -> f32 {
        let i = bin * steps + k;
        match (all.get(i), ink.get(i)) {
            (Some(&a), Some(&n)) if a > 0 => n as f32 / a as f32,
            _ => 0.0,
        }
    };
    // The end of the run of ink from `k_o` inward, across gaps of up to `gap` steps, at most `depth`.
    let run_end = |bin: usize, k_o: usize, gap: usize, depth: usize| -> usize {
        let (mut end, mut k, mut missing) = (k_o, k_o + 1, 0usize);
        while k < steps && k <= k_o + depth {
            if occupancy(bin, k) >= 0.3 {
                end = k;
                missing = 0;
            } else {
                missing += 1;
                if missing > gap {
                    break;
                }
            }
            k += 1;
        }
        end
    };
    for bin in 0..BINS {
        let near: u32 = ink.get(bin * steps..bin * steps + k_cover).map_or(0, |v| v.iter().sum());
        if near < 2 {
            continue;
        }
        covered += 1;
        if let Some(k_o) = (0..k_cover).find(|&k| occupancy(bin, k) >= 0.3) {
            edges.push((bin, k_o));
        }
    }
    let coverage = covered as f32 / BINS as f32;

    // Ring thickness: the outermost run, one-step gaps allowed (ink texture).
    let mut thick: Vec<usize> = edges.iter().map(|&(bin, k_o)| run_end(bin, k_o, 1, steps) - k_o + 1).collect();
    thick.sort_unstable();
    let t_med = thick.get(thick.len() / 2).copied().unwrap_or(0);
    let ring_thickness = (t_med as f64 * step) as f32;

    // Two strikes offset by d: the ring complex is t + d|cos| thick (rings overlapping or a gap
    // under half a ring apart), thickest along the offset on both sides, one ring thick across it.
    // Gaps inside the complex are bridged up to a third of a ring, and it reaches at most an offset of
    // 0.06 radius past the thin side (the characters start about that far inside the ring).
    let t_lo = thick.get(thick.len() / 10).copied().unwrap_or(0);
    let d_max = ((0.06 * r / step).round() as usize).max(2);
    let extent: Vec<Option<f64>> = {
        let mut v = vec![None; BINS];
        for &(bin, k_o) in &edges {
            if let Some(slot) = v.get_mut(bin) {
                *slot = Some((run_end(bin, k_o, (t_lo / 3).max(1), t_lo + d_max) - k_o + 1) as f64);
            }
        }
        v
    };
    let lobes = two_lobes(&extent);
    let edge_width = edge_width(&edges, &all, &strength, steps, t_med.max(1)) * step;
    Some(OutlineStats {
        coverage,
        ink_pixels,
        colour_counts,
        ring_thickness,
        edge_width: edge_width as f32,
        // The lobe contrast of t + d|cos| between window medians 90 degrees apart is about 0.8 d.
        double_offset: (lobes / 0.8 * step) as f32,
    })
}

/// Angular bin of `phi` (radians).
pub(crate) fn angle_bin(phi: f64) -> usize {
    ((turn_fraction(phi) * BINS as f64) as usize).min(BINS - 1)
}

/// The largest contrast, over directions, between the ring's extent in the thinner of two opposite
/// windows and in the thicker of the two windows across them (0 when no direction has all four
/// windows measured). One-sided thickening (text touching the ring on one side, a smear) does not
/// count; an off-centre fit or an elliptic ring moves both edges together and leaves the extent flat.
fn two_lobes(extent: &[Option<f64>]) -> f64 {
    const HALF: usize = 6;
    // Window medians: a few bins where characters touch the ring do not move them.
    let window = |centre: usize| -> Option<f64> {
        let mut values: Vec<f64> =
            (0..=2 * HALF).filter_map(|k| extent.get((centre + BINS + k - HALF) % BINS).copied().flatten()).collect();
        if values.len() <= HALF {
            return None;
        }
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied()
    };
    let quarter = BINS / 4;
    let mut best = 0.0f64;
    for psi in 0..BINS / 2 {
        let (Some(a), Some(b), Some(c), Some(d)) =
            (window(psi), window(psi + 2 * quarter), window(psi + quarter), window(psi + 3 * quarter))
        else {
            continue;
        };
        best = best.max(a.min(b) - c.max(d));
    }
    best
}

/// Width in steps of the ring's outer edge: the bins' mean ink strength profiles aligned on their
/// outermost ink step and averaged; the ring's peak over the steepest rise of the profile outside it.
/// A sharp edge rises in one or two steps, a smeared one over many.
fn edge_width(edges: &[(usize, usize)], all: &[u32], strength: &[u32], steps: usize, thickness: usize) -> f64 {
    // Aligned index j = k - k_o + LEAD: LEAD steps outside the edge are kept.
    const LEAD: usize = 8;
    let len = steps + LEAD;
    let mut sum = vec![0f64; len];
    let mut n = vec![0u32; len];
    for &(bin, k_o) in edges {
        for k in 0..steps {
            let Some(j) = (k + LEAD).checked_sub(k_o) else { continue };
            let i = bin * steps + k;
            if let (Some(&a), Some(&s), Some(acc), Some(cnt)) =
                (all.get(i), strength.get(i), sum.get_mut(j), n.get_mut(j))
                && a > 0
            {
                *acc += f64::from(s) / f64::from(a);
                *cnt += 1;
            }
        }
    }
    let profile: Vec<f64> = sum.iter().zip(&n).map(|(&s, &c)| if c > 0 { s / f64::from(c) } else { 0.0 }).collect();
    let mut ring: Vec<f64> = profile.get(LEAD..(LEAD + thickness).min(len)).unwrap_or(&[]).to_vec();
    ring.sort_by(f64::total_cmp);
    let plateau = ring.last().copied().unwrap_or(0.0);
    // Steepest rise going inward from outside the edge to a little inside it.
    let slope = profile
        .windows(2)
        .take(LEAD + 3)
        .map(|w| w.get(1).copied().unwrap_or(0.0) - w.first().copied().unwrap_or(0.0))
        .fold(0.0f64, f64::max);
    if plateau <= 0.0 || slope <= 0.0 { 0.0 } else { plateau / slope }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::segment::InkClass;

    const RED: [bool; 6] = [false, true, false, true, false, false];

    /// A drawn ring: `rings` copies of a ring of outer radius `r` and width `t` at the given centres.
    fn ring_layers(size: usize, centres: &[[f64; 2]], r: f64, t: f64, blur: bool) -> InkLayers {
        let mut class = vec![0u8; size * size];
        let mut strength = vec![0u8; size * size];
        for y in 0..size {
            for x in 0..size {
                let on = centres.iter().any(|c| {
                    let d = (x as f64 - c[0]).hypot(y as f64 - c[1]);
                    d <= r && d > r - t
                });
                // A blurred ring: a ramp of weak ink outside it.
                let fringe = blur
                    && centres.iter().any(|c| {
                        let d = (x as f64 - c[0]).hypot(y as f64 - c[1]);
                        d > r && d <= r + 5.0
                    });
                if on || fringe {
                    class[y * size + x] = InkClass::Red as u8;
                    let d = centres.iter().map(|c| (x as f64 - c[0]).hypot(y as f64 - c[1])).fold(f64::MAX, f64::min);
                    strength[y * size + x] = if on { 150 } else { (150.0 * (1.0 - (d - r) / 6.0)) as u8 };
                }
            }
        }
        InkLayers { origin: [0, 0], width: size, height: size, class, strength }
    }

    #[test]
    fn whole_ring_is_complete_single_and_sharp() {
        let layers = ring_layers(300, &[[150.0, 150.0]], 120.0, 9.0, false);
        let shape = SealShape::Circle { centre: [150.0, 150.0], radius: 120.0 };
        let s = measure_outline(&layers, &shape, RED).expect("stats");
        assert!(s.coverage > 0.99, "{s:?}");
        assert!((s.ring_thickness - 9.0).abs() <= 1.5, "{s:?}");
        assert!(s.edge_width <= 2.0, "{s:?}");
        assert!(s.double_offset < 1.5, "{s:?}");
        assert!(s.ink_pixels > 6000 && s.colour_counts[0] == s.ink_pixels, "{s:?}");
    }

    #[test]
    fn double_ring_blurred_ring_and_cut_ring() {
        let shape = SealShape::Circle { centre: [150.0, 150.0], radius: 123.0 };
        let double = ring_layers(300, &[[147.0, 150.0], [153.0, 150.0]], 120.0, 9.0, false);
        let s = measure_outline(&double, &shape, RED).expect("double");
        assert!((4.5..=8.0).contains(&s.double_offset), "{s:?}");

        let blurred = ring_layers(300, &[[150.0, 150.0]], 120.0, 9.0, true);
        let shape = SealShape::Circle { centre: [150.0, 150.0], radius: 125.0 };
        let s = measure_outline(&blurred, &shape, RED).expect("blurred");
        assert!(s.edge_width >= 3.0, "{s:?}");
        assert!(s.double_offset < 1.5, "{s:?}");

        // Only the left half of the page exists.
        let mut half = ring_layers(300, &[[150.0, 150.0]], 120.0, 9.0, false);
        for y in 0..300 {
            for x in 150..300 {
                half.class[y * 300 + x] = 0;
            }
        }
        let shape = SealShape::Circle { centre: [150.0, 150.0], radius: 120.0 };
        let s = measure_outline(&half, &shape, RED).expect("half");
        assert!((0.45..0.56).contains(&s.coverage), "{s:?}");
    }

    #[test]
    fn outside_the_region_and_degenerate_shapes() {
        let layers = ring_layers(50, &[[25.0, 25.0]], 20.0, 4.0, false);
        let far = SealShape::Circle { centre: [5000.0, 5000.0], radius: 20.0 };
        let s = measure_outline(&layers, &far, RED).expect("far");
        assert_eq!((s.coverage, s.ink_pixels), (0.0, 0));
        assert!(measure_outline(&layers, &SealShape::Circle { centre: [1.0, 1.0], radius: -2.0 }, RED).is_none());
        let empty = InkLayers { origin: [0, 0], width: 0, height: 0, class: vec![], strength: vec![] };
        let s = measure_outline(&empty, &SealShape::Circle { centre: [0.0, 0.0], radius: 5.0 }, RED).expect("empty");
        assert_eq!(s.coverage, 0.0);
        assert_eq!(angle_bin(f64::NAN).min(BINS), angle_bin(f64::NAN));
    }
}
