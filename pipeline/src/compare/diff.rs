//! From approved lines and lines read off the photo to classified differences: align the two texts
//! character by character, group the edits into differences, say which are critical
//! (`critical.rs`) and which are uncertain (read with low confidence, or under a seal impression).

use serde::Serialize;

use super::align::{Op, align};
use super::critical::{Critical, Span, critical_spans, touched};
use super::{ApprovedLine, CompareConfig};
use crate::image::quad_bounds;
use crate::ocr::TextLine;
use crate::page::RedInkMap;
use crate::text::normalize_with_sources;

/// The kind of one difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// Approved text replaced by other text.
    Changed,
    /// Text on the photo that the original does not have.
    Inserted,
    /// Approved text missing from the photo.
    Deleted,
}

/// Why a difference may be a misreading rather than a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Uncertainty {
    /// The text lies under a seal impression.
    UnderSeal,
    /// The engine read the characters with low confidence.
    LowConfidence,
    /// The engine's second choice at that place is the approved character.
    SecondChoiceMatches,
    /// A doubled character read once (the recogniser merges repeats it cannot separate).
    RepeatMerged,
    /// A short line (a page number, a table cell) read on one side only: detectors miss them.
    NotRead,
    /// The same text deleted in one place and inserted in another: a table or columns read in
    /// another order.
    ReadingOrder,
    /// The approved lines involved, read again on their own, read as approved but for characters
    /// the recogniser doubts.
    Reread,
}

/// One difference between the approved page and the photo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub kind: DiffKind,
    pub critical: bool,
    /// Why it is critical (empty when it is not).
    pub reasons: Vec<Critical>,
    /// Set when the difference may be a misreading: it then asks for review, never proves a change.
    pub uncertain: Option<Uncertainty>,
    /// Approved text (comparison form; empty for an insertion).
    pub expected: String,
    /// Text on the photo (comparison form; empty for a deletion).
    pub found: String,
    /// Index of the approved line it starts in, when it touches one.
    pub line: Option<usize>,
    /// Where it is on the upright page (TL, TR, BR, BL); for a deletion, where the text should be.
    pub page_box: Option<[[f32; 2]; 4]>,
    /// The same box in photo pixels; filled by the caller that knows the page-to-photo mapping.
    #[serde(rename = "box")]
    pub photo_box: Option<[[f32; 2]; 4]>,
    /// Approved lines whose text it removes or changes (indices on the approved page).
    #[serde(skip)]
    pub approved_lines: Vec<usize>,
    /// Centres of the characters it adds or changes, in upright-page pixels.
    #[serde(skip)]
    pub found_points: Vec<[f32; 2]>,
}

/// The result of comparing a set of approved lines with a set of read lines.
#[derive(Debug, Clone, Default)]
pub struct LinesDiff {
    pub differences: Vec<Difference>,
    /// Characters kept equal, and the two lengths (comparison form).
    pub same: usize,
    pub expected_len: usize,
    pub found_len: usize,
    /// Ends of approved lines read equal: where each is on the approved page and on the upright
    /// photo page, to map one onto the other.
    pub anchors: Vec<([f32; 2], [f32; 2])>,
}

impl LinesDiff {
    pub fn similarity(&self) -> f32 {
        let n = self.expected_len + self.found_len;
        if n == 0 { 1.0 } else { (2 * self.same) as f32 / n as f32 }
    }

    pub fn absorb(&mut self, other: LinesDiff) {
        self.differences.extend(other.differences);
        self.same += other.same;
        self.expected_len += other.expected_len;
        self.found_len += other.found_len;
        self.anchors.extend(other.anchors);
    }
}

/// An approved character: which line, and the critical spans it belongs to.
struct ExpChar {
    c: char,
    line: usize,
    /// Position within its line's comparison form.
    pos: usize,
}

/// A character read off the photo, with what the engine said about it.
struct FoundChar {
    c: char,
    line: usize,
    pos: usize,
    confidence: f32,
    alternative: Option<char>,
    alternative_p: f32,
    quad: [[f32; 2]; 4],
}

/// Point at share `t` along the edge `a` → `b`.
fn lerp(a: [f32; 2], b: [f32; 2], t: f32) -> [f32; 2] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

