//! Find the sheet of paper in a camera photo: the four corners of the largest bright, low-saturation
//! region, refined by fitting a line to each side.
//!
//! Works on a copy scaled so its longer side is [`WORK_SIDE`] pixels: the page is large in the frame,
//! so this keeps the cost at a few milliseconds whatever the camera resolution.

use serde::{Deserialize, Serialize};

use crate::image::{Rgb8, resize_bilinear};

/// Longer side of the working copy.
pub const WORK_SIDE: usize = 480;
/// Most of the frame's border a sheet found by the second split (see [`find_sheet_on_light_desk`]) may touch: a
/// sheet held or lying in the frame touches it along a side at most (under a quarter of it).
const MAX_BORDER_SHARE_SPLIT: f32 = 0.1;

/// Corners of the sheet in photo pixels, in image order: top-left, top-right, bottom-right,
/// bottom-left (as the sheet appears in the photo, whatever its content's rotation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub corners: [[f32; 2]; 4],
    /// Share of the photo the sheet covers.
    pub coverage: f32,
    /// No outline was found and the whole frame is taken as the page (a near-white desk, or a page
    /// larger than the photo); callers confirm there is text before calling it a page.
    pub full_frame: bool,
}

/// Why no sheet was found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NoSheet {
    /// No bright, paper-like region large enough.
    NothingPaperLike { largest_share: f32 },
    /// A paper-like region, but not a quadrilateral of page proportions.
    NotAPage { aspect: f32 },
}

/// The sheet's corners, or why there is none. `min_share` is the smallest share of the photo a
/// sheet may cover.
pub fn find_sheet(photo: &Rgb8, min_share: f32) -> Result<Sheet, NoSheet> {
    sheet_in(photo, min_share, false)
}

/// As [`find_sheet`], for a photo in which it found the whole frame and nothing on it: the paper-like
/// pixels are split once more, so that a sheet brighter than a light grey desk (which passed for
/// paper beside a dark shadow) stands alone. Only a sheet well inside the frame is returned.
pub fn find_sheet_on_light_desk(photo: &Rgb8, min_share: f32) -> Result<Sheet, NoSheet> {
    sheet_in(photo, min_share, true)
}

fn sheet_in(photo: &Rgb8, min_share: f32, split_bright: bool) -> Result<Sheet, NoSheet> {
    let (w, h) = (photo.width(), photo.height());
    if w < 16 || h < 16 {
        return Err(NoSheet::NothingPaperLike { largest_share: 0.0 });
    }
    let scale = WORK_SIDE as f32 / w.max(h) as f32;
    let (sw, sh) = (((w as f32 * scale).round() as usize).max(8), ((h as f32 * scale).round() as usize).max(8));
    let Ok(mut small) = Rgb8::zeros(sw, sh) else {
        return Err(NoSheet::NothingPaperLike { largest_share: 0.0 });
    };
    resize_bilinear(photo, &mut small);

    let (score, threshold) = paper_score(&small);
    let region_above = |t: u8| {
        let mask: Vec<bool> = score.iter().map(|&s| s > t).collect();
        let (region, area) = largest_region(&mask, sw, sh);
        (fill_holes(&region, sw, sh), area as f32 / (sw * sh) as f32)
    };
    let (mut filled, mut share) = region_above(threshold);
    if share < min_share {
        return Err(NoSheet::NothingPaperLike { largest_share: share });
    }
    if split_bright && border_share(&filled, sw, sh) > 0.3 {
        // A light grey desk passes for paper beside a dark shadow, and the two together run off the
        // frame. Split the paper-like pixels once more: a sheet brighter than the desk stands alone,
        // well inside the frame. A page larger than the photo, split by its own lighting, still
        // runs off the frame and stays the whole frame.
        let bright: Vec<u8> = score.iter().copied().filter(|&s| s > threshold).collect();
        let second = otsu(&bright);
        if second > threshold {
            let (f, sh2) = region_above(second);
            if sh2 >= min_share && border_share(&f, sw, sh) <= MAX_BORDER_SHARE_SPLIT {
                (filled, share) = (f, sh2);
            }
        }
    }
    if border_share(&filled, sw, sh) > 0.3 {
        // The paper-like region runs off the frame: a near-white desk, or a page larger than the
        // photo. Its outline says nothing about the sheet, so take the whole frame as the page; text
        // detection copes with the remaining tilt, and orientation is decided from the text.
        let (fw, fh) = (w as f32, h as f32);
        return Ok(Sheet { corners: [[0.0, 0.0], [fw, 0.0], [fw, fh], [0.0, fh]], coverage: 1.0, full_frame: true });
    }
    let boundary = boundary_points(&filled, sw, sh);
    let hull = convex_hull(boundary);
    let Some(quad) = max_area_quad(&hull) else {
        return Err(NoSheet::NotAPage { aspect: 0.0 });
    };
    let quad = refine_sides(&quad, &hull);
    // A shadow over a corner cuts the bright region (and so the quad above) short of the sheet's
    // edges; the edges themselves are still sharp straight lines. Prefer the tightest quadrilateral of
    // strong straight edges that holds the whole bright region, when there is one.
    let quad = super::edges::enclosing_edge_quad(&small, &filled, sw, sh).unwrap_or(quad);
    let corners = order_corners(quad.map(|p| [p[0] / scale, p[1] / scale]));
    let aspect = side_aspect(&corners);
    // A4 is 1.41; allow for perspective (up to ~25 degrees of tilt) and other paper sizes.
    if !(1.0..=2.2).contains(&aspect) || !convex(&corners) {
        return Err(NoSheet::NotAPage { aspect });
    }
    Ok(Sheet { corners, coverage: share, full_frame: false })
}

