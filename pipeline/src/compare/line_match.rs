//! Comparing one registered line of the photo with the approved line as pixels: grey patches,
//! table rules erased, box blur, and the dissimilarity of character-wide windows (normalised
//! cross-correlation), or the older ink measure (sure ink with no faint ink near it on the other side).

use crate::image::Gray8;

/// Box blur of `v` (`w` x `h`) with radius `r`, in place, both directions.
pub(super) fn box_blur(v: &mut [f32], w: usize, h: usize, r: usize) {
    if r == 0 || w == 0 || h == 0 {
        return;
    }
    let mut tmp = vec![0f32; v.len()];
    for y in 0..h {
        let row = &v[y * w..(y + 1) * w];
        let mut acc: f32 = row[..(r + 1).min(w)].iter().sum();
        let mut n = (r + 1).min(w);
        for x in 0..w {
            tmp[y * w + x] = acc / n as f32;
            if x + r + 1 < w {
                acc += row[x + r + 1];
                n += 1;
            }
            if x >= r {
                acc -= row[x - r];
                n -= 1;
            }
        }
    }
    for x in 0..w {
        let mut acc: f32 = (0..(r + 1).min(h)).map(|y| tmp[y * w + x]).sum();
        let mut n = (r + 1).min(h);
        for y in 0..h {
            v[y * w + x] = acc / n as f32;
            if y + r + 1 < h {
                acc += tmp[(y + r + 1) * w + x];
                n += 1;
            }
            if y >= r {
                acc -= tmp[(y - r) * w + x];
                n -= 1;
            }
        }
    }
}

/// Grey levels of `img` over `rect` shifted by `(dx, dy)` (paper outside the image).
pub(super) fn patch(img: &Gray8, rect: [usize; 4], dx: i32, dy: i32) -> Vec<f32> {
    let [x0, y0, x1, y1] = rect;
    let (w, h) = (x1 - x0, y1 - y0);
    let mut out = vec![255f32; w * h];
    for y in 0..h {
        let sy = (y0 + y) as i64 + i64::from(dy);
        if sy < 0 || sy >= img.height() as i64 {
            continue;
        }
        let row = img.row(sy as usize);
        for x in 0..w {
            let sx = (x0 + x) as i64 + i64::from(dx);
            if sx >= 0 && sx < img.width() as i64 {
                out[y * w + x] = f32::from(row[sx as usize]);
            }
        }
    }
    out
}

/// Standard deviation below which a window of the approved page is blank paper.
pub(super) const BLANK_STD: f32 = 6.0;
/// Standard deviation of blank paper in a photo (sensor and JPEG noise, paper texture): a photo
/// window twice as varied as this where the approved page is blank holds ink.
pub(super) const PHOTO_NOISE_STD: f32 = 16.0;

/// 1 - the normalised cross-correlation of each window `win` wide (stepping half of it) of two
/// patches (`a` approved, `b` photo), appended to `out`; where the approved window is blank the
/// photo's contrast decides.
pub(super) fn correlation_windows(a: &[f32], b: &[f32], w: usize, h: usize, win: usize, out: &mut Vec<f32>) {
    let win = win.clamp(1, w.max(1));
    let mut x0 = 0;
    while x0 < w {
        let x1 = (x0 + win).min(w);
        let n = ((x1 - x0) * h) as f32;
        let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0f32, 0f32, 0f32, 0f32, 0f32);
        for y in 0..h {
            for x in x0..x1 {
                let (va, vb) = (a[y * w + x], b[y * w + x]);
                sa += va;
                sb += vb;
                saa += va * va;
                sbb += vb * vb;
                sab += va * vb;
            }
        }
        let (ma, mb) = (sa / n, sb / n);
        let (va, vb) = ((saa / n - ma * ma).max(0.0), (sbb / n - mb * mb).max(0.0));
        let (da, db) = (va.sqrt(), vb.sqrt());
        let d = if da < BLANK_STD {
            // Blank on the approved page: ink appeared when the photo has contrast beyond its noise.
            ((db - PHOTO_NOISE_STD) / PHOTO_NOISE_STD).clamp(0.0, 1.0)
        } else if db < BLANK_STD / 2.0 {
            1.0
        } else {
            1.0 - ((sab / n - ma * mb) / (da * db)).clamp(-1.0, 1.0)
        };
        out.push(d);
        if x1 == w {
            break;
        }
        x0 += (win / 2).max(1);
    }
}