/// The part of a line polygon between shares `s` and `e` of its length.
fn sub_quad(p: &[[f32; 2]; 4], s: f32, e: f32) -> [[f32; 2]; 4] {
    [lerp(p[0], p[1], s), lerp(p[0], p[1], e), lerp(p[3], p[2], e), lerp(p[3], p[2], s)]
}

fn union(a: Option<[[f32; 2]; 4]>, b: [[f32; 2]; 4]) -> [[f32; 2]; 4] {
    let Some(a) = a else { return b };
    let (ba, bb) = (quad_bounds(&a), quad_bounds(&b));
    let (x0, y0, x1, y1) = (ba[0].min(bb[0]), ba[1].min(bb[1]), ba[2].max(bb[2]), ba[3].max(bb[3]));
    [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
}

fn centre(q: &[[f32; 2]; 4]) -> [f32; 2] {
    [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4.0, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4.0]
}

fn rect_quad(b: [f32; 4]) -> [[f32; 2]; 4] {
    [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]]
}

fn found_chars(lines: &[TextLine]) -> Vec<FoundChar> {
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        let n = line.text.chars().count();
        // Glyphs line up with characters when the engine gives one per character.
        let glyphs = (line.glyphs.len() == n).then_some(&line.glyphs);
        for (pos, (c, src)) in normalize_with_sources(&line.text).into_iter().enumerate() {
            let (s, e, confidence, alternative, alternative_p) = match glyphs.and_then(|g| g.get(src)) {
                Some(g) => (g.start, g.end, g.confidence, g.alternative.chars().next(), g.alternative_p),
                None => (src as f32 / n as f32, (src + 1) as f32 / n as f32, line.confidence, None, 0.0),
            };
            let alternative = alternative.map(|a| normalize_with_sources(&a.to_string()).first().map_or(a, |p| p.0));
            out.push(FoundChar {
                c,
                line: li,
                pos,
                confidence,
                alternative,
                alternative_p,
                quad: sub_quad(&line.polygon, s, e),
            });
        }
    }
    out
}

