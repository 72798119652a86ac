//! Suppress seal ink before recognition: each pixel becomes its red channel, in grey (or, for
//! [`SealInks::RedBluePurple`], its brightest channel). Red ink is bright in the red channel, blue ink
//! in the blue one, so seal ink fades towards the paper, while black text stays dark in every
//! channel. Measured in `sealgate doc eval-ocr` (with and without).

use serde::{Deserialize, Serialize};

/// Which seal inks are mapped and faded. Pages compared before stamping were measured with red only
/// (issue 4's evaluation); the post-stamp checks meet blue and purple seals too (finance and some
/// company seals), whose text would otherwise be read as the page's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealInks {
    #[default]
    Red,
    RedBluePurple,
}

use crate::image::Rgb8;

/// Where red (seal) ink lies on a page: the share of red pixels in each `cell` x `cell` square, kept
/// before [`suppress_red_ink`] fades it, so that text under a seal can be told apart later.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RedInkMap {
    cell: usize,
    cols: usize,
    rows: usize,
    /// Red pixels per cell, 0..=255 for 0..100%.
    share: Vec<u8>,
    /// Dark pixels that are not red (black or blue text) per cell, 0..=255 for 0..100%.
    dark: Vec<u8>,
}

/// A pixel of seal ink: clearly red (or blue or purple, with `inks`), not a dark or grey one.
fn is_seal_ink(p: &[u8], inks: SealInks) -> bool {
    let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
    match inks {
        SealInks::Red => r >= 90 && r - g.max(b) >= 45,
        // Blue and purple seal inks are far above green in their brightest channel, as red is.
        SealInks::RedBluePurple => r.max(b) >= 90 && r.max(b) - g >= 45,
    }
}

/// A pixel of printed or written text that is not seal ink: dark in every channel. Pages reach the
/// map with their lighting evened out (paper near white), so a fixed level holds.
fn is_dark(p: &[u8]) -> bool {
    p[0].max(p[1]).max(p[2]) < 120
}

impl RedInkMap {
    /// The map of red ink on `page` on squares of `cell` pixels (at least 1).
    pub fn of(page: &Rgb8, cell: usize) -> RedInkMap {
        RedInkMap::of_inks(page, cell, SealInks::Red)
    }

    /// The map of the seal `inks` on `page` on squares of `cell` pixels (at least 1).
    pub fn of_inks(page: &Rgb8, cell: usize, inks: SealInks) -> RedInkMap {
        let cell = cell.max(1);
        let (cols, rows) = (page.width().div_ceil(cell), page.height().div_ceil(cell));
        let mut red = vec![0u32; cols * rows];
        let mut dark = vec![0u32; cols * rows];
        for y in 0..page.height() {
            let base = (y / cell) * cols;
            for (x, p) in page.row(y).chunks_exact(3).enumerate() {
                if is_seal_ink(p, inks) {
                    red[base + x / cell] += 1;
                } else if is_dark(p) {
                    dark[base + x / cell] += 1;
                }
            }
        }
        let area = (cell * cell) as u32;
        let to_share =
            |counts: Vec<u32>| counts.iter().map(|&n| ((n * 255 + area / 2) / area).min(255) as u8).collect();
        RedInkMap { cell, cols, rows, share: to_share(red), dark: to_share(dark) }
    }

    /// The map of the page turned a quarter counter-clockwise (as [`crate::image::rotate90_ccw`]).
    pub fn rotated_ccw(&self) -> RedInkMap {
        let (cols, rows) = (self.rows, self.cols);
        let turn = |old: &[u8]| {
            let mut new = vec![0u8; old.len()];
            for y in 0..rows {
                for x in 0..cols {
                    // New (x, y) was old (cols_old - 1 - y, x).
                    new[y * cols + x] = old[x * self.cols + (self.cols - 1 - y)];
                }
            }
            new
        };
        RedInkMap { cell: self.cell, cols, rows, share: turn(&self.share), dark: turn(&self.dark) }
    }

    /// Share of red pixels (0..1) in the box `[x0, y0, x1, y1]` (page pixels), 0 outside the page.
    pub fn share_in(&self, bbox: [f32; 4]) -> f32 {
        Self::mean_in(&self.share, self, bbox)
    }

    /// Share of the ink in the box that is red (0..1; 0 without ink): near 1 for text printed by the
    /// seal itself (its name, 合同专用章), however thin and pale its strokes.
    pub fn red_share_of_ink_in(&self, bbox: [f32; 4]) -> f32 {
        let red = Self::mean_in(&self.share, self, bbox);
        let dark = Self::mean_in(&self.dark, self, bbox);
        if red + dark <= 0.0 { 0.0 } else { red / (red + dark) }
    }

    fn mean_in(values: &[u8], map: &RedInkMap, bbox: [f32; 4]) -> f32 {
        let (cols, rows) = (map.cols, map.rows);
        if values.is_empty() || bbox.iter().any(|v| !v.is_finite()) {
            return 0.0;
        }
        let c = map.cell as f32;
        let x0 = ((bbox[0] / c).floor().max(0.0) as usize).min(cols);
        let y0 = ((bbox[1] / c).floor().max(0.0) as usize).min(rows);
        let x1 = ((bbox[2] / c).ceil().max(0.0) as usize).min(cols);
        let y1 = ((bbox[3] / c).ceil().max(0.0) as usize).min(rows);
        let (mut sum, mut n) = (0u32, 0u32);
        for y in y0..y1 {
            for v in &values[y * cols + x0..y * cols + x1] {
                sum += u32::from(*v);
                n += 1;
            }
        }
        if n == 0 { 0.0 } else { sum as f32 / n as f32 / 255.0 }
    }
}

