//! Registering a flattened photo to the approved page image: which page and quarter turn (thumbnail
//! correlation), then offsets by normalised cross-correlation, coarse on quarter-resolution images
//! and fine on full ones, and an affine field of offsets fitted to matches of line pieces.

use super::ApprovedOriginal;
use crate::PipelineError;
use crate::image::{Gray8, rotate90_ccw};

/// Thumbnail scale: one thumbnail pixel per `THUMB` x `THUMB` page pixels.
pub(super) const THUMB: usize = 16;

/// Text-contrast thumbnail, zero mean, unit norm.
pub(super) fn thumbnail(img: &Gray8) -> (usize, usize, Vec<f32>) {
    let (tw, th) = (img.width() / THUMB, img.height() / THUMB);
    // Per block: how far its darkest pixels fall below its paper (brightest), as a mean. Text
    // contrast, not brightness: a shadow across the photo darkens paper and text alike, and would
    // otherwise outweigh the text in the correlation (eval photos 0008, 0010).
    let mut sum = vec![0f32; tw * th];
    let mut max = vec![0u8; tw * th];
    for y in 0..th * THUMB {
        let row = img.row(y);
        let base = (y / THUMB) * tw;
        for (x, &v) in row.iter().take(tw * THUMB).enumerate() {
            let b = base + x / THUMB;
            sum[b] += f32::from(v);
            max[b] = max[b].max(v);
        }
    }
    let area = (THUMB * THUMB) as f32;
    let mut t: Vec<f32> = sum.iter().zip(&max).map(|(s, m)| f32::from(*m) - s / area).collect();
    let mean = t.iter().sum::<f32>() / t.len().max(1) as f32;
    t.iter_mut().for_each(|v| *v -= mean);
    let norm = t.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
    t.iter_mut().for_each(|v| *v /= norm);
    (tw, th, t)
}

/// A thumbnail turned a quarter counter-clockwise.
pub(super) fn rotate_thumb(tw: usize, th: usize, t: &[f32]) -> (usize, usize, Vec<f32>) {
    let mut out = vec![0f32; t.len()];
    for y in 0..tw {
        for x in 0..th {
            out[y * th + x] = t[x * tw + (tw - 1 - y)];
        }
    }
    (th, tw, out)
}

pub(super) fn rotate_gray(img: &Gray8, quarter_turns: usize) -> Result<Gray8, PipelineError> {
    let mut cur = img.clone();
    for _ in 0..quarter_turns % 4 {
        let mut next = Gray8::zeros(cur.height(), cur.width())?;
        rotate90_ccw(&cur, &mut next)?;
        cur = next;
    }
    Ok(cur)
}

/// Normalised cross-correlation of `a` over `rect` with `b` shifted by `(dx, dy)`, on every `step`-th
/// pixel; pixels of `b` outside the image count as paper. Contrast and brightness differ between a
/// clean page and a photo, so registration must not depend on them.
pub(super) fn ncc(a: &Gray8, b: &Gray8, rect: [usize; 4], dx: i32, dy: i32, step: usize) -> f64 {
    let [x0, y0, x1, y1] = rect;
    let (mut sa, mut sb, mut saa, mut sbb, mut sab, mut n) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    for y in (y0..y1).step_by(step) {
        let by = y as i64 + i64::from(dy);
        let ra = &a.row(y)[x0..x1];
        let rb = (by >= 0 && by < b.height() as i64).then(|| b.row(by as usize));
        for (k, &va) in ra.iter().enumerate().step_by(step) {
            let bx = (x0 + k) as i64 + i64::from(dx);
            let vb = match rb {
                Some(rb) if bx >= 0 && bx < b.width() as i64 => rb[bx as usize],
                _ => 255,
            };
            let (va, vb) = (u64::from(va), u64::from(vb));
            sa += va;
            sb += vb;
            saa += va * va;
            sbb += vb * vb;
            sab += va * vb;
            n += 1;
        }
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    let cov = sab as f64 - sa as f64 * sb as f64 / n;
    let va = saa as f64 - sa as f64 * sa as f64 / n;
    let vb = sbb as f64 - sb as f64 * sb as f64 / n;
    if va <= 0.0 || vb <= 0.0 { 0.0 } else { cov / (va * vb).sqrt() }
}

/// The offset within `radius` of `around` (stepping `stride`) at which `b` best matches `a` over
/// `rect` (highest [`ncc`]).
pub(super) fn best_offset(
    a: &Gray8,
    b: &Gray8,
    rect: [usize; 4],
    around: (i32, i32),
    radius: i32,
    stride: i32,
    step: usize,
) -> (i32, i32) {
    let mut best = (f64::NEG_INFINITY, around);
    let mut dy = -radius;
    while dy <= radius {
        let mut dx = -radius;
        while dx <= radius {
            let (ox, oy) = (around.0 + dx, around.1 + dy);
            let s = ncc(a, b, rect, ox, oy, step);
            // Ties go to the smaller shift.
            if s > best.0 || (s == best.0 && ox.abs() + oy.abs() < best.1.0.abs() + best.1.1.abs()) {
                best = (s, (ox, oy));
            }
            dx += stride;
        }
        dy += stride;
    }
    best.1
}

/// `img` averaged over `f` x `f` blocks.
pub(super) fn shrink(img: &Gray8, f: usize) -> Result<Gray8, PipelineError> {
    let (w, h) = (img.width() / f, img.height() / f);
    let mut acc = vec![0u32; w * h];
    for y in 0..h * f {
        let row = img.row(y);
        for x in 0..w * f {
            acc[(y / f) * w + x / f] += u32::from(row[x]);
        }
    }
    let n = (f * f) as u32;
    Ok(Gray8::new(w, h, acc.into_iter().map(|v| (v / n) as u8).collect())?)
}

/// Least-squares affine map of offsets: `d = c0 + c1 x + c2 y` for each of dx, dy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct OffsetField {
    pub dx: [f64; 3],
    pub dy: [f64; 3],
}

