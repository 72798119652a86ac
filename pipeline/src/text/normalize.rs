//! Normalise text before comparing it: NFKC (full-width forms become half-width, compatibility
//! characters fold), whitespace removed (OCR engines and typesetting disagree about spaces in
//! Chinese), punctuation variants folded to one form, and traditional forms of common characters
//! folded to their simplified form (the recogniser's dictionary holds both, and reads 黄 as 黃 now
//! and then; they are one character, so no change of meaning hides behind the fold).

use unicode_normalization::UnicodeNormalization;

/// The comparison form of `s`.
///
/// ```
/// use sealgate_pipeline::text::normalize_for_comparison;
/// assert_eq!(normalize_for_comparison("金额：¥１２８，５６０．００ 元"), "金额:¥128,560.00元");
/// ```
pub fn normalize_for_comparison(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).map(|c| fold_variant(fold_punctuation(c))).collect()
}

/// The comparison form of `s` character by character: each kept character with the index (in
/// characters) of the character of `s` it comes from, so that differences can be traced back.
///
/// ```
/// use sealgate_pipeline::text::normalize_with_sources;
/// assert_eq!(normalize_with_sources("１ 元"), vec![('1', 0), ('元', 2)]);
/// ```
pub fn normalize_with_sources(s: &str) -> Vec<(char, usize)> {
    let mut out = Vec::with_capacity(s.len() / 2);
    let mut buf = [0u8; 4];
    for (i, c) in s.chars().enumerate() {
        for n in (*c.encode_utf8(&mut buf)).nfkc() {
            if !n.is_whitespace() {
                out.push((fold_variant(fold_punctuation(n)), i));
            }
        }
    }
    out
}

/// Traditional forms of characters common in company names, addresses and contracts, and at the
/// same place in [`SIMPLIFIED`] their simplified form (the financial numerals' traditional forms
/// included: 貳 and 贰 are the same numeral).
const TRADITIONAL: &str = "黃國東會號發開關門長業個們來時實對點萬億貳參陸圓書說為與華貿陳劉張楊趙廣藝電車銀區縣務產約廠價貨資費買賣購貸質證議讓據權責額稅總機構場認員經濟條項負擔結營應該從這";
const SIMPLIFIED: &str = "黄国东会号发开关门长业个们来时实对点万亿贰叁陆圆书说为与华贸陈刘张杨赵广艺电车银区县务产约厂价货资费买卖购贷质证议让据权责额税总机构场认员经济条项负担结营应该从这";

/// The simplified form of a traditional character in [`TRADITIONAL`], else the character itself.
fn fold_variant(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    TRADITIONAL.chars().position(|t| t == c).and_then(|i| SIMPLIFIED.chars().nth(i)).unwrap_or(c)
}

/// Punctuation that NFKC leaves distinct but people (and OCR) use interchangeably.
fn fold_punctuation(c: char) -> char {
    match c {
        '、' => ',',
        '。' => '.',
        '“' | '”' | '「' | '」' | '『' | '』' => '"',
        '‘' | '’' => '\'',
        '—' | '–' | '－' | '‐' => '-',
        '【' | '〔' => '[',
        '】' | '〕' => ']',
        '《' | '〈' => '<',
        '》' | '〉' => '>',
        '·' | '•' => '.',
        '￥' => '¥',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_spaces_and_punctuation_fold() {
        assert_eq!(normalize_for_comparison("（甲方）　上海"), "(甲方)上海");
        assert_eq!(normalize_for_comparison("“合同”。"), "\"合同\".");
        assert_eq!(normalize_for_comparison(""), "");
        assert_eq!(normalize_for_comparison("壹拾贰万"), "壹拾贰万");
    }

    #[test]
    fn traditional_forms_fold_to_simplified() {
        assert_eq!(normalize_for_comparison("黃河貿易"), "黄河贸易");
        assert_eq!(normalize_for_comparison("壹拾貳萬"), normalize_for_comparison("壹拾贰万"));
        // Different characters stay different.
        assert_ne!(normalize_for_comparison("黄"), normalize_for_comparison("王"));
        assert_eq!(normalize_with_sources("黃a"), vec![('黄', 0), ('a', 1)]);
        assert_eq!(normalize_for_comparison("貨物總額"), "货物总额");
        assert_eq!(TRADITIONAL.chars().count(), SIMPLIFIED.chars().count());
        // No chains: no simplified form is itself folded.
        assert!(SIMPLIFIED.chars().all(|c| fold_variant(c) == c));
    }

    #[test]
    fn sources_point_back_into_the_input() {
        let n = normalize_with_sources("（甲）　¥１２");
        let text: String = n.iter().map(|p| p.0).collect();
        assert_eq!(text, "(甲)¥12");
        assert_eq!(n.iter().map(|p| p.1).collect::<Vec<_>>(), vec![0, 1, 2, 4, 5, 6]);
        assert!(normalize_with_sources("").is_empty());
        // A compatibility character that expands keeps one source for every output character.
        assert_eq!(normalize_with_sources("㎏"), vec![('k', 0), ('g', 0)]);
    }
}
