//! Resample an impression's ink onto a square canvas in its outline's normalised frame (an ellipse
//! made a circle, a rectangle a square, the outline at radius 1), turned by a given angle, so that a
//! registered seal and an impression of it, once their rotation is known, overlay cell for cell.
//!
//! A cell holds the seal ink's tone there: the mean paper-normalised chroma of its seal-coloured
//! pixels (an area average; cells no pixel falls in, on a small impression, take the nearest pixel)
//! over the impression's full-ink level. A pale or unevenly inked impression keeps its strokes'
//! shape in the tone where a class threshold would cut them into blotches, and the correlation the
//! windows are compared with ignores the tone's overall level. A cell is invalid where dark text
//! touches it or its four neighbours, outside the page, or where the caller says the impression did
//! not print (a missing part of the ring, by angle).

use super::SealShape;
use super::geometry::{Frame, clip_box, fast_atan2, norm};
use super::ncc::Sums;
use super::segment::{InkClass, InkLayers};

/// Cells per side: a cell is 0.0087 of the radius, 1.5 px on a seal of radius 170 (40 mm at
/// 216 dpi, or a 1500x2000 page of A4).
pub(crate) const SIDE: usize = 240;
/// The canvas covers `-EXTENT..EXTENT` of normalised coordinates on both axes.
pub(crate) const EXTENT: f64 = 1.04;
/// Cells are filled up to this normalised radius: windows centred inside the outline reach 1.16.
const RENDER_RHO: f64 = 1.2;
/// Cells past this normalised radius (the ring: engraved rings are 0.05-0.08 of the radius thick,
/// the company name ends about 0.06 inside them) are never compared; a seal with a thicker ring or
/// border stops earlier (see [`content_rho`]).
const CONTENT_RHO: f64 = 0.9;
/// Kept between the ring's measured inner edge and the compared content: ink spread and the fit's
/// size error move the inner edge by 2-3% of the radius, and a sliver of border in a window where
/// the template has none scores that window 0 (the thick borders of square personal seals did so
/// on 10% of right impressions on the calibration set).
const RING_MARGIN: f64 = 0.05;

/// The normalised radius up to which a seal whose ring (or border) is `ring_px` thick is compared:
/// its inner edge less a margin, in the shape's frame (the ring over the shorter half-axis, so an
/// oval or a rectangle errs towards comparing less), never past [`CONTENT_RHO`] nor inside 0.6.
pub(crate) fn content_rho(shape: &SealShape, ring_px: f32) -> f64 {
    let half_minor = match *shape {
        SealShape::Circle { radius, .. } => radius,
        SealShape::Ellipse { semi_axes, .. } => semi_axes[1],
        SealShape::Rectangle { size, .. } => size[1] / 2.0,
    };
    let rel = if half_minor > 0.0 && ring_px.is_finite() { f64::from(ring_px / half_minor) } else { 0.0 };
    (1.0 - rel.max(0.0) - RING_MARGIN).clamp(0.6, CONTENT_RHO)
}

/// Share of an impression's seal-coloured pixels whose chroma is at most its full-ink level: the
/// strokes' bodies print at about that level, their edges and thin spots below it.
const FULL_INK_QUANTILE: f64 = 0.8;

/// Seal-ink tone (0..1, 1 from the impression's full-ink level up) on `SIDE` x `SIDE` cells,
/// row-major.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Canvas {
    pub ink: Vec<f32>,
    pub valid: Vec<bool>,
}

impl Canvas {
    #[cfg(test)]
    pub fn at(&self, x: usize, y: usize) -> f32 {
        if x >= SIDE { 0.0 } else { self.ink.get(y * SIDE + x).copied().unwrap_or(0.0) }
    }
}