/// Compare `expected` (approved lines with their indices on the approved page) with `found` (lines
/// read off the upright photo page, polygons in its pixels). `red_ink` says where seal ink lies on
/// that page; `parties` are the document's party names (comparison form).
pub fn diff_lines(
    expected: &[(usize, &ApprovedLine)],
    found: &[TextLine],
    red_ink: &RedInkMap,
    parties: &[Vec<char>],
    cfg: &CompareConfig,
) -> Result<LinesDiff, super::CompareError> {
    // Approved characters and critical spans, line by line.
    let mut exp: Vec<ExpChar> = Vec::new();
    let mut exp_spans: Vec<Vec<Span>> = Vec::with_capacity(expected.len());
    let mut exp_line_len: Vec<usize> = Vec::with_capacity(expected.len());
    for (k, (_, line)) in expected.iter().enumerate() {
        let chars: Vec<char> = normalize_with_sources(&line.text).into_iter().map(|p| p.0).collect();
        exp_spans.push(critical_spans(&chars, parties));
        exp_line_len.push(chars.len());
        exp.extend(chars.into_iter().enumerate().map(|(pos, c)| ExpChar { c, line: k, pos }));
    }
    let fnd = found_chars(found);
    let mut fnd_spans: Vec<Vec<Span>> = Vec::with_capacity(found.len());
    let mut fnd_line_len = vec![0usize; found.len()];
    for (li, _) in found.iter().enumerate() {
        let chars: Vec<char> = fnd.iter().filter(|f| f.line == li).map(|f| f.c).collect();
        fnd_line_len[li] = chars.len();
        fnd_spans.push(critical_spans(&chars, parties));
    }

    let e_chars: Vec<char> = exp.iter().map(|c| c.c).collect();
    let f_chars: Vec<char> = fnd.iter().map(|c| c.c).collect();
    let ops = align(&e_chars, &f_chars, cfg.max_align_cells)?;
    let same = ops.iter().filter(|o| matches!(o, Op::Same { .. })).count();
    // Anchors: the two ends of each approved line whose first and last characters were read
    // equal, at the middle of its height. The ends of a box are exact on both sides, where the
    // place of a character inside a line is not (digits are narrower than Chinese characters).
    let mut first_last: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); expected.len()];
    for o in &ops {
        if let Op::Same { expected: e, found: f } = *o {
            let (line, pos) = (exp[e].line, exp[e].pos);
            if pos == 0 {
                first_last[line].0 = Some(f);
            }
            if pos + 1 == exp_line_len[line] {
                first_last[line].1 = Some(f);
            }
        }
    }
    let mid = |a: [f32; 2], b: [f32; 2]| [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    let mut anchors = Vec::new();
    for (k, ends) in first_last.iter().enumerate() {
        if let (Some(f0), Some(f1)) = *ends
            && fnd[f0].line == fnd[f1].line
        {
            let b = expected[k].1.bbox;
            let y = (b[1] + b[3]) / 2.0;
            let (q0, q1) = (&fnd[f0].quad, &fnd[f1].quad);
            anchors.push(([b[0], y], mid(q0[0], q0[3])));
            anchors.push(([b[2], y], mid(q1[1], q1[2])));
        }
    }
    let mut out = LinesDiff { differences: Vec::new(), same, expected_len: exp.len(), found_len: fnd.len(), anchors };

    // Characters of each side consumed before each op, to know where a difference lies.
    let mut consumed = Vec::with_capacity(ops.len() + 1);
    let (mut ce, mut cf) = (0usize, 0usize);
    consumed.push((0, 0));
    for op in &ops {
        match op {
            Op::Same { .. } | Op::Changed { .. } => (ce, cf) = (ce + 1, cf + 1),
            Op::Deleted { .. } => ce += 1,
            Op::Inserted { .. } => cf += 1,
        }
        consumed.push((ce, cf));
    }
    // Each difference's span: (expected start, expected end, found start, found end).
    let mut spans: Vec<[usize; 4]> = Vec::new();

    // Group edits separated by at most `merge_gap` equal characters into one difference.
    let mut k = 0;
    while k < ops.len() {
        if matches!(ops[k], Op::Same { .. }) {
            k += 1;
            continue;
        }
        let start = k;
        let mut end = k + 1;
        loop {
            while end < ops.len() && !matches!(ops[end], Op::Same { .. }) {
                end += 1;
            }
            let gap = ops[end..].iter().take_while(|o| matches!(o, Op::Same { .. })).count();
            if gap > 0 && gap <= cfg.merge_gap && end + gap < ops.len() {
                end += gap;
                continue;
            }
            break;
        }
        out.differences.push(difference(
            &ops,
            start,
            end,
            &exp,
            &fnd,
            &exp_spans,
            &fnd_spans,
            &exp_line_len,
            &fnd_line_len,
            expected,
            red_ink,
            cfg,
        ));
        spans.push([consumed[start].0, consumed[end].0, consumed[start].1, consumed[end].1]);
        k = end;
    }
    mark_reading_order(&mut out.differences);
    mark_permuted_runs(&mut out.differences, &spans, &e_chars, &f_chars);
    Ok(out)
}

/// Most differences, and characters, a permuted run may span: bounds the work on a bad reading.
const MAX_PERMUTED_DIFFERENCES: usize = 12;
const MAX_PERMUTED_CHARS: usize = 600;

