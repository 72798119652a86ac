//! Alignment for SFace: a least-squares similarity transform (Umeyama, no reflection) from the five
//! detected landmarks to the 112x112 template, then a bilinear warp.

use super::Detection;
use crate::ImageError;
use crate::image::{Affine, Rgb8, warp_affine};

/// Side of the aligned face.
pub const ALIGNED_SIZE: usize = 112;

/// SFace/ArcFace 5-point template in the 112x112 crop.
pub const TEMPLATE_112: [[f32; 2]; 5] =
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];

/// The similarity `[a -b tx; b a ty]` minimising the squared distance from `src` mapped to `dst`;
/// `None` when the source points coincide.
pub fn similarity_transform(src: &[[f32; 2]; 5], dst: &[[f32; 2]; 5]) -> Option<Affine> {
    let mean = |p: &[[f32; 2]; 5]| {
        let (sx, sy) = p.iter().fold((0.0, 0.0), |(x, y), q| (x + q[0], y + q[1]));
        (sx / 5.0, sy / 5.0)
    };
    let (msx, msy) = mean(src);
    let (mdx, mdy) = mean(dst);
    let (mut num_a, mut num_b, mut den) = (0f32, 0f32, 0f32);
    for (s, d) in src.iter().zip(dst) {
        let (sx, sy, dx, dy) = (s[0] - msx, s[1] - msy, d[0] - mdx, d[1] - mdy);
        num_a += sx * dx + sy * dy;
        num_b += sx * dy - sy * dx;
        den += sx * sx + sy * sy;
    }
    if den < 1e-6 || !den.is_finite() {
        return None;
    }
    let (a, b) = (num_a / den, num_b / den);
    let tx = mdx - (a * msx - b * msy);
    let ty = mdy - (b * msx + a * msy);
    Some(Affine([[a, -b, tx], [b, a, ty]]))
}

/// The face warped to 112x112 in the template's frame, or `None` when the landmarks are degenerate.
pub fn align_face(img: &Rgb8, det: &Detection) -> Result<Option<Rgb8>, ImageError> {
    let Some(inv) = similarity_transform(&det.landmarks, &TEMPLATE_112).and_then(|m| m.invert()) else {
        return Ok(None);
    };
    let mut out = Rgb8::zeros(ALIGNED_SIZE, ALIGNED_SIZE)?;
    warp_affine(img, &inv, &mut out);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_similarity() {
        let (a, b, tx, ty) = (0.8f32, 0.3f32, 5.0f32, -7.0f32);
        let src = TEMPLATE_112;
        let dst = src.map(|p| [a * p[0] - b * p[1] + tx, b * p[0] + a * p[1] + ty]);
        let m = similarity_transform(&src, &dst).expect("transform");
        for (s, d) in src.iter().zip(&dst) {
            let (x, y) = m.apply(s[0], s[1]);
            assert!((x - d[0]).abs() < 1e-3 && (y - d[1]).abs() < 1e-3);
        }
    }

    #[test]
    fn coincident_points_have_no_transform() {
        assert!(similarity_transform(&[[3.0, 3.0]; 5], &TEMPLATE_112).is_none());
    }
}