/// The canvas of `layers` around `shape`, turned by `-turn_rad` (so content that is `turn_rad`
/// clockwise of the template lands where the template has it), classes in `colours` counting as ink.
/// `printed(phi)` says whether the impression printed at outline angle `phi` (radians, the shape's
/// frame). Cells past the normalised radius `content` (see [`content_rho`]) are left out. Only cells within `RENDER_RHO` of the centre are filled (the windows reach no further).
/// `None` for a shape without a frame.
pub(crate) fn render(
    layers: &InkLayers,
    shape: &SealShape,
    colours: [bool; 6],
    turn_rad: f64,
    content: f64,
    printed: &dyn Fn(f64) -> bool,
) -> Option<Canvas> {
    let frame = Frame::of(shape)?;
    let n = SIDE * SIDE;
    let (mut ink, mut dark, mut count) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
    // Chromas of the seal-coloured pixels, for the full-ink level.
    let mut chromas = [0u32; 256];
    let (s, c) = (-turn_rad).sin_cos();
    let scale = SIDE as f64 / (2.0 * EXTENT);
    let [ox, oy] = layers.origin.map(|v| v as f64);
    let b = frame.bbox(RENDER_RHO);
    let (x0, y0, x1, y1) = clip_box([b[0] - ox, b[1] - oy, b[2] - ox, b[3] - oy], layers.width, layers.height);
    for y in y0..y1 {
        let base = y * layers.width;
        let (Some(row), Some(chroma_row)) =
            (layers.class.get(base + x0..base + x1), layers.strength.get(base + x0..base + x1))
        else {
            break;
        };
        for (dx, (&class, &chroma)) in row.iter().zip(chroma_row).enumerate() {
            let (nx, ny) = frame.normalised((x0 + dx) as f64 + ox, y as f64 + oy);
            // Turn, then to cells.
            let fx = (c * nx - s * ny + EXTENT) * scale;
            let fy = (s * nx + c * ny + EXTENT) * scale;
            if !(fx >= 0.0 && fy >= 0.0 && fx < SIDE as f64 && fy < SIDE as f64) {
                continue;
            }
            let i = fy as usize * SIDE + fx as usize;
            if let (Some(k), Some(a), Some(d)) = (count.get_mut(i), ink.get_mut(i), dark.get_mut(i)) {
                *k += 1;
                let tone = seal_tone(colours, class, chroma);
                *a += u32::from(tone);
                *d += u32::from(class == InkClass::Dark as u8);
                if tone > 0
                    && let Some(h) = chromas.get_mut(usize::from(tone))
                {
                    *h += 1;
                }
            }
        }
    }
    let full = f32::from(full_ink_level(&chromas));
    let mut out = Canvas { ink: vec![0.0; n], valid: vec![false; n] };
    let (sb, cb) = turn_rad.sin_cos();
    let dark_at = |x: Option<usize>, y: Option<usize>| match (x, y) {
        (Some(x), Some(y)) if x < SIDE => dark.get(y * SIDE + x).is_some_and(|&v| v > 0),
        _ => false,
    };
    for (i, (o, v)) in out.ink.iter_mut().zip(out.valid.iter_mut()).enumerate() {
        let (x, y) = (i % SIDE, i / SIDE);
        let tx = (x as f64 + 0.5) / scale - EXTENT;
        let ty = (y as f64 + 0.5) / scale - EXTENT;
        if norm(tx, ty) > RENDER_RHO {
            continue;
        }
        // The outline's own ring or border is left out: the fit has measured it, and a window that
        // holds only a sliver of its inner edge compares nothing but that edge's anti-aliasing.
        let rho = if frame.is_square() { tx.abs().max(ty.abs()) } else { norm(tx, ty) };
        if rho > content.min(CONTENT_RHO) {
            continue;
        }
        // Back to the impression's own frame for its angle and, when needed, its nearest pixel.
        let (nx, ny) = (cb * tx - sb * ty, sb * tx + cb * ty);
        if !printed(fast_atan2(ny, nx)) {
            continue;
        }
        let (k, a) = (count.get(i).copied().unwrap_or(0), ink.get(i).copied().unwrap_or(0));
        if k > 0 {
            // Text hides the seal under and next to its strokes (anti-aliased edges, ink spread):
            // no dark pixel in the cell or its four neighbours.
            let near_dark = dark_at(Some(x), Some(y))
                || dark_at(x.checked_sub(1), Some(y))
                || dark_at(Some(x + 1), Some(y))
                || dark_at(Some(x), y.checked_sub(1))
                || dark_at(Some(x), Some(y + 1));
            *o = (a as f32 / k as f32 / full).min(1.0);
            *v = !near_dark;
            continue;
        }
        // No pixel fell in this cell (a small impression): the nearest pixel to its centre.
        let Some((class, chroma)) = layers.pixel_near(frame.to_page(nx, ny)) else { continue };
        *o = (f32::from(seal_tone(colours, class as u8, chroma)) / full).min(1.0);
        *v = class != InkClass::Dark;
    }
    Some(out)
}

/// A pixel's seal-ink tone: its chroma when its class is one of `colours` (at least 1, so that
/// layers without chromas weigh every ink pixel alike), else 0.
fn seal_tone(colours: [bool; 6], class: u8, chroma: u8) -> u8 {
    if colours.get(usize::from(class)).copied().unwrap_or(false) { chroma.max(1) } else { 0 }
}