/// Paper-likeness of each pixel (bright and unsaturated: value minus twice the channel spread) and
/// the Otsu threshold between paper and the rest (at least 90).
fn paper_score(img: &Rgb8) -> (Vec<u8>, u8) {
    let score: Vec<u8> = img
        .data()
        .chunks_exact(3)
        .map(|p| {
            let max = p[0].max(p[1]).max(p[2]);
            let min = p[0].min(p[1]).min(p[2]);
            max.saturating_sub((max - min).saturating_mul(2))
        })
        .collect();
    let t = otsu(&score).max(90);
    (score, t)
}

/// A shadow over part of the sheet makes that part fail the paper threshold, and the sheet's outline
/// then cuts across it. Grow the region into connected pixels at least 45% as paper-like as the
/// region's median (shadows darken paper to 55-85%) through smooth change only; if the growth leaks into the background (it
/// reaches a tenth of the photo's border), keep the region as it was.
fn otsu(values: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &v in values {
        hist[v as usize] += 1;
    }
    let total = values.len() as f64;
    let sum: f64 = hist.iter().enumerate().map(|(i, &c)| i as f64 * c as f64).sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0f64, 0f64, -1f64, 128u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        if w0 == 0.0 || w0 == total {
            continue;
        }
        sum0 += t as f64 * c as f64;
        let (m0, m1) = (sum0 / w0, (sum - sum0) / (total - w0));
        let between = w0 * (total - w0) * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// The largest 4-connected region of `mask` (as a mask) and its area.
fn largest_region(mask: &[bool], w: usize, h: usize) -> (Vec<bool>, usize) {
    let mut label = vec![0u32; mask.len()];
    let (mut best_label, mut best_area, mut next) = (0u32, 0usize, 1u32);
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || label[start] != 0 {
            continue;
        }
        let mut area = 0;
        label[start] = next;
        stack.push(start);
        while let Some(i) = stack.pop() {
            area += 1;
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if mask[j] && label[j] == 0 {
                    label[j] = next;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        if area > best_area {
            best_area = area;
            best_label = next;
        }
        next += 1;
    }
    (label.iter().map(|&l| l == best_label && l != 0).collect(), best_area)
}

/// Everything not reachable from the border through non-region pixels becomes region (text, holes).
fn fill_holes(region: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut outside = vec![false; region.len()];
    let mut stack: Vec<usize> = Vec::new();
    for x in 0..w {
        stack.push(x);
        stack.push((h - 1) * w + x);
    }
    for y in 0..h {
        stack.push(y * w);
        stack.push(y * w + w - 1);
    }
    while let Some(i) = stack.pop() {
        if region[i] || outside[i] {
            continue;
        }
        outside[i] = true;
        let (x, y) = (i % w, i / w);
        if x > 0 {
            stack.push(i - 1);
        }
        if x + 1 < w {
            stack.push(i + 1);
        }
        if y > 0 {
            stack.push(i - w);
        }
        if y + 1 < h {
            stack.push(i + w);
        }
    }
    outside.iter().map(|&o| !o).collect()
}

/// Share of the image's border pixels that belong to `region`.
fn border_share(region: &[bool], w: usize, h: usize) -> f32 {
    let on = (0..w).filter(|&x| region[x]).count()
        + (0..w).filter(|&x| region[(h - 1) * w + x]).count()
        + (0..h).filter(|&y| region[y * w]).count()
        + (0..h).filter(|&y| region[y * w + w - 1]).count();
    on as f32 / (2 * (w + h)) as f32
}

/// Region pixels with a non-region 4-neighbour (or on the image border).
fn boundary_points(region: &[bool], w: usize, h: usize) -> Vec<[f32; 2]> {
    let mut pts = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if !region[i] {
                continue;
            }
            let edge = x == 0
                || y == 0
                || x + 1 == w
                || y + 1 == h
                || !region[i - 1]
                || !region[i + 1]
                || !region[i - w]
                || !region[i + w];
            if edge {
                pts.push([x as f32 + 0.5, y as f32 + 0.5]);
            }
        }
    }
    pts
}

