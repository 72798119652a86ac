//! The impression (or other finding) a reviewer looks at, cut out of the photo:
//! `GET /api/v1/anomalies/{id}/crops/{n}` answers the n-th finding box of the anomaly's photo, with a
//! margin, as PNG, to set beside the seal's registered template.

use sealgate_pipeline::image::{DecodeLimits, Rgb8, decode, quad_bounds};

use super::error::ApiError;

/// Margin around a box, as a share of its larger side.
const MARGIN: f32 = 0.15;

/// The bounding rectangle `[x0, y0, x1, y1]` of a quadrilateral, grown by [`MARGIN`] and clipped
/// to a `width` × `height` image; `None` when nothing of it is inside.
pub fn crop_rect(quad: &[[f32; 2]; 4], width: usize, height: usize) -> Option<[usize; 4]> {
    if quad.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let [x0, y0, x1, y1] = quad_bounds(quad);
    let m = MARGIN * (x1 - x0).max(y1 - y0);
    let clip = |v: f32, hi: usize| v.clamp(0.0, hi as f32) as usize;
    let r = [clip(x0 - m, width), clip(y0 - m, height), clip(x1 + m, width), clip(y1 + m, height)];
    (r[2] > r[0] && r[3] > r[1]).then_some(r)
}

/// Cut `rect` out of the encoded photo and encode it as PNG.
pub fn crop_png(photo: &[u8], quad: &[[f32; 2]; 4], limits: DecodeLimits) -> Result<Vec<u8>, ApiError> {
    let img: Rgb8 = decode(photo, limits).map_err(|e| ApiError::Internal(format!("stored photo: {e}")))?;
    let [x0, y0, x1, y1] =
        crop_rect(quad, img.width(), img.height()).ok_or(ApiError::NotFound("finding inside the photo"))?;
    let (w, h) = (x1 - x0, y1 - y0);
    let mut out = image::RgbImage::new(w as u32, h as u32);
    let stride = img.width() * 3;
    for (y, row) in out.rows_mut().enumerate() {
        let start = (y0 + y) * stride + x0 * 3;
        for (x, px) in row.enumerate() {
            let i = start + x * 3;
            px.0 = [img.data()[i], img.data()[i + 1], img.data()[i + 2]];
        }
    }
    let mut png = std::io::Cursor::new(Vec::new());
    out.write_to(&mut png, image::ImageFormat::Png).map_err(|e| ApiError::Internal(format!("png: {e}")))?;
    Ok(png.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangles_get_a_margin_and_stay_inside_the_image() {
        let quad = [[100.0, 100.0], [200.0, 100.0], [200.0, 150.0], [100.0, 150.0]];
        assert_eq!(crop_rect(&quad, 1000, 1000), Some([85, 85, 215, 165]));
        assert_eq!(crop_rect(&quad, 180, 120), Some([85, 85, 180, 120]));
        let outside = [[2000.0, 2000.0], [2100.0, 2000.0], [2100.0, 2100.0], [2000.0, 2100.0]];
        assert_eq!(crop_rect(&outside, 1000, 1000), None);
        let nan = [[f32::NAN, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert_eq!(crop_rect(&nan, 10, 10), None);
    }
}
