//! Connected components of a mask (cells not 0), with their area, their strong cells and their
//! bounding box; cells closer than a
//! `reach` count as connected, so the strokes of one printed character (and the characters of a
//! line) form one component while specks scattered over the page stay apart.
//!
//! Labelled by runs: each row's runs of set cells are joined (union-find) with the runs of the same
//! row and of the `reach + 1` rows above that lie within `reach` cells of them (with `reach` 0: the
//! 8-connected components). Work and memory grow with the number of runs, not with the grid, so a
//! blank page costs almost nothing beyond the scan.

use crate::image::Gray8;

/// One connected component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    /// Set cells.
    pub area: usize,
    /// Cells whose value is at least [`STRONG`].
    pub strong: usize,
    /// `[x0, y0, x1, y1]`, end-exclusive, in cells.
    pub bbox: [usize; 4],
}

impl Component {
    /// The centre of the bounding box, in cells (twice the coordinate, to stay exact).
    pub fn centre_x2(&self) -> [usize; 2] {
        let [x0, y0, x1, y1] = self.bbox;
        [x0 + x1, y0 + y1]
    }
}

/// Mask values from this up count as strong cells.
pub const STRONG: u8 = 2;

/// A horizontal run of set cells: row `y`, cells `x0..x1`, `strong` of them strong.
#[derive(Debug, Clone, Copy)]
struct Run {
    y: usize,
    x0: usize,
    x1: usize,
    strong: usize,
}

/// The runs of one row: `runs[start..end]`, all on row `y`.
#[derive(Debug, Clone, Copy)]
struct RowRuns {
    y: usize,
    start: usize,
    end: usize,
}

/// The components of `mask` (cells that are not 0) whose cells lie within `reach` cells of each
/// other, in no particular order.
pub fn connected_components(mask: &Gray8, reach: usize) -> Vec<Component> {
    let runs = find_runs(mask);
    let rows = group_rows(&runs);
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    for (i, row) in rows.iter().enumerate() {
        join_within_row(&runs, row, &mut parent, reach);
        let above = rows.get(i.saturating_sub(reach + 1)..i).unwrap_or_default();
        for earlier in above.iter().filter(|r| r.y + reach + 1 >= row.y) {
            join_rows(&runs, earlier, row, &mut parent, reach);
        }
    }
    collect(&runs, &mut parent)
}

fn find_runs(mask: &Gray8) -> Vec<Run> {
    let w = mask.width();
    let mut runs = Vec::new();
    if w == 0 {
        return runs;
    }
    for (y, row) in mask.data().chunks_exact(w).enumerate() {
        let mut open: Option<Run> = None;
        for (x, &v) in row.iter().enumerate() {
            match (v != 0, open.as_mut()) {
                (true, None) => open = Some(Run { y, x0: x, x1: x + 1, strong: usize::from(v >= STRONG) }),
                (true, Some(run)) => {
                    run.x1 = x + 1;
                    run.strong += usize::from(v >= STRONG);
                }
                (false, Some(_)) => runs.extend(open.take()),
                (false, None) => {}
            }
        }
        runs.extend(open);
    }
    runs
}

/// Runs grouped by row (runs are sorted by row, then column).
fn group_rows(runs: &[Run]) -> Vec<RowRuns> {
    let mut rows: Vec<RowRuns> = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        match rows.last_mut() {
            Some(last) if last.y == run.y => last.end = i + 1,
            _ => rows.push(RowRuns { y: run.y, start: i, end: i + 1 }),
        }
    }
    rows
}

/// Join neighbouring runs of one row whose gap is at most `reach` cells.
fn join_within_row(runs: &[Run], row: &RowRuns, parent: &mut [usize], reach: usize) {
    let row_runs = runs.get(row.start..row.end).unwrap_or_default();
    for (k, pair) in row_runs.windows(2).enumerate() {
        if let [a, b] = pair
            && b.x0.saturating_sub(a.x1) <= reach
        {
            union(parent, row.start + k, row.start + k + 1);
        }
    }
}