/// Andrew's monotone chain; counter-clockwise in image coordinates (y down) is clockwise on screen.
pub(crate) fn convex_hull(mut pts: Vec<[f32; 2]>) -> Vec<[f32; 2]> {
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: [f32; 2], a: [f32; 2], b: [f32; 2]| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let mut hull: Vec<[f32; 2]> = Vec::with_capacity(pts.len() * 2);
    for &p in pts.iter().chain(pts.iter().rev().skip(1)) {
        while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
            hull.pop();
        }
        hull.push(p);
    }
    hull.pop();
    hull
}

fn polygon_area(p: &[[f32; 2]]) -> f32 {
    let n = p.len();
    (0..n).map(|i| p[i][0] * p[(i + 1) % n][1] - p[(i + 1) % n][0] * p[i][1]).sum::<f32>().abs() / 2.0
}

/// The largest-area quadrilateral with vertices on the hull (hull thinned to at most 48 vertices).
fn max_area_quad(hull: &[[f32; 2]]) -> Option<[[f32; 2]; 4]> {
    if hull.len() < 4 {
        return None;
    }
    let step = hull.len().div_ceil(48);
    let h: Vec<[f32; 2]> = hull.iter().step_by(step).copied().collect();
    let n = h.len();
    if n < 4 {
        return None;
    }
    let mut best = (0f32, [0usize; 4]);
    for a in 0..n {
        for b in a + 1..n {
            for c in b + 1..n {
                for d in c + 1..n {
                    let area = polygon_area(&[h[a], h[b], h[c], h[d]]);
                    if area > best.0 {
                        best = (area, [a, b, c, d]);
                    }
                }
            }
        }
    }
    (best.0 > 0.0).then(|| best.1.map(|i| h[i]))
}