/// Erase table rules (rows or columns mostly ink on the approved patch, and their neighbours) from
/// both patches: they are the same on both sides and would hide a changed character next to them.
pub(super) fn erase_rules(a: &mut [f32], b: &mut [f32], w: usize, h: usize) {
    const INK: f32 = 128.0;
    const NEAR: usize = 2;
    if w == 0 || h == 0 {
        return;
    }
    let row_rule: Vec<bool> =
        (0..h).map(|y| a[y * w..(y + 1) * w].iter().filter(|&&v| v < INK).count() * 10 > w * 6).collect();
    let col_rule: Vec<bool> = (0..w).map(|x| (0..h).filter(|&y| a[y * w + x] < INK).count() * 10 > h * 8).collect();
    let near =
        |flags: &[bool], i: usize| flags[i.saturating_sub(NEAR)..(i + NEAR + 1).min(flags.len())].iter().any(|&f| f);
    for y in 0..h {
        let r = near(&row_rule, y);
        for x in 0..w {
            if r || near(&col_rule, x) {
                a[y * w + x] = 255.0;
                b[y * w + x] = 255.0;
            }
        }
    }
}

/// A line's score from its windows' dissimilarities, x1000: the worst window above the line's
/// median (blur and print differences spread along a line; a changed character stands out), plus
/// how far the median itself is above `line_floor` (a line changed throughout).
pub(super) fn line_score(windows: &mut [f32], relative: bool, line_floor: f32) -> usize {
    if windows.is_empty() {
        return 0;
    }
    windows.sort_by(f32::total_cmp);
    let max = windows[windows.len() - 1];
    if !relative {
        return (max * 1000.0).round() as usize;
    }
    let median = windows[windows.len() / 2];
    (((max - median) + (median - line_floor).max(0.0)) * 1000.0).round() as usize
}

/// Ink mask (grey below `level`) of `img` over `rect` shifted by `(dx, dy)`.
pub(super) fn ink_mask(img: &Gray8, rect: [usize; 4], dx: i32, dy: i32, level: u8) -> Vec<bool> {
    let level = f32::from(level);
    patch(img, rect, dx, dy).into_iter().map(|v| v < level).collect()
}

pub(super) fn dilate(m: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    if r == 0 {
        return m.to_vec();
    }
    let mut tmp = vec![false; m.len()];
    for y in 0..h {
        let row = &m[y * w..(y + 1) * w];
        for x in 0..w {
            let (a, b) = (x.saturating_sub(r), (x + r + 1).min(w));
            tmp[y * w + x] = row[a..b].iter().any(|&v| v);
        }
    }
    let mut out = vec![false; m.len()];
    for y in 0..h {
        let (a, b) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            out[y * w + x] = (a..b).any(|yy| tmp[yy * w + x]);
        }
    }
    out
}

/// Largest count of sure ink pixels on either side (`a`, `b`) with no faint ink (`fa`, `fb`) within
/// `r` pixels on the other, in a window `win` wide, stepping half of it.
#[allow(clippy::too_many_arguments)]
pub(super) fn unexplained(
    a: &[bool],
    b: &[bool],
    fa: &[bool],
    fb: &[bool],
    w: usize,
    h: usize,
    r: usize,
    win: usize,
) -> usize {
    let (da, db) = (dilate(fa, w, h, r), dilate(fb, w, h, r));
    let mut cols = vec![0usize; w];
    for y in 0..h {
        for (x, col) in cols.iter_mut().enumerate() {
            let i = y * w + x;
            if (a[i] && !db[i]) || (b[i] && !da[i]) {
                *col += 1;
            }
        }
    }
    let win = win.clamp(1, w.max(1));
    let mut best = 0;
    let mut x = 0;
    while x < w {
        best = best.max(cols[x..(x + win).min(w)].iter().sum());
        x += (win / 2).max(1);
    }
    best
}
