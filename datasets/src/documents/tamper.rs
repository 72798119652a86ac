//! Tampered variants of a generated page, for evaluating a comparison of a photographed page with
//! the approved original: one digit of an amount, one capital numeral, one digit of a date or one or
//! two characters of a company name replaced in place; a sentence or numbered item deleted, or a
//! sentence inserted, with the paragraph wrapped again so the lines after it move. The change is made
//! to the page's [`PageContent`] before it is rendered, and its label says what changed and where in
//! the page's truth lines.
//!
//! A page with another document's page in its place ([`TamperKind::PageSwapped`]) is made by
//! [`super::compare_set`]; [`tamper_page`] answers `None` for it.

use serde::{Deserialize, Serialize};

use super::amount;
use super::content::{Line, LineStyle, PageContent, TextBox, em_len, join_cells, paragraph_lines};
use super::render::TruthLine;
use super::rng::Rng;
use super::vocab::{CITIES, Date, INDUSTRIES};

/// How a page was altered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TamperKind {
    /// One digit of an amount in numerals changed: `¥128,560.00` -> `¥128,580.00`.
    AmountDigit,
    /// One numeral of a capital amount replaced by another: `伍佰` -> `捌佰`.
    CapitalAmount,
    /// One digit of a date's day, month or year changed: `2025年3月18日` -> `2025年3月19日`.
    Date,
    /// One or two characters of a company name changed: `上海华信科技有限公司` -> `上海华倍科技有限公司`.
    PartyName,
    /// A sentence or a numbered item removed, its paragraph wrapped again.
    ClauseDeleted,
    /// A sentence added to a paragraph, the paragraph wrapped again.
    SentenceInserted,
    /// The photo shows a page of another document.
    PageSwapped,
}

impl TamperKind {
    pub const ALL: [TamperKind; 7] = [
        TamperKind::AmountDigit,
        TamperKind::CapitalAmount,
        TamperKind::Date,
        TamperKind::PartyName,
        TamperKind::ClauseDeleted,
        TamperKind::SentenceInserted,
        TamperKind::PageSwapped,
    ];

    /// The serialised name (`amount_digit`, ...).
    pub fn name(self) -> &'static str {
        match self {
            TamperKind::AmountDigit => "amount_digit",
            TamperKind::CapitalAmount => "capital_amount",
            TamperKind::Date => "date",
            TamperKind::PartyName => "party_name",
            TamperKind::ClauseDeleted => "clause_deleted",
            TamperKind::SentenceInserted => "sentence_inserted",
            TamperKind::PageSwapped => "page_swapped",
        }
    }
}

/// The whole token a minimal change sits in: the amount, capital amount, date or company name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TamperContext {
    pub expected: String,
    pub found: String,
}

/// What was changed on a page and where.
///
/// Offsets refer to the page's truth lines (the printed lines of [`super::render::RenderedPage`],
/// table and column cells joined by one space). Joined without separators, the original page's
/// lines read `P + expected + S` and the tampered page's `P + found + S`, with `P` the text before
/// (`line`, `column`) of the original page (of the tampered page for an insertion). For
/// [`TamperKind::PageSwapped`] `expected` and `found` are the first truth line that differs between
/// the original page and the page shown, `line` its index and `column` 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TamperLabel {
    pub kind: TamperKind,
    /// The original text of the changed span; empty for an insertion.
    pub expected: String,
    /// The text printed instead; empty for a deletion.
    pub found: String,
    /// Truth line where the change starts: of the original page, of the tampered page for an
    /// insertion.
    pub line: usize,
    /// Character offset of the change within that line.
    pub column: usize,
    /// `[x0, y0, x1, y1]` in rendered-page pixels of the tampered page: the ink box of the lines
    /// holding the change (for a deletion, the lines either side of where the text was; for a
    /// swapped page, all its text).
    pub page_box: [f32; 4],
    /// The whole amount, date or name around a minimal change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<TamperContext>,
}

/// A page with a change made to its content.
#[derive(Debug, Clone)]
pub struct TamperedPage {
    pub content: PageContent,
    /// `page_box` is zero until the page is rendered ([`change_box`]).
    pub label: TamperLabel,
    /// The tampered page's truth lines, first and last, whose ink box is `label.page_box`.
    pub box_lines: (usize, usize),
}

/// The truth lines a page renders to, without rendering it: what [`super::render::render_page`]
/// records for each line that prints any text.
pub fn truth_texts(page: &PageContent) -> Vec<String> {
    page.lines.iter().filter_map(line_truth).collect()
}

