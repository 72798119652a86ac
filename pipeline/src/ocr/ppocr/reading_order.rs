//! Reading order of text boxes: rows top to bottom, boxes left to right within a row, in the frame of
//! the page's text lines, so that a page photographed a few degrees off keeps its rows.

use super::db_postprocess::Quad;

/// Sort `quads` into reading order. The text direction is the median direction of the boxes' top
/// edges (of the boxes wider than high; none: horizontal), and positions are taken along it and
/// across it. Boxes are taken by centre across the lines; a box joins the current row when its
/// centre is less than half a line height (the smaller of its own and the row's first box's) past
/// the centre of the row's first box. Within a row, boxes go by their top-left corner along the lines.
pub fn reading_order(quads: &mut Vec<Quad>) {
    let dist = |a: [f32; 2], b: [f32; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let (sin, cos) = text_direction(quads).sin_cos();
    // (across the lines, line height, along the lines, box)
    let mut keyed: Vec<(f32, f32, f32, Quad)> = quads
        .iter()
        .map(|q| {
            let cx = (q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4.0;
            let cy = (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4.0;
            let h = (dist(q[0], q[3]) + dist(q[1], q[2])) / 2.0;
            (cy * cos - cx * sin, h, q[0][0] * cos + q[0][1] * sin, *q)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    quads.clear();
    let mut row_start = 0;
    for i in 0..keyed.len() {
        let (anchor, anchor_h) = (keyed[row_start].0, keyed[row_start].1);
        let (across, h) = (keyed[i].0, keyed[i].1);
        if across - anchor >= 0.5 * h.min(anchor_h).max(1.0) {
            flush_row(&mut keyed[row_start..i], quads);
            row_start = i;
        }
    }
    flush_row(&mut keyed[row_start..], quads);
}

/// Median angle (radians, y down) of the top edges of the boxes wider than high; 0 when none is.
fn text_direction(quads: &[Quad]) -> f32 {
    let mut angles: Vec<f32> = quads
        .iter()
        .filter_map(|q| {
            let (dx, dy) = (q[1][0] - q[0][0], q[1][1] - q[0][1]);
            let high = ((q[3][0] - q[0][0]).powi(2) + (q[3][1] - q[0][1]).powi(2)).sqrt();
            let angle = dy.atan2(dx);
            (dx > 0.0 && (dx * dx + dy * dy).sqrt() > high && angle.is_finite()).then_some(angle)
        })
        .collect();
    if angles.is_empty() {
        return 0.0;
    }
    let mid = angles.len() / 2;
    let (_, median, _) = angles.select_nth_unstable_by(mid, f32::total_cmp);
    *median
}

fn flush_row(row: &mut [(f32, f32, f32, Quad)], out: &mut Vec<Quad>) {
    row.sort_by(|a, b| a.2.total_cmp(&b.2));
    out.extend(row.iter().map(|r| r.3));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, w: f32, h: f32) -> Quad {
        [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
    }

    #[test]
    fn rows_then_columns() {
        let title = rect(400.0, 90.0, 280.0, 50.0);
        let left = rect(100.0, 1407.0, 450.0, 31.0);
        let right = rect(700.0, 1405.0, 420.0, 29.0); // a smaller font, a little higher
        let body = rect(100.0, 230.0, 340.0, 31.0);
        let next = rect(100.0, 274.0, 520.0, 31.0);
        let mut quads = vec![right, next, left, title, body];
        reading_order(&mut quads);
        assert_eq!(quads, vec![title, body, next, left, right]);
    }

    #[test]
    fn lines_half_a_line_apart_are_different_rows() {
        let a = rect(500.0, 100.0, 100.0, 30.0);
        let b = rect(10.0, 116.0, 100.0, 30.0); // 16 px lower: more than half of 30
        let mut quads = vec![b, a];
        reading_order(&mut quads);
        assert_eq!(quads, vec![a, b]);
        let c = rect(10.0, 110.0, 100.0, 30.0); // 10 px lower: same row, left first
        let mut quads = vec![a, c];
        reading_order(&mut quads);
        assert_eq!(quads, vec![c, a]);
    }

    #[test]
    fn rows_follow_a_tilted_page() {
        // The page turned 3 degrees counter-clockwise (y down: the right side goes up).
        let (sin, cos) = (-3f32).to_radians().sin_cos();
        let turn = |q: Quad| q.map(|[x, y]| [x * cos - y * sin, x * sin + y * cos]);
        let left = turn(rect(100.0, 1407.0, 450.0, 31.0));
        let right = turn(rect(700.0, 1405.0, 420.0, 29.0));
        let above = turn(rect(100.0, 1363.0, 520.0, 31.0));
        let below = turn(rect(700.0, 1450.0, 240.0, 31.0));
        // The right box's centre is about 33 px above the left one's, more than half a line.
        assert!(left[0][1] - right[0][1] > 30.0);
        let mut quads = vec![below, right, left, above];
        reading_order(&mut quads);
        assert_eq!(quads, vec![above, left, right, below]);
    }

    #[test]
    fn empty_and_degenerate() {
        let mut none: Vec<Quad> = Vec::new();
        reading_order(&mut none);
        assert!(none.is_empty());
        let mut odd = vec![[[f32::NAN; 2]; 4], rect(0.0, 0.0, 0.0, 0.0), rect(1.0, 1.0, 1.0, 1.0)];
        reading_order(&mut odd);
        assert_eq!(odd.len(), 3);
    }
}
