//! Connected components (8-connected) of a binary grid, by one pass of union-find over the cells
//! and a second that gives each component a dense label.

/// Labels of the `cols` x `rows` grid `mask` (non-zero = set): 0 for unset cells, `1..=count` for the
/// components, in order of first appearance (row-major). A `mask` whose length is not
/// `cols * rows` gives no components.
pub(crate) fn label_components(mask: &[u8], cols: usize, rows: usize) -> (Vec<u32>, usize) {
    if cols.checked_mul(rows) != Some(mask.len()) || mask.is_empty() {
        return (vec![0; mask.len()], 0);
    }
    // parent[i] for set cells; roots point to themselves.
    let mut parent: Vec<usize> = (0..mask.len()).collect();
    for y in 0..rows {
        for x in 0..cols {
            let i = y * cols + x;
            if mask.get(i).is_none_or(|&v| v == 0) {
                continue;
            }
            // Earlier neighbours: left, and the three above.
            let mut neighbours = [None; 4];
            if x > 0 {
                neighbours[0] = Some(i - 1);
            }
            if y > 0 {
                let up = i - cols;
                neighbours[1] = Some(up);
                if x > 0 {
                    neighbours[2] = Some(up - 1);
                }
                if x + 1 < cols {
                    neighbours[3] = Some(up + 1);
                }
            }
            for j in neighbours.into_iter().flatten() {
                if mask.get(j).is_some_and(|&v| v != 0) {
                    union(&mut parent, i, j);
                }
            }
        }
    }
    let mut labels = vec![0u32; mask.len()];
    let mut root_label: Vec<u32> = vec![0; mask.len()];
    let mut count = 0usize;
    for i in 0..mask.len() {
        if mask.get(i).is_none_or(|&v| v == 0) {
            continue;
        }
        let root = find(&mut parent, i);
        let Some(slot) = root_label.get_mut(root) else { continue };
        if *slot == 0 {
            count += 1;
            *slot = u32::try_from(count).unwrap_or(u32::MAX);
        }
        if let Some(l) = labels.get_mut(i) {
            *l = *slot;
        }
    }
    (labels, count)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        // Path halving.
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = gp;
        }
        i = gp;
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        if let Some(slot) = parent.get_mut(hi) {
            *slot = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagonal_touch_joins_and_gaps_separate() {
        #[rustfmt::skip]
        let m = [
            1, 0, 0, 1,
            0, 1, 0, 1,
            0, 0, 0, 0,
            1, 1, 0, 0,
        ];
        let (labels, n) = label_components(&m, 4, 4);
        assert_eq!(n, 3);
        assert_eq!(labels[0], labels[5], "diagonal neighbours are one component");
        assert_eq!(labels[3], labels[7]);
        assert_ne!(labels[0], labels[3]);
        assert_eq!(labels[12], 3);
        assert_eq!(labels[2], 0);
    }

    #[test]
    fn u_shape_merges_late() {
        // Two arms that meet only at the bottom row.
        #[rustfmt::skip]
        let m = [
            1, 0, 1,
            1, 0, 1,
            1, 1, 1,
        ];
        let (labels, n) = label_components(&m, 3, 3);
        assert_eq!(n, 1);
        assert!(m.iter().zip(&labels).all(|(&v, &l)| (v == 0) == (l == 0)));
    }

    #[test]
    fn empty_and_bad_shapes() {
        assert_eq!(label_components(&[], 0, 0), (vec![], 0));
        assert_eq!(label_components(&[1, 1], 3, 1).1, 0);
        assert_eq!(label_components(&[0, 0, 0], 3, 1).1, 0);
    }
}
