//! Sharpness as the variance of the 4-neighbour Laplacian (higher is sharper).

use super::Gray8;

/// Variance of the Laplacian over the interior pixels; 0 for images smaller than 3x3.
pub fn laplacian_variance(img: &Gray8) -> f32 {
    let (w, h) = (img.width(), img.height());
    if w < 3 || h < 3 {
        return 0.0;
    }
    let d = img.data();
    let (mut sum, mut sum2, mut n) = (0f64, 0f64, 0f64);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let i = y * w + x;
            let l = f64::from(d[i - 1]) + f64::from(d[i + 1]) + f64::from(d[i - w]) + f64::from(d[i + w])
                - 4.0 * f64::from(d[i]);
            sum += l;
            sum2 += l * l;
            n += 1.0;
        }
    }
    let mean = sum / n;
    (sum2 / n - mean * mean) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_is_zero_and_edges_are_sharp() {
        assert_eq!(laplacian_variance(&Gray8::new(4, 4, vec![9; 16]).expect("flat")), 0.0);
        assert_eq!(laplacian_variance(&Gray8::new(2, 2, vec![0; 4]).expect("tiny")), 0.0);
        let checker: Vec<u8> = (0..64).map(|i| if (i % 8 + i / 8) % 2 == 0 { 0 } else { 255 }).collect();
        assert!(laplacian_variance(&Gray8::new(8, 8, checker).expect("checker")) > 1000.0);
    }
}