/// Fit a line to the hull points near each side of `quad` and intersect neighbours: corners that
/// rounded shadows or a dog-ear pulled inwards move back onto the page edges.
fn refine_sides(quad: &[[f32; 2]; 4], hull: &[[f32; 2]]) -> [[f32; 2]; 4] {
    let mut lines = [[0f32; 3]; 4];
    for i in 0..4 {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        let len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt().max(1e-3);
        let (nx, ny) = (-(b[1] - a[1]) / len, (b[0] - a[0]) / len);
        let c = -(nx * a[0] + ny * a[1]);
        // Points within 3% of the side length of the side, away from the corners.
        let near: Vec<[f32; 2]> = hull
            .iter()
            .copied()
            .filter(|p| {
                let t = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / (len * len);
                (0.1..=0.9).contains(&t) && (nx * p[0] + ny * p[1] + c).abs() < 0.03 * len + 2.0
            })
            .collect();
        lines[i] = fit_line(&near).unwrap_or([nx, ny, c]);
    }
    let mut out = *quad;
    for (i, corner) in out.iter_mut().enumerate() {
        if let Some(p) = intersect(lines[(i + 3) % 4], lines[i]) {
            // Keep the refinement only when it stays close to the hull corner.
            if (p[0] - corner[0]).abs() < 12.0 && (p[1] - corner[1]).abs() < 12.0 {
                *corner = p;
            }
        }
    }
    out
}

