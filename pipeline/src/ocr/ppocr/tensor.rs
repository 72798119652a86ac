//! RGB pixels to the planar BGR input of the PP-OCR models, normalised to `(x / 255 - 0.5) / 0.5`.

use std::sync::OnceLock;

use crate::image::Rgb8;

/// `(v / 255 - 0.5) / 0.5` for every byte, computed in f64 as RapidOCR's NumPy code does.
fn lut() -> &'static [f32; 256] {
    static LUT: OnceLock<[f32; 256]> = OnceLock::new();
    LUT.get_or_init(|| std::array::from_fn(|v| ((v as f64 / 255.0 - 0.5) / 0.5) as f32))
}

/// Write `img` into `out`, one image's `[3, out_h, out_w]` planes in B, G, R order, top-left aligned.
/// Values beyond the image are left as they are (callers zero them: the models' padding is 0.0).
/// Returns `false`, writing nothing, when the image does not fit or `out` has the wrong length.
pub(super) fn write_bgr_normalised(img: &Rgb8, out_w: usize, out_h: usize, out: &mut [f32]) -> bool {
    let plane = out_w.saturating_mul(out_h);
    if img.width() > out_w || img.height() > out_h || plane.checked_mul(3) != Some(out.len()) {
        return false;
    }
    let lut = lut();
    let (b_plane, rest) = out.split_at_mut(plane);
    let (g_plane, r_plane) = rest.split_at_mut(plane);
    for y in 0..img.height() {
        let row = img.row(y);
        let o = y * out_w;
        let (b, g, r) =
            (&mut b_plane[o..o + img.width()], &mut g_plane[o..o + img.width()], &mut r_plane[o..o + img.width()]);
        for (x, p) in row.chunks_exact(3).enumerate() {
            r[x] = lut[usize::from(p[0])];
            g[x] = lut[usize::from(p[1])];
            b[x] = lut[usize::from(p[2])];
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_are_bgr_normalised_and_padding_is_kept() {
        let img = Rgb8::new(1, 1, vec![255, 0, 51]).expect("img");
        let mut out = vec![9.0; 3 * 2];
        assert!(write_bgr_normalised(&img, 2, 1, &mut out));
        let want_b = (51.0 / 255.0 - 0.5) / 0.5;
        assert!((out[0] - want_b).abs() < 1e-6 && out[1] == 9.0);
        assert_eq!((out[2], out[3]), (-1.0, 9.0));
        assert_eq!((out[4], out[5]), (1.0, 9.0));
    }

    #[test]
    fn refuses_what_does_not_fit() {
        let img = Rgb8::zeros(3, 2).expect("img");
        assert!(!write_bgr_normalised(&img, 2, 2, &mut [0.0; 12]));
        assert!(!write_bgr_normalised(&img, 3, 2, &mut [0.0; 17]));
        assert!(write_bgr_normalised(&Rgb8::zeros(0, 0).expect("empty"), 0, 0, &mut []));
    }
}
