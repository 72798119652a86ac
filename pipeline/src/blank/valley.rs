//! Ink as *valleys* of the ink level: a cell is ink when it is darker, by enough, than the paper
//! found on BOTH sides of it within a small radius, left and right or above and below. Two depths are
//! told apart: *print* (deep enough to be print however blurred the photo) and *faint* (shallower:
//! the blurred edges and thin strokes of print, or show-through and noise when alone).
//!
//! Print strokes are thin, so paper lies on both sides of them. A shadow's edge, a lighting gradient,
//! a punch hole, the desk beyond the sheet's edge or a large dark blot are *steps* or wide areas:
//! one side is as dark as the cell, so they are not ink however dark they are. The paper level is
//! local (the brighter sides' level), so paper tone and shadows do not matter either; the contrast
//! must pass both an absolute floor (grey levels) and a share of the local paper level, which keeps
//! noise on dark areas out.

use crate::PipelineError;
use crate::image::Gray8;

/// How deep a valley must be: an absolute contrast and a share of the local paper level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Depth {
    /// Least contrast to the local paper level, grey levels.
    pub contrast: u8,
    /// Least contrast as a share of the local paper level, in 1/256ths.
    pub relative_q8: u32,
}

impl Depth {
    fn reached(self, contrast: u8, paper: u8) -> bool {
        contrast >= self.contrast && u32::from(contrast) * 256 >= self.relative_q8 * u32::from(paper)
    }
}

/// What makes a valley ink.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValleyParams {
    /// How far, in cells, paper is looked for on each side.
    pub radius: usize,
    pub faint: Depth,
    pub print: Depth,
}

/// A cell of the mask [`valley_ink`] returns.
pub const NO_INK: u8 = 0;
pub const FAINT_INK: u8 = 1;
pub const PRINT_INK: u8 = 2;

/// [`PRINT_INK`], [`FAINT_INK`] or [`NO_INK`] for each cell of `level`.
pub fn valley_ink(level: &Gray8, p: ValleyParams) -> Result<Gray8, PipelineError> {
    let (w, h) = (level.width(), level.height());
    let mut mask = Gray8::zeros(w, h)?;
    if w == 0 || h == 0 {
        return Ok(mask);
    }
    let across = paper_across_rows(level, p.radius);
    let along = paper_along_columns(level, p.radius);
    let cells = level.data().iter().zip(across.iter().zip(&along));
    for (out, (&l, (&a, &b))) in mask.data_mut().iter_mut().zip(cells) {
        let paper = a.max(b);
        let contrast = paper.saturating_sub(l);
        *out = if p.print.reached(contrast, paper) {
            PRINT_INK
        } else if p.faint.reached(contrast, paper) {
            FAINT_INK
        } else {
            NO_INK
        };
    }
    Ok(mask)
}

/// Per cell, the paper level across it horizontally: the lower of the brightest cell within
/// `radius` to its left and the brightest within `radius` to its right (0 where a side is off the
/// grid, so the grid's edge is never a valley).
fn paper_across_rows(level: &Gray8, radius: usize) -> Vec<u8> {
    let w = level.width();
    let mut out = vec![0u8; level.data().len()];
    if w == 0 {
        return out;
    }
    let mut left = vec![0u8; w];
    let mut right = vec![0u8; w];
    for (row, out_row) in level.data().chunks_exact(w).zip(out.chunks_exact_mut(w)) {
        left.fill(0);
        right.fill(0);
        for k in 1..=radius.min(w) {
            // left[x] sees row[x - k]; right[x] sees row[x + k].
            for (l, &v) in left.iter_mut().skip(k).zip(row) {
                *l = (*l).max(v);
            }
            for (r, &v) in right.iter_mut().zip(row.iter().skip(k)) {
                *r = (*r).max(v);
            }
        }
        for (o, (&l, &r)) in out_row.iter_mut().zip(left.iter().zip(&right)) {
            *o = l.min(r);
        }
    }
    out
}

