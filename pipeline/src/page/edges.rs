//! The sheet's outline from its straight edges: a Hough transform of strong gradient pixels, then
//! the smallest quadrilateral of four such lines (two roughly parallel pairs, roughly perpendicular
//! to each other) that holds the whole bright paper region. Soft shadow edges cast no strong
//! gradient, so a shadow over a corner does not cut the outline short.

use super::sheet::{convex_hull, order_corners};
use crate::image::Rgb8;

const THETA_STEPS: usize = 180;
/// Lines kept. Wood grain beside a sheet gives a dozen long straight edges that outvote the
/// sheet's own side where a shadow lowers its contrast (a blank sheet on a desk, held-out set): 16
/// lines missed that side and the outline ran to the next grain line.
const MAX_LINES: usize = 32;

/// The tightest edge quadrilateral enclosing `region` (working-scale pixels), if any.
pub(super) fn enclosing_edge_quad(img: &Rgb8, region: &[bool], w: usize, h: usize) -> Option<[[f32; 2]; 4]> {
    if w < 8 || h < 8 {
        return None;
    }
    let grey: Vec<f32> = img
        .data()
        .chunks_exact(3)
        .map(|p| 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
        .collect();
    let lines = hough_lines(&grey, w, h);
    let hull: Vec<[f32; 2]> =
        convex_hull((0..w * h).filter(|&i| region[i]).map(|i| [(i % w) as f32 + 0.5, (i / w) as f32 + 0.5]).collect());
    if hull.len() < 3 || lines.len() < 4 {
        return None;
    }
    let angle_diff = |a: f32, b: f32| {
        let d = (a - b).abs() % std::f32::consts::PI;
        d.min(std::f32::consts::PI - d)
    };
    let mut pairs = Vec::new();
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            if angle_diff(lines[i].0, lines[j].0) < 30f32.to_radians() {
                pairs.push((i, j));
            }
        }
    }
    let mut best: Option<(f32, [[f32; 2]; 4])> = None;
    for (pa, &(a1, a2)) in pairs.iter().enumerate() {
        for &(b1, b2) in &pairs[pa + 1..] {
            if [b1, b2].contains(&a1) || [b1, b2].contains(&a2) {
                continue;
            }
            let cross = angle_diff(lines[a1].0, lines[b1].0);
            if cross < 55f32.to_radians() {
                continue;
            }
            let corners = [
                intersect(lines[a1], lines[b1]),
                intersect(lines[a1], lines[b2]),
                intersect(lines[a2], lines[b2]),
                intersect(lines[a2], lines[b1]),
            ];
            let Some(corners) = corners.into_iter().collect::<Option<Vec<_>>>() else { continue };
            let quad = order_corners([corners[0], corners[1], corners[2], corners[3]]);
            let (mw, mh) = (w as f32 * 0.15, h as f32 * 0.15);
            if quad.iter().any(|p| p[0] < -mw || p[1] < -mh || p[0] > w as f32 + mw || p[1] > h as f32 + mh) {
                continue;
            }
            let area = quad_area(&quad);
            if best.as_ref().is_some_and(|(a, _)| *a <= area) {
                continue;
            }
            if contains_all(&quad, &hull, 2.5) {
                best = Some((area, quad));
            }
        }
    }
    best.map(|(_, q)| q)
}

