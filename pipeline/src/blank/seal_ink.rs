//! Clear the ink that belongs to seals from an ink mask: seal-coloured cells, cells near one unless
//! they are dark enough to be print under the seal, and every cell inside the seal boxes the caller
//! gives.
//!
//! Seal ink keeps a bright channel and so rarely reaches the mask at all (see `pool.rs`); what does
//! reach it are the fringes JPEG colour subsampling leaves along seal strokes (greyish, not dark) and
//! the crossings of two seals of different colours (red over blue is a dark purple, still coloured).
//! Black print under a seal stays dark and neutral in every channel and is kept.

use crate::image::Gray8;

/// Seal-coloured cells are cleared; cells within `halo` cells of one are cleared unless their ink
/// level is at most `dark`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SealExclusion {
    pub halo: usize,
    pub dark: u8,
}

/// Clear seal ink from `mask` (same grid as `level` and `seal`); returns how many cells were cleared.
pub fn clear_seal_ink(mask: &mut Gray8, level: &Gray8, seal: &Gray8, ex: SealExclusion) -> usize {
    let w = mask.width();
    if w == 0 || level.width() != w || seal.width() != w {
        return 0;
    }
    let seal_rows: Vec<&[u8]> = seal.data().chunks_exact(w).collect();
    let mut cleared = 0;
    let rows = mask.data_mut().chunks_exact_mut(w).zip(level.data().chunks_exact(w));
    for (y, (mask_row, level_row)) in rows.enumerate() {
        for (x, (m, &l)) in mask_row.iter_mut().zip(level_row).enumerate() {
            if *m == 0 {
                continue;
            }
            let coloured = seal_rows.get(y).and_then(|row| row.get(x)).is_some_and(|&s| s != 0);
            if coloured || (l > ex.dark && seal_near(&seal_rows, x, y, ex.halo)) {
                *m = 0;
                cleared += 1;
            }
        }
    }
    cleared
}

/// Whether a seal-coloured cell lies within `halo` cells (square window) of `(x, y)`.
fn seal_near(rows: &[&[u8]], x: usize, y: usize, halo: usize) -> bool {
    let ys = y.saturating_sub(halo)..y.saturating_add(halo).saturating_add(1);
    let (x0, x1) = (x.saturating_sub(halo), x.saturating_add(halo).saturating_add(1));
    rows.get(ys.start..ys.end.min(rows.len()))
        .unwrap_or_default()
        .iter()
        .any(|row| row.get(x0..x1.min(row.len())).unwrap_or_default().iter().any(|&s| s != 0))
}

/// Clear every cell of `mask` inside the page-pixel boxes `[x0, y0, x1, y1]`, on a grid of `cell`
/// page pixels. Boxes that are not finite are ignored; boxes are clipped to the grid. Returns how
/// many set cells were cleared.
pub fn clear_boxes(mask: &mut Gray8, boxes: &[[f32; 4]], cell: usize) -> usize {
    let (w, h) = (mask.width(), mask.height());
    if w == 0 || cell == 0 {
        return 0;
    }
    let mut cleared = 0;
    for b in boxes.iter().filter(|b| b.iter().all(|v| v.is_finite())) {
        let to_cells = |v: f32, limit: usize, round_up: bool| {
            let c = v.max(0.0) / cell as f32;
            let c = if round_up { c.ceil() } else { c.floor() };
            (c.min(limit as f32)) as usize
        };
        let (x0, x1) = (to_cells(b[0].min(b[2]), w, false), to_cells(b[0].max(b[2]), w, true));
        let (y0, y1) = (to_cells(b[1].min(b[3]), h, false), to_cells(b[1].max(b[3]), h, true));
        for row in mask.data_mut().chunks_exact_mut(w).skip(y0).take(y1.saturating_sub(y0)) {
            for m in row.iter_mut().skip(x0).take(x1.saturating_sub(x0)) {
                cleared += usize::from(*m != 0);
                *m = 0;
            }
        }
    }
    cleared
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ones(w: usize, h: usize) -> Gray8 {
        Gray8::new(w, h, vec![1; w * h]).expect("mask")
    }

    #[test]
    fn seal_colour_and_pale_ink_near_it_go_dark_print_stays() {
        // 7x1: seal colour at x = 0 and x = 6 (dark: two seals crossing); ink levels pale except a
        // dark cell at x = 1.
        let mut mask = ones(7, 1);
        let level = Gray8::new(7, 1, vec![200, 40, 180, 180, 180, 180, 60]).expect("level");
        let seal = Gray8::new(7, 1, vec![1, 0, 0, 0, 0, 0, 1]).expect("seal");
        let n = clear_seal_ink(&mut mask, &level, &seal, SealExclusion { halo: 2, dark: 110 });
        assert_eq!(mask.data(), &[0, 1, 0, 1, 0, 0, 0]);
        assert_eq!(n, 5);
        let mut wrong = ones(3, 1);
        assert_eq!(clear_seal_ink(&mut wrong, &level, &seal, SealExclusion { halo: 1, dark: 0 }), 0);
    }

    #[test]
    fn boxes_clear_cells_and_bad_boxes_are_ignored() {
        let mut mask = ones(10, 10);
        let n = clear_boxes(&mut mask, &[[4.0, 4.0, 8.0, 8.0], [f32::NAN, 0.0, 5.0, 5.0]], 2);
        assert_eq!(n, 4);
        assert_eq!(mask.pixel(2, 2), &[0]);
        assert_eq!(mask.pixel(4, 4), &[1]);
        // Reversed, out of range and huge boxes are clipped, not trusted.
        let n = clear_boxes(&mut mask, &[[1e30, 1e30, -5.0, -5.0]], 2);
        assert_eq!(n, 96);
        assert_eq!(clear_boxes(&mut Gray8::new(0, 0, vec![]).expect("empty"), &[[0.0, 0.0, 9.0, 9.0]], 2), 0);
        assert_eq!(clear_boxes(&mut ones(2, 2), &[[f32::INFINITY, 0.0, 1.0, 1.0]], 2), 0);
    }
}
