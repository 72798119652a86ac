//! The axis-aligned bounds of a quadrilateral (a text line's polygon, a finding's box).

/// `[x0, y0, x1, y1]`: the smallest and largest x and y of `q`'s corners. A NaN corner is
/// skipped by the min/max; callers that may see one check `is_finite` first.
pub fn quad_bounds(q: &[[f32; 2]; 4]) -> [f32; 4] {
    let xs = q.iter().map(|p| p[0]);
    let ys = q.iter().map(|p| p[1]);
    [
        xs.clone().fold(f32::INFINITY, f32::min),
        ys.clone().fold(f32::INFINITY, f32::min),
        xs.fold(f32::NEG_INFINITY, f32::max),
        ys.fold(f32::NEG_INFINITY, f32::max),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_of_a_turned_quad() {
        assert_eq!(quad_bounds(&[[5.0, 1.0], [9.0, 3.0], [7.0, 8.0], [2.0, 6.0]]), [2.0, 1.0, 9.0, 8.0]);
        assert_eq!(quad_bounds(&[[1.0, 1.0]; 4]), [1.0, 1.0, 1.0, 1.0]);
    }
}
