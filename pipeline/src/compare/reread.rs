//! Re-reading disputed lines on the text path. A line the detector missed (in a shadow, at the
//! page's edge) or read badly (a table row cut into cells and read out of order) shows up as text
//! deleted or changed. Before such a difference counts, each approved line it involves is cut out of
//! the photo where the lines read equal place it (an affine map fitted to their ends, weighted
//! towards the place), and from a few cuts shifted around that place, and read again on its own.
//! When every one of those lines reads exactly as approved (punctuation aside), and every character
//! the difference adds lies inside them, the difference was a misreading and is dropped; when they
//! read as approved but for characters the recogniser itself doubts, it becomes uncertain (review),
//! unless the doubted characters are the very change the page was read with, with confidence (the
//! same substitution read twice, 壹 → 陆 on a near copy, stands with
//! [`CompareConfig::keep_repeated_changes`]). Anything else stands: a changed digit reads changed
//! again, rewrapped or inserted text does not read as the approved line, and text outside every
//! approved line (appended in a margin) is never explained away.
//!
//! With [`CompareConfig::confirm_under_seal`], a difference under a seal (uncertain: the seal's
//! strokes may have been read) is read again with the seal faded: a change whose line reads the
//! same substitution surely in one of its cuts (another cut may doubt it), a clause deleted whose lines read with six characters or more of it
//! surely absent (nothing, or other text, in its place), or a clause of six characters or more
//! inserted whose own rows read the same text, is a change.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::diff::diff_lines;
use super::register::solve3;
use super::{ApprovedLine, CompareConfig, DiffKind, Difference, LinesDiff, Uncertainty};
use crate::PipelineError;
use crate::image::{Affine, Homography, Rgb8};
use crate::ocr::ppocr::crop_quad;
use crate::ocr::{OcrEngine, PpOcr, TextLine};
use crate::page::RedInkMap;
use crate::text::{longest_common_run, normalize_for_comparison};

/// Fewest line ends read equal to fit the approved-page-to-photo mapping from.
const MIN_ANCHORS: usize = 8;

/// Padding of a line's box before it is cut out, in line heights: the map's error of a few pixels
/// and the glyphs' own margins, little enough to keep the next line out (lines are at least ~1.5
/// heights apart); along the line it stops halfway to the next box on the same row.
const PAD_ACROSS: f32 = 0.2;
const PAD_ALONG: f32 = 0.5;

/// Least share of a line's box that must lie on the photo page for it to be read again.
const MIN_ON_PAGE: f32 = 0.9;

/// What re-reading did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reread {
    /// Approved lines cut out and read again.
    pub lines_read: usize,
    /// Differences shown to be misreadings, and dropped.
    pub resolved: usize,
    /// Changes under a seal read the same again, the seal faded, and no longer uncertain (only
    /// with [`CompareConfig::confirm_under_seal`]).
    pub confirmed: usize,
}

/// Changes read in a line: (approved text, text read).
type Changes = Vec<(String, String)>;

/// An approved line read again: how it compares, and the changes (approved text, text read; the
/// text read empty for a deletion) the recogniser was sure of in any cut.
#[derive(Debug, Clone, Default)]
struct LineRead {
    reading: LineReading,
    sure_changes: Changes,
    /// The changes read again but doubted by the recogniser.
    doubted_changes: Changes,
}

/// Least-squares affine map from approved-page points to photo-page points, refitted twice
/// without the anchors far off the fit (a line end paired with the wrong line).
/// `None` with too few anchors or a degenerate spread.
pub fn fit_affine(anchors: &[([f32; 2], [f32; 2])]) -> Option<Affine> {
    inliers(anchors).map(|(a, _)| a)
}

/// A point on the approved page and the same point on the upright photo page.
type Anchor = ([f32; 2], [f32; 2]);

/// The robust global fit and the anchors it keeps.
fn inliers(anchors: &[Anchor]) -> Option<(Affine, Vec<Anchor>)> {
    let mut keep: Vec<&([f32; 2], [f32; 2])> =
        anchors.iter().filter(|(a, b)| a.iter().chain(b).all(|v| v.is_finite())).collect();
    let mut fit = None;
    for _ in 0..3 {
        if keep.len() < MIN_ANCHORS {
            return None;
        }
        let a = weighted_fit(keep.iter().map(|p| (**p, 1.0)))?;
        let residual = |(p, q): &&([f32; 2], [f32; 2])| {
            let (u, v) = a.apply(p[0], p[1]);
            ((u - q[0]).powi(2) + (v - q[1]).powi(2)).sqrt()
        };
        let mut r: Vec<f32> = keep.iter().map(residual).collect();
        r.sort_by(f32::total_cmp);
        let limit = (3.0 * r[r.len() / 2]).max(4.0);
        keep.retain(|p| residual(p) <= limit);
        fit = Some(a);
    }
    let kept = keep.into_iter().copied().collect();
    fit.map(|a| (a, kept))
}