/// The truth text of one line, `None` when it prints nothing.
fn line_truth(l: &Line) -> Option<String> {
    let text = match &l.style {
        LineStyle::Blank => return None,
        LineStyle::TableRow(row) => join_cells(&row.cells),
        LineStyle::Columns(cells) => join_cells(cells),
        _ => l.text.trim().to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// Height of a page's lines in body line pitches.
pub fn page_units(page: &PageContent) -> f32 {
    page.lines.iter().map(|l| l.style.height_units()).sum()
}

/// Whether a page's lines fit in `bx`: its height and every body and heading line's width.
pub fn fits(page: &PageContent, bx: TextBox) -> bool {
    page_units(page) <= bx.rows + 1e-3
        && page.lines.iter().all(|l| {
            !matches!(l.style, LineStyle::Body | LineStyle::Heading) || em_len(&l.text) + l.indent <= bx.cols + 1e-3
        })
}

/// Change `page` (laid out for `bx`) in the way `kind` says, choosing what to change with `rng`;
/// `None` when the page has nothing that kind can change (and for [`TamperKind::PageSwapped`]).
pub fn tamper_page(rng: &mut Rng, page: &PageContent, bx: TextBox, kind: TamperKind) -> Option<TamperedPage> {
    let segs = segments(page);
    let mut edits = match kind {
        TamperKind::AmountDigit => amount_edits(rng, &segs),
        TamperKind::CapitalAmount => capital_edits(rng, &segs),
        TamperKind::Date => date_edits(rng, &segs),
        TamperKind::PartyName => name_edits(rng, &segs),
        TamperKind::ClauseDeleted => deletion_edits(page, &segs),
        TamperKind::SentenceInserted => insertion_edits(rng, page, &segs),
        TamperKind::PageSwapped => return None,
    };
    rng.shuffle(&mut edits);
    edits.into_iter().find_map(|e| apply(page, &segs, bx, kind, e))
}

/// The ink box of truth lines `first..=last` (all zero when there are none).
pub fn change_box(lines: &[TruthLine], first: usize, last: usize) -> [f32; 4] {
    let b = lines
        .iter()
        .skip(first)
        .take(last.saturating_sub(first) + 1)
        .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |b, l| {
            [b[0].min(l.bbox[0]), b[1].min(l.bbox[1]), b[2].max(l.bbox[2]), b[3].max(l.bbox[3])]
        });
    if b[0] > b[2] { [0.0; 4] } else { b }
}

/// Where the lines `o` (original) and `t` (tampered) differ by `expected` -> `found`: the character
/// offset `q` such that, joined without separators, `o = P + expected + S` and `t = P + found + S`
/// with `P` of `q` characters. The largest such offset; `None` when they do not differ that way.
pub fn locate(o: &[String], t: &[String], expected: &str, found: &str) -> Option<usize> {
    let o: Vec<char> = o.iter().flat_map(|l| l.chars()).collect();
    let t: Vec<char> = t.iter().flat_map(|l| l.chars()).collect();
    let e: Vec<char> = expected.chars().collect();
    let f: Vec<char> = found.chars().collect();
    if e == f || o.len() + f.len() != t.len() + e.len() {
        return None;
    }
    let p = o.iter().zip(&t).take_while(|(a, b)| a == b).count();
    (0..=p).rev().find(|&q| {
        q + e.len() <= o.len()
            && q + f.len() <= t.len()
            && o[q..q + e.len()] == e[..]
            && t[q..q + f.len()] == f[..]
            && o[q + e.len()..] == t[q + f.len()..]
    })
}

/// The line holding character `offset` of `lines` joined without separators, and the offset within
/// it (the end of the last line when `offset` is past the end).
pub fn line_at(lines: &[String], offset: usize) -> (usize, usize) {
    let mut start = 0;
    for (i, l) in lines.iter().enumerate() {
        let n = l.chars().count();
        if offset < start + n {
            return (i, offset - start);
        }
        start += n;
    }
    lines.len().checked_sub(1).map_or((0, 0), |i| (i, lines[i].chars().count()))
}

/// Where a character of a segment is printed: content line, cell (table rows and columns) and
/// character index in that line's or cell's text.
#[derive(Debug, Clone, Copy)]
struct At {
    line: usize,
    cell: Option<usize>,
    ch: usize,
}

/// Text that reads on: a paragraph (consecutive body lines, wrapped), a single line, or a cell.
#[derive(Debug, Clone)]
struct Segment {
    chars: Vec<char>,
    at: Vec<At>,
    /// Content lines `[start, end)` of a paragraph.
    para: Option<(usize, usize)>,
    cell: bool,
}

impl Segment {
    fn text(&self, a: usize, b: usize) -> String {
        self.chars[a..b].iter().collect()
    }
}

fn segments(page: &PageContent) -> Vec<Segment> {
    let lines = &page.lines;
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let single = |text: &str, line: usize, cell: Option<usize>| Segment {
            chars: text.chars().collect(),
            at: (0..text.chars().count()).map(|ch| At { line, cell, ch }).collect(),
            para: None,
            cell: cell.is_some(),
        };
        match &line.style {
            LineStyle::Body => {
                // A paragraph: every line but its last is justified, and those after the first start flush.
                let mut end = i + 1;
                while lines[end - 1].justify
                    && end < lines.len()
                    && lines[end].style == LineStyle::Body
                    && lines[end].indent == 0.0
                {
                    end += 1;
                }
                let mut seg = Segment { chars: Vec::new(), at: Vec::new(), para: Some((i, end)), cell: false };
                for (k, l) in lines.iter().enumerate().take(end).skip(i) {
                    for (ch, c) in l.text.chars().enumerate() {
                        seg.chars.push(c);
                        seg.at.push(At { line: k, cell: None, ch });
                    }
                }
                out.push(seg);
                i = end;
                continue;
            }
            LineStyle::Title | LineStyle::Heading | LineStyle::Right => out.push(single(&line.text, i, None)),
            LineStyle::TableRow(row) => {
                out.extend(row.cells.iter().enumerate().map(|(k, c)| single(c, i, Some(k))));
            }
            LineStyle::Columns(cells) => out.extend(cells.iter().enumerate().map(|(k, c)| single(c, i, Some(k)))),
            LineStyle::Blank | LineStyle::Footer => {}
        }
        i += 1;
    }
    out
}