/// Join the runs of `upper` with those of `lower` that overlap them once both are widened by
/// `reach` cells (two pointers over the two sorted rows).
fn join_rows(runs: &[Run], upper: &RowRuns, lower: &RowRuns, parent: &mut [usize], reach: usize) {
    let (mut a, mut b) = (upper.start, lower.start);
    while a < upper.end && b < lower.end {
        let (Some(ra), Some(rb)) = (runs.get(a), runs.get(b)) else { return };
        // [x0, x1) widened by `reach` touches the other (8-connected when `reach` is 0).
        if ra.x0 <= rb.x1 + reach && rb.x0 <= ra.x1 + reach {
            union(parent, a, b);
        }
        if ra.x1 < rb.x1 {
            a += 1;
        } else {
            b += 1;
        }
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        // Path halving.
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = grand;
        }
        i = grand;
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (keep, drop) = (ra.min(rb), ra.max(rb));
    if let Some(slot) = parent.get_mut(drop) {
        *slot = keep;
    }
}

fn collect(runs: &[Run], parent: &mut [usize]) -> Vec<Component> {
    // Component index of each root, assigned in order of first appearance.
    let mut slot_of_root = vec![usize::MAX; runs.len()];
    let mut out: Vec<Component> = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        let root = find(parent, i);
        let Some(slot) = slot_of_root.get_mut(root) else { continue };
        if *slot == usize::MAX {
            *slot = out.len();
            out.push(Component { area: 0, strong: 0, bbox: [run.x0, run.y, run.x1, run.y + 1] });
        }
        if let Some(c) = out.get_mut(*slot) {
            c.area += run.x1 - run.x0;
            c.strong += run.strong;
            c.bbox = [c.bbox[0].min(run.x0), c.bbox[1].min(run.y), c.bbox[2].max(run.x1), c.bbox[3].max(run.y + 1)];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(rows: &[&str]) -> Gray8 {
        let w = rows.first().map_or(0, |r| r.len());
        let data = rows
            .iter()
            .flat_map(|r| {
                r.bytes().map(|b| match b {
                    b'#' => STRONG,
                    b'+' => 1,
                    _ => 0,
                })
            })
            .collect();
        Gray8::new(w, rows.len(), data).expect("mask")
    }

    fn sorted(mut c: Vec<Component>) -> Vec<Component> {
        c.sort_by_key(|c| (c.bbox[1], c.bbox[0]));
        c
    }

    #[test]
    fn shapes_are_joined_diagonally_and_kept_apart_by_gaps() {
        let m = mask(&[
            "##...#....", //
            "..#..#..#.",
            "...#.#.#..",
            "......#...",
            ".........#",
        ]);
        let c = sorted(connected_components(&m, 0));
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!(c[0], Component { area: 4, strong: 4, bbox: [0, 0, 4, 3] });
        // The V joins at its bottom; the lone cell at the corner is its own component.
        assert_eq!(c[1], Component { area: 6, strong: 6, bbox: [5, 0, 9, 4] });
        assert_eq!(c[2], Component { area: 1, strong: 1, bbox: [9, 4, 10, 5] });
        assert_eq!(c[1].centre_x2(), [14, 4]);
    }

    #[test]
    fn a_u_shape_merges_two_earlier_branches() {
        let m = mask(&["#...+", "#...+", "##+##", ".....", "#####"]);
        let c = sorted(connected_components(&m, 0));
        assert_eq!(c.len(), 2);
        assert_eq!(c[0], Component { area: 9, strong: 6, bbox: [0, 0, 5, 3] });
        assert_eq!(c[1].area, 5);
    }

    #[test]
    fn empty_full_and_degenerate_masks() {
        assert!(connected_components(&mask(&[]), 0).is_empty());
        assert!(connected_components(&mask(&["....", "...."]), 1).is_empty());
        let full = connected_components(&mask(&["###", "###"]), 0);
        assert_eq!(full, vec![Component { area: 6, strong: 6, bbox: [0, 0, 3, 2] }]);
        assert_eq!(connected_components(&Gray8::new(0, 5, vec![]).expect("no columns"), 2).len(), 0);
    }

    #[test]
    fn reach_joins_the_strokes_of_a_character_and_leaves_distant_specks_apart() {
        let m = mask(&[
            "#.#......#", //
            "#.#.......",
            "..........",
            "###.......",
            "..........",
            "........#.",
        ]);
        assert_eq!(connected_components(&m, 0).len(), 5);
        let c = sorted(connected_components(&m, 1));
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!(c[0], Component { area: 7, strong: 7, bbox: [0, 0, 3, 4] });
        assert_eq!(connected_components(&m, 4).len(), 2);
    }
}
