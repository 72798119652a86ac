//! Normalise text before comparing it: NFKC (full-width forms become half-width, compatibility
//! characters fold), whitespace removed (OCR engines and typesetting disagree about spaces in
//! Chinese), and punctuation variants folded to one form.

use unicode_normalization::UnicodeNormalization;

/// The comparison form of `s`.
///
/// ```
/// use sealgate_pipeline::text::normalize_for_comparison;
/// assert_eq!(normalize_for_comparison("金额：¥１２８，５６０．００ 元"), "金额:¥128,560.00元");
/// ```
pub fn normalize_for_comparison(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).map(fold_punctuation).collect()
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
                out.push((fold_punctuation(n), i));
            }
        }
    }
    out
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
