//! Perspective warp with bilinear sampling into a caller-provided image; outside the source is black.

use super::{Homography, Image};

/// Fill `dst` by sampling `src` at `dst_to_src(x, y)` for every destination pixel (pixel centres at
/// integer coordinates, as OpenCV's `warpPerspective` with `WARP_INVERSE_MAP`). A tap outside the
/// source reads 0, so pixels near the edge blend towards black; a point mapped to infinity is black.
pub fn warp_perspective<const C: usize>(src: &Image<u8, C>, dst_to_src: &Homography, dst: &mut Image<u8, C>) {
    let (sw, sh) = (src.width(), src.height());
    let dw = dst.width();
    if dw == 0 {
        return;
    }
    let data = src.data();
    let m = &dst_to_src.0;
    let (swf, shf) = (sw as f64, sh as f64);
    for (y, row) in dst.data_mut().chunks_exact_mut(dw * C).enumerate() {
        let yf = y as f64;
        // Numerators and denominator are affine in x: step them along the row.
        let (mut nx, mut ny, mut nw) = (m[0][1] * yf + m[0][2], m[1][1] * yf + m[1][2], m[2][1] * yf + m[2][2]);
        for px in row.chunks_exact_mut(C) {
            let (fx, fy) = if nw.abs() < 1e-12 { (f64::NAN, f64::NAN) } else { (nx / nw, ny / nw) };
            nx += m[0][0];
            ny += m[1][0];
            nw += m[2][0];
            // Also rejects NaN: every tap of a point this far out is outside the source.
            if !(fx > -1.0 && fy > -1.0 && fx < swf && fy < shf) {
                px.fill(0);
                continue;
            }
            let (x0, y0) = (fx.floor(), fy.floor());
            let (wx, wy) = ((fx - x0) as f32, (fy - y0) as f32);
            // In range -1..=size-1 by the test above, so the casts are exact.
            let (x0, y0) = (x0 as isize, y0 as isize);
            let tap = |x: isize, y: isize, c: usize| -> f32 {
                if x < 0 || y < 0 || x as usize >= sw || y as usize >= sh {
                    0.0
                } else {
                    f32::from(data[(y as usize * sw + x as usize) * C + c])
                }
            };
            for (c, out) in px.iter_mut().enumerate() {
                let v = (tap(x0, y0, c) * (1.0 - wx) + tap(x0 + 1, y0, c) * wx) * (1.0 - wy)
                    + (tap(x0, y0 + 1, c) * (1.0 - wx) + tap(x0 + 1, y0 + 1, c) * wx) * wy;
                *out = (v + 0.5).clamp(0.0, 255.0) as u8;
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
        warp_perspective(&src, &Homography::IDENTITY, &mut dst);
        assert_eq!(dst.data(), src.data());
        let far = Homography([[1.0, 0.0, 100.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);
        warp_perspective(&src, &far, &mut dst);
        assert!(dst.data().iter().all(|&v| v == 0));
    }

    #[test]
    fn crops_a_quad_to_a_rectangle() {
        // A 20x10 source with a bright 8x4 block at (6, 3); map the block's corners onto a 8x4 output.
        let mut src = Image::<u8, 3>::zeros(20, 10).expect("src");
        let w = src.width();
        for y in 3..7 {
            for x in 6..14 {
                src.data_mut()[(y * w + x) * 3..(y * w + x) * 3 + 3].copy_from_slice(&[200, 100, 50]);
            }
        }
        let quad = [[6.0, 3.0], [14.0, 3.0], [14.0, 7.0], [6.0, 7.0]];
        let rect = [[0.0, 0.0], [8.0, 0.0], [8.0, 4.0], [0.0, 4.0]];
        let h = Homography::from_points(&rect, &quad).expect("regular");
        let mut dst = Image::<u8, 3>::zeros(8, 4).expect("dst");
        warp_perspective(&src, &h, &mut dst);
        assert!(dst.data().chunks_exact(3).all(|p| p == [200, 100, 50]));
    }

    #[test]
    fn degenerate_maps_and_empty_images_do_not_panic() {
        let src = Image::<u8, 1>::new(2, 2, vec![9; 4]).expect("src");
        let mut dst = Image::<u8, 1>::zeros(4, 4).expect("dst");
        warp_perspective(&src, &Homography([[0.0; 3]; 3]), &mut dst);
        assert!(dst.data().iter().all(|&v| v == 0));
        let huge = Homography([[1e300, 0.0, 0.0], [0.0, 1e300, 0.0], [0.0, 0.0, 1.0]]);
        warp_perspective(&src, &huge, &mut dst);
        let nan = Homography([[f64::NAN; 3]; 3]);
        warp_perspective(&src, &nan, &mut dst);
        assert!(dst.data().iter().all(|&v| v == 0));
        let empty = Image::<u8, 1>::zeros(0, 0).expect("empty");
        warp_perspective(&empty, &Homography::IDENTITY, &mut dst);
        assert!(dst.data().iter().all(|&v| v == 0));
        warp_perspective(&src, &Homography::IDENTITY, &mut Image::<u8, 1>::zeros(0, 5).expect("empty dst"));
    }
}
