//! What several document kinds share: amounts, document numbers, party particulars, numbered
//! clauses fitted to a page budget, and the signature-and-seal block.

use super::super::amount;
use super::super::content::{Builder, Line};
use super::super::rng::Rng;
use super::super::vocab::{Company, Date};

/// How many pages to aim for, drawn with weights for 1, 2 and 3 pages.
pub fn target_pages(rng: &mut Rng, weights: [f32; 3]) -> usize {
    rng.weighted(&weights) + 1
}

/// A plausible amount in fen between `lo` and `hi` yuan (log-uniform), mostly round.
pub fn amount_fen(rng: &mut Rng, lo: f64, hi: f64) -> u64 {
    let (lo, hi) = (lo.max(1.0).ln(), hi.max(lo.max(1.0) + 1.0).ln());
    let yuan = (lo + (hi - lo) * rng.f64()).exp();
    let step = match rng.below(4) {
        0 => 1000.0,
        1 => 100.0,
        2 => 10.0,
        _ => 0.01,
    };
    let yuan = ((yuan / step).round() * step).max(step);
    (yuan * 100.0).round() as u64
}

/// `HT-2025-0318-027`, `CG20250318012`, ...
pub fn doc_number(rng: &mut Rng, prefix: &str, date: &Date) -> String {
    match rng.below(3) {
        0 => format!("{prefix}-{}-{:02}{:02}-{:03}", date.year, date.month, date.day, rng.range_u64(1, 999)),
        1 => format!("{prefix}{}{:03}", date.compact(), rng.range_u64(1, 999)),
        _ => format!("{prefix}{}-{:04}", date.year, rng.range_u64(1, 9999)),
    }
}

/// `12.5%`-style percentage from tenths of a percent.
pub fn percent(tenths: u64) -> String {
    if tenths.is_multiple_of(10) { format!("{}%", tenths / 10) } else { format!("{}.{}%", tenths / 10, tenths % 10) }
}

/// A capital amount with its numeral in brackets: `人民币壹万元整（¥10,000.00）`.
pub fn both_forms(fen: u64) -> String {
    format!("{}（{}）", amount::capital_rmb(fen), amount::yen(fen))
}

/// The particulars of one party: name line then a few of address, representative, phone, code.
pub fn party_lines(b: &mut Builder, rng: &mut Rng, role: &str, c: &Company) {
    let mut lines = b.para_lines(&format!("{role}：{}", c.name), 0.0);
    let mut fields = vec![
        format!("统一社会信用代码：{}", c.credit_code),
        format!("住所地：{}", c.address),
        format!("法定代表人：{}", c.legal_rep),
        format!("联系人：{}    联系电话：{}", c.contact, c.phone),
    ];
    if rng.chance(0.4) {
        fields[3] = format!("联系人：{}    手机：{}", c.contact, c.mobile);
    }
    if rng.chance(0.3) {
        fields.remove(rng.below(fields.len() as u64) as usize);
    }
    for f in fields {
        lines.extend(b.para_lines(&f, 0.0));
    }
    b.keep(lines);
}

/// One numbered clause: title and paragraphs; optional ones are dropped to fit the page budget.
#[derive(Debug, Clone)]
pub struct Clause {
    pub title: String,
    pub paras: Vec<String>,
    pub mandatory: bool,
}

impl Clause {
    pub fn new(title: &str, paras: Vec<String>, mandatory: bool) -> Clause {
        Clause { title: title.to_string(), paras, mandatory }
    }
}

/// Add the mandatory clauses and as many optional ones (in the order given) as fit in `budget`
/// pitches, numbered 第一条, 第二条 ... (or 一、二、 ...).
pub fn add_clauses(b: &mut Builder, rng: &mut Rng, clauses: Vec<Clause>, budget: f32) {
    let units = |b: &Builder, c: &Clause| -> f32 {
        1.2 + c.paras.iter().map(|p| b.para_lines(p, 2.0).len() as f32).sum::<f32>()
    };
    let mut used: f32 = clauses.iter().filter(|c| c.mandatory).map(|c| units(b, c)).sum();
    let mut chosen = Vec::new();
    for c in clauses {
        if c.mandatory {
            chosen.push(c);
            continue;
        }
        let u = units(b, &c);
        if used + u <= budget {
            used += u;
            chosen.push(c);
        }
    }
    let style = rng.weighted(&[0.75, 0.25]);
    for (i, c) in chosen.iter().enumerate() {
        let n = super::super::vocab::cn_number(i + 1);
        let heading = if style == 0 { format!("第{n}条 {}", c.title) } else { format!("{n}、{}", c.title) };
        b.clause(&heading, &c.paras);
    }
}