/// One candidate change.
#[derive(Debug, Clone)]
enum Edit {
    /// Characters of segment `seg` from `start` replaced by as many others.
    Replace { seg: usize, start: usize, new: Vec<char>, context: Option<TamperContext> },
    /// Paragraph `seg` set again with `text`, `expected` -> `found` being the change.
    Rewrite { seg: usize, text: String, expected: String, found: String },
}

fn apply(page: &PageContent, segs: &[Segment], bx: TextBox, kind: TamperKind, edit: Edit) -> Option<TamperedPage> {
    // The paragraph set again: its first content line and how many lines it has now.
    let mut para = None;
    let (content, expected, found, context) = match edit {
        Edit::Replace { seg, start, new, context } => {
            let s = segs.get(seg)?;
            let expected = s.text(start, start + new.len());
            let mut out = page.clone();
            for (k, &c) in new.iter().enumerate() {
                let at = *s.at.get(start + k)?;
                set_char(out.lines.get_mut(at.line)?, at.cell, at.ch, c);
            }
            (out, expected, new.iter().collect(), context)
        }
        Edit::Rewrite { seg, text, expected, found } => {
            let (out, a, n) = rewrap(page, segs.get(seg)?, &text, bx)?;
            // Truth lines of the paragraph in the tampered page (blank lines dropped next print none).
            let first = out.lines[..a].iter().filter_map(line_truth).count();
            para = Some((first, out.lines[a..a + n].iter().filter_map(line_truth).count()));
            (make_room(out, bx)?, expected, found, None)
        }
    };
    if !fits(&content, bx) {
        return None;
    }
    let (o, t) = (truth_texts(page), truth_texts(&content));
    let offset = locate(&o, &t, &expected, &found)?;
    let (line, column) = line_at(if kind == TamperKind::SentenceInserted { &t } else { &o }, offset);
    let f = found.chars().count();
    let box_lines = if f > 0 {
        (line_at(&t, offset).0, line_at(&t, offset + f - 1).0)
    } else {
        // Where the text was: inside what is left of its paragraph, else at its end, else (a whole
        // paragraph gone) the line that moved up into its place.
        let end: usize = para.map_or(0, |(a, n)| t.iter().take(a + n).map(|l| l.chars().count()).sum());
        let l = match para {
            Some((_, n)) if n > 0 && offset >= end => line_at(&t, offset.saturating_sub(1)).0,
            _ => line_at(&t, offset).0,
        };
        (l, l)
    };
    let label = TamperLabel { kind, expected, found, line, column, page_box: [0.0; 4], context };
    Some(TamperedPage { content, label, box_lines })
}

