//! Levenshtein distance over characters, and the character error rate built on it.

/// Edits (insertions, deletions, substitutions) turning `a` into `b`, counted in chars.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Character error rate of `hypothesis` against `truth`: edits over the truth's length (1.0 when the
/// truth is empty and the hypothesis is not, 0.0 when both are empty).
pub fn char_error_rate(truth: &str, hypothesis: &str) -> f64 {
    let n = truth.chars().count();
    let d = levenshtein(truth, hypothesis);
    if n == 0 { if d == 0 { 0.0 } else { 1.0 } } else { d as f64 / n as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("", "ab"), 2);
        assert_eq!(levenshtein("壹拾贰万", "壹拾贰万"), 0);
        assert_eq!(levenshtein("壹拾贰万", "壹拾叁万"), 1);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(char_error_rate("abcd", "abxd"), 0.25);
        assert_eq!(char_error_rate("", ""), 0.0);
        assert_eq!(char_error_rate("", "x"), 1.0);
    }
}
