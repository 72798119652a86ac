//! Smooth seeded value noise (lattice values, smoothstep interpolation, fractal sums) for ink
//! density, paper and desk textures and lighting: deterministic and thread-free.

use super::rng::mix64;

/// 2-D value noise in `[0, 1]` with unit lattice spacing.
#[derive(Debug, Clone, Copy)]
pub struct ValueNoise {
    seed: u64,
}

impl ValueNoise {
    pub fn new(seed: u64) -> Self {
        ValueNoise { seed: mix64(seed) }
    }

    fn lattice(&self, ix: i32, iy: i32) -> f32 {
        let h = mix64(self.seed ^ (u64::from(ix as u32) << 32 | u64::from(iy as u32)));
        (h >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
    }

    /// Noise at `(x, y)` (lattice units).
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let (fx, fy) = (x.floor(), y.floor());
        let (ix, iy) = (fx as i32, fy as i32);
        let (tx, ty) = (smooth(x - fx), smooth(y - fy));
        let a = self.lattice(ix, iy);
        let b = self.lattice(ix.wrapping_add(1), iy);
        let c = self.lattice(ix, iy.wrapping_add(1));
        let d = self.lattice(ix.wrapping_add(1), iy.wrapping_add(1));
        let top = a + (b - a) * tx;
        let bottom = c + (d - c) * tx;
        top + (bottom - top) * ty
    }

    /// Fractal sum of `octaves` octaves (each twice the frequency, half the amplitude), in `[0, 1]`.
    pub fn fbm(&self, x: f32, y: f32, octaves: u32) -> f32 {
        let (mut sum, mut amp, mut norm, mut f) = (0.0, 1.0, 0.0, 1.0);
        for o in 0..octaves.max(1) {
            // Offset each octave so lattice points do not line up.
            let off = o as f32 * 17.31;
            sum += amp * self.sample(x * f + off, y * f - off);
            norm += amp;
            amp *= 0.5;
            f *= 2.0;
        }
        sum / norm
    }
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_continuous_and_seeded() {
        let n = ValueNoise::new(3);
        for i in 0..500 {
            let (x, y) = (i as f32 * 0.37 - 50.0, i as f32 * 0.11 - 20.0);
            let v = n.fbm(x, y, 4);
            assert!((0.0..=1.0).contains(&v));
            assert!((n.sample(x, y) - n.sample(x + 0.001, y)).abs() < 0.01);
        }
        assert_eq!(n.sample(1.5, 2.5), ValueNoise::new(3).sample(1.5, 2.5));
        assert_ne!(n.sample(1.5, 2.5), ValueNoise::new(4).sample(1.5, 2.5));
    }
}
