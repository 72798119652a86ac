//! The text of a generated document and how it is laid out in lines and pages: line styles,
//! Chinese line breaking (no closing punctuation at a line start, amounts and numbers never split)
//! and pagination into pages of a given height. What the documents say is in [`super::kinds`].

use serde::{Deserialize, Serialize};

/// The kinds of business document generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 合同: a sales or service contract.
    Contract,
    /// 租赁合同: a lease.
    Lease,
    /// 函件: a business letter.
    Letter,
    /// 付款申请单: a payment request form.
    PaymentRequest,
    /// 采购订单: a purchase order with a table of items.
    PurchaseOrder,
    /// 授权委托书: an authorisation.
    Authorization,
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::Contract,
        DocKind::Lease,
        DocKind::Letter,
        DocKind::PaymentRequest,
        DocKind::PurchaseOrder,
        DocKind::Authorization,
    ];

    /// The Chinese name of the kind.
    pub fn name_zh(self) -> &'static str {
        match self {
            DocKind::Contract => "合同",
            DocKind::Lease => "租赁合同",
            DocKind::Letter => "函件",
            DocKind::PaymentRequest => "付款申请单",
            DocKind::PurchaseOrder => "采购订单",
            DocKind::Authorization => "授权委托书",
        }
    }
}

/// One row of a ruled table: cell texts and relative column widths (same length).
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub cells: Vec<String>,
    pub widths: Vec<u16>,
    /// Header rows are centred and set in the heading face.
    pub header: bool,
}

/// How a line is set.
#[derive(Debug, Clone, PartialEq)]
pub enum LineStyle {
    /// Centred, large.
    Title,
    /// Left, in the heading face (clause titles, form section names).
    Heading,
    /// Left, body face; `Line::indent` and `Line::justify` apply.
    Body,
    /// Right-aligned (document numbers, sender and date under a letter).
    Right,
    /// A ruled table row; consecutive rows form one table.
    TableRow(TableRow),
    /// Unruled side-by-side cells of equal width (signature blocks).
    Columns(Vec<String>),
    /// Vertical space, no text.
    Blank,
    /// Page number, centred at the bottom margin.
    Footer,
}

impl LineStyle {
    /// Vertical space taken, in body line pitches.
    pub fn height_units(&self) -> f32 {
        match self {
            LineStyle::Title => 2.2,
            LineStyle::Heading => 1.2,
            LineStyle::Body | LineStyle::Right | LineStyle::Columns(_) => 1.0,
            LineStyle::TableRow(_) => 1.3,
            LineStyle::Blank => 0.5,
            LineStyle::Footer => 0.0,
        }
    }
}

/// Where a seal would be stamped on this line: over cell `cell` (0 for plain lines), by `company`.
#[derive(Debug, Clone, PartialEq)]
pub struct SealMark {
    pub cell: usize,
    pub company: String,
    /// Bottom text of the seal: 合同专用章, 财务专用章, or empty for the company seal (公章).
    pub label: String,
}

/// One printed line: its ground-truth text (table and column cells joined by one space) and style.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub style: LineStyle,
    /// Left indent in ems (paragraph first lines: 2).
    pub indent: f32,
    /// Spread to the full measure (inner lines of a paragraph).
    pub justify: bool,
    pub seals: Vec<SealMark>,
}

impl Line {
    pub fn new(text: impl Into<String>, style: LineStyle) -> Line {
        Line { text: text.into(), style, indent: 0.0, justify: false, seals: Vec::new() }
    }

    pub fn table(cells: &[&str], widths: &[u16], header: bool) -> Line {
        let cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        let text = join_cells(&cells);
        let widths = if widths.len() == cells.len() { widths.to_vec() } else { vec![1; cells.len()] };
        Line::new(text, LineStyle::TableRow(TableRow { cells, widths, header }))
    }

    pub fn columns(cells: &[&str]) -> Line {
        let cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        Line::new(join_cells(&cells), LineStyle::Columns(cells))
    }

    pub fn with_seal(mut self, cell: usize, company: &str, label: &str) -> Line {
        self.seals.push(SealMark { cell, company: company.to_string(), label: label.to_string() });
        self
    }
}

/// Non-empty cells joined by a single space: the ground truth of a table row.
pub fn join_cells(cells: &[String]) -> String {
    cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The lines of one page, top to bottom.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageContent {
    pub lines: Vec<Line>,
}

/// A generated document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub kind: DocKind,
    pub title: String,
    /// The company whose seal the document would carry first (甲方, sender, applicant).
    pub issuer: String,
    /// Bottom text of that company's seal on this document (合同专用章, 财务专用章, or empty).
    pub seal_label: String,
    pub pages: Vec<PageContent>,
}

/// The text area a document is laid out for, in body-size units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    /// Width in body ems (full-width characters per line).
    pub cols: f32,
    /// Height in body line pitches, excluding the footer.
    pub rows: f32,
}

