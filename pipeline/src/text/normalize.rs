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
}
