//! Plane-to-plane projective maps (3x3 homographies): from four point pairs, inverted, applied.

/// A 3x3 homography `H`, row-major: `(x, y) -> ((h00 x + h01 y + h02) / w, (h10 x + h11 y + h12) / w)`
/// with `w = h20 x + h21 y + h22`. Kept in f64: page coordinates times page coordinates lose
/// sub-pixel precision in f32.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [[f64; 3]; 3]);

impl Homography {
    pub const IDENTITY: Homography = Homography([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);

    /// The homography that maps `src[i]` onto `dst[i]` for each of the four pairs (as OpenCV's
    /// `getPerspectiveTransform`), or `None` when the points are degenerate (three of either set
    /// collinear, repeated or non-finite points).
    pub fn from_points(src: &[[f32; 2]; 4], dst: &[[f32; 2]; 4]) -> Option<Homography> {
        if src.iter().chain(dst).flatten().any(|v| !v.is_finite()) {
            return None;
        }
        // Unknowns h00 h01 h02 h10 h11 h12 h20 h21 with h22 = 1; two equations per pair:
        // h00 x + h01 y + h02 - h20 x u - h21 y u = u, and the same with h1* and v.
        let mut a = [[0f64; 9]; 8];
        for (i, (s, d)) in src.iter().zip(dst).enumerate() {
            let (x, y, u, v) = (f64::from(s[0]), f64::from(s[1]), f64::from(d[0]), f64::from(d[1]));
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v];
        }
        let h = solve8(&mut a)?;
        let m = Homography([[h[0], h[1], h[2]], [h[3], h[4], h[5]], [h[6], h[7], 1.0]]);
        // The linear system can be solvable while the map is still singular (collinear points).
        m.invert().map(|_| m)
    }

    /// The inverse map, or `None` when singular.
    pub fn invert(&self) -> Option<Homography> {
        let m = &self.0;
        let cof = |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
        let adj = [
            [cof(1, 2, 1, 2), -cof(0, 2, 1, 2), cof(0, 1, 1, 2)],
            [-cof(1, 2, 0, 2), cof(0, 2, 0, 2), -cof(0, 1, 0, 2)],
            [cof(1, 2, 0, 1), -cof(0, 2, 0, 1), cof(0, 1, 0, 1)],
        ];
        let det = m[0][0] * adj[0][0] + m[0][1] * adj[1][0] + m[0][2] * adj[2][0];
        // Relative test: by Hadamard's inequality |det| is at most the product of the row norms, a
        // bound that follows the matrix's scale (page-sized translations included).
        let bound: f64 = m.iter().map(|r| r.iter().map(|v| v * v).sum::<f64>().sqrt()).product();
        if !det.is_finite() || !bound.is_finite() || det.abs() <= 1e-12 * bound {
            return None;
        }
        let mut inv = [[0f64; 3]; 3];
        for (r, row) in inv.iter_mut().enumerate() {
            for (c, v) in row.iter_mut().enumerate() {
                *v = adj[r][c] / det;
            }
        }
        Some(Homography(inv))
    }

    /// Map a point; `None` when it goes to infinity (on the horizon line of the map).
    pub fn apply(&self, x: f32, y: f32) -> Option<(f32, f32)> {
        let (x, y) = (f64::from(x), f64::from(y));
        let m = &self.0;
        let w = m[2][0] * x + m[2][1] * y + m[2][2];
        if w.abs() < 1e-12 {
            return None;
        }
        let u = (m[0][0] * x + m[0][1] * y + m[0][2]) / w;
        let v = (m[1][0] * x + m[1][1] * y + m[1][2]) / w;
        (u.is_finite() && v.is_finite()).then_some((u as f32, v as f32))
    }
}

/// Solve the 8x8 system held as an augmented matrix (column 8 is the right-hand side) by Gaussian
/// elimination with partial pivoting; `None` when it is singular.
fn solve8(a: &mut [[f64; 9]; 8]) -> Option<[f64; 8]> {
    let scale = a.iter().flat_map(|r| &r[..8]).fold(0f64, |acc, v| acc.max(v.abs()));
    if scale == 0.0 {
        return None;
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= 1e-12 * scale {
            return None;
        }
        a.swap(col, pivot);
        let (top, below) = a.split_at_mut(col + 1);
        let p = &top[col];
        for r in below.iter_mut() {
            let f = r[col] / p[col];
            if f != 0.0 {
                for (v, pv) in r[col..].iter_mut().zip(&p[col..]) {
                    *v -= f * pv;
                }
            }
        }
    }
    let mut x = [0f64; 8];
    for row in (0..8).rev() {
        let s: f64 = (row + 1..8).map(|k| a[row][k] * x[k]).sum();
        x[row] = (a[row][8] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f32, f32), b: [f32; 2], tol: f32) -> bool {
        (a.0 - b[0]).abs() < tol && (a.1 - b[1]).abs() < tol
    }

    #[test]
    fn maps_the_four_points_and_inverts() {
        let src = [[12.0, 30.0], [400.5, 22.0], [410.0, 80.0], [8.0, 95.0]];
        let dst = [[0.0, 0.0], [390.0, 0.0], [390.0, 60.0], [0.0, 60.0]];
        let h = Homography::from_points(&src, &dst).expect("regular quad");
        let inv = h.invert().expect("invertible");
        for (s, d) in src.iter().zip(&dst) {
            assert!(close(h.apply(s[0], s[1]).expect("finite"), *d, 1e-3));
            assert!(close(inv.apply(d[0], d[1]).expect("finite"), *s, 1e-3));
        }
        // An interior point round-trips too.
        let (u, v) = h.apply(200.0, 50.0).expect("finite");
        assert!(close(inv.apply(u, v).expect("finite"), [200.0, 50.0], 1e-3));
    }

    #[test]
    fn translation_and_identity() {
        let sq = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let moved = sq.map(|p| [p[0] + 5.0, p[1] - 2.0]);
        let h = Homography::from_points(&sq, &moved).expect("translation");
        assert!(close(h.apply(0.5, 0.5).expect("finite"), [5.5, -1.5], 1e-5));
        let id = Homography::from_points(&sq, &sq).expect("identity");
        for (r, row) in id.0.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                assert!((v - Homography::IDENTITY.0[r][c]).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn degenerate_points_are_refused() {
        let sq = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let line = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]];
        assert!(Homography::from_points(&sq, &line).is_none());
        assert!(Homography::from_points(&line, &sq).is_none());
        assert!(Homography::from_points(&[[0.0; 2]; 4], &sq).is_none());
        let nan = [[f32::NAN, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert!(Homography::from_points(&nan, &sq).is_none());
        assert!(Homography([[0.0; 3]; 3]).invert().is_none());
    }

    #[test]
    fn horizon_maps_to_none() {
        // w = x - 1: the line x = 1 goes to infinity.
        let h = Homography([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, -1.0]]);
        assert!(h.apply(1.0, 3.0).is_none());
        assert!(h.apply(2.0, 3.0).is_some());
    }
}