/// The chroma at [`FULL_INK_QUANTILE`] of a histogram of seal-ink chromas (at least 1).
fn full_ink_level(chromas: &[u32; 256]) -> u8 {
    let total: u64 = chromas.iter().map(|&c| u64::from(c)).sum();
    let target = (total as f64 * FULL_INK_QUANTILE).ceil() as u64;
    let mut seen = 0u64;
    for (level, &c) in chromas.iter().enumerate() {
        seen += u64::from(c);
        if seen >= target && seen > 0 {
            return (level as u8).max(1);
        }
    }
    1
}

/// `canvas` averaged over each valid cell's 3 x 3 valid neighbours, into `out` (invalid cells are
/// copied). Ink texture (the specks and pores of a real impression, a pixel or two across) differs
/// between two impressions of one seal and is not what tells two seals apart; strokes a few cells
/// wide survive it.
pub(crate) fn smooth_into(canvas: &Canvas, out: &mut Canvas) {
    out.ink.clone_from(&canvas.ink);
    out.valid.clone_from(&canvas.valid);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let i = y * SIDE + x;
            if !canvas.valid.get(i).copied().unwrap_or(false) {
                continue;
            }
            let (mut sum, mut n) = (0f32, 0u32);
            for yy in y.saturating_sub(1)..(y + 2).min(SIDE) {
                for xx in x.saturating_sub(1)..(x + 2).min(SIDE) {
                    let j = yy * SIDE + xx;
                    if canvas.valid.get(j).copied().unwrap_or(false) {
                        sum += canvas.ink.get(j).copied().unwrap_or(0.0);
                        n += 1;
                    }
                }
            }
            if let Some(o) = out.ink.get_mut(i) {
                *o = sum / n.max(1) as f32;
            }
        }
    }
}

/// Window side and stride, cells (0.21 and 0.10 of the radius: a window is about a character of
/// the company name), and how far a window may move (cells: 0.009 of the radius, a pixel and a half
/// at radius 170, for the centre's and the rotation's errors). Measured on the look-alike set of
/// `template.rs`: coarser cells (160 a side) let characters that share a radical match, finer ones
/// (320) make the right seal's own texture count.
pub(crate) const WINDOW: usize = 24;
const STRIDE: usize = 12;
const REACH: isize = 1;
/// A window whose tone varies less than `BLANK_STD` on both sides is blank (skipped); one that
/// varies less than `EMPTY_STD` on one side has no ink there, and scores 0 when the other side has a
/// stroke (varies by `STROKE_STD`: a stroke across a tenth of the window) or is skipped when it has a
/// speck.
const BLANK_STD: f64 = 0.06;
const EMPTY_STD: f64 = 0.02;
const STROKE_STD: f64 = 0.2;
/// Mean tone from which a window is solid ink.
const SOLID: f64 = 0.6;
/// Mean tone below which the middle half of a window (a quarter of its cells) holds no ink on
/// either side: the window then compares only slivers of the characters beside it, whose
/// correlation swings with a cell's move (right impressions scored 0.3-0.6 there). Windows overlap
/// by half, so every cell lies in the middle half of some window and is judged there.
const CENTRE_INK: f64 = 0.06;

/// How far the whole page canvas may be moved against the template, cells (0.035 of the radius: the
/// fitted centre's error on a smudged, cut or text-crossed outline).
const GLOBAL_REACH: isize = 4;

/// The move of the whole `page` canvas (cells) under which it correlates best with `template`.
pub(crate) fn best_offset(template: &Canvas, page: &Canvas) -> (isize, isize) {
    let mut best = ((0, 0), f64::NEG_INFINITY);
    for dy in -GLOBAL_REACH..=GLOBAL_REACH {
        for dx in -GLOBAL_REACH..=GLOBAL_REACH {
            let v = area_sums(template, page, (0, 0), SIDE, (dx, dy)).ncc().unwrap_or(-1.0);
            // Ties go to the smaller move.
            if v > best.1 + 1e-9 {
                best = ((dx, dy), v);
            }
        }
    }
    best.0
}

/// One compared window: its top-left cell and its correlation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WindowScore {
    pub at: (usize, usize),
    pub score: f64,
}