/// Weighted least-squares affine map of point pairs.
fn weighted_fit(pairs: impl Iterator<Item = (([f32; 2], [f32; 2]), f64)>) -> Option<Affine> {
    let (mut m, mut bx, mut by) = ([[0f64; 3]; 3], [0f64; 3], [0f64; 3]);
    for ((a, b), w) in pairs {
        let v = [f64::from(a[0]), f64::from(a[1]), 1.0];
        for r in 0..3 {
            for c in 0..3 {
                m[r][c] += w * v[r] * v[c];
            }
            bx[r] += w * v[r] * f64::from(b[0]);
            by[r] += w * v[r] * f64::from(b[1]);
        }
    }
    let (x, y) = (solve3(m, bx)?, solve3(m, by)?);
    Some(Affine([[x[0] as f32, x[1] as f32, x[2] as f32], [y[0] as f32, y[1] as f32, y[2] as f32]]))
}

/// Scale of the local maps, in page pixels: anchors this far away weigh e^-1 as much as those at
/// the place itself, so the map follows the page's local bending (a sheet outline found a little
/// off) while characters across the page keep it well conditioned.
const LOCAL_SCALE: f64 = 350.0;

/// The affine map around `point` (approved side, or photo side with `photo_side`), fitted to the
/// inlier anchors weighted by their distance.
fn local_fit(inliers: &[([f32; 2], [f32; 2])], point: [f32; 2], photo_side: bool) -> Option<Affine> {
    weighted_fit(inliers.iter().map(|&(a, b)| {
        let p = if photo_side { b } else { a };
        let d2 = f64::from((p[0] - point[0]).powi(2) + (p[1] - point[1]).powi(2));
        ((a, b), (-d2 / (LOCAL_SCALE * LOCAL_SCALE)).exp().max(1e-9))
    }))
}

/// Line `k`'s box grown by the padding, `[x0, y0, x1, y1]`; along the line it stops halfway to
/// the next box on the same row (table cells sit close together).
fn padded(lines: &[ApprovedLine], k: usize) -> [f32; 4] {
    let b = lines[k].bbox;
    let h = (b[3] - b[1]).max(1.0);
    let (mut x0, mut x1) = (b[0] - PAD_ALONG * h, b[2] + PAD_ALONG * h);
    for (j, o) in lines.iter().enumerate() {
        let overlap = o.bbox[3].min(b[3]) - o.bbox[1].max(b[1]);
        if j == k || overlap < 0.5 * h.min(o.bbox[3] - o.bbox[1]) {
            continue;
        }
        if o.bbox[0] >= b[2] {
            x1 = x1.min((b[2] + o.bbox[0]) / 2.0);
        } else if o.bbox[2] <= b[0] {
            x0 = x0.max((o.bbox[2] + b[0]) / 2.0);
        }
    }
    [x0, b[1] - PAD_ACROSS * h, x1, b[3] + PAD_ACROSS * h]
}

/// Whether point `p` lies in box `b`.
fn inside(p: [f32; 2], b: [f32; 4]) -> bool {
    p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

/// The photo to read approved lines again on, and how.
pub struct Photo<'a> {
    /// The photo as taken (seal ink may be faded first).
    pub image: &'a Rgb8,
    /// Upright-page pixels (where the differences' points are) to photo pixels.
    pub page_to_photo: &'a Homography,
    pub ppocr: &'a PpOcr,
    /// Another engine to read with instead of PP-OCR's recogniser.
    pub engine: Option<&'a dyn OcrEngine>,
}

/// How an approved line read when cut out and read alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum LineReading {
    /// Exactly as approved.
    Exact,
    /// As approved but for differences that are themselves uncertain (low confidence, the
    /// recogniser's second choice).
    Uncertain,
    /// Something else, or not readable (off the photo, no map).
    #[default]
    Differs,
}

