//! Photographic degradations on a floating-point RGB canvas: uneven lighting, soft-edged cast
//! shadows, white balance, Gaussian blur and sensor noise; then quantisation to 8 bits.

use image::RgbImage;
use rayon::prelude::*;

use super::rng::Rng;

/// An RGB image with `f32` channels in `[0, 255]` (not clamped until [`Canvas::to_rgb8`]).
#[derive(Debug, Clone)]
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Canvas {
    pub fn new(width: usize, height: usize) -> Canvas {
        Canvas { width, height, data: vec![0.0; width * height * 3] }
    }

    /// Multiply every pixel by `gain(x, y)` (pixel centres), row-parallel.
    pub fn modulate(&mut self, gain: impl Fn(f32, f32) -> f32 + Sync) {
        let w = self.width;
        self.data.par_chunks_mut(w * 3).enumerate().for_each(|(y, row)| {
            for x in 0..w {
                let g = gain(x as f32 + 0.5, y as f32 + 0.5);
                for v in &mut row[x * 3..x * 3 + 3] {
                    *v *= g;
                }
            }
        });
    }

    /// Per-channel gains.
    pub fn white_balance(&mut self, gains: [f32; 3]) {
        self.data.par_chunks_mut(3).for_each(|p| {
            for k in 0..3 {
                p[k] *= gains[k];
            }
        });
    }

    /// Separable Gaussian blur (edges clamped); no-op below sigma 0.2.
    pub fn gaussian_blur(&mut self, sigma: f32) {
        if sigma < 0.2 || self.width == 0 || self.height == 0 {
            return;
        }
        let r = (sigma * 3.0).ceil() as usize;
        let mut k: Vec<f32> =
            (0..=2 * r).map(|i| (-((i as f32 - r as f32).powi(2)) / (2.0 * sigma * sigma)).exp()).collect();
        let sum: f32 = k.iter().sum();
        k.iter_mut().for_each(|v| *v /= sum);
        let (w, h) = (self.width, self.height);
        let stride = w * 3;
        // Horizontal: pad each row by `r` clamped pixels, then sum shifted slices.
        let mut tmp = vec![0.0f32; self.data.len()];
        tmp.par_chunks_mut(stride).zip(self.data.par_chunks(stride)).for_each(|(out, line)| {
            let mut padded = Vec::with_capacity(stride + 6 * r);
            for _ in 0..r {
                padded.extend_from_slice(&line[..3]);
            }
            padded.extend_from_slice(line);
            for _ in 0..r {
                padded.extend_from_slice(&line[stride - 3..]);
            }
            for (j, kv) in k.iter().enumerate() {
                for (o, v) in out.iter_mut().zip(&padded[j * 3..j * 3 + stride]) {
                    *o += kv * v;
                }
            }
        });
        // Vertical: each output row is a weighted sum of whole (clamped) input rows.
        let tmp = &tmp;
        self.data.par_chunks_mut(stride).enumerate().for_each(|(y, out)| {
            out.iter_mut().for_each(|v| *v = 0.0);
            for (j, kv) in k.iter().enumerate() {
                let sy = (y + j).saturating_sub(r).min(h - 1);
                for (o, v) in out.iter_mut().zip(&tmp[sy * stride..(sy + 1) * stride]) {
                    *o += kv * v;
                }
            }
        });
    }

    /// Gaussian sensor noise of `sigma` (mostly luminance, a little chroma); each row has its own
    /// stream from `seed` so the result does not depend on threads.
    pub fn add_noise(&mut self, sigma: f32, seed: u64) {
        if sigma <= 0.0 {
            return;
        }
        let w = self.width;
        self.data.par_chunks_mut(w * 3).enumerate().for_each(|(y, row)| {
            let mut rng = Rng::derive(seed, 0x004e_015e, y as u64);
            for p in row.chunks_exact_mut(3) {
                let luma = rng.normal_fast() * sigma;
                for v in p.iter_mut() {
                    *v += luma + rng.normal_fast() * sigma * 0.35;
                }
            }
        });
    }

    /// Round and clamp to 8 bits.
    pub fn to_rgb8(&self) -> RgbImage {
        let bytes: Vec<u8> = self.data.iter().map(|v| v.round().clamp(0.0, 255.0) as u8).collect();
        RgbImage::from_raw(self.width as u32, self.height as u32, bytes)
            .unwrap_or_else(|| RgbImage::new(self.width as u32, self.height as u32))
    }
}