impl OffsetField {
    pub fn at(&self, x: f64, y: f64) -> (f64, f64) {
        (self.dx[0] + self.dx[1] * x + self.dx[2] * y, self.dy[0] + self.dy[1] * x + self.dy[2] * y)
    }

    /// Fit to `(x, y, dx, dy)` samples; `None` with fewer than 3 or a degenerate layout.
    pub fn fit(samples: &[(f64, f64, f64, f64)]) -> Option<OffsetField> {
        if samples.len() < 3 {
            return None;
        }
        // Normal equations of [1 x y] for both targets.
        let mut m = [[0f64; 3]; 3];
        let (mut bx, mut by) = ([0f64; 3], [0f64; 3]);
        for &(x, y, dx, dy) in samples {
            let v = [1.0, x, y];
            for i in 0..3 {
                for j in 0..3 {
                    m[i][j] += v[i] * v[j];
                }
                bx[i] += v[i] * dx;
                by[i] += v[i] * dy;
            }
        }
        Some(OffsetField { dx: solve3(m, bx)?, dy: solve3(m, by)? })
    }
}

/// Solve a 3 x 3 linear system by Gaussian elimination with partial pivoting.
pub(super) fn solve3(mut m: [[f64; 3]; 3], mut b: [f64; 3]) -> Option<[f64; 3]> {
    for c in 0..3 {
        let p = (c..3).max_by(|&i, &j| m[i][c].abs().total_cmp(&m[j][c].abs()))?;
        if m[p][c].abs() < 1e-9 {
            return None;
        }
        m.swap(c, p);
        b.swap(c, p);
        for r in c + 1..3 {
            let f = m[r][c] / m[c][c];
            let pivot = m[c];
            for (v, p) in m[r].iter_mut().zip(pivot).skip(c) {
                *v -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = [0f64; 3];
    for r in (0..3).rev() {
        x[r] = (b[r] - (r + 1..3).map(|k| m[r][k] * x[k]).sum::<f64>()) / m[r][r];
    }
    Some(x)
}

/// Scale of the coarse registration search.
pub(super) const COARSE: usize = 4;

/// Which approved page (with an image) and quarter turn match the flat photo best, and how well.
pub(super) fn pick_page(original: &ApprovedOriginal, flat: &Gray8) -> Option<(usize, usize, f32)> {
    let (fw, fh, ft) = thumbnail(flat);
    let mut turned = vec![(fw, fh, ft)];
    for k in 1..4 {
        let (w, h, t) = &turned[k - 1];
        turned.push(rotate_thumb(*w, *h, t));
    }
    let mut best: Option<(usize, usize, f32)> = None;
    for (i, page) in original.pages.iter().enumerate() {
        let Some(img) = &page.image else { continue };
        let (pw, ph, pt) = thumbnail(img);
        for (k, (w, h, t)) in turned.iter().enumerate() {
            if (*w, *h) != (pw, ph) {
                continue;
            }
            let r: f32 = t.iter().zip(&pt).map(|(a, b)| a * b).sum();
            if best.is_none_or(|b| r > b.2) {
                best = Some((i, k, r));
            }
        }
    }
    best
}