/// Settle the differences of `diff` by reading again the approved lines they involve. A difference
/// whose lines all read exactly as approved is dropped (a misreading); one whose lines read as
/// approved but for uncertain characters becomes uncertain ([`Uncertainty::Reread`]); the others
/// stand. `lines` are the matched approved page's lines; at most `max_lines` are read again.
pub fn resolve_by_rereading(
    diff: &mut LinesDiff,
    lines: &[ApprovedLine],
    photo: &Photo,
    max_lines: usize,
    cfg: &CompareConfig,
) -> Result<Reread, PipelineError> {
    let mut out = Reread::default();
    if diff.differences.is_empty() || max_lines == 0 {
        return Ok(out);
    }
    let Some((_, anchors)) = inliers(&diff.anchors) else { return Ok(out) };
    let mut readings: HashMap<usize, LineRead> = HashMap::new();
    let mut keep = Vec::with_capacity(diff.differences.len());
    for mut d in std::mem::take(&mut diff.differences) {
        let mut involved = d.approved_lines.clone();
        let mut explained = true;
        for p in &d.found_points {
            let Some(to_approved) = local_fit(&anchors, *p, true).and_then(|a| a.invert()) else {
                explained = false;
                break;
            };
            let (x, y) = to_approved.apply(p[0], p[1]);
            match (0..lines.len()).find(|&k| inside([x, y], padded(lines, k))) {
                Some(k) => involved.push(k),
                None => explained = false,
            }
        }
        involved.sort_unstable();
        involved.dedup();
        if !explained || involved.is_empty() || involved.iter().any(|&k| k >= lines.len()) {
            keep.push(d);
            continue;
        }
        // Only a change or a deletion under a seal can be confirmed, and only it reads every line it
        // involves.
        let confirmable = cfg.confirm_under_seal
            && matches!(d.kind, DiffKind::Changed | DiffKind::Deleted)
            && d.uncertain == Some(Uncertainty::UnderSeal);
        let mut worst = LineReading::Exact;
        let (mut seen_again, mut seen_doubted) = (false, false);
        // A deletion read again: every line involved shows part of it surely absent (see `absent`).
        let (mut deleted_again, mut every_line_shows) = (0usize, true);
        for &k in &involved {
            let read = match readings.entry(k) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let r = if out.lines_read >= max_lines {
                        LineRead::default()
                    } else {
                        out.lines_read += 1;
                        read_again(lines, k, &anchors, photo, cfg)?
                    };
                    e.insert(r)
                }
            };
            seen_again |= read.sure_changes.iter().any(|(e, f)| *e == d.expected && *f == d.found);
            seen_doubted |= read.doubted_changes.iter().any(|(e, f)| *e == d.expected && *f == d.found);
            let part = read
                .sure_changes
                .iter()
                .filter_map(|(e, f)| deleted_piece(e, &d.expected).filter(|p| absent(p, f)))
                .map(|p| p.chars().count())
                .max();
            deleted_again += part.unwrap_or(0);
            every_line_shows &= part.is_some();
            worst = match (worst, read.reading) {
                (_, LineReading::Differs) | (LineReading::Differs, _) => LineReading::Differs,
                (_, LineReading::Uncertain) | (LineReading::Uncertain, _) => LineReading::Uncertain,
                _ => LineReading::Exact,
            };
            if worst == LineReading::Differs && !confirmable {
                break;
            }
        }
        let deletion_seen = d.kind == DiffKind::Deleted && every_line_shows && deleted_again >= MIN_CONFIRMED_DELETION;
        let seen = ReadAgain { worst, seen_again, seen_doubted, deletion_seen };
        match settle(seen, confirmable, d.uncertain.is_some(), cfg.keep_repeated_changes) {
            Settled::Misread => {
                // The approved text is there: count it as read equal.
                let (e, f) = (d.expected.chars().count(), d.found.chars().count());
                diff.found_len = (diff.found_len + e).saturating_sub(f);
                diff.same = (diff.same + e).min(diff.expected_len).min(diff.found_len);
                out.resolved += 1;
            }
            Settled::Uncertain => {
                d.uncertain.get_or_insert(Uncertainty::Reread);
                keep.push(d);
            }
            Settled::Confirmed => {
                tracing::debug!(expected = %d.expected, found = %d.found, ?worst, "change under a seal confirmed");
                d.uncertain = None;
                out.confirmed += 1;
                keep.push(d);
            }
            Settled::Stands => keep.push(d),
        }
    }
    for d in &mut keep {
        if cfg.confirm_under_seal && confirm_insertion(d, photo)? {
            d.uncertain = None;
            out.confirmed += 1;
        }
    }
    diff.differences = keep;
    Ok(out)
}

/// What reading again the approved lines of one difference showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ReadAgain {
    /// The worst of the lines' readings.
    worst: LineReading,
    /// Some cut read the same change, surely.
    seen_again: bool,
    /// Some cut read the same change, doubted.
    seen_doubted: bool,
    /// A deletion: every line read again shows its part surely absent, at least
    /// [`MIN_CONFIRMED_DELETION`] characters in all.
    deletion_seen: bool,
}

/// What becomes of a difference read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settled {
    /// Its lines read as approved: a misreading, dropped.
    Misread,
    /// It stays, uncertain ([`Uncertainty::Reread`] unless it already was).
    Uncertain,
    /// A change under a seal read the same again with the seal faded: certain.
    Confirmed,
    /// It stays as it was.
    Stands,
}

/// Settle a difference from what reading its lines again showed. `confirmable`: a change or
/// deletion under a seal, with [`CompareConfig::confirm_under_seal`]; `uncertain`: whether it
/// already was; `keep_repeated`: [`CompareConfig::keep_repeated_changes`].
fn settle(seen: ReadAgain, confirmable: bool, uncertain: bool, keep_repeated: bool) -> Settled {
    match seen.worst {
        LineReading::Exact => Settled::Misread,
        // Under a seal, one cut read the same change surely while another only doubted what it
        // read there (shifted onto the seal's ring): the sure reading is the page's (held-out near
        // copy 0026, 成都中科 -> 成都达科 under an oval seal: five of seven cuts sure, one doubted).
        LineReading::Uncertain if confirmable && seen.seen_again => Settled::Confirmed,
        // Read with confidence the first time and the same again, even doubted: it stands.
        LineReading::Uncertain if !uncertain && keep_repeated && (seen.seen_again || seen.seen_doubted) => {
            Settled::Stands
        }
        LineReading::Uncertain => Settled::Uncertain,
        // Under a seal the first reading may have been the seal's strokes; read again with the
        // seal faded, the same change read with confidence is the page's.
        LineReading::Differs if confirmable && (seen.seen_again || seen.deletion_seen) => Settled::Confirmed,
        LineReading::Differs => Settled::Stands,
    }
}

