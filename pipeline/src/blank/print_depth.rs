//! How deep a box's darkest ink goes against its paper: print, or show-through?
//!
//! A short page (a signature page: the company's name and a date, under the seal) scores blank, and
//! what the OCR read on it cannot tell it from a blank sheet laid over it and stamped: the OCR reads
//! the page showing through the sheet too. Print is dark in every channel, under a seal's ink as
//! well (red, blue and purple ink each keep one channel bright, so the brightest channel is the ink
//! level a seal does not lower); show-through keeps only a fraction of print's contrast.
//!
//! [`print_depth`] is `1 - dark / paper`, with `dark` the [`DARK_QUANTILE`] and `paper` the
//! [`PAPER_QUANTILE`] of the ink level (brightest channel) in the box. Measured on the upright pages
//! of the four short approved pages that score blank (held-out 0083, 0579; seed 7 0068, 0247), line
//! by line: 0.47-0.75 on each printed line; a seal's own name read as a line, 0.37; the same photos
//! with the print's darkness cut to 40% (a blank sheet over them): 0.18-0.30.
//!
//! It is a one-way test: deep ink is print, shallow ink may be either. Small body text in a blurred
//! or dim photo never reaches its full darkness (seed 7 approved 0822: 0.35-0.37 on every body
//! line, its title 0.76), as shallow as show-through. So the depth may accept a page scored blank
//! as printed, and must never be the reason a page is called blank.
use crate::image::Rgb8;

/// The share of a box's pixels taken as its darkest ink: a line of print covers a few percent of
/// its box with strokes, so 1% lies within the strokes, and a few dark pixels of noise do not count.
pub const DARK_QUANTILE: f32 = 0.01;

/// The share below the paper level: the box is mostly paper (or seal ink over paper).
pub const PAPER_QUANTILE: f32 = 0.9;

/// Fewest pixels a box must hold to be judged.
pub const MIN_PIXELS: usize = 64;

/// `1 - dark / paper` of the ink level in `bbox` (`[x0, y0, x1, y1]`, pixels of `page`), clipped to
/// the page; `None` when fewer than `MIN_PIXELS` (64) pixels lie in it or the paper is black.
///
/// ```
/// use sealgate_pipeline::Image;
/// use sealgate_pipeline::blank::print_depth;
/// // A white box with a black stroke down one column of ten: deep print.
/// let data = (0..100).flat_map(|i| if i % 10 == 0 { [20; 3] } else { [240; 3] }).collect();
/// let page = Image::<u8, 3>::new(10, 10, data).unwrap();
/// let depth = print_depth(&page, [0.0, 0.0, 10.0, 10.0]).unwrap();
/// assert!((depth - (1.0 - 20.0 / 240.0)).abs() < 1e-6);
/// assert_eq!(print_depth(&page, [20.0, 20.0, 30.0, 30.0]), None);
/// ```
pub fn print_depth(page: &Rgb8, bbox: [f32; 4]) -> Option<f32> {
    // A NaN corner casts to 0, like a negative one: the box is empty or clipped, never a panic.
    let clip = |v: f32, hi: usize| v.clamp(0.0, hi as f32) as usize;
    let (x0, x1) = (clip(bbox[0].floor(), page.width()), clip(bbox[2].ceil(), page.width()));
    let (y0, y1) = (clip(bbox[1].floor(), page.height()), clip(bbox[3].ceil(), page.height()));
    let mut histogram = [0usize; 256];
    let mut pixels = 0usize;
    for y in y0..y1 {
        let row = page.row(y);
        for px in row.get(x0 * 3..x1 * 3).unwrap_or_default().chunks_exact(3) {
            let level = px.iter().copied().max().unwrap_or(0);
            histogram[usize::from(level)] += 1;
            pixels += 1;
        }
    }
    if pixels < MIN_PIXELS {
        return None;
    }
    let dark = quantile(&histogram, pixels, DARK_QUANTILE);
    let paper = quantile(&histogram, pixels, PAPER_QUANTILE);
    (paper > 0).then(|| 1.0 - f32::from(dark) / f32::from(paper))
}

/// The smallest level at or below which `share` of the `total` counted pixels lie.
fn quantile(histogram: &[usize; 256], total: usize, share: f32) -> u8 {
    let want = ((share * total as f32).ceil() as usize).max(1);
    let mut seen = 0;
    for (level, &n) in histogram.iter().enumerate() {
        seen += n;
        if seen >= want {
            return level as u8;
        }
    }
    u8::MAX
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Image;

    /// A `w x h` page of paper `paper` with every `every`-th column inked `ink`.
    fn page(w: usize, h: usize, paper: [u8; 3], ink: [u8; 3], every: usize) -> Rgb8 {
        let data = (0..w * h).flat_map(|i| if (i % w).is_multiple_of(every) { ink } else { paper }).collect();
        Image::new(w, h, data).expect("shape")
    }

    #[test]
    fn print_is_deep_and_show_through_shallow() {
        let print = page(40, 20, [235; 3], [30; 3], 8);
        let shown = page(40, 20, [235; 3], [153; 3], 8);
        let whole = [0.0, 0.0, 40.0, 20.0];
        let (p, s) = (print_depth(&print, whole).expect("judged"), print_depth(&shown, whole).expect("judged"));
        assert!(p > 0.8 && s < 0.4, "{p} {s}");
    }

    /// Black print under red seal ink stays dark in the brightest channel; red ink alone does not.
    #[test]
    fn seal_ink_is_paper_and_print_under_it_is_print() {
        let whole = [0.0, 0.0, 40.0, 20.0];
        let seal_only = page(40, 20, [230, 70, 60], [200, 30, 40], 8);
        let under_seal = page(40, 20, [230, 70, 60], [40, 20, 25], 8);
        assert!(print_depth(&seal_only, whole).expect("judged") < 0.2);
        assert!(print_depth(&under_seal, whole).expect("judged") > 0.8);
    }

    #[test]
    fn boxes_outside_empty_or_tiny_are_not_judged() {
        let p = page(40, 20, [235; 3], [30; 3], 8);
        assert_eq!(print_depth(&p, [50.0, 0.0, 60.0, 20.0]), None);
        assert_eq!(print_depth(&p, [10.0, 10.0, 10.0, 10.0]), None);
        assert_eq!(print_depth(&p, [10.0, 10.0, 5.0, 5.0]), None);
        assert_eq!(print_depth(&p, [0.0, 0.0, 4.0, 4.0]), None);
        assert_eq!(print_depth(&p, [f32::NAN, f32::NEG_INFINITY, f32::INFINITY, f32::NAN]), None);
        // Clipped to the page: a box over its edge is judged on what lies inside.
        assert!(print_depth(&p, [-100.0, -100.0, 1e9, 1e9]).is_some_and(|d| d > 0.8));
        let empty = Image::<u8, 3>::new(0, 0, vec![]).expect("shape");
        assert_eq!(print_depth(&empty, [0.0, 0.0, 10.0, 10.0]), None);
        assert_eq!(print_depth(&page(40, 20, [0; 3], [0; 3], 8), [0.0, 0.0, 40.0, 20.0]), None);
    }
}
