//! A text box cut out of the page and made upright, as RapidOCR's `get_rotate_crop_image`.

use super::db_postprocess::Quad;
use crate::ImageError;
use crate::image::{Homography, Rgb8, rotate90_ccw, warp_perspective};

/// Largest crop, in pixels; a bigger box is warped at a lower scale. A text line of a 40 MP scan is
/// far below this; the recogniser resizes every crop to 48 pixels high anyway.
const MAX_CROP_PIXELS: usize = 4 << 20;
/// Longest crop side, in pixels.
const MAX_CROP_SIDE: usize = 8192;

/// The pixels of `quad` (TL, TR, BR, BL in `page` pixels) warped to an axis-aligned rectangle as wide
/// as the longer of its top and bottom edges and as high as the longer of its left and right edges,
/// then turned a quarter counter-clockwise when at least 1.5 times as high as wide (a vertical line).
/// `None` for a box with an empty side or a degenerate shape.
pub(crate) fn crop_quad(page: &Rgb8, quad: &Quad) -> Result<Option<Rgb8>, ImageError> {
    if quad.iter().flatten().any(|v| !v.is_finite()) {
        return Ok(None);
    }
    let d = |a: [f32; 2], b: [f32; 2]| f64::from(a[0] - b[0]).hypot(f64::from(a[1] - b[1]));
    let [tl, tr, br, bl] = *quad;
    let (mut w, mut h) = (d(tl, tr).max(d(br, bl)).trunc(), d(tl, bl).max(d(tr, br)).trunc());
    if w < 1.0 || h < 1.0 {
        return Ok(None);
    }
    // Keep the aspect ratio when shrinking an oversized box.
    let shrink = (MAX_CROP_SIDE as f64 / w.max(h)).min((MAX_CROP_PIXELS as f64 / (w * h)).sqrt()).min(1.0);
    if shrink < 1.0 {
        (w, h) = ((w * shrink).floor().max(1.0), (h * shrink).floor().max(1.0));
    }
    // The map goes from the crop to the page, so that the warp reads the page at each crop pixel;
    // the rectangle's far corners are at (w, h) as in OpenCV's getPerspectiveTransform call there.
    let (fw, fh) = (w as f32, h as f32);
    let rect = [[0.0, 0.0], [fw, 0.0], [fw, fh], [0.0, fh]];
    let Some(crop_to_page) = Homography::from_points(&rect, quad) else { return Ok(None) };
    let (w, h) = (w as usize, h as usize);
    let mut crop = Rgb8::zeros(w, h)?;
    warp_perspective(page, &crop_to_page, &mut crop);
    if h as f64 / w as f64 >= 1.5 {
        let mut upright = Rgb8::zeros(h, w)?;
        rotate90_ccw(&crop, &mut upright)?;
        return Ok(Some(upright));
    }
    Ok(Some(crop))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with a dark 60 x 20 bar at (30, 40), lighter left half.
    fn page() -> Rgb8 {
        let mut img = Rgb8::new(200, 120, vec![255; 200 * 120 * 3]).expect("page");
        for y in 40..60 {
            for x in 30..90 {
                let v = if x < 60 { 100 } else { 0 };
                let i = (y * 200 + x) * 3;
                img.data_mut()[i..i + 3].copy_from_slice(&[v, v, v]);
            }
        }
        img
    }

    #[test]
    fn axis_aligned_box_is_copied() {
        let crop = crop_quad(&page(), &[[30.0, 40.0], [90.0, 40.0], [90.0, 60.0], [30.0, 60.0]])
            .expect("sizes")
            .expect("crop");
        assert_eq!((crop.width(), crop.height()), (60, 20));
        assert_eq!(crop.pixel(5, 5), &[100, 100, 100]);
        assert_eq!(crop.pixel(50, 15), &[0, 0, 0]);
    }

    #[test]
    fn tall_box_is_turned_counter_clockwise() {
        // A 20 x 60 box over the bar's left end: the light part is at the top after turning left.
        let crop = crop_quad(&page(), &[[30.0, 30.0], [50.0, 30.0], [50.0, 90.0], [30.0, 90.0]])
            .expect("sizes")
            .expect("crop");
        assert_eq!((crop.width(), crop.height()), (60, 20));
        // Source column x = 49 (right edge) becomes row 1; source row y = 45 becomes column 15.
        assert_eq!(crop.pixel(15, 1), &[100, 100, 100]);
        assert_eq!(crop.pixel(55, 1), &[255, 255, 255]);
    }

    #[test]
    fn degenerate_and_huge_boxes() {
        let p = page();
        assert!(crop_quad(&p, &[[10.0, 10.0]; 4]).expect("ok").is_none());
        assert!(crop_quad(&p, &[[0.0, 0.0], [50.0, 0.0], [50.0, 0.5], [0.0, 0.5]]).expect("ok").is_none());
        assert!(crop_quad(&p, &[[f32::NAN, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 5.0]]).expect("ok").is_none());
        // Collinear corners.
        assert!(crop_quad(&p, &[[0.0, 0.0], [5.0, 5.0], [10.0, 10.0], [0.0, 10.0]]).expect("ok").is_none());
        let huge = crop_quad(&p, &[[-1e6, -1e6], [1e6, -1e6], [1e6, 1e6], [-1e6, 1e6]]).expect("ok").expect("crop");
        assert!(huge.width() * huge.height() <= MAX_CROP_PIXELS);
        let empty = Rgb8::zeros(0, 0).expect("empty");
        let crop = crop_quad(&empty, &[[0.0, 0.0], [8.0, 0.0], [8.0, 4.0], [0.0, 4.0]]).expect("ok").expect("crop");
        assert!(crop.data().iter().all(|&v| v == 0));
    }
}
