//! Binary dilation of a grid by a square of radius `r` (side `2r + 1`), separable, in time linear in
//! the grid whatever `r`: along each row the distance to the nearest set cell, then down the
//! columns a running count of set rows in the window, row by row (cache-friendly).

/// Dilate the `cols` x `rows` binary grid `src` (non-zero = set) by radius `r`. A `src` whose length
/// is not `cols * rows` gives an empty grid.
pub(crate) fn dilate(src: &[u8], cols: usize, rows: usize, r: usize) -> Vec<u8> {
    if cols.checked_mul(rows) != Some(src.len()) || src.is_empty() {
        return Vec::new();
    }
    let mut tmp = vec![0u8; src.len()];
    for (s, d) in src.chunks_exact(cols).zip(tmp.chunks_exact_mut(cols)) {
        dilate_row(s, d, r);
    }
    // Vertical: count[x] = set cells of column x in rows y - r ..= y + r.
    let mut count = vec![0u32; cols];
    let row = |y: usize| tmp.get(y * cols..(y + 1) * cols);
    for y in 0..r.min(rows) {
        if let Some(add) = row(y) {
            count.iter_mut().zip(add).for_each(|(c, &v)| *c += u32::from(v));
        }
    }
    let mut out = vec![0u8; src.len()];
    for (y, dst) in out.chunks_exact_mut(cols).enumerate() {
        if let Some(add) = y.checked_add(r).filter(|&v| v < rows).and_then(row) {
            count.iter_mut().zip(add).for_each(|(c, &v)| *c += u32::from(v));
        }
        if let Some(drop) = y.checked_sub(r + 1).and_then(row) {
            count.iter_mut().zip(drop).for_each(|(c, &v)| *c -= u32::from(v));
        }
        dst.iter_mut().zip(&count).for_each(|(d, &c)| *d = u8::from(c > 0));
    }
    out
}

/// One row: output `i` is 1 when any input in `i - r ..= i + r` is set.
fn dilate_row(src: &[u8], dst: &mut [u8], r: usize) {
    // Cells since the last set cell walking right, then until the next walking left.
    let mut since: Option<usize> = None;
    for (s, d) in src.iter().zip(dst.iter_mut()) {
        since = if *s != 0 { Some(0) } else { since.map(|v| v + 1) };
        *d = u8::from(since.is_some_and(|v| v <= r));
    }
    let mut until: Option<usize> = None;
    for (s, d) in src.iter().zip(dst.iter_mut()).rev() {
        until = if *s != 0 { Some(0) } else { until.map(|v| v + 1) };
        if until.is_some_and(|v| v <= r) {
            *d = 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_grows_into_a_square() {
        let mut g = vec![0u8; 7 * 5];
        g[2 * 7 + 3] = 1;
        let d = dilate(&g, 7, 5, 1);
        let set: Vec<(usize, usize)> = (0..35).filter(|&i| d[i] == 1).map(|i| (i % 7, i / 7)).collect();
        assert_eq!(set.len(), 9);
        assert!(set.iter().all(|&(x, y)| (2..=4).contains(&x) && (1..=3).contains(&y)));
        assert_eq!(dilate(&g, 7, 5, 0), g);
        // A radius larger than the grid fills it.
        assert!(dilate(&g, 7, 5, 100).iter().all(|&v| v == 1));
    }

    #[test]
    fn matches_a_brute_force_dilation() {
        let (cols, rows) = (23, 17);
        let g: Vec<u8> =
            (0..cols * rows).map(|i: usize| u8::from(i.wrapping_mul(2_654_435_761).is_multiple_of(29))).collect();
        for r in 0..4 {
            let d = dilate(&g, cols, rows, r);
            for y in 0..rows {
                for x in 0..cols {
                    let any = (y.saturating_sub(r)..=(y + r).min(rows - 1))
                        .any(|yy| (x.saturating_sub(r)..=(x + r).min(cols - 1)).any(|xx| g[yy * cols + xx] != 0));
                    assert_eq!(d[y * cols + x], u8::from(any), "({x}, {y}) r {r}");
                }
            }
        }
    }

    #[test]
    fn edges_and_bad_shapes() {
        let g = vec![1u8, 0, 0, 0];
        assert_eq!(dilate(&g, 4, 1, 2), vec![1, 1, 1, 0]);
        assert!(dilate(&g, 3, 1, 1).is_empty());
        assert!(dilate(&[], 0, 0, 3).is_empty());
        assert!(dilate(&[], 0, 5, 3).is_empty());
    }
}