/// The boxes (upright page, `[x0, y0, x1, y1]`) of the rows of an insertion's characters, from
/// their centres in reading order: a new row where the next centre lies more than half a
/// character pitch (the median step between neighbours, about a character's height in Chinese
/// text) above or below. An inserted clause often ends one line and starts the next.
fn insertion_rows(points: &[[f32; 2]]) -> Vec<[f32; 4]> {
    let mut steps: Vec<f32> = points.windows(2).map(|w| (w[1][0] - w[0][0]).abs()).filter(|s| *s > 0.0).collect();
    if steps.is_empty() {
        return Vec::new();
    }
    steps.sort_by(f32::total_cmp);
    let Some(&pitch) = steps.get(steps.len() / 2) else { return Vec::new() };
    let mut rows: Vec<Vec<[f32; 2]>> = Vec::new();
    for &p in points {
        match rows.last_mut() {
            Some(row) if row.last().is_some_and(|q| (p[1] - q[1]).abs() <= pitch / 2.0) => row.push(p),
            _ => rows.push(vec![p]),
        }
    }
    rows.iter()
        .map(|row| {
            let (x0, x1) = row.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), p| (a.min(p[0]), b.max(p[0])));
            let y = row.iter().map(|p| p[1]).sum::<f32>() / row.len() as f32;
            [x0 - pitch / 2.0, y - 0.6 * pitch, x1 + pitch / 2.0, y + 0.6 * pitch]
        })
        .collect()
}

/// The part of `e`, approved text read differently, that lies in `deleted`, the clause a deletion
/// removed: all of `e` when it is inside it, else the longest run the two share, of at least
/// [`MIN_DELETED_PIECE`] letters. A clause deleted across two lines leaves the second line's
/// remainder in place, and the line read again differs as a whole (held-out near-copy 0225: the
/// clause ends mid-line and the next one moves up).
fn deleted_piece(e: &str, deleted: &str) -> Option<String> {
    if e.is_empty() {
        return None;
    }
    if deleted.contains(e) {
        return Some(e.to_string());
    }
    let piece = longest_common_run(e, deleted);
    (piece.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_DELETED_PIECE).then_some(piece)
}

/// Fewest letters the run an approved line shares with a deleted clause must have to count as the
/// clause's part on that line: a word or two in common (乙方) is chance.
const MIN_DELETED_PIECE: usize = 4;

/// Whether approved text `e`, read as `f`, is not there: `f` holds at most a third of `e`'s letters
/// (nothing, punctuation, or the next line's text moved up into the place of a deleted clause),
/// not a misreading of it.
fn absent(e: &str, f: &str) -> bool {
    let letters: Vec<char> = e.chars().filter(|c| c.is_alphanumeric()).collect();
    let kept = letters.iter().filter(|c| f.contains(**c)).count();
    !letters.is_empty() && 3 * kept <= letters.len()
}

/// Fewest characters the re-read lines of a deletion under a seal must show deleted, surely, for
/// it to be confirmed: a clause, not a character the seal's ink still hides.
const MIN_CONFIRMED_DELETION: usize = 6;

/// Fewest characters an insertion under a seal must add to be confirmed by reading it again: a
/// clause, not a stray character of the seal's own lettering.
const MIN_CONFIRMED_INSERTION: usize = 6;

/// Whether `d`, text inserted under a seal (uncertain: the seal's strokes may have been read), of
/// at least [`MIN_CONFIRMED_INSERTION`] characters, reads the same again in its own rows on the
/// photo with the seal faded and only dark print kept (see [`keep_dark_ink`]): a piece of the
/// seal's own name read as a line (held-out approved page 0834, 越物流股份有) still read the same
/// merely faded. No approved line is there to read again: an inserted clause sits
/// between them or after one.
fn confirm_insertion(d: &Difference, photo: &Photo) -> Result<bool, PipelineError> {
    if d.kind != DiffKind::Inserted
        || d.uncertain != Some(Uncertainty::UnderSeal)
        || d.found.chars().count() < MIN_CONFIRMED_INSERTION
    {
        return Ok(false);
    }
    let mut crops = Vec::new();
    for b in insertion_rows(&d.found_points) {
        let pad = PAD_ACROSS * (b[3] - b[1]);
        let corners =
            [[b[0] - pad, b[1] - pad], [b[2] + pad, b[1] - pad], [b[2] + pad, b[3] + pad], [b[0] - pad, b[3] + pad]];
        let mut quad = [[0f32; 2]; 4];
        for (q, p) in quad.iter_mut().zip(&corners) {
            let Some((u, v)) = photo.page_to_photo.apply(p[0], p[1]) else { return Ok(false) };
            *q = [u, v];
        }
        let Some(mut crop) = crop_quad(photo.image, &quad)? else { return Ok(false) };
        keep_dark_ink(&mut crop);
        crops.push(crop);
    }
    if crops.is_empty() {
        return Ok(false);
    }
    let mut text = String::new();
    for crop in &crops {
        let (w, h) = (crop.width() as f32, crop.height() as f32);
        match photo.engine {
            None => {
                let whole = [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]];
                text.extend(photo.ppocr.recognise_each(crop, &[whole])?.into_iter().map(|l| l.text));
            }
            Some(engine) => text.extend(engine.read(crop)?.lines.into_iter().map(|l| l.text)),
        }
    }
    tracing::debug!(inserted = %d.found, read = %text, "insertion under a seal read again");
    Ok(normalize_for_comparison(&text).contains(d.found.as_str()))
}

