//! Character alignment of the approved text with the text read from the photo: the edit script of
//! least cost (substitution, insertion, deletion: 1 each), ties broken towards keeping characters
//! paired. The common prefix and suffix are taken off first, so near-identical pages cost little.

/// What happened to one position of the alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Same character in both.
    Same { expected: usize, found: usize },
    /// A different character in the same place.
    Changed { expected: usize, found: usize },
    /// An approved character not on the photo.
    Deleted { expected: usize },
    /// A character on the photo not in the approved text.
    Inserted { found: usize },
}

/// The texts are too long to align within the memory allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("texts of {expected} and {found} characters are too long to align (limit {limit} cells)")]
pub struct TooLong {
    pub expected: usize,
    pub found: usize,
    pub limit: usize,
}

const DIAG: u8 = 0;
const UP: u8 = 1; // deletion: expected advances
const LEFT: u8 = 2; // insertion: found advances

/// Align `expected` with `found`. The middle part left after the common prefix and suffix needs
/// `(n + 1) * (m + 1)` bytes; above `max_cells` it is refused.
///
/// ```
/// use sealgate_pipeline::compare::align::{Op, align};
/// let (e, f): (Vec<char>, Vec<char>) = ("¥128".chars().collect(), "¥138".chars().collect());
/// let ops = align(&e, &f, 1 << 20).unwrap();
/// assert_eq!(ops[2], Op::Changed { expected: 2, found: 2 });
/// ```
pub fn align(expected: &[char], found: &[char], max_cells: usize) -> Result<Vec<Op>, TooLong> {
    let prefix = expected.iter().zip(found).take_while(|(a, b)| a == b).count();
    let suffix = expected[prefix..].iter().rev().zip(found[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (e, f) = (&expected[prefix..expected.len() - suffix], &found[prefix..found.len() - suffix]);
    let (n, m) = (e.len(), f.len());
    let cells = (n + 1).saturating_mul(m + 1);
    if cells > max_cells {
        return Err(TooLong { expected: expected.len(), found: found.len(), limit: max_cells });
    }

    let mut ops = Vec::with_capacity(expected.len().max(found.len()) + 8);
    ops.extend((0..prefix).map(|k| Op::Same { expected: k, found: k }));

    // Costs one row at a time; directions for the whole table.
    let mut dir = vec![DIAG; cells];
    let mut prev: Vec<u32> = (0..=m as u32).collect();
    let mut cur = vec![0u32; m + 1];
    dir[1..=m].fill(LEFT);
    for i in 1..=n {
        cur[0] = i as u32;
        dir[i * (m + 1)] = UP;
        let ei = e[i - 1];
        for j in 1..=m {
            let diag = prev[j - 1] + u32::from(ei != f[j - 1]);
            let up = prev[j] + 1;
            let left = cur[j - 1] + 1;
            let (best, d) = if diag <= up && diag <= left {
                (diag, DIAG)
            } else if up <= left {
                (up, UP)
            } else {
                (left, LEFT)
            };
            cur[j] = best;
            dir[i * (m + 1) + j] = d;
        }
        std::mem::swap(&mut prev, &mut cur);
    }

    let mut middle = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match dir[i * (m + 1) + j] {
            DIAG if i > 0 && j > 0 => {
                let (x, y) = (prefix + i - 1, prefix + j - 1);
                middle.push(if e[i - 1] == f[j - 1] {
                    Op::Same { expected: x, found: y }
                } else {
                    Op::Changed { expected: x, found: y }
                });
                i -= 1;
                j -= 1;
            }
            UP if i > 0 => {
                middle.push(Op::Deleted { expected: prefix + i - 1 });
                i -= 1;
            }
            _ if j > 0 => {
                middle.push(Op::Inserted { found: prefix + j - 1 });
                j -= 1;
            }
            _ => {
                middle.push(Op::Deleted { expected: prefix + i - 1 });
                i -= 1;
            }
        }
    }
    ops.extend(middle.into_iter().rev());
    let (es, fs) = (expected.len() - suffix, found.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Same { expected: es + k, found: fs + k }));
    Ok(ops)
}

/// Share of characters kept paired and equal: `2 * same / (n + m)`, 1 for two empty texts.
pub fn similarity(ops: &[Op], n: usize, m: usize) -> f32 {
    if n + m == 0 {
        return 1.0;
    }
    let same = ops.iter().filter(|o| matches!(o, Op::Same { .. })).count();
    (2 * same) as f32 / (n + m) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn script(a: &str, b: &str) -> String {
        align(&chars(a), &chars(b), 1 << 20)
            .expect("fits")
            .iter()
            .map(|o| match o {
                Op::Same { .. } => '=',
                Op::Changed { .. } => '~',
                Op::Deleted { .. } => '-',
                Op::Inserted { .. } => '+',
            })
            .collect()
    }

    #[test]
    fn edits_of_each_kind() {
        assert_eq!(script("甲方上海", "甲方上海"), "====");
        assert_eq!(script("128,560", "128,580"), "=====~=");
        assert_eq!(script("本合同一式两份", "本合同两份"), "===--==");
        assert_eq!(script("本合同两份", "本合同一式两份"), "===++==");
        assert_eq!(script("", "新增"), "++");
        assert_eq!(script("删除", ""), "--");
        assert_eq!(script("", ""), "");
    }

    #[test]
    fn indices_cover_both_texts_in_order() {
        let (a, b) = (chars("合同金额壹拾贰万元整"), chars("合同总金额壹拾叁万元"));
        let ops = align(&a, &b, 1 << 20).expect("fits");
        let exp: Vec<usize> = ops
            .iter()
            .filter_map(|o| match *o {
                Op::Same { expected, .. } | Op::Changed { expected, .. } | Op::Deleted { expected } => Some(expected),
                Op::Inserted { .. } => None,
            })
            .collect();
        let fnd: Vec<usize> = ops
            .iter()
            .filter_map(|o| match *o {
                Op::Same { found, .. } | Op::Changed { found, .. } | Op::Inserted { found } => Some(found),
                Op::Deleted { .. } => None,
            })
            .collect();
        assert_eq!(exp, (0..a.len()).collect::<Vec<_>>());
        assert_eq!(fnd, (0..b.len()).collect::<Vec<_>>());
        let s = similarity(&ops, a.len(), b.len());
        assert!(s > 0.7 && s < 1.0, "{s}");
    }

    #[test]
    fn refuses_above_the_cell_limit() {
        let (a, b) = (chars(&"甲".repeat(100)), chars(&"乙".repeat(100)));
        let err = align(&a, &b, 1000).expect_err("too long");
        assert_eq!(err, TooLong { expected: 100, found: 100, limit: 1000 });
        // Identical long texts need no table at all.
        assert!(align(&a, &a, 1).is_ok());
    }
}
