//! The local paper colour of a region, as per-channel gains that bring paper to white.
//!
//! In each block the brightest pixel (by R+G+B) is paper wherever the block holds any; a 5x5
//! median over blocks then drops blocks that are all ink (a seal's star, a solid square seal, a
//! heading) without blurring a shadow's edge by more than two blocks. Dividing by it makes ink's
//! colour independent of shadows and of warm or cold light, on raw photos as on evened pages.

use crate::image::Rgb8;

/// Paper darker than this (a black frame, a deep shadow) is not divided by: gains stay bounded.
const MIN_PAPER: f32 = 24.0;

/// Per-block gains of a region: `255 / paper` for each channel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PaperGains {
    pub block: usize,
    pub cols: usize,
    pub rows: usize,
    pub gains: Vec<[f32; 3]>,
}

/// The paper gains of the `w` x `h` region of `img` at `(x0, y0)` on blocks of `block` pixels.
/// A region that is empty or not inside `img` gives an empty grid.
pub(crate) fn paper_gains(img: &Rgb8, x0: usize, y0: usize, w: usize, h: usize, block: usize) -> PaperGains {
    let block = block.max(1);
    let empty = PaperGains { block, cols: 0, rows: 0, gains: Vec::new() };
    let inside =
        x0.checked_add(w).is_some_and(|x1| x1 <= img.width()) && y0.checked_add(h).is_some_and(|y1| y1 <= img.height());
    if w == 0 || h == 0 || !inside {
        return empty;
    }
    let (cols, rows) = (w.div_ceil(block), h.div_ceil(block));
    let mut best = vec![(0u32, [0u8; 3]); cols * rows];
    let stride = img.width() * 3;
    // Every other row and column on blocks of 16 px or more: paper covers most of a block, so its
    // brightest pixel is found as well on a quarter of them, at a quarter of the cost.
    let step = if block >= 16 { 2 } else { 1 };
    for y in (0..h).step_by(step) {
        let start = (y0 + y) * stride + x0 * 3;
        let Some(row) = img.data().get(start..start + w * 3) else { return empty };
        let Some(cells) = best.get_mut((y / block) * cols..(y / block + 1) * cols) else { return empty };
        for (x, p) in row.chunks_exact(3).enumerate().step_by(step) {
            let sum = u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]);
            if let Some(cell) = cells.get_mut(x / block)
                && sum >= cell.0
            {
                *cell = (sum, [p[0], p[1], p[2]]);
            }
        }
    }
    let paper: Vec<[u8; 3]> = best.iter().map(|b| b.1).collect();
    let mut gains = Vec::with_capacity(cols * rows);
    let mut window: Vec<u8> = Vec::with_capacity(25);
    for gy in 0..rows {
        for gx in 0..cols {
            let mut g = [1.0f32; 3];
            for (c, gc) in g.iter_mut().enumerate() {
                window.clear();
                for yy in gy.saturating_sub(2)..(gy + 3).min(rows) {
                    for xx in gx.saturating_sub(2)..(gx + 3).min(cols) {
                        if let Some(p) = paper.get(yy * cols + xx) {
                            window.push(p[c]);
                        }
                    }
                }
                window.sort_unstable();
                let median = window.get(window.len() / 2).copied().unwrap_or(255);
                *gc = 255.0 / f32::from(median).max(MIN_PAPER);
            }
            gains.push(g);
        }
    }
    PaperGains { block, cols, rows, gains }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warm_light_and_a_shadow_become_white_gains() {
        // Left half warm-lit paper, right half in shadow; a solid red square in the left half.
        let (w, h) = (64, 32);
        let mut data = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let px = if x < 32 { [240, 220, 180] } else { [120, 110, 90] };
                let px = if (4..12).contains(&x) && (4..12).contains(&y) { [200, 40, 40] } else { px };
                data.extend_from_slice(&px);
            }
        }
        let img = Rgb8::new(w, h, data).expect("img");
        let g = paper_gains(&img, 0, 0, w, h, 8);
        assert_eq!((g.cols, g.rows), (8, 4));
        let left = g.gains[0];
        assert!((left[0] * 240.0 - 255.0).abs() < 1.0 && (left[2] * 180.0 - 255.0).abs() < 1.0, "{left:?}");
        let right = g.gains[7];
        assert!((right[1] * 110.0 - 255.0).abs() < 1.0, "{right:?}");
    }

    #[test]
    fn empty_black_and_outside_regions() {
        let img = Rgb8::new(4, 4, vec![0; 48]).expect("black");
        let g = paper_gains(&img, 0, 0, 4, 4, 2);
        assert!(g.gains.iter().all(|v| v.iter().all(|&x| (x - 255.0 / MIN_PAPER).abs() < 1e-3)));
        assert!(paper_gains(&img, 0, 0, 0, 4, 2).gains.is_empty());
        assert!(paper_gains(&img, 2, 2, 3, 3, 2).gains.is_empty());
        assert!(paper_gains(&img, usize::MAX, 0, 3, 3, 2).gains.is_empty());
        let empty = Rgb8::new(0, 0, vec![]).expect("empty");
        assert!(paper_gains(&empty, 0, 0, 0, 0, 0).gains.is_empty());
    }
}
