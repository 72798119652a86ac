//! From the detector's probability map to text regions: threshold, dilate, label the 8-connected
//! regions and give the convex hull of each one's pixel centres (which is what OpenCV's
//! `minAreaRect` sees of the outer contour `findContours` returns). Holes are not regions.
//!
//! Labelling works on horizontal runs: the runs of each row are joined to the overlapping runs of
//! the row above with a union-find, so the cost follows the number of runs, not of pixels.

/// Write into `mask` (resized to `width * height`) the pixels of `prob` above `threshold`, dilated by
/// a 2x2 square: a pixel is set when it or its left, upper or upper-left neighbour is above, as
/// OpenCV's `dilate` with a 2x2 kernel (the anchor at its bottom-right).
pub(super) fn text_mask(prob: &[f32], width: usize, height: usize, threshold: f32, mask: &mut Vec<u8>) {
    mask.clear();
    let n = width.saturating_mul(height);
    if width == 0 || height == 0 || prob.len() < n {
        return;
    }
    mask.resize(n, 0);
    for y in 0..height {
        let p = &prob[y * width..(y + 1) * width];
        // Horizontal pass into this row: m(x) = b(x) | b(x - 1).
        let mut prev = false;
        for (x, &v) in p.iter().enumerate() {
            let b = v > threshold;
            mask[y * width + x] = u8::from(b || prev);
            prev = b;
        }
        // Vertical pass: OR in the row above's horizontal pass, recomputed from `prob` because that
        // row of `mask` also holds its own vertical pass by now.
        if y > 0 {
            let above = &prob[(y - 1) * width..y * width];
            let mut prev = false;
            for (x, &v) in above.iter().enumerate() {
                let b = v > threshold;
                if b || prev {
                    mask[y * width + x] = 1;
                }
                prev = b;
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Run {
    y: u32,
    x0: u32,
    /// Inclusive.
    x1: u32,
}

/// Reusable buffers for [`regions`].
#[derive(Debug, Default)]
pub(super) struct RegionScratch {
    runs: Vec<Run>,
    parent: Vec<u32>,
    label: Vec<u32>,
    region_of: Vec<u32>,
    starts: Vec<u32>,
    fill: Vec<u32>,
    sorted: Vec<u32>,
    points: Vec<[i64; 2]>,
    hull: Vec<[i64; 2]>,
}

/// Call `each` with the convex hull (positive signed area, i.e. counter-clockwise for y up; at least
/// one point) of every 8-connected region of `mask` (non-zero pixels), in the order of each region's
/// first pixel in raster order, stopping after `max_regions`.
pub(super) fn regions(
    mask: &[u8],
    width: usize,
    height: usize,
    max_regions: usize,
    scratch: &mut RegionScratch,
    mut each: impl FnMut(&[[i64; 2]]),
) {
    let RegionScratch { runs, parent, label, region_of, starts, fill, sorted, points, hull } = scratch;
    runs.clear();
    parent.clear();
    if width == 0 || width > u32::MAX as usize / 2 || mask.len() < width.saturating_mul(height) {
        return;
    }
    let mut prev_row = 0..0;
    for (y, row) in mask.chunks_exact(width).take(height).enumerate() {
        let start = runs.len();
        let mut x = 0;
        while x < width {
            if row[x] == 0 {
                x += 1;
                continue;
            }
            let x0 = x;
            while x < width && row[x] != 0 {
                x += 1;
            }
            // Run ids fit in u32: the detector map is at most 4096x4096 pixels.
            let id = runs.len() as u32;
            let run = Run { y: y as u32, x0: x0 as u32, x1: (x - 1) as u32 };
            runs.push(run);
            parent.push(id);
            // 8-connected to the runs above that reach x0 - 1 ..= x1 + 1.
            for j in prev_row.clone() {
                let above: Run = runs[j];
                if above.x1 + 1 < run.x0 {
                    continue;
                }
                if above.x0 > run.x1 + 1 {
                    break;
                }
                union(parent, j as u32, id);
            }
        }
        prev_row = start..runs.len();
    }

    // Number the regions in the order of their first run, then bucket the runs by region.
    label.clear();
    label.resize(runs.len(), u32::MAX);
    region_of.clear();
    let mut count = 0usize;
    for i in 0..runs.len() {
        let root = find(parent, i as u32) as usize;
        if label[root] == u32::MAX {
            label[root] = count as u32;
            count += 1;
        }
        region_of.push(label[root]);
    }
    starts.clear();
    starts.resize(count + 1, 0);
    for &r in region_of.iter() {
        starts[r as usize + 1] += 1;
    }
    for r in 0..count {
        starts[r + 1] += starts[r];
    }
    // Stable counting sort: each region's runs stay in raster order, i.e. sorted by (y, x).
    fill.clear();
    fill.extend_from_slice(&starts[..count]);
    sorted.clear();
    sorted.resize(runs.len(), 0);
    for (i, &r) in region_of.iter().enumerate() {
        sorted[fill[r as usize] as usize] = i as u32;
        fill[r as usize] += 1;
    }
    for r in 0..count.min(max_regions) {
        points.clear();
        for &i in &sorted[starts[r] as usize..starts[r + 1] as usize] {
            let run = runs[i as usize];
            points.push([i64::from(run.x0), i64::from(run.y)]);
            if run.x1 != run.x0 {
                points.push([i64::from(run.x1), i64::from(run.y)]);
            }
        }
        convex_hull_sorted(points, hull);
        each(hull);
    }
}

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let p = parent[i as usize];
        parent[i as usize] = parent[p as usize];
        i = p;
    }
    i
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller id stays root, so a region's root is its first run in raster order.
    if ra < rb {
        parent[rb as usize] = ra;
    } else if rb < ra {
        parent[ra as usize] = rb;
    }
}

pub(super) fn cross(o: [i64; 2], a: [i64; 2], b: [i64; 2]) -> i64 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Convex hull of `points` into `hull` (Andrew's monotone chain). `points` must be sorted
/// lexicographically, by (x, y) or by (y, x). The hull has positive signed area (counter-clockwise
/// with y up) and no collinear points; it is one or two points when the input is a point or lies on
/// a line, and empty when the input is.
pub(super) fn convex_hull_sorted(points: &[[i64; 2]], hull: &mut Vec<[i64; 2]>) {
    hull.clear();
    for &p in points {
        if hull.last() != Some(&p) {
            hull.push(p);
        }
    }
    let n = hull.len();
    if n < 3 {
        return;
    }
    // `hull` holds the deduplicated input for now; build the chains after it, then move them down.
    for i in 0..n {
        let p = hull[i];
        while hull.len() >= n + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0 {
            hull.pop();
        }
        hull.push(p);
    }
    let lower_end = hull.len() + 1;
    for i in (0..n - 1).rev() {
        let p = hull[i];
        while hull.len() >= lower_end && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0 {
            hull.pop();
        }
        hull.push(p);
    }
    hull.pop(); // the first point again
    hull.drain(..n);
    if hull.len() >= 3 {
        let area2: i64 = (0..hull.len()).map(|i| cross([0, 0], hull[i], hull[(i + 1) % hull.len()])).sum();
        // Sorted by (y, x) instead of (x, y), the chains come out clockwise.
        if area2 < 0 {
            hull.reverse();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hulls(mask: &[u8], w: usize, h: usize, max: usize) -> Vec<Vec<[i64; 2]>> {
        let mut out = Vec::new();
        regions(mask, w, h, max, &mut RegionScratch::default(), |hull| out.push(hull.to_vec()));
        out
    }

    #[test]
    fn mask_is_thresholded_and_dilated_right_and_down() {
        let mut prob = vec![0.0; 25];
        prob[2 * 5 + 2] = 0.9;
        prob[4 * 5 + 4] = 0.3; // not above the threshold
        let mut mask = Vec::new();
        text_mask(&prob, 5, 5, 0.3, &mut mask);
        let set: Vec<usize> = (0..25).filter(|&i| mask[i] == 1).collect();
        assert_eq!(set, vec![12, 13, 17, 18]);
        text_mask(&prob, 5, 5, 0.3, &mut mask);
        assert_eq!(mask.iter().filter(|&&v| v == 1).count(), 4);
        text_mask(&prob[..3], 5, 5, 0.3, &mut mask);
        assert!(mask.is_empty());
        text_mask(&[], 0, 0, 0.3, &mut mask);
        assert!(mask.is_empty());
    }

    #[test]
    fn regions_are_8_connected_in_raster_order() {
        #[rustfmt::skip]
        let mask = [
            0, 0, 0, 0, 0, 1, 1,
            1, 1, 0, 0, 0, 0, 0,
            1, 1, 0, 0, 0, 0, 0,
            0, 0, 1, 0, 0, 1, 0,
            0, 0, 0, 0, 1, 1, 1,
        ];
        let found = hulls(&mask, 7, 5, usize::MAX);
        assert_eq!(found.len(), 3, "{found:?}");
        // First pixel order: the top-right pair, the left block (with its diagonal pixel), the cross.
        assert_eq!(found[0], vec![[5, 0], [6, 0]]);
        let mut left = found[1].clone();
        left.sort();
        assert_eq!(left, vec![[0, 1], [0, 2], [1, 1], [2, 3]]);
        let mut cross = found[2].clone();
        cross.sort();
        assert_eq!(cross, vec![[4, 4], [5, 3], [6, 4]]);
        assert_eq!(hulls(&mask, 7, 5, 1).len(), 1);
    }

    #[test]
    fn u_shape_is_one_region_and_holes_are_not_regions() {
        #[rustfmt::skip]
        let mask = [
            1, 0, 0, 1,
            1, 0, 0, 1,
            1, 1, 1, 1,
            1, 0, 1, 1,
            1, 1, 1, 1,
        ];
        let found = hulls(&mask, 4, 5, usize::MAX);
        assert_eq!(found.len(), 1);
        let mut hull = found[0].clone();
        hull.sort();
        assert_eq!(hull, vec![[0, 0], [0, 4], [3, 0], [3, 4]]);
    }

    #[test]
    fn hull_is_counter_clockwise_without_collinear_points() {
        let pts: Vec<[i64; 2]> = vec![[0, 0], [1, 0], [2, 0], [0, 1], [1, 1], [2, 1], [0, 2], [2, 2]];
        let mut hull = Vec::new();
        convex_hull_sorted(&pts, &mut hull);
        assert_eq!(hull.len(), 4);
        let area2: i64 = (0..4).map(|i| cross([0, 0], hull[i], hull[(i + 1) % 4])).sum();
        assert_eq!(area2, 8);
        convex_hull_sorted(&[[0, 0], [1, 0], [2, 0], [3, 0]], &mut hull);
        assert_eq!(hull, vec![[0, 0], [3, 0]]);
        convex_hull_sorted(&[[4, 4], [4, 4]], &mut hull);
        assert_eq!(hull, vec![[4, 4]]);
        convex_hull_sorted(&[], &mut hull);
        assert!(hull.is_empty());
    }

    #[test]
    fn empty_and_mismatched_masks() {
        assert!(hulls(&[], 0, 0, 10).is_empty());
        assert!(hulls(&[1, 1], 3, 1, 10).is_empty());
        assert!(hulls(&[0; 16], 4, 4, 10).is_empty());
        assert_eq!(hulls(&[1; 16], 4, 4, 10).len(), 1);
    }
}