/// Brightness (of the brightest channel) above which a pixel of a cut is paper, as a share of the
/// cut's paper level (its 90th percentile). Seal ink keeps its own channel bright (red ink's red:
/// 0.85-0.95 of the paper's), black print is dark in every channel (under 0.5).
const DARK_INK_MAX: f32 = 0.75;

/// Keep only the dark print of a cut: every pixel by its brightest channel (seal ink, red, blue or
/// purple, is bright in its own), and white from [`DARK_INK_MAX`] of the paper level up. The seal's
/// own lettering, which a fading leaves faint but legible, is gone; black text under it stays.
fn keep_dark_ink(crop: &mut Rgb8) {
    let mut levels: Vec<u8> = crop.data().chunks_exact(3).map(|p| p[0].max(p[1]).max(p[2])).collect();
    if levels.is_empty() {
        return;
    }
    let k = (levels.len() * 9 / 10).min(levels.len() - 1);
    let (_, &mut paper, _) = levels.select_nth_unstable(k);
    let paper = f32::from(paper.max(1));
    for p in crop.data_mut().chunks_exact_mut(3) {
        let v = f32::from(p[0].max(p[1]).max(p[2])) / paper;
        let out = if v >= DARK_INK_MAX { 255 } else { (255.0 * v / DARK_INK_MAX).round() as u8 };
        p.fill(out);
    }
}

/// Cut approved `line` out of the photo where the anchors around it put it (through the upright
/// page and `page_to_photo`), read it alone and compare it with the approved text. The photo itself
/// is cut, not the flattened page, so a line the sheet outline left out (a page number in a
/// shadow) is still there.
fn read_again(
    lines: &[ApprovedLine],
    k: usize,
    anchors: &[([f32; 2], [f32; 2])],
    photo: &Photo,
    cfg: &CompareConfig,
) -> Result<LineRead, PipelineError> {
    let line = &lines[k];
    let want = normalize_for_comparison(&line.text);
    let b = line.bbox;
    if want.is_empty() {
        return Ok(LineRead::default());
    }
    let Some(to_page) = local_fit(anchors, [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0], false) else {
        return Ok(LineRead::default());
    };
    // The box where the map puts it, then shifted along and across the line: the map is least
    // sure far from other lines (a right-aligned contract number two characters off on eval photo
    // 0428). Every cut is read in one batch; any that reads exactly as approved settles it.
    let p = padded(lines, k);
    let h = b[3] - b[1];
    let mut quads = Vec::with_capacity(SHIFTS.len());
    for (along, across) in SHIFTS {
        let (dx, dy) = (along * h, across * h);
        let corners = [[p[0] + dx, p[1] + dy], [p[2] + dx, p[1] + dy], [p[2] + dx, p[3] + dy], [p[0] + dx, p[3] + dy]];
        if let Some(q) = photo_quad(&corners, &to_page, photo) {
            quads.push(q);
        }
    }
    if quads.is_empty() {
        return Ok(LineRead::default());
    }
    let reads: Vec<Vec<TextLine>> = match photo.engine {
        None => photo.ppocr.recognise_each(photo.image, &quads)?.into_iter().map(|l| vec![l]).collect(),
        Some(engine) => {
            let mut out = Vec::with_capacity(quads.len());
            for q in &quads {
                out.push(match crop_quad(photo.image, q)? {
                    Some(crop) => engine.read(&crop)?.lines,
                    None => Vec::new(),
                });
            }
            out
        }
    };
    let mut best = LineRead::default();
    for read in &reads {
        let text: String = read.iter().map(|l| l.text.as_str()).collect();
        tracing::debug!(approved = %line.text, read = %text, "approved line read again");
        let (r, sure, doubted) = judge(line, &want, &text, read, cfg)?;
        if r == LineReading::Exact {
            return Ok(LineRead { reading: r, ..LineRead::default() });
        }
        if r == LineReading::Uncertain {
            best.reading = r;
        }
        best.sure_changes.extend(sure);
        best.doubted_changes.extend(doubted);
    }
    Ok(best)
}

/// Shifts of the cut, in line heights (along, across), the map's own place first.
const SHIFTS: [(f32, f32); 7] =
    [(0.0, 0.0), (-1.0, 0.0), (1.0, 0.0), (-2.0, 0.0), (2.0, 0.0), (0.0, -0.35), (0.0, 0.35)];

