//! Suppress red ink (seal impressions) before recognition: each pixel becomes its red channel, in
//! grey. Red ink is bright in the red channel, so it fades towards the paper, while black text stays
//! dark in every channel. Measured in `sealgate doc eval-ocr` (with and without).

use crate::image::Rgb8;

/// Replace every pixel by its red channel, in place.
pub fn suppress_red_ink(page: &mut Rgb8) {
    for p in page.data_mut().chunks_exact_mut(3) {
        p[1] = p[0];
        p[2] = p[0];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_fades_black_stays() {
        let mut img = Rgb8::new(2, 1, vec![210, 40, 50, 20, 20, 20]).expect("img");
        suppress_red_ink(&mut img);
        assert_eq!(img.data(), &[210, 210, 210, 20, 20, 20]);
    }
}