/// Width of a character in ems, generous for Latin so lines never overflow.
pub fn em_width(c: char) -> f32 {
    match c {
        ' ' => 0.35,
        c if c.is_ascii() || c == '¥' => 0.62,
        _ => 1.0,
    }
}

/// Width of a string in ems.
pub fn em_len(s: &str) -> f32 {
    s.chars().map(em_width).sum()
}

const NO_LINE_START: &str = "，。、；：？！）》」』”’%．,.;:)!?";
const NO_LINE_END: &str = "（《「『“‘(";

/// Break units: a run of ASCII letters/digits/punctuation (an amount, a date, an account number)
/// stays whole; every other character stands alone.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if (c.is_ascii_graphic() || c == '¥') && c != '(' {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
        out.push(c.to_string());
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// Break `text` into lines of at most `cols` ems, the first line indented by `indent` ems. Closing
/// punctuation hangs into a one-em reserve rather than start a line. Returns `(line, justify)`.
pub fn wrap(text: &str, indent: f32, cols: f32) -> Vec<(String, bool)> {
    let measure = (cols - 1.0).max(4.0);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut width = indent;
    for tok in tokens(text) {
        let w = em_len(&tok);
        let hangs = tok.chars().count() == 1 && NO_LINE_START.contains(tok.as_str());
        if width + w > measure && !cur.is_empty() && !(hangs && width + w <= cols) {
            // Keep an opening bracket with what follows it.
            let mut carry = String::new();
            while let Some(last) = cur.chars().last() {
                if NO_LINE_END.contains(last) && cur.chars().count() > 1 {
                    cur.pop();
                    carry.insert(0, last);
                } else {
                    break;
                }
            }
            lines.push(std::mem::take(&mut cur));
            cur = carry;
            width = em_len(&cur);
        }
        cur.push_str(&tok);
        width += w;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    let n = lines.len();
    lines.into_iter().enumerate().map(|(i, l)| (l.trim_end().to_string(), i + 1 < n)).collect()
}

/// Body lines for `text` wrapped at `cols` ems, the first indented by `indent` ems.
pub fn paragraph_lines(text: &str, indent: f32, cols: f32) -> Vec<Line> {
    wrap(text, indent, cols)
        .into_iter()
        .enumerate()
        .map(|(i, (t, justify))| Line {
            indent: if i == 0 { indent } else { 0.0 },
            justify,
            ..Line::new(t, LineStyle::Body)
        })
        .collect()
}

/// A run of lines kept together on one page unless it is longer than a page (`keep`), or split
/// freely between lines.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub lines: Vec<Line>,
    pub keep: bool,
}

impl Block {
    pub fn units(&self) -> f32 {
        self.lines.iter().map(|l| l.style.height_units()).sum()
    }
}

/// Builds a document's flow of blocks for a text box.
#[derive(Debug, Clone)]
pub struct Builder {
    pub bx: TextBox,
    pub blocks: Vec<Block>,
}

impl Builder {
    pub fn new(bx: TextBox) -> Builder {
        Builder { bx, blocks: Vec::new() }
    }

    /// Total height so far in line pitches.
    pub fn units(&self) -> f32 {
        self.blocks.iter().map(Block::units).sum()
    }

    pub fn push(&mut self, line: Line) {
        self.blocks.push(Block { lines: vec![line], keep: true });
    }

    pub fn keep(&mut self, lines: Vec<Line>) {
        self.blocks.push(Block { lines, keep: true });
    }

    pub fn title(&mut self, text: &str) {
        self.push(Line::new(text, LineStyle::Title));
    }

    pub fn heading(&mut self, text: &str) {
        self.push(Line::new(text, LineStyle::Heading));
    }

    pub fn right(&mut self, text: &str) {
        self.push(Line::new(text, LineStyle::Right));
    }

    pub fn blank(&mut self) {
        self.push(Line::new("", LineStyle::Blank));
    }

    /// Body lines for `text`, the first indented by `indent` ems.
    pub fn para_lines(&self, text: &str, indent: f32) -> Vec<Line> {
        paragraph_lines(text, indent, self.bx.cols)
    }

    /// An indented paragraph that may break across pages.
    pub fn para(&mut self, text: &str) {
        let lines = self.para_lines(text, 2.0);
        self.blocks.push(Block { lines, keep: false });
    }

    /// An unindented paragraph (`甲方：...`, numbered items).
    pub fn plain(&mut self, text: &str) {
        let lines = self.para_lines(text, 0.0);
        self.blocks.push(Block { lines, keep: false });
    }

    /// A clause heading glued to the first two lines of its first paragraph.
    pub fn clause(&mut self, heading: &str, body: &[String]) {
        let mut first = vec![Line::new(heading, LineStyle::Heading)];
        let mut rest = body.iter();
        let mut tail = Vec::new();
        if let Some(p) = rest.next() {
            let mut lines = self.para_lines(p, 2.0);
            tail = lines.split_off(lines.len().min(2));
            first.extend(lines);
        }
        self.blocks.push(Block { lines: first, keep: true });
        if !tail.is_empty() {
            self.blocks.push(Block { lines: tail, keep: false });
        }
        for p in rest {
            self.para(p);
        }
    }

