//! Seal ink pooled into square cells: a cell is set when enough of its pixels are red, blue or
//! purple ink. Grouping then runs on a grid a few pixels coarser than the page (about 400 cells
//! across), and isolated noise pixels do not set a cell.

use super::segment::{InkClass, InkLayers};

/// A binary grid over a region: `cells[row * cols + col]` is 1 where the cell holds seal ink.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InkGrid {
    pub cell: usize,
    pub cols: usize,
    pub rows: usize,
    pub cells: Vec<u8>,
}

/// Pool `layers` into cells of `cell` pixels (at least 1); a cell is set with at least
/// `max(1, cell / 2)` seal-ink pixels.
pub(crate) fn pool_ink(layers: &InkLayers, cell: usize) -> InkGrid {
    let cell = cell.max(1);
    let (cols, rows) = (layers.width.div_ceil(cell), layers.height.div_ceil(cell));
    let mut counts = vec![0u32; cols * rows];
    if layers.width > 0 {
        for (y, row) in layers.class.chunks_exact(layers.width).enumerate() {
            let Some(out) = counts.get_mut((y / cell) * cols..(y / cell + 1) * cols) else { break };
            for (x, &c) in row.iter().enumerate() {
                if matches!(c, 1..=3)
                    && let Some(n) = out.get_mut(x / cell)
                {
                    *n += 1;
                }
            }
        }
    }
    debug_assert!(InkClass::Red as u8 == 1 && InkClass::Purple as u8 == 3, "seal ink classes are 1..=3");
    let min = (cell as u32 / 2).max(1);
    InkGrid { cell, cols, rows, cells: counts.iter().map(|&n| u8::from(n >= min)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers(w: usize, h: usize, ink: &[(usize, usize)]) -> InkLayers {
        let mut class = vec![0u8; w * h];
        for &(x, y) in ink {
            class[y * w + x] = InkClass::Red as u8;
        }
        InkLayers { origin: [0, 0], width: w, height: h, class, strength: vec![0; w * h] }
    }

    #[test]
    fn cells_need_more_than_a_speck() {
        // 8x8 region, cells of 4: two ink pixels in the first cell, one in the last.
        let g = pool_ink(&layers(8, 8, &[(0, 0), (1, 1), (7, 7)]), 4);
        assert_eq!((g.cols, g.rows), (2, 2));
        assert_eq!(g.cells, vec![1, 0, 0, 0]);
        // Ragged edges: 9x5 with cells of 4 is 3x2.
        let g = pool_ink(&layers(9, 5, &[(8, 4)]), 4);
        assert_eq!((g.cols, g.rows, g.cells.len()), (3, 2, 6));
        assert_eq!(g.cells, vec![0; 6], "one pixel of a cell of 4 is a speck");
        let g = pool_ink(&layers(9, 5, &[(8, 4)]), 1);
        assert_eq!(g.cells.iter().filter(|&&c| c == 1).count(), 1);
    }

    #[test]
    fn empty_region() {
        let g = pool_ink(&layers(0, 0, &[]), 0);
        assert_eq!((g.cols, g.rows, g.cells.len()), (0, 0, 0));
    }
}
