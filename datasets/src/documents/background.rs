//! Procedural surfaces a page is photographed on: wood grain, a grey desk, dark cloth, a gingham
//! tablecloth and a near-white desk (low contrast against paper); each seeded and resolution-free.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::effects::Canvas;
use super::noise::ValueNoise;
use super::rng::Rng;

/// The surface under the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackgroundKind {
    Wood,
    GreyDesk,
    DarkCloth,
    Tablecloth,
    WhiteDesk,
}

impl BackgroundKind {
    pub const ALL: [BackgroundKind; 5] = [
        BackgroundKind::Wood,
        BackgroundKind::GreyDesk,
        BackgroundKind::DarkCloth,
        BackgroundKind::Tablecloth,
        BackgroundKind::WhiteDesk,
    ];
}

/// Paint a `w` x `h` surface of `kind` from `seed`.
pub fn paint(kind: BackgroundKind, w: usize, h: usize, seed: u64) -> Canvas {
    let mut rng = Rng::new(seed);
    let mut canvas = Canvas::new(w, h);
    let shade = ValueNoise::new(rng.next_u64());
    let fine = ValueNoise::new(rng.next_u64());
    let pixel: Box<dyn Fn(f32, f32) -> [f32; 3] + Sync> = match kind {
        BackgroundKind::Wood => {
            let base =
                *rng.pick(&[[196.0, 154.0, 108.0], [128.0, 84.0, 52.0], [168.0, 114.0, 72.0], [214.0, 186.0, 146.0]]);
            let tint = rng.range_f32(0.92, 1.08);
            let angle = rng.range_f32(-0.3, 0.3) + if rng.chance(0.5) { std::f32::consts::FRAC_PI_2 } else { 0.0 };
            let (ca, sa) = (angle.cos(), angle.sin());
            let period = rng.range_f32(22.0, 60.0);
            let plank = rng.range_f32(260.0, 520.0);
            let warp = ValueNoise::new(rng.next_u64());
            Box::new(move |x, y| {
                let (u, v) = (x * ca + y * sa, -x * sa + y * ca);
                let d = warp.fbm(u / 380.0, v / 90.0, 3) * 3.0;
                let rings = 0.5 + 0.5 * (std::f32::consts::TAU * (v / period + d)).sin();
                let grain = rings.powi(3);
                let fibre = fine.sample(u / 45.0, v / 1.6);
                let seam = if (v / plank).fract() < 3.0 / plank { 0.55 } else { 1.0 };
                let plank_tone = 0.9 + 0.2 * shade.sample((v / plank).floor() * 7.3, 0.5);
                let k = (0.8 + 0.2 * (1.0 - grain)) * (0.93 + 0.07 * fibre) * seam * plank_tone;
                [base[0] * k * tint, base[1] * k, base[2] * k / tint]
            })
        }
        BackgroundKind::GreyDesk | BackgroundKind::WhiteDesk => {
            let g = if kind == BackgroundKind::WhiteDesk {
                rng.range_f32(205.0, 235.0)
            } else {
                rng.range_f32(100.0, 170.0)
            };
            let tint = [rng.range_f32(0.96, 1.04), 1.0, rng.range_f32(0.96, 1.06)];
            Box::new(move |x, y| {
                let k =
                    (0.92 + 0.16 * shade.fbm(x / 420.0, y / 420.0, 2)) * (0.97 + 0.06 * fine.sample(x / 1.3, y / 1.3));
                [g * tint[0] * k, g * k, g * tint[2] * k]
            })
        }
        BackgroundKind::DarkCloth => {
            let base = *rng.pick(&[[32.0, 32.0, 36.0], [26.0, 34.0, 58.0], [30.0, 48.0, 36.0], [52.0, 30.0, 32.0]]);
            let p = rng.range_f32(6.0, 9.0);
            let angle = rng.range_f32(0.0, std::f32::consts::PI);
            let (ca, sa) = (angle.cos(), angle.sin());
            Box::new(move |x, y| {
                let (u, v) = (x * ca + y * sa, -x * sa + y * ca);
                let weave = 0.5 + 0.5 * (std::f32::consts::TAU * u / p).sin() * (std::f32::consts::TAU * v / p).sin();
                let wrinkle = 0.7 + 0.6 * shade.fbm(x / 180.0, y / 260.0, 3);
                let k = (0.88 + 0.24 * weave) * wrinkle * (0.95 + 0.1 * fine.sample(x / 2.0, y / 2.0));
                [base[0] * k, base[1] * k, base[2] * k]
            })
        }
        BackgroundKind::Tablecloth => {
            let colour =
                *rng.pick(&[[196.0, 40.0, 48.0], [40.0, 80.0, 170.0], [40.0, 130.0, 70.0], [210.0, 150.0, 40.0]]);
            let white = [238.0, 236.0, 230.0];
            let p = rng.range_f32(40.0, 90.0);
            let angle = rng.range_f32(-0.5, 0.5);
            let (ca, sa) = (angle.cos(), angle.sin());
            Box::new(move |x, y| {
                let (u, v) = (x * ca + y * sa, -x * sa + y * ca);
                let band = |t: f32| {
                    // Smooth 0/1 stripes, anti-aliased over about a pixel.
                    let f = (t / p).rem_euclid(1.0);
                    ((f.min(1.0 - f) - 0.25) * p + 0.5).clamp(0.0, 1.0)
                };
                let m = 0.5 * (band(u) + band(v));
                let wrinkle = 0.78 + 0.3 * shade.fbm(x / 220.0, y / 220.0, 3);
                let threads = 0.95 + 0.1 * fine.sample(x / 1.5, y / 1.5);
                let k = wrinkle * threads;
                [0, 1, 2].map(|c| (white[c] * (1.0 - m) + colour[c] * m) * k)
            })
        }
    };
    // Evaluate at half resolution and upsample bilinearly: the surface is out of focus behind the
    // page anyway, and this quarters the cost.
    let (hw, hh) = (w.div_ceil(2) + 1, h.div_ceil(2) + 1);
    let mut half = vec![0.0f32; hw * hh * 3];
    half.par_chunks_mut(hw * 3).enumerate().for_each(|(y, row)| {
        for x in 0..hw {
            let p = pixel(x as f32 * 2.0 + 1.0, y as f32 * 2.0 + 1.0);
            row[x * 3..x * 3 + 3].copy_from_slice(&p);
        }
    });
    let half = &half;
    canvas.data.par_chunks_mut(w * 3).enumerate().for_each(|(y, row)| {
        // Pixel centre y + 0.5 sits at half-grid coordinate (y + 0.5 - 1) / 2.
        let fy = ((y as f32 - 0.5) / 2.0).max(0.0);
        let (y0, ty) = (fy.floor() as usize, fy.fract());
        let y1 = (y0 + 1).min(hh - 1);
        for x in 0..w {
            let fx = ((x as f32 - 0.5) / 2.0).max(0.0);
            let (x0, tx) = (fx.floor() as usize, fx.fract());
            let x1 = (x0 + 1).min(hw - 1);
            for c in 0..3 {
                let at = |xx: usize, yy: usize| half[(yy * hw + xx) * 3 + c];
                let top = at(x0, y0) * (1.0 - tx) + at(x1, y0) * tx;
                let bottom = at(x0, y1) * (1.0 - tx) + at(x1, y1) * tx;
                row[x * 3 + c] = top * (1.0 - ty) + bottom * ty;
            }
        }
    });
    canvas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surfaces_are_textured_seeded_and_in_range() {
        for kind in BackgroundKind::ALL {
            let a = paint(kind, 64, 48, 3);
            assert_eq!(a.data, paint(kind, 64, 48, 3).data);
            let mean = a.data.iter().sum::<f32>() / a.data.len() as f32;
            let var = a.data.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / a.data.len() as f32;
            assert!(var > 0.5, "{kind:?} is flat");
            assert!(a.data.iter().all(|v| (0.0..=300.0).contains(v)), "{kind:?}");
        }
        let dark = paint(BackgroundKind::DarkCloth, 32, 32, 1);
        assert!(dark.data.iter().sum::<f32>() / dark.data.len() as f32 <= 80.0);
    }
}
