//! The longest run of characters two strings share.

/// The longest run of consecutive characters found in both `a` and `b`, the first in `a` when
/// several are as long; empty when they share no character.
///
/// ```
/// use sealgate_pipeline::text::longest_common_run;
/// assert_eq!(longest_common_run("由乙方负责修复.乙方如需", "因乙方使用不当,由乙方负责修复"), "由乙方负责修复");
/// assert_eq!(longest_common_run("甲方", ""), "");
/// ```
pub fn longest_common_run(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // run[j]: length of the common run ending at a[i - 1] and b[j - 1], row by row.
    let mut run = vec![0usize; b.len() + 1];
    let (mut best, mut end) = (0usize, 0usize);
    for i in 1..=a.len() {
        for j in (1..=b.len()).rev() {
            run[j] = if a[i - 1] == b[j - 1] { run[j - 1] + 1 } else { 0 };
            if run[j] > best {
                (best, end) = (run[j], i);
            }
        }
    }
    a[end - best..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_found_anywhere_and_nothing_shared_is_empty() {
        assert_eq!(longest_common_run("abcdef", "xxcdeyy"), "cde");
        assert_eq!(longest_common_run("abc", "abc"), "abc");
        assert_eq!(longest_common_run("ab", "ba"), "a");
        assert_eq!(longest_common_run("abc", "xyz"), "");
        assert_eq!(longest_common_run("", ""), "");
        assert_eq!(longest_common_run("", "abc"), "");
    }
}