/// Character `ch` of a line's text, or of cell `cell` of a table row or columns line, set to `c`.
fn set_char(line: &mut Line, cell: Option<usize>, ch: usize, c: char) {
    let put = |s: &mut String| *s = s.chars().enumerate().map(|(i, x)| if i == ch { c } else { x }).collect();
    match (&mut line.style, cell) {
        (LineStyle::TableRow(row), Some(k)) => {
            if let Some(s) = row.cells.get_mut(k) {
                put(s);
            }
            line.text = join_cells(&row.cells);
        }
        (LineStyle::Columns(cells), Some(k)) => {
            if let Some(s) = cells.get_mut(k) {
                put(s);
            }
            line.text = join_cells(cells);
        }
        _ => put(&mut line.text),
    }
}

/// Paragraph `seg` set again from `text`, with the index of its first line and how many lines it
/// has now; `None` unless wrapping its present text gives exactly the lines printed (so only the
/// change moves anything) and it ends on this page.
fn rewrap(page: &PageContent, seg: &Segment, text: &str, bx: TextBox) -> Option<(PageContent, usize, usize)> {
    let (a, b) = seg.para?;
    let lines = page.lines.get(a..b)?;
    if lines.iter().any(|l| !l.seals.is_empty()) || lines.last()?.justify {
        return None;
    }
    let indent = lines.first()?.indent;
    let set = |t: &str| -> Vec<Line> { paragraph_lines(t, indent, bx.cols) };
    let present: String = seg.chars.iter().collect();
    if set(&present) != lines {
        return None;
    }
    let mut out = page.clone();
    let new = set(text);
    let n = new.len();
    out.lines.splice(a..b, new);
    Some((out, a, n))
}

/// Drop blank spacing lines, lowest first, until the page fits its height (no text moves off it);
/// `None` when that is not enough.
fn make_room(mut page: PageContent, bx: TextBox) -> Option<PageContent> {
    while page_units(&page) > bx.rows + 1e-3 {
        let n = page.lines.len();
        let table = |i: usize| page.lines.get(i).is_some_and(|l| matches!(l.style, LineStyle::TableRow(_)));
        // Not between two table rows: that would join two tables into one.
        let i = (0..n)
            .rev()
            .find(|&i| page.lines[i].style == LineStyle::Blank && !(i > 0 && table(i - 1) && table(i + 1)))?;
        page.lines.remove(i);
    }
    Some(page)
}

/// A paragraph that may be set again: whole on this page and not at its top (where it may be the
/// tail of one from the page before).
fn rewritable(page: &PageContent, seg: &Segment) -> bool {
    seg.para.is_some_and(|(a, b)| a > 0 && b > a && page.lines.get(b - 1).is_some_and(|l| !l.justify))
}

fn cjk_count(chars: &[char]) -> usize {
    chars.iter().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count()
}

/// `1. ` at the start: a numbered item.
fn numbered(chars: &[char]) -> bool {
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && chars.get(digits) == Some(&'.') && chars.get(digits + 1) == Some(&' ')
}

/// Amounts in numerals: `128,560.00` after `¥`, before `元`, or alone in a table cell.
fn amount_edits(rng: &mut Rng, segs: &[Segment]) -> Vec<Edit> {
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        let c = &s.chars;
        let mut i = 0;
        while i < c.len() {
            let starts = c[i].is_ascii_digit() && (i == 0 || !(c[i - 1].is_ascii_alphanumeric() || c[i - 1] == '-'));
            if !starts {
                i += 1;
                continue;
            }
            let j = i + c[i..].iter().take_while(|x| x.is_ascii_digit() || **x == ',' || **x == '.').count();
            let run = s.text(i, j);
            let prev = i.checked_sub(1).map(|k| c[k]);
            let next = c.get(j).copied();
            let marked = prev == Some('¥') || next == Some('元') || (s.cell && i == 0 && j == c.len());
            if marked && is_amount(&run) && !next.is_some_and(|n| n.is_ascii_alphanumeric()) {
                let dot = i + run.find('.').unwrap_or(run.len());
                let int_digits: Vec<usize> = (i..dot).filter(|&k| c[k].is_ascii_digit()).collect();
                let whole_zero = int_digits.iter().all(|&k| c[k] == '0');
                let spots: Vec<usize> = if whole_zero { (dot + 1..j).collect() } else { int_digits.clone() };
                if let Some(&k) = rng.choose(&spots) {
                    let lead = int_digits.first() == Some(&k) && int_digits.len() > 1;
                    let choices: Vec<char> = ('0'..='9').filter(|&d| d != c[k] && !(lead && d == '0')).collect();
                    if let Some(&d) = rng.choose(&choices) {
                        let mut new_run: Vec<char> = c[i..j].to_vec();
                        new_run[k - i] = d;
                        let context = TamperContext { expected: run.clone(), found: new_run.iter().collect() };
                        out.push(Edit::Replace { seg: si, start: k, new: vec![d], context: Some(context) });
                    }
                }
            }
            i = j;
        }
    }
    out
}

