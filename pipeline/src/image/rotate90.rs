//! Rotation by 90 degrees counter-clockwise (as NumPy's `rot90`) into a caller-provided image.

use super::Image;
use crate::ImageError;

/// Rotate `src` (w x h) a quarter turn counter-clockwise into `dst`, which must be h x w: the
/// source's right column becomes the top row.
pub fn rotate90_ccw<T: Copy + Default, const C: usize>(
    src: &Image<T, C>,
    dst: &mut Image<T, C>,
) -> Result<(), ImageError> {
    let (w, h) = (src.width(), src.height());
    if dst.width() != h || dst.height() != w {
        return Err(ImageError::Shape { width: h, height: w, channels: C, len: dst.data().len() });
    }
    if w == 0 || h == 0 {
        return Ok(());
    }
    let s = src.data();
    // Output row `r` is source column `w - 1 - r`, read top to bottom.
    for (r, row) in dst.data_mut().chunks_exact_mut(h * C).enumerate() {
        let x = w - 1 - r;
        for (y, px) in row.chunks_exact_mut(C).enumerate() {
            let i = (y * w + x) * C;
            px.copy_from_slice(&s[i..i + C]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_counter_clockwise() {
        // 1 2 3        3 6
        // 4 5 6   ->   2 5
        //              1 4
        let src = Image::<u8, 1>::new(3, 2, vec![1, 2, 3, 4, 5, 6]).expect("src");
        let mut dst = Image::<u8, 1>::zeros(2, 3).expect("dst");
        rotate90_ccw(&src, &mut dst).expect("shapes agree");
        assert_eq!(dst.data(), &[3, 6, 2, 5, 1, 4]);
    }

    #[test]
    fn keeps_channels_together_and_checks_shapes() {
        let src = Image::<u8, 3>::new(2, 1, vec![1, 2, 3, 4, 5, 6]).expect("src");
        let mut dst = Image::<u8, 3>::zeros(1, 2).expect("dst");
        rotate90_ccw(&src, &mut dst).expect("shapes agree");
        assert_eq!(dst.data(), &[4, 5, 6, 1, 2, 3]);
        assert!(rotate90_ccw(&src, &mut Image::<u8, 3>::zeros(2, 1).expect("wrong")).is_err());
        let empty = Image::<u8, 3>::zeros(0, 4).expect("empty");
        rotate90_ccw(&empty, &mut Image::<u8, 3>::zeros(4, 0).expect("empty dst")).expect("empty is fine");
    }
}