/// A brightness ramp from `lo` to `hi` along direction `angle` across a `w` x `h` frame, with a mild
/// vignette of strength `vignette`.
pub fn lighting(w: f32, h: f32, lo: f32, hi: f32, angle: f32, vignette: f32) -> impl Fn(f32, f32) -> f32 + Sync {
    let (dx, dy) = (angle.cos(), angle.sin());
    let half = (w.abs() * dx.abs() + h.abs() * dy.abs()).max(1.0) / 2.0;
    let (cx, cy) = (w / 2.0, h / 2.0);
    let diag2 = (cx * cx + cy * cy).max(1.0);
    move |x, y| {
        let t = (((x - cx) * dx + (y - cy) * dy) / half * 0.5 + 0.5).clamp(0.0, 1.0);
        let r2 = ((x - cx).powi(2) + (y - cy).powi(2)) / diag2;
        (lo + (hi - lo) * t) * (1.0 - vignette * r2)
    }
}

/// Gain of a soft-edged shadow cast by the convex polygon `poly`: `factor` well inside, 1 well
/// outside, a smooth ramp `softness` pixels wide across the edge.
pub fn shadow(poly: Vec<[f32; 2]>, factor: f32, softness: f32) -> impl Fn(f32, f32) -> f32 + Sync {
    // Orient counter-clockwise in screen space so that outward normals are consistent.
    let area: f32 = (0..poly.len())
        .map(|i| {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    let pts: Vec<[f32; 2]> = if area < 0.0 { poly.into_iter().rev().collect() } else { poly };
    let edges: Vec<([f32; 2], f32)> = (0..pts.len())
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
            let len = (ex * ex + ey * ey).sqrt().max(1e-6);
            // Outward normal for a positively oriented polygon with y down.
            let n = [ey / len, -ex / len];
            (n, n[0] * a[0] + n[1] * a[1])
        })
        .collect();
    let soft = softness.max(1.0);
    move |x, y| {
        if edges.len() < 3 {
            return 1.0;
        }
        let d = edges.iter().map(|(n, c)| n[0] * x + n[1] * y - c).fold(f32::MIN, f32::max);
        let t = (0.5 - d / soft).clamp(0.0, 1.0);
        let inside = t * t * (3.0 - 2.0 * t);
        1.0 - (1.0 - factor) * inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_darkens_inside_only_and_lighting_spans_its_range() {
        let s = shadow(vec![[10.0, 10.0], [90.0, 10.0], [90.0, 90.0], [10.0, 90.0]], 0.6, 8.0);
        assert!((s(50.0, 50.0) - 0.6).abs() < 1e-4);
        assert!((s(200.0, 50.0) - 1.0).abs() < 1e-4);
        assert!(s(10.0, 50.0) > 0.6 && s(10.0, 50.0) < 1.0);
        let clockwise = shadow(vec![[10.0, 90.0], [90.0, 90.0], [90.0, 10.0], [10.0, 10.0]], 0.6, 8.0);
        assert!((clockwise(50.0, 50.0) - 0.6).abs() < 1e-4);
        let l = lighting(100.0, 100.0, 0.7, 1.1, 0.0, 0.0);
        assert!((l(0.0, 50.0) - 0.7).abs() < 1e-3 && (l(100.0, 50.0) - 1.1).abs() < 1e-3);
    }

    #[test]
    fn blur_keeps_flat_fields_and_noise_is_seeded() {
        let mut c = Canvas::new(20, 10);
        c.data.iter_mut().for_each(|v| *v = 100.0);
        c.gaussian_blur(1.5);
        assert!(c.data.iter().all(|v| (v - 100.0).abs() < 1e-3));
        let mut a = c.clone();
        let mut b = c.clone();
        a.add_noise(5.0, 9);
        b.add_noise(5.0, 9);
        assert_eq!(a.data, b.data);
        assert!(a.data.iter().any(|v| (v - 100.0).abs() > 1.0));
        assert_eq!(a.to_rgb8().dimensions(), (20, 10));
    }
}