/// `128,560.00`, `8.50`: digits grouped by threes (or fewer than four), two decimals.
fn is_amount(s: &str) -> bool {
    let Some((int, frac)) = s.split_once('.') else {
        return false;
    };
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    frac.len() == 2
        && digits(frac)
        && groups.iter().all(|g| digits(g))
        && (groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)))
}

const CAPITAL_DIGITS: &str = "壹贰叁肆伍陆柒捌玖";
const CAPITAL_ALL: &str = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整";

/// Capital amounts after `人民币`: one numeral replaced by another.
fn capital_edits(rng: &mut Rng, segs: &[Segment]) -> Vec<Edit> {
    let prefix: Vec<char> = "人民币".chars().collect();
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        let c = &s.chars;
        for i in 0..c.len() {
            if !c[i..].starts_with(&prefix) {
                continue;
            }
            let a = i + prefix.len();
            let b = a + c[a..].iter().take_while(|x| CAPITAL_ALL.contains(**x)).count();
            let spots: Vec<usize> = (a..b).filter(|&k| CAPITAL_DIGITS.contains(c[k])).collect();
            let Some(&k) = rng.choose(&spots) else {
                continue;
            };
            let choices: Vec<char> = CAPITAL_DIGITS.chars().filter(|&d| d != c[k]).collect();
            if let Some(&d) = rng.choose(&choices) {
                let mut new_run: Vec<char> = c[a..b].to_vec();
                new_run[k - a] = d;
                let context = TamperContext { expected: s.text(a, b), found: new_run.iter().collect() };
                out.push(Edit::Replace { seg: si, start: k, new: vec![d], context: Some(context) });
            }
        }
    }
    out
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A run of ASCII digits at `i` of exactly `lo..=hi` digits (not followed by another digit).
fn digits_at(c: &[char], i: usize, lo: usize, hi: usize) -> Option<(usize, u32)> {
    let n = c.get(i..)?.iter().take_while(|x| x.is_ascii_digit()).count();
    if !(lo..=hi).contains(&n) {
        return None;
    }
    let v = c[i..i + n].iter().fold(0u32, |v, d| v * 10 + d.to_digit(10).unwrap_or(0));
    Some((n, v))
}