/// Approved-page `corners` as a quad on the photo, when it lies (almost) wholly on it.
fn photo_quad(corners: &[[f32; 2]; 4], to_page: &Affine, photo: &Photo) -> Option<[[f32; 2]; 4]> {
    let mut quad = [[0f32; 2]; 4];
    for (q, p) in quad.iter_mut().zip(corners) {
        let (x, y) = to_page.apply(p[0], p[1]);
        let (u, v) = photo.page_to_photo.apply(x, y)?;
        *q = [u, v];
    }
    if quad.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let [x0, y0, x1, y1] = crate::image::quad_bounds(&quad);
    let (w, h) = (photo.image.width() as f32, photo.image.height() as f32);
    let on_photo = (x1.min(w) - x0.max(0.0)).max(0.0) * (y1.min(h) - y0.max(0.0)).max(0.0);
    (x1 > x0 && y1 > y0 && on_photo >= MIN_ON_PAGE * (x1 - x0) * (y1 - y0)).then_some(quad)
}

/// How `text` (read off one cut, as `read`) compares with approved `line` (`want`: its comparison
/// form), the changes in it the recogniser is sure of, and those it doubts (approved text, text read).
fn judge(
    line: &ApprovedLine,
    want: &str,
    text: &str,
    read: &[TextLine],
    cfg: &CompareConfig,
) -> Result<(LineReading, Changes, Changes), PipelineError> {
    if normalize_for_comparison(text) == want {
        return Ok((LineReading::Exact, Vec::new(), Vec::new()));
    }
    let approved = [(0usize, line)];
    let d = diff_lines(&approved, read, &RedInkMap::default(), &[], cfg)?;
    // Punctuation alone (a full stop lost at the line's end) is as approved; a decimal point or a
    // separator inside an amount is part of a critical span and does not pass.
    let punctuation_only =
        |x: &Difference| !x.critical && x.expected.chars().chain(x.found.chars()).all(|c| !c.is_alphanumeric());
    if d.differences.iter().all(punctuation_only) {
        return Ok((LineReading::Exact, Vec::new(), Vec::new()));
    }
    // Changes and deletions (the found text empty) the recogniser is sure of.
    let sure = d
        .differences
        .iter()
        .filter(|x| matches!(x.kind, DiffKind::Changed | DiffKind::Deleted) && x.uncertain.is_none())
        .map(|x| (x.expected.clone(), x.found.clone()))
        .collect();
    // Small differences the recogniser itself doubts (its glyph confidences and second choices).
    let doubtful = |x: &Difference| {
        matches!(
            x.uncertain,
            Some(Uncertainty::LowConfidence | Uncertainty::SecondChoiceMatches | Uncertainty::RepeatMerged)
        )
    };
    let doubted = d
        .differences
        .iter()
        .filter(|x| x.kind == DiffKind::Changed && doubtful(x))
        .map(|x| (x.expected.clone(), x.found.clone()))
        .collect();
    let reading = if d.differences.iter().all(|x| doubtful(x) || punctuation_only(x)) {
        LineReading::Uncertain
    } else {
        LineReading::Differs
    };
    Ok((reading, sure, doubted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deleted_clause_is_found_in_the_lines_it_spans() {
        let clause = "房屋主体结构及公共设施的维修由甲方负责;因乙方使用不当造成损坏的,由乙方负责修复或赔偿.";
        // The first line lies wholly in the clause; the second ends with the next clause's start.
        assert_eq!(deleted_piece("因乙方使用不当", clause).as_deref(), Some("因乙方使用不当"));
        let second = "造成损坏的,由乙方负责修复或赔偿.乙方如需装修或改变房屋结";
        assert_eq!(deleted_piece(second, clause).as_deref(), Some("造成损坏的,由乙方负责修复或赔偿."));
        let moved_up = "乙方如需装修或改变房屋结构,须事先取得甲方书面同意,并";
        assert!(absent("造成损坏的,由乙方负责修复或赔偿.", moved_up));
        // A word in common is chance, and nothing is nothing.
        assert_eq!(deleted_piece("乙方应按时支付租金", clause), None);
        assert_eq!(deleted_piece("", clause), None);
        assert_eq!(deleted_piece("甲方", ""), None);
    }

    #[test]
    fn approved_text_is_absent_when_little_of_it_is_read_there() {
        assert!(absent("乙方保证所供产品为全新", ","), "punctuation in its place");
        assert!(absent("国家标准及双方约定的技术要求", "本合同附件<供货清单>"), "the next line moved up");
        assert!(absent("乙方保证", ""));
        assert!(!absent("乙方保证所供产品为全新", "乙万保证所供产晶为全新"), "a misreading keeps most of it");
        assert!(!absent("", ""), "nothing approved is nothing absent");
        assert!(!absent("..", ""), "punctuation alone");
    }

    #[test]
    fn the_seals_own_lettering_and_short_insertions_are_not_confirmed() {
        use crate::ocr::PpOcrConfig;
        use sealgate_datasets::documents::content::{Line, LineStyle, PageContent};
        use sealgate_datasets::documents::render::{PageStyle, render_page};
        use sealgate_datasets::documents::rng::Rng;
        let runtime = sealgate_models::Runtime::global().expect("ONNX Runtime installed");
        let ppocr = PpOcr::new(runtime, PpOcrConfig::default()).expect("PP-OCR models installed");
        let found = "越物流股份有限公司";
        let style = PageStyle::random(&mut Rng::new(3));
        let page = render_page(&PageContent { lines: vec![Line::new(found, LineStyle::Body)] }, &style)
            .expect("fonts installed");
        let b = page.lines.first().expect("a line").bbox;
        let (w, h) = (page.image.width() as usize, page.image.height() as usize);
        let black = Rgb8::new(w, h, page.image.into_raw()).expect("page");
        // The same line in the seal's red, as its lettering prints.
        let mut data = black.data().to_vec();
        for px in data.chunks_exact_mut(3) {
            let ink = 1.0 - f32::from(px[1]) / 255.0;
            px.copy_from_slice(&[255 - (30.0 * ink) as u8, 255 - (200.0 * ink) as u8, 255 - (190.0 * ink) as u8]);
        }
        let red = Rgb8::new(w, h, data).expect("page");
        let n = found.chars().count();
        let pitch = (b[2] - b[0]) / n as f32;
        let d = Difference {
            kind: DiffKind::Inserted,
            critical: true,
            reasons: Vec::new(),
            uncertain: Some(Uncertainty::UnderSeal),
            expected: String::new(),
            found: found.into(),
            line: None,
            page_box: Some([[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]),
            photo_box: None,
            approved_lines: Vec::new(),
            found_points: (0..n).map(|i| [b[0] + pitch * (i as f32 + 0.5), (b[1] + b[3]) / 2.0]).collect(),
        };
        let confirm = |image: &Rgb8, d: &Difference| {
            let photo = Photo { image, page_to_photo: &Homography::IDENTITY, ppocr: &ppocr, engine: None };
            confirm_insertion(d, &photo).expect("checked")
        };
        assert!(confirm(&black, &d), "black text read again the same");
        assert!(!confirm(&red, &d), "the seal's own lettering, however legible faded");
        let short = Difference { found: "越物流".into(), found_points: d.found_points[..3].to_vec(), ..d.clone() };
        assert!(!confirm(&black, &short), "too short to be a clause");
        assert!(!confirm(&black, &Difference { uncertain: None, ..d }), "nothing to confirm");
    }

    #[test]
    fn only_dark_print_is_kept_in_a_cut() {
        // Dim paper (200), red seal ink, black print, and an empty cut.
        let mut data = [200u8, 198, 196].repeat(10);
        data.extend_from_slice(&[190, 70, 80, 30, 30, 32]);
        let mut crop = Rgb8::new(12, 1, data).expect("cut");
        keep_dark_ink(&mut crop);
        let px: Vec<u8> = crop.data().chunks_exact(3).map(|p| p[0]).collect();
        assert!(px[..10].iter().all(|&v| v == 255), "{px:?}");
        assert_eq!(px[10], 255, "seal ink is paper");
        assert!(px[11] < 80, "black print stays dark: {px:?}");
        let mut empty = Rgb8::new(0, 0, Vec::new()).expect("empty");
        keep_dark_ink(&mut empty);
    }

    #[test]
    fn an_insertion_is_cut_into_its_rows() {
        assert!(insertion_rows(&[]).is_empty());
        assert!(insertion_rows(&[[10.0, 10.0]]).is_empty(), "no pitch from one character");
        // The end of one line (pitch 30) and the start of the next, 45 px lower.
        let points = [[900.0, 100.0], [930.0, 100.0], [960.0, 101.0], [120.0, 145.0], [150.0, 145.0]];
        let rows = insertion_rows(&points);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0][0], 885.0);
        assert_eq!(rows[0][2], 975.0);
        assert!(rows[0][1] < 100.0 && rows[0][3] > 101.0 && rows[0][3] < 145.0 - 18.0, "{rows:?}");
        assert_eq!([rows[1][0], rows[1][2]], [105.0, 165.0]);
    }

    #[test]
    fn affine_fit_recovers_a_map_despite_wrong_pairs() {
        let truth = Affine([[1.02, 0.01, 12.0], [-0.015, 0.98, -7.0]]);
        let mut anchors: Vec<([f32; 2], [f32; 2])> = (0..60)
            .map(|i| {
                let p = [100.0 + 23.0 * (i % 10) as f32, 150.0 + 91.0 * (i / 10) as f32];
                let (x, y) = truth.apply(p[0], p[1]);
                (p, [x, y])
            })
            .collect();
        // A few characters paired with the same character in another row.
        for a in anchors.iter_mut().step_by(9) {
            a.1[1] += 300.0;
        }
        let fit = fit_affine(&anchors).expect("fit");
        let (x, y) = fit.apply(500.0, 700.0);
        let (tx, ty) = truth.apply(500.0, 700.0);
        assert!((x - tx).abs() < 0.5 && (y - ty).abs() < 0.5, "{x},{y} vs {tx},{ty}");
    }

    #[test]
    fn too_few_or_degenerate_anchors_give_no_map() {
        assert!(fit_affine(&[]).is_none());
        let same_point = vec![([10.0, 10.0], [12.0, 12.0]); 40];
        assert!(fit_affine(&same_point).is_none());
        let nan = vec![([f32::NAN, 1.0], [1.0, 1.0]); 40];
        assert!(fit_affine(&nan).is_none());
    }

    #[test]
    fn padded_boxes_hold_their_own_characters_not_the_next_line_or_cell() {
        let line = |b: [f32; 4]| ApprovedLine { text: "x".into(), bbox: b };
        let lines = [line([100.0, 100.0, 400.0, 130.0]), line([100.0, 145.0, 400.0, 175.0])];
        let b = padded(&lines, 0);
        assert!(inside([110.0, 115.0], b) && inside([395.0, 128.0], b));
        // The next line, 1.5 heights below.
        assert!(!inside([200.0, 160.0], b));
        // Text appended well after the line's end.
        assert!(!inside([460.0, 115.0], b));
        // A cell 10 pixels to the right: the box stops halfway.
        let cells = [line([100.0, 100.0, 200.0, 130.0]), line([210.0, 100.0, 300.0, 130.0])];
        assert_eq!(padded(&cells, 0)[2], 205.0);
        assert_eq!(padded(&cells, 1)[0], 205.0);
    }

    /// `text` read as one line, each character with `confidence` but the one at `doubted`.
    fn read_line(text: &str, confidence: f32, doubted: Option<(usize, f32)>) -> TextLine {
        let n = text.chars().count().max(1) as f32;
        TextLine {
            text: text.to_string(),
            polygon: [[100.0, 100.0], [900.0, 100.0], [900.0, 130.0], [100.0, 130.0]],
            confidence,
            glyphs: text
                .chars()
                .enumerate()
                .map(|(k, c)| crate::ocr::Glyph {
                    text: c.to_string(),
                    confidence: doubted.filter(|d| d.0 == k).map_or(confidence, |d| d.1),
                    start: k as f32 / n,
                    end: (k + 1) as f32 / n,
                    alternative: String::new(),
                    alternative_p: 0.0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_difference_is_settled_by_what_its_lines_read_again() {
        use LineReading::{Differs, Exact, Uncertain};
        use Settled::{Confirmed, Misread, Stands};
        // (worst reading, same change read surely, read doubted, deletion seen; under a seal,
        // already uncertain, keep repeated changes; settled as, why)
        let cases = [
            ((Exact, false, false, false), (true, true, true), Misread, "read as approved"),
            ((Differs, true, false, false), (true, true, true), Confirmed, "read surely again under a seal"),
            ((Uncertain, true, true, false), (true, true, true), Confirmed, "surely again beside a doubted cut"),
            ((Uncertain, false, true, false), (true, true, true), Settled::Uncertain, "only doubted under a seal"),
            ((Differs, false, false, true), (true, true, true), Confirmed, "a deletion seen surely absent"),
            ((Differs, false, false, false), (true, true, true), Stands, "something else read under a seal"),
            ((Differs, true, false, false), (false, false, true), Stands, "not under a seal: nothing confirmed"),
            ((Uncertain, true, false, false), (false, false, true), Stands, "read with confidence and again"),
            ((Uncertain, false, true, false), (false, false, true), Stands, "read with confidence, again doubted"),
            ((Uncertain, true, false, false), (false, false, false), Settled::Uncertain, "repeats not kept"),
            ((Uncertain, false, false, false), (false, false, true), Settled::Uncertain, "not the same change"),
            ((Uncertain, true, false, false), (false, true, true), Settled::Uncertain, "uncertain the first time"),
        ];
        for ((worst, seen_again, seen_doubted, deletion_seen), (confirmable, uncertain, keep), want, why) in cases {
            let seen = ReadAgain { worst, seen_again, seen_doubted, deletion_seen };
            assert_eq!(settle(seen, confirmable, uncertain, keep), want, "{why}");
        }
    }

    #[test]
    fn a_cut_read_again_reports_the_changes_it_is_sure_of_and_those_it_doubts() {
        let line =
            ApprovedLine { text: "大写金额：人民币壹万元整".into(), bbox: [100.0, 100.0, 900.0, 130.0] };
        let want = normalize_for_comparison(&line.text);
        let cfg = CompareConfig::default();
        let judged = |text: &str, doubted: Option<(usize, f32)>| {
            judge(&line, &want, text, &[read_line(text, 0.99, doubted)], &cfg).expect("judged")
        };
        let change = vec![("壹".to_string(), "陆".to_string())];
        // Read as approved.
        assert_eq!(judged("大写金额：人民币壹万元整", None), (LineReading::Exact, vec![], vec![]));
        // The changed amount read with confidence: it differs, and the change is sure.
        assert_eq!(judged("大写金额：人民币陆万元整", None), (LineReading::Differs, change.clone(), vec![]));
        // Read with doubt: uncertain, and the doubted change is the same substitution.
        assert_eq!(judged("大写金额：人民币陆万元整", Some((8, 0.5))), (LineReading::Uncertain, vec![], change));
    }
}
