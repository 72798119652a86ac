//! Which parts of a page's text are critical: numbers, amounts (Arabic and Chinese capital numerals),
//! dates, percentages, account numbers and party names. A difference touching one of these spans, on
//! either side, is a critical difference.

use serde::Serialize;

/// Why a difference is critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Critical {
    /// Digits that are none of the more specific kinds below.
    Number,
    /// A sum of money: digits next to a currency sign or unit, or Chinese capital numerals.
    Amount,
    Date,
    Percentage,
    /// Eight or more digits in a row (bank account, registration or ID number).
    Account,
    /// The name of a party: a company name, or the text after a party label (甲方：, 委托人：...).
    PartyName,
    /// A whole line added or removed.
    Line,
    /// A run of words added or removed (a clause or sentence).
    Clause,
}

/// A critical span of a text, in characters `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Critical,
}

/// Chinese capital numerals and the units written with them in amounts.
const CAPITAL_DIGITS: &str = "零壹贰叁肆伍陆柒捌玖拾佰仟";
const CAPITAL_UNITS: &str = "万亿圆元角分整";
/// Lower-case Chinese numerals, as in dates written out (二〇二五年三月十八日).
const LOWER_DIGITS: &str = "〇零一二三四五六七八九十";
/// Words naming a party, followed by its name.
const PARTY_LABELS: [&str; 24] = [
    "甲方",
    "乙方",
    "丙方",
    "出租方",
    "承租方",
    "出租人",
    "承租人",
    "委托人",
    "受托人",
    "委托方",
    "受托方",
    "授权人",
    "被授权人",
    "买方",
    "卖方",
    "供方",
    "需方",
    "收款人",
    "付款人",
    "收款单位",
    "付款单位",
    "申请人",
    "法定代表人",
    "户名",
];
/// Endings of organisation names.
const ORG_SUFFIXES: [&str; 10] =
    ["有限公司", "公司", "集团", "银行", "支行", "分行", "事务所", "研究院", "中心", "合作社"];
/// Words that make the digits of their line an amount.
const AMOUNT_WORDS: [&str; 10] = ["金额", "价款", "总价", "单价", "合计", "小写", "大写", "费用", "租金", "款"];
/// Words that make the digits of their line an account or identity number.
const ACCOUNT_WORDS: [&str; 8] = ["账号", "帐号", "卡号", "账户", "税号", "信用代码", "身份证", "开户"];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn contains_at(chars: &[char], at: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    at + w.len() <= chars.len() && chars[at..at + w.len()] == w[..]
}

fn find_all(chars: &[char], word: &str) -> Vec<usize> {
    (0..chars.len()).filter(|&i| contains_at(chars, i, word)).collect()
}

/// Characters that end a name or a clause.
fn is_delimiter(c: char) -> bool {
    matches!(c, ':' | ',' | '.' | ';' | '!' | '?' | '(' | ')' | '[' | ']' | '"' | '<' | '>') || c.is_whitespace()
}

