//! Bilinear resize into a caller-provided image (pixel centres aligned, as OpenCV's INTER_LINEAR).

use super::Image;

/// Resize `src` into `dst` (whose size sets the scale). An empty source or destination is a no-op.
pub fn resize_bilinear<const C: usize>(src: &Image<u8, C>, dst: &mut Image<u8, C>) {
    let (sw, sh, dw, dh) = (src.width(), src.height(), dst.width(), dst.height());
    if sw == 0 || sh == 0 || dw == 0 || dh == 0 {
        return;
    }
    let sx = sw as f32 / dw as f32;
    let sy = sh as f32 / dh as f32;
    // Precompute horizontal taps once per column.
    let xs: Vec<(usize, usize, f32)> = (0..dw)
        .map(|x| {
            let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (sw - 1) as f32);
            let x0 = fx as usize;
            (x0, (x0 + 1).min(sw - 1), fx - x0 as f32)
        })
        .collect();
    let src_data = src.data();
    for (y, out_row) in dst.data_mut().chunks_exact_mut(dw * C).enumerate() {
        let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (sh - 1) as f32);
        let y0 = fy as usize;
        let y1 = (y0 + 1).min(sh - 1);
        let wy = fy - y0 as f32;
        let r0 = &src_data[y0 * sw * C..(y0 + 1) * sw * C];
        let r1 = &src_data[y1 * sw * C..(y1 + 1) * sw * C];
        for (x, &(x0, x1, wx)) in xs.iter().enumerate() {
            for c in 0..C {
                let top = f32::from(r0[x0 * C + c]) * (1.0 - wx) + f32::from(r0[x1 * C + c]) * wx;
                let bot = f32::from(r1[x0 * C + c]) * (1.0 - wx) + f32::from(r1[x1 * C + c]) * wx;
                out_row[x * C + c] = (top * (1.0 - wy) + bot * wy + 0.5) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_stays_constant_and_empty_is_a_no_op() {
        let src = Image::<u8, 3>::new(4, 4, vec![77; 48]).expect("src");
        let mut dst = Image::<u8, 3>::zeros(3, 5).expect("dst");
        resize_bilinear(&src, &mut dst);
        assert!(dst.data().iter().all(|&v| v == 77));
        let empty = Image::<u8, 3>::zeros(0, 0).expect("empty");
        resize_bilinear(&empty, &mut dst);
        resize_bilinear(&src, &mut Image::<u8, 3>::zeros(0, 3).expect("empty dst"));
    }

    #[test]
    fn halving_averages_pairs() {
        let src = Image::<u8, 1>::new(4, 1, vec![0, 100, 200, 250]).expect("src");
        let mut dst = Image::<u8, 1>::zeros(2, 1).expect("dst");
        resize_bilinear(&src, &mut dst);
        assert_eq!(dst.data(), &[50, 225]);
    }
}