impl WindowScore {
    /// The window's centre in the canvases' normalised frame (as [`render`] maps cells).
    pub fn centre(&self) -> [f64; 2] {
        let scale = SIDE as f64 / (2.0 * EXTENT);
        let to_frame = |cell: usize| (cell + WINDOW / 2) as f64 / scale - EXTENT;
        [to_frame(self.at.0), to_frame(self.at.1)]
    }
}

/// Normalised correlation of `page` with `template` in each window inside the outline that both can
/// be compared in (seen for at least 70% of its cells, not blank), each at the best of the small
/// moves of the page window around `offset`.
pub(crate) fn window_scores(template: &Canvas, page: &Canvas, offset: (isize, isize)) -> Vec<WindowScore> {
    let mut scores = Vec::new();
    let half = (SIDE / 2) as f64;
    let mut y0 = 0;
    while y0 + WINDOW <= SIDE {
        let mut x0 = 0;
        while x0 + WINDOW <= SIDE {
            let (cx, cy) = ((x0 + WINDOW / 2) as f64 - half, (y0 + WINDOW / 2) as f64 - half);
            // Window centres inside the outline (radius 1 of EXTENT on the canvas).
            if norm(cx, cy) <= half / EXTENT
                && let Some(score) = window_score(template, page, x0, y0, offset)
            {
                scores.push(WindowScore { at: (x0, y0), score });
            }
            x0 += STRIDE;
        }
        y0 += STRIDE;
    }
    scores
}

fn window_score(template: &Canvas, page: &Canvas, x0: usize, y0: usize, offset: (isize, isize)) -> Option<f64> {
    let base = area_sums(template, page, (x0, y0), WINDOW, offset);
    if base.count() < 0.7 * (WINDOW * WINDOW) as f64 {
        return None;
    }
    let (ts, ps) = base.stds();
    if ts.max(ps) < BLANK_STD {
        return None;
    }
    let centre = area_sums(template, page, (x0 + WINDOW / 4, y0 + WINDOW / 4), WINDOW / 2, offset);
    let (centre_t, centre_p) = centre.means();
    if centre_t.max(centre_p) < CENTRE_INK {
        return None;
    }
    let (tm, pm) = base.means();
    if tm >= SOLID && pm >= SOLID {
        // Solid ink on both sides (the body of a star): only its texture would be compared.
        return None;
    }
    if ts.min(ps) < EMPTY_STD {
        // A speck on one side and nothing on the other is nothing to judge; a stroke is a mismatch.
        return (ts.max(ps) >= STROKE_STD).then_some(0.0);
    }
    let mut best: Option<f64> = None;
    for dy in offset.1 - REACH..=offset.1 + REACH {
        for dx in offset.0 - REACH..=offset.0 + REACH {
            let sums = area_sums(template, page, (x0, y0), WINDOW, (dx, dy));
            if sums.count() < 0.5 * (WINDOW * WINDOW) as f64 {
                continue;
            }
            if let Some(v) = sums.ncc()
                && best.is_none_or(|b| v > b)
            {
                best = Some(v);
            }
        }
    }
    Some(best.map_or(0.0, |b| b.max(0.0)))
}

