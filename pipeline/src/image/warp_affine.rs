//! Affine warp with bilinear sampling into a caller-provided image; outside the source is black.

use super::Image;

/// A 2x3 affine map `[a b c; d e f]`: `x' = a x + b y + c`, `y' = d x + e y + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine(pub [[f32; 3]; 2]);

impl Affine {
    /// Apply to a point.
    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let m = &self.0;
        (m[0][0] * x + m[0][1] * y + m[0][2], m[1][0] * x + m[1][1] * y + m[1][2])
    }

    /// The inverse map, or `None` when singular.
    pub fn invert(&self) -> Option<Affine> {
        let [[a, b, c], [d, e, f]] = self.0;
        let det = a * e - b * d;
        if det.abs() < 1e-12 {
            return None;
        }
        let (ia, ib, id, ie) = (e / det, -b / det, -d / det, a / det);
        Some(Affine([[ia, ib, -(ia * c + ib * f)], [id, ie, -(id * c + ie * f)]]))
    }
}

/// Fill `dst` by sampling `src` at `dst_to_src(x, y)` for every destination pixel.
pub fn warp_affine<const C: usize>(src: &Image<u8, C>, dst_to_src: &Affine, dst: &mut Image<u8, C>) {
    let (sw, sh) = (src.width() as isize, src.height() as isize);
    let dw = dst.width();
    if dw == 0 {
        return;
    }
    let data = src.data();
    let sample = |x: isize, y: isize, c: usize| -> f32 {
        if x < 0 || y < 0 || x >= sw || y >= sh {
            0.0
        } else {
            f32::from(data[(y as usize * sw as usize + x as usize) * C + c])
        }
    };
    for (y, row) in dst.data_mut().chunks_exact_mut(dw * C).enumerate() {
        for x in 0..dw {
            let (fx, fy) = dst_to_src.apply(x as f32, y as f32);
            let (x0, y0) = (fx.floor(), fy.floor());
            let (wx, wy) = (fx - x0, fy - y0);
            let (x0, y0) = (x0 as isize, y0 as isize);
            for c in 0..C {
                let v = (sample(x0, y0, c) * (1.0 - wx) + sample(x0 + 1, y0, c) * wx) * (1.0 - wy)
                    + (sample(x0, y0 + 1, c) * (1.0 - wx) + sample(x0 + 1, y0 + 1, c) * wx) * wy;
                row[x * C + c] = (v + 0.5).clamp(0.0, 255.0) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_copies_and_outside_is_black() {
        let src = Image::<u8, 1>::new(3, 2, vec![1, 2, 3, 4, 5, 6]).expect("src");
        let mut dst = Image::<u8, 1>::zeros(3, 2).expect("dst");
        warp_affine(&src, &Affine([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), &mut dst);
        assert_eq!(dst.data(), src.data());
        warp_affine(&src, &Affine([[1.0, 0.0, 100.0], [0.0, 1.0, 0.0]]), &mut dst);
        assert!(dst.data().iter().all(|&v| v == 0));
    }

    #[test]
    fn inverse_round_trips() {
        let m = Affine([[0.5, -0.2, 3.0], [0.2, 0.5, -1.0]]);
        let inv = m.invert().expect("invertible");
        let (x, y) = m.apply(7.0, 9.0);
        let (bx, by) = inv.apply(x, y);
        assert!((bx - 7.0).abs() < 1e-4 && (by - 9.0).abs() < 1e-4);
        assert!(Affine([[0.0; 3]; 2]).invert().is_none());
    }
}
