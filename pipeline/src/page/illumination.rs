//! Even out lighting: divide each pixel by an estimate of the paper's local brightness, so shadows
//! and gradients become white paper and ink keeps its contrast.
//!
//! The paper estimate is the maximum over blocks (ink is darker than paper, so a block maximum is
//! paper wherever a block holds any), smoothed, then bilinearly interpolated back to full size.

use crate::image::Rgb8;

/// Side of the blocks whose brightest value estimates the paper, in pixels. Larger than a character
/// (about 32 px at 150 dpi), smaller than a shadow's soft edge.
const BLOCK: usize = 48;

/// Normalise `page` in place so that paper is close to white.
pub fn even_out_lighting(page: &mut Rgb8) {
    let (w, h) = (page.width(), page.height());
    if w == 0 || h == 0 {
        return;
    }
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    // Brightest luma per block (90th percentile would resist specks; the max is enough after a 3x3 median below).
    let mut grid = vec![0f32; bw * bh];
    for y in 0..h {
        let row = page.row(y);
        for (x, p) in row.chunks_exact(3).enumerate() {
            let l = luma(p);
            let cell = &mut grid[(y / BLOCK) * bw + x / BLOCK];
            if l > *cell {
                *cell = l;
            }
        }
    }
    // A 3x3 median drops blocks that are all ink (a large heading, a seal) without blurring
    // shadow edges; bilinear interpolation between block centres then smooths.
    let grid = median3(&grid, bw, bh);
    let data = page.data_mut();
    for y in 0..h {
        let gy = ((y as f32 + 0.5) / BLOCK as f32 - 0.5).clamp(0.0, (bh - 1) as f32);
        let (y0, fy) = (gy as usize, gy.fract());
        let y1 = (y0 + 1).min(bh - 1);
        for x in 0..w {
            let gx = ((x as f32 + 0.5) / BLOCK as f32 - 0.5).clamp(0.0, (bw - 1) as f32);
            let (x0, fx) = (gx as usize, gx.fract());
            let x1 = (x0 + 1).min(bw - 1);
            let top = grid[y0 * bw + x0] * (1.0 - fx) + grid[y0 * bw + x1] * fx;
            let bot = grid[y1 * bw + x0] * (1.0 - fx) + grid[y1 * bw + x1] * fx;
            let paper = (top * (1.0 - fy) + bot * fy).max(40.0);
            let gain = 245.0 / paper;
            let i = (y * w + x) * 3;
            for v in &mut data[i..i + 3] {
                *v = (f32::from(*v) * gain).min(255.0) as u8;
            }
        }
    }
}

fn luma(p: &[u8]) -> f32 {
    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
}

fn median3(g: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut out = g.to_vec();
    for y in 0..h {
        for x in 0..w {
            let mut v: Vec<f32> = Vec::with_capacity(9);
            for yy in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for xx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    v.push(g[yy * w + xx]);
                }
            }
            v.sort_by(f32::total_cmp);
            out[y * w + x] = v[v.len() / 2];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shadowed_half_becomes_white_and_ink_stays_dark() {
        let (w, h) = (200, 100);
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let paper: u8 = if x < 100 { 230 } else { 140 };
                let ink = (x % 50 == 25) && (y % 20 < 10);
                let v = if ink { paper / 5 } else { paper };
                data.extend_from_slice(&[v, v, v]);
            }
        }
        let mut page = Rgb8::new(w, h, data).expect("page");
        even_out_lighting(&mut page);
        assert!(page.pixel(10, 50)[0] > 230 && page.pixel(180, 50)[0] > 225, "{:?}", page.pixel(180, 50));
        assert!(page.pixel(175, 5)[0] < 80, "ink {:?}", page.pixel(175, 5));
        even_out_lighting(&mut Rgb8::new(0, 0, vec![]).expect("empty"));
    }
}
