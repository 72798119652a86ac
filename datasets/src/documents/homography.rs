//! Plane-to-plane projective maps: a 3x3 homography from four point pairs (direct linear transform,
//! an 8x8 system solved by Gaussian elimination with partial pivoting), its inverse, and applying it.

use serde::{Deserialize, Serialize};

/// `[x', y', w'] = H [x, y, 1]`, normalised so `H[2][2] = 1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Homography(pub [[f64; 3]; 3]);

impl Homography {
    pub const IDENTITY: Homography = Homography([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);

    /// The homography mapping `src[i]` to `dst[i]`, or `None` when the points are degenerate (three
    /// on a line).
    pub fn from_points(src: &[[f64; 2]; 4], dst: &[[f64; 2]; 4]) -> Option<Homography> {
        let mut a = [[0.0f64; 9]; 8];
        for i in 0..4 {
            let ([x, y], [u, v]) = (src[i], dst[i]);
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve8(a)?;
        let m = Homography([[h[0], h[1], h[2]], [h[3], h[4], h[5]], [h[6], h[7], 1.0]]);
        m.0.iter().flatten().all(|v| v.is_finite()).then_some(m)
    }

    /// Map a point; `None` at or behind the line at infinity.
    pub fn apply(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        let m = &self.0;
        let w = m[2][0] * x + m[2][1] * y + m[2][2];
        if w.abs() < 1e-12 {
            return None;
        }
        Some([(m[0][0] * x + m[0][1] * y + m[0][2]) / w, (m[1][0] * x + m[1][1] * y + m[1][2]) / w])
    }

    /// The inverse map (adjugate over determinant), or `None` when singular.
    pub fn inverse(&self) -> Option<Homography> {
        let m = &self.0;
        let c = |r0: usize, c0: usize, r1: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
        let adj = [
            [c(1, 1, 2, 2), -c(0, 1, 2, 2), c(0, 1, 1, 2)],
            [-c(1, 0, 2, 2), c(0, 0, 2, 2), -c(0, 0, 1, 2)],
            [c(1, 0, 2, 1), -c(0, 0, 2, 1), c(0, 0, 1, 1)],
        ];
        let det = m[0][0] * adj[0][0] + m[0][1] * adj[1][0] + m[0][2] * adj[2][0];
        if det.abs() < 1e-18 || !det.is_finite() {
            return None;
        }
        let norm = adj[2][2] / det;
        if norm.abs() < 1e-18 {
            return Some(Homography(adj.map(|r| r.map(|v| v / det))));
        }
        Some(Homography(adj.map(|r| r.map(|v| v / det / norm))))
    }

    /// `self` after `first`: `x -> self(first(x))`.
    pub fn after(&self, first: &Homography) -> Homography {
        let (a, b) = (&self.0, &first.0);
        let mut out = [[0.0; 3]; 3];
        for (i, row) in out.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = (0..3).map(|k| a[i][k] * b[k][j]).sum();
            }
        }
        Homography(out)
    }
}

/// Solve the 8x8 system whose augmented rows are `a` (last column is the right-hand side).
fn solve8(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let f = a[row][col] / a[col][col];
                if f != 0.0 {
                    let pivot_row = a[col];
                    for (dst, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                        *dst -= f * p;
                    }
                }
            }
        }
    }
    let mut x = [0.0; 8];
    for (i, v) in x.iter_mut().enumerate() {
        *v = a[i][8] / a[i][i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_points_map_exactly_and_the_inverse_round_trips() {
        let src = [[0.0, 0.0], [1240.0, 0.0], [1240.0, 1754.0], [0.0, 1754.0]];
        let dst = [[210.0, 180.0], [1310.0, 260.0], [1390.0, 1830.0], [120.0, 1700.0]];
        let h = Homography::from_points(&src, &dst).expect("non-degenerate");
        for (s, d) in src.iter().zip(&dst) {
            let p = h.apply(s[0], s[1]).expect("finite");
            assert!((p[0] - d[0]).abs() < 1e-6 && (p[1] - d[1]).abs() < 1e-6, "{p:?} vs {d:?}");
        }
        let inv = h.inverse().expect("invertible");
        for &(x, y) in &[(100.0, 200.0), (620.0, 877.0), (1200.0, 1700.0), (-50.0, 30.0)] {
            let q = h.apply(x, y).and_then(|q| inv.apply(q[0], q[1])).expect("finite");
            assert!((q[0] - x).abs() < 1e-6 && (q[1] - y).abs() < 1e-6, "{q:?}");
        }
        let id = h.after(&inv);
        let p = id.apply(321.0, 654.0).expect("finite");
        assert!((p[0] - 321.0).abs() < 1e-6 && (p[1] - 654.0).abs() < 1e-6);
        // Three collinear points: no homography.
        let bad = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 1.0]];
        assert!(Homography::from_points(&bad, &dst).is_none());
        assert!(Homography([[0.0; 3]; 3]).inverse().is_none());
    }
}
