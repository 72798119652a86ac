//! Money amounts as they are written on Chinese business documents: the numeral form
//! (`¥128,560.00`) and the capital form used against alteration (`人民币壹拾贰万捌仟伍佰陆拾元整`).
//!
//! Amounts are integers in fen (分, 1/100 yuan) so no rounding ever enters the text.

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const YI: u64 = 100_000_000;

/// The capital form of `fen` without the 人民币 prefix: 伍角, 壹拾元整, 壹拾万零壹拾元整,
/// 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分, 壹亿元整, 零元整.
///
/// Rules (《支付结算办法》 practice): a run of zeros inside the integer part is written as one 零;
/// zeros at the end of a 万/亿 section are not written; 元 is omitted when there are no yuan;
/// 整 follows 元 when there are no jiao or fen; 零 stands between 元 and fen when jiao is 0.
pub fn capital(fen: u64) -> String {
    let (yuan, jiao, fen) = (fen / 100, (fen / 10) % 10, fen % 10);
    let mut s = String::new();
    if yuan > 0 {
        s.push_str(&integer(yuan));
        s.push('元');
    }
    match (jiao, fen) {
        (0, 0) => {
            if yuan == 0 {
                s.push_str("零元");
            }
            s.push('整');
        }
        (0, f) => {
            if yuan > 0 {
                s.push('零');
            }
            s.push(DIGITS[f as usize]);
            s.push('分');
        }
        (j, f) => {
            s.push(DIGITS[j as usize]);
            s.push('角');
            if f > 0 {
                s.push(DIGITS[f as usize]);
                s.push('分');
            }
        }
    }
    s
}

/// `人民币` + [`capital`].
pub fn capital_rmb(fen: u64) -> String {
    format!("人民币{}", capital(fen))
}

/// A positive integer in capital digits: sections of 亿, then 万, then units.
fn integer(n: u64) -> String {
    if n >= YI {
        let (hi, lo) = (n / YI, n % YI);
        let mut s = integer(hi);
        s.push('亿');
        if lo > 0 {
            if lo < YI / 10 {
                s.push('零');
            }
            s.push_str(&below_yi(lo));
        }
        s
    } else {
        below_yi(n)
    }
}

/// `0 < n < 10^8`.
fn below_yi(n: u64) -> String {
    let (hi, lo) = (n / 10_000, n % 10_000);
    if hi == 0 {
        return section(lo);
    }
    let mut s = section(hi);
    s.push('万');
    if lo > 0 {
        if lo < 1000 {
            s.push('零');
        }
        s.push_str(&section(lo));
    }
    s
}

/// `0 < n < 10^4`: leading zeros dropped, inner zero runs as one 零, trailing zeros dropped.
fn section(n: u64) -> String {
    const UNITS: [&str; 4] = ["仟", "佰", "拾", ""];
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let (mut s, mut started, mut zero) = (String::new(), false, false);
    for (d, unit) in digits.iter().zip(UNITS) {
        if *d == 0 {
            zero |= started;
        } else {
            if zero {
                s.push('零');
                zero = false;
            }
            s.push(DIGITS[*d as usize]);
            s.push_str(unit);
            started = true;
        }
    }
    s
}

/// `128,560.00`: thousands separated by commas, always two decimals.
pub fn numeral(fen: u64) -> String {
    let yuan = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", fen % 100)
}

/// `¥128,560.00`.
pub fn yen(fen: u64) -> String {
    format!("¥{}", numeral(fen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capital_amounts_follow_the_zero_and_zheng_rules() {
        let cases: &[(u64, &str)] = &[
            (50, "伍角"),
            (5, "伍分"),
            (0, "零元整"),
            (1000, "壹拾元整"),
            (105, "壹元零伍分"),
            (1050, "壹拾元伍角"),
            (10_001_000, "壹拾万零壹拾元整"),
            (123_456_789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
            (10_000_000_000, "壹亿元整"),
            (12_856_000, "壹拾贰万捌仟伍佰陆拾元整"),
            (100_500_000, "壹佰万伍仟元整"),
            (1_000_050_000, "壹仟万零伍佰元整"),
            (10_000_100_000, "壹亿零壹仟元整"),
            (10_001_000_000, "壹亿零壹万元整"),
            (11_000_000_000, "壹亿壹仟万元整"),
            (10_000_000_100, "壹亿零壹元整"),
            (100_000_000_000_000, "壹万亿元整"),
            (101_000, "壹仟零壹拾元整"),
            (200_000, "贰仟元整"),
            (300_400, "叁仟零肆元整"),
            (99, "玖角玖分"),
        ];
        for &(fen, want) in cases {
            assert_eq!(capital(fen), want, "{fen} fen");
        }
        assert_eq!(capital_rmb(1000), "人民币壹拾元整");
        // The largest representable amount still converts without panicking.
        assert!(capital(u64::MAX).ends_with('分'));
    }

    #[test]
    fn numerals_group_thousands() {
        assert_eq!(yen(12_856_000), "¥128,560.00");
        assert_eq!(numeral(5), "0.05");
        assert_eq!(numeral(100_000), "1,000.00");
        assert_eq!(numeral(123_456_789), "1,234,567.89");
    }
}