/// Dates `2025年3月18日` and `2025-03-18`: one digit of the day, month or year changed, the date
/// staying a real one.
fn date_edits(rng: &mut Rng, segs: &[Segment]) -> Vec<Edit> {
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        let c = &s.chars;
        for i in 0..c.len() {
            if i > 0 && (c[i - 1].is_ascii_alphanumeric() || c[i - 1] == '-') {
                continue;
            }
            let Some((4, year)) = digits_at(c, i, 4, 4) else {
                continue;
            };
            let sep = c.get(i + 4).copied();
            // (start, width) of month and day, whether zero-padded, and the date's end.
            let (m_at, d_at, padded, end) = match sep {
                Some('年') => {
                    let Some((mn, _)) = digits_at(c, i + 5, 1, 2) else { continue };
                    if c.get(i + 5 + mn) != Some(&'月') {
                        continue;
                    }
                    let Some((dn, _)) = digits_at(c, i + 6 + mn, 1, 2) else { continue };
                    if c.get(i + 6 + mn + dn) != Some(&'日') {
                        continue;
                    }
                    ((i + 5, mn), (i + 6 + mn, dn), false, i + 7 + mn + dn)
                }
                Some('-') => {
                    if digits_at(c, i + 5, 2, 2).is_none()
                        || c.get(i + 7) != Some(&'-')
                        || digits_at(c, i + 8, 2, 2).is_none()
                        || c.get(i + 10).is_some_and(|x| x.is_ascii_alphanumeric())
                    {
                        continue;
                    }
                    ((i + 5, 2), (i + 8, 2), true, i + 10)
                }
                _ => continue,
            };
            let value = |(a, n): (usize, usize)| digits_at(c, a, n, n).map_or(0, |v| v.1);
            let (month, day) = (value(m_at), value(d_at));
            if !(1..=12).contains(&month) || day == 0 || day > days_in(year, month) {
                continue;
            }
            let fmt = |v: u32, n: usize| if padded || n == 4 { format!("{v:0n$}") } else { v.to_string() };
            // Candidates per field: (field start, width, new values that differ in one digit).
            let one_off = |old: u32, new: u32, n: usize| {
                let (a, b) = (fmt(old, n), fmt(new, n));
                a.len() == b.len() && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
            };
            let days: Vec<u32> = (1..=days_in(year, month)).filter(|&d| one_off(day, d, d_at.1)).collect();
            let months: Vec<u32> = (1..=12).filter(|&m| one_off(month, m, m_at.1) && day <= days_in(year, m)).collect();
            let years: Vec<u32> = (year - year % 10..year - year % 10 + 10)
                .filter(|&y| one_off(year, y, 4) && day <= days_in(y, month))
                .collect();
            let fields = [((d_at, day), days), ((m_at, month), months), (((i, 4), year), years)];
            let field = rng.weighted(&[0.5, 0.35, 0.15]);
            let order = [field, (field + 1) % 3, (field + 2) % 3];
            let Some((((a, n), old), new)) =
                order.iter().find_map(|&f| rng.choose(&fields[f].1).map(|&v| (fields[f].0, v)))
            else {
                continue;
            };
            let (olds, news): (Vec<char>, Vec<char>) = (fmt(old, n).chars().collect(), fmt(new, n).chars().collect());
            let Some(k) = (0..n).find(|&k| olds.get(k) != news.get(k)) else { continue };
            let mut new_date: Vec<char> = c[i..end].to_vec();
            new_date[a + k - i] = news[k];
            let context = TamperContext { expected: s.text(i, end), found: new_date.iter().collect() };
            out.push(Edit::Replace { seg: si, start: a + k, new: vec![news[k]], context: Some(context) });
        }
    }
    out
}

/// Characters a forger would put in a company's trade name.
const NAME_CHARS: &str = "信倍兴鑫达通华恒源泰盛丰隆润德安和康瑞祥宏宇嘉凯诚鼎辉光明远新";
const COMPANY_SUFFIXES: [&str; 3] = ["股份有限公司", "有限责任公司", "有限公司"];

/// Company names `城市 + 字号 + 行业 + 有限公司`: one or both characters of the trade name changed.
fn name_edits(rng: &mut Rng, segs: &[Segment]) -> Vec<Edit> {
    let pool: Vec<char> = NAME_CHARS.chars().collect();
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        let c = &s.chars;
        for i in 0..c.len() {
            for city in CITIES {
                let city: Vec<char> = city.name.chars().collect();
                if !c[i..].starts_with(&city) {
                    continue;
                }
                let brand = i + city.len();
                let after = brand + 2;
                let Some(industry) = INDUSTRIES
                    .iter()
                    .map(|(w, _)| w.chars().collect::<Vec<char>>())
                    .find(|w| c.get(after..).is_some_and(|rest| rest.starts_with(w)))
                else {
                    continue;
                };
                let tail = after + industry.len();
                let Some(suffix) = COMPANY_SUFFIXES
                    .iter()
                    .find(|x| c.get(tail..).is_some_and(|rest| rest.starts_with(&x.chars().collect::<Vec<char>>())))
                else {
                    continue;
                };
                let end = tail + suffix.chars().count();
                let old = [c[brand], c[brand + 1]];
                let (start, new): (usize, Vec<char>) = if rng.chance(0.3) {
                    let a: Vec<char> = pool.iter().copied().filter(|&x| x != old[0] && x != old[1]).collect();
                    let (Some(&x), Some(&y)) = (rng.choose(&a), rng.choose(&a)) else { continue };
                    if x == y {
                        continue;
                    }
                    (brand, vec![x, y])
                } else {
                    let k = rng.below(2) as usize;
                    let a: Vec<char> = pool.iter().copied().filter(|&x| x != old[0] && x != old[1]).collect();
                    let Some(&x) = rng.choose(&a) else { continue };
                    (brand + k, vec![x])
                };
                let mut name: Vec<char> = c[i..end].to_vec();
                for (k, &x) in new.iter().enumerate() {
                    name[start - i + k] = x;
                }
                let context = TamperContext { expected: s.text(i, end), found: name.iter().collect() };
                out.push(Edit::Replace { seg: si, start, new, context: Some(context) });
            }
        }
    }
    out
}