/// The signature block: `甲方（盖章）： 乙方（盖章）：`, representatives and dates side by side,
/// with where each party's seal goes.
#[allow(clippy::too_many_arguments)]
pub fn sign_block(
    b: &mut Builder,
    rng: &mut Rng,
    roles: [&str; 2],
    parties: [&Company; 2],
    labels: [&str; 2],
    date: &Date,
) {
    let half = b.bx.cols / 2.0 - 1.0;
    let mut lines = vec![Line::new("", super::super::content::LineStyle::Blank)];
    let stamp = |role: &str, c: &Company| {
        let with_name = format!("{role}（盖章）：{}", c.name);
        if super::super::content::em_len(&with_name) <= half { with_name } else { format!("{role}（盖章）：") }
    };
    let (a, bb) = (stamp(roles[0], parties[0]), stamp(roles[1], parties[1]));
    lines.push(Line::columns(&[&a, &bb]).with_seal(0, &parties[0].name, labels[0]).with_seal(
        1,
        &parties[1].name,
        labels[1],
    ));
    let rep = if rng.chance(0.5) { "法定代表人（签字）：" } else { "授权代表（签字）：" };
    lines.push(Line::columns(&[rep, rep]));
    let when = if rng.chance(0.7) { date.any_style(rng) } else { "    年  月  日".to_string() };
    let when = format!("日期：{}", when.trim());
    lines.push(Line::columns(&[&when, &when]));
    b.keep(lines);
}

/// Items for purchase orders and contract schedules: name, specifications, unit, price range (yuan).
pub const CATALOG: &[(&str, &[&str], &str, f64, f64)] = &[
    ("激光打印机", &["HP M405dn", "Brother 2260D", "A4黑白双面"], "台", 1200.0, 3800.0),
    ("笔记本电脑", &["ThinkPad E14", "i5/16G/512G", "14英寸"], "台", 4200.0, 9800.0),
    ("显示器", &["27英寸 2K", "24英寸 IPS", "Dell P2422H"], "台", 800.0, 2600.0),
    ("A4复印纸", &["70g 500张/包", "80g 500张/包"], "包", 18.0, 32.0),
    ("中性笔", &["0.5mm 黑色", "0.5mm 蓝色"], "盒", 12.0, 36.0),
    ("文件柜", &["钢制 1850×900", "四门 加厚"], "组", 680.0, 1600.0),
    ("办公椅", &["人体工学 网布", "升降 带扶手"], "把", 260.0, 1200.0),
    ("交换机", &["24口千兆", "H3C S5130", "48口 PoE"], "台", 900.0, 8600.0),
    ("服务器", &["2U 双路", "Dell R750", "2×Xeon/256G"], "台", 28000.0, 86000.0),
    ("网线", &["超六类 305m", "六类 305m"], "箱", 380.0, 980.0),
    ("不锈钢法兰", &["DN50 PN16", "DN80 PN16", "DN100 PN25"], "件", 45.0, 260.0),
    ("工业水泵", &["ISW65-160", "CDLF4-10"], "台", 1800.0, 7600.0),
    ("液压油缸", &["HOB63×200", "HOB80×300"], "支", 900.0, 3400.0),
    ("深沟球轴承", &["6205-2RS", "6308-ZZ", "6004"], "套", 8.0, 95.0),
    ("劳保手套", &["丁腈浸胶", "棉纱 加厚"], "打", 15.0, 48.0),
    ("安全帽", &["ABS V型", "玻璃钢"], "顶", 25.0, 90.0),
    ("电源适配器", &["12V 2A", "24V 5A", "65W Type-C"], "个", 18.0, 160.0),
    ("温湿度传感器", &["RS485 输出", "SHT30 模组"], "个", 60.0, 420.0),
    ("医用外科口罩", &["17.5×9.5cm", "独立包装"], "箱", 60.0, 240.0),
    ("检验试剂盒", &["48人份", "96人份"], "盒", 320.0, 1800.0),
    ("特种涂料", &["环氧底漆 20kg", "聚氨酯面漆"], "桶", 380.0, 1500.0),
    ("复合板材", &["1220×2440×12", "铝塑板 4mm"], "张", 90.0, 460.0),
    ("矿泉水", &["550ml×24瓶", "5L×4桶"], "箱", 28.0, 60.0),
    ("茶叶", &["250g 罐装", "礼盒 500g"], "盒", 120.0, 880.0),
    ("监控摄像机", &["400万 半球", "海康 DS-2CD"], "台", 260.0, 1300.0),
    ("UPS电源", &["3kVA 在线式", "10kVA 塔式"], "台", 2600.0, 18000.0),
    ("硒鼓", &["CF410A", "TN-2325"], "支", 120.0, 680.0),
    ("投影仪", &["5000流明", "爱普生 CB-X50"], "台", 3200.0, 8800.0),
];