/// The critical spans of one line of normalised text (see [`crate::text::normalize_with_sources`]).
/// `parties` are names known to be parties of the document (from [`party_names`]): every place they
/// occur is a party span.
pub fn critical_spans(line: &[char], parties: &[Vec<char>]) -> Vec<Span> {
    let mut spans = Vec::new();
    if is_page_number(line) {
        return spans;
    }
    let has_word = |words: &[&str]| words.iter().any(|w| !find_all(line, w).is_empty());
    let amount_line = has_word(&AMOUNT_WORDS);
    let account_line = has_word(&ACCOUNT_WORDS);

    // Arabic digit runs, with the separators between digits.
    let mut i = 0;
    while i < line.len() {
        if !is_digit(line[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < line.len()
            && (is_digit(line[end])
                || (matches!(line[end], ',' | '.' | '-' | '/' | ':')
                    && end + 1 < line.len()
                    && is_digit(line[end + 1])))
        {
            end += 1;
        }
        let digits = line[start..end].iter().filter(|c| is_digit(**c)).count();
        let before = if start > 0 { line[start - 1] } else { ' ' };
        let after = line.get(end).copied().unwrap_or(' ');
        let has_point = line[start..end].contains(&'.');
        let date_like = matches!(after, '年' | '月' | '日' | '号')
            || (line[start..end].iter().filter(|c| matches!(c, '-' | '/' | '.')).count() == 2 && digits >= 6);
        let kind = if matches!(after, '%' | '‰') || (start >= 3 && contains_at(line, start - 3, "百分之")) {
            Critical::Percentage
        } else if date_like {
            Critical::Date
        } else if matches!(before, '¥' | '$' | '€') || matches!(after, '元' | '万' | '圆') {
            Critical::Amount
        } else if digits >= 8 && (!has_point || account_line) {
            Critical::Account
        } else if amount_line {
            Critical::Amount
        } else {
            Critical::Number
        };
        // A currency sign or unit belongs to the amount; 年/月/日 to the date.
        let s = if kind == Critical::Amount && matches!(before, '¥' | '$' | '€') { start - 1 } else { start };
        let e = if matches!(kind, Critical::Date | Critical::Percentage) || (kind == Critical::Amount && after == '元')
        {
            (end + 1).min(line.len())
        } else {
            end
        };
        spans.push(Span { start: s, end: e, kind });
        i = end;
    }

    // Chinese capital amounts and written-out dates.
    for (set, units, kind) in
        [(CAPITAL_DIGITS, CAPITAL_UNITS, Critical::Amount), (LOWER_DIGITS, "年月日", Critical::Date)]
    {
        let mut i = 0;
        while i < line.len() {
            if !set.contains(line[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < line.len() && (set.contains(line[i]) || units.contains(line[i])) {
                i += 1;
            }
            let digits = line[start..i].iter().filter(|c| set.contains(**c)).count();
            let has_unit = line[start..i].iter().any(|c| units.contains(*c));
            if digits >= 2 && has_unit {
                spans.push(Span { start, end: i, kind });
            }
        }
    }

    // Party names: after a label and its colon, to the next delimiter; organisation names; known names.
    for label in PARTY_LABELS {
        for at in find_all(line, label) {
            let mut s = at + label.chars().count();
            while s < line.len() && matches!(line[s], ':' | ' ') {
                s += 1;
            }
            if s == at + label.chars().count() {
                continue; // a label without a colon is a mention, not a name field
            }
            let mut e = s;
            while e < line.len() && !is_delimiter(line[e]) {
                e += 1;
            }
            if e > s {
                spans.push(Span { start: s, end: e, kind: Critical::PartyName });
            }
        }
    }
    for suffix in ORG_SUFFIXES {
        let n = suffix.chars().count();
        for at in find_all(line, suffix) {
            let mut s = at;
            while s > 0 && !is_delimiter(line[s - 1]) && at - s < 24 {
                s -= 1;
            }
            if at > s {
                spans.push(Span { start: s, end: at + n, kind: Critical::PartyName });
            }
        }
    }
    for name in parties.iter().filter(|n| n.len() >= 2) {
        for at in (0..line.len()).filter(|&i| line[i..].starts_with(name)) {
            spans.push(Span { start: at, end: at + name.len(), kind: Critical::PartyName });
        }
    }
    spans.sort_by_key(|s| (s.start, s.end));
    spans
}

/// A page number line: `-3-`, `3`, `第1页 共2页`, `1/2`: layout, not terms.
fn is_page_number(line: &[char]) -> bool {
    let marked =
        (line.first() == Some(&'-') && line.last() == Some(&'-')) || line.contains(&'页') || line.contains(&'/');
    let rest: Vec<char> = line.iter().copied().filter(|c| !matches!(c, '-' | '/' | '第' | '页' | '共')).collect();
    marked && !rest.is_empty() && rest.len() <= 4 && rest.iter().all(char::is_ascii_digit) && line.len() <= 10
}

/// Names written after party labels anywhere in `lines` (normalised), for [`critical_spans`].
pub fn party_names(lines: &[Vec<char>]) -> Vec<Vec<char>> {
    let mut names: Vec<Vec<char>> = Vec::new();
    for line in lines {
        for s in critical_spans(line, &[]) {
            if s.kind == Critical::PartyName && s.end - s.start >= 2 {
                let name = line[s.start..s.end].to_vec();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// The kinds of the spans among `spans` that `[start, end)` touches; an empty range (an insertion
/// point) touches a span it falls strictly inside.
pub fn touched(spans: &[Span], start: usize, end: usize) -> Vec<Critical> {
    let mut kinds: Vec<Critical> = spans
        .iter()
        .filter(|s| if start == end { s.start < start && start < s.end } else { s.start < end && start < s.end })
        .map(|s| s.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_of(line: &str) -> Vec<(String, Critical)> {
        let chars: Vec<char> = line.chars().collect();
        critical_spans(&chars, &[]).iter().map(|s| (chars[s.start..s.end].iter().collect(), s.kind)).collect()
    }

    #[test]
    fn numbers_are_told_apart() {
        let k = kinds_of("合同金额:人民币壹拾贰万捌仟伍佰陆拾元整(¥128,560.00)");
        assert!(k.contains(&("壹拾贰万捌仟伍佰陆拾元整".into(), Critical::Amount)), "{k:?}");
        assert!(k.contains(&("¥128,560.00".into(), Critical::Amount)), "{k:?}");
        let k = kinds_of("签订日期:2025年3月18日");
        assert_eq!(
            k,
            vec![("2025年".into(), Critical::Date), ("3月".into(), Critical::Date), ("18日".into(), Critical::Date)]
        );
        assert!(kinds_of("违约金为合同总额的5%").contains(&("5%".into(), Critical::Percentage)));
        assert!(kinds_of("账号:6222021234567890123").contains(&("6222021234567890123".into(), Critical::Account)));
        assert!(kinds_of("第3条").contains(&("3".into(), Critical::Number)));
        assert!(kinds_of("二〇二五年三月十八日").iter().any(|(_, k)| *k == Critical::Date));
        assert!(kinds_of("本合同一式两份").is_empty());
        assert!(kinds_of("-3-").is_empty() && kinds_of("第1页共2页").is_empty() && kinds_of("1/2").is_empty());
        // A lone number is a table cell (a quantity), not a page number.
        assert_eq!(kinds_of("3"), vec![("3".into(), Critical::Number)]);
        assert!(kinds_of("").is_empty());
    }

    #[test]
    fn party_names_after_labels_and_organisations() {
        let k = kinds_of("甲方:上海华信科技有限公司");
        assert!(k.contains(&("上海华信科技有限公司".into(), Critical::PartyName)), "{k:?}");
        let k = kinds_of("委托人:张伟,身份证号");
        assert!(k.contains(&("张伟".into(), Critical::PartyName)), "{k:?}");
        // A label without a colon is only a mention.
        assert!(kinds_of("甲方应按时付款").is_empty());
        let lines: Vec<Vec<char>> =
            ["甲方:上海华信科技有限公司", "乙方:李娜"].iter().map(|l| l.chars().collect()).collect();
        let names = party_names(&lines);
        assert!(names.contains(&"李娜".chars().collect::<Vec<_>>()));
        let later: Vec<char> = "李娜应于三日内付款".chars().collect();
        let spans = critical_spans(&later, &names);
        assert_eq!(touched(&spans, 1, 2), vec![Critical::PartyName]);
        assert!(touched(&spans, 3, 4).is_empty());
    }

    #[test]
    fn touching_is_overlap_or_inside() {
        let spans = [Span { start: 2, end: 5, kind: Critical::Amount }];
        assert_eq!(touched(&spans, 4, 6), vec![Critical::Amount]);
        assert!(touched(&spans, 5, 6).is_empty());
        assert_eq!(touched(&spans, 3, 3), vec![Critical::Amount]);
        assert!(touched(&spans, 2, 2).is_empty());
    }
}
