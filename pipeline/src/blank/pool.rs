//! Pool a colour page into a coarse grid of [`POOL`] x [`POOL`] cells, in one pass: per cell, the
//! darkest *ink level* of its pixels and whether any of its pixels has a seal's colour.
//!
//! The ink level of a pixel is its brightest channel, `max(R, G, B)`: black and grey print is dark
//! in every channel, while seal ink (red, blue, purple) keeps at least one channel bright, so a seal
//! fades towards the paper and its JPEG colour fringes do not turn into dark "print". Taking the
//! cell's minimum keeps strokes one pixel thin.
//!
//! A pixel has a seal's colour when `max(R, B) - G >= seal_chroma`: red, magenta, purple and blue
//! inks all absorb green; yellowish and grey paper do not pass (their red and blue do not rise
//! above green by that much).

use crate::PipelineError;
use crate::image::{Gray8, Rgb8, checked_len};

/// Side of a grid cell in page pixels.
pub const POOL: usize = 2;
// `pool_rows` reads a cell as two pairs of pixels.
const _: () = assert!(POOL == 2);

/// The pooled grid of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Pooled {
    /// Darkest ink level (`max(R, G, B)`) of each cell.
    pub level: Gray8,
    /// 1 where some pixel of the cell has a seal's colour, else 0.
    pub seal: Gray8,
}

/// Pool `page` into cells of [`POOL`] x [`POOL`] pixels (the last row and column of cells may be
/// partial).
pub fn pool_page(page: &Rgb8, seal_chroma: u8) -> Result<Pooled, PipelineError> {
    let (w, h) = (page.width(), page.height());
    let (gw, gh) = (w.div_ceil(POOL), h.div_ceil(POOL));
    let cells = checked_len(gw, gh, 1)?;
    let mut level = vec![u8::MAX; cells];
    let mut seal = vec![0u8; cells];
    if cells > 0 {
        let row_bytes = checked_len(w, 3, 1)?;
        let band_bytes = checked_len(row_bytes, POOL, 1)?;
        let grid_rows = level.chunks_exact_mut(gw).zip(seal.chunks_exact_mut(gw));
        for ((level_row, seal_row), band) in grid_rows.zip(page.data().chunks(band_bytes)) {
            let (top, bottom) = band.split_at(row_bytes.min(band.len()));
            // The last band of an odd height has one row: it is its own partner.
            let bottom = if bottom.is_empty() { top } else { bottom };
            pool_rows(top, bottom, level_row, seal_row, seal_chroma);
        }
    }
    Ok(Pooled { level: Gray8::new(gw, gh, level)?, seal: Gray8::new(gw, gh, seal)? })
}

/// Pool two pixel rows into one row of cells: 2 x 2 pixels a cell, then the odd last column.
fn pool_rows(top: &[u8], bottom: &[u8], level_row: &mut [u8], seal_row: &mut [u8], seal_chroma: u8) {
    let (top_pairs, bottom_pairs) = (top.chunks_exact(3 * POOL), bottom.chunks_exact(3 * POOL));
    let odd = (top_pairs.remainder(), bottom_pairs.remainder());
    let mut cells = level_row.iter_mut().zip(seal_row.iter_mut());
    for ((a, b), (level, seal)) in top_pairs.zip(bottom_pairs).zip(&mut cells) {
        if let (&[r0, g0, b0, r1, g1, b1], &[r2, g2, b2, r3, g3, b3]) = (a, b) {
            let top_level = r0.max(g0).max(b0).min(r1.max(g1).max(b1));
            *level = top_level.min(r2.max(g2).max(b2).min(r3.max(g3).max(b3)));
            let top_chroma = r0.max(b0).saturating_sub(g0).max(r1.max(b1).saturating_sub(g1));
            let chroma = top_chroma.max(r2.max(b2).saturating_sub(g2).max(r3.max(b3).saturating_sub(g3)));
            *seal = u8::from(chroma >= seal_chroma);
        }
    }
    if let ((&[r0, g0, b0], &[r1, g1, b1]), Some((level, seal))) = (odd, cells.next()) {
        *level = r0.max(g0).max(b0).min(r1.max(g1).max(b1));
        let chroma = r0.max(b0).saturating_sub(g0).max(r1.max(b1).saturating_sub(g1));
        *seal = u8::from(chroma >= seal_chroma);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn black_pools_dark_seal_colours_pool_bright_and_are_flagged() {
        // 5x3 page: black at (0, 0), red at (2, 0), blue at (4, 2), yellowish paper elsewhere.
        let mut data = [[250u8, 240, 205]; 15];
        data[0] = [20, 20, 22];
        data[2] = [210, 40, 50];
        data[14] = [40, 70, 200];
        let page = Rgb8::new(5, 3, data.concat()).expect("page");
        let p = pool_page(&page, 35).expect("pooled");
        assert_eq!((p.level.width(), p.level.height()), (3, 2));
        assert_eq!(p.level.data(), &[22, 210, 250, 250, 250, 200]);
        assert_eq!(p.seal.data(), &[0, 1, 0, 0, 0, 1]);
    }

    #[test]
    fn empty_and_single_pixel_pages() {
        let empty = pool_page(&Rgb8::new(0, 0, vec![]).expect("empty"), 35).expect("pooled");
        assert_eq!(empty.level.data().len(), 0);
        let one = pool_page(&Rgb8::new(1, 1, vec![9, 8, 7]).expect("one"), 35).expect("pooled");
        assert_eq!(one.level.data(), &[9]);
        let wide = pool_page(&Rgb8::new(3, 0, vec![]).expect("no rows"), 35).expect("pooled");
        assert_eq!((wide.level.width(), wide.level.height()), (2, 0));
    }
}