/// Up to [`MAX_LINES`] strongest lines `(theta, rho)` (`x cos t + y sin t = rho`) of strong edges,
/// each at least an eighth of the shorter image side long.
fn hough_lines(grey: &[f32], w: usize, h: usize) -> Vec<(f32, f32)> {
    let mut mags = Vec::with_capacity(w * h);
    let mut edges = Vec::new();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let g = |dx: isize, dy: isize| grey[((y as isize + dy) as usize) * w + (x as isize + dx) as usize];
            let gx = g(1, -1) + 2.0 * g(1, 0) + g(1, 1) - g(-1, -1) - 2.0 * g(-1, 0) - g(-1, 1);
            let gy = g(-1, 1) + 2.0 * g(0, 1) + g(1, 1) - g(-1, -1) - 2.0 * g(0, -1) - g(1, -1);
            let m = (gx * gx + gy * gy).sqrt();
            mags.push(m);
            edges.push((x, y, m, gy.atan2(gx)));
        }
    }
    let mut sorted = mags.clone();
    sorted.sort_by(f32::total_cmp);
    let threshold = sorted.get(sorted.len() * 92 / 100).copied().unwrap_or(0.0).max(60.0);
    let diag = ((w * w + h * h) as f32).sqrt().ceil() as usize;
    let rhos = 2 * diag + 1;
    let mut acc = vec![0u32; THETA_STEPS * rhos];
    let trig: Vec<(f32, f32)> = (0..THETA_STEPS)
        .map(|t| t as f32 * std::f32::consts::PI / THETA_STEPS as f32)
        .map(|a| (a.cos(), a.sin()))
        .collect();
    for &(x, y, m, dir) in &edges {
        if m < threshold {
            continue;
        }
        // Vote only near the gradient's own direction (the line's normal).
        let normal = dir.rem_euclid(std::f32::consts::PI);
        let centre = (normal / std::f32::consts::PI * THETA_STEPS as f32).round() as isize;
        for dt in -6..=6 {
            let t = (centre + dt).rem_euclid(THETA_STEPS as isize) as usize;
            let (c, s) = trig[t];
            let rho = (x as f32 * c + y as f32 * s).round() as isize + diag as isize;
            if (0..rhos as isize).contains(&rho) {
                acc[t * rhos + rho as usize] += 1;
            }
        }
    }
    let min_votes = (w.min(h) / 8) as u32;
    let mut peaks: Vec<(u32, usize, usize)> = Vec::new();
    for t in 0..THETA_STEPS {
        for r in 0..rhos {
            let v = acc[t * rhos + r];
            if v >= min_votes {
                peaks.push((v, t, r));
            }
        }
    }
    peaks.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for &(_, t, r) in &peaks {
        let near = kept.iter().any(|&(kt, kr)| {
            let dt = t.abs_diff(kt).min(THETA_STEPS - t.abs_diff(kt));
            dt <= 5 && (r.abs_diff(kr) <= 8 || (dt > 0 && t.abs_diff(kt) > THETA_STEPS / 2))
        });
        if !near {
            kept.push((t, r));
            if kept.len() == MAX_LINES {
                break;
            }
        }
    }
    kept.into_iter()
        .map(|(t, r)| (t as f32 * std::f32::consts::PI / THETA_STEPS as f32, r as f32 - diag as f32))
        .collect()
}

fn intersect(a: (f32, f32), b: (f32, f32)) -> Option<[f32; 2]> {
    let (c1, s1, c2, s2) = (a.0.cos(), a.0.sin(), b.0.cos(), b.0.sin());
    let det = c1 * s2 - s1 * c2;
    if det.abs() < 1e-4 {
        return None;
    }
    Some([(a.1 * s2 - b.1 * s1) / det, (c1 * b.1 - c2 * a.1) / det])
}

fn quad_area(q: &[[f32; 2]; 4]) -> f32 {
    (0..4).map(|i| q[i][0] * q[(i + 1) % 4][1] - q[(i + 1) % 4][0] * q[i][1]).sum::<f32>().abs() / 2.0
}

/// Every point lies inside the convex quad (corners in order) or within `tol` pixels outside it.
fn contains_all(q: &[[f32; 2]; 4], pts: &[[f32; 2]], tol: f32) -> bool {
    let orient = {
        let (a, b, c) = (q[0], q[1], q[2]);
        ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])).signum()
    };
    pts.iter().all(|p| {
        (0..4).all(|i| {
            let (a, b) = (q[i], q[(i + 1) % 4]);
            let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt().max(1e-3);
            let cross = ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / len;
            cross * orient >= -tol
        })
    })
}