/// The same as [`paper_across_rows`], vertically.
fn paper_along_columns(level: &Gray8, radius: usize) -> Vec<u8> {
    let w = level.width();
    let mut out = vec![0u8; level.data().len()];
    if w == 0 {
        return out;
    }
    let rows: Vec<&[u8]> = level.data().chunks_exact(w).collect();
    let mut up = vec![0u8; w];
    let mut down = vec![0u8; w];
    for (y, out_row) in out.chunks_exact_mut(w).enumerate() {
        up.fill(0);
        down.fill(0);
        for k in 1..=radius.min(rows.len()) {
            if let Some(above) = y.checked_sub(k).and_then(|i| rows.get(i)) {
                up.iter_mut().zip(above.iter()).for_each(|(u, &v)| *u = (*u).max(v));
            }
            if let Some(below) = y.checked_add(k).and_then(|i| rows.get(i)) {
                down.iter_mut().zip(below.iter()).for_each(|(d, &v)| *d = (*d).max(v));
            }
        }
        for (o, (&u, &d)) in out_row.iter_mut().zip(up.iter().zip(&down)) {
            *o = u.min(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ValleyParams = ValleyParams {
        radius: 3,
        faint: Depth { contrast: 30, relative_q8: 38 },
        print: Depth { contrast: 60, relative_q8: 77 },
    };

    fn grid(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> Gray8 {
        let data = (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).map(|(x, y)| f(x, y)).collect();
        Gray8::new(w, h, data).expect("grid")
    }

    /// Cells of print ink.
    fn count(mask: &Gray8) -> usize {
        mask.data().iter().filter(|&&v| v == PRINT_INK).count()
    }

    fn faint(mask: &Gray8) -> usize {
        mask.data().iter().filter(|&&v| v == FAINT_INK).count()
    }

    #[test]
    fn a_thin_stroke_is_ink_a_step_and_a_wide_blot_are_not() {
        // A vertical stroke two cells wide on paper.
        let stroke = grid(20, 10, |x, _| if (9..11).contains(&x) { 40 } else { 240 });
        let m = valley_ink(&stroke, P).expect("mask");
        assert_eq!(count(&m), 20);
        assert_eq!(m.pixel(9, 5), &[PRINT_INK]);
        // A shadow's edge: dark to the right of x = 10.
        let step = grid(20, 10, |x, _| if x >= 10 { 60 } else { 240 });
        assert_eq!(count(&valley_ink(&step, P).expect("mask")), 0);
        // A punch hole: a dark disc wider than twice the radius.
        let blot = grid(30, 30, |x, y| if (x as i32 - 15).pow(2) + (y as i32 - 15).pow(2) < 64 { 20 } else { 240 });
        let m = valley_ink(&blot, P).expect("mask");
        assert!(count(&m) < 12, "only the rim, where the disc is thin: {}", count(&m));
    }

    #[test]
    fn faint_or_shadowed_contrast_is_judged_against_the_local_paper() {
        // Show-through: 25 levels below the paper, not even faint; 40 levels: faint.
        let show_through = grid(20, 10, |x, _| if x == 10 { 215 } else { 240 });
        let m = valley_ink(&show_through, P).expect("mask");
        assert_eq!((count(&m), faint(&m)), (0, 0));
        let blurred = grid(20, 10, |x, _| if x == 10 { 200 } else { 240 });
        let m = valley_ink(&blurred, P).expect("mask");
        assert_eq!((count(&m), faint(&m)), (0, 10));
        // A stroke in a shadow (paper 120): 70 levels is enough there, since it is over 30% of it.
        let shadowed = grid(20, 10, |x, _| if x == 10 { 50 } else { 120 });
        assert_eq!(count(&valley_ink(&shadowed, P).expect("mask")), 10);
        // Noise on a black field: a relatively deep valley, but below the absolute floor.
        let dark = grid(20, 10, |x, _| if x == 10 { 0 } else { 40 });
        let m = valley_ink(&dark, P).expect("mask");
        assert_eq!((count(&m), faint(&m)), (0, 10));
    }

    #[test]
    fn tiny_and_empty_grids() {
        for (w, h) in [(0, 0), (1, 1), (1, 5), (5, 1), (2, 2)] {
            let m = valley_ink(&grid(w, h, |_, _| 0), P).expect("mask");
            assert_eq!((m.width(), m.height(), count(&m) + faint(&m)), (w, h, 0));
        }
        let huge_radius = ValleyParams { radius: 1000, ..P };
        let stroke = grid(7, 7, |x, _| if x == 3 { 0 } else { 250 });
        assert_eq!(count(&valley_ink(&stroke, huge_radius).expect("mask")), 7);
    }
}