/// Sentences (up to and including `。`) of at least eight CJK characters in paragraphs of two or
/// more, and whole numbered items.
fn deletion_edits(page: &PageContent, segs: &[Segment]) -> Vec<Edit> {
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        if !rewritable(page, s) {
            continue;
        }
        let c = &s.chars;
        let mut units = Vec::new();
        let mut start = 0;
        for (k, &x) in c.iter().enumerate() {
            if x == '。' {
                units.push((start, k + 1));
                start = k + 1;
            }
        }
        if start < c.len() {
            units.push((start, c.len()));
        }
        let item = numbered(c);
        if units.len() >= 2 {
            for (u, &(a, b)) in units.iter().enumerate() {
                if (u == 0 && item) || c[b - 1] != '。' || cjk_count(&c[a..b]) < 8 {
                    continue;
                }
                let text: String = c[..a].iter().chain(&c[b..]).collect();
                out.push(Edit::Rewrite { seg: si, text, expected: s.text(a, b), found: String::new() });
            }
        }
        if item && cjk_count(c) >= 8 {
            out.push(Edit::Rewrite {
                seg: si,
                text: String::new(),
                expected: s.text(0, c.len()),
                found: String::new(),
            });
        }
    }
    out
}

/// Who a document's sentences speak of, read from its text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Voice {
    /// 授权委托书: 受托人, 我公司.
    Authorization,
    /// Contracts, leases, orders: 甲方, 乙方.
    Parties,
    /// Letters: 贵司, 我司.
    Letter,
    /// Forms and anything else.
    Form,
}

impl Voice {
    fn of(page: &PageContent) -> Voice {
        let text: String = truth_texts(page).concat();
        if text.contains("受托人") {
            Voice::Authorization
        } else if text.contains("乙方") {
            Voice::Parties
        } else if text.contains("贵司") || text.contains("我司") || text.contains("贵公司") {
            Voice::Letter
        } else {
            Voice::Form
        }
    }
}

/// A plausible sentence a forger would add to a document in `voice`.
fn sentence(rng: &mut Rng, voice: Voice) -> String {
    let fen = rng.range_u64(1, 50) * *rng.pick(&[100_000u64, 1_000_000]);
    let money = amount::capital_rmb(fen);
    match voice {
        Voice::Parties => match rng.below(12) {
            0 => format!("乙方应另行向甲方支付违约金{money}。"),
            1 => format!("逾期付款的，每日按未付金额的百分之{}加收滞纳金。", rng.pick(&["五", "十", "三"])),
            2 => "甲方有权在不通知乙方的情况下单方解除本合同。".to_string(),
            3 => "本合同项下款项可由乙方指定的第三方代为收取。".to_string(),
            4 => "上述价格不含运输费用，运费由甲方另行承担。".to_string(),
            5 => "如发生争议，由乙方所在地人民法院管辖。".to_string(),
            6 => "乙方对交付成果的质量不承担任何保证责任。".to_string(),
            7 => format!("甲方应于{}前一次性付清全部款项。", Date::random(rng).cn()),
            8 => "本条款的最终解释权归乙方所有。".to_string(),
            9 => "上述保证金期满后不予退还。".to_string(),
            10 => "本合同约定的价格可由乙方根据市场情况单方调整。".to_string(),
            _ => format!("双方确认，另有{money}款项以现金方式结算。"),
        },
        Voice::Authorization => match rng.below(5) {
            0 => "受托人有权将上述事项转委托第三人办理。".to_string(),
            1 => "本授权委托书长期有效，不因任何原因撤销。".to_string(),
            2 => format!("受托人可代我公司签收{money}以内的款项并出具收据。"),
            3 => "受托人签署的文件无需经我公司另行确认。".to_string(),
            _ => "受托人有权以我公司名义对外提供担保。".to_string(),
        },
        Voice::Letter => match rng.below(5) {
            0 => "上述款项请汇入我司关联公司指定账户。".to_string(),
            1 => "逾期未回复的，视为贵司同意上述全部内容。".to_string(),
            2 => "由此产生的全部费用由贵司另行承担。".to_string(),
            3 => "我司保留随时调整价格的权利，恕不另行通知。".to_string(),
            _ => format!("请贵司于三日内将{money}汇入我司账户。"),
        },
        Voice::Form => match rng.below(4) {
            0 => format!("本次另需支付手续费{money}。"),
            1 => "请将款项支付至申请人个人账户。".to_string(),
            2 => "本申请无需经总经理审批，请直接支付。".to_string(),
            _ => "请于收到本单后当日全额支付，不得延误。".to_string(),
        },
    }
}