/// Total least squares line `n . p + c = 0` through `pts`.
fn fit_line(pts: &[[f32; 2]]) -> Option<[f32; 3]> {
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f32;
    let (mx, my) = pts.iter().fold((0.0, 0.0), |(x, y), p| (x + p[0] / n, y + p[1] / n));
    let (mut sxx, mut sxy, mut syy) = (0f32, 0f32, 0f32);
    for p in pts {
        let (dx, dy) = (p[0] - mx, p[1] - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // Direction of the largest eigenvector; the normal is perpendicular.
    let theta = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (nx, ny) = (-theta.sin(), theta.cos());
    Some([nx, ny, -(nx * mx + ny * my)])
}

fn intersect(l1: [f32; 3], l2: [f32; 3]) -> Option<[f32; 2]> {
    let det = l1[0] * l2[1] - l2[0] * l1[1];
    if det.abs() < 1e-6 {
        return None;
    }
    Some([(l1[1] * l2[2] - l2[1] * l1[2]) / det, (l2[0] * l1[2] - l1[0] * l2[2]) / det])
}

/// Order four points as top-left, top-right, bottom-right, bottom-left.
pub fn order_corners(mut p: [[f32; 2]; 4]) -> [[f32; 2]; 4] {
    let cx = p.iter().map(|q| q[0]).sum::<f32>() / 4.0;
    let cy = p.iter().map(|q| q[1]).sum::<f32>() / 4.0;
    // Clockwise on screen (y down) starting from the top-left quadrant.
    p.sort_by(|a, b| (a[1] - cy).atan2(a[0] - cx).total_cmp(&(b[1] - cy).atan2(b[0] - cx)));
    // atan2 order starts at -pi (left); rotate so the point with the smallest x+y comes first.
    let first = (0..4).min_by(|&i, &j| (p[i][0] + p[i][1]).total_cmp(&(p[j][0] + p[j][1]))).unwrap_or(0);
    p.rotate_left(first);
    p
}

/// Longer over shorter mean side length.
fn side_aspect(c: &[[f32; 2]; 4]) -> f32 {
    let d = |a: [f32; 2], b: [f32; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let horizontal = (d(c[0], c[1]) + d(c[3], c[2])) / 2.0;
    let vertical = (d(c[0], c[3]) + d(c[1], c[2])) / 2.0;
    horizontal.max(vertical) / horizontal.min(vertical).max(1e-3)
}

fn convex(c: &[[f32; 2]; 4]) -> bool {
    let cross = |o: [f32; 2], a: [f32; 2], b: [f32; 2]| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let signs: Vec<bool> = (0..4).map(|i| cross(c[i], c[(i + 1) % 4], c[(i + 2) % 4]) > 0.0).collect();
    signs.iter().all(|&s| s) || signs.iter().all(|&s| !s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white quadrilateral on a brown background.
    fn photo_with_quad(w: usize, h: usize, quad: [[f32; 2]; 4]) -> Rgb8 {
        let mut data = Vec::with_capacity(w * h * 3);
        let inside = |x: f32, y: f32| {
            (0..4).all(|i| {
                let (a, b) = (quad[i], quad[(i + 1) % 4]);
                (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0.0
            })
        };
        for y in 0..h {
            for x in 0..w {
                let p = if inside(x as f32 + 0.5, y as f32 + 0.5) { [235, 233, 228] } else { [120, 80, 50] };
                data.extend_from_slice(&p);
            }
        }
        Rgb8::new(w, h, data).expect("photo")
    }

    #[test]
    fn finds_a_tilted_page() {
        let quad = [[220.0, 150.0], [1250.0, 210.0], [1320.0, 1800.0], [160.0, 1850.0]];
        let sheet = find_sheet(&photo_with_quad(1500, 2000, quad), 0.15).expect("sheet");
        for (got, want) in sheet.corners.iter().zip(&quad) {
            assert!((got[0] - want[0]).abs() < 12.0 && (got[1] - want[1]).abs() < 12.0, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn no_page_in_a_plain_or_tiny_photo() {
        let plain = Rgb8::new(64, 48, vec![90; 64 * 48 * 3]).expect("plain");
        assert!(find_sheet(&plain, 0.15).is_err());
        let tiny = Rgb8::new(2, 2, vec![255; 12]).expect("tiny");
        assert!(find_sheet(&tiny, 0.15).is_err());
        let empty = Rgb8::new(0, 0, vec![]).expect("empty");
        assert!(find_sheet(&empty, 0.15).is_err());
    }

    #[test]
    fn a_sheet_on_a_light_grey_desk_with_a_shadow_is_found() {
        // Paper (240, 232, 232) on a desk of (192, 192, 196), a dark shadow over the bottom fifth
        // of the frame and of the sheet: the first split puts desk and sheet together.
        let quad = [[220.0, 150.0], [1250.0, 210.0], [1320.0, 1800.0], [160.0, 1850.0]];
        let mut photo = photo_with_quad(1500, 2000, quad);
        let (w, h) = (photo.width(), photo.height());
        for (i, p) in photo.data_mut().chunks_exact_mut(3).enumerate() {
            let (x, y) = (i % w, i / w);
            let paper = p[0] == 235;
            let c: [u8; 3] = if paper { [240, 232, 232] } else { [192, 192, 196] };
            let shade = if y > h * 4 / 5 && x < w * 3 / 4 { 0.45 } else { 1.0 };
            p.copy_from_slice(&c.map(|v| (f32::from(v) * shade) as u8));
        }
        assert!(find_sheet(&photo, 0.15).expect("frame").full_frame);
        let sheet = find_sheet_on_light_desk(&photo, 0.15).expect("sheet");
        assert!(!sheet.full_frame, "{sheet:?}");
        for (got, want) in sheet.corners.iter().zip(&quad).take(2) {
            assert!((got[0] - want[0]).abs() < 16.0 && (got[1] - want[1]).abs() < 16.0, "{got:?} vs {want:?}");
        }
        // A page larger than the photo, brighter on one side: still the whole frame.
        let mut page = Rgb8::new(600, 800, vec![0; 600 * 800 * 3]).expect("page");
        for (i, p) in page.data_mut().chunks_exact_mut(3).enumerate() {
            let v = 200 + (45 * (i % 600) / 600) as u8;
            p.copy_from_slice(&[v, v, v - 4]);
        }
        assert!(find_sheet_on_light_desk(&page, 0.15).expect("frame").full_frame);
    }

    #[test]
    fn corners_are_ordered() {
        let c = order_corners([[10.0, 90.0], [90.0, 10.0], [10.0, 10.0], [90.0, 90.0]]);
        assert_eq!(c, [[10.0, 10.0], [90.0, 10.0], [90.0, 90.0], [10.0, 90.0]]);
    }
}
