//! RGB to grey (ITU-R BT.601 luma, integer arithmetic).

use super::{Gray8, Rgb8};

/// Luma of each pixel: `(77 R + 150 G + 29 B) >> 8`.
pub fn to_gray(src: &Rgb8) -> Gray8 {
    let data = src
        .data()
        .chunks_exact(3)
        .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8) as u8)
        .collect();
    Gray8::new(src.width(), src.height(), data).expect("same pixel count")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_black_and_empty() {
        let img = Rgb8::new(2, 1, vec![255, 255, 255, 0, 0, 0]).expect("img");
        assert_eq!(to_gray(&img).data(), &[255, 0]);
        assert_eq!(to_gray(&Rgb8::new(0, 0, vec![]).expect("empty")).data().len(), 0);
    }
}