/// Mark runs of differences whose whole stretch of text holds the same characters on both sides,
/// only in another order: table cells or rows read in another sequence (a row split across two
/// detected lines, a cell read before its row). Nothing was added, removed or changed, so they are
/// uncertain; since they stay critical they still ask for review.
fn mark_permuted_runs(diffs: &mut [Difference], spans: &[[usize; 4]], exp: &[char], fnd: &[char]) {
    let mut i = 0;
    while i < diffs.len() {
        let mut best = None;
        for j in i + 1..diffs.len().min(i + MAX_PERMUTED_DIFFERENCES) {
            let (e, f) = (&exp[spans[i][0]..spans[j][1]], &fnd[spans[i][2]..spans[j][3]]);
            if e.len() > MAX_PERMUTED_CHARS || f.len() > MAX_PERMUTED_CHARS {
                break;
            }
            if e.len() == f.len() && same_characters(e, f) {
                best = Some(j);
            }
        }
        match best {
            Some(j) => {
                for d in &mut diffs[i..=j] {
                    d.uncertain.get_or_insert(Uncertainty::ReadingOrder);
                }
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// Whether `a` and `b` hold the same characters, counted, in any order.
fn same_characters(a: &[char], b: &[char]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Mark differences that only move text: each text it removes is added by another difference, and
/// each text it adds is removed by another (a table read row by row on one side, column by column on
/// the other). They ask for review instead of proving a change.
fn mark_reading_order(diffs: &mut [Difference]) {
    let removed: Vec<String> = diffs.iter().map(|d| d.expected.clone()).collect();
    let added: Vec<String> = diffs.iter().map(|d| d.found.clone()).collect();
    for (i, d) in diffs.iter_mut().enumerate() {
        if d.uncertain.is_some() || (d.expected.is_empty() && d.found.is_empty()) {
            continue;
        }
        let elsewhere = |texts: &[String], t: &str| texts.iter().enumerate().any(|(j, x)| j != i && x == t);
        let removal_moved = d.expected.is_empty() || elsewhere(&added, &d.expected);
        let addition_moved = d.found.is_empty() || elsewhere(&removed, &d.found);
        if removal_moved && addition_moved {
            d.uncertain = Some(Uncertainty::ReadingOrder);
        }
    }
}

/// Build the difference of `ops[start..end]`.
#[allow(clippy::too_many_arguments)]
fn difference(
    ops: &[Op],
    start: usize,
    end: usize,
    exp: &[ExpChar],
    fnd: &[FoundChar],
    exp_spans: &[Vec<Span>],
    fnd_spans: &[Vec<Span>],
    exp_line_len: &[usize],
    fnd_line_len: &[usize],
    expected: &[(usize, &ApprovedLine)],
    red_ink: &RedInkMap,
    cfg: &CompareConfig,
) -> Difference {
    let (mut e_idx, mut f_idx) = (Vec::new(), Vec::new());
    for op in &ops[start..end] {
        match *op {
            Op::Same { expected, found } | Op::Changed { expected, found } => {
                e_idx.push(expected);
                f_idx.push(found);
            }
            Op::Deleted { expected } => e_idx.push(expected),
            Op::Inserted { found } => f_idx.push(found),
        }
    }
    let kind = match (e_idx.is_empty(), f_idx.is_empty()) {
        (false, false) => DiffKind::Changed,
        (true, false) => DiffKind::Inserted,
        _ => DiffKind::Deleted,
    };
    // Neighbours on the photo side: the found characters just before and after the edit.
    let before_f = ops[..start].iter().rev().find_map(|o| match *o {
        Op::Same { found, .. } | Op::Changed { found, .. } | Op::Inserted { found } => Some(found),
        Op::Deleted { .. } => None,
    });
    let after_f = ops[end..].iter().find_map(|o| match *o {
        Op::Same { found, .. } | Op::Changed { found, .. } | Op::Inserted { found } => Some(found),
        Op::Deleted { .. } => None,
    });
    let before_e = ops[..start].iter().rev().find_map(|o| match *o {
        Op::Same { expected, .. } | Op::Changed { expected, .. } | Op::Deleted { expected } => Some(expected),
        Op::Inserted { .. } => None,
    });
    let after_e = ops[end..].iter().find_map(|o| match *o {
        Op::Same { expected, .. } | Op::Changed { expected, .. } | Op::Deleted { expected } => Some(expected),
        Op::Inserted { .. } => None,
    });

    // Critical spans touched on either side.
    let mut reasons: Vec<Critical> = Vec::new();
    let mut touch_side = |idx: &[usize], line_of: &dyn Fn(usize) -> (usize, usize), spans: &[Vec<Span>]| {
        let mut by_line: Vec<(usize, usize, usize)> = Vec::new();
        for &i in idx {
            let (line, pos) = line_of(i);
            match by_line.last_mut() {
                Some((l, _, e)) if *l == line => *e = pos + 1,
                _ => by_line.push((line, pos, pos + 1)),
            }
        }
        for (line, s, e) in by_line {
            reasons.extend(touched(&spans[line], s, e));
        }
    };
    touch_side(&e_idx, &|i| (exp[i].line, exp[i].pos), exp_spans);
    touch_side(&f_idx, &|i| (fnd[i].line, fnd[i].pos), fnd_spans);
    // An insertion inside an approved span (a digit slipped into an amount) touches it too.
    if let (true, Some(b), Some(a)) = (e_idx.is_empty(), before_e, after_e)
        && exp[b].line == exp[a].line
    {
        reasons.extend(touched(&exp_spans[exp[a].line], exp[a].pos, exp[a].pos));
    }
    // Whole lines added or removed; runs of words added or removed.
    let whole = |idx: &[usize], line_of: &dyn Fn(usize) -> (usize, usize), lens: &[usize]| {
        let mut count = vec![0usize; lens.len()];
        for &i in idx {
            count[line_of(i).0] += 1;
        }
        count.iter().zip(lens).any(|(&c, &n)| n > 0 && c == n)
    };
    let words = |s: &[char]| s.iter().filter(|c| c.is_alphanumeric()).count();
    let e_text: Vec<char> = e_idx.iter().map(|&i| exp[i].c).collect();
    let f_text: Vec<char> = f_idx.iter().map(|&i| fnd[i].c).collect();
    // A whole line added or removed is critical, unless it is a few characters of no critical kind
    // (a page number, a punctuation mark): those are layout, and detectors miss them.
    let substantial = |t: &[char]| words(t) > cfg.max_uncertain_chars || !reasons.is_empty();
    if (whole(&e_idx, &|i| (exp[i].line, exp[i].pos), exp_line_len) && substantial(&e_text))
        || (whole(&f_idx, &|i| (fnd[i].line, fnd[i].pos), fnd_line_len) && substantial(&f_text))
    {
        reasons.push(Critical::Line);
    }
    if words(&e_text).abs_diff(words(&f_text)) >= cfg.min_clause_chars {
        reasons.push(Critical::Clause);
    }
    reasons.sort();
    reasons.dedup();

    // Where it is: the photo characters involved, else the neighbours of the gap.
    let mut page_box = None;
    for &i in &f_idx {
        page_box = Some(union(page_box, fnd[i].quad));
    }
    if page_box.is_none() {
        for n in [before_f, after_f].into_iter().flatten() {
            page_box = Some(union(page_box, fnd[n].quad));
        }
    }
    if page_box.is_none()
        && let Some(&i) = e_idx.first()
    {
        page_box = expected.get(exp[i].line).map(|(_, l)| rect_quad(l.bbox));
    }

    // Misreading or change?
    let involved: Vec<&FoundChar> = if f_idx.is_empty() {
        [before_f, after_f].into_iter().flatten().map(|i| &fnd[i]).collect()
    } else {
        f_idx.iter().map(|&i| &fnd[i]).collect()
    };
    let small = e_text.len().max(f_text.len()) <= cfg.max_uncertain_chars;
    let under_seal = page_box.is_some_and(|q| {
        let b = quad_bounds(&q);
        // Text printed by the seal itself fits inside a seal; a line of black text under a seal's
        // ink reads as red too, and must not pass for the seal's own text (an inserted clause).
        let seal_sized = (b[2] - b[0]).max(b[3] - b[1]) <= cfg.seal_text_max_side;
        red_ink.share_in(b) >= cfg.seal_ink_share
            || (seal_sized && red_ink.red_share_of_ink_in(b) >= cfg.seal_text_red_share)
    });
    let uncertain = if under_seal {
        Some(Uncertainty::UnderSeal)
    } else if small && involved.iter().any(|f| f.confidence < cfg.min_char_confidence) {
        Some(Uncertainty::LowConfidence)
    } else if small
        && kind == DiffKind::Changed
        && e_text.len() == f_text.len()
        && e_idx.iter().zip(&f_idx).all(|(&e, &f)| {
            exp[e].c == fnd[f].c
                || (fnd[f].alternative == Some(exp[e].c) && fnd[f].alternative_p >= cfg.min_second_choice)
        })
    {
        Some(Uncertainty::SecondChoiceMatches)
    } else if small
        && kind == DiffKind::Deleted
        && e_idx.iter().all(|&i| (i > 0 && exp[i - 1].c == exp[i].c) || exp.get(i + 1).is_some_and(|n| n.c == exp[i].c))
    {
        Some(Uncertainty::RepeatMerged)
    } else if (kind == DiffKind::Deleted
        && words(&e_text) <= cfg.max_uncertain_chars
        && whole(&e_idx, &|i| (exp[i].line, exp[i].pos), exp_line_len))
        || (kind == DiffKind::Inserted
            && words(&f_text) <= cfg.max_uncertain_chars
            && whole(&f_idx, &|i| (fnd[i].line, fnd[i].pos), fnd_line_len))
    {
        Some(Uncertainty::NotRead)
    } else {
        None
    };

    let mut approved_lines: Vec<usize> = e_idx.iter().filter_map(|&i| expected.get(exp[i].line).map(|l| l.0)).collect();
    approved_lines.dedup();
    let found_points = f_idx.iter().map(|&i| centre(&fnd[i].quad)).collect();
    Difference {
        kind,
        critical: !reasons.is_empty(),
        reasons,
        uncertain,
        expected: e_text.into_iter().collect(),
        found: f_text.into_iter().collect(),
        line: e_idx.first().or(after_e.as_ref()).map(|&i| expected.get(exp[i].line).map_or(0, |(n, _)| *n)),
        page_box,
        photo_box: None,
        approved_lines,
        found_points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::Glyph;

    fn approved(lines: &[&str]) -> Vec<ApprovedLine> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| ApprovedLine {
                text: t.to_string(),
                bbox: [100.0, 100.0 + 50.0 * i as f32, 900.0, 130.0 + 50.0 * i as f32],
            })
            .collect()
    }

    fn read(lines: &[&str], confidence: f32) -> Vec<TextLine> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let n = t.chars().count().max(1) as f32;
                let y = 100.0 + 50.0 * i as f32;
                TextLine {
                    text: t.to_string(),
                    polygon: [[100.0, y], [900.0, y], [900.0, y + 30.0], [100.0, y + 30.0]],
                    confidence,
                    glyphs: t
                        .chars()
                        .enumerate()
                        .map(|(k, c)| Glyph {
                            text: c.to_string(),
                            confidence,
                            start: k as f32 / n,
                            end: (k + 1) as f32 / n,
                            alternative: String::new(),
                            alternative_p: 0.0,
                        })
                        .collect(),
                }
            })
            .collect()
    }

    fn run(a: &[&str], b: &[&str], conf: f32) -> LinesDiff {
        let lines = approved(a);
        let indexed: Vec<(usize, &ApprovedLine)> = lines.iter().enumerate().collect();
        diff_lines(&indexed, &read(b, conf), &RedInkMap::default(), &[], &CompareConfig::default()).expect("diff")
    }

    #[test]
    fn identical_text_has_no_difference() {
        let d = run(
            &["甲方：上海华信科技有限公司", "金额：¥128,560.00"],
            &["甲方:上海华信科技有限公司", "金额: ¥128,560.00"],
            0.99,
        );
        assert!(d.differences.is_empty(), "{:?}", d.differences);
        assert_eq!(d.similarity(), 1.0);
    }

    #[test]
    fn an_amount_digit_is_a_critical_change_with_a_box() {
        let d = run(&["合同金额：¥128,560.00元"], &["合同金额：¥128,580.00元"], 0.99);
        assert_eq!(d.differences.len(), 1);
        let x = &d.differences[0];
        assert_eq!((x.kind, x.expected.as_str(), x.found.as_str()), (DiffKind::Changed, "6", "8"));
        assert!(x.critical && x.reasons.contains(&Critical::Amount), "{x:?}");
        assert_eq!(x.uncertain, None);
        let b = quad_bounds(&x.page_box.expect("box"));
        assert!(b[0] > 500.0 && b[2] < 800.0 && b[1] >= 100.0 && b[3] <= 130.0, "{b:?}");
    }

    #[test]
    fn low_confidence_makes_it_uncertain() {
        let d = run(&["合同金额：¥128,560.00元"], &["合同金额：¥128,580.00元"], 0.5);
        assert_eq!(d.differences[0].uncertain, Some(Uncertainty::LowConfidence));
    }

    #[test]
    fn lines_and_clauses_added_or_removed_are_critical() {
        let d = run(&["第一条", "乙方应按期交付货物。", "第二条"], &["第一条", "第二条"], 0.99);
        assert_eq!(d.differences.len(), 1);
        let x = &d.differences[0];
        assert_eq!(x.kind, DiffKind::Deleted);
        assert!(x.reasons.contains(&Critical::Line) && x.reasons.contains(&Critical::Clause), "{x:?}");
        assert_eq!(x.line, Some(1));
        let d = run(&["本合同一式两份。"], &["本合同一式两份，乙方另付违约金五万元。"], 0.99);
        assert!(d.differences.iter().any(|x| x.kind == DiffKind::Inserted && x.reasons.contains(&Critical::Clause)));
    }

    #[test]
    fn a_party_name_change_is_critical_and_ordinary_words_are_not() {
        let d = run(&["甲方：上海华信科技有限公司"], &["甲方：上海华倍科技有限公司"], 0.99);
        assert_eq!(d.differences[0].reasons, vec![Critical::PartyName]);
        let d = run(&["双方友好协商"], &["双方友好协高"], 0.99);
        assert!(!d.differences[0].critical);
    }

    #[test]
    fn short_lines_read_on_one_side_and_moved_text_are_uncertain() {
        let d = run(&["本合同一式两份", "-3-"], &["本合同一式两份"], 0.99);
        assert_eq!(d.differences[0].uncertain, Some(Uncertainty::NotRead));
        let d = run(&["本合同一式两份"], &["本合同一式两份", "-1-"], 0.99);
        assert_eq!(d.differences[0].uncertain, Some(Uncertainty::NotRead));
        // A table header read after its first cell.
        let d = run(&["序号", "1", "硒鼓"], &["1", "序号", "硒鼓"], 0.99);
        assert!(!d.differences.is_empty());
        assert!(d.differences.iter().all(|x| x.uncertain.is_some()), "{:#?}", d.differences);
        let d = run(&["序号 品名", "1 硒鼓"], &["1 序号", "品名 硒鼓"], 0.99);
        assert!(d.differences.iter().any(|x| x.uncertain == Some(Uncertainty::ReadingOrder)), "{:#?}", d.differences);
        assert!(d.differences.iter().all(|x| x.uncertain.is_some()), "{:#?}", d.differences);
        // A table whose rows are cut into lines differently: the same characters in another order.
        let d = run(
            &["14 硒鼓 65 支 596.00", "15 试剂盒 50 盒 1,128.71", "16 手套 30 打 35.00"],
            &["14 硒鼓 6", "5 支 596.00 15 试剂盒", "50 盒 1,128.71 16 手套 30 打 35.00"],
            0.99,
        );
        assert!(d.differences.iter().all(|x| x.uncertain.is_some()), "{:#?}", d.differences);
        // One digit changed inside the same stretch is no longer a permutation.
        let d = run(
            &["14 硒鼓 65 支 596.00", "15 试剂盒 50 盒 1,128.71"],
            &["15 试剂盒 50 盒 1,128.71", "14 硒鼓 65 支 598.00"],
            0.99,
        );
        assert!(d.differences.iter().any(|x| x.critical && x.uncertain.is_none()), "{:#?}", d.differences);
        // A removed line is not "moved" because some other text was added.
        let d = run(&["第一条", "乙方应付违约金五万元", "第二条"], &["第一条", "第二条"], 0.99);
        assert_eq!(d.differences[0].uncertain, None);
    }

    #[test]
    fn red_text_the_size_of_a_seal_is_the_seals_own_a_red_line_is_not() {
        // A page covered in pale red ink (a seal's strokes and the text beneath it both read as red).
        let page = crate::image::Rgb8::new(1000, 300, [225u8, 120, 130].repeat(1000 * 300)).expect("page");
        let red = RedInkMap::of(&page, 8);
        let cfg = CompareConfig { seal_ink_share: 2.0, ..CompareConfig::default() };
        let approved = approved(&["本合同一式两份"]);
        let indexed: Vec<(usize, &ApprovedLine)> = approved.iter().enumerate().collect();
        let mut short = read(&["本合同一式两份", "财务专用章"], 0.99);
        short[1].polygon = [[400.0, 200.0], [520.0, 200.0], [520.0, 240.0], [400.0, 240.0]];
        let d = diff_lines(&indexed, &short, &red, &[], &cfg).expect("diff");
        assert_eq!(d.differences[0].uncertain, Some(Uncertainty::UnderSeal), "{:?}", d.differences);
        let mut long = read(&["本合同一式两份", "甲方有权在不通知乙方的情况下单方解除本合同"], 0.99);
        long[1].polygon = [[100.0, 200.0], [900.0, 200.0], [900.0, 240.0], [100.0, 240.0]];
        let d = diff_lines(&indexed, &long, &red, &[], &cfg).expect("diff");
        assert!(d.differences[0].critical && d.differences[0].uncertain.is_none(), "{:?}", d.differences);
    }

    #[test]
    fn empty_sides() {
        assert!(run(&[], &[], 0.9).differences.is_empty());
        let d = run(&["甲方"], &[], 0.9);
        assert_eq!(d.differences[0].kind, DiffKind::Deleted);
        assert!(d.differences[0].page_box.is_some());
        let d = run(&[], &["乙方"], 0.9);
        assert_eq!(d.differences[0].kind, DiffKind::Inserted);
    }
}