/// Sums of the template's `side` x `side` cells from `(x0, y0)` against the page's moved by
/// `(dx, dy)`, over the page's valid cells (cells moved off the canvas are left out).
fn area_sums(
    template: &Canvas,
    page: &Canvas,
    (x0, y0): (usize, usize),
    side: usize,
    (dx, dy): (isize, isize),
) -> Sums {
    let mut acc = Sums::default();
    // The template columns whose moved page column is on the canvas.
    let lo = if dx < 0 { x0.max(dx.unsigned_abs()) } else { x0 };
    let hi = (x0 + side).min(SIDE.saturating_sub(dx.max(0) as usize));
    if lo >= hi {
        return acc;
    }
    for y in y0..(y0 + side).min(SIDE) {
        let Some(py) = y.checked_add_signed(dy).filter(|&v| v < SIDE) else { continue };
        let (Some(plo), Some(phi)) = (lo.checked_add_signed(dx), hi.checked_add_signed(dx)) else { continue };
        let (Some(t), Some(p), Some(m)) = (
            template.ink.get(y * SIDE + lo..y * SIDE + hi),
            page.ink.get(py * SIDE + plo..py * SIDE + phi),
            page.valid.get(py * SIDE + plo..py * SIDE + phi),
        ) else {
            continue;
        };
        acc.add_run(t, p, m);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::testutil::{RED, layers_with};

    /// A ring with an "L" inside, turned by `angle` degrees clockwise around (150, 150).
    fn mark(angle: f64) -> InkLayers {
        let (s, c) = angle.to_radians().sin_cos();
        layers_with(300, 300, |x, y| {
            let (dx, dy) = (x as f64 - 150.0, y as f64 - 150.0);
            // Back to the unturned frame.
            let (ux, uy) = (c * dx + s * dy, -s * dx + c * dy);
            let d = dx.hypot(dy);
            let ring = d <= 100.0 && d > 92.0;
            let l = (ux.abs() < 4.0 && (-50.0..40.0).contains(&uy))
                || (uy.abs() < 4.0 && (0.0..50.0).contains(&ux) && uy > -4.0);
            if ring || l { InkClass::Red } else { InkClass::Paper }
        })
    }

    #[test]
    fn a_windows_centre_in_the_normalised_frame() {
        // The window whose centre is the canvas's centre, and the first and last ones.
        let mid = (SIDE - WINDOW) / 2;
        assert_eq!(WindowScore { at: (mid, mid), score: 1.0 }.centre(), [0.0, 0.0]);
        let [x, y] = WindowScore { at: (0, SIDE - WINDOW), score: 1.0 }.centre();
        let edge = EXTENT * (1.0 - WINDOW as f64 / SIDE as f64);
        assert!((x + edge).abs() < 1e-9 && (y - edge).abs() < 1e-9, "{x} {y}");
    }

    #[test]
    fn a_turned_mark_overlays_once_turned_back() {
        let shape = SealShape::Circle { centre: [150.0, 150.0], radius: 100.0 };
        let all = |_: f64| true;
        let t = render(&mark(0.0), &shape, RED, 0.0, CONTENT_RHO, &all).expect("template");
        let p = render(&mark(40.0), &shape, RED, 40f64.to_radians(), CONTENT_RHO, &all).expect("page");
        let scores = window_scores(&t, &p, (0, 0));
        assert!(scores.len() > 10 && scores.iter().all(|w| w.score > 0.8), "{scores:?}");
        // Not turned back: the L does not overlay.
        let wrong = render(&mark(40.0), &shape, RED, 0.0, CONTENT_RHO, &all).expect("page");
        assert!(window_scores(&t, &wrong, (0, 0)).iter().map(|w| w.score).fold(1.0, f64::min) < 0.3);
        // Nothing printed on the left half: fewer windows compared.
        let half = |phi: f64| phi.cos() > 0.0;
        let p = render(&mark(40.0), &shape, RED, 40f64.to_radians(), CONTENT_RHO, &half).expect("page");
        let n = window_scores(&t, &p, (0, 0)).len();
        assert!(n > 3 && n < scores.len(), "{n} of {}", scores.len());
    }

    #[test]
    fn content_stops_inside_the_ring_or_border() {
        let circle = SealShape::Circle { centre: [0.0, 0.0], radius: 100.0 };
        // A thin ring: the fixed limit.
        assert!((content_rho(&circle, 5.0) - CONTENT_RHO).abs() < 1e-9);
        // A square border a fifth of the shorter half-side thick: 1 - 0.2 - margin.
        let square = SealShape::Rectangle { centre: [0.0, 0.0], size: [120.0, 100.0], angle_deg: 0.0 };
        assert!((content_rho(&square, 10.0) - (0.8 - RING_MARGIN)).abs() < 1e-6);
        // Absurd or broken measures stay within the limits.
        assert_eq!(content_rho(&square, 500.0), 0.6);
        assert_eq!(content_rho(&circle, f32::NAN), CONTENT_RHO);
        assert_eq!(content_rho(&circle, -3.0), CONTENT_RHO);
        assert_eq!(content_rho(&SealShape::Circle { centre: [0.0, 0.0], radius: 0.0 }, 5.0), CONTENT_RHO);
    }

    #[test]
    fn small_impressions_degenerate_shapes_and_empty_layers() {
        let small = layers_with(60, 60, |x, _| if (x as i64 - 30).abs() < 3 { InkClass::Red } else { InkClass::Paper });
        let c =
            render(&small, &SealShape::Circle { centre: [30.0, 30.0], radius: 25.0 }, RED, 0.0, CONTENT_RHO, &|_| true)
                .expect("small");
        // Every cell inside the page and the outline's content is filled, even where no pixel centre
        // fell (a disc of radius 0.9 of the 1.04 half-side: 59% of the canvas).
        assert!(c.valid.iter().filter(|&&v| v).count() > SIDE * SIDE / 2);
        assert!(c.at(SIDE / 2, SIDE / 2) > 0.5 && c.at(5, SIDE / 2) == 0.0);
        assert!(
            render(&small, &SealShape::Circle { centre: [0.0, 0.0], radius: 0.0 }, RED, 0.0, CONTENT_RHO, &|_| true)
                .is_none()
        );
        let empty = layers_with(0, 0, |_, _| InkClass::Paper);
        let c =
            render(&empty, &SealShape::Circle { centre: [0.0, 0.0], radius: 5.0 }, RED, 0.0, CONTENT_RHO, &|_| true)
                .expect("c");
        assert!(c.valid.iter().all(|&v| !v));
        assert!(window_scores(&c, &c, (0, 0)).is_empty());
        assert_eq!(c.at(SIDE, 0), 0.0);
    }

    #[test]
    fn tone_is_chroma_over_the_full_ink_level_so_pale_ink_keeps_its_strokes() {
        let shape = SealShape::Circle { centre: [150.0, 150.0], radius: 100.0 };
        let all = |_: f64| true;
        let full = render(&mark(0.0), &shape, RED, 0.0, CONTENT_RHO, &all).expect("full");
        // The same mark printed pale (chroma 30, not 120) with a patch of half tone.
        let mut pale = mark(0.0);
        for (i, (c, s)) in pale.class.iter().zip(pale.strength.iter_mut()).enumerate() {
            if *c == InkClass::Red as u8 {
                *s = if (i % 300) < 150 && (i / 300) < 150 { 15 } else { 30 };
            }
        }
        let pale = render(&pale, &shape, RED, 0.0, CONTENT_RHO, &all).expect("pale");
        // The full-ink level is the 80th percentile: most of the stroke reaches tone 1 on both.
        let strokes = |c: &Canvas| c.ink.iter().filter(|&&v| v > 0.9).count();
        assert!(strokes(&pale) * 10 > strokes(&full) * 6, "{} vs {}", strokes(&pale), strokes(&full));
        assert!(window_scores(&full, &pale, (0, 0)).iter().all(|w| w.score > 0.8));
        let mut h = [0u32; 256];
        assert_eq!(full_ink_level(&h), 1, "no ink: level 1, never a division by 0");
        h[10] = 2;
        h[200] = 8;
        assert_eq!(full_ink_level(&h), 200);
        h[10] = 8;
        h[200] = 2;
        assert_eq!(full_ink_level(&h), 10);
    }

    #[test]
    fn smoothing_averages_valid_neighbours_and_leaves_invalid_cells() {
        let mut c = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
        c.ink[10 * SIDE + 10] = 0.9;
        // Its right neighbour is hidden (text): not averaged in, and kept as it was.
        c.valid[10 * SIDE + 11] = false;
        c.ink[10 * SIDE + 11] = 0.5;
        let mut out = c.clone();
        smooth_into(&c, &mut out);
        assert!((out.at(10, 10) - 0.9 / 8.0).abs() < 1e-6, "{}", out.at(10, 10));
        assert!((out.at(9, 9) - 0.9 / 9.0).abs() < 1e-6);
        assert_eq!(out.at(11, 10), 0.5);
        assert!(!out.valid[10 * SIDE + 11]);
        // Corners have fewer neighbours; far cells stay empty.
        assert_eq!(out.at(0, 0), 0.0);
        assert_eq!(out.at(100, 100), 0.0);
    }

    #[test]
    fn a_window_holding_only_slivers_of_ink_at_its_edges_is_not_judged() {
        let mut t = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
        // A stroke along the window's left edge on the template, one cell further in on the page.
        let mut p = t.clone();
        for y in 96..120 {
            t.ink[y * SIDE + 96] = 1.0;
            t.ink[y * SIDE + 97] = 1.0;
            p.ink[y * SIDE + 98] = 1.0;
            p.ink[y * SIDE + 99] = 1.0;
        }
        assert_eq!(window_score(&t, &p, 96, 96, (0, 0)), None);
        // The same strokes in the window's middle are judged.
        let shift = |c: &Canvas| {
            let mut o = Canvas { ink: vec![0.0; SIDE * SIDE], valid: vec![true; SIDE * SIDE] };
            for y in 0..SIDE {
                for x in 8..SIDE {
                    o.ink[y * SIDE + x] = c.ink[y * SIDE + x - 8];
                }
            }
            o
        };
        assert!(window_score(&shift(&t), &shift(&p), 96, 96, (0, 0)).is_some());
    }
}