    /// Split the flow into pages of `bx.rows` pitches and add page-number footers when asked.
    pub fn finish(self, numbered: bool, footer_style: usize) -> Vec<PageContent> {
        let rows = self.bx.rows;
        let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
        let mut used = 0.0f32;
        for block in self.blocks {
            let units = block.units();
            let mut break_at = None;
            if used + units > rows && used > 0.0 {
                // Lines of a splittable block that fit here; never one line alone at the foot of a
                // page or at the head of the next.
                let mut fit = 0;
                let mut u = used;
                for l in &block.lines {
                    u += l.style.height_units();
                    if u > rows {
                        break;
                    }
                    fit += 1;
                }
                if fit > 0 && block.lines.len() - fit == 1 {
                    fit -= 1;
                }
                if (block.keep && units <= rows) || (!block.keep && fit < 2) {
                    pages.push(Vec::new());
                    used = 0.0;
                } else if !block.keep {
                    break_at = Some(fit);
                }
            }
            for (i, line) in block.lines.into_iter().enumerate() {
                if break_at == Some(i) && used > 0.0 {
                    pages.push(Vec::new());
                    used = 0.0;
                }
                let h = line.style.height_units();
                if used + h > rows && used > 0.0 {
                    pages.push(Vec::new());
                    used = 0.0;
                }
                // No blank space at the top of a page.
                if used == 0.0 && line.style == LineStyle::Blank {
                    continue;
                }
                used += h;
                if let Some(page) = pages.last_mut() {
                    page.push(line);
                }
            }
        }
        pages.retain(|p| p.iter().any(|l| !l.text.is_empty()));
        let n = pages.len();
        pages
            .into_iter()
            .enumerate()
            .map(|(i, mut lines)| {
                if numbered {
                    let text = match footer_style % 3 {
                        0 => format!("第{}页 共{}页", i + 1, n),
                        1 => format!("第 {} 页，共 {} 页", i + 1, n),
                        _ => format!("- {} -", i + 1),
                    };
                    lines.push(Line::new(text, LineStyle::Footer));
                }
                PageContent { lines }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_respects_measure_and_keeps_numbers_whole() {
        let text = "甲方应于本合同签订之日起10个工作日内向乙方支付合同总金额的30%，即人民币叁万捌仟伍佰陆拾捌元整（¥38,568.00），乙方收到款项后开具等额增值税专用发票。";
        let lines = wrap(text, 2.0, 20.0);
        assert!(lines.len() > 2);
        let joined: String = lines.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(joined, text);
        for (i, (l, justify)) in lines.iter().enumerate() {
            let w = em_len(l) + if i == 0 { 2.0 } else { 0.0 };
            assert!(w <= 20.0 + 1e-3, "{l} is {w} ems");
            assert_eq!(*justify, i + 1 < lines.len());
            let first = l.chars().next().expect("non-empty line");
            assert!(!NO_LINE_START.contains(first), "line starts with {first}: {l}");
        }
        assert!(lines.iter().any(|(l, _)| l.contains("¥38,568.00")));
    }

    #[test]
    fn pagination_keeps_blocks_and_numbers_pages() {
        let mut b = Builder::new(TextBox { cols: 20.0, rows: 10.0 });
        b.title("合同");
        for i in 0..6 {
            b.clause(&format!("第{i}条"), &["一二三四五六七八九十一二三四五六七八九十一二三".to_string()]);
        }
        let pages = b.finish(true, 0);
        assert!(pages.len() >= 2);
        for p in &pages {
            let units: f32 = p.lines.iter().map(|l| l.style.height_units()).sum();
            assert!(units <= 10.0 + 1e-3);
            assert_eq!(p.lines.last().map(|l| &l.style), Some(&LineStyle::Footer));
        }
        assert_eq!(pages[0].lines.last().map(|l| l.text.as_str()), Some(format!("第1页 共{}页", pages.len()).as_str()));
    }

    #[test]
    fn paragraphs_leave_no_single_line_at_a_page_foot_or_head() {
        let long = "一二三四五六七八九十".repeat(6);
        for filler in 0..8 {
            let mut b = Builder::new(TextBox { cols: 12.0, rows: 10.0 });
            for _ in 0..filler {
                b.push(Line::new("填", LineStyle::Body));
            }
            b.plain(&long);
            let pages = b.finish(false, 0);
            let para: Vec<usize> = pages
                .iter()
                .map(|p| p.lines.iter().filter(|l| l.text.starts_with("一") || l.text.len() > 6).count())
                .collect();
            assert!(para.iter().all(|&n| n == 0 || n >= 2), "filler {filler}: {para:?}");
            assert_eq!(para.iter().sum::<usize>(), wrap(&long, 0.0, 12.0).len());
        }
    }
}