/// Replace every pixel by its red channel, in place.
pub fn suppress_red_ink(page: &mut Rgb8) {
    suppress_seal_ink(page, SealInks::Red);
}

/// Fade the seal `inks` in place: every pixel becomes its red channel, or its brightest channel.
pub fn suppress_seal_ink(page: &mut Rgb8, inks: SealInks) {
    for p in page.data_mut().chunks_exact_mut(3) {
        let v = match inks {
            SealInks::Red => p[0],
            SealInks::RedBluePurple => p[0].max(p[1]).max(p[2]),
        };
        p.fill(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_ink_map_finds_and_turns_with_the_page() {
        // 16x8 page, red in its top-right 8x8 quarter.
        let mut data = vec![250u8; 16 * 8 * 3];
        for y in 0..8 {
            for x in 8..16 {
                data[(y * 16 + x) * 3..(y * 16 + x) * 3 + 3].copy_from_slice(&[200, 30, 40]);
            }
        }
        let page = Rgb8::new(16, 8, data).expect("page");
        let map = RedInkMap::of(&page, 4);
        assert_eq!(map.share_in([8.0, 0.0, 16.0, 8.0]), 1.0);
        assert_eq!(map.share_in([0.0, 0.0, 8.0, 8.0]), 0.0);
        assert_eq!(map.share_in([0.0, 0.0, 16.0, 8.0]), 0.5);
        assert_eq!(map.share_in([100.0, 100.0, 200.0, 200.0]), 0.0);
        assert_eq!(map.share_in([f32::NAN, 0.0, 1.0, 1.0]), 0.0);
        // A quarter turn left puts the top-right quarter at the top-left of the 8x16 page.
        let turned = map.rotated_ccw();
        assert_eq!(turned.share_in([0.0, 0.0, 8.0, 8.0]), 1.0);
        assert_eq!(turned.share_in([0.0, 8.0, 8.0, 16.0]), 0.0);
        assert_eq!(RedInkMap::default().share_in([0.0, 0.0, 1.0, 1.0]), 0.0);
        assert_eq!(RedInkMap::default().red_share_of_ink_in([0.0, 0.0, 1.0, 1.0]), 0.0);
    }

    #[test]
    fn pale_seal_text_is_red_ink_black_text_is_not() {
        // 16x8 page: a few pale red pixels on the left half, black text on the right half.
        let mut data = vec![250u8; 16 * 8 * 3];
        for (x, y) in [(1, 1), (3, 2), (5, 5)] {
            data[(y * 16 + x) * 3..(y * 16 + x) * 3 + 3].copy_from_slice(&[225, 120, 130]);
        }
        for (x, y) in [(9, 1), (11, 2), (13, 5), (14, 6)] {
            data[(y * 16 + x) * 3..(y * 16 + x) * 3 + 3].copy_from_slice(&[30, 30, 35]);
        }
        let map = RedInkMap::of(&Rgb8::new(16, 8, data).expect("page"), 4);
        let left = [0.0, 0.0, 8.0, 8.0];
        assert!(map.share_in(left) < 0.06, "sparse strokes: a small share of the box");
        assert_eq!(map.red_share_of_ink_in(left), 1.0);
        assert_eq!(map.red_share_of_ink_in([8.0, 0.0, 16.0, 8.0]), 0.0);
        let whole = map.red_share_of_ink_in([0.0, 0.0, 16.0, 8.0]);
        assert!((whole - 3.0 / 7.0).abs() < 0.02, "{whole}");
    }

    #[test]
    fn red_fades_black_stays() {
        let mut img = Rgb8::new(2, 1, vec![210, 40, 50, 20, 20, 20]).expect("img");
        suppress_red_ink(&mut img);
        assert_eq!(img.data(), &[210, 210, 210, 20, 20, 20]);
    }

    #[test]
    fn blue_and_purple_seals_are_mapped_and_faded_only_when_asked() {
        // Blue seal ink, purple seal ink, black text, yellowish paper.
        let px = vec![22, 91, 205, 134, 39, 160, 20, 20, 20, 250, 240, 200];
        let img = Rgb8::new(4, 1, px.clone()).expect("img");
        let red_only = RedInkMap::of(&img, 1);
        let all = RedInkMap::of_inks(&img, 1, SealInks::RedBluePurple);
        assert_eq!(red_only.share_in([0.0, 0.0, 2.0, 1.0]), 0.0);
        assert_eq!(all.share_in([0.0, 0.0, 2.0, 1.0]), 1.0);
        assert_eq!(all.share_in([2.0, 0.0, 4.0, 1.0]), 0.0, "black text and paper are not seal ink");
        let mut faded = img.clone();
        suppress_seal_ink(&mut faded, SealInks::RedBluePurple);
        assert_eq!(faded.data(), &[205, 205, 205, 160, 160, 160, 20, 20, 20, 250, 250, 250]);
        let mut red = img;
        suppress_seal_ink(&mut red, SealInks::Red);
        assert_eq!(&red.data()[..3], &[22, 22, 22], "red-only fading leaves blue ink dark");
    }
}
