//! The minimum-area enclosing rectangle of a convex polygon by rotating calipers: the best rectangle
//! has a side on a hull edge (Freeman and Shapira), and as the edge turns, the points that touch the
//! other three sides only move forward, so all edges are tried in O(n).

/// A rectangle of any orientation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RotatedRect {
    pub center: [f64; 2],
    /// Unit vector along `width`.
    pub axis: [f64; 2],
    pub width: f64,
    pub height: f64,
}

impl RotatedRect {
    pub fn short_side(&self) -> f64 {
        self.width.min(self.height)
    }

    /// The four corners, going round the rectangle (orientation and start unspecified).
    pub fn corners(&self) -> [[f64; 2]; 4] {
        let [cx, cy] = self.center;
        let (u, v) = (self.axis, [-self.axis[1], self.axis[0]]);
        let (hw, hh) = (self.width / 2.0, self.height / 2.0);
        let at = |a: f64, b: f64| [cx + u[0] * a + v[0] * b, cy + u[1] * a + v[1] * b];
        [at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)]
    }

    /// The same rectangle with every side moved outward by `d`.
    pub fn grown(&self, d: f64) -> RotatedRect {
        RotatedRect { width: self.width + 2.0 * d, height: self.height + 2.0 * d, ..*self }
    }
}

/// The smallest-area rectangle holding `hull`, a convex polygon with positive signed area (counter-
/// clockwise for y up) and no collinear points, as [`super::contours::convex_hull_sorted`] returns
/// it. One point gives a zero-size rectangle and two a zero-height one; `None` when empty.
pub(super) fn min_area_rect(hull: &[[i64; 2]]) -> Option<RotatedRect> {
    let n = hull.len();
    match n {
        0 => return None,
        1 => {
            let p = hull[0].map(|v| v as f64);
            return Some(RotatedRect { center: p, axis: [1.0, 0.0], width: 0.0, height: 0.0 });
        }
        2 => {
            let (p, q) = (hull[0].map(|v| v as f64), hull[1].map(|v| v as f64));
            let len = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
            let axis = if len > 0.0 { [(q[0] - p[0]) / len, (q[1] - p[1]) / len] } else { [1.0, 0.0] };
            let center = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
            return Some(RotatedRect { center, axis, width: len, height: 0.0 });
        }
        _ => {}
    }
    let at = |k: usize| hull[k % n];
    // Caliper positions as ever-increasing counters (taken mod n): the farthest point along the edge
    // (`r`), the farthest from it (`t`) and the farthest back along it (`l`).
    let (mut r, mut t, mut l) = (0usize, 0usize, 0usize);
    let mut best: Option<(f64, RotatedRect)> = None;
    for (i, &p) in hull.iter().enumerate() {
        let q = at(i + 1);
        let e = [q[0] - p[0], q[1] - p[1]];
        // Exact integer projections along the edge and distances from it (both scaled by |e|).
        let along = |k: usize| (at(k)[0] - p[0]) * e[0] + (at(k)[1] - p[1]) * e[1];
        let away = |k: usize| e[0] * (at(k)[1] - p[1]) - e[1] * (at(k)[0] - p[0]);
        r = r.max(i + 1);
        while r < i + n && along(r + 1) > along(r) {
            r += 1;
        }
        t = t.max(r);
        while t < i + n && away(t + 1) > away(t) {
            t += 1;
        }
        l = l.max(t);
        while l < i + n && along(l + 1) < along(l) {
            l += 1;
        }
        let len = ((e[0] * e[0] + e[1] * e[1]) as f64).sqrt();
        let (lo, hi, h) = (along(l) as f64 / len, along(r) as f64 / len, away(t) as f64 / len);
        let area = (hi - lo) * h;
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            let u = [e[0] as f64 / len, e[1] as f64 / len];
            let (a, b) = ((lo + hi) / 2.0, h / 2.0);
            let center = [p[0] as f64 + u[0] * a - u[1] * b, p[1] as f64 + u[1] * a + u[0] * b];
            best = Some((area, RotatedRect { center, axis: u, width: hi - lo, height: h }));
        }
    }
    best.map(|(_, rect)| rect)
}

#[cfg(test)]
mod tests {
    use super::super::contours::convex_hull_sorted;
    use super::*;

    fn hull_of(mut pts: Vec<[i64; 2]>) -> Vec<[i64; 2]> {
        pts.sort_by_key(|p| (p[1], p[0]));
        let mut hull = Vec::new();
        convex_hull_sorted(&pts, &mut hull);
        hull
    }

