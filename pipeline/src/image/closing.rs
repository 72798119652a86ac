//! Grey-level closing (dilation then erosion) by a square of radius `r`: every dark structure
//! narrower than `2r + 1` pixels is filled with the brightness around it, while wider dark areas
//! (a shadow, a photo's background) and the steps between them stay as they are. `closing - image`
//! (the black top-hat) is then ink: strokes, not lighting.
//!
//! Separable, and linear in the image whatever `r` (van Herk / Gil-Werman running extremes: a
//! prefix and a suffix extreme per block of `2r + 1`, two look-ups per pixel).
//!
//! ```
//! use sealgate_pipeline::image::{Gray8, closing};
//! // A dark stroke 3 px wide on paper, and a dark band 20 px wide (a shadow).
//! let row: Vec<u8> = (0..40).map(|x| if (5..8).contains(&x) || x >= 20 { 60 } else { 220 }).collect();
//! let img = Gray8::new(40, 1, row).unwrap();
//! let closed = closing(&img, 4).unwrap();
//! assert_eq!(closed.row(0)[6], 220); // the stroke is filled
//! assert_eq!(closed.row(0)[30], 60); // the shadow is not
//! ```

use super::Gray8;
use crate::ImageError;

/// `src` closed by a square of side `2r + 1` (pixels outside the image do not take part).
pub fn closing(src: &Gray8, r: usize) -> Result<Gray8, ImageError> {
    let (w, h) = (src.width(), src.height());
    let mut a = Gray8::zeros(w, h)?;
    if w == 0 || h == 0 || r == 0 {
        a.data_mut().copy_from_slice(src.data());
        return Ok(a);
    }
    let mut b = Gray8::zeros(w, h)?;
    extreme_rows(src.data(), a.data_mut(), w, r, u8::max);
    extreme_columns(a.data(), b.data_mut(), w, h, r, u8::max);
    extreme_rows(b.data(), a.data_mut(), w, r, u8::min);
    extreme_columns(a.data(), b.data_mut(), w, h, r, u8::min);
    Ok(b)
}

/// Along every row of `src` (rows `w` long): `out[x] = f` over `src[x - r ..= x + r]`.
fn extreme_rows(src: &[u8], out: &mut [u8], w: usize, r: usize, f: fn(u8, u8) -> u8) {
    let mut scratch = Scratch::new(w);
    for (s, o) in src.chunks_exact(w).zip(out.chunks_exact_mut(w)) {
        scratch.run(s, r, f);
        o.copy_from_slice(&scratch.out[..w]);
    }
}

/// Down every column: `out[y][x] = f` over `src[y - r ..= y + r][x]`.
fn extreme_columns(src: &[u8], out: &mut [u8], w: usize, h: usize, r: usize, f: fn(u8, u8) -> u8) {
    let mut scratch = Scratch::new(h);
    let mut column = vec![0u8; h];
    for x in 0..w {
        for (y, c) in column.iter_mut().enumerate() {
            *c = src[y * w + x];
        }
        scratch.run(&column, r, f);
        for (y, v) in scratch.out[..h].iter().enumerate() {
            out[y * w + x] = *v;
        }
    }
}

/// Buffers of one running-extreme pass over lines of one length.
struct Scratch {
    prefix: Vec<u8>,
    suffix: Vec<u8>,
    out: Vec<u8>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch { prefix: vec![0; n], suffix: vec![0; n], out: vec![0; n] }
    }

    /// `self.out[i] = f` over `line[i - r ..= i + r]` (clipped to the line).
    fn run(&mut self, line: &[u8], r: usize, f: fn(u8, u8) -> u8) {
        let n = line.len();
        let k = 2 * r + 1;
        // prefix[i]: extreme from the start of i's block to i; suffix[i]: from i to its block's end.
        for (i, &v) in line.iter().enumerate() {
            self.prefix[i] = if i % k == 0 { v } else { f(self.prefix[i - 1], v) };
        }
        for i in (0..n).rev() {
            let v = line[i];
            self.suffix[i] = if i + 1 == n || (i + 1) % k == 0 { v } else { f(self.suffix[i + 1], v) };
        }
        // The window [lo, hi] spans at most two blocks: suffix from lo, prefix up to hi.
        for i in 0..n {
            let (lo, hi) = (i.saturating_sub(r), (i + r).min(n - 1));
            self.out[i] = if lo / k == hi / k {
                // One block, clipped at a line end: only at the ends, where the window is short.
                line[lo..=hi].iter().copied().fold(line[lo], f)
            } else {
                f(self.suffix[lo], self.prefix[hi])
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(src: &Gray8, r: usize) -> Vec<u8> {
        let (w, h) = (src.width() as isize, src.height() as isize);
        let at = |img: &[u8], x: isize, y: isize| img[(y * w + x) as usize];
        let pass = |img: &[u8], f: fn(u8, u8) -> u8| -> Vec<u8> {
            let mut out = vec![0u8; img.len()];
            for y in 0..h {
                for x in 0..w {
                    let mut m = at(img, x, y);
                    for dy in -(r as isize)..=r as isize {
                        for dx in -(r as isize)..=r as isize {
                            let (xx, yy) = (x + dx, y + dy);
                            if xx >= 0 && yy >= 0 && xx < w && yy < h {
                                m = f(m, at(img, xx, yy));
                            }
                        }
                    }
                    out[(y * w + x) as usize] = m;
                }
            }
            out
        };
        pass(&pass(src.data(), u8::max), u8::min)
    }

    #[test]
    fn equals_the_definition_on_noise_at_every_radius() {
        let mut s = 12345u32;
        let data: Vec<u8> = (0..37 * 23)
            .map(|_| {
                s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (s >> 16) as u8
            })
            .collect();
        let img = Gray8::new(37, 23, data).expect("image");
        for r in [1, 2, 3, 5, 11, 30] {
            assert_eq!(closing(&img, r).expect("closed").data(), &brute(&img, r)[..], "radius {r}");
        }
    }

    #[test]
    fn empty_and_radius_zero_are_the_image_itself() {
        let empty = Gray8::new(0, 0, Vec::new()).expect("empty");
        assert_eq!(closing(&empty, 3).expect("closed").data().len(), 0);
        let one = Gray8::new(3, 1, vec![1, 2, 3]).expect("row");
        assert_eq!(closing(&one, 0).expect("closed").data(), &[1, 2, 3]);
        let thin = Gray8::new(1, 5, vec![9, 0, 9, 9, 9]).expect("column");
        assert_eq!(closing(&thin, 1).expect("closed").data(), &[9, 9, 9, 9, 9]);
    }
}