/// A sentence inserted after a `。` of a paragraph.
fn insertion_edits(rng: &mut Rng, page: &PageContent, segs: &[Segment]) -> Vec<Edit> {
    let voice = Voice::of(page);
    let mut out = Vec::new();
    for (si, s) in segs.iter().enumerate() {
        if !rewritable(page, s) {
            continue;
        }
        let c = &s.chars;
        for (k, &x) in c.iter().enumerate() {
            if x != '。' {
                continue;
            }
            let add = sentence(rng, voice);
            let text: String = c[..=k].iter().copied().chain(add.chars()).chain(c[k + 1..].iter().copied()).collect();
            out.push(Edit::Rewrite { seg: si, text, expected: String::new(), found: add });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::content::DocKind;
    use super::super::kinds;
    use super::super::render::{PageStyle, render_page};
    use super::*;

    #[test]
    fn amounts_and_dates_are_recognised() {
        for (s, ok) in [("128,560.00", true), ("8.50", true), ("1,20.00", false), ("1234.5", false), ("1.", false)] {
            assert_eq!(is_amount(s), ok, "{s}");
        }
        let page = PageContent {
            lines: vec![
                Line::new("标题", LineStyle::Title),
                Line::new("金额¥128,560.00，日期2025年3月18日，即2025-03-18。编号HT-2025-0318-027。", LineStyle::Body),
            ],
        };
        let bx = TextBox { cols: 60.0, rows: 20.0 };
        let mut rng = Rng::new(1);
        for _ in 0..20 {
            let t = tamper_page(&mut rng, &page, bx, TamperKind::Date).expect("a date");
            let ctx = t.label.context.clone().expect("context");
            assert!(["2025年3月18日", "2025-03-18"].contains(&ctx.expected.as_str()), "{ctx:?}");
            assert_eq!((t.label.expected.chars().count(), t.label.found.chars().count()), (1, 1));
            assert_eq!(t.label.line, 1);
            let a = tamper_page(&mut rng, &page, bx, TamperKind::AmountDigit).expect("an amount");
            assert_eq!(a.label.context.as_ref().map(|c| c.expected.as_str()), Some("128,560.00"));
            assert!(!a.label.context.as_ref().is_some_and(|c| c.found.starts_with('0')));
        }
        assert!(tamper_page(&mut rng, &page, bx, TamperKind::CapitalAmount).is_none());
        assert!(tamper_page(&mut rng, &page, bx, TamperKind::PartyName).is_none());
    }

    #[test]
    fn truth_texts_match_the_render() {
        for seed in 0..6u64 {
            let kind = DocKind::ALL[seed as usize % DocKind::ALL.len()];
            let mut rng = Rng::new(seed);
            let style = PageStyle::random(&mut rng);
            let doc = kinds::generate(&mut rng, kind, style.text_box());
            let page = &doc.pages[0];
            let r = render_page(page, &style).expect("fonts installed");
            let rendered: Vec<String> = r.lines.iter().map(|l| l.text.clone()).collect();
            assert_eq!(truth_texts(page), rendered, "{kind:?}");
        }
    }

    #[test]
    fn locate_finds_the_change() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let o = s(&["甲方：上海华信", "科技有限公司"]);
        let t = s(&["甲方：上海华倍", "科技有限公司"]);
        assert_eq!(locate(&o, &t, "信", "倍"), Some(6));
        assert_eq!(line_at(&o, 6), (0, 6));
        assert_eq!(line_at(&o, 7), (1, 0));
        assert_eq!(locate(&o, &t, "华", "倍"), None);
        let d = s(&["一。二。", "三。"]);
        assert_eq!(locate(&d, &s(&["一。三。"]), "二。", ""), Some(2));
    }
}