    /// Every edge direction tried against every point: O(n^2), obviously right.
    fn brute_force_area(hull: &[[i64; 2]]) -> f64 {
        let n = hull.len();
        let mut best = f64::INFINITY;
        for i in 0..n {
            let (p, q) = (hull[i], hull[(i + 1) % n]);
            let e = [(q[0] - p[0]) as f64, (q[1] - p[1]) as f64];
            let len = (e[0] * e[0] + e[1] * e[1]).sqrt();
            let (u, v) = ([e[0] / len, e[1] / len], [-e[1] / len, e[0] / len]);
            let (mut lo_u, mut hi_u, mut lo_v, mut hi_v) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
            for k in hull {
                let d = [(k[0] - p[0]) as f64, (k[1] - p[1]) as f64];
                let (a, b) = (d[0] * u[0] + d[1] * u[1], d[0] * v[0] + d[1] * v[1]);
                (lo_u, hi_u, lo_v, hi_v) = (lo_u.min(a), hi_u.max(a), lo_v.min(b), hi_v.max(b));
            }
            best = best.min((hi_u - lo_u) * (hi_v - lo_v));
        }
        best
    }

    #[test]
    fn axis_aligned_block_of_pixels() {
        // Pixel centres x 1..=6, y 1..=4, as OpenCV: minAreaRect gives 5 x 3 around (3.5, 2.5).
        let pts = (1..=4).flat_map(|y| (1..=6).map(move |x| [x, y])).collect();
        let r = min_area_rect(&hull_of(pts)).expect("rect");
        let (w, h) = (r.width.max(r.height), r.width.min(r.height));
        assert!((w - 5.0).abs() < 1e-9 && (h - 3.0).abs() < 1e-9, "{r:?}");
        assert!((r.center[0] - 3.5).abs() < 1e-9 && (r.center[1] - 2.5).abs() < 1e-9);
    }

    #[test]
    fn tilted_rectangle_is_found() {
        // A 10 x 5 rectangle with sides along (3, 4) and (-4, 3), plus an interior point.
        let hull = hull_of(vec![[0, 0], [6, 8], [2, 11], [-4, 3], [1, 5]]);
        assert_eq!(hull.len(), 4);
        let r = min_area_rect(&hull).expect("rect");
        assert!((r.width * r.height - 50.0).abs() < 1e-9, "{r:?}");
        assert!((r.center[0] - 1.0).abs() < 1e-9 && (r.center[1] - 5.5).abs() < 1e-9);
        // The corners hold every hull point.
        let c = r.corners();
        for p in &hull {
            for k in 0..4 {
                let (a, b) = (c[k], c[(k + 1) % 4]);
                let s = (b[0] - a[0]) * (p[1] as f64 - a[1]) - (b[1] - a[1]) * (p[0] as f64 - a[0]);
                assert!(s >= -1e-6, "point {p:?} outside {c:?}");
            }
        }
    }

    #[test]
    fn matches_brute_force_on_random_sets() {
        // Small deterministic LCG: no test dependency for random numbers.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: i64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % m as u64) as i64
        };
        for case in 0..300 {
            let n = 3 + next(40) as usize;
            let spread = 2 + next(if case % 2 == 0 { 10 } else { 500 });
            let pts: Vec<[i64; 2]> = (0..n).map(|_| [next(spread), next(spread / 3 + 1)]).collect();
            let hull = hull_of(pts);
            let Some(r) = min_area_rect(&hull) else { panic!("non-empty") };
            if hull.len() < 3 {
                assert_eq!(r.height, 0.0);
                continue;
            }
            let want = brute_force_area(&hull);
            assert!((r.width * r.height - want).abs() <= 1e-6 * want.max(1.0), "case {case}: {hull:?}");
        }
    }

    #[test]
    fn degenerate_hulls() {
        assert!(min_area_rect(&[]).is_none());
        let one = min_area_rect(&[[3, 4]]).expect("point");
        assert_eq!((one.width, one.height, one.center), (0.0, 0.0, [3.0, 4.0]));
        let two = min_area_rect(&[[0, 0], [3, 4]]).expect("segment");
        assert_eq!((two.width, two.height, two.short_side()), (5.0, 0.0, 0.0));
        let grown = two.grown(1.0);
        assert_eq!((grown.width, grown.height), (7.0, 2.0));
    }
}
